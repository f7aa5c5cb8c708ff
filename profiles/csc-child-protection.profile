# CSC case system: strategy discussions, section 47 enquiries, conferences and plans.
# A plan's rows share PlanID (detail plan_ref) so a plan's start and end can be paired.
[source]
name = csc-child-protection
agency = csc
id_space = csc
description = CSC child protection events
person_id = PersonID
row_id = EventID

[event]
type = EventType | map type
subtype = EventType | map subtype
started_at = EventDate | date iso
detail.plan_ref = PlanID
detail.category = Category | lower

[map type]
STRATEGY_DISCUSSION = strategy_discussion
S47_START = s47_enquiry
ICPC = cp_conference
REVIEW_CONFERENCE = cp_conference
PLAN_START = cp_plan
PLAN_END = cp_plan_end

[map subtype]
ICPC = initial
REVIEW_CONFERENCE = review
* = ""
