/* authz.c — the access rules of authz.h: one statement reads what relates a
 * person to a log and the log's consent state, a pure function decides, and
 * authz_require records the decision in the audit trail; the same for
 * units and the municipality (leaders, the administrator, who may create
 * logs). Reads log, municipality, person, log_guardian, log_actor,
 * consent_service, measure, staff_role, unit and handover; writes only through
 * audit.c. */
#include "authz.h"

#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "consent.h"
#include "db.h"
#include "log.h"
#include "session.h"

bool authz_of_log(enum authz_action a)
{
	return a >= AUTHZ_LOG_FIRST && a <= AUTHZ_LOG_LAST;
}

bool authz_of_unit(enum authz_action a)
{
	return a == AUTHZ_UNIT_FLOW || a == AUTHZ_UNIT_STAFF || a == AUTHZ_MUNI_ADMIN;
}

/* What each relation permits of the log actions that are not made of
 * others, one column each from READ; a closed log further keeps only READ,
 * READERS, FLOW and HISTORY. */
#define BASE_ACTIONS (AUTHZ_HISTORY - AUTHZ_READ + 1)
_Static_assert(AUTHZ_READ == 1 && AUTHZ_HISTORY == 8, "the columns below");
/* clang-format off */
static const bool may[][BASE_ACTIONS] = {
	/*                   READ   WRITE  ENTRY  MANAGE CONSENT READERS FLOW   HISTORY */
	[AUTHZ_HOLDER]   = { true,  true,  true,  true,  false,  true,   true,  true  },
	[AUTHZ_GUARDIAN] = { true,  false, true,  false, true,   true,   false, false },
	[AUTHZ_YOUTH]    = { true,  false, true,  false, true,   true,   false, false },
	[AUTHZ_ACTOR]    = { true,  false, true,  false, false,  false,  false, false },
	[AUTHZ_LEADER]   = { false, false, false, false, false,  false,  true,  false },
	[AUTHZ_ADMIN]    = { false, false, false, false, false,  false,  false, false },
	[AUTHZ_OFFERED]  = { false, false, false, false, false,  false,  false, false },
};
/* clang-format on */

/* Strongest first: the relation a decision is recorded under. */
static const enum authz_role by_strength[] = {
	AUTHZ_HOLDER, AUTHZ_GUARDIAN, AUTHZ_YOUTH, AUTHZ_ACTOR, AUTHZ_LEADER, AUTHZ_ADMIN, AUTHZ_OFFERED,
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
	case AUTHZ_OFFERED:
		return f->offered;
	default:
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
	if (!may[role][a - AUTHZ_READ])
		return false;
	if (f->closed && (!read_only(a) || role == AUTHZ_ACTOR))
		return false; /* staff see a closed log again once reopening is approved */
	if (f->withdrawn)
		return a == AUTHZ_READERS ||
			(role == AUTHZ_HOLDER &&
			 (a == AUTHZ_READ || a == AUTHZ_MANAGE || a == AUTHZ_HISTORY));
	if (a == AUTHZ_CONSENT && f->holder)
		return false; /* a holder never consents on the log they hold */
	if (f->draft && role == AUTHZ_ACTOR)
		return false;
	if (f->lapsed && (a == AUTHZ_WRITE || a == AUTHZ_ENTRY))
		return false;
	return true;
}

static struct authz denied(void)
{
	return (struct authz){ .role = AUTHZ_NONE, .status = 403 };
}

/* One of the actions in the table: the strongest relation that permits it. */
static struct authz decide_base(const struct authz_facts *f, enum authz_action a)
{
	struct authz out = denied();
	for (size_t i = 0; i < sizeof by_strength / sizeof by_strength[0]; i++) {
		enum authz_role role = by_strength[i];
		if (!holds(f, role))
			continue;
		if (out.role == AUTHZ_NONE)
			out.role = role;
		if (permitted(f, role, a)) {
			out = (struct authz){ .allow = true, .role = role };
			break;
		}
	}
	return out;
}

