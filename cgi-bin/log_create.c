/* log_create.c — a cleared staff member opens a log (DOMAIN.md §2, §3, §5):
 * GET /logg/ny shows the form, POST /logg/ny creates the log as a draft held
 * by them in one of their units, with the subject and each guardian
 * separately (AUTHZ_CREATE_LOG; logbook_create records the new log in the
 * audit trail). Template: log_create.html. Tests: tests/http/test_log_create.py. */
#include <string.h>

#include "app.h"
#include "consent.h"
#include "i18n.h"
#include "logbook.h"
#include "notice.h"
#include "session.h"
#include "staff.h"
#include "view.h"

static const char *const kinds[] = { "child", "youth", "pregnancy", NULL };

/* clang-format off */
#define PERSON(prefix, req, given, family, nin) \
	{ .name = prefix "given_name", .type = FORM_LINE, .required = req, .max_len = 100, .label = N_("Given name"), .missing = given }, \
	{ .name = prefix "family_name", .type = FORM_LINE, .required = req, .max_len = 100, .label = N_("Family name"), .missing = family }, \
	{ .name = prefix "nin", .type = FORM_NIN, .required = req, .label = N_("National identity number"), .missing = nin }
#define GUARDIAN(prefix) \
	PERSON(prefix, false, N_("Write the guardian's given name."), N_("Write the guardian's family name."), \
	       N_("Write the guardian's national identity number, 11 digits.")), \
	{ .name = prefix "phone", .type = FORM_PHONE, .label = N_("Phone") }, \
	{ .name = prefix "email", .type = FORM_EMAIL, .label = N_("E-mail") }
static const struct form_field fields[] = {
	{ .name = "unit", .type = FORM_INT, .required = true, .min = 1, .max = 999999999999999LL, .label = N_("Unit"), .missing = N_("Choose the unit that will hold the log.") },
	{ .name = "subject_kind", .type = FORM_CHOICE, .required = true, .choices = kinds, .label = N_("The log is for"), .missing = N_("Choose whom the log is about.") },
	PERSON("subject_", true, N_("Write the child's given name."), N_("Write the child's family name."),
	       N_("Write the child's national identity number, 11 digits.")),
	{ .name = "expected_date", .type = FORM_DATE, .label = N_("Expected date"), .missing = N_("Write the expected date of birth.") },
	GUARDIAN("g1_"),
	GUARDIAN("g2_"),
	{ NULL },
};
/* clang-format on */

static const char *value(const struct form *f, const char *name)
{
	return form_get(f, name)->value;
}

/* The units where the person may create logs, as a list for the form with
 * CHOSEN selected (0: the first); *chosen_ok if it is one of them. 0 or a
 * negative db.h code. */
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
		tv_set_bool(o, "selected", units[i].id == chosen || (chosen == 0 && count == 0));
		*chosen_ok = *chosen_ok || units[i].id == chosen;
		count++;
	}
	tv_set(r->data, "units", list);
	return n < 0 ? n : 0;
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
	int rc = set_units(r, 0, &ok);
	return rc < 0 ? rc : render(r, 200, tv_obj(), "child");
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
	/* The table's messages speak of a child; the other kinds by their words. */
	static const char *const subject[] = { "subject_given_name", "subject_family_name", "subject_nin" };
	static const char *const youth[] = {
		N_("Write the young person's given name."), N_("Write the young person's family name."),
		N_("Write the young person's national identity number, 11 digits.")
	};
	static const char *const her[] = {
		N_("Write the pregnant woman's given name."), N_("Write the pregnant woman's family name."),
		N_("Write the pregnant woman's national identity number, 11 digits.")
	};
	for (size_t i = 0; !child && i < 3; i++)
		form_missing_as(f, subject[i], _(pregnancy ? her[i] : youth[i]));
	if (pregnancy && !*value(f, "expected_date"))
		form_missing(f, "expected_date");
	int n = 0;
	for (int g = 1; g <= 2; g++) {
		const char *p = g == 1 ? "g1_" : "g2_";
		if (!filled(f, p) && (g == 2 || !child))
			continue;
		static const char *const required[] = { "given_name", "family_name", "nin" };
		for (size_t i = 0; i < 3; i++) {
			const char *name = arena_printf("%s%s", p, required[i]);
			if (!*value(f, name))
				form_missing(f, name);
		}
		n = g;
	}
	const char *nins[3] = { value(f, "subject_nin"), value(f, "g1_nin"), value(f, "g2_nin") };
	const char *names[3] = { "subject_nin", "g1_nin", "g2_nin" };
	for (int i = 1; i < 3; i++)
		for (int j = 0; j < i; j++)
			if (*nins[i] && strcmp(nins[i], nins[j]) == 0)
				form_error(f, names[i],
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

/* Writes the log from the checked form: 0 with *id, or 0 with *id 0 and a
 * message at the field that stopped it (nobody who could consent: consent.c
 * decides whose consent a log needs), or a negative db.h code. What was
 * written then goes with the request's rollback. Each person whose consent
 * the log needs is asked for it by e-mail (notice.h). */
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
	int rc = logbook_create(r->session, &n, id);
	if (rc < 0)
		return rc;
	struct consent_person *people;
	if (nguardians == 0 && (rc = consent_required(r->session->municipality_id, *id, &people)) <= 0) {
		if (rc < 0)
			return rc;
		*id = 0;
		form_error(f, "g1_given_name",
			   _("Someone under the consent age needs a guardian in the log: register at least "
			     "one."));
		form_missing(f, "g1_family_name");
		form_missing(f, "g1_nin");
		return 0;
	}
	/* Whoever must consent is asked by e-mail, with the log or not at all. */
	struct notice_count asked = { 0 };
	return notice_consent_asked(r->session, *id, 0, &asked);
}

static int create(struct req *r)
{
	struct form *f = &r->in;
	const struct form_value *unit = form_get(f, "unit");
	bool unit_ok;
	int rc = set_units(r, unit->error ? 0 : unit->num, &unit_ok);
	if (rc < 0)
		return rc;
	if (!unit_ok)
		form_error(f, "unit", _("Choose one of the units."));
	int nguardians = check_people(f);
	if (f->nerrors == 0) {
		int64_t id;
		if ((rc = write_log(r, f, nguardians, &id)) < 0)
			return rc;
		if (id > 0)
			return resp_saved(r, arena_printf("/logg/%lld", (long long)id), "logg");
	}
	return render(r, 422, view_form(f), value(f, "subject_kind"));
}

static const struct route routes[] = {
	{ "GET", "/logg/ny", show, .login = true, .need = AUTHZ_CREATE_LOG, .audit = "log.create" },
	{ "POST", "/logg/ny", create, .login = true, .need = AUTHZ_CREATE_LOG, .audit = "log.create",
	  .fields = fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-log-create", routes };
	return app_main(argc, argv, &prog);
}
