/* test_tz.c — lib/tz.c: Oslo's offsets from UTC as the intervals SQL
 * groups by, across both clock changes, from the C library's tzdata. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "arena.h"
#include "tz.h"

static const char *offsets(const char *from, const char *to)
{
	struct buf b = { 0 };
	if (tz_offsets_json(from, to, &b) < 0)
		return "(refused)";
	const char *s = arena_strdup(b.data);
	buf_reset(&b);
	return s;
}

static void oslo_offsets_change_on_the_last_sundays_of_march_and_october(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	/* Winter only: one interval covering everything. */
	assert_string_equal(offsets("2026-01-05 10:00:00", "2026-02-01 00:00:00"),
			    "[[\"1000-01-01 00:00:00\", \"9999-12-31 23:59:59\", 60]]");
	/* Summer at both ends. */
	assert_string_equal(offsets("2026-06-30 21:30:00", "2026-06-30 22:30:00"),
			    "[[\"1000-01-01 00:00:00\", \"9999-12-31 23:59:59\", 120]]");
	/* A year: into summer time at 01:00 UTC on 29 March, out of it at
	 * 01:00 UTC on 25 October 2026. */
	assert_string_equal(offsets("2026-01-01 00:00:00", "2026-12-31 23:00:00"),
			    "[[\"1000-01-01 00:00:00\", \"2026-03-29 01:00:00\", 60], "
			    "[\"2026-03-29 01:00:00\", \"2026-10-25 01:00:00\", 120], "
			    "[\"2026-10-25 01:00:00\", \"9999-12-31 23:59:59\", 60]]");
	/* A change a second after the start, and one at the very end. */
	assert_string_equal(offsets("2027-03-28 00:59:59", "2027-03-28 01:00:00"),
			    "[[\"1000-01-01 00:00:00\", \"2027-03-28 01:00:00\", 60], "
			    "[\"2027-03-28 01:00:00\", \"9999-12-31 23:59:59\", 120]]");
	assert_string_equal(offsets("2026-12-02", "2026-12-03 00:00:00"), "(refused)");
	assert_string_equal(offsets(NULL, "2026-12-03 00:00:00"), "(refused)");
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oslo_offsets_change_on_the_last_sundays_of_march_and_october),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
