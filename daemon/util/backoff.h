/*
 * backoff: the one retry policy of the daemon's outputs, and a timer that
 * applies it.
 *
 * Capped exponential backoff with "equal jitter": the n-th consecutive
 * failure waits d/2 + random(0..d/2) with d = min(cap, base * 2^(n-1)), so a
 * fleet of daemons that lost the same collector does not reconnect in
 * lockstep, and no wait is shorter than half the nominal delay. The base is
 * FW_BACKOFF_BASE_MS for everything; the cap is FW_BACKOFF_CAP_MS for a
 * remote peer (a collector) and FW_BACKOFF_LOCAL_CAP_MS for a local sink (a
 * file that cannot be written, a journal that does not take entries), where
 * an attempt costs a system call and a sink that is back should be noticed
 * within a second.
 *
 * struct fw_retry owns one uv timer: fw_retry_failed() after every failed
 * attempt, fw_retry_ok() after a success; the attempt callback runs on the
 * loop when the delay is over. The timer keeps the loop alive as any timer
 * does (uv_unref(&r->timer) when it should not).
 */
#ifndef FW_BACKOFF_H
#define FW_BACKOFF_H

#include <stdint.h>

#include <uv.h>

#define FW_BACKOFF_BASE_MS 100
#define FW_BACKOFF_CAP_MS 30000
#define FW_BACKOFF_LOCAL_CAP_MS 1000

/* The delay after `failures` consecutive failures (>= 1); rnd is any random value. Pure. */
uint64_t fw_backoff_delay_ms(unsigned failures, uint64_t base_ms, uint64_t cap_ms, uint32_t rnd);

struct fw_retry {
	uv_timer_t timer;           /* first: a close callback's handle is the fw_retry */
	unsigned failures;          /* consecutive, since the last fw_retry_ok() */
	uint64_t cap_ms;
	void (*attempt)(struct fw_retry *r);
	void *data;                 /* the owner's */
};

/* Sets up r on loop (cap_ms: FW_BACKOFF_CAP_MS or FW_BACKOFF_LOCAL_CAP_MS). 0 or -errno. */
int fw_retry_init(uv_loop_t *loop, struct fw_retry *r, uint64_t cap_ms,
		  void (*attempt)(struct fw_retry *r), void *data);
/*
 * An attempt failed: counts it and schedules the next one after the
 * policy's delay, which it returns; when one is scheduled already, it
 * stays (0 is returned and nothing is counted).
 */
uint64_t fw_retry_failed(struct fw_retry *r);
/* An attempt succeeded: the next failure waits the shortest delay again. */
void fw_retry_ok(struct fw_retry *r);
/* Cancels the scheduled attempt, if any (the count stays). */
void fw_retry_cancel(struct fw_retry *r);
/* Closes the timer; cb gets (uv_handle_t *)r, so (struct fw_retry *)h is r. */
void fw_retry_close(struct fw_retry *r, uv_close_cb cb);

#endif
