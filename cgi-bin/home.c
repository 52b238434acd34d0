/* home.c — "my page" after login (my logs): who I am; the logs I hold, am
 * responsible for a measure in, am a guardian, subject or actor of, each
 * with its next deadline, the evaluations due and the consent's end (lib/
 * mylogs.c: decided by authz, the list's read audited; a guardian's and a
 * young person's own logs in a list of their own, in everyday words), and those whose
 * consent was withdrawn, where I may still see who has read them; the
 * measures I am responsible for; and the units I lead and the administration, each linked
 * only if authz allows it. Template: templates/home.html. Tests:
 * tests/http/test_home.py. /min-side/varsler: the person's choice of e-mail
 * (lib/mailpref.c): the addresses Stafett writes to, whether they want
 * notices, the language of their mail; saved with what changed audited.
 * Template: templates/email_choice.html. Tests: tests/http/test_messages.py. */
#include <string.h>

#include "app.h"
#include "config.h"
#include "handover.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "municipality.h"
#include "mylogs.h"
#include "mailpref.h"
#include "session.h"
#include "staff.h"
#include "view.h"
#include "view_purge.h"

static struct tv *log_line(const struct mylogs_log *m)
{
	const struct logbook_item *l = &m->item;
	const struct measure_figures *f = &m->figures;
	struct tv *o = tv_obj();
	tv_set_int(o, "id", l->id);
	tv_set_str(o, "given_name", l->given_name);
	tv_set_str(o, "family_name", l->family_name);
	tv_set_str(o, "unit", l->unit_name);
	tv_set_str(o, "state", logbook_state_label(l->state));
	tv_set_str(o, "role", logbook_role_label(authz_role_name(m->az.role)));
	tv_set_str(o, "next_deadline", f->next_deadline ? f->next_deadline : "");
	tv_set_bool(o, "deadline_passed", f->deadline_passed);
	tv_set_int(o, "evaluations_due", f->evaluations_due);
	tv_set_int(o, "mine", f->mine);
	tv_set_str(o, "consent_until", l->consent_until ? l->consent_until : "");
	tv_set_bool(o, "consent_expiring", m->consent_expiring);
	/* A guardian or the young person finds their consents and receipts. */
	tv_set_bool(o, "consenter", m->az.role == AUTHZ_GUARDIAN || m->az.role == AUTHZ_YOUTH);
	return o;
}

/* A log of a guardian's child, or of the young person themself: the same
 * facts in their words (no roles, no "evaluations due"), for the list they
 * see instead of the staff's table. */
static struct tv *family_line(const struct mylogs_log *m)
{
	const struct logbook_item *l = &m->item;
	int due = m->figures.evaluations_due;
	struct tv *o = log_line(m);
	tv_set_str(o, "state", logbook_state_plain(l->state));
	if (due > 0)
		tv_set_str(o, "due", due == 1 ? _("one measure") : arena_printf("%d %s", due, _("measures")));
	return o;
}

