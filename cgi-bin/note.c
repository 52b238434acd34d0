/* note.c — notes and glimpses of light (DOMAIN.md §8): GET /logg/ID/notat
 * shows the form on its own, POST /logg/ID/notat writes a short note,
 * optionally about one of the log's concerns, marked as a glimpse of light
 * (good news) if chosen. Whoever authz allows AUTHZ_ENTRY may write: the
 * holder, actors, guardians and the young person. Template: note.html (the
 * log page has the same form in log_notes.html). Tests: tests/http/test_note.py. */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "concern.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "logbook.h"
#include "note.h"
#include "session.h"

#define MAX_ID 999999999999999LL

static struct form_field note_fields[] = {
	{ .name = "text", .type = FORM_TEXT, .required = true, .label = N_("Note") },
	{ .name = "concern_id", .type = FORM_INT, .min = 1, .max = MAX_ID, .label = N_("About") },
	{ .name = "glimpse", .type = FORM_BOOL, .label = N_("Glimpse of light") },
	{ NULL },
};

static void field_error(struct form *f, const char *name, const char *message)
{
	for (size_t i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].name, name) == 0 && !f->v[i].error) {
			f->v[i].error = message;
			f->nerrors++;
		}
	}
}

/* The form page inside the open transaction (what was typed kept); commits
 * and renders with status. */
static int page(struct req *r, int64_t log_id, int status, const struct form *f)
{
	const struct session *s = r->session;
	struct logbook_summary sum;
	struct tv *list = NULL;
	int rc = logbook_summary(s->municipality_id, log_id, &sum);
	int n = rc <= 0 ? rc
			: concern_choices(s->municipality_id, log_id,
					  f ? form_get(f, "concern_id")->value : NULL, &list);
	if (rc <= 0 || n < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc < 0 ? rc : n;
	}
	struct tv *log = tv_obj();
	tv_set_int(log, "id", sum.id);
	tv_set_str(log, "name", arena_printf("%s %s", sum.subject_given_name, sum.subject_family_name));
	tv_set(r->data, "log", log);
	tv_set(r->data, "concerns", list);
	tv_set_int(r->data, "max", config_int("log.short_text_max"));
	struct tv *form = tv_obj();
	if (f) {
		form_to_tv(f, form);
		tv_set_bool(r->data, "glimpse", form_get(f, "glimpse")->num == 1);
	}
	tv_set(r->data, "form", form);
	tv_set_str(r->data, "title", _("Write a note"));
	return resp_page(r, status, "note");
}

static int show(struct req *r, int64_t log_id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_ENTRY, "log.note", NULL)) != 0)
		return rc;
	return page(r, log_id, 200, NULL);
}

static int add(struct req *r, int64_t log_id)
{
	struct form f;
	int valid = form_validate(&f, note_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_ENTRY, "note.add", NULL)) != 0)
		return rc;
	if (valid == FORM_OK) {
		int64_t id;
		bool found;
		rc = note_add(r->session, log_id, form_get(&f, "concern_id")->num,
			      form_get(&f, "text")->value, form_get(&f, "glimpse")->num == 1, &id, &found);
		if (rc < 0) {
			db_rollback();
			return rc;
		}
		if (found) {
			rc = db_commit();
			return rc < 0 ? rc
				      : resp_redirect(r,
						      arena_printf("/logg/%lld#notat-%lld", (long long)log_id,
								   (long long)id));
		}
		field_error(&f, "concern_id", _("Choose one of the log's concerns."));
	}
	return page(r, log_id, 422, &f);
}

static int route(struct req *r)
{
	bool get = strcmp(r->method, "POST") != 0;
	if (get && !r->session)
		return resp_redirect(r, "/");
	note_fields[0].max_len = (size_t)config_int("log.short_text_max");
	const char *rest;
	int64_t log_id = app_path_id(r->path, "/logg/", &rest);
	if (log_id == 0 || strcmp(rest, "/notat") != 0)
		return 404;
	return get ? show(r, log_id) : add(r, log_id);
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ "POST", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-note", routes, 0 };
	return app_main(argc, argv, &prog);
}
