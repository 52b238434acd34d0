/* view_home.c — "my page" as template values (view_home.h). */
#include "view_home.h"

#include <string.h>

#include "arena.h"
#include "authz.h"
#include "config.h"
#include "handover.h"
#include "i18n.h"
#include "logbook.h"
#include "mailpref.h"
#include "measure.h"
#include "municipality.h"
#include "mylogs.h"
#include "session.h"
#include "staff.h"
#include "tmpl.h"
#include "view.h"
#include "view_purge.h"

static struct tv *log_line(const struct mylogs_log *m)
{
	const struct logbook_item *l = &m->item;
	const struct measure_figures *f = &m->figures;
	struct tv *o = tv_obj();
	tv_set_int(o, "id", l->id);
	tv_set_str(o, "given_name", l->given_name);
	tv_set_str(o, "family_name", l->family_name);
	tv_set_str(o, "unit", l->unit_name);
	tv_set_str(o, "state", logbook_state_label(l->state));
	tv_set_str(o, "role", logbook_role_label(authz_role_name(m->az.role)));
	tv_set_str(o, "next_deadline", f->next_deadline ? f->next_deadline : "");
	tv_set_bool(o, "deadline_passed", f->deadline_passed);
	tv_set_int(o, "evaluations_due", f->evaluations_due);
	tv_set_int(o, "mine", f->mine);
	tv_set_str(o, "consent_until", l->consent_until ? l->consent_until : "");
	tv_set_bool(o, "consent_expiring", m->consent_expiring);
	/* A guardian or the young person finds their consents and receipts. */
	tv_set_bool(o, "consenter", m->az.role == AUTHZ_GUARDIAN || m->az.role == AUTHZ_YOUTH);
	return o;
}

/* A log of a guardian's child, or of the young person themself: the same
 * facts in their words (no roles, no "evaluations due"), for the list they
 * see instead of the staff's table. */
static struct tv *family_line(const struct mylogs_log *m)
{
	const struct logbook_item *l = &m->item;
	int due = m->figures.evaluations_due;
	struct tv *o = log_line(m);
	tv_set_str(o, "state", logbook_state_plain(l->state));
	if (due > 0)
		tv_set_str(o, "due", due == 1 ? _("one measure") : arena_printf("%d %s", due, _("measures")));
	return o;
}

static int add_logs(const struct session *s, const struct mylogs *m, struct tv *data)
{
	struct tv *list = tv_list(), *family = tv_list(), *ml = tv_list(), *el = tv_list();
	int nfamily = 0;
	for (int i = 0; i < m->n; i++) {
		enum authz_role role = m->logs[i].az.role;
		if (role == AUTHZ_GUARDIAN || role == AUTHZ_YOUTH) {
			tv_push(family, family_line(&m->logs[i]));
			nfamily++;
		} else {
			tv_push(list, log_line(&m->logs[i]));
		}
	}
	/* The staff's section (their table, a new log, consents to renew) for
	 * whoever has any of it, and for whoever has nothing at all. */
	tv_set_bool(data, "work",
		    m->n > nfamily || m->nwarnings > 0 || tv_truthy(tv_get(data, "may_create_log")) ||
			    nfamily == 0);
	for (int i = 0; i < m->nmine; i++) {
		const struct measure_mine *x = &m->mine[i];
		const struct mylogs_log *l = mylogs_find(m, x->log_id);
		struct tv *o = tv_push_obj(ml);
		tv_set_int(o, "id", x->id);
		tv_set_int(o, "log_id", x->log_id);
		tv_set_str(o, "description", x->description);
		tv_set_str(o, "deadline", x->deadline ? x->deadline : "");
		tv_set_str(o, "evaluation_date", x->evaluation_date ? x->evaluation_date : "");
		tv_set_str(o, "status", measure_status_label(x->status));
		tv_set_bool(o, "evaluation_due", x->evaluation_due);
		if (l)
			tv_set_str(o, "log_name", view_name(l->item.given_name, l->item.family_name));
	}
	for (int j = 0; j < m->nwarnings; j++) {
		const struct logbook_item *l = &m->warnings[j]->item;
		struct tv *o = tv_push_obj(el);
		tv_set_int(o, "log_id", l->id);
		tv_set_str(o, "name", view_name(l->given_name, l->family_name));
		tv_set_str(o, "consent_until", l->consent_until);
		tv_set_bool(o, "expired", l->consent_days_left < 0);
	}
	struct tv *wl = tv_list();
	for (int i = 0; i < m->nwithdrawn; i++) {
		struct tv *o = tv_push_obj(wl);
		tv_set_int(o, "id", m->withdrawn[i].id);
		tv_set_str(o, "name", view_name(m->withdrawn[i].given_name, m->withdrawn[i].family_name));
		/* Why it is not deleted yet: its archive copy. */
		int rc = view_purge_wait(s->municipality_id, m->withdrawn[i].id, o);
		if (rc < 0)
			return rc;
	}
	tv_set(data, "logs", list);
	tv_set(data, "family_logs", family);
	tv_set(data, "withdrawn", wl);
	tv_set(data, "my_measures", ml);
	tv_set(data, "consent_warnings", el);
	return 0;
}

/* Links to the units the person leads, the administrator's page and the
 * form for a new log, each only if authz allows it. Names of units are not
 * personal data: asked of authz, not audited. */
static int add_work(const struct session *s, struct tv *data)
{
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
	tv_set(data, "units", list);
	tv_set_bool(data, "admin", az.allow);
	n = staff_units_of(s->municipality_id, s->person_id, "staff", &units);
	for (int i = 0; i < n && rc == 0; i++)
		rc = authz_can_create_log(s, units[i].id);
	if (n < 0 || rc < 0)
		return n < 0 ? n : rc;
	tv_set_bool(data, "may_create_log", rc == 1);
	return 0;
}

/* Logs offered to the person (lib/handover.h): who offers which, without
 * the child's name (that is on the offer's own page), linked to the offer. */
static int add_offers(const struct session *s, struct tv *data)
{
	struct handover_pending *p;
	int n = handover_pending(s, &p);
	struct tv *list = tv_list();
	for (int i = 0; i < n; i++) {
		struct tv *o = tv_push_obj(list);
		tv_set_int(o, "id", p[i].id);
		tv_set_int(o, "log_id", p[i].log_id);
		tv_set_str(o, "from", view_name(p[i].from_given_name, p[i].from_family_name));
		tv_set_str(o, "from_unit", p[i].from_unit_name);
		tv_set_str(o, "to_unit", p[i].to_unit_name);
		tv_set_str(o, "expires_at", p[i].expires_at);
	}
	tv_set(data, "offers", list);
	return n < 0 ? n : 0;
}

int view_home(const struct session *s, struct tv *data)
{
	struct mylogs m;
	int rc = mylogs_load(s, (int)config_int("consent.warn_days"), &m);
	if (rc < 0 || (rc = add_work(s, data)) < 0 || (rc = add_offers(s, data)) < 0 ||
	    (rc = add_logs(s, &m, data)) < 0)
		return rc;
	/* How early an evaluation is due is the municipality's setting. */
	struct municipality_settings ms;
	if ((rc = municipality_settings(s->municipality_id, &ms)) < 0)
		return rc;
	tv_set_int(data, "due_days", rc == 1 ? ms.evaluation_warn_days : 0);
	struct mailpref nc;
	if ((rc = mailpref_get(s, &nc)) < 0)
		return rc;
	tv_set_bool(data, "email_notices", rc == 1 && nc.notices);
	return 0;
}
