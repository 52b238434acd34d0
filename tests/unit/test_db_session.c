/* test_db_session.c — lib/session.c against the real MariaDB of a running
 * test stack (STAFETT_CONF; run by tests/http/run.py), as the application's
 * own account, on people of its own in the demo municipalities fjordvik and
 * nordheim: a session is found by its cookie and only by it, times out
 * (idle and absolute, by the database's clock), stays in its municipality,
 * and ends at logout, from "your sessions" and from the provider; the CSRF
 * token of an anonymous browser; a session is fresh while its login's
 * auth_time is recent enough. */
#include <string.h>
#include <time.h>

#include "unit_db.h"
#include "session.h"

static struct {
	int64_t muni, other_muni, person, other_person, foreign_person;
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
	fx.person = unit_add_person(fx.muni, "Økt", fx.tag);
	fx.other_person = unit_add_person(fx.muni, "Annen", fx.tag);
	fx.foreign_person = unit_add_person(fx.other_muni, "Nordheiming", fx.tag);
	db_request_end();
	arena_reset();
	return 0;
}

static bool lower_hex(const char *s, size_t len)
{
	return s && strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

/* A new session of person; its cookie value. */
static const char *login(int64_t muni, int64_t person, const char *sid, struct session **s)
{
	const char *token = NULL;
	assert_int_equal(session_create(muni, person, sid, NULL, 0, &token, s), 0);
	assert_true(lower_hex(token, 64));
	return token;
}

/* Sessions stored under the SHA-256 of token. */
static int64_t rows_of(const char *token)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	struct unit_int_row r;
	assert_int_equal(
		db_select_one(&map, &r, "SELECT COUNT(*) FROM session WHERE id_hash = ?", "b", h, sizeof h),
		1);
	return r.v;
}

/* Sets a time column of token's session to NOW(3) minus seconds. */
static void age(const char *token, bool created, long long seconds)
{
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	if (created)
		assert_int_equal(db_exec("UPDATE session SET created_at = NOW(3) - INTERVAL ? SECOND WHERE "
					 "id_hash = ?",
					 "ib", seconds, h, sizeof h),
				 1);
	else
		assert_int_equal(db_exec("UPDATE session SET last_seen_at = NOW(3) - INTERVAL ? SECOND WHERE "
					 "id_hash = ?",
					 "ib", seconds, h, sizeof h),
				 1);
}

/* Seconds since token's session was last seen, by the database's clock. */
static int64_t idle_for(const char *token)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	struct unit_int_row r;
	assert_int_equal(
		db_select_one(
			&map, &r,
			"SELECT TIMESTAMPDIFF(SECOND, last_seen_at, NOW(3)) FROM session WHERE id_hash = ?",
			"b", h, sizeof h),
		1);
	return r.v;
}

static void created_then_found_by_its_cookie(void **state)
{
	(void)state;
	db_request_begin();
	const char *token = NULL, *sid = arena_printf("sid-%s", fx.tag);
	struct session *made, *s;
	assert_int_equal(
		session_create(fx.muni, fx.person, sid, "header.payload.signature", 0, &token, &made), 0);
	assert_true(lower_hex(token, 64));
	assert_true(lower_hex(made->csrf, 64));
	assert_string_not_equal(made->csrf, token);
	assert_int_equal(session_find(token, NULL, &s), SESSION_FOUND);
	assert_int_equal(s->municipality_id, fx.muni);
	assert_int_equal(s->person_id, fx.person);
	assert_string_equal(s->csrf, made->csrf);
	assert_string_equal(s->given_name, "Økt");
	assert_string_equal(s->family_name, fx.tag);
	assert_string_equal(s->municipality, "fjordvik");
	assert_string_equal(s->oidc_sid, sid);
	assert_memory_equal(s->id_hash, made->id_hash, 32);
	assert_string_equal(session_id_token(s), "header.payload.signature");
	/* The cookie chose this municipality: found there too. */
	assert_int_equal(session_find(token, "fjordvik", &s), SESSION_FOUND);
	/* Only the hash is stored, never the value itself. */
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	assert_memory_equal(made->id_hash, h, 32);
	assert_int_equal(rows_of(token), 1);
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	struct unit_int_row r;
	assert_int_equal(db_select_one(&map, &r,
				       "SELECT COUNT(*) FROM session WHERE csrf = ? OR oidc_sid = ?"
				       " OR id_hash = UNHEX(?) OR id_hash = ?",
				       "sssb", token, token, token, token, (size_t)32),
			 1);
	assert_int_equal(r.v, 0);
	/* Without an ID token there is none to give at logout. */
	const char *plain = login(fx.muni, fx.person, NULL, &made);
	assert_int_equal(session_find(plain, NULL, &s), SESSION_FOUND);
	assert_null(session_id_token(s));
	assert_null(s->oidc_sid);
	/* A person of another municipality than the one named: a bug in the
	 * caller, and no session. */
	int64_t before = unit_db_int("SELECT COUNT(*) FROM session WHERE person_id = ?", fx.foreign_person);
	assert_int_equal(session_create(fx.muni, fx.foreign_person, NULL, NULL, 0, &token, &made), DB_ERROR);
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM session WHERE person_id = ?", fx.foreign_person),
			 before);
	db_request_end();
	arena_reset();
}

