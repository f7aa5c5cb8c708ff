# Emergency department system: attendances of children (CRLF line ends).
[source]
name = health-ed
agency = health
id_space = health-ed
description = Emergency department attendances
person_id = LocalPatientID
row_id = AttendanceID

[record]
full_name = PatientName | surname_first
dob = DOB | date %Y%m%d
sex = Sex | map sex
ethnicity = Ethnicity | map ethnicity
postcode = Postcode | postcode
shared_id = NHSNumber
# the next of kin's phone taken at the door (not the patient's own; docs/household.md)
detail.contact_phone = NextOfKinPhone?

[event]
type = "ed_attendance"
subtype = AttendanceReason | map reason
started_at = ArrivalDateTime | datetime iso
detail.reason = AttendanceReason | map reason
detail.arrival_mode = ArrivalMode | lower
detail.accompanied_by = AccompaniedBy | map accompanied
detail.safeguarding_referral = SafeguardingReferral | flag

[map sex]
1 = M
2 = F
9 = X
0 = U

# NHS Data Dictionary ethnic category codes.
[map ethnicity]
A = WBRI
B = WIRI
C = WOTH
D = MWBC
E = MWBA
F = MWAS
G = MOTH
H = AIND
J = APKN
K = ABAN
L = AOTH
M = BCRB
N = BAFR
P = BOTH
R = ACHN
S = OOTH
Z = REFU
99 = NOBT

[map reason]
INJURY_ASSAULT = assault
INJURY_STAB = stab_wound
INJURY_ACCIDENT = injury
SELF_HARM = self_harm
OVERDOSE = overdose
ALCOHOL = alcohol
DRUGS = drugs
MENTAL_HEALTH = mental_health
ILLNESS = illness
* = other

[map accompanied]
PARENT = parent
CARER = carer
FRIEND = friend
ADULT_NOT_FAMILY = adult_unknown
ALONE = alone
POLICE = police
* = other