/* The EVALUATE rule, for authz_decide and authz_may_evaluate alike. */
static bool evaluates(bool write, bool entry, bool responsible)
{
	return write || (entry && responsible);
}

bool authz_may_evaluate(const struct authz *az, bool responsible)
{
	return evaluates(az->may[AUTHZ_WRITE], az->may[AUTHZ_ENTRY], responsible);
}

/* Every action in the table, decided once (b[READ] ... b[HISTORY]). */
static void decide_table(const struct authz_facts *f, struct authz *b)
{
	for (int i = AUTHZ_READ; i <= AUTHZ_HISTORY; i++)
		b[i] = decide_base(f, (enum authz_action)i);
}

/* Allowed, on the relation that allows it. */
static struct authz allowed(enum authz_role role)
{
	return (struct authz){ .allow = true, .role = role };
}

/* The strongest relation the person holds, for a refusal. */
static struct authz refused(const struct authz_facts *f)
{
	struct authz out = denied();
	for (size_t i = 0; i < sizeof by_strength / sizeof by_strength[0] && out.role == AUTHZ_NONE; i++)
		if (holds(f, by_strength[i]))
			out.role = by_strength[i];
	return out;
}

/* A log action from the table's decisions: itself, or made of them. */
static struct authz compose(const struct authz_facts *f, enum authz_action a, const struct authz *b)
{
	bool consenter = f->guardian || f->youth;
	enum authz_role own = f->guardian ? AUTHZ_GUARDIAN : AUTHZ_YOUTH;
	switch (a) {
	case AUTHZ_WITHDRAW:
		return consenter && !f->withdrawn ? allowed(own) : refused(f);
	case AUTHZ_RECORD:
		return b[AUTHZ_MANAGE].allow && consenter ? refused(f) : b[AUTHZ_MANAGE];
	case AUTHZ_DOCUMENT:
		if (b[AUTHZ_MANAGE].allow)
			return b[AUTHZ_MANAGE];
		return f->signer && consenter && !f->withdrawn ? allowed(own) : refused(f);
	case AUTHZ_GUARDIANS:
	case AUTHZ_ACTORS:
		return b[AUTHZ_MANAGE].allow && !f->withdrawn ? b[AUTHZ_MANAGE] : refused(f);
	case AUTHZ_DELETE:
		return f->draft && !f->withdrawn && f->creator && f->holder ? allowed(AUTHZ_HOLDER)
									    : refused(f);
	case AUTHZ_HANDOVER:
		return b[AUTHZ_MANAGE].allow && !f->draft && !f->withdrawn ? b[AUTHZ_MANAGE] : refused(f);
	case AUTHZ_OFFER:
		return f->offered && !f->closed && !f->withdrawn ? allowed(AUTHZ_OFFERED) : refused(f);
	case AUTHZ_PDF:
		return f->holder ? allowed(AUTHZ_HOLDER) : refused(f);
	case AUTHZ_EXPORT:
		if (f->holder)
			return allowed(AUTHZ_HOLDER);
		return consenter && b[AUTHZ_READ].allow ? b[AUTHZ_READ] : refused(f);
	case AUTHZ_STATE:
		if (b[AUTHZ_MANAGE].allow)
			return b[AUTHZ_MANAGE];
		if (f->closed && f->holder)
			return allowed(AUTHZ_HOLDER);
		if (f->closed && consenter && b[AUTHZ_READ].allow)
			return allowed(own);
		return b[AUTHZ_CONSENT];
	case AUTHZ_REOPEN:
		if (!f->holder || f->withdrawn || f->draft)
			return refused(f);
		return f->closed
			? allowed(AUTHZ_HOLDER)
			: (struct authz){ .role = AUTHZ_HOLDER, .status = 409, .detail = "not closed" };
	case AUTHZ_REOPEN_ANSWER:
		if (!consenter || f->holder || f->withdrawn || f->draft)
			return refused(f);
		return f->closed ? allowed(own)
				 : (struct authz){ .role = own, .status = 409, .detail = "not closed" };
	case AUTHZ_TRANSITION:
		if (!b[AUTHZ_MANAGE].allow && f->closed && f->holder)
			return (struct authz){ .role = AUTHZ_HOLDER, .status = 409, .detail = "closed" };
		return b[AUTHZ_MANAGE];
	case AUTHZ_EVALUATE: {
		struct authz e = b[AUTHZ_ENTRY];
		if (b[AUTHZ_WRITE].allow)
			return b[AUTHZ_WRITE];
		if (evaluates(false, e.allow, f->responsible))
			return e;
		if (e.allow)
			e = (struct authz){ .role = e.role, .status = 403, .detail = "not responsible" };
		return e;
	}
	default:
		return b[a];
	}
}

