/* login.h — signing in and out through ID-porten (OpenID Connect, oidc.h):
 * the login in flight (login_attempt: state, nonce and PKCE verifier kept
 * server-side, bound to the browser), the callback's checks in order, the
 * person found by their identity number, the new session, and the audit and
 * log lines of every refusal. Programs call these three and render. */
#ifndef STAFETT_LOGIN_H
#define STAFETT_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

struct req;
struct municipality;

enum {
	LOGIN_OK = 0,
	LOGIN_BAD_NUMBER = 1, /* a valid login whose identity number is not one (a future birth date): 400 */
	LOGIN_REFUSED = 400,  /* state, code or token not acceptable: start again */
	LOGIN_NOT_REGISTERED = 403, /* a valid login, but nobody in the municipality has that number */
	LOGIN_LIMITED = 429,	    /* too many attempts from this address or for this person */
	LOGIN_UNAVAILABLE = 502,    /* the provider cannot be reached, or no client is registered */
};

/* Starts a login at the municipality's provider. The page the browser
 * asked for while logged out (app.h, APP_RETURN_COOKIE) goes with the
 * login in flight, and the cookie is cleared. fresh: a sensitive step's
 * fresh authentication (app.h, req_offer_fresh): the provider is asked to
 * authenticate the person again (max_age=0), the callback refuses an older
 * auth_time, and back (app_return_target; NULL: none) is where to return
 * instead of the cookie's page. LOGIN_OK with *url to redirect to, another
 * LOGIN_ code, or a negative db.h code. */
int login_begin(struct req *r, const struct municipality *m, bool fresh, const char *back, char **url);

/* The provider's answer at /login/callback (query: code, state; or error).
 * LOGIN_OK once the session exists, with *back the page to go on to (the
 * one asked for before the login, app_return_target; NULL: none) and
 * *fresh whether it was a fresh authentication, another LOGIN_ code
 * (logged and audited with its reason), or a negative db.h code. */
int login_complete(struct req *r, const char **back, bool *fresh);

/* Where the browser goes after our session ended: the provider's
 * end-session endpoint, which takes these as a form POST (OpenID Connect
 * RP-Initiated Logout), never as a URL the browser's history would keep
 * the ID token in; or, endpoint NULL, our own logged-out page. */
struct login_logout {
	const char *endpoint;
	const char *origin; /* the endpoint's scheme://host[:port], for the page's CSP */
	const char *id_token_hint;
	const char *post_logout_redirect_uri;
	const char *state;
};
/* Ends r->session (audited) and fills *out. 0 or a negative db.h code. */
int login_end(struct req *r, struct login_logout *out);

/* A back-channel logout from the provider (POST logout_token): ends every
 * session of the sid it names. 0, LOGIN_REFUSED for a token that does not
 * validate (logged and audited), or a negative db.h code. */
int login_backchannel(struct req *r);

#endif
