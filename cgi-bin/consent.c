/* consent.c — the consents of one log (DOMAIN.md §4): GET /logg/ID/samtykke
 * shows each required consenter's consent of each kind and the forms the
 * viewer may use; POST .../papir records a signed paper form with its scan
 * (the holder, AUTHZ_MANAGE); POST .../digital gives one's own consent and
 * GET/POST .../trekk withdraws it after a confirmation page (a guardian or
 * the young person, AUTHZ_CONSENT). The rules are lib/consent.c's.
 * Templates: consent.html, consent_withdraw.html. Tests: tests/http/test_consent.py. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "document.h"
#include "form.h"
#include "i18n.h"
#include "logbook.h"
#include "logview.h"
#include "session.h"
#include "staff.h"

#define MAX_ID 999999999999999LL /* 15 digits, as in the path */
#define FILE_FIELD "document"

static const char *const kind_choices[] = { "establish", "cooperate", NULL };

static const struct form_field paper_fields[] = {
	{ .name = "person",
	  .type = FORM_INT,
	  .required = true,
	  .min = 1,
	  .max = MAX_ID,
	  .label = N_("Given by") },
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = kind_choices,
	  .label = N_("Consent") },
	{ .name = "given_at", .type = FORM_DATE, .required = true, .label = N_("Date given") },
	{ .name = "valid_until", .type = FORM_DATE, .label = N_("Valid until") },
	{ NULL },
};
static const struct form_field digital_fields[] = {
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = kind_choices,
	  .label = N_("Consent") },
	{ NULL },
};
static const struct form_field withdraw_fields[] = {
	{ .name = "kind",
	  .type = FORM_CHOICE,
	  .required = true,
	  .choices = kind_choices,
	  .label = N_("Consent") },
	{ NULL },
};

/* The units a consent to cooperation may name: the municipality's active
 * ones, each a checkbox "unit_ID" after the fixed fields. */
struct scope {
	struct staff_unit *units;
	int n;
	struct form_field *fields;
};

static int load_scope(int64_t muni, const struct form_field *base, struct scope *sc)
{
	struct staff_unit *all;
	int n = staff_units(muni, &all);
	if (n < 0)
		return n;
	size_t nbase = 0;
	while (base[nbase].name)
		nbase++;
	sc->units = arena_alloc(((size_t)n + 1) * sizeof *sc->units);
	sc->fields = arena_alloc((nbase + (size_t)n + 1) * sizeof *sc->fields);
	memcpy(sc->fields, base, nbase * sizeof *base);
	sc->n = 0;
	for (int i = 0; i < n; i++) {
		if (!all[i].active)
			continue;
		sc->units[sc->n] = all[i];
		sc->fields[nbase + (size_t)sc->n] =
			(struct form_field){ .name = arena_printf("unit_%lld", (long long)all[i].id),
					     .type = FORM_BOOL };
		sc->n++;
	}
	sc->fields[nbase + (size_t)sc->n] = (struct form_field){ NULL };
	return 0;
}

/* The units ticked in a validated form. */
static int64_t *ticked(const struct form *f, const struct scope *sc, size_t *n)
{
	int64_t *ids = arena_alloc(((size_t)sc->n + 1) * sizeof *ids);
	*n = 0;
	for (int i = 0; i < sc->n; i++)
		if (form_get(f, arena_printf("unit_%lld", (long long)sc->units[i].id))->num)
			ids[(*n)++] = sc->units[i].id;
	return ids;
}

