-- 003_log.sql — the log's contents (DOMAIN.md §1-§5, §8): basic data and the
-- child's own voice, the two consents and the signed forms, concerns with
-- development areas, goals, measures and their evaluations, notes and
-- glimpses of light, guardians' requests to change the state, and the
-- history of every change. Every table carries municipality_id; rows people
-- edit carry a version for optimistic locking. Free text is bounded by the
-- settings in [log] (conf/stafett.conf.example), checked before it is stored.

ALTER TABLE log
	ADD COLUMN created_by BIGINT NULL AFTER unit_id,
	ADD COLUMN basic_info TEXT NULL AFTER bti_level,
	ADD COLUMN child_voice TEXT NULL AFTER basic_info,
	-- Kept by lib/consent.c: the establishing consent is complete and valid
	-- until this date (NULL: not complete); withdrawn_at: a consent to
	-- establish was withdrawn, the log is locked and queued for archiving.
	ADD COLUMN consent_until DATE NULL AFTER state,
	ADD COLUMN withdrawn_at DATETIME(3) NULL AFTER consent_until,
	ADD COLUMN closed_at DATETIME(3) NULL AFTER withdrawn_at,
	ADD KEY log_subject (municipality_id, subject_person_id),
	ADD KEY log_consent (municipality_id, state, consent_until),
	ADD FOREIGN KEY (created_by) REFERENCES person (id);

