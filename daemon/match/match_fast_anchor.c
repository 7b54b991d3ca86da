/*
 * match_fast_anchor: shared windows ("anchors") of the literals the fast
 * engine looks up on demand (see match_fast_int.h).
 *
 * A pattern's other required literals are looked up on a line only when
 * its first one was seen there. When one line triggers many patterns, the
 * lookups are many distinct literals that often share a piece of text: a
 * key (`SRC=`, `msg="`), a suffix (`.go:`), a common word. Each exact
 * literal looked up on demand gets the 4-byte window of its own that the
 * most other such literals hold; where at least two share it, that window
 * becomes an anchor. The scan of a line finds an anchor's places once (on
 * the first lookup that needs them); each literal holding it is then
 * compared only at those places, instead of searching the whole line per
 * literal.
 *
 * Guarantees: an anchor is a substring of every literal that uses it, so
 * a literal occurs only where its anchor does: looking it up at the
 * anchor's places finds exactly what searching the line would. Built once
 * at compile time; the temporary table is freed before returning.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"
#include "match/match_fast_rank.h"

/* One distinct window of the looked-up literals. */
struct window {
	uint32_t bytes;         /* the 4 bytes as loaded (0 with holders = 0: an empty slot) */
	uint32_t holders;       /* literals that hold it */
	uint32_t last;          /* the last literal counted (a literal counts once), then its anchor */
};

struct window_table {
	struct window *w;
	uint32_t mask;
};

static inline uint32_t
window_bytes(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static struct window *
window_slot(const struct window_table *t, uint32_t bytes)
{
	uint32_t h;

	for (h = (bytes * 0x9E3779B1u) >> 7 & t->mask;; h = (h + 1) & t->mask) {
		struct window *w = &t->w[h];

		if (!w->holders || w->bytes == bytes)
			return w;
	}
}

/* Literals that may get an anchor: exact, looked up on demand, longer than a window. */
static bool
anchorable(const struct fp_lit *l)
{
	return !fp_lit_scanned(l) && !l->caseless && l->len > FP_ANCHOR_LEN;
}

/* Counts, per distinct window, the literals holding it. 0 or -ENOMEM. */
static int
count_windows(const struct fast *f, struct window_table *t)
{
	size_t n = 0, size = 16;

	for (uint32_t i = 0; i < f->n_lits; i++)
		if (anchorable(&f->lits[i]))
			n += f->lits[i].len - FP_ANCHOR_LEN + 1;
	while (size < 2 * n)
		size *= 2;
	if (size > UINT32_MAX)
		return -ENOMEM;
	t->w = calloc(size, sizeof *t->w);
	t->mask = (uint32_t)size - 1;
	if (!t->w)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];

		if (!anchorable(l))
			continue;
		for (uint32_t off = 0; off + FP_ANCHOR_LEN <= l->len; off++) {
			struct window *w = window_slot(t, window_bytes(l->bytes + off));

			if (w->holders && w->last == i)
				continue;       /* the same window twice in one literal */
			w->bytes = window_bytes(l->bytes + off);
			w->holders++;
			w->last = i;
		}
	}
	return 0;
}

/* Where literal l's most shared window starts; *holders says how many literals hold it. */
static uint32_t
best_window(const struct window_table *t, const struct fp_lit *l, uint32_t *holders)
{
	uint32_t best = 0;

	*holders = 0;
	for (uint32_t off = 0; off + FP_ANCHOR_LEN <= l->len; off++) {
		const struct window *w = window_slot(t, window_bytes(l->bytes + off));

		if (w->holders > *holders) {
			*holders = w->holders;
			best = off;
		}
	}
	return best;
}

/* A literal holding an anchor, for sorting them into sets. */
struct holder {
	uint32_t anchor, off, lit;
};

static int
holder_cmp(const void *x, const void *y)
{
	const struct holder *a = x, *b = y;

	if (a->anchor != b->anchor)
		return a->anchor < b->anchor ? -1 : 1;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	return a->lit < b->lit ? -1 : a->lit > b->lit;
}

/* Where set s hashes the literal at p: hoff bytes on, klen bytes. */
static uint32_t
set_hash(const struct fp_anchor_set *s, const unsigned char *p)
{
	return fp_anchor_hash(s, p + s->hoff, s->klen);
}

/* Reads the klen bytes from hoff in s (head_mask for klen). */
static void
set_window(struct fp_anchor_set *s, uint32_t hoff, uint32_t klen)
{
	unsigned char ones[sizeof s->head_mask] = { 0 };

	s->hoff = hoff;
	s->klen = klen;
	memset(ones, 0xff, klen);
	memcpy(&s->head_mask, ones, sizeof ones);
}

/*
 * Sizes set s for the holders h[0..n) and puts their literals in its
 * buckets, at anchor_lits[base..base + n). The hashed window is the one
 * within the shortest literal that spreads them best over the buckets
 * (least sum of squared bucket sizes: the comparisons a place costs).
 */
