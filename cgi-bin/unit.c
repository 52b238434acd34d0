/* unit.c — a unit's page for its leader (DOMAIN.md §2, §6, §8): GET /enhet/ID
 * shows the flow of the unit's logs (numbers, states, dates and each log's
 * holder: how long it has been passive, its overdue evaluations, a consent
 * running out; never the child's name, never a content) and its staff;
 * POST /enhet/ID/ansatt registers a staff member,
 * POST /enhet/ID/klarering clears one to create logs or withdraws it
 * (AUTHZ_UNIT_FLOW to look, AUTHZ_UNIT_STAFF to change).
 * Template: templates/unit.html. Tests: tests/http/test_unit.py. */
#include <string.h>

#include "app.h"
#include "config.h"
#include "consent.h"
#include "i18n.h"
#include "logbook.h"
#include "measure.h"
#include "session.h"
#include "staff.h"
#include "view.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */
#define FLOW_LIMIT 1000

static const struct form_field register_fields[] = {
	VIEW_PERSON_FIELDS,
	{ NULL },
};

static const char *const set_choices[] = { "clear", "unclear", NULL };
static const struct form_field clearance_fields[] = {
	{ .name = "staff_role", .type = FORM_INT, .required = true, .min = 1, .max = MAX_ID },
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "set", .type = FORM_CHOICE, .required = true, .choices = set_choices },
	{ NULL },
};

/* The flow: counts by state, and each log by number with its holder, how
 * long it has been passive, its overdue evaluations (overdue[i]) and a
 * consent that runs out within warn_days; with the totals of those three. */
static void set_flow(struct req *r, const struct staff_flow *f, const struct staff_flow_log *logs, int n,
		     const int *overdue, int warn_days)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "draft", f->draft);
	tv_set_int(o, "active", f->active);
	tv_set_int(o, "passive", f->passive);
	tv_set_int(o, "closed", f->closed);
	tv_set_int(o, "total", f->draft + f->active + f->passive + f->closed);
	struct tv *list = tv_list();
	int longest = -1, nover = 0, nexpiring = 0;
	for (int i = 0; i < n; i++) {
		const struct staff_flow_log *x = &logs[i];
		bool expiring = consent_warn_holder(x->state, x->withdrawn, x->consent_until,
						    x->consent_days_left, warn_days);
		struct tv *l = tv_push_obj(list);
		tv_set_int(l, "id", x->id);
		tv_set_str(l, "state", logbook_state_label(x->state));
		tv_set_str(l, "created_at", x->created_at);
		tv_set_str(l, "updated_at", x->updated_at);
		tv_set_str(l, "holder", view_name(x->holder_given_name, x->holder_family_name));
		tv_set_bool(l, "passive", x->passive_days >= 0);
		tv_set_int(l, "passive_days", x->passive_days);
		tv_set_int(l, "overdue", overdue[i]);
		if (expiring) {
			tv_set_str(l, "consent_until", x->consent_until);
			tv_set_bool(l, "consent_expired", x->consent_days_left < 0);
		}
		longest = x->passive_days > longest ? x->passive_days : longest;
		nover += overdue[i];
		nexpiring += expiring;
	}
	tv_set_bool(o, "has_longest", longest >= 0);
	tv_set_int(o, "longest_passive", longest);
	tv_set_int(o, "overdue", nover);
	tv_set_int(o, "expiring", nexpiring);
	tv_set_int(o, "warn_days", warn_days);
	tv_set(r->data, "flow", o);
	tv_set(r->data, "flow_logs", list);
}

static void set_staff(struct req *r, const struct staff_member *m, int n)
{
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "role_id", m[i].role_id);
		tv_set_int(o, "version", m[i].version);
		tv_set_str(o, "name", view_name(m[i].given_name, m[i].family_name));
		tv_set_str(o, "title", m[i].title ? m[i].title : "");
		tv_set_str(o, "role",
			   strcmp(m[i].role, "leader") == 0 ? logbook_role_label("leader")
							    : _("Staff member"));
		tv_set_bool(o, "is_staff", strcmp(m[i].role, "staff") == 0);
		tv_set_bool(o, "cleared", m[i].cleared);
		tv_set_bool(o, "never_logged_in", m[i].never_logged_in);
		if (m[i].appointed_by)
			tv_set_str(o, "appointed_by", m[i].appointed_by);
		if (m[i].cleared_by)
			tv_set_str(o, "cleared_by", m[i].cleared_by);
	}
	tv_set(r->data, "staff", list);
}

