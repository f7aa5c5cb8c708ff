# Reference geography: named places (parks, stations, schools, known addresses...).
[source]
name = geo-places
agency = ref
description = Named places with kind, postcode and coordinates
row_id = place_id

[place]
name = name | required
postcode = postcode | postcode
lat = lat | number
lon = lon | number
area = area_code
kind = kind | map kind
in_county = area_code | map in-county | flag

[map kind]
PARK = park
STATION = transport
SHOPS = shop
FAST_FOOD = fast_food
CAR_PARK = car_park
LEISURE = leisure
SCHOOL = school
HOSTEL = hostel
FLAT = home
TOWN = town
* = other

[map in-county]
OUT = no
* = yes
