/* ical.c — calendars with libical (ical.h). */
#include "ical.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

/* Europe/Oslo as calendar programs expect it: the zone's name as its TZID
 * and today's rule (the EU's last Sundays of March and October). libical's
 * own zone from the system's tzdata carries a TZID with a vendor prefix and
 * every rule since 1895, which some programs show as an unknown zone. */
static const char oslo[] = "BEGIN:VTIMEZONE\r\n"
			   "TZID:Europe/Oslo\r\n"
			   "X-LIC-LOCATION:Europe/Oslo\r\n"
			   "BEGIN:DAYLIGHT\r\n"
			   "TZNAME:CEST\r\n"
			   "TZOFFSETFROM:+0100\r\n"
			   "TZOFFSETTO:+0200\r\n"
			   "DTSTART:19700329T020000\r\n"
			   "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
			   "END:DAYLIGHT\r\n"
			   "BEGIN:STANDARD\r\n"
			   "TZNAME:CET\r\n"
			   "TZOFFSETFROM:+0200\r\n"
			   "TZOFFSETTO:+0100\r\n"
			   "DTSTART:19701025T030000\r\n"
			   "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
			   "END:STANDARD\r\n"
			   "END:VTIMEZONE\r\n";

/* "YYYY-MM-DD HH:MM[:SS]" in UTC as a time, or -1. */
static time_t utc(const char *s)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%d %H:%M", &tm) : NULL;
	if (!end || (*end && (*end != ':' || !strptime(end + 1, "%S", &tm))))
		return (time_t)-1;
	return timegm(&tm);
}

/* An Oslo wall time with TZID=Europe/Oslo. */
static icalproperty *local_time(icalproperty *(*make)(struct icaltimetype), time_t t)
{
	struct tm lt;
	if (!localtime_r(&t, &lt))
		return NULL;
	struct icaltimetype v = icaltime_null_time();
	v.year = lt.tm_year + 1900;
	v.month = lt.tm_mon + 1;
	v.day = lt.tm_mday;
	v.hour = lt.tm_hour;
	v.minute = lt.tm_min;
	v.second = lt.tm_sec;
	icalproperty *p = make(v);
	icalproperty_add_parameter(p, icalparameter_new_tzid("Europe/Oslo"));
	return p;
}

static icalproperty *person(icalproperty *(*make)(const char *), const struct ical_person *who)
{
	char *mailto = arena_printf("mailto:%s", who->email);
	icalproperty *p = make(mailto);
	if (who->name && *who->name)
		icalproperty_add_parameter(p, icalparameter_new_cn(who->name));
	return p;
}

static int add_event(icalcomponent *cal, const struct ical_event *e)
{
	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
	time_t stamp = utc(e->stamp);
	if (stamp == (time_t)-1)
		goto bad;
	icalcomponent_add_property(ev,
				   icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
					   stamp, 0, icaltimezone_get_utc_timezone())));
	if (e->start && strlen(e->start) == 10) {
		struct icaltimetype d = icaltime_null_date();
		if (sscanf(e->start, "%4d-%2d-%2d", &d.year, &d.month, &d.day) != 3)
			goto bad;
		icalcomponent_add_property(ev, icalproperty_new_dtstart(d));
	} else {
		time_t start = utc(e->start);
		if (start == (time_t)-1)
			goto bad;
		icalproperty *s = local_time(icalproperty_new_dtstart, start);
		icalproperty *f = local_time(icalproperty_new_dtend, start + (time_t)e->minutes * 60);
		if (!s || !f)
			goto bad;
		icalcomponent_add_property(ev, s);
		icalcomponent_add_property(ev, f);
	}
	icalcomponent_add_property(ev, icalproperty_new_summary(e->summary));
	if (e->description && *e->description)
		icalcomponent_add_property(ev, icalproperty_new_description(e->description));
	if (e->location && *e->location)
		icalcomponent_add_property(ev, icalproperty_new_location(e->location));
	if (e->url && *e->url)
		icalcomponent_add_property(ev, icalproperty_new_url(e->url));
	icalcomponent_add_property(
		ev, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	if (e->organizer)
		icalcomponent_add_property(ev, person(icalproperty_new_organizer, e->organizer));
	for (size_t i = 0; i < e->nattendees; i++) {
		icalproperty *a = person(icalproperty_new_attendee, &e->attendees[i]);
		icalproperty_add_parameter(a, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(a, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
		icalcomponent_add_property(ev, a);
	}
	icalcomponent_add_component(cal, ev);
	return 0;
bad:
	log_error("ical: event %s has a time that is not one", e->uid ? e->uid : "?");
	icalcomponent_free(ev);
	return -1;
}

int ical_calendar(struct buf *out, const char *method, const struct ical_event *events, size_t n)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//Stafett//Stafettlogg//NO"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	if (method)
		icalcomponent_add_property(cal, icalproperty_new_method(icalenum_string_to_method(method)));
	/* The zone first, before the events that refer to it. */
	bool timed = false;
	for (size_t i = 0; i < n; i++)
		timed |= !events[i].start || strlen(events[i].start) != 10;
	if (timed) {
		icalcomponent *tz = icalcomponent_new_from_string(oslo);
		if (!tz) {
			log_error("ical: the Europe/Oslo time zone does not parse");
			icalcomponent_free(cal);
			return -1;
		}
		icalcomponent_add_component(cal, tz);
	}
	for (size_t i = 0; i < n; i++) {
		if (add_event(cal, &events[i]) < 0) {
			icalcomponent_free(cal);
			return -1;
		}
	}
	char *text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text) {
		log_error("ical: libical could not write the calendar");
		return -1;
	}
	buf_adds(out, text);
	free(text);
	return 0;
}
