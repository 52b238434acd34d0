/* test_db_concern.c — lib/concern.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py), as the application's
 * own account, on fixtures of its own in the demo municipalities fjordvik
 * and nordheim: which development areas a municipality offers and a concern
 * may have, stale and misdirected updates that write nothing, and a history
 * of the fields that changed. The application may only read
 * development_area, so setup adds the areas it needs (fjordvik's own, one
 * fjordvik has retired, one of nordheim's) as the database administrator. */
#include <string.h>

#include "unit_db.h"
#include "concern.h"
#include "session.h"

static struct {
	int64_t muni, other_muni, unit, holder, log, other_log;
	int64_t motor, language, behaviour; /* defaults */
	int64_t own, retired, foreign;	    /* fjordvik's own, fjordvik's retired, nordheim's */
	const char *tag, *own_en, *own_nn;
} fx;

static int64_t default_area(const char *code)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	struct unit_int_row r;
	assert_int_equal(
		db_select_one(&map, &r,
			      "SELECT id FROM development_area WHERE municipality_id IS NULL AND code = ?",
			      "s", code),
		1);
	return r.v;
}

/* As the administrator: the application may not write development_area. */
static int64_t add_area(int64_t muni, const char *code, bool active)
{
	assert_int_equal(db_exec("INSERT INTO development_area (municipality_id, code, name_nb, name_nn,"
				 " name_en, sort, active) VALUES (?, ?, ?, ?, ?, 5, ?)",
				 "issssi", (long long)muni, code, arena_printf("Eige nb %s", code),
				 arena_printf("Eige nn %s", code), arena_printf("Own en %s", code),
				 (long long)active),
			 1);
	return db_last_id();
}

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0 || db_connect("database_admin") < 0)
		return -1;
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.other_muni = unit_muni("nordheim");
	fx.own = add_area(fx.muni, arena_printf("own-%s", fx.tag), true);
	fx.retired = add_area(fx.muni, arena_printf("retired-%s", fx.tag), false);
	fx.foreign = add_area(fx.other_muni, arena_printf("foreign-%s", fx.tag), true);
	fx.own_en = xstrdup(arena_printf("Own en own-%s", fx.tag));
	fx.own_nn = xstrdup(arena_printf("Eige nn own-%s", fx.tag));
	if (db_connect("database") < 0)
		return -1;
	db_request_begin();
	fx.motor = default_area("motor");
	fx.language = default_area("language");
	fx.behaviour = default_area("behaviour");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Concern unit %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Holder", fx.tag);
	fx.log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	fx.other_log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	db_request_end();
	arena_reset();
	return 0;
}

static struct session holder(void)
{
	return (struct session){ .municipality_id = fx.muni, .person_id = fx.holder };
}

static int64_t history_of(int64_t concern)
{
	return unit_db_int("SELECT COUNT(*) FROM log_history WHERE entity = 'concern' AND entity_id = ?",
			   concern);
}

/* The log's links of one concern, ", "-separated (for comparing). */
static char *areas_of(int64_t log, int64_t concern)
{
	struct concern_link *links;
	int n = concern_links(fx.muni, log, "en", &links);
	assert_true(n >= 0);
	struct buf b = { 0 };
	buf_adds(&b, "");
	for (int i = 0; i < n; i++)
		if (links[i].concern_id == concern)
			buf_addf(&b, "%s%s", b.len ? ", " : "", links[i].name);
	return b.data;
}

