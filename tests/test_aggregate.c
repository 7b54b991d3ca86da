/*
 * test_aggregate: windows, summaries, thresholds and the LRU bound, with
 * time passed in by the test.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/aggregate.h"

/* Payloads are heap ints numbering the matches; the test checks each is released once. */
struct record {
	int summaries;
	char input[32], id[32];
	uint64_t count;
	int payload;
	int freed;
	int live;
};

static struct record rec;

static void *
payload(int n)
{
	int *p = malloc(sizeof *p);

	assert_non_null(p);
	*p = n;
	rec.live++;
	return p;
}

static void
free_payload(void *p)
{
	rec.freed++;
	rec.live--;
	free(p);
}

static void
emit(void *ctx, const char *input, const char *id, uint64_t count, void *p)
{
	rec.summaries++;
	snprintf(rec.input, sizeof rec.input, "%s", input);
	snprintf(rec.id, sizeof rec.id, "%s", id);
	rec.count = count;
	rec.payload = *(int *)p;
	free_payload(p);
}

static struct fw_aggregate *
make(uint64_t window, uint32_t threshold, size_t max_entries)
{
	struct fw_aggregate_config cfg = {
		.window_ms = window, .threshold = threshold, .max_entries = max_entries,
		.emit = emit, .free_payload = free_payload,
	};
	struct fw_aggregate *agg;

	memset(&rec, 0, sizeof rec);
	assert_int_equal(fw_aggregate_new(&cfg, &agg), 0);
	return agg;
}

/*
 * Feeds one match the way the daemon's stage does: a held match replaces
 * the payload in the key's slot; one that alerts or is only counted keeps
 * none.
 */
static enum fw_aggregate_verdict
feed_at(struct fw_aggregate *agg, const char *input, const char *id, uint64_t now, uint64_t event,
	int n, uint64_t *count)
{
	void **slot;
	enum fw_aggregate_verdict v = fw_aggregate_match_at(agg, input, id, now, event, &slot, count);

	if (v == FW_AGGREGATE_HOLD && slot) {
		if (*slot)
			free_payload(*slot);
		*slot = payload(n);
	} else if (v == FW_AGGREGATE_ALERT) {
		assert_null(slot);
	}
	return v;
}

static enum fw_aggregate_verdict
feed(struct fw_aggregate *agg, const char *input, const char *id, uint64_t now, int n,
     uint64_t *count)
{
	return feed_at(agg, input, id, now, 0, n, count);
}

