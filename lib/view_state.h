/* view_state.h — the page of a log's state (templates/log_state.html,
 * cgi-bin/log_state.c): the holder's choices the state machine allows, the
 * guardians' open requests (every one for the holder, a person's own for a
 * guardian or the young person), and which request the holder is handling.
 * View layer: reads through logbook.c, writes nothing. */
#ifndef STAFETT_VIEW_STATE_H
#define STAFETT_VIEW_STATE_H

#include <stdint.h>

struct authz;
struct session;
struct tv;

/* Fills data for the log's state page: chosen is the first step's choice as
 * it came back (NULL: none), request the open request the holder chose to
 * handle (0: none). 1 filled, 0 no such log, < 0 a db.h code. */
int view_state(const struct session *s, const struct authz *az, int64_t log_id, const char *chosen,
	       int64_t request, struct tv *data);

/* The second step's page (templates/log_state_confirm.html): the log's
 * heading and what making it TO ("passive" or "closed") is about to do.
 * 1 filled, 0 no such log, < 0 a db.h code. */
int view_state_confirm(const struct session *s, int64_t log_id, const char *to, struct tv *data);

#endif
