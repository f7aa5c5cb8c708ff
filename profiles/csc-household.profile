# Children's social care case system: the household composition an assessment records for a
# child it knows -- the child's brothers and sisters, each by the system's person id (its own
# id for a related person the system holds no case for), with the name and date of birth the
# family gives. One row per child and member. The household view reads these as links an
# agency recorded (docs/household.md).
[source]
name = csc-household
agency = csc
id_space = csc
description = CSC household composition (siblings)
person_id = MemberID
row_id = RowID
role = child

[record]
given_name = MemberForename
family_name = MemberSurname
dob = MemberDOB | date iso
sex = MemberGender | map sex

[relationship]
kind = "sibling"
other = PersonID
both_ways = yes

[map sex]
M = M
F = F
U = U
