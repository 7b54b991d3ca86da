/*
 * test_backoff: growth, cap and the jitter range of retry delays, and the
 * retry timer on a real loop (attempts spaced by the policy, reset on success).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <uv.h>

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

struct attempts {
	struct fw_retry r;
	unsigned n;                 /* attempts run */
	unsigned fail_until;        /* attempts up to this one fail */
	uint64_t at[8];             /* uv_now() of each */
	uint64_t delay[8];          /* what fw_retry_failed() said before it */
};

static void
attempt(struct fw_retry *r)
{
	struct attempts *a = r->data;

	a->at[a->n++] = uv_now(r->timer.loop);
	if (a->n < a->fail_until)
		a->delay[a->n] = fw_retry_failed(r);
	else
		fw_retry_ok(r);
}

static void
closed(uv_handle_t *h)
{
	struct attempts *a = ((struct fw_retry *)h)->data;

	a->n += 100;
}

static void
test_retry_timer(void **state)
{
	uv_loop_t loop;
	struct attempts a = { .fail_until = 4 };
	uint64_t start;

	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_retry_init(&loop, &a.r, 300, attempt, &a), 0);
	start = uv_now(&loop);
	a.delay[0] = fw_retry_failed(&a.r);
	/* A second failure while an attempt is scheduled changes nothing. */
	assert_int_equal(fw_retry_failed(&a.r), 0);
	assert_int_equal(a.r.failures, 1);
	assert_true(a.delay[0] >= 50 && a.delay[0] <= 100);
	uv_run(&loop, UV_RUN_DEFAULT);   /* ends when nothing is scheduled */
	assert_int_equal(a.n, 4);
	assert_int_equal(a.r.failures, 0);
	/* Each wait is the policy's for that failure, capped at 300 ms. */
	assert_true(a.delay[1] >= 100 && a.delay[1] <= 200);
	assert_true(a.delay[2] >= 150 && a.delay[2] <= 300);
	assert_true(a.delay[3] >= 150 && a.delay[3] <= 300);
	assert_true(a.at[0] - start >= a.delay[0]);
	for (unsigned i = 1; i < 4; i++)
		assert_true(a.at[i] - a.at[i - 1] >= a.delay[i]);
	/* After a success the next failure waits the shortest delay again. */
	assert_true(fw_retry_failed(&a.r) <= 100);
	fw_retry_cancel(&a.r);
	fw_retry_close(&a.r, closed);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(a.n, 104);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_and_cap),
		cmocka_unit_test(test_jitter_stays_in_range),
		cmocka_unit_test(test_retry_timer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
