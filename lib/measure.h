/* measure.h — goals, measures and their evaluations (DOMAIN.md §1, §5, §8):
 * goals hang on a concern, measures on a goal, each with a responsible
 * person, dates and a status; an evaluation is a category and a short text.
 * Also the overview of "my logs": next deadlines and evaluations due. SQL
 * and the rules of these things only; access is decided by authz.h first.
 *
 * Who may do what: the holder (AUTHZ_WRITE) adds and edits goals and
 * measures and evaluates any measure. An actor (AUTHZ_ENTRY) evaluates only
 * the measures they are responsible for: authz allows ENTRY to guardians
 * and actors alike, so measure_require_evaluator() adds, after authz has
 * allowed ENTRY, the one check authz cannot know: that the person is the
 * measure's responsible person and an actor of the log. */
#ifndef STAFETT_MEASURE_H
#define STAFETT_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

struct session;

/* measure.status and evaluation.category, NULL-terminated, in form order. */
extern const char *const measure_statuses[];
extern const char *const measure_categories[];
const char *measure_status_label(const char *status);	  /* "" if unknown */
const char *measure_category_label(const char *category); /* "" if unknown */
/* The same in everyday words, for the plain-language version of the log. */
const char *measure_status_plain(const char *status);
const char *measure_category_plain(const char *category);

enum measure_outcome {
	MEASURE_DONE,
	MEASURE_NOT_FOUND,	 /* no such goal/measure/concern in this log */
	MEASURE_STALE,		 /* changed by someone else since the version given */
	MEASURE_BAD_RESPONSIBLE, /* not the holder, an actor or cleared staff of an active unit */
};

struct measure_goal {
	int64_t id;
	int64_t concern_id;
	char *concern_title;
	char *text;
	int version;
};
int measure_goals(int64_t municipality_id, int64_t log_id, struct measure_goal **out);
/* 1 found, 0 not in this log, or < 0. */
int measure_goal(int64_t municipality_id, int64_t log_id, int64_t goal_id, struct measure_goal *out);

/* A new goal under one of the log's concerns (history recorded). */
int measure_add_goal(const struct session *s, int64_t log_id, int64_t concern_id, const char *text,
		     int64_t *goal_id, enum measure_outcome *o);
/* New text for a goal still at VERSION: MEASURE_DONE, _NOT_FOUND or _STALE. */
int measure_edit_goal(const struct session *s, int64_t log_id, int64_t goal_id, int version, const char *text,
		      enum measure_outcome *o);

/* A measure as typed: dates "YYYY-MM-DD" or "" for none; the responsible
 * person with the unit they act for (the log's unit for the holder). */
struct measure_input {
	const char *description;
	int64_t responsible_person_id;
	int64_t responsible_unit_id;
	const char *start_date;
	const char *deadline;
	const char *evaluation_date;
	const char *status;
};

/* A new measure under goal_id. The responsible person must be the holder,
 * an actor of the log or staff of an active unit of the municipality
 * cleared by its leader (a leader role alone never: a leader never reads a
 * log's contents, DOMAIN.md §2); a staff member not yet an actor becomes one with that unit (a log_actor
 * row, in the same transaction; they see the log only once consent covers
 * their unit). 0 with *o, or a negative db.h code. */
int measure_add(const struct session *s, int64_t log_id, int64_t goal_id, const struct measure_input *in,
		int64_t *measure_id, enum measure_outcome *o);
/* The measure as typed, if still at VERSION; history for each changed field. */
int measure_edit(const struct session *s, int64_t log_id, int64_t measure_id, int version,
		 const struct measure_input *in, enum measure_outcome *o);

