/* nin.c — Norwegian national identity numbers: fødselsnummer, D-number,
 * H-number and Skatteetaten's synthetic test numbers, each with both mod-11
 * control digits, as they are issued from 2032 too. Functions over 11 ASCII
 * digits and today's date. */
#include "nin.h"

#include <stddef.h>
#include <time.h>

/* The first control digit's weights, the digit itself included. */
static const int w1[10] = { 3, 7, 6, 1, 8, 9, 4, 5, 2, 1 };
static const int w2[10] = { 5, 4, 3, 2, 7, 6, 5, 4, 3, 2 };

/* From 2032 the Tax Administration issues numbers whose first control digit
 * is no longer unique: the weighted sum of the first ten digits may leave
 * remainder 0, 1, 2 or 3 modulo 11 (before, only 0; numbers issued so far
 * all leave 0, so they stay valid). */
static bool first_control_ok(const int *d)
{
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += d[i] * w1[i];
	return sum % 11 <= 3;
}

/* 11 - (sum mod 11), where 11 means 0 and 10 means no valid digit (-1). */
static int control(const int *d, const int *w, int n)
{
	int sum = 0;
	for (int i = 0; i < n; i++)
		sum += d[i] * w[i];
	int k = 11 - sum % 11;
	return k == 11 ? 0 : k == 10 ? -1 : k;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* The century follows from the individual number (digits 7-9). */
static int full_year(int yy, int ind)
{
	if (ind <= 499)
		return 1900 + yy;
	if (ind <= 749 && yy >= 54)
		return 1800 + yy;
	if (yy <= 39)
		return 2000 + yy;
	if (ind >= 900)
		return 1900 + yy;
	return -1;
}

/* Decodes and checks; the kind, and the date through the out parameters. */
static enum nin_kind decode(const char *s, int *year, int *month, int *day)
{
	int d[11];
	if (!s)
		return NIN_INVALID;
	for (int i = 0; i < 11; i++) {
		if (s[i] < '0' || s[i] > '9')
			return NIN_INVALID;
		d[i] = s[i] - '0';
	}
	if (s[11] != '\0')
		return NIN_INVALID;
	if (!first_control_ok(d))
		return NIN_INVALID;
	int k2 = control(d, w2, 10);
	if (k2 < 0 || k2 != d[10])
		return NIN_INVALID;

	int dd = d[0] * 10 + d[1], mm = d[2] * 10 + d[3], yy = d[4] * 10 + d[5];
	int ind = d[6] * 100 + d[7] * 10 + d[8];
	enum nin_kind kind = NIN_FNR;
	bool dnum = false;
	if (dd > 40) {
		dd -= 40;
		dnum = true;
		kind = NIN_DNUMBER;
	}
	if (mm > 80) {
		mm -= 80;
		kind = NIN_SYNTHETIC;
	} else if (mm > 40) {
		if (dnum)
			return NIN_INVALID; /* a help number is never also a D-number */
		mm -= 40;
		kind = NIN_HNUMBER;
	}
	int y = full_year(yy, ind);
	if (y < 0 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(y, mm))
		return NIN_INVALID;
	/* Nobody is born later than today (Oslo's date is never more than a
	 * day from UTC's: the day after UTC's today is the one margin). */
	time_t now = time(NULL);
	struct tm t;
	gmtime_r(&now, &t);
	long born = (long)y * 10000 + mm * 100 + dd;
	long tomorrow = (long)(t.tm_year + 1900) * 10000 + (t.tm_mon + 1) * 100 + t.tm_mday + 1;
	if (born > tomorrow)
		return NIN_INVALID;
	*year = y;
	*month = mm;
	*day = dd;
	return kind;
}

enum nin_kind nin_check(const char *s)
{
	int y, m, d;
	return decode(s, &y, &m, &d);
}

int nin_birthdate(const char *s, int *year, int *month, int *day)
{
	return decode(s, year, month, day) == NIN_INVALID ? -1 : 0;
}
