/* app.h — what a program in cgi-bin/ is: a table of routes served over
 * FastCGI (or once, as plain CGI, when started without a FastCGI socket).
 * A route declares its page: the path with its ids, whether it needs a
 * login, what authz must allow and how the access is audited, and the
 * fields of its form. app.c owns the request lifecycle around the handler
 * (README.md, "Architecture"). The top of lib/: depends on plumbing, on
 * session (who is logged in) and on authz (what they may do). */
#ifndef STAFETT_APP_H
#define STAFETT_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "authz.h"
#include "form.h"
#include "http.h"
#include "tmpl.h"

/* The ids a path may carry ("/logg/#/mal/#"). */
#define APP_MAX_IDS 4

struct req {
	/* The request, validated before any handler runs. */
	const char *method;	/* GET, HEAD (served as GET) or POST */
	const char *path;	/* decoded, starts with '/' */
	const char *request_id; /* 32 hex characters, also in every log line */
	const char *lang;	/* nb, nn or en */
	const char *remote_addr;
	bool https;
	struct params query;
	struct params form; /* POST body: urlencoded or multipart */
	struct params cookies;
	int64_t id[APP_MAX_IDS]; /* the path's '#' segments, in order */
	struct form in;		 /* the route's fields, validated (POST: the body; GET: the query) */
	struct authz az;	 /* what authz decided for the route's .need */
	struct tv *data;	 /* template data; app.c fills the common keys */
	struct session *session; /* the logged-in person, NULL if anonymous (session.h) */
	const char *saved;	 /* what a save that came back here saved (?lagret=, resp_saved), or NULL */

	/* The response. */
	int status;
	const char *content_type;
	struct buf headers; /* extra "Name: value\r\n" lines */
	struct buf body;
	bool responded;
	bool shown;	      /* the answer is a page of content, not an error page */
	const char *location; /* where a redirect sends the browser */
	const char *form_to;  /* an origin beyond our own this page's forms may post to (CSP form-action) */
	/* Instead of "no-store": the calendar feed's "private, max-age=...". */
	const char *cache_control;

	/* Internal. */
	char **envp;
	const struct route *route;
};

/* A handler returns 0 once it has responded, an HTTP status >= 400 for the
 * error page, or a negative db.h code (gone or busy: 503; other: 500). */
typedef int (*handler_fn)(struct req *r);

struct route {
	const char *method; /* "GET" (also serves HEAD) or "POST" */
	/* Segments matched exactly, '#' a positive id of at most 15 digits
	 * (into r->id[], in order), or a final '*' for any rest. */
	const char *path;
	handler_fn fn;
	/* Only for a logged-in person: anonymous, a GET goes to the front page
	 * and a POST is refused with 403. The request is one transaction:
	 * committed when the answer is below 400, rolled back otherwise. */
	bool login;
	/* Asked of authz_require on r->id before the handler, audited as
	 * .audit (required with .need); the decision is in r->az. */
	enum authz_action need;
	const char *audit;
	/* The form's fields (NULL-name terminated), validated before the
	 * handler: an unknown or repeated parameter is 400; mistakes are
	 * messages at the fields, in r->in. NULL: the handler reads r->form
	 * or r->query itself (the identity provider's requests). */
	const struct form_field *fields;
	bool upload; /* the body may be up to http.max_upload (a scanned form) */
	/* A form that creates something: the page's single-use token (_once)
	 * is used here once, and a second submit of the same form goes where
	 * the first went instead of creating again (SECURITY.md R6). */
	bool once;
	/* A POST from the identity provider's server, not from a browser: it
	 * carries no CSRF token and proves itself with a signed token instead. */
	bool from_provider;
};

struct program {
	const char *name;
	const struct route *routes; /* terminated by {NULL} */
};

int app_main(int argc, char **argv, const struct program *prog);

