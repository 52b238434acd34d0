/* view_actors.h — the holder's page of the people in a log
 * (templates/actors.html, cgi-bin/actors.c): the actors now and before with
 * their tasks and contact details, the invitations with their state in
 * words, and the choices of the two invitation forms (cleared staff of the
 * municipality; the services, marked where the consent covers them). View
 * layer: reads through invitation.c, writes nothing. */
#ifndef STAFETT_VIEW_ACTORS_H
#define STAFETT_VIEW_ACTORS_H

#include <stdint.h>

struct session;
struct tv;

/* Fills data for the log's actors page: remove_id is the actor whose
 * removal form came back (0: none), chosen_staff and chosen_unit what a form
 * that came back had chosen (0: nothing). 1 filled, 0 no such log, < 0 a
 * db.h code. */
int view_actors(const struct session *s, int64_t log_id, int64_t remove_id, int64_t chosen_staff,
		int64_t chosen_unit, struct tv *data);

#endif