static int add_logs(struct req *r, const struct mylogs *m)
{
	struct tv *list = tv_list(), *family = tv_list(), *ml = tv_list(), *el = tv_list();
	int nfamily = 0;
	for (int i = 0; i < m->n; i++) {
		enum authz_role role = m->logs[i].az.role;
		if (role == AUTHZ_GUARDIAN || role == AUTHZ_YOUTH) {
			tv_push(family, family_line(&m->logs[i]));
			nfamily++;
		} else {
			tv_push(list, log_line(&m->logs[i]));
		}
	}
	/* The staff's section (their table, a new log, consents to renew) for
	 * whoever has any of it, and for whoever has nothing at all. */
	tv_set_bool(r->data, "work",
		    m->n > nfamily || m->nwarnings > 0 || tv_truthy(tv_get(r->data, "may_create_log")) ||
			    nfamily == 0);
	for (int i = 0; i < m->nmine; i++) {
		const struct measure_mine *x = &m->mine[i];
		const struct mylogs_log *l = mylogs_find(m, x->log_id);
		struct tv *o = tv_push_obj(ml);
		tv_set_int(o, "id", x->id);
		tv_set_int(o, "log_id", x->log_id);
		tv_set_str(o, "description", x->description);
		tv_set_str(o, "deadline", x->deadline ? x->deadline : "");
		tv_set_str(o, "evaluation_date", x->evaluation_date ? x->evaluation_date : "");
		tv_set_str(o, "status", measure_status_label(x->status));
		tv_set_bool(o, "evaluation_due", x->evaluation_due);
		if (l)
			tv_set_str(o, "log_name", view_name(l->item.given_name, l->item.family_name));
	}
	for (int j = 0; j < m->nwarnings; j++) {
		const struct logbook_item *l = &m->warnings[j]->item;
		struct tv *o = tv_push_obj(el);
		tv_set_int(o, "log_id", l->id);
		tv_set_str(o, "name", view_name(l->given_name, l->family_name));
		tv_set_str(o, "consent_until", l->consent_until);
		tv_set_bool(o, "expired", l->consent_days_left < 0);
	}
	struct tv *wl = tv_list();
	for (int i = 0; i < m->nwithdrawn; i++) {
		struct tv *o = tv_push_obj(wl);
		tv_set_int(o, "id", m->withdrawn[i].id);
		tv_set_str(o, "name", view_name(m->withdrawn[i].given_name, m->withdrawn[i].family_name));
		/* Why it is not deleted yet: its archive copy. */
		int rc = view_purge_wait(r->session->municipality_id, m->withdrawn[i].id, o);
		if (rc < 0)
			return rc;
	}
	tv_set(r->data, "logs", list);
	tv_set(r->data, "family_logs", family);
	tv_set(r->data, "withdrawn", wl);
	tv_set(r->data, "my_measures", ml);
	tv_set(r->data, "consent_warnings", el);
	return 0;
}

/* Links to the units the person leads, the administrator's page and the
 * form for a new log, each only if authz allows it. Names of units are not
 * personal data: asked of authz, not audited. */
static int add_work(struct req *r)
{
	const struct session *s = r->session;
	struct staff_unit *units;
	struct authz az;
	int rc = 0, n = staff_units_of(s->municipality_id, s->person_id, "leader", &units);
	struct tv *list = tv_list();
	for (int i = 0; i < n && rc == 0; i++) {
		rc = authz_unit_check(s, units[i].id, AUTHZ_UNIT_FLOW, &az);
		if (rc == 0 && az.allow) {
			struct tv *o = tv_push_obj(list);
			tv_set_int(o, "id", units[i].id);
			tv_set_str(o, "name", units[i].name);
		}
	}
	if (n < 0 || rc < 0 || (rc = authz_unit_check(s, 0, AUTHZ_MUNI_ADMIN, &az)) < 0)
		return n < 0 ? n : rc;
	tv_set(r->data, "units", list);
	tv_set_bool(r->data, "admin", az.allow);
	n = staff_units_of(s->municipality_id, s->person_id, "staff", &units);
	for (int i = 0; i < n && rc == 0; i++)
		rc = authz_can_create_log(s, units[i].id);
	if (n < 0 || rc < 0)
		return n < 0 ? n : rc;
	tv_set_bool(r->data, "may_create_log", rc == 1);
	return 0;
}

/* Logs offered to the person (lib/handover.h): who offers which, without
 * the child's name (that is on the offer's own page), linked to the offer. */
static int add_offers(struct req *r)
{
	struct handover_pending *p;
	int n = handover_pending(r->session, &p);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", p[i].id);
		tv_set_int(o, "log_id", p[i].log_id);
		tv_set_str(o, "from", view_name(p[i].from_given_name, p[i].from_family_name));
		tv_set_str(o, "from_unit", p[i].from_unit_name);
		tv_set_str(o, "to_unit", p[i].to_unit_name);
		tv_set_str(o, "expires_at", p[i].expires_at);
	}
	tv_set(r->data, "offers", list);
	return n < 0 ? n : 0;
}

static int show(struct req *r)
{
	struct mylogs m;
	int rc = mylogs_load(r->session, (int)config_int("consent.warn_days"), &m);
	if (rc < 0 || (rc = add_work(r)) < 0 || (rc = add_offers(r)) < 0 || (rc = add_logs(r, &m)) < 0)
		return rc;
	/* How early an evaluation is due is the municipality's setting. */
	struct municipality_settings ms;
	if ((rc = municipality_settings(r->session->municipality_id, &ms)) < 0)
		return rc;
	tv_set_int(r->data, "due_days", rc == 1 ? ms.evaluation_warn_days : 0);
	struct mailpref nc;
	if ((rc = mailpref_get(r->session, &nc)) < 0)
		return rc;
	tv_set_bool(r->data, "email_notices", rc == 1 && nc.notices);
	tv_set_str(r->data, "title", _("My page"));
	return resp_page(r, 200, "home");
}

