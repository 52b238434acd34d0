/* authz.h — who may do what: the one place that decides (DOMAIN.md §2 and
 * §6, SECURITY.md A3), and the one place that writes access rows to the
 * audit trail. A route declares what it needs (app.h, .need and .audit);
 * app.c asks authz_require before the handler runs, in the request's
 * transaction. Domain: depends on db, audit, consent (when a consent has
 * lapsed) and session (who asks); knows nothing of HTTP or HTML.
 *
 * A log (its id is the route's first id):
 *   holder           everything but giving consent
 *   actor            read and add entries, while consent covers their unit
 *                    (a covered, valid, not withdrawn consent_service row)
 *                    and they are not removed
 *   guardian         read, add entries, give or withdraw consent, see readers
 *   young person     as a guardian, from the municipality's consent age
 *   leader           the flow of logs in their unit (states, dates, counts),
 *                    never contents
 *   administrator    nothing of any log
 *   anyone else      nothing; a log of another municipality or one that does
 *                    not exist is refused exactly like one that exists
 *
 * A closed log is read-only: nobody writes, adds entries, manages it or
 * gives or withdraws consent on it; reading, readers, flow and history stay,
 * except for actors: staff other than the holder see nothing of a closed
 * log until the guardians (or the young person) have approved reopening it
 * (DOMAIN.md §3).
 *
 * Consent (DOMAIN.md §3-§4, kept by consent.c in log.consent_until and
 * log.withdrawn_at) narrows this further:
 *   withdrawn        only the holder may read and manage it (to hand it to
 *                    the archive); everyone else, nothing at all
 *   draft            actors see nothing; the holder fills it in, guardians
 *                    and the young person read it and consent
 *   lapsed           (consent_lapsed) read-only for everyone: nobody writes
 *                    or adds entries, but guardians and the young person may
 *                    renew their consent and the holder may record a renewal
 *
 * Giving consent (CONSENT) is never the holder's, even a holder who is
 * also a guardian: someone without that conflict must hold the log.
 * A withdrawn log still shows its guardians and the young person who has
 * read it (READERS).
 *
 * Eight actions are made of the others, so their special cases live here:
 *   STATE            the state page: MANAGE (change it) or CONSENT (ask, or
 *                    demand closing); on a closed log its holder (the state,
 *                    the requests, reopening) and, while they may read it,
 *                    the guardians and the young person (answer reopening)
 *   TRANSITION       change the state: MANAGE; but the holder of a closed
 *                    log is refused with 409 and told why, not with 403
 *   REOPEN           ask the guardians to approve reopening (or withdraw the
 *                    question): the holder of a closed log whose consent is
 *                    not withdrawn; the holder of a log that is not closed
 *                    is refused with 409 ("not closed": a form gone stale)
 *   REOPEN_ANSWER    approve or refuse reopening: a guardian or the young
 *                    person who does not hold the log, on a closed log whose
 *                    consent is not withdrawn; 409 ("not closed") when the
 *                    log is no longer closed. Which of them are asked is the
 *                    log's required consenters (consent.h); the handler
 *                    refuses anyone else (authz_refuse "not asked")
 *   EVALUATE         evaluate the measure in the route's second id: WRITE
 *                    (the holder), or ENTRY and being the measure's
 *                    responsible person and a current actor of the log
 *   WITHDRAW         withdraw one's own consent: a guardian or the young
 *                    person, in every state, a closed log included
 *                    (DOMAIN.md §3, §4); not once the log is withdrawn
 *   RECORD           record a signed paper consent: MANAGE, and not a
 *                    person whose own consent the log needs
 *   DOCUMENT         the consent form in the route's second id: MANAGE (the
 *                    holder), or the guardian or young person who signed it
 *   GUARDIANS        add or remove a guardian: MANAGE, and not once the log's
 *                    consent is withdrawn (it waits for the archive); a lapsed
 *                    consent does not stop it (a new guardian may be the one
 *                    whose consent renews it)
 *   ACTORS           invite, re-invite, revoke and remove actors: MANAGE, and
 *                    not once the log's consent is withdrawn (like GUARDIANS)
 *   DELETE           delete a draft (nothing shared yet): the staff member who
 *                    created it, while they hold it; nobody else, and nothing
 *                    that is no longer a draft
 *   HANDOVER         offer the log to someone else, or withdraw the offer:
 *                    MANAGE, on a log that is neither a draft (nothing to
 *                    hand on yet) nor withdrawn (it waits for the archive)
 *   OFFER            see an offer of the log made to oneself and accept or
 *                    decline it: the offered-to relation alone, while the
 *                    log is open (not closed, not withdrawn)
 *
 * offered-to (lib/handover.h) is a relation of its own: a pending offer of
 * the log to this person (state offered, not yet expired). It permits OFFER
 * and nothing else: no READ until the offer is accepted, when the person
 * becomes the holder.
 *
 * Roles are created top-down (DOMAIN.md §8). A unit (the route's first id):
 *   leader           of a unit: its flow of logs (counts, states, dates),
 *                    and its staff (list, register, clear) while the unit
 *                    is active
 *   administrator    the municipality's units and their leaders; neither
 *                    the flow nor the staff of any unit
 *   anyone else      nothing; a unit of another municipality or one that
 *                    does not exist is refused exactly like one that exists
 * and the session's municipality: MUNI_ADMIN its administrator (an active
 * municipality), CREATE_LOG staff cleared by their leader in an active unit
 * (a leader role alone is not enough: a leader sees the flow, never
 * contents). */
