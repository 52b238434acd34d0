/* crypto.h — randomness, field encryption and keyed lookup hashes (OpenSSL).
 * Identity numbers are stored as AES-256-GCM ciphertext with the key id beside
 * it, and found through an HMAC-SHA-256 of the number, so keys can rotate. */
#ifndef STAFETT_CRYPTO_H
#define STAFETT_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_HMAC_LEN 32
#define CRYPTO_SEAL_OVERHEAD (12 + 16) /* nonce + tag */

/* Key file: lines "aes <id> <64 hex>" (the last one encrypts, all decrypt)
 * and one "hmac <64 hex>"; '#' starts a comment. 0, or -1 (logged). */
int crypto_load_keys(const char *path);
int crypto_current_key_id(void);

int crypto_random(void *buf, size_t n);		/* 0, or -1 if the RNG failed */
char *crypto_random_hex(size_t nbytes);		/* arena string, NULL if the RNG failed */
char *crypto_hex(const void *data, size_t len); /* lower-case hex, arena string */

/* out must hold len + CRYPTO_SEAL_OVERHEAD bytes; returns the key id used, or -1. */
int crypto_seal(const void *plain, size_t len, unsigned char *out);
/* out must hold len - CRYPTO_SEAL_OVERHEAD bytes; 0, or -1 if the tag does not verify. */
int crypto_open(int key_id, const unsigned char *sealed, size_t len, unsigned char *out);
/* HMAC-SHA-256 with the lookup key. */
int crypto_lookup_hash(const void *data, size_t len, unsigned char out[CRYPTO_HMAC_LEN]);
bool crypto_equal(const void *a, const void *b, size_t n); /* constant time */
void crypto_wipe(void *p, size_t n);			   /* that the compiler keeps */
bool crypto_streq(const char *a, const char *b);	   /* constant time in the length */
void crypto_sha256(const void *data, size_t len, unsigned char out[32]);

/* base64url without padding (RFC 4648 §5); decode returns the arena buffer
 * and its length, or NULL on a character outside the alphabet. */
char *crypto_b64url_encode(const void *data, size_t len);
unsigned char *crypto_b64url_decode(const char *s, size_t len, size_t *outlen);

#endif
