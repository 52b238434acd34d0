/* test_db_logbook.c — lib/logbook.c (creating a log, basic data with its
 * version, the state machine, guardians' requests) against the real MariaDB
 * of a running test stack (STAFETT_CONF; run by tests/http/run.py), as the
 * application's own account. Each test works in one transaction and rolls it
 * back, so the shared database is left as found. (Concerns:
 * test_db_concern.c.) */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "logbook.h"
#include "nin.h"
#include "session.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static struct session holder;
static int64_t kindergarten;

static int64_t count(const char *sql, long long arg)
{
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, sql, "i", arg), 1);
	return r.id;
}

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0 ||
	    crypto_load_keys(config_str("crypto.key_file")) < 0)
		return -1;
	struct id_row r;
	if (db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = 'fjordvik'", NULL) != 1)
		return -1;
	holder.municipality_id = r.id;
	if (db_select_one(&id_map, &r,
			  "SELECT id FROM person WHERE given_name = 'Marte' AND family_name = 'Haugland'",
			  NULL) != 1)
		return -1;
	holder.person_id = r.id;
	if (db_select_one(&id_map, &r, "SELECT id FROM unit WHERE name = 'Solsikken barnehage'", NULL) != 1)
		return -1;
	kindergarten = r.id;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	return 0;
}

/* A random synthetic number (month + 80) with both control digits right. */
static const char *synthetic_nin(void)
{
	for (;;) {
		char *s = arena_printf("%02d%02d%02d%03d%02d", 1 + rand() % 28, 81 + rand() % 12,
				       60 + rand() % 40, rand() % 500, rand() % 100);
		if (nin_check(s) == NIN_SYNTHETIC)
			return s;
	}
}

static struct logbook_new a_log(void)
{
	struct logbook_new n = {
		.unit_id = kindergarten,
		.subject_kind = "child",
		.subject = { "Enhet", "Testbarn", synthetic_nin(), NULL, NULL, NULL },
		.guardians = { { "Enhet", "Mor", synthetic_nin(), NULL, "mor@fjordvik.example",
				 "+4790000000" },
			       { "Enhet", "Far", synthetic_nin(), NULL, NULL, NULL } },
		.nguardians = 2,
	};
	return n;
}

static int64_t created(const struct logbook_new *n)
{
	int64_t id = 0;
	assert_int_equal(logbook_create(&holder, n, &id), 0);
	assert_true(id > 0);
	return id;
}

static void transitions_of_the_state_machine(void **state)
{
	(void)state;
	assert_true(logbook_may_transition("active", "passive"));
	assert_true(logbook_may_transition("passive", "active"));
	assert_true(logbook_may_transition("active", "closed"));
	assert_true(logbook_may_transition("passive", "closed"));
	assert_false(logbook_may_transition("draft", "active")); /* only by consent */
	assert_false(logbook_may_transition("draft", "passive"));
	assert_false(logbook_may_transition("draft", "closed"));
	assert_false(logbook_may_transition("closed", "active"));
	assert_false(logbook_may_transition("closed", "passive"));
	assert_false(logbook_may_transition("active", "active"));
	assert_false(logbook_may_transition("active", "draft"));
	assert_false(logbook_may_transition(NULL, "active"));
	assert_false(logbook_may_transition("active", "nonsense"));
}

static void a_log_is_created_as_a_draft_with_its_guardians(void **state)
{
	(void)state;
	assert_int_equal(db_begin(), 0);
	struct logbook_new n = a_log();
	int64_t id = created(&n);
	struct logbook_basic b;
	assert_int_equal(logbook_basic(holder.municipality_id, id, &b), 1);
	assert_string_equal(b.state, "draft");
	assert_int_equal(b.bti_level, -1);
	assert_null(b.basic_info);
	assert_int_equal(count("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", id), 2);
	assert_int_equal(count("SELECT COUNT(*) FROM log_history WHERE log_id = ?", id), 4);
	/* Another municipality does not see it. */
	assert_int_equal(logbook_basic(holder.municipality_id + 1000, id, &b), 0);

	/* The same guardian again, name in other letter case: the same person. */
	struct logbook_new again = a_log();
	again.guardians[0] = n.guardians[0];
	again.guardians[0].given_name = "ENHET";
	again.nguardians = 1;
	int64_t second = created(&again);
	assert_int_equal(
		count("SELECT person_id FROM log_guardian WHERE log_id = ?", second),
		count("SELECT person_id FROM log_guardian WHERE log_id = ? ORDER BY id LIMIT 1", id));
	/* Someone's number under another name: the same person (a number is
	 * the person, and the answer tells nothing of who is registered), the
	 * name as typed kept on this log, the person's own record untouched. */
	struct logbook_new other = a_log();
	other.guardians[1] = n.guardians[1];
	other.guardians[1].given_name = "Annen";
	other.guardians[1].phone = "+4799999999";
	int64_t third = created(&other);
	int64_t far =
		count("SELECT person_id FROM log_guardian WHERE log_id = ? ORDER BY id DESC LIMIT 1", id);
	assert_int_equal(
		count("SELECT person_id FROM log_guardian WHERE log_id = ? ORDER BY id DESC LIMIT 1", third),
		far);
	assert_int_equal(count("SELECT COUNT(*) FROM log_guardian WHERE log_id = ? AND given_name = 'Annen'"
			       " AND phone = '+4799999999'",
			       third),
			 1);
	assert_int_equal(
		count("SELECT COUNT(*) FROM person WHERE id = ? AND given_name = 'Enhet' AND phone IS NULL",
		      far),
		1);
	db_rollback();
}

