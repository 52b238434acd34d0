/* archive.c — SQL of archive.h: archive_record rows, made in the caller's
 * transaction and marked by the delivery job; reads the log, its
 * transition, its municipality, unit and who caused it for a new record. */
#include "archive.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "log.h"
#include "logdoc.h"
#include "logpurge.h"
#include "session.h"

/* The public title's word for each kind, in the municipality's language:
 * archive metadata, written once in Bokmål or Nynorsk whatever the reader
 * of a page chooses. No names: "Stafettlogg 123 – overlevert". */
static const struct {
	const char *kind, *nb, *nn;
} titles[] = {
	{ "handover", "overlevert", "overlevert" },
	{ "move", "flyttet til en annen kommune", "flytta til ein annan kommune" },
	{ "passive", "satt passiv", "sett passiv" },
	{ "closed", "avsluttet", "avslutta" },
	{ "withdrawn", "samtykket trukket tilbake", "samtykket trekt tilbake" },
	{ "reopened", "gjenåpnet", "opna att" },
};

static const char *title_word(const char *kind, const char *lang)
{
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i].kind, kind) == 0)
			return strcmp(lang, "nn") == 0 ? titles[i].nn : titles[i].nb;
	return NULL;
}

/* What a new record reads: the log's unit and municipality's language, the
 * transition's sending unit, who caused it. */
struct origin {
	int64_t unit_id;
	char *lang;
	char *given_name;
	char *family_name;
};
static const struct db_col origin_cols[] = {
	DB_COL(struct origin, unit_id, DB_I64),
	DB_COL(struct origin, lang, DB_STR),
	DB_COL(struct origin, given_name, DB_STR),
	DB_COL(struct origin, family_name, DB_STR),
};
static const struct db_map origin_map = DB_MAP(struct origin, origin_cols);

static int origin_of(const struct session *s, int64_t log_id, int64_t transition_id, struct origin *o)
{
	/* The person who caused it is the session's own (for a move, the
	 * receiver, a person of the receiving municipality): read by id. */
	int rc = db_select_one(&origin_map, o,
			       "SELECT COALESCE(t.from_unit_id, l.unit_id), m.default_lang, p.given_name,"
			       " p.family_name FROM log l JOIN municipality m ON m.id = l.municipality_id"
			       " JOIN person p ON p.id = ?"
			       " LEFT JOIN log_transition t ON t.id = ? AND t.log_id = l.id"
			       " AND t.from_municipality_id = l.municipality_id"
			       " WHERE l.municipality_id = ? AND l.id = ?",
			       "iIii", (long long)s->person_id, (long long)transition_id,
			       (long long)s->municipality_id, (long long)log_id);
	return rc == 0 ? DB_ERROR : rc;
}

/* The snapshot: the document and who caused the transition (their name is
 * in the archive's metadata; sealed here, so the record's columns hold no
 * personal data and the person may be deleted before the delivery). */
