/*
 * backoff: see backoff.h.
 */
#include "config.h"

#include <unistd.h>

#include "util/backoff.h"

uint64_t
fw_backoff_delay_ms(unsigned failures, uint64_t base_ms, uint64_t cap_ms, uint32_t rnd)
{
	uint64_t d = base_ms;
	unsigned i;

	for (i = 1; i < failures && d < cap_ms; i++)
		d *= 2;         /* stops at the cap: no overflow however many failures */
	if (d > cap_ms)
		d = cap_ms;
	return d / 2 + (d / 2 ? rnd % (d / 2 + 1) : 0);
}

static uint32_t
jitter(void)
{
	static uint32_t x;

	if (x == 0)
		x = ((uint32_t)getpid() ^ (uint32_t)uv_hrtime()) | 1u;
	x ^= x << 13;   /* xorshift32: jitter only, no need for more */
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void
on_timer(uv_timer_t *t)
{
	struct fw_retry *r = t->data;

	r->attempt(r);
}

int
fw_retry_init(uv_loop_t *loop, struct fw_retry *r, uint64_t cap_ms,
	      void (*attempt)(struct fw_retry *r), void *data)
{
	int err = uv_timer_init(loop, &r->timer);

	if (err < 0)
		return err;
	r->timer.data = r;
	r->failures = 0;
	r->cap_ms = cap_ms;
	r->attempt = attempt;
	r->data = data;
	return 0;
}

uint64_t
fw_retry_failed(struct fw_retry *r)
{
	uint64_t delay;

	if (uv_is_active((uv_handle_t *)&r->timer))
		return 0;
	if (r->failures < UINT32_MAX)
		r->failures++;
	delay = fw_backoff_delay_ms(r->failures, FW_BACKOFF_BASE_MS, r->cap_ms, jitter());
	uv_timer_start(&r->timer, on_timer, delay, 0);
	return delay;
}

void
fw_retry_ok(struct fw_retry *r)
{
	r->failures = 0;
	uv_timer_stop(&r->timer);
}

void
fw_retry_cancel(struct fw_retry *r)
{
	uv_timer_stop(&r->timer);
}

void
fw_retry_close(struct fw_retry *r, uv_close_cb cb)
{
	uv_close((uv_handle_t *)&r->timer, cb);
}
