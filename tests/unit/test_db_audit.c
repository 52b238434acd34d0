/* test_db_audit.c — lib/audit.c and `stafett-admin rekey` against the real
 * MariaDB of a running test stack (STAFETT_CONF; run by tests/http/run.py),
 * as the application's own account. Tampering is tested over HTTP
 * (tests/http/test_audit.py): this account cannot change a row, by design. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "arena.h"
#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

static int64_t fjordvik, nordheim;

static int setup(void **state)
{
	(void)state;
	if (config_load(NULL) < 0 || db_connect("database") < 0 ||
	    crypto_load_keys(config_str("crypto.key_file")) < 0)
		return -1;
	struct id_row r;
	if (db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = 'fjordvik'", NULL) != 1)
		return -1;
	fjordvik = r.id;
	if (db_select_one(&id_map, &r, "SELECT id FROM municipality WHERE slug = 'nordheim'", NULL) != 1)
		return -1;
	nordheim = r.id;
	arena_reset();
	return 0;
}

static int64_t audit_count(void)
{
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r, "SELECT COUNT(*) FROM audit_log", NULL), 1);
	return r.id;
}

static void assert_intact(int64_t expected_rows)
{
	int64_t rows = -1, bad = -2;
	assert_int_equal(audit_verify(&rows, &bad), 0);
	assert_int_equal(rows, expected_rows);
	assert_int_equal(bad, 0);
}

struct stored {
	int64_t id;
	char *at;
	char *request_id;
	struct db_blob prev_hash;
	struct db_blob hash;
};
static const struct db_col stored_cols[] = {
	DB_COL(struct stored, id, DB_I64),	   DB_COL(struct stored, at, DB_STR),
	DB_COL(struct stored, request_id, DB_STR), DB_COL(struct stored, prev_hash, DB_BLOB),
	DB_COL(struct stored, hash, DB_BLOB),
};
static const struct db_map stored_map = DB_MAP(struct stored, stored_cols);

static struct stored row_with_detail(const char *detail)
{
	struct stored s;
	assert_int_equal(
		db_select_one(&stored_map, &s,
			      "SELECT id, CAST(at AS CHAR), request_id, prev_hash, hash FROM audit_log"
			      " WHERE detail = ?",
			      "s", detail),
		1);
	return s;
}

/* The canonical text as audit.h documents it, written out again here so a
 * change of format in audit.c cannot pass unnoticed. */
static void documented_hash(const unsigned char prev[32], const char *const f[10], unsigned char out[32])
{
	struct buf b = { 0 };
	buf_add(&b, prev, 32);
	for (int i = 0; i < 10; i++) {
		if (f[i])
			buf_adds(&b, f[i]);
		else
			buf_addc(&b, '\0');
		buf_addc(&b, '\x1f');
	}
	crypto_sha256(b.data, b.len, out);
}

static void appended_rows_chain_and_verify(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	assert_intact(before);
	const char *tag = crypto_random_hex(4);
	const char *d1 = arena_printf("audit test one %s", tag), *d2 = arena_printf("audit test two %s", tag);
	struct audit_entry e = { .municipality_id = fjordvik,
				 .person_id = 7,
				 .role = "system",
				 .log_id = 9,
				 .action = "test.audit",
				 .outcome = "ok",
				 .detail = d1 };
	assert_int_equal(audit_event(&e), 0);
	e = (struct audit_entry){
		.role = "anonymous", .action = "test.audit", .outcome = "refused", .detail = d2
	};
	assert_int_equal(audit_event(&e), 0);
	e.detail = NULL;
	assert_int_equal(audit_event(&e), 0);
	assert_int_equal(audit_count(), before + 3);
	assert_intact(before + 3);

	/* The first row by the documented recipe, ids and times as stored. */
	struct stored one = row_with_detail(d1);
	assert_int_equal(one.id, before + 1);
	assert_int_equal(strlen(one.at), 23); /* YYYY-MM-DD HH:MM:SS.mmm */
	assert_string_equal(one.request_id, "00000000000000000000000000000000");
	assert_int_equal(one.hash.len, 32);
	const char *f1[10] = { arena_printf("%lld", (long long)one.id),
			       arena_printf("%lld", (long long)fjordvik),
			       one.at,
			       "7",
			       "system",
			       "9",
			       "test.audit",
			       "ok",
			       d1,
			       one.request_id };
	unsigned char h[32];
	documented_hash(one.prev_hash.data, f1, h);
	assert_memory_equal(h, one.hash.data, 32);
	/* The second follows the first, and its NULL ids are NUL bytes, not text. */
	struct stored two = row_with_detail(d2);
	assert_int_equal(two.id, one.id + 1);
	assert_memory_equal(two.prev_hash.data, one.hash.data, 32);
	const char *f2[10] = { arena_printf("%lld", (long long)two.id),
			       NULL,
			       two.at,
			       NULL,
			       "anonymous",
			       NULL,
			       "test.audit",
			       "refused",
			       d2,
			       two.request_id };
	documented_hash(two.prev_hash.data, f2, h);
	assert_memory_equal(h, two.hash.data, 32);
	db_request_end();
	arena_reset();
}

