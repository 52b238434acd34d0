/* view_handover.c — offers of a log as template values (view_handover.h). */
#include "view_handover.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "handover.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "tmpl.h"
#include "view.h"

struct tv *view_handover(const struct handover *h)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", h->id);
	tv_set_int(o, "version", h->version);
	tv_set_str(o, "to", view_name(h->to_given_name, h->to_family_name));
	tv_set_str(o, "to_unit", h->to_unit_name);
	tv_set_str(o, "from", view_name(h->from_given_name, h->from_family_name));
	tv_set_str(o, "from_unit", h->from_unit_name);
	tv_set_str(o, "state", handover_state_label(h->state));
	tv_set_str(o, "state_code", h->state);
	tv_set_bool(o, "open", strcmp(h->state, "offered") == 0);
	tv_set_bool(o, "declined", strcmp(h->state, "declined") == 0);
	tv_set_bool(o, "stay", h->stay_as_actor);
	tv_set_str(o, "decline_reason", h->decline_reason ? h->decline_reason : "");
	tv_set_str(o, "offered_at", h->offered_at);
	tv_set_str(o, "answered_at", h->answered_at ? h->answered_at : "");
	tv_set_str(o, "expires_at", h->expires_at);
	tv_set_bool(o, "moves", h->moves);
	tv_set_str(o, "from_municipality", h->from_municipality_name);
	tv_set_str(o, "to_municipality", h->to_municipality_name);
	return o;
}

int view_log_handover(const struct session *s, const struct authz *az, int64_t log_id, struct tv *log)
{
	tv_set_bool(log, "may_handover", az->may[AUTHZ_HANDOVER]);
	struct handover *h;
	int n = handover_list(s->municipality_id, log_id, &h);
	if (n > 0)
		tv_set(log, "handover", view_handover(&h[0]));
	return n < 0 ? n : 0;
}

int view_handover_page(const struct session *s, int64_t log_id, int64_t chosen, struct tv *data)
{
	struct logbook_summary log;
	int rc = logbook_summary(s->municipality_id, log_id, &log);
	if (rc <= 0)
		return rc;
	struct handover *h;
	struct handover_staff *staff;
	int nh = handover_list(s->municipality_id, log_id, &h);
	if (nh < 0)
		return nh;
	int ns = handover_staff(s->municipality_id, log_id, &staff);
	if (ns < 0)
		return ns;
	view_log_heading(data, &log);
	struct tv *earlier = tv_list(), *list = tv_list();
	bool any_elsewhere = false;
	for (int i = 0; i < nh; i++) {
		if (strcmp(h[i].state, "offered") == 0)
			tv_set(data, "open", view_handover(&h[i]));
		else
			tv_push(earlier, view_handover(&h[i]));
	}
	for (int i = 0; i < ns; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", staff[i].role_id);
		const char *name = view_name(staff[i].given_name, staff[i].family_name);
		const char *where = staff[i].municipality_name
			? arena_printf("%s, %s", staff[i].unit_name, staff[i].municipality_name)
			: staff[i].unit_name;
		tv_set_str(
			o, "label",
			arena_printf("%s, %s%s", name, where,
				     staff[i].covered ? "" : _(" (the consent does not cover this unit)")));
		tv_set_bool(o, "selected", chosen == staff[i].role_id);
		any_elsewhere |= staff[i].municipality_name != NULL;
	}
	tv_set_bool(data, "elsewhere", any_elsewhere);
	tv_set(data, "earlier", earlier);
	tv_set(data, "staff", list);
	return 1;
}

int view_handover_offer(const struct session *s, int64_t log_id, int64_t handover_id, struct tv *data)
{
	struct handover h;
	struct handover_load load;
	int64_t muni; /* the log's: the offer may come from another municipality */
	int rc = handover_log_municipality(s, log_id, handover_id, &muni);
	if (rc <= 0)
		return rc;
	if ((rc = handover_get(muni, log_id, handover_id, &h)) <= 0)
		return rc;
	if ((rc = handover_load(muni, log_id, &load)) <= 0)
		return rc;
	struct tv *o = view_handover(&h);
	tv_set(data, "offer", o);
	struct tv *l = tv_obj();
	tv_set_int(l, "id", log_id);
	tv_set_str(l, "name", view_name(load.subject_given_name, load.subject_family_name));
	tv_set_str(l, "unit", load.unit_name);
	tv_set_int(l, "open_measures", load.open_measures);
	tv_set_str(l, "next_evaluation", load.next_evaluation ? load.next_evaluation : "");
	tv_set_str(l, "next_deadline", load.next_deadline ? load.next_deadline : "");
	tv_set_str(l, "next_meeting", load.next_meeting ? load.next_meeting : "");
	tv_set(data, "log", l);
	return 1;
}
