-- 013_handover.sql — handing a log over (issue 14): the holder offers the
-- log to a cleared staff member of another unit (or, later, of another
-- municipality on the same installation); until the offer is accepted the
-- old holder keeps the log and it works as before. Every accepted handover
-- is a transition of the log, recorded for good and queued for the archive
-- copy (issue 15 turns the queue rows into records).

-- One offer. At most one is open ('offered', not past expires_at) per log:
-- lib/handover.c locks the log's row before it looks, so two offers at once
-- happen in turn and the second finds the first. to_municipality_id is the
-- log's own municipality within one (a move between municipalities names
-- the other). stay_as_actor: what the holder chose for themself when the
-- log is accepted (an actor for from_unit_id, or no access at all).
CREATE TABLE handover (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,         -- the log's municipality when offered
	log_id BIGINT NOT NULL,
	from_person_id BIGINT NOT NULL,          -- the holder who offered it
	from_unit_id BIGINT NOT NULL,            -- the log's unit then
	to_person_id BIGINT NOT NULL,            -- the staff member offered it
	to_unit_id BIGINT NOT NULL,              -- the unit they would hold it for
	to_municipality_id BIGINT NOT NULL,
	stay_as_actor BOOLEAN NOT NULL,
	state ENUM('offered', 'accepted', 'declined', 'withdrawn', 'expired') NOT NULL DEFAULT 'offered',
	decline_reason VARCHAR(500) NULL,        -- the receiver's words; the holder sees them
	offered_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	answered_at DATETIME(3) NULL,            -- accepted, declined, withdrawn or expired
	expires_at DATETIME(3) NOT NULL,         -- offered_at + [handover] offer_days
	version INT NOT NULL DEFAULT 1,
	KEY handover_log (log_id, state),
	KEY handover_to (to_municipality_id, to_person_id, state),
	KEY handover_due (state, expires_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (from_person_id) REFERENCES person (id),
	FOREIGN KEY (from_unit_id) REFERENCES unit (id),
	FOREIGN KEY (to_person_id) REFERENCES person (id),
	FOREIGN KEY (to_unit_id) REFERENCES unit (id),
	FOREIGN KEY (to_municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A change of the log's holder: who made it happen, from whom and which
-- unit and municipality to whom, when, and of what kind; written in the
-- transaction that changes log.holder_person_id, never changed afterwards.
-- archive_state: 'queued' until the archive (issue 15) has made the
-- transition's record, then 'archived'.
CREATE TABLE log_transition (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,         -- the log's municipality after it
	log_id BIGINT NOT NULL,
	kind ENUM('handover', 'move') NOT NULL,  -- move: to another municipality
	handover_id BIGINT NULL,
	by_person_id BIGINT NOT NULL,            -- who accepted it
	from_person_id BIGINT NOT NULL,
	from_unit_id BIGINT NOT NULL,
	from_municipality_id BIGINT NOT NULL,
	to_person_id BIGINT NOT NULL,
	to_unit_id BIGINT NOT NULL,
	to_municipality_id BIGINT NOT NULL,
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	archive_state ENUM('queued', 'archived') NOT NULL DEFAULT 'queued',
	archived_at DATETIME(3) NULL,
	KEY log_transition_log (log_id, at),
	KEY log_transition_archive (archive_state, id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (handover_id) REFERENCES handover (id),
	FOREIGN KEY (by_person_id) REFERENCES person (id),
	FOREIGN KEY (from_person_id) REFERENCES person (id),
	FOREIGN KEY (from_unit_id) REFERENCES unit (id),
	FOREIGN KEY (to_person_id) REFERENCES person (id),
	FOREIGN KEY (to_unit_id) REFERENCES unit (id),
	FOREIGN KEY (from_municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (to_municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