/* Moved here from test_db_logbook.c, on a log of this file's own. */
static void concerns_with_areas_and_versions(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = holder();
	assert_int_equal(db_begin(), 0);
	int64_t id = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 100);
	struct concern_area *areas;
	int na = concern_areas(fx.muni, "nn", &areas);
	assert_true(na >= 11);
	assert_string_equal(areas[2].name, "Åtferd");
	int64_t chosen[] = { areas[0].id, areas[2].id, 999999999 }; /* the last is no area */
	int64_t cid;
	assert_int_equal(concern_create(&s, id, "nb", "Uro", "Tekst", chosen, 3, &cid), 0);
	struct concern_link *links;
	assert_int_equal(concern_links(fx.muni, id, "en", &links), 2);
	assert_string_equal(links[0].name, "Motor skills");
	assert_string_equal(links[1].name, "Behaviour");
	enum concern_outcome o;
	struct concern cur;
	assert_int_equal(concern_update(&s, id, cid, 1, "nb", "Ny", NULL, chosen, 1, &o, &cur), 0);
	assert_int_equal(o, CONCERN_DONE);
	assert_int_equal(concern_links(fx.muni, id, "en", &links), 1);
	assert_int_equal(concern_update(&s, id, cid, 1, "nb", "Gammel", NULL, chosen, 2, &o, &cur), 0);
	assert_int_equal(o, CONCERN_STALE);
	assert_string_equal(cur.title, "Ny");
	assert_int_equal(concern_update(&s, id + 1000000, cid, 2, "nb", "X", NULL, NULL, 0, &o, &cur), 0);
	assert_int_equal(o, CONCERN_NOT_FOUND);
	assert_int_equal(history_of(cid), 6); /* title, description, areas; then each of them again */
	db_rollback();
	db_request_end();
	arena_reset();
}

static bool offers(const struct concern_area *areas, int n, int64_t id, const char *name)
{
	for (int i = 0; i < n; i++)
		if (areas[i].id == id)
			return !name || strcmp(areas[i].name, name) == 0;
	return false;
}

/* The defaults and the municipality's own active areas, defaults first, in
 * the language asked for; never another municipality's, never a retired one. */
static void the_areas_a_municipality_offers(void **state)
{
	(void)state;
	db_request_begin();
	struct concern_area *areas;
	int n = concern_areas(fx.muni, "en", &areas);
	assert_true(n >= 12);
	assert_true(offers(areas, n, fx.language, "Language and communication"));
	assert_true(offers(areas, n, fx.own, fx.own_en));
	assert_false(offers(areas, n, fx.retired, NULL));
	assert_false(offers(areas, n, fx.foreign, NULL));
	int own_at = -1;
	for (int i = 0; i < n; i++)
		if (areas[i].id == fx.own)
			own_at = i;
	for (int i = 0; i < n; i++)
		if (areas[i].id == fx.motor || areas[i].id == fx.language || areas[i].id == fx.behaviour)
			assert_true(i < own_at);
	n = concern_areas(fx.muni, "nn", &areas);
	assert_true(offers(areas, n, fx.own, fx.own_nn));
	assert_true(offers(areas, n, fx.behaviour, "Åtferd"));
	n = concern_areas(fx.muni, "xx", &areas); /* a language it does not have: Bokmål */
	assert_true(offers(areas, n, fx.behaviour, "Atferd"));
	n = concern_areas(fx.other_muni, "en", &areas);
	assert_true(offers(areas, n, fx.foreign, NULL));
	assert_true(offers(areas, n, fx.language, NULL));
	assert_false(offers(areas, n, fx.own, NULL));
	db_request_end();
	arena_reset();
}

/* Areas of another municipality, retired ones and ids that are none are
 * left out, on creation and on update, and the history names only those kept. */
