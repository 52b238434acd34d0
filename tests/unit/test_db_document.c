/* test_db_document.c — lib/document.c: what a file is, from its first bytes
 * alone (a pure rule), and storing, reading back and discarding documents
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

/* Moved here from test_db_consent.c, on a log of this file's own. */
static void uploads_are_known_by_their_first_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
		const char *type, *ext;
	} cases[] = {
		{ "%PDF-1.7\n", 9, "application/pdf", "pdf" },
		{ "\xFF\xD8\xFF\xE0", 4, "image/jpeg", "jpg" },
		{ "\x89PNG\r\n\x1A\n\0\0", 10, "image/png", "png" },
		{ "%PDF", 4, NULL, NULL },	      /* too short to be sure */
		{ "\x89PNG\r\n\x1A", 7, NULL, NULL }, /* one byte short */
		{ "<html>%PDF-", 11, NULL, NULL },    /* the magic must come first */
		{ "GIF89a", 6, NULL, NULL },
		{ "", 0, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *type = document_sniff(cases[i].bytes, cases[i].len);
		if (cases[i].type) {
			assert_non_null(type);
			assert_string_equal(type, cases[i].type);
			assert_string_equal(document_extension(type), cases[i].ext);
		} else {
			assert_null(type);
		}
	}
	assert_null(document_sniff(NULL, 10));
	assert_null(document_extension("text/html"));
	/* Stored with its size and checksum, read back only through its own log. */
	db_request_begin();
	int64_t log = unit_add_log(fx.muni, fx.holder, fx.unit, "draft", 0);
	struct session s = { .municipality_id = fx.muni, .person_id = fx.holder };
	int64_t id = 0;
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, "<html>", 6, &id), 0);
	assert_int_equal(document_store(&s, log, "%PDF-\0x", 7, &id), 1);
	assert_int_equal(db_commit(), 0);
	struct document d;
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_string_equal(d.media_type, "application/pdf");
	assert_int_equal(d.data.len, 7);
	assert_memory_equal(d.data.data, "%PDF-\0x", 7);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', size, HEX(sha256) = UPPER(SHA2(data, 256))) FROM document"
			     " WHERE id = ?",
			     id),
		"7 1");
	assert_int_equal(document_get(fx.muni, log + 1, id, &d), 0);
	assert_int_equal(document_get(fx.muni + 1000000, log, id, &d), 0);
	db_request_end();
	arena_reset();
}

/* The magic bytes decide, whatever follows them and however a browser
 * would name the file; a sniffed type has an extension, no other has one. */
static void the_magic_decides_alone(void **state)
{
	(void)state;
	assert_string_equal(document_sniff("%PDF-", 5), "application/pdf"); /* the magic and nothing else */
	assert_string_equal(document_sniff("\xFF\xD8\xFF", 3), "image/jpeg");
	assert_string_equal(document_sniff("\x89PNG\r\n\x1A\n", 8), "image/png");
	assert_null(document_sniff("%pdf-1.7", 8));	     /* letter case matters */
	assert_null(document_sniff(" %PDF-1.7", 9));	     /* not even a space before it */
	assert_null(document_sniff("\xFF\xD8", 2));	     /* a JPEG needs three */
	assert_null(document_sniff("\x89PNG\n\r\x1A\n", 8)); /* line ends turned around */
	assert_null(document_sniff("PK\x03\x04", 4));	     /* a Word file is a zip: no */
	assert_null(document_sniff("%PDF-1.7", 0));	     /* the bytes given, not the string */
	assert_null(document_extension(NULL));
	assert_null(document_extension("image/gif"));
	assert_null(document_extension("application/PDF"));
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
	size_t len = 100000;
	unsigned char *png = arena_alloc(len);
	assert_int_equal(crypto_random(png, len), 0);
	memcpy(png, "\x89PNG\r\n\x1A\n", 8);
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, "GIF89a....", 10, &id), 0);
	assert_int_equal(document_store(&s, log, "", 0, &id), 0);
	assert_int_equal(id, -7);
	assert_int_equal(documents_of(log), 0);
	assert_int_equal(document_store(&s, log, png, len, &id), 1);
	assert_true(id > 0);
	db_rollback();
	assert_int_equal(documents_of(log), 0); /* rolled back with the rest */
	assert_int_equal(db_begin(), 0);
	assert_int_equal(document_store(&s, log, png, len, &id), 1);
	assert_int_equal(db_commit(), 0);
	struct document d;
	assert_int_equal(document_get(fx.muni, log, id, &d), 1);
	assert_int_equal(d.id, id);
	assert_string_equal(d.media_type, "image/png");
	assert_int_equal(d.data.len, len);
	assert_memory_equal(d.data.data, png, len);
	unsigned char sum[32];
	crypto_sha256(png, len, sum);
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
	assert_int_equal(document_store(&s, log, "\xFF\xD8\xFF\xE1 photo", 10, &id), 1);
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
		cmocka_unit_test(uploads_are_known_by_their_first_bytes),
		cmocka_unit_test(the_magic_decides_alone),
		cmocka_unit_test(stored_as_given_in_the_callers_transaction),
		cmocka_unit_test(another_logs_document_is_none),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
