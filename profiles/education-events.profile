# School MIS: suspensions, permanent exclusions, children missing education and elective
# home education (Windows-1252).
[source]
name = education-events
agency = education
id_space = education
description = Exclusions, CME and EHE
encoding = windows-1252
person_id = UPN
row_id = RecordID

[record]
given_name = LegalForename
family_name = LegalSurname
dob = DOB | date %d/%m/%Y

[event]
type = EventType | map type
subtype = EventType | map subtype
started_at = StartDate | date %d/%m/%Y
ended_at = EndDate | date %d/%m/%Y
detail.exclusion_type = EventType | map subtype
detail.days = Days | number
detail.reason = Reason | lower
detail.school_urn = SchoolURN

[map type]
SUSPENSION = exclusion
PERMANENT_EXCLUSION = exclusion
CME = cme
EHE = ehe

[map subtype]
SUSPENSION = suspension
PERMANENT_EXCLUSION = permanent
* = ""
