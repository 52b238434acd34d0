-- 016_archive_caused_by.sql — who caused an archive record is needed only
-- until its copy is delivered (their name travels in the sealed snapshot,
-- lib/archive.c). A person deleted with a log (lib/logpurge.c: a guardian
-- who withdrew the consent, say) leaves the record without them, instead of
-- an emptied row kept for the record's sake.
ALTER TABLE archive_record MODIFY caused_by BIGINT NULL;
ALTER TABLE archive_record DROP FOREIGN KEY archive_record_ibfk_3;
ALTER TABLE archive_record ADD CONSTRAINT archive_record_caused_by
	FOREIGN KEY (caused_by) REFERENCES person (id) ON DELETE SET NULL;
