# Police records system: nominals (children and adults; only the date of birth tells).
[source]
name = police-nominals
agency = police
id_space = police
description = Police nominal records
person_id = NominalID
role = by_dob

[record]
given_name = Forenames
family_name = Surname
dob = DOB | date %d/%m/%Y
sex = Sex | map sex
address = Address
postcode = Postcode | postcode
# IC codes are an officer's view of appearance, not self-defined ethnicity: kept apart.
detail.ethnic_appearance = EthnicAppearance | map ic

[map sex]
M = M
F = F
X = U

[map ic]
IC0 = ""
* = *
