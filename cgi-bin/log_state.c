/* log_state.c — a log's state (DOMAIN.md §3): GET /logg/ID/status shows the
 * holder the transitions they may make and the guardians' open requests, and
 * shows a guardian or the young person where they ask for the log to be made
 * passive or closed. POST /logg/ID/status changes the state (AUTHZ_MANAGE),
 * POST /logg/ID/status/avslaa declines a request (AUTHZ_MANAGE), POST
 * /logg/ID/status/be-om asks (AUTHZ_CONSENT: a request about the log belongs
 * with the people whose consent it rests on). A transition the state machine
 * does not have is a 409 page. Templates: log_state.html,
 * log_state_refused.html. Tests: tests/http/test_log_state.py. */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "logbook.h"
#include "session.h"

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

/* Reads the page inside the open transaction, commits, renders with status.
 * The holder (manage) sees the transitions and every open request; anyone
 * else who got here (a guardian, the young person) sees their own. */
static int page(struct req *r, int64_t id, bool manage, int status, const char *notice)
{
	const struct session *s = r->session;
	struct logbook_summary sum;
	struct logbook_basic b;
	struct logbook_request *req = NULL;
	int n = 0;
	int rc = logbook_summary(s->municipality_id, id, &sum);
	if (rc > 0 && (rc = logbook_basic(s->municipality_id, id, &b)) > 0)
		n = logbook_requests(s->municipality_id, id, &req);
	if (rc <= 0 || n < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc < 0 ? rc : n;
	}
	struct tv *log = tv_obj();
	tv_set_int(log, "id", id);
	tv_set_int(log, "version", b.version);
	tv_set_str(log, "name", arena_printf("%s %s", sum.subject_given_name, sum.subject_family_name));
	tv_set_str(log, "state", logbook_state_label(b.state));
	tv_set_bool(log, "draft", strcmp(b.state, "draft") == 0);
	tv_set_bool(log, "open", strcmp(b.state, "active") == 0 || strcmp(b.state, "passive") == 0);
	tv_set(r->data, "log", log);
	tv_set_bool(r->data, "manage", manage);
	struct tv *moves = tv_list();
	for (size_t i = 0; manage && states[i]; i++) {
		if (!logbook_may_transition(b.state, states[i]))
			continue;
		struct tv *o = tv_push_obj(moves);
		tv_set_str(o, "to", states[i]);
		tv_set_str(o, "label", action_label(states[i]));
		tv_set_bool(o, "closing", strcmp(states[i], "closed") == 0);
	}
	tv_set(r->data, "moves", moves);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (!manage && req[i].person_id != s->person_id)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", req[i].id);
		tv_set_str(o, "name", arena_printf("%s %s", req[i].given_name, req[i].family_name));
		tv_set_str(o, "wanted", logbook_state_label(req[i].wanted));
		tv_set_str(o, "wanted_state", req[i].wanted);
		tv_set_str(o, "at", req[i].created_at);
		tv_set_bool(o, "may_do", logbook_may_transition(b.state, req[i].wanted));
		tv_set_str(o, "do_label", action_label(req[i].wanted));
	}
	tv_set(r->data, "requests", list);
	if (notice)
		tv_set_str(r->data, "notice", notice);
	tv_set_str(r->data, "title", _("The log's state"));
	return resp_page(r, status, "log_state");
}

/* The holder may manage the log, else it is a guardian's or the young
 * person's page about asking; authz_require audits whichever applies and
 * refuses anyone else. 0 with *manage, or what authz_require returned. */
static int require(struct req *r, int64_t id, const char *what, bool *manage)
{
	struct authz z;
	int rc = authz_check(r->session, id, AUTHZ_MANAGE, &z);
	if (rc < 0)
		return rc;
	*manage = z.allow;
	return authz_require(r, id, z.allow ? AUTHZ_MANAGE : AUTHZ_CONSENT, what, NULL);
}

static int show(struct req *r, int64_t id)
{
	bool manage;
	int rc = db_begin();
	if (rc < 0 || (rc = require(r, id, "log.state.read", &manage)) != 0)
		return rc;
	return page(r, id, manage, 200, NULL);
}

/* A closed log is read-only, so authz refuses to manage it; its holder, who
 * may still read it, is told why instead of a bare 403 (the refusal audited).
 * 1 when it has answered, 0 to go on, or an error for the handler. */
