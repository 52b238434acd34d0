/* test_nin.c — national identity numbers, table-driven. The valid rows are
 * made here from invented dates by an independent control-digit routine; the
 * invalid rows break one rule each. */
#include <stdio.h>
#include <string.h>

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

static void a_stem_whose_control_digit_is_ten_has_no_number(void **state)
{
	(void)state;
	/* A stem whose k1 or k2 would be 10: none of its 100 endings is valid. */
	for (int ind = 0; ind < 1000; ind++) {
		char stem[32], out[32];
		snprintf(stem, sizeof stem, "010180%03d", ind);
		if (complete(stem, out))
			continue;
		int valid = 0;
		for (int k = 0; k < 100; k++) {
			snprintf(out, sizeof out, "%.9s%02d", stem, k);
			valid += nin_check(out) != NIN_INVALID;
		}
		assert_int_equal(valid, 0);
		return;
	}
	fail_msg("no stem with a control digit of 10 found");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_numbers_of_every_kind),
		cmocka_unit_test(each_rule_refuses),
		cmocka_unit_test(a_stem_whose_control_digit_is_ten_has_no_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