/* The page: the flow, and the staff if authz allows the leader them too. */
static int page(struct req *r, int status)
{
	const struct session *s = r->session;
	int64_t id = r->id[0];
	struct staff_unit u;
	struct staff_flow flow;
	struct staff_flow_log *logs = NULL;
	struct staff_member *staff = NULL;
	int nlogs = 0, nstaff = 0;
	bool may_staff = r->az.may[AUTHZ_UNIT_STAFF];
	int rc = staff_unit(s->municipality_id, id, &u);
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	if ((rc = staff_flow_counts(s->municipality_id, id, &flow)) < 0 ||
	    (rc = nlogs = staff_flow_logs(s->municipality_id, id, FLOW_LIMIT, &logs)) < 0 ||
	    (may_staff && (rc = nstaff = staff_of_unit(s->municipality_id, id, &staff)) < 0))
		return rc;
	int64_t *ids = arena_alloc(sizeof *ids * (size_t)(nlogs + 1));
	int *overdue = arena_alloc(sizeof *overdue * (size_t)(nlogs + 1));
	for (int i = 0; i < nlogs; i++)
		ids[i] = logs[i].id;
	if ((rc = measure_overdue(s->municipality_id, ids, nlogs, overdue)) < 0)
		return rc;
	struct tv *unit = tv_obj();
	tv_set_int(unit, "id", u.id);
	tv_set_str(unit, "name", u.name);
	tv_set_str(unit, "kind", staff_kind_label(u.kind));
	tv_set(r->data, "unit", unit);
	set_flow(r, &flow, logs, nlogs, overdue, (int)config_int("consent.warn_days"));
	tv_set_bool(r->data, "may_staff", may_staff);
	set_staff(r, staff, nstaff);
	tv_set_str(r->data, "title", u.name);
	return resp_page(r, status, "unit");
}

static int show(struct req *r)
{
	return page(r, 200);
}

static int register_staff(struct req *r)
{
	if (r->in.nerrors == 0) {
		struct staff_person p;
		view_person_of(&r->in, &p);
		enum staff_outcome o;
		int rc = staff_register(r->session, r->id[0], "staff", &p, &o);
		if (rc < 0 || o == STAFF_NO_UNIT)
			return rc < 0 ? rc : 404;
		if (o == STAFF_DONE)
			return resp_saved(r, arena_printf("/enhet/%lld", (long long)r->id[0]), "ansatt");
		if (o == STAFF_SELF)
			authz_refuse(&r->az, "self");
		form_error(&r->in, "nin",
			   o == STAFF_SELF ? _("You cannot register yourself. Someone else must do it.")
					   : _("This person is already registered as staff of the unit."));
	}
	tv_set(r->data, "form", view_form(&r->in));
	return page(r, 422);
}

static int clearance(struct req *r)
{
	if (r->in.nerrors)
		return 400; /* our page sends these from hidden fields and a button */
	bool clear = strcmp(req_field(r, "set")->value, "clear") == 0;
	enum staff_outcome o;
	int rc = staff_set_cleared(r->session->municipality_id, r->id[0], req_field(r, "staff_role")->num,
				   (int)req_field(r, "version")->num, clear, r->session->person_id, &o);
	if (rc < 0)
		return rc;
	if (o == STAFF_NO_ROLE)
		return 404; /* not one of this unit's staff: nothing changed, the attempt kept */
	if (o == STAFF_DONE)
		return resp_saved(r, arena_printf("/enhet/%lld", (long long)r->id[0]),
				  clear ? "klarert" : "uklarert");
	if (o == STAFF_SELF)
		authz_refuse(&r->az, "self");
	tv_set_bool(r->data, o == STAFF_SELF ? "self" : "conflict", true);
	return page(r, 409);
}

static const struct route routes[] = {
	{ "GET", "/enhet/#", show, .login = true, .need = AUTHZ_UNIT_FLOW, .audit = "unit.read" },
	{ "POST", "/enhet/#/ansatt", register_staff, .login = true, .need = AUTHZ_UNIT_STAFF,
	  .audit = "unit.staff.register", .fields = register_fields, .once = true },
	{ "POST", "/enhet/#/klarering", clearance, .login = true, .need = AUTHZ_UNIT_STAFF,
	  .audit = "unit.staff.clear", .fields = clearance_fields },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-unit", routes };
	return app_main(argc, argv, &prog);
}
