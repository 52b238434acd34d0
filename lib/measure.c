/* measure.c — SQL and rules for goals, measures and evaluations (goal,
 * measure, evaluation; log_actor when a staff member is made responsible),
 * and the figures of "my logs". Every query filters on the municipality;
 * every change records its history. */
#include "measure.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "db.h"
#include "history.h"
#include "i18n.h"
#include "session.h"

const char *const measure_statuses[] = { "planned", "ongoing", "completed", "stopped", NULL };
const char *const measure_categories[] = { "achieved", "partly", "not_achieved", "ended", NULL };

const char *measure_status_label(const char *status)
{
	static const struct i18n_label labels[] = {
		{ "planned", N_("Planned") },
		{ "ongoing", N_("Ongoing") },
		{ "completed", N_("Completed") },
		{ "stopped", N_("Stopped") },
		{ NULL },
	};
	return i18n_label(labels, status);
}

const char *measure_category_label(const char *category)
{
	static const struct i18n_label labels[] = {
		{ "achieved", N_("Achieved") },
		{ "partly", N_("Partly achieved") },
		{ "not_achieved", N_("Not achieved") },
		{ "ended", N_("Ended") },
		{ NULL },
	};
	return i18n_label(labels, category);
}

/* The same in everyday words, for the plain-language version of the log
 * (guardians and young people). */
const char *measure_status_plain(const char *status)
{
	static const struct i18n_label texts[] = {
		{ "planned", N_("Not started yet.") },
		{ "ongoing", N_("Under way now.") },
		{ "completed", N_("Done.") },
		{ "stopped", N_("Stopped before it was done.") },
		{ NULL },
	};
	return i18n_label(texts, status);
}

const char *measure_category_plain(const char *category)
{
	static const struct i18n_label texts[] = {
		{ "achieved", N_("It worked: the goal was reached.") },
		{ "partly", N_("It helped some of the way.") },
		{ "not_achieved", N_("It did not help as we hoped.") },
		{ "ended", N_("It was ended.") },
		{ NULL },
	};
	return i18n_label(texts, category);
}

struct yes_row {
	bool yes;
};
static const struct db_col yes_cols[] = { DB_COL(struct yes_row, yes, DB_BOOL) };
static const struct db_map yes_map = DB_MAP(struct yes_row, yes_cols);

/* --- concerns and goals ------------------------------------------------- */

static const struct db_col goal_cols[] = {
	DB_COL(struct measure_goal, id, DB_I64),
	DB_COL(struct measure_goal, concern_id, DB_I64),
	DB_COL(struct measure_goal, concern_title, DB_STR),
	DB_COL(struct measure_goal, text, DB_STR),
	DB_COL(struct measure_goal, version, DB_INT),
};
static const struct db_map goal_map = DB_MAP(struct measure_goal, goal_cols);

int measure_goals(int64_t municipality_id, int64_t log_id, struct measure_goal **out)
{
	return db_select(&goal_map, out,
			 "SELECT g.id, g.concern_id, c.title, g.text, g.version FROM goal g"
			 " JOIN concern c ON c.id = g.concern_id AND c.municipality_id = g.municipality_id"
			 " WHERE g.municipality_id = ? AND g.log_id = ? ORDER BY g.concern_id, g.id",
			 "ii", (long long)municipality_id, (long long)log_id);
}

int measure_goal(int64_t municipality_id, int64_t log_id, int64_t goal_id, struct measure_goal *out)
{
	return db_select_one(
		&goal_map, out,
		"SELECT g.id, g.concern_id, c.title, g.text, g.version FROM goal g"
		" JOIN concern c ON c.id = g.concern_id AND c.municipality_id = g.municipality_id"
		" WHERE g.municipality_id = ? AND g.log_id = ? AND g.id = ?",
		"iii", (long long)municipality_id, (long long)log_id, (long long)goal_id);
}

