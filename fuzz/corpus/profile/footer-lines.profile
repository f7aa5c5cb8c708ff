[source]
name = rep
agency = police
header_line = 5
footer_lines = 2
person_id = Person ID
[record]
given_name = Forename