#ifndef STAFETT_AUTHZ_H
#define STAFETT_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct audit_item;

enum authz_action {
	AUTHZ_ANYONE, /* no decision: anyone who reaches the route (with .login, anyone logged in) */
	/* of a log */
	AUTHZ_READ,	     /* the log's contents */
	AUTHZ_WRITE,	     /* edit concerns, goals, measures, basic data */
	AUTHZ_ENTRY,	     /* add a note, a message, an evaluation of one's own measure */
	AUTHZ_MANAGE,	     /* actors, state, handover, recording consent on paper */
	AUTHZ_CONSENT,	     /* give or withdraw one's own consent */
	AUTHZ_READERS,	     /* see who has read the log */
	AUTHZ_FLOW,	     /* the log's state and dates, without contents */
	AUTHZ_HISTORY,	     /* every change, old -> new: the holder's, also once the log is closed */
	AUTHZ_STATE,	     /* the state page (above) */
	AUTHZ_TRANSITION,    /* change the log's state (above) */
	AUTHZ_EVALUATE,	     /* evaluate a measure (above) */
	AUTHZ_WITHDRAW,	     /* withdraw one's own consent (above) */
	AUTHZ_RECORD,	     /* record a signed paper consent (above) */
	AUTHZ_DOCUMENT,	     /* a consent form (above) */
	AUTHZ_GUARDIANS,     /* add or remove a guardian (above) */
	AUTHZ_ACTORS,	     /* invite or remove an actor (above) */
	AUTHZ_DELETE,	     /* delete a draft (above) */
	AUTHZ_HANDOVER,	     /* offer the log on, withdraw the offer (above) */
	AUTHZ_OFFER,	     /* see, accept or decline an offer made to oneself (above) */
	AUTHZ_PDF,	     /* download the log as the archive's PDF: its holder, in every state */
	AUTHZ_EXPORT,	     /* download the whole log as open JSON: its holder in every state, a
			   * guardian or the young person while they may read it */
	AUTHZ_REOPEN,	     /* ask to reopen a closed log (above) */
	AUTHZ_REOPEN_ANSWER, /* approve or refuse reopening a closed log (above) */
	/* of a unit */
	AUTHZ_UNIT_FLOW,  /* the unit's logs without contents */
	AUTHZ_UNIT_STAFF, /* the unit's staff: list, register, clear */
	/* of the session's municipality */
	AUTHZ_MUNI_ADMIN, /* its units and leaders */
	AUTHZ_CREATE_LOG, /* open a log in a unit where one is cleared */
	AUTHZ_NACTIONS
};
#define AUTHZ_LOG_FIRST AUTHZ_READ
#define AUTHZ_LOG_LAST AUTHZ_REOPEN_ANSWER
bool authz_of_log(enum authz_action a);
bool authz_of_unit(enum authz_action a); /* UNIT_FLOW, UNIT_STAFF, and MUNI_ADMIN (unit id 0) */

