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
	int rc = db_exec(
		"INSERT INTO outbox (municipality_id, person_id, log_id, kind, message_id, rcpt, lang,"
		" params_sealed, params_key_id, dedupe) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iIIssssbis", (long long)m->municipality_id, (long long)m->person_id, (long long)m->log_id,
		m->kind, mid, m->to, m->lang, sealed, len + CRYPTO_SEAL_OVERHEAD, (long long)key, m->dedupe);
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
	bool subject; /* the one the log is about */
};
static const struct db_col recipient_cols[] = {
	DB_COL(struct recipient, given_name, DB_STR), DB_COL(struct recipient, family_name, DB_STR),
	DB_COL(struct recipient, email, DB_STR),      DB_COL(struct recipient, notices, DB_BOOL),
	DB_COL(struct recipient, lang, DB_STR),	      DB_COL(struct recipient, municipality, DB_STR),
	DB_COL(struct recipient, subject, DB_BOOL),
};
static const struct db_map recipient_map = DB_MAP(struct recipient, recipient_cols);

/* The person as a mail is addressed to them, and whether they are the one
 * LOG_ID (0: none) is about. */
static int recipient(int64_t municipality_id, int64_t person_id, int64_t log_id, struct recipient *r)
{
	long long m = municipality_id, p = person_id;
	int rc = db_select_one(&recipient_map, r,
			       "SELECT p.given_name, p.family_name, p.email, p.email_notices,"
			       " COALESCE(p.mail_lang, m.default_lang), m.name,"
			       " EXISTS (SELECT 1 FROM log l WHERE l.municipality_id = ? AND l.id = ?"
			       "  AND l.subject_person_id = p.id)"
			       " FROM person p JOIN municipality m ON m.id = p.municipality_id"
			       " WHERE p.municipality_id = ? AND p.id = ?",
			       "iiii", m, (long long)log_id, m, p);
	return rc == 0 ? DB_ERROR : rc;
}

const char *outbox_lang(int64_t municipality_id, int64_t person_id)
{
	struct recipient r;
	return recipient(municipality_id, person_id, 0, &r) < 0 ? NULL : r.lang;
}

/* Whether the gate lets a notice through now, and moves it if so: the row
 * is inserted, or its time moved on when the interval has passed (2
 * affected rows), or left as it was (0). */
static int gate_open(int64_t person_id)
{
	long long minutes = config_int("mail.notice_interval_minutes");
	int rc = db_exec(
		"INSERT INTO notice_gate (person_id, last_at) VALUES (?, CURRENT_TIMESTAMP(3))"
		" ON DUPLICATE KEY UPDATE last_at = IF(last_at <= CURRENT_TIMESTAMP(3) - INTERVAL ? MINUTE,"
		" VALUES(last_at), last_at)",
		"ii", (long long)person_id, minutes);
	return rc < 0 ? rc : rc > 0;
}

int outbox_notify(int64_t municipality_id, int64_t person_id, int64_t log_id, const char *kind,
		  const char *to, const char *path, bool gate, const char *dedupe, enum outbox_notice *out)
{
	struct recipient r;
	int rc = recipient(municipality_id, person_id, log_id, &r);
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
		/* The one the log is about (a young person, a pregnant woman) is
		 * not named, neither in the greeting nor beside the address: a
		 * mail that names them says whom a log is about to anyone who
		 * reads that inbox. */
		.params = r.subject
			? outbox_params("municipality", r.municipality, "link", path, (const char *)NULL)
			: outbox_params("to_name", arena_printf("%s %s", r.given_name, r.family_name),
					"municipality", r.municipality, "link", path, (const char *)NULL),
	};
	rc = outbox_queue(&m, NULL);
	if (rc < 0)
		return rc;
	*out = rc == 1 ? OUTBOX_DUPLICATE : OUTBOX_QUEUED;
	return 0;
}

/* --- the mailer's side --------------------------------------------------- */

static const struct db_col due_cols[] = {
	DB_COL(struct outbox_due, id, DB_I64),
	DB_COL(struct outbox_due, kind, DB_STR),
	DB_COL(struct outbox_due, lang, DB_STR),
	DB_COL(struct outbox_due, message_id, DB_STR),
	DB_COL(struct outbox_due, rcpt, DB_STR),
	DB_COL(struct outbox_due, created_at, DB_STR),
	DB_COL(struct outbox_due, params_sealed, DB_BLOB),
	DB_COL(struct outbox_due, params_key_id, DB_INT),
	DB_COL(struct outbox_due, attempts, DB_INT),
};
static const struct db_map due_map = DB_MAP(struct outbox_due, due_cols);