static int refuse_closed(struct req *r, int64_t id)
{
	struct authz z;
	int rc = authz_check(r->session, id, AUTHZ_READ, &z);
	if (rc < 0)
		return rc;
	if (!z.allow || z.role != AUTHZ_HOLDER || strcmp(z.state, "closed") != 0)
		return 0;
	db_rollback();
	struct audit_entry e = {
		.municipality_id = r->session->municipality_id,
		.person_id = r->session->person_id,
		.role = authz_role_name(z.role),
		.log_id = id,
		.action = "log.state.change",
		.outcome = "refused",
		.detail = "closed",
	};
	log_warn("refused: log.state.change on closed log %lld", (long long)id);
	if ((rc = audit_event(&e)) < 0)
		return rc;
	tv_set_int(r->data, "log_id", id);
	tv_set_str(r->data, "title", _("The log is closed"));
	rc = resp_page(r, 409, "log_state_refused");
	return rc != 0 ? rc : 1;
}

static int change(struct req *r, int64_t id)
{
	struct form f;
	if (form_validate(&f, change_fields, &r->form) != FORM_OK)
		return 400; /* our page sends these from hidden fields and buttons */
	int rc = db_begin();
	if (rc < 0 || (rc = refuse_closed(r, id)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = authz_require(r, id, AUTHZ_MANAGE, "log.state.change", NULL)) != 0)
		return rc;
	const char *to = form_get(&f, "to")->value;
	enum logbook_state_outcome o;
	char *from;
	rc = logbook_set_state(r->session, id, (int)form_get(&f, "version")->num, to,
			       form_get(&f, "request")->num, &o, &from);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (o == LOGBOOK_STATE_DONE) {
		rc = db_commit();
		return rc < 0 ? rc : resp_redirect(r, arena_printf("/logg/%lld", (long long)id));
	}
	if (o == LOGBOOK_STATE_STALE)
		return page(r, id, true, 409,
			    _("Someone else changed the log while you were working. Nothing was changed; "
			      "this is how it stands now."));
	(void)from; /* the page shows the state it is in */
	return page(r, id, true, 409,
		    strcmp(to, "active") == 0 && strcmp(from, "draft") == 0
			    ? _("A draft becomes active when the consent to establish the log is complete, "
				"not by hand. Nothing was changed.")
			    : _("That change of state is not possible from the state the log is in. "
				"Nothing was changed."));
}

static int decline(struct req *r, int64_t id)
{
	struct form f;
	if (form_validate(&f, decline_fields, &r->form) != FORM_OK)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_MANAGE, "log.state.decline", NULL)) != 0)
		return rc;
	rc = logbook_decline_request(r->session, id, form_get(&f, "request")->num);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (rc == 0)
		return page(r, id, true, 409, _("That request has already been handled."));
	rc = db_commit();
	return rc < 0 ? rc : resp_redirect(r, arena_printf("/logg/%lld/status", (long long)id));
}

static int ask(struct req *r, int64_t id)
{
	struct form f;
	if (form_validate(&f, ask_fields, &r->form) != FORM_OK)
		return 400;
	struct authz z;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_CONSENT, "log.state.ask", &z)) != 0)
		return rc;
	if (strcmp(z.state, "active") != 0 && strcmp(z.state, "passive") != 0)
		return page(r, id, false, 409,
			    _("Only an active or passive log can be made passive or closed."));
	if ((rc = logbook_request_state(r->session, id, form_get(&f, "wanted")->value)) < 0 ||
	    (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	return resp_redirect(r, arena_printf("/logg/%lld/status", (long long)id));
}

static int route(struct req *r)
{
	bool post = strcmp(r->method, "POST") == 0;
	if (!r->session)
		return post ? 403 : resp_redirect(r, "/");
	const char *rest;
	int64_t id = app_path_id(r->path, "/logg/", &rest);
	if (id == 0)
		return 404;
	if (strcmp(rest, "/status") == 0)
		return post ? change(r, id) : show(r, id);
	if (post && strcmp(rest, "/status/avslaa") == 0)
		return decline(r, id);
	if (post && strcmp(rest, "/status/be-om") == 0)
		return ask(r, id);
	return 404;
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ "POST", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-state", routes, 0 };
	return app_main(argc, argv, &prog);
}
