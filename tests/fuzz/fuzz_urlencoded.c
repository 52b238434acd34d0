/* fuzz_urlencoded.c — query strings and urlencoded bodies (lib/http.c).
 * Property: re-encoding what was decoded and parsing it again gives the same
 * pairs; a malformed input is refused, never half-read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"
#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct params p, q;
	if (http_parse_urlencoded((const char *)data, size, &p) == HTTP_PARSE_OK) {
		struct buf b = { 0 };
		for (size_t i = 0; i < p.n; i++) {
			if (i)
				buf_addc(&b, '&');
			url_encode(&b, p.v[i].name, strlen(p.v[i].name));
			buf_addc(&b, '=');
			url_encode(&b, p.v[i].value, p.v[i].value_len);
		}
		if (http_parse_urlencoded(b.data ? b.data : "", b.len, &q) != HTTP_PARSE_OK || q.n != p.n)
			abort();
		for (size_t i = 0; i < p.n; i++)
			if (strcmp(p.v[i].name, q.v[i].name) != 0 || p.v[i].value_len != q.v[i].value_len ||
			    memcmp(p.v[i].value, q.v[i].value, p.v[i].value_len) != 0)
				abort();
	}
	arena_reset();
	return 0;
}
