/* session.c — sessions in MariaDB (the session table) and the CSRF tokens of
 * forms. Touches only the session table (and reads person and municipality
 * once, at login, for the names the page header shows); the cookie value
 * itself is never stored or logged. Knows nothing of HTTP: app.c reads and
 * sets the cookies. */
#include "session.h"

#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"

#define TOKEN_BYTES 32

/* Read once: the settings do not change while a program runs, and every
 * request asks for these names. */
static bool secure_cookie(void)
{
	static int secure = -1;
	if (secure < 0)
		secure = config_bool("session.secure_cookie");
	return secure;
}

const char *session_cookie_name(void)
{
	return secure_cookie() ? "__Host-stafett" : "stafett";
}

const char *session_browser_cookie_name(void)
{
	return secure_cookie() ? "__Host-stafett-b" : "stafett-b";
}

/* A cookie value we issued: 64 lower-case hex characters. Anything else is
 * ignored without a database query. */
static bool token_shape(const char *v)
{
	return v && strlen(v) == 2 * TOKEN_BYTES && strspn(v, "0123456789abcdef") == 2 * TOKEN_BYTES;
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_sha256(token, strlen(token), out);
}

struct row {
	struct session s;
	bool expired;
	bool stale;
};

static const struct db_col cols[] = {
	DB_COL(struct row, s.municipality_id, DB_I64),
	DB_COL(struct row, s.person_id, DB_I64),
	DB_COL(struct row, s.csrf, DB_STR),
	DB_COL(struct row, s.given_name, DB_STR),
	DB_COL(struct row, s.family_name, DB_STR),
	DB_COL(struct row, s.municipality, DB_STR),
	DB_COL(struct row, s.municipality_name, DB_STR),
	DB_COL(struct row, s.default_lang, DB_STR),
	DB_COL(struct row, s.oidc_sid, DB_STR),
	DB_COL(struct row, s.ends_at, DB_I64),
	DB_COL(struct row, s.auth_time, DB_I64),
	DB_COL(struct row, expired, DB_BOOL),
	DB_COL(struct row, stale, DB_BOOL),
};
static const struct db_map map = DB_MAP(struct row, cols);

int session_find(const char *token, const char *chosen, struct session **out)
{
	*out = NULL;
	if (!token_shape(token))
		return SESSION_NONE;
	unsigned char h[32];
	token_hash(token, h);
	struct row row;
	long long hours = config_int("session.absolute_hours"), idle = config_int("session.idle_minutes");
	/* The database's clock decides both timeouts, so every worker agrees. */
	int rc = db_select_one(&map, &row,
			       "SELECT municipality_id, person_id, csrf, given_name, family_name,"
			       " municipality_slug,"
			       " (SELECT m.name FROM municipality m WHERE m.id = session.municipality_id),"
			       " (SELECT m.default_lang FROM municipality m"
			       "  WHERE m.id = session.municipality_id), oidc_sid,"
			       /* when it ends: last_seen_at as it is after this request */
			       " UNIX_TIMESTAMP(LEAST(created_at + INTERVAL ? HOUR,"
			       "  IF(last_seen_at < NOW(3) - INTERVAL 60 SECOND, NOW(3), last_seen_at)"
			       "  + INTERVAL ? MINUTE)),"
			       " COALESCE(UNIX_TIMESTAMP(auth_time), 0),"
			       " created_at < NOW(3) - INTERVAL ? HOUR"
			       "  OR last_seen_at < NOW(3) - INTERVAL ? MINUTE,"
			       " last_seen_at < NOW(3) - INTERVAL 60 SECOND"
			       " FROM session WHERE id_hash = ?",
			       "iiiib", hours, idle, hours, idle, h, sizeof h);
	if (rc <= 0)
		return rc < 0 ? rc : SESSION_UNKNOWN;
	if (row.expired) {
		rc = db_exec("DELETE FROM session WHERE id_hash = ?", "b", h, sizeof h);
		log_info("session expired");
		return rc < 0 ? rc : SESSION_EXPIRED;
	}
	/* A session is for the municipality it was made in: if the browser has
	 * since chosen another, the session does not follow it there. */
	if (chosen && strcmp(chosen, row.s.municipality) != 0) {
		log_warn("session cookie presented for another municipality; ignored");
		return SESSION_NONE;
	}
	/* last_seen_at moves at most once a minute: most requests only read. */
	if (row.stale) {
		rc = db_exec("UPDATE session SET last_seen_at = NOW(3) WHERE id_hash = ?", "b", h, sizeof h);
		if (rc < 0)
			return rc;
	}
	*out = arena_alloc(sizeof **out);
	**out = row.s;
	memcpy((*out)->id_hash, h, sizeof h);
	return SESSION_FOUND;
}

