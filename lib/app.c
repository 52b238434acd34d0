/* app.c — the request lifecycle shared by every program.
 * Reads the FastCGI (or CGI) environment, bounds and parses input before any
 * handler sees it, matches the route, refuses the anonymous, validates the
 * route's fields, runs a logged-in request as one transaction with authz's
 * decision first, renders every error through the one error template, and
 * releases the request's arena afterwards. */
#include "app.h"

#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "municipality.h"
#include "session.h"

#define MAX_ROUTES 64

extern char **environ;

/* The CSP in two parts around form-action, which a page may widen by one
 * origin (r->form_to: the identity provider's end-session endpoint). */
static const char *const csp_head = "Content-Security-Policy: default-src 'self'; script-src 'self'; "
				    "style-src 'self'; img-src 'self' data:; form-action 'self'";
static const char *const csp_tail = "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'\r\n";
static const char *const security_headers = "X-Content-Type-Options: nosniff\r\n"
					    "X-Frame-Options: DENY\r\n"
					    "Referrer-Policy: no-referrer\r\n";

static const struct {
	int status;
	const char *reason;
	const char *title;   /* msgid */
	const char *message; /* msgid */
} statuses[] = {
	{ 200, "OK", NULL, NULL },
	{ 303, "See Other", NULL, NULL },
	{ 304, "Not Modified", NULL, NULL },
	{ 400, "Bad Request", N_("Something was wrong with the request"),
	  N_("We could not read what your browser sent. Go back and try again.") },
	{ 403, "Forbidden", N_("No access"), N_("You do not have access to this page.") },
	{ 404, "Not Found", N_("Page not found"),
	  N_("We could not find the page you asked for. Check the address, or start again from the front "
	     "page.") },
	{ 405, "Method Not Allowed", N_("Not allowed"), N_("This page cannot be used that way.") },
	{ 409, "Conflict", N_("Changed by someone else"),
	  N_("Someone else changed this while you were working on it.") },
	{ 413, "Payload Too Large", N_("Too much data"),
	  N_("What you sent is larger than Stafett accepts.") },
	{ 415, "Unsupported Media Type", N_("Unsupported content"),
	  N_("What you sent is of a kind Stafett does not accept.") },
	{ 422, "Unprocessable Content", NULL, NULL },
	{ 429, "Too Many Requests", N_("Too many attempts"), N_("Wait a few minutes before you try again.") },
	{ 500, "Internal Server Error", N_("Something went wrong"),
	  N_("An error occurred on our side. It has been logged; if it happens again, give the reference "
	     "below to your support.") },
	{ 502, "Bad Gateway", N_("Temporarily unavailable"),
	  N_("Stafett is not answering right now. Try again in a minute.") },
	{ 503, "Service Unavailable", N_("Temporarily unavailable"),
	  N_("Stafett cannot reach its database right now. Nothing you sent has been saved. Try again in a "
	     "minute.") },
	{ 504, "Gateway Timeout", N_("Temporarily unavailable"),
	  N_("Stafett took too long to answer. Try again in a minute.") },
};

/* What a page says after a save that came back to it (resp_saved): the
 * code in the address, ?lagret=CODE, and its message. The one list: a
 * program names a code, the page shows its message; a code that is not
 * here shows nothing. */
