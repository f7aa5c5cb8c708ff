# A school MIS attendance export: tab separated, pupil + term is the key, two-digit years.
[source]
name = layout-school-mis
agency = education
delimiter = tab
person_id = UPN
row_id = UPN + Term

[record]
given_name = Legal Forename
family_name = Legal Surname
dob = DOB | date %d/%m/%y

[event]
type = "school_attendance"
started_at = Term | term_start
ended_at = Term | term_end
detail.sessions_possible = Possible | integer
detail.sessions_missed = Missed | integer
detail.attendance_pct = expr(round(100.0 * (Possible - Missed) / Possible, 1))
detail.persistent_absence = expr((Possible - Missed) * 10 < Possible * 9)

[event excluded]
type = "exclusion"
subtype = "suspension"
started_at = Term | term_start
when = Excl = 'Y'
