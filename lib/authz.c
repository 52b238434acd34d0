/* authz.c — the access rules of authz.h: one statement reads what relates a
 * person to a log and the log's consent state, a pure function decides, and
 * authz_require records the decision in the audit trail; the same for
 * units and the municipality (leaders and the administrator). Reads log,
 * municipality, person, log_guardian, log_actor, consent_service,
 * staff_role and unit; writes only through audit.c. */
#include "authz.h"

#include <stddef.h>
#include <string.h>

#include "app.h"
#include "arena.h"
#include "audit.h"
#include "db.h"
#include "log.h"
#include "session.h"

/* What each relation permits, one column per action in the order of enum
 * authz_action; a closed log further keeps only READ, READERS, FLOW and HISTORY. */
_Static_assert(AUTHZ_READ == 0 && AUTHZ_HISTORY == 7 && AUTHZ_NACTIONS == 8, "the columns below");
/* clang-format off */
static const bool may[][AUTHZ_NACTIONS] = {
	/*                   READ   WRITE  ENTRY  MANAGE CONSENT READERS FLOW   HISTORY */
	[AUTHZ_HOLDER]   = { true,  true,  true,  true,  false,  true,   true,  true  },
	[AUTHZ_GUARDIAN] = { true,  false, true,  false, true,   true,   false, false },
	[AUTHZ_YOUTH]    = { true,  false, true,  false, true,   true,   false, false },
	[AUTHZ_ACTOR]    = { true,  false, true,  false, false,  false,  false, false },
	[AUTHZ_LEADER]   = { false, false, false, false, false,  false,  true,  false },
	[AUTHZ_ADMIN]    = { false, false, false, false, false,  false,  false, false },
};
/* clang-format on */

/* Strongest first: the relation a decision is recorded under. */
static const enum authz_role by_strength[] = {
	AUTHZ_HOLDER, AUTHZ_GUARDIAN, AUTHZ_YOUTH, AUTHZ_ACTOR, AUTHZ_LEADER, AUTHZ_ADMIN,
};

static bool holds(const struct authz_facts *f, enum authz_role role)
{
	switch (role) {
	case AUTHZ_HOLDER:
		return f->holder;
	case AUTHZ_GUARDIAN:
		return f->guardian;
	case AUTHZ_YOUTH:
		return f->youth;
	case AUTHZ_ACTOR:
		return f->actor;
	case AUTHZ_LEADER:
		return f->leader;
	case AUTHZ_ADMIN:
		return f->admin;
	case AUTHZ_NONE:
		break;
	}
	return false;
}

/* What stays possible on a closed log: looking, never changing. */
static bool read_only(enum authz_action a)
{
	return a == AUTHZ_READ || a == AUTHZ_READERS || a == AUTHZ_FLOW || a == AUTHZ_HISTORY;
}

/* What the log's state and consent leave of what a relation may (authz.h). */
static bool permitted(const struct authz_facts *f, enum authz_role role, enum authz_action a)
{
	if (!may[role][a])
		return false;
	if (f->closed && !read_only(a))
		return false;
	if (f->withdrawn)
		return role == AUTHZ_HOLDER && (a == AUTHZ_READ || a == AUTHZ_MANAGE || a == AUTHZ_HISTORY);
	if (f->draft && role == AUTHZ_ACTOR)
		return false;
	if (f->lapsed && (a == AUTHZ_WRITE || a == AUTHZ_ENTRY))
		return false;
	return true;
}

struct authz authz_decide(const struct authz_facts *f, enum authz_action a)
{
	struct authz out = { false, AUTHZ_NONE, NULL };
	if (!f->found || (unsigned)a >= AUTHZ_NACTIONS)
		return out;
	for (size_t i = 0; i < sizeof by_strength / sizeof by_strength[0]; i++) {
		enum authz_role role = by_strength[i];
		if (!holds(f, role))
			continue;
		if (out.role == AUTHZ_NONE)
			out.role = role;
		if (permitted(f, role, a)) {
			out.allow = true;
			out.role = role;
			break;
		}
	}
	return out;
}

