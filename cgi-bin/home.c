/* home.c — "my page" after login (my logs): who I am; the logs I hold, am
 * responsible for a measure in, am a guardian, subject or actor of, each
 * with its next deadline, the evaluations due and the consent's end, listed
 * only if authz says I may read it (and each listing audited); the measures
 * I am responsible for; and the units I lead and the administration, each
 * linked only if authz allows it. The figures come from one statement
 * (measure_overview in lib/measure.c), then one authz_check_many for them all.
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

/* Adds one log to the list if the person may read it; the listing is a read
 * of the subject's name, so it is audited like one: its row goes into *e
 * (appended with the others at once). *listed: it was. */
static void add_log(struct req *r, struct tv *list, const struct measure_overview *l, struct authz az,
		    struct audit_entry *e, bool *listed)
{
	*listed = false;
	if (!az.allow)
		return;
	*e = (struct audit_entry){
		.municipality_id = r->session->municipality_id,
		.person_id = r->session->person_id,
		.role = authz_role_name(az.role),
		.log_id = l->id,
		.action = "log.list",
		.outcome = "allow",
	};
	*listed = true;
	struct tv *o = tv_push_obj(list);
	tv_set_int(o, "id", l->id);
	tv_set_str(o, "given_name", l->given_name);
	tv_set_str(o, "family_name", l->family_name);
	tv_set_str(o, "unit", l->unit_name);
	tv_set_str(o, "state", logbook_state_label(l->state));
	tv_set_str(o, "role", logbook_role_label(authz_role_name(az.role)));
	tv_set_str(o, "next_deadline", l->next_deadline ? l->next_deadline : "");
	tv_set_bool(o, "deadline_passed", l->deadline_passed);
	tv_set_int(o, "evaluations_due", l->evaluations_due);
	tv_set_int(o, "mine", l->mine);
	tv_set_str(o, "consent_until", l->consent_until ? l->consent_until : "");
	tv_set_bool(o, "consent_expiring", l->consent_expiring);
}

static bool in(const int64_t *ids, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* My logs, my open measures in the logs listed, and the holder's consent
 * warnings for the logs listed (consent_expiring in lib/consent.c). */
static int add_logs(struct req *r)
{
	const struct session *s = r->session;
	struct measure_overview *logs;
	struct measure_mine *mine;
	struct consent_expiry *exp;
	int n = measure_overview(s, MY_LOGS_LIMIT, &logs);
	if (n < 0)
		return n;
	int64_t *listed = arena_alloc(sizeof *listed * (size_t)(n > 0 ? n : 1));
	struct audit_entry *rows = arena_alloc(sizeof *rows * (size_t)(n > 0 ? n : 1));
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(n > 0 ? n : 1));
	struct authz *az = arena_alloc(sizeof *az * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		ids[i] = logs[i].id;
	int nlisted = 0, rc = authz_check_many(s, ids, n, AUTHZ_READ, az);
	if (rc < 0)
		return rc;
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		bool ok;
		add_log(r, list, &logs[i], az[i], &rows[nlisted], &ok);
		if (ok)
			listed[nlisted++] = logs[i].id;
	}
	if ((rc = audit_append_many(rows, (size_t)nlisted)) < 0)
		return rc;
	int nm = measure_mine(s, MY_MEASURES_LIMIT, &mine);
	if (nm < 0)
		return nm;
	struct tv *ml = tv_list();
	for (int i = 0; i < nm; i++) {
		if (!in(listed, nlisted, mine[i].log_id))
			continue;
		struct tv *o = tv_push_obj(ml);
		tv_set_int(o, "id", mine[i].id);
		tv_set_int(o, "log_id", mine[i].log_id);
		tv_set_str(o, "description", mine[i].description);
		tv_set_str(o, "deadline", mine[i].deadline ? mine[i].deadline : "");
		tv_set_str(o, "evaluation_date", mine[i].evaluation_date ? mine[i].evaluation_date : "");
		tv_set_str(o, "status", measure_status_label(mine[i].status));
		tv_set_bool(o, "evaluation_due", mine[i].evaluation_due);
		for (int j = 0; j < n; j++)
			if (logs[j].id == mine[i].log_id)
				tv_set_str(o, "log_name",
					   arena_printf("%s %s", logs[j].given_name, logs[j].family_name));
	}
	int ne = consent_expiring(s, (int)config_int("consent.warn_days"), &exp);
	if (ne < 0)
		return ne;
	struct tv *el = tv_list();
	for (int i = 0; i < ne; i++) {
		if (!in(listed, nlisted, exp[i].log_id))
			continue;
		struct tv *o = tv_push_obj(el);
		tv_set_int(o, "log_id", exp[i].log_id);
		tv_set_str(o, "name", arena_printf("%s %s", exp[i].given_name, exp[i].family_name));
		tv_set_str(o, "consent_until", exp[i].consent_until);
		tv_set_bool(o, "expired", exp[i].days_left < 0);
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
