/* login.c — the relying party's flow around oidc.c: login_attempt rows, the
 * callback's checks, the session, and an audit row and a log line (reason
 * only, never the number) for every login, refusal and logout. */
#include "login.h"

#include <string.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "municipality.h"
#include "oidc.h"
#include "person.h"
#include "ratelimit.h"
#include "session.h"

#define ATTEMPT_MINUTES 10
#define HOUR 3600

/* This site as the browser reached it (scheme and Host). The provider only
 * accepts redirect URIs registered for the client, so a forged Host gets no
 * further than its error page. NULL if Host is not a plain host[:port]. */
static const char *site_url(struct req *r)
{
	const char *host = req_env(r, "HTTP_HOST");
	size_t n = strlen(host);
	if (n == 0 || n > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != n)
		return NULL;
	return arena_printf("%s://%s", r->https ? "https" : "http", host);
}

/* scheme://host[:port] of an http(s) URL, for a Content-Security-Policy
 * source; NULL if the URL has anything a CSP source could not hold. */
static const char *url_origin(const char *url)
{
	size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
	if (!scheme)
		return NULL;
	size_t host = strcspn(url + scheme, "/?#");
	if (host == 0 ||
	    strspn(url + scheme, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") <
		    host)
		return NULL;
	return arena_strndup(url, scheme + host);
}

static void refuse(int64_t municipality_id, const char *action, const char *reason)
{
	log_warn("%s: %s", action, reason);
	struct audit_entry e = {
		.municipality_id = municipality_id,
		.role = "anonymous",
		.action = action,
		.outcome = "refused",
		.detail = reason,
	};
	if (db_in_transaction())
		db_rollback();
	if (audit_event(&e) < 0)
		log_error("audit: could not record a refused login");
}

/* A login counts once against its address, when it starts (200 staff
 * behind one municipal address log in on one morning: [login]
 * per_address_per_hour). 1 within the limit, 0 over it (refused and
 * audited), or a negative db.h code. */
static int address_allowed(struct req *r, int64_t municipality_id)
{
	int rc = ratelimit_hit("login-address", r->remote_addr, config_int("login.per_address_per_hour"),
			       HOUR);
	if (rc == 0)
		refuse(municipality_id, "login.limited", "too many attempts from one address");
	return rc;
}

/* The callback of a login already counted: still held back when the
 * address is over its limit, without counting again. */
static int address_within(struct req *r)
{
	int rc = ratelimit_within("login-address", r->remote_addr, config_int("login.per_address_per_hour"),
				  HOUR);
	if (rc == 0)
		refuse(0, "login.limited", "too many attempts from one address");
	return rc;
}

/* A callback that fails counts against its address too: whoever tries
 * states or codes at random is held back like one who starts too many. */
static void failed(struct req *r, int64_t municipality_id, const char *reason)
{
	refuse(municipality_id, "login.failed", reason);
	if (ratelimit_hit("login-address", r->remote_addr, config_int("login.per_address_per_hour"), HOUR) <
	    0)
		log_error("login: could not count a failed login");
}

/* The provider of a municipality, discovered (cached per process). */
static int provider_for(int64_t municipality_id, struct municipality_oidc *client,
			const struct oidc_provider **p)
{
	int rc = municipality_oidc(municipality_id, client);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		log_warn("login: no OpenID Connect client registered for municipality %lld",
			 (long long)municipality_id);
		return LOGIN_UNAVAILABLE;
	}
	return oidc_discover(client->issuer, p) < 0 ? LOGIN_UNAVAILABLE : LOGIN_OK;
}

int login_begin(struct req *r, const struct municipality *m, bool fresh, const char *back_to, char **url)
{
	int rc = address_allowed(r, m->id);
	if (rc <= 0)
		return rc < 0 ? rc : LOGIN_LIMITED;
	struct municipality_oidc client;
	const struct oidc_provider *p;
	rc = provider_for(m->id, &client, &p);
	if (rc != LOGIN_OK)
		return rc;
	const char *site = site_url(r);
	const char *browser = req_browser(r);
	const char *back = req_cookie(r, APP_RETURN_COOKIE);
	if (back)
		resp_cookie(r, APP_RETURN_COOKIE, "", 0);
	if (fresh)
		back = back_to;
	bool back_ok = fresh ? app_return_target(back) : app_return_path(back);
	struct oidc_login l;
	if (!site || !browser || oidc_new_login(&l) < 0)
		return LOGIN_REFUSED;
	unsigned char state_hash[32], browser_hash[32];
	crypto_sha256(l.state, strlen(l.state), state_hash);
	crypto_sha256(browser, strlen(browser), browser_hash);
	rc = db_exec(
		"INSERT INTO login_attempt (state_hash, browser_hash, municipality_id, nonce, verifier, lang,"
		" return_to, fresh) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		"bbissssi", state_hash, sizeof state_hash, browser_hash, sizeof browser_hash,
		(long long)m->id, l.nonce, l.verifier, r->lang, back_ok ? back : NULL, (long long)fresh);
	if (rc < 0)
		return rc;
	/* Old attempts are of no use to anyone; clear them as we go. */
	rc = db_exec("DELETE FROM login_attempt WHERE created_at < NOW(3) - INTERVAL 1 DAY", NULL);
	if (rc < 0)
		return rc;
	*url = oidc_authorize_url(p, client.client_id, arena_printf("%s/login/callback", site), &l, r->lang,
				  fresh);
	crypto_wipe(l.verifier, sizeof l.verifier);
	return LOGIN_OK;
}