struct fact_row {
	int64_t id;
	char *state;
	bool withdrawn;
	bool lapsed;
	bool holder;
	bool guardian;
	bool youth;
	bool actor;
	bool leader;
	bool admin;
};
static const struct db_col fact_cols[] = {
	DB_COL(struct fact_row, id, DB_I64),	     DB_COL(struct fact_row, state, DB_STR),
	DB_COL(struct fact_row, withdrawn, DB_BOOL), DB_COL(struct fact_row, lapsed, DB_BOOL),
	DB_COL(struct fact_row, holder, DB_BOOL),    DB_COL(struct fact_row, guardian, DB_BOOL),
	DB_COL(struct fact_row, youth, DB_BOOL),     DB_COL(struct fact_row, actor, DB_BOOL),
	DB_COL(struct fact_row, leader, DB_BOOL),    DB_COL(struct fact_row, admin, DB_BOOL),
};
static const struct db_map fact_map = DB_MAP(struct fact_row, fact_cols);

/* One statement, so the relations are read together (SECURITY.md 31); a log
 * of another municipality is not found, exactly like a missing one. The
 * facts of a log for one person are columns after the log's id (fact_cols);
 * the parts below are shared by the one-log statement and authz_related. */
/* id, state, withdrawn, lapsed, holder (one ? for the person). */
/* clang-format off */
#define FACTS_OF_LOG \
	"l.id, l.state, l.withdrawn_at IS NOT NULL," \
	" l.state <> 'draft' AND (l.consent_until IS NULL OR l.consent_until < CURRENT_DATE)," \
	" l.holder_person_id = ?,"
/* leader of the log's unit, administrator (one ? each for the person). */
#define FACTS_OF_STAFF \
	" EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?" \
	"  AND s.municipality_id = l.municipality_id AND s.role = 'leader' AND s.unit_id = l.unit_id)," \
	" EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?" \
	"  AND s.municipality_id = l.municipality_id AND s.role = 'admin')"
#define FACTS_COLUMNS \
	FACTS_OF_LOG \
	" EXISTS (SELECT 1 FROM log_guardian g WHERE g.log_id = l.id AND g.person_id = ?)," \
	" l.subject_person_id = ? AND EXISTS (SELECT 1 FROM person p WHERE p.id = l.subject_person_id" \
	"  AND p.birth_date <= DATE_SUB(CURRENT_DATE, INTERVAL m.consent_age YEAR))," \
	" EXISTS (SELECT 1 FROM log_actor a JOIN consent_service c" \
	"  ON c.log_id = a.log_id AND c.unit_id = a.unit_id" \
	"  WHERE a.log_id = l.id AND a.person_id = ? AND a.removed_at IS NULL" \
	"  AND c.valid_until >= CURRENT_DATE AND c.withdrawn_at IS NULL)," \
	FACTS_OF_STAFF \
	" FROM log l JOIN municipality m ON m.id = l.municipality_id"
/* clang-format on */

static struct authz_facts facts_of(const struct fact_row *r)
{
	return (struct authz_facts){ .found = true,
				     .closed = strcmp(r->state, "closed") == 0,
				     .draft = strcmp(r->state, "draft") == 0,
				     .withdrawn = r->withdrawn,
				     .lapsed = r->lapsed,
				     .holder = r->holder,
				     .guardian = r->guardian,
				     .youth = r->youth,
				     .actor = r->actor,
				     .leader = r->leader,
				     .admin = r->admin };
}

static int read_facts(const struct session *s, int64_t log_id, struct authz_facts *f, char **state)
{
	struct fact_row r;
	long long p = (long long)s->person_id;
	int rc = db_select_one(
		&fact_map, &r, "SELECT " FACTS_COLUMNS " WHERE l.id = ? AND l.municipality_id = ?",
		"iiiiiiii", p, p, p, p, p, p, (long long)log_id, (long long)s->municipality_id);
	if (rc <= 0)
		return rc;
	*f = facts_of(&r);
	*state = r.state;
	return 1;
}

/* The decision for A and what every other action would be, from one set of
 * facts; the state only when allowed. */
static struct authz decide_all(const struct authz_facts *f, enum authz_action a, const char *state)
{
	struct authz out = authz_decide(f, a);
	for (int i = 0; i < AUTHZ_NACTIONS; i++)
		out.may[i] = authz_decide(f, (enum authz_action)i).allow;
	if (out.allow)
		out.state = state;
	return out;
}

