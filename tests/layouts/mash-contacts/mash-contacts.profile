# Written with `svp profile draft` from extract.csv, then finished by hand (tests/layouts/README.md).
[source]
name = mash-contacts
agency = csc
person_id = Child 1 Ref
row_id = Contact ID
timezone = Europe/London

[record]
given_name = Child 1 Forename | required
family_name = Child 1 Surname | required
dob = Child 1 DOB | date %d/%m/%Y
sex = Child 1 Gender | map sex
postcode = Postcode | postcode
address = Address

# each other child the contact lists: a person of their own, at the household's address
[record child_2]
person = Child 2 Ref
given_name = Child 2 Forename
family_name = Child 2 Surname
dob = Child 2 DOB | date %d/%m/%Y
sex = Child 2 Gender | map sex
address = Address
postcode = Postcode | postcode

# each other child the contact lists: a person of their own, at the household's address
[record child_3]
person = Child 3 Ref
given_name = Child 3 Forename
family_name = Child 3 Surname
dob = Child 3 DOB | date %d/%m/%Y
sex = Child 3 Gender | map sex
address = Address
postcode = Postcode | postcode

[event]
type = "contact"
subtype = Reason | map reason
started_at = Contact Date/Time | datetime %d/%m/%Y %H:%M | required
detail.role = "child"
detail.referrer = Referrer | map referrer
detail.outcome = Outcome | map outcome

[event child_2]
person = Child 2 Ref
type = "contact"
started_at = Contact Date/Time | datetime %d/%m/%Y %H:%M
detail.role = "child"

[event child_3]
person = Child 3 Ref
type = "contact"
started_at = Contact Date/Time | datetime %d/%m/%Y %H:%M
detail.role = "child"

[map referrer]
Anonymous = anonymous
Police = police
Health = health
School = school

[map reason]
Neglect = neglect
DA notification = da_notification
Missing from home = missing_from_home
Exploitation concern = exploitation_concern

[map sex]
Female = F
Male = M

[map outcome]
NFA = nfa
Strategy = strategy
Early Help = early_help
Assessment = assessment