int outbox_claim(const char *owner, int max, struct outbox_due **rows)
{
	/* READ COMMITTED: the locking read locks the rows it returns and no
	 * gaps, so a program inserting mail in its own transaction meanwhile
	 * neither waits for the claim nor deadlocks with it; each row is then
	 * updated by its key alone. */
	int rc = db_exec("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", NULL);
	if (rc < 0 || (rc = db_begin()) < 0)
		return rc;
	/* SKIP LOCKED: two mailers claiming at once take different rows. */
	int n = db_select(&due_map, rows,
			  "SELECT id, kind, lang, message_id, rcpt, created_at, params_sealed, params_key_id,"
			  " attempts + 1 FROM outbox"
			  " WHERE state = 'pending' AND next_at <= CURRENT_TIMESTAMP(3)"
			  " AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))"
			  " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
			  "i", (long long)max);
	if (n <= 0) {
		db_rollback();
		return n;
	}
	for (int i = 0; i < n && rc >= 0; i++)
		rc = db_exec("UPDATE outbox SET lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND,"
			     " lease_owner = ?, attempts = attempts + 1 WHERE id = ?",
			     "isi", config_int("mail.lease_seconds"), owner, (long long)(*rows)[i].id);
	if (rc < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	return n;
}

struct claimed {
	int64_t id;
};
static const struct db_col claimed_cols[] = { DB_COL(struct claimed, id, DB_I64) };
static const struct db_map claimed_map = DB_MAP(struct claimed, claimed_cols);

int outbox_renew(int64_t id, const char *owner)
{
	int rc = db_exec("UPDATE outbox SET lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND"
			 " WHERE id = ? AND lease_owner = ? AND state = 'pending'",
			 "iis", config_int("mail.lease_seconds"), (long long)id, owner);
	if (rc != 0)
		return rc;
	/* Renewed in the millisecond of the claim, the row did not change
	 * (MariaDB counts changed rows): whether it is still ours. */
	struct claimed r;
	return db_select_one(&claimed_map, &r,
			     "SELECT id FROM outbox WHERE id = ? AND lease_owner = ? AND state = 'pending'",
			     "is", (long long)id, owner);
}

const char *outbox_open_params(const struct outbox_due *d)
{
	size_t len = d->params_sealed.len;
	if (!d->params_sealed.data || len <= CRYPTO_SEAL_OVERHEAD) {
		log_error("outbox %lld: no values to open", (long long)d->id);
		return NULL;
	}
	char *plain = arena_alloc(len - CRYPTO_SEAL_OVERHEAD + 1);
	if (crypto_open(d->params_key_id, d->params_sealed.data, len, (unsigned char *)plain) < 0) {
		log_error("outbox %lld: the values do not open under key %d", (long long)d->id,
			  d->params_key_id);
		return NULL;
	}
	return plain;
}

/* The server's answer as the column keeps it: printable ASCII (anything
 * else as '?'), at most 300 bytes. */
static const char *reply_text(const char *reply)
{
	if (!reply || !*reply)
		return NULL;
	char *s = arena_strndup(reply, strnlen(reply, 300));
	for (char *p = s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			*p = '?';
	return s;
}

int outbox_sent(int64_t id, const char *owner, int code, const char *reply)
{
	return db_exec("UPDATE outbox SET state = 'sent', sent_at = CURRENT_TIMESTAMP(3), smtp_code = ?,"
		       " smtp_reply = ?, params_sealed = NULL, params_key_id = NULL, lease_until = NULL"
		       " WHERE id = ? AND lease_owner = ? AND state = 'pending'",
		       "Isis", (long long)code, reply_text(reply), (long long)id, owner);
}

int outbox_bounced(int64_t id, const char *owner, int code, const char *reply)
{
	return db_exec(
		"UPDATE outbox SET state = 'bounced', smtp_code = ?, smtp_reply = ?, params_sealed = NULL,"
		" params_key_id = NULL, lease_until = NULL"
		" WHERE id = ? AND lease_owner = ? AND state = 'pending'",
		"Isis", (long long)code, reply_text(reply), (long long)id, owner);
}

int outbox_release(int64_t id, const char *owner)
{
	return db_exec("UPDATE outbox SET lease_until = NULL, attempts = attempts - 1"
		       " WHERE id = ? AND lease_owner = ? AND state = 'pending' AND attempts > 0",
		       "is", (long long)id, owner);
}

long long outbox_retry_delay(int attempts)
{
	long long delay = config_int("mail.retry_first_seconds"), max = config_int("mail.retry_max_seconds");
	for (int i = 1; i < attempts && delay < max; i++)
		delay *= 2;
	return delay < max ? delay : max;
}

int outbox_deferred(int64_t id, const char *owner, int attempts, int code, const char *reply, bool *gave_up)
{
	*gave_up = false;
	int rc = db_exec(
		"UPDATE outbox SET state = 'failed', smtp_code = ?, smtp_reply = ?, params_sealed = NULL,"
		" params_key_id = NULL, lease_until = NULL"
		" WHERE id = ? AND lease_owner = ? AND state = 'pending'"
		" AND created_at <= CURRENT_TIMESTAMP(3) - INTERVAL ? HOUR",
		"Isisi", (long long)code, reply_text(reply), (long long)id, owner,
		config_int("mail.give_up_hours"));
	if (rc != 0) {
		*gave_up = rc > 0;
		return rc;
	}
	return db_exec(
		"UPDATE outbox SET next_at = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND, lease_until = NULL,"
		" smtp_code = ?, smtp_reply = ?"
		" WHERE id = ? AND lease_owner = ? AND state = 'pending'",
		"iIsis", outbox_retry_delay(attempts), (long long)code, reply_text(reply), (long long)id,
		owner);
}
