/* reopen.c — reopening a closed log (DOMAIN.md §3, lib/reopen.h): GET
 * /logg/ID/gjenapne shows the holder and those asked how the latest request
 * stands (AUTHZ_STATE, like the state page, where the same section is);
 * POST /logg/ID/gjenapne asks, with a reason (AUTHZ_REOPEN: the holder of a
 * closed log); POST /logg/ID/gjenapne/trekk withdraws the question (the
 * same); POST /logg/ID/gjenapne/svar approves or refuses, a refusal with a
 * reason if one is given (AUTHZ_REOPEN_ANSWER: a guardian or the young
 * person; one who is not asked is refused, "not asked"). A request that is
 * no longer the open one, or a log that is no longer closed, is a 409 page
 * that shows how it stands now; a second submit goes where the first went.
 * Templates: reopen.html (reopen_section.html). Tests:
 * tests/http/test_reopen.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "reopen.h"
#include "session.h"
#include "view.h"
#include "view_reopen.h"

#define MAX_ID 999999999999999LL

static const char *const answers[] = { "approve", "refuse", NULL };

static const struct form_field ask_fields[] = {
	{ .name = "reason",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.short_text_max",
	  .label = N_("Why should the log be reopened?"),
	  .missing = N_("Write why the log should be reopened.") },
	{ NULL },
};
static const struct form_field withdraw_fields[] = {
	{ .name = "request", .type = FORM_INT, .required = true, .min = 1, .max = MAX_ID },
	{ NULL },
};
static const struct form_field answer_fields[] = {
	{ .name = "request", .type = FORM_INT, .required = true, .min = 1, .max = MAX_ID },
	{ .name = "answer", .type = FORM_CHOICE, .required = true, .choices = answers },
	{ .name = "reason",
	  .type = FORM_TEXT,
	  .max_setting = "log.short_text_max",
	  .label = N_("Why not? (if you want to say)") },
	{ NULL },
};

/* The page, with a notice above it when something could not be done. */
static int page(struct req *r, int status, const char *notice)
{
	if (notice)
		tv_set_str(r->data, "notice", notice);
	if (status == 422)
		tv_set(r->data, "reopen_form", view_form(&r->in));
	return resp_view(r, view_reopen(r->session, &r->az, r->id[0], r->data), status, "reopen");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

static const char *path(const struct req *r)
{
	return arena_printf("/logg/%lld/gjenapne", (long long)r->id[0]);
}

/* What each outcome that changed nothing tells the person. */
static int not_done(struct req *r, enum reopen_outcome o)
{
	switch (o) {
	case REOPEN_NOT_CLOSED:
		return page(r, 409, _("The log is not closed. Nothing was changed."));
	case REOPEN_PENDING:
		return page(r, 409,
			    _("The guardians are already asked to reopen the log. Nothing was changed; this "
			      "is how it stands now."));
	case REOPEN_NOBODY:
		return page(r, 409,
			    _("The log has nobody whose consent it rests on, so nobody can approve "
			      "reopening it. Nothing was changed."));
	case REOPEN_STALE:
		return page(r, 409,
			    _("That request has already been decided or withdrawn. Nothing was changed; this "
			      "is how it stands now."));
	case REOPEN_ANSWERED:
		return page(r, 409, _("You have already answered. Nothing was changed."));
	case REOPEN_NOT_ASKED:
		authz_refuse(&r->az, "not asked");
		return page(r, 403, _("Your approval is not asked for this log. Nothing was changed."));
	default:
		return 500;
	}
}

static int ask(struct req *r)
{
	const char *reason = req_field(r, "reason")->value;
	if (!r->in.nerrors && reason[strspn(reason, " \t\n")] == '\0')
		form_missing(&r->in, "reason");
	if (r->in.nerrors)
		return page(r, 422, NULL);
	enum reopen_outcome o;
	int64_t id;
	int rc = reopen_ask(r->session, r->id[0], reason, &o, &id);
	if (rc < 0)
		return rc;
	return o == REOPEN_DONE ? resp_saved(r, path(r), "gjenapning-spurt") : not_done(r, o);
}

static int withdraw(struct req *r)
{
	if (r->in.nerrors)
		return 400;
	enum reopen_outcome o;
	int rc = reopen_withdraw(r->session, r->id[0], req_field(r, "request")->num, &o);
	if (rc < 0)
		return rc;
	return o == REOPEN_DONE ? resp_saved(r, path(r), "gjenapning-trukket") : not_done(r, o);
}

static int answer(struct req *r)
{
	if (req_field(r, "request")->error || req_field(r, "answer")->error)
		return 400; /* our page sends these from a hidden field and its buttons */
	if (r->in.nerrors)
		return page(r, 422, NULL);
	enum reopen_outcome o;
	bool approve = strcmp(req_field(r, "answer")->value, "approve") == 0;
	int rc = reopen_answer(r->session, r->id[0], req_field(r, "request")->num, approve,
			       approve ? NULL : req_field(r, "reason")->value, &o);
	if (rc < 0)
		return rc;
	switch (o) {
	case REOPEN_DONE:
		return resp_saved(r, path(r), "gjenapning-godkjent");
	case REOPEN_REOPENED:
		return resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]), "gjenapnet");
	case REOPEN_REFUSED:
		return resp_saved(r, path(r), "gjenapning-avslatt");
	default:
		return not_done(r, o);
	}
}

static const struct route routes[] = {
	{ "GET", "/logg/#/gjenapne", show, .login = true, .need = AUTHZ_STATE, .audit = "log.reopen.read" },
	{ "POST", "/logg/#/gjenapne", ask, .login = true, .need = AUTHZ_REOPEN, .audit = "log.reopen.ask",
	  .fields = ask_fields, .once = true },
	{ "POST", "/logg/#/gjenapne/trekk", withdraw, .login = true, .need = AUTHZ_REOPEN,
	  .audit = "log.reopen.withdraw", .fields = withdraw_fields, .once = true },
	{ "POST", "/logg/#/gjenapne/svar", answer, .login = true, .need = AUTHZ_REOPEN_ANSWER,
	  .audit = "log.reopen.answer", .fields = answer_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-reopen", routes };
	return app_main(argc, argv, &prog);
}
