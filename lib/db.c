/* db.c — the one MariaDB connection of a process and its prepared statements.
 * Touches only MariaDB Connector/C; callers see rows bound to their structs. */
#include "db.h"

#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "log.h"

#define MAX_PARAMS 64
#define MAX_STMTS 128

struct cached {
	const char *sql;
	MYSQL_STMT *stmt;
};

static MYSQL *conn;
static char conn_section[32] = "database";
static struct cached cache[MAX_STMTS];
static size_t ncache;
static bool in_tx;
static unsigned long tx_serial;
static struct {
	int (*fn)(void *ctx);
	void *ctx;
} at_commit[DB_MAX_AT_COMMIT];
static size_t nat_commit;
static int stmts_this_request;
static char last_error[256];
static db_explain_fn explain_fn;
static void *explain_ctx;

static void set_error(const char *what, unsigned code, const char *msg)
{
	snprintf(last_error, sizeof last_error, "%s: %u %s", what, code, msg ? msg : "");
}

const char *db_error(void)
{
	return last_error;
}

bool db_connected(void)
{
	return conn != NULL;
}

static void cache_clear(void)
{
	for (size_t i = 0; i < ncache; i++)
		mysql_stmt_close(cache[i].stmt);
	ncache = 0;
}

void db_close(void)
{
	cache_clear();
	if (conn)
		mysql_close(conn);
	conn = NULL;
	in_tx = false;
	nat_commit = 0;
}

static const char *setting(const char *section, const char *key)
{
	char name[64];
	snprintf(name, sizeof name, "%s.%s", section, key);
	return config_str(name);
}

