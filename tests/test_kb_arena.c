/*
 * test_kb_arena: the KB's bump allocator. Allocations are zeroed, aligned
 * for any type (also right after a packed string), never overlap, survive
 * later allocations (big ones get a block of their own); strings are
 * packed byte after byte and NUL-terminated; impossible sizes fail instead
 * of wrapping.
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

/*
 * Leaves malloc's free lists holding arena-sized blocks full of 0xa5, so
 * the next arena's blocks are likely to start out dirty rather than fresh
 * zero pages: a missing memset or NUL shows up instead of hiding.
 */
static void
dirty_heap(void)
{
	static char junk[60 * 1024];
	struct fw_arena a;

	memset(junk, 0xa5, sizeof junk);
	fw_arena_init(&a);
	for (int i = 0; i < 4; i++)
		assert_non_null(fw_arena_strdup(&a, junk, sizeof junk - 1));
	fw_arena_free(&a);
}

static void
test_strings_packed(void **state)
{
	struct fw_arena a;
	char *s1, *s2, *s3;

	fw_arena_init(&a);
	s1 = fw_arena_strdup(&a, "abc", 3);
	s2 = fw_arena_strdup(&a, "de", 2);
	s3 = fw_arena_strdup(&a, "fghij", 5);
	/* Byte after byte: no padding between strings, whatever their length. */
	assert_ptr_equal(s2, s1 + 4);
	assert_ptr_equal(s3, s2 + 3);
	assert_string_equal(s1, "abc");
	assert_string_equal(s2, "de");
	assert_string_equal(s3, "fghij");
	fw_arena_free(&a);
}

static void
test_aligned_after_odd_string(void **state)
{
	struct fw_arena a;
	char *s, *t;
	unsigned char *p, *q;

	fw_arena_init(&a);
	s = fw_arena_strdup(&a, "abc", 3);
	p = fw_arena_alloc(&a, 24);
	t = fw_arena_strdup(&a, "xyzzy", 5);
	q = fw_arena_alloc(&a, 8);
	assert_non_null(p);
	assert_non_null(q);
	/* kb_arena.h: aligned for any type, even right after a packed string. */
	assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)q % alignof(max_align_t), 0);
	assert_true(p >= (unsigned char *)s + 4);
	assert_true(q >= (unsigned char *)t + 6);
	/* In the same block: the rounding up does not waste a block. */
	assert_true(p - (unsigned char *)s < (ptrdiff_t)(2 * alignof(max_align_t)));
	memset(p, 0xff, 24);
	memset(q, 0xff, 8);
	assert_string_equal(s, "abc");
	assert_string_equal(t, "xyzzy");
	fw_arena_free(&a);
}

static void
test_zeroed_and_terminated_on_dirty_memory(void **state)
{
	static const char src[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	struct fw_arena a;

	dirty_heap();
	fw_arena_init(&a);
	for (size_t i = 0; i < 2000; i++) {
		size_t len = i % (sizeof src - 1);
		char *s = fw_arena_strdup(&a, src, len);
		unsigned char *p = fw_arena_alloc(&a, 1 + i % 300);

		assert_non_null(s);
		assert_non_null(p);
		/* The copy ends at len even though src goes on and the memory was not zero. */
		assert_int_equal(strlen(s), len);
		assert_memory_equal(s, src, len);
		for (size_t k = 0; k < 1 + i % 300; k++)
			assert_int_equal(p[k], 0);
	}
	fw_arena_free(&a);
}

static void
test_big_strings(void **state)
{
	enum { BIG = 100 * 1024 };
	static char src[BIG + 1];
	struct fw_arena a;
	char *s1, *big, *s2;

	for (size_t i = 0; i < BIG; i++)
		src[i] = (char)('a' + i % 26);
	src[BIG] = 'Z';
	fw_arena_init(&a);
	s1 = fw_arena_strdup(&a, "abc", 3);
	big = fw_arena_strdup(&a, src, BIG);
	s2 = fw_arena_strdup(&a, "de", 2);
	assert_non_null(big);
	assert_int_equal(strlen(big), BIG);
	assert_memory_equal(big, src, BIG);
	/* The small block's free space is still used after the big string. */
	assert_ptr_equal(s2, s1 + 4);
	assert_string_equal(s1, "abc");
	assert_string_equal(s2, "de");
	assert_int_equal(big[BIG - 1], src[BIG - 1]);
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
		cmocka_unit_test(test_strings_packed),
		cmocka_unit_test(test_aligned_after_odd_string),
		cmocka_unit_test(test_zeroed_and_terminated_on_dirty_memory),
		cmocka_unit_test(test_big_strings),
		cmocka_unit_test(test_impossible_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
