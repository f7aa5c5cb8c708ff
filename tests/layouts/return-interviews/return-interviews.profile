# A return interview service: '|' lists of disclosures, an event only when a flag says Y.
[source]
name = layout-return-interviews
agency = rhi
person_id = YP Ref
row_id = InterviewID

[record]
given_name = First Name
family_name = Last Name
dob = D.O.B. | date %d.%m.%Y

[event]
type = "return_interview"
subtype = "completed"
started_at = Interview Date | date iso | required
detail.disclosures = Disclosures | list pipe

[event referral]
type = "referral"
started_at = Interview Date | date iso
when = "Referred To CSC" = 'Y'
