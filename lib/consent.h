/* consent.h — the two consents of DOMAIN.md §4 and what follows from them:
 * to establish the log, and to cooperation with the services in its scope.
 * Each is given by one person, recorded with who, when, how (a signed form
 * or digitally), scope and valid-until; renewal and widening add a row,
 * withdrawal marks rows. Access is decided by authz.h, never here: callers
 * have asked it (AUTHZ_MANAGE to record a paper form, AUTHZ_CONSENT to give
 * or withdraw one's own) in the transaction these functions work in.
 *
 * Whose consent a log needs (the required consenters): the subject alone
 * when the log is a pregnancy or the subject is at or above the
 * municipality's consent age (the young person consents for themself);
 * otherwise each guardian of the log. A consent counts while it is the
 * person's latest of its kind (by date given), not withdrawn and not past
 * valid_until.
 *
 * After every change, in the same transaction, consent_recompute derives:
 *   log.consent_until   the earliest valid_until of the required consenters'
 *                       latest establishing consents (NULL if one has none
 *                       or withdrew it; a past date means expired)
 *   log.state           draft -> active once that is complete and valid
 *   consent_service     one row per unit every required consenter's valid
 *                       cooperation consent covers, until the earliest of
 *                       their valid_until (none while the log is withdrawn)
 * and withdrawing an establishing consent sets log.withdrawn_at: the log is
 * locked (authz.h) and queued for the archive; nothing is deleted here. */
#ifndef STAFETT_CONSENT_H
#define STAFETT_CONSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct logbook_summary;
struct session;

enum consent_outcome {
	CONSENT_DONE,
	CONSENT_NOT_CONSENTER, /* the person's consent is not one the log needs */
	CONSENT_LOCKED,	       /* the log is closed or its consent withdrawn */
	CONSENT_BAD_GIVEN,     /* given_at in the future, or older than a consent lasts */
	CONSENT_BAD_UNTIL,     /* valid_until before today, or after given_at + the valid years */
	CONSENT_BAD_SCOPE,     /* cooperation without a unit, or one not active in the municipality */
	CONSENT_NONE,	       /* withdraw: nothing given to withdraw */
};

struct consent_input {
	int64_t person_id;	 /* who gives it */
	const char *kind;	 /* "establish" or "cooperate" */
	const char *method;	 /* "signed_form" or "digital" */
	const char *given_at;	 /* YYYY-MM-DD; NULL: today */
	const char *valid_until; /* YYYY-MM-DD; NULL: given_at + municipality.consent_valid_years */
	int64_t document_id;	 /* the scanned form (document.h), 0 for none */
	const int64_t *units;	 /* cooperate: the services it covers */
	size_t nunits;
};

/* Records one consent given by in->person_id on log_id, recorded by the
 * session's person, with its history, and recomputes. 0 with *o set (only
 * CONSENT_DONE changed anything), or a negative db.h code. */
int consent_give(const struct session *s, int64_t log_id, const struct consent_input *in,
		 enum consent_outcome *o);

/* Withdraws every consent of KIND person_id has given on log_id, in any
 * state of the log (a closed one too), with its history, and recomputes; the establishing one of a required consenter
 * locks the log. 0 with *o set (CONSENT_DONE, CONSENT_NONE or
 * CONSENT_LOCKED), or a negative db.h code. */
int consent_withdraw(const struct session *s, int64_t log_id, int64_t person_id, const char *kind,
		     enum consent_outcome *o);

/* Derives log.consent_until, the draft -> active step and consent_service
 * from the consent rows (see above), recording changes to the log in its
 * history. Locks the log row. 0 or a negative db.h code. */
int consent_recompute(const struct session *s, int64_t log_id);

struct consent_person {
	int64_t person_id;
	char *given_name;
	char *family_name;
	bool subject; /* the young person or the pregnant woman */
};
/* The log's required consenters (guardians in the order added); the count
 * or a negative db.h code. */
int consent_required(int64_t municipality_id, int64_t log_id, struct consent_person **out);

