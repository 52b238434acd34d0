/* test_log.c — log lines: one per event, escaped, with time and request id. */
#include <string.h>

#include "unit.h"
#include "log.h"

static void format_has_time_program_and_request(void **state)
{
	(void)state;
	char line[512];
	log_init("stafett-test", false);
	log_set_request("0123456789abcdef0123456789abcdef");
	log_format(line, sizeof line, "info", "hello");
	/* 2026-11-24T23:59:59.123Z stafett-test[pid] rid=... info: hello */
	assert_int_equal(line[4], '-');
	assert_int_equal(line[10], 'T');
	assert_int_equal(line[19], '.');
	assert_int_equal(line[23], 'Z');
	assert_non_null(strstr(line, " stafett-test["));
	assert_non_null(strstr(line, " rid=0123456789abcdef0123456789abcdef info: hello"));
	log_set_request(NULL);
	log_format(line, sizeof line, "warn", "x");
	assert_non_null(strstr(line, " rid=- warn: x"));
}

static void control_characters_are_escaped(void **state)
{
	(void)state;
	char line[512];
	log_format(line, sizeof line, "error", "forged\nline\r\x1b[31m\\");
	assert_null(strchr(line, '\n'));
	assert_null(strchr(line, '\r'));
	assert_null(strchr(line, '\x1b'));
	assert_non_null(strstr(line, "forged\\x0aline\\x0d\\x1b[31m\\x5c"));
}

static void long_messages_are_cut_not_overflowed(void **state)
{
	(void)state;
	char msg[4000], line[300];
	memset(msg, '\n', sizeof msg - 1);
	msg[sizeof msg - 1] = '\0';
	log_format(line, sizeof line, "info", msg);
	assert_true(strlen(line) < sizeof line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_has_time_program_and_request),
		cmocka_unit_test(control_characters_are_escaped),
		cmocka_unit_test(long_messages_are_cut_not_overflowed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
