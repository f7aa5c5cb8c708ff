# CSC case system: single assessments (45 working days, Working Together).
[source]
name = csc-assessments
agency = csc
id_space = csc
description = CSC single assessments
person_id = PersonID
row_id = AssessmentID

[event]
type = "assessment"
subtype = "single"
started_at = StartDate | date iso
ended_at = CompletedDate | date iso
detail.completed_at = CompletedDate | date iso
detail.outcome = Outcome | map outcome
detail.factors = Factors | lower | list ;
detail.referral_ref = ReferralID

[map outcome]
NFA = nfa
EARLY_HELP = early_help
CIN_PLAN = cin
S47 = s47
