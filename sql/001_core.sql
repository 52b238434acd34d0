-- 001_core.sql — municipalities, their units, people and staff roles, and the
-- log's skeleton. Every table with a municipality's data carries
-- municipality_id; rows people edit carry a version for optimistic locking.

CREATE TABLE municipality (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	slug VARCHAR(40) NOT NULL UNIQUE,          -- in URLs: a name, never personal data
	name VARCHAR(100) NOT NULL,
	default_lang CHAR(2) NOT NULL DEFAULT 'nb',
	consent_age TINYINT NOT NULL DEFAULT 16 CHECK (consent_age IN (15, 16)),
	consent_valid_years TINYINT NOT NULL DEFAULT 2,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE unit (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	kind ENUM('kindergarten', 'school', 'health_station', 'ppt', 'child_welfare', 'nav',
		'bup', 'statped', 'private', 'other') NOT NULL,
	name VARCHAR(150) NOT NULL,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY unit_name (municipality_id, name),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- A person as one municipality knows them. The identity number is stored only
-- encrypted (AES-256-GCM, key id beside it) and found through a keyed HMAC.
CREATE TABLE person (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	nin_sealed VARBINARY(64) NOT NULL,
	nin_key_id SMALLINT NOT NULL,
	nin_hmac BINARY(32) NOT NULL,
	given_name VARCHAR(100) NOT NULL,
	family_name VARCHAR(100) NOT NULL,
	title VARCHAR(100) NULL,
	email VARCHAR(254) NULL,
	phone VARCHAR(20) NULL,
	protected_address BOOLEAN NOT NULL DEFAULT FALSE,
	first_login_at DATETIME(3) NULL,            -- NULL: "registered, never logged in"
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY person_nin (municipality_id, nin_hmac),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Staff roles, created top-down (DOMAIN.md §8): an administrator per
-- municipality (unit_id NULL), leaders and staff per unit. A staff member may
-- create logs once their leader has cleared them.
CREATE TABLE staff_role (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	unit_id BIGINT NULL,
	role ENUM('staff', 'leader', 'admin') NOT NULL,
	cleared_at DATETIME(3) NULL,
	cleared_by BIGINT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY staff_role_once (person_id, unit_id, role),
	KEY staff_role_unit (municipality_id, unit_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id),
	FOREIGN KEY (cleared_by) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE log (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	subject_person_id BIGINT NOT NULL,
	subject_kind ENUM('child', 'youth', 'pregnancy') NOT NULL,
	expected_date DATE NULL,                    -- pregnancy only
	holder_person_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	state ENUM('draft', 'active', 'passive', 'closed') NOT NULL DEFAULT 'draft',
	bti_level TINYINT NULL CHECK (bti_level BETWEEN 0 AND 3),
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY log_holder (municipality_id, holder_person_id, state),
	KEY log_unit (municipality_id, unit_id, state),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (subject_person_id) REFERENCES person (id),
	FOREIGN KEY (holder_person_id) REFERENCES person (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Each guardian separately: parents who do not live together each have access.
CREATE TABLE log_guardian (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY log_guardian_once (log_id, person_id),
	KEY log_guardian_person (municipality_id, person_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
