/* log_create.c — a cleared staff member opens a log (DOMAIN.md §2, §3, §5):
 * GET /logg/ny shows the form, POST /logg/ny creates the log as a draft held
 * by them in one of their units, with the subject and each guardian
 * separately. Only staff cleared in a unit (authz_can_create_log); the
 * creation and every refusal are audited here, as no log exists to ask
 * authz_require about. Template: log_create.html. Tests: test_log_create.py. */
#include <string.h>

#include "app.h"
#include "audit.h"
#include "authz.h"
#include "consent.h"
#include "db.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "logbook.h"
#include "session.h"
#include "staff.h"

static const char *const kinds[] = { "child", "youth", "pregnancy", NULL };

#define PERSON(prefix, req)                                                                                  \
	{ .name = prefix "given_name",                                                                       \
	  .type = FORM_LINE,                                                                                 \
	  .required = req,                                                                                   \
	  .max_len = 100,                                                                                    \
	  .label = N_("Given name") },                                                                       \
		{ .name = prefix "family_name",                                                              \
		  .type = FORM_LINE,                                                                         \
		  .required = req,                                                                           \
		  .max_len = 100,                                                                            \
		  .label = N_("Family name") },                                                              \
	{                                                                                                    \
		.name = prefix "nin", .type = FORM_NIN, .required = req,                                     \
		.label = N_("National identity number")                                                      \
	}

#define GUARDIAN(prefix)                                                                                     \
	PERSON(prefix, false), { .name = prefix "phone", .type = FORM_PHONE, .label = N_("Phone") },         \
	{                                                                                                    \
		.name = prefix "email", .type = FORM_EMAIL, .label = N_("E-mail")                            \
	}