int measure_add_goal(const struct session *s, int64_t log_id, int64_t concern_id, const char *text,
		     int64_t *goal_id, enum measure_outcome *o)
{
	*o = MEASURE_NOT_FOUND;
	struct yes_row y;
	int rc =
		db_select_one(&yes_map, &y,
			      "SELECT EXISTS (SELECT 1 FROM concern WHERE municipality_id = ? AND log_id = ?"
			      " AND id = ?)",
			      "iii", (long long)s->municipality_id, (long long)log_id, (long long)concern_id);
	if (rc < 0 || !y.yes)
		return rc < 0 ? rc : 0;
	rc = db_exec("INSERT INTO goal (municipality_id, log_id, concern_id, text, created_by)"
		     " VALUES (?, ?, ?, ?, ?)",
		     "iiisi", (long long)s->municipality_id, (long long)log_id, (long long)concern_id, text,
		     (long long)s->person_id);
	if (rc < 0)
		return rc;
	*goal_id = db_last_id();
	if ((rc = history_record(s, log_id, "goal", *goal_id, "text", NULL, text)) < 0)
		return rc;
	*o = MEASURE_DONE;
	return 0;
}

/* After an UPDATE that matched nothing: gone or stale? */
static int stale_or_missing(const char *what, int64_t municipality_id, int64_t log_id, int64_t id,
			    enum measure_outcome *o)
{
	struct yes_row y;
	int rc = strcmp(what, "goal") == 0
		? db_select_one(&yes_map, &y,
				"SELECT EXISTS (SELECT 1 FROM goal WHERE municipality_id = ?"
				" AND log_id = ? AND id = ?)",
				"iii", (long long)municipality_id, (long long)log_id, (long long)id)
		: db_select_one(&yes_map, &y,
				"SELECT EXISTS (SELECT 1 FROM measure WHERE municipality_id = ?"
				" AND log_id = ? AND id = ?)",
				"iii", (long long)municipality_id, (long long)log_id, (long long)id);
	if (rc < 0)
		return rc;
	*o = y.yes ? MEASURE_STALE : MEASURE_NOT_FOUND;
	return 0;
}

int measure_edit_goal(const struct session *s, int64_t log_id, int64_t goal_id, int version, const char *text,
		      enum measure_outcome *o)
{
	struct measure_goal g;
	int rc = measure_goal(s->municipality_id, log_id, goal_id, &g);
	if (rc <= 0) {
		*o = MEASURE_NOT_FOUND;
		return rc;
	}
	rc = db_exec("UPDATE goal SET text = ?, version = version + 1"
		     " WHERE municipality_id = ? AND log_id = ? AND id = ? AND version = ?",
		     "siiii", text, (long long)s->municipality_id, (long long)log_id, (long long)goal_id,
		     (long long)version);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return stale_or_missing("goal", s->municipality_id, log_id, goal_id, o);
	if ((rc = history_change(s, log_id, "goal", goal_id, "text", g.text, text)) < 0)
		return rc;
	*o = MEASURE_DONE;
	return 0;
}

/* --- the responsible person ---------------------------------------------- */

struct responsible_row {
	bool holder;	  /* the log's holder, for the log's unit */
	int64_t actor_id; /* log_actor row for (person, unit), 0 if none */
	bool removed;	  /* that row is removed */
	bool staff;	  /* staff of the unit, cleared by its leader, the unit active */
	char *given_name; /* of the person, if in the municipality */
	char *family_name;
	char *unit_name;
};
static const struct db_col responsible_cols[] = {
	DB_COL(struct responsible_row, holder, DB_BOOL),
	DB_COL(struct responsible_row, actor_id, DB_I64),
	DB_COL(struct responsible_row, removed, DB_BOOL),
	DB_COL(struct responsible_row, staff, DB_BOOL),
	DB_COL(struct responsible_row, given_name, DB_STR),
	DB_COL(struct responsible_row, family_name, DB_STR),
	DB_COL(struct responsible_row, unit_name, DB_STR),
};
static const struct db_map responsible_map = DB_MAP(struct responsible_row, responsible_cols);

