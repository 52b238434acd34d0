/* test_db_measure.c — lib/measure.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py), as the application's
 * own account, on fixtures of its own in the demo municipality fjordvik: who
 * may be made responsible (and becomes an actor), stale edits, who may
 * evaluate, and the "my logs" figures. (Notes: test_db_note.c.) */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "arena.h"
#include "authz.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "measure.h"
#include "session.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static struct {
	int64_t muni, unit, other_unit, closed_unit;
	int64_t holder, staff, other_staff, closed_staff, guardian, stranger;
	int64_t log, concern, other_log, other_concern, goal;
} fx;
static const char *tag;

static int64_t count(const char *sql, int64_t a)
{
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, sql, "i", (long long)a), 1);
	return r.id;
}

static int64_t add_unit(const char *name, bool active)
{
	assert_int_equal(
		db_exec("INSERT INTO unit (municipality_id, kind, name, active) VALUES (?, 'other', ?, ?)",
			"isi", (long long)fx.muni, arena_printf("%s %s", name, tag), (long long)active),
		1);
	return db_last_id();
}

/* Nobody here logs in: a unique hash is enough, no sealed number. */
static int64_t add_person(const char *given)
{
	assert_int_equal(db_exec("INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac,"
				 " given_name, family_name) VALUES (?, UNHEX(SHA2(UUID(), 256)), 1,"
				 " UNHEX(SHA2(UUID(), 256)), ?, ?)",
				 "iss", (long long)fx.muni, given, tag),
			 1);
	return db_last_id();
}

static void add_staff(int64_t person, int64_t unit)
{
	assert_int_equal(
		db_exec("INSERT INTO staff_role (municipality_id, person_id, unit_id, role, cleared_at)"
			" VALUES (?, ?, ?, 'staff', CURRENT_TIMESTAMP(3))",
			"iii", (long long)fx.muni, (long long)person, (long long)unit),
		1);
}

static int64_t add_log(int64_t holder)
{
	int64_t child = add_person("Child");
	assert_int_equal(
		db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind,"
			" holder_person_id, unit_id, state, consent_until) VALUES (?, ?, 'child', ?, ?,"
			" 'active', CURRENT_DATE + INTERVAL 100 DAY)",
			"iiii", (long long)fx.muni, (long long)child, (long long)holder, (long long)fx.unit),
		1);
	return db_last_id();
}

static int64_t add_concern(int64_t log)
{
	assert_int_equal(db_exec("INSERT INTO concern (municipality_id, log_id, title, created_by)"
				 " VALUES (?, ?, 'Concern', ?)",
				 "iii", (long long)fx.muni, (long long)log, (long long)fx.holder),
			 1);
	return db_last_id();
}

