/* logbook.h — the stafettlogg itself (DOMAIN.md §1-§5): so far the summary a
 * page shows and the logs a person is related to. Named logbook because
 * log.h is the server log. Access is decided by authz.h, never here: these
 * functions return data and the caller has already asked authz. */
#ifndef STAFETT_LOGBOOK_H
#define STAFETT_LOGBOOK_H

#include <stdint.h>

struct session;

struct logbook_summary {
	int64_t id;
	char *state;
	char *subject_kind;
	char *subject_given_name;
	char *subject_family_name;
	char *unit_name;
	char *holder_given_name;
	char *holder_family_name;
	char *created_at; /* YYYY-MM-DD */
};

/* The logs the session's person has some relation to (holder, subject,
 * guardian, actor) in their municipality, newest first: candidates that the
 * caller passes through authz_check. The count, or a negative db.h code. */
int logbook_related(const struct session *s, int64_t **ids);

/* 1 found, 0 none, or a negative db.h code. */
int logbook_summary(int64_t municipality_id, int64_t log_id, struct logbook_summary *out);

struct logbook_guardian {
	char *given_name;
	char *family_name;
	char *first_login_at; /* NULL: registered, never logged in */
};
/* The log's guardians in the order they were added; the count or < 0. */
int logbook_guardians(int64_t municipality_id, int64_t log_id, struct logbook_guardian **out);

/* The interface name of a log's state ("passive" -> "Passiv"). */
const char *logbook_state_label(const char *state);

/* The interface name of a role in a log ("holder" -> "Stafettholder"), for
 * lists and the access log; "" for a name it does not know. */
const char *logbook_role_label(const char *role);

#endif
