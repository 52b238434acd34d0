/* measure.c — goals, measures and evaluations of a log (DOMAIN.md §1, §5):
 *   GET  /logg/ID/mal                 a new goal (choose the concern)
 *   POST /logg/ID/mal                 add a goal under a concern
 *   GET  /logg/ID/mal/GID             a goal: edit its text, add a measure
 *   POST /logg/ID/mal/GID             save the goal's text (version: 409)
 *   POST /logg/ID/mal/GID/tiltak      add a measure under the goal
 *   GET  /logg/ID/tiltak/MID          a measure: evaluations, edit, evaluate
 *   POST /logg/ID/tiltak/MID          save the measure (version: 409)
 *   POST /logg/ID/tiltak/MID/evaluering  evaluate it
 * Goals and measures are the holder's (AUTHZ_WRITE); an evaluation is the
 * holder's or the responsible actor's (measure_require_evaluator). Templates:
 * measure_goal_new.html, measure_goal.html, measure.html. Tests:
 * tests/http/test_measure.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "concern.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "session.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */
#define MAX_VERSION 2147483647LL

/* Free-text limits are settings: set in limits() before any validation. */
static struct form_field new_goal_fields[] = {
	{ .name = "concern_id",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Concern") },
	{ .name = "text", .type = FORM_TEXT, .required = true, .label = N_("Goal") },
	{ NULL },
};
static struct form_field goal_fields[] = {
	{ .name = "text", .type = FORM_TEXT, .required = true, .label = N_("Goal") },
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = MAX_VERSION },
	{ NULL },
};
#define MEASURE_FIELDS                                                                                       \
	{ .name = "description", .type = FORM_TEXT, .required = true, .label = N_("Measure") },              \
		{ .name = "responsible",                                                                     \
		  .type = FORM_LINE,                                                                         \
		  .required = true,                                                                          \
		  .max_len = 40,                                                                             \
		  .label = N_("Responsible") },                                                              \
		{ .name = "start_date", .type = FORM_DATE, .label = N_("Start") },                           \
		{ .name = "deadline", .type = FORM_DATE, .label = N_("Deadline") },                          \
		{ .name = "evaluation_date", .type = FORM_DATE, .label = N_("Evaluation date") },            \
	{                                                                                                    \
		.name = "status", .type = FORM_CHOICE, .required = true, .choices = measure_statuses,        \
		.label = N_("Status")                                                                        \
	}
static struct form_field new_measure_fields[] = {
	MEASURE_FIELDS,
	{ NULL },
};
static struct form_field measure_fields[] = {
	MEASURE_FIELDS,
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = MAX_VERSION },
	{ NULL },
};
static struct form_field evaluation_fields[] = {
	{ .name = "category",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = measure_categories,
	  .label = N_("Evaluation") },
	{ .name = "text", .type = FORM_TEXT, .label = N_("Comment") },
	{ NULL },
};

static void limits(void)
{
	size_t text = (size_t)config_int("log.text_max"),
	       short_text = (size_t)config_int("log.short_text_max");
	new_goal_fields[1].max_len = text;
	goal_fields[0].max_len = text;
	new_measure_fields[0].max_len = text;
	measure_fields[0].max_len = text;
	evaluation_fields[1].max_len = short_text;
}

static void field_error(struct form *f, const char *name, const char *message)
{
	for (size_t i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].name, name) == 0 && !f->v[i].error) {
			f->v[i].error = message;
			f->nerrors++;
		}
	}
}

static struct tv *form_tv(const struct form *f)
{
	struct tv *o = tv_obj();
	form_to_tv(f, o);
	return o;
}

/* A stored value shown in a form field, as form_to_tv would. */
static void set_value(struct tv *form, const char *name, const char *value)
{
	struct tv *o = tv_obj();
	tv_set_str(o, "value", value ? value : "");
	tv_set(form, name, o);
}

