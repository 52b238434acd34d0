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

struct session {
	int64_t municipality_id;
	int64_t person_id;
	char *csrf;	  /* 64 hex characters */
	char *given_name; /* for the page header */
	char *family_name;
	char *municipality;	   /* slug */
	char *municipality_name;   /* for the page header */
	char *default_lang;	   /* the municipality's written form of Norwegian: nb or nn */
	char *oidc_sid;		   /* may be NULL */
	unsigned char id_hash[32]; /* SHA-256 of the cookie value: the row's key */
	int64_t ends_at;	   /* Unix time it ends if nothing more happens (idle or absolute) */
	int64_t auth_time; /* Unix time the person last proved who they are at the provider (0: unknown) */
};

/* What a session cookie's value finds (session_find). */
enum session_found {
	SESSION_NONE,	 /* no cookie of ours, or a session of another municipality than the browser chose */
	SESSION_FOUND,	 /* *out is the session */
	SESSION_UNKNOWN, /* no such session: the cookie should be cleared */
	SESSION_EXPIRED, /* it timed out and is deleted: clear the cookie, tell the person */
};
/* The session whose cookie value is token (NULL or malformed: none), for a
 * browser that has chosen the municipality with slug chosen (may be NULL);
 * moves its last_seen_at. An enum session_found (*out set when FOUND), or a
 * negative db.h code. Called by app.c for every request with cookies. */
int session_find(const char *token, const char *chosen, struct session **out);
/* A new session after a successful login: new random id and CSRF token.
 * auth_time is the ID token's (when the person authenticated at the
 * provider, which may be before this login: single sign-on). *token is the
 * cookie's value, *out the session. The caller ends any session the browser
 * had first (session_destroy). 0 or < 0. */
int session_create(int64_t municipality_id, int64_t person_id, const char *oidc_sid, const char *id_token,
		   int64_t auth_time, const char **token, struct session **out);
/* Whether the person proved who they are at the provider at most minutes
 * ago (SECURITY.md 9, 21: a sensitive step asks for a fresh login when not;
 * app.h, req_fresh). False for NULL or an unknown auth_time. */
bool session_fresh(const struct session *s, long minutes);
/* Ends the session whose cookie value is token, if any. 0 or < 0. */
int session_destroy(const char *token);
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
/* Ends the person's session with that handle (never another person's),
 * audited as session.end in the caller's transaction when one ended: the
 * number ended, 0 if none matched, or a negative db.h code. handle "others"
 * ends every session of the person but this one. */
int session_end_handle(const struct session *s, const char *handle);

/* The ID token kept for id_token_hint at logout (arena), or NULL. */
const char *session_id_token(const struct session *s);

/* Before login a browser gets a random cookie of its own: a new value, and
 * whether a value is one of ours. */
const char *session_new_browser(void);
bool session_browser_valid(const char *browser);
/* The CSRF token of an anonymous browser's forms, derived from its cookie
 * with the server's key; NULL for a value that is not ours. A logged-in
 * person's forms use the session's own (struct session .csrf). */
const char *session_browser_csrf(const char *browser);

/* A form's single-use token (SECURITY.md R6): a random nonce and its MAC
 * under the server's key, bound to the session; every page of a logged-in
 * person carries a fresh one for its create forms. */
const char *session_once_token(const struct session *s);
enum session_once {
	SESSION_ONCE_NEW,  /* first use: recorded in the open transaction */
	SESSION_ONCE_USED, /* used before: *result is where that use went (NULL: nowhere) */
	SESSION_ONCE_BAD,  /* not a token this session was given */
};
/* Uses token once, in the open transaction: a second use of it waits for
 * the first's transaction and then finds it USED; if the first was rolled
 * back, the token was never used. An enum session_once, or a negative db.h
 * code. */
int session_once_use(const struct session *s, const char *token, const char **result);
/* Where the request that used token went (a path), for a second use. */
int session_once_result(const struct session *s, const char *token, const char *result);
/* Whether token was used, without using it: 1 with *result where that use
 * went (NULL: nowhere), 0 if not (or not this session's), or a negative
 * db.h code. For a second submit that can no longer be allowed (the first
 * closed the log) and is told where the first went. */
int session_once_seen(const struct session *s, const char *token, const char **result);

/* The cookie names: "__Host-stafett" when session.secure_cookie is on, else
 * "stafett" (plain http on loopback during development). */
const char *session_cookie_name(void);
const char *session_browser_cookie_name(void);

#endif
