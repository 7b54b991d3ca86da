/*
 * match_fast_trigger: for each pattern of several factors, which of them
 * triggers it in one context (chosen on a sample's counts when it ends),
 * and per literal the patterns it triggers; for each gate group of DFA
 * members, which factor's literals run the DFA (see match_fast_adapt.h).
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
 * would need (their windows that add least, into *off); into *places
 * how often its literals' keys or those windows stood. UINT64_MAX when
 * some literal cannot have a key (one byte long).
 */
static uint64_t
factor_trigger_cost(const struct fast_adapt *a, const struct fast *f, const struct fp_index *idx, uint32_t p,
		    uint32_t b, uint32_t *off, uint64_t *places)
{
	const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + b];
	uint64_t cost = 0;

	*places = 0;

	for (uint32_t k = 0; k < fa->n_lits; k++) {
		uint32_t lit = f->factor_lits[fa->first_lit + k];
		const struct fp_lit *l = &f->lits[lit];
		const struct fp_key *key = &a->next[lit];
		unsigned klen = l->len >= 4 ? 4 : 2;
		uint64_t best = UINT64_MAX, best_n = 0;

		if (key->klen) {
			best_n = window_count(a, l, key->off, key->klen);
			cost += best_n * SEARCH_COST;
			*places += best_n;
			continue;
		}
		if (l->len < 2)
			return UINT64_MAX;
		for (uint32_t o = 0; o + klen <= l->len; o++) {
			/* Its stops, and its probes and searches, one each time the window stood. */
			uint64_t n = window_count(a, l, o, klen), c = key_stops_added(a, idx, l, o, klen) +
									n * (PROBE_COST + SEARCH_COST);

			if (c < best) {
				best = c;
				best_n = n;
				off[k] = o;
			}
		}
		cost += best;
		*places += best_n;
	}
	return cost;
}

/*
 * Keys (into a->next) the literals of factor fa that are looked up on
 * demand, at the windows off gives; returns how many got one.
 */
static uint32_t
key_factor(struct fast_adapt *a, const struct fast *f, const struct fp_factor *fa, const uint32_t *off)
{
	uint32_t keyed = 0;

	for (uint32_t k = 0; k < fa->n_lits; k++) {
		uint32_t lit = f->factor_lits[fa->first_lit + k];
		const struct fp_lit *l = &f->lits[lit];
		struct fp_key *key = &a->next[lit];
		unsigned klen = l->len >= 4 ? 4 : 2;

		if (key->klen)
			continue;
		key->off = off[k];
		key->key = window_at(l, key->off, klen);
		key->klen = (uint8_t)klen;
		keyed++;
	}
	return keyed;
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
		uint64_t before = (uint64_t)a->trig_count[p] * SEARCH_COST, best_cost = UINT64_MAX, places;

		/* Only patterns with refs are triggered: neither DFA members nor followers. */
		if (before <= floor || !(f->need[p] & (f->need[p] - 1)))
			continue;
		t = best = a->trig_bit[p];
		for (uint32_t b = 0; b < FACTORS_MAX; b++) {
			uint64_t c;

			if (b == t || !(f->need[p] & (1u << b)) ||
			    f->factors[p * FACTORS_MAX + b].n_lits > FW_TRIG_LITS_MAX)
				continue;
			c = factor_trigger_cost(a, f, idx, p, b, off, &places);
			if (c < best_cost) {
				best_cost = c;
				best = b;
				memcpy(best_off, off, sizeof off);
			}
		}
		if (best == t || best_cost * MOVE_GAIN >= before)
			continue;
		*keyed += key_factor(a, f, &f->factors[p * FACTORS_MAX + best], best_off);
		bits[p] = (uint8_t)best;
		moved++;
	}
	return moved;
}

/* Per literal, into gate: how many groups gate by it with gates bits (0, 1, or 2 for more). */
static void
gates_of(const struct fast *f, const uint8_t *bits, uint8_t *gate)
{
	memset(gate, 0, f->n_lits);
	for (uint32_t g = 0; g < f->n_dfa_groups; g++) {
		const struct fp_factor *fa = &f->factors[f->group_rep[g] * FACTORS_MAX + bits[g]];

		for (uint32_t k = 0; k < fa->n_lits; k++) {
			uint8_t *n = &gate[f->factor_lits[fa->first_lit + k]];

			if (*n < 2)
				(*n)++;
		}
	}
}

/*
 * Which factor of group g's members runs the DFA where it stands: the
 * current one, t, or the one (into *best_off, its windows) whose literals
 * stood on clearly fewer places of the sample than t on lines, even with
 * the keys the scan then needs and, where they stand, the lookups of
 * `drops` literals of t whose keys would go (saved: what those keys cost
 * the scan in the sample).
 */
