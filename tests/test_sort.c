/*
 * test_sort: fw_sort_u32_small() against qsort() on lists of every length
 * up to 40 (empty, one, duplicates, runs), from a fixed seed.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/sort.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_against_qsort(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	uint32_t a[40], want[40];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		uint32_t n = (uint32_t)(round % 41);
		/* Small ranges give duplicates; large ones distinct values. */
		uint32_t range = round % 3 == 0 ? 4 : round % 3 == 1 ? 64 : UINT32_MAX;

		for (uint32_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			a[i] = range == UINT32_MAX ? (uint32_t)(x >> 32) : (uint32_t)(x >> 32) % range;
		}
		memcpy(want, a, n * sizeof *a);
		qsort(want, n, sizeof *want, cmp_u32);
		fw_sort_u32_small(a, n);
		assert_memory_equal(a, want, n * sizeof *a);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_qsort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
