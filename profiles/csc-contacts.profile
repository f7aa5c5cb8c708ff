# CSC case system: contacts to the front door (MASH).
[source]
name = csc-contacts
agency = csc
id_space = csc
description = CSC contacts and their MASH decisions
person_id = PersonID
row_id = ContactID

[event]
type = "contact"
subtype = Outcome | map outcome
started_at = ContactDateTime | datetime %Y-%m-%d %H:%M
detail.source_agency = Source | map source
detail.reason = Reason | lower
detail.decision_at = DecisionDate | date iso
detail.outcome = Outcome | map outcome

[map outcome]
NFA = nfa
ADVICE = information
EARLY_HELP = early_help
REFERRAL = referral

[map source]
POLICE = police
SCHOOL = education
HEALTH = health
HOUSING = other
FAMILY = public
ANONYMOUS = public
LA_OTHER = other
OTHER = other
