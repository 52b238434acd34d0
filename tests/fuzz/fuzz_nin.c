/* fuzz_nin.c — identity numbers (lib/nin.c), against a second, plain
 * implementation of the control digits (the rules of 2032: the first
 * control digit's sum, that digit included, leaves remainder 0-3): nothing
 * with a wrong control digit may pass. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "nin.h"

static int control_ok(const char *s)
{
	int d[11];
	for (int i = 0; i < 11; i++)
		d[i] = s[i] - '0';
	int r1 = (3 * d[0] + 7 * d[1] + 6 * d[2] + 1 * d[3] + 8 * d[4] + 9 * d[5] + 4 * d[6] + 5 * d[7] +
		  2 * d[8] + 1 * d[9]) %
		11;
	int k2 = 11 -
		(5 * d[0] + 4 * d[1] + 3 * d[2] + 2 * d[3] + 7 * d[4] + 6 * d[5] + 5 * d[6] + 4 * d[7] +
		 3 * d[8] + 2 * d[9]) %
			11;
	k2 %= 11;
	return r1 <= 3 && k2 != 10 && k2 == d[10];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = arena_strndup((const char *)data, size);
	enum nin_kind k = nin_check(s);
	bool shape = strlen(s) == 11 && strspn(s, "0123456789") == 11;
	if (k != NIN_INVALID && (!shape || !control_ok(s)))
		abort();
	int y, m, d;
	if ((nin_birthdate(s, &y, &m, &d) == 0) != (k != NIN_INVALID))
		abort();
	if (k != NIN_INVALID && (m < 1 || m > 12 || d < 1 || d > 31 || y < 1854 || y > 2039))
		abort();
	arena_reset();
	return 0;
}
