/* log_state.c — a log's state (DOMAIN.md §3): GET /logg/ID/status shows the
 * holder the transitions they may make and the guardians' open requests, and
 * shows a guardian or the young person where they ask for the log to be made
 * passive or closed (AUTHZ_STATE). POST /logg/ID/status changes the state
 * (AUTHZ_TRANSITION: a closed log's holder is told it is locked), POST
 * /logg/ID/status/avslaa declines a request (AUTHZ_MANAGE), POST
 * /logg/ID/status/be-om asks (AUTHZ_CONSENT: a request about the log belongs
 * with the people whose consent it rests on). A transition the state machine
 * does not have is a 409 page. Template: log_state.html.
 * Tests: tests/http/test_log_state.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

#define MAX_ID 999999999999999LL

static const char *const states[] = { "active", "passive", "closed", NULL };
static const char *const wanted[] = { "passive", "closed", NULL };

static const struct form_field change_fields[] = {
	{ .name = "to", .type = FORM_CHOICE, .required = true, .choices = states },
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "request", .type = FORM_INT, .min = 1, .max = MAX_ID },
	{ NULL },
};
static const struct form_field decline_fields[] = {
	{ .name = "request", .type = FORM_INT, .required = true, .min = 1, .max = MAX_ID },
	{ NULL },
};
static const struct form_field ask_fields[] = {
	{ .name = "wanted", .type = FORM_CHOICE, .required = true, .choices = wanted },
	{ NULL },
};

/* The verb on the holder's button for a transition to STATE. */
static const char *action_label(const char *state)
{
	if (strcmp(state, "active") == 0)
		return _("Make the log active again");
	if (strcmp(state, "passive") == 0)
		return _("Make the log passive");
	return _("Close the log");
}

static struct tv *moves(const char *from)
{
	struct tv *list = tv_list();
	for (size_t i = 0; states[i]; i++) {
		if (!logbook_may_transition(from, states[i]))
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "to", states[i]);
		tv_set_str(o, "label", action_label(states[i]));
		tv_set_bool(o, "closing", strcmp(states[i], "closed") == 0);
	}
	return list;
}

/* The page: the holder (who may manage) sees the transitions and every open
 * request; a guardian or the young person sees their own. */
static int page(struct req *r, int status, const char *notice)
{
	const struct session *s = r->session;
	bool manage = r->az.may[AUTHZ_MANAGE];
	struct logbook_summary sum;
	struct logbook_request *req = NULL;
	int rc = logbook_summary(s->municipality_id, r->id[0], &sum);
	int n = rc <= 0 ? rc : logbook_requests(s->municipality_id, r->id[0], &req);
	if (rc <= 0 || n < 0)
		return rc == 0 ? 404 : rc < 0 ? rc : n;
	struct tv *log = view_log_heading(r->data, &sum);
	tv_set_int(log, "version", sum.version);
	tv_set_bool(log, "draft", strcmp(sum.state, "draft") == 0);
	tv_set_bool(log, "open", logbook_open(sum.state));
	tv_set_bool(r->data, "manage", manage);
	tv_set(r->data, "moves", manage ? moves(sum.state) : tv_list());
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (!manage && req[i].person_id != s->person_id)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", req[i].id);
		tv_set_str(o, "name", view_name(req[i].given_name, req[i].family_name));
		tv_set_str(o, "wanted", logbook_state_label(req[i].wanted));
		tv_set_str(o, "wanted_state", req[i].wanted);
		tv_set_str(o, "at", req[i].created_at);
		tv_set_bool(o, "may_do", logbook_may_transition(sum.state, req[i].wanted));
		tv_set_str(o, "do_label", action_label(req[i].wanted));
	}
	tv_set(r->data, "requests", list);
	if (notice)
		tv_set_str(r->data, "notice", notice);
	tv_set_str(r->data, "title", _("The log's state"));
	return resp_page(r, status, "log_state");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

static int change(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our page sends these from hidden fields and buttons */
	const char *to = req_field(r, "to")->value;
	enum logbook_state_outcome o;
	char *from;
	int rc = logbook_set_state(r->session, r->id[0], (int)req_field(r, "version")->num, to,
				   req_field(r, "request")->num, &o, &from);
	if (rc < 0)
		return rc;
	if (o == LOGBOOK_STATE_DONE)
		return resp_redirect(r, arena_printf("/logg/%lld", (long long)r->id[0]));
	if (o == LOGBOOK_STATE_STALE)
		return page(r, 409,
			    _("Someone else changed the log while you were working. Nothing was changed; "
			      "this is how it stands now."));
	return page(r, 409,
		    strcmp(to, "active") == 0 && strcmp(from, "draft") == 0
			    ? _("A draft becomes active when the consent to establish the log is complete, "
				"not by hand. Nothing was changed.")
			    : _("That change of state is not possible from the state the log is in. "
				"Nothing was changed."));
}

static int decline(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	int rc = logbook_decline_request(r->session, r->id[0], req_field(r, "request")->num);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return page(r, 409, _("That request has already been handled."));
	return resp_redirect(r, arena_printf("/logg/%lld/status", (long long)r->id[0]));
}

static int ask(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	if (!logbook_open(r->az.state))
		return page(r, 409, _("Only an active or passive log can be made passive or closed."));
	int rc = logbook_request_state(r->session, r->id[0], req_field(r, "wanted")->value);
	return rc < 0 ? rc : resp_redirect(r, arena_printf("/logg/%lld/status", (long long)r->id[0]));
}

static const struct route routes[] = {
	{ "GET", "/logg/#/status", show, .login = true, .need = AUTHZ_STATE, .audit = "log.state.read" },
	{ "POST", "/logg/#/status", change, .login = true, .need = AUTHZ_TRANSITION,
	  .audit = "log.state.change", .fields = change_fields },
	{ "POST", "/logg/#/status/avslaa", decline, .login = true, .need = AUTHZ_MANAGE,
	  .audit = "log.state.decline", .fields = decline_fields },
	{ "POST", "/logg/#/status/be-om", ask, .login = true, .need = AUTHZ_CONSENT, .audit = "log.state.ask",
	  .fields = ask_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-state", routes };
	return app_main(argc, argv, &prog);
}
