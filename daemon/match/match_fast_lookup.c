/*
 * match_fast_lookup: the lookups of a literal the fast engine looks up on
 * demand, once the line's stamps (lit_known() in match_fast.c) have not
 * settled it: at the places of its anchor (match_fast_anchor.c), found
 * once per line and shared by the anchor's literals, or by a search of the
 * line (fp_lit_in(), match_fast_find.c). Either finds exactly what a
 * search of the whole line finds; the answer is stamped in the context,
 * so a literal is looked up once per line whoever asks. Out of line: the
 * stamp reads that settle most lookups stay inline in the callers.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "match/match_fast_ctx.h"
#include "match/match_fast_int.h"

/*
 * Finds the places of anchor a in the line, once per line: every place,
 * or ANCHOR_MANY when they are more than can be kept.
 */
static void
anchor_places(const struct fast *f, struct fast_ctx *c, uint32_t a, const unsigned char *line, size_t len)
{
	const struct fp_lit *x = &f->anchors[a];
	uint32_t find = c->adapt.anchor_find[a], n = 0;
	size_t starts, s;

	c->anchor_gen[a] = c->gen;
	c->anchor_first[a] = c->n_pos;
	c->anchor_n[a] = ANCHOR_MANY;
	if (len > UINT32_MAX || find == FP_FIND_WALK)
		return;
	if (len >= FP_ANCHOR_LEN) {
		/* As fp_lit_in() searches; an anchor is exact. */
		starts = len - FP_ANCHOR_LEN + 1;
		for (s = fp_search_first(x->bytes, find, line, starts); s < starts;
		     s = fp_search_next(x->bytes, FP_ANCHOR_LEN, find, false, line, s + 1, starts)) {
			if (memcmp(line + s, x->bytes, FP_ANCHOR_LEN) == 0) {
				if (n == ANCHOR_POS_MAX || c->n_pos == ANCHOR_POS_LINE)
					return;
				c->pos[c->n_pos++] = (uint32_t)s;
				n++;
			}
		}
	}
	c->anchor_n[a] = n;
}

/*
 * The literals of anchor set si that stand at the places of its anchor
 * (n of them at pos) and that this context looks up on demand are seen.
 */
static void
anchor_set_lookup(const struct fast *f, struct fast_ctx *c, uint32_t si, const uint32_t *pos, uint32_t n,
		  const unsigned char *line, size_t len)
{
	const struct fp_anchor_set *s = &f->anchor_sets[si];

	c->set_gen[si] = c->gen;
	for (uint32_t k = 0; k < n; k++) {
		const uint32_t *b;
		size_t start;

		if (pos[k] < s->off)
			continue;
		start = pos[k] - s->off;
		if (start + s->hoff + s->klen > len)
			continue;
		b = f->anchor_buckets + s->first_bucket +
		    fp_anchor_hash(s, line + start + s->hoff, len - start - s->hoff);
		for (uint32_t i = b[0]; i < b[1]; i++) {
			uint32_t lit = f->anchor_lits[i];
			const struct fp_lit *l = &f->lits[lit];

			if (c->lit_stamp[lit].found == c->gen || c->adapt.klen[lit] || start + l->len > len ||
			    memcmp(line + start, l->bytes, l->len) != 0 ||
			    (l->ctx != FP_CTX_NONE && !fp_ctx_ok(&f->ctxs[l->ctx], line, len, start, l->len)))
				continue;
			c->lit_stamp[lit].found = c->gen;
		}
	}
}

/*
 * Whether literal l (number lit), which has an anchor, occurs in the
 * line: 1 or 0, or -1 when its anchor stands in too many places (search
 * the line instead). In a set of ANCHOR_SET_HASHED literals or more, the
 * first lookup in a line answers every literal of the set; a smaller set's
 * literal is compared at each place by itself.
 */
static int
lit_at_anchor(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line, size_t len)
{
	const struct fp_lit *l = &f->lits[lit];
	const struct fw_dfa_ctx *x;
	const uint32_t *pos;
	uint32_t n;

	if (c->anchor_gen[l->anchor] != c->gen)
		anchor_places(f, c, l->anchor, line, len);
	n = c->anchor_n[l->anchor];
	if (n == ANCHOR_MANY)
		return -1;
	pos = c->pos + c->anchor_first[l->anchor];
	if (f->anchor_sets[l->anchor_set].n_lits >= ANCHOR_SET_HASHED) {
		if (c->set_gen[l->anchor_set] != c->gen)
			anchor_set_lookup(f, c, l->anchor_set, pos, n, line, len);
		return c->lit_stamp[lit].found == c->gen;
	}
	x = FP_LIT_CTX(f, l);
	for (uint32_t i = 0; i < n; i++) {
		size_t start;

		if (pos[i] < l->anchor_off)
			continue;
		start = pos[i] - l->anchor_off;
		if (start + l->len <= len && memcmp(line + start, l->bytes, l->len) == 0 &&
		    (!x || fp_ctx_ok(x, line, len, start, l->len)))
			return 1;
	}
	return 0;
}

/*
 * Whether a lookup of one of anchor a's literals goes through the
 * anchor's places, which cost a search of the line but then serve every
 * other literal of a: on the second lookup of a in a line, and on the
 * first where the last line that looked a up did so twice or more. A
 * literal whose anchor does not pay is searched for by itself.
 */
static inline bool
anchor_pays(struct fast_ctx *c, uint32_t a)
{
	bool pays;

	if (c->anchor_asked[a] == c->gen) {
		c->anchor_twice[a] = 1;
		return true;
	}
	pays = c->anchor_twice[a];
	c->anchor_asked[a] = c->gen;
	c->anchor_twice[a] = 0;
	return pays;
}

/*
 * Whether literal lit, which the line has not settled (lit_known() said
 * -1), occurs in it: looked up at its anchor's places or searched for,
 * then stamped.
 */
bool
fw__fast_lit_lookup(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line, size_t len)
{
	const struct fp_lit *l = &f->lits[lit];
	int found = -1;

	if (__builtin_expect(c->adapt.searches != NULL, 0))
		c->adapt.searches[lit]++;
	if (l->anchor != FP_ANCHOR_NONE && anchor_pays(c, l->anchor))
		found = lit_at_anchor(f, c, lit, line, len);
	if (found < 0)
		found = fp_lit_in(l, FP_LIT_CTX(f, l), c->adapt.find[lit], line, len);
	if (found)
		c->lit_stamp[lit].found = c->gen;
	else
		c->lit_stamp[lit].absent = c->gen;
	return found != 0;
}