/* Makes sure the chosen person may be responsible, adding them as an actor
 * of the log with the unit (or bringing a removed actor back) when they are
 * staff of it. *ok false: not someone who may be chosen; nothing written. */
static int ensure_responsible(const struct session *s, int64_t log_id, int64_t person, int64_t unit, bool *ok)
{
	*ok = false;
	long long m = s->municipality_id, l = log_id, p = person, u = unit;
	struct responsible_row r;
	int rc = db_select_one(
		&responsible_map, &r,
		"SELECT l.holder_person_id = ? AND l.unit_id = ?,"
		" (SELECT a.id FROM log_actor a WHERE a.log_id = l.id AND a.person_id = ? AND a.unit_id = ?),"
		" EXISTS (SELECT 1 FROM log_actor a WHERE a.log_id = l.id AND a.person_id = ?"
		"  AND a.unit_id = ? AND a.removed_at IS NOT NULL),"
		" EXISTS (SELECT 1 FROM staff_role r JOIN unit u ON u.id = r.unit_id"
		"  AND u.municipality_id = r.municipality_id"
		"  WHERE r.municipality_id = l.municipality_id AND r.person_id = ? AND r.unit_id = ?"
		"  AND r.role = 'staff' AND r.cleared_at IS NOT NULL AND u.active),"
		" p.given_name, p.family_name, u.name"
		" FROM log l LEFT JOIN person p ON p.id = ? AND p.municipality_id = l.municipality_id"
		" LEFT JOIN unit u ON u.id = ? AND u.municipality_id = l.municipality_id"
		" WHERE l.municipality_id = ? AND l.id = ? FOR UPDATE",
		"iiiiiiiiiiii", p, u, p, u, p, u, p, u, p, u, m, l);
	if (rc <= 0 || !r.given_name || !r.unit_name)
		return rc < 0 ? rc : 0;
	if (r.holder || (r.actor_id && !r.removed)) {
		*ok = true;
		return 0;
	}
	if (!r.staff)
		return 0;
	const char *who = arena_printf("%s %s, %s", r.given_name, r.family_name, r.unit_name);
	if (r.actor_id) {
		rc = db_exec("UPDATE log_actor SET removed_at = NULL, version = version + 1"
			     " WHERE id = ? AND municipality_id = ?",
			     "ii", (long long)r.actor_id, m);
	} else {
		rc = db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id)"
			     " VALUES (?, ?, ?, ?)",
			     "iiii", m, l, p, u);
		r.actor_id = db_last_id();
	}
	if (rc < 0 || (rc = history_record(s, log_id, "actor", r.actor_id, "actor", NULL, who)) < 0)
		return rc;
	*ok = true;
	return 0;
}

/* --- measures ------------------------------------------------------------- */

static const struct db_col measure_cols[] = {
	DB_COL(struct measure, id, DB_I64),
	DB_COL(struct measure, goal_id, DB_I64),
	DB_COL(struct measure, goal_text, DB_STR),
	DB_COL(struct measure, description, DB_STR),
	DB_COL(struct measure, responsible_person_id, DB_I64),
	DB_COL(struct measure, responsible_unit_id, DB_I64),
	DB_COL(struct measure, responsible_current, DB_BOOL),
	DB_COL(struct measure, responsible_given_name, DB_STR),
	DB_COL(struct measure, responsible_family_name, DB_STR),
	DB_COL(struct measure, responsible_unit, DB_STR),
	DB_COL(struct measure, start_date, DB_STR),
	DB_COL(struct measure, deadline, DB_STR),
	DB_COL(struct measure, evaluation_date, DB_STR),
	DB_COL(struct measure, status, DB_STR),
	DB_COL(struct measure, version, DB_INT),
	DB_COL(struct measure, eval_category, DB_STR),
	DB_COL(struct measure, eval_text, DB_STR),
	DB_COL(struct measure, eval_at, DB_STR),
	DB_COL(struct measure, eval_given_name, DB_STR),
	DB_COL(struct measure, eval_family_name, DB_STR),
};
static const struct db_map measure_map = DB_MAP(struct measure, measure_cols);

