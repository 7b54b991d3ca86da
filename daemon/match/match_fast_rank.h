/*
 * match_fast_rank: the fast engine's ranking of literals, used while it is
 * built (match_fast_build.c). Internal to the fast engine.
 *
 * Ranking is by rough information content, from facts that hold for any
 * text: the classes of a literal's bytes (digits and blanks say little, a
 * mix of classes more), lowered for literals and byte pairs many of the
 * KB's own literals share; only the order matters. No constant encodes the
 * byte statistics of any corpus.
 */
#ifndef FW_MATCH_FAST_RANK_H
#define FW_MATCH_FAST_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "match/lit.h"
#include "match/match_fast_int.h"

/*
 * How many patterns require each literal. A literal many patterns share
 * makes every line that holds it a candidate line for all of them, so it
 * ranks lower as a factor, like a less rare literal.
 */
struct lit_counts {
	struct lit_count { const struct fw_lit *lit; uint32_t n; } *slots;
	uint32_t mask;
};

/*
 * How many literals have each 4-byte window (folded): a key shared by many
 * literals makes every probe of it verify them all.
 */
struct window_counts {
	struct { uint32_t key, n; } *slots;     /* n = 0: empty */
	uint32_t mask, shift;                   /* slot: the hash's top bits */
};

/* Counts the patterns requiring each literal of infos[0..n). 0 or -ENOMEM; free lc->slots. */
int fw__rank_counts_build(const struct fw_lit_info *infos, uint32_t n, struct lit_counts *lc);

/*
 * Picks the sets a pattern's prefilter requires (indexes into
 * info->required, rarest first); returns how many (0: none is usable) and
 * their summed rarity in *rarity.
 */
size_t fw__rank_choose_sets(const struct fw_lit_info *info, const struct lit_counts *lc,
			    size_t chosen[FACTORS_MAX], unsigned *rarity);

/*
 * Adds to chosen[0..n) the pattern's other sets worth checking before its
 * PCRE2 run (rarest first, up to FACTORS_MAX in all), then puts all but
 * the first in the order they are to be looked up; returns the count.
 */
size_t fw__rank_confirm_sets(const struct fw_lit_info *info, const struct lit_counts *lc,
			     size_t chosen[FACTORS_MAX], size_t n);

/*
 * Which byte of l a lookup searches for (fp_lit_in()): the one of the
 * rarest class, the first of those; never a letter of a caseless literal
 * (FP_FIND_WALK when it has nothing else).
 */
uint32_t fw__rank_lit_find(const struct fp_lit *l);

/* Counts the 4-byte windows of f's scanned literals. 0 or -ENOMEM; free wc->slots. */
int fw__rank_window_counts(const struct fast *f, struct window_counts *wc);

/*
 * Marks the folded byte pairs taken as common: runs of digits or blanks,
 * and pairs that many of f's scanned literals hold. 0 or -ENOMEM.
 */
int fw__rank_common_pairs(const struct fast *f, uint64_t bits[65536 / 64]);

/* The scan key of literal l: *klen (1, 2 or 4) folded bytes from offset *off. */
void fw__rank_lit_key(const struct fp_lit *l, struct window_counts *wc, const uint64_t *common_pairs,
		      uint32_t *key, unsigned *klen, uint32_t *off);

/*
 * Moves (in keys) the key of each scanned literal of 4-byte key whose
 * misses (probes its head turned away) reached min and that has not moved
 * on misses before (moved): to the literal's other end, where its head
 * was, so that the window around the key is the one those probes did not
 * hold. Returns how many moved, and their misses together in *missed.
 */
uint32_t fw__rank_miss_keys(const struct fast *f, const uint32_t *misses, uint64_t min, const uint8_t *moved,
			    struct fp_key *keys, uint64_t *missed);

#endif
