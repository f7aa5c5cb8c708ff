# Reference geography: the county's community areas (synthetic county, docs/extracts.md).
[source]
name = geo-areas
agency = ref
description = Community areas with their centres
row_id = area_code

[place]
name = name | required
area = area_code
lat = lat | number
lon = lon | number
kind = "area"
in_county = "yes" | flag
