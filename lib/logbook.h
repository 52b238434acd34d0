/* logbook.h — the stafettlogg itself (DOMAIN.md §1-§5): the log's own row as
 * pages show it, the lines of a list of logs, creating a log, its basic data
 * (with a version) and its states (DOMAIN.md §3) with guardians' requests. Named logbook because
 * log.h is the server log. Access is decided by authz.h, never here: these
 * functions return data and the caller has already asked authz. */
#ifndef STAFETT_LOGBOOK_H
#define STAFETT_LOGBOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "person.h"

struct session;

/* The log's own row, with the names of its subject, holder and unit: what
 * every page of a log shows, read once per page. */
struct logbook_summary {
	int64_t id;
	char *state;
	char *subject_kind;
	char *subject_given_name;
	char *subject_family_name;
	char *expected_date; /* YYYY-MM-DD, a pregnancy's; NULL otherwise */
	char *unit_name;
	char *holder_given_name;
	char *holder_family_name;
	char *created_at;      /* YYYY-MM-DD HH:MM (UTC): {{date}} shows its Oslo date */
	int bti_level;	       /* 0-3, -1 not assessed */
	char *basic_info;      /* may be NULL */
	char *child_voice;     /* may be NULL */
	int version;	       /* log.version */
	char *consent_until;   /* YYYY-MM-DD, NULL without a complete establishing consent */
	int consent_days_left; /* consent_until - today; 0 when consent_until is NULL */
	bool withdrawn;	       /* log.withdrawn_at is set */
};

/* One line of a list of logs ("my logs"). */
struct logbook_item {
	int64_t id;
	char *state;
	char *given_name; /* the subject */
	char *family_name;
	char *unit_name;
	char *consent_until;   /* YYYY-MM-DD, or NULL: no complete establishing consent */
	int consent_days_left; /* consent_until - today (negative: passed) */
	bool withdrawn;	       /* log.withdrawn_at is set */
};
/* The logs ids[0..n-1] of the municipality, in that order (an id of another
 * municipality or none is left out), in one statement: for list pages whose
 * caller has asked authz (authz_related). The count, or a negative db.h code. */
int logbook_items(int64_t municipality_id, const int64_t *ids, int n, struct logbook_item **out);

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
/* The same in everyday words, for guardians and young people ("draft" ->
 * "Waiting for consent"). */
const char *logbook_state_plain(const char *state);
/* What moving a log to STATE does, as a button or a choice says it
 * ("passive" -> "Make the log passive"). */
const char *logbook_action_label(const char *state);

/* The interface name of a role in a log ("holder" -> "Stafettholder"), for
 * lists and the access log; "" for a name it does not know. */
const char *logbook_role_label(const char *role);

/* --- creating a log ------------------------------------------------------ */

struct logbook_new {
	int64_t unit_id;	   /* the holder's unit: authz_can_create_log has allowed it */
	const char *subject_kind;  /* child, youth or pregnancy */
	const char *expected_date; /* YYYY-MM-DD for a pregnancy, else NULL */
	struct person_new subject;
	struct person_new guardians[2];
	int nguardians; /* 0 to 2 */
};

/* Creates the log in state draft, held by the session's person, in the
 * caller's transaction: the subject and each guardian are found by number or
 * created (person_find_or_create: whatever names are typed, which the log
 * keeps as typed, with the guardians' contact details, leaving a found
 * person's own record as it is), the guardians added one row each, the
 * history records the new log, and the audit trail its creation. 0 with
 * *log_id, or a negative db.h code. */
int logbook_create(const struct session *s, const struct logbook_new *n, int64_t *log_id);

/* Deletes the draft LOG_ID (nothing of it is shared yet), in the caller's
 * transaction, as a deleted log's rows go (logpurge.h: its contents,
 * consents and their forms, requests, history, guardians and actors, its
 * mail not yet sent, the log itself), but without a tombstone; and the
 * people who were only in it, its subject and guardians, with what hangs
 * off them, each unless something else still names them (a guardian of
 * another log stays).
 * The audit trail's rows of the log stay: they name no one. Checks under
 * lock that the log is still a draft. 1 deleted, 0 no longer a draft
 * (nothing deleted), or a negative db.h code. */
int logbook_delete_draft(const struct session *s, int64_t log_id);

/* --- basic data ---------------------------------------------------------- */

struct logbook_basic {
	int64_t id;
	char *state;
	int bti_level;	   /* 0-3, -1 not assessed */
	char *basic_info;  /* may be NULL */
	char *child_voice; /* may be NULL */
	int version;	   /* log.version */
};
/* 1 found, 0 none, or a negative db.h code. */
int logbook_basic(int64_t municipality_id, int64_t log_id, struct logbook_basic *out);

