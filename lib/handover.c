/* handover.c — SQL and rules of handover.h: handover and log_transition
 * rows, the log's holder and unit changed, the old holder's log_actor row
 * made or ended, in the caller's transaction, with history rows and mail
 * queued through outbox.c. Reads log, person, staff_role, unit,
 * consent_service, log_guardian, measure and meeting; every query filters
 * on the municipality. */
#include "handover.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "archive.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "guardian.h"
#include "history.h"
#include "i18n.h"
#include "log.h"
#include "logmove.h"
#include "outbox.h"
#include "session.h"

/* A valid, not withdrawn consent_service row for the unit (the test authz
 * makes of an actor). */
/* clang-format off */
#define COVERED(log, unit) \
	"EXISTS (SELECT 1 FROM consent_service c WHERE c.log_id = " log " AND c.unit_id = " unit \
	" AND c.valid_until >= CURRENT_DATE AND c.withdrawn_at IS NULL)"
/* An offer that can still be answered. */
#define LIVE "h.state = 'offered' AND h.expires_at > CURRENT_TIMESTAMP(3)"
/* clang-format on */

/* --- whom the log may be offered to --------------------------------------- */

static const struct db_col staff_cols[] = {
	DB_COL(struct handover_staff, role_id, DB_I64),
	DB_COL(struct handover_staff, given_name, DB_STR),
	DB_COL(struct handover_staff, family_name, DB_STR),
	DB_COL(struct handover_staff, unit_name, DB_STR),
	DB_COL(struct handover_staff, covered, DB_BOOL),
	DB_COL(struct handover_staff, municipality_name, DB_STR),
};
static const struct db_map staff_map = DB_MAP(struct handover_staff, staff_cols);

/* The log's municipality's staff first, then those of the installation's
 * other active municipalities (a move). */
int handover_staff(int64_t municipality_id, int64_t log_id, struct handover_staff **out)
{
	long long m = municipality_id;
	return db_select(
		&staff_map, out,
		"SELECT r.id, p.given_name, p.family_name, u.name, " COVERED(
			"l.id", "u.id") ", IF(r.municipality_id = l.municipality_id, NULL, k.name)"
					" FROM staff_role r JOIN person p ON p.id = r.person_id"
					" JOIN unit u ON u.id = r.unit_id AND u.active"
					" JOIN municipality k ON k.id = r.municipality_id"
					" JOIN log l ON l.id = ? AND l.municipality_id = ?"
					" WHERE r.role = 'staff' AND r.cleared_at IS NOT NULL"
					" AND (k.active OR k.id = l.municipality_id)"
					" AND r.person_id <> l.holder_person_id AND r.unit_id <> l.unit_id"
					" ORDER BY r.municipality_id <> l.municipality_id, k.name, u.name,"
					" p.family_name, p.given_name, r.id",
		"ii", (long long)log_id, m);
}

/* --- offering ------------------------------------------------------------ */

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

/* The log's row, locked: offers, withdrawals and acceptances of one log
 * happen in turn. */
struct log_row {
	int64_t holder;
	int64_t unit;
	int64_t subject;
	bool open; /* an offer of the log can still be answered */
};
static const struct db_col log_cols[] = {
	DB_COL(struct log_row, holder, DB_I64),
	DB_COL(struct log_row, unit, DB_I64),
	DB_COL(struct log_row, subject, DB_I64),
	DB_COL(struct log_row, open, DB_BOOL),
};
static const struct db_map log_map = DB_MAP(struct log_row, log_cols);

static int lock_log(int64_t municipality_id, int64_t log_id, struct log_row *r)
{
	long long m = municipality_id, l = log_id;
	int rc = db_select_one(&log_map, r,
			       "SELECT holder_person_id, unit_id, subject_person_id, FALSE FROM log"
			       " WHERE municipality_id = ? AND id = ? FOR UPDATE",
			       "ii", m, l);
	if (rc <= 0)
		return rc == 0 ? DB_ERROR : rc; /* authz found the log in this transaction */
	/* A locking read too: it sees an offer committed while this request
	 * waited for the log's row, which the request's snapshot (taken when
	 * authz read the log) does not. */
	struct id_row *open;
	rc = db_select(&id_map, &open,
		       "SELECT h.id FROM handover h WHERE h.municipality_id = ? AND h.log_id = ? AND " LIVE
		       " FOR UPDATE",
		       "ii", m, l);
	r->open = rc > 0;
	return rc < 0 ? rc : 0;
}