int authz_check(const struct session *s, int64_t log_id, enum authz_action a, struct authz *out)
{
	*out = (struct authz){ .role = AUTHZ_NONE };
	if (!s || log_id <= 0 || (unsigned)a >= AUTHZ_NACTIONS)
		return 0;
	struct authz_facts f = { 0 };
	char *state = NULL;
	int rc = read_facts(s, log_id, &f, &state);
	if (rc < 0)
		return rc;
	*out = decide_all(&f, a, state);
	return 0;
}

/* The relations come from four index lookups (log_holder, log_subject,
 * log_guardian_person, log_actor_person), are folded per log (an actor
 * counts where a valid, not withdrawn consent covers the unit they act for),
 * and each log is then read by its primary key: the cost grows with the
 * person's own logs, never with the logs there are. The facts mean exactly
 * what FACTS_COLUMNS reads for one log (tests/unit/test_db_authz.c compares
 * the two). Folded before the join, so the statement needs no GROUP BY over
 * the log's columns. */
int authz_related(const struct session *s, enum authz_action a, int limit, struct authz_entry **out)
{
	*out = NULL;
	if (!s || limit <= 0 || (unsigned)a >= AUTHZ_NACTIONS)
		return 0;
	struct fact_row *rows;
	long long m = s->municipality_id, p = s->person_id;
	int n = db_select(
		&fact_map, &rows,
		/* clang-format off */
		"SELECT " FACTS_OF_LOG " c.guardian,"
		" l.subject_person_id = ? AND sp.birth_date <= DATE_SUB(CURRENT_DATE, INTERVAL m.consent_age YEAR),"
		" c.actor," FACTS_OF_STAFF
		" FROM (SELECT x.log_id, MAX(x.guardian) AS guardian, MAX(x.actor AND EXISTS (SELECT 1"
		"   FROM consent_service cs WHERE cs.log_id = x.log_id AND cs.unit_id = x.unit_id"
		"   AND cs.valid_until >= CURRENT_DATE AND cs.withdrawn_at IS NULL)) AS actor"
		"  FROM (SELECT id AS log_id, 0 AS guardian, 0 AS actor, 0 AS unit_id FROM log"
		"    WHERE municipality_id = ? AND holder_person_id = ?"
		"   UNION ALL SELECT id, 0, 0, 0 FROM log WHERE municipality_id = ? AND subject_person_id = ?"
		"   UNION ALL SELECT log_id, 1, 0, 0 FROM log_guardian WHERE municipality_id = ? AND person_id = ?"
		"   UNION ALL SELECT log_id, 0, 1, unit_id FROM log_actor WHERE municipality_id = ?"
		"    AND person_id = ? AND removed_at IS NULL) x"
		"  GROUP BY x.log_id) c"
		" JOIN log l ON l.id = c.log_id AND l.municipality_id = ?"
		" JOIN municipality m ON m.id = l.municipality_id JOIN person sp ON sp.id = l.subject_person_id"
		" ORDER BY l.id DESC LIMIT ?",
		/* clang-format on */
		"iiiiiiiiiiiiii", p, p, p, p, m, p, m, p, m, p, m, p, m, (long long)limit);
	if (n <= 0)
		return n;
	struct authz_entry *e = arena_alloc(sizeof *e * (size_t)n);
	for (int k = 0; k < n; k++) {
		struct authz_facts f = facts_of(&rows[k]);
		e[k].log_id = rows[k].id;
		e[k].az = decide_all(&f, a, rows[k].state);
	}
	*out = e;
	return n;
}

static struct audit_entry entry(const struct req *r, int64_t log_id, const struct authz *z, const char *what)
{
	const struct session *s = r->session;
	return (struct audit_entry){
		.municipality_id = s ? s->municipality_id : 0,
		.person_id = s ? s->person_id : 0,
		.role = s ? authz_role_name(z->role) : "anonymous",
		.log_id = log_id > 0 ? log_id : 0,
		.action = what,
		.outcome = z->allow ? "allow" : "deny",
	};
}

/* The denial outlives the request: the handler's transaction is undone and
 * the attempt recorded on its own (SECURITY.md 32). */