/* Saves BTI level (-1: none), basic data and the child's voice if the log
 * still has VERSION, recording each changed field in the history. 1 saved,
 * 0 stale (*current holds what is there now, nothing written), or < 0. */
int logbook_update_basic(const struct session *s, int64_t log_id, int version, int bti_level,
			 const char *basic_info, const char *child_voice, struct logbook_basic *current);

/* The meaning of a BTI level (DOMAIN.md §10), translated; "" for none. */
const char *logbook_bti_label(int level);
/* The same in everyday words, for guardians and young people. */
const char *logbook_bti_plain(int level);

/* --- states (DOMAIN.md §3) ----------------------------------------------- */

/* Whether a log in STATE is open: active or passive (neither a draft
 * waiting for consent nor closed). */
bool logbook_open(const char *state);

/* The holder's transitions: active <-> passive, active or passive ->
 * closed. draft -> active happens only when consent is complete (consent.c),
 * never by hand; a closed log stays closed. */
bool logbook_may_transition(const char *from, const char *to);

enum logbook_state_outcome {
	LOGBOOK_STATE_DONE,
	LOGBOOK_STATE_STALE,   /* the log changed since VERSION */
	LOGBOOK_STATE_INVALID, /* not a transition the holder may make from the state it is in */
};
/* Moves the log to TO if it has VERSION and the transition is allowed
 * (closed sets closed_at), records the history with the REASON given
 * (NULL or "": none; the page asks for one for passive and closed), and
 * marks the open request request_id (0: none) as handled. *from is the
 * state it was in. 0 with *outcome, or a negative db.h code. */
int logbook_set_state(const struct session *s, int64_t log_id, int version, const char *to,
		      int64_t request_id, const char *reason, enum logbook_state_outcome *outcome,
		      char **from);

/* Passive and closed say why (active again need not): whether REASON is
 * missing for a change to TO. Nothing but spaces and line breaks is no
 * reason. */
bool logbook_reason_missing(const char *to, const char *reason);
/* What a change that was not made tells the person, in their language: the
 * log changed meanwhile (STALE), a draft made active by hand, or a change
 * the state machine does not have from the state FROM (INVALID). */
const char *logbook_state_refusal(enum logbook_state_outcome o, const char *to, const char *from);

struct logbook_request {
	int64_t id;
	char *wanted;	  /* passive or closed */
	char *created_at; /* YYYY-MM-DD HH:MM (UTC) */
	char *given_name;
	char *family_name;
	int64_t person_id;
};
/* The open (unhandled) requests of a log, oldest first; the count or < 0. */
int logbook_requests(int64_t municipality_id, int64_t log_id, struct logbook_request **out);
/* The session's person asks for the log to be made WANTED (passive or
 * closed); a second identical open request is not added. 0 or < 0. */
int logbook_request_state(const struct session *s, int64_t log_id, const char *wanted);
/* Marks an open request handled without doing it (declined). 1 done, 0 no
 * such open request in the log, or < 0. */
int logbook_decline_request(const struct session *s, int64_t log_id, int64_t request_id);

/* The guardians' side (lib/logdemand.c). They decide about closing
 * (DOMAIN.md §3): the session's person (a
 * guardian or the young person, authz CONSENT) demands that the log be
 * closed, and it is, now, in the caller's transaction: the demand is kept
 * as a state request handled at once by its maker (history "demanded"),
 * and the log is closed through logbook_set_state as the holder would close
 * it (closed_at, its history with the person who closed it and REASON
 * (NULL or "": none), and whatever closing a log sets off), from the
 * version it has now. *outcome is LOGBOOK_STATE_INVALID when the log is
 * not open. 0 or < 0. */
int logbook_demand_close(const struct session *s, int64_t log_id, const char *reason,
			 enum logbook_state_outcome *outcome);

/* A request of a log, open or handled, as the state page lists them. */
struct logbook_request_done {
	int64_t id;
	char *wanted;	  /* passive or closed */
	char *created_at; /* YYYY-MM-DD HH:MM (UTC) */
	char *given_name; /* who asked */
	char *family_name;
	int64_t person_id;
	char *outcome; /* NULL open; done, declined, demanded (closed at once) */
};
/* The log's requests, newest first, at most limit; the count or < 0. */
int logbook_request_history(int64_t municipality_id, int64_t log_id, int limit,
			    struct logbook_request_done **out);

#endif
