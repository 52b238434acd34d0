/* test_db_document.c — lib/document.c: what a file is, by its structure
 * (a pure rule), and storing, reading back and discarding documents
 * against the real MariaDB of a running test stack (STAFETT_CONF; run by
 * tests/http/run.py) as the application's own account, on fixtures of its
 * own in the demo municipality fjordvik. */
#include <string.h>

#include "unit_db.h"
#include "document.h"
#include "session.h"

static struct {
	int64_t muni, other_muni, unit, holder;
	const char *tag;
} fx;

static int setup(void **state)
{
	(void)state;
	if (unit_db_open() < 0)
		return -1;
	db_request_begin();
	fx.tag = xstrdup(crypto_random_hex(4));
	fx.muni = unit_muni("fjordvik");
	fx.other_muni = unit_muni("nordheim");
	fx.unit = unit_add_unit(fx.muni, arena_printf("Document unit %s", fx.tag));
	fx.holder = unit_add_person(fx.muni, "Holder", fx.tag);
	db_request_end();
	arena_reset();
	return 0;
}

/* The smallest whole files of each type: a PDF whose startxref points at
 * its one object, a JPEG of one 8x8 block (SOI, SOF0, SOS, data, EOI), and
 * a PNG of one pixel (IHDR, IDAT, IEND, each with its CRC). */
static const char PDF[] = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9\n%%EOF\n";
static const unsigned char JPEG[] = { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01,
				      0x01, 0x01, 0x11, 0x00, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00,
				      0x00, 0x3F, 0x00, 0xD2, 0xFF, 0x00, 0xCF, 0xFF, 0xD9 };
static const unsigned char PNG[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00,
	0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01,
	0x48, 0xAF, 0xA4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
};

/* bytes with n bytes of it replaced from at, in a copy. */
static const void *changed(const void *bytes, size_t len, size_t at, const char *with, size_t n)
{
	unsigned char *c = arena_alloc(len);
	memcpy(c, bytes, len);
	memcpy(c + at, with, n);
	return c;
}

/* A whole file of each type is known, with its extension, and padding
 * after its end is allowed (scanners pad). */
static void uploads_are_known_by_their_structure(void **state)
{
	(void)state;
	static const char *padded_pdf = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n9\n%%EOF\r\n\0\0\0";
	assert_string_equal(document_sniff(PDF, strlen(PDF)), "application/pdf");
	assert_string_equal(document_sniff(padded_pdf, 51), "application/pdf");
	assert_string_equal(document_sniff(JPEG, sizeof JPEG), "image/jpeg");
	assert_string_equal(document_sniff(PNG, sizeof PNG), "image/png");
	assert_string_equal(document_extension("application/pdf"), "pdf");
	assert_string_equal(document_extension("image/jpeg"), "jpg");
	assert_string_equal(document_extension("image/png"), "png");
	/* A PDF whose cross-reference section is a table. */
	static const char xref[] =
		"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<<>>\nstartxref\n9\n%%EOF";
	assert_string_equal(document_sniff(xref, strlen(xref)), "application/pdf");
	assert_null(document_sniff(NULL, 10));
	assert_null(document_sniff(PDF, 0));
	assert_null(document_extension("text/html"));
	assert_null(document_extension(NULL));
	assert_null(document_extension("image/gif"));
	assert_null(document_extension("application/PDF"));

	/* Stored with its size and checksum, read back only through its own log. */
	db_request_begin();
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "draft", 0);
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	int64_t id = 0;
	size_t len = strlen(PDF);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, "<html>", 6, &id), 0);
	assert_int_equal(document_store(&s, log, PDF, len, &id), 1);
	assert_int_equal(db_commit(), 0);
	struct document d;
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_string_equal(d.media_type, "application/pdf");
	assert_int_equal(d.data.len, len);
	assert_memory_equal(d.data.data, PDF, len);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', size, HEX(sha256) = UPPER(SHA2(data, 256))) FROM document"
			     " WHERE id = ?",
			     id),
		arena_printf("%zu 1", len));
	assert_int_equal(document_get(fx.muni, log + 1, id, &d), 0);
	assert_int_equal(document_get(fx.muni + 1000000, log, id, &d), 0);
	db_request_end();
	arena_reset();
}

/* The first bytes of a type are not enough (SECURITY.md 89): a file that
 * starts like one but is not one whole file of it is nothing. */
