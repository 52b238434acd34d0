/* home.c — "my page" after login (my logs): who I am; the logs I hold, am
 * responsible for a measure in, am a guardian, subject or actor of, each
 * with its next deadline, the evaluations due and the consent's end, listed
 * only if authz says I may read it (and each listing audited); the measures
 * I am responsible for; and the units I lead and the administration, each
 * linked only if authz allows it. authz_related decides the list in one
 * statement; logbook_items and measure_figures fill it in one each.
 * Template: templates/home.html. Tests: tests/http/test_my_logs.py,
 * test_login.py, test_staff.py. */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "session.h"
#include "staff.h"

#define MY_LOGS_LIMIT 500
#define MY_MEASURES_LIMIT 200

/* One log on the list; the listing is a read of the subject's name, so it
 * is audited: *item records it and the relation it was read under. */
static void add_log(struct tv *list, const struct logbook_item *l, const struct authz *az,
		    const struct measure_figures *f, int warn_days, struct audit_item *item)
{
	*item = (struct audit_item){ l->id, authz_role_name(az->role) };
	struct tv *o = tv_push_obj(list);
	tv_set_int(o, "id", l->id);
	tv_set_str(o, "given_name", l->given_name);
	tv_set_str(o, "family_name", l->family_name);
	tv_set_str(o, "unit", l->unit_name);
	tv_set_str(o, "state", logbook_state_label(l->state));
	tv_set_str(o, "role", logbook_role_label(authz_role_name(az->role)));
	tv_set_str(o, "next_deadline", f->next_deadline ? f->next_deadline : "");
	tv_set_bool(o, "deadline_passed", f->deadline_passed);
	tv_set_int(o, "evaluations_due", f->evaluations_due);
	tv_set_int(o, "mine", f->mine);
	tv_set_str(o, "consent_until", l->consent_until ? l->consent_until : "");
	tv_set_bool(o, "consent_expiring",
		    consent_renew_soon(l->consent_until, l->consent_days_left, warn_days));
}

static const char *name_of(const struct logbook_item *logs, int n, int64_t id)
{
	for (int j = 0; j < n; j++)
		if (logs[j].id == id)
			return arena_printf("%s %s", logs[j].given_name, logs[j].family_name);
	return NULL;
}

/* My logs: those authz lets me read among the logs I am related to (one
 * statement), their lines (one), the figures of their open measures and my
 * own measures in them (one), and the holder's consent warnings among them. */