struct attempt {
	struct db_blob browser_hash;
	int64_t municipality_id;
	char *nonce;
	char *verifier;
	bool used;
	bool late;
	char *return_to; /* NULL: none */
	bool fresh;
	int64_t started; /* Unix time the attempt began (the database's clock) */
};
static const struct db_col attempt_cols[] = {
	DB_COL(struct attempt, browser_hash, DB_BLOB), DB_COL(struct attempt, municipality_id, DB_I64),
	DB_COL(struct attempt, nonce, DB_STR),	       DB_COL(struct attempt, verifier, DB_STR),
	DB_COL(struct attempt, used, DB_BOOL),	       DB_COL(struct attempt, late, DB_BOOL),
	DB_COL(struct attempt, return_to, DB_STR),     DB_COL(struct attempt, fresh, DB_BOOL),
	DB_COL(struct attempt, started, DB_I64),
};
static const struct db_map attempt_map = DB_MAP(struct attempt, attempt_cols);

/* Finds the attempt of this state and spends it: a state, and so the code
 * that came with it, is good for one callback only. */
static int take_attempt(struct req *r, const char *state, struct attempt *a, const char **reason)
{
	unsigned char h[32];
	crypto_sha256(state, strlen(state), h);
	int rc = db_select_one(
		&attempt_map, a,
		"SELECT browser_hash, municipality_id, nonce, verifier, used_at IS NOT NULL,"
		" created_at < NOW(3) - INTERVAL ? MINUTE, return_to, fresh, UNIX_TIMESTAMP(created_at)"
		" FROM login_attempt WHERE state_hash = ?",
		"ib", (long long)ATTEMPT_MINUTES, h, sizeof h);
	if (rc <= 0) {
		*reason = "unknown state";
		return rc < 0 ? rc : LOGIN_REFUSED;
	}
	const char *browser = req_cookie(r, session_browser_cookie_name());
	unsigned char bh[32];
	crypto_sha256(browser ? browser : "", browser ? strlen(browser) : 0, bh);
	if (a->used) {
		*reason = "state already used (replayed callback)";
		return LOGIN_REFUSED;
	}
	if (a->browser_hash.len != 32 || !crypto_equal(bh, a->browser_hash.data, 32)) {
		*reason = "state belongs to another browser";
		return LOGIN_REFUSED;
	}
	if (a->late) {
		*reason = "login took too long";
		return LOGIN_REFUSED;
	}
	rc = db_exec("UPDATE login_attempt SET used_at = NOW(3) WHERE state_hash = ? AND used_at IS NULL",
		     "b", h, sizeof h);
	if (rc < 0)
		return rc;
	if (rc != 1) {
		*reason = "state already used (replayed callback)";
		return LOGIN_REFUSED;
	}
	return LOGIN_OK;
}

/* Redeems the code and validates the ID token: the pid on success. */
static int token_for(struct req *r, const struct attempt *a, struct oidc_claims *claims, char **id_token,
		     const char **reason)
{
	struct municipality_oidc client;
	const struct oidc_provider *p;
	int rc = provider_for(a->municipality_id, &client, &p);
	if (rc != LOGIN_OK) {
		*reason = "provider unavailable";
		return rc;
	}
	const char *site = site_url(r);
	if (!site) {
		*reason = "bad Host header";
		return LOGIN_REFUSED;
	}
	const char *code = params_get(&r->query, "code");
	*id_token = oidc_redeem(p, client.client_id, client.secret, arena_printf("%s/login/callback", site),
				code, a->verifier, reason);
	crypto_wipe(client.secret, strlen(client.secret));
	if (!*id_token)
		return LOGIN_REFUSED;
	/* A fresh login's authentication must be this attempt's, not the
	 * provider's older single sign-on session (SECURITY.md 9). */
	rc = oidc_validate(p, *id_token, client.client_id, a->nonce, time(NULL), a->fresh ? a->started : 0,
			   claims, reason);
	return rc == OIDC_BAD_PID ? LOGIN_BAD_NUMBER : rc < 0 ? LOGIN_REFUSED : LOGIN_OK;
}

