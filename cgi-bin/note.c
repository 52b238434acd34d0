/* note.c — notes and glimpses of light (DOMAIN.md §8): GET /logg/ID/notat
 * shows the form on its own, POST /logg/ID/notat writes a short note,
 * optionally about one of the log's concerns, marked as a glimpse of light
 * (good news) if chosen. Whoever authz allows AUTHZ_ENTRY may write: the
 * holder, actors, guardians and the young person. Template: note.html (the
 * log page has the same form in log_notes.html). Tests: tests/http/test_note.py. */
#include "app.h"
#include "concern.h"
#include "config.h"
#include "i18n.h"
#include "logbook.h"
#include "note.h"
#include "session.h"
#include "view.h"

#define MAX_ID 999999999999999LL

static const struct form_field note_fields[] = {
	{ .name = "text",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.short_text_max",
	  .label = N_("Note"),
	  .missing = N_("Write the note.") },
	{ .name = "concern_id", .type = FORM_INT, .min = 1, .max = MAX_ID, .label = N_("About") },
	{ .name = "glimpse", .type = FORM_BOOL, .label = N_("Glimpse of light") },
	{ NULL },
};

/* The form page; f is the form that came back, or NULL. */
static int page(struct req *r, int status, const struct form *f)
{
	const struct session *s = r->session;
	struct logbook_summary sum;
	struct concern *c;
	int rc = logbook_summary(s->municipality_id, r->id[0], &sum);
	int n = rc <= 0 ? rc : concern_list(s->municipality_id, r->id[0], &c);
	if (rc <= 0 || n < 0)
		return rc == 0 ? 404 : rc < 0 ? rc : n;
	view_log_heading(r->data, &sum);
	tv_set(r->data, "concerns", view_concern_choices(c, n, f ? form_get(f, "concern_id")->value : NULL));
	tv_set_int(r->data, "max", config_int("log.short_text_max"));
	tv_set(r->data, "form", f ? view_form(f) : tv_obj());
	tv_set_str(r->data, "error_anchor_prefix", "note-"); /* the fields' ids (note_fields.html) */
	if (f)
		tv_set_bool(r->data, "glimpse", form_get(f, "glimpse")->num == 1);
	tv_set_str(r->data, "title", _("Write a note"));
	return resp_page(r, status, "note");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

static int add(struct req *r)
{
	if (r->in.nerrors == 0) {
		int64_t id;
		bool found;
		int rc =
			note_add(r->session, r->id[0], req_field(r, "concern_id")->num,
				 req_field(r, "text")->value, req_field(r, "glimpse")->num == 1, &id, &found);
		if (rc < 0)
			return rc;
		if (found)
			return resp_saved(
				r, arena_printf("/logg/%lld#notat-%lld", (long long)r->id[0], (long long)id),
				req_field(r, "glimpse")->num == 1 ? "lysglimt" : "notat");
		form_error(&r->in, "concern_id", _("Choose one of the log's concerns."));
	}
	return page(r, 422, &r->in);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/notat", show, .login = true, .need = AUTHZ_ENTRY, .audit = "log.note" },
	{ "POST", "/logg/#/notat", add, .login = true, .need = AUTHZ_ENTRY, .audit = "note.add",
	  .fields = note_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-note", routes };
	return app_main(argc, argv, &prog);
}
