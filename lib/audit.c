/* audit.c — the hash-chained audit trail (audit.h says which bytes are
 * hashed). Touches audit_log and audit_head, and reads person, log,
 * log_actor, unit and staff_role to name the readers of a log; appends
 * only, never updates or deletes a row. */
#include "audit.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "tz.h"

#define NFIELDS 10
#define HASH_LEN 32
#define VERIFY_BATCH 1000

/* One field of the canonical text; p NULL is SQL NULL. */
struct field {
	const char *p;
	size_t len;
};

static struct field text_field(const char *s)
{
	return (struct field){ s, s ? strlen(s) : 0 };
}

/* An id as decimal text in buf (which must hold 21 bytes); 0 is NULL. */
static struct field id_field(int64_t id, char *buf)
{
	if (id == 0)
		return (struct field){ NULL, 0 };
	snprintf(buf, 21, "%lld", (long long)id);
	return text_field(buf);
}

static bool has_control(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20)
			return true;
	return false;
}

/* SHA-256(prev || canonical text of f || the items' text, if any). */
static void chain_hash(const unsigned char prev[HASH_LEN], const struct field f[NFIELDS],
		       const struct buf *items, unsigned char out[HASH_LEN])
{
	struct buf b = { 0 };
	buf_add(&b, prev, HASH_LEN);
	for (int i = 0; i < NFIELDS; i++) {
		if (f[i].p)
			buf_add(&b, f[i].p, f[i].len);
		else
			buf_addc(&b, '\0');
		buf_addc(&b, '\x1f');
	}
	if (items && items->len)
		buf_add(&b, items->data, items->len);
	crypto_sha256(b.data, b.len, out);
}

/* The items' part of the canonical text (audit.h): ascending log id, each
 * "id 0x1E role 0x1E". items must be sorted already. */
static void add_item_text(struct buf *b, int64_t log_id, const char *role, size_t role_len)
{
	buf_addf(b, "%lld", (long long)log_id);
	buf_addc(b, '\x1e');
	buf_add(b, role, role_len);
	buf_addc(b, '\x1e');
}

static int by_log_id(const void *a, const void *b)
{
	int64_t x = ((const struct audit_item *)a)->log_id, y = ((const struct audit_item *)b)->log_id;
	return (x > y) - (x < y);
}

/* Now, UTC, to the millisecond, in the form DATETIME(3) stores and gives back. */
#define AT_SIZE 80 /* "YYYY-MM-DD HH:MM:SS.mmm" needs 24; room for what gcc imagines */

static void now_ms(char out[AT_SIZE])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, AT_SIZE, "%04d-%02d-%02d %02d:%02d:%02d.%03ld", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

static bool text_ok(const char *s, bool required)
{
	if (!s)
		return !required;
	return (!required || *s) && !has_control(s, strlen(s));
}

static bool entry_ok(const struct audit_entry *e, const char *request_id)
{
	if (e->nitems && (e->log_id || !e->items))
		return false; /* a list's row names no log of its own */
	for (size_t i = 0; i < e->nitems; i++)
		if (e->items[i].log_id <= 0 || !text_ok(e->items[i].role, true))
			return false;
	return text_ok(e->role, true) && text_ok(e->action, true) && text_ok(e->outcome, true) &&
		text_ok(e->detail, false) && strlen(request_id) == 32 &&
		strspn(request_id, "0123456789abcdef") == 32;
}

struct head {
	struct db_blob last_hash;
	int64_t count;
};
static const struct db_col head_cols[] = {
	DB_COL(struct head, last_hash, DB_BLOB),
	DB_COL(struct head, count, DB_I64),
};
static const struct db_map head_map = DB_MAP(struct head, head_cols);

/* The rows of the open transaction, appended to the chain when it commits
 * (db_at_commit): the chain head is then locked for the commit alone, not
 * for the rest of the request, so reads of different logs do not queue
 * behind one another. The copies live in the request's arena. */
struct pending {
	unsigned long tx; /* db_transaction_serial() of the transaction they belong to */
	bool registered;
	struct audit_entry *e;
	bool *kept; /* the row stays if the transaction is rolled back (audit_append_kept) */
	size_t n, cap;
};
static struct pending pending;

