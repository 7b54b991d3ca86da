/*
 * match_fast_adapt: moves a literal's key to the window of that literal
 * that is rarest in the stream a context matches, and chooses the scan's
 * stage on the same sample (see match_fast_adapt.h); the triggers' choice
 * on that sample is match_fast_trigger.c's.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_adapt_int.h"
#include "match/match_fast_rank.h"

/*
 * Another stage is taken when it costs less than STAGE_GAIN / 8 of the
 * one running on the kept lines: close costs leave the stage as it is.
 */
#define STAGE_GAIN 7

static void
counters_free(struct fast_adapt *a)
{
	free(a->pairs);
	free(a->quads);
	free(a->searches);
	free(a->trig_count);
	free(a->gate_count);
	a->pairs = NULL;
	a->quads = NULL;
	a->searches = NULL;
	a->trig_count = NULL;
	a->gate_count = NULL;
}

static void
kept_free(struct fast_adapt *a)
{
	free(a->kept);
	a->kept = NULL;
	a->kept_len = 0;
}

/* Pattern p, once triggered, looks up its factors in bits: check and check_lit. */
static void
check_set(struct fast_adapt *a, const struct fast *f, uint32_t p, uint8_t bits)
{
	a->check[p] = bits;
	a->check_lit[p] = bits ? fp_factor_lone(&f->factors[p * FACTORS_MAX + (unsigned)__builtin_ctz(bits)])
			       : FP_LIT_MANY;
}

int
fw__adapt_init(struct fast_adapt *a, const struct fast *f)
{
	size_t n = f->n_lits ? f->n_lits : 1;

	memset(a, 0, sizeof *a);
	a->n_lits = f->n_lits;
	a->n_patterns = f->n_patterns;
	a->n_groups = f->n_dfa_groups;
	a->keys = malloc(n * sizeof *a->keys);
	a->next = malloc(n * sizeof *a->next);
	a->klen = malloc(n);
	a->find = malloc(n * sizeof *a->find);
	a->anchor_find = malloc((f->n_anchors ? f->n_anchors : 1) * sizeof *a->anchor_find);
	a->trig_bit = calloc(f->n_patterns ? f->n_patterns : 1, 1);
	a->check = malloc(f->n_patterns ? f->n_patterns : 1);
	a->check_lit = malloc((f->n_patterns ? f->n_patterns : 1) * sizeof *a->check_lit);
	a->misses = calloc(n, sizeof *a->misses);
	a->miss_moved = calloc(n, 1);
	a->gate_bit = calloc(f->n_dfa_groups ? f->n_dfa_groups : 1, 1);
	a->gate = malloc(n);
	if (!a->keys || !a->next || !a->klen || !a->find || !a->anchor_find || !a->trig_bit || !a->check ||
	    !a->check_lit || !a->misses || !a->miss_moved || !a->gate_bit || !a->gate ||
	    fw__trig_lists_build(f, a->trig_bit, &a->trig_first, &a->trig_pat) < 0)
		return -ENOMEM;
	for (uint32_t p = 0; p < f->n_patterns; p++)
		check_set(a, f, p, f->need[p] & (uint8_t)~1u);
	memcpy(a->keys, f->keys, f->n_lits * sizeof *a->keys);
	for (uint32_t i = 0; i < f->n_lits; i++) {
		a->klen[i] = a->keys[i].klen;
		a->find[i] = f->lits[i].find;
		a->gate[i] = f->lits[i].dfa_gate;
	}
	for (uint32_t i = 0; i < f->n_anchors; i++)
		a->anchor_find[i] = f->anchors[i].find;
	a->stage = fw__fast_first_stage(f);
	a->miss_every = FW_ADAPT_MISS_BYTES;
	fw__adapt_schedule(a, FW_ADAPT_LEARN, FW_ADAPT_PERIOD);
	return 0;
}