/* Rows appended in one transaction follow one another in the chain exactly
 * as rows appended one by one would, and a bad entry is refused at once. */
static void rows_of_one_transaction_follow_one_another(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	const char *tag = crypto_random_hex(4);
	struct audit_entry e[3];
	assert_int_equal(db_begin(), 0);
	for (int i = 0; i < 3; i++) {
		e[i] = (struct audit_entry){ .municipality_id = fjordvik,
					     .person_id = 7,
					     .role = "holder",
					     .log_id = 100 + i,
					     .action = "log.read",
					     .outcome = "allow",
					     .detail = arena_printf("audit many %d %s", i, tag) };
		assert_int_equal(audit_append(&e[i]), 0);
	}
	assert_int_equal(db_commit(), 0);
	assert_int_equal(audit_count(), before + 3);
	assert_intact(before + 3);
	struct stored first = row_with_detail(e[0].detail), last = row_with_detail(e[2].detail);
	assert_int_equal(first.id, before + 1);
	assert_int_equal(last.id, before + 3);

	e[1].role = "bad\nrole";
	assert_int_equal(db_begin(), 0);
	assert_int_equal(audit_append(&e[0]), 0);
	assert_int_equal(audit_append(&e[1]), DB_ERROR);
	db_rollback();
	assert_int_equal(audit_count(), before + 3);
	db_request_end();
	arena_reset();
}

/* A list read at once is one row with an item per log, in log id order
 * whatever order they came in, and the items are part of the chain. */
static void a_list_is_one_row_with_an_item_per_log(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	const char *tag = crypto_random_hex(4);
	struct audit_item items[] = { { 300, "holder" }, { 100, "actor" }, { 200, "guardian" } };
	struct audit_entry e = { .municipality_id = fjordvik,
				 .person_id = 7,
				 .role = "person",
				 .action = "log.list",
				 .outcome = "allow",
				 .detail = arena_printf("audit list %s", tag),
				 .items = items,
				 .nitems = 3 };
	assert_int_equal(db_begin(), 0);
	assert_int_equal(audit_append(&e), 0);
	assert_int_equal(db_commit(), 0);
	assert_intact(before + 1);
	struct stored row = row_with_detail(e.detail);
	struct item {
		int64_t log_id;
		char *role;
	} * got;
	static const struct db_col item_cols[] = { DB_COL(struct item, log_id, DB_I64),
						   DB_COL(struct item, role, DB_STR) };
	static const struct db_map item_map = DB_MAP(struct item, item_cols);
	assert_int_equal(
		db_select(&item_map, &got,
			  "SELECT log_id, role FROM audit_log_item WHERE audit_id = ? ORDER BY log_id", "i",
			  (long long)row.id),
		3);
	assert_int_equal(got[0].log_id, 100);
	assert_string_equal(got[0].role, "actor");
	assert_string_equal(got[2].role, "holder");
	/* The row names no log of its own, and an item needs a log and a role. */
	e.log_id = 5;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(audit_append(&e), DB_ERROR);
	e.log_id = 0;
	items[1].role = "bad\x1e";
	assert_int_equal(audit_append(&e), DB_ERROR);
	items[1] = (struct audit_item){ 0, "actor" };
	assert_int_equal(audit_append(&e), DB_ERROR);
	db_rollback();
	assert_intact(before + 1);
	db_request_end();
	arena_reset();
}

/* Rows wait for the commit of the transaction they belong to (the chain head
 * is locked only then), vanish with its rollback, and chain on exactly as if
 * appended at once; a detail "" is stored and hashed as NULL. */
