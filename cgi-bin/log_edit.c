/* log_edit.c — the holder edits a log (DOMAIN.md §5, §10): GET
 * /logg/ID/rediger shows the basic data, BTI level, the child's own voice
 * and the concerns (lib/view_edit.c); POST /logg/ID/rediger saves the basic
 * data with the log's version: a stale one answers 409 with the other
 * person's values beside what this user typed (AUTHZ_WRITE). The concerns
 * are saved by cgi-bin/concern.c. Template: log_edit.html.
 * Tests: tests/http/test_log_edit.py. */
#include "app.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "view_edit.h"

static const struct form_field basic_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "bti_level", .type = FORM_INT, .min = 0, .max = 3, .label = N_("BTI level") },
	{ .name = "basic_info", .type = FORM_TEXT, .max_setting = "log.text_max", .label = N_("Basic data") },
	{ .name = "child_voice",
	  .type = FORM_TEXT,
	  .max_setting = "log.text_max",
	  .label = N_("The child's own voice") },
	{ NULL },
};

static int page(struct req *r, int status, const struct view_edit_kept *k)
{
	return resp_view(r, view_edit(r->session, r->lang, r->id[0], k, r->data), status, "log_edit");
}

static int show(struct req *r)
{
	return page(r, 200, NULL);
}

static int save(struct req *r)
{
	struct view_edit_kept k = { .basic = &r->in };
	if (r->in.nerrors)
		return page(r, 422, &k);
	const struct form_value *level = req_field(r, "bti_level");
	struct logbook_basic cur;
	int rc = logbook_update_basic(r->session, r->id[0], (int)req_field(r, "version")->num,
				      level->value[0] ? (int)level->num : -1,
				      req_field(r, "basic_info")->value, req_field(r, "child_voice")->value,
				      &cur);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return resp_saved(r, arena_printf("/logg/%lld", (long long)r->id[0]), "grunndata");
	k.basic_conflict = tv_obj();
	tv_set_str(k.basic_conflict, "bti",
		   cur.bti_level < 0 ? _("Not assessed") : logbook_bti_label(cur.bti_level));
	tv_set_str(k.basic_conflict, "basic_info", cur.basic_info ? cur.basic_info : "");
	tv_set_str(k.basic_conflict, "child_voice", cur.child_voice ? cur.child_voice : "");
	return page(r, 409, &k);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/rediger", show, .login = true, .need = AUTHZ_WRITE, .audit = "log.edit.read" },
	{ "POST", "/logg/#/rediger", save, .login = true, .need = AUTHZ_WRITE, .audit = "log.update",
	  .fields = basic_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-edit", routes };
	return app_main(argc, argv, &prog);
}
