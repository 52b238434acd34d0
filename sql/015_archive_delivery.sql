-- 015_archive_delivery.sql — the delivery job's side of archive_record
-- (tools/stafett-archive): who holds a claimed record's lease, so a job
-- whose lease ran out cannot mark a record another job has taken since
-- (like outbox.lease_owner), and the name the record was delivered under
-- in the municipality's channel (the folder drop: NAME.pdf, NAME.xml and
-- the archive's NAME.kvittering.xml), so the acknowledgement is looked for
-- where the copy went. Neither holds personal data.
ALTER TABLE archive_record
	ADD COLUMN lease_owner VARCHAR(100) NULL AFTER lease_until,
	ADD COLUMN delivered_as VARCHAR(100) NULL AFTER delivered_at;
