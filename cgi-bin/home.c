/* home.c — "my page" after login: who I am, the logs I may open, each
 * listed only if authz says I may read it (and each listing audited), and the
 * units I lead and the administration, each linked only if authz allows it.
 * Template: templates/home.html. Tests: tests/http/test_login.py, test_staff.py. */
#include "app.h"
#include "audit.h"
#include "authz.h"
#include "db.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "staff.h"

/* Adds one log to the list if the person may read it; the listing is a read
 * of the subject's name, so it is audited like one. */
static int add_log(struct req *r, struct tv *list, int64_t id)
{
	struct authz az;
	int rc = authz_check(r->session, id, AUTHZ_READ, &az);
	if (rc < 0 || !az.allow)
		return rc;
	struct logbook_summary s;
	rc = logbook_summary(r->session->municipality_id, id, &s);
	if (rc <= 0)
		return rc;
	struct audit_entry e = {
		.municipality_id = r->session->municipality_id,
		.person_id = r->session->person_id,
		.role = authz_role_name(az.role),
		.log_id = id,
		.action = "log.list",
		.outcome = "allow",
	};
	rc = audit_append(&e);
	if (rc < 0)
		return rc;
	struct tv *o = tv_push_obj(list);
	tv_set_int(o, "id", s.id);
	tv_set_str(o, "given_name", s.subject_given_name);
	tv_set_str(o, "family_name", s.subject_family_name);
	tv_set_str(o, "unit", s.unit_name);
	tv_set_str(o, "state", s.state);
	tv_set_str(o, "role", logbook_role_label(authz_role_name(az.role)));
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
	return 0;
}

static int show(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	int rc = db_begin();
	if (rc < 0)
		return rc;
	int64_t *ids;
	int n = logbook_related(r->session, &ids);
	struct tv *list = tv_list();
	for (int i = 0; i < n && rc >= 0; i++)
		rc = add_log(r, list, ids[i]);
	if (n >= 0 && rc >= 0)
		rc = add_work(r);
	if (n < 0 || rc < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return n < 0 ? n : rc;
	}
	tv_set(r->data, "logs", list);
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
