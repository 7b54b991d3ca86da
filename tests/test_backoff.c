/*
 * test_backoff: growth, cap and the jitter range of reconnect delays.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/backoff.h"

static void
test_growth_and_cap(void **state)
{
	/* rnd = 0 gives the lower bound d/2, rnd = d/2 the upper bound d. */
	assert_int_equal(fw_backoff_delay_ms(1, 100, 30000, 0), 50);
	assert_int_equal(fw_backoff_delay_ms(1, 100, 30000, 50), 100);
	assert_int_equal(fw_backoff_delay_ms(2, 100, 30000, 100), 200);
	assert_int_equal(fw_backoff_delay_ms(5, 100, 30000, 800), 1600);
	assert_int_equal(fw_backoff_delay_ms(9, 100, 30000, 12800), 25600);
	assert_int_equal(fw_backoff_delay_ms(10, 100, 30000, 15000), 30000);
	assert_int_equal(fw_backoff_delay_ms(4000000000u, 100, 30000, 15000), 30000);
	assert_int_equal(fw_backoff_delay_ms(0, 100, 30000, 0), 50);
}

static void
test_jitter_stays_in_range(void **state)
{
	uint32_t rnd = 12345;
	unsigned n, i;
	uint64_t lo, hi, d, seen_lo = UINT64_MAX, seen_hi = 0;

	for (n = 1; n < 20; n++) {
		hi = 100ULL << (n - 1);
		if (hi > 30000)
			hi = 30000;
		lo = hi / 2;
		for (i = 0; i < 200; i++) {
			rnd = rnd * 1103515245u + 12345u;
			d = fw_backoff_delay_ms(n, 100, 30000, rnd);
			assert_true(d >= lo && d <= hi);
			if (n == 19) {
				seen_lo = d < seen_lo ? d : seen_lo;
				seen_hi = d > seen_hi ? d : seen_hi;
			}
		}
	}
	/* The jitter really spreads the delays. */
	assert_true(seen_hi - seen_lo > 10000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_and_cap),
		cmocka_unit_test(test_jitter_stays_in_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