enum authz_role {
	AUTHZ_NONE,
	AUTHZ_HOLDER,
	AUTHZ_ACTOR,
	AUTHZ_GUARDIAN,
	AUTHZ_YOUTH,
	AUTHZ_LEADER,
	AUTHZ_ADMIN,
	AUTHZ_STAFF,   /* cleared staff, for CREATE_LOG */
	AUTHZ_OFFERED, /* offered-to: a pending handover of the log to them */
};

struct authz {
	bool allow;
	enum authz_role role; /* the relation the decision rests on */
	const char *state;    /* the log's state when allowed: draft, active, passive, closed */
	/* Every action of the same kind (log or unit) decided from the same
	 * facts, so a page that shows what the viewer may do next asks the
	 * database once. All false when the log or unit is not found. */
	bool may[AUTHZ_NACTIONS];
	/* A denial: 403, or 409 when the person is refused for the state the
	 * log is in and is told so (TRANSITION on a closed log). detail is
	 * the audit row's reason ("closed", "not responsible") or NULL. */
	int status;
	const char *detail;
	/* What authz_require decided, for authz_record. */
	const char *what;
	int64_t log_id, unit_id;
	bool pending; /* allowed, and its row not yet recorded */
};

/* What the database says about one person and one log (one statement).
 * found is false for a log that does not exist or belongs to another
 * municipality. */
struct authz_facts {
	bool found;
	bool closed;
	bool draft;
	bool withdrawn; /* log.withdrawn_at is set */
	bool lapsed;	/* consent_lapsed */
	bool holder;
	bool creator; /* created the log (log.created_by) */
	bool guardian;
	bool youth; /* the subject, at or above the municipality's consent age */
	bool actor; /* not removed, and a valid consent covers their unit */
	bool leader;
	bool admin;
	bool offered;	  /* a pending handover of the log to this person */
	bool responsible; /* EVALUATE: responsible for the measure and a current actor */
	bool signer;	  /* DOCUMENT: the form is of a consent this person gave on the log */
};

/* The rules above as a pure function (exposed for the unit tests; the
 * lifecycle calls authz_require). allow is whether any relation the person
 * holds permits the action; role is the strongest relation that permits it
 * or, when denied, the strongest one held (holder > guardian > youth >
 * actor > leader > admin > offered-to), else AUTHZ_NONE. state is left NULL. */
struct authz authz_decide(const struct authz_facts *f, enum authz_action a);

/* The EVALUATE rule for one measure on a page already decided: whether a
 * viewer whom az describes may evaluate a measure they are (responsible)
 * or are not responsible for as a current actor of the log. */
bool authz_may_evaluate(const struct authz *az, bool responsible);

/* Decides a log action for (session's person, log) without side effects.
 * s NULL is anonymous. item_id is the measure of AUTHZ_EVALUATE or the
 * document of AUTHZ_DOCUMENT (0: none, which is WRITE, or MANAGE, alone).
 * 0 with *out filled, or a negative db.h code (then *out denies). */
int authz_check(const struct session *s, int64_t log_id, enum authz_action a, struct authz *out);
int authz_check_item(const struct session *s, int64_t log_id, int64_t item_id, enum authz_action a,
		     struct authz *out);

/* The decision for a route: ACTION on ids[0] (the log or the unit; unused
 * for the municipality) and ids[1] (the measure of AUTHZ_EVALUATE, the
 * document of AUTHZ_DOCUMENT), to be recorded as WHAT. Call it in the
 * request's open transaction. Allowed: 0, and the row is recorded when the
 * request knows what it showed (authz_record; CREATE_LOG records none: the
 * log it creates is recorded by logbook_create). Denied: the transaction is
 * rolled back, the denial audited in a transaction of its own (SECURITY.md
 * 32), and out->status (403, or 409) returned: the answer says nothing of
 * whether the log exists. A database error is a negative db.h code, never
 * an allow. AUTHZ_ANYONE allows a session and records nothing. */
