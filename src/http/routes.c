/* The route table: every API route svp serves, in one place. Each row says who may call it
 * and what it reads; the dispatcher (server.c) enforces that before the handler runs, and
 * tests/unit/test_http.c walks every row with every role against the expected matrix. To
 * add a room's pages: write its handlers in api_ROOM.c (calling only library rooms),
 * declare them in http_int.h and add rows here. */
#include "http_int.h"

#include <string.h>

#define ALL ACCESS_ALL_ROLES
#define CASEWORK (ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL | ACCESS_PRACTITIONER)
/* The partnership's registers: changes are further limited to the roles each schema names. */
#define REGISTERS (ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL)

static const struct http_route routes[] = {
    /* method, pattern, public, roles, reads, object, while_must_change, handler */
    {"POST", "/api/v1/session", true, 0, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, true,
     api_session_login},
    {"GET", "/api/v1/session", false, ALL, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, true,
     api_session_get},
    {"DELETE", "/api/v1/session", false, ALL, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, true,
     api_session_logout},
    {"POST", "/api/v1/session/password", false, ALL, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, true,
     api_session_password},
    {"GET", "/api/v1/persons", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false,
     api_persons_search},
    {"GET", "/api/v1/persons/{id}", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_PERSON,
     false, api_person_get},
    {"GET", "/api/v1/persons/{id}/risk", false, CASEWORK, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_PERSON, false, api_person_risk},
    {"GET", "/api/v1/persons/{id}/household", false, CASEWORK, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_PERSON, false, api_person_household},
    {"POST", "/api/v1/persons/{id}/share", false, ACCESS_ADMIN | ACCESS_PANEL,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_PERSON, false, api_person_share},
    {"POST", "/api/v1/persons/{id}/break-glass", false, ACCESS_PANEL | ACCESS_PRACTITIONER,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false, api_break_glass},
    {"GET", "/api/v1/break-glass/reasons", false, ACCESS_PANEL | ACCESS_PRACTITIONER,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_glass_reasons},
    {"POST", "/api/v1/reidentify", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_reidentify},
    {"GET", "/api/v1/records/{id}", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_RECORD,
     false, api_record_get},
    {"GET", "/api/v1/panel", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false,
     api_panel_list},
    {"GET", "/api/v1/panel/turning18", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE,
     false, api_panel_turning18},
    {"GET", "/api/v1/contexts/hotspots", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false, api_context_hotspots},
    {"GET", "/api/v1/contexts/boundaries", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_context_boundaries},
    {"GET", "/api/v1/contexts/network", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE,
     false, api_context_network},
    {"GET", "/api/v1/contexts/network/ego", false, CASEWORK, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_network_ego},
    {"GET", "/api/v1/contexts/network/search", false, CASEWORK, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_network_search},
    {"GET", "/api/v1/contexts/trends", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_context_trends},
    {"GET", "/api/v1/link/review", false, ACCESS_ADMIN | ACCESS_ANALYST, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_link_review_list},
    {"POST", "/api/v1/link/review", false, ACCESS_ADMIN | ACCESS_ANALYST, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_link_review_decide},
    {"GET", "/api/v1/link/explain", false, ACCESS_ADMIN | ACCESS_ANALYST, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_link_explain},
    {"GET", "/api/v1/clocks", false, CASEWORK, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_clocks_report},
    {"GET", "/api/v1/clocks/periods", false, CASEWORK, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_clocks_periods},
    {"GET", "/api/v1/report/dataset", false, CASEWORK, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_report_dataset},
    {"GET", "/api/v1/report/export", false, CASEWORK, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_report_export},
    {"GET", "/api/v1/report/drill", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE,
     false, api_report_drill},
    {"GET", "/api/v1/clocks/due", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false,
     api_clocks_due},
    {"GET", "/api/v1/da/call", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false,
     api_da_call},
    {"GET", "/api/v1/da/call/export.xlsx", false, CASEWORK, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_da_call_export},
    {"POST", "/api/v1/da/action", false, ACCESS_ADMIN | ACCESS_PANEL | ACCESS_PRACTITIONER,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false, api_da_action_add},
    {"POST", "/api/v1/da/action/done", false, ACCESS_ADMIN | ACCESS_PANEL | ACCESS_PRACTITIONER,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false, api_da_action_done},
    {"GET", "/api/v1/da/figures", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_da_figures},
    {"GET", "/api/v1/adults/sac", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_adults_sac},
    {"GET", "/api/v1/sources", false, ACCESS_ADMIN | ACCESS_ANALYST, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_sources},
    {"POST", "/api/v1/profile/draft", false, ACCESS_ADMIN | ACCESS_ANALYST, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_profile_draft},
    {"GET", "/api/v1/adults/list", false, CASEWORK, ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false,
     api_adults_list},
    {"GET", "/api/v1/reviews", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_reviews_list},
    {"GET", "/api/v1/learning", false, ACCESS_ADMIN | ACCESS_ANALYST | ACCESS_PANEL,
     ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false, api_learning_list},
    {"POST", "/api/v1/reviews", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_reviews_add},
    {"POST", "/api/v1/reviews/update", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_reviews_update},
    {"POST", "/api/v1/learning/done", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_learning_done},
    {"POST", "/api/v1/learning", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_learning_add},
    {"GET", "/api/v1/registers", false, REGISTERS, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_registers_schemas},
    {"GET", "/api/v1/registers/entries", false, REGISTERS, ACCESS_DATA_NONE, ACCESS_OBJ_NONE,
     false, api_registers_entries},
    {"POST", "/api/v1/registers/entries", false, REGISTERS, ACCESS_DATA_NONE, ACCESS_OBJ_NONE,
     false, api_registers_add},
    {"POST", "/api/v1/registers/entries/update", false, REGISTERS, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_registers_update},
    {"GET", "/api/v1/registers/history", false, REGISTERS, ACCESS_DATA_NONE, ACCESS_OBJ_NONE,
     false, api_registers_history},
    {"GET", "/api/v1/registers/export.xlsx", false, REGISTERS, ACCESS_DATA_NONE,
     ACCESS_OBJ_NONE, false, api_registers_export},
    {"GET", "/api/v1/registers/figures", false, REGISTERS, ACCESS_DATA_NONE, ACCESS_OBJ_NONE,
     false, api_registers_figures},
    {"GET", "/api/v1/meeting", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_meeting_view},
    {"GET", "/api/v1/meeting/export.xlsx", false, ACCESS_ADMIN | ACCESS_PANEL,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_NONE, false, api_meeting_export},
    {"POST", "/api/v1/meeting/{id}/discussion", false, ACCESS_ADMIN | ACCESS_PANEL,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_PERSON, false, api_meeting_discuss},
    {"POST", "/api/v1/meeting/{id}/action", false, ACCESS_ADMIN | ACCESS_PANEL,
     ACCESS_DATA_PERSONAL, ACCESS_OBJ_PERSON, false, api_meeting_action_add},
    {"POST", "/api/v1/meeting/action", false, ACCESS_ADMIN | ACCESS_PANEL, ACCESS_DATA_PERSONAL,
     ACCESS_OBJ_NONE, false, api_meeting_action_set},
    {"GET", "/api/v1/audit", false, ACCESS_AUDITOR, ACCESS_DATA_AUDIT, ACCESS_OBJ_NONE, false,
     api_audit_list},
    {"GET", "/api/v1/audit/verify", false, ACCESS_AUDITOR, ACCESS_DATA_AUDIT, ACCESS_OBJ_NONE,
     false, api_audit_verify},
    {"GET", "/api/v1/audit/person/{id}", false, ACCESS_AUDITOR, ACCESS_DATA_AUDIT,
     ACCESS_OBJ_NONE, false, api_audit_person},
    {"GET", "/api/v1/audit/break-glass", false, ACCESS_AUDITOR, ACCESS_DATA_AUDIT,
     ACCESS_OBJ_NONE, false, api_audit_break_glass},
    {"GET", "/api/v1/audit/anchor", false, ACCESS_AUDITOR, ACCESS_DATA_AUDIT, ACCESS_OBJ_NONE,
     false, api_audit_anchor},
    {"GET", "/api/v1/audit/mine", false, ALL, ACCESS_DATA_NONE, ACCESS_OBJ_NONE, false,
     api_audit_mine},
    {"GET", "/api/v1/users", false, ACCESS_ADMIN, ACCESS_DATA_USERS, ACCESS_OBJ_NONE, false,
     api_users_list},
    {"POST", "/api/v1/users", false, ACCESS_ADMIN, ACCESS_DATA_USERS, ACCESS_OBJ_NONE, false,
     api_users_add},
    {"POST", "/api/v1/users/{id}/disable", false, ACCESS_ADMIN, ACCESS_DATA_USERS,
     ACCESS_OBJ_NONE, false, api_users_disable},
    {"POST", "/api/v1/users/{id}/enable", false, ACCESS_ADMIN, ACCESS_DATA_USERS,
     ACCESS_OBJ_NONE, false, api_users_enable},
    {"POST", "/api/v1/users/{id}/reset", false, ACCESS_ADMIN, ACCESS_DATA_USERS,
     ACCESS_OBJ_NONE, false, api_users_reset},
};

