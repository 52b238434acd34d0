/* test_db.c — lib/db.c and the SQL of lib/municipality.c against the real
 * MariaDB of a running test stack (STAFETT_CONF; run by tests/http/run.py),
 * as the application's own account. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "municipality.h"
#include "nin.h"

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0)
		return -1;
	return 0;
}

static void ping_and_list(void **state)
{
	(void)state;
	db_request_begin();
	assert_int_equal(db_ping(), DB_OK);
	struct municipality *m;
	int n = municipality_list(&m);
	assert_true(n >= 2);
	for (int i = 1; i < n; i++)
		assert_true(strcmp(m[i - 1].name, m[i].name) <= 0);
	struct municipality one;
	assert_int_equal(municipality_by_slug("fjordvik", &one), 1);
	assert_string_equal(one.name, "Fjordvik kommune");
	assert_int_equal(municipality_by_slug("' OR '1'='1", &one), 0);
	assert_int_equal(municipality_by_slug("", &one), 0);
	db_request_end();
	arena_reset();
}

struct row {
	int64_t id;
	char *slug;
	char *lang;
	bool active;
	int age;
};
static const struct db_col row_cols[] = {
	DB_COL(struct row, id, DB_I64),	  DB_COL(struct row, slug, DB_STR),
	DB_COL(struct row, lang, DB_STR), DB_COL(struct row, active, DB_BOOL),
	DB_COL(struct row, age, DB_INT),
};
static const struct db_map row_map = DB_MAP(struct row, row_cols);

static int insert_then_fail(void *ctx)
{
	(void)ctx;
	int rc = db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (1, 'school', ?)", "s",
			 "tx-fail");
	assert_int_equal(rc, 1);
	return DB_ERROR;
}

static void transactions_happen_whole_or_not_at_all(void **state)
{
	(void)state;
	db_request_begin();
	assert_int_equal(db_transaction(insert_then_fail, NULL), DB_ERROR);
	struct row r;
	assert_int_equal(db_select_one(&row_map, &r,
				       "SELECT id, name, kind, active, version"
				       " FROM unit WHERE name = ?",
				       "s", "tx-fail"),
			 0);
	/* A handler that forgets to commit is rolled back at the end of the request. */
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (1, 'school', ?)",
				 "s", "tx-open"),
			 1);
	assert_int_equal(db_begin(), DB_ERROR); /* no nesting */
	db_request_end();
	assert_false(db_in_transaction());
	db_request_begin();
	assert_int_equal(db_select_one(&row_map, &r,
				       "SELECT id, name, kind, active, version"
				       " FROM unit WHERE name = ?",
				       "s", "tx-open"),
			 0);
	db_request_end();
	arena_reset();
}

static int calls;

static int count_call(void *ctx)
{
	calls++;
	return ctx ? *(int *)ctx : DB_OK;
}

/* Work registered for the commit runs once, inside the transaction, just
 * before COMMIT; when it fails the whole transaction is undone; a rollback
 * forgets it. */
static void work_at_commit_runs_last_and_can_undo_the_transaction(void **state)
{
	(void)state;
	struct row r;
	db_request_begin();
	assert_int_equal(db_at_commit(count_call, NULL), DB_ERROR); /* no transaction */
	calls = 0;
	unsigned long serial = db_transaction_serial();
	assert_int_equal(db_begin(), DB_OK);
	assert_true(db_transaction_serial() != serial);
	assert_int_equal(db_at_commit(count_call, NULL), DB_OK);
	assert_int_equal(calls, 0);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(calls, 1);
	assert_int_equal(db_commit(), DB_OK); /* nothing left to run */
	assert_int_equal(calls, 1);

	int busy = DB_BUSY;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (1, 'school', ?)",
				 "s", "at-commit-fails"),
			 1);
	assert_int_equal(db_at_commit(count_call, &busy), DB_OK);
	assert_int_equal(db_commit(), DB_BUSY);
	assert_int_equal(calls, 2);
	assert_false(db_in_transaction());
	assert_int_equal(db_select_one(&row_map, &r,
				       "SELECT id, name, kind, active, version FROM unit WHERE name = ?", "s",
				       "at-commit-fails"),
			 0);

	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_at_commit(count_call, NULL), DB_OK);
	db_rollback();
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(calls, 2);
	db_request_end();
	arena_reset();
}

