/* goal.c — the goals of a log (DOMAIN.md §1, §5): GET /logg/ID/mal shows a
 * new goal's form (choose the concern), POST /logg/ID/mal adds it; GET
 * /logg/ID/mal/GID shows a goal with its text to edit and a new measure's
 * form (saved by cgi-bin/measure.c), POST /logg/ID/mal/GID saves the text if
 * the goal still has the version the holder saw (409 if not). The holder's
 * (AUTHZ_WRITE). Templates: measure_goal_new.html, measure_goal.html
 * (lib/view_measure.c). Tests: tests/http/test_goal.py. */
#include "app.h"
#include "i18n.h"
#include "measure.h"
#include "session.h"
#include "view_measure.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */

static const struct form_field new_fields[] = {
	{ .name = "concern_id",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Concern"),
	  .missing = N_("Choose the concern the goal is for.") },
	{ .name = "text",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.text_max",
	  .label = N_("Goal"),
	  .missing = N_("Write what the goal is.") },
	{ NULL },
};
static const struct form_field edit_fields[] = {
	{ .name = "text",
	  .type = FORM_TEXT,
	  .required = true,
	  .max_setting = "log.text_max",
	  .label = N_("Goal"),
	  .missing = N_("Write what the goal is.") },
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};

static int new_page(struct req *r, int status, const struct form *f)
{
	return resp_view(r, view_new_goal(r->session, r->id[0], f, r->data), status, "measure_goal_new");
}

static int goal_page(struct req *r, int status, const struct form *f)
{
	return resp_view(r, view_goal(r->session, r->id[0], r->id[1], f, NULL, r->data), status,
			 "measure_goal");
}

static int show_new(struct req *r)
{
	return new_page(r, 200, NULL);
}

static int add(struct req *r)
{
	if (r->in.nerrors == 0) {
		int64_t id = 0;
		enum measure_outcome o;
		int rc = measure_add_goal(r->session, r->id[0], req_field(r, "concern_id")->num,
					  req_field(r, "text")->value, &id, &o);
		if (rc < 0)
			return rc;
		if (o == MEASURE_DONE)
			return resp_saved(
				r, arena_printf("/logg/%lld#mal-%lld", (long long)r->id[0], (long long)id),
				"mal");
		form_error(&r->in, "concern_id", _("Choose one of the log's concerns."));
	}
	return new_page(r, 422, &r->in);
}

static int show(struct req *r)
{
	return goal_page(r, 200, NULL);
}

static int edit(struct req *r)
{
	if (req_field(r, "version")->error)
		return 400; /* the version comes from our own page */
	if (r->in.nerrors)
		return goal_page(r, 422, &r->in);
	enum measure_outcome o;
	int rc = measure_edit_goal(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num,
				   req_field(r, "text")->value, &o);
	if (rc < 0)
		return rc;
	if (o == MEASURE_NOT_FOUND)
		return 404;
	if (o == MEASURE_DONE)
		return resp_saved(
			r, arena_printf("/logg/%lld#mal-%lld", (long long)r->id[0], (long long)r->id[1]),
			"mal");
	tv_set_bool(r->data, "conflict", true);
	return goal_page(r, 409, &r->in);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/mal", show_new, .login = true, .need = AUTHZ_WRITE, .audit = "log.goal" },
	{ "POST", "/logg/#/mal", add, .login = true, .need = AUTHZ_WRITE, .audit = "goal.add",
	  .fields = new_fields, .once = true },
	{ "GET", "/logg/#/mal/#", show, .login = true, .need = AUTHZ_WRITE, .audit = "log.goal" },
	{ "POST", "/logg/#/mal/#", edit, .login = true, .need = AUTHZ_WRITE, .audit = "goal.edit",
	  .fields = edit_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-goal", routes };
	return app_main(argc, argv, &prog);
}
