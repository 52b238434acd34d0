/* invitation.c — the invited person's side of an e-mailed invitation
 * (lib/invitation.h, SECURITY.md 10, 11, 15):
 *   GET  /invitasjon/TOKEN   the link in the mail: the token goes into a
 *                            short-lived cookie and the browser on to
 *                            /invitasjon, so it leaves the address bar, the
 *                            history and any referrer (the access logs show
 *                            the route only: conf/); a client that tries
 *                            many wrong tokens is held back (429)
 *   GET  /invitasjon         how the invitation stands: log in with ID-porten
 *                            in its municipality, then accept; or why the
 *                            link no longer works (used, replaced by a newer
 *                            one, revoked, expired)
 *   POST /invitasjon         accept: only the person the holder named, by the
 *                            number they log in with (authz_invitation); then
 *                            on to their first view of the log
 *   GET  /invitasjon/annen-person   after someone else tried: what happened
 * The page says nothing about whom the log is about before the invitation
 * is accepted. Templates: invitation.html. Tests: tests/http/test_invitation.py. */
#include <string.h>

#include "app.h"
#include "i18n.h"
#include "invitation.h"
#include "log.h"
#include "ratelimit.h"
#include "session.h"

#define COOKIE "stafett-invitasjon"
/* Wrong tokens from one address in an hour before it is held back. */
#define WRONG_PER_HOUR 100

static const char *state_name(enum invitation_link_state s)
{
	switch (s) {
	case LINK_VALID:
		return "valid";
	case LINK_ACCEPTED:
		return "accepted";
	case LINK_REPLACED:
		return "replaced";
	case LINK_REVOKED:
		return "revoked";
	case LINK_EXPIRED:
		return "expired";
	case LINK_CLOSED:
		return "closed";
	case LINK_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The page for a link in state l: 200 while it can be accepted, 410 once it
 * cannot, 404 for none of ours; status when not 0. */
static int page_as(struct req *r, const struct invitation_link *l, bool wrong_person, int status)
{
	if (!status)
		status = wrong_person		   ? 403
			: l->state == LINK_VALID   ? 200
			: l->state == LINK_UNKNOWN ? 404
						   : 410;
	const char *state = state_name(l->state);
	tv_set_str(r->data, "state", state);
	tv_set_bool(r->data, arena_printf("is_%s", state), true);
	tv_set_bool(r->data, "valid", l->state == LINK_VALID && !wrong_person);
	tv_set_bool(r->data, "wrong_person", wrong_person);
	if (l->state != LINK_UNKNOWN) {
		tv_set_str(r->data, "inviter", l->inviter_name);
		tv_set_str(r->data, "invitation_municipality", l->municipality_name);
		tv_set_str(r->data, "slug", l->municipality_slug);
		tv_set_str(r->data, "expires", l->expires_at);
	}
	/* Logged in as someone of this municipality: the button accepts; else
	 * the button logs in there and comes back here. */
	bool here = r->session && r->session->municipality_id == l->municipality_id;
	tv_set_bool(r->data, "logged_in_here", here);
	if (l->state == LINK_VALID && !here)
		resp_cookie(r, APP_RETURN_COOKIE, "/invitasjon", 600);
	tv_set_str(r->data, "title",
		   wrong_person ? _("This invitation is for someone else") : _("Invitation"));
	int rc = resp_page(r, status, "invitation");
	r->shown = false; /* nothing of a log is on this page */
	return rc;
}

static int page(struct req *r, const struct invitation_link *l, bool wrong_person)
{
	return page_as(r, l, wrong_person, 0);
}

/* The link from the mail. */
static int arrive(struct req *r)
{
	const char *token = r->path + strlen("/invitasjon/");
	/* Within while fewer than WRONG_PER_HOUR were wrong: the next is 429. */
	int rc = ratelimit_within("invite-token", r->remote_addr, WRONG_PER_HOUR - 1, 3600);
	if (rc <= 0)
		return rc == 0 ? 429 : rc;
	struct invitation_link l;
	if ((rc = invitation_by_token(token, false, &l)) < 0)
		return rc;
	if (l.state == LINK_UNKNOWN) {
		/* Counted at once (this route runs outside a transaction). */
		if ((rc = ratelimit_hit("invite-token", r->remote_addr, WRONG_PER_HOUR, 3600)) < 0)
			return rc;
		return page(r, &l, false);
	}
	if (l.state != LINK_VALID)
		log_info("invitation %lld: a link opened that is %s", (long long)l.id, state_name(l.state));
	/* Until the tab is closed or the hour is up; Path=/, HttpOnly, and
	 * Secure with SameSite=Lax as every cookie of ours (app.c). */
	resp_cookie(r, COOKIE, token, 3600);
	return resp_redirect(r, "/invitasjon");
}

static int show(struct req *r)
{
	struct invitation_link l;
	int rc = invitation_by_token(req_cookie(r, COOKIE), false, &l);
	if (rc < 0)
		return rc;
	return page(r, &l, false);
}

static int other_person(struct req *r)
{
	struct invitation_link l;
	int rc = invitation_by_token(req_cookie(r, COOKIE), false, &l);
	if (rc < 0)
		return rc;
	bool wrong = l.state == LINK_VALID && r->session &&
		(r->session->municipality_id != l.municipality_id || r->session->person_id != l.person_id);
	return page(r, &l, wrong);
}

static int accept(struct req *r)
{
	struct invitation_link l;
	int rc = invitation_by_token(req_cookie(r, COOKIE), true, &l);
	if (rc < 0)
		return rc;
	if (l.state != LINK_VALID)
		return page(r, &l, false);
	authz_invitation(r->session, l.municipality_id, l.log_id, l.person_id, "invitation.accept", &r->az);
	if (!r->az.allow) {
		/* Recorded on the invitation and told to the holder, so this
		 * request commits; the link stays the invited person's. */
		if ((rc = invitation_refused(&l)) < 0)
			return rc;
		return resp_redirect(r, "/invitasjon/annen-person");
	}
	enum accept_outcome o;
	if ((rc = invitation_accept(r->session, &l, &o)) < 0)
		return rc;
	if (o == ACCEPT_NOT_COVERED) {
		tv_set_bool(r->data, "not_covered", true);
		return page_as(r, &l, false, 409);
	}
	resp_cookie(r, COOKIE, "", 0);
	return resp_saved(r, arena_printf("/logg/%lld", (long long)l.log_id), "aktor-godtatt");
}

static const struct route routes[] = {
	{ "GET", "/invitasjon", show },
	{ "GET", "/invitasjon/annen-person", other_person },
	{ "GET", "/invitasjon/*", arrive },
	{ "POST", "/invitasjon", accept, .login = true },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-invitation", routes };
	return app_main(argc, argv, &prog);
}
