# Police records system: missing episodes, where each child was found and who with.
[source]
name = police-missing
agency = police
id_space = police
description = Police missing person episodes
person_id = NominalID
row_id = OccurrenceRef

[event]
type = "missing_episode"
subtype = "missing"
started_at = MissingFromDateTime | datetime %d/%m/%Y %H:%M | required
ended_at = ReturnedDateTime | datetime %d/%m/%Y %H:%M
place.name = FoundLocation | map found-place
place.postcode = FoundPostcode | postcode
place.lat = FoundLat | number
place.lon = FoundLon | number
place.in_county = OutOfCounty | map inverse | flag
detail.reported_at = ReportedDateTime | datetime %d/%m/%Y %H:%M
detail.returned_at = ReturnedDateTime | datetime %d/%m/%Y %H:%M
detail.risk_level = RiskGrade | lower
detail.missing_from = MissingFrom | lower
detail.looked_after = MissingFrom | map in-care | flag
detail.found_place = FoundLocation
detail.found_out_of_county = OutOfCounty | flag
detail.returned_by = ReturnedBy | lower

[relationship]
kind = "found_with"
other = FoundWith | list ;
both_ways = yes

# Found "at home" or "unknown" names no place; the postcode still locates home.
[map found-place]
HOME_ADDRESS = ""
UNKNOWN = ""
* = *

[map inverse]
Y = no
N = yes

[map in-care]
CARE_PLACEMENT = yes
* = no
