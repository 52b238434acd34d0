/* document.c — uploaded documents in the document table: what a file is
 * by its structure, storing with size and SHA-256, and reading one back. Every query
 * filters on the municipality; access is decided by the caller (authz.h). */
#include "document.h"

#include <stdbool.h>
#include <string.h>

#include <zlib.h>

#include "crypto.h"
#include "session.h"

/* What a file is, from its structure. Why not a decoder (libpng, libjpeg,
 * poppler): the scan is never shown or rendered here, only kept for the
 * guardian and the archive, and decoding untrusted images and PDFs in the
 * request's process would add a large attack surface to answer what the
 * container's own structure answers: whether the bytes are one whole file
 * of the type their first bytes claim (SECURITY.md 89). */

static bool blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

static bool digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Only white space or NUL padding from d to the end. */
static bool padding(const unsigned char *d, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!blank(d[i]))
			return false;
	return true;
}

/* "%PDF-d.d" first; at the end (before padding) "startxref", the byte
 * offset of the last cross-reference section and "%%EOF"; that offset
 * inside the file and pointing at "xref" (a table) or "N G obj" (a stream). */
static bool is_pdf(const unsigned char *d, size_t len)
{
	if (len < 8 || memcmp(d, "%PDF-", 5) != 0 || !digit(d[5]) || d[6] != '.' || !digit(d[7]))
		return false;
	size_t e = len;
	while (e > 0 && blank(d[e - 1]))
		e--;
	if (e < 5 || memcmp(d + e - 5, "%%EOF", 5) != 0)
		return false;
	e -= 5;
	while (e > 0 && blank(d[e - 1]))
		e--;
	size_t end = e;
	while (e > 0 && digit(d[e - 1]))
		e--;
	if (e == end || end - e > 12)
		return false;
	size_t off = 0;
	for (size_t i = e; i < end; i++)
		off = off * 10 + (size_t)(d[i] - '0');
	while (e > 0 && blank(d[e - 1]))
		e--;
	if (e < 9 + 8 || memcmp(d + e - 9, "startxref", 9) != 0 || off < 8 || off >= e - 9)
		return false;
	const unsigned char *x = d + off;
	size_t left = e - 9 - off, i = 0;
	if (left >= 4 && memcmp(x, "xref", 4) == 0)
		return true;
	for (int number = 0; number < 2; number++) {
		size_t from = i;
		while (i < left && digit(x[i]))
			i++;
		if (i == from || i == left || !blank(x[i]))
			return false;
		while (i < left && blank(x[i]))
			i++;
	}
	return left - i >= 3 && memcmp(x + i, "obj", 3) == 0;
}

/* SOI, then marker segments each of the length it states, a frame header
 * (SOFn) before the first scan (SOS) and its entropy-coded data, to EOI;
 * only padding after it. */
static bool is_jpeg(const unsigned char *d, size_t len)
{
	if (len < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return false;
	size_t i = 2;
	bool frame = false, scan = false;
	while (i < len) {
		if (d[i] != 0xFF)
			return false;
		while (i < len && d[i] == 0xFF)
			i++; /* fill bytes */
		if (i == len)
			return false;
		unsigned char m = d[i++];
		if (m == 0xD9)
			return frame && scan && padding(d + i, len - i);
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue; /* markers without a segment */
		if (m == 0x00 || m == 0xD8 || len - i < 2)
			return false;
		size_t seg = (size_t)d[i] << 8 | d[i + 1];
		if (seg < 2 || seg > len - i)
			return false;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
			frame = true;
		i += seg;
		if (m != 0xDA)
			continue;
		if (!frame)
			return false;
		scan = true;
		/* Entropy-coded data runs to the next marker: FF followed by
		 * neither a stuffed 00, a restart marker nor another fill FF. */
		while (i + 1 < len &&
		       !(d[i] == 0xFF && d[i + 1] != 0x00 && d[i + 1] != 0xFF &&
			 !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)))
			i++;
		if (i + 1 >= len)
			return false;
	}
	return false;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The signature, then chunks each of the length it states with a correct
 * CRC (zlib's crc32): IHDR first, at least one IDAT, IEND last and nothing
 * after it. */
static bool is_png(const unsigned char *d, size_t len)
{
	static const unsigned char sig[] = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
	if (len < sizeof sig || memcmp(d, sig, sizeof sig) != 0)
		return false;
	size_t i = sizeof sig;
	bool first = true, data = false;
	while (len - i >= 12) {
		uint32_t n = be32(d + i);
		const unsigned char *type = d + i + 4;
		if (n > 0x7FFFFFFF || n > len - i - 12)
			return false;
		for (int k = 0; k < 4; k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z')))
				return false;
		if (crc32(crc32(0L, Z_NULL, 0), type, 4 + n) != be32(type + 4 + n))
			return false;
		bool ihdr = memcmp(type, "IHDR", 4) == 0;
		if (ihdr != first || (ihdr && n != 13))
			return false;
		first = false;
		data = data || memcmp(type, "IDAT", 4) == 0;
		i += 12 + (size_t)n;
		if (memcmp(type, "IEND", 4) == 0)
			return n == 0 && data && i == len;
	}
	return false;
}

const char *document_sniff(const void *data, size_t len)
{
	if (!data)
		return NULL;
	if (is_pdf(data, len))
		return "application/pdf";
	if (is_jpeg(data, len))
		return "image/jpeg";
	if (is_png(data, len))
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
