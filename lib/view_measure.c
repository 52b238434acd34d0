/* view_measure.c — the goal and measure pages of view_measure.h. */
#include "view_measure.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "concern.h"
#include "config.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "session.h"
#include "view.h"

/* The heading's log and the free-text limits every one of these pages has. */
static int heading(const struct session *s, int64_t log_id, struct tv *data)
{
	struct logbook_summary sum;
	int rc = logbook_summary(s->municipality_id, log_id, &sum);
	if (rc <= 0)
		return rc;
	view_log_heading(data, &sum);
	tv_set_int(data, "text_max", config_int("log.text_max"));
	tv_set_int(data, "short_text_max", config_int("log.short_text_max"));
	return 1;
}

/* The responsible person's options ("PERSON-UNIT"), the one chosen marked:
 * the people of the log, then the staff of the municipality's units. */
static int people(const struct session *s, int64_t log_id, const char *chosen, struct tv *data)
{
	struct measure_person *p;
	int n = measure_people(s->municipality_id, log_id, &p);
	if (n < 0)
		return n;
	struct tv *in_log = tv_list(), *staff = tv_list();
	for (int i = 0; i < n; i++) {
		bool is_staff = strcmp(p[i].relation, "staff") == 0;
		struct tv *o = tv_push_obj(is_staff ? staff : in_log);
		const char *value =
			arena_printf("%lld-%lld", (long long)p[i].person_id, (long long)p[i].unit_id);
		tv_set_str(o, "value", value);
		tv_set_str(o, "name", view_name(p[i].given_name, p[i].family_name));
		tv_set_str(o, "unit", p[i].unit_name);
		tv_set_str(o, "relation", is_staff ? "" : logbook_role_label(p[i].relation));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, value) == 0);
	}
	tv_set(data, "people_log", in_log);
	tv_set(data, "people_staff", staff);
	return 0;
}

int view_new_goal(const struct session *s, int64_t log_id, const struct form *f, struct tv *data)
{
	struct concern *c;
	int n, rc = heading(s, log_id, data);
	if (rc <= 0)
		return rc;
	if ((n = concern_list(s->municipality_id, log_id, &c)) < 0)
		return n;
	tv_set(data, "concerns", view_concern_choices(c, n, f ? form_get(f, "concern_id")->value : NULL));
	if (f)
		tv_set(data, "form", view_form(f));
	tv_set_str(data, "title", _("New goal"));
	return 1;
}

int view_goal(const struct session *s, int64_t log_id, int64_t goal_id, const struct form *goal_form,
	      const struct form *measure_form, struct tv *data)
{
	struct measure_goal g;
	int rc = measure_goal(s->municipality_id, log_id, goal_id, &g);
	if (rc <= 0 || (rc = heading(s, log_id, data)) <= 0 ||
	    (rc = people(s, log_id, measure_form ? form_get(measure_form, "responsible")->value : NULL,
			 data)) < 0)
		return rc;
	struct tv *goal = tv_obj();
	tv_set_int(goal, "id", g.id);
	tv_set_str(goal, "text", g.text);
	tv_set_str(goal, "concern", g.concern_title);
	tv_set_int(goal, "version", g.version);
	tv_set(data, "goal", goal);
	struct tv *gf = goal_form ? view_form(goal_form) : tv_obj();
	if (!goal_form)
		view_value(gf, "text", g.text);
	tv_set(data, "goal_form", gf);
	tv_set(data, "statuses",
	       view_choices(measure_statuses, measure_status_label,
			    measure_form ? form_get(measure_form, "status")->value : "planned"));
	if (measure_form)
		tv_set(data, "form", view_form(measure_form));
	tv_set_str(data, "title", _("Goal"));
	return 1;
}

static struct tv *evaluations(const struct session *s, int64_t log_id, int64_t measure_id, int *rc)
{
	struct measure_evaluation *ev;
	int n = measure_evaluations(s->municipality_id, log_id, measure_id, &ev);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "category", measure_category_label(ev[i].category));
		tv_set_str(o, "text", ev[i].text ? ev[i].text : "");
		tv_set_str(o, "at", ev[i].at);
		tv_set_str(o, "by", view_name(ev[i].given_name, ev[i].family_name));
	}
	*rc = n < 0 ? n : 0;
	return list;
}

struct tv *view_measure_item(const struct measure *m)
{
	struct tv *mo = tv_obj();
	tv_set_int(mo, "id", m->id);
	tv_set_str(mo, "description", m->description);
	tv_set_str(mo, "responsible", view_name(m->responsible_given_name, m->responsible_family_name));
	tv_set_str(mo, "responsible_unit", m->responsible_unit ? m->responsible_unit : "");
	tv_set_str(mo, "start_date", m->start_date ? m->start_date : "");
	tv_set_str(mo, "deadline", m->deadline ? m->deadline : "");
	tv_set_str(mo, "evaluation_date", m->evaluation_date ? m->evaluation_date : "");
	tv_set_str(mo, "status", measure_status_label(m->status));
	tv_set_str(mo, "status_code", m->status);
	tv_set_str(mo, "status_plain", measure_status_plain(m->status));
	return mo;
}

int view_measure(const struct session *s, const struct authz *az, int64_t log_id, int64_t measure_id,
		 const struct form *edit, const struct form *eval, struct tv *data)
{
	struct measure m;
	int rc = measure_get(s->municipality_id, log_id, measure_id, &m);
	if (rc <= 0 || (rc = heading(s, log_id, data)) <= 0)
		return rc;
	struct tv *list = evaluations(s, log_id, measure_id, &rc);
	if (rc < 0)
		return rc;
	bool write = az->may[AUTHZ_WRITE];
	const char *current = m.responsible_unit_id
		? arena_printf("%lld-%lld", (long long)m.responsible_person_id,
			       (long long)m.responsible_unit_id)
		: NULL;
	if (write &&
	    (rc = people(s, log_id, edit ? form_get(edit, "responsible")->value : current, data)) < 0)
		return rc;
	struct tv *mo = view_measure_item(&m);
	tv_set_int(mo, "goal_id", m.goal_id);
	tv_set_str(mo, "goal", m.goal_text);
	tv_set_int(mo, "version", m.version);
	tv_set(data, "measure", mo);
	tv_set(data, "evaluations", list);
	tv_set_bool(data, "may_edit", write);
	tv_set_bool(data, "may_evaluate", authz_may_evaluate(az, measure_responsible(&m, s->person_id)));
	struct tv *form = edit ? view_form(edit) : tv_obj();
	if (!edit) {
		view_value(form, "description", m.description);
		view_value(form, "start_date", m.start_date);
		view_value(form, "deadline", m.deadline);
		view_value(form, "evaluation_date", m.evaluation_date);
	}
	tv_set(data, "form", form);
	tv_set_bool(data, "edit_failed", edit && edit->nerrors > 0);
	tv_set(data, "statuses",
	       view_choices(measure_statuses, measure_status_label,
			    edit ? form_get(edit, "status")->value : m.status));
	tv_set(data, "categories",
	       view_choices(measure_categories, measure_category_label,
			    eval ? form_get(eval, "category")->value : NULL));
	if (eval) {
		tv_set(data, "eval_form", view_form(eval));
		/* The summary's link for the evaluation goes to its first choice. */
		struct tv *anchors = tv_obj();
		tv_set_str(anchors, "category", arena_printf("category-%s", measure_categories[0]));
		tv_set(data, "error_anchor", anchors);
	}
	tv_set_str(data, "title", _("Measure"));
	return 1;
}