struct measure {
	int64_t id;
	int64_t goal_id;
	char *goal_text;
	char *description;
	int64_t responsible_person_id;
	int64_t responsible_unit_id; /* 0 if the person is no longer in the log */
	bool responsible_current;    /* the responsible person is a current actor of the log */
	char *responsible_given_name;
	char *responsible_family_name;
	char *responsible_unit; /* may be NULL */
	char *start_date;	/* YYYY-MM-DD or NULL, as the next two */
	char *deadline;
	char *evaluation_date;
	char *status;
	int version;
	/* The latest evaluation; category NULL if none. */
	char *eval_category;
	char *eval_text;
	char *eval_at; /* YYYY-MM-DD HH:MM (UTC) */
	char *eval_given_name;
	char *eval_family_name;
};
/* The log's measures, by id. The count or < 0. */
int measure_list(int64_t municipality_id, int64_t log_id, struct measure **out);
/* 1 found, 0 not in this log, or < 0. */
int measure_get(int64_t municipality_id, int64_t log_id, int64_t measure_id, struct measure *out);

struct measure_evaluation {
	char *category;
	char *text; /* may be NULL */
	char *at;   /* YYYY-MM-DD HH:MM (UTC) */
	char *given_name;
	char *family_name;
};
/* A measure's evaluations, newest first. The count or < 0. */
int measure_evaluations(int64_t municipality_id, int64_t log_id, int64_t measure_id,
			struct measure_evaluation **out);
/* Records an evaluation of a measure of the log by the session's person. */
int measure_evaluate(const struct session *s, int64_t log_id, int64_t measure_id, const char *category,
		     const char *text, enum measure_outcome *o);

/* Whether the person is the measure's responsible person and still a
 * current actor of the log: what authz's EVALUATE rule asks of one measure
 * (authz_may_evaluate). */
bool measure_responsible(const struct measure *m, int64_t person_id);

/* Someone who can be made responsible for a measure. */
struct measure_person {
	int64_t person_id;
	int64_t unit_id;
	char *given_name;
	char *family_name;
	char *unit_name;
	char *relation; /* "holder", "actor" or "staff" */
};
/* The holder, the log's actors, then the cleared staff of the
 * municipality's active units (by unit and name). The count or < 0. */
int measure_people(int64_t municipality_id, int64_t log_id, struct measure_person **out);

/* --- my logs ------------------------------------------------------------ */

/* The figures of one log on "my logs", from its open (planned or ongoing)
 * measures. */
struct measure_figures {
	char *next_deadline;  /* the earliest deadline, or NULL */
	bool deadline_passed; /* next_deadline is before today */
	int evaluations_due;  /* evaluations due within the municipality's evaluation_warn_days (measure.c) */
	int mine;	      /* measures the session's person is responsible for */
};

/* An open measure the session's person is responsible for. */
struct measure_mine {
	int64_t id;
	int64_t log_id;
	char *description;
	char *deadline;
	char *evaluation_date;
	char *status;
	bool evaluation_due;
};

/* For the logs log_ids[0..n-1], which the caller may read (authz_related):
 * out[i] the figures of log_ids[i], and in *mine the open measures in them
 * that the session's person is responsible for, by deadline (none last), at
 * most limit. One statement. The number in *mine, or a negative db.h code. */
int measure_figures(const struct session *s, const int64_t *log_ids, int n, struct measure_figures *out,
		    int limit, struct measure_mine **mine);

/* --- a unit's flow ------------------------------------------------------- */

/* For the logs log_ids[0..n-1] of the municipality, which the caller has
 * asked authz about (a leader's unit, AUTHZ_UNIT_FLOW): out[i] the number of
 * log_ids[i]'s open measures whose evaluation is overdue (its date passed,
 * not evaluated since it came due). Numbers only, never a measure. One
 * statement; 0 or a negative db.h code. */
int measure_overdue(int64_t municipality_id, const int64_t *log_ids, int n, int *out);

/* --- evaluations due (tools/stafett-daily.c) ------------------------------ */

/* An open measure whose evaluation is due, with whom it is for. */
struct measure_due {
	int64_t municipality_id;
	int64_t log_id;
	int64_t id;
	int64_t responsible_person_id;
	char *evaluation_date; /* YYYY-MM-DD */
};
/* Every municipality's open (planned or ongoing) measures in active logs
 * whose consent is not withdrawn, whose evaluation is due on TODAY
 * (YYYY-MM-DD): what "my logs" counts as due that day (its date passed or
 * within the municipality's evaluation_warn_days, and not evaluated since
 * it came due). By id; the count or a negative db.h code. */
int measure_due(const char *today, struct measure_due **out);

#endif
