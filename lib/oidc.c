/* oidc.c — OpenID Connect relying party: libcurl for HTTP, jansson for JSON,
 * OpenSSL for RS256. Provider documents and keys are cached per process
 * (xmalloc); everything per request comes from the arena. */
#include "oidc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "log.h"
#include "nin.h"
#include "tmpl.h"

#define MAX_DOC (256 * 1024)
#define DOC_TTL 3600
#define MAX_KEYS 8
#define MAX_PROVIDERS 8

struct key {
	char *kid;
	EVP_PKEY *pkey;
};

struct cached {
	struct oidc_provider p;
	time_t fetched;
	struct key keys[MAX_KEYS];
	int nkeys;
	time_t keys_fetched;
};

static struct cached providers[MAX_PROVIDERS];
static int nproviders;

/* --- HTTP ---------------------------------------------------------------- */

static size_t on_data(char *data, size_t size, size_t n, void *user)
{
	struct buf *b = user;
	if (b->len + size * n > MAX_DOC)
		return 0; /* libcurl stops: a document this large is not for us */
	buf_add(b, data, size * n);
	return size * n;
}

/* GET (post == NULL) or POST a form; the body on 2xx, else NULL. */
static char *http_call(const char *url, const char *post, const char *user, const char *password,
		       long *status)
{
	static bool initialised;
	if (!initialised) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		initialised = true;
	}
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	struct buf b = { 0 };
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
	if (user) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	}
	CURLcode rc = curl_easy_perform(c);
	*status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		log_warn("oidc: %s", curl_easy_strerror(rc));
		return NULL;
	}
	return *status >= 200 && *status < 300 ? (b.data ? b.data : arena_strdup("")) : NULL;
}

static json_t *get_json(const char *url)
{
	long status;
	char *body = http_call(url, NULL, NULL, NULL, &status);
	if (!body) {
		log_warn("oidc: fetching a provider document failed (HTTP %ld)", status);
		return NULL;
	}
	return json_loads(body, JSON_REJECT_DUPLICATES, NULL);
}

static char *json_dup(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : NULL;
}

/* --- discovery and keys -------------------------------------------------- */

static void free_keys(struct cached *c)
{
	for (int i = 0; i < c->nkeys; i++) {
		free(c->keys[i].kid);
		EVP_PKEY_free(c->keys[i].pkey);
	}
	c->nkeys = 0;
}

static void free_provider(struct cached *c)
{
	free(c->p.issuer);
	free(c->p.authorization_endpoint);
	free(c->p.token_endpoint);
	free(c->p.jwks_uri);
	free(c->p.end_session_endpoint);
	free_keys(c);
	memset(c, 0, sizeof *c);
}

void oidc_reset(void)
{
	for (int i = 0; i < nproviders; i++)
		free_provider(&providers[i]);
	nproviders = 0;
}

int oidc_discover(const char *issuer, const struct oidc_provider **out)
{
	struct cached *c = NULL;
	for (int i = 0; i < nproviders; i++)
		if (strcmp(providers[i].p.issuer, issuer) == 0)
			c = &providers[i];
	time_t now = time(NULL);
	if (c && now - c->fetched < DOC_TTL) {
		*out = &c->p;
		return 0;
	}
	/* TLS always, except for a provider on this very machine (the
	 * development provider of the local stack and the tests). */
	if (strncmp(issuer, "https://", 8) != 0 && strncmp(issuer, "http://127.0.0.1:", 17) != 0 &&
	    strncmp(issuer, "http://localhost:", 17) != 0) {
		log_error("oidc: the issuer must be an https URL");
		return -1;
	}
	json_t *doc = get_json(arena_printf("%s/.well-known/openid-configuration", issuer));
	if (!doc)
		return -1;
	struct oidc_provider p = {
		json_dup(doc, "issuer"),
		json_dup(doc, "authorization_endpoint"),
		json_dup(doc, "token_endpoint"),
		json_dup(doc, "jwks_uri"),
		json_dup(doc, "end_session_endpoint"),
	};
	json_decref(doc);
	if (!p.issuer || strcmp(p.issuer, issuer) != 0 || !p.authorization_endpoint || !p.token_endpoint ||
	    !p.jwks_uri) {
		log_warn("oidc: the discovery document is incomplete or names another issuer");
		struct cached tmp = { .p = p };
		free_provider(&tmp);
		return -1;
	}
	if (!c) {
		if (nproviders == MAX_PROVIDERS)
			free_provider(&providers[--nproviders]);
		c = &providers[nproviders++];
	} else {
		free_provider(c);
	}
	c->p = p;
	c->fetched = now;
	*out = &c->p;
	return 0;
}