static void
test_window_off(void **state)
{
	struct fw_aggregate *agg = make(0, 1, 0);
	uint64_t count;
	int i;

	for (i = 0; i < 5; i++) {
		assert_int_equal(feed(agg, "nginx", "a/b", 1000, i, &count), FW_AGGREGATE_ALERT);
		assert_int_equal(count, 1);
	}
	assert_int_equal(fw_aggregate_next_deadline(agg), UINT64_MAX);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

static void
test_storm_gives_alert_and_summary(void **state)
{
	struct fw_aggregate *agg = make(60000, 1, 0);
	struct fw_aggregate_stats st;
	uint64_t count;
	int i;

	assert_int_equal(feed(agg, "nginx", "a/b", 1000, 0, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(count, 1);
	for (i = 1; i <= 99; i++)
		assert_int_equal(feed(agg, "nginx", "a/b", 1000 + (uint64_t)i * 500, i, &count),
				 FW_AGGREGATE_HOLD);
	assert_int_equal(fw_aggregate_next_deadline(agg), 61000);
	fw_aggregate_tick(agg, 60999);
	assert_int_equal(rec.summaries, 0);
	fw_aggregate_tick(agg, 61000);
	assert_int_equal(rec.summaries, 1);
	assert_string_equal(rec.input, "nginx");
	assert_string_equal(rec.id, "a/b");
	assert_int_equal(rec.count, 99);
	assert_int_equal(rec.payload, 99);       /* the summary carries the last match */
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.alerts, 1);
	assert_int_equal(st.suppressed, 99);
	assert_int_equal(st.summaries, 1);
	assert_int_equal(st.entries, 0);         /* idle keys are let go */
	/* After the window the next match alerts at once again. */
	assert_int_equal(feed(agg, "nginx", "a/b", 70000, 100, &count), FW_AGGREGATE_ALERT);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

static void
test_keys_are_input_and_id(void **state)
{
	struct fw_aggregate *agg = make(1000, 1, 0);
	uint64_t count;

	assert_int_equal(feed(agg, "nginx", "a/b", 0, 0, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "cdn", "a/b", 0, 1, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "nginx", "a/c", 0, 2, &count), FW_AGGREGATE_ALERT);
	/* ("nginxa", "/b") must not collide with ("nginx", "a/b"). */
	assert_int_equal(feed(agg, "nginxa", "/b", 0, 3, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "nginx", "a/b", 10, 4, &count), FW_AGGREGATE_HOLD);
	/* A single match in the window gives no summary beyond its alert. */
	fw_aggregate_tick(agg, 1000);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 1);
	assert_string_equal(rec.id, "a/b");
	assert_string_equal(rec.input, "nginx");
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

/*
 * A key is its text: the same buffer holding another id is another key,
 * another buffer with the same id the same key.
 */
static void
test_keys_are_text_not_addresses(void **state)
{
	struct fw_aggregate *agg = make(1000, 1, 0);
	char id[8] = "a/a", other[8] = "a/a";
	uint64_t count;

	(void)state;
	assert_int_equal(feed(agg, "nginx", id, 0, 0, &count), FW_AGGREGATE_ALERT);
	strcpy(id, "a/b");
	assert_int_equal(feed(agg, "nginx", id, 0, 1, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "cdn", id, 0, 2, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "nginx", other, 0, 3, &count), FW_AGGREGATE_HOLD);
	strcpy(id, "a/a");
	assert_int_equal(feed(agg, "nginx", id, 0, 4, &count), FW_AGGREGATE_HOLD);
	fw_aggregate_flush(agg);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 2);
	assert_string_equal(rec.id, "a/a");
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

/*
 * With ids_by_address a key is found by its id's address, its input still
 * by text; after fw_aggregate_forget_ids() an id's address means nothing
 * until its text has been compared again (a reload that freed the KB).
 */
static void
test_ids_by_address_until_forgotten(void **state)
{
	struct fw_aggregate_config cfg = {
		.window_ms = 1000, .threshold = 1, .emit = emit, .free_payload = free_payload,
		.ids_by_address = true,
	};
	struct fw_aggregate *agg;
	char id[8] = "a/a", other[8] = "a/a", input[8] = "nginx";
	uint64_t count;

	(void)state;
	memset(&rec, 0, sizeof rec);
	assert_int_equal(fw_aggregate_new(&cfg, &agg), 0);
	assert_int_equal(feed(agg, input, id, 0, 0, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, input, id, 0, 1, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed(agg, input, other, 0, 2, &count), FW_AGGREGATE_HOLD);
	strcpy(input, "cdn");
	assert_int_equal(feed(agg, input, id, 0, 3, &count), FW_AGGREGATE_ALERT);
	strcpy(input, "nginx");
	fw_aggregate_forget_ids(agg);
	strcpy(id, "a/b");
	assert_int_equal(feed(agg, input, id, 0, 4, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, input, id, 0, 5, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed(agg, input, other, 0, 6, &count), FW_AGGREGATE_HOLD);
	fw_aggregate_flush(agg);
	assert_int_equal(rec.summaries, 2);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

/*
 * Many keys whose ids share one buffer at distances of a power of two (as
 * a KB's ids can), matched in turn: whichever of them share a slot of the
 * table that finds a recent key by the id's address, each stays its own key.
 */
static void
test_keys_sharing_recent_slots(void **state)
{
	enum { KEYS = 200, ROUNDS = 5, STRIDE = 512 };
	struct fw_aggregate *agg = make(60000, 1, 0);
	struct fw_aggregate_stats st;
	char *ids = calloc(KEYS, STRIDE);
	uint64_t count;

	(void)state;
	assert_non_null(ids);
	for (int k = 0; k < KEYS; k++)
		snprintf(ids + (size_t)k * STRIDE, STRIDE, "storm/%d", k);
	for (int r = 0; r < ROUNDS; r++)
		for (int k = 0; k < KEYS; k++)
			assert_int_equal(feed(agg, "nginx", ids + (size_t)k * STRIDE, 1000,
					      r * KEYS + k, &count),
					 r == 0 ? FW_AGGREGATE_ALERT : FW_AGGREGATE_HOLD);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.alerts, KEYS);
	assert_int_equal(st.suppressed, (ROUNDS - 1) * KEYS);
	assert_int_equal(st.entries, KEYS);
	fw_aggregate_flush(agg);
	assert_int_equal(rec.summaries, KEYS);
	/* Flushed from the least recently matched: the last one is the last key matched. */
	assert_string_equal(rec.id, "storm/199");
	assert_int_equal(rec.count, ROUNDS - 1);
	assert_int_equal(rec.payload, ROUNDS * KEYS - 1);
	fw_aggregate_free(agg);
	free(ids);
	assert_int_equal(rec.live, 0);
}

static void
test_match_after_window_without_tick(void **state)
{
	struct fw_aggregate *agg = make(1000, 1, 0);
	uint64_t count;

	assert_int_equal(feed(agg, "i", "x", 0, 0, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed(agg, "i", "x", 500, 1, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed(agg, "i", "x", 600, 2, &count), FW_AGGREGATE_HOLD);
	/* The window closed before the timer ran: summary first, then a fresh alert. */
	assert_int_equal(feed(agg, "i", "x", 1000, 3, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 2);
	assert_int_equal(rec.payload, 2);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

static void
test_threshold(void **state)
{
	struct fw_aggregate *agg = make(10000, 3, 0);
	struct fw_aggregate_stats st;
	uint64_t count;

	/* Two matches, then a gap longer than the window: no alert. */
	assert_int_equal(feed(agg, "i", "x", 0, 0, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed(agg, "i", "x", 5000, 1, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed(agg, "i", "x", 12000, 2, &count), FW_AGGREGATE_HOLD);
	/* 5000, 12000, 14000 fall inside 10 s: the third alerts, standing for three. */
	assert_int_equal(feed(agg, "i", "x", 14000, 3, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(count, 3);
	assert_int_equal(feed(agg, "i", "x", 15000, 4, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(rec.live, 1);  /* only the held match for the summary is kept */
	fw_aggregate_tick(agg, 24000);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 1);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.alerts, 1);
	assert_int_equal(st.below_threshold, 1);  /* the match at 0 */
	assert_int_equal(st.suppressed, 1);
	/* Below-threshold keys are dropped once idle for a window. */
	assert_int_equal(feed(agg, "i", "y", 30000, 5, &count), FW_AGGREGATE_HOLD);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.entries, 1);
	fw_aggregate_tick(agg, 40000);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.entries, 0);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

static void
test_lru_bound_keeps_counts(void **state)
{
	struct fw_aggregate *agg = make(60000, 1, 8);
	struct fw_aggregate_stats st;
	char id[16];
	uint64_t count, summarised = 0;
	int i, alerts = 0;

	/* 100 distinct ids, each matched twice: the table never grows past 8. */
	for (i = 0; i < 100; i++) {
		snprintf(id, sizeof id, "d/%d", i);
		if (feed(agg, "i", id, (uint64_t)i, i, &count) == FW_AGGREGATE_ALERT)
			alerts++;
		assert_int_equal(feed(agg, "i", id, (uint64_t)i, i, &count), FW_AGGREGATE_HOLD);
		fw_aggregate_get_stats(agg, &st);
		assert_true(st.entries <= 8);
	}
	assert_int_equal(alerts, 100);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.evicted, 92);
	/* Evicted keys emitted their summaries early: nothing is lost. */
	assert_int_equal(st.summaries, 92);
	fw_aggregate_flush(agg);
	fw_aggregate_get_stats(agg, &st);
	assert_int_equal(st.summaries, 100);
	summarised = st.suppressed;
	assert_int_equal(summarised, 100);
	assert_int_equal(fw_aggregate_next_deadline(agg), UINT64_MAX);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

#define HOUR (3600 * UINT64_C(1000))
#define T0 (UINT64_C(1795420800) * 1000)        /* 2026-11-23T08:00:00Z */

/*
 * An old file replayed in a second: its matches are windowed by the times
 * their lines carry. Six events over 40 minutes of one hour-old file, a
 * window of 5 minutes: 08:00, 08:01, 08:04 are one window (one alert, a
 * summary of 2), 08:20 and 08:40 alert apart; an out-of-order line before
 * the alert counts by distance.
 */
static void
test_event_time_windows(void **state)
{
	struct fw_aggregate *agg = make(5 * 60000, 1, 0);
	uint64_t count, now = 10 * HOUR;

	assert_int_equal(feed_at(agg, "cf", "a/x", now, T0, 0, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 1, T0 + 60000, 1, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 2, T0 - 30000, 2, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 3, T0 + 4 * 60000, 3, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(rec.summaries, 0);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 4, T0 + 20 * 60000, 4, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 3);
	assert_int_equal(rec.payload, 3);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 5, T0 + 40 * 60000, 5, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(rec.summaries, 1);         /* 08:20 held nothing */
	/* the same matches by arrival: one alert, all held */
	assert_int_equal(feed(agg, "live", "a/x", now, 0, &count), FW_AGGREGATE_ALERT);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(feed(agg, "live", "a/x", now + (uint64_t)i, i, &count), FW_AGGREGATE_HOLD);
	/* the timer still closes an event-time window in detection time */
	assert_int_equal(fw_aggregate_next_deadline(agg), now + 5 * 60000);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 6, T0 + 41 * 60000, 6, &count), FW_AGGREGATE_HOLD);
	fw_aggregate_tick(agg, now + 5 + 5 * 60000);
	assert_int_equal(rec.summaries, 3);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

/* A line without time in an event-time window, and the threshold's ring, per clock. */
static void
test_event_time_mixed(void **state)
{
	struct fw_aggregate *agg = make(60000, 2, 0);
	uint64_t count, now = 10 * HOUR;

	/* two matches an hour apart in event time, read a millisecond apart: below */
	assert_int_equal(feed_at(agg, "cf", "a/x", now, T0, 0, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 1, T0 + HOUR, 1, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 2, T0 + HOUR + 1000, 2, &count), FW_AGGREGATE_ALERT);
	assert_int_equal(count, 2);
	/* a line without its own time: detection time against the alert's */
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 3, 0, 3, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 60002, 0, 4, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(rec.summaries, 1);
	assert_int_equal(rec.count, 1);
	/* the ring starts over when the clock changes */
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 60003, T0, 5, &count), FW_AGGREGATE_HOLD);
	assert_int_equal(feed_at(agg, "cf", "a/x", now + 60004, T0 + 1, 6, &count), FW_AGGREGATE_ALERT);
	fw_aggregate_free(agg);
	assert_int_equal(rec.live, 0);
}

static void
test_bad_threshold(void **state)
{
	struct fw_aggregate_config cfg = { .window_ms = 1, .threshold = FW_AGGREGATE_MAX_THRESHOLD + 1 };
	struct fw_aggregate *agg;

	assert_int_equal(fw_aggregate_new(&cfg, &agg), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_off),
		cmocka_unit_test(test_storm_gives_alert_and_summary),
		cmocka_unit_test(test_keys_are_input_and_id),
		cmocka_unit_test(test_keys_are_text_not_addresses),
		cmocka_unit_test(test_ids_by_address_until_forgotten),
		cmocka_unit_test(test_keys_sharing_recent_slots),
		cmocka_unit_test(test_match_after_window_without_tick),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_lru_bound_keeps_counts),
		cmocka_unit_test(test_event_time_windows),
		cmocka_unit_test(test_event_time_mixed),
		cmocka_unit_test(test_bad_threshold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