static const char *copy(const char *s)
{
	return s && *s ? arena_strdup(s) : NULL;
}

static void queue(const struct audit_entry *e)
{
	if (pending.n == pending.cap) {
		size_t cap = pending.cap ? 2 * pending.cap : 16;
		struct audit_entry *grown = arena_alloc(cap * sizeof *grown);
		bool *kept = arena_alloc(cap * sizeof *kept);
		if (pending.n) {
			memcpy(grown, pending.e, pending.n * sizeof *grown);
			memcpy(kept, pending.kept, pending.n * sizeof *kept);
		}
		pending.e = grown;
		pending.kept = kept;
		pending.cap = cap;
	}
	pending.kept[pending.n] = false;
	struct audit_item *items = NULL;
	if (e->nitems) {
		items = arena_alloc(e->nitems * sizeof *items);
		for (size_t i = 0; i < e->nitems; i++)
			items[i] = (struct audit_item){ e->items[i].log_id, arena_strdup(e->items[i].role) };
		qsort(items, e->nitems, sizeof *items, by_log_id);
	}
	/* An empty detail is stored, and hashed, as NULL. */
	pending.e[pending.n++] = (struct audit_entry){
		.municipality_id = e->municipality_id,
		.person_id = e->person_id,
		.role = arena_strdup(e->role),
		.log_id = e->log_id,
		.action = arena_strdup(e->action),
		.outcome = arena_strdup(e->outcome),
		.detail = copy(e->detail),
		.items = items,
		.nitems = e->nitems,
	};
}

/* V as compact JSON text in the arena; V is released. */
static const char *json_text(json_t *v)
{
	char *json = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!json) {
		log_error("audit: out of memory");
		abort();
	}
	const char *text = arena_strdup(json);
	free(json);
	return text;
}

/* Stores the items of the rows being appended, all in one statement; the
 * JSON array [[row id, log id, role], ...] is released. */
static int insert_items(json_t *items)
{
	size_t n = json_array_size(items);
	if (n == 0) {
		json_decref(items);
		return DB_OK;
	}
	int rc = db_exec("INSERT INTO audit_log_item (audit_id, log_id, role) SELECT j.a, j.l, j.r"
			 " FROM JSON_TABLE(?, '$[*]' COLUMNS (a BIGINT PATH '$[0]', l BIGINT PATH '$[1]',"
			 " r VARCHAR(20) PATH '$[2]')) AS j",
			 "s", json_text(items));
	if (rc >= 0 && (size_t)rc != n) {
		log_error("audit: %d of %zu items inserted", rc, n);
		return DB_ERROR;
	}
	return rc < 0 ? rc : DB_OK;
}

static json_t *id_json(int64_t id)
{
	return id ? json_integer((json_int_t)id) : json_null();
}

/* Locks the chain head, chains the pending rows onto it and inserts them in
 * one statement (the rows travel as one JSON array: one prepared statement
 * for any number of rows, no SQL text built from them), then moves the head. */
