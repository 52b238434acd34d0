-- 006_registrations_and_form_use.sql — issue 10.
--
-- A number is the person, but nobody's own record is rewritten by someone
-- else's form, and a form's answer never tells whether a number was
-- registered: the names and contact details a person was registered with are
-- kept on the relation that registration made (a guardian of one log, the
-- subject of a log, staff or leader of a unit), as typed there. NULL means
-- "as in the person's record" (rows from before this migration).
ALTER TABLE log
	ADD COLUMN subject_given_name VARCHAR(100) NULL AFTER subject_person_id,
	ADD COLUMN subject_family_name VARCHAR(100) NULL AFTER subject_given_name;
ALTER TABLE log_guardian
	ADD COLUMN given_name VARCHAR(100) NULL AFTER person_id,
	ADD COLUMN family_name VARCHAR(100) NULL AFTER given_name,
	ADD COLUMN email VARCHAR(254) NULL AFTER family_name,
	ADD COLUMN phone VARCHAR(20) NULL AFTER email;
-- Who appointed a leader or registered a staff member (SECURITY.md 29: the
-- pages say who did each appointment; nobody appoints or clears themself).
ALTER TABLE staff_role
	ADD COLUMN given_name VARCHAR(100) NULL AFTER role,
	ADD COLUMN family_name VARCHAR(100) NULL AFTER given_name,
	ADD COLUMN title VARCHAR(100) NULL AFTER family_name,
	ADD COLUMN email VARCHAR(254) NULL AFTER title,
	ADD COLUMN phone VARCHAR(20) NULL AFTER email,
	ADD COLUMN appointed_by BIGINT NULL AFTER cleared_by,
	ADD FOREIGN KEY (appointed_by) REFERENCES person (id);

-- A form's single-use token, once used (SECURITY.md R6): the keyed hash of
-- its nonce, whose it was, and where the request that used it went, so a
-- second submit of the same form goes there too instead of doing it again.
CREATE TABLE form_use (
	nonce_hash BINARY(32) PRIMARY KEY,
	municipality_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	used_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	result VARCHAR(200) NULL,
	KEY form_use_at (used_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