void
fw__adapt_free(struct fast_adapt *a)
{
	counters_free(a);
	kept_free(a);
	free(a->keys);
	free(a->next);
	free(a->klen);
	free(a->find);
	free(a->anchor_find);
	free(a->trig_bit);
	free(a->check);
	free(a->check_lit);
	free(a->trig_first);
	free(a->trig_pat);
	free(a->misses);
	free(a->miss_moved);
	free(a->gate_bit);
	free(a->gate);
	fw__fast_index_free(&a->own);
	memset(a, 0, sizeof *a);
}

/*
 * The counters exist only while a sample is taken (512 KiB, far more than
 * a context's other state at small N). Without memory for them, this
 * sample is skipped: the keys stay as they are until the next one.
 */
static void
sample_start(struct fast_adapt *a)
{
	counters_free(a);
	kept_free(a);
	a->pairs = calloc(65536, sizeof *a->pairs);
	a->quads = calloc((size_t)1 << QUAD_BITS, sizeof *a->quads);
	a->kept = malloc(FW_ADAPT_STAGE_BYTES);
	a->searches = calloc(a->n_lits ? a->n_lits : 1, sizeof *a->searches);
	a->trig_count = calloc(a->n_patterns ? a->n_patterns : 1, sizeof *a->trig_count);
	a->gate_count = calloc(a->n_groups ? a->n_groups : 1, sizeof *a->gate_count);
	a->sampled = 0;
	a->sample_lines = 0;
	a->learning = a->pairs && a->quads && a->kept && a->searches && a->trig_count && a->gate_count;
	a->left = a->learning ? a->learn : a->period ? a->period : SIZE_MAX;
	if (!a->learning) {
		counters_free(a);
		kept_free(a);
	}
}

/*
 * Takes the bytes of the lines that passed by since the last
 * fw__adapt_due() from left and miss_left (each stayed above them: due was
 * at most either, and stayed above 0); the next line is seen.
 */
static void
due_settle(struct fast_adapt *a)
{
	size_t passed = a->due_set - a->due;

	if (a->learn) {
		a->left -= passed;
		a->miss_left -= passed;
	}
	a->due = a->due_set = 0;
}

void
fw__adapt_miss_every(struct fast_adapt *a, size_t every)
{
	due_settle(a);
	a->miss_every = every;
	a->miss_left = every;
	a->missed = 0;
	memset(a->misses, 0, a->n_lits * sizeof *a->misses);
}

void
fw__adapt_schedule(struct fast_adapt *a, size_t learn, size_t period)
{
	a->learn = learn;
	a->period = period;
	a->learning = false;
	a->due = a->due_set = 0;
	a->miss_left = a->miss_every;
	a->missed = 0;
	memset(a->misses, 0, a->n_lits * sizeof *a->misses);
	if (learn) {
		sample_start(a);
	} else {
		counters_free(a);
		kept_free(a);
	}
}

/*
 * Counts the folded pairs and 4-byte windows of one line, as the scan would
 * see them, and keeps the line if it is one the stages are costed on.
 */
void
fw__adapt_count(struct fast_adapt *a, const struct fast *f, const unsigned char *line, size_t len)
{
	/* Locals: the counters' stores could otherwise alias a's pointers. */
	uint32_t *pairs = a->pairs;
	uint16_t *quads = a->quads;
	uint32_t w = 0, n = (uint32_t)len;
	const unsigned char *fold_tab = f->fold;

	if (a->sample_lines++ % FW_ADAPT_STAGE_EVERY == 0 && len <= FW_ADAPT_STAGE_BYTES - sizeof n &&
	    a->kept_len <= FW_ADAPT_STAGE_BYTES - sizeof n - len) {
		memcpy(a->kept + a->kept_len, &n, sizeof n);
		memcpy(a->kept + a->kept_len + sizeof n, line, len);
		a->kept_len += sizeof n + len;
	}
	/* The first three bytes end no 4-byte window (the first, not even a pair). */
	for (size_t i = 0; i < len && i < 3; i++) {
		w = w << 8 | fold_tab[line[i]];
		if (i >= 1)
			pairs[w & 0xFFFF]++;
	}
	for (size_t i = 3; i < len; i++) {
		uint16_t *q;

		w = w << 8 | fold_tab[line[i]];
		pairs[w & 0xFFFF]++;
		q = &quads[key_hash(w, 32 - QUAD_BITS)];
		if (__builtin_expect(*q != UINT16_MAX, 1))
			++*q;
	}
	a->sampled += len;
}

