# Written with `svp profile draft` from extract.csv, then finished by hand (tests/layouts/README.md).
# line, and those marked 'check' first; then `svp profile check` it with --data.
[source]
name = report-export
agency = police
# check: the lines above the header are a title
header_line = 5
# check: the last lines are the report's footer (totals), not rows
footer_lines = 2
person_id = Person ID
row_id = Episode ID
role = by_dob
timezone = Europe/London

[record]
given_name = Forename | required
family_name = Surname | required
dob = Date of Birth | date iso

[event]
type = "missing_episode"
started_at = Reported Missing | datetime %b %d %Y %I:%M%p | required
ended_at = Returned | datetime iso
