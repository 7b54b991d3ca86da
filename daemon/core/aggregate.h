/*
 * aggregate: turns a storm of the same error into one alert and one
 * summary (design.md §6, [alerts] window / threshold). Pure: no I/O, no clock;
 * the caller passes the time in milliseconds (monotonic).
 *
 * The clock of a window: a match may carry the time its line says it
 * happened (event_ms, milliseconds since the epoch; 0 when the line has
 * none). A window opened by such a match is measured on that clock, so
 * an old file replayed in seconds (CloudFront logs, delivered up to an
 * hour late and often read days later) groups its matches as they
 * happened, not as they were read: matches further apart than `window`
 * in event time alert apart, whatever their arrival. Lines out of order
 * count by distance (a match `window` before the alert's event also
 * starts a new window). Matches without event time, and any match of a
 * window opened by one without, use detection time (now_ms). Either way a
 * window also closes `window` after its alert in detection time (the
 * timer), so a summary never waits for a line that may not come.
 *
 * Per key (input, id):
 *  - threshold N (>= 1): an alert is raised when N matches fall inside one
 *    window (like fail2ban's maxretry/findtime). With N = 1 that is the
 *    first match, at once. The alert stands for those N matches (count N).
 *  - after an alert, further matches inside `window` from it are held and
 *    counted; when the window closes, one summary carrying the last held
 *    match and `count` = the number held is emitted. The next match after
 *    that starts over.
 *  - window 0 turns aggregation off: every match alerts with count 1.
 *
 * Memory is bounded: at most max_entries keys are tracked (default
 * FW_AGGREGATE_MAX_ENTRIES); the least recently matched key is evicted
 * first, emitting its pending summary early so no count is lost, and each
 * eviction is counted. Each key costs about 100 bytes plus 8 bytes per
 * threshold step (the times of its recent matches); threshold is capped at
 * FW_AGGREGATE_MAX_THRESHOLD. Memory is allocated when a key is first seen,
 * never per match.
 *
 * Payloads: the caller's record of the last held match of a key, which its
 * summary carries. The aggregator hands out the key's payload slot on each
 * held match, so the caller can update one payload in place instead of
 * making one per match (a storm of a million matches costs no allocation);
 * it owns what is in the slot, passes it to emit and releases it with
 * free_payload.
 */
#ifndef FW_AGGREGATE_H
#define FW_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_AGGREGATE_MAX_ENTRIES 4096
#define FW_AGGREGATE_MAX_THRESHOLD 10000

/* A summary: count matches of (input, id) since its alert; takes payload. */
typedef void (*fw_aggregate_emit_fn)(void *ctx, const char *input, const char *id,
				     uint64_t count, void *payload);
typedef void (*fw_aggregate_free_fn)(void *payload);

struct fw_aggregate_config {
	uint64_t window_ms;
	uint32_t threshold;             /* 0 is taken as 1 */
	size_t max_entries;             /* 0: FW_AGGREGATE_MAX_ENTRIES */
	fw_aggregate_emit_fn emit;
	fw_aggregate_free_fn free_payload;
	void *ctx;
	/*
	 * The caller's id strings keep their text at their address until it
	 * calls fw_aggregate_forget_ids() (a KB's ids, until a reload frees
	 * the KB): a key is then found by the address of its id, without
	 * comparing the id's text.
	 */
	bool ids_by_address;
};

struct fw_aggregate_stats {
	uint64_t alerts;                /* FW_AGGREGATE_ALERT verdicts */
	uint64_t suppressed;            /* held after an alert, reported in summaries */
	uint64_t below_threshold;       /* matches that never reached the threshold */
	uint64_t summaries;
	uint64_t evicted;               /* keys pushed out by the LRU bound */
	size_t entries;
};

enum fw_aggregate_verdict {
	FW_AGGREGATE_ALERT,             /* alert now */
	FW_AGGREGATE_HOLD,              /* counted, for a later summary or below the threshold */
};

struct fw_aggregate;

/* 0, -EINVAL (threshold too large) or -ENOMEM. Free with fw_aggregate_free. */
int fw_aggregate_new(const struct fw_aggregate_config *cfg, struct fw_aggregate **out);

/*
 * One match of id on input at now_ms. On ALERT, *count is how many matches
 * the alert stands for. On HOLD, *slot is the key's payload slot when the
 * match is held for a summary: the caller stores this match's payload
 * there, reusing or releasing the one already in it (NULL at first); it is
 * NULL when the match is only counted below the threshold. When a new key
 * cannot be allocated the match alerts (better a duplicate than a lost
 * alert).
 */
enum fw_aggregate_verdict fw_aggregate_match(struct fw_aggregate *agg, const char *input,
					     const char *id, uint64_t now_ms, void ***slot,
					     uint64_t *count);
/* The same for a match whose line says when it happened (event_ms, 0: it does not). */
enum fw_aggregate_verdict fw_aggregate_match_at(struct fw_aggregate *agg, const char *input,
						const char *id, uint64_t now_ms, uint64_t event_ms,
						void ***slot, uint64_t *count);

/* Closes the windows ending at or before now_ms, emitting their summaries. */
void fw_aggregate_tick(struct fw_aggregate *agg, uint64_t now_ms);

/* When the next window closes (for a timer), or UINT64_MAX when none is open. */
uint64_t fw_aggregate_next_deadline(const struct fw_aggregate *agg);

/* Emits every pending summary now (shutdown, reload). */
void fw_aggregate_flush(struct fw_aggregate *agg);

void fw_aggregate_get_stats(const struct fw_aggregate *agg, struct fw_aggregate_stats *st);

/* The id strings seen so far may be freed or changed (ids_by_address). */
void fw_aggregate_forget_ids(struct fw_aggregate *agg);

/* Releases held payloads without emitting; NULL is fine. */
void fw_aggregate_free(struct fw_aggregate *agg);

#endif
