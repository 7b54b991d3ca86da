/*
 * aggregate: per (input, id) windows and thresholds with an LRU bound.
 * See aggregate.h for the contract.
 *
 * Keys live in a chained hash table and on one LRU list (most recent at
 * the head). A storm matches the same few keys over and over: a small
 * table indexed by the address of the id the caller passes finds them
 * again without hashing the key's text (each hit is confirmed by
 * comparing the text, since an address may be reused after a reload).
 * Its sets hold two keys each, so that two ids whose addresses share a set
 * do not push each other out on every line of a storm that alternates them.
 * Deadlines are found by a scan: the table holds at most a few thousand
 * keys and the scan runs once per timer tick, not per line.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/aggregate.h"
#include "util/mix.h"

struct entry {
	struct entry *hash_next;
	struct entry *lru_prev, *lru_next;
	uint64_t hash;
	char *input, *id;               /* one allocation: key text after the struct */
	const char *id_at;              /* the caller's id of the same text (ids_by_address), or NULL */
	bool fired;                     /* an alert was raised; window open since fired_at */
	bool event_clock;               /* the window and the ring are in event time */
	uint64_t fired_at;              /* detection time of the alert (the timer's clock) */
	uint64_t fired_event;           /* its event time, when event_clock */
	uint64_t last_seen;             /* detection time of the last match */
	uint64_t held;                  /* matches held since the alert */
	void *payload;                  /* the last held match */
	uint32_t n_times, first_time;   /* ring of recent match times (threshold > 1) */
	uint64_t times[];
};

#define RECENT_SET_BITS 5
#define RECENT_WAYS 2
#define RECENT ((1u << RECENT_SET_BITS) * RECENT_WAYS)

struct fw_aggregate {
	struct fw_aggregate_config cfg;
	struct entry *recent[RECENT];   /* sets by the address of the caller's id, latest first */
	struct entry **buckets;
	size_t n_buckets;
	struct entry *lru_head, *lru_tail;
	struct fw_aggregate_stats st;
};