/* The staff role the form named, and what its person is to the log. */
struct target {
	int64_t person_id;
	int64_t municipality_id;
	int64_t unit_id;
	char *role;
	bool cleared;
	char *name; /* "Given Family" */
	char *unit_name;
	bool guardian; /* the log's child or one of its guardians, by number */
	bool covered;
	char *muni_name;
};
static const struct db_col target_cols[] = {
	DB_COL(struct target, person_id, DB_I64), DB_COL(struct target, municipality_id, DB_I64),
	DB_COL(struct target, unit_id, DB_I64),	  DB_COL(struct target, role, DB_STR),
	DB_COL(struct target, cleared, DB_BOOL),  DB_COL(struct target, name, DB_STR),
	DB_COL(struct target, unit_name, DB_STR), DB_COL(struct target, guardian, DB_BOOL),
	DB_COL(struct target, covered, DB_BOOL),  DB_COL(struct target, muni_name, DB_STR),
};
static const struct db_map target_map = DB_MAP(struct target, target_cols);

/* 1 found (a role of an active unit of the municipality, or of another
 * active one), 0 not, < 0. The child and the guardians are known by their
 * number, which is the same person in every municipality. */
static int target_of(int64_t municipality_id, int64_t log_id, int64_t role_id, struct target *t)
{
	long long m = municipality_id, l = log_id;
	return db_select_one(
		&target_map, t,
		"SELECT r.person_id, r.municipality_id, COALESCE(r.unit_id, 0), r.role,"
		" r.cleared_at IS NOT NULL, CONCAT(p.given_name, ' ', p.family_name), COALESCE(u.name, ''),"
		" EXISTS (SELECT 1 FROM log x JOIN person s ON s.id = x.subject_person_id"
		"  WHERE x.id = ? AND s.nin_hmac = p.nin_hmac) OR EXISTS (SELECT 1 FROM log_guardian g"
		"  JOIN person gp ON gp.id = g.person_id WHERE g.log_id = ? AND gp.nin_hmac = p.nin_hmac),"
		" " COVERED("?", "r.unit_id") ", k.name FROM staff_role r JOIN person p ON p.id = r.person_id"
					      " JOIN municipality k ON k.id = r.municipality_id"
					      " LEFT JOIN unit u ON u.id = r.unit_id"
					      " WHERE r.id = ? AND (r.unit_id IS NULL OR u.active)"
					      " AND (r.municipality_id = ? OR k.active)",
		"iiiii", l, l, l, (long long)role_id, m);
}

static enum handover_outcome judge(const struct session *s, const struct log_row *l, const struct target *t,
				   bool stay)
{
	if (strcmp(t->role, "staff") != 0)
		return HANDOVER_LEADER;
	if (!t->cleared)
		return HANDOVER_UNCLEARED;
	if (t->person_id == l->holder || t->person_id == s->person_id)
		return HANDOVER_SELF;
	if (t->unit_id == l->unit)
		return HANDOVER_SAME_UNIT;
	if (t->guardian)
		return HANDOVER_RELATED;
	if (l->open)
		return HANDOVER_OPEN;
	if (!t->covered)
		return HANDOVER_NOT_COVERED;
	if (stay && t->municipality_id != s->municipality_id)
		return HANDOVER_STAY_ELSEWHERE;
	return HANDOVER_DONE;
}

/* One of the log's people told of the offer if they may read the log now;
 * a notice is not an access, so authz is asked without an audit row. */
static int tell_reader(int64_t m, int64_t log_id, int64_t person_id, const char *address,
		       const char *log_path)
{
	struct session as = { .municipality_id = m, .person_id = person_id };
	struct authz az;
	enum outbox_notice o;
	int rc = authz_check(&as, log_id, AUTHZ_READ, &az);
	if (rc == 0 && az.allow)
		rc = outbox_notify(m, person_id, log_id, "handover_offered", address, log_path, false, NULL,
				   &o);
	return rc < 0 ? rc : 0;
}

