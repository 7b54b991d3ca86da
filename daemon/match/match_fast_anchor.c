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
	return 0;
}
