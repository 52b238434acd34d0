/* logmove.h — a log moves to another municipality on the same installation
 * (issue 14: a handover between municipalities, accepted by the receiving
 * municipality's own staff). The log, its people and its history become
 * the receiving municipality's: every row of the log is re-labelled with
 * its municipality; the child and the guardians are found by their number
 * among the receiving municipality's people, or registered there as copies
 * of their record (the number stays sealed under the installation's key),
 * and every reference the log's rows make to them follows, and the sending
 * municipality forgets its own records of them when nothing of its own
 * names them any more (logpurge_forget); the sending municipality keeps no
 * access: every actor of the log is ended, open
 * invitations are withdrawn. Who wrote what stays as it was (the sending
 * municipality's staff by their own records). Both municipalities' audit
 * trails get a row (log.move.out and log.move.in). The audit trail and the
 * outbox stay where they were written: they are each municipality's own
 * record of what happened there, and so do the archive records (each
 * municipality archives what it held).
 *
 * Runs in the caller's transaction, after the log's row is locked and
 * access decided (handover.c, on an accepted offer). Domain: no HTTP. */
#ifndef STAFETT_LOGMOVE_H
#define STAFETT_LOGMOVE_H

#include <stddef.h>
#include <stdint.h>

struct logmove {
	int64_t log_id;
	int64_t from_municipality_id;
	int64_t to_municipality_id;
	int64_t by_person_id; /* the receiver, a person of to_municipality_id */
};

/* 0, or a negative db.h code. */
int logmove_run(const struct logmove *m);

/* The I-th table whose rows are a log's (log_id and municipality_id), NULL
 * past the last: the move re-labels each. tests/unit/test_db_logmove.c
 * holds the list against the schema, so a new table cannot be forgotten. */
const char *logmove_table(size_t i);

#endif
