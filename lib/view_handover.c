/* view_handover.c — offers of a log as template values (view_handover.h). */
#include "view_handover.h"

#include <string.h>

#include "authz.h"
#include "handover.h"
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
