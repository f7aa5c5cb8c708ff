# A youth justice system: pipe delimited, several date formats in one column.
[source]
name = layout-youth-justice
agency = yjs
delimiter = pipe
person_id = CLIENT
row_id = YJ_ID

[record]
full_name = NAME | surname_first
dob = BORN | date %Y%m%d

[event]
type = "yj_intervention"
started_at = START | date %d/%m/%Y or iso or %d %B %Y | required
detail.outcome = OUTCOME | map outcome

[map outcome]
Completed = completed
Breach = breach
Ongoing = ongoing
