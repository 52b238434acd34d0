/* front.c — the front page: choose a municipality, then log in with
 * ID-porten (cgi-bin/login.c), switch language, read the
 * accessibility statement; also renders the error pages nginx hands over.
 * Template: templates/front.html. Tests: tests/http/test_front.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "form.h"
#include "i18n.h"
#include "municipality.h"
#include "view.h"

#define YEAR (365L * 24 * 3600)

static const struct form_field choose_fields[] = {
	{ .name = "kommune",
	  .type = FORM_LINE,
	  .required = true,
	  .max_len = 40,
	  .label = N_("Municipality"),
	  .missing = N_("Choose your municipality.") },
	{ NULL },
};

static const char *const lang_choices[] = { "nb", "nn", "en", NULL };
static const struct form_field lang_fields[] = {
	{ .name = "lang",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = lang_choices,
	  .label = N_("Language"),
	  .missing = N_("Choose a language.") },
	{ .name = "back", .type = FORM_LINE, .max_len = 200, .label = N_("Back") },
	{ NULL },
};

/* Lists the municipalities into the page data, marking the chosen one. */
static int load_choices(struct req *r, const char *chosen, struct municipality *found)
{
	struct municipality *m;
	int n = municipality_list(&m);
	if (n < 0)
		return n;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "slug", m[i].slug);
		tv_set_str(o, "name", m[i].name);
		bool sel = chosen && strcmp(chosen, m[i].slug) == 0;
		tv_set_bool(o, "selected", sel);
		if (sel && found)
			*found = m[i];
	}
	tv_set(r->data, "municipalities", list);
	return n;
}

static int show(struct req *r)
{
	if (r->session)
		return resp_redirect(r, "/min-side");
	struct municipality chosen = { 0 };
	int rc = load_choices(r, req_cookie(r, "kommune"), &chosen);
	if (rc < 0)
		return rc;
	if (chosen.name) {
		tv_set_str(r->data, "chosen", chosen.name);
		tv_set_str(r->data, "chosen_slug", chosen.slug);
	}
	tv_set_str(r->data, "title", _("Stafettlogg"));
	return resp_page(r, 200, "front");
}

static int choose(struct req *r)
{
	const char *slug = req_field(r, "kommune")->value;
	struct municipality m;
	if (r->in.nerrors == 0) {
		int rc = municipality_by_slug(slug, &m);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			resp_cookie(r, "kommune", m.slug, YEAR);
			return resp_redirect(r, "/");
		}
		form_error(&r->in, "kommune", _("Choose a municipality from the list."));
	}
	int rc = load_choices(r, slug, NULL);
	if (rc < 0)
		return rc;
	tv_set(r->data, "form", view_form(&r->in));
	tv_set_str(r->data, "title", _("Stafettlogg"));
	tv_set_str(r->data, "error_heading", _("To go on, correct the following:"));
	return resp_page(r, 422, "front");
}

static int set_language(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our own buttons send these */
	resp_cookie(r, "lang", req_field(r, "lang")->value, YEAR);
	const char *back = req_field(r, "back")->value;
	return resp_redirect(r, app_local_path(back) ? back : "/");
}

/* The statement follows Uutilsynet's template; its date and the address for
 * feedback are the municipality's settings ([accessibility]). */
static int accessibility(struct req *r)
{
	tv_set_str(r->data, "statement_date", config_str("accessibility.statement_date"));
	const char *email = config_str("accessibility.contact_email");
	if (*email) {
		tv_set_str(r->data, "contact_email", email);
		tv_set_str(r->data, "contact_href", arena_printf("mailto:%s", email));
	}
	tv_set_str(r->data, "title", _("Accessibility statement"));
	return resp_page(r, 200, "accessibility");
}

/* nginx sends its own errors here (error_page ... /_error/NNN), so a refused
 * upload or an unreachable program gets the same page as everything else. */
static int nginx_error(struct req *r)
{
	int status = atoi(r->path + strlen("/_error/"));
	return resp_error(r, status >= 400 && status <= 599 ? status : 500);
}

static const struct route routes[] = {
	{ "GET", "/", show },
	{ "POST", "/", choose, .fields = choose_fields },
	{ "POST", "/lang", set_language, .fields = lang_fields },
	{ "GET", "/tilgjengelighet", accessibility },
	{ "GET", "/_error/*", nginx_error },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-front", routes };
	return app_main(argc, argv, &prog);
}