static void only_the_municipalitys_active_areas_are_kept(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = holder();
	assert_int_equal(db_begin(), 0);
	int64_t chosen[] = { fx.foreign, fx.language, fx.retired, fx.own, -1 }, cid;
	assert_int_equal(concern_create(&s, fx.log, "en", "Areas", NULL, chosen, 5, &cid), 0);
	char *expected = arena_printf("Language and communication, %s", fx.own_en);
	assert_string_equal(areas_of(fx.log, cid), expected);
	assert_string_equal(unit_db_text("SELECT new_value FROM log_history WHERE entity = 'concern'"
					 " AND field = 'areas' AND entity_id = ?",
					 cid),
			    expected);
	/* Only refused ones: the concern has none left, and the history says so. */
	int64_t refused[] = { fx.foreign, fx.retired };
	enum concern_outcome o;
	struct concern cur;
	assert_int_equal(concern_update(&s, fx.log, cid, 1, "en", "Areas", NULL, refused, 2, &o, &cur), 0);
	assert_int_equal(o, CONCERN_DONE);
	assert_string_equal(areas_of(fx.log, cid), "");
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM log_history WHERE entity = 'concern'"
				     " AND field = 'areas' AND new_value IS NULL AND entity_id = ?",
				     cid),
			 1);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

/* An update from a version that is no longer the concern's writes nothing:
 * not the text, not the areas, not the history; *current is the concern now. */
