/* view_consent.h — the consent page of a log (templates/consent.html):
 * each required consenter's consent of each kind, the holder's form for a
 * signed paper form and the guardian's or young person's own, each with
 * the municipality's active services to choose. Two programs show it
 * (cgi-bin/consent.c and consent_withdraw.c), again with what was typed
 * when a consent could not be recorded. View layer: reads through
 * logbook.c, consent.c and staff.c, writes nothing. */
#ifndef STAFETT_VIEW_CONSENT_H
#define STAFETT_VIEW_CONSENT_H

#include <stdint.h>

struct authz;
struct form;
struct session;
struct tv;

/* Fills data with the page for log_id as az lets the viewer use it; f is
 * the form that came back and which names it ("paper" or "digital"), or
 * both NULL. 1 done, 0 no such log, or a negative db.h code. */
int view_consent(const struct session *s, const struct authz *az, int64_t log_id, const struct form *f,
		 const char *which, struct tv *data);

#endif