#define SAVED_PARAM "lagret"
static const struct i18n_label saved_messages[] = {
	{ "notat", N_("The note is saved.") },
	{ "lysglimt", N_("The glimpse of light is saved.") },
	{ "bekymring", N_("The concern is saved.") },
	{ "mal", N_("The goal is saved.") },
	{ "tiltak", N_("The measure is saved.") },
	{ "evaluering", N_("The evaluation is saved.") },
	{ "grunndata", N_("The basic data is saved.") },
	{ "logg", N_("The log is created. It is a draft until consent is given.") },
	{ "aktiv", N_("The log is active again.") },
	{ "passiv", N_("The log is now passive.") },
	{ "avsluttet", N_("The log is closed.") },
	{ "forespurt", N_("Your request is sent to the log holder.") },
	{ "avsluttet-krav",
	  N_("The log is closed, as you decided. The log holder and the other guardians are told by "
	     "e-mail.") },
	{ "gjenapning-spurt",
	  N_("You have asked to reopen the log. Everyone whose consent it rests on is asked by e-mail; it "
	     "opens again when all of them have approved.") },
	{ "gjenapning-trukket", N_("The question is withdrawn. The log stays closed.") },
	{ "gjenapning-godkjent",
	  N_("You have approved reopening the log. It opens again when everyone asked has approved.") },
	{ "gjenapning-avslatt",
	  N_("You have refused reopening the log. It stays closed; the log holder "
	     "sees your answer.") },
	{ "gjenapnet", N_("Everyone has approved: the log is open and active again.") },
	{ "avslatt", N_("The request is declined.") },
	{ "samtykke", N_("The consent is saved.") },
	{ "trukket", N_("The consent is withdrawn.") },
	{ "bekreftet", N_("You have confirmed who you are with ID-porten. You can go on now.") },
	{ "slettet", N_("The draft is deleted.") },
	{ "ansatt", N_("The staff member is registered.") },
	{ "klarert", N_("The staff member may now create logs.") },
	{ "uklarert", N_("The staff member may no longer create logs.") },
	{ "enhet", N_("The unit is created.") },
	{ "leder", N_("The leader is appointed.") },
	{ "okt", N_("The session is ended.") },
	{ "innstillinger", N_("The settings are saved.") },
	{ "foresatt", N_("The guardian is added.") },
	{ "foresatt-fjernet", N_("The guardian is removed. They no longer have access to the log.") },
	{ "avtale", N_("The agreement is saved.") },
	{ "avtale-endret", N_("The agreement is changed. The old version is kept below it.") },
	{ "invitert", N_("The invitation is sent by e-mail. Its state is in the list of invitations.") },
	{ "invitasjon-sendt", N_("A new link is sent by e-mail. The old link no longer works.") },
	{ "invitasjon-trukket", N_("The invitation is withdrawn. Its link no longer works.") },
	{ "aktor-fjernet", N_("They are removed from the log and no longer have access to it.") },
	{ "aktor-godtatt", N_("You have accepted the invitation and now take part in the log.") },
	{ "melding", N_("The message is sent.") },
	{ "varsler", N_("Your choice of e-mail is saved.") },
	{ "mote",
	  N_("The meeting is planned. Everyone invited with an e-mail address gets the invitation.") },
	{ "mote-flyttet", N_("The meeting is moved. Everyone invited gets the new time by e-mail.") },
	{ "mote-avlyst", N_("The meeting is cancelled. Everyone invited is told by e-mail.") },
	{ "referat", N_("The minutes are saved.") },
	{ "referat-godkjent", N_("The minutes are approved and locked.") },
	{ "referat-kommentar", N_("Your comment is added to the minutes.") },
	{ "referat-rettelse", N_("The correction is added beside the minutes.") },
	{ "kalender-ny",
	  N_("Your calendar feed is made. Copy its address below now: it is shown only this once.") },
	{ "kalender-fornyet",
	  N_("Your calendar feed has a new address, shown below only this once. The old address no longer "
	     "works.") },
	{ "kalender-stoppet", N_("Your calendar feed is stopped. Its address no longer works.") },
	{ "overlevering-tilbudt",
	  N_("The log is offered. You hold it until they accept; the guardians and they are told by "
	     "e-mail.") },
	{ "overlevering-trukket", N_("The offer is withdrawn. You still hold the log.") },
	{ "overlevering-godtatt", N_("You have taken over the log and hold it now.") },
	{ "overlevering-avslatt", N_("You have declined the log. The one who offered it sees your reason.") },
	{ NULL },
};

static size_t status_index(int status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].status == status)
			return i;
	return status_index(500);
}

const char *req_env(const struct req *r, const char *name)
{
	const char *v = FCGX_GetParam(name, r->envp);
	return v ? v : "";
}

const char *req_cookie(const struct req *r, const char *name)
{
	return params_get(&r->cookies, name);
}

const struct form_value *req_field(const struct req *r, const char *name)
{
	return form_get(&r->in, name);
}

static bool has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

void resp_header(struct req *r, const char *name, const char *value)
{
	if (has_crlf(name) || has_crlf(value)) {
		log_error("refused a header with a line break");
		return;
	}
	buf_addf(&r->headers, "%s: %s\r\n", name, value);
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
	/* Secure whenever the site is served over TLS, and always for the
	 * __Host- names (which browsers refuse without it). */
	bool secure = r->https || config_bool("session.secure_cookie") || strncmp(name, "__Host-", 7) == 0;
	resp_header(r, "Set-Cookie",
		    arena_printf("%s=%s; Path=/%s; HttpOnly; SameSite=Lax%s", name, value,
				 max_age >= 0 ? arena_printf("; Max-Age=%ld", max_age) : "",
				 secure ? "; Secure" : ""));
}

bool app_local_path(const char *path)
{
	return path && path[0] == '/' && path[1] != '/' && path[1] != '\\' && !strpbrk(path, "\r\n\\");
}

bool app_return_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n > 1 && n <= 200 && app_local_path(path) && !strstr(path, "//") &&
		strspn(path, "abcdefghijklmnopqrstuvwxyz0123456789-_/") == n;
}

bool app_return_target(const char *target)
{
	const char *q = target ? strchr(target, '?') : NULL;
	if (!q)
		return app_return_path(target);
	size_t n = strlen(q + 1);
	if (n == 0 || n > 100 || (size_t)(q - target) + 1 + n > 200 ||
	    !app_return_path(arena_strndup(target, (size_t)(q - target))))
		return false;
	/* name=value(&name=value)*, each part non-empty */
	const char *word = "abcdefghijklmnopqrstuvwxyz0123456789-_";
	for (const char *p = q + 1;;) {
		size_t name = strspn(p, word);
		if (name == 0 || p[name] != '=')
			return false;
		p += name + 1;
		size_t value = strspn(p, word);
		if (value == 0)
			return false;
		p += value;
		if (*p == '\0')
			return true;
		if (*p != '&')
			return false;
		p++;
	}
}

