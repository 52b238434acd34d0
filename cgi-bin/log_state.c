/* log_state.c — a log's state (DOMAIN.md §3):
 *   GET  /logg/ID/status           the holder's transitions and the open requests;
 *        a guardian's or the young person's own (AUTHZ_STATE); a closed
 *        log's page for its holder too, with reopening (cgi-bin/reopen.c)
 *   POST /logg/ID/status/bekreft   passive or closed, and why: a page of its
 *        own says what is about to happen (AUTHZ_TRANSITION)
 *   POST /logg/ID/status           the change, its reason checked again
 *        (active again in one step; a second submit goes where the first went)
 *   POST /logg/ID/status/avslaa    the holder declines a request (AUTHZ_MANAGE)
 *   POST /logg/ID/status/be-om     a guardian or the young person asks for
 *        passive (the holder answers) or demands closing, which closes the
 *        log at once through the holder's own change (AUTHZ_CONSENT)
 * A transition the state machine does not have is a 409 page (lib/logbook.h
 * says why). Templates: log_state.html, log_state_confirm.html. Tests:
 * tests/http/test_log_state.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"
#include "view_state.h"

#define MAX_ID 999999999999999LL

static const char *const states[] = { "active", "passive", "closed", NULL };
static const char *const wanted[] = { "passive", "closed", NULL };

/* The reason, in both steps: the first asks for it, the second carries it
 * back from the confirmation page and checks it again (passive and closed
 * need one, active again does not: reason_needed). */
#define REASON_FIELD                                                                                         \
	{                                                                                                    \
		.name = "reason", .type = FORM_TEXT, .max_setting = "log.short_text_max",                    \
		.label = N_("Why"), .missing = N_("Write why the log should be made passive or closed.")     \
	}

static const struct form_field show_fields[] = {
	{ .name = "foresporsel", .type = FORM_INT, .min = 1, .max = MAX_ID, .label = N_("Request") },
	{ NULL },
};
static const struct form_field confirm_fields[] = {
	{ .name = "to",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = wanted,
	  .label = N_("What should happen to the log"),
	  .missing = N_("Choose whether the log should be made passive or closed.") },
	REASON_FIELD,
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "request", .type = FORM_INT, .min = 1, .max = MAX_ID },
	{ NULL },
};
static const struct form_field change_fields[] = {
	{ .name = "to", .type = FORM_CHOICE, .required = true, .choices = states },
	REASON_FIELD,
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
	{ .name = "close_reason",
	  .type = FORM_TEXT,
	  .max_setting = "log.short_text_max",
	  .label = N_("Why? (if you want to say)") },
	{ NULL },
};

/* The page: the holder (who may manage) sees the transitions and every open
 * request; a guardian or the young person sees their own (view_state.c). f
 * is the first step's form as it came back (with its mistakes), or NULL;
 * request the open request the holder chose to handle (0: none). */
static int page(struct req *r, int status, const char *notice, const struct form *f, int64_t request)
{
	tv_set(r->data, "form", f ? view_form(f) : tv_obj());
	if (notice)
		tv_set_str(r->data, "notice", notice);
	const char *chosen = f ? form_get(f, "to")->value : NULL;
	return resp_view(r, view_state(r->session, &r->az, r->id[0], chosen, request, r->data), status,
			 "log_state");
}

static int show(struct req *r)
{
	return page(r, 200, NULL, NULL, r->in.nerrors ? 0 : req_field(r, "foresporsel")->num);
}

static void reason_needed(struct req *r)
{
	if (logbook_reason_missing(req_field(r, "to")->value, req_field(r, "reason")->value))
		form_missing(&r->in, "reason");
}

/* The first step's form, whose mistakes are the person's to correct: the
 * state page again, with messages at the fields. Hidden fields that are not
 * ours to send (a version, a request that is not a number) are a 400. */
static int step_mistakes(struct req *r)
{
	const struct form_value *version = req_field(r, "version"), *request = req_field(r, "request");
	if (version->error || request->error)
		return 400;
	return page(r, 422, NULL, &r->in, request->num);
}

/* Step 1 -> 2: the choice and the reason, then a page of its own that says
 * what is about to happen and carries both on (hidden) to the change. */
