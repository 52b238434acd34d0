/* evaluation.c — POST /logg/ID/tiltak/MID/evaluering: an evaluation of a
 * measure (DOMAIN.md §5): a category and a short text, by the holder or the
 * measure's responsible actor (AUTHZ_EVALUATE). A form that needs
 * correcting comes back on the measure's page. Template: measure.html
 * (lib/view_measure.c). Tests: tests/http/test_evaluation.py. */
#include "app.h"
#include "i18n.h"
#include "measure.h"
#include "session.h"
#include "view_measure.h"

static const struct form_field fields[] = {
	{ .name = "category",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = measure_categories,
	  .label = N_("Evaluation"),
	  .missing = N_("Choose how far the measure has reached its goal.") },
	{ .name = "text", .type = FORM_TEXT, .max_setting = "log.short_text_max", .label = N_("Comment") },
	{ NULL },
};

static int evaluate(struct req *r)
{
	if (r->in.nerrors)
		return resp_view(r,
				 view_measure(r->session, &r->az, r->id[0], r->id[1], NULL, &r->in, r->data),
				 422, "measure");
	enum measure_outcome o;
	int rc = measure_evaluate(r->session, r->id[0], r->id[1], req_field(r, "category")->value,
				  req_field(r, "text")->value, &o);
	if (rc < 0)
		return rc;
	if (o != MEASURE_DONE)
		return 404;
	return resp_saved(r, arena_printf("/logg/%lld#tiltak-%lld", (long long)r->id[0], (long long)r->id[1]),
			  "evaluering");
}

static const struct route routes[] = {
	{ "POST", "/logg/#/tiltak/#/evaluering", evaluate, .login = true, .need = AUTHZ_EVALUATE,
	  .audit = "measure.evaluate", .fields = fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-evaluation", routes };
	return app_main(argc, argv, &prog);
}
