/* person.c — SQL for the person table: lookups by number (each audited),
 * and creating a person (the one place that does); sealing of numbers is
 * crypto.c's. */
#include "person.h"

#include <string.h>

#include "arena.h"
#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "nin.h"
#include "session.h"

static const struct db_col cols[] = {
	DB_COL(struct person, id, DB_I64),
	DB_COL(struct person, given_name, DB_STR),
	DB_COL(struct person, family_name, DB_STR),
	DB_COL(struct person, logged_in_before, DB_BOOL),
};
static const struct db_map map = DB_MAP(struct person, cols);

int person_by_nin(int64_t municipality_id, const char *nin, struct person *out)
{
	unsigned char mac[CRYPTO_HMAC_LEN];
	if (crypto_lookup_hash(nin, strlen(nin), mac) < 0)
		return DB_ERROR;
	return db_select_one(&map, out,
			     "SELECT id, given_name, family_name, first_login_at IS NOT NULL FROM person"
			     " WHERE municipality_id = ? AND nin_hmac = ?",
			     "ib", (long long)municipality_id, mac, sizeof mac);
}

int person_mark_login(int64_t person_id)
{
	int rc = db_exec("UPDATE person SET first_login_at = NOW(3) WHERE id = ? AND first_login_at IS NULL",
			 "i", (long long)person_id);
	return rc < 0 ? rc : 0;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int person_create(int64_t municipality_id, const struct person_new *p, int64_t *id)
{
	unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], mac[CRYPTO_HMAC_LEN];
	int y, m, d;
	if (strlen(p->nin) != 11 || nin_birthdate(p->nin, &y, &m, &d) < 0)
		return DB_ERROR; /* the forms let only valid numbers through */
	if (crypto_lookup_hash(p->nin, 11, mac) < 0)
		return DB_ERROR;
	int key = crypto_seal(p->nin, 11, sealed);
	if (key < 0)
		return DB_ERROR;
	const char *birth = arena_printf("%04d-%02d-%02d", y, m, d);
	int rc = db_exec(
		"INSERT INTO person (municipality_id, nin_sealed, nin_key_id, nin_hmac, birth_date,"
		" given_name, family_name, title, email, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"ibibssssss", (long long)municipality_id, sealed, sizeof sealed, (long long)key, mac,
		(size_t)CRYPTO_HMAC_LEN, birth, p->given_name, p->family_name, or_null(p->title),
		or_null(p->email), or_null(p->phone));
	crypto_wipe(sealed, sizeof sealed);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	return 0;
}

struct id_row {
	int64_t id;
};
static const struct db_col id_cols[] = { DB_COL(struct id_row, id, DB_I64) };
static const struct db_map id_map = DB_MAP(struct id_row, id_cols);

int person_find_or_create(const struct session *s, const struct person_new *p, int64_t *id,
			  enum person_outcome *outcome)
{
	unsigned char mac[CRYPTO_HMAC_LEN];
	if (crypto_lookup_hash(p->nin, strlen(p->nin), mac) < 0)
		return DB_ERROR;
	struct id_row f = { 0 };
	int rc = db_select_one(&id_map, &f,
			       "SELECT id FROM person WHERE municipality_id = ? AND nin_hmac = ? FOR UPDATE",
			       "ib", (long long)s->municipality_id, mac, sizeof mac);
	if (rc < 0)
		return rc;
	*outcome = rc == 1 ? PERSON_FOUND : PERSON_CREATED;
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "person",
		.action = "person.lookup",
		.outcome = "ok",
		.detail = rc == 1 ? arena_printf("person %lld", (long long)f.id) : "new",
	};
	if ((rc = audit_append_kept(&e)) < 0)
		return rc;
	if (*outcome == PERSON_FOUND) {
		*id = f.id;
		return 0;
	}
	return person_create(s->municipality_id, p, id);
}
