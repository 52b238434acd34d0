/* archive.h — archive records (sql/014, 015; DOMAIN.md §10): at every
 * transition of a log (a handover accepted, a move to another municipality,
 * made passive, closed, consent withdrawn) a record is made in the
 * transaction of the transition, with the log as it was then (the document
 * of logdoc.h, sealed like an identity number) and the metadata a Noark 5
 * archive needs: the kind, who caused it, the unit, the document date
 * (Oslo), a public title without names, the screening code and the
 * municipality's language. The delivery job (tools/stafett-archive) claims
 * due records with a lease, lays each out as PDF/A, delivers it through the
 * municipality's channel (archive_channel.h) and reads the acknowledgement
 * back; then the snapshot is erased. Nothing outside the sealed snapshot is
 * personal data: last_error is one of the fixed reasons below.
 *
 * Domain: depends on db, crypto, config, logdoc and (for a withdrawal that
 * is acknowledged) logpurge; knows nothing of HTTP, HTML or files. */
#ifndef STAFETT_ARCHIVE_H
#define STAFETT_ARCHIVE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "db.h"

struct session;

/* Makes the archive record of a transition of log_id in the open
 * transaction: s->municipality_id is the municipality whose record it is
 * (the one that held the log: for a move, the sending one, called before
 * the log moves), s->person_id who caused it. kind: "handover", "move",
 * "passive", "closed", "withdrawn" or "reopened"; transition_id the
 * log_transition row of a handover or a move (0 for the others; its
 * from_unit is the record's unit, else the log's unit now). 0 with the
 * record made, or a negative db.h code (DB_ERROR also when the log is not
 * the municipality's): the transition must then roll back. */
int archive_queue(const struct session *s, int64_t log_id, const char *kind, int64_t transition_id);

/* The fixed reasons a record waits (archive_record.last_error): codes, put
 * in words by view_archive.c; never personal data. */
#define ARCHIVE_NO_CHANNEL "no-channel"		/* the municipality has no archive set */
#define ARCHIVE_FOLDER_MISSING "folder-missing" /* the folder does not exist */
#define ARCHIVE_FOLDER_DENIED "folder-unwritable"
#define ARCHIVE_DISK_FULL "disk-full"
#define ARCHIVE_WRITE_FAILED "write-failed"
#define ARCHIVE_SNAPSHOT_UNREADABLE "snapshot-unreadable" /* the key file lacks its key */
#define ARCHIVE_PDF_FAILED "pdf-failed"
#define ARCHIVE_REJECTED "archive-rejected" /* the archive's acknowledgement refused it */
#define ARCHIVE_ACK_UNREADABLE "ack-unreadable"

/* --- the delivery job's side --------------------------------------------
 * A record is claimed with a lease ([archive] lease_seconds) during which
 * no other job takes it; each mark below changes the row only while it is
 * still this owner's: 1 when it did, 0 when the row is no longer ours, or a
 * negative db.h code. */

struct archive_due {
	int64_t id;
	int64_t municipality_id;
	int64_t log_id;
	int64_t transition_id;
	char *kind;
	char *state; /* queued, failed (delivered again) or delivered (its acknowledgement looked for) */
	char *document_date;
	char *public_title;
	char *screening;
	char *lang;
	char *created_at;
	struct db_blob snapshot; /* sealed; NULL data once erased */
	int snapshot_key_id;
	struct db_blob pdf_sha256; /* of the delivered copy */
	int pdf_size;
	bool pdfa;
	int attempts; /* this claim included */
	char *delivered_as;
	char *municipality_name;
	char *municipality_slug;
	char *unit_name;
	char *channel; /* NULL: the municipality has no archive set */
	char *folder;
};

/* Claims up to max records that are due (queued or failed: to deliver;
 * delivered: to look for the acknowledgement) and not leased, oldest
 * first, as if later_seconds had passed (0: now; for tests and an
 * operator's "try again now"). The count in *rows (an arena array), or a
 * negative code. */
int archive_claim(const char *owner, int max, long long later_seconds, struct archive_due **rows);

/* The claimed record's snapshot opened: the log's document and who caused
 * the transition (arena string). NULL when it does not open (logged); the
 * caller json_decref()s the document. */
json_t *archive_open_snapshot(const struct archive_due *d, const char **caused_by);

/* Delivered as NAME with the PDF's SHA-256, size and whether it is PDF/A:
 * the acknowledgement is looked for from now on. */
int archive_delivered(const struct archive_due *d, const char *owner, const char *name,
		      const unsigned char sha256[32], long size, bool pdfa);

/* Not delivered, or its acknowledgement unreadable (reason: one of the
 * codes above; the state stays), or, with rejected, the archive refused the
 * copy (state failed: delivered again): tried again after
 * retry_first_seconds, doubling up to retry_max_seconds; the lease let go. */
int archive_deferred(const struct archive_due *d, const char *owner, const char *reason, bool rejected);

/* Delivered, no acknowledgement yet: looked for again after the back-off. */
int archive_waiting(const struct archive_due *d, const char *owner);

/* The archive acknowledged the copy with its reference: in one transaction
 * (opened here) the record is acknowledged, its snapshot erased, and a
 * withdrawn log's personal data deleted (logpurge.h). */
int archive_acknowledged(const struct archive_due *d, const char *owner, const char *reference);

/* Lets a claimed record go (the job is stopping): due again at once. */
int archive_release(int64_t id, const char *owner);

/* Seconds until the next attempt after this many (1 = the first). */
long long archive_retry_delay(int attempts);

/* --- the log page's side ------------------------------------------------- */

struct archive_item {
	int64_t id;
	char *kind;
	char *state;
	char *document_date;
	char *created_at;
	char *next_attempt_at;
	char *last_error;
	char *delivered_at;
	char *acknowledged_at;
	char *archive_reference;
	int attempts;
};

/* The log's records in its municipality, newest first. The count, or a
 * negative db.h code. */
int archive_list(int64_t municipality_id, int64_t log_id, struct archive_item **out);

#endif
