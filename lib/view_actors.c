/* view_actors.c — the holder's page of actors and invitations (view_actors.h). */
#include "view_actors.h"

#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "invitation.h"
#include "logbook.h"
#include "session.h"
#include "tmpl.h"
#include "view.h"

static void contact(struct tv *o, const char *title, const char *organisation, const char *email,
		    const char *phone)
{
	tv_set_str(o, "title", title ? title : "");
	tv_set_str(o, "organisation", organisation ? organisation : "");
	tv_set_str(o, "email", email ? email : "");
	tv_set_str(o, "phone", phone ? phone : "");
}

static struct tv *actor_item(const struct invitation_actor *a, int64_t open_id)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", a->id);
	tv_set_int(o, "version", a->version);
	tv_set_str(o, "name", view_name(a->given_name, a->family_name));
	tv_set_str(o, "unit", a->unit_name);
	tv_set_str(o, "task", a->task ? a->task : "");
	tv_set_str(o, "since", a->since);
	tv_set_str(o, "removed_at", a->removed_at ? a->removed_at : "");
	tv_set_bool(o, "open", a->id == open_id);
	contact(o, a->title, a->organisation, a->email, a->phone);
	return o;
}

static struct tv *invitation_item(const struct invitation *i)
{
	struct tv *o = tv_obj();
	tv_set_int(o, "id", i->id);
	tv_set_int(o, "version", i->version);
	tv_set_str(o, "name", view_name(i->given_name, i->family_name));
	tv_set_str(o, "unit", i->unit_name);
	tv_set_str(o, "task", i->task);
	tv_set_str(o, "created_at", i->created_at);
	tv_set_str(o, "expires_at", i->expires_at);
	tv_set_str(o, "accepted_at", i->accepted_at ? i->accepted_at : "");
	tv_set_str(o, "refused_at", i->refused_at ? i->refused_at : "");
	tv_set_str(o, "state", invitation_state_label(i->state));
	tv_set_str(o, "mail_reply", i->mail_reply ? i->mail_reply : "");
	bool open = strcmp(i->state, "accepted") != 0 && strcmp(i->state, "revoked") != 0;
	tv_set_bool(o, "open", open);
	contact(o, i->title, i->organisation, i->email, i->phone);
	return o;
}

int view_actors(const struct session *s, int64_t log_id, int64_t remove_id, int64_t chosen_staff,
		int64_t chosen_unit, struct tv *data)
{
	int64_t id = log_id;
	long long m = s->municipality_id;
	struct logbook_summary log;
	int rc = logbook_summary(s->municipality_id, id, &log);
	if (rc <= 0)
		return rc;
	struct invitation_actor *a;
	struct invitation *inv;
	struct invitation_staff *staff;
	struct invitation_service *svc;
	int na, ni, ns, nv;
	if ((na = invitation_actors(m, id, &a)) < 0)
		return na;
	if ((ni = invitation_list(m, id, &inv)) < 0)
		return ni;
	if ((ns = invitation_staff(m, id, &staff)) < 0)
		return ns;
	if ((nv = invitation_services(m, id, &svc)) < 0)
		return nv;
	view_log_heading(data, &log);
	struct tv *current = tv_list(), *former = tv_list(), *invs = tv_list(), *staff_list = tv_list(),
		  *services = tv_list();
	for (int i = 0; i < na; i++)
		tv_push(a[i].removed_at ? former : current, actor_item(&a[i], remove_id));
	for (int i = 0; i < ni; i++)
		tv_push(invs, invitation_item(&inv[i]));
	for (int i = 0; i < ns; i++) {
		struct tv *o = tv_push_obj(staff_list);
		tv_set_int(o, "id", staff[i].role_id);
		tv_set_str(o, "label",
			   arena_printf("%s, %s", view_name(staff[i].given_name, staff[i].family_name),
					staff[i].unit_name));
		tv_set_bool(o, "selected", chosen_staff == staff[i].role_id);
	}
	bool any_covered = false;
	for (int i = 0; i < nv; i++) {
		struct tv *o = tv_push_obj(services);
		tv_set_int(o, "id", svc[i].unit_id);
		tv_set_str(o, "name", svc[i].name);
		tv_set_bool(o, "covered", svc[i].covered);
		tv_set_bool(o, "selected", chosen_unit == svc[i].unit_id);
		any_covered |= svc[i].covered;
	}
	tv_set(data, "actors", current);
	tv_set(data, "former", former);
	tv_set(data, "invitations", invs);
	tv_set(data, "staff", staff_list);
	tv_set(data, "services", services);
	tv_set_bool(data, "any_covered", any_covered);
	tv_set_str(data, "title", _("Actors and invitations"));
	return 1;
}
