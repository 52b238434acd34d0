/* guardians.c — the holder adds or removes a guardian of a log (DOMAIN.md
 * §2, §4, §8, §10): GET /logg/ID/foresatte lists the guardians with their
 * consent, says what adding one means for the log's consent, and offers
 * the forms; POST /logg/ID/foresatte adds one (the same person fields and
 * number rules as the form that creates a log; the answer never tells
 * whether a number was registered); POST /logg/ID/foresatte/GID/fjern
 * removes one with a reason: their access ends at once and the history
 * keeps who, when and why (AUTHZ_GUARDIANS; lib/guardian.c recomputes the
 * consent; a new guardian whose consent the log needs is asked for it by
 * e-mail, lib/notice.c). Template: templates/guardians.html. Tests:
 * tests/http/test_guardians.py. */
#include <string.h>

#include "app.h"
#include "config.h"
#include "consent.h"
#include "guardian.h"
#include "i18n.h"
#include "logbook.h"
#include "notice.h"
#include "session.h"
#include "view.h"

/* clang-format off */
static const struct form_field add_fields[] = {
	{ .name = "given_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Given name"),
	  .missing = N_("Write the guardian's given name.") },
	{ .name = "family_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Family name"),
	  .missing = N_("Write the guardian's family name.") },
	{ .name = "nin", .type = FORM_NIN, .required = true, .label = N_("National identity number"),
	  .missing = N_("Write the guardian's national identity number, 11 digits.") },
	{ .name = "phone", .type = FORM_PHONE, .label = N_("Phone") },
	{ .name = "email", .type = FORM_EMAIL, .label = N_("E-mail") },
	{ NULL },
};
static const struct form_field remove_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "reason", .type = FORM_LINE, .required = true, .max_len = 300, .label = N_("Why the guardian is removed"),
	  .missing = N_("Write why the guardian is removed.") },
	{ NULL },
};
/* clang-format on */

/* One guardian as the page shows them: contact, and their own consent to
 * the log when it is theirs to give. */
static struct tv *guardian_item(const struct guardian *g, const struct consent_status *st, int nst)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", g->id);
	tv_set_int(o, "version", g->version);
	tv_set_str(o, "name", view_name(g->given_name, g->family_name));
	tv_set_str(o, "phone", g->phone ? g->phone : "");
	tv_set_str(o, "email", g->email ? g->email : "");
	tv_set_bool(o, "never_logged_in", !g->first_login_at);
	for (int i = 0; i < nst; i++) {
		if (st[i].who.person_id != g->person_id || strcmp(st[i].kind, "establish") != 0)
			continue;
		tv_set_str(o, "consent", consent_state_label(st[i].state));
		tv_set_bool(o, "consented",
			    st[i].state == CONSENT_STATE_GIVEN || st[i].state == CONSENT_STATE_EXPIRING);
		tv_set_str(o, "consent_until", st[i].valid_until ? st[i].valid_until : "");
	}
	return o;
}

/* The page; remove_id is the guardian whose removal form came back. */
static int page(struct req *r, int status, int64_t remove_id)
{
	const struct session *s = r->session;
	int64_t id = r->id[0];
	struct logbook_summary log;
	struct guardian *g;
	struct consent_status *st;
	int warn = (int)config_int("consent.warn_days");
	int rc = logbook_summary(s->municipality_id, id, &log), n, nst;
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	if ((n = guardian_list(s->municipality_id, id, &g)) < 0)
		return n;
	if ((nst = consent_status(s->municipality_id, id, warn, &st)) < 0)
		return nst;
	view_log_heading(r->data, &log);
	/* Whose consent the log needs: the subject's own (at the consent age,
	 * or a pregnancy), or each guardian's. */
	bool theirs = nst == 0 || !st[0].who.subject;
	struct tv *list = tv_list(), *waiting = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = guardian_item(&g[i], st, nst);
		if (g[i].id == remove_id)
			tv_set_bool(o, "open", true);
		tv_push(list, o);
		if (theirs && !tv_truthy(tv_get(o, "consented")))
			tv_set_str(tv_push_obj(waiting), "name", tv_get_str(o, "name"));
	}
	struct consent_summary c = consent_summary_of(&log, warn);
	tv_set(r->data, "guardians", list);
	tv_set(r->data, "waiting", waiting);
	tv_set_bool(r->data, "guardians_consent", theirs);
	tv_set_bool(r->data, "complete", c.complete);
	tv_set_str(r->data, "consent_until", c.consent_until ? c.consent_until : "");
	tv_set_bool(r->data, "draft", strcmp(log.state, "draft") == 0);
	tv_set_str(r->data, "title", _("Guardians"));
	return resp_page(r, status, "guardians");
}

