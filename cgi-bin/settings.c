/* settings.c — the municipality's settings for its administrator (DOMAIN.md
 * §2, §4, §6, §9): GET /admin/innstillinger shows the consent age, how long a
 * consent lasts, the default language, how long a closed log is kept and
 * how early an evaluation counts as due; POST saves them with the
 * municipality's version: a stale form answers 409 with what is stored now
 * beside what was typed, and nothing is overwritten; the same form sent
 * twice saves once (AUTHZ_MUNI_ADMIN; each changed value is in the audit
 * trail, lib/municipality.c).
 * Template: templates/settings.html. Tests: tests/http/test_settings.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "municipality.h"
#include "session.h"
#include "view.h"

static const char *const ages[] = { "15", "16", NULL };

/* clang-format off */
static const struct form_field fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "consent_age", .type = FORM_CHOICE, .required = true, .choices = ages,
	  .label = N_("Consent age"), .missing = N_("Choose the age from which a young person consents for themself.") },
	{ .name = "consent_valid_years", .type = FORM_INT, .required = true,
	  .min = MUNICIPALITY_CONSENT_YEARS_MIN, .max = MUNICIPALITY_CONSENT_YEARS_MAX,
	  .label = N_("Years a consent lasts"), .missing = N_("Write how many years a consent lasts.") },
	{ .name = "default_lang", .type = FORM_CHOICE, .required = true, .choices = municipality_langs,
	  .label = N_("Default language"), .missing = N_("Choose Bokmål or Nynorsk.") },
	{ .name = "retention_years", .type = FORM_INT, .required = true,
	  .min = MUNICIPALITY_RETENTION_MIN, .max = MUNICIPALITY_RETENTION_MAX,
	  .label = N_("Years a closed log is kept"), .missing = N_("Write how many years a closed log is kept.") },
	{ .name = "evaluation_warn_days", .type = FORM_INT, .required = true,
	  .min = 0, .max = MUNICIPALITY_EVALUATION_DAYS_MAX,
	  .label = N_("Days before an evaluation is due"),
	  .missing = N_("Write how many days before its date an evaluation counts as due.") },
	{ NULL },
};
/* clang-format on */

static const char *age_label(const char *age)
{
	return strcmp(age, "15") == 0 ? _("15 years") : _("16 years");
}

/* A language by its own name, whatever the page's language. */
static const char *lang_label(const char *lang)
{
	return strcmp(lang, "nn") == 0 ? "Nynorsk" : "Bokmål";
}

/* The settings as stored, in the form's fields. */
static struct tv *stored(const struct municipality_settings *m)
{
	struct tv *form = tv_obj();
	view_value(form, "version", arena_printf("%d", m->version));
	view_value(form, "consent_age", arena_printf("%d", m->consent_age));
	view_value(form, "consent_valid_years", arena_printf("%d", m->consent_valid_years));
	view_value(form, "default_lang", m->default_lang);
	view_value(form, "retention_years", arena_printf("%d", m->retention_years));
	view_value(form, "evaluation_warn_days", arena_printf("%d", m->evaluation_warn_days));
	return form;
}

static int page(struct req *r, int status, struct tv *form, const char *age, const char *lang)
{
	tv_set(r->data, "form", form);
	tv_set(r->data, "ages", view_choices(ages, age_label, age));
	tv_set(r->data, "langs", view_choices(municipality_langs, lang_label, lang));
	tv_set_str(r->data, "title", _("The municipality's settings"));
	return resp_page(r, status, "settings");
}

static int show(struct req *r)
{
	struct municipality_settings m;
	int rc = municipality_settings(r->session->municipality_id, &m);
	if (rc <= 0)
		return rc < 0 ? rc : 404;
	return page(r, 200, stored(&m), arena_printf("%d", m.consent_age), m.default_lang);
}

static int save(struct req *r)
{
	const char *age = req_field(r, "consent_age")->value, *lang = req_field(r, "default_lang")->value;
	if (r->in.nerrors)
		return page(r, 422, view_form(&r->in), age, lang);
	struct municipality_settings in = {
		.consent_age = strcmp(age, "15") == 0 ? 15 : 16, /* a choice: 15 or 16, nothing else */
		.consent_valid_years = (int)req_field(r, "consent_valid_years")->num,
		.default_lang = (char *)lang,
		.retention_years = (int)req_field(r, "retention_years")->num,
		.evaluation_warn_days = (int)req_field(r, "evaluation_warn_days")->num,
		.version = (int)req_field(r, "version")->num,
	};
	struct municipality_settings cur;
	int rc = municipality_save_settings(r->session, &in, &cur);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return resp_saved(r, "/admin/innstillinger", "innstillinger");
	/* Someone saved first: what is stored now beside what this person
	 * typed, which the form keeps, with the stored version, so saving
	 * again is a deliberate overwrite. */
	struct tv *conflict = tv_obj();
	tv_set_str(conflict, "consent_age", age_label(cur.consent_age == 15 ? "15" : "16"));
	tv_set_int(conflict, "consent_valid_years", cur.consent_valid_years);
	tv_set_str(conflict, "default_lang", lang_label(cur.default_lang));
	tv_set_int(conflict, "retention_years", cur.retention_years);
	tv_set_int(conflict, "evaluation_warn_days", cur.evaluation_warn_days);
	tv_set(r->data, "conflict", conflict);
	struct tv *form = view_form(&r->in);
	view_value(form, "version", arena_printf("%d", cur.version));
	return page(r, 409, form, age, lang);
}

static const struct route routes[] = {
	{ "GET", "/admin/innstillinger", show, .login = true, .need = AUTHZ_MUNI_ADMIN,
	  .audit = "admin.settings.read" },
	{ "POST", "/admin/innstillinger", save, .login = true, .need = AUTHZ_MUNI_ADMIN,
	  .audit = "admin.settings.save", .fields = fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-settings", routes };
	return app_main(argc, argv, &prog);
}