static struct cached *cached_for(const struct oidc_provider *p)
{
	for (int i = 0; i < nproviders; i++)
		if (&providers[i].p == p)
			return &providers[i];
	return NULL;
}

static EVP_PKEY *rsa_key(const char *n64, const char *e64)
{
	size_t nlen, elen;
	unsigned char *n = crypto_b64url_decode(n64, strlen(n64), &nlen);
	unsigned char *e = crypto_b64url_decode(e64, strlen(e64), &elen);
	if (!n || !e || nlen < 256 || nlen > 1024) /* 2048 to 8192 bits */
		return NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *bn = BN_bin2bn(n, (int)nlen, NULL), *be = BN_bin2bn(e, (int)elen, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (bn && be && bld && ctx && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) && EVP_PKEY_fromdata_init(ctx) == 1)
		EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(bn);
	BN_free(be);
	return pkey;
}

/* (Re)loads the provider's signing keys: RSA keys for signatures only. */
static int load_keys(struct cached *c)
{
	json_t *doc = get_json(c->p.jwks_uri);
	if (!doc)
		return -1;
	free_keys(c);
	json_t *keys = json_object_get(doc, "keys"), *k;
	size_t i;
	json_array_foreach(keys, i, k)
	{
		const char *kty = json_string_value(json_object_get(k, "kty"));
		const char *use = json_string_value(json_object_get(k, "use"));
		const char *kid = json_string_value(json_object_get(k, "kid"));
		const char *n = json_string_value(json_object_get(k, "n"));
		const char *e = json_string_value(json_object_get(k, "e"));
		if (!kty || strcmp(kty, "RSA") != 0 || (use && strcmp(use, "sig") != 0) || !kid || !n || !e ||
		    c->nkeys == MAX_KEYS)
			continue;
		EVP_PKEY *pkey = rsa_key(n, e);
		if (!pkey)
			continue;
		c->keys[c->nkeys].kid = xstrdup(kid);
		c->keys[c->nkeys].pkey = pkey;
		c->nkeys++;
	}
	json_decref(doc);
	c->keys_fetched = time(NULL);
	return 0;
}

static EVP_PKEY *find_key(struct cached *c, const char *kid)
{
	for (int i = 0; i < c->nkeys; i++)
		if (strcmp(c->keys[i].kid, kid) == 0)
			return c->keys[i].pkey;
	return NULL;
}

/* --- the flow ------------------------------------------------------------ */

int oidc_new_login(struct oidc_login *l)
{
	unsigned char r[32 + 32 + 48], h[32];
	if (crypto_random(r, sizeof r) < 0)
		return -1;
	snprintf(l->state, sizeof l->state, "%s", crypto_b64url_encode(r, 32));
	snprintf(l->nonce, sizeof l->nonce, "%s", crypto_b64url_encode(r + 32, 32));
	snprintf(l->verifier, sizeof l->verifier, "%s", crypto_b64url_encode(r + 64, 48));
	crypto_sha256(l->verifier, strlen(l->verifier), h);
	snprintf(l->challenge, sizeof l->challenge, "%s", crypto_b64url_encode(h, 32));
	OPENSSL_cleanse(r, sizeof r);
	return 0;
}

static void param(struct buf *b, const char *name, const char *value)
{
	buf_addc(b, memchr(b->data, '?', b->len) ? '&' : '?');
	url_encode(b, name, strlen(name));
	buf_addc(b, '=');
	url_encode(b, value, strlen(value));
}

char *oidc_authorize_url(const struct oidc_provider *p, const char *client_id, const char *redirect_uri,
			 const struct oidc_login *l, const char *lang, bool fresh)
{
	struct buf b = { 0 };
	buf_adds(&b, p->authorization_endpoint);
	param(&b, "response_type", "code");
	param(&b, "client_id", client_id);
	param(&b, "redirect_uri", redirect_uri);
	param(&b, "scope", "openid");
	param(&b, "state", l->state);
	param(&b, "nonce", l->nonce);
	param(&b, "code_challenge", l->challenge);
	param(&b, "code_challenge_method", "S256");
	param(&b, "acr_values", OIDC_ACR);
	param(&b, "ui_locales", lang);
	if (fresh) {
		/* Both: max_age is what OpenID Connect makes the provider honour
		 * (and answer with auth_time), prompt=login what ID-porten names
		 * for "log in again"; auth_time is checked either way. */
		param(&b, "max_age", "0");
		param(&b, "prompt", "login");
	}
	return b.data;
}