static void rows_are_appended_when_the_transaction_commits(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	const char *tag = crypto_random_hex(4);
	struct audit_entry e = { .municipality_id = fjordvik,
				 .person_id = 7,
				 .role = "holder",
				 .log_id = 200,
				 .action = "log.read",
				 .outcome = "allow",
				 .detail = arena_printf("deferred %s", tag) };
	assert_int_equal(db_begin(), 0);
	assert_int_equal(audit_append(&e), 0);
	assert_int_equal(audit_count(), before); /* not yet: the head is not locked */
	db_rollback();
	assert_int_equal(audit_count(), before);

	assert_int_equal(db_begin(), 0);
	assert_int_equal(audit_append(&e), 0);
	struct audit_entry empty = e;
	empty.detail = "";
	assert_int_equal(audit_append(&empty), 0);
	assert_int_equal(db_commit(), 0);
	assert_int_equal(audit_count(), before + 2);
	assert_intact(before + 2);
	assert_int_equal(row_with_detail(e.detail).id, before + 1);
	struct id_row r;
	assert_int_equal(db_select_one(&id_map, &r,
				       "SELECT COUNT(*) FROM audit_log WHERE id = ? AND detail IS NULL", "i",
				       (long long)(before + 2)),
			 1);
	assert_int_equal(r.id, 1);
	db_request_end();
	arena_reset();
}

static void bad_entries_and_misuse_are_refused(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	struct audit_entry e = { .role = "system", .action = "test.audit", .outcome = "ok" };
	/* Outside a transaction the head lock would end at once. */
	assert_int_equal(audit_append(&e), DB_ERROR);
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(audit_event(&e), DB_ERROR);
	e.detail = "line\nbreak";
	assert_int_equal(audit_append(&e), DB_ERROR);
	e.detail = "unit\x1fseparator";
	assert_int_equal(audit_append(&e), DB_ERROR);
	e.detail = NULL;
	e.role = NULL;
	assert_int_equal(audit_append(&e), DB_ERROR);
	e.role = "";
	assert_int_equal(audit_append(&e), DB_ERROR);
	db_rollback();
	assert_int_equal(audit_count(), before);
	assert_intact(before);
	db_request_end();
	arena_reset();
}

static void the_application_cannot_change_the_trail(void **state)
{
	(void)state;
	db_request_begin();
	int64_t before = audit_count();
	assert_true(before > 0);
	assert_true(db_exec("UPDATE audit_log SET action = 'x' WHERE id = 1", NULL) < 0);
	assert_true(db_exec("DELETE FROM audit_log WHERE id = ?", "i", (long long)before) < 0);
	assert_true(db_exec("DELETE FROM audit_log", NULL) < 0);
	assert_true(db_exec("DELETE FROM audit_head", NULL) < 0);
	assert_true(db_exec("INSERT INTO audit_head (id, last_hash, count) VALUES (2, ?, 0)", "b", "x",
			    (size_t)1) < 0);
	assert_int_equal(audit_count(), before);
	assert_intact(before);
	db_request_end();
	arena_reset();
}

struct log_row {
	int64_t log_id;
	int64_t person_id;
	char *given;
	char *family;
};
static const struct db_col log_cols[] = {
	DB_COL(struct log_row, log_id, DB_I64),
	DB_COL(struct log_row, person_id, DB_I64),
	DB_COL(struct log_row, given, DB_STR),
	DB_COL(struct log_row, family, DB_STR),
};
static const struct db_map log_map = DB_MAP(struct log_row, log_cols);

static void record(int64_t muni, int64_t person, int64_t log, const char *role, const char *action,
		   const char *outcome)
{
	struct audit_entry e = { .municipality_id = muni,
				 .person_id = person,
				 .role = role,
				 .log_id = log,
				 .action = action,
				 .outcome = outcome };
	assert_int_equal(audit_event(&e), 0);
}