int resp_text(struct req *r, int status, const char *content_type, const char *text)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->body);
	buf_adds(&r->body, text);
	r->responded = true;
	return 0;
}

/* As resp_text, for bytes that are not text (added for cgi-bin/document.c). */
int resp_bytes(struct req *r, int status, const char *content_type, const void *data, size_t len)
{
	r->status = status;
	r->content_type = content_type;
	buf_reset(&r->body);
	buf_add(&r->body, data, len);
	r->responded = true;
	return 0;
}

int resp_redirect(struct req *r, const char *path)
{
	if (!app_local_path(path))
		path = "/";
	r->location = path;
	r->shown = false;
	r->status = 303;
	resp_header(r, "Location", path);
	r->content_type = "text/plain; charset=utf-8";
	buf_reset(&r->body);
	r->responded = true;
	return 0;
}

int resp_saved(struct req *r, const char *path, const char *what)
{
	if (!*i18n_label(saved_messages, what)) {
		log_error("resp_saved: no message for %s", what ? what : "(null)");
		return resp_redirect(r, path);
	}
	size_t n = strcspn(path, "#");
	char sep = memchr(path, '?', n) ? '&' : '?';
	return resp_redirect(r,
			     arena_printf("%.*s%c" SAVED_PARAM "=%s%s", (int)n, path, sep, what, path + n));
}

/* ?lagret=CODE on a page: the code's message for the page (r->saved), and
 * the parameter taken out of the query, so the page's own fields never see
 * it (nor refuse it as unknown). */
static void take_saved(struct req *r)
{
	struct params *q = &r->query;
	size_t k = 0;
	for (size_t i = 0; i < q->n; i++) {
		if (strcmp(q->v[i].name, SAVED_PARAM) != 0) {
			q->v[k++] = q->v[i];
			continue;
		}
		const char *msg = i18n_label(saved_messages, q->v[i].value);
		if (*msg && !r->saved)
			r->saved = msg;
	}
	q->n = k;
}

const char *req_browser(struct req *r)
{
	const char *b = req_cookie(r, session_browser_cookie_name());
	if (session_browser_valid(b))
		return b;
	b = session_new_browser();
	if (!b)
		return NULL;
	resp_cookie(r, session_browser_cookie_name(), b, -1);
	/* Later calls in this request see the new cookie too. */
	struct params *c = &r->cookies;
	struct param *v = arena_alloc((c->n + 1) * sizeof *v);
	if (c->n)
		memcpy(v, c->v, c->n * sizeof *v);
	v[c->n] = (struct param){ .name = session_browser_cookie_name(), .value = b, .value_len = strlen(b) };
	c->v = v;
	c->n++;
	return b;
}

const char *req_csrf(struct req *r)
{
	if (r->session)
		return r->session->csrf;
	return session_browser_csrf(req_cookie(r, session_browser_cookie_name()));
}

int req_session_begin(struct req *r, int64_t municipality_id, int64_t person_id, const char *oidc_sid,
		      const char *id_token, int64_t auth_time)
{
	const char *token;
	struct session *s;
	int rc = req_session_end(r);
	if (rc < 0 ||
	    (rc = session_create(municipality_id, person_id, oidc_sid, id_token, auth_time, &token, &s)) < 0)
		return rc;
	/* No Max-Age: the cookie ends with the browser, the session earlier. */
	resp_cookie(r, session_cookie_name(), token, -1);
	r->session = s;
	return 0;
}

bool req_fresh(const struct req *r)
{
	return session_fresh(r->session, config_int("login.fresh_minutes"));
}

bool req_refuse_stale(struct req *r)
{
	if (req_fresh(r))
		return false;
	authz_refuse(&r->az, "login not fresh");
	return true;
}

void req_offer_fresh(struct req *r, const char *back)
{
	if (!r->session || req_fresh(r))
		return;
	tv_set_bool(r->data, "need_fresh", true);
	tv_set_str(r->data, "fresh_kommune", r->session->municipality);
	tv_set_str(r->data, "fresh_back", app_return_target(back) ? back : "");
	tv_set_int(r->data, "fresh_minutes", config_int("login.fresh_minutes"));
}

int req_session_end(struct req *r)
{
	const char *token = req_cookie(r, session_cookie_name());
	r->session = NULL;
	if (!token)
		return 0;
	resp_cookie(r, session_cookie_name(), "", 0);
	return session_destroy(token);
}

/* The session of the request's cookie, if any: r->session. */
static int load_session(struct req *r)
{
	int rc = session_find(req_cookie(r, session_cookie_name()), req_cookie(r, "kommune"), &r->session);
	if (rc == SESSION_UNKNOWN || rc == SESSION_EXPIRED)
		resp_cookie(r, session_cookie_name(), "", 0);
	if (rc == SESSION_EXPIRED)
		tv_set_bool(r->data, "session_ended", true);
	return rc < 0 ? rc : 0;
}

/* What every page's layout and forms need: the CSRF token (creating the
 * browser cookie on a first visit) and who is logged in. */
static bool match(const char *pattern, const char *path, int64_t *id);

/* The program being served: set_page_data looks in its routes for the page
 * a form lives on. */
