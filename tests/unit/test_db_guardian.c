/* test_db_guardian.c — lib/guardian.c: adding a guardian to a log and
 * removing one, with the history and the consent recomputed (a new guardian
 * has not consented; a removed one's consent no longer counts), and what
 * cannot be a new guardian (the holder, the subject, a guardian already);
 * against the real MariaDB of a running test stack (STAFETT_CONF; run by
 * tests/http/run.py) as the application's own account, on fixtures of its
 * own in the demo municipality fjordvik. */
#include <string.h>

#include "unit_db.h"
#include "audit.h"
#include "consent.h"
#include "guardian.h"
#include "session.h"

static struct {
	int64_t muni, unit, holder;
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
	fx.unit = unit_add_unit(fx.muni, arena_printf("Guardian unit %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Holder", fx.tag);
	db_request_end();
	arena_reset();
	return 0;
}

/* An active log of a child of six, with guardians who have each consented
 * to establish it (a year), and the consent derived as the programs do. */
static int64_t child_log(const int64_t *guardians, int n)
{
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "active", 365);
	assert_int_equal(db_exec("UPDATE person p JOIN log l ON l.subject_person_id = p.id"
				 " SET p.birth_date = CURRENT_DATE - INTERVAL 6 YEAR WHERE l.id = ?",
				 "i", (long long)log),
			 1);
	for (int i = 0; i < n; i++) {
		assert_int_equal(db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id)"
					 " VALUES (?, ?, ?)",
					 "iii", (long long)fx.muni, (long long)log, (long long)guardians[i]),
				 1);
		assert_int_equal(
			db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, method,"
				" given_at, valid_until, recorded_by) VALUES (?, ?, 'establish', ?,"
				" 'signed_form', CURRENT_DATE, CURRENT_DATE + INTERVAL 1 YEAR, ?)",
				"iiii", (long long)fx.muni, (long long)log, (long long)guardians[i],
				(long long)fx.holder),
			1);
	}
	return log;
}

/* Undoes the transaction, keeping its look-ups' audit rows as the request
 * lifecycle does. */
static void roll_back(void)
{
	db_rollback();
	assert_int_equal(audit_rolled_back(), 0);
}

static bool complete(int64_t log)
{
	return unit_db_int("SELECT consent_until IS NOT NULL FROM log WHERE id = ?", log) == 1;
}

/* A new person as a form types them; nin NULL: a fresh number. */
static struct person_new typed(const char *given, const char *nin)
{
	return (struct person_new){ .given_name = given,
				    .family_name = fx.tag,
				    .nin = nin ? nin : unit_fresh_nin(),
				    .phone = "+4791234567",
				    .email = "ny@fjordvik.example" };
}

