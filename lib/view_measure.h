/* view_measure.h — the pages of goals and measures (templates/
 * measure_goal_new.html, measure_goal.html, measure.html). Three programs
 * show them: cgi-bin/goal.c, measure.c and evaluation.c, each again with
 * what was typed when a save fails. View layer: reads through logbook.c,
 * concern.c and measure.c, writes nothing. Each returns 1 done, 0 when the
 * log, goal or measure is not in the session's municipality's log, or a
 * negative db.h code. */
#ifndef STAFETT_VIEW_MEASURE_H
#define STAFETT_VIEW_MEASURE_H

#include <stdint.h>

struct authz;
struct form;
struct measure;
struct session;
struct tv;

/* A new goal under one of the log's concerns; f the form that came back. */
int view_new_goal(const struct session *s, int64_t log_id, const struct form *f, struct tv *data);

/* A goal: its text (as typed in goal_form, or stored) and the form for a
 * new measure under it (measure_form as typed, or empty). */
int view_goal(const struct session *s, int64_t log_id, int64_t goal_id, const struct form *goal_form,
	      const struct form *measure_form, struct tv *data);

/* A measure: its details and evaluations, the edit form for whoever az lets
 * write (edit as typed, or stored) and the evaluation form for whoever it
 * lets evaluate (eval as typed). */
int view_measure(const struct session *s, const struct authz *az, int64_t log_id, int64_t measure_id,
		 const struct form *edit, const struct form *eval, struct tv *data);

/* One measure's details as every page shows them: what, who, the dates,
 * the status (in words, as a code and in everyday words). */
struct tv *view_measure_item(const struct measure *m);

#endif