static int flush(void *unused)
{
	(void)unused;
	size_t n = pending.n;
	pending.n = 0;
	pending.registered = false;
	if (n == 0)
		return DB_OK;
	struct head h;
	int rc = db_select_one(&head_map, &h,
			       "SELECT last_hash, count FROM audit_head WHERE id = 1 FOR UPDATE", NULL);
	if (rc < 0)
		return rc;
	if (rc == 0 || h.last_hash.len != HASH_LEN) {
		log_error("audit: the audit_head row is missing or damaged");
		return DB_ERROR;
	}
	const char *rid = log_request_id();
	unsigned char prev[HASH_LEN], hash[HASH_LEN];
	memcpy(prev, h.last_hash.data, HASH_LEN);
	int64_t id = h.count;
	char at[AT_SIZE], ids[4][21];
	now_ms(at);
	json_t *rows = json_array(), *items = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct audit_entry *e = &pending.e[i];
		id++;
		struct buf text = { 0 };
		for (size_t k = 0; k < e->nitems; k++) {
			add_item_text(&text, e->items[k].log_id, e->items[k].role, strlen(e->items[k].role));
			json_array_append_new(items,
					      json_pack("[I I s]", (json_int_t)id,
							(json_int_t)e->items[k].log_id, e->items[k].role));
		}
		struct field f[NFIELDS] = {
			id_field(id, ids[0]),  id_field(e->municipality_id, ids[1]),
			text_field(at),	       id_field(e->person_id, ids[2]),
			text_field(e->role),   id_field(e->log_id, ids[3]),
			text_field(e->action), text_field(e->outcome),
			text_field(e->detail), text_field(rid),
		};
		chain_hash(prev, f, &text, hash);
		json_array_append_new(rows,
				      json_pack("[I o o s o s s s? s s]", (json_int_t)id,
						id_json(e->municipality_id), id_json(e->person_id), e->role,
						id_json(e->log_id), e->action, e->outcome, e->detail,
						crypto_hex(prev, HASH_LEN), crypto_hex(hash, HASH_LEN)));
		memcpy(prev, hash, HASH_LEN);
	}
	rc = db_exec("INSERT INTO audit_log (id, municipality_id, at, person_id, role, log_id, action,"
		     " outcome, detail, request_id, prev_hash, hash)"
		     " SELECT j.id, j.m, ?, j.p, j.role, j.l, j.action, j.outcome, j.detail, ?,"
		     " UNHEX(j.prev), UNHEX(j.hash) FROM JSON_TABLE(?, '$[*]' COLUMNS ("
		     " id BIGINT PATH '$[0]', m BIGINT PATH '$[1]', p BIGINT PATH '$[2]',"
		     " role VARCHAR(20) PATH '$[3]', l BIGINT PATH '$[4]', action VARCHAR(40) PATH '$[5]',"
		     " outcome VARCHAR(20) PATH '$[6]', detail VARCHAR(80) PATH '$[7]',"
		     " prev CHAR(64) PATH '$[8]', hash CHAR(64) PATH '$[9]')) AS j ORDER BY j.id",
		     "sss", at, rid, json_text(rows));
	if (rc >= 0 && (size_t)rc != n) {
		log_error("audit: %d of %zu rows inserted", rc, n);
		rc = DB_ERROR;
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	if ((rc = insert_items(items)) < 0)
		return rc;
	rc = db_exec("UPDATE audit_head SET last_hash = ?, count = ? WHERE id = 1", "bi", hash,
		     (size_t)HASH_LEN, (long long)id);
	return rc < 0 ? rc : DB_OK;
}

/* The first row of the open transaction: the flush registered for its
 * commit. Of what an earlier, rolled-back transaction left, only its kept
 * rows come along (audit_rolled_back writes them before the request's arena
 * goes). */
static int begin_pending(void)
{
	if (pending.tx == db_transaction_serial() && pending.registered)
		return DB_OK;
	struct pending old = pending;
	pending = (struct pending){ .tx = db_transaction_serial() };
	int rc = db_at_commit(flush, NULL);
	if (rc < 0)
		return rc;
	pending.registered = true;
	for (size_t i = 0; i < old.n; i++) {
		if (!old.kept[i])
			continue;
		queue(&old.e[i]);
		pending.kept[pending.n - 1] = true;
	}
	return DB_OK;
}

int audit_append(const struct audit_entry *e)
{
	if (!db_in_transaction()) {
		/* The row commits or rolls back with what it records. */
		log_error("audit: append outside a transaction");
		return DB_ERROR;
	}
	if (!entry_ok(e, log_request_id())) {
		log_error("audit: refused an entry with a missing field or a control character");
		return DB_ERROR;
	}
	int rc = begin_pending();
	if (rc < 0)
		return rc;
	queue(e);
	return DB_OK;
}

int audit_append_kept(const struct audit_entry *e)
{
	int rc = audit_append(e);
	if (rc == DB_OK)
		pending.kept[pending.n - 1] = true;
	return rc;
}