/* The guardians who may read the log now, at the address typed on the log
 * (else their own), the young person at their own, and the receiver at
 * their own, each told of the offer. */
static int tell_offer(const struct session *s, int64_t log_id, int64_t handover_id, const struct target *t)
{
	int64_t m = s->municipality_id;
	struct guardian *g;
	int rc, ng = guardian_list(m, log_id, &g);
	if (ng < 0)
		return ng;
	const char *log_path = arena_printf("/logg/%lld", (long long)log_id);
	for (int i = 0; i < ng; i++)
		if ((rc = tell_reader(m, log_id, g[i].person_id, g[i].email, log_path)) < 0)
			return rc;
	/* The young person, or the pregnant woman, whose own consent the log
	 * rests on, at their own address. */
	struct consent_person *c;
	int nc = consent_required(m, log_id, &c);
	for (int i = 0; i < nc; i++)
		if (c[i].subject && (rc = tell_reader(m, log_id, c[i].person_id, NULL, log_path)) < 0)
			return rc;
	if (nc < 0)
		return nc;
	enum outbox_notice o;
	return outbox_notify(
		t->municipality_id, t->person_id, log_id, "handover_received", NULL,
		arena_printf("/logg/%lld/overlevering/%lld", (long long)log_id, (long long)handover_id),
		false, NULL, &o);
}

const char *handover_refusal(enum handover_outcome o)
{
	static const struct i18n_label texts[] = {
		{ "not_covered",
		  N_("The consent to cooperation does not cover this person's unit. Ask the guardians "
		     "to widen the consent to that unit first; nothing was offered.") },
		{ "leader",
		  N_("This is a leader's or administrator's role. Leaders see how logs go, never what is in "
		     "them, so they cannot hold one. Choose a staff member.") },
		{ "uncleared", N_("Their leader has not cleared this staff member to hold logs yet.") },
		{ "self", N_("You hold the log yourself. Choose someone else.") },
		{ "same_unit",
		  N_("This person works in the unit that holds the log now. A handover is to another "
		     "unit.") },
		{ "related",
		  N_("This person is the one the log is about or one of the guardians, and cannot hold "
		     "it.") },
		{ "stay_elsewhere",
		  N_("The log moves to another municipality with this handover, and no one in this "
		     "municipality keeps access to it. Choose to leave the log.") },
		{ "other", N_("Choose a staff member from the list.") },
		{ NULL },
	};
	const char *code = o == HANDOVER_NOT_COVERED ? "not_covered"
		: o == HANDOVER_LEADER		     ? "leader"
		: o == HANDOVER_UNCLEARED	     ? "uncleared"
		: o == HANDOVER_SELF		     ? "self"
		: o == HANDOVER_SAME_UNIT	     ? "same_unit"
		: o == HANDOVER_RELATED		     ? "related"
		: o == HANDOVER_STAY_ELSEWHERE	     ? "stay_elsewhere"
						     : "other";
	return i18n_label(texts, code);
}

int handover_offer(const struct session *s, int64_t log_id, int64_t staff_role_id, bool stay, int64_t *id,
		   enum handover_outcome *o)
{
	struct log_row l;
	struct target t;
	int rc = lock_log(s->municipality_id, log_id, &l);
	if (rc < 0)
		return rc;
	if ((rc = target_of(s->municipality_id, log_id, staff_role_id, &t)) <= 0) {
		*o = HANDOVER_NO_SUCH_STAFF;
		return rc;
	}
	if ((*o = judge(s, &l, &t, stay)) != HANDOVER_DONE)
		return 0;
	long long m = s->municipality_id;
	rc = db_exec(
		"INSERT INTO handover (municipality_id, log_id, from_person_id, from_unit_id, to_person_id,"
		" to_unit_id, to_municipality_id, stay_as_actor, expires_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3) + INTERVAL ? DAY)",
		"iiiiiiiii", m, (long long)log_id, (long long)l.holder, (long long)l.unit,
		(long long)t.person_id, (long long)t.unit_id, (long long)t.municipality_id, (long long)stay,
		(long long)config_int("handover.offer_days"));
	if (rc < 0)
		return rc;
	*id = db_last_id();
	const char *to = t.municipality_id == m
		? arena_printf("%s, %s", t.name, t.unit_name)
		: arena_printf("%s, %s (%s)", t.name, t.unit_name, t.muni_name);
	if ((rc = history_record(s, log_id, "handover", *id, stay ? "offered_stay" : "offered_leave", NULL,
				 to)) < 0)
		return rc;
	return tell_offer(s, log_id, *id, &t);
}

