/* concern.h — what a log is about (DOMAIN.md §5, §8): one or more concerns
 * per log, each with development areas from the municipality's list (the
 * defaults in sql/003_log.sql plus its own). SQL and rules only; access is
 * decided by authz.h before any of these is called. */
#ifndef STAFETT_CONCERN_H
#define STAFETT_CONCERN_H

#include <stdbool.h>
#include <stdint.h>

struct session;

struct concern_area {
	int64_t id;
	char *name; /* in the language asked for */
};
/* The active development areas a municipality offers, defaults first by
 * their order; names in LANG (nb, nn or en). The count, or < 0. */
int concern_areas(int64_t municipality_id, const char *lang, struct concern_area **out);

struct concern {
	int64_t id;
	char *title;
	char *description; /* may be NULL */
	int version;
};
/* The log's concerns, oldest first; the count or < 0. */
int concern_list(int64_t municipality_id, int64_t log_id, struct concern **out);
struct concern_link {
	int64_t concern_id;
	int64_t area_id;
	char *name;
};
/* The development areas of every concern of the log, names in LANG; the
 * count or < 0. */
int concern_links(int64_t municipality_id, int64_t log_id, const char *lang, struct concern_link **out);

/* A new concern with the areas (ids from concern_areas; others are
 * ignored), its history recorded. 0 with *id, or < 0. */
int concern_create(const struct session *s, int64_t log_id, const char *lang, const char *title,
		   const char *description, const int64_t *areas, int nareas, int64_t *id);

enum concern_outcome {
	CONCERN_DONE,
	CONCERN_STALE,	   /* changed since VERSION: *current holds it now */
	CONCERN_NOT_FOUND, /* no such concern in the log */
};
/* Saves title, description and areas if the concern still has VERSION,
 * recording each changed field. 0 with *outcome, or < 0. */
int concern_update(const struct session *s, int64_t log_id, int64_t concern_id, int version, const char *lang,
		   const char *title, const char *description, const int64_t *areas, int nareas,
		   enum concern_outcome *outcome, struct concern *current);

#endif
