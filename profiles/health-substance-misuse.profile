# Adult drug and alcohol service: referrals of adults (one row per referral; the service's
# client number is the person), as its case system exports them. An adult's substance
# misuse is one of the 'toxic trio' needs the household view shows (docs/household.md).
[source]
name = health-substance-misuse
agency = health
id_space = substance-misuse
description = Adult drug and alcohol service referrals
person_id = ClientID
row_id = ReferralID
role = adult

[record]
given_name = Forename
family_name = Surname
dob = DateOfBirth | date iso
sex = Gender | map sex
postcode = Postcode | postcode

[event]
type = "substance_misuse"
started_at = ReferralDate | date %d/%m/%Y | required
ended_at = DischargeDate | date %d/%m/%Y
detail.substance = PrimarySubstance | map substance
detail.referral_source = ReferralSource | lower

[map sex]
Male = M
Female = F
Other = X
* = U

[map substance]
Alcohol = alcohol
Cannabis = cannabis
Cocaine = cocaine
Heroin = heroin
* = other