int login_complete(struct req *r, const char **back, bool *fresh)
{
	*back = NULL;
	*fresh = false;
	const char *state = params_get(&r->query, "state");
	const char *code = params_get(&r->query, "code");
	int rc = address_within(r);
	if (rc <= 0)
		return rc < 0 ? rc : LOGIN_LIMITED;
	if (params_get(&r->query, "error")) {
		failed(r, 0, "the provider answered with an error");
		return LOGIN_REFUSED;
	}
	if (!state || !code || params_count(&r->query, "state") != 1 ||
	    params_count(&r->query, "code") != 1) {
		failed(r, 0, "state or code missing");
		return LOGIN_REFUSED;
	}
	struct attempt a;
	const char *reason = NULL;
	rc = take_attempt(r, state, &a, &reason);
	if (rc < 0)
		return rc;
	if (rc != LOGIN_OK) {
		failed(r, 0, reason);
		return rc;
	}
	struct oidc_claims claims;
	char *id_token = NULL;
	rc = token_for(r, &a, &claims, &id_token, &reason);
	if (rc != LOGIN_OK) {
		failed(r, a.municipality_id, reason);
		return rc;
	}
	/* Per person as well as per address: the key is the number's keyed
	 * hash, so the counter table holds nothing that names anyone. */
	unsigned char mac[CRYPTO_HMAC_LEN];
	if (crypto_lookup_hash(claims.pid, strlen(claims.pid), mac) < 0)
		return DB_ERROR;
	rc = ratelimit_hit("login-person", crypto_hex(mac, sizeof mac),
			   config_int("login.per_person_per_hour"), HOUR);
	if (rc <= 0) {
		if (rc == 0)
			refuse(a.municipality_id, "login.limited", "too many logins for one person");
		return rc < 0 ? rc : LOGIN_LIMITED;
	}
	struct person who;
	rc = person_by_nin(a.municipality_id, claims.pid, &who);
	crypto_wipe(claims.pid, strlen(claims.pid));
	if (rc < 0)
		return rc;
	if (rc == 0) {
		failed(r, a.municipality_id, "pid matches nobody in the municipality");
		return LOGIN_NOT_REGISTERED;
	}
	struct audit_entry e = {
		.municipality_id = a.municipality_id,
		.person_id = who.id,
		.role = "person",
		.action = "login",
		.outcome = "ok",
		.detail = a.fresh ? "fresh" : NULL,
	};
	if ((rc = db_begin()) < 0 ||
	    (rc = req_session_begin(r, a.municipality_id, who.id, claims.sid, id_token, claims.auth_time)) <
		    0 ||
	    (rc = person_mark_login(who.id)) < 0 || (rc = audit_append(&e)) < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	log_info("login: person %lld", (long long)who.id);
	/* Checked again on the way out: only a path of ours. */
	*back = app_return_target(a.return_to) ? a.return_to : NULL;
	*fresh = a.fresh;
	return LOGIN_OK;
}

int login_end(struct req *r, struct login_logout *out)
{
	const char *site = site_url(r);
	*out = (struct login_logout){ 0 };
	if (!r->session)
		return 0;
	struct session s = *r->session;
	const char *id_token = session_id_token(&s);
	struct audit_entry e = {
		.municipality_id = s.municipality_id,
		.person_id = s.person_id,
		.role = "person",
		.action = "logout",
		.outcome = "ok",
	};
	int rc;
	if ((rc = db_begin()) < 0 || (rc = req_session_end(r)) < 0 || (rc = audit_append(&e)) < 0 ||
	    (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	/* Our session is gone; now the provider's single sign-on session. */
	struct municipality_oidc client;
	const struct oidc_provider *p;
	const char *state = crypto_random_hex(16);
	if (!site || !state || provider_for(s.municipality_id, &client, &p) != LOGIN_OK ||
	    !p->end_session_endpoint)
		return 0;
	const char *origin = url_origin(p->end_session_endpoint);
	if (!origin) {
		log_warn("logout: the provider's end_session_endpoint is not a plain http(s) URL");
		return 0;
	}
	*out = (struct login_logout){
		.endpoint = p->end_session_endpoint,
		.origin = origin,
		.id_token_hint = id_token,
		.post_logout_redirect_uri = arena_printf("%s/logget-ut", site),
		.state = state,
	};
	return 0;
}

int login_backchannel(struct req *r)
{
	const char *token = params_get(&r->form, "logout_token");
	char *issuer, *client_id;
	if (!token || oidc_token_peek(token, &issuer, &client_id) < 0) {
		refuse(0, "logout.backchannel", "no logout token");
		return LOGIN_REFUSED;
	}
	/* Issuer and audience are read unverified only to choose the client;
	 * the signature, issuer and audience are then checked with its settings. */
	struct municipality m;
	int rc = municipality_by_client(issuer, client_id, &m);
	if (rc <= 0) {
		if (rc == 0)
			refuse(0, "logout.backchannel", "unknown client");
		return rc < 0 ? rc : LOGIN_REFUSED;
	}
	struct municipality_oidc client;
	const struct oidc_provider *p;
	const char *reason = "provider unavailable";
	rc = provider_for(m.id, &client, &p);
	if (rc < 0)
		return rc;
	char *sid =
		rc == LOGIN_OK ? oidc_validate_logout(p, token, client.client_id, time(NULL), &reason) : NULL;
	if (!sid) {
		refuse(m.id, "logout.backchannel", reason);
		return LOGIN_REFUSED;
	}
	int n = session_end_sid(p->issuer, sid);
	if (n < 0)
		return n;
	log_info("back-channel logout ended %d session(s)", n);
	return LOGIN_OK;
}