/* A measure with the unit its responsible person acts for (the log's unit
 * for the holder, else their actor row, a current one first, which also
 * says whether they are still an actor) and its latest evaluation; one row
 * per measure, each join by primary key or index. */
#define MEASURE_SELECT                                                                                       \
	"SELECT m.id, m.goal_id, g.text, m.description, m.responsible_person_id, ru.id,"                     \
	" a.id IS NOT NULL AND a.removed_at IS NULL,"                                                        \
	" rp.given_name, rp.family_name, ru.name, m.start_date, m.deadline, m.evaluation_date,"              \
	" m.status, m.version, e.category, e.text, DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i'),"             \
	" ep.given_name, ep.family_name"                                                                     \
	" FROM measure m JOIN log l ON l.id = m.log_id AND l.municipality_id = m.municipality_id"            \
	" JOIN goal g ON g.id = m.goal_id AND g.log_id = m.log_id"                                           \
	" JOIN person rp ON rp.id = m.responsible_person_id"                                                 \
	" LEFT JOIN log_actor a ON a.id = (SELECT a2.id FROM log_actor a2 WHERE a2.log_id = m.log_id"        \
	"  AND a2.person_id = m.responsible_person_id ORDER BY a2.removed_at IS NOT NULL, a2.id LIMIT 1)"    \
	" LEFT JOIN unit ru ON ru.id = IF(m.responsible_person_id = l.holder_person_id, l.unit_id,"          \
	"  a.unit_id)"                                                                                       \
	" LEFT JOIN evaluation e ON e.id = (SELECT MAX(e2.id) FROM evaluation e2 WHERE e2.measure_id = "     \
	"m.id)"                                                                                              \
	" LEFT JOIN person ep ON ep.id = e.by_person_id"

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct measure *)a)->id, y = ((const struct measure *)b)->id;
	return (x > y) - (x < y);
}

/* Sorted here, not by ORDER BY: MariaDB (10.11) sorts this join, which
 * carries TEXT columns, through an on-disk Aria temporary table, and that
 * cost more than all the log page's other statements together. */
int measure_list(int64_t municipality_id, int64_t log_id, struct measure **out)
{
	int n = db_select(&measure_map, out, MEASURE_SELECT " WHERE m.municipality_id = ? AND m.log_id = ?",
			  "ii", (long long)municipality_id, (long long)log_id);
	if (n > 1)
		qsort(*out, (size_t)n, sizeof **out, by_id);
	return n;
}

int measure_get(int64_t municipality_id, int64_t log_id, int64_t measure_id, struct measure *out)
{
	return db_select_one(&measure_map, out,
			     MEASURE_SELECT " WHERE m.municipality_id = ? AND m.log_id = ? AND m.id = ?",
			     "iii", (long long)municipality_id, (long long)log_id, (long long)measure_id);
}

static int record_fields(const struct session *s, int64_t log_id, int64_t id, const struct measure *old,
			 const struct measure_input *in, const char *new_responsible)
{
	const struct {
		const char *field, *old_value, *new_value;
	} f[] = {
		{ "description", old ? old->description : NULL, in->description },
		{ "responsible",
		  old ? arena_printf("%s %s", old->responsible_given_name, old->responsible_family_name)
		      : NULL,
		  new_responsible },
		{ "start_date", old ? old->start_date : NULL, in->start_date },
		{ "deadline", old ? old->deadline : NULL, in->deadline },
		{ "evaluation_date", old ? old->evaluation_date : NULL, in->evaluation_date },
		{ "status", old ? old->status : NULL, in->status },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		int rc = history_change(s, log_id, "measure", id, f[i].field, f[i].old_value, f[i].new_value);
		if (rc < 0)
			return rc;
	}
	return 0;
}

