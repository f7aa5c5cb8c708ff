# A leaving-care service: semicolons and quotes, "Forename Surname", exploitation concerns
# with or without a kind.
[source]
name = layout-care-leavers
agency = csc
delimiter = semicolon
person_id = Ref
role = adult

[record]
full_name = Name | given_first
dob = DOB | date %d/%m/%Y

[event]
type = "care_leaver"
subtype = Status | map status
started_at = Since | date %d/%m/%Y

[event concern]
type = "exploitation_concern"
subtype = Concern | map concern
started_at = Since | date %d/%m/%Y
when = NOT svp_blank(Concern)

[map status]
Relevant = relevant
Former relevant = former_relevant
Qualifying = qualifying

[map concern]
CSE = cse
County lines = county_lines
* = unspecified
