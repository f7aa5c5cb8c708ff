# Drafted by `svp profile draft` from bench/foreign_county.py's mash-contacts.csv, then finished by hand
# (the lines marked 'by hand'; bench/foreign.sh).
[source]
name = foreign-mash-contacts
agency = csc
person_id = Contact ID

[record]
given_name = Child 1 Forename | required
family_name = Child 1 Surname | required
dob = Child 1 DOB | date %d/%m/%Y
postcode = Postcode | postcode
address = Address

# check: the child the row names, a person of their own
[record child_2]
person = Child 2 Surname + Child 2 Forename + Child 2 DOB
given_name = Child 2 Forename
family_name = Child 2 Surname
dob = Child 2 DOB | date %d/%m/%Y
address = Address
postcode = Postcode | postcode

# check: the child the row names, a person of their own
[record child_3]
person = Child 3 Surname + Child 3 Forename + Child 3 DOB
given_name = Child 3 Forename
family_name = Child 3 Surname
dob = Child 3 DOB | date %d/%m/%Y
address = Address
postcode = Postcode | postcode

[event]
type = "contact"
subtype = Reason | map reason
started_at = Contact Date | date %d/%m/%Y | required
detail.role = "child"

[event child_2]
person = Child 2 Surname + Child 2 Forename + Child 2 DOB
type = "contact"
started_at = Contact Date | date %d/%m/%Y
detail.role = "child"

[event child_3]
person = Child 3 Surname + Child 3 Forename + Child 3 DOB
type = "contact"
started_at = Contact Date | date %d/%m/%Y
detail.role = "child"

[map reason]
Missing = missing
Neglect = neglect
DA notification = da_notification
