# Reference geography: every postcode the extracts use, with coordinates and area.
# Out-of-county postcodes have area_code OUT.
[source]
name = geo-postcodes
agency = ref
description = Postcodes with coordinates and community area
row_id = postcode

[place]
postcode = postcode | postcode | required
lat = lat | number
lon = lon | number
area = area_code
in_county = area_code | map in-county | flag

[map in-county]
OUT = no
* = yes