/* What key (klen bytes of l from off) cost in the sample. */
static uint64_t
key_cost(const struct fast_adapt *a, const struct fp_lit *l, uint32_t off, unsigned klen)
{
	return window_cost(a, window_at(l, off, klen), klen);
}

/*
 * What a key of l's context byte before it and its first byte (fp_key
 * before) cost in the sample; UINT64_MAX when l has no such key.
 */
static uint64_t
before_cost(const struct fast_adapt *a, const struct fast *f, const struct fp_lit *l)
{
	unsigned char b[FP_BEFORE_BYTES];
	unsigned n = fp_key_before(f, l, b);
	uint64_t cost = 0;

	if (!n)
		return UINT64_MAX / MOVE_GAIN;
	for (unsigned j = 0; j < n; j++)
		cost += (uint64_t)a->pairs[(uint32_t)b[j] << 8 | fold(l->bytes[0])] * (1 + PROBE_COST);
	return cost;
}

/*
 * l's cheapest window of klen (2 or 4) bytes in the sample: its offset, and
 * its cost in *cost. Each window's key is the one before shifted by a byte:
 * at N = 10,000 this runs over every window of some 10,000 literals at the
 * end of each sample.
 */
static uint32_t
cheapest_window(const struct fast_adapt *a, const struct fp_lit *l, unsigned klen, uint64_t *cost)
{
	uint32_t best_off = 0, key = 0, mask = klen == 2 ? 0xFFFF : UINT32_MAX;

	*cost = UINT64_MAX;
	for (uint32_t end = 0; end < l->len; end++) {
		uint64_t c;

		key = (key << 8 | fold(l->bytes[end])) & mask;
		if (end + 1 < klen)
			continue;
		c = window_cost(a, key, klen);
		if (c < *cost) {
			*cost = c;
			best_off = end + 1 - klen;
		}
	}
	return best_off;
}

/*
 * Moves each scanned literal whose key cost much in the sample to its
 * cheapest window. Returns how many moved (into a->next).
 */
static uint32_t
choose_keys(struct fast_adapt *a, const struct fast *f)
{
	uint64_t floor = a->sampled / COST_FLOOR_BYTES;
	uint32_t moved = 0;

	memcpy(a->next, a->keys, f->n_lits * sizeof *a->next);
	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];
		struct fp_key *k = &a->next[i];
		uint64_t cur, best;
		uint32_t best_off;

		if (k->klen < 2 || k->before)
			continue;
		cur = key_cost(a, l, k->off, k->klen);
		if (cur <= floor)
			continue;
		best_off = k->off;
		best = cur;
		if (l->len > k->klen)
			best_off = cheapest_window(a, l, k->klen, &best);
		if (k->klen == 2 && before_cost(a, f, l) * MOVE_GAIN < (best < cur ? best : cur)) {
			k->off = 0;
			k->key = window_at(l, 0, 2);
			k->before = true;
			moved++;
			continue;
		}
		if (best * MOVE_GAIN >= cur)
			continue;
		k->off = best_off;
		k->key = window_at(l, best_off, k->klen);
		moved++;
	}
	return moved;
}

/*
 * Gives a key (into a->next) to each literal looked up on demand whose
 * searches in the sample cost clearly more than scanning for it at its
 * cheapest window would have. Literals of one byte are left alone: their
 * key would stop the scan under every byte before them. Returns how many.
 */
