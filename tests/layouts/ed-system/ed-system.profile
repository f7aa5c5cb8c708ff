# An emergency department system: Excel CSV (BOM, CRLF), "Title Forename SURNAME", NHS
# number, ISO times with 'T' or a space.
[source]
name = layout-ed-system
agency = health
person_id = Attendance No
role = child

[record]
full_name = Patient Name | given_first | required
dob = Date of Birth | date %d/%m/%Y
shared_id = NHS No

[event]
type = "ed_attendance"
subtype = Reason | map reason
started_at = Arrived | datetime %Y-%m-%dT%H:%M | required

[map reason]
Injury = injury
Self harm = self_harm
Sexual health = sexual_health
Overdose = overdose