int audit_rolled_back(void)
{
	if (db_in_transaction()) {
		log_error("audit: audit_rolled_back inside a transaction");
		return DB_ERROR;
	}
	bool any = false;
	for (size_t i = 0; i < pending.n && !any; i++)
		any = pending.kept[i];
	if (!any) {
		pending = (struct pending){ 0 };
		return DB_OK;
	}
	/* A transaction of its own, which takes the kept rows along. */
	int rc = db_begin();
	if (rc < 0)
		return rc;
	rc = begin_pending();
	if (rc < 0) {
		db_rollback();
		pending = (struct pending){ 0 };
		return rc;
	}
	return db_commit();
}

int audit_event(const struct audit_entry *e)
{
	if (db_in_transaction()) {
		log_error("audit: audit_event inside a transaction");
		return DB_ERROR;
	}
	int rc = db_begin();
	if (rc < 0)
		return rc;
	rc = audit_append(e);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	return db_commit();
}

/* A stored row, every field as its exact bytes (NULL has data NULL). */
struct stored {
	int64_t id;
	struct db_blob f[NFIELDS];
	struct db_blob prev_hash;
	struct db_blob hash;
};
static const struct db_col stored_cols[] = {
	DB_COL(struct stored, id, DB_I64),    DB_COL(struct stored, f[0], DB_BLOB),
	DB_COL(struct stored, f[1], DB_BLOB), DB_COL(struct stored, f[2], DB_BLOB),
	DB_COL(struct stored, f[3], DB_BLOB), DB_COL(struct stored, f[4], DB_BLOB),
	DB_COL(struct stored, f[5], DB_BLOB), DB_COL(struct stored, f[6], DB_BLOB),
	DB_COL(struct stored, f[7], DB_BLOB), DB_COL(struct stored, f[8], DB_BLOB),
	DB_COL(struct stored, f[9], DB_BLOB), DB_COL(struct stored, prev_hash, DB_BLOB),
	DB_COL(struct stored, hash, DB_BLOB),
};
static const struct db_map stored_map = DB_MAP(struct stored, stored_cols);

/* Does row r, with the items' text given, follow the row with id prev_id
 * and hash prev? */
static bool row_ok(const struct stored *r, const struct buf *items, int64_t prev_id,
		   const unsigned char prev[HASH_LEN])
{
	if (r->id != prev_id + 1 || r->prev_hash.len != HASH_LEN || r->hash.len != HASH_LEN ||
	    !crypto_equal(r->prev_hash.data, prev, HASH_LEN))
		return false;
	struct field f[NFIELDS];
	for (int i = 0; i < NFIELDS; i++) {
		const char *p = (const char *)r->f[i].data;
		if (p && has_control(p, r->f[i].len))
			return false;
		f[i] = (struct field){ p, r->f[i].len };
	}
	unsigned char h[HASH_LEN];
	chain_hash(prev, f, items, h);
	return crypto_equal(h, r->hash.data, HASH_LEN);
}

struct stored_item {
	int64_t audit_id;
	int64_t log_id;
	struct db_blob role;
};
static const struct db_col stored_item_cols[] = {
	DB_COL(struct stored_item, audit_id, DB_I64),
	DB_COL(struct stored_item, log_id, DB_I64),
	DB_COL(struct stored_item, role, DB_BLOB),
};
static const struct db_map stored_item_map = DB_MAP(struct stored_item, stored_item_cols);

