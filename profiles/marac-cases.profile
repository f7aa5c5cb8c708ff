# The MARAC coordinator's list of cases heard: one row per case, the victim by police
# nominal id (the coordinator sits in the police's public protection unit), the agency that
# referred the case, the coordinator's repeat flag (a referral of the victim in the previous
# 12 months), the number of children in the household, and the data return's equality fields.
[source]
name = marac-cases
agency = police
id_space = police
description = MARAC coordinator's list of cases heard
person_id = VictimNominalID
row_id = MaracRef
role = adult

[event]
type = "marac"
started_at = HeardDate | date %d/%m/%Y
detail.referring_agency = ReferringAgency | lower
detail.repeat = Repeat | flag
detail.children = ChildrenInHousehold | integer
detail.disabled = Disabled | flag
detail.lgbt = LGBT | flag
