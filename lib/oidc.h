/* oidc.h — the relying-party side of OpenID Connect, as ID-porten wants it:
 * discovery, authorization code flow with PKCE (S256), state and nonce,
 * token redemption, and full ID-token validation (RS256 against the
 * provider's JWKS, iss, aud, exp/iat, nonce, acr, pid). HTTP through libcurl,
 * JSON through jansson, signatures through OpenSSL; nothing here knows
 * whether the provider is ID-porten or the development provider. */
#ifndef STAFETT_OIDC_H
#define STAFETT_OIDC_H

#include <stdbool.h>
#include <time.h>

#define OIDC_ACR "idporten-loa-high"
#define OIDC_SKEW 60 /* seconds of clock difference tolerated on exp and iat */

struct oidc_provider {
	char *issuer;
	char *authorization_endpoint;
	char *token_endpoint;
	char *jwks_uri;
	char *end_session_endpoint; /* may be NULL */
};

/* Values of one login, all from the CSPRNG: state and nonce 256 bits,
 * the PKCE verifier 64 characters, its S256 challenge. */
struct oidc_login {
	char state[44];
	char nonce[44];
	char verifier[65];
	char challenge[44];
};

struct oidc_claims {
	char *pid;
	char *sub;
	char *sid; /* may be NULL */
	char *acr;
	long long iat, exp;
	long long auth_time; /* when the person last proved who they are (provider's clock) */
};

/* Cached per process for an hour; 0, or -1 when the provider is unreachable
 * or its document is wrong (issuer must match byte for byte). */
int oidc_discover(const char *issuer, const struct oidc_provider **out);
int oidc_new_login(struct oidc_login *l);
/* The authorization request URL (arena string). fresh: the provider must
 * authenticate the person again whatever single sign-on session it holds
 * (max_age=0 and prompt=login; SECURITY.md 9), and the callback must check
 * auth_time (oidc_validate's auth_after). */
char *oidc_authorize_url(const struct oidc_provider *p, const char *client_id, const char *redirect_uri,
			 const struct oidc_login *l, const char *lang, bool fresh);
/* POSTs the code to the token endpoint (client_secret_basic); the ID token
 * (arena string), or NULL with *reason set. */
char *oidc_redeem(const struct oidc_provider *p, const char *client_id, const char *secret,
		  const char *redirect_uri, const char *code, const char *verifier, const char **reason);
/* Validates an ID token completely. auth_time must be there and not in
 * the future (beyond OIDC_SKEW); auth_after > 0 (a fresh login begun then)
 * further refuses an authentication older than that, since a provider that
 * ignored max_age would hand back its old single sign-on session, and a
 * browser may drop prompt=login on the way. 0 and the claims, or -1 with *reason
 * (for the log: never personal data); OIDC_BAD_PID when all else holds but
 * the pid claim is missing or not a valid identity number (nin.h: a check
 * digit, a birth date in the future), so the person can be told what was
 * wrong. An unknown kid refetches the JWKS once. */
#define OIDC_BAD_PID (-2)
int oidc_validate(const struct oidc_provider *p, const char *id_token, const char *client_id,
		  const char *nonce, time_t now, time_t auth_after, struct oidc_claims *out,
		  const char **reason);
/* Validates a back-channel logout token (signature, iss, aud, iat, the
 * logout event, no nonce). The sid it names (arena), or NULL with *reason. */
char *oidc_validate_logout(const struct oidc_provider *p, const char *logout_token, const char *client_id,
			   time_t now, const char **reason);
/* The token's issuer and first audience, NOT verified: only to find which
 * client's settings to verify it with. 0, or -1 if either is missing. */
int oidc_token_peek(const char *token, char **issuer, char **audience);
/* Forget cached documents and keys (tests). */
void oidc_reset(void);

#endif