struct name_row {
	char *given_name;
	char *family_name;
};
static const struct db_col name_cols[] = {
	DB_COL(struct name_row, given_name, DB_STR),
	DB_COL(struct name_row, family_name, DB_STR),
};
static const struct db_map name_map = DB_MAP(struct name_row, name_cols);

static char *person_name(int64_t municipality_id, int64_t person_id)
{
	struct name_row n;
	int rc = db_select_one(&name_map, &n,
			       "SELECT given_name, family_name FROM person"
			       " WHERE municipality_id = ? AND id = ?",
			       "ii", (long long)municipality_id, (long long)person_id);
	return rc == 1 ? arena_printf("%s %s", n.given_name, n.family_name) : NULL;
}

int measure_add(const struct session *s, int64_t log_id, int64_t goal_id, const struct measure_input *in,
		int64_t *measure_id, enum measure_outcome *o)
{
	*o = MEASURE_NOT_FOUND;
	struct measure_goal g;
	int rc = measure_goal(s->municipality_id, log_id, goal_id, &g);
	if (rc <= 0)
		return rc;
	bool ok;
	rc = ensure_responsible(s, log_id, in->responsible_person_id, in->responsible_unit_id, &ok);
	if (rc < 0)
		return rc;
	if (!ok) {
		*o = MEASURE_BAD_RESPONSIBLE;
		return 0;
	}
	rc = db_exec("INSERT INTO measure (municipality_id, log_id, goal_id, description,"
		     " responsible_person_id, start_date, deadline, evaluation_date, status, created_by)"
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		     "iiisiSSSsi", (long long)s->municipality_id, (long long)log_id, (long long)goal_id,
		     in->description, (long long)in->responsible_person_id, in->start_date, in->deadline,
		     in->evaluation_date, in->status, (long long)s->person_id);
	if (rc < 0)
		return rc;
	*measure_id = db_last_id();
	const char *who = person_name(s->municipality_id, in->responsible_person_id);
	if ((rc = record_fields(s, log_id, *measure_id, NULL, in, who)) < 0)
		return rc;
	*o = MEASURE_DONE;
	return 0;
}

int measure_edit(const struct session *s, int64_t log_id, int64_t measure_id, int version,
		 const struct measure_input *in, enum measure_outcome *o)
{
	*o = MEASURE_NOT_FOUND;
	struct measure old;
	int rc = measure_get(s->municipality_id, log_id, measure_id, &old);
	if (rc <= 0)
		return rc;
	if (old.version != version) {
		*o = MEASURE_STALE;
		return 0;
	}
	bool ok;
	rc = ensure_responsible(s, log_id, in->responsible_person_id, in->responsible_unit_id, &ok);
	if (rc < 0)
		return rc;
	if (!ok) {
		*o = MEASURE_BAD_RESPONSIBLE;
		return 0;
	}
	rc = db_exec("UPDATE measure SET description = ?, responsible_person_id = ?, start_date = ?,"
		     " deadline = ?, evaluation_date = ?, status = ?, version = version + 1"
		     " WHERE municipality_id = ? AND log_id = ? AND id = ? AND version = ?",
		     "siSSSsiiii", in->description, (long long)in->responsible_person_id, in->start_date,
		     in->deadline, in->evaluation_date, in->status, (long long)s->municipality_id,
		     (long long)log_id, (long long)measure_id, (long long)version);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return stale_or_missing("measure", s->municipality_id, log_id, measure_id, o);
	const char *who = in->responsible_person_id == old.responsible_person_id
		? arena_printf("%s %s", old.responsible_given_name, old.responsible_family_name)
		: person_name(s->municipality_id, in->responsible_person_id);
	if ((rc = record_fields(s, log_id, measure_id, &old, in, who)) < 0)
		return rc;
	*o = MEASURE_DONE;
	return 0;
}

/* --- evaluations ------------------------------------------------------------ */