char *oidc_redeem(const struct oidc_provider *p, const char *client_id, const char *secret,
		  const char *redirect_uri, const char *code, const char *verifier, const char **reason)
{
	struct buf form = { 0 };
	buf_adds(&form, "grant_type=authorization_code&code=");
	url_encode(&form, code, strlen(code));
	buf_adds(&form, "&redirect_uri=");
	url_encode(&form, redirect_uri, strlen(redirect_uri));
	buf_adds(&form, "&code_verifier=");
	url_encode(&form, verifier, strlen(verifier));
	/* client_secret_basic: both parts form-encoded first (RFC 6749 §2.3.1). */
	struct buf user = { 0 }, pass = { 0 };
	url_encode(&user, client_id, strlen(client_id));
	url_encode(&pass, secret, strlen(secret));
	long status;
	char *body = http_call(p->token_endpoint, form.data, user.data, pass.data, &status);
	OPENSSL_cleanse(pass.data, pass.len);
	if (!body) {
		*reason = status ? "token endpoint refused the code" : "token endpoint unreachable";
		return NULL;
	}
	json_t *doc = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	const char *tok = json_string_value(json_object_get(doc, "id_token"));
	char *out = tok ? arena_strdup(tok) : NULL;
	json_decref(doc);
	if (!out)
		*reason = "no id_token in the token response";
	return out;
}

static json_t *decode_part(const char *s, size_t len)
{
	size_t n;
	unsigned char *raw = crypto_b64url_decode(s, len, &n);
	if (!raw || n > MAX_DOC)
		return NULL;
	return json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
}

static bool audience_ok(json_t *claims, const char *client_id)
{
	json_t *aud = json_object_get(claims, "aud");
	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0;
	if (!json_is_array(aud) || json_array_size(aud) == 0)
		return false;
	bool found = false;
	size_t i;
	json_t *a;
	json_array_foreach(aud, i, a) found |=
		json_is_string(a) && strcmp(json_string_value(a), client_id) == 0;
	if (!found)
		return false;
	if (json_array_size(aud) > 1) {
		/* Several audiences: the token must have been issued to us. */
		const char *azp = json_string_value(json_object_get(claims, "azp"));
		return azp && strcmp(azp, client_id) == 0;
	}
	return true;
}

static int check_signature(struct cached *c, json_t *header, const char *signed_part, size_t signed_len,
			   const char *sig64, const char **reason)
{
	const char *alg = json_string_value(json_object_get(header, "alg"));
	const char *kid = json_string_value(json_object_get(header, "kid"));
	/* Exactly RS256: "none", HS256 with the public key as secret and every
	 * other algorithm are refused before any key is looked at. */
	if (!alg || strcmp(alg, "RS256") != 0)
		return *reason = "algorithm is not RS256", -1;
	if (!kid)
		return *reason = "no kid in the token header", -1;
	EVP_PKEY *key = find_key(c, kid);
	if (!key && time(NULL) - c->keys_fetched >= 1) {
		/* An unknown kid may mean the provider rotated its keys: look once. */
		if (load_keys(c) == 0)
			key = find_key(c, kid);
	}
	if (!key)
		return *reason = "unknown kid", -1;
	size_t siglen;
	unsigned char *sig = crypto_b64url_decode(sig64, strlen(sig64), &siglen);
	if (!sig)
		return *reason = "signature is not base64url", -1;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
		EVP_DigestVerify(md, sig, siglen, (const unsigned char *)signed_part, signed_len) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return *reason = "signature does not verify", -1;
	return 0;
}

/* What ID tokens and logout tokens share: a compact JWS, RS256 by one of the
 * provider's keys, our issuer and audience, iat not in the future, and exp
 * (when required) not past. The claims (caller decrefs), or NULL with *reason. */
static json_t *verified_claims(const struct oidc_provider *p, const char *token, const char *client_id,
			       time_t now, bool exp_required, const char **reason)
{
	struct cached *c = cached_for(p);
	if (!c)
		return *reason = "provider not discovered", NULL;
	if (c->nkeys == 0 && load_keys(c) < 0)
		return *reason = "keys unavailable", NULL;
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot1 || !dot2 || strchr(dot2 + 1, '.') || strlen(token) > MAX_DOC)
		return *reason = "not a compact JWS", NULL;
	json_t *header = decode_part(token, (size_t)(dot1 - token));
	json_t *claims = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	const char *bad = NULL;
	if (!json_is_object(header) || !json_is_object(claims)) {
		bad = "token header or claims are not JSON objects";
	} else if (check_signature(c, header, token, (size_t)(dot2 - token), dot2 + 1, &bad) == 0) {
		const char *iss = json_string_value(json_object_get(claims, "iss"));
		json_t *exp = json_object_get(claims, "exp"), *iat = json_object_get(claims, "iat");
		if (!iss || strcmp(iss, p->issuer) != 0)
			bad = "wrong issuer";
		else if (!audience_ok(claims, client_id))
			bad = "wrong audience";
		else if ((exp_required || exp) &&
			 (!json_is_integer(exp) || json_integer_value(exp) + OIDC_SKEW <= now))
			bad = "token expired";
		else if (!json_is_integer(iat) || json_integer_value(iat) > now + OIDC_SKEW)
			bad = "iat missing or in the future";
	}
	json_decref(header);
	if (bad) {
		json_decref(claims);
		*reason = bad;
		return NULL;
	}
	return claims;
}

