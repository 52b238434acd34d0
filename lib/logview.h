/* logview.h — the whole log as its page shows it (DOMAIN.md §1-§5, §8): the
 * log's own row and its concerns are read once, then each part is filled by
 * the module that owns it (consent, concern, measure, note), in page order,
 * all inside the read's transaction, after the caller's authz_require. The
 * log page and its plain-language version show the same data
 * (cgi-bin/log_view.c); the benchmark prints the plans of these reads. */
#ifndef STAFETT_LOGVIEW_H
#define STAFETT_LOGVIEW_H

#include <stdint.h>

#include "concern.h"
#include "logbook.h"

struct authz;
struct req;
struct tv;

/* What every part of the page reads, read once. */
struct logview {
	int64_t id;
	struct logbook_summary log; /* the log's row */
	struct concern *concerns;   /* oldest first */
	int nconcerns;
};

/* Fills OUT with the whole log for the viewer that AZ decided (what they may
 * do next included): the row's facts, the guardians, and under their own
 * keys the consent, the concerns, the goals and measures, and the notes.
 * 1 done, 0 no such log in the session's municipality, or a negative db.h
 * code. */
int logview_load(struct req *r, const struct authz *az, int64_t log_id, struct tv *out);

#endif
