# Written with `svp profile draft` from extract.csv, then finished by hand (tests/layouts/README.md).
# line, and those marked 'check' first; then `svp profile check` it with --data.
[source]
name = gp-patients
agency = health
# check: no column but the NHS number names the person; it is the person id
person_id = NHS No
row_id = NHS No + Date
role = by_dob

[record]
given_name = Patient Forename | required
family_name = Patient Surname | required
dob = Date of Birth | date %d/%m/%Y
sex = Sex | map sex
postcode = Post Code | postcode
address = expr(svp_join(', ', "Address Line 1", "Address Line 2", "Town"))
shared_id = NHS No

[event]
type = "ed_attendance"
subtype = Attendance Type | map attendance_type
started_at = Date | date %d/%m/%Y | required
ended_at = Date (2) | date %d/%m/%Y

[map sex]
Male = M
Female = F
Not known = U

[map attendance_type]
Walk-in = walk_in
A&E = a_e
Sexual Health = sexual_health
GP = gp
