/* tz.h — the local time's offsets from UTC, for SQL that must group UTC
 * moments by the day they fell on in Oslo. The database keeps UTC and a
 * MariaDB server often has no time zone tables (CONVERT_TZ then answers
 * NULL), so the offsets come from here: the C library's tzdata under
 * TZ=Europe/Oslo (lib/app.c), the same rules that show every time on the
 * pages ({{when x}}, lib/i18n.c). Plumbing: depends on arena only. */
#ifndef STAFETT_TZ_H
#define STAFETT_TZ_H

#include "arena.h"

/* The offsets in force between FROM and TO (UTC, "YYYY-MM-DD HH:MM:SS",
 * fractions ignored) as JSON for JSON_TABLE: [["since", "until", minutes],
 * ...], each interval from since (inclusive) to until (exclusive) in UTC
 * "YYYY-MM-DD HH:MM:SS", in order, without gaps; the first starts in the
 * year 1000 and the last ends in 9999, so every moment from FROM to TO
 * falls in exactly one. 0, or -1 if FROM or TO is not such a time. */
int tz_offsets_json(const char *from, const char *to, struct buf *out);

#endif