static int confirm(struct req *r)
{
	reason_needed(r);
	if (r->in.nerrors)
		return step_mistakes(r);
	const char *to = req_field(r, "to")->value;
	if (!logbook_may_transition(r->az.state, to))
		return page(r, 409, logbook_state_refusal(LOGBOOK_STATE_INVALID, to, r->az.state), NULL, 0);
	tv_set(r->data, "form", view_form(&r->in));
	return resp_view(r, view_state_confirm(r->session, r->id[0], to, r->data), 200, "log_state_confirm");
}

static int change(struct req *r)
{
	const char *to = req_field(r, "to")->value;
	/* Checked again here: a confirmation that lost its reason is the
	 * first step again, with the message at the field. */
	reason_needed(r);
	if (r->in.nerrors) {
		if (req_field(r, "to")->error || strcmp(to, "active") == 0)
			return 400; /* our pages send these from hidden fields and buttons */
		return step_mistakes(r);
	}
	enum logbook_state_outcome o;
	char *from;
	int rc = logbook_set_state(r->session, r->id[0], (int)req_field(r, "version")->num, to,
				   req_field(r, "request")->num, req_field(r, "reason")->value, &o, &from);
	if (rc < 0)
		return rc;
	if (o == LOGBOOK_STATE_DONE)
		return resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]),
				  strcmp(to, "active") == 0	       ? "aktiv"
					  : strcmp(to, "passive") == 0 ? "passiv"
								       : "avsluttet");
	return page(r, 409, logbook_state_refusal(o, to, from), NULL, 0);
}

static int decline(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	int rc = logbook_decline_request(r->session, r->id[0], req_field(r, "request")->num);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return page(r, 409, _("That request has already been handled."), NULL, 0);
	return resp_saved(r, arena_printf("/logg/%lld/status", (long long)r->id[0]), "avslatt");
}

/* A guardian or the young person asks for passive (the holder answers) or
 * demands closing, which closes the log at once (DOMAIN.md §3: not the
 * holder's to decline); a reason too long is the page again. */
static int ask(struct req *r)
{
	if (req_field(r, "wanted")->error)
		return 400;
	if (r->in.nerrors) {
		tv_set(r->data, "ask_form", view_form(&r->in));
		return page(r, 422, NULL, NULL, 0);
	}
	bool closing = strcmp(req_field(r, "wanted")->value, "closed") == 0;
	enum logbook_state_outcome o = logbook_open(r->az.state) ? LOGBOOK_STATE_DONE : LOGBOOK_STATE_INVALID;
	int rc = o != LOGBOOK_STATE_DONE ? 0
		: closing
		? logbook_demand_close(r->session, r->id[0], req_field(r, "close_reason")->value, &o)
		: logbook_request_state(r->session, r->id[0], "passive");
	if (rc < 0)
		return rc;
	if (o != LOGBOOK_STATE_DONE)
		return page(r, 409, _("Only an active or passive log can be made passive or closed."), NULL,
			    0);
	return resp_saved(r, arena_printf("/logg/%lld/status", (long long)r->id[0]),
			  closing ? "avsluttet-krav" : "forespurt");
}

static const struct route routes[] = {
	{ "GET", "/logg/#/status", show, .login = true, .need = AUTHZ_STATE, .audit = "log.state.read",
	  .fields = show_fields },
	{ "POST", "/logg/#/status/bekreft", confirm, .login = true, .need = AUTHZ_TRANSITION,
	  .audit = "log.state.confirm", .fields = confirm_fields },
	{ "POST", "/logg/#/status", change, .login = true, .need = AUTHZ_TRANSITION,
	  .audit = "log.state.change", .fields = change_fields, .once = true },
	{ "POST", "/logg/#/status/avslaa", decline, .login = true, .need = AUTHZ_MANAGE,
	  .audit = "log.state.decline", .fields = decline_fields },
	{ "POST", "/logg/#/status/be-om", ask, .login = true, .need = AUTHZ_CONSENT, .audit = "log.state.ask",
	  .fields = ask_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-state", routes };
	return app_main(argc, argv, &prog);
}
