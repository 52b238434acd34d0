/* test_config.c — the settings table, the ini loader and the documented example. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"

static void defaults_and_overrides(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("[database]\nname = other\nport = 3310\n[log]\nsyslog = yes\n");
	assert_int_equal(config_load(p), 0);
	assert_string_equal(config_str("database.name"), "other");
	assert_int_equal(config_int("database.port"), 3310);
	assert_true(config_bool("log.syslog"));
	assert_string_equal(config_str("database.user"), "stafett"); /* default */
	assert_int_equal(config_int("http.max_body"), 65536);
	unlink(p);
}

static void environment_names_the_file(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("[site]\nname = Testkommune\n");
	setenv("STAFETT_CONF", p, 1);
	assert_int_equal(config_load(NULL), 0);
	assert_string_equal(config_str("site.name"), "Testkommune");
	assert_string_equal(config_path(), p);
	unsetenv("STAFETT_CONF");
	unlink(p);
}

static void unknown_setting_is_an_error(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("[database]\npasword = typo\n");
	assert_int_equal(config_load(p), -1);
	unlink(p);
	assert_int_equal(config_load("/nonexistent/stafett.conf"), -1);
}

/* conf/stafett.conf.example documents every setting, and only real ones:
 * loading it succeeds and each key of the table appears in it. */
static void example_documents_every_setting(void **state)
{
	(void)state;
	assert_int_equal(config_load("conf/stafett.conf.example"), 0);
	FILE *f = fopen("conf/stafett.conf.example", "r");
	assert_non_null(f);
	char text[16384];
	size_t n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	/* config_dump prints "section.key=value" lines; check each key is in the file. */
	FILE *mem = tmpfile();
	int saved = dup(1);
	dup2(fileno(mem), 1);
	config_dump();
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(mem);
	char line[512];
	int count = 0;
	while (fgets(line, sizeof line, mem)) {
		char *dot = strchr(line, '.'), *eq = strchr(line, '=');
		assert_non_null(dot);
		assert_non_null(eq);
		char section[64], key[128];
		snprintf(section, sizeof section, "[%.*s]", (int)(dot - line), line);
		snprintf(key, sizeof key, "\n%.*s =", (int)(eq - dot - 1), dot + 1);
		char *sec = strstr(text, section);
		assert_non_null(sec);
		assert_non_null(strstr(sec, key));
		count++;
	}
	fclose(mem);
	assert_true(count > 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_overrides),
		cmocka_unit_test(environment_names_the_file),
		cmocka_unit_test(unknown_setting_is_an_error),
		cmocka_unit_test(example_documents_every_setting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
