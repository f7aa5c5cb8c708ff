# Youth justice case system: out-of-court disposals and court orders.
[source]
name = yjs-interventions
agency = yjs
id_space = yjs
description = Youth justice interventions
person_id = YJID
row_id = InterventionID

[record]
full_name = Name | surname_first
dob = DOB | date %d/%m/%Y
sex = Sex | map sex
ethnicity = Ethnicity | map ethnicity
postcode = Postcode | postcode

[event]
type = "yj_intervention"
subtype = InterventionType | map intervention
started_at = StartDate | date %d/%m/%Y
ended_at = EndDate | date %d/%m/%Y
detail.offence = OffenceCategory | map offence
detail.outcome = Outcome | lower

[map sex]
Male = M
Female = F
Not stated = U

[map ethnicity]
White British = WBRI
White Irish = WIRI
White Traveller = WIRT
White Gypsy Roma = WROM
White Other = WOTH
Mixed White Black Caribbean = MWBC
Mixed White Black African = MWBA
Mixed White Asian = MWAS
Mixed Other = MOTH
Asian Indian = AIND
Asian Pakistani = APKN
Asian Bangladeshi = ABAN
Asian Other = AOTH
Black Caribbean = BCRB
Black African = BAFR
Black Other = BOTH
Chinese = ACHN
Other = OOTH
Not known = NOBT

[map intervention]
TRIAGE = triage
YOUTH_CAUTION = youth_caution
YOUTH_CONDITIONAL_CAUTION = youth_conditional_caution
REFERRAL_ORDER = referral_order
YRO = yro
DTO = custody

[map offence]
DRUG_SUPPLY = drugs_supply
DRUG_POSSESSION = drugs_possession
WEAPON_POSSESSION = weapon_possession
CSE = exploitation
CCE = exploitation
ROBBERY = robbery
ASSAULT = violence
THEFT = theft
CRIMINAL_DAMAGE = criminal_damage
ANTISOCIAL = public_order
SEXUAL_OFFENCE = sexual
* = other
