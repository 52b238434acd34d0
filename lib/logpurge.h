/* logpurge.h — a log's personal data deleted once the archive has its copy
 * (issue 15): when a withdrawn consent's archive record is acknowledged
 * ("withdrawn"), and when a closed log has been kept for the municipality's
 * retention period ("retention"). Every row of the log goes (every table of
 * lib/logmove.c's list and the rows hanging off them: scopes, areas,
 * participants, versions, tokens, answers), its uploads, messages and read
 * markers, invitations, the mail about it that is not sent yet (a sent
 * mail's values are erased already; its row stays the municipality's record
 * of mail, without the log), its meetings (and the kept calendar feed text
 * of everyone it concerned, so each feed is rebuilt without them) and the
 * log's row itself, leaving a tombstone: its id, municipality, dates, why,
 * and the archive record and reference that hold it now.
 *
 * The child and the guardians go with it when nothing else of the
 * municipality names them (another log, a staff role, a row written
 * elsewhere), together with what hangs off a person (sessions, form use,
 * the notice gate, calendar feeds, their mail); an archive record that
 * names one as who caused it (it outlives the log) loses the name. Staff
 * stay. The audit trail stays (it holds no personal data) and gets one
 * row, log.purge, so its chain goes on and still verifies.
 *
 * Domain: no HTTP. Writes every table of a log, person and what hangs off
 * it, outbox, calendar_feed, log_tombstone and (through audit.c) the trail. */
#ifndef STAFETT_LOGPURGE_H
#define STAFETT_LOGPURGE_H

#include <stddef.h>
#include <stdint.h>

/* Deletes the log in the caller's open transaction (its row is locked
 * first). reason: "withdrawn" or "retention"; archive_record_id (0: none)
 * and archive_reference (NULL: none) go into the tombstone. 1 deleted, 0
 * when the municipality has no such log (deleted before), or a negative
 * db.h code (DB_ERROR also for another reason): then roll back. */
int logpurge_run(int64_t municipality_id, int64_t log_id, const char *reason, int64_t archive_record_id,
		 const char *archive_reference);

/* The person forgotten by the municipality (deleted, with what hangs off
 * them) when nothing names them any more: after a purge, and for the sending municipality's
 * records of a moved log's child and guardians (logmove.h). 1 forgotten,
 * 0 still named, or a negative db.h code. */
int logpurge_forget(int64_t municipality_id, int64_t person_id);

/* Every row of the log and the log's row itself, in the caller's open
 * transaction, without a tombstone and without its people: logpurge_run's
 * deletion, and a draft's (lib/logbook.c), which nothing was shared from.
 * 0, or a negative db.h code. */
int logpurge_rows(int64_t municipality_id, int64_t log_id);

/* The retention job's day (tools/stafett-daily.c): every closed log whose
 * closing (log.closed_at, Oslo) is at least its municipality's
 * retention_years before today ("YYYY-MM-DD") is deleted once its 'closed'
 * archive record is acknowledged, each log in its own transaction; one that
 * is not archived yet is kept and counted. */
struct logpurge_count {
	int due;	  /* closed logs past their retention period */
	int deleted;	  /* deleted now */
	int not_archived; /* kept: no acknowledged 'closed' archive record yet */
	int failed;	  /* kept: the deletion failed (logged, rolled back) */
};
/* 0, or a negative db.h code when the due logs could not be read. The logs
 * kept are reported through each (municipality, log id) to report(ctx, ...)
 * when it is not NULL, with why ("not archived" or "failed"). */
int logpurge_retention(const char *today, struct logpurge_count *c,
		       void (*report)(void *ctx, int64_t municipality_id, int64_t log_id, const char *why),
		       void *ctx);

/* Why a withdrawn log is still here: its newest 'withdrawn' archive record
 * (sql/014), which the pages put in words (lib/view_purge.c). */
struct logpurge_wait {
	char *state;	  /* queued, delivered, acknowledged, failed; NULL: no record yet */
	char *last_error; /* the record's fixed reason (archive.h), or NULL */
};
/* 0 with *w filled, or a negative db.h code. */
int logpurge_waiting(int64_t municipality_id, int64_t log_id, struct logpurge_wait *w);

/* The I-th (table, column) outside a log's own rows that may name a person
 * and keeps them (another log, a staff role, ...), NULL past the last; and
 * the I-th table of what hangs off a person (deleted with them). Held
 * against every foreign key to person by tests/unit/test_db_logpurge.c. */
const char *logpurge_naming(size_t i, const char **column);
const char *logpurge_hanging(size_t i);

#endif
