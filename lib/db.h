/* db.h — MariaDB through prepared statements only.
 * One connection per process, opened lazily and reopened at the start of a
 * request after a loss; never silently inside a transaction. Statements are
 * prepared once per connection and cached by their SQL text, which must be a
 * string literal. Rows are bound to plain structs through a column map. */
#ifndef STAFETT_DB_H
#define STAFETT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DB_OK = 0,
	DB_ERROR = -1,	    /* a bug or a constraint we did not expect: 500 */
	DB_GONE = -2,	    /* connection lost or database down: 503 */
	DB_DUPLICATE = -3,  /* unique key violated */
	DB_BUSY = -4,	    /* lock wait timeout or deadlock: 503, try again */
	DB_REFERENCED = -5, /* a DELETE of a row another row still refers to (foreign key); nothing deleted */
};

/* Parameter types, one letter per '?': 'i' long long; 'I' long long id where 0
 * is SQL NULL; 's' const char * (NULL is SQL NULL); 'S' const char * where
 * NULL and "" are SQL NULL (an empty form field); 'b' const void * followed
 * by size_t (binary). Pass integers as long long: these are varargs. */

enum db_type {
	DB_I64,	 /* int64_t; NULL reads as 0 */
	DB_INT,	 /* int */
	DB_BOOL, /* bool */
	DB_STR,	 /* char *, arena copy; NULL stays NULL (DATE/DATETIME come as text) */
	DB_BLOB, /* struct db_blob */
};

struct db_blob {
	unsigned char *data;
	size_t len;
};

struct db_col {
	enum db_type type;
	size_t offset;
};

struct db_map {
	size_t size;
	const struct db_col *cols;
	size_t ncols;
};

#define DB_COL(T, member, type)                                                                              \
	{                                                                                                    \
		type, offsetof(T, member)                                                                    \
	}
#define DB_MAP(T, cols)                                                                                      \
	{                                                                                                    \
		sizeof(T), cols, sizeof(cols) / sizeof((cols)[0])                                            \
	}

/* Connect with the settings of SECTION ("database" or "database_admin"). */
int db_connect(const char *section);
void db_close(void);
bool db_connected(void);
const char *db_error(void); /* last error text, for the log only */

/* The request lifecycle (called by app.c): reconnect if needed; roll back a
 * transaction a handler left open. */
int db_request_begin(void);
void db_request_end(void);

int db_exec(const char *sql, const char *types, ...); /* affected rows, or < 0 */
int64_t db_last_id(void);
/* All rows into *rows (arena array of map->size each); the count, or < 0. */
int db_select(const struct db_map *map, void *rows, const char *sql, const char *types, ...);
/* At most one row into row: 1 found, 0 none, < 0 error. */
int db_select_one(const struct db_map *map, void *row, const char *sql, const char *types, ...);

int db_begin(void);
/* Runs the work registered with db_at_commit (a failure there rolls back and
 * is the answer), then commits. */
int db_commit(void);
void db_rollback(void);
bool db_in_transaction(void);
/* Which transaction is open: a number that changes at every db_begin, so a
 * module can tell its own state of an earlier, rolled-back one from now. */
unsigned long db_transaction_serial(void);
/* Work that belongs last in the open transaction: fn(ctx) runs inside it when
 * db_commit is called, just before COMMIT, in the order registered; a
 * negative return rolls the transaction back and db_commit returns it.
 * db_rollback forgets it. The audit trail appends its rows here, so the chain
 * head is locked for the commit alone, not for the whole request. 0, or
 * DB_ERROR outside a transaction or when DB_MAX_AT_COMMIT are registered. */
#define DB_MAX_AT_COMMIT 4
int db_at_commit(int (*fn)(void *ctx), void *ctx);
/* Runs fn inside one transaction: committed if fn returns >= 0, else rolled back. */
int db_transaction(int (*fn)(void *ctx), void *ctx);

/* For tests and the benchmark (never set in the programs): while fn is set,
 * every db_select and db_select_one first runs EXPLAIN of its statement with
 * the same parameters and hands each row of the plan to fn as text (id,
 * select_type, table, type, possible_keys, key, key_len, ref, rows, Extra;
 * NULL as ""), so a test can show that the statements the modules really
 * run reach every table through an index. NULL turns it off. */
typedef void (*db_explain_fn)(void *ctx, const char *sql, char *const *cols, int ncols);
void db_set_explain(db_explain_fn fn, void *ctx);

/* Ids as a JSON array ("[3,1,2]", in the arena) for one '?' of a statement
 * that reads them with JSON_TABLE: one prepared statement for any number of
 * ids, no SQL text built from them. */
const char *db_ids_json(const int64_t *ids, int n);

/* SELECT 1: is the database there? DB_OK or a negative code. */
int db_ping(void);

/* Runs a trusted multi-statement script (migrations only; never user input). */
int db_run_script(const char *script);

#endif
