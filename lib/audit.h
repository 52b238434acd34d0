/* audit.h — the audit trail: every read and write of a log, and every
 * security event (login, logout, denial), one row each in audit_log. Rows are
 * hash-chained: each holds SHA-256 over the previous row's hash and its own
 * content, so an edited or deleted row is found by audit_verify(). The
 * application's database account may only INSERT and SELECT on audit_log.
 * Rows never hold personal data: people and logs by internal id, and detail
 * is a fixed English reason ("wrong nonce") or the internal id of what the
 * row is about when it is not a log ("unit 12"), never user input. */
#ifndef STAFETT_AUDIT_H
#define STAFETT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

/* What is hashed. The canonical text of a row is its ten fields id,
 * municipality_id, at, person_id, role, log_id, action, outcome, detail and
 * request_id, in this order, each followed by the byte 0x1F; a NULL field is
 * the single byte 0x00 instead of text. Ids are decimal, at is the stored
 * "YYYY-MM-DD HH:MM:SS.mmm" (UTC). A row with items (a list of logs read at
 * once, in audit_log_item) continues with each item in ascending log id:
 * the log id in decimal, 0x1E, the role, 0x1E. Text fields never hold a byte
 * below 0x20 (audit_append refuses them, audit_verify fails a row that has
 * one), so no two rows have the same text. A row's hash is SHA-256 over the
 * previous row's hash (32 zero bytes before the first row) followed by its
 * canonical text; row ids run 1, 2, 3, ... without gaps, and audit_head holds
 * the last hash and the number of rows. */

/* One log of a list read at once, and the relation it was read under. */
struct audit_item {
	int64_t log_id;
	const char *role;
};

/* One row. 0 for an id means "none" (stored as NULL); detail may be NULL.
 * A list page's read of many logs is one row with log_id 0 and the logs in
 * items (each once): every log read is recorded, in one row and one small
 * item row per log, all covered by the row's hash. */
struct audit_entry {
	int64_t municipality_id;
	int64_t person_id;
	const char *role; /* "holder", "guardian", ..., "anonymous", "system" */
	int64_t log_id;
	const char *action;  /* "log.read", "login", "login.failed", "logout", ... */
	const char *outcome; /* "allow", "deny", "ok", "refused" */
	const char *detail;
	const struct audit_item *items;
	size_t nitems;
};

/* Appends inside the caller's open transaction, so the row commits or rolls
 * back with the read or write it records: the entry is checked now and kept,
 * and db_commit chains it onto the trail just before COMMIT (db_at_commit),
 * all of the transaction's rows under one lock of the chain head, which is
 * held for the commit alone. A failure there fails the commit. 0, or a
 * negative db.h code: DB_ERROR outside a transaction, or for an entry without
 * role, action or outcome or with a control character. An empty detail is
 * stored as NULL. */
int audit_append(const struct audit_entry *e);

/* As audit_append, for a row that stays even if the transaction is rolled
 * back: a look-up that happened, a page that was shown although the request
 * failed. Committed with the transaction like any row; after a rollback,
 * audit_rolled_back appends these rows in a transaction of their own. */
int audit_append_kept(const struct audit_entry *e);
/* After the transaction was rolled back: its rows appended with
 * audit_append_kept, in one transaction of their own. Call it before the
 * next transaction begins (the request lifecycle does). 0 (also when there
 * were none), or a negative db.h code. */
int audit_rolled_back(void);

/* Appends in a transaction of its own and commits: for security events that
 * must stay even though the request fails. Must not be called inside a
 * transaction. 0, or a negative db.h code. */
int audit_event(const struct audit_entry *e);

/* Walks the whole chain in id order. 0 if intact (*rows = rows checked), 1
 * if broken (*first_bad = id of the first row that does not verify, or of the
 * row after a gap, or -1 if the head disagrees with the last row), or a
 * negative db.h code. Reads one snapshot in a read-only transaction of its
 * own (so must not be called inside one), a thousand rows at a time; the
 * rows come from the arena, so a tool checking millions of rows needs
 * memory for them until it resets the arena. */
int audit_verify(int64_t *rows, int64_t *first_bad);

/* Who has read a log, one row per person, role and day: the reads
 * ("log.*" actions allowed, and the lists it was on) grouped by the date
 * they fell on in Oslo (lib/tz.h), newest day first and, within a day, the
 * latest reader first; at most limit rows from the offset-th (0 the
 * newest). *groups is how many such rows there are, *total how many reads.
 * Only rows of municipality_id count. The number of rows in *out (arena
 * array), or a negative db.h code. */
struct audit_reader_day {
	char *day; /* "YYYY-MM-DD", the date in Oslo */
	int64_t reads;
	char *first; /* "YYYY-MM-DD HH:MM" UTC, the day's first read */
	char *last;  /* and its last */
	char *given_name;
	char *family_name;
	char *role;  /* the relation read under: "holder", "guardian", ... */
	char *unit;  /* a holder's or actor's unit in the log, else NULL */
	char *title; /* their title there, else NULL */
};
int audit_reads(int64_t municipality_id, int64_t log_id, int limit, int64_t offset,
		struct audit_reader_day **out, int64_t *groups, int64_t *total);

#endif
