/* outbox.c — SQL of outbox.h: outbox and notice_gate rows, in the caller's
 * transaction; reads person and municipality for a notice's recipient. */
#include "outbox.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "mail.h"

/* <32 hex>@the sender's domain: random, stored, never changed. */
static const char *new_message_id(void)
{
	const char *from = config_str("mail.from_address");
	const char *at = strchr(from, '@');
	char *hex = crypto_random_hex(16);
	if (!hex)
		return NULL;
	return arena_printf("%s@%s", hex, at && at[1] ? at + 1 : "stafett.invalid");
}

int outbox_queue(const struct outbox_mail *m, int64_t *id)
{
	if (!m->to || !mail_address_ok(m->to) || !m->kind || !m->params || !m->lang) {
		log_error("outbox: refused a %s mail without a plain address", m->kind ? m->kind : "?");
		return DB_ERROR;
	}
	const char *mid = new_message_id();
	if (!mid)
		return DB_ERROR;
	size_t len = strlen(m->params);
	unsigned char *sealed = arena_alloc(len + CRYPTO_SEAL_OVERHEAD);
	int key = crypto_seal(m->params, len, sealed);
	if (key < 0)
		return DB_ERROR;
	int rc = db_exec("INSERT INTO outbox (municipality_id, person_id, log_id, kind, message_id, rcpt, lang,"
			 " params_sealed, params_key_id, dedupe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			 "iIIssssbis", (long long)m->municipality_id, (long long)m->person_id,
			 (long long)m->log_id, m->kind, mid, m->to, m->lang, sealed,
			 len + CRYPTO_SEAL_OVERHEAD, (long long)key, m->dedupe);
	if (rc == DB_DUPLICATE && m->dedupe)
		return 1;
	if (rc < 0)
		return rc;
	if (id)
		*id = db_last_id();
	return 0;
}

const char *outbox_params(const char *key, ...)
{
	json_t *o = json_object();
	va_list ap;
	va_start(ap, key);
	for (const char *k = key; k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (!v)
			continue;
		if (strcmp(k, "link") == 0 && v[0] == '/')
			v = arena_printf("%s%s", config_str("site.public_url"), v);
		json_object_set_new(o, k, json_string(v));
	}
	va_end(ap);
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!text) {
		log_error("outbox: out of memory");
		abort();
	}
	const char *out = arena_strdup(text);
	free(text);
	return out;
}

struct recipient {
	char *given_name;
	char *family_name;
	char *email;
	bool notices;
	char *lang;
	char *municipality;
};
static const struct db_col recipient_cols[] = {
	DB_COL(struct recipient, given_name, DB_STR), DB_COL(struct recipient, family_name, DB_STR),
	DB_COL(struct recipient, email, DB_STR),      DB_COL(struct recipient, notices, DB_BOOL),
	DB_COL(struct recipient, lang, DB_STR),	      DB_COL(struct recipient, municipality, DB_STR),
};
static const struct db_map recipient_map = DB_MAP(struct recipient, recipient_cols);

static int recipient(int64_t municipality_id, int64_t person_id, struct recipient *r)
{
	int rc = db_select_one(&recipient_map, r,
			       "SELECT p.given_name, p.family_name, p.email, p.email_notices,"
			       " COALESCE(p.mail_lang, m.default_lang), m.name"
			       " FROM person p JOIN municipality m ON m.id = p.municipality_id"
			       " WHERE p.municipality_id = ? AND p.id = ?",
			       "ii", (long long)municipality_id, (long long)person_id);
	return rc == 0 ? DB_ERROR : rc;
}

const char *outbox_lang(int64_t municipality_id, int64_t person_id)
{
	struct recipient r;
	return recipient(municipality_id, person_id, &r) < 0 ? NULL : r.lang;
}

/* Whether the gate lets a notice through now, and moves it if so: the row
 * is inserted, or its time moved on when the interval has passed (2
 * affected rows), or left as it was (0). */
static int gate_open(int64_t person_id)
{
	long long minutes = config_int("mail.notice_interval_minutes");
	int rc = db_exec("INSERT INTO notice_gate (person_id, last_at) VALUES (?, CURRENT_TIMESTAMP(3))"
			 " ON DUPLICATE KEY UPDATE last_at = IF(last_at <= CURRENT_TIMESTAMP(3) - INTERVAL ? MINUTE,"
			 " VALUES(last_at), last_at)",
			 "ii", (long long)person_id, minutes);
	return rc < 0 ? rc : rc > 0;
}

int outbox_notify(int64_t municipality_id, int64_t person_id, int64_t log_id, const char *kind,
		  const char *to, const char *path, bool gate, const char *dedupe, enum outbox_notice *out)
{
	struct recipient r;
	int rc = recipient(municipality_id, person_id, &r);
	if (rc < 0)
		return rc;
	const char *addr = to && *to ? to : r.email;
	if (!addr || !*addr || !mail_address_ok(addr)) {
		*out = OUTBOX_NO_ADDRESS;
		return 0;
	}
	if (!r.notices) {
		*out = OUTBOX_DECLINED;
		return 0;
	}
	if (gate) {
		if ((rc = gate_open(person_id)) < 0)
			return rc;
		if (rc == 0) {
			*out = OUTBOX_THROTTLED;
			return 0;
		}
	}
	struct outbox_mail m = {
		.municipality_id = municipality_id,
		.person_id = person_id,
		.log_id = log_id,
		.kind = kind,
		.to = addr,
		.lang = r.lang,
		.dedupe = dedupe,
		.params = outbox_params("to_name", arena_printf("%s %s", r.given_name, r.family_name),
					"municipality", r.municipality, "link", path, (const char *)NULL),
	};
	rc = outbox_queue(&m, NULL);
	if (rc < 0)
		return rc;
	*out = rc == 1 ? OUTBOX_DUPLICATE : OUTBOX_QUEUED;
	return 0;
}
