/* view_calendar.c — the calendar's template values and its feed (see
 * view_calendar.h). */
#include "view_calendar.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "crypto.h"
#include "i18n.h"
#include "ical.h"
#include "view.h"

static const char *path_of(const struct calendar_item *it)
{
	return it->kind == CALENDAR_MEETING
		? arena_printf("/logg/%lld/mote/%lld", (long long)it->log_id, (long long)it->id)
		: arena_printf("/logg/%lld/tiltak/%lld", (long long)it->log_id, (long long)it->id);
}

/* "YYYY-MM-DD HH:MM:SS" UTC, minutes later. */
static const char *later(const char *utc, int minutes)
{
	struct tm tm = { 0 };
	if (!utc || !strptime(utc, "%Y-%m-%d %H:%M:%S", &tm))
		return NULL;
	time_t t = timegm(&tm) + (time_t)minutes * 60;
	struct tm g;
	char *out = arena_alloc(20);
	if (!gmtime_r(&t, &g) || strftime(out, 20, "%Y-%m-%d %H:%M:%S", &g) != 19)
		return NULL;
	return out;
}

static struct tv *item_tv(const struct calendar_item *it)
{
	static const char *const anchor[] = { "mote", "frist", "evaluering" };
	struct tv *o = tv_obj();
	tv_set_str(o, "anchor", arena_printf("kalender-%s-%lld", anchor[it->kind], (long long)it->id));
	tv_set_bool(o, "meeting", it->kind == CALENDAR_MEETING);
	tv_set_bool(o, "deadline", it->kind == CALENDAR_DEADLINE);
	tv_set_bool(o, "evaluation", it->kind == CALENDAR_EVALUATION);
	/* A link into the log only for who may read it: a leader invited to
	 * a meeting may not open its page (their invitation has no link). */
	tv_set_str(o, "href", it->named ? path_of(it) : "");
	tv_set_int(o, "log_id", it->log_id);
	tv_set_str(o, "day", it->day);
	if (it->starts_at) {
		tv_set_str(o, "starts_at", it->starts_at);
		const char *end = later(it->starts_at, it->minutes);
		tv_set_str(o, "ends_at", end ? end : "");
	}
	/* The child's name only where the person may read the log; a leader
	 * invited to a meeting sees the log's number instead. */
	tv_set_str(o, "name", it->named && it->given_name ? view_name(it->given_name, it->family_name) : "");
	tv_set_str(o, "description", it->description ? it->description : "");
	tv_set_str(o, "place", it->place ? it->place : "");
	tv_set_str(o, "video_url", it->video_url ? it->video_url : "");
	return o;
}

static bool parse_ymd(const char *s, int *y, int *m, int *d)
{
	int n = 0;
	return s && sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) == 3 && n == 10;
}

/* The date of y-m-d + days (normalised), and its weekday from Monday (0). */
static void date_of(int y, int m, int d, char out[11], int *weekday)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12 };
	time_t t = timegm(&tm);
	struct tm g;
	gmtime_r(&t, &g);
	strftime(out, 11, "%Y-%m-%d", &g);
	if (weekday)
		*weekday = (g.tm_wday + 6) % 7;
}

