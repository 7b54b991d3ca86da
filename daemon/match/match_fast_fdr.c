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
#include "match/regex_parse.h"

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

/* Whether window w has sets before its bytes. */
static bool
has_sets(const struct fw_fdr_window *w)
{
	return w->n_before != 0;
}

/*
 * The bytes of window w, its sets left out: a set stands for many bytes,
 * so a short literal with sets before it goes with the other short
 * windows, and its sets' pairs do not cost a bucket of long windows their
 * selectivity.
 */
static uint32_t
own_len(const struct fw_fdr_window *w)
{
	return w->len - w->n_before;
}

/* The bytes that may stand at position i of window w, into out; their number. */
static unsigned
pos_bytes(const struct fw_fdr_window *w, uint32_t i, unsigned char out[256])
{
	const struct fw_rx_bytes *set;
	unsigned n = 0;

	if (i >= w->n_before)
		return case_variants(w->bytes[i - w->n_before], w->caseless, out);
	set = &w->before[w->n_before - 1 - i];
	for (unsigned b = 0; b < 256; b++)
		if (fw_rx_bytes_has(set, b))
			out[n++] = (unsigned char)b;
	return n;
}

/* The low four bits (FW_FDR_BEFORE_BITS) of bytes v[0..n), as bits. */
static unsigned
nibbles_of(const unsigned char *v, unsigned n)
{
	unsigned bits = 0;

	for (unsigned k = 0; k < n; k++)
		bits |= 1u << (v[k] & FW_FDR_BEFORE_BITS);
	return bits;
}

/* Windows sort by their bytes' length, then group: a counting sort on this key. */
#define SORT_KEYS (FW_FDR_WINDOW_MAX * 32)

