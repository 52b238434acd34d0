/* minutes.h — the minutes of a meeting (issue 13), written by the holder
 * once the meeting has begun: who of those invited took part, whether the
 * child, the guardians and the leader took part in the discussion, what
 * was decided, the measures agreed or changed (among the log's measures,
 * each under a goal), and the next meeting. Whoever may add entries to the
 * log (AUTHZ_ENTRY) may comment on them. The holder approves them; approved
 * minutes are locked (a change is refused: MINUTES_LOCKED, 409), and a
 * correction is a new entry beside them, never an overwrite. History:
 * written, changed, approved, each comment and correction. SQL only, every
 * query filtered on the municipality; domain: depends on db, history and
 * meeting. */
#ifndef STAFETT_MINUTES_H
#define STAFETT_MINUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;

struct minutes {
	int64_t id;
	int64_t meeting_id;
	bool child_took_part;
	bool guardians_took_part;
	bool leader_took_part;
	char *decisions;
	char *next_meeting; /* NULL if none */
	char *approved_at;  /* UTC "YYYY-MM-DD HH:MM", NULL until approved */
	char *approver_given_name;
	char *approver_family_name;
	char *author_given_name;
	char *author_family_name;
	char *created_at; /* UTC "YYYY-MM-DD HH:MM" */
	int version;
};

/* A measure the minutes name, with the goal it is under. */
struct minutes_measure {
	int64_t minutes_id;
	int64_t measure_id;
	char *description;
	char *goal_text;
};

/* A comment or a correction, oldest first. */
struct minutes_entry {
	int64_t id;
	char *kind; /* comment, correction */
	char *text;
	char *at;	  /* UTC "YYYY-MM-DD HH:MM" */
	char *given_name; /* as the log names the writer */
	char *family_name;
};

/* The minutes of a meeting of the log: 1 found, 0 none yet, or < 0. */
int minutes_get(int64_t municipality_id, int64_t log_id, int64_t meeting_id, struct minutes *out);
/* Every minutes of the log, by meeting (for the log page). Count or < 0. */
int minutes_list(int64_t municipality_id, int64_t log_id, struct minutes **out);
/* The measures of the log's minutes (minutes_id 0: of every minutes of
 * the log), by minutes and measure. Count or < 0. */
int minutes_measures(int64_t municipality_id, int64_t log_id, int64_t minutes_id,
		     struct minutes_measure **out);
int minutes_entries(int64_t municipality_id, int64_t minutes_id, struct minutes_entry **out);

struct minutes_input {
	bool child_took_part, guardians_took_part, leader_took_part;
	const char *decisions;
	const char *next_meeting; /* "" or NULL: none */
	const int64_t *attended;  /* the participants who took part */
	size_t nattended;
	const int64_t *measures; /* among the log's measures */
	size_t nmeasures;
};

enum minutes_outcome {
	MINUTES_DONE,
	MINUTES_NOT_FOUND,    /* no such meeting in the log, or (approve, entry) no minutes yet */
	MINUTES_STALE,	      /* changed since the form was shown */
	MINUTES_LOCKED,	      /* approved: a change is a correction instead */
	MINUTES_TOO_EARLY,    /* the meeting has not begun */
	MINUTES_CANCELLED,    /* the meeting was cancelled */
	MINUTES_BAD_MEASURE,  /* a measure that is not the log's */
	MINUTES_NOT_APPROVED, /* a correction before the minutes are approved: change them instead */
};

/* Writes the minutes of a meeting, or changes them while they are still at
 * VERSION (0: there are none yet) and not approved. */
int minutes_save(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		 const struct minutes_input *in, enum minutes_outcome *o);
/* Approves the minutes still at VERSION: locked from now on. */
int minutes_approve(const struct session *s, int64_t log_id, int64_t meeting_id, int version,
		    enum minutes_outcome *o);
/* A comment ("comment") or, on approved minutes, a correction
 * ("correction") by the session's person; *id the entry's. */
int minutes_add_entry(const struct session *s, int64_t log_id, int64_t meeting_id, const char *kind,
		      const char *text, int64_t *id, enum minutes_outcome *o);

#endif
