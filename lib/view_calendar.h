/* view_calendar.h — a person's calendar (lib/calendar.h) as the page
 * shows it, a month as a grid of weeks or the coming items as a list, and
 * as the feed's iCalendar text, which names no child. View: depends on
 * calendar, ical, tmpl and i18n. */
#ifndef STAFETT_VIEW_CALENDAR_H
#define STAFETT_VIEW_CALENDAR_H

#include "arena.h"
#include "calendar.h"
#include "tmpl.h"

/* data.weeks: the month that begins on FIRST ("YYYY-MM-01") as whole weeks
 * from Monday, each {week (ISO number), days: {date, number, in_month,
 * today, items}}, with c's items on their day; data.month, .prev and .next
 * ("YYYY-MM" of it and the months around it). */
void view_calendar_month(struct tv *data, const struct calendar *c, const char *first, const char *today);

/* data.days: the days that have items, in order, each {date, today, items}. */
void view_calendar_list(struct tv *data, const struct calendar *c, const char *today);

/* The feed: c as a calendar without METHOD, in the current language, each
 * event saying only what it is and the log's number, with a link
 * (PUBLIC_URL/logg/ID/...). 0, or -1. */
int view_calendar_feed(struct buf *out, const struct calendar *c);

/* SHA-256 of everything view_calendar_feed would write for c in the
 * current language (each event's identity, times, sequence and log, the
 * words, the site's address, the text's format), without writing it: the
 * feed's ETag, and the key of the text kept with it (sql/011). */
void view_calendar_feed_hash(const struct calendar *c, unsigned char out[32]);

#endif
