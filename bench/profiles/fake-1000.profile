# splink's fake_1000 layout (../shared/data/linkage/fake_1000.csv), for bench/link.sh. The
# cluster column is the truth and is not mapped.
[source]
name = fake-1000
agency = other
person_id = unique_id

[record]
given_name = first_name
family_name = surname
dob = dob | date iso
address = city
email = email
