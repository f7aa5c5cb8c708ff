# CSC case system: looked-after episodes, each with its placement.
[source]
name = csc-looked-after
agency = csc
id_space = csc
description = CSC looked-after episodes and placements
person_id = PersonID
row_id = EpisodeID

[event]
type = "looked_after"
subtype = LegalStatus | upper
started_at = StartDate | date iso
ended_at = EndDate | date iso
detail.legal_status = LegalStatus | upper
detail.reason_ended = EndReason | lower

[event placement]
type = "placement"
subtype = PlacementType | map placement
started_at = StartDate | date iso
ended_at = EndDate | date iso
place.postcode = PlacementPostcode | postcode
detail.placement_type = PlacementType | map placement
detail.out_of_county = OutOfCounty | flag
detail.distance_miles = DistanceMiles | number

[map placement]
FOSTER_LA = foster
FOSTER_AGENCY = foster
KINSHIP = kinship
CHILDRENS_HOME = residential
SEMI_INDEPENDENT = semi_independent
WITH_PARENTS = parents
* = other