static int add_logs(struct req *r)
{
	const struct session *s = r->session;
	struct authz_entry *rel;
	int nrel = authz_related(s, AUTHZ_READ, MY_LOGS_LIMIT, &rel);
	if (nrel < 0)
		return nrel;
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(nrel > 0 ? nrel : 1));
	int nids = 0;
	for (int i = 0; i < nrel; i++)
		if (rel[i].az.allow)
			ids[nids++] = rel[i].log_id;
	struct logbook_item *logs;
	struct measure_mine *mine;
	int n = logbook_items(s->municipality_id, ids, nids, &logs);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		ids[i] = logs[i].id; /* the same logs, unless one went away meanwhile */
	struct measure_figures *fig = arena_alloc(sizeof *fig * (size_t)(n > 0 ? n : 1));
	int nm = measure_figures(s, ids, n, fig, MY_MEASURES_LIMIT, &mine);
	if (nm < 0)
		return nm;
	/* Each line, and the holder's consent warnings among them, soonest first. */
	int warn_days = (int)config_int("consent.warn_days");
	struct audit_item *items = arena_alloc(sizeof *items * (size_t)(n > 0 ? n : 1));
	int *warn = arena_alloc(sizeof *warn * (size_t)(n > 0 ? n : 1)), nwarn = 0;
	struct tv *list = tv_list();
	for (int i = 0, k = 0; i < n; i++) {
		const struct logbook_item *l = &logs[i];
		while (rel[k].log_id != l->id)
			k++;
		add_log(list, l, &rel[k].az, &fig[i], warn_days, &items[i]);
		if (rel[k].az.role != AUTHZ_HOLDER ||
		    !consent_warn_holder(l->state, l->withdrawn, l->consent_until, l->consent_days_left,
					 warn_days))
			continue;
		int j = nwarn++;
		for (; j > 0 && logs[warn[j - 1]].consent_days_left > l->consent_days_left; j--)
			warn[j] = warn[j - 1];
		warn[j] = i;
	}
	/* The list is one read of every log on it: one audit row, an item each. */
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person", /* each item says in which relation */
		.action = "log.list",
		.outcome = "allow",
		.items = items,
		.nitems = (size_t)n,
	};
	int rc = n > 0 ? audit_append(&e) : 0;
	if (rc < 0)
		return rc;
	struct tv *ml = tv_list();
	for (int i = 0; i < nm; i++) {
		struct tv *o = tv_push_obj(ml);
		tv_set_int(o, "id", mine[i].id);
		tv_set_int(o, "log_id", mine[i].log_id);
		tv_set_str(o, "description", mine[i].description);
		tv_set_str(o, "deadline", mine[i].deadline ? mine[i].deadline : "");
		tv_set_str(o, "evaluation_date", mine[i].evaluation_date ? mine[i].evaluation_date : "");
		tv_set_str(o, "status", measure_status_label(mine[i].status));
		tv_set_bool(o, "evaluation_due", mine[i].evaluation_due);
		tv_set_str(o, "log_name", name_of(logs, n, mine[i].log_id));
	}
	struct tv *el = tv_list();
	for (int j = 0; j < nwarn; j++) {
		const struct logbook_item *l = &logs[warn[j]];
		struct tv *o = tv_push_obj(el);
		tv_set_int(o, "log_id", l->id);
		tv_set_str(o, "name", arena_printf("%s %s", l->given_name, l->family_name));
		tv_set_str(o, "consent_until", l->consent_until);
		tv_set_bool(o, "expired", l->consent_days_left < 0);
	}
	tv_set(r->data, "logs", list);
	tv_set(r->data, "my_measures", ml);
	tv_set(r->data, "consent_warnings", el);
	tv_set_int(r->data, "due_days", MEASURE_DUE_DAYS);
	return 0;
}

/* The link to create a log, if authz lets the person create one in any unit. */
static int add_create(struct req *r)
{
	const struct session *s = r->session;
	struct staff_unit *units;
	int rc = 0, n = staff_units_of(s->municipality_id, s->person_id, "staff", &units);
	for (int i = 0; i < n && rc == 0; i++)
		rc = authz_can_create_log(s, units[i].id);
	if (n < 0 || rc < 0)
		return n < 0 ? n : rc;
	tv_set_bool(r->data, "may_create_log", rc == 1);
	return 0;
}

/* Links to the units the person leads and to the administrator's page. Names
 * of units are not personal data: asked of authz, not audited. */
static int add_work(struct req *r)
{
	const struct session *s = r->session;
	struct staff_unit *units;
	struct authz az;
	int rc = 0, n = staff_units_of(s->municipality_id, s->person_id, "leader", &units);
	struct tv *list = tv_list();
	for (int i = 0; i < n && rc == 0; i++) {
		rc = authz_unit_check(s, units[i].id, AUTHZ_UNIT_FLOW, &az);
		if (rc == 0 && az.allow) {
			struct tv *o = tv_push_obj(list);
			tv_set_int(o, "id", units[i].id);
			tv_set_str(o, "name", units[i].name);
		}
	}
	if (n < 0 || rc < 0 || (rc = authz_unit_check(s, 0, AUTHZ_MUNI_ADMIN, &az)) < 0)
		return n < 0 ? n : rc;
	tv_set(r->data, "units", list);
	tv_set_bool(r->data, "admin", az.allow);
	return add_create(r);
}

static int show(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	int rc = db_begin();
	if (rc < 0)
		return rc;
	if ((rc = add_logs(r)) < 0 || (rc = add_work(r)) < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	tv_set_str(r->data, "title", _("My page"));
	return resp_page(r, 200, "home");
}

static const struct route routes[] = {
	{ "GET", "/min-side", show },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-home", routes, 0 };
	return app_main(argc, argv, &prog);
}
