/* session.h — logged-in sessions, kept in MariaDB. The cookie holds 256 random
 * bits; only their SHA-256 is stored. A session ends after session.idle_minutes
 * without a request or session.absolute_hours after login, whichever comes
 * first, and at logout. Each session has its own CSRF token. Before login the
 * browser gets a random "browser" cookie: it binds a login in flight to the
 * browser that started it and keys the CSRF token of anonymous forms. */
#ifndef STAFETT_SESSION_H
#define STAFETT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

struct req;

struct session {
	int64_t municipality_id;
	int64_t person_id;
	char *csrf;	  /* 64 hex characters */
	char *given_name; /* for the page header */
	char *family_name;
	char *municipality;	   /* slug */
	char *oidc_sid;		   /* may be NULL */
	unsigned char id_hash[32]; /* SHA-256 of the cookie value: the row's key */
};

/* Called by app.c for every request: finds the session of the cookie, if
 * any, and sets r->session (NULL when anonymous or expired; an expired one is
 * deleted). 0, or a negative db.h code. */
int session_load(struct req *r);
/* A new session after a successful login: new random id, new CSRF token,
 * cookie set on the response. Any session the browser had is ended first. */
int session_create(struct req *r, int64_t municipality_id, int64_t person_id, const char *oidc_sid,
		   const char *id_token);
/* Ends r->session (if any) in the database and clears the cookie. */
int session_destroy(struct req *r);
/* Ends every session that the provider at ISSUER knows as sid (front-channel
 * logout; one provider serves many municipalities). The number ended, or a
 * negative db.h code. */
int session_end_sid(const char *issuer, const char *sid);
/* A person's sessions, for "your sessions" (SECURITY.md A2.20): the current
 * one first, then newest first. handle is a short public name for one (hex
 * of the first 8 bytes of its id_hash): enough to end it, useless as a cookie. */
struct session_info {
	char *handle;
	char *created_at;   /* YYYY-MM-DD HH:MM (UTC) */
	char *last_seen_at; /* YYYY-MM-DD HH:MM (UTC) */
	bool current;
};
int session_list(const struct session *s, struct session_info **out);
/* Ends the person's session with that handle (never another person's): the
 * number ended, 0 if none matched, or a negative db.h code. handle "others"
 * ends every session of the person but this one. */
int session_end_handle(const struct session *s, const char *handle);

/* The ID token kept for id_token_hint at logout (arena), or NULL. */
const char *session_id_token(const struct session *s);

/* The browser cookie, set on the response if absent (arena string). */
const char *session_browser(struct req *r);
/* The CSRF token for r's forms: the session's, else one derived from the
 * browser cookie. NULL if neither exists yet (a first GET sets the cookie). */
const char *session_csrf(struct req *r);

/* The cookie names: "__Host-stafett" when session.secure_cookie is on, else
 * "stafett" (plain http on loopback during development). */
const char *session_cookie_name(void);
const char *session_browser_cookie_name(void);

#endif
