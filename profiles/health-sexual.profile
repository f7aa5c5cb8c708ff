# Sexual health clinic: visits. The postcode is the outward code (district) only.
[source]
name = health-sexual
agency = health
id_space = health-sexual
description = Sexual health clinic visits
person_id = ClinicNumber
row_id = VisitID

[record]
given_name = FirstName
family_name = LastName
dob = DateOfBirth | date iso
sex = Gender | map sex
postcode = PostcodeDistrict | upper

[event]
type = "sexual_health"
subtype = Service | map service
started_at = VisitDate | date iso
detail.service = Service | lower
detail.cse_concern = SpottingTheSigns | flag

[map sex]
Male = M
Female = F
Not stated = U

[map service]
STI_TEST = sti
CONTRACEPTION = contraception
EMERGENCY_CONTRACEPTION = emergency_contraception
PREGNANCY_TEST = pregnancy
ADVICE = clinic
* = clinic