static struct tv *unit_list(const struct scope *sc, const struct form *f)
{
	struct tv *list = tv_list();
	for (int i = 0; i < sc->n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", sc->units[i].id);
		tv_set_str(o, "name", sc->units[i].name);
		tv_set_str(o, "kind", staff_kind_label(sc->units[i].kind));
		const struct form_value *v =
			f ? form_get(f, arena_printf("unit_%lld", (long long)sc->units[i].id)) : NULL;
		tv_set_bool(o, "checked", v && v->num);
	}
	return list;
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

static struct tv *consenters(const struct consent_status *st, int n, bool holder)
{
	struct tv *list = tv_list(), *person = NULL;
	for (int i = 0; i < n; i++) {
		if (i % 2 == 0) {
			person = tv_push_obj(list);
			tv_set_str(person, "name",
				   arena_printf("%s %s", st[i].who.given_name, st[i].who.family_name));
			tv_set_bool(person, "subject", st[i].who.subject);
			tv_set(person, "consents", tv_list());
		}
		struct tv *c = tv_push_obj((struct tv *)tv_get(person, "consents"));
		static const char *const keys[] = { "none", "given", "expiring", "expired", "withdrawn" };
		tv_set_str(c, "kind", consent_kind_label(st[i].kind));
		tv_set_str(c, "state", consent_state_label(st[i].state));
		tv_set_str(c, "state_key", keys[st[i].state]);
		tv_set_bool(c, "has", st[i].state != CONSENT_STATE_NONE);
		tv_set_str(c, "method", consent_method_label(st[i].method));
		tv_set_str(c, "given_at", st[i].given_at ? st[i].given_at : "");
		tv_set_str(c, "valid_until", st[i].valid_until ? st[i].valid_until : "");
		tv_set_str(c, "withdrawn_at", st[i].withdrawn_at ? st[i].withdrawn_at : "");
		tv_set_str(c, "scope", st[i].scope ? st[i].scope : "");
		if (holder && st[i].document_id)
			tv_set_int(c, "document_id", st[i].document_id);
	}
	return list;
}

/* The viewer's own standing consents, for the withdraw links. */
static struct tv *own(const struct consent_status *st, int n, int64_t person)
{
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (st[i].who.person_id != person || st[i].state == CONSENT_STATE_NONE ||
		    st[i].state == CONSENT_STATE_WITHDRAWN)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_str(o, "kind", st[i].kind);
		tv_set_str(o, "label", consent_kind_label(st[i].kind));
	}
	return list;
}

/* Reads the page inside the open transaction that authz has allowed,
 * commits, renders with status. f is the form that came back, if any, and
 * which says which one ("paper" or "digital"). */
static int page(struct req *r, int64_t id, const struct authz *az, int status, const struct form *f,
		const char *which)
{
	const struct session *s = r->session;
	struct logbook_summary sum;
	struct consent_status *st;
	struct scope paper = { 0 }, digital = { 0 };
	struct tv *log = tv_obj();
	int n = 0, rc = logbook_summary(s->municipality_id, id, &sum);
	if (rc <= 0 ||
	    (rc = n = consent_status(s->municipality_id, id, (int)config_int("consent.warn_days"), &st)) <
		    0 ||
	    (rc = consent_section(r, az, &(struct logview){ .id = id, .log = sum }, log)) < 0 ||
	    (rc = load_scope(s->municipality_id, paper_fields, &paper)) < 0 ||
	    (rc = load_scope(s->municipality_id, digital_fields, &digital)) < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc == 0 ? 404 : rc;
	}
	bool required = false;
	struct tv *persons = tv_list();
	for (int i = 0; i < n; i += 2) {
		required = required || st[i].who.person_id == s->person_id;
		struct tv *o = tv_push_obj(persons);
		tv_set_int(o, "id", st[i].who.person_id);
		tv_set_str(o, "name", arena_printf("%s %s", st[i].who.given_name, st[i].who.family_name));
		const struct form_value *v = f && strcmp(which, "paper") == 0 ? form_get(f, "person") : NULL;
		tv_set_bool(o, "selected", v && v->num == st[i].who.person_id);
	}
	tv_set_int(log, "id", id);
	tv_set_str(log, "name", arena_printf("%s %s", sum.subject_given_name, sum.subject_family_name));
	tv_set_str(log, "state", logbook_state_label(sum.state));
	tv_set(r->data, "log", log);
	tv_set(r->data, "consenters", consenters(st, n, az->role == AUTHZ_HOLDER));
	/* A withdrawn log takes no more consent (consent_give says so too). */
	bool locked = tv_truthy(tv_get(log, "consent.withdrawn"));
	tv_set_bool(r->data, "may_paper", az->may[AUTHZ_MANAGE] && n > 0 && !locked);
	tv_set_bool(r->data, "may_digital", az->may[AUTHZ_CONSENT] && required);
	tv_set(r->data, "persons", persons);
	tv_set(r->data, "own", own(st, n, s->person_id));
	bool is_paper = f && strcmp(which, "paper") == 0, is_digital = f && strcmp(which, "digital") == 0;
	tv_set(r->data, "paper_units", unit_list(&paper, is_paper ? f : NULL));
	tv_set(r->data, "digital_units", unit_list(&digital, is_digital ? f : NULL));
	if (f) {
		struct tv *fields = tv_obj();
		form_to_tv(f, fields);
		tv_set(r->data, which, fields);
		const char *kind = form_get(f, "kind")->value;
		tv_set_bool(r->data, arena_printf("%s_%s", which, kind), true);
	}
	tv_set_str(r->data, "title", _("Consent"));
	return resp_page(r, status, "consent");
}

