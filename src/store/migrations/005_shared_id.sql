-- An identifier more than one agency may record for the same person (an NHS number held by
-- health and by children's social care, a national insurance number): the linker compares
-- it when both records carry one (docs/model.md).
ALTER TABLE record ADD COLUMN shared_id TEXT;
