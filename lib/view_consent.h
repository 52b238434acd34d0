/* view_consent.h — the consent page of a log (templates/consent.html):
 * each required consenter's consent of each kind, the holder's form for a
 * signed paper form with the municipality's active services to choose, and
 * for a guardian, young person or pregnant woman their own consent in two
 * steps (DOMAIN.md §4: 1 to establish the log, 2 to cooperation with the
 * services they choose), each with its text (templates/consent_text_*.html:
 * what the log is for, who sees what, for how long, withdrawal, whom to
 * ask), and their receipts. Two programs show it
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
 * both NULL. step: the step a consenter asked to see (1 or 2), 0 for the
 * one they are at; receipt: the id of the consent they just gave (shown
 * as a status message if it is theirs), 0 for none. 1 done, 0 no such log,
 * or a negative db.h code. */
int view_consent(const struct session *s, const struct authz *az, int64_t log_id, const struct form *f,
		 const char *which, int step, int64_t receipt, struct tv *data);

#endif
