/* actors.c — the holder brings people into a log and takes them out
 * (lib/invitation.h; AUTHZ_ACTORS: MANAGE, and not once the consent is
 * withdrawn):
 *   GET  /logg/ID/aktor                         the actors with their tasks,
 *        the invitations with their state (sent, delivered to the mail
 *        server, accepted, expired, withdrawn, came back), and the forms
 *   POST /logg/ID/aktor/ansatt                  invite a cleared staff member
 *   POST /logg/ID/aktor/ekstern                 invite someone outside
 *   POST /logg/ID/aktor/invitasjon/IID/send     a new link (the old one dies)
 *   POST /logg/ID/aktor/invitasjon/IID/trekk    withdraw an invitation
 *   POST /logg/ID/aktor/AID/fjern               remove an actor: access ends
 *                                               at once; history keeps them
 * An invitation for a service the consent to cooperation does not cover is
 * refused at the field, with what to do, and nothing is sent. Template:
 * actors.html. Tests: tests/http/test_invitation.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "invitation.h"
#include "logbook.h"
#include "session.h"
#include "view.h"

/* clang-format off */
static const struct form_field staff_fields[] = {
	{ .name = "staff", .type = FORM_INT, .required = true, .min = 1, .max = 999999999999999,
	  .label = N_("Staff member"), .missing = N_("Choose the staff member you invite.") },
	{ .name = "task", .type = FORM_LINE, .required = true, .max_len = 300, .label = N_("Their task in the log"),
	  .missing = N_("Write what their task in the log is.") },
	{ .name = "email", .type = FORM_EMAIL, .label = N_("E-mail for the invitation") },
	{ NULL },
};
static const struct form_field external_fields[] = {
	{ .name = "given_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Given name"),
	  .missing = N_("Write the given name of the person you invite.") },
	{ .name = "family_name", .type = FORM_LINE, .required = true, .max_len = 100, .label = N_("Family name"),
	  .missing = N_("Write the family name of the person you invite.") },
	{ .name = "nin", .type = FORM_NIN, .required = true, .label = N_("National identity number"),
	  .missing = N_("Write the national identity number of the person you invite, 11 digits.") },
	{ .name = "title", .type = FORM_LINE, .max_len = 100, .label = NC_("person", "Title") },
	{ .name = "organisation", .type = FORM_LINE, .max_len = 150, .label = N_("Organisation") },
	{ .name = "email", .type = FORM_EMAIL, .required = true, .label = N_("E-mail"),
	  .missing = N_("Write the e-mail address the invitation goes to.") },
	{ .name = "phone", .type = FORM_PHONE, .label = N_("Phone") },
	{ .name = "unit", .type = FORM_INT, .required = true, .min = 1, .max = 999999999999999,
	  .label = N_("Service"), .missing = N_("Choose the service they take part for.") },
	{ .name = "task", .type = FORM_LINE, .required = true, .max_len = 300, .label = N_("Their task in the log"),
	  .missing = N_("Write what their task in the log is.") },
	{ NULL },
};
static const struct form_field version_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ NULL },
};
static const struct form_field remove_fields[] = {
	{ .name = "version", .type = FORM_INT, .required = true, .min = 1, .max = 2147483647 },
	{ .name = "reason", .type = FORM_LINE, .required = true, .max_len = 300, .label = N_("Why they are removed"),
	  .missing = N_("Write why they are removed from the log.") },
	{ NULL },
};
/* clang-format on */

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
	tv_set_bool(o, "problem",
		    strcmp(i->state, "bounced") == 0 || strcmp(i->state, "failed") == 0 ||
			    strcmp(i->state, "expired") == 0);
	contact(o, i->title, i->organisation, i->email, i->phone);
	return o;
}

/* The id chosen in the select NAME of the form that came back, or 0 (the
 * page's other forms have no such field). */
static int64_t chosen(const struct req *r, const char *name)
{
	for (size_t i = 0; i < r->in.nfields; i++)
		if (strcmp(r->in.fields[i].name, name) == 0)
			return r->in.v[i].num;
	return 0;
}

