/* fuzz_template.c — the template engine (lib/tmpl.c). Input byte 0 chooses
 * the mode: even — the rest is a value rendered in text, attribute and URL
 * contexts, and no '<', '"' or '\'' from it may reach the output; odd — the
 * rest is template source, which must parse or be refused, never crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "tmpl.h"

static const char page[] = "<p>[{{v}}]</p><a href=\"{{v}}\" title=\"[{{v}}]\">x</a>"
			   "<a href=\"/s?q={{v}}\">y</a>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready && tmpl_parse_string("fuzz", page) == 0)
		ready = 1;
	if (size == 0)
		return 0;
	char *rest = arena_strndup((const char *)data + 1, size - 1);
	if (data[0] % 2 == 0) {
		struct tv *d = tv_obj();
		tv_set_str(d, "v", rest);
		struct buf out = { 0 };
		if (tmpl_render(&out, "fuzz", d) < 0)
			abort();
		/* The fixed markup has exactly these many of each character. */
		size_t lt = 0, dq = 0, sq = 0;
		for (size_t i = 0; i < out.len; i++) {
			lt += out.data[i] == '<';
			dq += out.data[i] == '"';
			sq += out.data[i] == '\'';
		}
		if (lt != 6 || dq != 6 || sq != 0)
			abort();
	} else if (tmpl_parse_string("fuzz-source", rest) == 0) {
		struct buf out = { 0 };
		tmpl_render(&out, "fuzz-source", tv_obj());
	}
	arena_reset();
	return 0;
}
