/* test_nin.c — national identity numbers, table-driven. The valid rows are
 * made here from invented dates by an independent control-digit routine; the
 * invalid rows break one rule each. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "nin.h"

/* Appends control digits to a 9-digit stem; false if either would be 10. */
static bool complete(const char *stem, char *out)
{
	static const int a[9] = { 3, 7, 6, 1, 8, 9, 4, 5, 2 };
	static const int b[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int s = 0, t = 0;
	memcpy(out, stem, 9);
	for (int i = 0; i < 9; i++)
		s += (stem[i] - '0') * a[i];
	int k1 = (11 - s % 11) % 11;
	if (k1 == 10)
		return false;
	out[9] = (char)('0' + k1);
	for (int i = 0; i < 10; i++)
		t += (out[i] - '0') * b[i];
	int k2 = (11 - t % 11) % 11;
	if (k2 == 10)
		return false;
	out[10] = (char)('0' + k2);
	out[11] = '\0';
	return true;
}

/* The first individual number from ind up that gives a valid number. */
static void make(int dd, int mm, int yy, int ind, char *out)
{
	char stem[16];
	for (;; ind++) {
		snprintf(stem, sizeof stem, "%02d%02d%02d%03d", dd % 100, mm % 100, yy % 100, ind % 1000);
		if (complete(stem, out))
			return;
	}
}

static void valid_numbers_of_every_kind(void **state)
{
	(void)state;
	static const struct {
		int dd, mm, yy, ind;
		enum nin_kind kind;
		int year;
	} rows[] = {
		{ 1, 1, 80, 123, NIN_FNR, 1980 },
		{ 31, 12, 99, 0, NIN_FNR, 1999 },
		{ 29, 2, 0, 500, NIN_FNR, 2000 }, /* leap day in 2000 */
		{ 15, 6, 21, 600, NIN_FNR, 2021 },
		{ 15, 6, 60, 550, NIN_FNR, 1860 },     /* 500-749 with 54-99: 1800s */
		{ 15, 6, 60, 950, NIN_FNR, 1960 },     /* 900-999 with 40-99: 1900s */
		{ 41, 1, 80, 123, NIN_DNUMBER, 1980 }, /* day + 40 */
		{ 71, 12, 75, 200, NIN_DNUMBER, 1975 },
		{ 1, 41, 80, 123, NIN_HNUMBER, 1980 },	 /* month + 40 */
		{ 1, 81, 80, 123, NIN_SYNTHETIC, 1980 }, /* month + 80 */
		{ 29, 82, 16, 520, NIN_SYNTHETIC, 2016 },
		{ 45, 85, 90, 100, NIN_SYNTHETIC, 1990 }, /* synthetic D-number */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char s[12];
		make(rows[i].dd, rows[i].mm, rows[i].yy, rows[i].ind, s);
		assert_int_equal(nin_check(s), rows[i].kind);
		int y, m, d;
		assert_int_equal(nin_birthdate(s, &y, &m, &d), 0);
		assert_int_equal(y, rows[i].year);
		assert_int_equal(d, rows[i].dd > 40 ? rows[i].dd - 40 : rows[i].dd);
		assert_int_equal(m,
				 rows[i].mm > 80	   ? rows[i].mm - 80
					 : rows[i].mm > 40 ? rows[i].mm - 40
							   : rows[i].mm);
	}
}

static void each_rule_refuses(void **state)
{
	(void)state;
	char s[12], bad[16];
	make(1, 1, 80, 123, s);
	/* Wrong first and wrong second control digit. */
	snprintf(bad, sizeof bad, "%s", s);
	bad[9] = (char)('0' + (bad[9] - '0' + 1) % 10);
	assert_int_equal(nin_check(bad), NIN_INVALID);
	snprintf(bad, sizeof bad, "%s", s);
	bad[10] = (char)('0' + (bad[10] - '0' + 1) % 10);
	assert_int_equal(nin_check(bad), NIN_INVALID);
	/* Any single digit changed. */
	for (int i = 0; i < 11; i++) {
		snprintf(bad, sizeof bad, "%s", s);
		bad[i] = (char)('0' + (bad[i] - '0' + 3) % 10);
		assert_int_equal(nin_check(bad), NIN_INVALID);
	}
	/* Shape. */
	static const char *const shapes[] = {
		"", "0101801234", "010180123456", "0101801234a", "01018 12345", "-1018012345", NULL
	};
	for (int i = 0; shapes[i]; i++)
		assert_int_equal(nin_check(shapes[i]), NIN_INVALID);
	assert_int_equal(nin_check(NULL), NIN_INVALID);
	/* Dates that do not exist, with correct control digits. */
	static const int dates[][4] = {
		{ 31, 2, 80, 100 }, { 29, 2, 99, 100 }, { 0, 1, 80, 100 },  { 1, 13, 80, 100 },
		{ 1, 53, 80, 100 }, { 72, 1, 80, 100 }, { 32, 1, 80, 100 }, { 1, 0, 80, 100 },
		{ 31, 4, 80, 100 }, { 1, 1, 45, 600 }, /* 500-749 with 40-53: no century */
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		make(dates[i][0], dates[i][1], dates[i][2], dates[i][3], s);
		assert_int_equal(nin_check(s), NIN_INVALID);
	}
	/* A help number is never also a D-number. */
	make(41, 41, 80, 100, s);
	assert_int_equal(nin_check(s), NIN_INVALID);
	int y, m, d;
	assert_int_equal(nin_birthdate("12345678901", &y, &m, &d), -1);
}

/* The weighted sums of the rules in nin.h, computed here on their own. */
static int first_remainder(const char *s)
{
	static const int a[10] = { 3, 7, 6, 1, 8, 9, 4, 5, 2, 1 };
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += (s[i] - '0') * a[i];
	return sum % 11;
}

static int second_control(const char *s)
{
	static const int b[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int t = 0;
	for (int i = 0; i < 10; i++)
		t += (s[i] - '0') * b[i];
	return (11 - t % 11) % 11;
}

/* From 2032 the first control digit is no longer unique: every first
 * control digit whose sum leaves remainder 0-3 gives a number (when the
 * second control digit exists), 4-10 none; and a stem whose old control
 * digit would have been 10 (remainder 1 with a 0) now has numbers. */
static void numbers_of_2032(void **state)
{
	(void)state;
	int counted[11] = { 0 }, stems_of_ten = 0;
	for (int ind = 0; ind < 500; ind++) {
		char s[32];
		for (int k1 = 0; k1 <= 9; k1++) {
			snprintf(s, sizeof s, "150680%03d%d", ind, k1);
			int k2 = second_control(s);
			if (k2 == 10)
				continue;
			s[10] = (char)('0' + k2);
			s[11] = '\0';
			int rem = first_remainder(s);
			bool ok = nin_check(s) == NIN_FNR;
			assert_int_equal(ok, rem <= 3);
			counted[rem] += ok;
			if (k1 == 0 && rem == 1)
				stems_of_ten++;
		}
	}
	for (int rem = 0; rem <= 3; rem++)
		assert_true(counted[rem] > 0);
	assert_true(stems_of_ten > 0);
	/* The second control digit is as strict as before. */
	char s[16];
	make(15, 6, 80, 123, s);
	s[10] = (char)('0' + (s[10] - '0' + 1) % 10);
	assert_int_equal(nin_check(s), NIN_INVALID);
}

static void a_stem_whose_second_control_digit_is_ten_has_no_number(void **state)
{
	(void)state;
	for (int ind = 0; ind < 1000; ind++) {
		char s[32];
		snprintf(s, sizeof s, "010180%03d0", ind);
		if (second_control(s) != 10)
			continue;
		int valid = 0;
		for (int k = 0; k < 10; k++) {
			snprintf(s, sizeof s, "010180%03d0%d", ind, k);
			valid += nin_check(s) != NIN_INVALID;
		}
		assert_int_equal(valid, 0);
		return;
	}
	fail_msg("no stem with a second control digit of 10 found");
}

/* Nobody is born later than today: a date after tomorrow is refused. */
static void a_birth_date_in_the_future_is_refused(void **state)
{
	(void)state;
	time_t now = time(NULL) + 3 * 86400;
	struct tm t;
	gmtime_r(&now, &t);
	char s[12];
	make(t.tm_mday, t.tm_mon + 1, t.tm_year % 100, 500, s); /* 500-999 with 00-39: the 2000s */
	assert_int_equal(nin_check(s), NIN_INVALID);
	make(t.tm_mday, t.tm_mon + 81, t.tm_year % 100, 500, s); /* a synthetic one too */
	assert_int_equal(nin_check(s), NIN_INVALID);
	make(1, 1, 30, 600, s); /* 2030 */
	assert_int_equal(nin_check(s), NIN_INVALID);
	now = time(NULL) - 86400;
	gmtime_r(&now, &t);
	make(t.tm_mday, t.tm_mon + 1, t.tm_year % 100, 500, s); /* born yesterday */
	assert_int_equal(nin_check(s), NIN_FNR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_numbers_of_every_kind),
		cmocka_unit_test(each_rule_refuses),
		cmocka_unit_test(numbers_of_2032),
		cmocka_unit_test(a_stem_whose_second_control_digit_is_ten_has_no_number),
		cmocka_unit_test(a_birth_date_in_the_future_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
