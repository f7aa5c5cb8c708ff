# Adult social care: safeguarding concerns and the enquiries they led to (Care Act 2014
# s42), one row per concern, as an adult social care case system exports them: the adult,
# the concern (received, source, primary and secondary category of abuse, location and
# source of risk), the decision, and the enquiry with its risk outcome and Making
# Safeguarding Personal answers. The categories are the Safeguarding Adults Collection's
# (docs/adults.md). The [check] rules reject what cannot be true: an enquiry before its
# concern, an outcome with no enquiry, an adult under 18.
[source]
name = asc-concerns
agency = asc
id_space = asc
description = Adult social care safeguarding concerns and s42 enquiries
person_id = PersonID
row_id = SafeguardingID
role = adult

[record]
given_name = FirstName
family_name = LastName
dob = DateOfBirth | date %d/%m/%Y
sex = Gender | map sex
postcode = Postcode | postcode

[event]
type = "adult_concern"
subtype = PrimaryCategory | map abuse
started_at = ConcernReceived | date %d/%m/%Y | required
detail.abuse_type = PrimaryCategory | map abuse
detail.abuse_type2 = SecondaryCategory | map abuse
detail.concern_source = ConcernSource | map concern_source
detail.location = LocationOfRisk | map location
detail.source_of_risk = SourceOfRisk | map source_of_risk
detail.decision = Decision | map decision
detail.decided_at = DecisionDate | date %d/%m/%Y

[event enquiry]
type = "adult_enquiry"
subtype = EnquiryType | map enquiry
started_at = EnquiryStart | date %d/%m/%Y
ended_at = EnquiryConcluded | date %d/%m/%Y
optional = yes
detail.concern_ref = SafeguardingID
detail.concern_at = ConcernReceived | date %d/%m/%Y
detail.abuse_type = PrimaryCategory | map abuse
detail.abuse_type2 = SecondaryCategory | map abuse
detail.location = LocationOfRisk | map location
detail.source_of_risk = SourceOfRisk | map source_of_risk
detail.risk_assessment = RiskOutcome | map risk_outcome
detail.risk_result = RiskResult | map risk_result
detail.msp_asked = MSPAsked | map msp_asked
detail.msp_expressed = MSPOutcomesExpressed | flag
detail.msp_met = MSPOutcomesMet | map msp_met

[check enquiry_after_concern]
rule = svp_date(EnquiryStart, '%d/%m/%Y') >= svp_date(ConcernReceived, '%d/%m/%Y')
field = EnquiryStart
message = the enquiry starts before the concern it follows

[check decision_after_concern]
rule = svp_date(DecisionDate, '%d/%m/%Y') >= svp_date(ConcernReceived, '%d/%m/%Y')
field = DecisionDate
message = the decision is dated before the concern

[check outcome_needs_enquiry]
rule = (svp_blank(RiskOutcome) AND svp_blank(RiskResult) AND svp_blank(EnquiryConcluded)) OR NOT svp_blank(EnquiryStart)
field = RiskOutcome
message = an enquiry's outcome is given but no enquiry started

[check enquiry_needs_type]
rule = svp_blank(EnquiryStart) OR NOT svp_blank(EnquiryType)
field = EnquiryType
message = an enquiry started but its type (section 42 or other) is not given

[check adult]
rule = svp_date(DateOfBirth, '%d/%m/%Y') <= date(svp_date(ConcernReceived, '%d/%m/%Y'), '-18 years')
field = DateOfBirth
message = under 18 on the day of the concern: a child's concern belongs to children's social care

[map sex]
Male = M
Female = F
Other = X
Not Known = U
Unknown = U

[map abuse]
Physical Abuse = physical
Physical = physical
Sexual Abuse = sexual
Sexual = sexual
Psychological Abuse = psychological
Psychological = psychological
Financial or Material Abuse = financial
Financial = financial
Discriminatory Abuse = discriminatory
Discriminatory = discriminatory
Organisational Abuse = organisational
Organisational = organisational
Neglect and Acts of Omission = neglect
Neglect = neglect
Domestic Abuse = domestic_abuse
Sexual Exploitation = sexual_exploitation
Modern Slavery = modern_slavery
Self-Neglect = self_neglect
Self Neglect = self_neglect

[map concern_source]
Care Provider = care_provider
Health = health
Police = police
Family or Friend = family
Self = self
Member of the Public = public
Other = other

[map location]
Own Home = own_home
In the Community (excluding Community Services) = community
In a Community Service = community_service
Care Home - Residential = care_home
Care Home - Nursing = care_home
Hospital - Acute = hospital
Hospital - Mental Health = hospital
Hospital - Community = hospital
Other = other

[map source_of_risk]
Service Provider = service_provider
Other - Known to Individual = known
Other - Unknown to Individual = unknown

[map decision]
S42 Enquiry = s42_enquiry
Other Enquiry = other_enquiry
No Further Action = no_enquiry
Signposted = no_enquiry

[map enquiry]
S42 = s42
Section 42 = s42
Other = other

[map risk_outcome]
Risk identified and action taken = risk_identified_action
Risk identified and no action taken = risk_identified_no_action
No risk identified = risk_not_identified
Enquiry ceased at individual's request = ceased

[map risk_result]
Risk Removed = removed
Risk Reduced = reduced
Risk Remains = remains

[map msp_asked]
Yes = yes
No = no
Don't Know = dont_know
Not Recorded = dont_know

[map msp_met]
Fully Achieved = fully
Partially Achieved = partially
Not Achieved = not
