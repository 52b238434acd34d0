/* fuzz_multipart.c — multipart/form-data bodies (lib/http.c). The first line
 * of the input is the boundary; the rest is the body. Property: no read out
 * of bounds (ASan), and every part's value lies inside the body. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t blen = nl ? (size_t)(nl - s) : 0;
	if (blen > 80)
		return 0;
	char *ctype = arena_printf("multipart/form-data; boundary=\"%.*s\"", (int)blen, s);
	const char *body = nl ? nl + 1 : s;
	size_t len = nl ? size - blen - 1 : size;
	char *copy = arena_alloc(len + 1);
	memcpy(copy, body, len);
	struct params p;
	if (http_parse_multipart(copy, len, ctype, &p) == HTTP_PARSE_OK) {
		for (size_t i = 0; i < p.n; i++)
			if (!p.v[i].name || !*p.v[i].name || p.v[i].value_len > len ||
			    p.v[i].value[p.v[i].value_len] != '\0')
				abort();
	}
	arena_reset();
	return 0;
}
