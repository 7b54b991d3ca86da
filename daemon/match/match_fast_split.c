/*
 * match_fast_split: a run of one text in an index (fp_occ.same) told
 * apart by line bytes next to the text (struct fp_run_split in
 * match_fast_split.h): a position chosen from the run's own contexts and
 * its lists of members by byte, and a list still long split again the
 * same way among its own members. match_fast_index.c marks the runs and
 * calls fw__fast_runs_split(); the probe reads the lists
 * (match_fast_probe.h, occ_verify_split()). A context that re-keys builds
 * its index anew, where most runs are those of the index it ran, the same
 * literals in the same order: those take that index's splits, copied,
 * instead of choosing them again (a run's split is a function of its
 * members alone; choosing is what a build of a run spends most on).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"
#include "match/match_fast_split.h"

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
 * How many members of mem[0..n) each list of a split at `at` would hold,
 * the members without a constraint there left out (count[0..
 * FP_RUN_SPLIT_OUT), zeroed by the caller), and how many those are
 * (*always, in every list); into *longest the longest list, the sum of
 * all returned.
 */
static uint64_t
split_count(const struct fast *f, const uint32_t *mem, uint32_t n, int32_t at, uint32_t *count,
	    uint32_t *always, uint32_t *longest)
{
	uint32_t none = 0, most = 0;
	uint64_t sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct fw_rx_bytes *b = split_set(f, mem[i], at);

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
 * The position of mem[0..n) whose longest list is shortest (then whose
 * lists are shortest together), from the members' own contexts: into
 * *at, and how many entries its lists take into *entries. false when no
 * position leaves out a member from every list, or when the lists would
 * hold more than FP_RUN_SPLIT_SPREAD entries a member (a quarter of the
 * byte values: members without a constraint there, in every list, or
 * wide classes), which bounds a split's memory by 256 bytes a member.
 */
#define FP_RUN_SPLIT_SPREAD 64

static bool
split_choose(const struct fast *f, const uint32_t *mem, uint32_t n, int32_t *at, uint32_t *entries)
{
	uint32_t count[FP_RUN_SPLIT_OUT], best = n, always, longest;
	uint64_t best_sum = UINT64_MAX, sum;
	int32_t before = 0, after = 0;

	/* Only the positions some member constrains. */
	for (uint32_t i = 0; i < n; i++) {
		const struct fp_lit *l = &f->lits[mem[i]];

		if (l->ctx == FP_CTX_NONE)
			continue;
		if (f->ctxs[l->ctx].n_before > before)
			before = f->ctxs[l->ctx].n_before;
		if (f->ctxs[l->ctx].n_after > after)
			after = f->ctxs[l->ctx].n_after;
	}
	for (int32_t a = -before; a < after; a++) {
		memset(count, 0, sizeof count);
		sum = split_count(f, mem, n, a, count, &always, &longest);
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

/* The splits of one index as they are built: grown as the runs' trees are. */
struct split_build {
	const struct fast *f;
	struct fp_run_split *splits;
	uint32_t n_splits, cap_splits;
	uint32_t *lits;
	uint32_t n_lits, cap_lits;
	uint64_t budget;        /* the entries the run's lists below its first split may still take */
};

static int
build_grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, (size_t)c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

/*
 * Split mem[0..n) (run order), depth splits below the run's first: the
 * split's lists of byte values (tmp, by off[]), each of FP_RUN_SPLIT_AGAIN
 * members or more split again below it while depth and the run's budget
 * allow, then the split's own lists, each a sub-split's one entry
 * (FP_RUN_SPLIT_SUB) or its members. Children come before their parent
 * in split_lits, so that each split's lists lie in one piece. Its index
 * into *k: 1, 0 when no position tells the members apart, or -ENOMEM.
 */
static int
split_node(struct split_build *sb, const uint32_t *mem, uint32_t n, unsigned depth, uint32_t *k)
{
	uint32_t count[FP_RUN_SPLIT_OUT] = { 0 }, off[FP_RUN_SPLIT_OUT + 2], next[FP_RUN_SPLIT_OUT + 1];
	uint32_t sub[FP_RUN_SPLIT_OUT + 1], always, longest, entries, kk, k0, *tmp;
	uint32_t sub_always = FP_RUN_SPLIT_NONE;
	bool tried_always = false;
	int32_t at = 0;
	int rc;

	if (!split_choose(sb->f, mem, n, &at, &entries))
		return 0;
	if (depth) {
		if (entries + (uint64_t)FP_RUN_SPLIT_OUT + 2 > sb->budget)
			return 0;
		sb->budget -= entries + FP_RUN_SPLIT_OUT + 2;
	}
	tmp = malloc((size_t)entries * sizeof *tmp);
	if (!tmp)
		return -ENOMEM;
	split_count(sb->f, mem, n, at, count, &always, &longest);
	off[0] = 0;
	for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT; b++) {
		next[b] = off[b];
		off[b + 1] = off[b] + always + (b < FP_RUN_SPLIT_OUT ? count[b] : 0);
	}
	for (uint32_t m = 0; m < n; m++) {
		const struct fw_rx_bytes *set = split_set(sb->f, mem[m], at);

		if (!set) {
			for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT; b++)
				tmp[next[b]++] = mem[m];
			continue;
		}
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t bits = set->w[w]; bits; bits &= bits - 1)
				tmp[next[w * 64 + (unsigned)__builtin_ctzll(bits)]++] = mem[m];
	}
	rc = build_grow((void **)&sb->splits, &sb->cap_splits, sb->n_splits + 1, sizeof *sb->splits);
	if (rc < 0)
		goto out;
	k0 = sb->n_splits++;
	/* Only when some list may be split again; sub[] is read only then. */
	for (unsigned b = 0; depth + 1 < FP_RUN_SPLIT_DEPTH && longest >= FP_RUN_SPLIT_AGAIN &&
			     sb->f->n_lits < FP_RUN_SPLIT_SUB && b <= FP_RUN_SPLIT_OUT;
	     b++) {
		uint32_t len = off[b + 1] - off[b];
		/* The lists of the members alone that constrain nothing here are one list, split once. */
		bool alone = b == FP_RUN_SPLIT_OUT || !count[b];

		sub[b] = FP_RUN_SPLIT_NONE;
		if (len < FP_RUN_SPLIT_AGAIN)
			continue;
		if (alone && tried_always) {
			sub[b] = sub_always;
			continue;
		}
		rc = split_node(sb, tmp + off[b], len, depth + 1, &kk);
		if (rc < 0)
			goto out;
		if (rc)
			sub[b] = kk;
		if (alone) {
			tried_always = true;
			sub_always = sub[b];
		}
	}
	rc = build_grow((void **)&sb->lits, &sb->cap_lits, sb->n_lits + entries, sizeof *sb->lits);
	if (rc < 0)
		goto out;
	sb->splits[k0].at = at;
	if (k0 + 1 == sb->n_splits) {
		/* None split again (the most): the lists as they are. */
		memcpy(sb->lits + sb->n_lits, tmp, (size_t)entries * sizeof *tmp);
		for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT + 1; b++)
			sb->splits[k0].list[b] = sb->n_lits + off[b];
		sb->n_lits += entries;
	} else {
		for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT; b++) {
			sb->splits[k0].list[b] = sb->n_lits;
			if (sub[b] != FP_RUN_SPLIT_NONE) {
				sb->lits[sb->n_lits++] = FP_RUN_SPLIT_SUB | sub[b];
				continue;
			}
			memcpy(sb->lits + sb->n_lits, tmp + off[b], (off[b + 1] - off[b]) * sizeof *tmp);
			sb->n_lits += off[b + 1] - off[b];
		}
		sb->splits[k0].list[FP_RUN_SPLIT_OUT + 1] = sb->n_lits;
	}
	*k = k0;
	rc = 1;