enum consent_state {
	CONSENT_STATE_NONE,
	CONSENT_STATE_GIVEN,
	CONSENT_STATE_EXPIRING, /* valid, but ends within the warning days */
	CONSENT_STATE_EXPIRED,
	CONSENT_STATE_WITHDRAWN,
};
/* One required consenter's latest consent of one kind. */
struct consent_status {
	struct consent_person who;
	const char *kind; /* "establish" or "cooperate" */
	enum consent_state state;
	/* Of the latest row; NULL (id 0) when state is CONSENT_STATE_NONE. */
	int64_t id;
	char *method;
	char *given_at;
	char *valid_until;
	char *withdrawn_at; /* YYYY-MM-DD HH:MM (UTC) */
	char *scope;	    /* unit names, ", " between; NULL for establish */
	int64_t document_id;
};
/* For every required consenter, establish then cooperate (2 per person);
 * EXPIRING within warn_days. The count or a negative db.h code. */
int consent_status(int64_t municipality_id, int64_t log_id, int warn_days, struct consent_status **out);

/* Whether a log's consent has lapsed: past its draft, and the establishing
 * consent incomplete (no consent_until) or past its date (days_left, which
 * is consent_until - today, below 0). A lapsed log is read-only until the
 * consent is renewed (authz.h); the one place this rule is written. */
bool consent_lapsed(const char *state, bool has_until, int days_left);

/* The establishing consent of the whole log, as the log page shows it. */
struct consent_summary {
	const char *state;	   /* the log's state */
	const char *consent_until; /* YYYY-MM-DD or NULL */
	bool withdrawn;
	bool complete; /* consent_until today or later */
	bool expiring; /* complete, and ends within warn_days */
	bool expired;  /* consent_until before today */
	bool lapsed;   /* consent_lapsed */
	int days_left;
};
/* From the log's row (logbook_summary), expiring within warn_days. */
struct consent_summary consent_summary_of(const struct logbook_summary *log, int warn_days);

/* For "my logs": whether a log's establishing consent runs out within
 * warn_days (call it with the consent.warn_days setting) or has run out;
 * days_left is consent_until - today, and a log without consent_until has
 * nothing to renew. */
bool consent_renew_soon(const char *consent_until, int days_left, int warn_days);
/* Whether the log's holder is warned of it at the top of "my logs": the log
 * is open (active or passive), its consent not withdrawn, and it runs out
 * soon (consent_renew_soon). */
bool consent_warn_holder(const char *state, bool withdrawn, const char *consent_until, int days_left,
			 int warn_days);

/* What a person is told before consenting (templates/consent_text_*.html):
 * who keeps the log and how to reach them, and until when a consent given
 * today lasts (the municipality's consent_valid_years). */
struct consent_terms {
	char *holder_given_name;
	char *holder_family_name;
	char *holder_title; /* NULL if none is stored; so are e-mail and phone */
	char *holder_email;
	char *holder_phone;
	char *unit_name; /* the log's unit, the holder's */
	char *municipality;
	int consent_age;
	int valid_years;
	char *valid_until; /* YYYY-MM-DD */
};
/* 1 found, 0 no such log, or a negative db.h code. */
int consent_terms(int64_t municipality_id, int64_t log_id, struct consent_terms *out);

/* One person of a service that works with the log now: the holder in the
 * log's unit, and each actor (not removed) in theirs. */
struct consent_party {
	int64_t unit_id;
	char *unit_name;
	char *unit_kind;
	char *given_name;
	char *family_name;
	char *title; /* may be NULL */
	bool holder;
};
/* The holder first, then the actors by unit name and name; the count or a
 * negative db.h code. */
int consent_parties(int64_t municipality_id, int64_t log_id, struct consent_party **out);

/* One consent a person gave on a log, as their receipt shows it. */
struct consent_receipt {
	int64_t id;
	char *kind;	    /* "establish" or "cooperate" */
	char *method;	    /* "signed_form" or "digital" */
	char *given_at;	    /* YYYY-MM-DD */
	char *recorded_at;  /* YYYY-MM-DD HH:MM, UTC */
	char *valid_until;  /* YYYY-MM-DD */
	char *withdrawn_at; /* YYYY-MM-DD HH:MM, UTC, or NULL */
	char *scope;	    /* unit names, ", " between; NULL for establish */
};
/* The units consent_id covers (its scope), in no order; the count or a
 * negative db.h code. */
int consent_scope_units(int64_t municipality_id, int64_t consent_id, int64_t **out);

/* Every consent person_id gave on log_id (digitally, or on a signed form
 * the holder recorded), newest first; the count or a negative db.h code. */
int consent_receipts(int64_t municipality_id, int64_t log_id, int64_t person_id,
		     struct consent_receipt **out);

/* The interface name of a consent kind, method or state. */
const char *consent_kind_label(const char *kind);
const char *consent_method_label(const char *method);
const char *consent_state_label(enum consent_state state);

#endif
