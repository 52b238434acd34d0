/* history.h — every change to a log, field by field, in log_history: who,
 * when, which thing (entity and id), which field, old -> new. Programs call
 * history_record() in the same transaction as the change itself, so a change
 * is never without its history. Only the holder reads it (AUTHZ_MANAGE). */
#ifndef STAFETT_HISTORY_H
#define STAFETT_HISTORY_H

#include <stdbool.h>
#include <stdint.h>

struct session;

/* old_value or new_value NULL: the field had, or now has, no value (a new or
 * removed thing). Values are stored as typed; the page escapes them. */
int history_record(const struct session *s, int64_t log_id, const char *entity, int64_t entity_id,
		   const char *field, const char *old_value, const char *new_value);

/* Whether a field's value changed, as the history sees it: NULL and ""
 * both mean "no value" (a form sends "" for an empty field, the database
 * keeps NULL), so going from one to the other is no change. */
bool history_changed(const char *old_value, const char *new_value);
/* history_record of one field if history_changed says it changed, with ""
 * recorded as NULL; a new thing (old_value NULL) records its fields that
 * have a value. 0 (also when nothing changed), or a negative db.h code. */
int history_change(const struct session *s, int64_t log_id, const char *entity, int64_t entity_id,
		   const char *field, const char *old_value, const char *new_value);

struct history_entry {
	char *at;	   /* YYYY-MM-DD HH:MM (UTC) */
	int64_t person_id; /* who made the change */
	char *given_name;
	char *family_name;
	char *entity;
	int64_t entity_id;
	char *field;
	char *old_value; /* may be NULL */
	char *new_value; /* may be NULL */
	/* What the row is about, as it is now, for the page's sentences (NULL
	 * when the row is about nothing of the kind): */
	char *thing;	   /* the concern's title, the goal's text, the measure's description */
	char *concern;	   /* a goal's concern's title */
	char *kind;	   /* a consent's kind; a state request's wanted state */
	char *other_given; /* a state request's asker, as the log names them */
	char *other_family;
};
/* Newest first, at most limit; the count, or a negative db.h code. */
int history_list(int64_t municipality_id, int64_t log_id, int limit, struct history_entry **out);

#endif