static void readers_of_a_log_per_person_and_day_newest_first(void **state)
{
	(void)state;
	db_request_begin();
	/* Two demo people as readers of a log id no log has (audit_log has no
	 * foreign keys), so the demo logs' reader lists stay empty for other tests. */
	struct log_row h, g;
	assert_int_equal(
		db_select_one(&log_map, &h,
			      "SELECT MAX(l.id) + 1000000, p.id, p.given_name, p.family_name FROM log l"
			      " JOIN person p ON p.id = l.holder_person_id WHERE l.municipality_id = ?"
			      " GROUP BY p.id ORDER BY p.id LIMIT 1",
			      "i", (long long)fjordvik),
		1);
	assert_int_equal(db_select_one(&log_map, &g,
				       "SELECT 0, p.id, p.given_name, p.family_name FROM log_guardian g"
				       " JOIN person p ON p.id = g.person_id WHERE g.municipality_id = ?"
				       " ORDER BY p.id LIMIT 1",
				       "i", (long long)fjordvik),
			 1);
	int64_t log = h.log_id;
	setenv("TZ", "Europe/Oslo", 1); /* as the programs run (lib/app.c): days are Oslo's */
	tzset();
	record(fjordvik, h.person_id, log, "holder", "log.read", "allow");
	record(fjordvik, h.person_id, log, "holder", "log.plain", "allow");
	usleep(5000); /* the guardian reads later, not in the same millisecond: "latest first" is decided */
	record(fjordvik, g.person_id, log, "guardian", "log.readers", "allow");
	/* Not reads of this log: a denial, a login, another log, another municipality. */
	record(fjordvik, g.person_id, log, "guardian", "log.read", "deny");
	record(fjordvik, g.person_id, 0, "guardian", "login", "ok");
	record(fjordvik, g.person_id, log + 1, "guardian", "log.read", "allow");
	record(nordheim, g.person_id, log, "guardian", "log.read", "allow");

	/* Today in Oslo, as the rows were written a moment ago. */
	time_t now = time(NULL);
	struct tm lt;
	localtime_r(&now, &lt);
	char today[16];
	strftime(today, sizeof today, "%Y-%m-%d", &lt);

	struct audit_reader_day *r;
	int64_t groups = -1, total = -1;
	/* One line per person and day, the latest reader first. */
	assert_int_equal(audit_reads(fjordvik, log, 100, 0, &r, &groups, &total), 2);
	assert_int_equal(groups, 2);
	assert_int_equal(total, 3);
	assert_string_equal(r[0].given_name, g.given);
	assert_string_equal(r[0].family_name, g.family);
	assert_string_equal(r[0].role, "guardian");
	assert_int_equal(r[0].reads, 1);
	assert_string_equal(r[0].first, r[0].last);
	assert_int_equal(strlen(r[0].first), 16); /* YYYY-MM-DD HH:MM */
	assert_null(r[0].unit);
	assert_null(r[0].title);
	assert_string_equal(r[1].given_name, h.given);
	assert_string_equal(r[1].family_name, h.family);
	assert_string_equal(r[1].role, "holder");
	assert_int_equal(r[1].reads, 2);
	assert_true(strcmp(r[1].first, r[1].last) <= 0);
	assert_string_equal(r[0].day, today);
	assert_string_equal(r[1].day, today);
	/* A page of one, the next page, past the end: the counts stay. */
	assert_int_equal(audit_reads(fjordvik, log, 1, 0, &r, &groups, &total), 1);
	assert_string_equal(r[0].role, "guardian");
	assert_int_equal(audit_reads(fjordvik, log, 1, 1, &r, &groups, &total), 1);
	assert_string_equal(r[0].role, "holder");
	assert_int_equal(audit_reads(fjordvik, log, 1, 2, &r, &groups, &total), 0);
	assert_int_equal(groups, 2);
	assert_int_equal(total, 3);
	assert_int_equal(audit_reads(fjordvik, log, 0, 0, &r, &groups, &total), 0);
	assert_int_equal(total, 3);
	/* The nordheim row names a fjordvik person: the join refuses it. */
	assert_int_equal(audit_reads(nordheim, log, 100, 0, &r, &groups, &total), 0);
	assert_int_equal(groups, 0);
	assert_int_equal(total, 0);
	db_request_end();
	arena_reset();
}

/* Writers in separate processes: the head lock keeps them in one line. */
static void concurrent_writers_stay_in_one_line(void **state)
{
	(void)state;
	enum { WRITERS = 4, EACH = 25 };
	db_request_begin();
	int64_t before = audit_count();
	db_request_end();
	db_close(); /* the children must not share our socket */
	pid_t pids[WRITERS];
	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			int bad = db_connect("database") < 0;
			struct audit_entry e = { .role = "system",
						 .action = "test.concurrent",
						 .outcome = "ok" };
			for (int i = 0; i < EACH && !bad; i++)
				bad = audit_event(&e) < 0;
			_exit(bad);
		}
	}
	for (int w = 0; w < WRITERS; w++) {
		int status;
		assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(db_connect("database"), 0);
	db_request_begin();
	assert_int_equal(audit_count(), before + WRITERS * EACH);
	assert_intact(before + WRITERS * EACH);
	db_request_end();
	arena_reset();
}

