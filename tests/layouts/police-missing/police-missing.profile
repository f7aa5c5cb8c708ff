# A police missing-persons system: "Surname, Forename", times with seconds, found places
# that are generic or coordinates only, found-with names as free text.
[source]
name = layout-police-missing
agency = police
person_id = Subject
row_id = Report

[record]
full_name = Name | surname_first
dob = DOB | date %d/%m/%Y

[event]
type = "missing_episode"
subtype = "missing"
started_at = Missing From | datetime %d/%m/%Y %H:%M:%S | required
ended_at = Returned | datetime %d/%m/%Y %H:%M:%S
place.name = Found At
place.lat = Lat | number
place.lon = Long | number
detail.found_with = Found With | mentions ;