static uint32_t
choose_scans(struct fast_adapt *a, const struct fast *f)
{
	uint64_t floor = a->sampled / COST_FLOOR_BYTES;
	uint32_t added = 0;

	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];
		struct fp_key *k = &a->next[i];
		uint64_t saved = (uint64_t)a->searches[i] * SEARCH_COST, cost;
		unsigned klen = l->len >= 4 ? 4 : 2;

		if (k->klen || l->len < 2 || saved <= floor)
			continue;
		k->off = cheapest_window(a, l, klen, &cost);
		if (cost * MOVE_GAIN >= saved)
			continue;
		k->key = window_at(l, k->off, klen);
		k->klen = (uint8_t)klen;
		added++;
	}
	return added;
}

/* The byte of l to search for that was rarest in the sample, starting from find (never a letter of a caseless literal). */
static uint32_t
rarest_byte(const uint64_t count[256], const struct fp_lit *l, uint32_t find)
{
	if (find == FP_FIND_WALK)
		return find;
	for (uint32_t j = 0; j < l->len; j++) {
		unsigned char b = l->bytes[j];

		if (l->caseless && (unsigned)(b - 'a') < 26u)
			continue;
		if (count[fold(b)] < count[fold(l->bytes[find])])
			find = j;
	}
	return find;
}

/*
 * Searches each literal that is looked up on demand, and each anchor, for
 * its byte that was rarest in the sample (folded; never a letter of a
 * caseless literal).
 */
static void
choose_finds(struct fast_adapt *a, const struct fast *f)
{
	uint64_t count[256] = { 0 };

	for (uint32_t w = 0; w < 65536; w++)
		count[w & 0xFF] += a->pairs[w];
	for (uint32_t i = 0; i < f->n_lits; i++)
		if (!fp_lit_scanned(&f->lits[i]) || !a->keys[i].klen)    /* a gate that lost its key, too */
			a->find[i] = rarest_byte(count, &f->lits[i], a->find[i]);
	for (uint32_t i = 0; i < f->n_anchors; i++)
		a->anchor_find[i] = rarest_byte(count, &f->anchors[i], a->anchor_find[i]);
}

/* What stage s would cost on the kept lines with idx, and (floors) the least each filter could. */
static uint64_t
kept_cost(const struct fast_adapt *a, const struct fast *f, const struct fp_index *idx, enum fp_stage s,
	  uint64_t floors[FP_STAGES])
{
	uint64_t cost = 0;
	uint32_t n;

	for (size_t at = 0; at < a->kept_len; at += n) {
		memcpy(&n, a->kept + at, sizeof n);
		at += sizeof n;
		cost += fw__fast_stage_cost(f, idx, s, a->kept + at, n);
		if (floors) {
			floors[FP_STAGE_FDR] += fw__fast_stage_floor(FP_STAGE_FDR, n);
			floors[FP_STAGE_FDR_BEFORE] += fw__fast_stage_floor(FP_STAGE_FDR_BEFORE, n);
		}
	}
	return cost;
}

/*
 * Whether stage s, whose steps alone cost floor, may be taken over the
 * running one (cost cur) and the cheapest other one costed (best).
 */
static bool
stage_may_win(uint64_t floor, uint64_t cur, uint64_t best)
{
	return floor * 8 < cur * STAGE_GAIN && floor < best;
}

/*
 * Runs the stage that costs least on the kept lines with the keys in use
 * (another one only when it is clearly cheaper than the running one: no
 * flapping). A bucketed filter whose steps alone cost more than that is
 * not costed, nor built in the context's own index: the pair map's cost
 * first, then the bucketed filter's, then the byte-before table's (which
 * only a context's own index holds: one is built for it if the context
 * has none yet). Each filter the own index holds and does not run is let
 * go once the choice is made.
 */
