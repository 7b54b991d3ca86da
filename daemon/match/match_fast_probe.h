/*
 * match_fast_probe: the fast engine's probe, where its scan stopped on a
 * key (match_fast.c): the key's slot in the index, then each of its
 * literals by its head (fp_occ) and, where the head stands, by the rest of
 * its bytes and its context; a literal found there triggers its patterns
 * in this context. The bucketed filter's probes also count their keys'
 * false hits (match_fast_adapt.h). Static functions of match_fast.c's
 * scan, kept apart so that each file reads as one concern; included by
 * match_fast.c only.
 */
#ifndef FW_MATCH_FAST_PROBE_H
#define FW_MATCH_FAST_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "match/match_fast_adapt.h"
#include "match/match_fast_ctx.h"
#include "match/match_fast_int.h"
#include "match/match_fast_split.h"

static inline void
trigger(struct fast_ctx *c, uint32_t p)
{
	if (c->pat_gen[p] == c->gen)
		return;
	c->pat_gen[p] = c->gen;
	c->trig[c->n_trig++] = p;
}

/*
 * A scanned literal occurs: the patterns it triggers in this context are
 * (those it is the first factor of, until the context moves triggers),
 * and a gate of the DFA's groups in this context opens them.
 */
static inline __attribute__((always_inline)) void
lit_seen(struct fast_ctx *c, uint32_t lit)
{
	const struct fast_adapt *a = &c->adapt;

	c->lit_stamp[lit].found = c->gen;
	c->dfa_gate_seen |= a->gate[lit];
	for (uint32_t r = a->trig_first[lit], end = a->trig_first[lit + 1]; r < end; r++)
		trigger(c, a->trig_pat[r]);
}

/*
 * Whether at[from..to) holds the literal's bytes there. Written out rather
 * than fp_lit_at(): measurably faster in probe().
 */
static inline bool
lit_bytes_at(const struct fp_lit *l, const unsigned char *at, uint32_t from, uint32_t to)
{
	if (!l->caseless)
		return memcmp(at + from, l->bytes + from, to - from) == 0;
	for (uint32_t i = from; i < to; i++)
		if (fold(at[i]) != l->bytes[i])
			return false;
	return true;
}

/*
 * Literal l's head (oc) stands, l starting at line[start]: whether its
 * other bytes stand too. The head is the literal's first or last bytes: a
 * last head ends the literal, so it lies in the line; after a first head
 * the rest may run past the line's end.
 */
static inline __attribute__((always_inline)) bool
lit_rest_at(const struct fp_lit *l, const struct fp_occ *oc, const unsigned char *line, size_t len,
	    size_t start)
{
	if (l->len <= FP_HEAD_LEN)
		return true;
	return oc->head_off ? lit_bytes_at(l, line + start, 0, oc->head_off)
			    : start + l->len <= len && lit_bytes_at(l, line + start, FP_HEAD_LEN, l->len);
}

/*
 * The key stood where the literal of oc did not, nor those of its run
 * (fp_occ.same), turned away by the same head: their misses
 * (match_fast_adapt.h), oc's own counted already. The last of the run.
 */
static __attribute__((noinline)) const struct fp_occ *
occ_run_missed(struct fast_ctx *c, const struct fp_occ *oc)
{
	uint32_t n = oc->same;

	for (uint32_t i = 1; i <= n; i++)
		c->adapt.misses[oc[i].lit]++;
	c->adapt.missed += n;
	return oc + n;
}

/*
 * The key stood where the head of oc did not: with count_misses, the
 * literal's miss and its run's (occ_run_missed()). The occurrence the
 * probe's walk goes on after: oc, or the last of its run.
 */
static inline __attribute__((always_inline)) const struct fp_occ *
head_missed(struct fast_ctx *c, const struct fp_occ *oc, bool count_misses, bool runs)
{
	if (count_misses) {
		c->adapt.misses[oc->lit]++;
		c->adapt.missed++;
		if (runs && oc->same)
			return occ_run_missed(c, oc);
	} else if (runs) {
		return oc + oc->same;
	}
	return oc;
}

/*
 * Literal oc->lit's head stands where its key ended, the literal starting at
 * line[start] (its head lies in the line): verify the rest of it and its
 * context, and see it. Out of line: the probe's walk over the heads keeps
 * its registers.
 */