static void basic_data_carries_a_version(void **state)
{
	(void)state;
	assert_int_equal(db_begin(), 0);
	struct logbook_new n = a_log();
	int64_t id = created(&n);
	struct logbook_basic cur;
	assert_int_equal(logbook_update_basic(&holder, id, 1, 0, "Grunn \"<b>\" 😀", "", &cur), 1);
	struct logbook_basic b;
	assert_int_equal(logbook_basic(holder.municipality_id, id, &b), 1);
	assert_int_equal(b.version, 2);
	assert_int_equal(b.bti_level, 0);
	assert_string_equal(b.basic_info, "Grunn \"<b>\" 😀");
	assert_null(b.child_voice);
	/* Stale: nothing written, the current values returned. */
	assert_int_equal(logbook_update_basic(&holder, id, 1, 3, "Annet", "Stemme", &cur), 0);
	assert_int_equal(cur.version, 2);
	assert_string_equal(cur.basic_info, "Grunn \"<b>\" 😀");
	assert_int_equal(logbook_basic(holder.municipality_id, id, &b), 1);
	assert_int_equal(b.bti_level, 0);
	/* Only changed fields reach the history. */
	int64_t before = count("SELECT COUNT(*) FROM log_history WHERE log_id = ?", id);
	assert_int_equal(logbook_update_basic(&holder, id, 2, 0, "Grunn \"<b>\" 😀", "Stemme", &cur), 1);
	assert_int_equal(count("SELECT COUNT(*) FROM log_history WHERE log_id = ?", id), before + 1);
	db_rollback();
}