struct authz authz_decide(const struct authz_facts *f, enum authz_action a)
{
	if (!f->found || !authz_of_log(a))
		return denied();
	struct authz b[AUTHZ_NACTIONS];
	decide_table(f, b);
	return compose(f, a, b);
}

struct fact_row {
	int64_t id;
	char *state;
	bool withdrawn;
	bool has_until;
	int days_left;
	bool holder;
	bool creator;
	bool guardian;
	bool youth;
	bool actor;
	bool leader;
	bool admin;
	bool offered;
};
static const struct db_col fact_cols[] = {
	DB_COL(struct fact_row, id, DB_I64),	     DB_COL(struct fact_row, state, DB_STR),
	DB_COL(struct fact_row, withdrawn, DB_BOOL), DB_COL(struct fact_row, has_until, DB_BOOL),
	DB_COL(struct fact_row, days_left, DB_INT),  DB_COL(struct fact_row, holder, DB_BOOL),
	DB_COL(struct fact_row, creator, DB_BOOL),   DB_COL(struct fact_row, guardian, DB_BOOL),
	DB_COL(struct fact_row, youth, DB_BOOL),     DB_COL(struct fact_row, actor, DB_BOOL),
	DB_COL(struct fact_row, leader, DB_BOOL),    DB_COL(struct fact_row, admin, DB_BOOL),
	DB_COL(struct fact_row, offered, DB_BOOL),
};
static const struct db_map fact_map = DB_MAP(struct fact_row, fact_cols);

/* One statement, so the relations are read together (SECURITY.md 31); a log
 * of another municipality is not found, exactly like a missing one (unless
 * it is offered to the person, read_facts). The
 * facts of a log for one person are columns after the log's id (fact_cols);
 * the parts below are shared by the one-log statement and authz_related. */
/* id, state, withdrawn, the consent's end and the days to it (for
 * consent_lapsed), holder, creator (one ? each for the person). */
/* clang-format off */
#define FACTS_OF_LOG \
	"l.id, l.state, l.withdrawn_at IS NOT NULL, l.consent_until IS NOT NULL," \
	" COALESCE(DATEDIFF(l.consent_until, CURRENT_DATE), 0), l.holder_person_id = ?," \
	" COALESCE(l.created_by = ?, FALSE),"
/* leader of the log's unit, administrator, offered-to (a pending handover
 * to them: handover_log, then the few offers of the log) (one ? each for
 * the person, and the session's municipality for the offer). */
#define FACTS_OF_STAFF \
	" EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?" \
	"  AND s.municipality_id = l.municipality_id AND s.role = 'leader' AND s.unit_id = l.unit_id)," \
	" EXISTS (SELECT 1 FROM staff_role s WHERE s.person_id = ?" \
	"  AND s.municipality_id = l.municipality_id AND s.role = 'admin')," \
	" EXISTS (SELECT 1 FROM handover h WHERE h.log_id = l.id AND h.state = 'offered'" \
	"  AND h.to_person_id = ? AND h.to_municipality_id = ? AND h.expires_at > CURRENT_TIMESTAMP(3))"
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
				     .lapsed = consent_lapsed(r->state, r->has_until, r->days_left),
				     .holder = r->holder,
				     .creator = r->creator,
				     .guardian = r->guardian,
				     .youth = r->youth,
				     .actor = r->actor,
				     .leader = r->leader,
				     .admin = r->admin,
				     .offered = r->offered };
}

