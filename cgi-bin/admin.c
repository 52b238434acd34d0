/* admin.c — the municipality administrator's page (DOMAIN.md §2, §8): GET
 * /admin lists the units and their leaders; POST /admin/enhet creates a unit,
 * POST /admin/leder appoints a leader of one. The administrator manages units
 * and leaders, never staff, flows or logs. Each request asks
 * authz_unit_require first, which audits it.
 * Template: templates/admin.html. Tests: tests/http/test_staff.py. */
#include <string.h>

#include "app.h"
#include "authz.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "session.h"
#include "staff.h"

static const struct form_field unit_fields[] = {
	{ .name = "name",
	  .type = FORM_LINE,
	  .required = true,
	  .max_len = 150,
	  .label = N_("Name of the unit") },
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = staff_unit_kinds,
	  .label = N_("Kind") },
	{ NULL },
};

static const struct form_field leader_fields[] = {
	{ .name = "unit",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = 999999999999999LL,
	  .label = N_("Unit") },
	STAFF_PERSON_FIELDS,
	{ NULL },
};

static void field_error(struct form *f, const char *name, const char *message)
{
	for (size_t i = 0; i < f->nfields; i++) {
		if (strcmp(f->fields[i].name, name) == 0 && !f->v[i].error) {
			f->v[i].error = message;
			f->nerrors++;
		}
	}
}

/* The kinds for the unit form's list, the typed one chosen. */
static void set_kinds(struct req *r, const char *chosen)
{
	struct tv *list = tv_list();
	for (size_t i = 0; staff_unit_kinds[i]; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "value", staff_unit_kinds[i]);
		tv_set_str(o, "label", staff_kind_label(staff_unit_kinds[i]));
		tv_set_bool(o, "selected", chosen && strcmp(chosen, staff_unit_kinds[i]) == 0);
	}
	tv_set(r->data, "kinds", list);
}

/* Reads the page inside the open transaction (authz has allowed it),
 * commits, and renders it with status; chosen_unit and chosen_kind are what
 * the forms had chosen. */
static int page(struct req *r, int status, int64_t chosen_unit, const char *chosen_kind)
{
	int64_t m = r->session->municipality_id;
	struct staff_unit *units;
	struct staff_member *leaders;
	int n, nleaders, rc;
	if ((rc = n = staff_units(m, &units)) < 0 || (rc = nleaders = staff_leaders(m, &leaders)) < 0 ||
	    (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", units[i].id);
		tv_set_str(o, "name", units[i].name);
		tv_set_str(o, "kind", staff_kind_label(units[i].kind));
		tv_set_bool(o, "active", units[i].active);
		tv_set_bool(o, "selected", units[i].id == chosen_unit);
		struct tv *names = tv_list();
		for (int k = 0; k < nleaders; k++) {
			if (leaders[k].unit_id != units[i].id)
				continue;
			struct tv *l = tv_push_obj(names);
			tv_set_str(l, "name",
				   arena_printf("%s %s", leaders[k].given_name, leaders[k].family_name));
			tv_set_bool(l, "never_logged_in", leaders[k].never_logged_in);
		}
		tv_set(o, "leaders", names);
	}
	tv_set(r->data, "units", list);
	set_kinds(r, chosen_kind);
	tv_set_str(r->data, "title", _("Administration"));
	return resp_page(r, status, "admin");
}

static int show(struct req *r)
{
	if (!r->session)
		return resp_redirect(r, "/");
	int rc = db_begin();
	if (rc < 0 || (rc = authz_unit_require(r, 0, AUTHZ_MUNI_ADMIN, "admin.read", NULL)) != 0)
		return rc;
	return page(r, 200, 0, NULL);
}

static int create_unit(struct req *r)
{
	struct form f;
	int valid = form_validate(&f, unit_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_unit_require(r, 0, AUTHZ_MUNI_ADMIN, "admin.unit.create", NULL)) != 0)
		return rc;
	if (valid == FORM_OK) {
		int64_t id;
		rc = staff_create_unit(r->session->municipality_id, form_get(&f, "name")->value,
				       form_get(&f, "kind")->value, &id);
		if (rc == 0) {
			rc = db_commit();
			return rc < 0 ? rc : resp_redirect(r, "/admin");
		}
		if (rc != DB_DUPLICATE) {
			db_rollback();
			return rc;
		}
		field_error(&f, "name", _("The municipality already has a unit with this name."));
	}
	struct tv *fields = tv_obj();
	form_to_tv(&f, fields);
	tv_set(r->data, "unit_form", fields);
	return page(r, 422, 0, form_get(&f, "kind")->value);
}

static int appoint_leader(struct req *r)
{
	struct form f;
	int valid = form_validate(&f, leader_fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_unit_require(r, 0, AUTHZ_MUNI_ADMIN, "admin.leader.appoint", NULL)) != 0)
		return rc;
	const struct form_value *unit = form_get(&f, "unit");
	if (valid == FORM_OK) {
		struct staff_person p;
		staff_person_from_form(&f, &p);
		enum staff_outcome o;
		rc = staff_register(r->session->municipality_id, unit->num, "leader", &p, &o);
		if (rc < 0) {
			db_rollback();
			return rc;
		}
		if (o == STAFF_DONE) {
			rc = db_commit();
			return rc < 0 ? rc : resp_redirect(r, "/admin");
		}
		if (o == STAFF_NO_UNIT)
			field_error(&f, "unit", _("Choose a unit from the list."));
		else
			field_error(&f, "nin",
				    o == STAFF_ALREADY
					    ? _("This person is already a leader of the unit.")
					    : _("This number belongs to someone registered under another "
						"name. Check the number and the name."));
	}
	struct tv *fields = tv_obj();
	form_to_tv(&f, fields);
	tv_set(r->data, "form", fields);
	return page(r, 422, unit->error ? 0 : unit->num, NULL);
}

static const struct route routes[] = {
	{ "GET", "/admin", show },
	{ "POST", "/admin/enhet", create_unit },
	{ "POST", "/admin/leder", appoint_leader },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-admin-page", routes, 0 };
	return app_main(argc, argv, &prog);
}