static __attribute__((noinline)) void
occ_verify(const struct fast *f, struct fast_ctx *c, const struct fp_occ *oc, const unsigned char *line,
	   size_t len, size_t start)
{
	const struct fp_lit *l;

	/* It needed neither the literal nor the stamps until here. */
	if (c->lit_stamp[oc->lit].found == c->gen)
		return;
	l = &f->lits[oc->lit];
	if (!lit_rest_at(l, oc, line, len, start))
		return;
	if (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len))
		return;
	lit_seen(c, oc->lit);
}

/* Whether literal l's text stands at line[start] past its head oc: all of it when whole (see occ_verify_run()). */
static inline __attribute__((always_inline)) bool
run_text_at(const struct fp_lit *l, const struct fp_occ *oc, const unsigned char *line, size_t len, size_t start,
	    bool whole)
{
	return whole ? start + l->len <= len && lit_bytes_at(l, line + start, 0, l->len)
		     : lit_rest_at(l, oc, line, len, start);
}

/* Literal lit, one of a run whose text stands at line[start]: its stamp, its context, its sighting. */
static inline __attribute__((always_inline)) void
run_member_verify(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line, size_t len,
		  size_t start)
{
	const struct fp_lit *l;

	if (c->lit_stamp[lit].found == c->gen)
		return;
	l = &f->lits[lit];
	if (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len))
		return;
	lit_seen(c, lit);
}

/*
 * A run with a split (fp_run_split) whose text stands at line[start], n
 * bytes long: the members the line's byte at the split's position lists,
 * or those listed for a position outside the line; a list split again
 * (FP_RUN_SPLIT_SUB) by the byte at its own split's position.
 */
static __attribute__((noinline)) void
occ_verify_split(const struct fast *f, struct fast_ctx *c, const struct fp_index *idx,
		 const struct fp_run_split *sp, const unsigned char *line, size_t len, size_t start, size_t n)
{
	uint32_t m, end;

	fp_split_list(idx, sp, line, len, start, n, &m, &end);
	for (; m < end; m++)
		run_member_verify(f, c, idx->split_lits[m], line, len, start);
}

/*
 * occ_verify() for oc and the run it starts (fp_occ.same), one text: the
 * rest verified once (all of the text when whole: the head may run past
 * the line's end), then each literal's context, or, for a run with a
 * split (fp_index.occ_split), only the contexts of the literals its byte
 * lists. oc lies in the index the scan uses (fw__adapt_index()): looked
 * up here, not carried through the probe's walk, which has no register
 * to spare for it. The last of the run.
 */
static __attribute__((noinline)) const struct fp_occ *
occ_verify_run(const struct fast *f, struct fast_ctx *c, const struct fp_occ *oc, const unsigned char *line,
	       size_t len, size_t start, bool whole)
{
	const struct fp_index *idx = fw__adapt_index(&c->adapt, f);
	const struct fp_occ *last = oc + oc->same;
	const struct fp_run_split *sp;
	const struct fp_lit *l;

	if ((sp = fp_run_split_of(idx, oc))) {
		l = &f->lits[oc->lit];
		if (run_text_at(l, oc, line, len, start, whole))
			occ_verify_split(f, c, idx, sp, line, len, start, l->len);
		return last;
	}
	while (c->lit_stamp[oc->lit].found == c->gen)
		if (oc++ == last)
			return last;
	l = &f->lits[oc->lit];
	if (!run_text_at(l, oc, line, len, start, whole))
		return last;
	for (; oc <= last; oc++)
		run_member_verify(f, c, oc->lit, line, len, start);
	return last;
}

/*
 * The literals of a slot, oc up to last, whose key ended at after - 1:
 * probe_at(). With runs (FP_SLOT_RUNS), a run of literals of one text
 * (fp_occ.same) is tested by one head and verified by one rest; an
 * occurrence of a run tested alone would be tested right too.
 */
