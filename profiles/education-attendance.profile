# School MIS: attendance per pupil per term (Windows-1252). Persistent absence: below
# 90% of possible sessions (DfE).
[source]
name = education-attendance
agency = education
id_space = education
description = School attendance by term
encoding = windows-1252
person_id = UPN
row_id = RecordID

[record]
given_name = LegalForename
family_name = LegalSurname
dob = DOB | date %d/%m/%Y
sex = Gender | map sex
ethnicity = Ethnicity | map ethnicity
postcode = Postcode | postcode
# the priority-one contact's phone (a parent's or carer's, not the pupil's own): brothers
# and sisters who share it are one household (docs/household.md)
detail.contact_phone = ContactPhone?

[event]
type = "school_attendance"
started_at = AcademicYear + Term | term_start
ended_at = AcademicYear + Term | term_end
detail.school_urn = SchoolURN
detail.school_name = SchoolName
detail.sessions_possible = PossibleSessions | integer
detail.sessions_missed = AuthorisedAbsence + UnauthorisedAbsence | sum
detail.sessions_unauthorised = UnauthorisedAbsence | integer
detail.attendance_pct = AttendedSessions + PossibleSessions | percent
detail.persistent_absence = AttendedSessions + PossibleSessions | percent | below 90

[map sex]
M = M
F = F

[map ethnicity]
CHNE = ACHN
* = *
