/* fuzz_form.c — text validation (lib/form.c). Property: accepted text is
 * valid UTF-8 by a second, independent check and holds no NUL or control
 * character but tab and newline. */
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "form.h"

/* Plain UTF-8 check, written apart from lib/form.c on purpose. */
static int valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		size_t len = c < 0x80		 ? 1
			: c >= 0xc2 && c <= 0xdf ? 2
			: c >= 0xe0 && c <= 0xef ? 3
			: c >= 0xf0 && c <= 0xf4 ? 4
						 : 0;
		if (!len || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		if (c == 0xe0 && s[i + 1] < 0xa0)
			return 0; /* overlong */
		if (c == 0xed && s[i + 1] >= 0xa0)
			return 0; /* surrogate */
		if (c == 0xf0 && s[i + 1] < 0x90)
			return 0; /* overlong */
		if (c == 0xf4 && s[i + 1] >= 0x90)
			return 0; /* above U+10FFFF */
		if (len == 1 && (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n')
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (form_check_utf8_text((const char *)data, size, true) == NULL && !valid(data, size))
		abort();
	if (form_check_utf8_text((const char *)data, size, true) != NULL && valid(data, size))
		abort();
	arena_reset();
	return 0;
}
