/* test_db_person.c — lib/person.c against the real MariaDB of a running test
 * stack (STAFETT_CONF; run by tests/http/run.py), as the application's own
 * account, with synthetic numbers in the demo municipalities fjordvik and
 * nordheim: a person is found by the keyed hash of their number in a
 * municipality or created with the number sealed; whatever name is typed
 * with a known number, it is that person, whose record nobody else's form
 * rewrites; every look-up is audited, and the row stays after a rollback. */
#include <string.h>

#include "unit_db.h"
#include "audit.h"
#include "person.h"
#include "session.h"

static struct {
	int64_t muni, other_muni;
	int64_t looker, other_looker; /* who looks people up, in each municipality */
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
	fx.looker = unit_db_int("SELECT MIN(id) FROM person WHERE municipality_id = ?", fx.muni);
	fx.other_looker = unit_db_int("SELECT MIN(id) FROM person WHERE municipality_id = ?", fx.other_muni);
	db_request_end();
	arena_reset();
	return 0;
}

struct stored {
	struct db_blob sealed;
	int key_id;
	struct db_blob hmac;
	char *birth_date;
};

static struct stored stored_of(int64_t id)
{
	static const struct db_col cols[] = {
		DB_COL(struct stored, sealed, DB_BLOB),
		DB_COL(struct stored, key_id, DB_INT),
		DB_COL(struct stored, hmac, DB_BLOB),
		DB_COL(struct stored, birth_date, DB_STR),
	};
	static const struct db_map map = DB_MAP(struct stored, cols);
	struct stored s;
	assert_int_equal(
		db_select_one(&map, &s,
			      "SELECT nin_sealed, nin_key_id, nin_hmac, DATE_FORMAT(birth_date, '%Y-%m-%d')"
			      " FROM person WHERE id = ?",
			      "i", (long long)id),
		1);
	return s;
}

/* find-or-create in a transaction of its own, committed, by someone of
 * the municipality. */
static enum person_outcome find_or_create(int64_t muni, const struct person_new *p, int64_t *id)
{
	struct session s = { .municipality_id = muni,
			     .person_id = muni == fx.muni ? fx.looker : fx.other_looker };
	enum person_outcome o = (enum person_outcome) - 1;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(person_find_or_create(&s, p, id, &o), 0);
	assert_int_equal(db_commit(), DB_OK);
	return o;
}

/* A new person: the number sealed (never the digits at rest), its keyed
 * hash for finding it, the birth date it gives, blanks as no value. */
static void created_with_the_number_sealed(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	int y, m, d;
	assert_int_equal(nin_birthdate(nin, &y, &m, &d), 0);
	struct person_new p = { "Ingrid", arena_printf("Ny-%s", fx.tag), nin, "", "", NULL };
	int64_t id = 0;
	assert_int_equal(find_or_create(fx.muni, &p, &id), PERSON_CREATED);
	assert_true(id > 0);
	struct stored s = stored_of(id);
	assert_int_equal(s.sealed.len, 11 + CRYPTO_SEAL_OVERHEAD);
	assert_null(memmem(s.sealed.data, s.sealed.len, nin, 11));
	char opened[12] = { 0 };
	assert_int_equal(crypto_open(s.key_id, s.sealed.data, s.sealed.len, (unsigned char *)opened), 0);
	assert_string_equal(opened, nin);
	unsigned char mac[CRYPTO_HMAC_LEN];
	assert_int_equal(crypto_lookup_hash(nin, 11, mac), 0);
	assert_int_equal(s.hmac.len, CRYPTO_HMAC_LEN);
	assert_memory_equal(s.hmac.data, mac, CRYPTO_HMAC_LEN);
	assert_string_equal(s.birth_date, arena_printf("%04d-%02d-%02d", y, m, d));
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM person WHERE id = ? AND title IS NULL"
				     " AND email IS NULL AND phone IS NULL AND first_login_at IS NULL",
				     id),
			 1);
	/* Found by the number, in its municipality only. */
	struct person found;
	assert_int_equal(person_by_nin(fx.muni, nin, &found), 1);
	assert_int_equal(found.id, id);
	assert_string_equal(found.given_name, "Ingrid");
	assert_false(found.logged_in_before);
	assert_int_equal(person_by_nin(fx.other_muni, nin, &found), 0);
	assert_int_equal(person_by_nin(fx.muni, unit_fresh_nin(), &found), 0);
	db_request_end();
	arena_reset();
}

/* The same number again, whatever the names and contact details typed:
 * the same person, whose own record is left exactly as it was. */