out:
	free(tmp);
	return rc;
}

/*
 * The runs of another index of the same engine (fw__fast_runs_split()'s
 * like), found by their members: open addressing on a hash of the
 * members' literals, UINT32_MAX where empty.
 */
struct like_runs {
	const struct fp_index *idx;
	uint32_t *heads;
	uint32_t mask;
};

static uint32_t
run_hash(const struct fp_occ *run, uint32_t members)
{
	uint64_t h = members;

	for (uint32_t i = 0; i < members; i++)
		h = (h ^ run[i].lit) * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(h >> 32);
}

/* like's runs (fp_index.run_heads) by their members. 0 or -ENOMEM. */
static int
like_runs_init(struct like_runs *lr, const struct fp_index *like)
{
	uint32_t size = 16;

	memset(lr, 0, sizeof *lr);
	if (!like || !like->n_run_heads)
		return 0;
	while (size < 2 * like->n_run_heads)
		size *= 2;
	lr->heads = malloc(size * sizeof *lr->heads);
	if (!lr->heads)
		return -ENOMEM;
	memset(lr->heads, 0xff, size * sizeof *lr->heads);
	lr->idx = like;
	lr->mask = size - 1;
	for (uint32_t h = 0; h < like->n_run_heads; h++) {
		const struct fp_occ *run = &like->occs[like->run_heads[h]];
		uint32_t at = run_hash(run, run->same + 1u) & lr->mask;

		while (lr->heads[at] != UINT32_MAX)
			at = (at + 1) & lr->mask;
		lr->heads[at] = like->run_heads[h];
	}
	return 0;
}

