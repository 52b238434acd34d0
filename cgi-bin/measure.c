/* measure.c — the measures of a log (DOMAIN.md §1, §5): POST
 * /logg/ID/mal/GID/tiltak adds one under a goal (from the goal's page); GET
 * /logg/ID/tiltak/MID shows a measure with its evaluations, the holder's
 * edit form and the evaluation form for whoever may evaluate it (saved by
 * cgi-bin/evaluation.c); POST /logg/ID/tiltak/MID saves it if it still has
 * the version the holder saw (409 if not). Adding and editing are the
 * holder's (AUTHZ_WRITE); anyone who may read the log may look. A person
 * made responsible by someone else is told by e-mail (lib/notice.c). Templates:
 * measure_goal.html, measure.html (lib/view_measure.c).
 * Tests: tests/http/test_measure.py. */
#include <stdlib.h>

#include "app.h"
#include "i18n.h"
#include "measure.h"
#include "notice.h"
#include "session.h"
#include "view_measure.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */

/* clang-format off */
#define MEASURE_FIELDS \
	{ .name = "description", .type = FORM_TEXT, .required = true, .max_setting = "log.text_max", .label = N_("Measure"), .missing = N_("Write what will be done.") }, \
	{ .name = "responsible", .type = FORM_LINE, .required = true, .max_len = 40, .label = N_("Responsible"), .missing = N_("Choose who is responsible for the measure.") }, \
	{ .name = "start_date", .type = FORM_DATE, .label = N_("Start") }, \
	{ .name = "deadline", .type = FORM_DATE, .label = N_("Deadline") }, \
	{ .name = "evaluation_date", .type = FORM_DATE, .label = N_("Evaluation date") }, \
	{ .name = "status", .type = FORM_CHOICE, .required = true, .choices = measure_statuses, .label = N_("Status"), .missing = N_("Choose how the measure stands.") }
/* clang-format on */
static const struct form_field new_fields[] = {
	MEASURE_FIELDS,
	{ NULL },
};
static const struct form_field edit_fields[] = {
	MEASURE_FIELDS,
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};

/* "PERSON-UNIT" from the responsible select. */
static bool parse_responsible(const char *v, int64_t *person, int64_t *unit)
{
	char *end;
	long long p = strtoll(v, &end, 10);
	if (end == v || *end != '-' || p <= 0 || p > MAX_ID)
		return false;
	const char *u_s = end + 1;
	long long u = strtoll(u_s, &end, 10);
	if (end == u_s || *end != '\0' || u <= 0 || u > MAX_ID)
		return false;
	*person = p;
	*unit = u;
	return true;
}

/* What the field table cannot say: dates in order (a deadline or an
 * evaluation before the start is a mistake) and a responsible person from
 * the list. The measure as typed, when there is no mistake. */
static bool measure_of(struct form *f, struct measure_input *in)
{
	const struct form_value *start = form_get(f, "start_date");
	const char *later[] = { "deadline", "evaluation_date" };
	for (size_t i = 0; i < 2 && !start->error && *start->value; i++) {
		const struct form_value *v = form_get(f, later[i]);
		if (!v->error && *v->value && v->num < start->num)
			form_error(f, later[i], _("This date is before the start."));
	}
	*in = (struct measure_input){
		.description = form_get(f, "description")->value,
		.start_date = start->value,
		.deadline = form_get(f, "deadline")->value,
		.evaluation_date = form_get(f, "evaluation_date")->value,
		.status = form_get(f, "status")->value,
	};
	const struct form_value *resp = form_get(f, "responsible");
	if (!resp->error &&
	    !parse_responsible(resp->value, &in->responsible_person_id, &in->responsible_unit_id))
		form_error(f, "responsible", _("Choose a person from the list."));
	return f->nerrors == 0;
}

static int measure_page(struct req *r, int status, const struct form *edit)
{
	return resp_view(r, view_measure(r->session, &r->az, r->id[0], r->id[1], edit, NULL, r->data), status,
			 "measure");
}

/* After a write that was not refused for its responsible person: done goes
 * to the log page at the measure; a measure or goal not in this log is 404. */
static int settle(struct req *r, enum measure_outcome o, int64_t id)
{
	if (o == MEASURE_NOT_FOUND)
		return 404;
	return resp_saved(r, arena_printf("/logg/%lld#tiltak-%lld", (long long)r->id[0], (long long)id),
			  "tiltak");
}

static int add(struct req *r)
{
	struct measure_input in;
	if (measure_of(&r->in, &in)) {
		int64_t id = 0;
		enum measure_outcome o;
		int rc = measure_add(r->session, r->id[0], r->id[1], &in, &id, &o);
		struct notice_count told = { 0 };
		if (rc >= 0 && o == MEASURE_DONE)
			rc = notice_measure_given(r->session, r->id[0], id, in.responsible_person_id, &told);
		if (rc < 0)
			return rc;
		if (o != MEASURE_BAD_RESPONSIBLE)
			return settle(r, o, id);
		form_error(&r->in, "responsible", _("Choose a person from the list."));
	}
	return resp_view(r, view_goal(r->session, r->id[0], r->id[1], NULL, &r->in, r->data), 422,
			 "measure_goal");
}

static int show(struct req *r)
{
	return measure_page(r, 200, NULL);
}

static int edit(struct req *r)
{
	if (req_field(r, "version")->error)
		return 400; /* the version comes from our own page */
	struct measure_input in;
	if (!measure_of(&r->in, &in))
		return measure_page(r, 422, &r->in);
	/* Who was responsible before: someone newly made so is told (notice.h). */
	struct measure before = { 0 };
	int rc = measure_get(r->session->municipality_id, r->id[0], r->id[1], &before);
	if (rc < 0)
		return rc;
	enum measure_outcome o;
	rc = measure_edit(r->session, r->id[0], r->id[1], (int)req_field(r, "version")->num, &in, &o);
	struct notice_count told = { 0 };
	if (rc >= 0 && o == MEASURE_DONE && before.responsible_person_id != in.responsible_person_id)
		rc = notice_measure_given(r->session, r->id[0], r->id[1], in.responsible_person_id, &told);
	if (rc < 0)
		return rc;
	if (o == MEASURE_STALE) {
		tv_set_bool(r->data, "conflict", true);
		return measure_page(r, 409, &r->in);
	}
	if (o != MEASURE_BAD_RESPONSIBLE)
		return settle(r, o, r->id[1]);
	form_error(&r->in, "responsible", _("Choose a person from the list."));
	return measure_page(r, 422, &r->in);
}

static const struct route routes[] = {
	{ "POST", "/logg/#/mal/#/tiltak", add, .login = true, .need = AUTHZ_WRITE, .audit = "measure.add",
	  .fields = new_fields, .once = true },
	{ "GET", "/logg/#/tiltak/#", show, .login = true, .need = AUTHZ_READ, .audit = "log.measure" },
	{ "POST", "/logg/#/tiltak/#", edit, .login = true, .need = AUTHZ_WRITE, .audit = "measure.edit",
	  .fields = edit_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-measure", routes };
	return app_main(argc, argv, &prog);
}