static int deny(const struct req *r, int64_t log_id, const struct authz *z, const char *what)
{
	db_rollback();
	struct audit_entry e = entry(r, log_id, z, what);
	log_warn("access denied: %s on log %lld as %s", what, (long long)log_id, e.role);
	int rc = audit_event(&e);
	return rc < 0 ? rc : 403;
}

int authz_require(struct req *r, int64_t log_id, enum authz_action a, const char *what, struct authz *out)
{
	struct authz local;
	if (!out)
		out = &local;
	*out = (struct authz){ false, AUTHZ_NONE, NULL };
	/* The check, the audit row and the handler's reads in one transaction,
	 * so a concurrent revocation cannot fall between them (SECURITY.md 31). */
	int rc = db_in_transaction() ? 0 : db_begin();
	if (rc < 0)
		return rc;
	rc = authz_check(r->session, log_id, a, out);
	if (rc < 0)
		return rc;
	if (!out->allow)
		return deny(r, log_id, out, what);
	struct audit_entry e = entry(r, log_id, out, what);
	rc = audit_append(&e);
	if (rc < 0) {
		/* No read without its audit row (SECURITY.md 60). */
		*out = (struct authz){ false, AUTHZ_NONE, NULL };
		return rc;
	}
	return 0;
}

struct yes {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes, yes_cols);

int authz_can_create_log(const struct session *s, int64_t unit_id)
{
	if (!s || unit_id <= 0)
		return 0;
	struct yes y;
	int rc = db_select_one(&yes_map, &y,
			       "SELECT EXISTS (SELECT 1 FROM staff_role s JOIN unit u ON u.id = s.unit_id"
			       " WHERE s.person_id = ? AND s.municipality_id = ? AND s.unit_id = ?"
			       " AND s.role = 'staff' AND s.cleared_at IS NOT NULL"
			       " AND u.municipality_id = s.municipality_id AND u.active)",
			       "iii", (long long)s->person_id, (long long)s->municipality_id,
			       (long long)unit_id);
	if (rc < 0)
		return rc;
	return rc == 1 && y.yes ? 1 : 0;
}

const char *authz_role_name(enum authz_role role)
{
	switch (role) {
	case AUTHZ_HOLDER:
		return "holder";
	case AUTHZ_ACTOR:
		return "actor";
	case AUTHZ_GUARDIAN:
		return "guardian";
	case AUTHZ_YOUTH:
		return "youth";
	case AUTHZ_LEADER:
		return "leader";
	case AUTHZ_ADMIN:
		return "admin";
	case AUTHZ_NONE:
		break;
	}
	return "none";
}

/* --- units and the municipality ----------------------------------------- */

/* What each relation permits on a unit, one column per enum authz_unit_action;
 * staff changes further need an active unit. */
_Static_assert(AUTHZ_UNIT_FLOW == 0 && AUTHZ_MUNI_ADMIN == 2 && AUTHZ_UNIT_NACTIONS == 3,
	       "the columns below");
/* clang-format off */
static const bool unit_may[][AUTHZ_UNIT_NACTIONS] = {
	/*                 FLOW   STAFF  ADMIN */
	[AUTHZ_LEADER] = { true,  true,  false },
	[AUTHZ_ADMIN]  = { false, false, true  },
};
/* clang-format on */

static const enum authz_role unit_by_strength[] = { AUTHZ_LEADER, AUTHZ_ADMIN };

static bool unit_holds(const struct authz_unit_facts *f, enum authz_role role)
{
	return role == AUTHZ_LEADER ? f->leader : role == AUTHZ_ADMIN ? f->admin : false;
}

struct authz authz_unit_decide(const struct authz_unit_facts *f, enum authz_unit_action a)
{
	struct authz out = { false, AUTHZ_NONE, NULL };
	if (!f->found || (unsigned)a >= AUTHZ_UNIT_NACTIONS)
		return out;
	for (size_t i = 0; i < sizeof unit_by_strength / sizeof unit_by_strength[0]; i++) {
		enum authz_role role = unit_by_strength[i];
		if (!unit_holds(f, role))
			continue;
		if (out.role == AUTHZ_NONE)
			out.role = role;
		if (unit_may[role][a] && (a != AUTHZ_UNIT_STAFF || f->active)) {
			out.allow = true;
			out.role = role;
			break;
		}
	}
	return out;
}

