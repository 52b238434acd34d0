/* message.h — the thread of messages in a log (issue 12) between the
 * holder, the actors, the guardians and the young person (whoever authz
 * allows: reading needs AUTHZ_READ, writing AUTHZ_ENTRY), with a read
 * marker per person (message_read: the newest message they have seen).
 * Each new message queues, in the same transaction, one "something new for
 * you" notice to every other participant who may read the log (lib/outbox.c
 * gates it to one per person per [mail] notice_interval_minutes and leaves
 * out whoever chose no e-mail). A message is never edited. SQL only, every
 * query filtered on the municipality; domain: depends on db, authz, outbox
 * and session. */
#ifndef STAFETT_MESSAGE_H
#define STAFETT_MESSAGE_H

#include <stdint.h>

struct session;

/* The messages a thread shows, the newest. */
#define MESSAGE_LIST_LIMIT 200

struct message {
	int64_t id;
	int64_t author_id;
	char *text;
	char *at;	  /* YYYY-MM-DD HH:MM (UTC) */
	char *given_name; /* as the author is named in this log */
	char *family_name;
	/* The author's relation to the log now: holder, actor, guardian,
	 * subject (the young person, or the pregnant woman), or NULL (no
	 * longer any of these). */
	char *relation;
	char *unit;	    /* the holder's or actor's unit, or NULL */
	char *subject_kind; /* the log's: child, youth, pregnancy */
};

/* A person's read marker: they have seen every message up to last_id. */
struct message_reader {
	int64_t person_id;
	int64_t last_id;
	char *given_name;
	char *family_name;
};

/* The log's newest messages, newest first, at most limit. The count or < 0. */
int message_list(int64_t municipality_id, int64_t log_id, int limit, struct message **out);

/* Everyone's read markers on the log, by name. The count or < 0. */
int message_readers(int64_t municipality_id, int64_t log_id, struct message_reader **out);

/* Moves the session's person's marker to the log's newest message (never
 * back). *before is where it stood (0: never opened, or no messages). 0 or
 * a negative db.h code. */
int message_mark_read(const struct session *s, int64_t log_id, int64_t *before);

/* How many messages the log has, and how many of them are new to the
 * person (written by others after their marker). 0 or < 0. */
int message_counts(int64_t municipality_id, int64_t log_id, int64_t person_id, int *total, int *unread);

/* A new message by the session's person; their own marker moves to it, and
 * every other participant who may read the log is notified (gated). *queued
 * is how many notices were queued. 0 with *id, or a negative db.h code. */
int message_add(const struct session *s, int64_t log_id, const char *text, int64_t *id, int *queued);

#endif
