/* test_db_logmove.c — lib/logmove.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py) as the application's
 * own account: the tables a move re-labels are every table of the schema
 * that holds a log's rows (so a new one cannot be forgotten), and a move
 * takes the log, its child and guardians (found by number, or registered
 * in the receiving municipality once) and its rows along, ends every actor
 * and open invitation, leaves the staff's own records where they were, and
 * writes a row in both municipalities' audit trails. */
#include <string.h>

#include "unit_db.h"
#include "logmove.h"

static struct {
	int64_t from, to, unit, to_unit, holder, actor, receiver;
	const char *tag;
} fx;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.from = unit_muni("fjordvik");
	fx.to = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.from, arena_printf("Move unit %s", fx.tag));
	fx.to_unit = unit_add_unit(fx.to, arena_printf("Flytt eining %s", fx.tag));
	fx.holder = unit_add_person(fx.from, "Holder", fx.tag);
	fx.actor = unit_add_person(fx.from, "Actor", fx.tag);
	fx.receiver = unit_add_person(fx.to, "Mottakar", fx.tag);
	db_request_end();
	arena_reset();
	return 0;
}

struct name_row {
	char *name;
};
static const struct db_col name_cols[] = { DB_COL(struct name_row, name, DB_STR) };
static const struct db_map name_map = DB_MAP(struct name_row, name_cols);

/* Every table with a log_id and a municipality_id but the audit trail, the
 * outbox and the archive records (each municipality's own record of what
 * happened there) and the tombstones (of logs that are gone) is one the
 * move re-labels, and the move names no other. */
static void the_moved_tables_are_the_schemas_log_tables(void **state)
{
	(void)state;
	db_request_begin();
	struct name_row *t;
	int n = db_select(&name_map, &t,
			  "SELECT c.table_name FROM information_schema.columns c"
			  " JOIN information_schema.columns m ON m.table_schema = c.table_schema"
			  " AND m.table_name = c.table_name AND m.column_name = 'municipality_id'"
			  " WHERE c.table_schema = DATABASE() AND c.column_name = 'log_id'"
			  " AND c.table_name NOT IN ('log', 'audit_log', 'outbox', 'archive_record',"
			  " 'log_tombstone')"
			  " ORDER BY c.table_name",
			  NULL);
	assert_true(n > 10);
	size_t listed = 0;
	while (logmove_table(listed))
		listed++;
	for (int i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < listed && !found; k++)
			found = strcmp(logmove_table(k), t[i].name) == 0;
		if (!found)
			fail_msg("table %s holds a log's rows but a move would leave it behind", t[i].name);
	}
	assert_int_equal((int)listed, n);
	db_request_end();
	arena_reset();
}

static int64_t count(const char *sql, int64_t a)
{
	return unit_db_int(sql, a);
}

/* A log with a guardian who wrote a message, an actor, an open invitation
 * and a meeting with the guardian; moved twice (the guardian's second log
 * finds the record the first move made). */
static int64_t full_log(int64_t guardian)
{
	int64_t log = unit_add_log(fx.from, fx.holder, fx.unit, "active", 100);
	long long m = fx.from, l = log;
	assert_int_equal(
		db_exec("INSERT INTO log_guardian (municipality_id, log_id, person_id) VALUES (?, ?, ?)",
			"iii", m, l, (long long)guardian),
		1);
	assert_int_equal(db_exec("INSERT INTO log_actor (municipality_id, log_id, person_id, unit_id)"
				 " VALUES (?, ?, ?, ?)",
				 "iiii", m, l, (long long)fx.actor, (long long)fx.unit),
			 1);
	assert_int_equal(db_exec("INSERT INTO message (municipality_id, log_id, author_person_id, text)"
				 " VALUES (?, ?, ?, 'Hei')",
				 "iii", m, l, (long long)guardian),
			 1);
	assert_int_equal(db_exec("INSERT INTO note (municipality_id, log_id, author_person_id, text)"
				 " VALUES (?, ?, ?, 'Notat')",
				 "iii", m, l, (long long)fx.holder),
			 1);
	assert_int_equal(
		db_exec("INSERT INTO invitation (municipality_id, log_id, person_id, unit_id, task,"
			" given_name, family_name, email, invited_by, expires_at) VALUES (?, ?, ?, ?,"
			" 'Oppgåve', 'Inv', 'Itert', 'inv@example.org', ?, CURRENT_TIMESTAMP + INTERVAL 1 "
			"DAY)",
			"iiiii", m, l, (long long)fx.actor, (long long)fx.unit, (long long)fx.holder),
		1);
	assert_int_equal(db_exec("INSERT INTO meeting (municipality_id, log_id, starts_at, minutes, place,"
				 " created_by) VALUES (?, ?, UTC_TIMESTAMP() + INTERVAL 1 DAY, 60, 'Rom', ?)",
				 "iii", m, l, (long long)fx.holder),
			 1);
	int64_t meeting = db_last_id();
	assert_int_equal(db_exec("INSERT INTO meeting_participant (meeting_id, person_id, municipality_id,"
				 " relation) VALUES (?, ?, ?, 'guardian')",
				 "iii", (long long)meeting, (long long)guardian, m),
			 1);
	return log;
}