const char *req_env(const struct req *r, const char *name);
const char *req_cookie(const struct req *r, const char *name);
/* The value of a field of the route's form (r->in); see form_get. */
const struct form_value *req_field(const struct req *r, const char *name);
/* This browser's own random cookie (session.h), set on the response when
 * it has none yet. */
const char *req_browser(struct req *r);
/* The CSRF token for r's forms: the session's, else the browser's. NULL if
 * neither exists yet (a first GET sets the cookie). */
const char *req_csrf(struct req *r);
/* After a login: a new session, its cookie set, r->session it. Any session
 * the browser had is ended first. auth_time: the ID token's (session.h).
 * 0 or a negative db.h code. */
int req_session_begin(struct req *r, int64_t municipality_id, int64_t person_id, const char *oidc_sid,
		      const char *id_token, int64_t auth_time);

/* A sensitive step (SECURITY.md 9, 21: handing a log over, withdrawing a
 * consent) needs a login at most [login] fresh_minutes old. Its page calls
 * req_offer_fresh, which, when the login is older, has the page show
 * templates/fresh_login.html ({{> fresh_login}}) instead of its button: a
 * form that starts a login with max_age=0 at the person's provider and
 * comes back to BACK (a path of ours, app_return_target), where the step's
 * form then works. Its POST asks req_refuse_stale first: true when the
 * login is older, the refusal recorded (authz_refuse "login not fresh"),
 * and the handler answers with the same page at 403. */
bool req_fresh(const struct req *r);
void req_offer_fresh(struct req *r, const char *back);
bool req_refuse_stale(struct req *r);
/* Ends r->session (if any) in the database and clears the cookie. */
int req_session_end(struct req *r);

/* Renders PAGE inside the layout with r->data. */
int resp_page(struct req *r, int status, const char *page);
/* The answer to a view function's result (lib/view_*.h: 1 it filled
 * r->data, 0 the thing is not there, < 0 a db.h code): PAGE with status,
 * 404, or the error. */
int resp_view(struct req *r, int rc, int status, const char *page);
int resp_text(struct req *r, int status, const char *content_type, const char *text);
/* A body of len bytes as they are (a served document, which may hold NUL). */
int resp_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len);
/* 303 See Other to a local path (must start with a single '/'). */
int resp_redirect(struct req *r, const char *path);
/* 303 to PATH after a save, whose page then says what was saved: the
 * code WHAT (a key of app.c's table, "notat") goes in the query
 * (?lagret=notat, before any #fragment), never anything personal; the
 * page shows the code's message, in the reader's language, above its
 * content (templates/layout.html, "saved"). An unknown code is a bug:
 * logged, and the redirect goes without it. */
int resp_saved(struct req *r, const char *path, const char *what);
/* On to a URL we built ourselves (the identity provider's), after a POST:
 * a page that refreshes to it at once (see app.c for why not a 303). */
int resp_redirect_external(struct req *r, const char *url);
/* Renders the error page for status; returns 0. */
int resp_error(struct req *r, int status);
/* A header line; names and values with CR or LF are refused (logged). */
void resp_header(struct req *r, const char *name, const char *value);
/* max_age < 0: until the browser closes; 0: delete the cookie. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);

/* True if path is a safe local redirect target: "/x", not "//x" nor "/\x". */
bool app_local_path(const char *path);

/* A page opened while logged out is remembered for after the login: its
 * path (never its query) in this cookie for ten minutes, then with the
 * login in flight (lib/login.c), then the callback goes there. */
#define APP_RETURN_COOKIE "stafett-tilbake"
/* Whether path may be remembered and returned to: one of our own paths
 * (a local path of lower-case letters, digits, '-', '_' and single '/',
 * at most 200 characters; paths carry only ids), not "/" itself. */
bool app_return_path(const char *path);
/* Whether target may be returned to after a fresh login asked for by one
 * of our own pages: a return path, and at most a query of a few
 * name=value pairs of the same characters ("?kind=establish"), so a page
 * that takes its subject from the query comes back to the same subject. */
bool app_return_target(const char *target);

#endif