static const struct db_col evaluation_cols[] = {
	DB_COL(struct measure_evaluation, category, DB_STR),
	DB_COL(struct measure_evaluation, text, DB_STR),
	DB_COL(struct measure_evaluation, at, DB_STR),
	DB_COL(struct measure_evaluation, given_name, DB_STR),
	DB_COL(struct measure_evaluation, family_name, DB_STR),
};
static const struct db_map evaluation_map = DB_MAP(struct measure_evaluation, evaluation_cols);

int measure_evaluations(int64_t municipality_id, int64_t log_id, int64_t measure_id,
			struct measure_evaluation **out)
{
	return db_select(
		&evaluation_map, out,
		"SELECT e.category, e.text, DATE_FORMAT(e.created_at, '%Y-%m-%d %H:%i'),"
		" p.given_name, p.family_name FROM evaluation e JOIN person p ON p.id = e.by_person_id"
		" WHERE e.municipality_id = ? AND e.log_id = ? AND e.measure_id = ? ORDER BY e.id DESC",
		"iii", (long long)municipality_id, (long long)log_id, (long long)measure_id);
}

int measure_evaluate(const struct session *s, int64_t log_id, int64_t measure_id, const char *category,
		     const char *text, enum measure_outcome *o)
{
	*o = MEASURE_NOT_FOUND;
	struct yes_row y;
	int rc =
		db_select_one(&yes_map, &y,
			      "SELECT EXISTS (SELECT 1 FROM measure WHERE municipality_id = ? AND log_id = ?"
			      " AND id = ?)",
			      "iii", (long long)s->municipality_id, (long long)log_id, (long long)measure_id);
	if (rc < 0 || !y.yes)
		return rc < 0 ? rc : 0;
	rc = db_exec(
		"INSERT INTO evaluation (municipality_id, log_id, measure_id, category, text, by_person_id)"
		" VALUES (?, ?, ?, ?, ?, ?)",
		"iiisSi", (long long)s->municipality_id, (long long)log_id, (long long)measure_id, category,
		text, (long long)s->person_id);
	if (rc < 0)
		return rc;
	if ((rc = history_record(s, log_id, "measure", measure_id, "evaluation", NULL, category)) < 0)
		return rc;
	*o = MEASURE_DONE;
	return 0;
}

bool measure_responsible(const struct measure *m, int64_t person_id)
{
	return m->responsible_person_id == person_id && m->responsible_current;
}

/* --- who can be responsible ------------------------------------------------- */

static const struct db_col people_cols[] = {
	DB_COL(struct measure_person, person_id, DB_I64),  DB_COL(struct measure_person, unit_id, DB_I64),
	DB_COL(struct measure_person, given_name, DB_STR), DB_COL(struct measure_person, family_name, DB_STR),
	DB_COL(struct measure_person, unit_name, DB_STR),  DB_COL(struct measure_person, relation, DB_STR),
};
static const struct db_map people_map = DB_MAP(struct measure_person, people_cols);

int measure_people(int64_t municipality_id, int64_t log_id, struct measure_person **out)
{
	long long m = municipality_id, l = log_id;
	return db_select(
		&people_map, out,
		"SELECT x.person_id, x.unit_id, p.given_name, p.family_name, u.name, x.relation FROM ("
		" SELECT 0 AS k, holder_person_id AS person_id, unit_id, 'holder' AS relation FROM log"
		"  WHERE municipality_id = ? AND id = ?"
		" UNION SELECT 1, a.person_id, a.unit_id, 'actor' FROM log_actor a JOIN log l ON l.id = "
		"a.log_id"
		"  WHERE a.municipality_id = ? AND a.log_id = ? AND a.removed_at IS NULL"
		"  AND NOT (a.person_id = l.holder_person_id AND a.unit_id = l.unit_id)"
		" UNION SELECT DISTINCT 2, r.person_id, r.unit_id, 'staff' FROM staff_role r"
		"  JOIN unit su ON su.id = r.unit_id AND su.municipality_id = r.municipality_id AND su.active"
		"  JOIN log l ON l.id = ? AND l.municipality_id = r.municipality_id"
		"  WHERE r.municipality_id = ? AND r.role = 'staff' AND r.cleared_at IS NOT NULL"
		"  AND NOT (r.person_id = l.holder_person_id AND r.unit_id = l.unit_id)"
		"  AND NOT EXISTS (SELECT 1 FROM log_actor a WHERE a.log_id = l.id AND a.person_id = "
		"r.person_id"
		"   AND a.unit_id = r.unit_id AND a.removed_at IS NULL)"
		") x JOIN person p ON p.id = x.person_id JOIN unit u ON u.id = x.unit_id"
		" ORDER BY x.k, u.name, p.family_name, p.given_name, x.person_id",
		"iiiiii", m, l, m, l, l, m);
}