static const struct form_field fields[] = {
	{ .name = "unit",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = 999999999999999LL,
	  .label = N_("Unit") },
	{ .name = "subject_kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = kinds,
	  .label = N_("The log is for") },
	PERSON("subject_", true),
	{ .name = "expected_date", .type = FORM_DATE, .label = N_("Expected date") },
	GUARDIAN("g1_"),
	GUARDIAN("g2_"),
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

static const char *value(const struct form *f, const char *name)
{
	return form_get(f, name)->value;
}

/* The units where the person may create logs, as a list for the form with
 * CHOSEN selected; the count, or a negative db.h code. */
static int set_units(struct req *r, int64_t chosen, bool *chosen_ok)
{
	const struct session *s = r->session;
	struct staff_unit *units;
	int n = staff_units_of(s->municipality_id, s->person_id, "staff", &units), count = 0;
	struct tv *list = tv_list();
	*chosen_ok = false;
	for (int i = 0; i < n; i++) {
		int rc = authz_can_create_log(s, units[i].id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", units[i].id);
		tv_set_str(o, "name", units[i].name);
		bool selected = units[i].id == chosen || (chosen == 0 && count == 0);
		tv_set_bool(o, "selected", selected);
		*chosen_ok = *chosen_ok || units[i].id == chosen;
		count++;
	}
	tv_set(r->data, "units", list);
	return n < 0 ? n : count;
}

/* Not cleared anywhere: refused like any denial, and the attempt kept. */
static int refuse(struct req *r)
{
	db_rollback();
	struct audit_entry e = {
		.municipality_id = r->session->municipality_id,
		.person_id = r->session->person_id,
		.role = authz_role_name(AUTHZ_NONE),
		.action = "log.create",
		.outcome = "deny",
	};
	log_warn("access denied: log.create");
	int rc = audit_event(&e);
	return rc < 0 ? rc : 403;
}

static int render(struct req *r, int status, struct tv *form, const char *kind)
{
	tv_set(r->data, "form", form);
	tv_set_bool(r->data, "failed", status == 422);
	tv_set_bool(r->data, "kind_child", !kind || !*kind || strcmp(kind, "child") == 0);
	tv_set_bool(r->data, "kind_youth", kind && strcmp(kind, "youth") == 0);
	tv_set_bool(r->data, "kind_pregnancy", kind && strcmp(kind, "pregnancy") == 0);
	tv_set_str(r->data, "title", _("Create a log"));
	return resp_page(r, status, "log_create");
}

static int show(struct req *r)
{
	bool ok;
	int rc = db_begin();
	if (rc < 0 || (rc = set_units(r, 0, &ok)) < 0) {
		db_rollback();
		return rc;
	}
	if (rc == 0)
		return refuse(r);
	if ((rc = db_commit()) < 0)
		return rc;
	return render(r, 200, tv_obj(), "child");
}

static bool filled(const struct form *f, const char *prefix)
{
	static const char *const names[] = { "given_name", "family_name", "nin", "phone", "email" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (*value(f, arena_printf("%s%s", prefix, names[i])))
			return true;
	return false;
}

/* What the field table cannot say: which guardians and dates a kind of log
 * needs, and that nobody is given twice. A child's log needs its first
 * guardian here; a young person's or a pregnancy's may have none, and
 * whether someone can then consent is asked of consent.c once the log is
 * written (needs_guardian). The number of guardians. */
static int check_people(struct form *f)
{
	const char *kind = value(f, "subject_kind");
	bool pregnancy = strcmp(kind, "pregnancy") == 0, child = strcmp(kind, "child") == 0;
	if (pregnancy && !*value(f, "expected_date"))
		field_error(f, "expected_date", _("This field is required."));
	int n = 0;
	for (int g = 1; g <= 2; g++) {
		const char *p = g == 1 ? "g1_" : "g2_";
		if (!filled(f, p) && (g == 2 || !child))
			continue;
		static const char *const required[] = { "given_name", "family_name", "nin" };
		for (size_t i = 0; i < 3; i++) {
			const char *name = arena_printf("%s%s", p, required[i]);
			if (!*value(f, name))
				field_error(f, name, _("This field is required."));
		}
		n = g;
	}
	const char *nins[3] = { value(f, "subject_nin"), value(f, "g1_nin"), value(f, "g2_nin") };
	const char *names[3] = { "subject_nin", "g1_nin", "g2_nin" };
	for (int i = 1; i < 3; i++)
		for (int j = 0; j < i; j++)
			if (*nins[i] && strcmp(nins[i], nins[j]) == 0)
				field_error(f, names[i],
					    _("The same number is given for two people. Check the numbers."));
	return n;
}

static struct person_new person_of(const struct form *f, const char *prefix)
{
	return (struct person_new){
		.given_name = value(f, arena_printf("%sgiven_name", prefix)),
		.family_name = value(f, arena_printf("%sfamily_name", prefix)),
		.nin = value(f, arena_printf("%snin", prefix)),
		.phone = *prefix == 'g' ? value(f, arena_printf("%sphone", prefix)) : NULL,
		.email = *prefix == 'g' ? value(f, arena_printf("%semail", prefix)) : NULL,
	};
}

/* Whether the log just written, which has no guardian, has nobody who could
 * consent to it (consent.c decides whose consent a log needs: the young
 * person at the consent age, the pregnant woman, or else the guardians).
 * 1 nobody, 0 someone, or a negative db.h code. */
static int needs_guardian(struct req *r, int64_t log_id)
{
	struct consent_person *people;
	int n = consent_required(r->session->municipality_id, log_id, &people);
	return n < 0 ? n : n == 0;
}

/* Writes the log in the open transaction from the checked form: 0 with *id,
 * or 0 with *id 0 and a message at the field that stopped it (a number of
 * someone registered under another name, or nobody who could consent), or a
 * negative db.h code. */
static int write_log(struct req *r, struct form *f, int nguardians, int64_t *id)
{
	const char *kind = value(f, "subject_kind");
	struct logbook_new n = {
		.unit_id = form_get(f, "unit")->num,
		.subject_kind = kind,
		.expected_date = strcmp(kind, "pregnancy") == 0 ? value(f, "expected_date") : NULL,
		.subject = person_of(f, "subject_"),
		.nguardians = nguardians,
	};
	for (int g = 0; g < nguardians; g++)
		n.guardians[g] = person_of(f, g == 0 ? "g1_" : "g2_");
	int other, rc = logbook_create(r->session, &n, id, &other);
	if (rc < 0)
		return rc;
	if (*id == 0) {
		static const char *const nin_fields[] = { "subject_nin", "g1_nin", "g2_nin" };
		field_error(f, nin_fields[other < 0 || other > 2 ? 0 : other],
			    _("This number belongs to someone registered under another name. "
			      "Check the number and the name."));
		return 0;
	}
	if (nguardians == 0 && (rc = needs_guardian(r, *id)) != 0) {
		if (rc < 0)
			return rc;
		*id = 0;
		field_error(f, "g1_given_name",
			    _("Someone under the consent age needs a guardian in the log: "
			      "register at least one."));
		field_error(f, "g1_family_name", _("This field is required."));
		field_error(f, "g1_nin", _("This field is required."));
	}
	return 0;
}

static int create(struct req *r)
{
	struct form f;
	int valid = form_validate(&f, fields, &r->form);
	if (valid == FORM_BAD_REQUEST)
		return 400;
	const struct form_value *unit = form_get(&f, "unit");
	bool unit_ok;
	int rc = db_begin();
	if (rc < 0 || (rc = set_units(r, unit->error ? 0 : unit->num, &unit_ok)) < 0) {
		db_rollback();
		return rc;
	}
	if (rc == 0)
		return refuse(r);
	if (!unit_ok)
		field_error(&f, "unit", _("Choose one of the units."));
	int nguardians = check_people(&f);
	if (f.nerrors == 0) {
		int64_t id;
		if ((rc = write_log(r, &f, nguardians, &id)) < 0) {
			db_rollback();
			return rc;
		}
		if (id > 0) {
			struct audit_entry e = {
				.municipality_id = r->session->municipality_id,
				.person_id = r->session->person_id,
				.role = authz_role_name(AUTHZ_HOLDER),
				.log_id = id,
				.action = "log.create",
				.outcome = "allow",
			};
			if ((rc = audit_append(&e)) < 0 || (rc = db_commit()) < 0) {
				db_rollback();
				return rc;
			}
			return resp_redirect(r, arena_printf("/logg/%lld", (long long)id));
		}
		/* Stopped at a field: undo what was written, read the units again. */
		db_rollback();
		if ((rc = db_begin()) < 0 || (rc = set_units(r, unit->num, &unit_ok)) < 0) {
			db_rollback();
			return rc;
		}
	}
	if ((rc = db_commit()) < 0)
		return rc;
	struct tv *form = tv_obj();
	form_to_tv(&f, form);
	return render(r, 422, form, value(&f, "subject_kind"));
}

static int route(struct req *r)
{
	if (!r->session)
		return strcmp(r->method, "POST") == 0 ? 403 : resp_redirect(r, "/");
	return strcmp(r->method, "POST") == 0 ? create(r) : show(r);
}

static const struct route routes[] = {
	{ "GET", "/logg/ny", route },
	{ "POST", "/logg/ny", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-create", routes, 0 };
	return app_main(argc, argv, &prog);
}
