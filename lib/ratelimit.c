/* ratelimit.c — the rate_limit table; nothing else. */
#include "ratelimit.h"

#include <string.h>

#include "arena.h"
#include "crypto.h"
#include "db.h"

struct hits {
	long long hits;
};
static const struct db_col cols[] = { DB_COL(struct hits, hits, DB_I64) };
static const struct db_map map = DB_MAP(struct hits, cols);

/* The row's key: the hash of scope, NUL, key. */
static void bucket_of(const char *scope, const char *key, unsigned char bucket[32])
{
	struct buf b = { 0 };
	buf_adds(&b, scope);
	buf_addc(&b, '\0');
	buf_adds(&b, key);
	crypto_sha256(b.data, b.len, bucket);
}

int ratelimit_hit(const char *scope, const char *key, long long limit, long long window_seconds)
{
	unsigned char bucket[32];
	bucket_of(scope, key, bucket);
	/* One statement: concurrent workers cannot both start a new window. The
	 * assignments run left to right, so the hits test still sees the old
	 * window_start. */
	int rc = db_exec("INSERT INTO rate_limit (bucket, window_start, hits) VALUES (?, NOW(), 1)"
			 " ON DUPLICATE KEY UPDATE"
			 " hits = IF(window_start <= NOW() - INTERVAL ? SECOND, 1, hits + 1),"
			 " window_start = IF(window_start <= NOW() - INTERVAL ? SECOND, NOW(), window_start)",
			 "bii", bucket, sizeof bucket, window_seconds, window_seconds);
	if (rc < 0)
		return rc;
	struct hits h;
	rc = db_select_one(&map, &h, "SELECT hits FROM rate_limit WHERE bucket = ?", "b", bucket,
			   sizeof bucket);
	if (rc < 0)
		return rc;
	return rc == 1 && h.hits > limit ? 0 : 1;
}

int ratelimit_within(const char *scope, const char *key, long long limit, long long window_seconds)
{
	unsigned char bucket[32];
	bucket_of(scope, key, bucket);
	struct hits h = { 0 };
	int rc = db_select_one(&map, &h,
			       "SELECT hits FROM rate_limit WHERE bucket = ?"
			       " AND window_start > NOW() - INTERVAL ? SECOND",
			       "bi", bucket, sizeof bucket, window_seconds);
	if (rc < 0)
		return rc;
	return h.hits > limit ? 0 : 1;
}
