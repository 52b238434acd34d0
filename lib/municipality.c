/* municipality.c — SQL for the municipality table; nothing else. */
#include "municipality.h"

#include "arena.h"
#include "crypto.h"
#include "db.h"

static const struct db_col cols[] = {
	DB_COL(struct municipality, id, DB_I64),
	DB_COL(struct municipality, slug, DB_STR),
	DB_COL(struct municipality, name, DB_STR),
	DB_COL(struct municipality, default_lang, DB_STR),
};
static const struct db_map map = DB_MAP(struct municipality, cols);

int municipality_list(struct municipality **out)
{
	return db_select(&map, out,
			 "SELECT id, slug, name, default_lang FROM municipality"
			 " WHERE active ORDER BY name",
			 NULL);
}

int municipality_by_slug(const char *slug, struct municipality *out)
{
	return db_select_one(&map, out,
			     "SELECT id, slug, name, default_lang FROM municipality"
			     " WHERE slug = ? AND active",
			     "s", slug);
}

int municipality_by_id(int64_t id, struct municipality *out)
{
	return db_select_one(&map, out,
			     "SELECT id, slug, name, default_lang FROM municipality"
			     " WHERE id = ? AND active",
			     "i", (long long)id);
}

struct oidc_row {
	char *issuer;
	char *client_id;
	struct db_blob sealed;
	int key_id;
};
static const struct db_col oidc_cols[] = {
	DB_COL(struct oidc_row, issuer, DB_STR),
	DB_COL(struct oidc_row, client_id, DB_STR),
	DB_COL(struct oidc_row, sealed, DB_BLOB),
	DB_COL(struct oidc_row, key_id, DB_INT),
};
static const struct db_map oidc_map = DB_MAP(struct oidc_row, oidc_cols);

int municipality_oidc(int64_t municipality_id, struct municipality_oidc *out)
{
	struct oidc_row row;
	int rc = db_select_one(&oidc_map, &row,
			       "SELECT issuer, client_id, secret_sealed, secret_key_id FROM municipality_oidc"
			       " WHERE municipality_id = ?",
			       "i", (long long)municipality_id);
	if (rc != 1)
		return rc;
	if (row.sealed.len <= CRYPTO_SEAL_OVERHEAD)
		return DB_ERROR;
	size_t n = row.sealed.len - CRYPTO_SEAL_OVERHEAD;
	out->secret = arena_alloc(n + 1);
	if (crypto_open(row.key_id, row.sealed.data, row.sealed.len, (unsigned char *)out->secret) < 0)
		return DB_ERROR;
	out->issuer = row.issuer;
	out->client_id = row.client_id;
	return 1;
}

int municipality_by_client(const char *issuer, const char *client_id, struct municipality *out)
{
	return db_select_one(&map, out,
			     "SELECT m.id, m.slug, m.name, m.default_lang FROM municipality m"
			     " JOIN municipality_oidc o ON o.municipality_id = m.id"
			     " WHERE o.issuer = ? AND o.client_id = ? AND m.active",
			     "ss", issuer, client_id);
}
