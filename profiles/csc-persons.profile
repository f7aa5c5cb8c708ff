# Children's social care case system: person records (docs/extracts.md, csc_persons.csv).
[source]
name = csc-persons
agency = csc
id_space = csc
description = CSC case system person records
person_id = PersonID

[record]
given_name = Forename
family_name = Surname
dob = DateOfBirth | date iso
sex = Gender | map sex
ethnicity = Ethnicity | map ethnicity
address = AddressLine
postcode = Postcode | postcode
shared_id = NHSNumber

[map sex]
M = M
F = F
U = U
I = X

[map ethnicity]
WB = WBRI
WI = WIRI
WT = WIRT
WR = WROM
WO = WOTH
MC = MWBC
MA = MWBA
MS = MWAS
MO = MOTH
AI = AIND
AP = APKN
AB = ABAN
AO = AOTH
BC = BCRB
BA = BAFR
BO = BOTH
CH = ACHN
OO = OOTH
RF = REFU
NK = NOBT