static unsigned
gate_best(const struct fast_adapt *a, const struct fast *f, const struct fp_index *idx, uint32_t g, unsigned t,
	  unsigned drops, uint64_t saved, uint32_t *best_off)
{
	uint32_t rep = f->group_rep[g], off[FW_TRIG_LITS_MAX];
	uint64_t floor = a->sampled / COST_FLOOR_BYTES, before, best_cost = UINT64_MAX;
	unsigned best = t;

	/* As a trigger's: the lines where the scan found the gate (its context held), a lookup each. */
	before = (uint64_t)a->gate_count[g] * SEARCH_COST + saved;
	if (before <= floor)
		return t;
	for (unsigned b = 0; b < FACTORS_MAX; b++) {
		uint64_t c, places;

		if (b == t || !(f->need[rep] & (1u << b)) ||
		    f->factors[rep * FACTORS_MAX + b].n_lits > FW_TRIG_LITS_MAX)
			continue;
		c = factor_trigger_cost(a, f, idx, rep, b, off, &places);
		if (c != UINT64_MAX)
			c += places * SEARCH_COST * drops;
		if (c < best_cost) {
			best_cost = c;
			best = b;
			memcpy(best_off, off, sizeof off);
		}
	}
	return best != t && best_cost < UINT64_MAX / MOVE_GAIN && best_cost * MOVE_GAIN < before ? best : t;
}

/*
 * Whether literal i, a gate when compiled, may lose its key once no group
 * gates by it: not when a pattern outside the DFA has it among its
 * factors (its trigger, or a factor looked up on each line that triggers
 * it), and a key a sample gave it stays (a->keys has none: it went
 * before).
 */
static bool
gate_key_goes(const struct fast_adapt *a, const struct fast *f, uint32_t i)
{
	return f->lits[i].dfa_gate && !f->lits[i].outside_dfa && a->keys[i].klen && a->next[i].klen;
}

/* What literal lit's key (none: 0) costs the scan in the sample. */
static uint64_t
gate_key_cost(const struct fast_adapt *a, uint32_t lit)
{
	const struct fp_key *key = &a->next[lit];

	/* A 1-byte key stops the scan under every byte before it: counted as every byte. */
	return !key->klen ? 0 : key->klen == 1 ? a->sampled : window_cost(a, key->key, key->klen);
}

/* What the keys of group g's gate cost the scan in the sample: all of what its move could save. */
static uint64_t
gate_keys_cost(const struct fast_adapt *a, const struct fast *f, uint32_t g)
{
	const struct fp_factor *fa = &f->factors[f->group_rep[g] * FACTORS_MAX + a->gate_bit[g]];
	uint64_t cost = 0;

	for (uint32_t k = 0; k < fa->n_lits; k++)
		cost += gate_key_cost(a, f->factor_lits[fa->first_lit + k]);
	return cost;
}

/*
 * The literals of group g's gate whose keys would go if it moved: those
 * no other group gates by (gating[], 1 for one group) that may lose it;
 * what their keys cost the scan in the sample into *saved.
 */
static unsigned
gate_drops(const struct fast_adapt *a, const struct fast *f, const uint8_t *gating, uint32_t g, uint64_t *saved)
{
	const struct fp_factor *fa = &f->factors[f->group_rep[g] * FACTORS_MAX + a->gate_bit[g]];
	unsigned drops = 0;

	*saved = 0;
	for (uint32_t k = 0; k < fa->n_lits; k++) {
		uint32_t lit = f->factor_lits[fa->first_lit + k];

		if (gating[lit] != 1 || !gate_key_goes(a, f, lit))
			continue;
		drops++;
		*saved += gate_key_cost(a, lit);
	}
	return drops;
}

uint32_t
fw__gate_choose(struct fast_adapt *a, const struct fast *f, uint8_t *bits, uint8_t *gate, uint32_t *rekeyed)
{
	const struct fp_index *idx = fw__adapt_index(a, f);
	uint32_t moved = 0, best_off[FW_TRIG_LITS_MAX];
	bool counted = false;

	*rekeyed = 0;
	memcpy(bits, a->gate_bit, f->n_dfa_groups);
	for (uint32_t g = 0; g < f->n_dfa_groups; g++) {
		/* At most: every key of the gate saved, no lookup of its literals added. */
		unsigned best = gate_best(a, f, idx, g, bits[g], 0, gate_keys_cost(a, f, g), best_off), drops;
		uint64_t saved;

		if (best == bits[g])
			continue;
		/* Costed again with the keys that would go and the lookups of their literals. */
		if (!counted) {
			counted = true;
			gates_of(f, a->gate_bit, gate);
		}
		drops = gate_drops(a, f, gate, g, &saved);
		best = gate_best(a, f, idx, g, bits[g], drops, saved, best_off);
		if (best == bits[g])
			continue;
		*rekeyed += key_factor(a, f, &f->factors[f->group_rep[g] * FACTORS_MAX + best], best_off);
		bits[g] = (uint8_t)best;
		moved++;
	}
	if (moved) {
		gates_of(f, bits, gate);
		/* A gate's key that goes: looked up on demand, so a common one no longer stops the scan. */
		for (uint32_t i = 0; i < f->n_lits; i++) {
			if (gate[i] || !gate_key_goes(a, f, i))
				continue;
			memset(&a->next[i], 0, sizeof a->next[i]);
			(*rekeyed)++;
		}
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