int session_create(int64_t municipality_id, int64_t person_id, const char *oidc_sid, const char *id_token,
		   int64_t auth_time, const char **token_out, struct session **out)
{
	char *token = crypto_random_hex(TOKEN_BYTES);
	char *csrf = crypto_random_hex(TOKEN_BYTES);
	if (!token || !csrf)
		return DB_ERROR;
	unsigned char h[32];
	token_hash(token, h);
	size_t tlen = id_token ? strlen(id_token) : 0;
	unsigned char *sealed = NULL;
	int key_id = 0;
	if (id_token && tlen + CRYPTO_SEAL_OVERHEAD <= 8192) {
		sealed = arena_alloc(tlen + CRYPTO_SEAL_OVERHEAD);
		key_id = crypto_seal(id_token, tlen, sealed);
		if (key_id < 0)
			return DB_ERROR;
	}
	int rc = db_exec(
		"INSERT INTO session (id_hash, municipality_id, person_id, csrf, given_name, family_name,"
		" municipality_slug, oidc_sid, id_token_sealed, id_token_key_id, auth_time)"
		" SELECT ?, m.id, p.id, ?, p.given_name, p.family_name, m.slug, ?, ?, ?, FROM_UNIXTIME(?)"
		" FROM person p JOIN municipality m ON m.id = p.municipality_id WHERE m.id = ? AND p.id = ?",
		"bssbIIii", h, sizeof h, csrf, oidc_sid, sealed,
		sealed ? tlen + CRYPTO_SEAL_OVERHEAD : (size_t)0, (long long)key_id,
		(long long)(auth_time > 0 ? auth_time : 0), (long long)municipality_id, (long long)person_id);
	if (rc < 0)
		return rc;
	if (rc != 1)
		return DB_ERROR; /* nobody of that id in that municipality: a bug in the caller */
	*token_out = token;
	*out = arena_alloc(sizeof **out);
	(*out)->municipality_id = municipality_id;
	(*out)->person_id = person_id;
	(*out)->csrf = csrf;
	memcpy((*out)->id_hash, h, sizeof h);
	(*out)->ends_at = (int64_t)time(NULL) + 60 * config_int("session.idle_minutes");
	(*out)->auth_time = auth_time > 0 ? auth_time : 0;
	return 0;
}

bool session_fresh(const struct session *s, long minutes)
{
	if (!s || s->auth_time <= 0 || minutes < 0)
		return false;
	/* auth_time is the provider's clock, read against ours: a few seconds
	 * either way are of no consequence at minutes. */
	return (int64_t)time(NULL) - s->auth_time <= (int64_t)minutes * 60;
}

int session_destroy(const char *token)
{
	if (!token_shape(token))
		return 0;
	unsigned char h[32];
	token_hash(token, h);
	int rc = db_exec("DELETE FROM session WHERE id_hash = ?", "b", h, sizeof h);
	return rc < 0 ? rc : 0;
}

int session_end_sid(const char *issuer, const char *sid)
{
	return db_exec(
		"DELETE s FROM session s JOIN municipality_oidc o ON o.municipality_id = s.municipality_id"
		" WHERE o.issuer = ? AND s.oidc_sid = ?",
		"ss", issuer, sid);
}

