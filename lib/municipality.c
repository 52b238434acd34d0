/* municipality.c — SQL for the municipality table (and its OpenID Connect
 * client); the settings' changes are recorded in the audit trail. */
#include "municipality.h"

#include <string.h>

#include "arena.h"
#include "audit.h"
#include "crypto.h"
#include "db.h"
#include "session.h"

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

const char *const municipality_langs[] = { "nb", "nn", NULL };

static const struct db_col settings_cols[] = {
	DB_COL(struct municipality_settings, consent_age, DB_INT),
	DB_COL(struct municipality_settings, consent_valid_years, DB_INT),
	DB_COL(struct municipality_settings, default_lang, DB_STR),
	DB_COL(struct municipality_settings, retention_years, DB_INT),
	DB_COL(struct municipality_settings, evaluation_warn_days, DB_INT),
	DB_COL(struct municipality_settings, version, DB_INT),
};
static const struct db_map settings_map = DB_MAP(struct municipality_settings, settings_cols);

/* clang-format off */
#define SETTINGS_COLUMNS \
	"SELECT consent_age, consent_valid_years, default_lang, retention_years, evaluation_warn_days," \
	" version FROM municipality WHERE id = ? AND active"
/* clang-format on */

int municipality_settings(int64_t municipality_id, struct municipality_settings *out)
{
	return db_select_one(&settings_map, out, SETTINGS_COLUMNS, "i", (long long)municipality_id);
}

/* One audit row per changed value, so the trail says what the page changed. */
static int record_change(const struct session *s, const char *name, const char *old_value,
			 const char *new_value)
{
	if (strcmp(old_value, new_value) == 0)
		return 0;
	struct audit_entry e = {
		.municipality_id = s->municipality_id,
		.person_id = s->person_id,
		.role = "admin",
		.action = "admin.settings.change",
		.outcome = "ok",
		.detail = arena_printf("%s: %s -> %s", name, old_value, new_value),
	};
	return audit_append(&e);
}

static const char *num(int n)
{
	return arena_printf("%d", n);
}

int municipality_save_settings(const struct session *s, const struct municipality_settings *in,
			       struct municipality_settings *current)
{
	long long m = s->municipality_id;
	int rc = db_select_one(&settings_map, current, SETTINGS_COLUMNS " FOR UPDATE", "i", m);
	if (rc <= 0)
		return rc < 0 ? rc : DB_ERROR; /* authz found it active in this transaction */
	if (current->version != in->version)
		return 0;
	rc = db_exec("UPDATE municipality SET consent_age = ?, consent_valid_years = ?, default_lang = ?,"
		     " retention_years = ?, evaluation_warn_days = ?, version = version + 1"
		     " WHERE id = ? AND version = ?",
		     "iisiiii", (long long)in->consent_age, (long long)in->consent_valid_years,
		     in->default_lang, (long long)in->retention_years, (long long)in->evaluation_warn_days, m,
		     (long long)in->version);
	if (rc < 0)
		return rc;
	if ((rc = record_change(s, "consent_age", num(current->consent_age), num(in->consent_age))) < 0 ||
	    (rc = record_change(s, "consent_valid_years", num(current->consent_valid_years),
				num(in->consent_valid_years))) < 0 ||
	    (rc = record_change(s, "default_lang", current->default_lang, in->default_lang)) < 0 ||
	    (rc = record_change(s, "retention_years", num(current->retention_years),
				num(in->retention_years))) < 0 ||
	    (rc = record_change(s, "evaluation_warn_days", num(current->evaluation_warn_days),
				num(in->evaluation_warn_days))) < 0)
		return rc;
	return 1;
}
