/* tz.c — local UTC offsets from the C library's tzdata. */
#include "tz.h"

#include <stdio.h>
#include <time.h>

static int parse_utc(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	int n = 0;
	if (!s ||
	    sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

static long offset_at(time_t t)
{
	struct tm lt;
	return localtime_r(&t, &lt) ? lt.tm_gmtoff : 0;
}

static void add_utc(struct buf *out, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_addf(out, "\"%04d-%02d-%02d %02d:%02d:%02d\"", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int tz_offsets_json(const char *from, const char *to, struct buf *out)
{
	time_t t, end;
	if (parse_utc(from, &t) < 0 || parse_utc(to, &end) < 0)
		return -1;
	long off = offset_at(t);
	buf_adds(out, "[[\"1000-01-01 00:00:00\", ");
	/* A day at a time: Oslo's clock changes at most twice a year. Where
	 * the offset differs a day later, the second it changed is found by
	 * halving. */
	while (t < end) {
		time_t next = t + 86400 < end ? t + 86400 : end;
		if (offset_at(next) == off) {
			t = next;
			continue;
		}
		time_t lo = t, hi = next; /* off at lo, another at hi */
		while (hi - lo > 1) {
			time_t mid = lo + (hi - lo) / 2;
			if (offset_at(mid) == off)
				lo = mid;
			else
				hi = mid;
		}
		add_utc(out, hi);
		buf_addf(out, ", %ld], [", off / 60);
		add_utc(out, hi);
		buf_adds(out, ", ");
		off = offset_at(hi);
		t = hi;
	}
	buf_addf(out, "\"9999-12-31 23:59:59\", %ld]]", off / 60);
	return 0;
}