static int show(struct req *r)
{
	return page(r, 200, 0);
}

static int add(struct req *r)
{
	if (r->in.nerrors == 0) {
		struct person_new p = {
			.given_name = req_field(r, "given_name")->value,
			.family_name = req_field(r, "family_name")->value,
			.nin = req_field(r, "nin")->value,
			.phone = req_field(r, "phone")->value,
			.email = req_field(r, "email")->value,
		};
		int64_t person;
		enum guardian_outcome o;
		int rc = guardian_add(r->session, r->id[0], &p, &person, &o);
		if (rc < 0)
			return rc;
		struct notice_count asked = { 0 };
		if (o == GUARDIAN_DONE &&
		    (rc = notice_consent_asked(r->session, r->id[0], person, &asked)) < 0)
			return rc;
		if (o == GUARDIAN_DONE)
			return resp_saved(r, arena_printf("/logg/%lld/foresatte", (long long)r->id[0]),
					  "foresatt");
		if (o == GUARDIAN_SELF)
			authz_refuse(&r->az, "self");
		form_error(&r->in, "nin",
			   o == GUARDIAN_SELF
				   ? _("You cannot be a guardian in a log you hold. Someone else must "
				       "hold the log.")
				   : o == GUARDIAN_SUBJECT
				   ? _("This is the number of the one the log is about. A guardian "
				       "is someone else.")
				   : _("This person is already a guardian in the log."));
	}
	tv_set(r->data, "form", view_form(&r->in));
	return page(r, 422, 0);
}

static int remove_guardian(struct req *r)
{
	int64_t gid = r->id[1];
	if (r->in.nerrors == 0) {
		enum guardian_outcome o;
		int rc = guardian_remove(r->session, r->id[0], gid, (int)req_field(r, "version")->num,
					 req_field(r, "reason")->value, &o);
		if (rc < 0)
			return rc;
		if (o == GUARDIAN_NOT_FOUND)
			return 404; /* not a guardian of this log: nothing changed, the attempt kept */
		if (o == GUARDIAN_DONE)
			return resp_saved(r, arena_printf("/logg/%lld/foresatte", (long long)r->id[0]),
					  "foresatt-fjernet");
		tv_set_bool(r->data, o == GUARDIAN_LAST ? "last" : "conflict", true);
		return page(r, 409, 0);
	}
	tv_set(r->data, "remove_form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_suffix", arena_printf("-%lld", (long long)gid));
	return page(r, 422, gid);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/foresatte", show, .login = true, .need = AUTHZ_GUARDIANS,
	  .audit = "log.guardians.read" },
	{ "POST", "/logg/#/foresatte", add, .login = true, .need = AUTHZ_GUARDIANS,
	  .audit = "log.guardian.add", .fields = add_fields, .once = true },
	{ "POST", "/logg/#/foresatte/#/fjern", remove_guardian, .login = true, .need = AUTHZ_GUARDIANS,
	  .audit = "log.guardian.remove", .fields = remove_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-guardians", routes };
	return app_main(argc, argv, &prog);
}