static void states_move_only_along_the_machine(void **state)
{
	(void)state;
	assert_int_equal(db_begin(), 0);
	struct logbook_new n = a_log();
	int64_t id = created(&n);
	enum logbook_state_outcome o;
	char *from;
	assert_int_equal(logbook_set_state(&holder, id, 1, "passive", 0, "Pause", &o, &from), 0);
	assert_int_equal(o, LOGBOOK_STATE_INVALID);
	assert_string_equal(from, "draft");
	assert_int_equal(db_exec("UPDATE log SET state = 'active' WHERE id = ?", "i", (long long)id), 1);
	assert_int_equal(logbook_set_state(&holder, id, 7, "passive", 0, "Pause", &o, &from), 0);
	assert_int_equal(o, LOGBOOK_STATE_STALE);
	assert_int_equal(logbook_set_state(&holder, id, 1, "passive", 0, "Pause \"<b>\" 😀", &o, &from), 0);
	assert_int_equal(o, LOGBOOK_STATE_DONE);
	/* The reason is kept in the history with the change; a refused or stale
	 * change kept nothing. */
	assert_int_equal(count("SELECT COUNT(*) FROM log_history WHERE log_id = ? AND field = 'state_reason'"
			       " AND new_value = 'Pause \"<b>\" 😀'",
			       id),
			 1);
	assert_int_equal(
		count("SELECT COUNT(*) FROM log_history WHERE log_id = ? AND field = 'state_reason'", id), 1);
	/* A guardian's request, once however often asked; done with the change. */
	struct session guardian = holder;
	guardian.person_id =
		count("SELECT person_id FROM log_guardian WHERE log_id = ? ORDER BY id LIMIT 1", id);
	assert_int_equal(logbook_request_state(&guardian, id, "closed"), 0);
	assert_int_equal(logbook_request_state(&guardian, id, "closed"), 0);
	struct logbook_request *req;
	assert_int_equal(logbook_requests(holder.municipality_id, id, &req), 1);
	assert_string_equal(req[0].wanted, "closed");
	assert_int_equal(
		logbook_set_state(&holder, id, 2, "closed", req[0].id, "Som foreldrene ba om", &o, &from), 0);
	assert_int_equal(o, LOGBOOK_STATE_DONE);
	assert_int_equal(logbook_requests(holder.municipality_id, id, &req), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ? AND closed_at IS NOT NULL", id), 1);
	assert_int_equal(logbook_set_state(&holder, id, 3, "active", 0, NULL, &o, &from), 0);
	assert_int_equal(o, LOGBOOK_STATE_INVALID);
	/* Declining a handled request finds nothing open. */
	assert_int_equal(logbook_request_state(&guardian, id, "passive"), 0);
	assert_int_equal(logbook_requests(holder.municipality_id, id, &req), 1);
	assert_int_equal(logbook_decline_request(&holder, id, req[0].id), 1);
	assert_int_equal(logbook_decline_request(&holder, id, req[0].id), 0);
	db_rollback();
}

/* A draft goes with every row of it, and with the people who were only in
 * it; a guardian who is also in another log stays, and so does anything
 * that is no longer a draft. */
static void a_draft_is_deleted_with_its_rows_and_its_own_people(void **state)
{
	(void)state;
	assert_int_equal(db_begin(), 0);
	struct logbook_new other = a_log();
	int64_t kept = created(&other);
	struct logbook_new n = a_log();
	n.guardians[1] = other.guardians[1]; /* the father is in both */
	int64_t id = created(&n);
	long long m = holder.municipality_id;
	int64_t subject = count("SELECT subject_person_id FROM log WHERE id = ?", id);
	/* The father is a guardian of the other log too; the mother only of this one. */
	int64_t father = count(
		"SELECT g.person_id FROM log_guardian g WHERE g.log_id = ? AND EXISTS"
		" (SELECT 1 FROM log_guardian o WHERE o.person_id = g.person_id AND o.log_id <> g.log_id)",
		id);
	int64_t mother = count(
		"SELECT g.person_id FROM log_guardian g WHERE g.log_id = ? AND NOT EXISTS"
		" (SELECT 1 FROM log_guardian o WHERE o.person_id = g.person_id AND o.log_id <> g.log_id)",
		id);
	assert_int_equal(db_exec("INSERT INTO concern (municipality_id, log_id, title, created_by) VALUES "
				 "(?, ?, 'Søvn', ?)",
				 "iii", m, (long long)id, (long long)holder.person_id),
			 1);
	assert_int_equal(db_exec("INSERT INTO note (municipality_id, log_id, author_person_id, text) VALUES "
				 "(?, ?, ?, 'x')",
				 "iii", m, (long long)id, (long long)mother),
			 1);
	assert_int_equal(
		db_exec("INSERT INTO consent (municipality_id, log_id, kind, person_id, method, given_at,"
			" valid_until, recorded_by) VALUES (?, ?, 'establish', ?, 'digital', CURRENT_DATE,"
			" CURRENT_DATE + INTERVAL 1 YEAR, ?)",
			"iiii", m, (long long)id, (long long)mother, (long long)mother),
		1);
	struct session guardian = holder;
	guardian.person_id = mother;
	assert_int_equal(db_exec("UPDATE log SET state = 'active' WHERE id = ?", "i", (long long)id), 1);
	assert_int_equal(logbook_request_state(&guardian, id, "closed"), 0);
	/* Not while it is active. */
	assert_int_equal(logbook_delete_draft(&holder, id), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM log WHERE id = ?", id), 1);
	assert_int_equal(db_exec("UPDATE log SET state = 'draft' WHERE id = ?", "i", (long long)id), 1);
	assert_int_equal(logbook_delete_draft(&holder, id), 1);
	static const char *const left[] = {
		"SELECT COUNT(*) FROM log WHERE id = ?",
		"SELECT COUNT(*) FROM log_guardian WHERE log_id = ?",
		"SELECT COUNT(*) FROM concern WHERE log_id = ?",
		"SELECT COUNT(*) FROM note WHERE log_id = ?",
		"SELECT COUNT(*) FROM consent WHERE log_id = ?",
		"SELECT COUNT(*) FROM state_request WHERE log_id = ?",
		"SELECT COUNT(*) FROM log_history WHERE log_id = ?",
	};
	for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
		assert_int_equal(count(left[i], id), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", subject), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", mother), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM person WHERE id = ?", father), 1);
	/* The other log is as it was. */
	assert_int_equal(count("SELECT COUNT(*) FROM log_guardian WHERE log_id = ?", kept), 2);
	db_rollback();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transitions_of_the_state_machine),
		cmocka_unit_test(a_log_is_created_as_a_draft_with_its_guardians),
		cmocka_unit_test(basic_data_carries_a_version),
		cmocka_unit_test(states_move_only_along_the_machine),
		cmocka_unit_test(a_draft_is_deleted_with_its_rows_and_its_own_people),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
