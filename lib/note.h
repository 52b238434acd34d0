/* note.h — notes and glimpses of light (DOMAIN.md §8): short texts by the
 * holder, actors and guardians (whoever authz allows AUTHZ_ENTRY), each
 * optionally about one of the log's concerns; a glimpse of light (nb
 * lysglimt) is a note marked as good news. SQL only; authz decides first. */
#ifndef STAFETT_NOTE_H
#define STAFETT_NOTE_H

#include <stdbool.h>
#include <stdint.h>

struct session;

/* The notes shown on the log page, newest first. */
#define NOTE_LIST_LIMIT 200

struct note {
	int64_t id;
	char *text;
	bool glimpse;
	char *at; /* YYYY-MM-DD HH:MM (UTC) */
	char *given_name;
	char *family_name;
	char *concern_title; /* NULL if about the log as a whole */
};

/* The log's notes, newest first, at most limit. The count or < 0. */
int note_list(int64_t municipality_id, int64_t log_id, int limit, struct note **out);

/* A new note by the session's person. concern_id 0: none; otherwise it must
 * be one of the log's concerns (*found false if not: nothing written). */
int note_add(const struct session *s, int64_t log_id, int64_t concern_id, const char *text, bool glimpse,
	     int64_t *note_id, bool *found);

#endif
