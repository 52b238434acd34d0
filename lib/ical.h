/* ical.h — iCalendar (RFC 5545, and RFC 5546's REQUEST and CANCEL) with
 * libical: a calendar of events in Europe/Oslo, with that zone's VTIMEZONE,
 * for the invitation mails of meetings and each person's calendar feed.
 * What an event says is the caller's: a calendar is not a secure place, so
 * callers put no child's name and no identity number in it (the log's
 * reference and a link instead). Times come in UTC and go out as Oslo wall
 * time with TZID=Europe/Oslo (the process runs with TZ=Europe/Oslo, as
 * lib/app.c and the tools set it). Plumbing: depends on arena only. */
#ifndef STAFETT_ICAL_H
#define STAFETT_ICAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

struct ical_person {
	const char *name; /* may be NULL */
	const char *email;
};

struct ical_event {
	const char *uid;   /* stable for the thing: "meeting-12@kommune.no" */
	int sequence;	   /* raised each time it moves (RFC 5546) */
	const char *start; /* UTC "YYYY-MM-DD HH:MM[:SS]"; or a date "YYYY-MM-DD" for an all-day event */
	int minutes;	   /* length; ignored for an all-day event */
	const char *stamp; /* UTC "YYYY-MM-DD HH:MM:SS": when this version was made (DTSTAMP) */
	const char *summary;
	const char *description;	     /* may be NULL */
	const char *location;		     /* may be NULL */
	const char *url;		     /* may be NULL */
	bool cancelled;			     /* STATUS:CANCELLED */
	const struct ical_person *organizer; /* may be NULL */
	const struct ical_person *attendees;
	size_t nattendees;
};

/* The whole VCALENDAR (CRLF lines, folded at 75 octets) with METHOD (NULL:
 * none, a feed; "REQUEST", "CANCEL") and the Europe/Oslo VTIMEZONE when an
 * event has a time, appended to out. 0, or -1 if a time is not one or
 * libical refuses something (logged). */
int ical_calendar(struct buf *out, const char *method, const struct ical_event *events, size_t n);

#endif