static int show(struct req *r, int64_t id)
{
	struct authz az;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_READ, "log.consent", &az)) != 0)
		return rc;
	return page(r, id, &az, 200, NULL, NULL);
}

static const char *outcome_message(enum consent_outcome o)
{
	switch (o) {
	case CONSENT_NOT_CONSENTER:
		return _("This log does not need this person's consent.");
	case CONSENT_BAD_GIVEN:
		return _("The date given cannot be in the future, nor older than a consent lasts.");
	case CONSENT_BAD_UNTIL:
		return _("Valid until must be today or later, and no later than the municipality allows "
			 "after the "
			 "date given.");
	case CONSENT_BAD_SCOPE:
		return _("Choose at least one service the consent to cooperation covers.");
	case CONSENT_LOCKED:
		return _("The log is closed or its consent withdrawn: no consent can be recorded on it.");
	case CONSENT_NONE:
		return _("There is no consent of this kind to withdraw.");
	case CONSENT_DONE:
		break;
	}
	return "";
}

/* After consent_give or consent_withdraw: commit and go on, or show why not
 * (the transaction is undone; the page is read again in a new one). */
static int settle(struct req *r, int64_t id, enum consent_outcome o, struct form *f, const char *which,
		  const char *field, const char *next)
{
	if (o == CONSENT_DONE) {
		int rc = db_commit();
		return rc < 0 ? rc : resp_redirect(r, next);
	}
	db_rollback();
	if (f && field)
		field_error(f, field, outcome_message(o));
	else if (f && o == CONSENT_BAD_SCOPE)
		tv_set_str(r->data, arena_printf("%s_scope_error", which), outcome_message(o));
	else
		tv_set_str(r->data, "problem", outcome_message(o));
	struct authz az;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_READ, "log.consent", &az)) != 0)
		return rc;
	return page(r, id, &az, o == CONSENT_LOCKED || o == CONSENT_NONE ? 409 : 422, f, which);
}

static const char *outcome_field(enum consent_outcome o)
{
	switch (o) {
	case CONSENT_NOT_CONSENTER:
		return "person";
	case CONSENT_BAD_GIVEN:
		return "given_at";
	case CONSENT_BAD_UNTIL:
		return "valid_until";
	default:
		return NULL;
	}
}

/* r->form without the file part, for form_validate. */
static struct params without_file(const struct params *p)
{
	struct params out = { arena_alloc((p->n + 1) * sizeof *p->v), 0 };
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, FILE_FIELD) != 0)
			out.v[out.n++] = p->v[i];
	return out;
}

static int paper(struct req *r, int64_t id)
{
	const struct session *s = r->session;
	struct authz az;
	struct scope sc;
	struct form f;
	if (params_count(&r->form, FILE_FIELD) > 1)
		return 400;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_MANAGE, "consent.paper", &az)) != 0)
		return rc;
	if ((rc = load_scope(s->municipality_id, paper_fields, &sc)) < 0) {
		db_rollback();
		return rc;
	}
	struct params fields = without_file(&r->form);
	int valid = form_validate(&f, sc.fields, &fields);
	if (valid == FORM_BAD_REQUEST) {
		db_rollback();
		return 400;
	}
	const struct param *file = params_find(&r->form, FILE_FIELD);
	if (!file || file->value_len == 0)
		tv_set_str(r->data, "document_error", _("Attach the scanned, signed consent form."));
	else if (!document_sniff(file->value, file->value_len))
		tv_set_str(r->data, "document_error",
			   _("The file must be a PDF, or a JPEG or PNG image, of the signed form."));
	if (valid != FORM_OK || tv_get(r->data, "document_error"))
		return page(r, id, &az, 422, &f, "paper");
	bool cooperate = strcmp(form_get(&f, "kind")->value, "cooperate") == 0;
	struct consent_input in = {
		.person_id = form_get(&f, "person")->num,
		.kind = form_get(&f, "kind")->value,
		.method = "signed_form",
		.given_at = form_get(&f, "given_at")->value,
		.valid_until = form_get(&f, "valid_until")->present && *form_get(&f, "valid_until")->value
			? form_get(&f, "valid_until")->value
			: NULL,
	};
	if (cooperate)
		in.units = ticked(&f, &sc, &in.nunits);
	enum consent_outcome o;
	if ((rc = document_store(s, id, file->value, file->value_len, &in.document_id)) < 0 ||
	    (rc = consent_give(s, id, &in, &o)) < 0) {
		db_rollback();
		return rc;
	}
	return settle(r, id, o, &f, "paper", outcome_field(o),
		      arena_printf("/logg/%lld/samtykke", (long long)id));
}