static void move(int64_t log)
{
	assert_int_equal(db_begin(), DB_OK);
	struct logmove mv = { .log_id = log,
			      .from_municipality_id = fx.from,
			      .to_municipality_id = fx.to,
			      .by_person_id = fx.receiver };
	assert_int_equal(logmove_run(&mv), 0);
	assert_int_equal(db_commit(), DB_OK);
}

static void a_move_takes_the_log_its_people_and_rows_along(void **state)
{
	(void)state;
	db_request_begin();
	int64_t guardian = unit_add_person(fx.from, "Foresatt", fx.tag);
	int64_t log = full_log(guardian), second = full_log(guardian);
	int64_t child = count("SELECT subject_person_id FROM log WHERE id = ?", log);
	move(log);

	assert_int_equal(count("SELECT municipality_id FROM log WHERE id = ?", log), fx.to);
	/* The child and the guardian are the receiving municipality's people
	 * now: the same numbers, records of their own there. */
	int64_t child_there = count("SELECT subject_person_id FROM log WHERE id = ?", log);
	int64_t guardian_there = count("SELECT person_id FROM log_guardian WHERE log_id = ?", log);
	assert_true(child_there != child && guardian_there != guardian);
	assert_int_equal(count("SELECT municipality_id FROM person WHERE id = ?", child_there), fx.to);
	assert_int_equal(count("SELECT municipality_id FROM person WHERE id = ?", guardian_there), fx.to);
	assert_int_equal(count("SELECT COUNT(*) FROM person a JOIN person b ON b.nin_hmac = a.nin_hmac"
			       " WHERE a.id = ? AND b.municipality_id = a.municipality_id",
			       guardian_there),
			 1);
	/* Every row of the log followed, and names the guardian by the new record. */
	assert_int_equal(count("SELECT COUNT(*) FROM message WHERE log_id = ? AND author_person_id ="
			       " (SELECT person_id FROM log_guardian WHERE log_id = message.log_id)",
			       log),
			 1);
	assert_int_equal(
		count("SELECT COUNT(*) FROM meeting_participant p JOIN meeting g ON g.id = p.meeting_id"
		      " WHERE g.log_id = ? AND p.municipality_id = g.municipality_id"
		      " AND p.person_id = (SELECT person_id FROM log_guardian WHERE log_id = g.log_id)",
		      log),
		1);
	for (size_t i = 0; logmove_table(i); i++) {
		/* No row of the log stays in the sending municipality. */
		int64_t left = count(
			arena_printf("SELECT COUNT(*) FROM %s WHERE log_id = ? AND municipality_id <> %lld",
				     logmove_table(i), (long long)fx.to),
			log);
		if (left != 0)
			fail_msg("%s: %lld rows left behind", logmove_table(i), (long long)left);
	}
	/* The staff keep their own records: the note is still the holder's. */
	assert_int_equal(count("SELECT author_person_id FROM note WHERE log_id = ?", log), fx.holder);
	/* No one of the sending municipality keeps access. */
	assert_int_equal(count("SELECT COUNT(*) FROM log_actor WHERE log_id = ? AND removed_at IS NULL", log),
			 0);
	assert_int_equal(
		count("SELECT COUNT(*) FROM invitation WHERE log_id = ? AND revoked_at IS NULL", log), 0);
	/* Both trails. */
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE log_id = ? AND action = 'log.move.out'"
			       " AND municipality_id = (SELECT id FROM municipality WHERE slug = 'fjordvik')",
			       log),
			 1);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE log_id = ? AND action = 'log.move.in'"
			       " AND municipality_id = (SELECT id FROM municipality WHERE slug = 'nordheim')",
			       log),
			 1);

	/* The guardian's other log finds the record the first move made. */
	move(second);
	assert_int_equal(count("SELECT person_id FROM log_guardian WHERE log_id = ?", second),
			 guardian_there);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_moved_tables_are_the_schemas_log_tables),
		cmocka_unit_test(a_move_takes_the_log_its_people_and_rows_along),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
