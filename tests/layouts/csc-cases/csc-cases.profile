# A children's social care case system: semicolons, Windows-1252, CRLF, month-name dates,
# times in UK local time.
[source]
name = layout-csc-cases
agency = csc
encoding = windows-1252
delimiter = semicolon
person_id = ChildRef
row_id = CaseNo
timezone = Europe/London

[record]
given_name = Forename | required
family_name = Surname | required
dob = DateOfBirth | date %d-%b-%Y

[event]
type = "exploitation_concern"
subtype = Kind | map kind
started_at = Opened | datetime %d-%b-%Y %H:%M | required

[map kind]
CSE = cse
CCE = cce
County Lines = county_lines
* = unspecified