/* --- rekey --------------------------------------------------------------- */

/* One sealed value anywhere, and what it opens to. */
struct sealed {
	int64_t id;
	struct db_blob hash;
	struct db_blob data;
	int key_id;
	char *plain; /* hex, filled by open_all */
};
static const struct db_col sealed_cols[] = {
	DB_COL(struct sealed, id, DB_I64),
	DB_COL(struct sealed, hash, DB_BLOB),
	DB_COL(struct sealed, data, DB_BLOB),
	DB_COL(struct sealed, key_id, DB_INT),
};
static const struct db_map sealed_map = DB_MAP(struct sealed, sealed_cols);

struct snapshot {
	struct sealed *rows[3]; /* person, municipality_oidc, session */
	int n[3];
};

static char *hex(const unsigned char *p, size_t n)
{
	struct buf b = { 0 };
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%02x", p[i]);
	return b.data ? b.data : arena_strdup("");
}

/* Every sealed value of the three tables, opened with the loaded keys. */
static struct snapshot open_all(void)
{
	struct snapshot s;
	s.n[0] = db_select(&sealed_map, &s.rows[0],
			   "SELECT id, NULL, nin_sealed, nin_key_id FROM person ORDER BY id", NULL);
	s.n[1] = db_select(&sealed_map, &s.rows[1],
			   "SELECT municipality_id, NULL, secret_sealed, secret_key_id FROM municipality_oidc"
			   " ORDER BY municipality_id",
			   NULL);
	s.n[2] = db_select(&sealed_map, &s.rows[2],
			   "SELECT 0, id_hash, id_token_sealed, id_token_key_id FROM session"
			   " WHERE id_token_sealed IS NOT NULL ORDER BY id_hash",
			   NULL);
	for (int t = 0; t < 3; t++) {
		assert_true(s.n[t] > 0); /* tools/stack registers every municipality's client */
		for (int i = 0; i < s.n[t]; i++) {
			struct sealed *r = &s.rows[t][i];
			size_t len = r->data.len - CRYPTO_SEAL_OVERHEAD;
			unsigned char *plain = arena_alloc(len + 1);
			assert_int_equal(crypto_open(r->key_id, r->data.data, r->data.len, plain), 0);
			r->plain = hex(plain, len);
		}
	}
	return s;
}

/* now holds the values of a, each under key_id, sealed afresh or not. */
static void same_values(const struct snapshot *a, struct snapshot now, int key_id, bool resealed)
{
	for (int t = 0; t < 3; t++) {
		assert_int_equal(a->n[t], now.n[t]);
		for (int i = 0; i < a->n[t]; i++) {
			const struct sealed *x = &a->rows[t][i], *y = &now.rows[t][i];
			assert_int_equal(x->id, y->id);
			assert_int_equal(x->hash.len, y->hash.len);
			assert_int_equal(y->key_id, key_id);
			assert_string_equal(x->plain, y->plain);
			assert_int_equal(x->data.len, y->data.len);
			assert_int_equal(memcmp(x->data.data, y->data.data, x->data.len) != 0, resealed);
		}
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return b.data ? b.data : arena_strdup("");
}

/* A copy of the stack's configuration whose key file is keys (its path). */
static char *conf_with_keys(const char *keys)
{
	char *conf = slurp(config_path());
	struct buf b = { 0 };
	for (char *line = strtok(conf, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "key_file", 8) == 0)
			buf_addf(&b, "key_file = %s\n", keys);
		else
			buf_addf(&b, "%s\n", line);
	}
	return arena_strdup(unit_tmpfile(b.data));
}

/* This build's stafett-admin, beside the running test binary. */
static char *admin_path(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	assert_true(n > 0);
	self[n] = '\0';
	char *slash = strstr(self, "/tests/unit/");
	assert_non_null(slash);
	*slash = '\0';
	return arena_printf("%s/tools/stafett-admin", self);
}

/* Runs stafett-admin rekey with the stack's configuration but the key file
 * keys; its exit status, and its standard output in *out. */