/* --- answering --------------------------------------------------------------- */

struct offer_row {
	int64_t from_person;
	int64_t from_unit;
	int64_t from_municipality;
	int64_t to_person;
	int64_t to_unit;
	int64_t to_municipality;
	bool stay;
	bool live;
	int version;
	char *from_name;
	char *to_name;
	bool covered; /* the consent covers the receiving unit now */
	char *to_muni_name;
};
static const struct db_col offer_cols[] = {
	DB_COL(struct offer_row, from_person, DB_I64),
	DB_COL(struct offer_row, from_unit, DB_I64),
	DB_COL(struct offer_row, from_municipality, DB_I64),
	DB_COL(struct offer_row, to_person, DB_I64),
	DB_COL(struct offer_row, to_unit, DB_I64),
	DB_COL(struct offer_row, to_municipality, DB_I64),
	DB_COL(struct offer_row, stay, DB_BOOL),
	DB_COL(struct offer_row, live, DB_BOOL),
	DB_COL(struct offer_row, version, DB_INT),
	DB_COL(struct offer_row, from_name, DB_STR),
	DB_COL(struct offer_row, to_name, DB_STR),
	DB_COL(struct offer_row, covered, DB_BOOL),
	DB_COL(struct offer_row, to_muni_name, DB_STR),
};
static const struct db_map offer_map = DB_MAP(struct offer_row, offer_cols);

int handover_log_municipality(const struct session *s, int64_t log_id, int64_t handover_id, int64_t *out)
{
	struct id_row r;
	int rc = db_select_one(&id_map, &r,
			       "SELECT municipality_id FROM handover WHERE id = ? AND log_id = ?"
			       " AND to_person_id = ? AND to_municipality_id = ?",
			       "iiii", (long long)handover_id, (long long)log_id, (long long)s->person_id,
			       (long long)s->municipality_id);
	if (rc == 1)
		*out = r.id;
	return rc;
}

/* The offer, locked after the log's row (the order offering takes), for
 * the receiver when receiver is set; *muni the log's municipality (the
 * session's for the holder, perhaps another for the receiver). 1 open at
 * this version, 0 with *o saying why not, or < 0. */
static int lock_offer(const struct session *s, int64_t log_id, int64_t id, int version, bool receiver,
		      struct offer_row *r, int64_t *muni, enum handover_outcome *o)
{
	*muni = s->municipality_id;
	*o = HANDOVER_NOT_FOUND;
	int rc = receiver ? handover_log_municipality(s, log_id, id, muni) : 1;
	if (rc <= 0)
		return rc;
	struct log_row l;
	if ((rc = lock_log(*muni, log_id, &l)) < 0)
		return rc;
	rc = db_select_one(
		&offer_map, r,
		"SELECT h.from_person_id, h.from_unit_id, h.municipality_id, h.to_person_id,"
		" h.to_unit_id, h.to_municipality_id, h.stay_as_actor, " LIVE ", h.version,"
		" CONCAT(f.given_name, ' ', f.family_name), CONCAT(t.given_name, ' ', t.family_name),"
		" " COVERED("h.log_id", "h.to_unit_id") ", k.name FROM handover h"
							" JOIN person f ON f.id = h.from_person_id JOIN "
							"person t ON t.id = h.to_person_id"
							" JOIN municipality k ON k.id = h.to_municipality_id"
							" WHERE h.municipality_id = ? AND h.log_id = ? AND "
							"h.id = ? FOR UPDATE",
		"iii", (long long)*muni, (long long)log_id, (long long)id);
	if (rc < 0)
		return rc;
	*o = rc == 0 || (receiver && r->to_person != s->person_id) ? HANDOVER_NOT_FOUND
		: !r->live					   ? HANDOVER_ANSWERED
		: r->version != version				   ? HANDOVER_STALE
								   : HANDOVER_DONE;
	return *o == HANDOVER_DONE;
}