static void
choose_stage(struct fast_adapt *a, const struct fast *f)
{
	uint64_t cost[FP_STAGES] = { 0 }, floors[FP_STAGES] = { 0 }, best;
	bool costed[FP_STAGES] = { true, false, false };
	const struct fp_index *idx = fw__adapt_index(a, f);
	enum fp_stage next = a->stage;

	cost[FP_STAGE_PAIR] = kept_cost(a, f, idx, FP_STAGE_PAIR, floors);
	if (a->stage == FP_STAGE_PAIR &&
	    !stage_may_win(floors[FP_STAGE_FDR], cost[FP_STAGE_PAIR], cost[FP_STAGE_PAIR]))
		return;
	if (a->own.slots && fw__fast_index_add_stage(f, a->keys, FP_STAGE_FDR, &a->own) < 0)
		return;
	cost[FP_STAGE_FDR] = kept_cost(a, f, idx, FP_STAGE_FDR, NULL);
	costed[FP_STAGE_FDR] = true;
	best = cost[FP_STAGE_PAIR] < cost[FP_STAGE_FDR] ? cost[FP_STAGE_PAIR] : cost[FP_STAGE_FDR];
	if (a->stage == FP_STAGE_FDR_BEFORE ||
	    stage_may_win(floors[FP_STAGE_FDR_BEFORE], cost[a->stage], best)) {
		/* The compiled index stays read-only: the table goes into an index of the context's. */
		if (!a->own.slots && fw__fast_index_build_stage(f, a->keys, a->stage, idx, &a->own) < 0)
			goto choose;
		idx = &a->own;
		if (fw__fast_index_add_stage(f, a->keys, FP_STAGE_FDR_BEFORE, &a->own) < 0)
			goto choose;
		cost[FP_STAGE_FDR_BEFORE] = kept_cost(a, f, idx, FP_STAGE_FDR_BEFORE, NULL);
		costed[FP_STAGE_FDR_BEFORE] = true;
	}
choose:
	for (unsigned s = 0; s < FP_STAGES; s++)
		if (costed[s] && s != (unsigned)a->stage && cost[s] < cost[next] &&
		    cost[s] * 8 < cost[a->stage] * STAGE_GAIN)
			next = (enum fp_stage)s;
	/*
	 * The index the context runs from now on must hold the chosen stage's
	 * table. An own index made above for the byte-before table holds the
	 * running stage's and that one only, while the filter may have been
	 * costed on the compiled index; without its table the context keeps
	 * the stage it runs.
	 */
	if (next != a->stage && a->own.slots && fw__fast_index_add_stage(f, a->keys, next, &a->own) < 0)
		next = a->stage;
	if (next != a->stage) {
		a->stage = next;
		a->switches++;
	}
	if (a->own.slots)
		for (unsigned s = 0; s < FP_STAGES; s++)
			if (s != (unsigned)a->stage)
				fw__fast_index_drop_stage(&a->own, (enum fp_stage)s);
}

/* The next keys become the context's (their index built); the old ones are the scratch. */
static void
keys_take_next(struct fast_adapt *a)
{
	struct fp_key *t = a->keys;

	a->keys = a->next;
	a->next = t;
	for (uint32_t i = 0; i < a->n_lits; i++)
		a->klen[i] = a->keys[i].klen;
}

/*
 * Every miss_every bytes: literals whose keys missed often move their
 * keys (match_fast_rank.c), and the context indexes them when the misses
 * of the moves pay for it; the counts start again.
 */