/* The log's name for the heading and the link back; 0 or < 0 (404). */
static int set_log(struct req *r, int64_t log_id)
{
	struct logbook_summary s;
	int rc = logbook_summary(r->session->municipality_id, log_id, &s);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR;
	struct tv *log = tv_obj();
	tv_set_int(log, "id", s.id);
	tv_set_str(log, "name", arena_printf("%s %s", s.subject_given_name, s.subject_family_name));
	tv_set(r->data, "log", log);
	tv_set_int(r->data, "text_max", config_int("log.text_max"));
	tv_set_int(r->data, "short_text_max", config_int("log.short_text_max"));
	return 0;
}

static int finish(struct req *r, int status, const char *page, const char *title)
{
	int rc = db_commit();
	if (rc < 0)
		return rc;
	tv_set_str(r->data, "title", title);
	return resp_page(r, status, page);
}

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

/* The responsible person's options, the one chosen marked. */
static int set_people(struct req *r, int64_t log_id, const char *chosen)
{
	struct measure_person *p;
	int n = measure_people(r->session->municipality_id, log_id, &p);
	if (n < 0)
		return n;
	struct tv *in_log = tv_list(), *staff = tv_list();
	for (int i = 0; i < n; i++) {
		bool is_staff = strcmp(p[i].relation, "staff") == 0;
		struct tv *o = tv_push_obj(is_staff ? staff : in_log);
		const char *value =
			arena_printf("%lld-%lld", (long long)p[i].person_id, (long long)p[i].unit_id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "name", arena_printf("%s %s", p[i].given_name, p[i].family_name));
		tv_set_str(o, "unit", p[i].unit_name);
		tv_set_str(o, "relation", is_staff ? "" : logbook_role_label(p[i].relation));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, value) == 0);
	}
	tv_set(r->data, "people_log", in_log);
	tv_set(r->data, "people_staff", staff);
	return 0;
}

static void set_choices(struct req *r, const char *key, const char *const *codes,
			const char *(*label)(const char *), const char *chosen)
{
	struct tv *list = tv_list();
	for (size_t i = 0; codes[i]; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "value", codes[i]);
		tv_set_str(o, "label", label(codes[i]));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, codes[i]) == 0);
	}
	tv_set(r->data, key, list);
}

/* Dates in order: a deadline or an evaluation before the start is a mistake. */
static void check_dates(struct form *f)
{
	const struct form_value *start = form_get(f, "start_date");
	if (start->error || !*start->value)
		return;
	const char *later[] = { "deadline", "evaluation_date" };
	for (size_t i = 0; i < 2; i++) {
		const struct form_value *v = form_get(f, later[i]);
		if (!v->error && *v->value && v->num < start->num)
			field_error(f, later[i], _("This date is before the start."));
	}
}

static void measure_input_from(const struct form *f, int64_t person, int64_t unit, struct measure_input *in)
{
	*in = (struct measure_input){
		.description = form_get(f, "description")->value,
		.responsible_person_id = person,
		.responsible_unit_id = unit,
		.start_date = form_get(f, "start_date")->value,
		.deadline = form_get(f, "deadline")->value,
		.evaluation_date = form_get(f, "evaluation_date")->value,
		.status = form_get(f, "status")->value,
	};
}

/* --- goals ------------------------------------------------------------------ */

/* The new-goal page inside the open transaction; commits and renders. */
static int new_goal_page(struct req *r, int64_t log_id, int status, const struct form *f)
{
	struct tv *list;
	int rc = set_log(r, log_id);
	int n = rc < 0 ? rc
		       : concern_choices(r->session->municipality_id, log_id,
					 f ? form_get(f, "concern_id")->value : NULL, &list);
	if (n < 0) {
		db_rollback();
		return n;
	}
	tv_set(r->data, "concerns", list);
	if (f)
		tv_set(r->data, "form", form_tv(f));
	return finish(r, status, "measure_goal_new", _("New goal"));
}

static int show_new_goal(struct req *r, int64_t log_id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "log.goal", NULL)) != 0)
		return rc;
	return new_goal_page(r, log_id, 200, NULL);
}

/* After a write to a goal or a measure: a database error rolls back; a
 * thing that is not in this log answers 404 and a done write goes to the log
 * page at the item (both commit, keeping the audit row). 1: neither, show
 * the form again (o says why). */