/* The offer's new state, answered now. */
static int answer(int64_t id, const char *state, const char *reason)
{
	int rc = db_exec(
		"UPDATE handover SET state = ?, decline_reason = ?, answered_at = CURRENT_TIMESTAMP(3),"
		" version = version + 1 WHERE id = ?",
		"sSi", state, reason, (long long)id);
	return rc < 0 ? rc : 0;
}

int handover_withdraw(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		      enum handover_outcome *o)
{
	struct offer_row r;
	int64_t muni;
	int rc = lock_offer(s, log_id, handover_id, version, false, &r, &muni, o);
	if (rc <= 0)
		return rc;
	if ((rc = answer(handover_id, "withdrawn", NULL)) < 0)
		return rc;
	return history_record(s, log_id, "handover", handover_id, "withdrawn", r.to_name, NULL);
}

int handover_decline(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		     const char *reason, enum handover_outcome *o)
{
	struct offer_row r;
	int64_t muni;
	int rc = lock_offer(s, log_id, handover_id, version, true, &r, &muni, o);
	if (rc <= 0)
		return rc;
	/* The log's history, in the log's municipality. */
	struct session as = { .municipality_id = muni, .person_id = s->person_id };
	if ((rc = answer(handover_id, "declined", reason)) < 0 ||
	    (rc = history_record(&as, log_id, "handover", handover_id, "declined", r.from_name, NULL)) < 0 ||
	    (rc = history_record(&as, log_id, "handover", handover_id, "decline_reason", NULL, reason)) < 0)
		return rc;
	/* The holder is told there is an answer (the reason is on the page). */
	enum outbox_notice told;
	return outbox_notify(muni, r.from_person, log_id, "handover_declined", NULL,
			     arena_printf("/logg/%lld/overlevering", (long long)log_id), false, NULL, &told);
}

/* The old holder as an actor for the unit they held the log for (again, if
 * they were one before), or every actor row of theirs ended. */
static int old_holder(const struct session *s, int64_t log_id, const struct offer_row *r)
{
	long long m = s->municipality_id, l = log_id, p = r->from_person;
	if (r->stay)
		return db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id)"
			       " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE removed_at = NULL,"
			       " removed_by = NULL, version = version + 1",
			       "iiii", m, l, p, (long long)r->from_unit);
	return db_exec("UPDATE log_actor SET removed_at = CURRENT_TIMESTAMP(3), removed_by = ?,"
		       " version = version + 1 WHERE municipality_id = ? AND log_id = ? AND person_id = ?"
		       " AND removed_at IS NULL",
		       "iiii", (long long)s->person_id, m, l, p);
}