static char *envelope(json_t *doc, const struct origin *o)
{
	json_t *env =
		json_pack("{s:i, s:s++, s:O}", "format", 1, "caused_by", o->given_name ? o->given_name : "",
			  o->family_name && *o->family_name ? " " : "", o->family_name ? o->family_name : "",
			  "document", doc);
	char *text = env ? json_dumps(env, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(env);
	if (!text) {
		log_error("archive: out of memory");
		abort();
	}
	return text;
}

int archive_queue(const struct session *s, int64_t log_id, const char *kind, int64_t transition_id)
{
	struct origin o;
	int rc = origin_of(s, log_id, transition_id, &o);
	if (rc < 0)
		return rc;
	/* The document date: today in Oslo (the programs run under
	 * TZ=Europe/Oslo). */
	char today[11];
	time_t now = time(NULL);
	struct tm tm;
	const char *word = title_word(kind, o.lang);
	if (!word || !localtime_r(&now, &tm) || strftime(today, sizeof today, "%Y-%m-%d", &tm) != 10)
		return DB_ERROR;
	json_t *doc = NULL;
	if ((rc = logdoc_build(s->municipality_id, log_id, &doc)) <= 0)
		return rc < 0 ? rc : DB_ERROR;
	char *plain = envelope(doc, &o);
	json_decref(doc);
	size_t len = strlen(plain);
	unsigned char *sealed = arena_alloc(len + CRYPTO_SEAL_OVERHEAD);
	int key = crypto_seal(plain, len, sealed);
	crypto_wipe(plain, len);
	free(plain);
	if (key < 0)
		return DB_ERROR;
	return db_exec("INSERT INTO archive_record (municipality_id, log_id, kind, transition_id, caused_by,"
		       " unit_id, document_date, public_title, lang, snapshot, snapshot_key_id)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "iisIiisssbi", (long long)s->municipality_id, (long long)log_id, kind,
		       (long long)transition_id, (long long)s->person_id, (long long)o.unit_id, today,
		       arena_printf("Stafettlogg %lld – %s", (long long)log_id, word), o.lang, sealed,
		       len + CRYPTO_SEAL_OVERHEAD, (long long)key) < 0
		? DB_ERROR
		: 0;
}

/* --- the delivery job's side ---------------------------------------------- */

struct claimed {
	int64_t id;
};
static const struct db_col claimed_cols[] = { DB_COL(struct claimed, id, DB_I64) };
static const struct db_map claimed_map = DB_MAP(struct claimed, claimed_cols);

static const struct db_col due_cols[] = {
	DB_COL(struct archive_due, id, DB_I64),
	DB_COL(struct archive_due, municipality_id, DB_I64),
	DB_COL(struct archive_due, log_id, DB_I64),
	DB_COL(struct archive_due, transition_id, DB_I64),
	DB_COL(struct archive_due, kind, DB_STR),
	DB_COL(struct archive_due, state, DB_STR),
	DB_COL(struct archive_due, document_date, DB_STR),
	DB_COL(struct archive_due, public_title, DB_STR),
	DB_COL(struct archive_due, screening, DB_STR),
	DB_COL(struct archive_due, lang, DB_STR),
	DB_COL(struct archive_due, created_at, DB_STR),
	DB_COL(struct archive_due, snapshot, DB_BLOB),
	DB_COL(struct archive_due, snapshot_key_id, DB_INT),
	DB_COL(struct archive_due, pdf_sha256, DB_BLOB),
	DB_COL(struct archive_due, pdf_size, DB_INT),
	DB_COL(struct archive_due, pdfa, DB_BOOL),
	DB_COL(struct archive_due, attempts, DB_INT),
	DB_COL(struct archive_due, delivered_as, DB_STR),
	DB_COL(struct archive_due, municipality_name, DB_STR),
	DB_COL(struct archive_due, municipality_slug, DB_STR),
	DB_COL(struct archive_due, unit_name, DB_STR),
	DB_COL(struct archive_due, channel, DB_STR),
	DB_COL(struct archive_due, folder, DB_STR),
};
static const struct db_map due_map = DB_MAP(struct archive_due, due_cols);

int archive_claim(const char *owner, int max, long long later_seconds, struct archive_due **rows)
{
	/* As outbox_claim: READ COMMITTED, and a locking read of the records
	 * alone (a join would lock the municipality's row too), SKIP LOCKED so
	 * two jobs take different records. */
	int rc = db_exec("SET TRANSACTION ISOLATION LEVEL READ COMMITTED", NULL);
	if (rc < 0 || (rc = db_begin()) < 0)
		return rc;
	struct claimed *ids;
	int n = db_select(&claimed_map, &ids,
			  "SELECT id FROM archive_record"
			  " WHERE state IN ('queued', 'failed', 'delivered')"
			  " AND next_attempt_at <= CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND"
			  " AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))"
			  " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
			  "ii", later_seconds, (long long)max);
	if (n <= 0) {
		db_rollback();
		return n;
	}
	for (int i = 0; i < n && rc >= 0; i++)
		rc = db_exec(
			"UPDATE archive_record SET lease_until = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND,"
			" lease_owner = ?, attempts = attempts + 1 WHERE id = ?",
			"isi", config_int("archive.lease_seconds"), owner, (long long)ids[i].id);
	if (rc < 0 || (rc = db_commit()) < 0) {
		db_rollback();
		return rc;
	}
	*rows = arena_alloc((size_t)n * sizeof **rows);
	for (int i = 0; i < n; i++) {
		rc = db_select_one(
			&due_map, &(*rows)[i],
			"SELECT r.id, r.municipality_id, r.log_id, COALESCE(r.transition_id, 0), r.kind, "
			"r.state,"
			" DATE_FORMAT(r.document_date, '%Y-%m-%d'), r.public_title, r.screening, r.lang,"
			" r.created_at, r.snapshot, COALESCE(r.snapshot_key_id, 0), r.pdf_sha256,"
			" COALESCE(r.pdf_size, 0), r.pdfa, r.attempts, r.delivered_as, m.name, m.slug, "
			"u.name,"
			" a.channel, a.folder FROM archive_record r"
			" JOIN municipality m ON m.id = r.municipality_id"
			" JOIN unit u ON u.id = r.unit_id AND u.municipality_id = r.municipality_id"
			" LEFT JOIN municipality_archive a ON a.municipality_id = r.municipality_id"
			" WHERE r.id = ? AND r.lease_owner = ?",
			"is", (long long)ids[i].id, owner);
		if (rc <= 0)
			return rc < 0 ? rc : DB_ERROR;
	}
	return n;
}

json_t *archive_open_snapshot(const struct archive_due *d, const char **caused_by)
{
	size_t len = d->snapshot.len;
	if (!d->snapshot.data || len <= CRYPTO_SEAL_OVERHEAD) {
		log_error("archive record %lld: no snapshot to open", (long long)d->id);
		return NULL;
	}
	size_t n = len - CRYPTO_SEAL_OVERHEAD;
	char *plain = arena_alloc(n + 1);
	if (crypto_open(d->snapshot_key_id, d->snapshot.data, len, (unsigned char *)plain) < 0) {
		log_error("archive record %lld: the snapshot does not open under key %d", (long long)d->id,
			  d->snapshot_key_id);
		return NULL;
	}
	json_error_t err;
	json_t *env = json_loadb(plain, n, 0, &err);
	crypto_wipe(plain, n);
	json_t *doc = env ? json_object_get(env, "document") : NULL;
	const char *who = env ? json_string_value(json_object_get(env, "caused_by")) : NULL;
	if (!doc || !json_is_object(doc) || !who) {
		log_error("archive record %lld: the snapshot is not a document", (long long)d->id);
		json_decref(env);
		return NULL;
	}
	*caused_by = arena_strdup(who);
	json_incref(doc);
	json_decref(env);
	return doc;
}

long long archive_retry_delay(int attempts)
{
	long long delay = config_int("archive.retry_first_seconds"),
		  max = config_int("archive.retry_max_seconds");
	for (int i = 1; i < attempts && delay < max; i++)
		delay *= 2;
	return delay < max ? delay : max;
}

int archive_delivered(const struct archive_due *d, const char *owner, const char *name,
		      const unsigned char sha256[32], long size, bool pdfa)
{
	/* attempts from 0 again: they count the looks for the acknowledgement. */
	return db_exec("UPDATE archive_record SET state = 'delivered', delivered_at = CURRENT_TIMESTAMP(3),"
		       " delivered_as = ?, pdf_sha256 = ?, pdf_size = ?, pdfa = ?, last_error = NULL,"
		       " attempts = 0, next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND,"
		       " lease_until = NULL, lease_owner = NULL, version = version + 1"
		       " WHERE id = ? AND lease_owner = ?",
		       "sbiiiis", name, sha256, (size_t)32, (long long)size, (long long)pdfa,
		       archive_retry_delay(1), (long long)d->id, owner);
}

int archive_deferred(const struct archive_due *d, const char *owner, const char *reason, bool rejected)
{
	return db_exec("UPDATE archive_record SET state = ?, last_error = ?,"
		       " next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND,"
		       " lease_until = NULL, lease_owner = NULL, version = version + 1"
		       " WHERE id = ? AND lease_owner = ?",
		       "ssiis", rejected ? "failed" : d->state, reason, archive_retry_delay(d->attempts),
		       (long long)d->id, owner);
}

int archive_waiting(const struct archive_due *d, const char *owner)
{
	return db_exec("UPDATE archive_record SET next_attempt_at = CURRENT_TIMESTAMP(3) + INTERVAL ? SECOND,"
		       " lease_until = NULL, lease_owner = NULL WHERE id = ? AND lease_owner = ?",
		       "iis", archive_retry_delay(d->attempts), (long long)d->id, owner);
}

int archive_release(int64_t id, const char *owner)
{
	return db_exec("UPDATE archive_record SET lease_until = NULL, lease_owner = NULL,"
		       " attempts = GREATEST(attempts - 1, 0) WHERE id = ? AND lease_owner = ?",
		       "is", (long long)id, owner);
}

/* The reference as the column keeps it: printable ASCII, at most 100. */
static bool reference_ok(const char *ref)
{
	size_t n = strlen(ref);
	if (n == 0 || n > 100)
		return false;
	for (const char *p = ref; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}

int archive_acknowledged(const struct archive_due *d, const char *owner, const char *reference)
{
	if (!reference_ok(reference))
		return DB_ERROR;
	int rc = db_begin();
	if (rc < 0)
		return rc;
	rc = db_exec(
		"UPDATE archive_record SET state = 'acknowledged', acknowledged_at = CURRENT_TIMESTAMP(3),"
		" archive_reference = ?, snapshot = NULL, snapshot_key_id = NULL, last_error = NULL,"
		" lease_until = NULL, lease_owner = NULL, version = version + 1"
		" WHERE id = ? AND lease_owner = ? AND state = 'delivered'",
		"sis", reference, (long long)d->id, owner);
	/* The transition it records is archived (sql/013's queue row). */
	if (rc == 1 && d->transition_id > 0) {
		int t = db_exec("UPDATE log_transition SET archive_state = 'archived',"
				" archived_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
				"i", (long long)d->transition_id);
		if (t < 0)
			rc = t;
	}
	/* A withdrawn consent: now that the archive has the log, every piece
	 * of its personal data goes, in this same transaction (logpurge.h). A
	 * log deleted before (0) has nothing left to delete. */
	if (rc == 1 && strcmp(d->kind, "withdrawn") == 0) {
		int p = logpurge_run(d->municipality_id, d->log_id, "withdrawn", d->id, reference);
		if (p < 0)
			rc = p;
	}
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	if (rc == 0) {
		db_rollback();
		return 0;
	}
	rc = db_commit();
	return rc < 0 ? rc : 1;
}

/* --- the log page's side ------------------------------------------------------ */

static const struct db_col item_cols[] = {
	DB_COL(struct archive_item, id, DB_I64),
	DB_COL(struct archive_item, kind, DB_STR),
	DB_COL(struct archive_item, state, DB_STR),
	DB_COL(struct archive_item, document_date, DB_STR),
	DB_COL(struct archive_item, created_at, DB_STR),
	DB_COL(struct archive_item, next_attempt_at, DB_STR),
	DB_COL(struct archive_item, last_error, DB_STR),
	DB_COL(struct archive_item, delivered_at, DB_STR),
	DB_COL(struct archive_item, acknowledged_at, DB_STR),
	DB_COL(struct archive_item, archive_reference, DB_STR),
	DB_COL(struct archive_item, attempts, DB_INT),
};
static const struct db_map item_map = DB_MAP(struct archive_item, item_cols);

int archive_list(int64_t municipality_id, int64_t log_id, struct archive_item **out)
{
	return db_select(
		&item_map, out,
		"SELECT id, kind, state, DATE_FORMAT(document_date, '%Y-%m-%d'), created_at,"
		" next_attempt_at, last_error, delivered_at, acknowledged_at, archive_reference, attempts"
		" FROM archive_record WHERE log_id = ? AND municipality_id = ? ORDER BY id DESC",
		"ii", (long long)log_id, (long long)municipality_id);
}