/* The chain from the row after last_id on; 0 intact so far, 1 broken, < 0. */
static int verify_rows(int64_t *last_id, unsigned char prev[HASH_LEN], int64_t *first_bad)
{
	for (;;) {
		struct stored *rows;
		/* Numbers and times as the server's own text, so the bytes hashed
		 * here are exactly the stored values. */
		int n = db_select(
			&stored_map, &rows,
			"SELECT id, CAST(id AS CHAR), CAST(municipality_id AS CHAR), CAST(at AS CHAR),"
			" CAST(person_id AS CHAR), role, CAST(log_id AS CHAR), action, outcome, detail,"
			" request_id, prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
			"ii", (long long)*last_id, (long long)VERIFY_BATCH);
		if (n <= 0)
			return n;
		/* The items of these rows, in the order their text is hashed. */
		struct stored_item *items;
		int ni = db_select(&stored_item_map, &items,
				   "SELECT audit_id, log_id, role FROM audit_log_item WHERE audit_id > ? AND "
				   "audit_id <= ?"
				   " ORDER BY audit_id, log_id",
				   "ii", (long long)*last_id, (long long)rows[n - 1].id);
		if (ni < 0)
			return ni;
		for (int i = 0, k = 0; i < n; i++) {
			struct buf text = { 0 };
			for (; k < ni && items[k].audit_id <= rows[i].id; k++) {
				const char *role = (const char *)items[k].role.data;
				if (items[k].audit_id < rows[i].id || has_control(role, items[k].role.len)) {
					*first_bad = rows[i].id; /* an item of no row, or a forged role */
					return 1;
				}
				add_item_text(&text, items[k].log_id, role, items[k].role.len);
			}
			if (!row_ok(&rows[i], &text, *last_id, prev)) {
				*first_bad = rows[i].id;
				return 1;
			}
			*last_id = rows[i].id;
			memcpy(prev, rows[i].hash.data, HASH_LEN);
		}
	}
}

static int verify_snapshot(int64_t *rows, int64_t *first_bad)
{
	unsigned char prev[HASH_LEN] = { 0 };
	int64_t last_id = 0;
	int rc = verify_rows(&last_id, prev, first_bad);
	if (rc != 0)
		return rc;
	struct head h;
	rc = db_select_one(&head_map, &h, "SELECT last_hash, count FROM audit_head WHERE id = 1", NULL);
	if (rc < 0)
		return rc;
	/* A row cut off the end leaves no gap: only the head tells. */
	if (rc == 0 || h.count != last_id || h.last_hash.len != HASH_LEN ||
	    !crypto_equal(h.last_hash.data, prev, HASH_LEN)) {
		*first_bad = -1;
		return 1;
	}
	*rows = last_id;
	return 0;
}

int audit_verify(int64_t *rows, int64_t *first_bad)
{
	*rows = 0;
	*first_bad = 0;
	/* One transaction: the rows and the head are one snapshot, even while
	 * the programs go on appending. */
	int rc = db_begin();
	if (rc < 0)
		return rc;
	rc = verify_snapshot(rows, first_bad);
	db_rollback();
	return rc;
}

static const struct db_col read_cols[] = {
	DB_COL(struct audit_reader_day, day, DB_STR),
	DB_COL(struct audit_reader_day, reads, DB_I64),
	DB_COL(struct audit_reader_day, first, DB_STR),
	DB_COL(struct audit_reader_day, last, DB_STR),
	DB_COL(struct audit_reader_day, given_name, DB_STR),
	DB_COL(struct audit_reader_day, family_name, DB_STR),
	DB_COL(struct audit_reader_day, role, DB_STR),
	DB_COL(struct audit_reader_day, unit, DB_STR),
	DB_COL(struct audit_reader_day, title, DB_STR),
};
static const struct db_map read_map = DB_MAP(struct audit_reader_day, read_cols);

/* The reads of a log: rows of its own and the lists it was on, allowed,
 * "log.*", by a person of the municipality (the same FROM and WHERE for
 * the rows and their count). */
#define READS_OF_A_LOG                                                                                       \
	" FROM (SELECT id, role FROM audit_log WHERE municipality_id = ? AND log_id = ?"                     \
	"  UNION ALL SELECT audit_id, role FROM audit_log_item WHERE log_id = ?) x"                          \
	" JOIN audit_log a ON a.id = x.id AND a.municipality_id = ?"                                         \
	"  AND a.action LIKE 'log.%' AND a.outcome = 'allow'"                                                \
	" JOIN person p ON p.id = a.person_id AND p.municipality_id = a.municipality_id"

/* The same reads, one row per Oslo day, person and role: each read's UTC
 * moment falls in one interval of tz_offsets_json (the last parameter),
 * whose offset gives its date in Oslo. */