static int admin_rekey(const char *keys, char **out)
{
	char *tool = admin_path();
	char *conf = conf_with_keys(keys); /* holds the database password: removed below */
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		setenv("STAFETT_CONF", conf, 1);
		execl(tool, tool, "rekey", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	struct buf b = { 0 };
	char chunk[1024];
	ssize_t got;
	while ((got = read(fd[0], chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)got);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	unlink(conf);
	*out = b.data ? b.data : arena_strdup("");
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A session whose ID token is sealed, as a login leaves one; its id in id. */
static void add_session_with_token(unsigned char id[32])
{
	struct id_row p;
	assert_int_equal(db_select_one(&id_map, &p, "SELECT MIN(id) FROM person WHERE municipality_id = ?",
				       "i", (long long)fjordvik),
			 1);
	const char *token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZWtleSJ9.c2lnbmF0dXJl";
	size_t len = strlen(token);
	unsigned char *sealed = arena_alloc(len + CRYPTO_SEAL_OVERHEAD);
	int key = crypto_seal(token, len, sealed);
	assert_true(key > 0);
	assert_int_equal(crypto_random(id, 32), 0);
	assert_int_equal(db_exec("INSERT INTO session (id_hash, municipality_id, person_id, csrf, "
				 "given_name, family_name,"
				 " municipality_slug, id_token_sealed, id_token_key_id)"
				 " VALUES (?, ?, ?, ?, 'Test', 'Testesen', 'fjordvik', ?, ?)",
				 "biisbi", id, (size_t)32, (long long)fjordvik, (long long)p.id,
				 crypto_random_hex(32), sealed, len + CRYPTO_SEAL_OVERHEAD, (long long)key),
			 1);
}

/* The FastCGI programs of the stack know only its key file, so the test
 * ends with every value back under the original key. */
static void rekey_moves_every_value_and_back(void **state)
{
	(void)state;
	db_request_begin();
	const char *keyfile = config_str("crypto.key_file");
	int original = crypto_current_key_id();
	char *keys = slurp(keyfile), *out;
	const char *newkey = arena_printf("aes 32000 %s\n", crypto_random_hex(32));
	size_t kl = strlen(keys);
	const char *sep = kl && keys[kl - 1] != '\n' ? "\n" : "";
	/* The new key last (it encrypts), then first (the original encrypts). */
	char *forward = arena_strdup(unit_tmpfile(arena_printf("%s%s%s", keys, sep, newkey)));
	char *back = arena_strdup(unit_tmpfile(arena_printf("%s%s", newkey, keys)));
	const char *hmac = strstr(keys, "hmac ");
	assert_non_null(hmac);
	char *wrong =
		arena_strdup(unit_tmpfile(arena_printf("aes 32001 %s\n%s", crypto_random_hex(32), hmac)));
	unsigned char session[32];
	add_session_with_token(session);
	struct snapshot before = open_all();
	int total = before.n[0] + before.n[1] + before.n[2];

	/* A key file without the key the values are under: nothing changes. */
	assert_int_equal(admin_rekey(wrong, &out), 1);
	same_values(&before, open_all(), original, false);

	assert_int_equal(admin_rekey(forward, &out), 0);
	assert_non_null(strstr(out, arena_printf("re-encrypted %d value(s) under key 32000", total)));
	assert_int_equal(crypto_load_keys(forward), 0);
	same_values(&before, open_all(), 32000, true);
	assert_int_equal(admin_rekey(forward, &out), 0);
	assert_non_null(strstr(out, "re-encrypted 0 value(s) under key 32000"));

	assert_int_equal(admin_rekey(back, &out), 0);
	assert_non_null(strstr(out, arena_printf("re-encrypted %d value(s) under key %d", total, original)));
	assert_int_equal(crypto_load_keys(keyfile), 0);
	same_values(&before, open_all(), original, true);

	assert_int_equal(db_exec("DELETE FROM session WHERE id_hash = ?", "b", session, sizeof session), 1);
	unlink(forward);
	unlink(back);
	unlink(wrong);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appended_rows_chain_and_verify),
		cmocka_unit_test(rows_of_one_transaction_follow_one_another),
		cmocka_unit_test(a_list_is_one_row_with_an_item_per_log),
		cmocka_unit_test(rows_are_appended_when_the_transaction_commits),
		cmocka_unit_test(bad_entries_and_misuse_are_refused),
		cmocka_unit_test(the_application_cannot_change_the_trail),
		cmocka_unit_test(readers_of_a_log_per_person_and_day_newest_first),
		cmocka_unit_test(concurrent_writers_stay_in_one_line),
		cmocka_unit_test(rekey_moves_every_value_and_back),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
