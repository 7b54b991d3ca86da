/*
 * test_kb_arena: the KB's bump allocator. Allocations are zeroed, aligned
 * for any type, never overlap, survive later allocations (big ones get a
 * block of their own), and impossible sizes fail instead of wrapping.
 */
#include "config.h"

#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb_arena.h"

static void
test_zeroed_aligned_distinct(void **state)
{
	struct fw_arena a;
	unsigned char *p[200];
	size_t sizes[200];

	fw_arena_init(&a);
	for (size_t i = 0; i < 200; i++) {
		sizes[i] = (i * 37) % 1000;
		p[i] = fw_arena_alloc(&a, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[i][k], 0);
		memset(p[i], (int)(i & 0xff), sizes[i]);
	}
	/* Nothing written later overwrote an earlier allocation. */
	for (size_t i = 0; i < 200; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			assert_int_equal(p[i][k], i & 0xff);
	fw_arena_free(&a);
	assert_null(a.head);
	fw_arena_free(&a); /* twice is harmless */
}

static void
test_big_allocations(void **state)
{
	struct fw_arena a;
	char *small1, *big, *small2;

	fw_arena_init(&a);
	small1 = fw_arena_alloc(&a, 10);
	big = fw_arena_alloc(&a, 200 * 1024);
	small2 = fw_arena_alloc(&a, 10);
	assert_non_null(small1);
	assert_non_null(big);
	assert_non_null(small2);
	memset(big, 'x', 200 * 1024);
	memset(small2, 'y', 10);
	/* The small block's free space is still used after the big one. */
	assert_ptr_equal(small2, small1 + alignof(max_align_t));
	assert_int_equal(small1[0], 0);
	assert_int_equal(big[200 * 1024 - 1], 'x');
	fw_arena_free(&a);
}

static void
test_strdup(void **state)
{
	struct fw_arena a;
	char *s, *e;

	fw_arena_init(&a);
	s = fw_arena_strdup(&a, "hello world", 5);
	assert_string_equal(s, "hello");
	e = fw_arena_strdup(&a, "", 0);
	assert_non_null(e);
	assert_string_equal(e, "");
	s = fw_arena_strdup(&a, "a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	assert_null(fw_arena_strdup(&a, "x", SIZE_MAX));
	fw_arena_free(&a);
}

static void
test_impossible_sizes(void **state)
{
	struct fw_arena a;

	fw_arena_init(&a);
	assert_null(fw_arena_alloc(&a, SIZE_MAX));
	assert_null(fw_arena_alloc(&a, SIZE_MAX - 20));
	assert_non_null(fw_arena_alloc(&a, 0));
	fw_arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_aligned_distinct),
		cmocka_unit_test(test_big_allocations),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_impossible_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