/* --- the person's choice of e-mail (/min-side/varsler) -------------------- */

static const char *const yes_no[] = { "yes", "no", NULL };
/* "municipality": the municipality's written form of Norwegian. */
static const char *const mail_langs[] = { "municipality", "nb", "nn", "en", NULL };

/* clang-format off */
static const struct form_field notices_fields[] = {
	{ .name = "notices", .type = FORM_CHOICE, .required = true, .choices = yes_no,
	  .label = N_("E-mail when there is something new for you"),
	  .missing = N_("Choose whether you want an e-mail when there is something new for you.") },
	{ .name = "mail_lang", .type = FORM_CHOICE, .required = true, .choices = mail_langs,
	  .label = N_("The language of your e-mail"), .missing = N_("Choose the language of your e-mail.") },
	{ NULL },
};
/* clang-format on */

/* Each language named in itself, as the language choice names it. */
static const char *lang_name(const char *code)
{
	return strcmp(code, "nn") == 0 ? "Nynorsk" : strcmp(code, "en") == 0 ? "English" : "Bokmål";
}

/* The choice page: the addresses Stafett writes to, the two choices (as
 * stored, or as typed when f came back). */
static int notices_page(struct req *r, int status, const struct form *f)
{
	struct mailpref nc;
	char **other;
	int rc = mailpref_get(r->session, &nc), n;
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	if ((n = mailpref_log_addresses(r->session, &other)) < 0)
		return n;
	tv_set_str(r->data, "email", nc.email ? nc.email : "");
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++)
		tv_push(list, tv_str(other[i]));
	tv_set(r->data, "log_addresses", list);
	const char *notices = f ? form_get(f, "notices")->value : nc.notices ? "yes" : "no";
	const char *lang = f ? form_get(f, "mail_lang")->value : nc.mail_lang ? nc.mail_lang : "municipality";
	tv_set_bool(r->data, "notices_yes", strcmp(notices, "yes") == 0);
	tv_set_bool(r->data, "notices_no", strcmp(notices, "no") == 0);
	struct tv *langs = tv_list();
	for (const char *const *c = mail_langs; *c; c++) {
		struct tv *o = tv_push_obj(langs);
		bool own = strcmp(*c, "municipality") == 0;
		tv_set_str(o, "value", *c);
		tv_set_str(o, "label", own ? lang_name(nc.default_lang) : lang_name(*c));
		tv_set_bool(o, "municipality", own);
		tv_set_str(o, "lang", own ? nc.default_lang : *c);
		tv_set_bool(o, "selected", strcmp(*c, lang) == 0);
	}
	tv_set(r->data, "langs", langs);
	tv_set_int(r->data, "interval", config_int("mail.notice_interval_minutes"));
	tv_set(r->data, "form", f ? view_form(f) : tv_obj());
	tv_set_str(r->data, "title", _("E-mail from Stafett"));
	return resp_page(r, status, "email_choice");
}

static int notices_show(struct req *r)
{
	return notices_page(r, 200, NULL);
}

static int notices_save(struct req *r)
{
	if (r->in.nerrors)
		return notices_page(r, 422, &r->in);
	const char *lang = req_field(r, "mail_lang")->value;
	int rc = mailpref_set(r->session, strcmp(req_field(r, "notices")->value, "yes") == 0,
			      strcmp(lang, "municipality") == 0 ? NULL : lang);
	if (rc < 0)
		return rc;
	return resp_saved(r, "/min-side/varsler", "varsler");
}

static const struct route routes[] = {
	{ "GET", "/min-side", show, .login = true },
	{ "GET", "/min-side/varsler", notices_show, .login = true },
	{ "POST", "/min-side/varsler", notices_save, .login = true, .fields = notices_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-home", routes };
	return app_main(argc, argv, &prog);
}
