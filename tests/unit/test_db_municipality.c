/* test_db_municipality.c — lib/municipality.c's settings: read as stored,
 * saved only at the version they were read at (a stale save writes nothing
 * and returns what is stored), each changed value one audit row, and the
 * database's own limits behind the form's; against the real MariaDB of a
 * running test stack (STAFETT_CONF; run by tests/http/run.py) as the
 * application's own account, on the demo municipality nordheim (whose
 * settings it puts back). */
#include <string.h>

#include "unit_db.h"
#include "municipality.h"
#include "session.h"

static int64_t muni;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	muni = unit_muni("nordheim");
	db_request_end();
	arena_reset();
	return 0;
}

static int64_t changes(void)
{
	return unit_db_int("SELECT COUNT(*) FROM audit_log WHERE municipality_id = ?"
			   " AND action = 'admin.settings.change'",
			   muni);
}

static void settings_are_saved_at_their_version_and_audited(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = muni, .person_id = 0 };
	s.person_id = unit_add_person(muni, "Admin", "Innstilling");
	struct municipality_settings m, cur;
	assert_int_equal(municipality_settings(muni, &m), 1);
	struct municipality_settings was = m;
	was.default_lang = arena_strdup(m.default_lang);
	int64_t before = changes();
	/* Two values changed: two rows, the version one on. */
	m.retention_years = m.retention_years == 9 ? 8 : 9;
	m.evaluation_warn_days = m.evaluation_warn_days == 30 ? 31 : 30;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(municipality_save_settings(&s, &m, &cur), 1);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(changes(), before + 2);
	struct municipality_settings now;
	assert_int_equal(municipality_settings(muni, &now), 1);
	assert_int_equal(now.version, m.version + 1);
	assert_int_equal(now.retention_years, m.retention_years);
	assert_int_equal(now.evaluation_warn_days, m.evaluation_warn_days);
	/* The same again at the old version: stale, nothing written. */
	m.consent_valid_years = 4;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(municipality_save_settings(&s, &m, &cur), 0);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(cur.version, now.version);
	assert_int_equal(cur.consent_valid_years, was.consent_valid_years);
	assert_int_equal(changes(), before + 2);
	/* The database holds the limits too. */
	assert_int_equal(db_begin(), 0);
	assert_true(db_exec("UPDATE municipality SET retention_years = 0 WHERE id = ?", "i",
			    (long long)muni) < 0);
	db_rollback();
	assert_int_equal(db_begin(), 0);
	assert_true(db_exec("UPDATE municipality SET default_lang = 'en' WHERE id = ?", "i",
			    (long long)muni) < 0);
	db_rollback();
	/* Put back. */
	was.version = now.version;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(municipality_save_settings(&s, &was, &cur), 1);
	assert_int_equal(db_commit(), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(settings_are_saved_at_their_version_and_audited),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
