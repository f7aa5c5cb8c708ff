# FEBRL synthetic benchmark layout (../shared/data/linkage/febrl_*.csv), for bench/link.sh.
# rec_id holds the truth (rec-N-org, rec-N-dup-k): it is only the record's id here; the
# matcher never reads it. soc_sec_id is the shared identifier (like an NHS number, it is
# sometimes keyed wrong); state is not mapped.
[source]
name = febrl
agency = other
person_id = rec_id

[record]
given_name = given_name
family_name = surname
dob = date_of_birth | date %Y%m%d
postcode = postcode
address = street_number + address_1 + address_2 + suburb
shared_id = soc_sec_id
