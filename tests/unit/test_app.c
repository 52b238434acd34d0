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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(local_redirect_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