static int read_facts(const struct session *s, int64_t log_id, struct authz_facts *f, char **state)
{
	struct fact_row r;
	long long p = (long long)s->person_id;
	long long m = s->municipality_id;
	/* A log of another municipality is found only by the staff member it
	 * is offered to (a handover that would move it here): offered-to is
	 * then their one relation, since every other is by a person of the
	 * log's own municipality. */
	int rc = db_select_one(&fact_map, &r,
			       "SELECT " FACTS_COLUMNS " WHERE l.id = ? AND (l.municipality_id = ?"
			       " OR EXISTS (SELECT 1 FROM handover h WHERE h.log_id = l.id"
			       "  AND h.to_municipality_id = ? AND h.to_person_id = ? AND h.state = 'offered'"
			       "  AND h.expires_at > CURRENT_TIMESTAMP(3)))",
			       "iiiiiiiiiiiii", p, p, p, p, p, p, p, p, m, (long long)log_id, m, m, p);
	if (rc <= 0)
		return rc;
	*f = facts_of(&r);
	*state = r.state;
	return 1;
}

/* The decision for A and what every other log action would be, from one
 * set of facts; the state only when allowed. */
static struct authz decide_all(const struct authz_facts *f, enum authz_action a, const char *state)
{
	if (!f->found || !authz_of_log(a))
		return denied();
	struct authz b[AUTHZ_NACTIONS];
	decide_table(f, b);
	struct authz out = compose(f, a, b);
	for (int i = AUTHZ_LOG_FIRST; i <= AUTHZ_LOG_LAST; i++)
		out.may[i] = compose(f, (enum authz_action)i, b).allow;
	if (out.allow)
		out.state = state;
	return out;
}

struct yes {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes, yes_cols);

/* The one fact beyond the log's that EVALUATE asks of a measure (is the
 * person its responsible person and a current actor of the log?) and
 * DOCUMENT of a consent form (is it of a consent this person gave?). */
static int read_item(const struct session *s, int64_t log_id, enum authz_action a, int64_t item_id, bool *out)
{
	struct yes y = { false };
	long long m = s->municipality_id, l = log_id, i = item_id, p = s->person_id;
	int rc = a == AUTHZ_EVALUATE
		? db_select_one(
			  &yes_map, &y,
			  "SELECT EXISTS (SELECT 1 FROM measure m JOIN log_actor a ON a.log_id = m.log_id"
			  " AND a.person_id = m.responsible_person_id AND a.removed_at IS NULL"
			  " WHERE m.municipality_id = ? AND m.log_id = ? AND m.id = ?"
			  " AND m.responsible_person_id = ?)",
			  "iiii", m, l, i, p)
		: db_select_one(&yes_map, &y,
				"SELECT EXISTS (SELECT 1 FROM consent c WHERE c.municipality_id = ?"
				" AND c.log_id = ? AND c.document_id = ? AND c.person_id = ?)",
				"iiii", m, l, i, p);
	*out = rc == 1 && y.yes;
	return rc < 0 ? rc : 0;
}

int authz_check_item(const struct session *s, int64_t log_id, int64_t item_id, enum authz_action a,
		     struct authz *out)
{
	*out = denied();
	if (!s || log_id <= 0 || !authz_of_log(a))
		return 0;
	struct authz_facts f = { 0 };
	char *state = NULL;
	int rc = read_facts(s, log_id, &f, &state);
	if (rc < 0)
		return rc;
	/* Asked only when it could make the difference. */
	if (a == AUTHZ_EVALUATE && item_id > 0 && !authz_decide(&f, AUTHZ_WRITE).allow &&
	    authz_decide(&f, AUTHZ_ENTRY).allow &&
	    (rc = read_item(s, log_id, a, item_id, &f.responsible)) < 0)
		return rc;
	if (a == AUTHZ_DOCUMENT && item_id > 0 && !authz_decide(&f, AUTHZ_MANAGE).allow &&
	    (f.guardian || f.youth) && (rc = read_item(s, log_id, a, item_id, &f.signer)) < 0)
		return rc;
	*out = decide_all(&f, a, state);
	return 0;
}

