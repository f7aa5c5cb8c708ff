# Police records system: crimes and incidents, one row per person involved, and arrests.
[source]
name = police-occurrences
agency = police
id_space = police
description = Police occurrences (crimes, incidents) and arrests
person_id = NominalID
row_id = InvolvementID

[event]
type = OccurrenceType | map type
subtype = Role | lower
started_at = OccurrenceDateTime | datetime %d/%m/%Y %H:%M
place.name = PlaceName
place.postcode = Postcode | postcode
place.lat = Lat | number
place.lon = Lon | number
detail.role = Role | lower
detail.offence = Category | map offence
detail.exploitation = Category | map exploitation | list ;
detail.outcome = Outcome | lower
detail.occurrence_ref = OccurrenceRef

[event arrest]
optional = yes
type = "arrest"
started_at = ArrestDateTime | datetime %d/%m/%Y %H:%M
detail.offence = Category | map offence
detail.outcome = Outcome | lower
detail.occurrence_ref = OccurrenceRef

[map type]
CRIME = crime
INCIDENT = incident

[map offence]
DRUG_SUPPLY = drugs_supply
DRUG_POSSESSION = drugs_possession
WEAPON_POSSESSION = weapon_possession
CSE = exploitation
CCE = exploitation
CUCKOOING = exploitation
ROBBERY = robbery
ASSAULT = violence
THEFT = theft
CRIMINAL_DAMAGE = criminal_damage
ANTISOCIAL = public_order
SEXUAL_OFFENCE = sexual
* = other

[map exploitation]
CSE = cse
CCE = cce
CUCKOOING = cuckooing
* = ""