/* A session keeps its login's auth_time, to the second, and is fresh for
 * a sensitive step only while that is at most the minutes asked old. */
static void fresh_while_its_authentication_is_recent(void **state)
{
	(void)state;
	db_request_begin();
	const char *token = NULL;
	struct session *made, *s;
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(session_create(fx.muni, fx.person, NULL, NULL, now - 60, &token, &made), 0);
	assert_int_equal(made->auth_time, now - 60);
	assert_int_equal(session_find(token, NULL, &s), SESSION_FOUND);
	assert_int_equal(s->auth_time, now - 60);
	assert_true(session_fresh(s, 10));
	assert_true(session_fresh(s, 1));
	assert_false(session_fresh(s, 0));
	/* Eleven minutes ago: not fresh at ten, fresh at fifteen. */
	s->auth_time = now - 11 * 60;
	assert_false(session_fresh(s, 10));
	assert_true(session_fresh(s, 15));
	/* Unknown (a session from before the column), or none: never. */
	assert_int_equal(session_create(fx.muni, fx.person, NULL, NULL, 0, &token, &made), 0);
	assert_int_equal(session_find(token, NULL, &s), SESSION_FOUND);
	assert_int_equal(s->auth_time, 0);
	assert_false(session_fresh(s, 10));
	assert_false(session_fresh(NULL, 10));
	db_request_end();
	arena_reset();
}

/* A value that cannot be one of ours is nobody's, and costs no query: the
 * connection closed at the start of a request stays closed (a query would
 * have opened it again). */
static void a_malformed_cookie_is_none_without_a_query(void **state)
{
	(void)state;
	db_request_begin();
	const char *good = crypto_random_hex(32);
	const char *bad[] = {
		"",
		"0123",
		arena_printf("%.63s", good),
		arena_printf("%s0", good),
		arena_printf("%.63sg", good),
		arena_printf("%.32s%s", "ABCDEF0123456789ABCDEF0123456789", good + 32), /* upper case */
		arena_printf("%.63s\n", good),
		arena_printf("%.61s%%00", good),
	};
	static struct session sentinel;
	struct session *s = &sentinel;
	db_close();
	assert_int_equal(session_find(NULL, NULL, &s), SESSION_NONE);
	assert_null(s);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		s = &sentinel;
		assert_int_equal(session_find(bad[i], "fjordvik", &s), SESSION_NONE);
		assert_null(s);
		assert_int_equal(session_destroy(bad[i]), 0);
		assert_false(session_browser_valid(bad[i]));
	}
	assert_int_equal(session_destroy(NULL), 0);
	assert_false(db_connected());
	/* A well-formed value that is nobody's does ask, and is unknown. */
	s = &sentinel;
	assert_int_equal(session_find(good, NULL, &s), SESSION_UNKNOWN);
	assert_null(s);
	assert_true(db_connected());
	db_request_end();
	arena_reset();
}

/* A session does not follow the browser to another municipality, and that
 * does not end it. */
static void another_municipality_chosen_is_none(void **state)
{
	(void)state;
	db_request_begin();
	struct session *made, *s;
	const char *token = login(fx.muni, fx.person, NULL, &made);
	s = made;
	assert_int_equal(session_find(token, "nordheim", &s), SESSION_NONE);
	assert_null(s);
	assert_int_equal(session_find(token, "nosuchplace", &s), SESSION_NONE);
	assert_int_equal(rows_of(token), 1);
	assert_int_equal(session_find(token, NULL, &s), SESSION_FOUND);
	db_request_end();
	arena_reset();
}

/* Idle for session.idle_minutes, or older than session.absolute_hours: the
 * session is expired and deleted; the next look finds nothing at all. */