static struct session as(int64_t person)
{
	return (struct session){ .municipality_id = fx.muni, .person_id = person };
}

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0)
		return -1;
	db_request_begin();
	tag = xstrdup(crypto_random_hex(4));
	struct id_row r;
	assert_int_equal(
		db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = 'fjordvik'", NULL), 1);
	fx.muni = r.id;
	fx.unit = add_unit("Measure kindergarten", true);
	fx.other_unit = add_unit("Measure health", true);
	fx.closed_unit = add_unit("Measure closed", false);
	fx.holder = add_person("Holder");
	fx.staff = add_person("Staff");
	fx.other_staff = add_person("Other");
	fx.closed_staff = add_person("Closed");
	fx.guardian = add_person("Guardian");
	fx.stranger = add_person("Stranger");
	add_staff(fx.holder, fx.unit);
	add_staff(fx.staff, fx.other_unit);
	add_staff(fx.other_staff, fx.other_unit);
	add_staff(fx.closed_staff, fx.closed_unit);
	fx.log = add_log(fx.holder);
	fx.concern = add_concern(fx.log);
	fx.other_log = add_log(fx.holder);
	fx.other_concern = add_concern(fx.other_log);
	assert_int_equal(
		db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)",
			"iii", (long long)fx.muni, (long long)fx.log, (long long)fx.guardian),
		1);
	assert_int_equal(db_exec("INSERT INTO consent_service (municipality_id, log_id, unit_id, valid_until)"
				 " VALUES (?, ?, ?, CURRENT_DATE + INTERVAL 100 DAY)",
				 "iii", (long long)fx.muni, (long long)fx.log, (long long)fx.other_unit),
			 1);
	struct session h = as(fx.holder);
	enum measure_outcome o;
	assert_int_equal(measure_add_goal(&h, fx.log, fx.concern, "A goal", &fx.goal, &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	db_request_end();
	arena_reset();
	return 0;
}

static struct measure_input input(int64_t person, int64_t unit, const char *description)
{
	return (struct measure_input){ .description = description,
				       .responsible_person_id = person,
				       .responsible_unit_id = unit,
				       .start_date = "",
				       .deadline = "",
				       .evaluation_date = "",
				       .status = "planned" };
}

static void only_the_holder_actors_and_staff_of_active_units_may_be_responsible(void **state)
{
	(void)state;
	db_request_begin();
	struct session h = as(fx.holder);
	enum measure_outcome o;
	int64_t id = 0;
	const char *actors = "SELECT COUNT(*) FROM log_actor WHERE log_id = ?";
	/* Nobody who is not in the list: a guardian, staff of a closed unit,
	 * staff with a unit not theirs, a stranger; nothing written. */
	const int64_t bad[][2] = { { fx.guardian, fx.unit },
				   { fx.closed_staff, fx.closed_unit },
				   { fx.staff, fx.unit },
				   { fx.stranger, fx.other_unit },
				   { fx.holder, fx.other_unit } };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct measure_input in = input(bad[i][0], bad[i][1], "x");
		assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &id, &o), 0);
		assert_int_equal(o, MEASURE_BAD_RESPONSIBLE);
	}
	assert_int_equal(count(actors, fx.log), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM measure WHERE log_id = ?", fx.log), 0);
	/* The holder: no actor row. Staff of another unit: becomes an actor once. */
	struct measure_input in = input(fx.holder, fx.unit, "by the holder");
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &id, &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	assert_int_equal(count(actors, fx.log), 0);
	in = input(fx.staff, fx.other_unit, "by staff");
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &id, &o), 0);
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &id, &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	assert_int_equal(count(actors, fx.log), 1);
	/* A goal of another log through this log: not found. */
	int64_t other_goal;
	assert_int_equal(measure_add_goal(&h, fx.other_log, fx.other_concern, "other", &other_goal, &o), 0);
	assert_int_equal(measure_add(&h, fx.log, other_goal, &in, &id, &o), 0);
	assert_int_equal(o, MEASURE_NOT_FOUND);
	/* A concern of another log: not found, nothing written. */
	int64_t g;
	assert_int_equal(measure_add_goal(&h, fx.log, fx.other_concern, "x", &g, &o), 0);
	assert_int_equal(o, MEASURE_NOT_FOUND);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

