# Drafted by `svp profile draft` from bench/foreign_county.py's csc-cases.csv, then finished by hand
# (the lines marked 'by hand'; bench/foreign.sh).
[source]
# by hand
encoding = windows-1252
name = foreign-csc-cases
agency = csc
delimiter = semicolon
person_id = Child ID

[record]
given_name = Forename | required
family_name = Surname | required
dob = Date of Birth | date %d/%m/%y
sex = Gender
postcode = Postcode | postcode

[event]
# by hand
type = "referral"
started_at = Referral Date | date %d/%m/%Y | required

# by hand: a concern only where a flag says Y
[event cse]
type = "exploitation_concern"
subtype = "cse"
started_at = Referral Date | date %d/%m/%Y
when = "CSE Flag" = 'Y'

[event cce]
type = "exploitation_concern"
subtype = "cce"
started_at = Referral Date | date %d/%m/%Y
when = "CCE Flag" = 'Y'