int oidc_validate(const struct oidc_provider *p, const char *id_token, const char *client_id,
		  const char *nonce, time_t now, time_t auth_after, struct oidc_claims *out,
		  const char **reason)
{
	memset(out, 0, sizeof *out);
	json_t *claims = verified_claims(p, id_token, client_id, now, true, reason);
	if (!claims)
		return -1;
	const char *tnonce = json_string_value(json_object_get(claims, "nonce"));
	const char *acr = json_string_value(json_object_get(claims, "acr"));
	const char *pid = json_string_value(json_object_get(claims, "pid"));
	const char *sub = json_string_value(json_object_get(claims, "sub"));
	const char *sid = json_string_value(json_object_get(claims, "sid"));
	json_t *auth_time = json_object_get(claims, "auth_time");
	int rc = -1;
	if (!tnonce || !crypto_streq(tnonce, nonce))
		*reason = "wrong nonce";
	else if (!json_is_integer(auth_time) || json_integer_value(auth_time) <= 0)
		*reason = "auth_time missing";
	else if (json_integer_value(auth_time) > now + OIDC_SKEW)
		*reason = "auth_time in the future";
	else if (auth_after > 0 && json_integer_value(auth_time) < auth_after - OIDC_SKEW)
		*reason = "authentication not fresh (auth_time before the login began)";
	else if (!acr || strcmp(acr, OIDC_ACR) != 0)
		*reason = "assurance level is not high";
	else if (!sub || !*sub)
		*reason = "no sub";
	else if (!pid || !nin_valid(pid)) {
		*reason = "pid missing or not a valid identity number";
		rc = OIDC_BAD_PID;
	} else {
		out->pid = arena_strdup(pid);
		out->sub = arena_strdup(sub);
		out->sid = sid ? arena_strdup(sid) : NULL;
		out->acr = arena_strdup(acr);
		out->iat = json_integer_value(json_object_get(claims, "iat"));
		out->exp = json_integer_value(json_object_get(claims, "exp"));
		out->auth_time = json_integer_value(auth_time);
		rc = 0;
	}
	json_decref(claims);
	return rc;
}

#define LOGOUT_EVENT "http://schemas.openid.net/event/backchannel-logout"

char *oidc_validate_logout(const struct oidc_provider *p, const char *logout_token, const char *client_id,
			   time_t now, const char **reason)
{
	json_t *claims = verified_claims(p, logout_token, client_id, now, false, reason);
	if (!claims)
		return NULL;
	json_t *events = json_object_get(claims, "events");
	const char *sid = json_string_value(json_object_get(claims, "sid"));
	char *out = NULL;
	/* OpenID Connect Back-Channel Logout 1.0 §2.6: the event is there, a
	 * nonce is not (so an ID token cannot pass for a logout token). */
	if (!json_is_object(json_object_get(events, LOGOUT_EVENT)))
		*reason = "not a logout token (no logout event)";
	else if (json_object_get(claims, "nonce"))
		*reason = "a logout token must not carry a nonce";
	else if (!sid || !*sid)
		*reason = "no sid in the logout token";
	else
		out = arena_strdup(sid);
	json_decref(claims);
	return out;
}

int oidc_token_peek(const char *token, char **issuer, char **audience)
{
	const char *dot1 = strchr(token, '.');
	const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	if (!dot2 || strlen(token) > MAX_DOC)
		return -1;
	json_t *claims = decode_part(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	json_t *aud = json_object_get(claims, "aud");
	if (json_is_array(aud))
		aud = json_array_get(aud, 0);
	const char *a = json_string_value(aud), *i = json_string_value(json_object_get(claims, "iss"));
	*audience = a ? arena_strdup(a) : NULL;
	*issuer = i ? arena_strdup(i) : NULL;
	json_decref(claims);
	return a && i ? 0 : -1;
}
