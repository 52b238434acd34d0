/* view_handover.h — an offer of a log as the pages show it: the holder's
 * handover page and the receiver's offer (cgi-bin/handover.c), and the
 * log page, where everyone who reads the log sees how the latest offer
 * stands. View layer: reads through handover.h, writes nothing. */
#ifndef STAFETT_VIEW_HANDOVER_H
#define STAFETT_VIEW_HANDOVER_H

#include <stdint.h>

struct authz;
struct handover;
struct session;
struct tv;

/* {id, to, to_unit, from, from_unit, state, state_code, open, stay,
 * decline_reason, offered_at, answered_at, expires_at, version}. */
struct tv *view_handover(const struct handover *h);

/* log.handover: the log's latest offer (absent when there has been none),
 * and log.may_handover: whether the viewer may offer the log on. 0 or a
 * negative db.h code. */
int view_log_handover(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log);

/* The holder's handover page (templates/handover.html): the log's heading,
 * the open offer and the earlier ones, and the staff who may be offered it
 * (CHOSEN: the one a form that came back chose, or 0). 1 filled, 0 no such
 * log, < 0 a db.h code. */
int view_handover_page(const struct session *s, int64_t log_id, int64_t chosen, struct tv *data);

/* The receiver's page of an offer made to them (templates/handover_offer.html):
 * the offer and what they would take on; the child's name is shown (the
 * receiver must see whether the log is theirs to hold; the consent covers
 * their unit, the page is only theirs and audited), the contents wait for
 * the acceptance. 1 filled, 0 no such offer to this person, < 0 a db.h code. */
int view_handover_offer(const struct session *s, int64_t log_id, int64_t handover_id, struct tv *data);

#endif
