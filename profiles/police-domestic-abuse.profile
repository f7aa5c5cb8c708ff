# Police records system: domestic abuse incidents at households with children, with the
# 27 DASH checklist answers (dash_01..dash_27: 1 yes, 0 no, absent when not known), the
# suspect's relationship to the victim and whether the suspect lives at the address (blank:
# not recorded).
[source]
name = police-domestic-abuse
agency = police
id_space = police
description = Police domestic abuse incidents with DASH
person_id = VictimNominalID
row_id = IncidentRef

[event]
type = "da_incident"
subtype = DashRisk | lower
started_at = IncidentDateTime | datetime %d/%m/%Y %H:%M
place.postcode = Postcode | postcode
place.lat = Lat | number
place.lon = Lon | number
detail.role = "victim"
detail.dash_risk = DashRisk | lower
detail.children_present = ChildrenPresent | map anyone | flag
detail.marac_referred = MaracReferral | flag
detail.suspect_relationship = SuspectRelationship | lower
detail.suspect_lives_at_address = SuspectLivesAtAddress | flag
detail.dash_01 = DASH01 | map dash | flag
detail.dash_02 = DASH02 | map dash | flag
detail.dash_03 = DASH03 | map dash | flag
detail.dash_04 = DASH04 | map dash | flag
detail.dash_05 = DASH05 | map dash | flag
detail.dash_06 = DASH06 | map dash | flag
detail.dash_07 = DASH07 | map dash | flag
detail.dash_08 = DASH08 | map dash | flag
detail.dash_09 = DASH09 | map dash | flag
detail.dash_10 = DASH10 | map dash | flag
detail.dash_11 = DASH11 | map dash | flag
detail.dash_12 = DASH12 | map dash | flag
detail.dash_13 = DASH13 | map dash | flag
detail.dash_14 = DASH14 | map dash | flag
detail.dash_15 = DASH15 | map dash | flag
detail.dash_16 = DASH16 | map dash | flag
detail.dash_17 = DASH17 | map dash | flag
detail.dash_18 = DASH18 | map dash | flag
detail.dash_19 = DASH19 | map dash | flag
detail.dash_20 = DASH20 | map dash | flag
detail.dash_21 = DASH21 | map dash | flag
detail.dash_22 = DASH22 | map dash | flag
detail.dash_23 = DASH23 | map dash | flag
detail.dash_24 = DASH24 | map dash | flag
detail.dash_25 = DASH25 | map dash | flag
detail.dash_26 = DASH26 | map dash | flag
detail.dash_27 = DASH27 | map dash | flag

[event suspect]
person = SuspectNominalID
type = "da_incident"
subtype = DashRisk | lower
started_at = IncidentDateTime | datetime %d/%m/%Y %H:%M
place.postcode = Postcode | postcode
detail.role = "perpetrator"
detail.dash_risk = DashRisk | lower
detail.marac_referred = MaracReferral | flag

# One event for each child present (Operation Encompass notifies their schools).
[event present]
person = ChildrenPresent | list ;
type = "da_incident"
subtype = DashRisk | lower
started_at = IncidentDateTime | datetime %d/%m/%Y %H:%M
place.postcode = Postcode | postcode
detail.role = "child_in_household"
detail.children_present = "yes" | flag
detail.dash_risk = DashRisk | lower

[relationship]
person = SuspectNominalID
kind = "perpetrator"
other = VictimNominalID

# The officer recorded that the suspect lives at the address: one household with the victim
# (and so with the children listed with the incident: docs/household.md).
[relationship lives_with_victim]
person = SuspectNominalID
kind = "household_member"
other = VictimNominalID
when = SuspectLivesAtAddress = 'Y'

[relationship household]
kind = "household_member"
other = ChildrenInHousehold | list ;
both_ways = yes

[map dash]
Y = yes
N = no
NK = ""

[map anyone]
* = yes