int handover_accept(const struct session *s, int64_t log_id, int64_t handover_id, int version,
		    enum handover_outcome *o)
{
	struct offer_row r;
	int64_t muni;
	int rc = lock_offer(s, log_id, handover_id, version, true, &r, &muni, o);
	if (rc <= 0)
		return rc;
	if (!r.covered) {
		*o = HANDOVER_NOT_COVERED;
		return 0;
	}
	/* Written in the log's municipality; a move then takes it all along. */
	struct session as = { .municipality_id = muni, .person_id = s->person_id };
	bool moves = r.to_municipality != muni;
	long long m = muni, l = log_id;
	if ((rc = db_exec("UPDATE log SET holder_person_id = ?, unit_id = ?, version = version + 1"
			  " WHERE municipality_id = ? AND id = ?",
			  "iiii", (long long)r.to_person, (long long)r.to_unit, m, l)) < 0 ||
	    (rc = old_holder(&as, log_id, &r)) < 0 || (rc = answer(handover_id, "accepted", NULL)) < 0)
		return rc;
	rc = db_exec("INSERT INTO log_transition (municipality_id, log_id, kind, handover_id, by_person_id,"
		     " from_person_id, from_unit_id, from_municipality_id, to_person_id, to_unit_id,"
		     " to_municipality_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "iisiiiiiiii", (long long)r.to_municipality, l, moves ? "move" : "handover",
		     (long long)handover_id, (long long)s->person_id, (long long)r.from_person,
		     (long long)r.from_unit, (long long)r.from_municipality, (long long)r.to_person,
		     (long long)r.to_unit, (long long)r.to_municipality);
	if (rc < 0)
		return rc;
	int64_t transition = db_last_id();
	if ((rc = history_record(&as, log_id, "handover", handover_id, "accepted", r.from_name, r.to_name)) <
	    0)
		return rc;
	rc = r.stay ? history_record(&as, log_id, "actor", handover_id, "actor", NULL, r.from_name)
		    : history_record(&as, log_id, "handover", handover_id, "left", r.from_name, NULL);
	/* The archive's copy, in the municipality that held the log (before a
	 * move takes it away). */
	if (rc < 0 || (rc = archive_queue(&as, log_id, moves ? "move" : "handover", transition)) < 0 ||
	    !moves)
		return rc;
	struct logmove mv = { .log_id = log_id,
			      .from_municipality_id = muni,
			      .to_municipality_id = r.to_municipality,
			      .by_person_id = s->person_id };
	if ((rc = history_record(&as, log_id, "handover", handover_id, "moved", NULL, r.to_muni_name)) < 0)
		return rc;
	return logmove_run(&mv);
}

/* --- reading ------------------------------------------------------------------ */

static const struct db_col list_cols[] = {
	DB_COL(struct handover, id, DB_I64),
	DB_COL(struct handover, to_person_id, DB_I64),
	DB_COL(struct handover, from_given_name, DB_STR),
	DB_COL(struct handover, from_family_name, DB_STR),
	DB_COL(struct handover, from_unit_name, DB_STR),
	DB_COL(struct handover, to_given_name, DB_STR),
	DB_COL(struct handover, to_family_name, DB_STR),
	DB_COL(struct handover, to_unit_name, DB_STR),
	DB_COL(struct handover, stay_as_actor, DB_BOOL),
	DB_COL(struct handover, state, DB_STR),
	DB_COL(struct handover, decline_reason, DB_STR),
	DB_COL(struct handover, offered_at, DB_STR),
	DB_COL(struct handover, answered_at, DB_STR),
	DB_COL(struct handover, expires_at, DB_STR),
	DB_COL(struct handover, version, DB_INT),
	DB_COL(struct handover, moves, DB_BOOL),
	DB_COL(struct handover, from_municipality_name, DB_STR),
	DB_COL(struct handover, to_municipality_name, DB_STR),
};
static const struct db_map list_map = DB_MAP(struct handover, list_cols);

/* clang-format off */
#define LIST_SELECT \
	"SELECT h.id, h.to_person_id, f.given_name, f.family_name, fu.name, t.given_name, t.family_name," \
	" tu.name, h.stay_as_actor," \
	" IF(h.state = 'offered' AND h.expires_at <= CURRENT_TIMESTAMP(3), 'expired', h.state)," \
	" h.decline_reason, DATE_FORMAT(h.offered_at, '%Y-%m-%d %H:%i')," \
	" DATE_FORMAT(h.answered_at, '%Y-%m-%d %H:%i'), DATE_FORMAT(h.expires_at, '%Y-%m-%d %H:%i')," \
	" h.version, fu.municipality_id <> tu.municipality_id, fm.name, tm.name" \
	" FROM handover h JOIN person f ON f.id = h.from_person_id" \
	" JOIN unit fu ON fu.id = h.from_unit_id JOIN person t ON t.id = h.to_person_id" \
	" JOIN unit tu ON tu.id = h.to_unit_id JOIN municipality fm ON fm.id = fu.municipality_id" \
	" JOIN municipality tm ON tm.id = tu.municipality_id WHERE h.municipality_id = ? AND h.log_id = ?"
/* clang-format on */

