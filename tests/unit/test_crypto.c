/* test_crypto.c — sealing identity numbers, key rotation, lookup hashes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "arena.h"
#include "crypto.h"

#define K1 "1111111111111111111111111111111111111111111111111111111111111111"
#define K2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H1 "abababababababababababababababababababababababababababababababab"

static void seal_and_open(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("# test keys\naes 1 " K1 "\nhmac " H1 "\n");
	assert_int_equal(crypto_load_keys(p), 0);
	unlink(p);
	const char *nin = "01418012345";
	unsigned char sealed[11 + CRYPTO_SEAL_OVERHEAD], again[sizeof sealed], out[12] = { 0 };
	assert_int_equal(crypto_seal(nin, 11, sealed), 1);
	assert_int_equal(crypto_seal(nin, 11, again), 1);
	/* A fresh nonce each time: the same number never gives the same bytes. */
	assert_memory_not_equal(sealed, again, sizeof sealed);
	assert_int_equal(crypto_open(1, sealed, sizeof sealed, out), 0);
	assert_memory_equal(out, nin, 11);
	/* Any flipped bit is refused. */
	for (size_t i = 0; i < sizeof sealed; i++) {
		sealed[i] ^= 1;
		assert_int_equal(crypto_open(1, sealed, sizeof sealed, out), -1);
		sealed[i] ^= 1;
	}
	assert_int_equal(crypto_open(7, sealed, sizeof sealed, out), -1);
	assert_int_equal(crypto_open(1, sealed, 5, out), -1);
}

static void rotation_keeps_old_keys_for_reading(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("aes 1 " K1 "\nhmac " H1 "\n");
	assert_int_equal(crypto_load_keys(p), 0);
	unlink(p);
	unsigned char old[4 + CRYPTO_SEAL_OVERHEAD], out[4];
	assert_int_equal(crypto_seal("abcd", 4, old), 1);
	p = unit_tmpfile("aes 1 " K1 "\naes 2 " K2 "\nhmac " H1 "\n");
	assert_int_equal(crypto_load_keys(p), 0);
	unlink(p);
	assert_int_equal(crypto_current_key_id(), 2);
	assert_int_equal(crypto_open(1, old, sizeof old, out), 0);
	assert_memory_equal(out, "abcd", 4);
	unsigned char fresh[4 + CRYPTO_SEAL_OVERHEAD];
	assert_int_equal(crypto_seal("abcd", 4, fresh), 2);
	assert_int_equal(crypto_open(1, fresh, sizeof fresh, out), -1);
}

static void lookup_hash_is_keyed_and_stable(void **state)
{
	(void)state;
	const char *p = unit_tmpfile("aes 1 " K1 "\nhmac " H1 "\n");
	assert_int_equal(crypto_load_keys(p), 0);
	unlink(p);
	unsigned char a[32], b[32], c[32];
	assert_int_equal(crypto_lookup_hash("01418012345", 11, a), 0);
	assert_int_equal(crypto_lookup_hash("01418012345", 11, b), 0);
	assert_int_equal(crypto_lookup_hash("01418012346", 11, c), 0);
	assert_true(crypto_equal(a, b, 32));
	assert_false(crypto_equal(a, c, 32));
}

static void bad_key_files_are_refused(void **state)
{
	(void)state;
	const char *bad[] = {
		"aes 1 " K1 "\n",	       /* no hmac key */
		"hmac " H1 "\n",	       /* no aes key */
		"aes 1 1234\nhmac " H1 "\n",   /* short key */
		"aes x " K1 "\nhmac " H1 "\n", /* bad id */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *p = unit_tmpfile(bad[i]);
		assert_int_equal(crypto_load_keys(p), -1);
		unlink(p);
	}
	assert_int_equal(crypto_load_keys("/nonexistent"), -1);
}

static void random_hex(void **state)
{
	(void)state;
	char *a = crypto_random_hex(16), *b = crypto_random_hex(16);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_string_not_equal(a, b);
	assert_null(crypto_random_hex(1000));
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seal_and_open),
		cmocka_unit_test(rotation_keeps_old_keys_for_reading),
		cmocka_unit_test(lookup_hash_is_keyed_and_stable),
		cmocka_unit_test(bad_key_files_are_refused),
		cmocka_unit_test(random_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
