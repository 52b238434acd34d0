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
#include "view.h"
#include "view_actors.h"

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

/* The id a form that came back chose in its select NAME, or 0 (the
 * page's other form has no such field). */
static int64_t chosen(const struct req *r, const char *name)
{
	const struct form_value *v = form_find(&r->in, name);
	return v ? v->num : 0;
}

/* The page; remove_id is the actor whose removal form came back. */
static int page(struct req *r, int status, int64_t remove_id)
{
	tv_set_str(r->data, "title", _("Actors and invitations"));
	return resp_view(
		r,
		view_actors(r->session, r->id[0], remove_id, chosen(r, "staff"), chosen(r, "unit"), r->data),
		status, "actors");
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
	const char *field;
	const char *message = invitation_refusal(o, &field);
	if (o == INVITATION_SELF)
		authz_refuse(&r->az, "self");
	/* The person is the staff member chosen or the number typed; the
	 * service, the staff member's unit or the one chosen. */
	if (strcmp(field, "person") == 0)
		field = staff ? "staff" : "nin";
	else if (strcmp(field, "service") == 0)
		field = staff ? "staff" : "unit";
	form_error(&r->in, field, message);
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