static int newest_first(const void *a, const void *b)
{
	int64_t x = ((const struct handover *)a)->id, y = ((const struct handover *)b)->id;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The log's few offers by handover_log, sorted here: asked to order them by
 * id, MariaDB may walk the primary key of the whole table instead. */
int handover_list(int64_t municipality_id, int64_t log_id, struct handover **out)
{
	int n = db_select(&list_map, out, LIST_SELECT, "ii", (long long)municipality_id, (long long)log_id);
	if (n > 1)
		qsort(*out, (size_t)n, sizeof **out, newest_first);
	return n;
}

int handover_get(int64_t municipality_id, int64_t log_id, int64_t handover_id, struct handover *out)
{
	return db_select_one(&list_map, out, LIST_SELECT " AND h.id = ?", "iii", (long long)municipality_id,
			     (long long)log_id, (long long)handover_id);
}

const char *handover_state_label(const char *state)
{
	static const struct i18n_label labels[] = {
		{ "offered", NC_("a handover's state", "Offered, waiting for an answer") },
		{ "accepted", NC_("a handover's state", "Accepted") },
		{ "declined", NC_("a handover's state", "Declined") },
		{ "withdrawn", NC_("a handover's state", "Withdrawn") },
		{ "expired", NC_("a handover's state", "Expired without an answer") },
		{ NULL },
	};
	return i18n_label(labels, state);
}

static const struct db_col load_cols[] = {
	DB_COL(struct handover_load, subject_given_name, DB_STR),
	DB_COL(struct handover_load, subject_family_name, DB_STR),
	DB_COL(struct handover_load, unit_name, DB_STR),
	DB_COL(struct handover_load, open_measures, DB_INT),
	DB_COL(struct handover_load, next_evaluation, DB_STR),
	DB_COL(struct handover_load, next_deadline, DB_STR),
	DB_COL(struct handover_load, next_meeting, DB_STR),
};
static const struct db_map load_map = DB_MAP(struct handover_load, load_cols);

int handover_load(int64_t municipality_id, int64_t log_id, struct handover_load *out)
{
	return db_select_one(
		&load_map, out,
		"SELECT p.given_name, p.family_name, u.name, COALESCE(x.n, 0),"
		" DATE_FORMAT(x.evaluation, '%Y-%m-%d'), DATE_FORMAT(x.deadline, '%Y-%m-%d'),"
		" (SELECT DATE_FORMAT(MIN(g.starts_at), '%Y-%m-%d %H:%i') FROM meeting g WHERE g.log_id = "
		"l.id"
		"  AND g.municipality_id = l.municipality_id AND g.cancelled_at IS NULL"
		"  AND g.starts_at > UTC_TIMESTAMP())"
		" FROM log l JOIN person p ON p.id = l.subject_person_id JOIN unit u ON u.id = l.unit_id"
		" LEFT JOIN (SELECT m.log_id, COUNT(*) AS n, MIN(m.evaluation_date) AS evaluation,"
		"  MIN(m.deadline) AS deadline FROM measure m WHERE m.municipality_id = ? AND m.log_id = ?"
		"  AND m.status IN ('planned', 'ongoing') GROUP BY m.log_id) x ON x.log_id = l.id"
		" WHERE l.municipality_id = ? AND l.id = ?",
		"iiii", (long long)municipality_id, (long long)log_id, (long long)municipality_id,
		(long long)log_id);
}

static const struct db_col pending_cols[] = {
	DB_COL(struct handover_pending, id, DB_I64),
	DB_COL(struct handover_pending, log_id, DB_I64),
	DB_COL(struct handover_pending, from_given_name, DB_STR),
	DB_COL(struct handover_pending, from_family_name, DB_STR),
	DB_COL(struct handover_pending, from_unit_name, DB_STR),
	DB_COL(struct handover_pending, to_unit_name, DB_STR),
	DB_COL(struct handover_pending, expires_at, DB_STR),
};
static const struct db_map pending_map = DB_MAP(struct handover_pending, pending_cols);

int handover_pending(const struct session *s, struct handover_pending **out)
{
	return db_select(&pending_map, out,
			 "SELECT h.id, h.log_id, f.given_name, f.family_name, fu.name, tu.name,"
			 " DATE_FORMAT(h.expires_at, '%Y-%m-%d %H:%i') FROM handover h"
			 " JOIN person f ON f.id = h.from_person_id JOIN unit fu ON fu.id = h.from_unit_id"
			 " JOIN unit tu ON tu.id = h.to_unit_id"
			 " WHERE h.to_municipality_id = ? AND h.to_person_id = ? AND " LIVE " ORDER BY h.id",
			 "ii", (long long)s->municipality_id, (long long)s->person_id);
}

/* --- expiry --------------------------------------------------------------------- */

struct due_row {
	int64_t id;
	int64_t municipality_id;
	int64_t log_id;
	int64_t from_person;
	int64_t from_unit;
	char *to_name;
};
static const struct db_col due_cols[] = {
	DB_COL(struct due_row, id, DB_I64),	   DB_COL(struct due_row, municipality_id, DB_I64),
	DB_COL(struct due_row, log_id, DB_I64),	   DB_COL(struct due_row, from_person, DB_I64),
	DB_COL(struct due_row, from_unit, DB_I64), DB_COL(struct due_row, to_name, DB_STR),
};
static const struct db_map due_map = DB_MAP(struct due_row, due_cols);

/* One offer expired and told, in the open transaction: the holder links to
 * the handover page, a leader (who may not read the log) to their unit.
 * 1 expired, 0 answered meanwhile, or < 0. */
struct expire_ctx {
	const struct due_row *d;
	int *mails;
	int done;
};

static int expire_one(void *ctx)
{
	struct expire_ctx *c = ctx;
	const struct due_row *d = c->d;
	int rc = db_exec("UPDATE handover SET state = 'expired', answered_at = CURRENT_TIMESTAMP(3),"
			 " version = version + 1 WHERE id = ? AND state = 'offered'",
			 "i", (long long)d->id);
	if (rc <= 0)
		return rc; /* answered meanwhile: nothing to tell */
	struct session as = { .municipality_id = d->municipality_id, .person_id = d->from_person };
	if ((rc = history_record(&as, d->log_id, "handover", d->id, "expired", d->to_name, NULL)) < 0)
		return rc;
	struct id_row *leaders;
	int n = db_select(
		&id_map, &leaders,
		"SELECT DISTINCT person_id FROM staff_role WHERE municipality_id = ? AND unit_id = ?"
		" AND role = 'leader' AND person_id <> ? ORDER BY person_id",
		"iii", (long long)d->municipality_id, (long long)d->from_unit, (long long)d->from_person);
	if (n < 0)
		return n;
	for (int i = -1; i < n; i++) {
		int64_t p = i < 0 ? d->from_person : leaders[i].id;
		const char *path = i < 0 ? arena_printf("/logg/%lld/overlevering", (long long)d->log_id)
					 : arena_printf("/enhet/%lld", (long long)d->from_unit);
		const char *dedupe =
			arena_printf("handover_expired:%lld:%lld", (long long)d->id, (long long)p);
		enum outbox_notice o;
		if ((rc = outbox_notify(d->municipality_id, p, d->log_id, "handover_expired", NULL, path,
					false, dedupe, &o)) < 0)
			return rc;
		*c->mails += o == OUTBOX_QUEUED;
	}
	c->done = 1;
	return 0;
}

int handover_expire(const char *today, int *expired, int *mails)
{
	*expired = *mails = 0;
	struct due_row *due;
	int n = db_select(&due_map, &due,
			  "SELECT h.id, h.municipality_id, h.log_id, h.from_person_id, h.from_unit_id,"
			  " CONCAT(t.given_name, ' ', t.family_name) FROM handover h"
			  " JOIN person t ON t.id = h.to_person_id"
			  " WHERE h.state = 'offered' AND h.expires_at < CAST(? AS DATETIME) ORDER BY h.id",
			  "s", today);
	for (int i = 0; i < n; i++) {
		int queued = 0;
		struct expire_ctx c = { &due[i], &queued, 0 };
		int rc = db_transaction(expire_one, &c);
		if (rc < 0) {
			log_error("handover: offer %lld could not be expired (%d)", (long long)due[i].id, rc);
			return rc;
		}
		*expired += c.done;
		*mails += queued;
	}
	return n < 0 ? n : 0;
}
