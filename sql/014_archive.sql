-- 014_archive.sql — the archive (issue 15): a PDF/A copy of the whole log at
-- every transition and at closing, delivered to the municipality's archive
-- through its channel and acknowledged; withdrawal and retention that delete
-- every piece of a log's personal data once the archive has its copy,
-- leaving a tombstone; reopening a closed log with the guardians' approval.

-- Where a municipality's archive copies go. 'folder': a folder drop an
-- archive system imports from (the PDF and a metadata XML per record,
-- written atomically; an acknowledgement file read back). KS Fiks Arkiv
-- would be a second channel behind the same interface (README).
CREATE TABLE municipality_archive (
	municipality_id BIGINT PRIMARY KEY,
	channel ENUM('folder') NOT NULL DEFAULT 'folder',
	folder VARCHAR(500) NOT NULL,            -- absolute path, the operator's setting
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One archive record (a Noark 5 registry entry in the child's folder, keyed
-- by the log id): made in the transaction of the transition it records, with
-- the log as it was then (the export's JSON, sealed like an identity number,
-- erased once the archive has acknowledged the copy). The delivery job
-- (tools/stafett-archive) lays it out as PDF/A, records its SHA-256, size and
-- that it is PDF/A-2b, delivers it and reads the acknowledgement back. No
-- personal data outside the sealed snapshot: the public title has no names,
-- last_error is a fixed reason. Each municipality's own record of what it
-- archived: it stays with the municipality that made it (a move does not
-- take it along) and outlives the log's deletion (log_id without a foreign
-- key, like the audit trail).
CREATE TABLE archive_record (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	kind ENUM('handover', 'move', 'passive', 'closed', 'withdrawn', 'reopened') NOT NULL,
	transition_id BIGINT NULL,               -- log_transition, for a handover or a move
	caused_by BIGINT NOT NULL,               -- who made the transition happen
	unit_id BIGINT NOT NULL,                 -- the unit holding the log then
	document_date DATE NOT NULL,             -- Oslo date of the transition
	public_title VARCHAR(200) NOT NULL,      -- offentligTittel: no names
	screening VARCHAR(60) NOT NULL DEFAULT 'Offl. § 13 jf. fvl. § 13',
	lang CHAR(2) NOT NULL,                   -- the municipality's language then (nb, nn)
	snapshot MEDIUMBLOB NULL,                -- sealed JSON (crypto.h); NULL once acknowledged
	snapshot_key_id SMALLINT NULL,
	pdf_sha256 BINARY(32) NULL,
	pdf_size INT NULL,
	pdfa BOOLEAN NOT NULL DEFAULT FALSE,     -- made as PDF/A-2b (Ghostscript) and checked
	state ENUM('queued', 'delivered', 'acknowledged', 'failed') NOT NULL DEFAULT 'queued',
	attempts INT NOT NULL DEFAULT 0,
	next_attempt_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	lease_until DATETIME(3) NULL,            -- claimed by a job until then
	last_error VARCHAR(200) NULL,
	delivered_at DATETIME(3) NULL,
	acknowledged_at DATETIME(3) NULL,
	archive_reference VARCHAR(100) NULL,     -- the archive's own id, from its acknowledgement
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY archive_record_log (log_id, id),
	KEY archive_record_due (state, next_attempt_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (transition_id) REFERENCES log_transition (id) ON DELETE SET NULL,
	FOREIGN KEY (caused_by) REFERENCES person (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- What is left of a deleted log: its id, municipality, dates and where the
-- archive keeps it. No personal data.
CREATE TABLE log_tombstone (
	log_id BIGINT PRIMARY KEY,               -- the deleted log's id (the log is gone: no key)
	municipality_id BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL,         -- the log's
	closed_at DATETIME(3) NULL,
	deleted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	reason ENUM('withdrawn', 'retention') NOT NULL,
	archive_record_id BIGINT NULL,
	archive_reference VARCHAR(100) NULL,
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Reopening a closed log (DOMAIN.md §3): the holder asks, with a reason;
-- each guardian (or the young person) whose consent the log rests on
-- answers; only when all have approved is the log active again and staff
-- see its old contents.
CREATE TABLE reopen_request (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	requested_by BIGINT NOT NULL,
	reason VARCHAR(500) NOT NULL,
	state ENUM('asked', 'approved', 'refused', 'withdrawn') NOT NULL DEFAULT 'asked',
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	decided_at DATETIME(3) NULL,
	version INT NOT NULL DEFAULT 1,
	KEY reopen_request_log (log_id, state),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (requested_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE reopen_answer (
	request_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,               -- a guardian or the young person
	municipality_id BIGINT NOT NULL,
	approved BOOLEAN NOT NULL,
	answered_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (request_id, person_id),
	FOREIGN KEY (request_id) REFERENCES reopen_request (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