/* The first occurrence of like's run of the same literals as run[0..members), or UINT32_MAX. */
static uint32_t
like_run_find(const struct like_runs *lr, const struct fp_occ *run, uint32_t members)
{
	if (!lr->heads)
		return UINT32_MAX;
	for (uint32_t at = run_hash(run, members) & lr->mask; lr->heads[at] != UINT32_MAX;
	     at = (at + 1) & lr->mask) {
		const struct fp_occ *o = &lr->idx->occs[lr->heads[at]];
		uint32_t i = 0;

		if (o->same + 1u != members)
			continue;
		while (i < members && o[i].lit == run[i].lit)
			i++;
		if (i == members)
			return lr->heads[at];
	}
	return UINT32_MAX;
}

/*
 * Copies split k0 of index from and the splits below it into sb: they are
 * k0 and the splits after it up to the last one a list of theirs names
 * (split_node() numbers a split before those below it), and their lists
 * lie in one piece of from's split_lits that ends with k0's own. Its
 * index in sb into *k; 1 (as split_node()) or -ENOMEM.
 */
static int
split_copy(struct split_build *sb, const struct fp_index *from, uint32_t k0, uint32_t *k)
{
	uint32_t end = k0 + 1, first = from->splits[k0].list[0];
	uint32_t last = from->splits[k0].list[FP_RUN_SPLIT_OUT + 1], nk, nl;

	for (uint32_t s = k0; s < end; s++) {
		const struct fp_run_split *sp = &from->splits[s];

		if (sp->list[0] < first)
			first = sp->list[0];
		for (uint32_t j = sp->list[0]; j < sp->list[FP_RUN_SPLIT_OUT + 1]; j++)
			if ((from->split_lits[j] & FP_RUN_SPLIT_SUB) &&
			    (from->split_lits[j] & ~FP_RUN_SPLIT_SUB) + 1 > end)
				end = (from->split_lits[j] & ~FP_RUN_SPLIT_SUB) + 1;
	}
	if (build_grow((void **)&sb->splits, &sb->cap_splits, sb->n_splits + (end - k0),
		       sizeof *sb->splits) < 0 ||
	    build_grow((void **)&sb->lits, &sb->cap_lits, sb->n_lits + (last - first), sizeof *sb->lits) < 0)
		return -ENOMEM;
	nk = sb->n_splits;
	nl = sb->n_lits;
	for (uint32_t s = k0; s < end; s++) {
		struct fp_run_split *to = &sb->splits[nk + (s - k0)];

		to->at = from->splits[s].at;
		for (unsigned b = 0; b <= FP_RUN_SPLIT_OUT + 1; b++)
			to->list[b] = from->splits[s].list[b] - first + nl;
	}
	for (uint32_t j = first; j < last; j++) {
		uint32_t m = from->split_lits[j];

		sb->lits[nl + (j - first)] = m & FP_RUN_SPLIT_SUB ? ((m & ~FP_RUN_SPLIT_SUB) - k0 + nk) |
								     FP_RUN_SPLIT_SUB : m;
	}
	sb->n_splits += end - k0;
	sb->n_lits += last - first;
	*k = nk;
	return 1;
}

int
fw__fast_runs_split(const struct fast *f, struct fp_index *idx, uint32_t n, const struct fp_index *like)
{
	struct split_build sb = { .f = f };
	struct like_runs lr;
	uint32_t *mem = NULL, cap_mem = 0, k;
	int rc = like_runs_init(&lr, like);

	if (rc < 0)
		goto out;
	for (uint32_t h = 0; h < idx->n_run_heads; h++) {
		const struct fp_occ *run = &idx->occs[idx->run_heads[h]];
		uint32_t members = run->same + 1u, was = like_run_find(&lr, run, members);

		if (was != UINT32_MAX) {
			/* Split the same way in like, or not at all. */
			if (!like->occ_split || like->occ_split[was] == FP_RUN_SPLIT_NONE)
				continue;
			rc = split_copy(&sb, like, like->occ_split[was], &k);
		} else {
			rc = build_grow((void **)&mem, &cap_mem, members, sizeof *mem);
			if (rc < 0)
				goto out;
			for (uint32_t i = 0; i < members; i++)
				mem[i] = run[i].lit;
			sb.budget = (uint64_t)FP_RUN_SPLIT_SPREAD * members;
			rc = split_node(&sb, mem, members, 0, &k);
		}
		if (rc < 0)
			goto out;
		if (!rc)
			continue;
		if (!idx->occ_split) {
			idx->occ_split = malloc(n * sizeof *idx->occ_split);
			if (!idx->occ_split) {
				rc = -ENOMEM;
				goto out;
			}
			memset(idx->occ_split, 0xff, n * sizeof *idx->occ_split);     /* FP_RUN_SPLIT_NONE */
		}
		idx->occ_split[idx->run_heads[h]] = k;
	}
	rc = 0;
out:
	free(lr.heads);
	free(mem);
	idx->splits = sb.splits;
	idx->split_lits = sb.lits;
	return rc;
}