void view_calendar_month(struct tv *data, const struct calendar *c, const char *first, const char *today)
{
	int y, m, d, wday;
	if (!parse_ymd(first, &y, &m, &d))
		return;
	char date[11];
	date_of(y, m, 1, date, &wday);
	/* The days in the month: the day before the first of the next. */
	char last[11];
	date_of(y, m + 1, 0, last, NULL);
	int ndays = (last[8] - '0') * 10 + (last[9] - '0');
	int nweeks = (wday + ndays + 6) / 7, k = 0;
	struct tv *weeks = tv_list();
	for (int w = 0; w < nweeks; w++) {
		struct tv *week = tv_push_obj(weeks), *days = tv_list();
		for (int i = 0; i < 7; i++) {
			int offset = w * 7 + i - wday; /* days after the first */
			date_of(y, m, 1 + offset, date, NULL);
			if (i == 0) {
				struct tm tm = { .tm_year = y - 1900,
						 .tm_mon = m - 1,
						 .tm_mday = 1 + offset };
				char iso[4];
				timegm(&tm);
				strftime(iso, sizeof iso, "%V", &tm);
				tv_set_int(week, "week", (long long)(iso[0] - '0') * 10 + (iso[1] - '0'));
			}
			struct tv *day = tv_push_obj(days), *items = tv_list();
			tv_set_str(day, "date", arena_strdup(date));
			tv_set_int(day, "number", (long long)(date[8] - '0') * 10 + (date[9] - '0'));
			tv_set_bool(day, "in_month", offset >= 0 && offset < ndays);
			tv_set_bool(day, "today", today && strcmp(date, today) == 0);
			while (k < c->n && strcmp(c->items[k].day, date) < 0)
				k++;
			for (; k < c->n && strcmp(c->items[k].day, date) == 0; k++)
				tv_push(items, item_tv(&c->items[k]));
			tv_set(day, "items", items);
		}
		tv_set(week, "days", days);
	}
	tv_set(data, "weeks", weeks);
	tv_set_bool(data, "has_items", c->n > 0);
	tv_set_str(data, "month", arena_printf("%04d-%02d", y, m));
	tv_set_str(data, "month_first", arena_printf("%04d-%02d-01", y, m));
	tv_set_str(data, "prev", arena_printf("%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1));
	tv_set_str(data, "next", arena_printf("%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1));
}

void view_calendar_list(struct tv *data, const struct calendar *c, const char *today)
{
	struct tv *days = tv_list(), *items = NULL;
	for (int k = 0; k < c->n; k++) {
		const struct calendar_item *it = &c->items[k];
		if (k == 0 || strcmp(it->day, c->items[k - 1].day) != 0) {
			struct tv *day = tv_push_obj(days);
			tv_set_str(day, "date", it->day);
			tv_set_bool(day, "today", today && strcmp(it->day, today) == 0);
			items = tv_list();
			tv_set(day, "items", items);
		}
		tv_push(items, item_tv(it));
	}
	tv_set(data, "days", days);
}

/* The words of the feed's events, in the current language. */
#define FEED_WORDS                                                                                           \
	const char *what[] = { _("Meeting in log no."), _("Deadline for a measure in log no."),              \
			       _("Evaluation of a measure in log no.") };                                    \
	const char *open = _("Open it in Stafett:")
/* Raised whenever view_calendar_feed writes its text differently. */
#define FEED_FORMAT "stafett-feed 1"

void view_calendar_feed_hash(const struct calendar *c, unsigned char out[32])
{
	FEED_WORDS;
	struct buf b = { 0 };
	buf_addf(&b, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n", FEED_FORMAT, config_str("site.public_url"),
		 calendar_uid_host(), what[0], what[1], what[2], open);
	for (int k = 0; k < c->n; k++) {
		const struct calendar_item *it = &c->items[k];
		buf_addf(&b, "%d %lld %lld %d %s %d %s\n", (int)it->kind, (long long)it->id,
			 (long long)it->log_id, it->sequence,
			 it->kind == CALENDAR_MEETING ? it->starts_at : it->day, it->minutes,
			 it->changed_at ? it->changed_at : "");
	}
	crypto_sha256(b.data, b.len, out);
}

int view_calendar_feed(struct buf *out, const struct calendar *c)
{
	FEED_WORDS;
	const char *host = calendar_uid_host(), *site = config_str("site.public_url");
	struct ical_event *ev = arena_alloc(sizeof *ev * (size_t)(c->n > 0 ? c->n : 1));
	for (int k = 0; k < c->n; k++) {
		const struct calendar_item *it = &c->items[k];
		const char *url = arena_printf("%s%s", site, path_of(it));
		/* What the event says: what it is and the log's number, never
		 * a name, a place or anything else someone typed. */
		ev[k] = (struct ical_event){
			.uid = it->kind == CALENDAR_MEETING
				? arena_printf("meeting-%lld@%s", (long long)it->id, host)
				: arena_printf("measure-%lld-%s@%s", (long long)it->id,
					       it->kind == CALENDAR_DEADLINE ? "deadline" : "evaluation",
					       host),
			.sequence = it->sequence,
			.start = it->kind == CALENDAR_MEETING ? it->starts_at : it->day,
			.minutes = it->minutes,
			.stamp = it->changed_at,
			.summary = arena_printf("%s %lld", what[it->kind], (long long)it->log_id),
			.description = arena_printf("%s %s", open, url),
			.url = url,
		};
	}
	return ical_calendar(out, NULL, ev, (size_t)c->n);
}
