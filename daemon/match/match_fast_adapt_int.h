/*
 * match_fast_adapt_int: what the keys' choice (match_fast_adapt.c) and the
 * triggers' (match_fast_trigger.c) share: the units a sample's costs are
 * counted in, a key's cost in a sample, a literal's window as a folded
 * key, and the triggers' functions the context calls at its start and a
 * sample's end. Internal to those two files.
 */
#ifndef FW_MATCH_FAST_ADAPT_INT_H
#define FW_MATCH_FAST_ADAPT_INT_H

#include <stdint.h>

#include "match/match_fast_adapt.h"

/* The 4-byte windows' counters: a hash of this many bits. */
#define QUAD_BITS 17
/*
 * A probe (slot lookup, then verifying the key's literals) costs about as
 * much as this many stops of the scan that end at the hashed filter.
 */
#define PROBE_COST 4
/* A key is moved only to a window at least this many times cheaper: no flapping. */
#define MOVE_GAIN 2
/* Keys that cost less than one stop per this many sampled bytes are left alone. */
#define COST_FLOOR_BYTES 1024
/*
 * An on-demand search of a literal (lit_present() in match_fast.c: the
 * search, through the factor loop, memchr() and the comparison) costs
 * about as much as this many stops of the scan (the units of key_cost()
 * in match_fast_adapt.c).
 */
#define SEARCH_COST 8

/* What a key of klen (2 or 4) folded bytes cost in the sample: stops of the scan, probes. */
static inline uint64_t
window_cost(const struct fast_adapt *a, uint32_t key, unsigned klen)
{
	if (klen == 2)
		return (uint64_t)a->pairs[key] * (1 + PROBE_COST);
	return a->pairs[key & 0xFFFF] + (uint64_t)PROBE_COST * a->quads[key_hash(key, 32 - QUAD_BITS)];
}

/* The key of klen (1 to 4) folded bytes of l from off. */
static inline uint32_t
window_at(const struct fp_lit *l, uint32_t off, unsigned klen)
{
	uint32_t key = 0;

	for (unsigned j = 0; j < klen; j++)
		key = key << 8 | fold(l->bytes[off + j]);
	return key;
}

/*
 * Moves the trigger of each pattern of several factors that was triggered
 * on many lines of the sample to the factor whose literals stand on
 * clearly fewer (counted on the sample's windows; the former trigger is
 * then looked up like the other factors), giving keys (into a->next) to
 * its literals looked up on demand. bits: per pattern, its trigger factor
 * from now on. Returns how many moved; *keyed: how many literals got a
 * key.
 */
uint32_t fw__trig_choose(struct fast_adapt *a, const struct fast *f, uint8_t *bits, uint32_t *keyed);

/*
 * The same for the gate groups of DFA members (f->n_dfa_groups): moves a
 * group's gate, the factor whose literals, where the scan finds them, run
 * the group's check and the DFA, from one found on many lines of the
 * sample (a->gate_count) or whose keys cost the scan much, to the factor
 * whose literals stood on clearly fewer places, giving keys (into
 * a->next) to its literals looked up on demand. A literal that was a gate
 * when compiled and is none now, and that no pattern outside the DFA has
 * among its factors, loses its key (both sides of the choice count it).
 * bits: per group, its gate factor from now on; gate: per literal, how
 * many groups gate by it from now on (0, 1, or 2 for more; set only when
 * some gate moved).
 * Returns how many moved; *rekeyed: how many literals got a key or lost
 * theirs.
 */
uint32_t fw__gate_choose(struct fast_adapt *a, const struct fast *f, uint8_t *bits, uint8_t *gate, uint32_t *rekeyed);

/*
 * Each literal's patterns to trigger, when pattern p is triggered by its
 * factor bits[p]: into *first and *pat (see struct fast_adapt). 0 or
 * -ENOMEM (nothing allocated then).
 */
int fw__trig_lists_build(const struct fast *f, const uint8_t *bits, uint32_t **first, uint32_t **pat);

#endif