/* The page; remove_id is the actor whose removal form came back. */
static int page(struct req *r, int status, int64_t remove_id)
{
	const struct session *s = r->session;
	int64_t id = r->id[0];
	long long m = s->municipality_id;
	struct logbook_summary log;
	int rc = logbook_summary(s->municipality_id, id, &log);
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
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
	view_log_heading(r->data, &log);
	struct tv *current = tv_list(), *former = tv_list(), *invs = tv_list(), *staff_list = tv_list(),
		  *services = tv_list();
	for (int i = 0; i < na; i++)
		tv_push(a[i].removed_at ? former : current, actor_item(&a[i], remove_id));
	for (int i = 0; i < ni; i++)
		tv_push(invs, invitation_item(&inv[i]));
	int64_t chosen_staff = chosen(r, "staff"), chosen_unit = chosen(r, "unit");
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
	tv_set(r->data, "actors", current);
	tv_set(r->data, "former", former);
	tv_set(r->data, "invitations", invs);
	tv_set(r->data, "staff", staff_list);
	tv_set(r->data, "services", services);
	tv_set_bool(r->data, "any_covered", any_covered);
	tv_set_str(r->data, "title", _("Actors and invitations"));
	return resp_page(r, status, "actors");
}

static int show(struct req *r)
{
	return page(r, 200, 0);
}

static const char *actors_path(const struct req *r)
{
	return arena_printf("/logg/%lld/aktor", (long long)r->id[0]);
}

/* The message at the field for an outcome other than DONE. */
static void outcome_error(struct req *r, enum invitation_outcome o, bool staff)
{
	const char *nin = staff ? "staff" : "nin";
	switch (o) {
	case INVITATION_NOT_COVERED:
		form_error(&r->in, staff ? "staff" : "unit",
			   _("The consent to cooperation does not cover this service. Ask the guardians to "
			     "widen "
			     "the consent to this service first; nothing was sent."));
		break;
	case INVITATION_NO_ADDRESS:
		form_error(&r->in, "email",
			   _("We have no e-mail address for this staff member. Write the address "
			     "the invitation goes to."));
		break;
	case INVITATION_NO_SUCH_STAFF:
		form_error(&r->in, "staff", _("Choose a staff member from the list."));
		break;
	case INVITATION_NO_SUCH_UNIT:
		form_error(&r->in, "unit", _("Choose a service from the list."));
		break;
	case INVITATION_SELF:
		authz_refuse(&r->az, "self");
		form_error(&r->in, nin, _("You hold the log yourself. Invite someone else."));
		break;
	case INVITATION_SUBJECT:
		form_error(&r->in, nin,
			   _("This is the number of the one the log is about. Invite someone else."));
		break;
	case INVITATION_GUARDIAN:
		form_error(&r->in, nin, _("This person is a guardian in the log and reads it already."));
		break;
	case INVITATION_MANAGER:
		form_error(&r->in, nin,
			   _("This person is a leader or administrator in the municipality. Leaders see how "
			     "logs go, "
			     "never what is in them, so they cannot take part in one."));
		break;
	case INVITATION_ALREADY:
		form_error(&r->in, nin,
			   _("This person takes part in the log already, or has an invitation that "
			     "is not answered yet. See the list below."));
		break;
	case INVITATION_LIMIT:
		form_error(&r->in, "task",
			   _("You have sent as many invitations as one person may in a day. Try "
			     "again tomorrow."));
		break;
	default:
		form_error(&r->in, "task", _("The invitation could not be sent. Try again."));
		break;
	}
}

