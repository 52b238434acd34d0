/* test_i18n.c — language choice and gettext switching inside one process,
 * against the compiled catalogues of the build this binary belongs to. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
