# Return home interview service: interviews after each missing episode (UTF-8 with BOM).
# started_at is the return the interview follows (statutory guidance: offer within 72 hours).
[source]
name = rhi-interviews
agency = rhi
id_space = rhi
description = Return home interviews
person_id = ClientID
row_id = InterviewRef

[record]
given_name = ChildFirstName
family_name = ChildLastName
dob = DOB | date %d/%m/%Y
sex = Gender | map sex

[event]
type = "return_interview"
subtype = Outcome | map outcome
started_at = ReturnDateTime | datetime %d/%m/%Y %H:%M
ended_at = CompletedDateTime | datetime %d/%m/%Y %H:%M
detail.outcome = Outcome | map outcome
detail.episode_ref = PoliceRef
detail.returned_at = ReturnDateTime | datetime %d/%m/%Y %H:%M
detail.offered_at = OfferedDateTime | datetime %d/%m/%Y %H:%M
detail.completed_at = CompletedDateTime | datetime %d/%m/%Y %H:%M
detail.disclosures = Disclosures | lower | list ;

[map sex]
Boy = M
Girl = F
Not recorded = U

[map outcome]
COMPLETED = completed
DECLINED = declined
NOT_COMPLETED = not_completed
