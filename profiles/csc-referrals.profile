# CSC case system: referrals and the decision on each.
[source]
name = csc-referrals
agency = csc
id_space = csc
description = CSC referrals
person_id = PersonID
row_id = ReferralID

[event]
type = "referral"
subtype = "mash"
started_at = ReferralDate | date iso
ended_at = DecisionDate | date iso
detail.decision_at = DecisionDate | date iso
detail.decision = Outcome | map decision
detail.source_agency = Source | map source
detail.re_referral = ReReferral | flag
detail.contact_ref = ContactID

[map decision]
ASSESSMENT = assessment
STRATEGY = strategy
NFA = nfa

[map source]
POLICE = police
SCHOOL = education
HEALTH = health
HOUSING = other
FAMILY = public
ANONYMOUS = public
LA_OTHER = other
OTHER = other
