# Written with `svp profile draft` from extract.csv, then finished by hand (tests/layouts/README.md).
# line, and those marked 'check' first; then `svp profile check` it with --data.
[source]
name = police-da
agency = police
person_id = Victim Ref
row_id = Incident Ref
role = adult
timezone = Europe/London

[record]
given_name = Victim Forename | required
family_name = Victim Surname | required
dob = Victim DOB | date %d/%m/%Y

# check: the suspect the row names, a person of their own
[record suspect]
person = Suspect Ref
given_name = Suspect Forename
family_name = Suspect Surname
dob = Suspect DOB | date %d/%m/%Y

[event]
type = "da_incident"
subtype = DASH Risk | map dash_risk
started_at = Incident Date | datetime %d/%m/%Y %H:%M | required
detail.role = "victim"
detail.children_present = Children Present | flag
detail.occurrence_ref = Incident Ref

[event suspect]
person = Suspect Ref
type = "da_incident"
started_at = Incident Date | datetime %d/%m/%Y %H:%M
detail.role = "perpetrator"

[relationship suspect]
kind = "perpetrator"
person = Suspect Ref
other = Victim Ref
event = suspect

[map dash_risk]
High = high
Medium = medium
Standard = standard