static int invite(struct req *r, bool staff)
{
	if (r->in.nerrors == 0) {
		struct invitation_new in = {
			.task = req_field(r, "task")->value,
			.email = req_field(r, "email")->value,
		};
		if (staff) {
			in.staff_role_id = req_field(r, "staff")->num;
		} else {
			in.person = (struct person_new){
				.given_name = req_field(r, "given_name")->value,
				.family_name = req_field(r, "family_name")->value,
				.nin = req_field(r, "nin")->value,
				.title = req_field(r, "title")->value,
				.email = req_field(r, "email")->value,
				.phone = req_field(r, "phone")->value,
			};
			in.organisation = req_field(r, "organisation")->value;
			in.unit_id = req_field(r, "unit")->num;
		}
		int64_t id;
		enum invitation_outcome o;
		int rc = invitation_create(r->session, r->id[0], &in, &id, &o);
		if (rc < 0)
			return rc;
		if (o == INVITATION_DONE)
			return resp_saved(r, actors_path(r), "invitert");
		outcome_error(r, o, staff);
	}
	tv_set(r->data, staff ? "staff_form" : "external_form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_prefix", staff ? "staff-" : "ext-");
	tv_set_bool(r->data, staff ? "staff_open" : "external_open", true);
	return page(r, 422, 0);
}

static int invite_staff(struct req *r)
{
	return invite(r, true);
}

static int invite_external(struct req *r)
{
	return invite(r, false);
}

/* Resend or withdraw: a changed or answered invitation is told, not redone. */
static int change(struct req *r, bool resend)
{
	if (r->in.nerrors != 0)
		return 400;
	enum invitation_outcome o;
	int version = (int)req_field(r, "version")->num;
	int rc = resend ? invitation_resend(r->session, r->id[0], r->id[1], version, &o)
			: invitation_revoke(r->session, r->id[0], r->id[1], version, &o);
	if (rc < 0)
		return rc;
	if (o == INVITATION_NOT_FOUND)
		return 404;
	if (o == INVITATION_DONE)
		return resp_saved(r, actors_path(r), resend ? "invitasjon-sendt" : "invitasjon-trukket");
	tv_set_bool(r->data, o == INVITATION_LIMIT ? "limit" : "conflict", true);
	return page(r, o == INVITATION_LIMIT ? 429 : 409, 0);
}

static int resend(struct req *r)
{
	return change(r, true);
}

static int revoke(struct req *r)
{
	return change(r, false);
}

static int remove_actor(struct req *r)
{
	int64_t aid = r->id[1];
	if (r->in.nerrors == 0) {
		enum actor_outcome o;
		int rc = invitation_remove_actor(r->session, r->id[0], aid, (int)req_field(r, "version")->num,
						 req_field(r, "reason")->value, &o);
		if (rc < 0)
			return rc;
		if (o == ACTOR_NOT_FOUND)
			return 404;
		if (o == ACTOR_REMOVED)
			return resp_saved(r, actors_path(r), "aktor-fjernet");
		tv_set_bool(r->data, "conflict", true);
		return page(r, 409, 0);
	}
	tv_set(r->data, "remove_form", view_form(&r->in));
	tv_set_str(r->data, "error_anchor_suffix", arena_printf("-%lld", (long long)aid));
	return page(r, 422, aid);
}

static const struct route routes[] = {
	{ "GET", "/logg/#/aktor", show, .login = true, .need = AUTHZ_ACTORS, .audit = "log.actors.read" },
	{ "POST", "/logg/#/aktor/ansatt", invite_staff, .login = true, .need = AUTHZ_ACTORS,
	  .audit = "log.actor.invite", .fields = staff_fields, .once = true },
	{ "POST", "/logg/#/aktor/ekstern", invite_external, .login = true, .need = AUTHZ_ACTORS,
	  .audit = "log.actor.invite", .fields = external_fields, .once = true },
	{ "POST", "/logg/#/aktor/invitasjon/#/send", resend, .login = true, .need = AUTHZ_ACTORS,
	  .audit = "log.actor.reinvite", .fields = version_fields, .once = true },
	{ "POST", "/logg/#/aktor/invitasjon/#/trekk", revoke, .login = true, .need = AUTHZ_ACTORS,
	  .audit = "log.actor.revoke", .fields = version_fields, .once = true },
	{ "POST", "/logg/#/aktor/#/fjern", remove_actor, .login = true, .need = AUTHZ_ACTORS,
	  .audit = "log.actor.remove", .fields = remove_fields, .once = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-actors", routes };
	return app_main(argc, argv, &prog);
}
