/*
 * match_fast_split.h: a run of one text in an index told apart by line
 * bytes next to the text; built by match_fast_split.c, read by the probe
 * (match_fast_probe.h) and the stage model (match_fast_index.c).
 */
#ifndef FW_MATCH_FAST_SPLIT_H
#define FW_MATCH_FAST_SPLIT_H

#include <stddef.h>
#include <stdint.h>

#include "match/match_fast_int.h"

/*
 * A run of one text (fp_occ.same) of FP_RUN_SPLIT_MIN literals or more, its
 * members told apart by one line byte next to the text: at < 0, -at bytes
 * before its start; at >= 0, at bytes after its end (the context's
 * before[-at - 1] or after[at], struct fw_dfa_ctx). A member whose context
 * may hold line byte b there is listed in split_lits[list[b] ..
 * list[b + 1]); where the byte lies outside the line, in list
 * FP_RUN_SPLIT_OUT: the members that constrain nothing there. In each list
 * the members keep the run's order. The position is chosen from the
 * run's own contexts: the one whose longest list is shortest. A list of
 * FP_RUN_SPLIT_AGAIN members or more is split again the same way, from
 * its own members' contexts (FP_RUN_SPLIT_DEPTH levels at most, the
 * lists below the first taking at most as many entries again as the
 * first may): the list is then one entry, FP_RUN_SPLIT_SUB with the index
 * of its split in fp_index.splits, whose lists keep the order too.
 */
#define FP_RUN_SPLIT_OUT 256
struct fp_run_split {
	int32_t at;
	uint32_t list[FP_RUN_SPLIT_OUT + 2];
};

#define FP_RUN_SPLIT_NONE UINT32_MAX
#define FP_RUN_SPLIT_SUB 0x80000000u
/*
 * Runs shorter than this are not split: a short run's probes save less
 * than its split costs (bench/README.md; 8 measured again once re-keying
 * copied splits: no corpus gained).
 */
#define FP_RUN_SPLIT_MIN 16
/*
 * A list shorter than FP_RUN_SPLIT_AGAIN is not split again, nor one
 * FP_RUN_SPLIT_DEPTH splits down. The splits are chosen when the engine
 * is compiled and copied when a context re-keys (fw__fast_runs_split()),
 * so a deeper tree costs the scan its copy, not its choice: lists of 16
 * and three levels took 1.2-1.4% fewer instructions than 32 and two
 * where runs are that long, and left the other corpora as they were
 * (bench/README.md, "Splits copied when a context re-keys").
 */
#define FP_RUN_SPLIT_AGAIN 16
#define FP_RUN_SPLIT_DEPTH 3

/* The split of the run oc starts (fp_occ.same) in idx, or NULL. */
static inline const struct fp_run_split *
fp_run_split_of(const struct fp_index *idx, const struct fp_occ *oc)
{
	uint32_t k;

	if (oc->same < FP_RUN_SPLIT_MIN - 1 || !idx->occ_split ||
	    (k = idx->occ_split[oc - idx->occs]) == FP_RUN_SPLIT_NONE)
		return NULL;
	return &idx->splits[k];
}

/*
 * The members of split sp (fp_run_split) to test where its run's text
 * stands at line[start], n bytes long: split_lits[*first .. *last), the
 * list of the line's byte at the split's position, or of the position
 * outside the line, and of the split below it (FP_RUN_SPLIT_SUB) by its
 * own position. How many splits it read: the probe (occ_verify_split())
 * and the stage model's charge for it (probe_cost()) walk the same lists.
 */
static inline unsigned
fp_split_list(const struct fp_index *idx, const struct fp_run_split *sp, const unsigned char *line, size_t len,
	      size_t start, size_t n, uint32_t *first, uint32_t *last)
{
	for (unsigned levels = 1;; levels++) {
		/* Before the text's start, or after its end; past either end of the line, a huge index. */
		size_t at = sp->at < 0 ? start - (size_t)-sp->at : start + n + (size_t)sp->at;
		unsigned b = at < len ? line[at] : FP_RUN_SPLIT_OUT;
		uint32_t k;

		*first = sp->list[b];
		*last = sp->list[b + 1];
		if (*first == *last || !((k = idx->split_lits[*first]) & FP_RUN_SPLIT_SUB))
			return levels;
		sp = &idx->splits[k & ~FP_RUN_SPLIT_SUB];
	}
}

/*
 * The splits of idx's runs of FP_RUN_SPLIT_MIN literals or more (its
 * run_heads, of occs[0..n)): fp_run_split (match_fast_split.c). None is an answer too (occ_split NULL). A run that
 * index like (of the same engine, or NULL) holds too, the same literals in
 * the same order, takes like's split of it: a split depends on its run's
 * members alone. 0 or -ENOMEM (what it allocated stays in idx, for
 * fw__fast_index_free()).
 */
int fw__fast_runs_split(const struct fast *f, struct fp_index *idx, uint32_t n, const struct fp_index *like);

#endif
