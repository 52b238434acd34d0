/* person.c — SQL for the person table's lookups; sealing of numbers is crypto.c's. */
#include "person.h"

#include <string.h>

#include "crypto.h"
#include "db.h"

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
