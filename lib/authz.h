/* authz.h — who may do what with a log: the one place that decides
 * (DOMAIN.md §2 and §6, SECURITY.md A3). Every program that touches a log
 * calls authz_require() before it reads or writes anything of it.
 *
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
 * gives or withdraws consent on it; reading, readers and flow stay as above.
 *
 * Consent (DOMAIN.md §3-§4, kept by consent.c in log.consent_until and
 * log.withdrawn_at) narrows this further:
 *   withdrawn        only the holder may read and manage it (to hand it to
 *                    the archive); everyone else, nothing at all
 *   draft            actors see nothing; the holder fills it in, guardians
 *                    and the young person read it and consent
 *   lapsed           (not a draft, and the establishing consent incomplete
 *                    or past its date) read-only for everyone: nobody writes
 *                    or adds entries, but guardians and the young person may
 *                    renew their consent and the holder may record a renewal */
#ifndef STAFETT_AUTHZ_H
#define STAFETT_AUTHZ_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct session;

enum authz_action {
	AUTHZ_READ,    /* the log's contents */
	AUTHZ_WRITE,   /* edit concerns, goals, measures, basic data */
	AUTHZ_ENTRY,   /* add a note, a message, an evaluation of one's own measure */
	AUTHZ_MANAGE,  /* actors, state, handover, recording consent on paper */
	AUTHZ_CONSENT, /* give or withdraw one's own consent */
	AUTHZ_READERS, /* see who has read the log */
	AUTHZ_FLOW,    /* the log's state and dates, without contents */
	AUTHZ_HISTORY, /* every change, old -> new: the holder's, also once the log is closed */
	AUTHZ_NACTIONS
};

enum authz_role {
	AUTHZ_NONE,
	AUTHZ_HOLDER,
	AUTHZ_ACTOR,
	AUTHZ_GUARDIAN,
	AUTHZ_YOUTH,
	AUTHZ_LEADER,
	AUTHZ_ADMIN,
};

struct authz {
	bool allow;
	enum authz_role role; /* the relation the decision rests on */
	const char *state;    /* the log's state when allowed: draft, active, passive, closed */
	/* Every action decided from the same facts, so a page that shows what
	 * the viewer may do next asks the database once (authz_check and
	 * authz_require fill it; it is all false when the log is not found). */
	bool may[AUTHZ_NACTIONS];
};

/* What the database says about one person and one log (authz_check reads
 * it in one statement). found is false for a log that does not exist or
 * belongs to another municipality. */
struct authz_facts {
	bool found;
	bool closed;
	bool draft;
	bool withdrawn; /* log.withdrawn_at is set */
	bool lapsed;	/* not a draft, and consent_until NULL or before today */
	bool holder;
	bool guardian;
	bool youth; /* the subject, at or above the municipality's consent age */
	bool actor; /* not removed, and a valid consent covers their unit */
	bool leader;
	bool admin;
};

/* The rules above as a pure function (exposed for the unit tests; programs
 * call authz_check or authz_require). allow is whether any relation the
 * person holds permits the action; role is the strongest relation that
 * permits it or, when denied, the strongest one held (holder > guardian >
 * youth > actor > leader > admin), else AUTHZ_NONE. state is left NULL. */
struct authz authz_decide(const struct authz_facts *f, enum authz_action a);

/* Decides for (session's person, log, action) without side effects. s NULL is
 * anonymous. 0 with *out filled, or a negative db.h code (then *out denies). */
int authz_check(const struct session *s, int64_t log_id, enum authz_action a, struct authz *out);

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

/* authz_check, then the audit row: call it first in the handler's open
 * transaction (if none is open, one is begun here so the row is not lost, and
 * the handler commits it). Allowed: the row ("what", "allow") is appended in
 * that transaction, and 0 is returned. Denied: the transaction is rolled back, the
 * denial is audited in a transaction of its own, and 403 is returned (the
 * handler returns it: the page says nothing of whether the log exists). A
 * database error is a negative db.h code: never an allow. */
int authz_require(struct req *r, int64_t log_id, enum authz_action a, const char *what, struct authz *out);

/* May this person create logs in this unit: staff of the unit cleared by its
 * leader, the unit active and in the session's municipality. A leader role
 * alone is not enough: a leader sees the flow, never contents, and a leader
 * who also works with children has a staff role in the unit as well, cleared
 * like anyone's. 1 yes, 0 no, or a negative db.h code. */
int authz_can_create_log(const struct session *s, int64_t unit_id);

const char *authz_role_name(enum authz_role role); /* "holder", ..., "none" */

/* --- units and the municipality (DOMAIN.md §2 and §8) ---------------------
 * Roles are created top-down: the administrator creates units and appoints
 * their leaders; a leader registers and clears the unit's staff.
 *
 *   leader           of a unit: its flow of logs (counts, states, dates),
 *                    and its staff (list, register, clear, unclear) while
 *                    the unit is active
 *   administrator    the municipality's units and their leaders; neither
 *                    the flow nor the staff of any unit
 *   anyone else      nothing; a unit of another municipality or one that
 *                    does not exist is refused exactly like one that exists */
enum authz_unit_action {
	AUTHZ_UNIT_FLOW,  /* the unit's logs without contents */
	AUTHZ_UNIT_STAFF, /* the unit's staff: list, register, clear */
	AUTHZ_MUNI_ADMIN, /* the municipality's units and leaders; asked with unit id 0 */
	AUTHZ_UNIT_NACTIONS
};

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

/* The rules above as a pure function, like authz_decide: allow, and the
 * relation it rests on (leader > admin), or when denied the strongest held
 * (AUTHZ_NONE if none). state is always NULL. */
struct authz authz_unit_decide(const struct authz_unit_facts *f, enum authz_unit_action a);

/* Decides for (session's person, unit, action) without side effects; unit_id
 * is 0 for AUTHZ_MUNI_ADMIN and positive otherwise (any other combination is
 * denied). s NULL is anonymous. 0 with *out filled, or a negative db.h code
 * (then *out denies). */
int authz_unit_check(const struct session *s, int64_t unit_id, enum authz_unit_action a, struct authz *out);

/* authz_unit_check, then the audit row, exactly as authz_require does for a
 * log: allowed, the row ("what", "allow", detail "unit N") in the handler's
 * transaction (begun here if none is open) and 0; denied, the transaction
 * rolled back, the denial audited on its own and 403; a database error is a
 * negative db.h code, never an allow. */
int authz_unit_require(struct req *r, int64_t unit_id, enum authz_unit_action a, const char *what,
		       struct authz *out);

#endif