-- Uploaded documents (a signed consent form as PDF, JPEG or PNG). Kept in
-- the database, so they are in the same transaction and backup as the rest,
-- and never under the web root; served only through a program.
CREATE TABLE document (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	media_type VARCHAR(40) NOT NULL,     -- from the bytes (magic), never from the browser
	size INT NOT NULL,
	sha256 BINARY(32) NOT NULL,
	data MEDIUMBLOB NOT NULL,
	uploaded_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY document_log (log_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (uploaded_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One consent given by one person (a guardian, the young person at the
-- consent age, or the pregnant woman), of one kind: to establish the log,
-- or to cooperation and information sharing with the services in its scope
-- (consent_scope). Renewal and widening add a new row; withdrawal marks the
-- row. consent_service (002) is derived from these rows by lib/consent.c.
CREATE TABLE consent (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	kind ENUM('establish', 'cooperate') NOT NULL,
	person_id BIGINT NOT NULL,
	method ENUM('signed_form', 'digital') NOT NULL,
	given_at DATE NOT NULL,
	valid_until DATE NOT NULL,
	document_id BIGINT NULL,
	recorded_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	withdrawn_at DATETIME(3) NULL,
	withdrawn_by BIGINT NULL,
	version INT NOT NULL DEFAULT 1,
	KEY consent_log (log_id, kind, person_id),
	KEY consent_expiry (municipality_id, valid_until),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (document_id) REFERENCES document (id),
	FOREIGN KEY (recorded_by) REFERENCES person (id),
	FOREIGN KEY (withdrawn_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE consent_scope (
	consent_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	PRIMARY KEY (consent_id, unit_id),
	FOREIGN KEY (consent_id) REFERENCES consent (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Development areas for concerns: a default list for every municipality
-- (municipality_id NULL), to which a municipality may add its own.
CREATE TABLE development_area (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NULL,
	code VARCHAR(40) NOT NULL,
	name_nb VARCHAR(100) NOT NULL,
	name_nn VARCHAR(100) NOT NULL,
	name_en VARCHAR(100) NOT NULL,
	sort SMALLINT NOT NULL DEFAULT 0,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	UNIQUE KEY development_area_code (municipality_id, code),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

INSERT INTO development_area (code, name_nb, name_nn, name_en, sort) VALUES
	('motor', 'Motorikk', 'Motorikk', 'Motor skills', 10),
	('language', 'Språk og kommunikasjon', 'Språk og kommunikasjon', 'Language and communication', 20),
	('behaviour', 'Atferd', 'Åtferd', 'Behaviour', 30),
	('social', 'Sosial utvikling og vennskap', 'Sosial utvikling og venskap', 'Social development and friendship', 40),
	('wellbeing', 'Trivsel og psykisk helse', 'Trivsel og psykisk helse', 'Well-being and mental health', 50),
	('learning', 'Læring', 'Læring', 'Learning', 60),
	('absence', 'Skolefravær', 'Skulefråvær', 'School absence', 70),
	('health', 'Fysisk helse', 'Fysisk helse', 'Physical health', 80),
	('home', 'Hjemmesituasjon', 'Heimesituasjon', 'Home situation', 90),
	('parents_apart', 'Foreldre som ikke bor sammen', 'Foreldre som ikkje bur saman', 'Parents living apart', 100),
	('complex', 'Sammensatte behov', 'Samansette behov', 'Complex needs', 110);

-- What the concern is (nb oppmerksomhet, nn merksemd); changes as
-- understanding grows (history keeps the old text).
CREATE TABLE concern (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	title VARCHAR(200) NOT NULL,
	description TEXT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY concern_log (log_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE concern_area (
	concern_id BIGINT NOT NULL,
	area_id BIGINT NOT NULL,
	PRIMARY KEY (concern_id, area_id),
	FOREIGN KEY (concern_id) REFERENCES concern (id),
	FOREIGN KEY (area_id) REFERENCES development_area (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE goal (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	concern_id BIGINT NOT NULL,
	text TEXT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY goal_log (log_id),
	KEY goal_concern (concern_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (concern_id) REFERENCES concern (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A measure (tiltak): who does what, from when, by when, and when it is
-- evaluated. The responsible person is an actor of the log (log_actor).
CREATE TABLE measure (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	goal_id BIGINT NOT NULL,
	description TEXT NOT NULL,
	responsible_person_id BIGINT NOT NULL,
	start_date DATE NULL,
	deadline DATE NULL,
	evaluation_date DATE NULL,
	status ENUM('planned', 'ongoing', 'completed', 'stopped') NOT NULL DEFAULT 'planned',
	created_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY measure_log (log_id),
	KEY measure_goal (goal_id),
	KEY measure_responsible (municipality_id, responsible_person_id, status, evaluation_date),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (goal_id) REFERENCES goal (id),
	FOREIGN KEY (responsible_person_id) REFERENCES person (id),
	FOREIGN KEY (created_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE evaluation (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	measure_id BIGINT NOT NULL,
	category ENUM('achieved', 'partly', 'not_achieved', 'ended') NOT NULL,
	text TEXT NULL,
	by_person_id BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY evaluation_measure (measure_id),
	KEY evaluation_log (log_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (measure_id) REFERENCES measure (id),
	FOREIGN KEY (by_person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Short notes by the holder, actors and guardians, optionally about one
-- concern; a glimpse of light (lysglimt) is a note marked as good news.
CREATE TABLE note (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	concern_id BIGINT NULL,
	author_person_id BIGINT NOT NULL,
	text TEXT NOT NULL,
	glimpse BOOLEAN NOT NULL DEFAULT FALSE,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY note_log (log_id, created_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (concern_id) REFERENCES concern (id),
	FOREIGN KEY (author_person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A guardian (or the young person) asks for the log to be made passive or
-- closed; the holder sees the request and decides.
CREATE TABLE state_request (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	wanted ENUM('passive', 'closed') NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	handled_at DATETIME(3) NULL,
	handled_by BIGINT NULL,
	KEY state_request_log (log_id, handled_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (handled_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Every change to a log, field by field: who, when, old -> new (the holder
-- reads it). Written by lib/history.c in the change's own transaction.
CREATE TABLE log_history (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	entity VARCHAR(30) NOT NULL,   -- log, concern, goal, measure, consent, ...
	entity_id BIGINT NOT NULL,
	field VARCHAR(40) NOT NULL,
	old_value TEXT NULL,
	new_value TEXT NULL,
	KEY log_history_log (log_id, at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
