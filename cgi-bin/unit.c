/* unit.c — a unit's page for its leader (DOMAIN.md §2, §8): GET /enhet/ID
 * shows the flow of the unit's logs (numbers, states, dates; never a name or
 * a content) and its staff; POST /enhet/ID/ansatt registers a staff member,
 * POST /enhet/ID/klarering clears one to create logs or withdraws it. Each
 * request asks authz_unit_require first, which audits it.
 * Template: templates/unit.html. Tests: tests/http/test_staff.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "staff.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */
#define FLOW_LIMIT 1000

static const struct form_field register_fields[] = {
	STAFF_PERSON_FIELDS,
	{ NULL },
};

static const char *const set_choices[] = { "clear", "unclear", NULL };
static const struct form_field clearance_fields[] = {
	{ .name = "staff_role", .type = FORM_INT, .required = true, .min = 1, .max = MAX_ID },
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "set", .type = FORM_CHOICE, .required = true, .choices = set_choices },
	{ NULL },
};

static void set_flow(struct req *r, const struct staff_flow *f, const struct staff_flow_log *logs, int n)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "draft", f->draft);
	tv_set_int(o, "active", f->active);
	tv_set_int(o, "passive", f->passive);
	tv_set_int(o, "closed", f->closed);
	tv_set_int(o, "total", f->draft + f->active + f->passive + f->closed);
	tv_set(r->data, "flow", o);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *l = tv_push_obj(list);
		tv_set_int(l, "id", logs[i].id);
		tv_set_str(l, "state", logbook_state_label(logs[i].state));
		tv_set_str(l, "created_at", logs[i].created_at);
		tv_set_str(l, "updated_at", logs[i].updated_at);
	}
	tv_set(r->data, "flow_logs", list);
}

static void set_staff(struct req *r, const struct staff_member *m, int n)
{
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "role_id", m[i].role_id);
		tv_set_int(o, "version", m[i].version);
		tv_set_str(o, "name", arena_printf("%s %s", m[i].given_name, m[i].family_name));
		tv_set_str(o, "title", m[i].title ? m[i].title : "");
		tv_set_str(o, "role",
			   strcmp(m[i].role, "leader") == 0 ? logbook_role_label("leader")
							    : _("Staff member"));
		tv_set_bool(o, "is_staff", strcmp(m[i].role, "staff") == 0);
		tv_set_bool(o, "cleared", m[i].cleared);
		tv_set_bool(o, "never_logged_in", m[i].never_logged_in);
	}
	tv_set(r->data, "staff", list);
}

/* Reads the page inside the open transaction (authz has allowed the flow;
 * the staff are shown if it allows them too), commits, renders with status. */
static int page(struct req *r, int64_t id, int status)
{
	const struct session *s = r->session;
	struct staff_unit u;
	struct staff_flow flow;
	struct staff_flow_log *logs = NULL;
	struct staff_member *staff = NULL;
	struct authz may_staff;
	int nlogs = 0, nstaff = 0;
	int rc = staff_unit(s->municipality_id, id, &u);
	if (rc <= 0)
		goto fail;
	if ((rc = staff_flow_counts(s->municipality_id, id, &flow)) < 0 ||
	    (rc = nlogs = staff_flow_logs(s->municipality_id, id, FLOW_LIMIT, &logs)) < 0 ||
	    (rc = authz_unit_check(s, id, AUTHZ_UNIT_STAFF, &may_staff)) < 0)
		goto fail;
	if (may_staff.allow && (rc = nstaff = staff_of_unit(s->municipality_id, id, &staff)) < 0)
		goto fail;
	if ((rc = db_commit()) < 0)
		return rc;
	struct tv *unit = tv_obj();
	tv_set_int(unit, "id", u.id);
	tv_set_str(unit, "name", u.name);
	tv_set_str(unit, "kind", staff_kind_label(u.kind));
	tv_set(r->data, "unit", unit);
	set_flow(r, &flow, logs, nlogs);
	tv_set_bool(r->data, "may_staff", may_staff.allow);
	set_staff(r, staff, nstaff);
	tv_set_str(r->data, "title", u.name);
	return resp_page(r, status, "unit");
fail:
	db_rollback();
	return rc == 0 ? 404 : rc;
}

static int show(struct req *r, int64_t id)
{
	int rc = db_begin();
	if (rc < 0 || (rc = authz_unit_require(r, id, AUTHZ_UNIT_FLOW, "unit.read", NULL)) != 0)
		return rc;
	return page(r, id, 200);
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

static int register_staff(struct req *r, int64_t id)
{
	struct form f;
	int valid = form_validate(&f, register_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_unit_require(r, id, AUTHZ_UNIT_STAFF, "unit.staff.register", NULL)) != 0)
		return rc;
	if (valid == FORM_OK) {
		struct staff_person p;
		staff_person_from_form(&f, &p);
		enum staff_outcome o;
		rc = staff_register(r->session->municipality_id, id, "staff", &p, &o);
		if (rc < 0 || o == STAFF_NO_UNIT) {
			db_rollback();
			return rc < 0 ? rc : 404;
		}
		if (o == STAFF_DONE) {
			rc = db_commit();
			return rc < 0 ? rc : resp_redirect(r, arena_printf("/enhet/%lld", (long long)id));
		}
		field_error(&f, "nin",
			    o == STAFF_ALREADY
				    ? _("This person is already registered as staff of the unit.")
				    : _("This number belongs to someone registered under another name. "
					"Check the number and the name."));
	}
	struct tv *fields = tv_obj();
	form_to_tv(&f, fields);
	tv_set(r->data, "form", fields);
	return page(r, id, 422);
}

static int clearance(struct req *r, int64_t id)
{
	struct form f;
	if (form_validate(&f, clearance_fields, &r->form) != FORM_OK)
		return 400; /* our page sends these from hidden fields and a button */
	bool clear = strcmp(form_get(&f, "set")->value, "clear") == 0;
	int rc = db_begin();
	if (rc < 0 ||
	    (rc = authz_unit_require(r, id, AUTHZ_UNIT_STAFF,
				     clear ? "unit.staff.clear" : "unit.staff.unclear", NULL)) != 0)
		return rc;
	enum staff_outcome o;
	rc = staff_set_cleared(r->session->municipality_id, id, form_get(&f, "staff_role")->num,
			       (int)form_get(&f, "version")->num, clear, r->session->person_id, &o);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (o == STAFF_NO_ROLE) {
		/* Not one of this unit's staff: nothing changed, the attempt kept. */
		rc = db_commit();
		return rc < 0 ? rc : 404;
	}
	if (o == STAFF_DONE) {
		rc = db_commit();
		return rc < 0 ? rc : resp_redirect(r, arena_printf("/enhet/%lld", (long long)id));
	}
	tv_set_bool(r->data, "conflict", true);
	return page(r, id, 409);
}

static int route(struct req *r)
{
	const char *rest = "";
	int64_t id = app_path_id(r->path, "/enhet/", &rest);
	bool get = strcmp(r->method, "POST") != 0;
	if (get && !r->session)
		return resp_redirect(r, "/");
	if (id == 0)
		return 404;
	if (get)
		return *rest == '\0' ? show(r, id) : 404;
	if (strcmp(rest, "/ansatt") == 0)
		return register_staff(r, id);
	if (strcmp(rest, "/klarering") == 0)
		return clearance(r, id);
	return 404;
}

static const struct route routes[] = {
	{ "GET", "/enhet/*", route },
	{ "POST", "/enhet/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-unit", routes, 0 };
	return app_main(argc, argv, &prog);
}
