/*
 * backoff: reconnect delays for network outputs (pure).
 *
 * Capped exponential backoff with "equal jitter": the n-th consecutive
 * failure waits d/2 + random(0..d/2) with d = min(cap, base * 2^n), so a
 * fleet of daemons that lost the same collector does not reconnect in
 * lockstep, and no wait is shorter than half the nominal delay.
 */
#ifndef FW_BACKOFF_H
#define FW_BACKOFF_H

#include <stdint.h>

#define FW_BACKOFF_BASE_MS 100
#define FW_BACKOFF_CAP_MS 30000

/* The delay after `failures` consecutive failures (>= 1); rnd is any random value. */
uint64_t fw_backoff_delay_ms(unsigned failures, uint64_t base_ms, uint64_t cap_ms, uint32_t rnd);

#endif
