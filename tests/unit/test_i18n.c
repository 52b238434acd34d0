/* test_i18n.c — language choice and gettext switching inside one process,
 * against the compiled catalogues of the build this binary belongs to. */
#include <libgen.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "i18n.h"

static char localedir[512];

static void choose_language(void **state)
{
	(void)state;
	assert_string_equal(i18n_choose("nn", "en", "nb"), "nn");
	assert_string_equal(i18n_choose("xx", "en-GB,en;q=0.9", "nb"), "en");
	assert_string_equal(i18n_choose(NULL, "nn-NO,nn;q=0.9,nb;q=0.8", "nb"), "nn");
	assert_string_equal(i18n_choose(NULL, "no", "nn"), "nb");
	assert_string_equal(i18n_choose(NULL, "de, fr", "nn"), "nn");
	assert_string_equal(i18n_choose(NULL, "", "xx"), "nb");
	assert_string_equal(i18n_choose("", NULL, "en"), "en");
	assert_true(i18n_supported("nb"));
	assert_false(i18n_supported("se"));
	assert_false(i18n_supported(NULL));
}

static void switching_language_per_request(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(localedir), 0);
	/* Alternate several times: gettext's cache must follow every switch. */
	for (int round = 0; round < 3; round++) {
		i18n_set("nb");
		assert_string_equal(i18n_lang(), "nb");
		assert_string_equal(_("Page not found"), "Fant ikke siden");
		i18n_set("nn");
		assert_string_equal(_("Page not found"), "Fann ikkje sida");
		i18n_set("en");
		assert_string_equal(_("Page not found"), "Page not found");
	}
	i18n_set("klingon");
	assert_string_equal(i18n_lang(), "nb");
	assert_string_equal(_(""), "");
	assert_string_equal(_("A message nobody translated"), "A message nobody translated");
}

/* A code's interface text: translated, and "" for a code nobody named. */
static void codes_are_named_through_their_table(void **state)
{
	(void)state;
	static const struct i18n_label labels[] = {
		{ "missing", N_("Page not found") },
		{ "plain", N_("A message nobody translated") },
		{ NULL },
	};
	assert_int_equal(i18n_init(localedir), 0);
	i18n_set("nn");
	assert_string_equal(i18n_label(labels, "missing"), "Fann ikkje sida");
	assert_string_equal(i18n_label(labels, "plain"), "A message nobody translated");
	assert_string_equal(i18n_label(labels, "other"), "");
	assert_string_equal(i18n_label(labels, NULL), "");
	i18n_set("nb");
	assert_string_equal(i18n_label(labels, "missing"), "Fant ikke siden");
}

static const char *fmt(enum i18n_fmt f, const char *v)
{
	static char out[96];
	if (i18n_format(out, sizeof out, f, v) != 0)
		return "(refused)";
	return out;
}

/* Dates as people write them, moments in Oslo time across both clock
 * changes (UTC+1 in winter, UTC+2 in summer), numbers grouped by three. */
