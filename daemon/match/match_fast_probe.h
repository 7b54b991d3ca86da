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
 * (those it is the first factor of, until the context moves triggers).
 */
static inline __attribute__((always_inline)) void
lit_seen(const struct fast *f, struct fast_ctx *c, uint32_t lit)
{
	const struct fast_adapt *a = &c->adapt;

	c->lit_gen[lit] = c->gen;
	c->dfa_gate_seen |= f->lits[lit].dfa_gate;
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
	if (c->lit_gen[oc->lit] == c->gen)
		return;
	l = &f->lits[oc->lit];
	if (!lit_rest_at(l, oc, line, len, start))
		return;
	if (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len))
		return;
	lit_seen(f, c, oc->lit);
}

/*
 * The window ending at line[end] matched a key filter bit: verify its
 * literals, first by their heads (fp_occ) when the line holds the bytes.
 * With heads_at_once, a key of several literals whose literals would all
 * start in the line and whose heads all lie in it there (fp_slot) has its
 * heads tested without a bound each and the rest verified out of line:
 * the keys many literals share (a domain, a subnet) walk most heads and
 * find few literals. A key of one literal, and the pair map's probes
 * (most of which find their literal), take the walk with bounds.
 */
static inline __attribute__((always_inline)) void
probe_at(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c, uint32_t key, unsigned klen,
	 const unsigned char *line, size_t len, size_t end, bool heads_at_once, bool count_misses)
{
	const struct fp_slot *s;
	const struct fp_occ *oc, *last;
	size_t after = end + 1;
	uint32_t h;

	for (h = slot_start(key, klen, idx->slot_mask);; h = (h + 1) & idx->slot_mask) {
		s = &idx->slots[h];
		if (!s->klen)
			return;
		if (s->klen == klen && s->key == key)
			break;
	}
	oc = idx->occs + s->first_occ;
	last = oc + s->n_occ;
	if (heads_at_once && s->n_occ > 1 && s->back_max != FP_SLOT_FAR && after >= s->back_max &&
	    after + (size_t)s->head_end <= len) {
		const unsigned char *at = line + after;

		for (; oc < last; oc++) {
			uint64_t v;

			memcpy(&v, at + oc->head_at, sizeof v);
			if ((v | oc->head_fold) != oc->head) {
				if (count_misses) {
					/* The key stood, the literal did not. */
					c->adapt.misses[oc->lit]++;
					c->adapt.missed++;
				}
				continue;
			}
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
				if (count_misses) {
					c->adapt.misses[oc->lit]++;
					c->adapt.missed++;
				}
				continue;
			}
			if (c->lit_gen[oc->lit] == c->gen)
				continue;
			l = &f->lits[oc->lit];
			/* Inline, not occ_verify(): most of the pair map's probes find their literal. */
			if (!lit_rest_at(l, oc, line, len, start))
				continue;
		} else {
			l = &f->lits[oc->lit];
			if (c->lit_gen[oc->lit] == c->gen || start + l->len > len ||
			    !lit_bytes_at(l, line + start, 0, l->len))
				continue;
		}
		if (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len))
			continue;
		lit_seen(f, c, oc->lit);
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