static void a_stale_version_writes_nothing(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = holder();
	assert_int_equal(db_begin(), 0);
	int64_t areas[] = { fx.language }, other_areas[] = { fx.motor, fx.own }, cid;
	assert_int_equal(concern_create(&s, fx.log, "en", "First", "Text", areas, 1, &cid), 0);
	enum concern_outcome o;
	struct concern cur;
	assert_int_equal(concern_update(&s, fx.log, cid, 1, "en", "Second", "Text", areas, 1, &o, &cur), 0);
	assert_int_equal(o, CONCERN_DONE);
	int64_t history = history_of(cid);
	assert_int_equal(concern_update(&s, fx.log, cid, 1, "en", "Third", "Other", other_areas, 2, &o, &cur),
			 0);
	assert_int_equal(o, CONCERN_STALE);
	assert_int_equal(cur.id, cid);
	assert_string_equal(cur.title, "Second");
	assert_string_equal(cur.description, "Text");
	assert_int_equal(cur.version, 2);
	assert_string_equal(unit_db_text("SELECT CONCAT_WS(' ', title, description, version) FROM concern"
					 " WHERE id = ?",
					 cid),
			    "Second Text 2");
	assert_string_equal(areas_of(fx.log, cid), "Language and communication");
	assert_int_equal(history_of(cid), history);
	/* A version from the future is as stale as one from the past. */
	assert_int_equal(concern_update(&s, fx.log, cid, 3, "en", "Third", "Other", other_areas, 2, &o, &cur),
			 0);
	assert_int_equal(o, CONCERN_STALE);
	assert_int_equal(history_of(cid), history);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

/* Through another log, or from another municipality's session, the concern
 * is not there, and nothing is written. */
static void another_logs_concern_is_not_found(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = holder();
	assert_int_equal(db_begin(), 0);
	int64_t areas[] = { fx.language }, cid;
	assert_int_equal(concern_create(&s, fx.log, "en", "Mine", NULL, areas, 1, &cid), 0);
	int64_t history = history_of(cid);
	enum concern_outcome o;
	struct concern cur;
	assert_int_equal(concern_update(&s, fx.other_log, cid, 1, "en", "Theirs", "x", NULL, 0, &o, &cur), 0);
	assert_int_equal(o, CONCERN_NOT_FOUND);
	struct session stranger = { .municipality_id = fx.other_muni, .person_id = fx.holder };
	assert_int_equal(concern_update(&stranger, fx.log, cid, 1, "en", "Theirs", "x", NULL, 0, &o, &cur),
			 0);
	assert_int_equal(o, CONCERN_NOT_FOUND);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', title, version) FROM concern WHERE id = ?", cid),
		"Mine 1");
	assert_string_equal(areas_of(fx.log, cid), "Language and communication");
	assert_int_equal(history_of(cid), history);
	/* The concern is listed under its own log only. */
	struct concern *list;
	int n = concern_list(fx.muni, fx.other_log, &list);
	for (int i = 0; i < n; i++)
		assert_int_not_equal(list[i].id, cid);
	assert_int_equal(concern_list(fx.other_muni, fx.log, &list), 0);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

/* The rows of one field of the concern's history, as "old -> new" (NULL as -). */
static char *changes_of(int64_t concern, const char *field)
{
	struct change {
		char *text;
	} * rows;
	static const struct db_col cols[] = { DB_COL(struct change, text, DB_STR) };
	static const struct db_map map = DB_MAP(struct change, cols);
	int n = db_select(
		&map, &rows,
		"SELECT CONCAT(COALESCE(old_value, '-'), ' -> ', COALESCE(new_value, '-'))"
		" FROM log_history WHERE entity = 'concern' AND entity_id = ? AND field = ? ORDER BY id",
		"is", (long long)concern, field);
	assert_true(n >= 0);
	struct buf b = { 0 };
	buf_adds(&b, "");
	for (int i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i ? "; " : "", rows[i].text);
	return b.data;
}

/* A new concern records the fields it has; an update records each field that
 * changed, once, and an empty description is no description. */
static void the_history_records_changed_fields_only(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = holder();
	assert_int_equal(db_begin(), 0);
	int64_t one[] = { fx.language }, two[] = { fx.language, fx.own }, cid;
	assert_int_equal(concern_create(&s, fx.log, "en", "Title", "", one, 1, &cid), 0);
	assert_null(unit_db_text("SELECT description FROM concern WHERE id = ?", cid));
	assert_int_equal(history_of(cid), 2); /* title and areas: no description */
	assert_string_equal(changes_of(cid, "title"), "- -> Title");
	assert_string_equal(changes_of(cid, "areas"), "- -> Language and communication");
	enum concern_outcome o;
	struct concern cur;
	/* The description alone. */
	assert_int_equal(concern_update(&s, fx.log, cid, 1, "en", "Title", "Now some text", one, 1, &o, &cur),
			 0);
	assert_int_equal(o, CONCERN_DONE);
	assert_int_equal(history_of(cid), 3);
	assert_string_equal(changes_of(cid, "description"), "- -> Now some text");
	/* The areas alone, named in the language asked for. */
	assert_int_equal(concern_update(&s, fx.log, cid, 2, "en", "Title", "Now some text", two, 2, &o, &cur),
			 0);
	assert_int_equal(history_of(cid), 4);
	assert_string_equal(changes_of(cid, "areas"),
			    arena_printf("- -> Language and communication; Language and communication ->"
					 " Language and communication, %s",
					 fx.own_en));
	/* Nothing changed: no history, but the version moves on. */
	assert_int_equal(concern_update(&s, fx.log, cid, 3, "en", "Title", "Now some text", two, 2, &o, &cur),
			 0);
	assert_int_equal(o, CONCERN_DONE);
	assert_int_equal(history_of(cid), 4);
	assert_int_equal(unit_db_int("SELECT version FROM concern WHERE id = ?", cid), 4);
	/* Emptied: stored and recorded as no value. */
	assert_int_equal(concern_update(&s, fx.log, cid, 4, "en", "Title", "", two, 2, &o, &cur), 0);
	assert_int_equal(history_of(cid), 5);
	assert_null(unit_db_text("SELECT description FROM concern WHERE id = ?", cid));
	assert_string_equal(changes_of(cid, "description"), "- -> Now some text; Now some text -> -");
	/* The title alone. */
	assert_int_equal(concern_update(&s, fx.log, cid, 5, "en", "New title", NULL, two, 2, &o, &cur), 0);
	assert_int_equal(history_of(cid), 6);
	assert_string_equal(changes_of(cid, "title"), "- -> Title; Title -> New title");
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concerns_with_areas_and_versions),
		cmocka_unit_test(the_areas_a_municipality_offers),
		cmocka_unit_test(only_the_municipalitys_active_areas_are_kept),
		cmocka_unit_test(a_stale_version_writes_nothing),
		cmocka_unit_test(another_logs_concern_is_not_found),
		cmocka_unit_test(the_history_records_changed_fields_only),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
