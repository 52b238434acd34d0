/* agreement.h — agreements in a log (DOMAIN.md §8: "agreements"): a text,
 * the parties, the date it was made and, if it is to be looked at again,
 * a review date. Changing one makes a new version and keeps the old
 * (agreement_version); the history records each change, old -> new. The
 * holder writes them (AUTHZ_WRITE), everyone who reads the log reads them
 * (AUTHZ_READ): decided by authz.h before these are called, in the
 * caller's transaction. Domain: knows nothing of HTTP or HTML. */
#ifndef STAFETT_AGREEMENT_H
#define STAFETT_AGREEMENT_H

#include <stdint.h>

struct session;

struct agreement {
	int64_t id;
	int version; /* its newest; older ones are versions below it */
	char *text;
	char *parties;
	char *agreed_on;  /* YYYY-MM-DD */
	char *review_on;  /* YYYY-MM-DD or NULL */
	char *changed_at; /* UTC, when this version was made */
	char *given_name; /* who made this version */
	char *family_name;
};

/* The log's agreements as they are now, newest first: the count or < 0. */
int agreement_list(int64_t municipality_id, int64_t log_id, struct agreement **out);
/* Every older version of the log's agreements (the newest of each left
 * out), each agreement's newest first: the count or < 0. */
int agreement_older(int64_t municipality_id, int64_t log_id, struct agreement **out);

struct agreement_in {
	const char *text;
	const char *parties;
	const char *agreed_on;
	const char *review_on; /* "" or NULL: none */
};

/* A new agreement, version 1, with its history. 0 with *id, or < 0. */
int agreement_add(const struct session *s, int64_t log_id, const struct agreement_in *in, int64_t *id);

enum agreement_outcome { AGREEMENT_DONE, AGREEMENT_NOT_FOUND, AGREEMENT_STALE };
/* Version (version + 1) of the agreement, if it still is at VERSION (a
 * stale form is told, not saved); the history keeps what changed. */
int agreement_change(const struct session *s, int64_t log_id, int64_t agreement_id, int version,
		     const struct agreement_in *in, enum agreement_outcome *o);

#endif
