# Police and probation: the adults they manage as posing a risk to children or the public,
# as a public protection unit keeps the list (one row per nominal and management period):
# MAPPA level and category, registered sex offenders, and adults the partnership has decided
# to treat as a known risk to children (for the 2021-22 report's rapid review: "alerted to
# known offenders who are not under probation or MAPPA"). The nominal id is the police
# nominal id, so the row joins the police's own record of the person. Each row makes its
# adult "of concern" from its start (docs/indicators.md): a child in their household, found
# with them or involved with them in an occurrence gets the reason on the tracker.
[source]
name = police-known-offenders
agency = police
id_space = police
description = Known offenders: MAPPA, registered sex offenders, partnership decisions
person_id = NominalID
row_id = NominalID + StartDate
role = adult

[record]
given_name = Forenames
family_name = Surname
dob = DOB | date %d/%m/%Y
sex = Sex | map sex
postcode = Postcode | postcode
detail.pnc_id = PNCID

[event]
type = "offender_management"
subtype = Basis | map basis
started_at = StartDate | date %d/%m/%Y | required
ended_at = EndDate | date %d/%m/%Y
detail.basis = Basis | map basis
detail.mappa_category = MAPPACategory | map mappa_category
detail.managing_agency = ManagingAgency | lower
detail.risk_to_children = RiskToChildren | flag

[check identifiable]
rule = NOT svp_blank(Surname) AND (NOT svp_blank(DOB) OR NOT svp_blank(PNCID))
field = Surname
message = a known offender needs a surname and a date of birth or PNC id, or no one can be told whose list it is

[check level_needs_mappa]
rule = svp_blank(MAPPACategory) OR upper(Basis) LIKE 'MAPPA%'
field = MAPPACategory
message = a MAPPA category is given for someone not managed under MAPPA

[map sex]
M = M
F = F
U = U

[map basis]
MAPPA 1 = mappa_1
MAPPA 2 = mappa_2
MAPPA 3 = mappa_3
RSO = rso
Partnership = partnership

[map mappa_category]
1 = registered_sexual_offender
2 = violent_offender
3 = other_dangerous_offender
