/* view_log.h — the whole log as its page shows it (DOMAIN.md §1-§5, §8):
 * the log's own row and its concerns are read once, then each part of the
 * page is filled in page order (consent, basic data and concerns, goals and
 * measures, notes), all inside the read's transaction, after authz has
 * allowed the read. The log page and its plain-language version show the
 * same data (cgi-bin/log_view.c); the benchmark prints the plans of these
 * reads. View layer: reads through the domain modules, writes nothing. */
#ifndef STAFETT_VIEW_LOG_H
#define STAFETT_VIEW_LOG_H

#include <stdint.h>

struct authz;
struct logbook_summary;
struct session;
struct tv;

/* Fills OUT with the whole log for the viewer that AZ decided (what they may
 * do next included): the row's facts, the guardians, and under their own
 * keys the consent, the concerns, the goals and measures, and the notes;
 * names of development areas in LANG. 1 done, 0 no such log in the
 * session's municipality, or a negative db.h code. */
int view_log(const struct session *s, const char *lang, const struct authz *az, int64_t log_id,
	     struct tv *out);

/* out.consent: the establishing consent of the whole log, as the log page
 * and the consent page show it (templates/log_consent.html). */
void view_log_consent(const struct logbook_summary *log, struct tv *out);

#endif
