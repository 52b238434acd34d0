/* test_db_history.c — lib/history.c: what counts as a change (a pure rule),
 * and the rows history_change and history_record write and history_list
 * reads, against the real MariaDB of a running test stack (STAFETT_CONF;
 * run by tests/http/run.py) as the application's own account, on fixtures
 * of its own in the demo municipality fjordvik. */
#include <string.h>

#include "unit_db.h"
#include "history.h"
#include "session.h"

static struct {
	int64_t muni, other_muni, unit, holder, log, other_log;
	const char *tag;
} fx;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.other_muni = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.muni, arena_printf("History unit %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Historie", fx.tag);
	fx.log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	fx.other_log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	db_request_end();
	arena_reset();
	return 0;
}

/* NULL and "" are both "no value"; anything else is compared byte for byte. */
static void what_counts_as_a_change(void **state)
{
	(void)state;
	/* clang-format off */
	static const struct {
		const char *old_value, *new_value;
		bool changed;
	} cases[] = {
		{ NULL, NULL, false },
		{ NULL, "", false },
		{ "", NULL, false },
		{ "", "", false },
		{ NULL, "a", true },
		{ "", "a", true },
		{ "a", NULL, true },
		{ "a", "", true },
		{ "a", "a", false },
		{ "a", "b", true },
		{ "a", "A", true },		/* letter case is a change */
		{ "a", "a ", true },		/* so is a space */
		{ " ", "", true },		/* a space is a value */
		{ "æ", "æ", false },
		{ "line\n", "line", true },
	};
	/* clang-format on */
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (history_changed(cases[i].old_value, cases[i].new_value) != cases[i].changed)
			fail_msg("%s -> %s: expected %s", cases[i].old_value ? cases[i].old_value : "NULL",
				 cases[i].new_value ? cases[i].new_value : "NULL",
				 cases[i].changed ? "a change" : "no change");
}

/* Entity ids of this run's own: the log's id and a digit. */
static int64_t thing(int k)
{
	return fx.log * 10 + k;
}

static int64_t rows_of(int64_t entity_id)
{
	return unit_db_int("SELECT COUNT(*) FROM log_history WHERE entity = 'test' AND entity_id = ?",
			   entity_id);
}

/* Only a change is recorded, and "" is recorded as NULL; the list is the
 * log's, newest first, with who made each change. */
static void only_changes_are_recorded_newest_first(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	assert_int_equal(db_begin(), DB_OK);
	/* No change: nothing written. */
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "title", "Same", "Same"), 0);
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "title", "", NULL), 0);
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "description", NULL, ""), 0);
	assert_int_equal(rows_of(thing(1)), 0);
	/* A new thing records its fields that have a value; then the changes. */
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "title", NULL, "First"), 0);
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "title", "First", "Second"), 0);
	assert_int_equal(history_change(&s, fx.log, "test", thing(1), "description", "Some text", ""), 0);
	assert_int_equal(rows_of(thing(1)), 3);
	assert_int_equal(
		unit_db_int("SELECT COUNT(*) FROM log_history WHERE entity_id = ? AND entity = 'test'"
			    " AND field = 'description' AND old_value = 'Some text' AND new_value IS NULL",
			    thing(1)),
		1);
	assert_int_equal(
		unit_db_int("SELECT COUNT(*) FROM log_history WHERE entity_id = ? AND entity = 'test'"
			    " AND field = 'title' AND old_value IS NULL AND new_value = 'First'",
			    thing(1)),
		1);
	/* history_record itself writes what it is given. */
	assert_int_equal(history_record(&s, fx.other_log, "test", thing(2), "title", "x", "x"), 0);
	assert_int_equal(rows_of(thing(2)), 1);
	assert_int_equal(db_commit(), DB_OK);

	struct history_entry *h;
	assert_int_equal(history_list(fx.muni, fx.log, 10, &h), 3);
	assert_string_equal(h[0].field, "description");
	assert_string_equal(h[0].old_value, "Some text");
	assert_null(h[0].new_value);
	assert_string_equal(h[1].old_value, "First");
	assert_string_equal(h[1].new_value, "Second");
	assert_null(h[2].old_value);
	assert_string_equal(h[2].new_value, "First");
	assert_string_equal(h[2].entity, "test");
	assert_int_equal(h[2].entity_id, thing(1));
	assert_string_equal(h[2].given_name, "Historie");
	assert_string_equal(h[2].family_name, fx.tag);
	assert_int_equal(strlen(h[2].at), strlen("YYYY-MM-DD HH:MM"));
	/* At most limit; another log's rows are not this log's; another
	 * municipality sees none of them. */
	assert_int_equal(history_list(fx.muni, fx.log, 2, &h), 2);
	assert_string_equal(h[1].new_value, "Second");
	assert_int_equal(history_list(fx.muni, fx.other_log, 10, &h), 1);
	assert_string_equal(h[0].old_value, "x");
	assert_int_equal(history_list(fx.other_muni, fx.log, 10, &h), 0);
	db_request_end();
	arena_reset();
}

/* Written in the caller's transaction: a change rolled back leaves no history. */
static void a_rolled_back_change_leaves_no_history(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(history_change(&s, fx.log, "test", thing(3), "title", "a", "b"), 0);
	assert_int_equal(rows_of(thing(3)), 1);
	db_rollback();
	assert_int_equal(rows_of(thing(3)), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_counts_as_a_change),
		cmocka_unit_test(only_changes_are_recorded_newest_first),
		cmocka_unit_test(a_rolled_back_change_leaves_no_history),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