static const struct program *serving;

/* Where the language choice returns to. A page that came back from a POST
 * (a form with mistakes) has no address of its own to return to, so the
 * nearest page above it that this program shows: /logg/7/tiltak/3/evaluering
 * returns to the measure's page /logg/7/tiltak/3, where the form is. */
static const char *back_path(const struct req *r)
{
	if (!r->path || strcmp(r->method, "POST") != 0)
		return r->path ? r->path : "/";
	char *p = arena_strdup(r->path);
	for (;;) {
		for (const struct route *rt = serving ? serving->routes : NULL; rt && rt->method; rt++) {
			int64_t id[APP_MAX_IDS];
			if (strcmp(rt->method, "GET") == 0 && match(rt->path, p, id))
				return p;
		}
		char *slash = strrchr(p, '/');
		if (!slash || slash == p)
			return "/";
		*slash = '\0';
	}
}

/* The form's mistakes for the summary at the top of the page (the layout):
 * each a link to its field, in the order of the form. A page whose fields
 * carry ids other than their names says how: data.error_anchor_prefix
 * ("note-": the field "text" is id "note-text"), error_anchor_suffix ("-12":
 * "title" is "title-12"), or error_anchor, an object of name: id. */
static void set_error_summary(struct req *r)
{
	if (r->in.nerrors == 0 || tv_get(r->data, "errors"))
		return;
	const char *prefix = tv_get_str(r->data, "error_anchor_prefix");
	const char *suffix = tv_get_str(r->data, "error_anchor_suffix");
	struct tv *list = tv_list();
	for (size_t i = 0; i < r->in.nfields; i++) {
		if (!r->in.v[i].error)
			continue;
		struct tv *o = tv_push_obj(list);
		const struct tv *own = tv_get(r->data, "error_anchor");
		const char *id = own ? tv_get_str(own, r->in.fields[i].name) : NULL;
		tv_set_str(o, "anchor",
			   id ? id
			      : arena_printf("%s%s%s", prefix ? prefix : "", r->in.fields[i].name,
					     suffix ? suffix : ""));
		tv_set_str(o, "message", r->in.v[i].error);
	}
	tv_set(r->data, "errors", list);
}

static void set_page_data(struct req *r)
{
	if (!r->session)
		req_browser(r);
	set_error_summary(r);
	tv_set_str(r->data, "back", back_path(r));
	if (r->session && r->session->municipality_name) {
		tv_set_str(r->data, "municipality_name", r->session->municipality_name);
	} else if (!r->session && req_cookie(r, "kommune")) {
		struct municipality m;
		if (municipality_by_slug(req_cookie(r, "kommune"), &m) == 1)
			tv_set_str(r->data, "municipality_name", m.name);
	}
	const char *csrf = req_csrf(r);
	tv_set_str(r->data, "csrf", csrf ? csrf : "");
	const char *once = r->session ? session_once_token(r->session) : NULL;
	if (once)
		tv_set_str(r->data, "once", once);
	if (r->session && r->session->ends_at > 0) {
		/* When the session ends if nothing more happens (SECURITY.md 19):
		 * said on every page, so the warning needs no JavaScript. */
		time_t t = (time_t)r->session->ends_at;
		struct tm tm;
		char at[8];
		if (localtime_r(&t, &tm) && strftime(at, sizeof at, "%H.%M", &tm) > 0)
			tv_set_str(r->data, "session_ends", arena_strdup(at)); /* tv keeps the pointer */
	}
	if (r->session && r->session->given_name) {
		struct tv *u = tv_obj();
		tv_set_str(u, "given_name", r->session->given_name);
		tv_set_str(u, "family_name", r->session->family_name);
		tv_set(r->data, "user", u);
	}
}

/* Our CSP allows forms to post only to this site (form-action 'self'), and
 * browsers apply that to the redirects after a post too. So a post that ends
 * at the identity provider answers with a page that goes on by itself (an
 * immediate meta refresh, with a link for when it does not). */
int resp_redirect_external(struct req *r, const char *url)
{
	tv_set_str(r->data, "refresh", url);
	tv_set_str(r->data, "title", _("Continue"));
	return resp_page(r, 200, "redirect");
}

int resp_page(struct req *r, int status, const char *page)
{
	set_page_data(r);
	if (r->saved && status < 400)
		tv_set_str(r->data, "saved", r->saved);
	buf_reset(&r->body);
	if (tmpl_render_page(&r->body, "layout", page, r->data) < 0) {
		log_error("template %s: %s", page, tmpl_error());
		if (status == 500) {
			/* The error page itself failed: a plain last resort. */
			return resp_text(r, 500, "text/plain; charset=utf-8", "500\n");
		}
		return resp_error(r, 500);
	}
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
	r->responded = true;
	r->shown = strcmp(page, "error") != 0 && strcmp(page, "log_closed") != 0;
	return 0;
}

int resp_view(struct req *r, int rc, int status, const char *page)
{
	if (rc <= 0)
		return rc == 0 ? 404 : rc;
	return resp_page(r, status, page);
}

