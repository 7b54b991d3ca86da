/*
 * backoff: see backoff.h.
 */
#include "config.h"

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
