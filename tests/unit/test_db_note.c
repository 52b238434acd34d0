/* test_db_note.c — lib/note.c against the real MariaDB of a running test
 * stack (STAFETT_CONF; run by tests/http/run.py), as the application's own
 * account, on fixtures of its own in the demo municipality fjordvik: a note
 * is about the log or one of its own concerns, and the list is the log's,
 * newest first. */
#include "unit_db.h"
#include "note.h"
#include "session.h"

static struct {
	int64_t muni, other_muni, unit, holder, guardian;
	int64_t log, concern, other_log, other_concern;
	const char *tag;
} fx;

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
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.other_muni = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Note unit %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Holder", fx.tag);
	fx.guardian = unit_add_person(fx.muni, "Guardian", fx.tag);
	fx.log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	fx.concern = add_concern(fx.log);
	fx.other_log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	fx.other_concern = add_concern(fx.other_log);
	db_request_end();
	arena_reset();
	return 0;
}

static void notes_newest_first_and_only_this_logs_concerns(void **state)
{
	(void)state;
	db_request_begin();
	struct session g = as(fx.guardian);
	int64_t a, b;
	bool found;
	assert_int_equal(note_add(&g, fx.log, 0, "first", false, &a, &found), 0);
	assert_true(found);
	assert_int_equal(note_add(&g, fx.log, fx.concern, "second", true, &b, &found), 0);
	assert_int_equal(note_add(&g, fx.log, fx.other_concern, "nope", false, &b, &found), 0);
	assert_false(found);
	struct note *notes;
	int n = note_list(fx.muni, fx.log, 10, &notes);
	assert_int_equal(n, 2);
	assert_string_equal(notes[0].text, "second");
	assert_true(notes[0].glimpse);
	assert_string_equal(notes[0].concern_title, "Concern");
	assert_string_equal(notes[1].text, "first");
	assert_null(notes[1].concern_title);
	assert_int_equal(note_list(fx.muni, fx.other_log, 10, &notes), 0);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

static int64_t notes_of(int64_t log)
{
	return unit_db_int("SELECT COUNT(*) FROM note WHERE log_id = ?", log);
}

/* A concern that is not the log's, whichever way it is not: nothing is
 * written and the id is not touched. */
static void another_logs_concern_writes_nothing(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = notes_of(fx.log), other_before = notes_of(fx.other_log), id = -7;
	bool found = true;
	struct session h = as(fx.holder);
	assert_int_equal(note_add(&h, fx.log, fx.other_concern, "x", false, &id, &found), 0);
	assert_false(found);
	/* A concern id that does not exist. */
	found = true;
	assert_int_equal(note_add(&h, fx.log, fx.other_concern + 1000000, "x", false, &id, &found), 0);
	assert_false(found);
	/* The log's own concern, asked from another municipality's session. */
	struct session stranger = { .municipality_id = fx.other_muni, .person_id = fx.holder };
	found = true;
	assert_int_equal(note_add(&stranger, fx.log, fx.concern, "x", false, &id, &found), 0);
	assert_false(found);
	assert_int_equal(id, -7);
	assert_int_equal(notes_of(fx.log), before);
	assert_int_equal(notes_of(fx.other_log), other_before);
	db_request_end();
	arena_reset();
}

/* Who wrote it and about what, as the page shows it; the list is bounded and
 * belongs to the log's municipality. */
static void the_list_names_the_author_and_is_bounded(void **state)
{
	(void)state;
	db_request_begin();
	struct session h = as(fx.holder);
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100), concern = add_concern(log),
		id;
	bool found;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(note_add(&h, log, i == 1 ? concern : 0, arena_printf("note %d", i), i == 2,
					  &id, &found),
				 0);
		assert_true(found);
	}
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM note WHERE id = ? AND concern_id IS NULL"
				     " AND author_person_id IS NOT NULL",
				     id),
			 1); /* no concern is NULL, not 0 */
	struct note *notes;
	assert_int_equal(note_list(fx.muni, log, 10, &notes), 3);
	assert_string_equal(notes[0].text, "note 2");
	assert_true(notes[0].glimpse);
	assert_string_equal(notes[1].text, "note 1");
	assert_false(notes[1].glimpse);
	assert_string_equal(notes[1].concern_title, "Concern");
	assert_string_equal(notes[2].text, "note 0");
	assert_string_equal(notes[2].given_name, "Holder");
	assert_string_equal(notes[2].family_name, fx.tag);
	assert_int_equal(strlen(notes[2].at), strlen("YYYY-MM-DD HH:MM"));
	assert_int_equal(notes[0].id, id);
	assert_int_equal(note_list(fx.muni, log, 2, &notes), 2);
	assert_string_equal(notes[1].text, "note 1");
	assert_int_equal(note_list(fx.other_muni, log, 10, &notes), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notes_newest_first_and_only_this_logs_concerns),
		cmocka_unit_test(another_logs_concern_writes_nothing),
		cmocka_unit_test(the_list_names_the_author_and_is_bounded),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
