/* view_consent.c — the consent page of view_consent.h. */
#include "view_consent.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
#include "db.h"
#include "i18n.h"
#include "logbook.h"
#include "session.h"
#include "staff.h"
#include "view.h"
#include "view_log.h"

/* Each consenter's consents; the signed form's link for the holder and for
 * the person who signed it (authz, DOCUMENT). */
static struct tv *consenters(const struct consent_status *st, int n, bool holder, int64_t viewer)
{
	static const char *const keys[] = { "none", "given", "expiring", "expired", "withdrawn" };
	struct tv *list = tv_list(), *person = NULL, *consents = NULL;
	for (int i = 0; i < n; i++) {
		if (i % 2 == 0) {
			person = tv_push_obj(list);
			tv_set_str(person, "name", view_name(st[i].who.given_name, st[i].who.family_name));
			tv_set_bool(person, "subject", st[i].who.subject);
			consents = tv_list();
			tv_set(person, "consents", consents);
		}
		struct tv *c = tv_push_obj(consents);
		tv_set_str(c, "kind", consent_kind_label(st[i].kind));
		tv_set_str(c, "state", consent_state_label(st[i].state));
		tv_set_str(c, "state_key", keys[st[i].state]);
		tv_set_bool(c, "has", st[i].state != CONSENT_STATE_NONE);
		tv_set_str(c, "method", consent_method_label(st[i].method));
		tv_set_str(c, "given_at", st[i].given_at ? st[i].given_at : "");
		tv_set_str(c, "valid_until", st[i].valid_until ? st[i].valid_until : "");
		tv_set_str(c, "withdrawn_at", st[i].withdrawn_at ? st[i].withdrawn_at : "");
		tv_set_str(c, "scope", st[i].scope ? st[i].scope : "");
		if ((holder || st[i].who.person_id == viewer) && st[i].document_id)
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

/* The active services a consent may name (staff_consent_units), each
 * ticked as in f if it is the form, else as in ticked[0..nticked-1] (the
 * viewer's standing choice), each marked if it works with the log now
 * (involved): the municipality's own as NAME, those of other
 * municipalities (for a child who moves there) as NAME_elsewhere, and
 * NAME_elsewhere_open when one of those is ticked. */
static void services(struct tv *data, const char *name, const struct staff_unit *units, int n,
		     const struct form *f, const int64_t *ticked, int nticked, const int64_t *involved,
		     int ninvolved)
{
	struct tv *own = tv_list(), *other = tv_list();
	bool other_ticked = false;
	for (int i = 0; i < n; i++) {
		if (!units[i].active)
			continue;
		struct tv *o = tv_push_obj(units[i].elsewhere ? other : own);
		tv_set_int(o, "id", units[i].id);
		tv_set_str(o, "name", units[i].name);
		tv_set_str(o, "kind", staff_kind_label(units[i].kind));
		tv_set_str(o, "municipality", units[i].elsewhere ? units[i].elsewhere : "");
		bool checked = false, now = false;
		if (f)
			checked = form_has_id(f, "unit", units[i].id);
		for (int k = 0; !f && k < nticked && !checked; k++)
			checked = ticked[k] == units[i].id;
		for (int k = 0; k < ninvolved && !now; k++)
			now = involved[k] == units[i].id;
		tv_set_bool(o, "checked", checked);
		tv_set_bool(o, "involved", now);
		other_ticked |= checked && units[i].elsewhere;
	}
	tv_set(data, name, own);
	tv_set(data, arena_printf("%s_elsewhere", name), other);
	tv_set_bool(data, arena_printf("%s_elsewhere_open", name), other_ticked);
}

/* The services that work with the log now, each with its people (the
 * holder first), for the texts; their unit ids into *involved. */
static struct tv *parties(const struct consent_party *p, int n, int64_t **involved, int *ninvolved)
{
	struct tv *list = tv_list(), **people = arena_alloc(((size_t)n + 1) * sizeof *people);
	int64_t *ids = arena_alloc(((size_t)n + 1) * sizeof *ids);
	int nids = 0;
	for (int i = 0; i < n; i++) {
		int k = 0;
		while (k < nids && ids[k] != p[i].unit_id)
			k++;
		if (k == nids) {
			struct tv *o = tv_push_obj(list);
			tv_set_str(o, "name", p[i].unit_name);
			tv_set_str(o, "kind", staff_kind_label(p[i].unit_kind));
			people[k] = tv_list();
			tv_set(o, "people", people[k]);
			ids[nids++] = p[i].unit_id;
		}
		struct tv *who = tv_push_obj(people[k]);
		tv_set_str(who, "name", view_name(p[i].given_name, p[i].family_name));
		tv_set_str(who, "title", p[i].title ? p[i].title : "");
		tv_set_bool(who, "holder", p[i].holder);
	}
	*involved = ids;
	*ninvolved = nids;
	return list;
}

/* Whose words the texts and receipts speak: a guardian's for a child, or a
 * young person's or a pregnant woman's for themself (the viewer is the
 * subject, who consents). */
static struct tv *voice(const struct logbook_summary *sum, bool self)
{
	struct tv *o = tv_obj();
	bool pregnancy = strcmp(sum->subject_kind, "pregnancy") == 0;
	tv_set_bool(o, "guardian", !self);
	tv_set_bool(o, "youth", self && !pregnancy);
	tv_set_bool(o, "pregnancy", self && pregnancy);
	return o;
}

/* What the consent texts say (templates/consent_text_*.html): who keeps
 * the log and how to reach them, how long a consent given today lasts, and
 * the services at work. */
static struct tv *terms(const struct consent_terms *t, const struct logbook_summary *sum,
			struct tv *services_now)
{
	struct tv *o = tv_obj();
	tv_set_str(o, "subject", view_name(sum->subject_given_name, sum->subject_family_name));
	tv_set_str(o, "subject_given", sum->subject_given_name);
	tv_set_str(o, "holder", view_name(t->holder_given_name, t->holder_family_name));
	tv_set_str(o, "holder_title", t->holder_title ? t->holder_title : "");
	tv_set_str(o, "unit", t->unit_name);
	tv_set_str(o, "email", t->holder_email ? t->holder_email : "");
	if (t->holder_email)
		tv_set_str(o, "email_href", arena_printf("mailto:%s", t->holder_email));
	tv_set_str(o, "phone", t->holder_phone ? t->holder_phone : "");
	tv_set_str(o, "municipality", t->municipality);
	tv_set_int(o, "consent_age", t->consent_age);
	tv_set_int(o, "valid_years", t->valid_years);
	tv_set_str(o, "valid_until", t->valid_until);
	tv_set(o, "services", services_now);
	return o;
}

/* The viewer's own consents on the log as receipts, newest first; the one
 * just given (id fresh) also as data.receipt (a list of it alone), for the
 * status message. */
static struct tv *receipts(const struct consent_receipt *r, int n, int64_t fresh, struct tv *data)
{
	struct tv *list = tv_list(), *now = tv_list();
	tv_set(data, "receipt", now);
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", r[i].id);
		tv_set_bool(o, "establish", strcmp(r[i].kind, "establish") == 0);
		tv_set_bool(o, "paper", strcmp(r[i].method, "signed_form") == 0);
		tv_set_str(o, "given_at", r[i].given_at);
		tv_set_str(o, "recorded_at", r[i].recorded_at);
		tv_set_str(o, "valid_until", r[i].valid_until);
		tv_set_str(o, "withdrawn_at", r[i].withdrawn_at ? r[i].withdrawn_at : "");
		tv_set_str(o, "scope", r[i].scope ? r[i].scope : "");
		if (r[i].id == fresh && !r[i].withdrawn_at)
			tv_push(now, o);
	}
	return list;
}

static bool stands(enum consent_state state)
{
	return state == CONSENT_STATE_GIVEN || state == CONSENT_STATE_EXPIRING;
}

/* The step a consenter sees (DOMAIN.md §4: 1 establish, 2 cooperate, 0
 * both given): the one a form that came back was for, else the one asked
 * for (2 only once the log's consent stands), else the first not given. */
static int step_of(const struct consent_status *est, const struct consent_status *coop, const struct form *f,
		   bool digital, int asked)
{
	if (digital)
		return strcmp(form_get(f, "kind")->value, "cooperate") == 0 ? 2 : 1;
	if (asked == 1 || !stands(est->state))
		return 1;
	if (asked == 2 || !stands(coop->state))
		return 2;
	return 0;
}

int view_consent(const struct session *s, const struct authz *az, int64_t log_id, const struct form *f,
		 const char *which, int step, int64_t receipt, struct tv *data)
{
	struct logbook_summary sum;
	struct consent_status *st;
	struct staff_unit *units;
	struct consent_receipt *rec;
	int n, nunits, nrec, rc = logbook_summary(s->municipality_id, log_id, &sum);
	if (rc <= 0)
		return rc;
	if ((n = consent_status(s->municipality_id, log_id, (int)config_int("consent.warn_days"), &st)) < 0)
		return n;
	if ((nunits = staff_consent_units(s->municipality_id, &units)) < 0)
		return nunits;
	if ((nrec = consent_receipts(s->municipality_id, log_id, s->person_id, &rec)) < 0)
		return nrec;
	bool paper = f && strcmp(which, "paper") == 0, digital = f && strcmp(which, "digital") == 0;
	const struct consent_status *mine = NULL; /* the viewer's establish, then cooperate */
	struct tv *persons = tv_list();
	for (int i = 0; i < n; i += 2) {
		if (st[i].who.person_id == s->person_id)
			mine = &st[i];
		struct tv *o = tv_push_obj(persons);
		tv_set_int(o, "id", st[i].who.person_id);
		tv_set_str(o, "name", view_name(st[i].who.given_name, st[i].who.family_name));
		tv_set_bool(o, "selected", paper && form_get(f, "person")->num == st[i].who.person_id);
	}
	struct tv *log = view_log_heading(data, &sum);
	view_log_consent(&sum, log);
	tv_set(data, "consenters", consenters(st, n, az->role == AUTHZ_HOLDER, s->person_id));
	/* A withdrawn log takes no more consent (consent_give says so too). */
	bool may_digital = az->may[AUTHZ_CONSENT] && mine;
	tv_set_bool(data, "may_paper", az->may[AUTHZ_MANAGE] && n > 0 && !sum.withdrawn);
	tv_set_bool(data, "may_digital", may_digital);
	tv_set(data, "persons", persons);
	tv_set(data, "own", az->may[AUTHZ_WITHDRAW] ? own(st, n, s->person_id) : tv_list());
	services(data, "paper_units", units, nunits, paper ? f : NULL, NULL, 0, NULL, 0);
	tv_set(data, "receipts", receipts(rec, nrec, receipt, data));
	tv_set(data, "voice", voice(&sum, mine && mine[0].who.subject));
	if (may_digital) {
		struct consent_terms t;
		struct consent_party *p;
		int64_t *involved, *ticked = NULL;
		int ninvolved, nticked = 0, np;
		if ((rc = consent_terms(s->municipality_id, log_id, &t)) <= 0)
			return rc < 0 ? rc : DB_ERROR;
		if ((np = consent_parties(s->municipality_id, log_id, &p)) < 0)
			return np;
		if (stands(mine[1].state) &&
		    (nticked = consent_scope_units(s->municipality_id, mine[1].id, &ticked)) < 0)
			return nticked;
		struct tv *now = parties(p, np, &involved, &ninvolved);
		int at = step_of(&mine[0], &mine[1], f, digital, step);
		tv_set(data, "terms", terms(&t, &sum, now));
		tv_set_bool(data, "step1", at == 1);
		tv_set_bool(data, "step2", at == 2);
		tv_set_bool(data, "steps_done", at == 0);
		tv_set_bool(data, "renew",
			    mine[0].state == CONSENT_STATE_EXPIRING ||
				    mine[1].state == CONSENT_STATE_EXPIRING);
		services(data, "digital_units", units, nunits, digital ? f : NULL, ticked, nticked, involved,
			 ninvolved);
	}
	if (f && paper) {
		/* The summary's links go to the paper form's own ids. */
		static const char *const ids[][2] = {
			{ "person", "paper-person" },  { "kind", "paper-kind" },
			{ "given_at", "paper-given" }, { "valid_until", "paper-until" },
			{ "unit", "paper-scope" },     { "document", "paper-document" }
		};
		struct tv *anchors = tv_obj();
		for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
			tv_set_str(anchors, ids[i][0], ids[i][1]);
		tv_set(data, "error_anchor", anchors);
	}
	if (f) {
		tv_set(data, which, view_form(f));
		tv_set_bool(data, arena_printf("%s_%s", which, form_get(f, "kind")->value), true);
	}
	tv_set_str(data, "title", _("Consent"));
	return 1;
}
