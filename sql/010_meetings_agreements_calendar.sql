-- 010_meetings_agreements_calendar.sql — meetings of a log (planned, moved,
-- cancelled: each participant gets an iCalendar invitation through the
-- outbox), their minutes with comments and corrections, agreements in
-- versions, and each person's calendar feed. Times are UTC.

-- A meeting: when, how long, where (a place or a video link), what about.
-- Its calendar identity is the id; sequence rises each time it moves or is
-- cancelled, so a calendar updates the one event (RFC 5546).
CREATE TABLE meeting (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	starts_at DATETIME NOT NULL,         -- UTC
	minutes SMALLINT NOT NULL CHECK (minutes BETWEEN 5 AND 600),
	place VARCHAR(200) NULL,
	video_url VARCHAR(500) NULL,
	agenda TEXT NULL,
	sequence INT NOT NULL DEFAULT 0,
	cancelled_at DATETIME(3) NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY meeting_log (log_id, starts_at),
	KEY meeting_time (municipality_id, starts_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Who is invited (the log's people; the unit's leader may be), the address
-- the invitation went to, and, in the minutes, whether they took part.
CREATE TABLE meeting_participant (
	meeting_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	municipality_id BIGINT NOT NULL,
	relation ENUM('holder', 'actor', 'guardian', 'youth', 'leader') NOT NULL,
	email VARCHAR(254) NULL,
	attended BOOLEAN NULL,               -- the minutes: NULL until recorded
	PRIMARY KEY (meeting_id, person_id),
	KEY meeting_participant_person (person_id, meeting_id),
	FOREIGN KEY (meeting_id) REFERENCES meeting (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The minutes of a held meeting (one per meeting): whether the child, the
-- guardians and the leader took part in the discussion, what was decided,
-- the next meeting. Locked once the holder approves them; a later
-- correction is a new entry (minutes_entry), never an overwrite.
CREATE TABLE minutes (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	meeting_id BIGINT NOT NULL,
	child_took_part BOOLEAN NOT NULL DEFAULT FALSE,
	guardians_took_part BOOLEAN NOT NULL DEFAULT FALSE,
	leader_took_part BOOLEAN NOT NULL DEFAULT FALSE,
	decisions TEXT NOT NULL,
	next_meeting TEXT NULL,
	approved_at DATETIME(3) NULL,
	approved_by BIGINT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY minutes_meeting (meeting_id),
	KEY minutes_log (log_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (meeting_id) REFERENCES meeting (id),
	FOREIGN KEY (approved_by) REFERENCES person (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- New or changed measures the meeting agreed on (linked to the log's goals
-- through the measures).
CREATE TABLE minutes_measure (
	minutes_id BIGINT NOT NULL,
	measure_id BIGINT NOT NULL,
	PRIMARY KEY (minutes_id, measure_id),
	FOREIGN KEY (minutes_id) REFERENCES minutes (id),
	FOREIGN KEY (measure_id) REFERENCES measure (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A participant's comment on the minutes, or the holder's correction of
-- approved minutes: added, never changed.
CREATE TABLE minutes_entry (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	minutes_id BIGINT NOT NULL,
	kind ENUM('comment', 'correction') NOT NULL,
	person_id BIGINT NOT NULL,
	text TEXT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY minutes_entry_minutes (minutes_id, created_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (minutes_id) REFERENCES minutes (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- An agreement between the parties of a log: each change is a new version,
-- the old ones kept (the newest is the agreement now).
CREATE TABLE agreement (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,      -- the newest agreement_version
	KEY agreement_log (log_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE agreement_version (
	agreement_id BIGINT NOT NULL,
	version INT NOT NULL,
	municipality_id BIGINT NOT NULL,
	text TEXT NOT NULL,
	parties VARCHAR(500) NOT NULL,
	agreed_on DATE NOT NULL,
	review_on DATE NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (agreement_id, version),
	FOREIGN KEY (agreement_id) REFERENCES agreement (id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A person's calendar feed (/kalender/TOKEN.ics): 256 random bits, only
-- their SHA-256 kept; renewing revokes the old one.
CREATE TABLE calendar_feed (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	token_hash BINARY(32) NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	revoked_at DATETIME(3) NULL,
	UNIQUE KEY calendar_feed_token (token_hash),
	KEY calendar_feed_person (person_id, revoked_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
