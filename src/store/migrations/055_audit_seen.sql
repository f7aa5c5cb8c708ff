-- Who a list, search, network or export showed (src/access): the ids of every person
-- (p12) and unlinked record (r9) in the reply, as ",p12,p57,r9,", so that `svp audit
-- person ID` finds list views as well as page views. Part of the entry's hash when not empty.
ALTER TABLE audit_log ADD COLUMN persons TEXT NOT NULL DEFAULT '';