static int digital(struct req *r, int64_t id)
{
	const struct session *s = r->session;
	struct authz az;
	struct scope sc;
	struct form f;
	int rc = db_begin();
	if (rc < 0 || (rc = authz_require(r, id, AUTHZ_CONSENT, "consent.digital", &az)) != 0)
		return rc;
	if ((rc = load_scope(s->municipality_id, digital_fields, &sc)) < 0) {
		db_rollback();
		return rc;
	}
	int valid = form_validate(&f, sc.fields, &r->form);
	if (valid == FORM_BAD_REQUEST) {
		db_rollback();
		return 400;
	}
	if (valid != FORM_OK)
		return page(r, id, &az, 422, &f, "digital");
	struct consent_input in = {
		.person_id = s->person_id,
		.kind = form_get(&f, "kind")->value,
		.method = "digital",
	};
	if (strcmp(in.kind, "cooperate") == 0)
		in.units = ticked(&f, &sc, &in.nunits);
	enum consent_outcome o;
	if ((rc = consent_give(s, id, &in, &o)) < 0) {
		db_rollback();
		return rc;
	}
	return settle(r, id, o, &f, "digital", NULL, arena_printf("/logg/%lld/samtykke", (long long)id));
}

/* GET: the "are you sure" page; POST: the withdrawal itself. */
static int withdraw(struct req *r, int64_t id, bool confirmed)
{
	struct form f;
	if (form_validate(&f, withdraw_fields, confirmed ? &r->form : &r->query) != FORM_OK)
		return 400; /* our pages send kind from a link or a hidden field */
	const char *kind = form_get(&f, "kind")->value;
	struct authz az;
	int rc = db_begin();
	if (rc < 0 ||
	    (rc = authz_require(r, id, AUTHZ_CONSENT,
				confirmed ? "consent.withdraw" : "consent.withdraw.confirm", &az)) != 0)
		return rc;
	if (!confirmed) {
		struct logbook_summary sum;
		if ((rc = logbook_summary(r->session->municipality_id, id, &sum)) <= 0 ||
		    (rc = db_commit()) < 0) {
			db_rollback();
			return rc == 0 ? 404 : rc;
		}
		tv_set_int(r->data, "log_id", id);
		tv_set_str(r->data, "name",
			   arena_printf("%s %s", sum.subject_given_name, sum.subject_family_name));
		tv_set_str(r->data, "kind", kind);
		tv_set_str(r->data, "kind_label", consent_kind_label(kind));
		tv_set_bool(r->data, "establish", strcmp(kind, "establish") == 0);
		tv_set_str(r->data, "title", _("Withdraw consent"));
		return resp_page(r, 200, "consent_withdraw");
	}
	enum consent_outcome o;
	if ((rc = consent_withdraw(r->session, id, r->session->person_id, kind, &o)) < 0) {
		db_rollback();
		return rc;
	}
	/* Without the consent to establish it, the log is closed to its
	 * guardians at once: back to their own page. */
	const char *next = strcmp(kind, "establish") == 0
		? "/min-side"
		: arena_printf("/logg/%lld/samtykke", (long long)id);
	return settle(r, id, o, NULL, NULL, NULL, next);
}

static int route(struct req *r)
{
	const char *rest = "";
	int64_t id = app_path_id(r->path, "/logg/", &rest);
	bool get = strcmp(r->method, "POST") != 0;
	if (!r->session)
		return get ? resp_redirect(r, "/") : 403;
	if (id == 0)
		return 404;
	if (get && strcmp(rest, "/samtykke") == 0)
		return show(r, id);
	if (strcmp(rest, "/samtykke/trekk") == 0)
		return withdraw(r, id, !get);
	if (get)
		return 404;
	if (strcmp(rest, "/samtykke/papir") == 0)
		return paper(r, id);
	if (strcmp(rest, "/samtykke/digital") == 0)
		return digital(r, id);
	return 404;
}

static const struct route routes[] = {
	{ "GET", "/logg/*", route },
	{ "POST", "/logg/*", route },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-consent", routes, APP_MAX_UPLOAD };
	return app_main(argc, argv, &prog);
}