static int settle(struct req *r, int rc, enum measure_outcome o, int64_t log_id, const char *anchor,
		  int64_t id)
{
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (o != MEASURE_NOT_FOUND && o != MEASURE_DONE)
		return 1;
	if ((rc = db_commit()) < 0)
		return rc;
	if (o == MEASURE_NOT_FOUND)
		return 404;
	return resp_redirect(r, arena_printf("/logg/%lld#%s-%lld", (long long)log_id, anchor, (long long)id));
}

static int add_goal(struct req *r, int64_t log_id)
{
	struct form f;
	int valid = form_validate(&f, new_goal_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "goal.add", NULL)) != 0)
		return rc;
	if (valid == FORM_OK) {
		int64_t id = 0;
		enum measure_outcome o;
		rc = measure_add_goal(r->session, log_id, form_get(&f, "concern_id")->num,
				      form_get(&f, "text")->value, &id, &o);
		if (rc < 0) {
			db_rollback();
			return rc;
		}
		if (o == MEASURE_DONE) {
			rc = db_commit();
			return rc < 0 ? rc
				      : resp_redirect(r,
						      arena_printf("/logg/%lld#mal-%lld", (long long)log_id,
								   (long long)id));
		}
		field_error(&f, "concern_id", _("Choose one of the log's concerns."));
	}
	return new_goal_page(r, log_id, 422, &f);
}

/* The goal page inside the open transaction: the goal's form (typed values
 * or the stored ones), the new measure's form, and on a conflict the goal as
 * it is now. Commits and renders. */
static int goal_page(struct req *r, int64_t log_id, int64_t goal_id, int status, const struct form *goal_form,
		     const struct form *measure_form)
{
	struct measure_goal g;
	int rc = measure_goal(r->session->municipality_id, log_id, goal_id, &g);
	if (rc <= 0 || (rc = set_log(r, log_id)) < 0 ||
	    (rc = set_people(r, log_id, measure_form ? form_get(measure_form, "responsible")->value : NULL)) <
		    0) {
		db_rollback();
		return rc == 0 ? 404 : rc;
	}
	struct tv *goal = tv_obj();
	tv_set_int(goal, "id", g.id);
	tv_set_str(goal, "text", g.text);
	tv_set_str(goal, "concern", g.concern_title);
	tv_set_int(goal, "version", g.version);
	tv_set(r->data, "goal", goal);
	struct tv *gf = goal_form ? form_tv(goal_form) : tv_obj();
	if (!goal_form)
		set_value(gf, "text", g.text);
	tv_set(r->data, "goal_form", gf);
	set_choices(r, "statuses", measure_statuses, measure_status_label,
		    measure_form ? form_get(measure_form, "status")->value : "planned");
	if (measure_form)
		tv_set(r->data, "form", form_tv(measure_form));
	return finish(r, status, "measure_goal", _("Goal"));
}

static int show_goal(struct req *r, int64_t log_id, int64_t goal_id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "log.goal", NULL)) != 0)
		return rc;
	return goal_page(r, log_id, goal_id, 200, NULL, NULL);
}

static int edit_goal(struct req *r, int64_t log_id, int64_t goal_id)
{
	struct form f;
	int valid = form_validate(&f, goal_fields, &r->form);
	if (valid == FORM_BAD_REQUEST || form_get(&f, "version")->error)
		return 400; /* the version comes from our own page */
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "goal.edit", NULL)) != 0)
		return rc;
	if (valid != FORM_OK)
		return goal_page(r, log_id, goal_id, 422, &f, NULL);
	enum measure_outcome o;
	rc = measure_edit_goal(r->session, log_id, goal_id, (int)form_get(&f, "version")->num,
			       form_get(&f, "text")->value, &o);
	if ((rc = settle(r, rc, o, log_id, "mal", goal_id)) != 1)
		return rc;
	tv_set_bool(r->data, "conflict", true);
	return goal_page(r, log_id, goal_id, 409, &f, NULL);
}

/* --- measures ----------------------------------------------------------------- */

