# Drafted by `svp profile draft` from bench/foreign_county.py's ed-attendances.csv, then finished by hand
# (the lines marked 'by hand'; bench/foreign.sh).
[source]
name = foreign-ed-attendances
agency = health
# check: no column but the NHS number names the person; it is the person id
person_id = NHS Number
# check: no column or pair of columns is unique: rows are known by line
row_id = @line
# check: if the times are UK local time, say so:
# timezone = Europe/London

[record]
full_name = Patient Name | given_first | required
dob = Date of Birth | date %d/%m/%Y
shared_id = NHS Number

[event]
type = "ed_attendance"
subtype = Presenting Complaint | map presenting_complaint
started_at = Arrival | datetime iso | required

[map presenting_complaint]
Overdose = overdose
Injury = injury
Abdominal pain = abdominal_pain
Assault = assault
Intoxication = alcohol
