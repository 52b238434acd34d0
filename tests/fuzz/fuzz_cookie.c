/* fuzz_cookie.c — Cookie headers and Accept-Language (lib/http.c).
 * Properties: no name is empty or repeated; the language is one we serve. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = arena_strndup((const char *)data, size);
	struct params p;
	http_parse_cookies(h, &p);
	for (size_t i = 0; i < p.n; i++) {
		if (!*p.v[i].name)
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(p.v[i].name, p.v[j].name) == 0)
				abort();
	}
	static const char *const langs[] = { "nb", "nn", "en", NULL };
	const char *l = http_accept_language(h, langs);
	if (l && l != langs[0] && l != langs[1] && l != langs[2])
		abort();
	arena_reset();
	return 0;
}