const struct http_route *http_routes(size_t *n)
{
    *n = sizeof routes / sizeof routes[0];
    return routes;
}

int http_route_match(const char *pattern, const char *path, int64_t *id)
{
    *id = 0;
    const char *p = pattern, *s = path;
    bool bad = false;
    while (*p) {
        if (!strncmp(p, "{id}", 4)) {
            const char *end = strchr(s, '/');
            size_t len = end ? (size_t)(end - s) : strlen(s);
            char num[24];
            if (len == 0)
                return 0;
            if (len >= sizeof num) {
                bad = true;
            } else {
                memcpy(num, s, len);
                num[len] = '\0';
                if (svp_parse_i64(num, id) || *id <= 0)
                    bad = true;
            }
            p += 4;
            s += len;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    if (*s)
        return 0;
    return bad ? -1 : 1;
}

size_t http_route_body_cap(const char *method, const char *path, size_t dflt)
{
    static const struct {
        const char *method, *pattern;
        size_t cap;
    } big[] = {{"POST", "/api/v1/profile/draft", HTTP_DRAFT_MAX_BODY}};
    int64_t id;
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
        if (!strcmp(big[i].method, method) && http_route_match(big[i].pattern, path, &id) == 1)
            return big[i].cap > dflt ? big[i].cap : dflt;
    return dflt;
}