static uint64_t
key_hash(const char *input, const char *id)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */
	const unsigned char *p;

	for (p = (const unsigned char *)input; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;      /* separator: ("ab","c") != ("a","bc") */
	for (p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
}

int
fw_aggregate_new(const struct fw_aggregate_config *cfg, struct fw_aggregate **out)
{
	struct fw_aggregate *agg;

	if (cfg->threshold > FW_AGGREGATE_MAX_THRESHOLD)
		return -EINVAL;
	agg = calloc(1, sizeof *agg);
	if (!agg)
		return -ENOMEM;
	agg->cfg = *cfg;
	if (agg->cfg.threshold == 0)
		agg->cfg.threshold = 1;
	if (agg->cfg.max_entries == 0)
		agg->cfg.max_entries = FW_AGGREGATE_MAX_ENTRIES;
	/* Load factor <= 1 at the cap. */
	for (agg->n_buckets = 64; agg->n_buckets < agg->cfg.max_entries; agg->n_buckets *= 2)
		;
	agg->buckets = calloc(agg->n_buckets, sizeof *agg->buckets);
	if (!agg->buckets) {
		free(agg);
		return -ENOMEM;
	}
	*out = agg;
	return 0;
}

static void
lru_unlink(struct fw_aggregate *agg, struct entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		agg->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		agg->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void
lru_push_head(struct fw_aggregate *agg, struct entry *e)
{
	e->lru_next = agg->lru_head;
	e->lru_prev = NULL;
	if (agg->lru_head)
		agg->lru_head->lru_prev = e;
	agg->lru_head = e;
	if (!agg->lru_tail)
		agg->lru_tail = e;
}

static void
release_payload(struct fw_aggregate *agg, void *payload)
{
	if (payload && agg->cfg.free_payload)
		agg->cfg.free_payload(payload);
}

/* Ends e's window: emits its summary if matches were held, and resets it. */
static void
close_window(struct fw_aggregate *agg, struct entry *e)
{
	if (e->held > 0) {
		agg->st.summaries++;
		if (agg->cfg.emit)
			agg->cfg.emit(agg->cfg.ctx, e->input, e->id, e->held, e->payload);
		else
			release_payload(agg, e->payload);
	} else {
		release_payload(agg, e->payload);
	}
	e->payload = NULL;
	e->held = 0;
	e->fired = false;
	e->n_times = 0;
}

static void
remove_entry(struct fw_aggregate *agg, struct entry *e)
{
	struct entry **pp = &agg->buckets[e->hash & (agg->n_buckets - 1)];

	while (*pp != e)
		pp = &(*pp)->hash_next;
	*pp = e->hash_next;
	for (size_t i = 0; i < RECENT; i++)
		if (agg->recent[i] == e)
			agg->recent[i] = NULL;
	lru_unlink(agg, e);
	release_payload(agg, e->payload);
	free(e);
	agg->st.entries--;
}

/*
 * The recent set of an id's address. Ids are allocated at a fixed stride,
 * so their addresses share their low bits, which fw_mix_slot spreads.
 */
static struct entry **
recent_set(struct fw_aggregate *agg, const char *id)
{
	return &agg->recent[fw_mix_slot((uintptr_t)id, RECENT_SET_BITS) * RECENT_WAYS];
}

static bool
is_key_text(struct fw_aggregate *agg, struct entry *e, const char *input, const char *id)
{
	if (strcmp(e->id, id) != 0 || strcmp(e->input, input) != 0)
		return false;
	if (agg->cfg.ids_by_address)
		e->id_at = id;
	return true;
}

static inline bool
is_key(struct fw_aggregate *agg, struct entry *e, const char *input, const char *id)
{
	if (!e)
		return false;
	if (e->id_at == id)
		return strcmp(e->input, input) == 0;
	return is_key_text(agg, e, input, id);
}

/* e becomes the first of its recent set; the last one leaves it (not for a first way emptied by remove_entry()). */
static void
recent_put(struct entry **set, struct entry *e)
{
	if (set[0])
		set[1] = set[0];
	set[0] = e;
}

static struct entry *
find_or_add(struct fw_aggregate *agg, const char *input, const char *id)
{
	struct entry **recent = recent_set(agg, id), *e = recent[0];
	uint64_t h;
	struct entry **bucket;
	size_t li, ld, times = agg->cfg.threshold > 1 ? agg->cfg.threshold : 0;

	if (is_key(agg, e, input, id))
		return e;
	if (is_key(agg, recent[1], input, id)) {
		e = recent[1];
		recent_put(recent, e);
		return e;
	}
	h = key_hash(input, id);
	bucket = &agg->buckets[h & (agg->n_buckets - 1)];
	for (e = *bucket; e; e = e->hash_next)
		if (e->hash == h && strcmp(e->input, input) == 0 && strcmp(e->id, id) == 0) {
			if (agg->cfg.ids_by_address)
				e->id_at = id;
			recent_put(recent, e);
			return e;
		}
	li = strlen(input) + 1;
	ld = strlen(id) + 1;
	if (agg->st.entries >= agg->cfg.max_entries && agg->lru_tail) {
		struct entry *old = agg->lru_tail;

		close_window(agg, old);
		remove_entry(agg, old);
		agg->st.evicted++;
	}
	e = calloc(1, sizeof *e + times * sizeof e->times[0] + li + ld);
	if (!e)
		return NULL;
	e->hash = h;
	e->input = (char *)(e->times + times);
	e->id = e->input + li;
	memcpy(e->input, input, li);
	memcpy(e->id, id, ld);
	if (agg->cfg.ids_by_address)
		e->id_at = id;
	e->hash_next = *bucket;
	*bucket = e;
	lru_push_head(agg, e);
	agg->st.entries++;
	recent_put(recent, e);
	return e;
}

static uint64_t
distance(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/* Records a match time in the ring and says whether threshold are in the window. */
static bool
threshold_reached(struct fw_aggregate *agg, struct entry *e, uint64_t now)
{
	uint32_t n = agg->cfg.threshold;

	/* Forget the times that fell out of the window (event times by distance:
	 * a file's lines are not always in order). */
	while (e->n_times > 0 && distance(now, e->times[e->first_time]) >= agg->cfg.window_ms) {
		e->first_time = (e->first_time + 1) % n;
		e->n_times--;
	}
	e->times[(e->first_time + e->n_times) % n] = now;
	e->n_times++;
	return e->n_times >= n;
}

enum fw_aggregate_verdict
fw_aggregate_match(struct fw_aggregate *agg, const char *input, const char *id, uint64_t now_ms,
		   void ***slot, uint64_t *count)
{
	return fw_aggregate_match_at(agg, input, id, now_ms, 0, slot, count);
}

/* Whether e's open window is over for a match at now_ms / event_ms. */
static bool
window_over(const struct fw_aggregate *agg, const struct entry *e, uint64_t now_ms,
	    uint64_t event_ms)
{
	if (e->event_clock && event_ms)
		return distance(event_ms, e->fired_event) >= agg->cfg.window_ms;
	return now_ms - e->fired_at >= agg->cfg.window_ms;
}

enum fw_aggregate_verdict
fw_aggregate_match_at(struct fw_aggregate *agg, const char *input, const char *id, uint64_t now_ms,
		      uint64_t event_ms, void ***slot, uint64_t *count)
{
	struct entry *e;

	*count = 1;
	*slot = NULL;
	if (agg->cfg.window_ms == 0) {
		agg->st.alerts++;
		return FW_AGGREGATE_ALERT;
	}
	e = find_or_add(agg, input, id);
	if (!e) {
		agg->st.alerts++;
		return FW_AGGREGATE_ALERT;
	}
	if (e != agg->lru_head) {
		lru_unlink(agg, e);
		lru_push_head(agg, e);
	}
	e->last_seen = now_ms;
	if (e->fired && window_over(agg, e, now_ms, event_ms))
		close_window(agg, e);
	if (e->fired) {
		e->held++;
		agg->st.suppressed++;
		*slot = &e->payload;
		return FW_AGGREGATE_HOLD;
	}
	if (agg->cfg.threshold > 1) {
		/* The ring holds times of one clock: a change of clock starts it over. */
		if (e->event_clock != (event_ms != 0))
			e->n_times = 0;
		e->event_clock = event_ms != 0;
		if (!threshold_reached(agg, e, event_ms ? event_ms : now_ms)) {
			agg->st.below_threshold++;
			return FW_AGGREGATE_HOLD;
		}
		/* The matches held below the threshold become part of this alert. */
		agg->st.below_threshold -= agg->cfg.threshold - 1;
		*count = agg->cfg.threshold;
	}
	e->fired = true;
	e->event_clock = event_ms != 0;
	e->fired_at = now_ms;
	e->fired_event = event_ms;
	e->n_times = 0;
	agg->st.alerts++;
	return FW_AGGREGATE_ALERT;
}

void
fw_aggregate_tick(struct fw_aggregate *agg, uint64_t now_ms)
{
	struct entry *e, *prev;

	/* From the tail: the least recently matched keys; idle ones are dropped. */
	for (e = agg->lru_tail; e; e = prev) {
		prev = e->lru_prev;
		if (e->fired && now_ms - e->fired_at >= agg->cfg.window_ms) {
			close_window(agg, e);
			remove_entry(agg, e);
		} else if (!e->fired && (e->n_times == 0 || now_ms - e->last_seen >= agg->cfg.window_ms)) {
			remove_entry(agg, e);
		}
	}
}

uint64_t
fw_aggregate_next_deadline(const struct fw_aggregate *agg)
{
	uint64_t next = UINT64_MAX;
	const struct entry *e;

	for (e = agg->lru_head; e; e = e->lru_next)
		if (e->fired && e->fired_at + agg->cfg.window_ms < next)
			next = e->fired_at + agg->cfg.window_ms;
	return next;
}

void
fw_aggregate_flush(struct fw_aggregate *agg)
{
	struct entry *e;

	for (e = agg->lru_tail; e; e = e->lru_prev)
		if (e->fired)
			close_window(agg, e);
}

void
fw_aggregate_forget_ids(struct fw_aggregate *agg)
{
	for (struct entry *e = agg->lru_head; e; e = e->lru_next)
		e->id_at = NULL;
}

void
fw_aggregate_get_stats(const struct fw_aggregate *agg, struct fw_aggregate_stats *st)
{
	*st = agg->st;
}

void
fw_aggregate_free(struct fw_aggregate *agg)
{
	if (!agg)
		return;
	while (agg->lru_head)
		remove_entry(agg, agg->lru_head);
	free(agg->buckets);
	free(agg);
}
