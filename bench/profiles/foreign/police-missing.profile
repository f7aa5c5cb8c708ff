# Drafted by `svp profile draft` from bench/foreign_county.py's police-missing.csv, then finished by hand
# (the lines marked 'by hand'; bench/foreign.sh).
[source]
name = foreign-police-missing
agency = police
person_id = Person URN
row_id = Occurrence No
# by hand
timezone = Europe/London

[record]
full_name = Name | surname_first | required
dob = DOB | date %d-%b-%Y
sex = Sex | map sex
postcode = Home Postcode | postcode

[event]
type = "missing_episode"
started_at = Reported Missing | datetime %d/%m/%Y %H:%M | required
place.name = Found Location

[map sex]
Female = F
Male = M