struct sealed_row {
	struct db_blob token;
	int key_id;
};
static const struct db_col sealed_cols[] = {
	DB_COL(struct sealed_row, token, DB_BLOB),
	DB_COL(struct sealed_row, key_id, DB_INT),
};
static const struct db_map sealed_map = DB_MAP(struct sealed_row, sealed_cols);

const char *session_id_token(const struct session *s)
{
	struct sealed_row row;
	if (db_select_one(&sealed_map, &row,
			  "SELECT id_token_sealed, id_token_key_id FROM session WHERE id_hash = ?", "b",
			  s->id_hash, sizeof s->id_hash) != 1 ||
	    !row.token.data || row.token.len <= CRYPTO_SEAL_OVERHEAD)
		return NULL;
	size_t n = row.token.len - CRYPTO_SEAL_OVERHEAD;
	char *out = arena_alloc(n + 1);
	if (crypto_open(row.key_id, row.token.data, row.token.len, (unsigned char *)out) < 0)
		return NULL;
	out[n] = '\0';
	return out;
}

const char *session_new_browser(void)
{
	return crypto_random_hex(TOKEN_BYTES);
}

bool session_browser_valid(const char *browser)
{
	return token_shape(browser);
}

const char *session_browser_csrf(const char *browser)
{
	if (!token_shape(browser))
		return NULL;
	/* Keyed with the lookup key and a label of its own, so the token says
	 * nothing about the cookie without the server's key. */
	struct buf in = { 0 };
	buf_adds(&in, "stafett-csrf:");
	buf_adds(&in, browser);
	unsigned char mac[CRYPTO_HMAC_LEN];
	if (crypto_lookup_hash(in.data, in.len, mac) < 0)
		return NULL;
	return crypto_hex(mac, sizeof mac);
}

/* The MAC of a single-use token's nonce, bound to the session. */
static const char *once_mac(const struct session *s, const char *nonce)
{
	struct buf in = { 0 };
	buf_adds(&in, "stafett-once:");
	buf_adds(&in, s->csrf);
	buf_addc(&in, ':');
	buf_adds(&in, nonce);
	unsigned char mac[CRYPTO_HMAC_LEN];
	if (crypto_lookup_hash(in.data, in.len, mac) < 0)
		return NULL;
	return crypto_hex(mac, sizeof mac);
}

const char *session_once_token(const struct session *s)
{
	const char *nonce = crypto_random_hex(16);
	const char *mac = nonce ? once_mac(s, nonce) : NULL;
	return mac ? arena_printf("%s.%s", nonce, mac) : NULL;
}

/* The nonce of a token made for this session, hashed for its row; NULL if
 * the token was not. */
static const unsigned char *once_key(const struct session *s, const char *token)
{
	const char *dot = strchr(token, '.');
	if (!dot || dot - token != 32 || strspn(token, "0123456789abcdef") != 32)
		return NULL;
	const char *nonce = arena_strndup(token, 32), *mac = once_mac(s, nonce);
	if (!mac || !crypto_streq(dot + 1, mac))
		return NULL;
	unsigned char *h = arena_alloc(32);
	crypto_sha256(nonce, 32, h);
	return h;
}

struct result_row {
	char *result;
};
static const struct db_col result_cols[] = { DB_COL(struct result_row, result, DB_STR) };
static const struct db_map result_map = DB_MAP(struct result_row, result_cols);

int session_once_use(const struct session *s, const char *token, const char **result)
{
	*result = NULL;
	const unsigned char *h = once_key(s, token);
	if (!h)
		return SESSION_ONCE_BAD;
	int rc = db_exec("INSERT INTO form_use (nonce_hash, municipality_id, person_id) VALUES (?, ?, ?)",
			 "bii", h, (size_t)32, (long long)s->municipality_id, (long long)s->person_id);
	if (rc >= 0)
		return SESSION_ONCE_NEW;
	if (rc != DB_DUPLICATE)
		return rc;
	struct result_row r = { NULL };
	rc = db_select_one(&result_map, &r,
			   "SELECT result FROM form_use WHERE nonce_hash = ? AND person_id = ?"
			   /* a locking read: the row as the first use committed it,
			    * not as this transaction's snapshot saw it before */
			   " LOCK IN SHARE MODE",
			   "bi", h, (size_t)32, (long long)s->person_id);
	if (rc < 0)
		return rc;
	*result = r.result;
	return SESSION_ONCE_USED;
}