static unsigned
sort_key(const struct fw_fdr_window *x)
{
	return (own_len(x) - 1) * 32 + x->group;
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

/*
 * The same in a byte-before table: each pair under the byte before it,
 * the window's own. Case variants of a letter share the four bits of it
 * that count: one of them stands for both. The window's first pair, whose
 * byte before lies outside it, is cleared under every value of that byte
 * by build().
 */
static void
add_pairs_before(struct fw_fdr *fdr, const struct fw_fdr_window *w, unsigned b)
{
	unsigned char v[FW_FDR_WINDOW_MAX][2];
	unsigned nv[FW_FDR_WINDOW_MAX];

	if (!w->caseless) {
		for (uint32_t j = 0; j + 3 <= w->len; j++)
			fdr->mask[fw__fdr_index_before(w->bytes + w->len - 2 - j)] &= ~((uint64_t)1 << (8 * j + b));
		return;
	}
	for (uint32_t i = 0; i < w->len; i++)
		nv[i] = case_variants(w->bytes[i], true, v[i]);
	for (uint32_t j = 0; j + 3 <= w->len; j++) {
		uint32_t i = w->len - 2 - j;
		uint64_t bit = (uint64_t)1 << (8 * j + b);

		for (unsigned x = 0; x < nv[i]; x++)
			for (unsigned y = 0; y < nv[i + 1]; y++)
				fdr->mask[fw__fdr_hash(v[i - 1][0], v[i][x], v[i + 1][y])] &= ~bit;
	}
}

/*
 * add_pairs() or add_pairs_before() for a window with sets: each pair of
 * bytes that may stand at two adjacent positions, and in a byte-before
 * table under the low four bits of each byte that may stand before it.
 * Out of line: few windows have sets, and inlined it took the registers
 * of the other windows' loops.
 */
static __attribute__((noinline)) void
add_pairs_sets(struct fw_fdr *fdr, const struct fw_fdr_window *w, unsigned b, bool before)
{
	unsigned char v[FW_FDR_WINDOW_MAX][256];
	unsigned nv[FW_FDR_WINDOW_MAX];

	for (uint32_t i = 0; i < w->len; i++)
		nv[i] = pos_bytes(w, i, v[i]);
	for (uint32_t j = 0; j + 2 + before <= w->len; j++) {
		uint32_t i = w->len - 2 - j;
		uint64_t bit = (uint64_t)1 << (8 * j + b);
		unsigned nibbles = before ? nibbles_of(v[i - 1], nv[i - 1]) : 0;

		for (unsigned x = 0; x < nv[i]; x++)
			for (unsigned y = 0; y < nv[i + 1]; y++) {
				unsigned char p[2] = { v[i][x], v[i + 1][y] };

				if (!before)
					fdr->mask[fw__fdr_index(p)] &= ~bit;
				for (unsigned nb = nibbles; nb; nb &= nb - 1)
					fdr->mask[fw__fdr_hash((unsigned char)__builtin_ctz(nb), p[0], p[1])] &= ~bit;
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

static int
build(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n, bool before)
{
	uint32_t *order = malloc((n ? n : 1) * sizeof *order), start[SORT_KEYS + 1] = { 0 };
	/*
	 * Per second byte c of a pair: the bits to clear for it in every
	 * entry, the distances past a bucket's window (any) and those where a
	 * window starts with c (clear[c]); in a byte-before table also those
	 * where c is a window's second byte, per four low bits of its first
	 * (first[c][a]: the entries of every byte before it).
	 */
	uint64_t clear[256] = { 0 }, any = 0, (*first)[FW_FDR_BEFORE_BITS + 1] = NULL;
	uint32_t n_short = 0;

	memset(fdr, 0, sizeof *fdr);
	fdr->mask = malloc(((size_t)FW_FDR_DOMAIN + 1) * sizeof *fdr->mask);
	if (before)
		first = calloc(256, sizeof *first);
	if (!fdr->mask || !order || (before && !first)) {
		free(order);
		free(first);
		fw__fdr_free(fdr);
		return -ENOMEM;
	}
	fdr->before = before;
	for (uint32_t i = 0; i < n; i++)
		start[sort_key(&w[i]) + 1]++;
	for (uint32_t k = 0; k < SORT_KEYS; k++)
		start[k + 1] += start[k];
	for (uint32_t i = 0; i < n; i++)
		order[start[sort_key(&w[i])]++] = i;

	/* The short windows, if any, have a bucket of their own; the others share the rest. */
	while (n_short < n && own_len(&w[order[n_short]]) <= FDR_SHORT)
		n_short++;
	/* What every entry of a second byte clears, then each entry from it: no pass of its own. */
	for (uint32_t i = 0; i < n; i++) {
		const struct fw_fdr_window *x = &w[order[i]];
		unsigned b = bucket_of(i, n, n_short), nv;
		unsigned char v[256], v1[256];

		fdr->groups[1u << b] |= (uint32_t)1 << x->group;
		/* Distance len - 1: the pair whose second byte is the window's first. */
		nv = has_sets(x) ? pos_bytes(x, 0, v) : case_variants(x->bytes[0], x->caseless, v);
		if (x->len - 1 < FW_FDR_STEP)
			for (unsigned k = 0; k < nv; k++)
				clear[v[k] & FW_FDR_BYTE_BITS] |= (uint64_t)1 << (8 * (x->len - 1) + b);
		for (uint32_t j = x->len; j < FW_FDR_STEP; j++)
			any |= (uint64_t)1 << (8 * j + b);
		/* Distance len - 2 of a byte-before table: the window's first pair, any byte before it. */
		if (before && x->len >= 2 && !has_sets(x)) {
			for (unsigned k = 0, n1 = case_variants(x->bytes[1], x->caseless, v1); k < n1; k++)
				first[v1[k]][v[0] & FW_FDR_BEFORE_BITS] |= (uint64_t)1 << (8 * (x->len - 2) + b);
		} else if (before && x->len >= 2) {
			unsigned n1 = pos_bytes(x, 1, v1);

			for (unsigned nb = nibbles_of(v, nv); nb; nb &= nb - 1)
				for (unsigned k = 0; k < n1; k++)
					first[v1[k]][__builtin_ctz(nb)] |= (uint64_t)1 << (8 * (x->len - 2) + b);
		}
	}
	/*
	 * Every entry of a pair ending in c: a byte-before table's index
	 * leaves c as it is and covers every first byte, as the plain one
	 * does; its first byte's four low bits are those of the pair's first
	 * byte XOR-ed with the byte before's.
	 */
	for (unsigned c = 0; c < 256; c++) {
		uint64_t row[FW_FDR_BEFORE_BITS + 1];

		for (unsigned a = 0; a <= FW_FDR_BEFORE_BITS; a++)
			row[a] = ~(clear[c & FW_FDR_BYTE_BITS] | any | (before ? first[c][a] : 0));
		/* The entries of c's 256 first bytes: row, which repeats every 16 of them, copied. */
		for (unsigned a = 0; a < 256; a += FW_FDR_BEFORE_BITS + 1)
			memcpy(&fdr->mask[a | c << 8], row, sizeof row);
	}
	for (uint32_t i = 0; i < n; i++) {
		unsigned b = bucket_of(i, n, n_short);

		if (has_sets(&w[order[i]]))
			add_pairs_sets(fdr, &w[order[i]], b, before);
		else if (before)
			add_pairs_before(fdr, &w[order[i]], b);
		else
			add_pairs(fdr, &w[order[i]], b);
	}
	/* A set's groups: those of its lowest bucket and of the rest of it. */
	for (unsigned set = 1; set < 1u << FW_FDR_BUCKETS; set++)
		fdr->groups[set] = fdr->groups[set & -set] | fdr->groups[set & (set - 1)];
	free(order);
	free(first);
	return 0;
}

int
fw__fdr_build(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n)
{
	return build(fdr, w, n, false);
}

int
fw__fdr_build_before(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n)
{
	return build(fdr, w, n, true);
}

void
fw__fdr_free(struct fw_fdr *fdr)
{
	free(fdr->mask);
	memset(fdr, 0, sizeof *fdr);
}