/* --- my logs -------------------------------------------------------------- */

/* One open measure of a listed log, with what the figures need. */
struct open_row {
	int64_t log_id;
	int64_t id;
	char *deadline;
	bool deadline_passed;
	bool evaluation_due;
	bool mine;
	char *description; /* only the person's own */
	char *evaluation_date;
	char *status;
};
static const struct db_col open_cols[] = {
	DB_COL(struct open_row, log_id, DB_I64),	  DB_COL(struct open_row, id, DB_I64),
	DB_COL(struct open_row, deadline, DB_STR),	  DB_COL(struct open_row, deadline_passed, DB_BOOL),
	DB_COL(struct open_row, evaluation_due, DB_BOOL), DB_COL(struct open_row, mine, DB_BOOL),
	DB_COL(struct open_row, description, DB_STR),	  DB_COL(struct open_row, evaluation_date, DB_STR),
	DB_COL(struct open_row, status, DB_STR),
};
static const struct db_map open_map = DB_MAP(struct open_row, open_cols);

/* Deadline first (YYYY-MM-DD compares as text), none last, then id. */
static int by_deadline(const void *a, const void *b)
{
	const struct open_row *x = a, *y = b;
	if (!x->deadline != !y->deadline)
		return x->deadline ? -1 : 1;
	int c = x->deadline ? strcmp(x->deadline, y->deadline) : 0;
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The open measures of the listed logs come by measure_log, each latest
 * evaluation by evaluation_measure; sorted here by deadline, so the first of
 * a log is its next deadline and the person's own are already in the order
 * of the list. An evaluation is due for an open measure whose evaluation date is
 * passed or within the municipality's evaluation_warn_days, unless it was
 * evaluated since that window opened (NOT_EVALUATED_SINCE_DUE, the one place
 * this is said). */
/* The measure m (of the municipality mu) has no evaluation from the day its
 * evaluation came due (evaluation_warn_days before its date) or later. */
/* clang-format off */
#define NOT_EVALUATED_SINCE_DUE \
	"NOT EXISTS (SELECT 1 FROM evaluation e WHERE e.measure_id = m.id" \
	"  AND e.created_at >= m.evaluation_date - INTERVAL mu.evaluation_warn_days DAY)"
/* clang-format on */

int measure_figures(const struct session *s, const int64_t *log_ids, int n, struct measure_figures *out,
		    int limit, struct measure_mine **mine)
{
	*mine = NULL;
	for (int i = 0; i < n; i++)
		out[i] = (struct measure_figures){ 0 };
	if (n <= 0)
		return 0;
	struct open_row *rows;
	long long p = s->person_id;
	int got = db_select(
		&open_map, &rows,
		"SELECT m.log_id, m.id, DATE_FORMAT(m.deadline, '%Y-%m-%d'), m.deadline < CURRENT_DATE,"
		" m.evaluation_date <= CURRENT_DATE + INTERVAL mu.evaluation_warn_days DAY "
		"AND " NOT_EVALUATED_SINCE_DUE ","
		" m.responsible_person_id = ?, IF(m.responsible_person_id = ?, m.description, NULL),"
		" DATE_FORMAT(m.evaluation_date, '%Y-%m-%d'), m.status"
		" FROM measure m JOIN municipality mu ON mu.id = m.municipality_id"
		" WHERE m.municipality_id = ? AND m.status IN ('planned', 'ongoing') AND m.log_id IN"
		" (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)",
		"iiis", p, p, (long long)s->municipality_id, db_ids_json(log_ids, n));
	if (got < 0)
		return got;
	if (got > 1) /* in C for the reason given at measure_list */
		qsort(rows, (size_t)got, sizeof *rows, by_deadline);
	struct measure_mine *own = arena_alloc(sizeof *own * (size_t)(got > 0 ? got : 1));
	int nown = 0;
	for (int k = 0; k < got; k++) {
		const struct open_row *m = &rows[k];
		for (int i = 0; i < n; i++) {
			if (log_ids[i] != m->log_id)
				continue;
			struct measure_figures *f = &out[i];
			if (m->deadline && !f->next_deadline) {
				f->next_deadline = m->deadline;
				f->deadline_passed = m->deadline_passed;
			}
			f->evaluations_due += m->evaluation_due;
			f->mine += m->mine;
			break;
		}
		if (m->mine && nown < limit)
			own[nown++] = (struct measure_mine){
				.id = m->id,
				.log_id = m->log_id,
				.description = m->description,
				.deadline = m->deadline,
				.evaluation_date = m->evaluation_date,
				.status = m->status,
				.evaluation_due = m->evaluation_due,
			};
	}
	*mine = own;
	return nown;
}

struct overdue_row {
	int64_t log_id;
	int n;
};
static const struct db_col overdue_cols[] = {
	DB_COL(struct overdue_row, log_id, DB_I64),
	DB_COL(struct overdue_row, n, DB_INT),
};
static const struct db_map overdue_map = DB_MAP(struct overdue_row, overdue_cols);

int measure_overdue(int64_t municipality_id, const int64_t *log_ids, int n, int *out)
{
	for (int i = 0; i < n; i++)
		out[i] = 0;
	if (n <= 0)
		return 0;
	struct overdue_row *rows;
	int got = db_select(
		&overdue_map, &rows,
		"SELECT m.log_id, COUNT(*) FROM measure m JOIN municipality mu ON mu.id = m.municipality_id"
		" WHERE m.municipality_id = ? AND m.status IN ('planned', 'ongoing')"
		" AND m.evaluation_date < CURRENT_DATE AND " NOT_EVALUATED_SINCE_DUE
		" AND m.log_id IN (SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS j)"
		" GROUP BY m.log_id",
		"is", (long long)municipality_id, db_ids_json(log_ids, n));
	if (got < 0)
		return got;
	for (int k = 0; k < got; k++)
		for (int i = 0; i < n; i++)
			if (log_ids[i] == rows[k].log_id)
				out[i] = rows[k].n;
	return 0;
}

static const struct db_col due_cols[] = {
	DB_COL(struct measure_due, municipality_id, DB_I64),
	DB_COL(struct measure_due, log_id, DB_I64),
	DB_COL(struct measure_due, id, DB_I64),
	DB_COL(struct measure_due, responsible_person_id, DB_I64),
	DB_COL(struct measure_due, evaluation_date, DB_STR),
};
static const struct db_map due_map = DB_MAP(struct measure_due, due_cols);

int measure_due(const char *today, struct measure_due **out)
{
	return db_select(&due_map, out,
			 "SELECT m.municipality_id, m.log_id, m.id, m.responsible_person_id,"
			 " DATE_FORMAT(m.evaluation_date, '%Y-%m-%d')"
			 " FROM measure m JOIN municipality mu ON mu.id = m.municipality_id AND mu.active"
			 " JOIN log l ON l.id = m.log_id AND l.municipality_id = m.municipality_id"
			 " WHERE l.state = 'active' AND l.withdrawn_at IS NULL"
			 " AND m.status IN ('planned', 'ongoing')"
			 " AND m.evaluation_date <= CAST(? AS DATE) + INTERVAL mu.evaluation_warn_days DAY"
			 " AND " NOT_EVALUATED_SINCE_DUE " ORDER BY m.id",
			 "s", today);
}