static void a_stale_edit_changes_nothing(void **state)
{
	(void)state;
	db_request_begin();
	struct session h = as(fx.holder);
	enum measure_outcome o;
	int64_t id;
	struct measure_input in = input(fx.staff, fx.other_unit, "first");
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &id, &o), 0);
	in.description = "second";
	in.status = "ongoing";
	assert_int_equal(measure_edit(&h, fx.log, id, 1, &in, &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	in.description = "third";
	assert_int_equal(measure_edit(&h, fx.log, id, 1, &in, &o), 0);
	assert_int_equal(o, MEASURE_STALE);
	struct measure m;
	assert_int_equal(measure_get(fx.muni, fx.log, id, &m), 1);
	assert_string_equal(m.description, "second");
	assert_string_equal(m.status, "ongoing");
	assert_int_equal(m.version, 2);
	assert_int_equal(m.responsible_unit_id, fx.other_unit);
	/* Each changed field once in the history: description and status. */
	assert_int_equal(count("SELECT COUNT(*) FROM log_history WHERE entity = 'measure' AND entity_id = ?"
			       " AND old_value IS NOT NULL",
			       id),
			 2);
	assert_int_equal(measure_edit(&h, fx.other_log, id, 2, &in, &o), 0);
	assert_int_equal(o, MEASURE_NOT_FOUND);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

/* Whether s may evaluate the measure: authz's EVALUATE for it, which must
 * agree with the rule a page applies to each measure it shows. */
static int may_evaluate(const struct session *s, int64_t log, int64_t measure_id)
{
	struct authz one, page;
	struct measure m;
	assert_int_equal(measure_get(fx.muni, log, measure_id, &m), 1);
	assert_int_equal(authz_check_item(s, log, measure_id, AUTHZ_EVALUATE, &one), 0);
	assert_int_equal(authz_check(s, log, AUTHZ_READ, &page), 0);
	assert_int_equal(authz_may_evaluate(&page, measure_responsible(&m, s->person_id)), one.allow);
	return one.allow;
}

static void who_may_evaluate(void **state)
{
	(void)state;
	db_request_begin();
	struct session h = as(fx.holder), s = as(fx.staff), o2 = as(fx.other_staff), g = as(fx.guardian);
	enum measure_outcome o;
	int64_t mine, theirs;
	struct measure_input in = input(fx.staff, fx.other_unit, "mine");
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &mine, &o), 0);
	in = input(fx.other_staff, fx.other_unit, "theirs");
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &theirs, &o), 0);
	assert_int_equal(db_commit(), 0);
	struct measure m1, m2;
	assert_int_equal(measure_get(fx.muni, fx.log, mine, &m1), 1);
	assert_int_equal(measure_get(fx.muni, fx.log, theirs, &m2), 1);
	assert_int_equal(may_evaluate(&h, fx.log, m1.id), 1);
	assert_int_equal(may_evaluate(&h, fx.log, m2.id), 1);
	assert_int_equal(may_evaluate(&s, fx.log, m1.id), 1);
	assert_int_equal(may_evaluate(&s, fx.log, m2.id), 0);
	assert_int_equal(may_evaluate(&o2, fx.log, m1.id), 0);
	assert_int_equal(may_evaluate(&g, fx.log, m1.id), 0);
	/* A removed actor evaluates nothing, even their own. */
	assert_int_equal(db_exec("UPDATE log_actor SET removed_at = CURRENT_TIMESTAMP(3) WHERE log_id = ?"
				 " AND person_id = ?",
				 "ii", (long long)fx.log, (long long)fx.other_staff),
			 1);
	assert_int_equal(may_evaluate(&o2, fx.log, m2.id), 0);
	/* Made responsible again, the removed actor is back. */
	in = input(fx.other_staff, fx.other_unit, "again");
	int64_t again;
	assert_int_equal(measure_add(&h, fx.log, fx.goal, &in, &again, &o), 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM log_actor WHERE log_id = ? AND removed_at IS NULL", fx.log), 2);
	assert_int_equal(may_evaluate(&o2, fx.log, m2.id), 1);
	assert_int_equal(measure_evaluate(&s, fx.log, mine, "partly", "ok", &o), 0);
	assert_int_equal(o, MEASURE_DONE);
	assert_int_equal(measure_get(fx.muni, fx.log, mine, &m1), 1);
	assert_string_equal(m1.eval_category, "partly");
	assert_string_equal(m1.eval_text, "ok");
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

static void my_logs_figures(void **state)
{
	(void)state;
	db_request_begin();
	int64_t holder = add_person("Overview");
	add_staff(holder, fx.unit);
	int64_t log = add_log(holder), concern, goal, id;
	struct session h = as(holder), s = as(fx.staff);
	enum measure_outcome o;
	concern = add_concern(log);
	assert_int_equal(measure_add_goal(&h, log, concern, "g", &goal, &o), 0);
	struct measure_input in = input(fx.staff, fx.other_unit, "due");
	in.evaluation_date = "2000-01-01"; /* long passed */
	in.deadline = "2099-12-31";
	assert_int_equal(measure_add(&h, log, goal, &in, &id, &o), 0);
	in = input(holder, fx.unit, "later");
	in.evaluation_date = "2099-01-01";
	in.deadline = "2099-06-01";
	assert_int_equal(measure_add(&h, log, goal, &in, &id, &o), 0);
	in.deadline = "2001-01-01";
	in.status = "completed";
	assert_int_equal(measure_add(&h, log, goal, &in, &id, &o), 0);
	/* The holder: the earliest open deadline, one evaluation due, one of
	 * their own; the completed measure counts for nothing. */
	int64_t logs[2] = { log, fx.log };
	struct measure_figures fig[2];
	struct measure_mine *mine;
	int n = measure_figures(&h, logs, 2, fig, 10, &mine);
	assert_int_equal(n, 1);
	assert_string_equal(fig[0].next_deadline, "2099-06-01");
	assert_false(fig[0].deadline_passed);
	assert_int_equal(fig[0].evaluations_due, 1);
	assert_int_equal(fig[0].mine, 1);
	assert_int_equal(fig[1].mine, 0); /* a log of others: nothing of the holder's */
	assert_string_equal(mine[0].description, "later");
	assert_int_equal(mine[0].log_id, log);
	/* The staff member: one measure of theirs, due, and its text. */
	n = measure_figures(&s, logs, 1, fig, 10, &mine);
	assert_int_equal(n, 1);
	assert_int_equal(fig[0].mine, 1);
	assert_true(mine[0].evaluation_due);
	assert_string_equal(mine[0].description, "due");
	assert_string_equal(mine[0].deadline, "2099-12-31");
	/* A limit on the person's own list; the figures still count them all. */
	n = measure_figures(&h, logs, 1, fig, 0, &mine);
	assert_int_equal(n, 0);
	assert_int_equal(fig[0].mine, 1);
	/* A log of another municipality counts nothing. */
	struct session other = h;
	other.municipality_id = fx.muni + 100000; /* no such municipality */
	n = measure_figures(&other, logs, 1, fig, 10, &mine);
	assert_int_equal(n, 0);
	assert_null(fig[0].next_deadline);
	assert_int_equal(fig[0].evaluations_due, 0);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

struct day_row {
	char *d;
};
static const struct db_col day_cols[] = { DB_COL(struct day_row, d, DB_STR) };
static const struct db_map day_map = DB_MAP(struct day_row, day_cols);

/* Today + n days, as the database counts (arena). */
static const char *day(int n)
{
	struct day_row r;
	assert_int_equal(db_select_one(&day_map, &r,
				       "SELECT DATE_FORMAT(CURRENT_DATE + INTERVAL ? DAY, '%Y-%m-%d')", "i",
				       (long long)n),
			 1);
	return r.d;
}

/* An evaluation comes due the municipality's evaluation_warn_days before its
 * date, and is overdue once the date has passed without one since then. */
static void evaluations_come_due_by_the_municipalitys_days(void **state)
{
	(void)state;
	db_request_begin();
	int64_t holder = add_person("Due days");
	add_staff(holder, fx.unit);
	int64_t log = add_log(holder), concern, goal, soon, past;
	struct session h = as(holder);
	enum measure_outcome o;
	concern = add_concern(log);
	assert_int_equal(measure_add_goal(&h, log, concern, "g", &goal, &o), 0);
	struct measure_input in = input(holder, fx.unit, "in ten days");
	in.evaluation_date = day(10);
	assert_int_equal(measure_add(&h, log, goal, &in, &soon, &o), 0);
	in = input(holder, fx.unit, "three days ago");
	in.evaluation_date = day(-3);
	assert_int_equal(measure_add(&h, log, goal, &in, &past, &o), 0);
	int64_t was = count("SELECT evaluation_warn_days FROM municipality WHERE id = ?", fx.muni);
	struct measure_figures fig;
	struct measure_mine *mine;
	int overdue = -1;
	static const struct {
		int days, due;
	} cases[] = { { 14, 2 }, { 10, 2 }, { 9, 1 }, { 0, 1 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_true(db_exec("UPDATE municipality SET evaluation_warn_days = ? WHERE id = ?", "ii",
				    (long long)cases[i].days, (long long)fx.muni) >= 0);
		assert_true(measure_figures(&h, &log, 1, &fig, 10, &mine) >= 0);
		assert_int_equal(fig.evaluations_due, cases[i].due);
		assert_int_equal(measure_overdue(fx.muni, &log, 1, &overdue), 0);
		assert_int_equal(overdue, 1);
	}
	/* Evaluated since it came due: neither due nor overdue. */
	assert_int_equal(measure_evaluate(&h, log, past, "partly", "ok", &o), 0);
	assert_int_equal(measure_overdue(fx.muni, &log, 1, &overdue), 0);
	assert_int_equal(overdue, 0);
	assert_true(measure_figures(&h, &log, 1, &fig, 10, &mine) >= 0);
	assert_int_equal(fig.evaluations_due, 0);
	assert_int_equal(db_exec("UPDATE municipality SET evaluation_warn_days = ? WHERE id = ?", "ii",
				 (long long)was, (long long)fx.muni),
			 1);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(only_the_holder_actors_and_staff_of_active_units_may_be_responsible),
		cmocka_unit_test(a_stale_edit_changes_nothing),
		cmocka_unit_test(who_may_evaluate),
		cmocka_unit_test(my_logs_figures),
		cmocka_unit_test(evaluations_come_due_by_the_municipalitys_days),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