static void typed_rows_nulls_and_verbatim_text(void **state)
{
	(void)state;
	db_request_begin();
	const char *hostile = "Ø'\"<script>alert(1)</script> 🙂 æøå";
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name, version, active)"
				 " VALUES (1, ?, ?, ?, ?)",
				 "ssii", "ppt", hostile, 15LL, 0LL),
			 1);
	int64_t id = db_last_id();
	assert_true(id > 0);
	struct row r;
	assert_int_equal(db_select_one(&row_map, &r,
				       "SELECT id, kind, NULL, active, version"
				       " FROM unit WHERE id = ?",
				       "i", (long long)id),
			 1);
	assert_int_equal(r.id, id);
	assert_string_equal(r.slug, "ppt");
	assert_null(r.lang);
	assert_false(r.active);
	assert_int_equal(r.age, 15);
	struct name {
		char *name;
	} nm;
	static const struct db_col name_cols[] = { DB_COL(struct name, name, DB_STR) };
	static const struct db_map name_map = DB_MAP(struct name, name_cols);
	assert_int_equal(
		db_select_one(&name_map, &nm, "SELECT name FROM unit WHERE id = ?", "i", (long long)id), 1);
	assert_string_equal(nm.name, hostile);
	/* Duplicates are told apart from other errors. */
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (1, 'school', ?)",
				 "s", hostile),
			 DB_DUPLICATE);
	/* 'I' binds 0 as NULL; the NOT NULL constraint refuses it. */
	assert_true(db_exec("UPDATE unit SET municipality_id = ? WHERE id = ?", "Ii", 0LL, (long long)id) <
		    0);
	db_rollback();
	db_request_end();
	arena_reset();
}

static void programming_errors_are_errors(void **state)
{
	(void)state;
	db_request_begin();
	assert_int_equal(db_exec("SELECT ?", NULL), DB_ERROR);	   /* parameter count */
	assert_int_equal(db_exec("SELECT 1", "i", 1LL), DB_ERROR); /* parameter count */
	struct row r;
	assert_int_equal(db_select_one(&row_map, &r, "SELECT 1", NULL), DB_ERROR); /* columns */
	assert_int_equal(db_exec("SELEKT nonsense", NULL), DB_ERROR);
	/* The application's account has no DDL. */
	assert_true(db_exec("DROP TABLE log_guardian", NULL) < 0);
	assert_true(db_exec("CREATE TABLE x (a INT)", NULL) < 0);
	db_request_end();
	arena_reset();
}

struct cid {
	int64_t id;
};
static const struct db_col cid_cols[] = { DB_COL(struct cid, id, DB_I64) };
static const struct db_map cid_map = DB_MAP(struct cid, cid_cols);

static void lost_connection_fails_the_request_and_the_next_reconnects(void **state)
{
	(void)state;
	db_request_begin();
	struct cid c;
	assert_int_equal(db_select_one(&cid_map, &c, "SELECT CONNECTION_ID()", NULL), 1);
	assert_int_equal(db_begin(), DB_OK);
	/* Killing our own connection inside a transaction: the request fails... */
	int rc = db_exec("KILL CONNECTION ?", "i", (long long)c.id);
	assert_true(rc < 0);
	assert_int_equal(db_ping(), DB_GONE);
	assert_false(db_connected());
	db_request_end();
	/* ...and the next request reconnects by itself. */
	db_request_begin();
	assert_int_equal(db_ping(), DB_OK);
	struct cid c2;
	assert_int_equal(db_select_one(&cid_map, &c2, "SELECT CONNECTION_ID()", NULL), 1);
	assert_true(c2.id != c.id);
	db_request_end();
	arena_reset();
}

struct sealed_nin {
	struct db_blob sealed;
	int key_id;
};
static const struct db_col sealed_cols[] = {
	DB_COL(struct sealed_nin, sealed, DB_BLOB),
	DB_COL(struct sealed_nin, key_id, DB_INT),
};
static const struct db_map sealed_map = DB_MAP(struct sealed_nin, sealed_cols);

static void identity_numbers_are_encrypted_at_rest(void **state)
{
	(void)state;
	assert_int_equal(crypto_load_keys(config_str("crypto.key_file")), 0);
	db_request_begin();
	struct sealed_nin *rows;
	int n = db_select(&sealed_map, &rows, "SELECT nin_sealed, nin_key_id FROM person", NULL);
	assert_true(n > 10);
	for (int i = 0; i < n; i++) {
		char nin[12] = { 0 };
		assert_int_equal(rows[i].sealed.len, 11 + CRYPTO_SEAL_OVERHEAD);
		assert_int_equal(crypto_open(rows[i].key_id, rows[i].sealed.data, rows[i].sealed.len,
					     (unsigned char *)nin),
				 0);
		/* Demo people have synthetic numbers only, and the bytes at rest are not the digits. */
		assert_int_equal(nin_check(nin), NIN_SYNTHETIC);
		assert_null(memmem(rows[i].sealed.data, rows[i].sealed.len, nin, 11));
	}
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ping_and_list),
		cmocka_unit_test(transactions_happen_whole_or_not_at_all),
		cmocka_unit_test(work_at_commit_runs_last_and_can_undo_the_transaction),
		cmocka_unit_test(typed_rows_nulls_and_verbatim_text),
		cmocka_unit_test(programming_errors_are_errors),
		cmocka_unit_test(lost_connection_fails_the_request_and_the_next_reconnects),
		cmocka_unit_test(identity_numbers_are_encrypted_at_rest),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