int session_once_seen(const struct session *s, const char *token, const char **result)
{
	*result = NULL;
	const unsigned char *h = once_key(s, token);
	if (!h)
		return 0;
	struct result_row r = { NULL };
	int rc = db_select_one(&result_map, &r,
			       "SELECT result FROM form_use WHERE nonce_hash = ? AND person_id = ?", "bi", h,
			       (size_t)32, (long long)s->person_id);
	if (rc <= 0)
		return rc;
	*result = r.result;
	return 1;
}

int session_once_result(const struct session *s, const char *token, const char *result)
{
	const unsigned char *h = once_key(s, token);
	if (!h)
		return DB_ERROR;
	int rc = db_exec("UPDATE form_use SET result = ? WHERE nonce_hash = ? AND person_id = ?", "sbi",
			 result, h, (size_t)32, (long long)s->person_id);
	/* The person's tokens older than a day are of no more use. */
	if (rc >= 0)
		rc = db_exec("DELETE FROM form_use WHERE person_id = ? AND used_at < NOW(3) - INTERVAL 1 DAY",
			     "i", (long long)s->person_id);
	return rc < 0 ? rc : 0;
}

struct info_row {
	struct session_info i;
	struct db_blob hash;
};
static const struct db_col info_cols[] = {
	DB_COL(struct info_row, hash, DB_BLOB),
	DB_COL(struct info_row, i.created_at, DB_STR),
	DB_COL(struct info_row, i.last_seen_at, DB_STR),
};
static const struct db_map info_map = DB_MAP(struct info_row, info_cols);

int session_list(const struct session *s, struct session_info **out)
{
	struct info_row *rows;
	int n = db_select(
		&info_map, &rows,
		"SELECT id_hash, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(last_seen_at, '%Y-%m-%d %H:%i') FROM session"
		" WHERE municipality_id = ? AND person_id = ? ORDER BY id_hash = ? DESC, created_at DESC"
		" LIMIT 50",
		"iib", (long long)s->municipality_id, (long long)s->person_id, s->id_hash, sizeof s->id_hash);
	if (n < 0)
		return n;
	*out = arena_alloc((size_t)(n ? n : 1) * sizeof **out);
	for (int k = 0; k < n; k++) {
		(*out)[k] = rows[k].i;
		(*out)[k].handle = crypto_hex(rows[k].hash.data, 8);
		(*out)[k].current = rows[k].hash.len == 32 && crypto_equal(rows[k].hash.data, s->id_hash, 32);
	}
	return n;
}

int session_end_handle(const struct session *s, const char *handle)
{
	long long m = s->municipality_id, p = s->person_id;
	int n = 0;
	if (strcmp(handle, "others") == 0)
		n = db_exec(
			"DELETE FROM session WHERE municipality_id = ? AND person_id = ? AND id_hash <> ?",
			"iib", m, p, s->id_hash, sizeof s->id_hash);
	else if (strlen(handle) == 16 && strspn(handle, "0123456789abcdef") == 16)
		/* The current session is ended by logging out, not here. */
		n = db_exec("DELETE FROM session WHERE municipality_id = ? AND person_id = ? AND id_hash <> ?"
			    " AND LEFT(HEX(id_hash), 16) = UPPER(?)",
			    "iibs", m, p, s->id_hash, sizeof s->id_hash, handle);
	if (n <= 0)
		return n;
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person",
		.action = "session.end",
		.outcome = "ok",
	};
	int rc = audit_append(&e);
	return rc < 0 ? rc : n;
}
