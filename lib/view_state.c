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
#include "view_reopen.h"

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

/* How a handled request went, as the list says it. */
static const char *outcome_label(const char *outcome)
{
	static const struct i18n_label labels[] = {
		{ "done", N_("Done") },
		{ "declined", N_("Declined by the log holder") },
		{ "demanded", N_("Closed at once: a demand to close is not the log holder's to decline") },
		{ NULL },
	};
	return outcome ? i18n_label(labels, outcome) : _("Waiting for the log holder");
}

/* Every request of the log, handled or not, newest first (the holder sees
 * all; a guardian or the young person their own): data.request_history. */
static int request_history(const struct session *s, const struct authz *az, int64_t log_id, struct tv *data)
{
	struct logbook_request_done *h;
	int n = logbook_request_history(s->municipality_id, log_id, 50, &h);
	if (n < 0)
		return n;
	bool all = az->may[AUTHZ_MANAGE] || az->may[AUTHZ_REOPEN] || az->may[AUTHZ_HISTORY];
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (!all && h[i].person_id != s->person_id)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "name", view_name(h[i].given_name, h[i].family_name));
		tv_set_str(o, "wanted", logbook_state_label(h[i].wanted));
		tv_set_str(o, "at", h[i].created_at);
		tv_set_str(o, "outcome", outcome_label(h[i].outcome));
	}
	tv_set(data, "request_history", list);
	return 0;
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
	tv_set_bool(log, "closed", strcmp(sum.state, "closed") == 0);
	if ((rc = request_history(s, az, log_id, data)) < 0)
		return rc;
	/* A closed log: reopening it, for its holder and those asked. */
	if (strcmp(sum.state, "closed") == 0 &&
	    (rc = view_reopen_section(s, az, log_id, sum.state, data)) < 0)
		return rc;
	return 1;
}

int view_state_confirm(const struct session *s, int64_t log_id, const char *to, struct tv *data)
{
	struct logbook_summary sum;
	int rc = logbook_summary(s->municipality_id, log_id, &sum);
	if (rc <= 0)
		return rc;
	view_log_heading(data, &sum);
	bool closing = strcmp(to, "closed") == 0;
	tv_set_bool(data, "closing", closing);
	tv_set_str(data, "title", closing ? _("Close the log?") : _("Make the log passive?"));
	return 1;
}
