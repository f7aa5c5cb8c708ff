/* Inside the registers room: the partnership's schemas (partnership.c) for the table in
 * schemas.c. */
#ifndef SVP_REGISTERS_INT_H
#define SVP_REGISTERS_INT_H

#include "registers.h"

extern const struct reg_schema reg_schema_risk, reg_schema_challenge, reg_schema_escalation,
    reg_schema_course, reg_schema_session, reg_schema_booking, reg_schema_evaluation,
    reg_schema_audit, reg_schema_inspection, reg_schema_child_death, reg_schema_meeting,
    reg_schema_attendance;

#endif
