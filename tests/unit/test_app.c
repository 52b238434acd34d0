/* test_app.c — the pure parts of the request lifecycle; the rest is driven
 * through real requests in tests/http/ (CGI mode and behind nginx/Apache). */
#include "unit.h"
#include "app.h"

static void local_redirect_targets(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		bool ok;
	} rows[] = {
		{ "/", true },
		{ "/tilgjengelighet", true },
		{ "/log?id=5", true },
		{ "//evil.example/", false },
		{ "/\\evil.example", false },
		{ "https://evil.example/", false },
		{ "javascript:alert(1)", false },
		{ "evil", false },
		{ "", false },
		{ "/a\r\nSet-Cookie: x=1", false },
		{ NULL, false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(app_local_path(rows[i].path), rows[i].ok);
}

/* What a page opened while logged out may return to after the login: our
 * own paths, nothing that leaves the site or carries more than ids. */
static void places_to_return_to_after_login(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		bool ok;
	} rows[] = {
		{ "/logg/12", true },
		{ "/logg/12/tiltak/3", true },
		{ "/min-side", true },
		{ "/", false },
		{ "/logg/12?side=2", false },
		{ "/logg/12#x", false },
		{ "//evil.example", false },
		{ "/logg//evil.example", false },
		{ "/\\evil.example", false },
		{ "https://evil.example/", false },
		{ "javascript:alert(1)", false },
		{ "/Logg/12", false },
		{ "/logg/12\r\nSet-Cookie: x=1", false },
		{ "/logg/%2F%2Fevil", false },
		{ "", false },
		{ NULL, false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(app_return_path(rows[i].path), rows[i].ok);
	char *long_path = calloc(1, 202);
	assert_non_null(long_path);
	memset(long_path, 'a', 201);
	long_path[0] = '/';
	assert_false(app_return_path(long_path));
	long_path[200] = '\0';
	assert_true(app_return_path(long_path));
	free(long_path);
}

/* After a fresh login a sensitive step's page may come back to its own
 * query (the consent withdrawn is ?kind=establish): a path as above, then
 * name=value pairs of the same plain characters, nothing else. */
static void places_to_return_to_after_a_fresh_login(void **state)
{
	(void)state;
	static const struct {
		const char *target;
		bool ok;
	} rows[] = {
		{ "/logg/12", true },
		{ "/logg/12/samtykke/trekk?kind=establish", true },
		{ "/logg/12/overlevering?til=3&bli=1", true },
		{ "/logg/12?", false },
		{ "/logg/12?kind", false },
		{ "/logg/12?kind=", false },
		{ "/logg/12?=x", false },
		{ "/logg/12?a=1&", false },
		{ "/logg/12?a=1&&b=2", false },
		{ "/logg/12?a=1#x", false },
		{ "/logg/12?a=b?c=d", false },
		{ "/logg/12?a=%2F%2Fevil", false },
		{ "/logg/12?a=B", false },
		{ "/logg/12?a=1\r\nSet-Cookie:x", false },
		{ "//evil.example?a=1", false },
		{ "https://evil.example/?a=1", false },
		{ "/?a=1", false },
		{ "?a=1", false },
		{ "", false },
		{ NULL, false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		assert_int_equal(app_return_target(rows[i].target), rows[i].ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_redirect_targets),
		cmocka_unit_test(places_to_return_to_after_login),
		cmocka_unit_test(places_to_return_to_after_a_fresh_login),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