static void timed_out_sessions_are_deleted(void **state)
{
	(void)state;
	db_request_begin();
	long long idle = config_int("session.idle_minutes") * 60,
		  absolute = config_int("session.absolute_hours") * 3600;
	assert_true(idle > 120);
	struct session *made, *s;
	const char *old = login(fx.muni, fx.person, NULL, &made);
	age(old, true, absolute + 1);
	s = made;
	assert_int_equal(session_find(old, NULL, &s), SESSION_EXPIRED);
	assert_null(s);
	assert_int_equal(rows_of(old), 0);
	assert_int_equal(session_find(old, NULL, &s), SESSION_UNKNOWN);
	const char *idle_token = login(fx.muni, fx.person, NULL, &made);
	age(idle_token, false, idle + 1);
	assert_int_equal(session_find(idle_token, NULL, &s), SESSION_EXPIRED);
	assert_int_equal(rows_of(idle_token), 0);
	/* Just within both limits: found, and its last request moves to now. */
	const char *alive = login(fx.muni, fx.person, NULL, &made);
	age(alive, true, absolute - 60);
	age(alive, false, idle - 60);
	assert_int_equal(session_find(alive, NULL, &s), SESSION_FOUND);
	assert_true(idle_for(alive) < 5);
	/* Seen less than a minute ago: left as it is (most requests only read). */
	age(alive, false, 30);
	assert_int_equal(session_find(alive, NULL, &s), SESSION_FOUND);
	assert_true(idle_for(alive) >= 29);
	db_request_end();
	arena_reset();
}

static void logout_destroys_the_session(void **state)
{
	(void)state;
	db_request_begin();
	struct session *made, *s;
	const char *token = login(fx.muni, fx.person, NULL, &made);
	const char *other = login(fx.muni, fx.person, NULL, &made);
	assert_int_equal(session_destroy(token), 0);
	assert_int_equal(rows_of(token), 0);
	assert_int_equal(session_find(token, NULL, &s), SESSION_UNKNOWN);
	assert_int_equal(session_destroy(token), 0);
	assert_int_equal(session_find(other, NULL, &s), SESSION_FOUND); /* the person's other session stays */
	db_request_end();
	arena_reset();
}

static int64_t ends_audited(int64_t person)
{
	return unit_db_int("SELECT COUNT(*) FROM audit_log WHERE action = 'session.end' AND person_id = ?",
			   person);
}

/* The handle "your sessions" shows for token's session. */
static const char *handle_of(const char *token)
{
	unsigned char h[32];
	crypto_sha256(token, strlen(token), h);
	return crypto_hex(h, 8);
}

/* From "your sessions": one of one's own other sessions, or all of them;
 * never the current one, never another person's; audited when one ended. */
static void ending_sessions_by_handle(void **state)
{
	(void)state;
	db_request_begin();
	struct session *cur, *made, *s;
	const char *current = login(fx.muni, fx.person, NULL, &cur);
	const char *second = login(fx.muni, fx.person, NULL, &made);
	const char *third = login(fx.muni, fx.person, NULL, &made);
	const char *theirs = login(fx.muni, fx.other_person, NULL, &made);
	struct session_info *list;
	int n = session_list(cur, &list);
	assert_true(n >= 3);
	assert_true(list[0].current);
	assert_string_equal(list[0].handle, handle_of(current));
	for (int i = 1; i < n; i++) {
		assert_false(list[i].current);
		assert_true(lower_hex(list[i].handle, 16));
		assert_string_not_equal(list[i].handle, handle_of(theirs));
	}
	int64_t audited = ends_audited(fx.person);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(session_end_handle(cur, handle_of(theirs)), 0);
	assert_int_equal(session_end_handle(cur, handle_of(current)), 0);
	assert_int_equal(session_end_handle(cur, "zzzzzzzzzzzzzzzz"), 0);
	assert_int_equal(session_end_handle(cur, ""), 0);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(ends_audited(fx.person), audited);
	assert_int_equal(rows_of(theirs), 1);
	assert_int_equal(rows_of(current), 1);
	/* One of one's own: ended, and audited in the caller's transaction. */
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(session_end_handle(cur, handle_of(second)), 1);
	assert_int_equal(rows_of(second), 0);
	db_rollback();
	assert_int_equal(rows_of(second), 1);
	assert_int_equal(ends_audited(fx.person), audited);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(session_end_handle(cur, handle_of(second)), 1);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(rows_of(second), 0);
	assert_int_equal(ends_audited(fx.person), audited + 1);
	/* "others": every one but the current one, and only one's own. */
	assert_int_equal(db_begin(), DB_OK);
	assert_true(session_end_handle(cur, "others") >= 1);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(rows_of(third), 0);
	assert_int_equal(rows_of(current), 1);
	assert_int_equal(rows_of(theirs), 1);
	assert_int_equal(ends_audited(fx.person), audited + 2);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(session_end_handle(cur, "others"), 0);
	assert_int_equal(db_commit(), DB_OK);
	assert_int_equal(ends_audited(fx.person), audited + 2);
	assert_int_equal(session_list(cur, &list), 1);
	assert_int_equal(session_find(current, NULL, &s), SESSION_FOUND);
	db_request_end();
	arena_reset();
}