static int add_measure(struct req *r, int64_t log_id, int64_t goal_id)
{
	struct form f;
	int valid = form_validate(&f, new_measure_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	check_dates(&f);
	int64_t person = 0, unit = 0;
	const struct form_value *resp = form_get(&f, "responsible");
	if (!resp->error && !parse_responsible(resp->value, &person, &unit))
		field_error(&f, "responsible", _("Choose a person from the list."));
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "measure.add", NULL)) != 0)
		return rc;
	if (f.nerrors == 0) {
		struct measure_input in;
		measure_input_from(&f, person, unit, &in);
		int64_t id = 0;
		enum measure_outcome o;
		rc = measure_add(r->session, log_id, goal_id, &in, &id, &o);
		if ((rc = settle(r, rc, o, log_id, "tiltak", id)) != 1)
			return rc;
		field_error(&f, "responsible", _("Choose a person from the list."));
	}
	return goal_page(r, log_id, goal_id, 422, NULL, &f);
}

/* The measure page inside the open transaction: details, evaluations, the
 * edit form for the holder (typed values or stored ones; on a conflict the
 * measure as it is now beside them) and the evaluation form for whoever may
 * evaluate. Commits and renders. */
static int measure_page(struct req *r, int64_t log_id, int64_t measure_id, int status,
			const struct form *edit, const struct form *eval)
{
	const struct session *s = r->session;
	struct measure m;
	struct measure_evaluation *ev;
	struct authz write;
	int n = 0, may_eval = 0;
	int rc = measure_get(s->municipality_id, log_id, measure_id, &m);
	if (rc <= 0 || (rc = set_log(r, log_id)) < 0 ||
	    (rc = n = measure_evaluations(s->municipality_id, log_id, measure_id, &ev)) < 0 ||
	    (rc = authz_check(s, log_id, AUTHZ_WRITE, &write)) < 0 ||
	    (rc = may_eval = measure_may_evaluate(s, log_id, &m)) < 0)
		goto fail;
	const char *current = m.responsible_unit_id
		? arena_printf("%lld-%lld", (long long)m.responsible_person_id,
			       (long long)m.responsible_unit_id)
		: NULL;
	if (write.allow &&
	    (rc = set_people(r, log_id, edit ? form_get(edit, "responsible")->value : current)) < 0)
		goto fail;
	struct tv *mo = tv_obj();
	tv_set_int(mo, "id", m.id);
	tv_set_int(mo, "goal_id", m.goal_id);
	tv_set_str(mo, "goal", m.goal_text);
	tv_set_str(mo, "description", m.description);
	tv_set_str(mo, "responsible",
		   arena_printf("%s %s", m.responsible_given_name, m.responsible_family_name));
	tv_set_str(mo, "responsible_unit", m.responsible_unit ? m.responsible_unit : "");
	tv_set_str(mo, "start_date", m.start_date ? m.start_date : "");
	tv_set_str(mo, "deadline", m.deadline ? m.deadline : "");
	tv_set_str(mo, "evaluation_date", m.evaluation_date ? m.evaluation_date : "");
	tv_set_str(mo, "status", measure_status_label(m.status));
	tv_set_int(mo, "version", m.version);
	tv_set(r->data, "measure", mo);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "category", measure_category_label(ev[i].category));
		tv_set_str(o, "text", ev[i].text ? ev[i].text : "");
		tv_set_str(o, "at", ev[i].at);
		tv_set_str(o, "by", arena_printf("%s %s", ev[i].given_name, ev[i].family_name));
	}
	tv_set(r->data, "evaluations", list);
	tv_set_bool(r->data, "may_edit", write.allow);
	tv_set_bool(r->data, "may_evaluate", may_eval == 1);
	struct tv *form = edit ? form_tv(edit) : tv_obj();
	if (!edit) {
		set_value(form, "description", m.description);
		set_value(form, "start_date", m.start_date);
		set_value(form, "deadline", m.deadline);
		set_value(form, "evaluation_date", m.evaluation_date);
	}
	tv_set(r->data, "form", form);
	tv_set_bool(r->data, "edit_failed", edit && edit->nerrors > 0);
	set_choices(r, "statuses", measure_statuses, measure_status_label,
		    edit ? form_get(edit, "status")->value : m.status);
	set_choices(r, "categories", measure_categories, measure_category_label,
		    eval ? form_get(eval, "category")->value : NULL);
	if (eval)
		tv_set(r->data, "eval_form", form_tv(eval));
	return finish(r, status, "measure", _("Measure"));