int db_connect(const char *section)
{
	db_close();
	if (section != conn_section)
		snprintf(conn_section, sizeof conn_section, "%s", section);
	bool admin = strcmp(section, "database_admin") == 0;
	/* The admin connection falls back to the application's server and to
	 * unix-socket authentication as the operating-system user. */
	const char *sock = setting(section, "socket");
	const char *host = setting(section, "host");
	unsigned port = (unsigned)atoi(setting(section, "port"));
	const char *user = setting(section, "user");
	const char *pass = setting(section, "password");
	if (admin) {
		if (!*sock && !*host)
			sock = config_str("database.socket"), host = config_str("database.host");
		if (!port)
			port = (unsigned)config_int("database.port");
		if (!*user) {
			struct passwd *pw = getpwuid(geteuid());
			user = pw ? pw->pw_name : "root";
		}
	}
	conn = mysql_init(NULL);
	if (!conn) {
		set_error("init", 0, "out of memory");
		return DB_ERROR;
	}
	unsigned ct = (unsigned)config_int("database.connect_timeout");
	unsigned rt = (unsigned)config_int("database.read_timeout");
	unsigned wt = (unsigned)config_int("database.write_timeout");
	my_bool no = 0;
	mysql_optionsv(conn, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_optionsv(conn, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_optionsv(conn, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_optionsv(conn, MYSQL_OPT_RECONNECT, &no);
	mysql_optionsv(conn, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	mysql_optionsv(conn, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
	unsigned long flags = admin ? CLIENT_MULTI_STATEMENTS : 0;
	if (!mysql_real_connect(conn, *sock ? NULL : host, user, *pass ? pass : NULL,
				config_str("database.name"), port, *sock ? sock : NULL, flags)) {
		set_error("connect", mysql_errno(conn), mysql_error(conn));
		mysql_close(conn);
		conn = NULL;
		return DB_GONE;
	}
	return DB_OK;
}

static bool is_gone(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONNECTION_ERROR ||
		e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST_EXTENDED || e == ER_CONNECTION_KILLED ||
		e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */ || e == ER_SERVER_SHUTDOWN;
}

/* Maps a failed call to our codes; a lost connection is closed so the next
 * request reconnects. */
static int fail(const char *what, unsigned e, const char *msg)
{
	set_error(what, e, msg);
	if (is_gone(e)) {
		log_warn("database connection lost (%u)", e);
		db_close();
		return DB_GONE;
	}
	if (e == ER_DUP_ENTRY)
		return DB_DUPLICATE;
	if (e == ER_ROW_IS_REFERENCED_2 || e == ER_ROW_IS_REFERENCED)
		return DB_REFERENCED; /* the statement is undone, the transaction goes on */
	if (e == ER_LOCK_WAIT_TIMEOUT || e == ER_LOCK_DEADLOCK) {
		log_warn("database busy: %s", last_error);
		return DB_BUSY;
	}
	log_error("database error: %s", last_error);
	return DB_ERROR;
}

int db_request_begin(void)
{
	stmts_this_request = 0;
	if (conn)
		return DB_OK;
	int rc = db_connect(conn_section);
	if (rc < 0)
		log_warn("database unavailable: %s", last_error);
	return rc;
}

void db_request_end(void)
{
	if (in_tx) {
		log_error("a transaction was left open; rolled back");
		db_rollback();
	}
}

static MYSQL_STMT *prepare(const char *sql, int *err)
{
	for (size_t i = 0; i < ncache; i++)
		if (cache[i].sql == sql || strcmp(cache[i].sql, sql) == 0)
			return cache[i].stmt;
	MYSQL_STMT *st = mysql_stmt_init(conn);
	if (!st) {
		*err = fail("stmt_init", mysql_errno(conn), mysql_error(conn));
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql))) {
		unsigned e = mysql_stmt_errno(st);
		char msg[200];
		snprintf(msg, sizeof msg, "%s", mysql_stmt_error(st));
		mysql_stmt_close(st);
		*err = fail("prepare", e, msg);
		return NULL;
	}
	bool update_max = true;
	mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
	if (ncache < MAX_STMTS) {
		cache[ncache].sql = sql;
		cache[ncache].stmt = st;
		ncache++;
	} else {
		/* Far more distinct statements than any program has: a bug. */
		log_error("statement cache full");
		abort();
	}
	return st;
}

/* Binds the parameters described by types from ap. */
static int bind_params(MYSQL_STMT *st, const char *types, va_list ap)
{
	size_t n = types ? strlen(types) : 0;
	if (n != mysql_stmt_param_count(st) || n > MAX_PARAMS) {
		set_error("bind", 0, "parameter count does not match the statement");
		log_error("%s", last_error);
		return DB_ERROR;
	}
	if (n == 0)
		return DB_OK;
	MYSQL_BIND *b = arena_alloc(n * sizeof *b);
	for (size_t i = 0; i < n; i++) {
		switch (types[i]) {
		case 'i':
		case 'I': {
			long long *v = arena_alloc(sizeof *v);
			*v = va_arg(ap, long long);
			b[i].buffer_type = types[i] == 'I' && *v == 0 ? MYSQL_TYPE_NULL : MYSQL_TYPE_LONGLONG;
			b[i].buffer = v;
			break;
		}
		case 's':
		case 'S': {
			const char *s = va_arg(ap, const char *);
			if (!s || (types[i] == 'S' && !*s)) {
				b[i].buffer_type = MYSQL_TYPE_NULL;
			} else {
				b[i].buffer_type = MYSQL_TYPE_STRING;
				b[i].buffer = (void *)s;
				b[i].buffer_length = strlen(s);
			}
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			b[i].buffer_type = p ? MYSQL_TYPE_BLOB : MYSQL_TYPE_NULL;
			b[i].buffer = (void *)p;
			b[i].buffer_length = len;
			break;
		}
		default:
			set_error("bind", 0, "unknown parameter type");
			log_error("%s '%c'", last_error, types[i]);
			return DB_ERROR;
		}
	}
	if (mysql_stmt_bind_param(st, b))
		return fail("bind_param", mysql_stmt_errno(st), mysql_stmt_error(st));
	return DB_OK;
}

/* Prepare, bind and execute, reconnecting once if the connection turns out to
 * be gone at the first statement of a request outside a transaction. */
static MYSQL_STMT *run(const char *sql, const char *types, va_list ap, int *err)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		*err = DB_OK;
		if (!conn && (attempt > 0 || stmts_this_request == 0)) {
			if (db_connect(conn_section) < 0) {
				*err = DB_GONE;
				return NULL;
			}
		} else if (!conn) {
			*err = DB_GONE;
			return NULL;
		}
		bool first = stmts_this_request == 0 && !in_tx;
		MYSQL_STMT *st = prepare(sql, err);
		if (st) {
			va_list aq;
			va_copy(aq, ap);
			*err = bind_params(st, types, aq);
			va_end(aq);
			if (*err < 0)
				return NULL;
			if (mysql_stmt_execute(st) == 0) {
				stmts_this_request++;
				return st;
			}
			*err = fail("execute", mysql_stmt_errno(st), mysql_stmt_error(st));
		}
		if (*err != DB_GONE || !first || attempt > 0)
			return NULL;
	}
	return NULL;
}

int db_exec(const char *sql, const char *types, ...)
{
	int err;
	va_list ap;
	va_start(ap, types);
	MYSQL_STMT *st = run(sql, types, ap, &err);
	va_end(ap);
	if (!st)
		return err;
	return (int)mysql_stmt_affected_rows(st);
}

int64_t db_last_id(void)
{
	return conn ? (int64_t)mysql_insert_id(conn) : 0;
}

static void store_value(const struct db_col *c, char *row, MYSQL_BIND *b, bool is_null, unsigned long len)
{
	void *dst = row + c->offset;
	switch (c->type) {
	case DB_I64:
		*(int64_t *)dst = is_null ? 0 : *(long long *)b->buffer;
		break;
	case DB_INT:
		*(int *)dst = is_null ? 0 : (int)*(long long *)b->buffer;
		break;
	case DB_BOOL:
		*(bool *)dst = is_null ? false : *(long long *)b->buffer != 0;
		break;
	case DB_STR:
		*(char **)dst = is_null ? NULL : arena_strndup(b->buffer, len);
		break;
	case DB_BLOB: {
		struct db_blob *bl = dst;
		bl->len = is_null ? 0 : len;
		bl->data = is_null ? NULL : arena_alloc(len + 1);
		if (!is_null)
			memcpy(bl->data, b->buffer, len);
		break;
	}
	}
}

void db_set_explain(db_explain_fn fn, void *ctx)
{
	explain_fn = fn;
	explain_ctx = ctx;
}

/* EXPLAIN of a statement from the modules, which are string literals: the
 * only SQL text this file puts together, a fixed word before a literal. Not
 * cached: it runs only in tests and the benchmark. */
static void explain(const char *sql, const char *types, va_list ap)
{
	struct buf text = { 0 };
	buf_adds(&text, "EXPLAIN ");
	buf_adds(&text, sql);
	MYSQL_STMT *st = mysql_stmt_init(conn);
	bool update_max = true;
	if (!st || mysql_stmt_prepare(st, text.data, text.len) ||
	    mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max) ||
	    bind_params(st, types, ap) < 0 || mysql_stmt_execute(st) || mysql_stmt_store_result(st)) {
		log_error("explain failed: %s", st ? mysql_stmt_error(st) : "no statement");
		if (st)
			mysql_stmt_close(st);
		return;
	}
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	int n = meta ? (int)mysql_num_fields(meta) : 0;
	MYSQL_FIELD *fields = meta ? mysql_fetch_fields(meta) : NULL;
	MYSQL_BIND *b = arena_alloc(sizeof *b * (size_t)(n ? n : 1));
	my_bool *nulls = arena_alloc(sizeof *nulls * (size_t)(n ? n : 1));
	char **cols = arena_alloc(sizeof *cols * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer_length = fields[i].max_length + 1;
		b[i].buffer = cols[i] = arena_alloc(b[i].buffer_length);
		b[i].is_null = &nulls[i];
	}
	if (meta)
		mysql_free_result(meta);
	char **row = arena_alloc(sizeof *row * (size_t)(n ? n : 1));
	if (n && mysql_stmt_bind_result(st, b) == 0) {
		while (mysql_stmt_fetch(st) == 0) {
			for (int i = 0; i < n; i++)
				row[i] = nulls[i] ? "" : cols[i];
			explain_fn(explain_ctx, sql, row, n);
		}
	}
	mysql_stmt_close(st);
}

