/* test_db_ratelimit.c — lib/ratelimit.c against the real MariaDB of a
 * running test stack (STAFETT_CONF; run by tests/http/run.py), as the
 * application's own account: a fixed window per scope and key, counted in
 * one row stored under the SHA-256 of both, never the key itself. Scopes are
 * this run's own, so the stack's real counters are not touched. */
#include <string.h>

#include "unit_db.h"
#include "ratelimit.h"

static const char *tag;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	tag = xstrdup(crypto_random_hex(4));
	return 0;
}

/* The bucket of (scope, key): SHA-256 of scope, a NUL byte, key. */
static void bucket(const char *scope, const char *key, unsigned char out[32])
{
	struct buf b = { 0 };
	buf_adds(&b, scope);
	buf_addc(&b, '\0');
	buf_adds(&b, key);
	crypto_sha256(b.data, b.len, out);
}

/* The hits counted in the bucket's row, or -1 if it has none. */
static int64_t hits_of(const char *scope, const char *key)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	unsigned char h[32];
	bucket(scope, key, h);
	struct unit_int_row r;
	int rc = db_select_one(&map, &r, "SELECT hits FROM rate_limit WHERE bucket = ?", "b", h, sizeof h);
	assert_true(rc >= 0);
	return rc == 1 ? r.v : -1;
}

/* Moves the bucket's window start back by seconds. */
static void window_back(const char *scope, const char *key, long long seconds)
{
	unsigned char h[32];
	bucket(scope, key, h);
	assert_int_equal(db_exec("UPDATE rate_limit SET window_start = window_start - INTERVAL ? SECOND"
				 " WHERE bucket = ?",
				 "ib", seconds, h, sizeof h),
			 1);
}

static void within_the_limit_then_over_it(void **state)
{
	(void)state;
	db_request_begin();
	const char *scope = arena_printf("test-login-%s", tag), *key = "192.0.2.10";
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(ratelimit_hit(scope, key, 3, 3600), 1);
		assert_int_equal(hits_of(scope, key), i);
	}
	/* Looking counts nothing: at the limit is still within it. */
	assert_int_equal(ratelimit_within(scope, key, 3, 3600), 1);
	assert_int_equal(hits_of(scope, key), 3);
	assert_int_equal(ratelimit_within(arena_printf("test-unseen-%s", tag), key, 3, 3600), 1);
	/* The fourth and every later hit in the window: over, and still counted. */
	assert_int_equal(ratelimit_hit(scope, key, 3, 3600), 0);
	assert_int_equal(ratelimit_within(scope, key, 3, 3600), 0);
	assert_int_equal(ratelimit_hit(scope, key, 3, 3600), 0);
	assert_int_equal(hits_of(scope, key), 5);
	/* A limit of 0 allows nothing. */
	const char *none = arena_printf("test-none-%s", tag);
	assert_int_equal(ratelimit_hit(none, key, 0, 3600), 0);
	db_request_end();
	arena_reset();
}

/* A window that has passed starts again at one hit; one that has not, goes on. */
static void a_new_window_starts_over(void **state)
{
	(void)state;
	db_request_begin();
	const char *scope = arena_printf("test-window-%s", tag), *key = "person 42";
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 1);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 1);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 0);
	window_back(scope, key, 30);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 0); /* half way: still over */
	assert_int_equal(hits_of(scope, key), 4);
	window_back(scope, key, 31);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 1);
	assert_int_equal(hits_of(scope, key), 1);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 1);
	assert_int_equal(ratelimit_hit(scope, key, 2, 60), 0);
	db_request_end();
	arena_reset();
}

/* Each (scope, key) counts alone, also where joining the two texts would
 * make them equal; each row is found under the hash of its pair. */
static void buckets_are_apart_and_keyed_by_a_hash(void **state)
{
	(void)state;
	db_request_begin();
	const char *a = arena_printf("test-split-%s", tag), *ab = arena_printf("test-split-%sx", tag);
	assert_int_equal(ratelimit_hit(a, "xkey", 1, 3600), 1);
	assert_int_equal(ratelimit_hit(a, "xkey", 1, 3600), 0);
	assert_int_equal(ratelimit_hit(ab, "key", 1, 3600), 1); /* "…x" + "key" is not "…" + "xkey" */
	assert_int_equal(ratelimit_hit(a, "other", 1, 3600), 1);
	assert_int_equal(hits_of(a, "xkey"), 2);
	assert_int_equal(hits_of(ab, "key"), 1);
	assert_int_equal(hits_of(a, "other"), 1);
	assert_int_equal(hits_of(a, "never hit"), -1);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(within_the_limit_then_over_it),
		cmocka_unit_test(a_new_window_starts_over),
		cmocka_unit_test(buckets_are_apart_and_keyed_by_a_hash),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