int authz_check(const struct session *s, int64_t log_id, enum authz_action a, struct authz *out)
{
	return authz_check_item(s, log_id, 0, a, out);
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
		"iiiiiiiiiiiiiiiii", p, p, p, p, p, p, m, m, p, m, p, m, p, m, p, m, (long long)limit);
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

/* CREATE_LOG: cleared staff of some active unit of the municipality. */
static int create_check(const struct session *s, struct authz *out)
{
	*out = denied();
	if (!s)
		return 0;
	struct yes y;
	int rc = db_select_one(&yes_map, &y,
			       "SELECT EXISTS (SELECT 1 FROM staff_role s JOIN unit u ON u.id = s.unit_id"
			       " WHERE s.person_id = ? AND s.municipality_id = ? AND s.role = 'staff'"
			       " AND s.cleared_at IS NOT NULL AND u.municipality_id = s.municipality_id"
			       " AND u.active)",
			       "ii", (long long)s->person_id, (long long)s->municipality_id);
	if (rc < 0)
		return rc;
	if (rc == 1 && y.yes)
		*out = (struct authz){ .allow = true, .role = AUTHZ_STAFF };
	return 0;
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
	case AUTHZ_STAFF:
		return "staff";
	case AUTHZ_OFFERED:
		return "offered";
	case AUTHZ_NONE:
		break;
	}
	return "none";
}

/* The row that records a decision: people, logs and units by internal id,
 * never a name; a denial says why when there is more to say than no. */
static struct audit_entry entry(const struct session *s, const struct authz *z)
{
	const char *detail = z->detail ? z->detail
		: z->unit_id > 0       ? arena_printf("unit %lld", (long long)z->unit_id)
				       : NULL;
	return (struct audit_entry){
		.municipality_id = s ? s->municipality_id : 0,
		.person_id = s ? s->person_id : 0,
		.role = s ? authz_role_name(z->role) : "anonymous",
		.log_id = z->log_id > 0 ? z->log_id : 0,
		.action = z->what,
		.outcome = z->allow	   ? "allow"
			: z->status == 409 ? "refused"
					   : "deny",
		.detail = detail,
	};
}

int authz_require(const struct session *s, enum authz_action a, const int64_t *ids, const char *what,
		  struct authz *out)
{
	static const int64_t none[2];
	if (!ids)
		ids = none;
	*out = denied();
	if (a == AUTHZ_ANYONE) {
		out->allow = s != NULL;
		return s ? 0 : 403;
	}
	/* The check, the audit row and the handler's reads in one transaction,
	 * so a concurrent revocation cannot fall between them (SECURITY.md 31). */
	int rc = db_in_transaction() ? 0 : db_begin();
	if (rc < 0)
		return rc;
	int64_t log_id = 0, unit_id = 0;
	if (authz_of_log(a)) {
		log_id = ids[0];
		rc = authz_check_item(s, log_id, ids[1], a, out);
	} else if (authz_of_unit(a)) {
		unit_id = a == AUTHZ_MUNI_ADMIN ? 0 : ids[0];
		rc = authz_unit_check(s, unit_id, a, out);
	} else if (a == AUTHZ_CREATE_LOG) {
		rc = create_check(s, out);
	}
	if (rc < 0) {
		*out = denied();
		return rc;
	}
	out->what = what;
	out->log_id = log_id;
	out->unit_id = unit_id;
	struct audit_entry e = entry(s, out);
	if (!out->allow) {
		/* The denial outlives the request: the transaction is undone and
		 * the attempt recorded on its own (SECURITY.md 32). */
		db_rollback();
		log_warn("access denied: %s on %s %lld as %s%s%s", what, unit_id ? "unit" : "log",
			 (long long)(unit_id ? unit_id : log_id), e.role, out->detail ? ": " : "",
			 out->detail ? out->detail : "");
		rc = audit_event(&e);
		return rc < 0 ? rc : out->status;
	}
	out->pending = a != AUTHZ_CREATE_LOG;
	return 0;
}