int resp_error(struct req *r, int status)
{
	size_t i = status_index(status);
	if (!statuses[i].title)
		i = status_index(500);
	struct tv *e = tv_obj();
	tv_set_int(e, "status", statuses[i].status);
	tv_set_str(e, "title", _(statuses[i].title));
	tv_set_str(e, "message", _(statuses[i].message));
	tv_set(r->data, "error", e);
	tv_set_str(r->data, "title", _(statuses[i].title));
	buf_reset(&r->headers);
	if (statuses[i].status == 503)
		resp_header(r, "Retry-After", "30");
	return resp_page(r, statuses[i].status, "error");
}

/* --- input ------------------------------------------------------------- */

/* Whether path matches the route's pattern; its ids into id[]. */
static bool match(const char *pattern, const char *path, int64_t *id)
{
	int n = 0;
	for (;;) {
		size_t literal = strcspn(pattern, "#*");
		if (strncmp(pattern, path, literal) != 0)
			return false;
		pattern += literal;
		path += literal;
		if (*pattern != '#')
			return *pattern == '*' || *path == '\0';
		size_t k = strspn(path, "0123456789");
		if (k == 0 || k > 15 || *path == '0' || n == APP_MAX_IDS)
			return false;
		id[n++] = strtoll(path, NULL, 10);
		path += k;
		pattern++;
	}
}

