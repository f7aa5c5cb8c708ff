# CSC case system: looked-after reviews and initial health assessments.
[source]
name = csc-lac-events
agency = csc
id_space = csc
description = CSC looked-after reviews and health assessments
person_id = PersonID
row_id = EventID

[event]
type = EventType | map type
started_at = EventDate | date iso
detail.episode_ref = EpisodeID

[map type]
REVIEW = lac_review
IHA = health_assessment