static void found_again_by_the_number(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin(), *family = arena_printf("Funnet-%s", fx.tag);
	struct person_new p = { "Åse", family, nin, NULL, "ase@fjordvik.example", NULL };
	int64_t id = 0, again = 0;
	assert_int_equal(find_or_create(fx.muni, &p, &id), PERSON_CREATED);
	struct person_new typed = { "Annen",	  "Navn", nin, "Helsesykepleier", "other@fjordvik.example",
				    "+4790000000" };
	assert_int_equal(find_or_create(fx.muni, &typed, &again), PERSON_FOUND);
	assert_int_equal(again, id);
	assert_string_equal(
		unit_db_text("SELECT CONCAT_WS(' ', given_name, family_name, COALESCE(title, '-'),"
			     " email, COALESCE(phone, '-'), version) FROM person WHERE id = ?",
			     id),
		arena_printf("Åse %s - ase@fjordvik.example - 1", family));
	/* One person with the number in the municipality, however often found;
	 * in another municipality it is somebody new. */
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM person p JOIN person q ON q.nin_hmac = p.nin_hmac"
				     " AND q.municipality_id = p.municipality_id WHERE p.id = ?",
				     id),
			 1);
	int64_t elsewhere = -7;
	assert_int_equal(find_or_create(fx.other_muni, &typed, &elsewhere), PERSON_CREATED);
	assert_int_not_equal(elsewhere, id);
	db_request_end();
	arena_reset();
}

/* Every look-up is a row (person.lookup, by whom, the person by internal
 * id or "new", never the number or a name), kept after a rollback. */
static void every_lookup_is_audited_and_kept(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct person_new p = { "Kari", arena_printf("Oppslag-%s", fx.tag), nin, NULL, NULL, NULL };
	int64_t id = 0;
	const char *rows = "SELECT COUNT(*) FROM audit_log WHERE action = 'person.lookup' AND person_id = ?";
	int64_t before = unit_db_int(rows, fx.looker);
	assert_int_equal(find_or_create(fx.muni, &p, &id), PERSON_CREATED);
	assert_int_equal(unit_db_int(rows, fx.looker), before + 1);
	assert_string_equal(unit_db_text("SELECT detail FROM audit_log WHERE action = 'person.lookup'"
					 " AND person_id = ? ORDER BY id DESC LIMIT 1",
					 fx.looker),
			    "new");
	/* Found, in a transaction that is rolled back: the row stays. */
	struct session s = { .municipality_id = fx.muni, .person_id = fx.looker };
	enum person_outcome o;
	int64_t again = 0;
	assert_int_equal(db_begin(), DB_OK);
	assert_int_equal(person_find_or_create(&s, &p, &again, &o), 0);
	db_rollback();
	assert_int_equal(audit_rolled_back(), DB_OK);
	assert_int_equal(unit_db_int(rows, fx.looker), before + 2);
	assert_string_equal(unit_db_text("SELECT detail FROM audit_log WHERE action = 'person.lookup'"
					 " AND person_id = ? ORDER BY id DESC LIMIT 1",
					 fx.looker),
			    arena_printf("person %lld", (long long)id));
	int64_t r, bad;
	assert_int_equal(audit_verify(&r, &bad), 0);
	db_request_end();
	arena_reset();
}

/* person_create is the one place a person is made: a number it has already
 * is a duplicate, and a number that is no number is refused before SQL. */
static void create_refuses_duplicates_and_bad_numbers(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct person_new p = { "Liv", arena_printf("Dobbel-%s", fx.tag), nin, NULL, NULL, NULL };
	int64_t id = 0, again = -7;
	assert_int_equal(person_create(fx.muni, &p, &id), 0);
	assert_int_equal(person_create(fx.muni, &p, &again), DB_DUPLICATE);
	assert_int_equal(again, -7);
	char bad[12];
	snprintf(bad, sizeof bad, "%s", nin);
	bad[10] = bad[10] == '0' ? '1' : '0'; /* a control digit wrong */
	p.nin = bad;
	int64_t before = unit_db_int("SELECT COUNT(*) FROM person WHERE municipality_id = ?", fx.muni);
	assert_int_equal(person_create(fx.muni, &p, &again), DB_ERROR);
	p.nin = "1234";
	assert_int_equal(person_create(fx.muni, &p, &again), DB_ERROR);
	assert_int_equal(unit_db_int("SELECT COUNT(*) FROM person WHERE municipality_id = ?", fx.muni),
			 before);
	db_request_end();
	arena_reset();
}

/* The first login is recorded once. */
static void the_first_login_is_kept(void **state)
{
	(void)state;
	db_request_begin();
	const char *nin = unit_fresh_nin();
	struct person_new p = { "Tor", arena_printf("Login-%s", fx.tag), nin, NULL, NULL, NULL };
	int64_t id;
	assert_int_equal(person_create(fx.muni, &p, &id), 0);
	assert_int_equal(person_mark_login(id), 0);
	struct person found;
	assert_int_equal(person_by_nin(fx.muni, nin, &found), 1);
	assert_true(found.logged_in_before);
	assert_int_equal(db_exec("UPDATE person SET first_login_at = '2020-01-02 03:04:05' WHERE id = ?", "i",
				 (long long)id),
			 1);
	assert_int_equal(person_mark_login(id), 0);
	assert_string_equal(unit_db_text("SELECT DATE_FORMAT(first_login_at, '%Y-%m-%d %H:%i:%s') FROM person"
					 " WHERE id = ?",
					 id),
			    "2020-01-02 03:04:05");
	db_request_end();
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(created_with_the_number_sealed),
		cmocka_unit_test(found_again_by_the_number),
		cmocka_unit_test(every_lookup_is_audited_and_kept),
		cmocka_unit_test(create_refuses_duplicates_and_bad_numbers),
		cmocka_unit_test(the_first_login_is_kept),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
