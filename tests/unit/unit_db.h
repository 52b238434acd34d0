/* unit_db.h — for the test_db_* files, which run against the real MariaDB
 * of a running test stack (STAFETT_CONF; tests/http/run.py runs them) as
 * the application's own account: connecting, reading one value, and
 * fixtures of a test's own (people with synthetic numbers sealed like the
 * programs seal them, units, logs) in the demo municipalities. */
#ifndef STAFETT_UNIT_DB_H
#define STAFETT_UNIT_DB_H

#include "unit.h"
#include "arena.h"
#include "config.h"
#include "crypto.h"
#include "db.h"

/* The stack's configuration, the application's connection and the keys.
 * 0, or -1 (the group's setup fails). */
static inline int unit_db_open(void)
{
	if (config_load(NULL) < 0 || db_connect("database") < 0 ||
	    crypto_load_keys(config_str("crypto.key_file")) < 0)
		return -1;
	return 0;
}

struct unit_int_row {
	int64_t v;
};

/* The one integer that sql (with one integer parameter) reads. */
static inline int64_t unit_db_int(const char *sql, int64_t a)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	struct unit_int_row r;
	assert_int_equal(db_select_one(&map, &r, sql, "i", (long long)a), 1);
	return r.v;
}

struct unit_text_row {
	char *v;
};

/* The one text (arena; NULL for SQL NULL) that sql (one integer parameter) reads. */
static inline char *unit_db_text(const char *sql, int64_t a)
{
	static const struct db_col cols[] = { DB_COL(struct unit_text_row, v, DB_STR) };
	static const struct db_map map = DB_MAP(struct unit_text_row, cols);
	struct unit_text_row r;
	assert_int_equal(db_select_one(&map, &r, sql, "i", (long long)a), 1);
	return r.v;
}

/* The id of the demo municipality with that slug. */
static inline int64_t unit_muni(const char *slug)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	struct unit_int_row r;
	assert_int_equal(db_select_one(&map, &r, "SELECT id FROM municipality WHERE slug = ?", "s", slug), 1);
	return r.v;
}

/* A synthetic number (month + 80; born 1950-1999) that no person in the
 * database has, in any municipality (arena). */
static inline const char *unit_fresh_nin(void)
{
	static const struct db_col cols[] = { DB_COL(struct unit_int_row, v, DB_I64) };
	static const struct db_map map = DB_MAP(struct unit_int_row, cols);
	for (;;) {
		uint32_t r;
		assert_int_equal(crypto_random(&r, sizeof r), 0);
		const char *nin = unit_synthetic_nin(1 + (int)(r % 28), 1 + (int)(r / 28 % 12),
						     1950 + (int)(r / 336 % 50), (int)(r / 16800 % 400));
		if (!nin)
			continue;
		unsigned char mac[CRYPTO_HMAC_LEN];
		assert_int_equal(crypto_lookup_hash(nin, 11, mac), 0);
		struct unit_int_row n;
		assert_int_equal(db_select_one(&map, &n, "SELECT COUNT(*) FROM person WHERE nin_hmac = ?",
					       "b", mac, sizeof mac),
				 1);
		if (n.v == 0)
			return arena_strdup(nin);
	}
}

/* A person of muni with a fresh synthetic number, sealed and hashed as
 * person.c does it, and the birth date it gives. */
static inline int64_t unit_add_person(int64_t muni, const char *given, const char *family)
{
	const char *nin = unit_fresh_nin();
	int y, m, d;
	assert_int_equal(nin_birthdate(nin, &y, &m, &d), 0);
	unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], mac[CRYPTO_HMAC_LEN];
	int key = crypto_seal(nin, 11, sealed);
	assert_true(key > 0);
	assert_int_equal(crypto_lookup_hash(nin, 11, mac), 0);
	assert_int_equal(db_exec("INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac,"
				 " birth_date, given_name, family_name) VALUES (?, ?, ?, ?, ?, ?, ?)",
				 "ibibsss", (long long)muni, sealed, sizeof sealed, (long long)key, mac,
				 sizeof mac, arena_printf("%04d-%02d-%02d", y, m, d), given, family),
			 1);
	return db_last_id();
}

/* An active unit of muni (kind "other"); name must be unique there. */
static inline int64_t unit_add_unit(int64_t muni, const char *name)
{
	assert_int_equal(db_exec("INSERT INTO unit (municipality_id, kind, name) VALUES (?, 'other', ?)",
				 "is", (long long)muni, name),
			 1);
	return db_last_id();
}

/* A log of muni about a new child, held by holder in unit, in state; its
 * establishing consent valid until today + consent_days (NULL for a draft). */
static inline int64_t unit_add_log(int64_t muni, int64_t holder, int64_t unit, const char *state,
				   int consent_days)
{
	int64_t child = unit_add_person(muni, "Barn", "Testesen");
	assert_int_equal(
		db_exec("INSERT INTO log (municipality_id, subject_person_id, subject_kind,"
			" holder_person_id, unit_id, state, consent_until) VALUES (?, ?, 'child', ?, ?,"
			" ?, IF(? = 'draft', NULL, DATE_ADD(CURRENT_DATE, INTERVAL ? DAY)))",
			"iiiissi", (long long)muni, (long long)child, (long long)holder, (long long)unit,
			state, state, (long long)consent_days),
		1);
	return db_last_id();
}

#endif