static int select_rows(const struct db_map *map, void **rows, size_t max, const char *sql, const char *types,
		       va_list ap)
{
	int err;
	if (explain_fn && conn) {
		va_list aq;
		va_copy(aq, ap);
		explain(sql, types, aq);
		va_end(aq);
	}
	MYSQL_STMT *st = run(sql, types, ap, &err);
	if (!st)
		return err;
	int rc = DB_OK;
	MYSQL_RES *meta = mysql_stmt_result_metadata(st);
	if (!meta || mysql_num_fields(meta) != map->ncols) {
		set_error("select", 0, "column count does not match the map");
		log_error("%s", last_error);
		if (meta)
			mysql_free_result(meta);
		mysql_stmt_free_result(st);
		return DB_ERROR;
	}
	if (mysql_stmt_store_result(st)) {
		rc = fail("store_result", mysql_stmt_errno(st), mysql_stmt_error(st));
		mysql_free_result(meta);
		return rc;
	}
	MYSQL_FIELD *fields = mysql_fetch_fields(meta);
	size_t n = map->ncols;
	MYSQL_BIND *b = arena_alloc(n * sizeof *b);
	my_bool *nulls = arena_alloc(n * sizeof *nulls);
	unsigned long *lens = arena_alloc(n * sizeof *lens);
	for (size_t i = 0; i < n; i++) {
		b[i].is_null = &nulls[i];
		b[i].length = &lens[i];
		if (map->cols[i].type == DB_STR || map->cols[i].type == DB_BLOB) {
			unsigned long cap = fields[i].max_length + 1;
			b[i].buffer_type = map->cols[i].type == DB_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			b[i].buffer = arena_alloc(cap);
			b[i].buffer_length = cap;
		} else {
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = arena_alloc(sizeof(long long));
		}
	}
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(st, b)) {
		rc = fail("bind_result", mysql_stmt_errno(st), mysql_stmt_error(st));
		mysql_stmt_free_result(st);
		return rc;
	}
	size_t total = (size_t)mysql_stmt_num_rows(st);
	if (total > max)
		total = max;
	char *out = arena_alloc((total ? total : 1) * map->size);
	size_t got = 0;
	while (got < total) {
		int f = mysql_stmt_fetch(st);
		if (f == MYSQL_NO_DATA)
			break;
		if (f == 1) {
			rc = fail("fetch", mysql_stmt_errno(st), mysql_stmt_error(st));
			break;
		}
		char *row = out + got * map->size;
		for (size_t i = 0; i < n; i++)
			store_value(&map->cols[i], row, &b[i], nulls[i], lens[i]);
		got++;
	}
	if (conn)
		mysql_stmt_free_result(st);
	*rows = out;
	return rc < 0 ? rc : (int)got;
}

