/* view_consent.c — the consent page of view_consent.h. */
#include "view_consent.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "consent.h"
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

/* The municipality's active services, each ticked as in f (if it is the form). */
static struct tv *services(const struct staff_unit *units, int n, const struct form *f)
{
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		if (!units[i].active)
			continue;
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", units[i].id);
		tv_set_str(o, "name", units[i].name);
		tv_set_str(o, "kind", staff_kind_label(units[i].kind));
		tv_set_bool(o, "checked", f && form_has_id(f, "unit", units[i].id));
	}
	return list;
}

int view_consent(const struct session *s, const struct authz *az, int64_t log_id, const struct form *f,
		 const char *which, struct tv *data)
{
	struct logbook_summary sum;
	struct consent_status *st;
	struct staff_unit *units;
	int n, nunits, rc = logbook_summary(s->municipality_id, log_id, &sum);
	if (rc <= 0)
		return rc;
	if ((n = consent_status(s->municipality_id, log_id, (int)config_int("consent.warn_days"), &st)) < 0)
		return n;
	if ((nunits = staff_units(s->municipality_id, &units)) < 0)
		return nunits;
	bool paper = f && strcmp(which, "paper") == 0, digital = f && strcmp(which, "digital") == 0;
	bool required = false;
	struct tv *persons = tv_list();
	for (int i = 0; i < n; i += 2) {
		required = required || st[i].who.person_id == s->person_id;
		struct tv *o = tv_push_obj(persons);
		tv_set_int(o, "id", st[i].who.person_id);
		tv_set_str(o, "name", view_name(st[i].who.given_name, st[i].who.family_name));
		tv_set_bool(o, "selected", paper && form_get(f, "person")->num == st[i].who.person_id);
	}
	struct tv *log = view_log_heading(data, &sum);
	view_log_consent(&sum, log);
	tv_set(data, "consenters", consenters(st, n, az->role == AUTHZ_HOLDER, s->person_id));
	/* A withdrawn log takes no more consent (consent_give says so too). */
	tv_set_bool(data, "may_paper", az->may[AUTHZ_MANAGE] && n > 0 && !sum.withdrawn);
	tv_set_bool(data, "may_digital", az->may[AUTHZ_CONSENT] && required);
	tv_set(data, "persons", persons);
	tv_set(data, "own", az->may[AUTHZ_WITHDRAW] ? own(st, n, s->person_id) : tv_list());
	tv_set(data, "paper_units", services(units, nunits, paper ? f : NULL));
	tv_set(data, "digital_units", services(units, nunits, digital ? f : NULL));
	if (f) {
		tv_set(data, which, view_form(f));
		tv_set_bool(data, arena_printf("%s_%s", which, form_get(f, "kind")->value), true);
	}
	tv_set_str(data, "title", _("Consent"));
	return 1;
}
