# CSC case system: private fostering notifications, visits and ends.
[source]
name = csc-private-fostering
agency = csc
id_space = csc
description = CSC private fostering arrangements
person_id = PersonID
row_id = RecordID

[event]
type = "private_fostering"
subtype = RecordType | lower
started_at = RecordDate | date iso
detail.arrangement_ref = ArrangementID
detail.arrangement_began_at = ArrangementStart | date iso