static void the_first_bytes_alone_decide_nothing(void **state)
{
	(void)state;
	static const char html[] = "<!DOCTYPE html><script>alert(1)</script>";
	size_t pdf = strlen(PDF);
	/* The magic and nothing else, or followed by a page. */
	assert_null(document_sniff("%PDF-", 5));
	assert_null(document_sniff("%PDF-1.4\n<script>alert(1)</script>", 34));
	assert_null(document_sniff("\xFF\xD8\xFF", 3));
	assert_null(document_sniff("\xFF\xD8\xFF\xE0<!DOCTYPE html>", 19));
	assert_null(document_sniff("\x89PNG\r\n\x1A\n", 8));
	assert_null(document_sniff(changed(PNG, sizeof PNG, 8, html, 16), sizeof PNG));
	/* Letter case, a byte before the magic, line ends turned around, a zip. */
	assert_null(document_sniff(changed(PDF, pdf, 1, "pdf", 3), pdf));
	assert_null(document_sniff(arena_printf(" %s", PDF), pdf + 1));
	assert_null(document_sniff(changed(PNG, sizeof PNG, 4, "\n\r", 2), sizeof PNG));
	assert_null(document_sniff("PK\x03\x04", 4));
	/* PDF: no %%EOF, no startxref, an offset past the end or at nothing. */
	assert_null(document_sniff(PDF, pdf - 6));
	assert_null(document_sniff(changed(PDF, pdf, pdf - 18, "startxrex", 9), pdf));
	static const char past[] = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n999\n%%EOF\n";
	static const char nothing[] = "%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n8\n%%EOF\n";
	assert_null(document_sniff(past, strlen(past)));
	assert_null(document_sniff(nothing, strlen(nothing)));
	assert_null(document_sniff(arena_printf("%s<html>", PDF), pdf + 6));
	/* JPEG: cut before EOI, a segment longer than the file, no frame
	 * before the scan, a page after EOI. */
	assert_null(document_sniff(JPEG, sizeof JPEG - 2));
	assert_null(document_sniff(changed(JPEG, sizeof JPEG, 4, "\xFF", 1), sizeof JPEG));
	assert_null(document_sniff(changed(JPEG, sizeof JPEG, 3, "\xE0", 1), sizeof JPEG));
	unsigned char *tail = arena_alloc(sizeof JPEG + sizeof html);
	memcpy(tail, JPEG, sizeof JPEG);
	memcpy(tail + sizeof JPEG, html, sizeof html);
	assert_null(document_sniff(tail, sizeof JPEG + sizeof html));
	/* PNG: cut before IEND, one byte of a CRC wrong, IEND without IDAT,
	 * anything after IEND. */
	assert_null(document_sniff(PNG, sizeof PNG - 12));
	assert_null(document_sniff(changed(PNG, sizeof PNG, 30, "\x7F", 1), sizeof PNG));
	unsigned char no_data[sizeof PNG - 22];
	memcpy(no_data, PNG, 33);
	memcpy(no_data + 33, PNG + 55, 12);
	assert_null(document_sniff(no_data, sizeof no_data));
	unsigned char after[sizeof PNG + 1];
	memcpy(after, PNG, sizeof PNG);
	after[sizeof PNG] = 0;
	assert_null(document_sniff(after, sizeof after));
	arena_reset();
}

static int64_t documents_of(int64_t log)
{
	return unit_db_int("SELECT COUNT(*) FROM document WHERE log_id = ?", log);
}

/* Stored bytes come back exactly, with the uploader recorded; refused ones
 * are not stored; storing belongs to the caller's transaction. */
static void stored_as_given_in_the_callers_transaction(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "draft", 0), id = -7;
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	/* A PDF of 100 kB: one stream object of random bytes. */
	size_t len = 100000;
	unsigned char *pdf = arena_alloc(len);
	assert_int_equal(crypto_random(pdf, len), 0);
	const char *head = "%PDF-1.7\n1 0 obj\n<< /Length 99900 >>\nstream\n";
	const char *end = "\nendstream\nendobj\nstartxref\n9\n%%EOF\n";
	memcpy(pdf, head, strlen(head));
	memcpy(pdf + len - strlen(end), end, strlen(end));
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, "GIF89a....", 10, &id), 0);
	assert_int_equal(document_store(&s, log, "", 0, &id), 0);
	assert_int_equal(id, -7);
	assert_int_equal(documents_of(log), 0);
	assert_int_equal(document_store(&s, log, pdf, len, &id), 1);
	assert_true(id > 0);
	db_rollback();
	assert_int_equal(documents_of(log), 0); /* rolled back with the rest */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, pdf, len, &id), 1);
	assert_int_equal(db_commit(), 0);
	struct document d;
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_int_equal(d.id, id);
	assert_string_equal(d.media_type, "application/pdf");
	assert_int_equal(d.data.len, len);
	assert_memory_equal(d.data.data, pdf, len);
	unsigned char sum[32];
	crypto_sha256(pdf, len, sum);
	assert_string_equal(unit_db_text("SELECT LOWER(HEX(sha256)) FROM document WHERE id = ?", id),
			    crypto_hex(sum, sizeof sum));
	assert_int_equal(unit_db_int("SELECT uploaded_by FROM document WHERE id = ?", id), fx.holder);
	assert_int_equal(unit_db_int("SELECT municipality_id FROM document WHERE id = ?", id), fx.muni);
	db_request_end();
	arena_reset();
}

/* Only the log's own document, in its own municipality; and a discard from
 * another municipality removes nothing. */
static void another_logs_document_is_none(void **state)
{
	(void)state;
	db_request_begin();
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "draft", 0);
	int64_t other_log = unit_add_log(fx.muni, fx.holder, fx.unit, "draft", 0), id;
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, JPEG, sizeof JPEG, &id), 1);
	assert_int_equal(db_commit(), 0);
	struct document d;
	assert_int_equal(document_get(fx.muni, other_log, id, &d), 0);
	assert_int_equal(document_get(fx.other_muni, log, id, &d), 0);
	assert_int_equal(document_get(fx.muni, log, id + 1000000, &d), 0);
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_string_equal(d.media_type, "image/jpeg");
	assert_int_equal(document_discard(fx.other_muni, id), 0);
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_int_equal(document_discard(fx.muni, id), 0);
	assert_int_equal(document_get(fx.muni, log, id, &d), 0);
	assert_int_equal(documents_of(log), 0);
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uploads_are_known_by_their_structure),
		cmocka_unit_test(the_first_bytes_alone_decide_nothing),
		cmocka_unit_test(stored_as_given_in_the_callers_transaction),
		cmocka_unit_test(another_logs_document_is_none),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
