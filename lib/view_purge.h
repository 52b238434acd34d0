/* view_purge.h — why a withdrawn log is not deleted yet, in words a parent
 * understands: on the log page for its holder (log_consent.html) and on
 * the guardians' own page (/min-side, home.html), where each log whose
 * consent they withdrew is listed. View layer: reads through logpurge.h. */
#ifndef STAFETT_VIEW_PURGE_H
#define STAFETT_VIEW_PURGE_H

#include <stdint.h>

struct tv;

/* out.purge = {why, failed}: how the log's archive copy stands, the reason
 * nothing is deleted yet. 0, or a negative db.h code. */
int view_purge_wait(int64_t municipality_id, int64_t log_id, struct tv *out);

#endif
