/* test_arena.c — the per-request arena and buffers. */
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "arena.h"

static void alloc_is_zeroed_and_aligned(void **state)
{
	(void)state;
	for (size_t n = 1; n < 100; n += 7) {
		unsigned char *p = arena_alloc(n);
		assert_true(((uintptr_t)p % 16) == 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, n);
	}
	arena_reset();
}

static void large_allocations_and_reset(void **state)
{
	(void)state;
	char *big = arena_alloc(1 << 20);
	big[(1 << 20) - 1] = 'x';
	assert_true(arena_used() >= (1 << 20));
	arena_reset();
	assert_int_equal(arena_used(), 0);
	/* Many requests in a row must not grow the process. */
	for (int r = 0; r < 1000; r++) {
		for (int i = 0; i < 100; i++)
			arena_alloc(1000);
		arena_reset();
	}
	assert_int_equal(arena_used(), 0);
}

static void strings(void **state)
{
	(void)state;
	assert_string_equal(arena_strdup("æøå"), "æøå");
	assert_string_equal(arena_strndup("abcdef", 3), "abc");
	assert_string_equal(arena_printf("%d-%s", 42, "x"), "42-x");
	char long_text[600];
	memset(long_text, 'y', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';
	assert_string_equal(arena_printf("%s", long_text), long_text);
	arena_reset();
}

static void buffers_grow(void **state)
{
	(void)state;
	struct buf b = { 0 };
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, 'a' + i % 26);
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[10000], '\0');
	assert_int_equal(b.data[27], 'b');
	buf_reset(&b);
	buf_adds(&b, "x=");
	buf_addf(&b, "%05d", 42);
	buf_add(&b, "\0z", 2);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "x=00042\0z", 9);
	arena_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_is_zeroed_and_aligned),
		cmocka_unit_test(large_allocations_and_reset),
		cmocka_unit_test(strings),
		cmocka_unit_test(buffers_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
