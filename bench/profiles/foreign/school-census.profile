# Drafted by `svp profile draft` from bench/foreign_county.py's school-census.tsv, then finished by hand
# (the lines marked 'by hand'; bench/foreign.sh).
[source]
name = foreign-school-census
agency = education
delimiter = tab
person_id = UPN

[record]
given_name = Legal Forename | required
family_name = Legal Surname | required
dob = DOB | date iso
sex = Sex
postcode = Postcode | postcode
known_as = Preferred Forename
detail.contact_phone = Contact Phone
detail.attendance_pct = Attendance % | number
