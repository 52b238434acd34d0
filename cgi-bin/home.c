/* home.c — "my page" after login (my logs): who I am; the logs I hold, am
 * responsible for a measure in, am a guardian, subject or actor of, each
 * with its next deadline, the evaluations due and the consent's end (lib/
 * mylogs.c: decided by authz, the list's read audited; a guardian's and a
 * young person's own logs in a list of their own, in everyday words), and those whose
 * consent was withdrawn, where I may still see who has read them; the
 * measures I am responsible for; and the units I lead and the administration, each linked
 * only if authz allows it. Template: templates/home.html. Tests:
 * tests/http/test_home.py; the page's values are built in lib/view_home.c. /min-side/varsler: the person's choice of e-mail
 * (lib/mailpref.c): the addresses Stafett writes to, whether they want
 * notices, the language of their mail; saved with what changed audited.
 * Template: templates/email_choice.html. Tests: tests/http/test_messages.py. */
#include <string.h>

#include "app.h"
#include "config.h"
#include "i18n.h"
#include "mailpref.h"
#include "session.h"
#include "view.h"
#include "view_home.h"

static int show(struct req *r)
{
	int rc = view_home(r->session, r->data);
	if (rc < 0)
		return rc;
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
