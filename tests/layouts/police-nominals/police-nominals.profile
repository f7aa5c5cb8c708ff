# A police nominals export: SURNAME Forename, occurrence + person key, Excel serial dates
# of birth, ISO/IEC 5218 sex codes.
[source]
name = layout-police-nominals
agency = police
person_id = PersonRef
row_id = OccurrenceRef + PersonRef
role = by_dob

[record]
full_name = Nominal | surname_first | required
dob = BirthSerial | date excel
sex = SexCode | map sex

[event]
type = "crime"
subtype = Role | lower
started_at = Occurred | datetime iso
detail.occurrence_ref = OccurrenceRef

[map sex]
0 = U
1 = M
2 = F
9 = U