int authz_require(const struct session *s, enum authz_action a, const int64_t *ids, const char *what,
		  struct authz *out);

/* The handler found, after authz allowed the route, that what was asked is
 * something nobody may do (appointing or clearing oneself, SECURITY.md 29):
 * the request's row records a refusal with detail ("self") instead of an
 * allow; the handler then answers 409 or 422, so nothing is written. */
void authz_refuse(struct authz *az, const char *detail);

/* The request, allowed, was a second submit of a form already used
 * (app.h, .once): it did nothing but answer as the first did, and its row
 * says so (detail "repeated"), so one submit is one row of its action. */
void authz_repeated(struct authz *az);

/* Accepting an invitation (invitation.h): its link only binds a login to
 * it and never gives access by itself (SECURITY.md 10), so only the person
 * it names, logged in in its municipality, may accept it. Decides into *az
 * for a route that needs a login (AUTHZ_ANYONE), to be recorded as WHAT on
 * the invitation's log by authz_record at the end of the request: allowed
 * (role none: the person has no relation to the log yet), or refused with
 * detail "wrong person" (409), without undoing the request, which records
 * the refusal on the invitation and tells the holder. */
void authz_invitation(const struct session *s, int64_t municipality_id, int64_t log_id,
		      int64_t invited_person_id, const char *what, struct authz *az);

/* Records the row of what authz_require allowed (or authz_refuse refused),
 * in the open transaction, as a row that stays even if the transaction is
 * rolled back (audit_append_kept): every access is recorded, whatever came
 * of it. shown: the answer showed the log's contents (a page, not a
 * redirect nor an error); a write that came back as a page (a form to
 * correct) was then a read, and is recorded as "log.read" with the write's
 * name as its detail, so "who has read the log" finds it (SECURITY.md 60).
 * 0 (nothing to do if nothing is pending), or a negative db.h code. */
int authz_record(const struct session *s, struct authz *az, bool shown);

/* For a list page ("my logs"): the logs the session's person is related to
 * as holder, subject, guardian or actor (removed actors are not), newest
 * first, at most limit, each decided for action a from the same facts as
 * authz_check would read, in one statement. Leaders and administrators reach
 * logs through their units, never through this list. The caller shows only
 * the entries allowed. The count (an arena array in *out), or a negative
 * db.h code. */
struct authz_entry {
	int64_t log_id;
	struct authz az;
};
int authz_related(const struct session *s, enum authz_action a, int limit, struct authz_entry **out);
/* The read of a list of logs: one audit row, with an item per log (the log
 * and the relation it was read under), in the open transaction; nothing for
 * an empty list. 0 or a negative db.h code. */
int authz_audit_list(const struct session *s, const struct audit_item *items, size_t n);

/* May this person create logs in this unit (CREATE_LOG for one unit): staff
 * of the unit cleared by its leader, the unit active and in the session's
 * municipality. 1 yes, 0 no, or a negative db.h code. */
int authz_can_create_log(const struct session *s, int64_t unit_id);

const char *authz_role_name(enum authz_role role); /* "holder", ..., "none" */

/* What the database says about one person and one unit (one statement).
 * found is false for a unit that does not exist or belongs to another
 * municipality; for AUTHZ_MUNI_ADMIN (unit id 0) the session's municipality
 * is found and active. */
struct authz_unit_facts {
	bool found;
	bool active;
	bool leader; /* a leader role in this unit */
	bool admin;  /* the administrator role in the municipality */
};

/* The unit rules as a pure function, like authz_decide: allow, and the
 * relation it rests on (leader > admin), or when denied the strongest held
 * (AUTHZ_NONE if none). state is always NULL. */
struct authz authz_unit_decide(const struct authz_unit_facts *f, enum authz_action a);

/* Decides a unit action for (session's person, unit) without side effects;
 * unit_id is 0 for AUTHZ_MUNI_ADMIN and positive otherwise (any other
 * combination is denied). s NULL is anonymous. 0 with *out filled, or a
 * negative db.h code (then *out denies). */
int authz_unit_check(const struct session *s, int64_t unit_id, enum authz_action a, struct authz *out);

#endif