#define READS_BY_DAY                                                                                         \
	"SELECT DATE(a.at + INTERVAL z.off MINUTE) AS day, a.person_id, x.role, COUNT(*) AS n,"              \
	" MIN(a.at) AS first_at, MAX(a.at) AS last_at" READS_OF_A_LOG                                        \
	" JOIN JSON_TABLE(?, '$[*]' COLUMNS (since DATETIME(3) PATH '$[0]', until DATETIME(3) PATH '$[1]',"  \
	"  off INT PATH '$[2]')) z ON a.at >= z.since AND a.at < z.until"                                    \
	" GROUP BY day, a.person_id, x.role"

struct reads_row {
	int64_t n;
	char *first, *last;
};
static const struct db_col reads_cols[] = {
	DB_COL(struct reads_row, n, DB_I64),
	DB_COL(struct reads_row, first, DB_STR),
	DB_COL(struct reads_row, last, DB_STR),
};
static const struct db_map reads_map = DB_MAP(struct reads_row, reads_cols);

struct count_row {
	int64_t n;
};
static const struct db_col count_cols[] = { DB_COL(struct count_row, n, DB_I64) };
static const struct db_map count_map = DB_MAP(struct count_row, count_cols);

int audit_reads(int64_t municipality_id, int64_t log_id, int limit, int64_t offset,
		struct audit_reader_day **out, int64_t *groups, int64_t *total)
{
	*out = NULL;
	*groups = *total = 0;
	long long m = municipality_id, l = log_id;
	struct reads_row all = { 0 };
	int rc = db_select_one(&reads_map, &all,
			       "SELECT COUNT(*), DATE_FORMAT(MIN(a.at), '%Y-%m-%d %H:%i:%s'),"
			       " DATE_FORMAT(MAX(a.at), '%Y-%m-%d %H:%i:%s')" READS_OF_A_LOG,
			       "iiii", m, l, l, m);
	if (rc < 0)
		return rc;
	*total = all.n;
	if (all.n == 0)
		return 0;
	/* The offsets from the first read to the last (to the second: the
	 * clock changes on a whole second, so a read's milliseconds never
	 * carry it past a change). */
	struct buf json = { 0 };
	if (tz_offsets_json(all.first, all.last, &json) < 0) {
		buf_reset(&json);
		return DB_ERROR;
	}
	const char *offsets = arena_strdup(json.data);
	buf_reset(&json);
	struct count_row c = { 0 };
	rc = db_select_one(&count_map, &c, "SELECT COUNT(*) FROM (" READS_BY_DAY ") g", "iiiis", m, l, l, m,
			   offsets);
	if (rc < 0)
		return rc;
	*groups = c.n;
	if (limit <= 0 || offset < 0 || offset >= c.n)
		return 0;
	/* A holder read for the log's unit, an actor for the unit of their
	 * actor row (a current one first); the title is theirs there. */
	return db_select(
		&read_map, out,
		"SELECT DATE_FORMAT(g.day, '%Y-%m-%d'), g.n, DATE_FORMAT(g.first_at, '%Y-%m-%d %H:%i'),"
		" DATE_FORMAT(g.last_at, '%Y-%m-%d %H:%i'), p.given_name, p.family_name, g.role, u.name,"
		" IF(u.id IS NULL, NULL, COALESCE(s.title, p.title))"
		" FROM (" READS_BY_DAY
		" ORDER BY day DESC, last_at DESC, a.person_id, x.role LIMIT ? OFFSET ?) g"
		" JOIN person p ON p.id = g.person_id"
		" LEFT JOIN log l ON l.id = ? AND l.municipality_id = ?"
		" LEFT JOIN unit u ON u.municipality_id = l.municipality_id AND u.id = CASE g.role"
		"  WHEN 'holder' THEN l.unit_id"
		"  WHEN 'actor' THEN (SELECT a2.unit_id FROM log_actor a2 WHERE a2.log_id = l.id"
		"   AND a2.person_id = g.person_id ORDER BY a2.removed_at IS NOT NULL, a2.id LIMIT 1) END"
		" LEFT JOIN staff_role s ON s.person_id = g.person_id AND s.unit_id = u.id AND s.role = "
		"'staff'"
		" ORDER BY g.day DESC, g.last_at DESC, g.person_id, g.role",
		"iiiisiiii", m, l, l, m, offsets, (long long)limit, (long long)offset, l, m);
}
