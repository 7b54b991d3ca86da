/*
 * match_fast_fdr: builds the bucketed shift-or filter (see match_fast_fdr.h).
 *
 * Buckets: the windows, shortest first, are cut into FW_FDR_BUCKETS runs
 * of about equal size, so that the short windows, which pass often, share
 * few buckets and the long ones keep their buckets selective.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_fdr.h"

/* Windows this short pass often wherever they are: they get a bucket of their own. */
#define FDR_SHORT 6

static unsigned
case_variants(unsigned char c, bool caseless, unsigned char out[2])
{
	out[0] = c;
	if (!caseless || !((unsigned)((c | 0x20) - 'a') < 26u))
		return 1;
	out[0] = (unsigned char)(c | 0x20);
	out[1] = (unsigned char)(c & ~0x20);
	return 2;
}

/* Windows sort by length, then group: a counting sort on this key. */
#define SORT_KEYS (FW_FDR_WINDOW_MAX * 32)

static unsigned
sort_key(const struct fw_fdr_window *x)
{
	return (x->len - 1) * 32 + x->group;
}

/* Clears, for bucket b, the bits of the pairs of window w that lie inside it. */
static void
add_pairs(struct fw_fdr *fdr, const struct fw_fdr_window *w, unsigned b)
{
	unsigned char v[FW_FDR_WINDOW_MAX][2];
	unsigned nv[FW_FDR_WINDOW_MAX];

	if (!w->caseless) {
		/* The pairs as they stand in the window: as they will in a line. */
		for (uint32_t j = 0; j + 2 <= w->len; j++)
			fdr->mask[fw__fdr_index(w->bytes + w->len - 2 - j)] &= ~((uint64_t)1 << (8 * j + b));
		return;
	}
	for (uint32_t i = 0; i < w->len; i++)
		nv[i] = case_variants(w->bytes[i], true, v[i]);
	for (uint32_t j = 0; j + 2 <= w->len; j++) {
		uint32_t i = w->len - 2 - j;

		for (unsigned x = 0; x < nv[i]; x++)
			for (unsigned y = 0; y < nv[i + 1]; y++) {
				unsigned char p[2] = { v[i][x], v[i + 1][y] };

				fdr->mask[fw__fdr_index(p)] &= ~((uint64_t)1 << (8 * j + b));
			}
	}
}

/* The bucket of the i-th of n windows in length order, n_short of them short. */
static unsigned
bucket_of(uint32_t i, uint32_t n, uint32_t n_short)
{
	if (!n_short || n_short == n)
		return (unsigned)((uint64_t)i * FW_FDR_BUCKETS / n);
	if (i < n_short)
		return 0;
	return 1 + (unsigned)((uint64_t)(i - n_short) * (FW_FDR_BUCKETS - 1) / (n - n_short));
}

int
fw__fdr_build(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n)
{
	uint32_t *order = malloc((n ? n : 1) * sizeof *order), start[SORT_KEYS + 1] = { 0 };
	/*
	 * Per (masked) second byte of a pair: the bits to clear for it in every
	 * entry, the distances past a bucket's window and those where a window
	 * starts with that byte.
	 */
	uint64_t clear[256] = { 0 }, any = 0;
	uint32_t n_short = 0;

	memset(fdr, 0, sizeof *fdr);
	fdr->mask = malloc(((size_t)FW_FDR_DOMAIN + 1) * sizeof *fdr->mask);
	if (!fdr->mask || !order) {
		free(order);
		fw__fdr_free(fdr);
		return -ENOMEM;
	}
	memset(fdr->mask, 0xFF, ((size_t)FW_FDR_DOMAIN + 1) * sizeof *fdr->mask);
	for (uint32_t i = 0; i < n; i++)
		start[sort_key(&w[i]) + 1]++;
	for (uint32_t k = 0; k < SORT_KEYS; k++)
		start[k + 1] += start[k];
	for (uint32_t i = 0; i < n; i++)
		order[start[sort_key(&w[i])]++] = i;

	/* The short windows, if any, have a bucket of their own; the others share the rest. */
	while (n_short < n && w[order[n_short]].len <= FDR_SHORT)
		n_short++;
	for (uint32_t i = 0; i < n; i++) {
		const struct fw_fdr_window *x = &w[order[i]];
		unsigned b = bucket_of(i, n, n_short), nv;
		unsigned char v[2];

		fdr->groups[1u << b] |= (uint32_t)1 << x->group;
		add_pairs(fdr, x, b);
		/* Distance len - 1: the pair whose second byte is the window's first. */
		nv = case_variants(x->bytes[0], x->caseless, v);
		if (x->len - 1 < FW_FDR_STEP)
			for (unsigned k = 0; k < nv; k++)
				clear[v[k] & FW_FDR_BYTE_BITS] |= (uint64_t)1 << (8 * (x->len - 1) + b);
		for (uint32_t j = x->len; j < FW_FDR_STEP; j++)
			any |= (uint64_t)1 << (8 * j + b);
	}
	for (unsigned c = 0; c < 256; c++) {
		if ((c & ~FW_FDR_BYTE_BITS) || !(clear[c] | any))
			continue;
		for (unsigned a = 0; a < 256; a++) {
			unsigned char p[2] = { (unsigned char)a, (unsigned char)c };

			if (!(a & ~FW_FDR_BYTE_BITS))
				fdr->mask[fw__fdr_index(p)] &= ~(clear[c] | any);
		}
	}
	/* A set's groups: those of its lowest bucket and of the rest of it. */
	for (unsigned set = 1; set < 1u << FW_FDR_BUCKETS; set++)
		fdr->groups[set] = fdr->groups[set & -set] | fdr->groups[set & (set - 1)];
	free(order);
	return 0;
}

void
fw__fdr_free(struct fw_fdr *fdr)
{
	free(fdr->mask);
	memset(fdr, 0, sizeof *fdr);
}
