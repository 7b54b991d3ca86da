/*
 * match_fast_trigger: for each pattern of several factors, which of them
 * triggers it in one context (chosen on a sample's counts when it ends),
 * and per literal the patterns it triggers (see match_fast_adapt.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_adapt_int.h"

/* How often window (off, klen) of l stood in the sample, at most (hashed, saturating counters). */
static uint64_t
window_count(const struct fast_adapt *a, const struct fp_lit *l, uint32_t off, unsigned klen)
{
	uint32_t key = window_at(l, off, klen);

	if (klen == 2)
		return a->pairs[key];
	if (klen == 4)
		return a->quads[key_hash(key, 32 - QUAD_BITS)];
	return a->sampled;      /* a 1-byte key: not counted */
}

/*
 * The stops a key at window (off, klen) of l adds to the scan with index
 * idx: none when keys of its length already end at its last pair (the
 * scan stops there anyway), else as many as that pair stood in the sample.
 */
static uint64_t
key_stops_added(const struct fast_adapt *a, const struct fp_index *idx, const struct fp_lit *l, uint32_t off,
		unsigned klen)
{
	unsigned flag = klen == 4 ? PAIR_KEY4 : PAIR_KEY2;

	if (idx->pair && (idx->pair[pair_index(l->bytes + off + klen - 2)] & flag))
		return 0;
	return a->pairs[window_at(l, off, klen) & 0xFFFF];
}

/*
 * What triggering pattern p by its factor b would cost in the sample: the
 * lines one of its literals stands on (at most), each paying the lookups
 * of the other factors, and the keys its literals looked up on demand
 * would need (their windows that add least, into *off). UINT64_MAX when
 * some literal cannot have a key (one byte long).
 */
static uint64_t
factor_trigger_cost(const struct fast_adapt *a, const struct fast *f, const struct fp_index *idx, uint32_t p,
		    uint32_t b, uint32_t *off)
{
	const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + b];
	uint64_t cost = 0;

	for (uint32_t k = 0; k < fa->n_lits; k++) {
		uint32_t lit = f->factor_lits[fa->first_lit + k];
		const struct fp_lit *l = &f->lits[lit];
		const struct fp_key *key = &a->next[lit];
		unsigned klen = l->len >= 4 ? 4 : 2;
		uint64_t best = UINT64_MAX;

		if (key->klen) {
			cost += window_count(a, l, key->off, key->klen) * SEARCH_COST;
			continue;
		}
		if (l->len < 2)
			return UINT64_MAX;
		for (uint32_t o = 0; o + klen <= l->len; o++) {
			/* Its stops, and its probes and searches, one each time the window stood. */
			uint64_t c = key_stops_added(a, idx, l, o, klen) +
				     window_count(a, l, o, klen) * (PROBE_COST + SEARCH_COST);

			if (c < best) {
				best = c;
				off[k] = o;
			}
		}
		cost += best;
	}
	return cost;
}

uint32_t
fw__trig_choose(struct fast_adapt *a, const struct fast *f, uint8_t *bits, uint32_t *keyed)
{
	const struct fp_index *idx = fw__adapt_index(a, f);
	uint64_t floor = a->sampled / COST_FLOOR_BYTES;
	uint32_t moved = 0;

	*keyed = 0;
	memcpy(bits, a->trig_bit, f->n_patterns);
	for (uint32_t p = 0; p < f->n_patterns; p++) {
		uint32_t t, best, off[FW_TRIG_LITS_MAX], best_off[FW_TRIG_LITS_MAX];
		uint64_t before = (uint64_t)a->trig_count[p] * SEARCH_COST, best_cost = UINT64_MAX;
		const struct fp_factor *fa;

		/* Only patterns with refs are triggered: neither DFA members nor followers. */
		if (before <= floor || !(f->need[p] & (f->need[p] - 1)))
			continue;
		t = best = a->trig_bit[p];
		for (uint32_t b = 0; b < FACTORS_MAX; b++) {
			uint64_t c;

			if (b == t || !(f->need[p] & (1u << b)) ||
			    f->factors[p * FACTORS_MAX + b].n_lits > FW_TRIG_LITS_MAX)
				continue;
			c = factor_trigger_cost(a, f, idx, p, b, off);
			if (c < best_cost) {
				best_cost = c;
				best = b;
				memcpy(best_off, off, sizeof off);
			}
		}
		if (best == t || best_cost * MOVE_GAIN >= before)
			continue;
		fa = &f->factors[p * FACTORS_MAX + best];
		for (uint32_t k = 0; k < fa->n_lits; k++) {
			uint32_t lit = f->factor_lits[fa->first_lit + k];
			const struct fp_lit *l = &f->lits[lit];
			struct fp_key *key = &a->next[lit];
			unsigned klen = l->len >= 4 ? 4 : 2;

			if (key->klen)
				continue;
			key->off = best_off[k];
			key->key = window_at(l, key->off, klen);
			key->klen = (uint8_t)klen;
			(*keyed)++;
		}
		bits[p] = (uint8_t)best;
		moved++;
	}
	return moved;
}

int
fw__trig_lists_build(const struct fast *f, const uint8_t *bits, uint32_t **first, uint32_t **pat)
{
	uint32_t n = 0, *at;

	*first = calloc((size_t)f->n_lits + 1, sizeof **first);
	at = calloc(f->n_lits ? f->n_lits : 1, sizeof *at);
	if (!*first || !at)
		goto fail;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t p = 0; p < f->n_patterns; p++) {
			const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + bits[p]];

			if (!f->need[p] || f->in_dfa[p] || f->canon[p] != p)
				continue;
			for (uint32_t k = 0; k < fa->n_lits; k++) {
				uint32_t lit = f->factor_lits[fa->first_lit + k];

				if (pass == 0)
					(*first)[lit + 1]++;
				else
					(*pat)[at[lit]++] = p;
			}
		}
		if (pass == 1)
			break;
		for (uint32_t l = 0; l < f->n_lits; l++) {
			(*first)[l + 1] += (*first)[l];
			at[l] = (*first)[l];
		}
		n = (*first)[f->n_lits];
		*pat = malloc((n ? n : 1) * sizeof **pat);
		if (!*pat)
			goto fail;
	}
	free(at);
	return 0;
fail:
	free(*first);
	free(at);
	*first = NULL;
	*pat = NULL;
	return -ENOMEM;
}