int db_select(const struct db_map *map, void *rows, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = select_rows(map, (void **)rows, SIZE_MAX, sql, types, ap);
	va_end(ap);
	return rc;
}

int db_select_one(const struct db_map *map, void *row, const char *sql, const char *types, ...)
{
	void *rows = NULL;
	va_list ap;
	va_start(ap, types);
	int rc = select_rows(map, &rows, 1, sql, types, ap);
	va_end(ap);
	if (rc > 0)
		memcpy(row, rows, map->size);
	return rc;
}

int db_begin(void)
{
	if (in_tx) {
		log_error("nested transaction");
		return DB_ERROR;
	}
	int rc = db_exec("START TRANSACTION", NULL);
	if (rc < 0)
		return rc;
	in_tx = true;
	tx_serial++;
	nat_commit = 0;
	return DB_OK;
}

int db_at_commit(int (*fn)(void *ctx), void *ctx)
{
	if (!in_tx || nat_commit == DB_MAX_AT_COMMIT) {
		log_error("db_at_commit %s", in_tx ? "has too many callers" : "outside a transaction");
		return DB_ERROR;
	}
	at_commit[nat_commit].fn = fn;
	at_commit[nat_commit].ctx = ctx;
	nat_commit++;
	return DB_OK;
}

int db_commit(void)
{
	if (!conn)
		return DB_GONE;
	for (size_t i = 0; in_tx && i < nat_commit; i++) {
		int rc = at_commit[i].fn(at_commit[i].ctx);
		if (rc < 0) {
			db_rollback();
			return rc;
		}
	}
	in_tx = false;
	nat_commit = 0;
	if (!conn)
		return DB_GONE;
	if (mysql_commit(conn))
		return fail("commit", mysql_errno(conn), mysql_error(conn));
	return DB_OK;
}

void db_rollback(void)
{
	in_tx = false;
	nat_commit = 0;
	if (conn && mysql_rollback(conn))
		fail("rollback", mysql_errno(conn), mysql_error(conn));
}

bool db_in_transaction(void)
{
	return in_tx;
}

unsigned long db_transaction_serial(void)
{
	return tx_serial;
}

int db_transaction(int (*fn)(void *ctx), void *ctx)
{
	int rc = db_begin();
	if (rc < 0)
		return rc;
	rc = fn(ctx);
	if (rc < 0) {
		db_rollback();
		return rc;
	}
	int c = db_commit();
	return c < 0 ? c : rc;
}

int db_run_script(const char *script)
{
	if (!conn)
		return DB_GONE;
	if (mysql_real_query(conn, script, strlen(script)))
		return fail("script", mysql_errno(conn), mysql_error(conn));
	/* Drain every result so the connection is usable afterwards. */
	int status;
	do {
		MYSQL_RES *res = mysql_store_result(conn);
		if (res)
			mysql_free_result(res);
		status = mysql_next_result(conn);
		if (status > 0)
			return fail("script", mysql_errno(conn), mysql_error(conn));
	} while (status == 0);
	return DB_OK;
}

const char *db_ids_json(const int64_t *ids, int n)
{
	struct buf b = { 0 };
	buf_addc(&b, '[');
	for (int i = 0; i < n; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_addc(&b, ']');
	return b.data;
}

int db_ping(void)
{
	struct one {
		int64_t v;
	} row;
	static const struct db_col one_cols[] = { DB_COL(struct one, v, DB_I64) };
	static const struct db_map one_map = DB_MAP(struct one, one_cols);
	int rc = db_select_one(&one_map, &row, "SELECT 1", NULL);
	return rc == 1 ? DB_OK : rc < 0 ? rc : DB_ERROR;
}