static inline __attribute__((always_inline)) void
probe_occs(const struct fast *f, struct fast_ctx *c, const struct fp_occ *oc, const struct fp_occ *last,
	   const unsigned char *line, size_t len, size_t after, bool heads_at_once, bool count_misses, bool runs)
{
	if (heads_at_once) {
		const unsigned char *at = line + after;

		for (; oc < last; oc++) {
			uint64_t v;

			memcpy(&v, at + oc->head_at, sizeof v);
			if ((v | oc->head_fold) != oc->head) {
				oc = head_missed(c, oc, count_misses, runs);
				continue;
			}
			if (runs && oc->same)
				oc = occ_verify_run(f, c, oc, line, len, after - oc->back, false);
			else
				occ_verify(f, c, oc, line, len, after - oc->back);
		}
		return;
	}
	for (; oc < last; oc++) {
		const struct fp_lit *l;
		size_t start;

		if (after < oc->back)
			continue;
		start = after - oc->back;
		if (start + oc->head_off + FP_HEAD_LEN <= len) {
			uint64_t v;

			memcpy(&v, line + start + oc->head_off, sizeof v);
			if ((v | oc->head_fold) != oc->head) {
				oc = head_missed(c, oc, count_misses, runs);
				continue;
			}
			if (runs && oc->same) {
				oc = occ_verify_run(f, c, oc, line, len, start, false);
				continue;
			}
			if (c->lit_stamp[oc->lit].found == c->gen)
				continue;
			l = &f->lits[oc->lit];
			/* Inline, not occ_verify(): most of the pair map's probes find their literal. */
			if (!lit_rest_at(l, oc, line, len, start))
				continue;
		} else {
			if (runs && oc->same) {
				oc = occ_verify_run(f, c, oc, line, len, start, true);
				continue;
			}
			l = &f->lits[oc->lit];
			if (c->lit_stamp[oc->lit].found == c->gen || start + l->len > len ||
			    !lit_bytes_at(l, line + start, 0, l->len))
				continue;
		}
		if (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len))
			continue;
		lit_seen(c, oc->lit);
	}
}

/*
 * The window ending at line[end] matched a key filter bit: verify its
 * literals, first by their heads (fp_occ) when the line holds the bytes.
 * With heads_at_once, a key of several literals whose literals would all
 * start in the line and whose heads all lie in it there (fp_slot) has its
 * heads tested without a bound each and the rest verified out of line:
 * the keys many literals share (a domain, a subnet) walk most heads and
 * find few literals. A key of one literal, and the pair map's probes
 * (most of which find their literal), take the walk with bounds. Only the
 * bucketed filter's probes of a slot with runs of one text (FP_SLOT_RUNS)
 * tell them; the pair map's test each literal on its own.
 */
static inline __attribute__((always_inline)) void
probe_at(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c, uint32_t key, unsigned klen,
	 const unsigned char *line, size_t len, size_t end, bool heads_at_once, bool count_misses)
{
	const struct fp_slot *s;
	const struct fp_occ *oc;
	size_t after = end + 1;
	uint32_t h, n_occ;

	for (h = slot_start(key, klen, idx->slot_mask);; h = (h + 1) & idx->slot_mask) {
		s = &idx->slots[h];
		if (!s->klen)
			return;
		if (s->klen == klen && s->key == key)
			break;
	}
	oc = idx->occs + s->first_occ;
	n_occ = s->n_occ;
	if (!heads_at_once) {
		/* The pair map's: most find their literal, and most keys have one. */
		probe_occs(f, c, oc, oc + (n_occ & ~FP_SLOT_RUNS), line, len, after, false, count_misses, false);
		return;
	}
	heads_at_once = n_occ > 1 && s->back_max != FP_SLOT_FAR && after >= s->back_max &&
			after + (size_t)s->head_end <= len;
	if (__builtin_expect(n_occ & FP_SLOT_RUNS, 0)) {
		n_occ &= ~FP_SLOT_RUNS;
		if (heads_at_once)
			probe_occs(f, c, oc, oc + n_occ, line, len, after, true, count_misses, true);
		else
			probe_occs(f, c, oc, oc + n_occ, line, len, after, false, count_misses, true);
	} else if (heads_at_once) {
		probe_occs(f, c, oc, oc + n_occ, line, len, after, true, count_misses, false);
	} else {
		probe_occs(f, c, oc, oc + n_occ, line, len, after, false, count_misses, false);
	}
}

/*
 * A probe of the pair map's scan, and one of the bucketed filter's, which
 * also counts its keys' false hits (match_fast_adapt.h): the counts move
 * keys only while the filter runs.
 */
static void
probe(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c, uint32_t key, unsigned klen,
      const unsigned char *line, size_t len, size_t end)
{
	probe_at(f, idx, c, key, klen, line, len, end, false, false);
}

static void
probe_fdr(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c, uint32_t key, unsigned klen,
	  const unsigned char *line, size_t len, size_t end)
{
	probe_at(f, idx, c, key, klen, line, len, end, true, true);
}

#endif
