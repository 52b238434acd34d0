/* test_utf8.c — the UTF-8 decoder: every length of a valid sequence at its
 * bounds, and what it refuses (overlong forms, surrogates, values above
 * U+10FFFF, stray or missing continuation bytes, sequences cut short). */
#include <string.h>

#include "unit.h"
#include "utf8.h"

static const struct {
	const char *bytes;
	size_t len;
	unsigned cp;
} valid[] = {
	{ "\x00", 1, 0x0 },
	{ "A", 1, 0x41 },
	{ "\x7f", 1, 0x7f },
	{ "\xc2\x80", 2, 0x80 },	     /* the smallest two-byte value */
	{ "\xc3\xa6", 2, 0xe6 },	     /* æ */
	{ "\xdf\xbf", 2, 0x7ff },	     /* the largest */
	{ "\xe0\xa0\x80", 3, 0x800 },	     /* the smallest three-byte value */
	{ "\xe2\x82\xac", 3, 0x20ac },	     /* € */
	{ "\xed\x9f\xbf", 3, 0xd7ff },	     /* just below the surrogates */
	{ "\xee\x80\x80", 3, 0xe000 },	     /* just above them */
	{ "\xef\xbf\xbf", 3, 0xffff },	     /* the largest */
	{ "\xf0\x90\x80\x80", 4, 0x10000 },  /* the smallest four-byte value */
	{ "\xf0\x9f\x99\x82", 4, 0x1f642 },  /* 🙂 */
	{ "\xf4\x8f\xbf\xbf", 4, 0x10ffff }, /* the last code point */
};

static void valid_sequences_of_every_length(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		unsigned cp = 0xdeadbeef;
		/* A following byte is not part of the sequence. */
		char s[8] = { 0 };
		memcpy(s, valid[i].bytes, valid[i].len);
		s[valid[i].len] = 'z';
		assert_int_equal(utf8_decode((const unsigned char *)s, valid[i].len + 1, &cp), valid[i].len);
		assert_int_equal(cp, valid[i].cp);
	}
}

static void invalid_sequences_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
	} invalid[] = {
		/* Overlong: a value written with more bytes than it needs. */
		{ "\xc0\x80", 2 },
		{ "\xc1\xbf", 2 },
		{ "\xe0\x80\x80", 3 },
		{ "\xe0\x9f\xbf", 3 },
		{ "\xf0\x80\x80\x80", 4 },
		{ "\xf0\x8f\xbf\xbf", 4 },
		/* UTF-16 surrogates are not characters. */
		{ "\xed\xa0\x80", 3 },
		{ "\xed\xbf\xbf", 3 },
		/* Above U+10FFFF. */
		{ "\xf4\x90\x80\x80", 4 },
		{ "\xf5\x80\x80\x80", 4 },
		{ "\xf7\xbf\xbf\xbf", 4 },
		/* A byte that starts nothing: a continuation byte alone, or the
		 * five- and six-byte forms UTF-8 no longer has. */
		{ "\x80", 1 },
		{ "\xbf", 1 },
		{ "\xf8\x88\x80\x80\x80", 5 },
		{ "\xfc\x84\x80\x80\x80\x80", 6 },
		{ "\xfe", 1 },
		{ "\xff", 1 },
		/* A continuation byte missing in the middle. */
		{ "\xc3\x41", 2 },
		{ "\xe2\x28\xa1", 3 },
		{ "\xe2\x82\x41", 3 },
		{ "\xf0\x9f\x41\x82", 4 },
		{ "\xf0\x9f\x99\xc3", 4 },
	};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		unsigned cp;
		if (utf8_decode((const unsigned char *)invalid[i].bytes, invalid[i].len, &cp) != 0)
			fail_msg("case %zu was accepted as U+%04X", i, cp);
	}
}

/* n is all there is: a sequence longer than the bytes left is refused,
 * even when the bytes after them would complete it. */
static void truncated_sequences_are_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		for (size_t n = 1; n < valid[i].len; n++) {
			unsigned cp;
			assert_int_equal(utf8_decode((const unsigned char *)valid[i].bytes, n, &cp), 0);
		}
	}
}

static void length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("æ🙂a", strlen("æ🙂a")), 3);
	assert_int_equal(utf8_length("a\0b", 3), 3); /* the length given, not the NUL */
	assert_int_equal(utf8_length("æøå", 4), 2);  /* a sequence cut short still counts */
	/* Over a whole text it agrees with decoding one sequence at a time. */
	const char *text = "Blåbær 🙂 € \xf4\x8f\xbf\xbf ok";
	size_t len = strlen(text), count = 0;
	for (size_t i = 0; i < len; count++) {
		unsigned cp;
		size_t n = utf8_decode((const unsigned char *)text + i, len - i, &cp);
		assert_true(n > 0);
		i += n;
	}
	assert_int_equal(utf8_length(text, len), count);
	assert_int_equal(count, 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_sequences_of_every_length),
		cmocka_unit_test(invalid_sequences_are_refused),
		cmocka_unit_test(truncated_sequences_are_refused),
		cmocka_unit_test(length_counts_code_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
