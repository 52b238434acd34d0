/* login.c — log in and out with ID-porten: start the login for the chosen
 * municipality, take the provider's answer, log out (here, then at the
 * provider), the provider's front- and back-channel logout, and the
 * logged-out page.
 * The flow itself is lib/login.c. Templates: login_error.html, logout.html,
 * logged_out.html. Tests: tests/http/test_login.py. */
#include <string.h>

#include "app.h"
#include "form.h"
#include "i18n.h"
#include "log.h"
#include "login.h"
#include "municipality.h"
#include "session.h"

static const struct form_field start_fields[] = {
	{ .name = "kommune",
	  .type = FORM_LINE,
	  .required = true,
	  .max_len = 40,
	  .label = N_("Municipality"),
	  .missing = N_("Choose your municipality.") },
	/* A sensitive step's "Confirm with ID-porten" (templates/fresh_login.html):
	 * authenticate again, then back to that page. */
	{ .name = "fresh", .type = FORM_BOOL },
	{ .name = "tilbake", .type = FORM_LINE, .max_len = 200 },
	{ NULL },
};

/* A refused login gets a page that says what to do next, never why in
 * detail: the reason is in the log and the audit trail. */
static int login_error(struct req *r, int code)
{
	const char *title, *message;
	int status = code;
	switch (code) {
	case LOGIN_BAD_NUMBER:
		status = 400;
		title = _("Your identity number was not accepted");
		message =
			_("ID-porten logged you in, but the identity number it gave us is not a valid "
			  "Norwegian identity number (fødselsnummer or D-number): its birth date lies in the "
			  "future or its check digits do not add up. Contact ID-porten's user support; "
			  "trying again will not help.");
		break;
	case LOGIN_NOT_REGISTERED:
		title = _("You are not registered");
		message =
			_("You logged in, but you are not registered in this municipality's Stafett. If you "
			  "should be, ask the person who holds the log to check the identity number they "
			  "registered for you.");
		break;
	case LOGIN_LIMITED:
		title = _("Too many attempts");
		message = _("There have been too many login attempts. Wait an hour before you try again.");
		break;
	case LOGIN_UNAVAILABLE:
		title = _("Login is not available");
		message = _("We cannot reach ID-porten right now. Try again in a few minutes.");
		break;
	default:
		title = _("The login was not completed");
		message = _(
			"The login could not be completed. This happens if you used the back button, "
			"waited too long or opened the login in another browser. Start again from the front "
			"page.");
		break;
	}
	tv_set_str(r->data, "title", title);
	tv_set_str(r->data, "message", message);
	return resp_page(r, status, "login_error");
}

static int start(struct req *r)
{
	if (r->in.nerrors)
		return resp_redirect(r, "/");
	struct municipality m;
	int rc = municipality_by_slug(req_field(r, "kommune")->value, &m);
	if (rc <= 0)
		return rc < 0 ? rc : resp_redirect(r, "/");
	const struct form_value *back = req_field(r, "tilbake");
	char *url;
	rc = login_begin(r, &m, req_field(r, "fresh")->num != 0, *back->value ? back->value : NULL, &url);
	if (rc < 0)
		return rc;
	if (rc != LOGIN_OK)
		return login_error(r, rc);
	return resp_redirect_external(r, url);
}

/* On to the page asked for before the login, or to one's own page; after
 * a fresh authentication, saying that it is done. */
static int callback(struct req *r)
{
	const char *back;
	bool fresh;
	int rc = login_complete(r, &back, &fresh);
	if (rc < 0)
		return rc;
	if (rc != LOGIN_OK)
		return login_error(r, rc);
	if (fresh)
		return resp_saved(r, back ? back : "/min-side", "bekreftet");
	return resp_redirect(r, back ? back : "/min-side");
}

/* Our session ends here; the provider's single sign-on session ends when
 * the browser posts the ID token to its end-session endpoint, from a page
 * whose button needs no JavaScript (the token never goes in a URL). */
static int logout(struct req *r)
{
	struct login_logout out;
	int rc = login_end(r, &out);
	if (rc < 0)
		return rc;
	/* Nothing of the session may stay in this browser (SECURITY.md A8.67). */
	resp_header(r, "Clear-Site-Data", "\"cache\", \"cookies\", \"storage\"");
	if (!out.endpoint)
		return resp_redirect(r, "/logget-ut");
	r->form_to = out.origin;
	tv_set_str(r->data, "endpoint", out.endpoint);
	tv_set_str(r->data, "id_token_hint", out.id_token_hint ? out.id_token_hint : "");
	tv_set_str(r->data, "post_logout_redirect_uri", out.post_logout_redirect_uri);
	tv_set_str(r->data, "state", out.state);
	tv_set_str(r->data, "title", _("Log out of ID-porten"));
	return resp_page(r, 200, "logout");
}

/* The provider tells us its session ended (OpenID Connect Front-Channel
 * Logout): no cookies are needed, unknown sids are ignored. */
static int frontchannel(struct req *r)
{
	const char *iss = params_get(&r->query, "iss"), *sid = params_get(&r->query, "sid");
	if (iss && sid) {
		int n = session_end_sid(iss, sid);
		if (n < 0)
			return n;
		if (n > 0)
			log_info("front-channel logout ended %d session(s)", n);
	}
	return resp_text(r, 200, "text/plain; charset=utf-8", "ok\n");
}

/* The provider's server tells us a session ended (OpenID Connect
 * Back-Channel Logout): 200 once done, 400 for a token that does not validate. */
static int backchannel(struct req *r)
{
	int rc = login_backchannel(r);
	if (rc < 0)
		return rc;
	return resp_text(r, rc == LOGIN_OK ? 200 : 400, "text/plain; charset=utf-8",
			 rc == LOGIN_OK ? "ok\n" : "invalid\n");
}

static int logged_out(struct req *r)
{
	tv_set_str(r->data, "title", _("You are logged out"));
	return resp_page(r, 200, "logged_out");
}

static const struct route routes[] = {
	{ "POST", "/login", start, .fields = start_fields },
	{ "GET", "/login/callback", callback },
	{ "POST", "/logout", logout },
	{ "GET", "/logout/frontchannel", frontchannel },
	{ "POST", "/logout/backchannel", backchannel, .from_provider = true },
	{ "GET", "/logget-ut", logged_out },
	{ NULL },
};

int main(int argc, char **argv)
{
	static const struct program prog = { "stafett-login", routes };
	return app_main(argc, argv, &prog);
}