void authz_invitation(const struct session *s, int64_t municipality_id, int64_t log_id,
		      int64_t invited_person_id, const char *what, struct authz *az)
{
	bool theirs = s && s->municipality_id == municipality_id && s->person_id == invited_person_id;
	*az = (struct authz){
		.allow = theirs, .role = AUTHZ_NONE, .what = what, .log_id = log_id, .pending = true
	};
	if (!theirs)
		authz_refuse(az, "wrong person");
}

void authz_refuse(struct authz *az, const char *detail)
{
	az->allow = false;
	az->status = 409;
	az->detail = detail;
}

void authz_repeated(struct authz *az)
{
	if (az->allow)
		az->detail = "repeated";
}

int authz_record(const struct session *s, struct authz *az, bool shown)
{
	if (!az->pending)
		return 0;
	az->pending = false;
	struct audit_entry e = entry(s, az);
	if (!az->allow)
		log_warn("refused: %s (%s)", az->what, az->detail ? az->detail : "");
	else if (shown && az->log_id > 0 && strncmp(az->what, "log.", 4) != 0) {
		e.action = "log.read";
		e.detail = az->what;
	}
	return audit_append_kept(&e);
}

int authz_audit_list(const struct session *s, const struct audit_item *items, size_t n)
{
	if (n == 0)
		return 0;
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person", /* each item says in which relation */
		.action = "log.list",
		.outcome = "allow",
		.items = items,
		.nitems = n,
	};
	return audit_append(&e);
}

/* --- units and the municipality ----------------------------------------- */

/* What each relation permits on a unit, one column per unit action from
 * UNIT_FLOW; staff changes further need an active unit. */
#define UNIT_ACTIONS 3
_Static_assert(AUTHZ_UNIT_STAFF == AUTHZ_UNIT_FLOW + 1 && AUTHZ_MUNI_ADMIN == AUTHZ_UNIT_FLOW + 2,
	       "the columns below");
/* clang-format off */
static const bool unit_may[][UNIT_ACTIONS] = {
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

struct authz authz_unit_decide(const struct authz_unit_facts *f, enum authz_action a)
{
	struct authz out = denied();
	if (!f->found || !authz_of_unit(a))
		return out;
	for (size_t i = 0; i < sizeof unit_by_strength / sizeof unit_by_strength[0]; i++) {
		enum authz_role role = unit_by_strength[i];
		if (!unit_holds(f, role))
			continue;
		if (out.role == AUTHZ_NONE)
			out.role = role;
		if (unit_may[role][a - AUTHZ_UNIT_FLOW] && (a != AUTHZ_UNIT_STAFF || f->active)) {
			out = (struct authz){ .allow = true, .role = role };
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

int authz_unit_check(const struct session *s, int64_t unit_id, enum authz_action a, struct authz *out)
{
	*out = denied();
	if (!s || unit_id < 0 || !authz_of_unit(a) || (a == AUTHZ_MUNI_ADMIN) != (unit_id == 0))
		return 0;
	struct authz_unit_facts f = { 0 };
	int rc = read_unit_facts(s, unit_id, &f);
	if (rc < 0)
		return rc;
	*out = authz_unit_decide(&f, a);
	for (int i = AUTHZ_UNIT_FLOW; i <= AUTHZ_MUNI_ADMIN; i++)
		if ((i == AUTHZ_MUNI_ADMIN) == (unit_id == 0))
			out->may[i] = authz_unit_decide(&f, (enum authz_action)i).allow;
	return 0;
}