struct issuer_row {
	char *issuer;
};

/* The issuer of the municipality's provider, or NULL. */
static char *issuer_of(int64_t muni)
{
	static const struct db_col cols[] = { DB_COL(struct issuer_row, issuer, DB_STR) };
	static const struct db_map map = DB_MAP(struct issuer_row, cols);
	struct issuer_row r = { NULL };
	assert_true(db_select_one(&map, &r, "SELECT issuer FROM municipality_oidc WHERE municipality_id = ?",
				  "i", (long long)muni) >= 0);
	return r.issuer;
}

/* Front-channel logout: the provider's sid ends its sessions in every
 * municipality it serves, and nothing else. */
static void the_provider_ends_its_sessions(void **state)
{
	(void)state;
	db_request_begin();
	const char *issuer = issuer_of(fx.muni), *theirs = issuer_of(fx.other_muni);
	assert_non_null(issuer);
	bool shared = theirs && strcmp(theirs, issuer) == 0;
	const char *sid = arena_printf("front-%s", fx.tag), *other_sid = arena_printf("other-%s", fx.tag);
	struct session *made;
	const char *here = login(fx.muni, fx.person, sid, &made);
	const char *kept = login(fx.muni, fx.person, other_sid, &made);
	const char *there = login(fx.other_muni, fx.foreign_person, sid, &made);
	assert_int_equal(session_end_sid("https://no-such-provider.example", sid), 0);
	assert_int_equal(rows_of(here), 1);
	assert_int_equal(session_end_sid(issuer, sid), shared ? 2 : 1);
	assert_int_equal(rows_of(here), 0);
	assert_int_equal(rows_of(kept), 1);
	assert_int_equal(rows_of(there), shared ? 0 : 1);
	assert_int_equal(session_end_sid(issuer, sid), 0);
	db_request_end();
	arena_reset();
}

/* Before login: the browser's own CSRF token, the same for one cookie value
 * every time, another for another value, none for a value not ours. */
static void an_anonymous_browsers_csrf_token(void **state)
{
	(void)state;
	const char *a = session_new_browser(), *b = session_new_browser();
	assert_true(session_browser_valid(a));
	assert_true(session_browser_valid(b));
	assert_string_not_equal(a, b);
	const char *token = session_browser_csrf(a);
	assert_true(lower_hex(token, 64));
	assert_string_equal(session_browser_csrf(a), token);
	assert_string_equal(session_browser_csrf(arena_strdup(a)), token);
	assert_string_not_equal(session_browser_csrf(b), token);
	assert_string_not_equal(token, a); /* says nothing of the cookie without the key */
	assert_null(session_browser_csrf(NULL));
	assert_null(session_browser_csrf(""));
	assert_null(session_browser_csrf("not a browser cookie"));
	assert_null(session_browser_csrf(arena_printf("%.63s", a)));
	char upper[65];
	snprintf(upper, sizeof upper, "%s", a);
	for (int i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	if (strcmp(upper, a) != 0)
		assert_null(session_browser_csrf(upper));
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(created_then_found_by_its_cookie),
		cmocka_unit_test(fresh_while_its_authentication_is_recent),
		cmocka_unit_test(a_malformed_cookie_is_none_without_a_query),
		cmocka_unit_test(another_municipality_chosen_is_none),
		cmocka_unit_test(timed_out_sessions_are_deleted),
		cmocka_unit_test(logout_destroys_the_session),
		cmocka_unit_test(ending_sessions_by_handle),
		cmocka_unit_test(the_provider_ends_its_sessions),
		cmocka_unit_test(an_anonymous_browsers_csrf_token),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
