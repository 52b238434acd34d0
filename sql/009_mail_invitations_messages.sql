-- 009_mail_invitations_messages.sql — the mail Stafett sends (an outbox the
-- mailer in tools/ empties), inviting an actor by e-mailed link, a thread
-- of messages in each log with read markers, and each person's choice of
-- e-mail notices.

-- Whether a person wants e-mail notices (an invitation is always sent),
-- and in which language (NULL: the municipality's).
ALTER TABLE person
	ADD COLUMN email_notices BOOLEAN NOT NULL DEFAULT TRUE AFTER phone,
	ADD COLUMN mail_lang CHAR(2) NULL AFTER email_notices,
	ADD CONSTRAINT person_mail_lang CHECK (mail_lang IN ('nb', 'nn', 'en'));

-- One mail to send, written in the same transaction as the action that
-- causes it (lib/outbox.c), so a rolled-back action sends nothing and a
-- committed one is never forgotten. What the mail says is decided then: its
-- kind, language and values (the recipient's name, the link) as JSON,
-- sealed like an identity number, for an invitation's link carries its
-- token; the mailer renders the same bytes from them at every attempt
-- (lib/view_mail.c) and erases them once the server has the mail or it is
-- given up. The mailer (tools/stafett-mailer.c) claims a row with a lease,
-- so a mailer killed mid-send leaves it to the next one; the Message-ID
-- never changes, so a resend after a crash is recognisable.
CREATE TABLE outbox (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	person_id BIGINT NULL,           -- the recipient, when a person of the municipality
	log_id BIGINT NULL,              -- the log it is about (never named in the mail)
	kind VARCHAR(30) NOT NULL,       -- invitation, message, log_created, measure_given, ...
	message_id VARCHAR(120) NOT NULL,
	rcpt VARCHAR(254) NOT NULL,      -- the envelope recipient
	lang CHAR(2) NOT NULL,
	params_sealed BLOB NULL,
	params_key_id SMALLINT NULL,
	dedupe VARCHAR(100) NULL,        -- a job's once-only key ("evaluation:MEASURE:DATE")
	state ENUM('pending', 'sent', 'bounced', 'failed') NOT NULL DEFAULT 'pending',
	attempts INT NOT NULL DEFAULT 0,
	next_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	lease_until DATETIME(3) NULL,
	lease_owner VARCHAR(64) NULL,
	smtp_code SMALLINT NULL,         -- the server's last answer
	smtp_reply VARCHAR(300) NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	sent_at DATETIME(3) NULL,
	UNIQUE KEY outbox_message_id (message_id),
	UNIQUE KEY outbox_dedupe (dedupe),
	KEY outbox_due (state, next_at),
	KEY outbox_person (person_id, kind, created_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (log_id) REFERENCES log (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- At most one "something new for you" mail per person per interval
-- ([mail] notice_interval_minutes): the last one's time, one row per person,
-- moved forward only when the interval has passed (one statement, so two
-- messages at once cannot both send one).
CREATE TABLE notice_gate (
	person_id BIGINT PRIMARY KEY,
	last_at DATETIME(3) NOT NULL,
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- The holder invites a person to the log with a task: a staff member from
-- the directory or someone outside (Statped, BUP, a private provider), in
-- the service (unit) the consent must cover. The names and contact details
-- as the holder typed them belong to the invitation (and then the actor);
-- a registered person's own record is not rewritten. The link's token is
-- random and only its SHA-256 is kept (invitation_token); a resend makes a
-- new token and the old one dies.
CREATE TABLE invitation (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,       -- whose ID-porten login may accept it
	unit_id BIGINT NOT NULL,         -- the service they take part for
	task VARCHAR(300) NOT NULL,
	given_name VARCHAR(100) NOT NULL,
	family_name VARCHAR(100) NOT NULL,
	title VARCHAR(100) NULL,
	organisation VARCHAR(150) NULL,
	email VARCHAR(254) NOT NULL,
	phone VARCHAR(20) NULL,
	invited_by BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	expires_at DATETIME(3) NOT NULL,
	outbox_id BIGINT NULL,           -- the latest mail with the link
	accepted_at DATETIME(3) NULL,
	revoked_at DATETIME(3) NULL,
	revoked_by BIGINT NULL,
	refused_at DATETIME(3) NULL,     -- someone else logged in with the link (the last time)
	version INT NOT NULL DEFAULT 1,
	KEY invitation_log (log_id, created_at),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id),
	FOREIGN KEY (unit_id) REFERENCES unit (id),
	FOREIGN KEY (invited_by) REFERENCES person (id),
	FOREIGN KEY (revoked_by) REFERENCES person (id),
	FOREIGN KEY (outbox_id) REFERENCES outbox (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE invitation_token (
	token_hash BINARY(32) PRIMARY KEY,
	invitation_id BIGINT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	replaced_at DATETIME(3) NULL,    -- a resend made a newer one
	KEY invitation_token_invitation (invitation_id),
	FOREIGN KEY (invitation_id) REFERENCES invitation (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- An actor's task in the log, the invitation they came by (its contact
-- details), and who removed them.
ALTER TABLE log_actor
	ADD COLUMN task VARCHAR(300) NULL AFTER unit_id,
	ADD COLUMN invitation_id BIGINT NULL AFTER task,
	ADD COLUMN removed_by BIGINT NULL AFTER removed_at,
	ADD FOREIGN KEY (invitation_id) REFERENCES invitation (id),
	ADD FOREIGN KEY (removed_by) REFERENCES person (id);

-- The thread of each log between holder, actors, guardians and the young
-- person; read markers per person (the last message they have seen).
CREATE TABLE message (
	id BIGINT PRIMARY KEY AUTO_INCREMENT,
	municipality_id BIGINT NOT NULL,
	log_id BIGINT NOT NULL,
	author_person_id BIGINT NOT NULL,
	text TEXT NOT NULL,
	created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	KEY message_log (log_id, id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (author_person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE message_read (
	log_id BIGINT NOT NULL,
	person_id BIGINT NOT NULL,
	municipality_id BIGINT NOT NULL,
	last_message_id BIGINT NOT NULL,
	read_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	PRIMARY KEY (log_id, person_id),
	FOREIGN KEY (municipality_id) REFERENCES municipality (id),
	FOREIGN KEY (log_id) REFERENCES log (id),
	FOREIGN KEY (person_id) REFERENCES person (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
