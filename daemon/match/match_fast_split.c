/*
 * match_fast_split: a run of one text in an index (fp_occ.same) told
 * apart by one line byte next to the text (struct fp_run_split in
 * match_fast_int.h): the position chosen from the run's own contexts, and
 * its lists of members by byte. match_fast_index.c marks the runs and
 * calls fw__fast_runs_split(); the probe reads the lists
 * (match_fast_probe.h, occ_verify_split()).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"

/*
 * The byte set literal l's context puts at split position at (fp_run_split),
 * or NULL when it constrains nothing there.
 */
static const struct fw_rx_bytes *
split_set(const struct fast *f, uint32_t lit, int32_t at)
{
	const struct fp_lit *l = &f->lits[lit];
	const struct fw_dfa_ctx *x;

	if (l->ctx == FP_CTX_NONE)
		return NULL;
	x = &f->ctxs[l->ctx];
	if (at < 0)
		return -at <= x->n_before ? &x->before[-at - 1] : NULL;
	return at < x->n_after ? &x->after[at] : NULL;
}

/*
 * How many members of the run occs[0..n) each list of a split at `at`
 * would hold, the members without a constraint there left out (count[0..
 * FP_RUN_SPLIT_OUT), zeroed by the caller), and how many those are
 * (*always, in every list); into *longest the longest list, the sum of
 * all returned.
 */
static uint64_t
split_count(const struct fast *f, const struct fp_occ *occs, uint32_t n, int32_t at, uint32_t *count,
	    uint32_t *always, uint32_t *longest)
{
	uint32_t none = 0, most = 0;
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct fw_rx_bytes *b = split_set(f, occs[i].lit, at);

		if (!b) {
			none++;
			continue;
		}
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t m = b->w[w]; m; m &= m - 1) {
				uint32_t k = ++count[w * 64 + (unsigned)__builtin_ctzll(m)];

				sum++;
				if (k > most)
					most = k;
			}
	}
	*always = none;
	*longest = most + none;
	return sum + (uint64_t)(FP_RUN_SPLIT_OUT + 1) * none;
}

/*
 * The position of the run occs[0..n) whose longest list is shortest (then
 * whose lists are shortest together), from its own contexts: into *at,
 * and how many entries its lists take into *entries. false when no
 * position leaves out a
 * member from every list, or when the lists would hold more than
 * FP_RUN_SPLIT_SPREAD entries a member (a quarter of the byte values:
 * members without a constraint there, in every list, or wide classes),
 * which bounds the splits' memory by 256 bytes an occurrence.
 */
#define FP_RUN_SPLIT_SPREAD 64

static bool
split_choose(const struct fast *f, const struct fp_occ *occs, uint32_t n, int32_t *at, uint32_t *entries)
{
	uint32_t count[FP_RUN_SPLIT_OUT], best = n, always, longest;
	uint64_t best_sum = UINT64_MAX, sum;
	int32_t before = 0, after = 0;

	/* Only the positions some member constrains. */
	for (uint32_t i = 0; i < n; i++) {
		const struct fp_lit *l = &f->lits[occs[i].lit];

		if (l->ctx == FP_CTX_NONE)
			continue;
		if (f->ctxs[l->ctx].n_before > before)
			before = f->ctxs[l->ctx].n_before;
		if (f->ctxs[l->ctx].n_after > after)
			after = f->ctxs[l->ctx].n_after;
	}
	for (int32_t a = -before; a < after; a++) {
		memset(count, 0, sizeof count);
		sum = split_count(f, occs, n, a, count, &always, &longest);
		if (longest > best || (longest == best && sum >= best_sum) ||
		    sum > (uint64_t)FP_RUN_SPLIT_SPREAD * n)
			continue;
		best = longest;
		best_sum = sum;
		*at = a;
	}
	*entries = (uint32_t)best_sum;
	/* A split with one member fewer in its longest list costs what it saves. */
	return best_sum != UINT64_MAX && best + 1 < n;
}

/* The split of the run occs[0..n) at `at` into sp, its lists from split_lits + *n_lits on. */
static void
split_fill(const struct fast *f, struct fp_index *idx, const struct fp_occ *occs, uint32_t n, int32_t at,
	   struct fp_run_split *sp, uint32_t *n_lits)
{
	uint32_t count[FP_RUN_SPLIT_OUT] = { 0 }, always, longest, next[FP_RUN_SPLIT_OUT + 1];

	split_count(f, occs, n, at, count, &always, &longest);
	sp->at = at;
	for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT; b++) {
		sp->list[b] = next[b] = *n_lits;
		*n_lits += always + (b < FP_RUN_SPLIT_OUT ? count[b] : 0);
	}
	sp->list[FP_RUN_SPLIT_OUT + 1] = *n_lits;
	for (uint32_t m = 0; m < n; m++) {
		const struct fw_rx_bytes *set = split_set(f, occs[m].lit, at);

		if (!set) {
			for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT; b++)
				idx->split_lits[next[b]++] = occs[m].lit;
			continue;
		}
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t bits = set->w[w]; bits; bits &= bits - 1)
				idx->split_lits[next[w * 64 + (unsigned)__builtin_ctzll(bits)]++] = occs[m].lit;
	}
}

int
fw__fast_runs_split(const struct fast *f, struct fp_index *idx, uint32_t n, const uint32_t *heads,
		    uint32_t n_heads)
{
	struct split_choice {
		uint32_t occ;
		int32_t at;
	} *chosen;
	uint32_t n_splits = 0, n_lits = 0, entries;
	int rc = -ENOMEM;

	if (!n_heads)
		return 0;
	chosen = malloc(n_heads * sizeof *chosen);
	if (!chosen)
		return -ENOMEM;
	for (uint32_t h = 0; h < n_heads; h++) {
		uint32_t i = heads[h];
		int32_t at;

		if (!split_choose(f, &idx->occs[i], idx->occs[i].same + 1u, &at, &entries))
			continue;
		n_lits += entries;
		chosen[n_splits].occ = i;
		chosen[n_splits++].at = at;
	}
	if (!n_splits) {
		free(chosen);
		return 0;
	}
	idx->occ_split = malloc(n * sizeof *idx->occ_split);
	idx->splits = malloc(n_splits * sizeof *idx->splits);
	idx->split_lits = malloc(n_lits * sizeof *idx->split_lits);
	if (!idx->occ_split || !idx->splits || !idx->split_lits)
		goto out;
	memset(idx->occ_split, 0xff, n * sizeof *idx->occ_split);     /* FP_RUN_SPLIT_NONE */
	n_lits = 0;
	for (uint32_t k = 0; k < n_splits; k++) {
		const struct fp_occ *run = &idx->occs[chosen[k].occ];

		idx->occ_split[chosen[k].occ] = k;
		split_fill(f, idx, run, run->same + 1u, chosen[k].at, &idx->splits[k], &n_lits);
	}
	rc = 0;
out:
	free(chosen);
	return rc;
}
