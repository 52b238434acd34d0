/* crypto.c — OpenSSL EVP for AES-256-GCM, HMAC and RAND_bytes; no crypto of our own. */
#include "crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

#define MAX_KEYS 16

struct key {
	int id;
	unsigned char k[32];
};

static struct key keys[MAX_KEYS];
static int nkeys;
static unsigned char hmac_key[32];
static bool have_hmac;

static int unhex(const char *s, unsigned char *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

int crypto_load_keys(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		log_error("crypto: cannot open the key file");
		return -1;
	}
	char line[256];
	int rc = 0;
	nkeys = 0;
	have_hmac = false;
	while (fgets(line, sizeof line, f)) {
		char kind[8], hex[80];
		int id;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "aes %d %79s", &id, hex) == 2 && nkeys < MAX_KEYS && id > 0 &&
		    unhex(hex, keys[nkeys].k, 32) == 0) {
			keys[nkeys++].id = id;
		} else if (sscanf(line, "%7s %79s", kind, hex) == 2 && strcmp(kind, "hmac") == 0 &&
			   unhex(hex, hmac_key, 32) == 0) {
			have_hmac = true;
		} else {
			rc = -1;
		}
		OPENSSL_cleanse(hex, sizeof hex);
	}
	OPENSSL_cleanse(line, sizeof line);
	fclose(f);
	if (rc < 0 || nkeys == 0 || !have_hmac) {
		log_error("crypto: the key file needs aes and hmac lines");
		return -1;
	}
	return 0;
}

int crypto_current_key_id(void)
{
	return nkeys ? keys[nkeys - 1].id : -1;
}

int crypto_random(void *buf, size_t n)
{
	if (RAND_bytes(buf, (int)n) != 1) {
		log_error("crypto: the random number generator failed");
		return -1;
	}
	return 0;
}

char *crypto_hex(const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *d = data;
	char *s = arena_alloc(2 * len + 1);
	for (size_t i = 0; i < len; i++) {
		s[2 * i] = digits[d[i] >> 4];
		s[2 * i + 1] = digits[d[i] & 15];
	}
	return s;
}

char *crypto_random_hex(size_t nbytes)
{
	unsigned char raw[64];
	if (nbytes > sizeof raw || crypto_random(raw, nbytes) < 0)
		return NULL;
	char *s = crypto_hex(raw, nbytes);
	OPENSSL_cleanse(raw, sizeof raw);
	return s;
}

static const struct key *key_by_id(int id)
{
	for (int i = 0; i < nkeys; i++)
		if (keys[i].id == id)
			return &keys[i];
	return NULL;
}

int crypto_seal(const void *plain, size_t len, unsigned char *out)
{
	if (!nkeys || len > INT32_MAX)
		return -1;
	const struct key *k = &keys[nkeys - 1];
	unsigned char *nonce = out, *ct = out + 12, *tag = out + 12 + len;
	int n, rc = -1;
	/* A random 96-bit nonce per message: repeats are negligible at our volume. */
	if (crypto_random(nonce, 12) < 0)
		return -1;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, k->k, nonce) == 1 &&
	    EVP_EncryptUpdate(c, ct, &n, plain, (int)len) == 1 && EVP_EncryptFinal_ex(c, ct + n, &n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1)
		rc = k->id;
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int crypto_open(int key_id, const unsigned char *sealed, size_t len, unsigned char *out)
{
	const struct key *k = key_by_id(key_id);
	if (!k || len < CRYPTO_SEAL_OVERHEAD || len > INT32_MAX)
		return -1;
	size_t plen = len - CRYPTO_SEAL_OVERHEAD;
	int n, rc = -1;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	if (c && EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, k->k, sealed) == 1 &&
	    EVP_DecryptUpdate(c, out, &n, sealed + 12, (int)plen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)(sealed + 12 + plen)) == 1 &&
	    EVP_DecryptFinal_ex(c, out + n, &n) == 1)
		rc = 0;
	EVP_CIPHER_CTX_free(c);
	if (rc < 0)
		OPENSSL_cleanse(out, plen);
	return rc;
}

int crypto_lookup_hash(const void *data, size_t len, unsigned char out[CRYPTO_HMAC_LEN])
{
	unsigned int n = CRYPTO_HMAC_LEN;
	if (!have_hmac || !HMAC(EVP_sha256(), hmac_key, sizeof hmac_key, data, len, out, &n))
		return -1;
	return 0;
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

void crypto_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

bool crypto_streq(const char *a, const char *b)
{
	size_t n = strlen(a);
	return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

void crypto_sha256(const void *data, size_t len, unsigned char out[32])
{
	unsigned int n = 32;
	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *crypto_b64url_encode(const void *data, size_t len)
{
	const unsigned char *d = data;
	char *out = arena_alloc(len / 3 * 4 + 5), *o = out;
	size_t i = 0;
	for (; i + 2 < len; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
		*o++ = b64url[v >> 18 & 63];
		*o++ = b64url[v >> 12 & 63];
		*o++ = b64url[v >> 6 & 63];
		*o++ = b64url[v & 63];
	}
	if (len - i == 1) {
		unsigned v = (unsigned)d[i] << 16;
		*o++ = b64url[v >> 18 & 63];
		*o++ = b64url[v >> 12 & 63];
	} else if (len - i == 2) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
		*o++ = b64url[v >> 18 & 63];
		*o++ = b64url[v >> 12 & 63];
		*o++ = b64url[v >> 6 & 63];
	}
	*o = '\0';
	return out;
}

unsigned char *crypto_b64url_decode(const char *s, size_t len, size_t *outlen)
{
	if (len % 4 == 1)
		return NULL;
	unsigned char *out = arena_alloc(len / 4 * 3 + 3);
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		const char *p = memchr(b64url, s[i], 64);
		if (!p || !s[i])
			return NULL;
		v = v << 6 | (unsigned)(p - b64url);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
		}
	}
	*outlen = o;
	return out;
}