void
fw__adapt_misses(struct fast_adapt *a, const struct fast *f)
{
	uint64_t missed, min;
	uint32_t moved;
	struct fp_index idx;

	a->miss_left = a->miss_every;
	/* Too few misses in all to pay for a rebuild: none of them is looked at. */
	if (a->stage == FP_STAGE_PAIR || a->missed < FW_ADAPT_MISS_REBUILD) {
		if (a->missed)
			memset(a->misses, 0, f->n_lits * sizeof *a->misses);
		a->missed = 0;
		return;
	}
	a->missed = 0;
	memcpy(a->next, a->keys, f->n_lits * sizeof *a->next);
	min = a->miss_every / FW_ADAPT_MISS_RATE;
	moved = fw__rank_miss_keys(f, a->misses, min ? min : 1, a->miss_moved, a->next, &missed);
	memset(a->misses, 0, f->n_lits * sizeof *a->misses);
	if (!moved || missed < FW_ADAPT_MISS_REBUILD)
		return;
	if (fw__fast_index_build_stage(f, a->next, a->stage, fw__adapt_index(a, f), &idx) < 0)
		return;
	fw__fast_index_free(&a->own);
	a->own = idx;
	keys_take_next(a);
	for (uint32_t i = 0; i < f->n_lits; i++)
		a->miss_moved[i] |= a->keys[i].off != a->next[i].off;
	a->miss_moves += moved;
	a->rekeys += moved;
}

void
fw__adapt_due(struct fast_adapt *a, const struct fast *f, const unsigned char *line, size_t len)
{
	due_settle(a);
	if (__builtin_expect(!a->learn, 0)) {
		a->due = a->due_set = SIZE_MAX;
		return;
	}
	if (a->learning)
		fw__adapt_count(a, f, line, len);
	if (a->miss_left > len)
		a->miss_left -= len;
	else
		fw__adapt_misses(a, f);
	if (a->left > len)
		a->left -= len;
	else
		fw__adapt_turn(a, f);
	if (!a->learning)
		a->due = a->due_set = a->left < a->miss_left ? a->left : a->miss_left;
}

/* A sample ended (re-key, choose the stage, then wait for the next) or the wait did (sample again). */
void
fw__adapt_turn(struct fast_adapt *a, const struct fast *f)
{
	struct fp_index idx;
	uint32_t moved, added, triggers = 0, keyed = 0, gates = 0, rekeyed = 0, *first, *pat;
	uint8_t *bits, *gate_bits, *gate;
	bool ok = true;

	if (!a->learning) {
		sample_start(a);
		return;
	}
	a->learning = false;
	a->left = a->period ? a->period : SIZE_MAX;
	choose_finds(a, f);
	moved = choose_keys(a, f);
	added = choose_scans(a, f);
	bits = malloc(f->n_patterns ? f->n_patterns : 1);
	gate_bits = malloc(f->n_dfa_groups ? f->n_dfa_groups : 1);
	gate = malloc(f->n_lits ? f->n_lits : 1);
	if (bits)
		triggers = fw__trig_choose(a, f, bits, &keyed);
	if (gate_bits && gate)
		gates = fw__gate_choose(a, f, gate_bits, gate, &rekeyed);
	counters_free(a);
	if (moved || added || keyed || rekeyed) {
		ok = fw__fast_index_build_stage(f, a->next, a->stage, fw__adapt_index(a, f), &idx) == 0;
		if (ok) {
			fw__fast_index_free(&a->own);
			a->own = idx;
			keys_take_next(a);
			a->rekeys += moved;
			a->scans += added;
		}
	}
	/* A new trigger needs its literals' keys in the index the scan runs. */
	if (ok && triggers && fw__trig_lists_build(f, bits, &first, &pat) == 0) {
		free(a->trig_bit);
		free(a->trig_first);
		free(a->trig_pat);
		a->trig_bit = bits;
		a->trig_first = first;
		a->trig_pat = pat;
		a->moves += triggers;
		bits = NULL;
		for (uint32_t p = 0; p < f->n_patterns; p++)
			check_set(a, f, p, f->need[p] & (uint8_t) ~(1u << a->trig_bit[p]));
	}
	/* A gate's literals have keys in the index the scan runs. */
	if (ok && gates) {
		memcpy(a->gate_bit, gate_bits, f->n_dfa_groups);
		memcpy(a->gate, gate, f->n_lits);
		a->gate_moves += gates;
	}
	free(bits);
	free(gate_bits);
	free(gate);
	choose_stage(a, f);
	kept_free(a);
}
