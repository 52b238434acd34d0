/* view_state.c — see view_state.h. */
#include "view_state.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "tmpl.h"
#include "view.h"

/* What the first step offers: the states that need a reason. */
static const char *const steps[] = { "passive", "closed", NULL };

/* The choices of the first step the state machine allows from FROM, the one
 * CHOSEN checked (or the only one). */
static struct tv *choices(const char *from, const char *chosen)
{
	struct tv *list = tv_list();
	int n = 0, k = 0;
	for (size_t i = 0; steps[i]; i++)
		n += logbook_may_transition(from, steps[i]);
	for (size_t i = 0; steps[i]; i++) {
		if (!logbook_may_transition(from, steps[i]))
			continue;
		struct tv *o = tv_push_obj(list);
		/* The first is the field's anchor for the error summary. */
		tv_set_str(o, "input_id", k++ == 0 ? "to" : arena_printf("to-%s", steps[i]));
		tv_set_str(o, "to", steps[i]);
		tv_set_str(o, "label", logbook_action_label(steps[i]));
		tv_set_bool(o, "closing", strcmp(steps[i], "closed") == 0);
		tv_set_bool(o, "checked", n == 1 || (chosen && strcmp(chosen, steps[i]) == 0));
	}
	return list;
}

int view_state(const struct session *s, const struct authz *az, int64_t log_id, const char *chosen,
	       int64_t request, struct tv *data)
{
	bool manage = az->may[AUTHZ_MANAGE];
	struct logbook_summary sum;
	struct logbook_request *req = NULL;
	int rc = logbook_summary(s->municipality_id, log_id, &sum);
	int n = rc <= 0 ? rc : logbook_requests(s->municipality_id, log_id, &req);
	if (rc <= 0 || n < 0)
		return rc <= 0 ? rc : n;
	struct tv *log = view_log_heading(data, &sum);
	tv_set_int(log, "version", sum.version);
	tv_set_bool(log, "draft", strcmp(sum.state, "draft") == 0);
	tv_set_bool(log, "open", logbook_open(sum.state));
	tv_set_bool(data, "manage", manage);
	tv_set_bool(data, "may_activate", manage && logbook_may_transition(sum.state, "active"));
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (!manage && req[i].person_id != s->person_id)
			continue;
		bool may_do = logbook_may_transition(sum.state, req[i].wanted);
		struct tv *o = view_request(list, &req[i]);
		tv_set_bool(o, "may_do", may_do);
		tv_set_str(o, "do_label", logbook_action_label(req[i].wanted));
		if (request == req[i].id && may_do && manage) {
			tv_set_int(data, "request", req[i].id);
			chosen = req[i].wanted;
		}
	}
	tv_set(data, "requests", list);
	tv_set(data, "choices", manage ? choices(sum.state, chosen) : tv_list());
	tv_set_str(data, "title", _("The log's state"));
	return 1;
}
