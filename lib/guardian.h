/* guardian.h — the guardians of a log after it is created (DOMAIN.md §2, §4,
 * §8, §10): the holder adds one (found by number or registered, as the form
 * that creates a log does) or removes one with a reason, in the caller's
 * transaction, with the history of each change; the log's consent is then
 * recomputed (consent.h), for a new guardian has not consented and a removed
 * one's consent no longer counts. Access is decided by authz.h
 * (AUTHZ_GUARDIANS) before these are called; a removed guardian's access
 * ends with the row. Domain: knows nothing of HTTP or HTML. */
#ifndef STAFETT_GUARDIAN_H
#define STAFETT_GUARDIAN_H

#include <stdint.h>

#include "person.h"

struct session;

struct guardian {
	int64_t id; /* log_guardian.id */
	int64_t person_id;
	char *given_name; /* as registered on the log */
	char *family_name;
	char *email; /* may be NULL; so may phone */
	char *phone;
	char *first_login_at; /* NULL: registered, never logged in */
	int version;
};
/* The log's guardians in the order they were added; the count or < 0. */
int guardian_list(int64_t municipality_id, int64_t log_id, struct guardian **out);

enum guardian_outcome {
	GUARDIAN_DONE,
	GUARDIAN_ALREADY,   /* add: the number is a guardian of the log already */
	GUARDIAN_SUBJECT,   /* add: the number is the log's subject's */
	GUARDIAN_SELF,	    /* add: the number is the holder's own (SECURITY.md 29) */
	GUARDIAN_NOT_FOUND, /* remove: no such guardian in the log */
	GUARDIAN_STALE,	    /* remove: the guardian changed since the version given */
	GUARDIAN_LAST,	    /* remove: the only guardian of a log whose consent is the guardians' */
};

/* Adds p as a guardian of log_id: the person is found by number or
 * registered (person_find_or_create: the answer is the same either way, and
 * a found person's own record is not rewritten: the names and contact
 * details are kept on the log), the history records the new guardian, and
 * the consent is recomputed. 0 with *o (and *person_id when DONE), or a
 * negative db.h code; what an outcome other than DONE wrote goes with the
 * caller's rollback. */
int guardian_add(const struct session *s, int64_t log_id, const struct person_new *p, int64_t *person_id,
		 enum guardian_outcome *o);

/* Removes the guardian guardian_id of log_id if it still has VERSION, with
 * REASON in the history beside the name, and recomputes the consent. A
 * log whose consent is the guardians' keeps at least one (GUARDIAN_LAST).
 * 0 with *o, or a negative db.h code. */
int guardian_remove(const struct session *s, int64_t log_id, int64_t guardian_id, int version,
		    const char *reason, enum guardian_outcome *o);

#endif