static const struct route *find_route(const struct program *p, struct req *r, bool *path_known,
				      struct buf *allow)
{
	*path_known = false;
	for (const struct route *rt = p->routes; rt->method; rt++) {
		int64_t id[APP_MAX_IDS] = { 0 };
		if (!match(rt->path, r->path, id))
			continue;
		*path_known = true;
		if (allow->len)
			buf_adds(allow, ", ");
		buf_adds(allow, strcmp(rt->method, "GET") == 0 ? "GET, HEAD" : rt->method);
		if (strcmp(rt->method, r->method) == 0 ||
		    (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
			memcpy(r->id, id, sizeof id);
			return rt;
		}
	}
	return NULL;
}

/* Content-Length: digits only, no overflow. -1 if malformed. */
static long long parse_length(const char *s)
{
	if (!*s)
		return 0;
	long long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

struct io {
	FCGX_Stream *in, *out; /* NULL in CGI mode: stdin/stdout */
};

static int read_body(struct io *io, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		size_t chunk = len - got > (1 << 20) ? (1 << 20) : len - got;
		int n = io->in ? FCGX_GetStr(buf + got, (int)chunk, io->in)
			       : (int)fread(buf + got, 1, chunk, stdin);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	buf[len] = '\0';
	return 0;
}

/* The path, query string and cookies. 0, or the HTTP status to answer. */
static int read_head(struct req *r)
{
	const char *uri = req_env(r, "REQUEST_URI");
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	char *path;
	if (plen == 0 || http_decode_path(uri, plen, &path) < 0)
		return 400;
	r->path = path;
	const char *qs = req_env(r, "QUERY_STRING");
	if (http_parse_urlencoded(qs, strlen(qs), &r->query) < 0)
		return 400;
	const char *cookie = req_env(r, "HTTP_COOKIE");
	http_parse_cookies(cookie, &r->cookies);
	return 0;
}

/* Bounds, reads and parses a POST's body: refused before a byte of it is
 * read when it is larger than the route takes. 0, or the HTTP status. */
static int read_form(struct req *r, const struct route *rt, struct io *io)
{
	if (strcmp(r->method, "POST") != 0)
		return 0;
	long long len = parse_length(req_env(r, "CONTENT_LENGTH"));
	size_t max = (size_t)config_int(rt->upload ? "http.max_upload" : "http.max_body");
	if (len < 0)
		return 400;
	if ((unsigned long long)len > max)
		return 413;
	const char *ctype = req_env(r, "CONTENT_TYPE");
	const char *media = http_media_type(ctype);
	bool urlenc = strcmp(media, "application/x-www-form-urlencoded") == 0;
	bool multi = strcmp(media, "multipart/form-data") == 0;
	if (len > 0 && !urlenc && !multi)
		return 415;
	char *body = arena_alloc((size_t)len + 1);
	if (len > 0 && read_body(io, body, (size_t)len) < 0)
		return 400;
	int rc = urlenc || len == 0 ? http_parse_urlencoded(body, (size_t)len, &r->form)
				    : http_parse_multipart(body, (size_t)len, ctype, &r->form);
	return rc < 0 ? 400 : 0;
}

/* A POST must come from one of our own pages: the browser's Origin (when it
 * sends one) names this site, and the form carries the CSRF token of this
 * session or browser (SECURITY.md A3.28). */
static int check_post(struct req *r)
{
	const char *site = req_env(r, "HTTP_SEC_FETCH_SITE");
	if (*site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0) {
		log_warn("POST refused: Sec-Fetch-Site %s", site);
		return 403;
	}
	/* With Referrer-Policy: no-referrer, Chromium sends "Origin: null" on
	 * our own forms; then Sec-Fetch-Site and the token decide. */
	const char *origin = req_env(r, "HTTP_ORIGIN");
	if (*origin && strcmp(origin, "null") != 0) {
		/* Scheme and host both: http://host is another origin than ours
		 * on https (a network attacker's page could post from it). */
		const char *host = req_env(r, "HTTP_HOST");
		const char *scheme = r->https ? "https://" : "http://";
		size_t n = strlen(scheme);
		if (strncmp(origin, scheme, n) != 0 || strcmp(origin + n, host) != 0) {
			log_warn("POST refused: Origin is another site");
			return 403;
		}
	}
	const char *expected = req_csrf(r);
	const struct param *given = params_find(&r->form, "_csrf");
	if (!expected || !given || params_count(&r->form, "_csrf") != 1 ||
	    !crypto_streq(given->value, expected)) {
		log_warn("POST refused: %s CSRF token", given ? "wrong" : "no");
		tv_set_bool(r->data, "csrf_failed", true);
		return 403;
	}
	return 0;
}

static const char *request_id(const struct req *r)
{
	/* nginx's $request_id joins our log lines to its access log. */
	const char *id = req_env(r, "REQUEST_ID");
	size_t n = strlen(id);
	if (n == 32 && strspn(id, "0123456789abcdef") == 32)
		return id;
	const char *own = crypto_random_hex(16);
	return own ? own : "00000000000000000000000000000000";
}

static void set_common_data(struct req *r)
{
	struct tv *d = r->data;
	tv_set_str(d, "lang", r->lang);
	tv_set_bool(d, "lang_nb", strcmp(r->lang, "nb") == 0);
	tv_set_bool(d, "lang_nn", strcmp(r->lang, "nn") == 0);
	tv_set_bool(d, "lang_en", strcmp(r->lang, "en") == 0);
	/* What people write in a log is Norwegian; an English page says so on it. */
	if (strcmp(r->lang, "en") == 0)
		tv_set_str(d, "text_lang", "no");
	tv_set_str(d, "site_name", config_str("site.name"));
	tv_set_str(d, "request_id", r->request_id);
	tv_set_str(d, "path", r->path ? r->path : "/");
}

/* Between the two written forms of Norwegian the municipality decides
 * (DOMAIN.md §9: it sets the default, the person chooses). A browser that
 * asks for Norwegian says Bokmål (nb, no) whichever form its person
 * writes, as Norwegian systems come set up; one that asks for Nynorsk or
 * English was told to. So unless the person has chosen on our pages (the
 * lang cookie) or their browser asks for Nynorsk or English, a logged-in
 * person's page is in their municipality's form. */
static void municipal_lang(struct req *r)
{
	const char *d = r->session->default_lang;
	if (i18n_supported(req_cookie(r, "lang")) || !d || strcmp(r->lang, "nb") != 0 ||
	    strcmp(d, "nb") == 0 || !i18n_supported(d))
		return;
	r->lang = i18n_choose(d, NULL, r->lang);
	i18n_set(r->lang);
	set_common_data(r);
}

static void send_response(struct req *r, struct io *io)
{
	size_t i = status_index(r->status);
	struct buf h = { 0 };
	buf_addf(&h, "Status: %d %s\r\n", r->status,
		 statuses[i].status == r->status ? statuses[i].reason : "Error");
	buf_addf(&h, "Content-Type: %s\r\n", r->content_type ? r->content_type : "text/html; charset=utf-8");
	buf_adds(&h, csp_head);
	if (r->form_to) {
		buf_addc(&h, ' ');
		buf_adds(&h, r->form_to);
	}
	buf_adds(&h, csp_tail);
	buf_adds(&h, security_headers);
	/* Nothing is kept by a browser or a proxy, unless the handler says
	 * otherwise for an answer that names no one (the calendar feed). */
	buf_addf(&h, "Cache-Control: %s\r\n", r->cache_control ? r->cache_control : "no-store");
	if (r->https)
		buf_adds(&h, "Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n");
	buf_add(&h, r->headers.data ? r->headers.data : "", r->headers.len);
	buf_addf(&h, "Content-Length: %zu\r\n\r\n", r->body.len);
	bool head = strcmp(r->method, "HEAD") == 0;
	if (io->out) {
		FCGX_PutStr(h.data, (int)h.len, io->out);
		if (!head && r->body.len)
			FCGX_PutStr(r->body.data, (int)r->body.len, io->out);
	} else {
		fwrite(h.data, 1, h.len, stdout);
		if (!head && r->body.len)
			fwrite(r->body.data, 1, r->body.len, stdout);
		fflush(stdout);
	}
}

/* The field tables of the program's routes, in route order, with their
 * limits read from the settings once at start (form_resolve). */
static const struct form_field *resolved[MAX_ROUTES];

static const struct form_field *fields_of(const struct program *p, const struct route *rt)
{
	return resolved[rt - p->routes];
}

/* A request authz refused (STATUS). The second submit of a form whose
 * first use is what made it impossible (a double click on "Confirm" that
 * closed the log, or on "Delete" that deleted it) goes where the first
 * went, as every second submit does. A log refused because it is closed:
 * its holder is told why (authz.h, TRANSITION), with the way back to it. */
static int refused(struct req *r, int status)
{
	const char *token = r->route->once ? params_get(&r->form, "_once") : NULL, *went = NULL;
	if (token && params_count(&r->form, "_once") == 1) {
		int rc = session_once_seen(r->session, token, &went);
		if (rc < 0)
			return rc;
		if (rc == 1 && went)
			return resp_redirect(r, went);
	}
	if (status != 409 || !r->az.detail || strcmp(r->az.detail, "closed") != 0)
		return status;
	tv_set_int(r->data, "log_id", r->id[0]);
	tv_set_str(r->data, "title", _("The log is closed"));
	return resp_page(r, 409, "log_closed");
}

/* A form's single-use token, if it carries one: used now, in the
 * transaction (a second submit then waits for the first and goes where it
 * went). 0 to go on (*token the one used, NULL if none), 400 for a token
 * not made for this session, or 0 having answered with the first's result. */
static int use_once(struct req *r, const char **token)
{
	*token = params_get(&r->form, "_once");
	if (!*token)
		return 0; /* a page of ours always sends one; a script need not */
	if (params_count(&r->form, "_once") != 1)
		return 400;
	const char *result;
	int rc = session_once_use(r->session, *token, &result);
	if (rc < 0 || rc == SESSION_ONCE_NEW)
		return rc;
	if (rc == SESSION_ONCE_BAD)
		return 400;
	*token = NULL;
	authz_repeated(&r->az);
	return result ? resp_redirect(r, result) : 409;
}

/* One attempt at a logged-in request, in one transaction: authz's decision,
 * the form's single-use token, the handler; the access is recorded with what
 * came of it; committed when the answer is below 400, else rolled back with
 * the rows that stay written on their own. A commit that fails replaces the
 * answer. */
static int run_once(struct req *r, const struct route *rt)
{
	int rc = db_begin();
	if (rc < 0)
		return rc;
	if (rt->audit) {
		rc = authz_require(r->session, rt->need, r->id, rt->audit, &r->az);
		if (rc != 0)
			return rc > 0 ? refused(r, rc) : rc;
	}
	const char *once = NULL;
	if (rt->once && (rc = use_once(r, &once)) != 0)
		goto settle;
	if (r->responded)
		goto settle; /* the form was sent before: its answer is given */
	rc = rt->fn(r);
	if (rc == 0 && once && r->responded && r->location)
		rc = session_once_result(r->session, once, r->location);
settle:;
	int status = rc != 0 ? rc : r->responded ? r->status : 500;
	int a = authz_record(r->session, &r->az, r->responded && r->shown);
	if (a >= 0 && status > 0 && status < 400 && (a = db_commit()) >= 0)
		return rc;
	db_rollback();
	int k = audit_rolled_back();
	if (a < 0 || k < 0) {
		/* No page without its row (SECURITY.md 60): the answer is the error. */
		r->responded = false;
		return a < 0 ? a : k;
	}
	return rc;
}

/* A logged-in request: one attempt, and once more from the start if the
 * database gave up on a deadlock or a lock wait (the transaction is gone
 * whole, so nothing of the first is left) before that becomes a 503. */
static int run(struct req *r, const struct route *rt, const struct form_field *fields)
{
	size_t headers = r->headers.len;
	int rc = run_once(r, rt);
	if (rc != DB_BUSY)
		return rc;
	log_warn("%s %s: a deadlock or lock wait; once more", r->method, r->route->path);
	r->responded = false;
	r->shown = false;
	r->location = NULL;
	r->status = 0;
	r->headers.len = headers;
	buf_reset(&r->body);
	r->az = (struct authz){ 0 };
	struct tv *old = r->data;
	r->data = tv_obj();
	set_common_data(r);
	if (tv_get(old, "session_ended"))
		tv_set_bool(r->data, "session_ended", true);
	if (fields)
		form_validate(&r->in, fields, strcmp(rt->method, "POST") == 0 ? &r->form : &r->query);
	return run_once(r, rt);
}

/* From the route found to the handler's answer: the body, the CSRF token,
 * the login, the fields, then the handler (in its transaction if the route
 * is for the logged-in). 0 or the HTTP status to answer. */
static int dispatch(struct req *r, const struct program *p, struct io *io, const char **allow_methods)
{
	bool known;
	struct buf allow = { 0 };
	const struct route *rt = find_route(p, r, &known, &allow);
	if (!rt) {
		if (known)
			*allow_methods = allow.data;
		return known ? 405 : 404;
	}
	r->route = rt;
	bool post = strcmp(rt->method, "POST") == 0;
	if (!post)
		take_saved(r);
	int rc = read_form(r, rt, io);
	if (rc != 0)
		return rc;
	if (post && !rt->from_provider && (rc = check_post(r)) != 0)
		return rc;
	if (rt->login && !r->session) {
		if (!post) {
			/* To the front page, and back here after the login. */
			if (app_return_path(r->path))
				resp_cookie(r, APP_RETURN_COOKIE, r->path, 600);
			return resp_redirect(r, "/");
		}
		/* Refused, and the attempt recorded as every denial is (SECURITY.md 32). */
		return rt->audit ? authz_require(NULL, rt->need, r->id, rt->audit, &r->az) : 403;
	}
	const struct form_field *fields = fields_of(p, rt);
	if (fields && form_validate(&r->in, fields, post ? &r->form : &r->query) == FORM_BAD_REQUEST)
		return 400;
	return rt->login ? run(r, rt, fields) : rt->fn(r);
}

static void serve(const struct program *p, char **envp, struct io *io)
{
	struct req r = { 0 };
	r.envp = envp;
	r.data = tv_obj();
	r.request_id = request_id(&r);
	log_set_request(r.request_id);
	r.method = req_env(&r, "REQUEST_METHOD");
	r.remote_addr = req_env(&r, "REMOTE_ADDR");
	r.https = strcmp(req_env(&r, "HTTPS"), "on") == 0;
	r.path = "/";
	db_request_begin();

	int rc = read_head(&r);
	r.lang = i18n_choose(req_cookie(&r, "lang"), req_env(&r, "HTTP_ACCEPT_LANGUAGE"),
			     config_str("site.default_lang"));
	i18n_set(r.lang);
	set_common_data(&r);
	const char *allow_methods = NULL;
	if (rc == 0 && r.cookies.n > 0)
		rc = load_session(&r);
	if (r.session)
		municipal_lang(&r);
	if (rc == 0)
		rc = dispatch(&r, p, io, &allow_methods);
	db_request_end();
	if (rc < 0) {
		rc = rc == DB_GONE || rc == DB_BUSY ? 503 : 500;
		if (rc == 500)
			log_error("request failed: %s", db_error());
	}
	if (rc >= 400 || !r.responded) {
		resp_error(&r, rc >= 400 ? rc : 500);
		if (allow_methods)
			resp_header(&r, "Allow", allow_methods);
	}
	if (r.status >= 500)
		log_warn("%s %s -> %d", r.method, r.path, r.status);
	send_response(&r, io);
	log_set_request(NULL);
}

/* What is wrong with a route's declaration, or NULL. */
static const char *route_problem(const struct route *rt)
{
	int ids = 0;
	for (const char *c = rt->path; *c; c++)
		ids += *c == '#';
	bool of_unit = authz_of_unit(rt->need) && rt->need != AUTHZ_MUNI_ADMIN;
	int wanted = authz_of_log(rt->need) || of_unit ? 1 : 0;
	if (rt->need == AUTHZ_EVALUATE || rt->need == AUTHZ_DOCUMENT)
		wanted = 2;
	const char *star = strchr(rt->path, '*');
	if (strcmp(rt->method, "GET") != 0 && strcmp(rt->method, "POST") != 0)
		return "method is not GET or POST";
	if (rt->path[0] != '/')
		return "path does not start with /";
	if (star && star[1])
		return "* not at the end";
	if (ids > APP_MAX_IDS)
		return "too many ids";
	if ((rt->need != AUTHZ_ANYONE) != (rt->audit != NULL))
		return ".need and .audit go together";
	if (rt->audit && !rt->login)
		return ".need without .login";
	if (rt->once && (!rt->login || strcmp(rt->method, "POST") != 0))
		return ".once without .login and POST";
	if (ids < wanted)
		return "fewer ids than .need decides on";
	return NULL;
}

/* The route table is the program's declaration: what it says must hold
 * together, or the program does not start (a test starts every program). */
static int check_routes(const struct program *p)
{
	size_t n = 0;
	for (const struct route *rt = p->routes; rt->method; rt++, n++) {
		const char *bad = n >= MAX_ROUTES ? "too many routes" : route_problem(rt);
		if (bad) {
			log_error("%s %s: %s", rt->method, rt->path, bad);
			return -1;
		}
		resolved[n] = form_resolve(rt->fields);
	}
	return 0;
}

int app_main(int argc, char **argv, const struct program *prog)
{
	(void)argc;
	(void)argv;
	log_init(prog->name, false);
	if (config_load(NULL) < 0)
		return 1;
	log_init(prog->name, config_bool("log.syslog"));
	/* Every time a page shows is Oslo's (summer time included); the log
	 * lines keep UTC (log.c uses gmtime). */
	setenv("TZ", "Europe/Oslo", 1);
	tzset();
	serving = prog;
	if (check_routes(prog) < 0)
		return 1;
	if (i18n_init(config_str("paths.locale")) < 0)
		log_warn("translations unavailable; serving message ids");
	if (crypto_load_keys(config_str("crypto.key_file")) < 0)
		return 1;
	if (tmpl_init(config_str("paths.templates")) < 0) {
		log_error("templates: %s", tmpl_error());
		return 1;
	}
	/* Connect early so the first request is fast; a database that is down
	 * now is not fatal: requests answer 503 until it is back. */
	if (db_connect("database") < 0)
		log_warn("database unavailable at start: %s", db_error());

	if (FCGX_IsCGI()) {
		struct io io = { 0 };
		serve(prog, environ, &io);
		arena_reset();
		return 0;
	}
	if (FCGX_Init() != 0)
		return 1;
	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, 0, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&fr) >= 0) {
		struct io io = { fr.in, fr.out };
		serve(prog, fr.envp, &io);
		FCGX_Finish_r(&fr);
		arena_reset();
	}
	return 0;
}