static void a_new_guardian_has_not_consented(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	int64_t mother = unit_add_person(fx.muni, "Mor", fx.tag);
	int64_t log = child_log(&mother, 1);
	assert_true(complete(log));
	assert_int_equal(db_begin(), 0);
	struct person_new p = typed("Far", NULL);
	int64_t father = 0;
	enum guardian_outcome o;
	assert_int_equal(guardian_add(&s, log, &p, &father, &o), 0);
	assert_int_equal(o, GUARDIAN_DONE);
	assert_int_equal(db_commit(), 0);
	/* One more guardian, kept with the names and contact as typed, and in
	 * the history; the log's consent now waits for him. */
	struct guardian *g;
	assert_int_equal(guardian_list(fx.muni, log, &g), 2);
	assert_true(g[1].person_id == father);
	assert_string_equal(g[1].given_name, "Far");
	assert_string_equal(g[1].phone, "+4791234567");
	assert_null(g[1].first_login_at);
	assert_false(complete(log));
	assert_string_equal(
		unit_db_text("SELECT new_value FROM log_history WHERE log_id = ? AND entity = 'guardian'",
			     log),
		arena_printf("Far %s", fx.tag));
	/* He consents: complete again. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(
		db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
			" valid_until, recorded_by) VALUES (?, ?, 'establish', ?, 'digital', CURRENT_DATE,"
			" CURRENT_DATE + INTERVAL 1 YEAR, ?)",
			"iiii", (long long)fx.muni, (long long)log, (long long)father, (long long)father),
		1);
	assert_int_equal(consent_recompute(&s, log), 0);
	assert_int_equal(db_commit(), 0);
	assert_true(complete(log));
	db_request_end();
	arena_reset();
}

static void the_holder_the_subject_and_a_guardian_cannot_be_added(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	int64_t mother = unit_add_person(fx.muni, "Mor", fx.tag);
	int64_t log = child_log(&mother, 1);
	struct person_new p = typed("Ny", NULL);
	int64_t id;
	enum guardian_outcome o;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_add(&s, log, &p, &id, &o), 0);
	assert_int_equal(o, GUARDIAN_DONE);
	assert_int_equal(db_commit(), 0);
	/* The same number again, whatever the name. */
	p.given_name = "Annet navn";
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_add(&s, log, &p, &id, &o), 0);
	assert_int_equal(o, GUARDIAN_ALREADY);
	roll_back();
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", log), 2);
	/* The holder herself, and the child: found by number, refused. */
	const char *holder_nin = unit_fresh_nin(), *child_nin = unit_fresh_nin();
	unsigned char mac[CRYPTO_HMAC_LEN];
	assert_int_equal(crypto_lookup_hash(holder_nin, 11, mac), 0);
	int64_t holder = unit_add_person(fx.muni, "Egen", fx.tag);
	assert_int_equal(db_exec("UPDATE person SET nin_hmac = ? WHERE id = ?", "bi", mac, sizeof mac,
				 (long long)holder),
			 1);
	assert_int_equal(crypto_lookup_hash(child_nin, 11, mac), 0);
	assert_int_equal(db_exec("UPDATE person p JOIN log l ON l.subject_person_id = p.id SET p.nin_hmac = ?"
				 " WHERE l.id = ?",
				 "bi", mac, sizeof mac, (long long)log),
			 1);
	struct session own = { .municipality_id = fx.muni, .person_id = holder };
	assert_int_equal(db_exec("UPDATE log SET holder_person_id = ? WHERE id = ?", "ii", (long long)holder,
				 (long long)log),
			 1);
	p = typed("Meg", holder_nin);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_add(&own, log, &p, &id, &o), 0);
	assert_int_equal(o, GUARDIAN_SELF);
	roll_back();
	p = typed("Barnet", child_nin);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_add(&own, log, &p, &id, &o), 0);
	assert_int_equal(o, GUARDIAN_SUBJECT);
	roll_back();
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", log), 2);
	db_request_end();
	arena_reset();
}

static void removing_a_guardian_recomputes_and_the_last_one_stays(void **state)
{
	(void)state;
	db_request_begin();
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	int64_t mother = unit_add_person(fx.muni, "Mor", fx.tag),
		father = unit_add_person(fx.muni, "Far", fx.tag);
	int64_t log = child_log(&mother, 1);
	assert_int_equal(
		db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)",
			"iii", (long long)fx.muni, (long long)log, (long long)father),
		1);
	int64_t gid = db_last_id();
	assert_int_equal(db_begin(), 0);
	assert_int_equal(consent_recompute(&s, log), 0);
	assert_int_equal(db_commit(), 0);
	assert_false(complete(log)); /* the father has not consented */
	enum guardian_outcome o;
	/* A stale version, or a guardian of another log: nothing. */
	int64_t other = child_log(&father, 1);
	int64_t other_gid = unit_db_int("SELECT id FROM log_guardian WHERE log_id = ?", other);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_remove(&s, log, gid, 2, "Feil", &o), 0);
	assert_int_equal(o, GUARDIAN_STALE);
	assert_int_equal(guardian_remove(&s, log, other_gid, 1, "Feil", &o), 0);
	assert_int_equal(o, GUARDIAN_NOT_FOUND);
	roll_back();
	/* Removed with a reason: the mother's consent is all the log needs now. */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_remove(&s, log, gid, 1, "Har ikke foreldreansvar", &o), 0);
	assert_int_equal(o, GUARDIAN_DONE);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", log), 1);
	assert_true(complete(log));
	assert_string_equal(unit_db_text("SELECT new_value FROM log_history WHERE log_id = ?"
					 " AND field = 'removal_reason'",
					 log),
			    "Har ikke foreldreansvar");
	/* The mother is the last who can consent: she stays. */
	int64_t mgid = unit_db_int("SELECT id FROM log_guardian WHERE log_id = ?", log);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(guardian_remove(&s, log, mgid, 1, "Test", &o), 0);
	assert_int_equal(o, GUARDIAN_LAST);
	roll_back();
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", log), 1);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_new_guardian_has_not_consented),
		cmocka_unit_test(the_holder_the_subject_and_a_guardian_cannot_be_added),
		cmocka_unit_test(removing_a_guardian_recomputes_and_the_last_one_stays),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
