# An example layout: a police missing-persons extract with the child's identity on every
# row, the found place and the ids of others found with the child. Shown in
# docs/profiles.md; the shipped profiles for the synthetic county sit beside it.
[source]
name = example-police-missing
agency = police
id_space = example-police
description = Police missing person occurrences (example layout)
encoding = utf-8
delimiter = comma
person_id = PersonID
row_id = OccurrenceID

[record]
full_name = Name | surname_first | required
dob = DOB | date %d/%m/%Y | required
sex = Gender | map sex
ethnicity = Ethnicity | map ethnicity
postcode = HomePostcode | postcode

[event]
type = "missing_episode"
subtype = Category | lower
started_at = ReportedMissing | datetime %d/%m/%Y %H:%M
ended_at = Returned | datetime %d/%m/%Y %H:%M
place.name = FoundLocation
place.postcode = FoundPostcode | postcode
place.lat = FoundLat | number
place.lon = FoundLon | number
place.in_county = FoundInCounty | flag
detail.returned_at = Returned | datetime %d/%m/%Y %H:%M
detail.found_place = FoundLocation
detail.found_out_of_county = FoundOutOfCounty | flag
detail.risk_level = Risk | lower

[relationship]
kind = "found_with"
other = FoundWith | list ;
both_ways = yes

[map sex]
1 = M
2 = F
9 = X
0 = U

[map ethnicity]
W1 = WBRI
W2 = WIRI
W9 = WOTH
M1 = MWBC
A1 = AIND
B1 = BCRB
B2 = BAFR
NS = NOBT
* = NOBT