struct unit_fact_row {
	bool active;
	bool leader;
	bool admin;
};
static const struct db_col unit_fact_cols[] = {
	DB_COL(struct unit_fact_row, active, DB_BOOL),
	DB_COL(struct unit_fact_row, leader, DB_BOOL),
	DB_COL(struct unit_fact_row, admin, DB_BOOL),
};
static const struct db_map unit_fact_map = DB_MAP(struct unit_fact_row, unit_fact_cols);

/* One statement per question; a unit of another municipality is not found,
 * exactly like a missing one. Unit id 0 asks about the municipality. */
static int read_unit_facts(const struct session *s, int64_t unit_id, struct authz_unit_facts *f)
{
	struct unit_fact_row r;
	long long p = (long long)s->person_id, m = (long long)s->municipality_id;
	int rc;
	if (unit_id == 0)
		rc = db_select_one(&unit_fact_map, &r,
				   "SELECT m.active, FALSE, EXISTS (SELECT 1 FROM staff_role s"
				   " WHERE s.person_id = ? AND s.municipality_id = m.id AND s.role = 'admin')"
				   " FROM municipality m WHERE m.id = ?",
				   "ii", p, m);
	else
		rc = db_select_one(&unit_fact_map, &r,
				   "SELECT u.active,"
				   " EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?"
				   "  AND s.municipality_id = u.municipality_id AND s.unit_id = u.id"
				   "  AND s.role = 'leader'),"
				   " EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?"
				   "  AND s.municipality_id = u.municipality_id AND s.role = 'admin')"
				   " FROM unit u WHERE u.id = ? AND u.municipality_id = ?",
				   "iiii", p, p, (long long)unit_id, m);
	if (rc <= 0)
		return rc;
	/* An inactive municipality is nobody's to administer. */
	*f = (struct authz_unit_facts){
		.found = unit_id != 0 || r.active, .active = r.active, .leader = r.leader, .admin = r.admin
	};
	return 1;
}

int authz_unit_check(const struct session *s, int64_t unit_id, enum authz_unit_action a, struct authz *out)
{
	*out = (struct authz){ false, AUTHZ_NONE, NULL };
	if (!s || unit_id < 0 || (unsigned)a >= AUTHZ_UNIT_NACTIONS ||
	    (a == AUTHZ_MUNI_ADMIN) != (unit_id == 0))
		return 0;
	struct authz_unit_facts f = { 0 };
	int rc = read_unit_facts(s, unit_id, &f);
	if (rc < 0)
		return rc;
	*out = authz_unit_decide(&f, a);
	return 0;
}

static struct audit_entry unit_entry(const struct req *r, int64_t unit_id, const struct authz *z,
				     const char *what)
{
	const struct session *s = r->session;
	/* The unit by its internal id, as logs are: never a name. */
	return (struct audit_entry){
		.municipality_id = s ? s->municipality_id : 0,
		.person_id = s ? s->person_id : 0,
		.role = s ? authz_role_name(z->role) : "anonymous",
		.action = what,
		.outcome = z->allow ? "allow" : "deny",
		.detail = unit_id > 0 ? arena_printf("unit %lld", (long long)unit_id) : NULL,
	};
}

int authz_unit_require(struct req *r, int64_t unit_id, enum authz_unit_action a, const char *what,
		       struct authz *out)
{
	struct authz local;
	if (!out)
		out = &local;
	*out = (struct authz){ false, AUTHZ_NONE, NULL };
	int rc = db_in_transaction() ? 0 : db_begin();
	if (rc < 0)
		return rc;
	rc = authz_unit_check(r->session, unit_id, a, out);
	if (rc < 0)
		return rc;
	struct audit_entry e = unit_entry(r, unit_id, out, what);
	if (!out->allow) {
		/* As deny() for a log: the attempt outlives the request. */
		db_rollback();
		log_warn("access denied: %s on unit %lld as %s", what, (long long)unit_id, e.role);
		rc = audit_event(&e);
		return rc < 0 ? rc : 403;
	}
	rc = audit_append(&e);
	if (rc < 0) {
		*out = (struct authz){ false, AUTHZ_NONE, NULL };
		return rc;
	}
	return 0;
}
