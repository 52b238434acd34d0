/* admin.c — the municipality administrator's page (DOMAIN.md §2, §8): GET
 * /admin lists the units and their leaders; POST /admin/enhet creates a unit,
 * POST /admin/leder appoints a leader of one. The administrator manages units
 * and leaders, never staff, flows or logs (AUTHZ_MUNI_ADMIN).
 * Template: templates/admin.html. Tests: tests/http/test_admin.py. */
#include "app.h"
#include "db.h"
#include "i18n.h"
#include "session.h"
#include "staff.h"
#include "view.h"

static const struct form_field unit_fields[] = {
	{ .name = "name",
	  .type = FORM_LINE,
	  .required = true,
	  .max_len = 150,
	  .label = N_("Name of the unit"),
	  .missing = N_("Write the name of the unit.") },
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = staff_unit_kinds,
	  .label = N_("Kind"),
	  .missing = N_("Choose what kind of unit it is.") },
	{ NULL },
};

static const struct form_field leader_fields[] = {
	{ .name = "unit",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = 999999999999999LL,
	  .label = N_("Unit"),
	  .missing = N_("Choose the unit.") },
	VIEW_PERSON_FIELDS,
	{ NULL },
};

/* The page; chosen_unit and chosen_kind are what the forms had chosen. */
static int page(struct req *r, int status, int64_t chosen_unit, const char *chosen_kind)
{
	int64_t m = r->session->municipality_id;
	struct staff_unit *units;
	struct staff_member *leaders;
	int n, nleaders;
	if ((n = staff_units(m, &units)) < 0)
		return n;
	if ((nleaders = staff_leaders(m, &leaders)) < 0)
		return nleaders;
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
			tv_set_str(l, "name", view_name(leaders[k].given_name, leaders[k].family_name));
			tv_set_bool(l, "never_logged_in", leaders[k].never_logged_in);
			if (leaders[k].appointed_by)
				tv_set_str(l, "appointed_by", leaders[k].appointed_by);
		}
		tv_set(o, "leaders", names);
	}
	tv_set(r->data, "units", list);
	tv_set(r->data, "kinds", view_choices(staff_unit_kinds, staff_kind_label, chosen_kind));
	tv_set_str(r->data, "title", _("Administration"));
	return resp_page(r, status, "admin");
}

static int show(struct req *r)
{
	return page(r, 200, 0, NULL);
}

static int create_unit(struct req *r)
{
	if (r->in.nerrors == 0) {
		int64_t id;
		int rc = staff_create_unit(r->session->municipality_id, req_field(r, "name")->value,
					   req_field(r, "kind")->value, &id);
		if (rc == 0)
			return resp_saved(r, "/admin", "enhet");
		if (rc != DB_DUPLICATE)
			return rc;
		form_error(&r->in, "name", _("The municipality already has a unit with this name."));
	}
	tv_set(r->data, "unit_form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_prefix", "unit-"); /* the new unit's fields' ids (admin.html) */
	return page(r, 422, 0, req_field(r, "kind")->value);
}

static int appoint_leader(struct req *r)
{
	const struct form_value *unit = req_field(r, "unit");
	if (r->in.nerrors == 0) {
		struct staff_person p;
		view_person_of(&r->in, &p);
		enum staff_outcome o;
		int rc = staff_register(r->session, unit->num, "leader", &p, &o);
		if (rc < 0)
			return rc;
		if (o == STAFF_DONE)
			return resp_saved(r, "/admin", "leder");
		if (o == STAFF_SELF)
			authz_refuse(&r->az, "self");
		if (o == STAFF_NO_UNIT)
			form_error(&r->in, "unit", _("Choose a unit from the list."));
		else
			form_error(&r->in, "nin",
				   o == STAFF_SELF
					   ? _("You cannot appoint yourself. Someone else must do it.")
					   : _("This person is already a leader of the unit."));
	}
	tv_set(r->data, "form", view_form(&r->in));
	return page(r, 422, unit->error ? 0 : unit->num, NULL);
}

static const struct route routes[] = {
	{ "GET", "/admin", show, .login = true, .need = AUTHZ_MUNI_ADMIN, .audit = "admin.read" },
	{ "POST", "/admin/enhet", create_unit, .login = true, .need = AUTHZ_MUNI_ADMIN,
	  .audit = "admin.unit.create", .fields = unit_fields, .once = true },
	{ "POST", "/admin/leder", appoint_leader, .login = true, .need = AUTHZ_MUNI_ADMIN,
	  .audit = "admin.leader.appoint", .fields = leader_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-admin-page", routes };
	return app_main(argc, argv, &prog);
}