fail:
	db_rollback();
	return rc == 0 ? 404 : rc;
}

static int show_measure(struct req *r, int64_t log_id, int64_t measure_id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_READ, "log.measure", NULL)) != 0)
		return rc;
	return measure_page(r, log_id, measure_id, 200, NULL, NULL);
}

static int edit_measure(struct req *r, int64_t log_id, int64_t measure_id)
{
	struct form f;
	int valid = form_validate(&f, measure_fields, &r->form);
	if (valid == FORM_BAD_REQUEST || form_get(&f, "version")->error)
		return 400;
	check_dates(&f);
	int64_t person = 0, unit = 0;
	const struct form_value *resp = form_get(&f, "responsible");
	if (!resp->error && !parse_responsible(resp->value, &person, &unit))
		field_error(&f, "responsible", _("Choose a person from the list."));
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, log_id, AUTHZ_WRITE, "measure.edit", NULL)) != 0)
		return rc;
	if (f.nerrors == 0) {
		struct measure_input in;
		measure_input_from(&f, person, unit, &in);
		enum measure_outcome o;
		rc = measure_edit(r->session, log_id, measure_id, (int)form_get(&f, "version")->num, &in, &o);
		if ((rc = settle(r, rc, o, log_id, "tiltak", measure_id)) != 1)
			return rc;
		if (o == MEASURE_STALE) {
			tv_set_bool(r->data, "conflict", true);
			return measure_page(r, log_id, measure_id, 409, &f, NULL);
		}
		field_error(&f, "responsible", _("Choose a person from the list."));
	}
	return measure_page(r, log_id, measure_id, 422, &f, NULL);
}

static int evaluate(struct req *r, int64_t log_id, int64_t measure_id)
{
	struct form f;
	int valid = form_validate(&f, evaluation_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = measure_require_evaluator(r, log_id, measure_id, "measure.evaluate", NULL)) != 0)
		return rc;
	if (valid != FORM_OK)
		return measure_page(r, log_id, measure_id, 422, NULL, &f);
	enum measure_outcome o;
	rc = measure_evaluate(r->session, log_id, measure_id, form_get(&f, "category")->value,
			      form_get(&f, "text")->value, &o);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	rc = db_commit();
	if (rc < 0)
		return rc;
	return o == MEASURE_DONE
		? resp_redirect(
			  r, arena_printf("/logg/%lld#tiltak-%lld", (long long)log_id, (long long)measure_id))
		: 404;
}

/* --- routes ------------------------------------------------------------------- */

static int route(struct req *r)
{
	bool get = strcmp(r->method, "POST") != 0;
	if (get && !r->session)
		return resp_redirect(r, "/");
	limits();
	const char *rest;
	int64_t log_id = app_path_id(r->path, "/logg/", &rest);
	if (log_id == 0)
		return 404;
	if (strcmp(rest, "/mal") == 0)
		return get ? show_new_goal(r, log_id) : add_goal(r, log_id);
	int64_t id;
	const char *tail;
	if ((id = app_path_id(rest, "/mal/", &tail)) != 0) {
		if (*tail == '\0')
			return get ? show_goal(r, log_id, id) : edit_goal(r, log_id, id);
		if (strcmp(tail, "/tiltak") == 0 && !get)
			return add_measure(r, log_id, id);
		return 404;
	}
	if ((id = app_path_id(rest, "/tiltak/", &tail)) != 0) {
		if (*tail == '\0')
			return get ? show_measure(r, log_id, id) : edit_measure(r, log_id, id);
		if (strcmp(tail, "/evaluering") == 0 && !get)
			return evaluate(r, log_id, id);
	}
	return 404;
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ "POST", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-measure", routes, 0 };
	return app_main(argc, argv, &prog);
}
