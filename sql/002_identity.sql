-- 002_identity.sql — login through ID-porten (one OpenID Connect client per
-- municipality), sessions, the hash-chained audit trail, rate limits, and the
-- relations the access rules need: actors and the services consent covers.

-- The client secret is sealed like identity numbers (crypto.c), key id beside it.
CREATE TABLE municipality_oidc (
	municipality_id BIGINT PRIMARY KEY,
	issuer VARCHAR(255) NOT NULL,
	client_id VARCHAR(255) NOT NULL,
	secret_sealed VARBINARY(600) NOT NULL,
	secret_key_id SMALLINT NOT NULL,
	version INT NOT NULL DEFAULT 1,
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One login in flight: state, nonce and PKCE verifier kept server-side, found
-- by the SHA-256 of state and bound to the browser that started it.
CREATE TABLE login_attempt (
	state_hash BINARY(32) PRIMARY KEY,
	browser_hash BINARY(32) NOT NULL,
	municipality_id BIGINT NOT NULL,
	nonce CHAR(43) NOT NULL,
	verifier CHAR(64) NOT NULL,
	lang CHAR(2) NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	used_at DATETIME(3) NULL,
	KEY login_attempt_age (created_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Sessions: the cookie holds 256 random bits; only their SHA-256 is stored.
CREATE TABLE session (
	id_hash BINARY(32) PRIMARY KEY,
	municipality_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	csrf CHAR(64) NOT NULL,
	-- Copied at login so that checking a session reads this row alone (it
	-- runs on every request); a renamed person shows the new name next login.
	given_name VARCHAR(100) NOT NULL,
	family_name VARCHAR(100) NOT NULL,
	municipality_slug VARCHAR(40) NOT NULL,
	oidc_sid VARCHAR(255) NULL,
	id_token_sealed VARBINARY(8192) NULL,  -- for id_token_hint at logout
	id_token_key_id SMALLINT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY session_person (municipality_id, person_id),
	KEY session_sid (oidc_sid),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Every read and write of a log, and every security event. Append-only for the
-- application (grants.sql: INSERT and SELECT); each row holds SHA-256 over the
-- previous row's hash and its own content (lib/audit.c says exactly which
-- bytes), checked by `stafett-admin verify-audit`. Ids are given by the
-- application from audit_head, so a deleted row shows as a gap. No personal
-- data: people and logs by internal id; detail is a fixed reason text.
CREATE TABLE audit_log (
	id BIGINT PRIMARY KEY,
	municipality_id BIGINT NULL,
	at DATETIME(3) NOT NULL,
	person_id BIGINT NULL,
	role VARCHAR(20) NOT NULL,
	log_id BIGINT NULL,
	action VARCHAR(40) NOT NULL,
	outcome VARCHAR(20) NOT NULL,
	detail VARCHAR(80) NULL,
	request_id CHAR(32) NOT NULL,
	prev_hash BINARY(32) NOT NULL,
	hash BINARY(32) NOT NULL,
	KEY audit_log_log (log_id, at),
	KEY audit_log_person (person_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- One row, locked by every audit insert so the chain stays a single line.
CREATE TABLE audit_head (
	id TINYINT PRIMARY KEY,
	last_hash BINARY(32) NOT NULL,
	count BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT INTO audit_head (id, last_hash, count) VALUES (1, UNHEX(REPEAT('00', 32)), 0);

-- Fixed-window counters per address and per person (SHA-256 of the key).
CREATE TABLE rate_limit (
	bucket BINARY(32) PRIMARY KEY,
	window_start DATETIME NOT NULL,
	hits INT NOT NULL
) ENGINE=InnoDB;

-- Actors: people responsible for measures, from their unit (DOMAIN.md §2).
CREATE TABLE log_actor (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	removed_at DATETIME(3) NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	UNIQUE KEY log_actor_once (log_id, person_id, unit_id),
	KEY log_actor_person (municipality_id, person_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The services the consent to cooperation covers (DOMAIN.md §4): an actor
-- sees the log only while their unit is covered and the consent is valid.
CREATE TABLE consent_service (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	unit_id BIGINT NOT NULL,
	valid_until DATE NOT NULL,
	withdrawn_at DATETIME(3) NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	version INT NOT NULL DEFAULT 1,
	KEY consent_service_log (log_id, unit_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The subject's birth date decides the consent age without decrypting numbers.
ALTER TABLE person ADD COLUMN birth_date DATE NULL AFTER nin_hmac;