static void
fill_set(struct fast *f, struct fp_anchor_set *s, const struct holder *h, uint32_t n, uint32_t base,
	 uint32_t *fill)
{
	uint32_t *b = f->anchor_buckets + s->first_bucket, shortest = UINT32_MAX, best_off = 0;
	uint64_t best = UINT64_MAX;

	s->off = h[0].off;
	s->n_lits = n;
	for (uint32_t i = 0; i < n; i++)
		if (f->lits[h[i].lit].len < shortest)
			shortest = f->lits[h[i].lit].len;
	for (uint32_t hoff = 0; hoff < shortest; hoff++) {
		uint64_t sum = 0;

		set_window(s, hoff, shortest - hoff < sizeof s->head_mask ? shortest - hoff : sizeof s->head_mask);
		memset(fill, 0, (s->mask + 1) * sizeof *fill);
		for (uint32_t i = 0; i < n; i++)
			sum += 2 * fill[set_hash(s, f->lits[h[i].lit].bytes)]++ + 1;
		if (sum < best) {
			best = sum;
			best_off = hoff;
		}
	}
	set_window(s, best_off,
		   shortest - best_off < sizeof s->head_mask ? shortest - best_off : sizeof s->head_mask);
	for (uint32_t i = 0; i < n; i++)
		b[set_hash(s, f->lits[h[i].lit].bytes) + 1]++;
	b[0] = base;
	for (uint32_t i = 0; i <= s->mask; i++)
		b[i + 1] += b[i];
	for (uint32_t i = 0; i <= s->mask; i++)
		fill[i] = b[i];
	for (uint32_t i = 0; i < n; i++)
		f->anchor_lits[fill[set_hash(s, f->lits[h[i].lit].bytes)]++] = h[i].lit;
	for (uint32_t i = 0; i < n; i++)
		f->lits[h[i].lit].anchor_set = (uint32_t)(s - f->anchor_sets);
}

/*
 * Puts the literals holding each anchor in sets by the anchor's offset in
 * them, each hashed by its literals' first bytes. 0 or -ENOMEM.
 */
static int
anchor_sets_build(struct fast *f)
{
	struct holder *h;
	uint32_t n = 0, n_sets = 0, n_buckets = 0, *fill = NULL;
	int rc = -ENOMEM;

	for (uint32_t i = 0; i < f->n_lits; i++)
		n += f->lits[i].anchor != FP_ANCHOR_NONE;
	h = malloc((n ? n : 1) * sizeof *h);
	f->anchor_set_first = calloc(f->n_anchors + 1, sizeof *f->anchor_set_first);
	f->anchor_lits = malloc((n ? n : 1) * sizeof *f->anchor_lits);
	if (!h || !f->anchor_set_first || !f->anchor_lits)
		goto out;
	n = 0;
	for (uint32_t i = 0; i < f->n_lits; i++)
		if (f->lits[i].anchor != FP_ANCHOR_NONE)
			h[n++] = (struct holder){ f->lits[i].anchor, f->lits[i].anchor_off, i };
	qsort(h, n, sizeof *h, holder_cmp);
	/* Buckets: a power of two at least twice the set's literals. */
	for (uint32_t i = 0, j; i < n; i = j) {
		uint32_t size = 2;

		for (j = i; j < n && h[j].anchor == h[i].anchor && h[j].off == h[i].off; j++)
			;
		while (size < 2 * (j - i))
			size *= 2;
		n_sets++;
		n_buckets += size + 1;
	}
	f->anchor_sets = calloc(n_sets ? n_sets : 1, sizeof *f->anchor_sets);
	f->anchor_buckets = calloc(n_buckets ? n_buckets : 1, sizeof *f->anchor_buckets);
	fill = malloc((n_buckets ? n_buckets : 1) * sizeof *fill);
	if (!f->anchor_sets || !f->anchor_buckets || !fill)
		goto out;
	n_sets = n_buckets = 0;
	for (uint32_t i = 0, j; i < n; i = j) {
		struct fp_anchor_set *s = &f->anchor_sets[n_sets++];
		uint32_t size = 2;

		for (j = i; j < n && h[j].anchor == h[i].anchor && h[j].off == h[i].off; j++)
			;
		while (size < 2 * (j - i))
			size *= 2;
		s->mask = size - 1;
		s->first_bucket = n_buckets;
		n_buckets += size + 1;
		f->anchor_set_first[h[i].anchor + 1] = n_sets;
		fill_set(f, s, h + i, j - i, i, fill);
	}
	f->n_anchor_sets = n_sets;
	/* An anchor without literals (none is) would have no sets. */
	for (uint32_t a = 1; a <= f->n_anchors; a++)
		if (f->anchor_set_first[a] < f->anchor_set_first[a - 1])
			f->anchor_set_first[a] = f->anchor_set_first[a - 1];
	rc = 0;
out:
	free(h);
	free(fill);
	return rc;
}

int
fw__fast_anchors_build(struct fast *f)
{
	struct window_table t;
	uint32_t holders;

	for (uint32_t i = 0; i < f->n_lits; i++)
		f->lits[i].anchor = FP_ANCHOR_NONE;
	if (count_windows(f, &t) < 0)
		return -ENOMEM;
	/* From here on a window's `last` is its anchor (UINT32_MAX: none yet). */
	for (uint32_t h = 0; h <= t.mask; h++)
		t.w[h].last = UINT32_MAX;
	f->anchors = calloc(f->n_lits ? f->n_lits : 1, sizeof *f->anchors);
	if (!f->anchors) {
		free(t.w);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_lit *l = &f->lits[i];
		uint32_t off;
		struct window *w;

		if (!anchorable(l))
			continue;
		off = best_window(&t, l, &holders);
		if (holders < 2)
			continue;
		w = window_slot(&t, window_bytes(l->bytes + off));
		if (w->last == UINT32_MAX) {
			struct fp_lit *a = &f->anchors[f->n_anchors];

			a->bytes = l->bytes + off;      /* borrowed from the first literal holding it */
			a->len = FP_ANCHOR_LEN;
			a->ctx = FP_CTX_NONE;
			a->anchor = FP_ANCHOR_NONE;
			a->find = fw__rank_lit_find(a);
			w->last = f->n_anchors++;
		}
		l->anchor = w->last;
		l->anchor_off = off;
	}
	free(t.w);
	return anchor_sets_build(f);
}
