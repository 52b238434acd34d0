/* view_reopen.h — reopening a closed log as a page shows it (templates
 * reopen_section.html, inside reopen.html and the closed log's state page
 * log_state.html): the latest request, those asked and their answers, and
 * what the viewer may do now (the holder: ask, or withdraw the question; a
 * guardian or the young person asked: approve or refuse). View layer: reads
 * through reopen.c and logbook.c, writes nothing. */
#ifndef STAFETT_VIEW_REOPEN_H
#define STAFETT_VIEW_REOPEN_H

#include <stdint.h>

struct authz;
struct session;
struct tv;

/* data.reopen = {...} for log_id, in state STATE (the log's now), decided
 * for the viewer by az. 0 or a negative db.h code. */
int view_reopen_section(const struct session *s, const struct authz *az, int64_t log_id, const char *state,
			struct tv *data);

/* The whole page /logg/ID/gjenapne: the log's heading, the section and the
 * title. 1 filled, 0 no such log, < 0 a db.h code. */
int view_reopen(const struct session *s, const struct authz *az, int64_t log_id, struct tv *data);

#endif
