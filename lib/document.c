/* document.c — uploaded documents in the document table: the magic-byte
 * sniff, storing with size and SHA-256, and reading one back. Every query
 * filters on the municipality; access is decided by the caller (authz.h). */
#include "document.h"

#include <string.h>

#include "crypto.h"
#include "session.h"

const char *document_sniff(const void *data, size_t len)
{
	static const unsigned char pdf[] = { '%', 'P', 'D', 'F', '-' };
	static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF };
	static const unsigned char png[] = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
	if (!data)
		return NULL;
	if (len >= sizeof pdf && memcmp(data, pdf, sizeof pdf) == 0)
		return "application/pdf";
	if (len >= sizeof jpeg && memcmp(data, jpeg, sizeof jpeg) == 0)
		return "image/jpeg";
	if (len >= sizeof png && memcmp(data, png, sizeof png) == 0)
		return "image/png";
	return NULL;
}

const char *document_extension(const char *media_type)
{
	if (!media_type)
		return NULL;
	if (strcmp(media_type, "application/pdf") == 0)
		return "pdf";
	if (strcmp(media_type, "image/jpeg") == 0)
		return "jpg";
	if (strcmp(media_type, "image/png") == 0)
		return "png";
	return NULL;
}

int document_store(const struct session *s, int64_t log_id, const void *data, size_t len, int64_t *id)
{
	const char *type = document_sniff(data, len);
	if (!type || len > 0x7fffffff)
		return 0;
	unsigned char sum[32];
	crypto_sha256(data, len, sum);
	int rc = db_exec("INSERT INTO document (municipality_id, log_id, media_type, size, sha256, data,"
			 " uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
			 "iisibbi", (long long)s->municipality_id, (long long)log_id, type, (long long)len,
			 sum, sizeof sum, data, len, (long long)s->person_id);
	if (rc < 0)
		return rc;
	*id = db_last_id();
	return 1;
}

static const struct db_col document_cols[] = {
	DB_COL(struct document, id, DB_I64),
	DB_COL(struct document, media_type, DB_STR),
	DB_COL(struct document, data, DB_BLOB),
};
static const struct db_map document_map = DB_MAP(struct document, document_cols);

int document_get(int64_t municipality_id, int64_t log_id, int64_t id, struct document *out)
{
	return db_select_one(&document_map, out,
			     "SELECT id, media_type, data FROM document"
			     " WHERE municipality_id = ? AND log_id = ? AND id = ?",
			     "iii", (long long)municipality_id, (long long)log_id, (long long)id);
}

int document_discard(int64_t municipality_id, int64_t id)
{
	int rc = db_exec("DELETE FROM document WHERE municipality_id = ? AND id = ?", "ii",
			 (long long)municipality_id, (long long)id);
	return rc < 0 ? rc : 0;
}
