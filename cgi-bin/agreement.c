/* agreement.c — agreements in a log (lib/agreement.h): GET /logg/ID/avtale
 * lists them as they are now, each with its older versions, for everyone
 * who reads the log (AUTHZ_READ); the holder (AUTHZ_WRITE) adds one with
 * POST /logg/ID/avtale and changes one with POST /logg/ID/avtale/AID, which
 * makes a new version and keeps the old (a stale form is told, 409).
 * Template: agreements.html. Tests: tests/http/test_agreements.py. */
#include <string.h>

#include "agreement.h"
#include "app.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

/* clang-format off */
#define AGREEMENT_FIELDS \
	{ .name = "text", .type = FORM_TEXT, .required = true, .max_setting = "log.text_max", \
	  .label = N_("What is agreed"), .missing = N_("Write what is agreed.") }, \
	{ .name = "parties", .type = FORM_LINE, .required = true, .max_len = 500, .label = N_("Who agreed"), \
	  .missing = N_("Write who agreed, for example: the guardians, the school and PPT.") }, \
	{ .name = "agreed_on", .type = FORM_DATE, .required = true, .label = N_("Agreed on"), \
	  .missing = N_("Write the date it was agreed.") }, \
	{ .name = "review_on", .type = FORM_DATE, .label = N_("Look at it again on") }
static const struct form_field add_fields[] = { AGREEMENT_FIELDS, { NULL } };
static const struct form_field change_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	AGREEMENT_FIELDS,
	{ NULL },
};
/* clang-format on */

static struct tv *item(const struct agreement *a)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", a->id);
	tv_set_int(o, "version", a->version);
	tv_set_str(o, "text", a->text);
	tv_set_str(o, "parties", a->parties);
	tv_set_str(o, "agreed_on", a->agreed_on);
	tv_set_str(o, "review_on", a->review_on ? a->review_on : "");
	tv_set_str(o, "changed_at", a->changed_at);
	tv_set_str(o, "by", view_name(a->given_name, a->family_name));
	return o;
}

/* The page; open_id is the agreement whose change form came back. */
static int page(struct req *r, int status, int64_t open_id)
{
	const struct session *s = r->session;
	struct logbook_summary log;
	struct agreement *a, *old;
	int rc = logbook_summary(s->municipality_id, r->id[0], &log), n, nold;
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	if ((n = agreement_list(s->municipality_id, r->id[0], &a)) < 0)
		return n;
	if ((nold = agreement_older(s->municipality_id, r->id[0], &old)) < 0)
		return nold;
	view_log_heading(r->data, &log);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = item(&a[i]), *versions = tv_list();
		for (int k = 0; k < nold; k++)
			if (old[k].id == a[i].id)
				tv_push(versions, item(&old[k]));
		tv_set(o, "older", versions);
		tv_set_bool(o, "open", a[i].id == open_id);
		tv_push(list, o);
	}
	tv_set(r->data, "agreements", list);
	tv_set_bool(r->data, "may_write", r->az.may[AUTHZ_WRITE]);
	tv_set_str(r->data, "title", _("Agreements"));
	return resp_page(r, status, "agreements");
}

static int show(struct req *r)
{
	return page(r, 200, 0);
}

/* The fields as an agreement, with the review date checked against the date
 * it was agreed; false (the error at the field) if it comes before. */
static bool read_in(struct req *r, struct agreement_in *in)
{
	*in = (struct agreement_in){
		.text = req_field(r, "text")->value,
		.parties = req_field(r, "parties")->value,
		.agreed_on = req_field(r, "agreed_on")->value,
		.review_on = req_field(r, "review_on")->value,
	};
	if (in->review_on && *in->review_on && strcmp(in->review_on, in->agreed_on) < 0) {
		form_error(&r->in, "review_on",
			   _("The date to look at it again comes after the date it was agreed."));
		return false;
	}
	return true;
}

static const char *agreements_path(const struct req *r, int64_t id)
{
	return arena_printf("/logg/%lld/avtale#avtale-%lld", (long long)r->id[0], (long long)id);
}

static int add(struct req *r)
{
	struct agreement_in in;
	if (r->in.nerrors == 0 && read_in(r, &in)) {
		int64_t id;
		int rc = agreement_add(r->session, r->id[0], &in, &id);
		if (rc < 0)
			return rc;
		return resp_saved(r, agreements_path(r, id), "avtale");
	}
	tv_set(r->data, "form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_prefix", "new-");
	return page(r, 422, 0);
}

static int change(struct req *r)
{
	int64_t id = r->id[1];
	struct agreement_in in;
	if (r->in.nerrors == 0 && read_in(r, &in)) {
		enum agreement_outcome o;
		int rc = agreement_change(r->session, r->id[0], id, (int)req_field(r, "version")->num, &in,
					  &o);
		if (rc < 0)
			return rc;
		if (o == AGREEMENT_NOT_FOUND)
			return 404;
		if (o == AGREEMENT_DONE)
			return resp_saved(r, agreements_path(r, id), "avtale-endret");
		tv_set_bool(r->data, "conflict", true);
		return page(r, 409, 0);
	}
	tv_set(r->data, "change_form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_suffix", arena_printf("-%lld", (long long)id));
	return page(r, 422, id);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/avtale", show, .login = true, .need = AUTHZ_READ, .audit = "log.agreements.read" },
	{ "POST", "/logg/#/avtale", add, .login = true, .need = AUTHZ_WRITE, .audit = "log.agreement.add",
	  .fields = add_fields, .once = true },
	{ "POST", "/logg/#/avtale/#", change, .login = true, .need = AUTHZ_WRITE,
	  .audit = "log.agreement.change", .fields = change_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-agreement", routes };
	return app_main(argc, argv, &prog);
}