static void values_in_norwegian_formats_and_oslo_time(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	assert_int_equal(i18n_init(localedir), 0);
	i18n_set("nb");
	assert_string_equal(fmt(I18N_DATE, "2026-12-02"), "2. desember 2026");
	assert_string_equal(fmt(I18N_SHORTDATE, "2026-12-02"), "02.12.2026");
	assert_string_equal(fmt(I18N_DATE, "2026-07-01 22:30"), "2. juli 2026");
	assert_string_equal(fmt(I18N_SHORTDATE, "2026-12-31 23:00"), "01.01.2027");
	assert_string_equal(fmt(I18N_SHORTDATE, "2026-12-31 22:59"), "31.12.2026");
	assert_string_equal(fmt(I18N_WHEN, "2026-12-02 09:14"), "2. desember 2026 kl. 10.14");
	assert_string_equal(fmt(I18N_SHORTWHEN, "2026-07-01 22:30"), "02.07.2026 kl. 00.30");
	assert_string_equal(fmt(I18N_CLOCK, "2026-03-29 00:59"), "01.59");
	assert_string_equal(fmt(I18N_CLOCK, "2026-03-29 01:00"), "03.00");
	assert_string_equal(fmt(I18N_CLOCK, "2026-10-25 00:59"), "02.59");
	assert_string_equal(fmt(I18N_CLOCK, "2026-10-25 01:00"), "02.00");
	assert_string_equal(fmt(I18N_NUM, "1234"), "1234");
	assert_string_equal(fmt(I18N_NUM, "12345"), "12\u00a0345");
	assert_string_equal(fmt(I18N_NUM, "1234567"), "1\u00a0234\u00a0567");
	assert_string_equal(fmt(I18N_NUM, "-20000"), "\u221220\u00a0000");
	assert_string_equal(fmt(I18N_NUM, "12a"), "(refused)");
	assert_string_equal(fmt(I18N_DATE, "02.12.2026"), "(refused)");
	assert_string_equal(fmt(I18N_WHEN, "2026-12-02"), "(refused)");
	i18n_set("nn");
	assert_string_equal(fmt(I18N_DATE, "2027-01-31"), "31. januar 2027");
	i18n_set("en");
	assert_string_equal(fmt(I18N_DATE, "2026-12-02"), "2 December 2026");
	assert_string_equal(fmt(I18N_WHEN, "2026-12-02 09:14"), "2 December 2026 at 10:14");
	assert_string_equal(fmt(I18N_NUM, "12345"), "12,345");
	assert_int_equal(i18n_fmt_named("when", 4), I18N_WHEN);
	assert_int_equal(i18n_fmt_named("whenever", 8), I18N_AS_IS);
}

/* The calendar's month heading and its days by name (Bokmål and Nynorsk
 * name the weekdays differently); a moment's day is its day in Oslo. */
static void months_and_days_by_name(void **state)
{
	(void)state;
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	assert_int_equal(i18n_init(localedir), 0);
	i18n_set("nb");
	assert_string_equal(fmt(I18N_MONTH, "2026-12-01"), "desember 2026");
	assert_string_equal(fmt(I18N_DAY, "2026-12-01"), "tirsdag 1. desember");
	assert_string_equal(fmt(I18N_DAY, "2026-11-30 23:30"), "tirsdag 1. desember");
	assert_string_equal(fmt(I18N_DAY, "2027-03-28"), "søndag 28. mars");
	assert_string_equal(fmt(I18N_MONTH, "2026-12"), "(refused)");
	i18n_set("nn");
	assert_string_equal(fmt(I18N_DAY, "2026-12-01"), "tysdag 1. desember");
	assert_string_equal(fmt(I18N_DAY, "2026-12-05"), "laurdag 5. desember");
	i18n_set("en");
	assert_string_equal(fmt(I18N_MONTH, "2027-01-15"), "January 2027");
	assert_string_equal(fmt(I18N_DAY, "2026-12-06"), "Sunday 6 December");
	assert_int_equal(i18n_fmt_named("day", 3), I18N_DAY);
	assert_int_equal(i18n_fmt_named("month", 5), I18N_MONTH);
}

/* A message with a context is its own entry: untranslated it is the bare
 * message, never the context. */
static void a_context_keeps_meanings_apart(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(localedir), 0);
	i18n_set("nb");
	assert_string_equal(C_("nobody's context", "Page not found"), "Page not found");
	assert_string_equal(C_("concern", "Title"), "Overskrift");
	assert_string_equal(C_("person", "Title"), "Stilling");
}

int main(int argc, char **argv)
{
	(void)argc;
	/* BUILD/tests/unit/test_i18n → BUILD/locale */
	char self[512];
	snprintf(self, sizeof self, "%s", argv[0]);
	snprintf(localedir, sizeof localedir, "%s/../../locale", dirname(self));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(choose_language),
		cmocka_unit_test(switching_language_per_request),
		cmocka_unit_test(codes_are_named_through_their_table),
		cmocka_unit_test(values_in_norwegian_formats_and_oslo_time),
		cmocka_unit_test(months_and_days_by_name),
		cmocka_unit_test(a_context_keeps_meanings_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
