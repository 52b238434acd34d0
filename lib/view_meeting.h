/* view_meeting.h — the meetings of a log and their minutes as the pages show
 * them (cgi-bin/meeting.c, cgi-bin/minutes.c; templates meeting_new.html,
 * meeting.html, minutes.html), and the list on the log page and the page in
 * plain words (log_meetings.html, log_plain.html). Each view function
 * returns 1 when it filled data, 0 when the log or meeting is not there, or
 * a negative db.h code. View layer: reads through meeting.h, minutes.h,
 * measure.h and logbook.h, writes nothing. */
#ifndef STAFETT_VIEW_MEETING_H
#define STAFETT_VIEW_MEETING_H

#include <stdint.h>

#include "form.h"
#include "tmpl.h"

struct authz;
struct session;

/* The form that plans a meeting: who may be invited, and f as it came back
 * (NULL: a new form, an hour long). */
int view_meeting_new(const struct session *s, int64_t log_id, const struct form *f, struct tv *data);

/* A meeting: when, where, what about, who is invited and, for the holder,
 * the forms to move and cancel it (f: the move form as it came back). */
int view_meeting(const struct session *s, const struct authz *az, int64_t log_id, int64_t meeting_id,
		 const struct form *f, struct tv *data);

/* Which form of the minutes page came back. */
enum view_minutes_form { VIEW_MINUTES_NONE, VIEW_MINUTES_WRITE, VIEW_MINUTES_COMMENT, VIEW_MINUTES_CORRECT };

/* The minutes of a meeting with their comments and corrections, and the
 * forms the viewer may use; f is the form `which` as it came back. */
int view_minutes(const struct session *s, const struct authz *az, int64_t log_id, int64_t meeting_id,
		 enum view_minutes_form which, const struct form *f, struct tv *data);

/* log.meetings for the log page and the page in plain words: each meeting
 * with its state and that of its minutes (approved minutes' decisions and
 * measures for the plain page), and whether the viewer may plan one. */
int view_log_meetings(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log);

#endif
