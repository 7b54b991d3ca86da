/*
 * dfa_lower: the front end's syntax tree of a pattern (regex_parse.h) ->
 * the DFA's own tree (dfa_ast.h), which dfa_nfa.c compiles into the
 * Thompson NFA (dfa_int.h). dfa.h lists what is accepted.
 *
 * The NFA must accept every line PCRE2 matches, so where the byte-level
 * model cannot be exact it is widened, never narrowed:
 *  - an atom that can match a non-ASCII character (".", negated classes,
 *    \D \W \S, caseless k and s, which fold to U+212A and U+017F) takes
 *    any byte >= 0x80 followed by any continuation bytes;
 *  - "." also takes a newline, whatever (?s) says.
 * Every node whose meaning the model cannot widen safely (opaque nodes,
 * atomic groups, possessive quantifiers, multiline anchors, caseless or
 * listed non-ASCII characters in a class) declines the pattern with
 * -ENOTSUP, and the caller keeps it on its PCRE2 path.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_ast.h"
#include "match/regex_parse.h"

static uint32_t
fail(struct parser *ps, int err)
{
	if (!ps->err)
		ps->err = err;
	return AST_NONE;
}

static uint32_t
ast_new(struct parser *ps, uint8_t kind)
{
	if (ps->n == ps->cap) {
		uint32_t cap = ps->cap ? 2 * ps->cap : 64;
		struct ast *na = realloc(ps->a, cap * sizeof *na);

		if (!na)
			return fail(ps, -ENOMEM);
		ps->a = na;
		ps->cap = cap;
	}
	ps->a[ps->n] = (struct ast){ .kind = kind, .child = AST_NONE, .next = AST_NONE };
	return ps->n++;
}

static uint32_t
set_atom(struct parser *ps, const struct fw_rx_bytes *s, bool wide)
{
	int64_t idx = fw__dfa_set_intern(ps->d, s);
	uint32_t a;

	if (idx < 0)
		return fail(ps, (int)idx);
	a = ast_new(ps, A_SET);
	if (a != AST_NONE) {
		ps->a[a].set = (uint32_t)idx;
		ps->a[a].wide = wide;
	}
	return a;
}

/* Appends child to the child list of parent, whose last child is *tail. */
static void
ast_append(struct parser *ps, uint32_t parent, uint32_t *tail, uint32_t child)
{
	if (*tail == AST_NONE)
		ps->a[parent].child = child;
	else
		ps->a[*tail].next = child;
	*tail = child;
}

/* One literal character: ASCII as a set (both cases when caseless), else its UTF-8 bytes. */
static uint32_t
char_atom(struct parser *ps, uint32_t cp, bool ci)
{
	struct fw_rx_bytes s = { { 0 } };
	unsigned char b[4];
	size_t n;
	uint32_t cat, tail = AST_NONE;

	if (cp < 0x80) {
		unsigned lc = cp | 0x20;
		bool letter = lc >= 'a' && lc <= 'z';
		uint32_t *known = &ps->d->ascii_set[ci && letter][cp];
		uint32_t a;

		if (!*known) {
			int64_t idx;

			fw_rx_bytes_add(&s, cp);
			if (ci && letter)
				fw_rx_bytes_add(&s, cp ^ 0x20);
			idx = fw__dfa_set_intern(ps->d, &s);
			if (idx < 0)
				return fail(ps, (int)idx);
			*known = (uint32_t)idx + 1;
		}
		a = ast_new(ps, A_SET);
		if (a != AST_NONE) {
			ps->a[a].set = *known - 1;
			/* Caseless k and s also match U+212A and U+017F. */
			ps->a[a].wide = ci && (lc == 'k' || lc == 's');
		}
		return a;
	}
	if (ci)
		return fail(ps, -ENOTSUP);     /* Unicode case folding is not modelled */
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xC0 | cp >> 6);
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xE0 | cp >> 12);
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | cp >> 18);
		n = 4;
	}
	for (size_t i = 1; i < n; i++)
		b[i] = (unsigned char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
	cat = ast_new(ps, A_CAT);
	for (size_t i = 0; cat != AST_NONE && i < n; i++) {
		struct fw_rx_bytes one = { { 0 } };
		uint32_t at;

		fw_rx_bytes_add(&one, b[i]);
		at = set_atom(ps, &one, false);
		if (at == AST_NONE)
			return AST_NONE;
		ast_append(ps, cat, &tail, at);
	}
	return cat;
}

static uint32_t
lower(struct parser *ps, const struct fw_regex *rx, uint32_t n)
{
	const struct fw_rx_node *x = &rx->nodes[n];
	struct fw_rx_bytes s = { { 0 } };
	uint32_t a, tail = AST_NONE;

	switch (x->kind) {
	case FW_RX_EMPTY:
		return ast_new(ps, A_EMPTY);
	case FW_RX_CHAR:
		return char_atom(ps, x->cp, x->flags & FW_RX_F_CASELESS);
	case FW_RX_TEXT:
		a = ast_new(ps, A_CAT);
		for (uint32_t i = 0; i < x->len && a != AST_NONE; i++) {
			uint32_t c = char_atom(ps, fw_rx_text(rx, x)[i], x->flags & FW_RX_F_CASELESS);

			if (c == AST_NONE)
				return AST_NONE;
			ast_append(ps, a, &tail, c);
		}
		return a;
	case FW_RX_CLASS:
		if (x->nonascii == FW_RX_NA_LISTED)
			return fail(ps, -ENOTSUP);
		s.w[0] = fw_rx_class_set(rx, x)->w[0];
		s.w[1] = fw_rx_class_set(rx, x)->w[1];
		return set_atom(ps, &s, x->nonascii != FW_RX_NA_NONE);
	case FW_RX_ANY:
		memset(&s, 0xFF, sizeof s);
		return set_atom(ps, &s, true);
	case FW_RX_START:
		return ast_new(ps, A_BOT);
	case FW_RX_END:
		return ast_new(ps, A_EOT);
	case FW_RX_END_NL:
		return ast_new(ps, A_EOTNL);
	case FW_RX_WORDB:
		a = ast_new(ps, A_WORDB);
		if (a != AST_NONE)
			ps->a[a].wide = x->flags & FW_RX_F_NEGATED;
		return a;
	case FW_RX_CAT:
	case FW_RX_ALT:
		a = ast_new(ps, x->kind == FW_RX_CAT ? A_CAT : A_ALT);
		for (uint32_t k = x->child; k != FW_RX_NONE && a != AST_NONE; k = rx->nodes[k].next) {
			uint32_t c = lower(ps, rx, k);

			if (c == AST_NONE)
				return AST_NONE;
			ast_append(ps, a, &tail, c);
		}
		return a;
	case FW_RX_GROUP:
		if (x->flags & FW_RX_F_ATOMIC)
			return fail(ps, -ENOTSUP);
		return lower(ps, rx, x->child);
	case FW_RX_REPEAT:
		/* Possessive repeats give up matches a DFA would find; large counts bloat the NFA. */
		if (x->greed == FW_RX_POSSESSIVE || x->min > REP_MAX ||
		    (x->max != FW_RX_INF && x->max > REP_MAX))
			return fail(ps, -ENOTSUP);
		a = ast_new(ps, A_REP);
		if (a == AST_NONE)
			return a;
		ps->a[a].min = x->min;
		ps->a[a].max = x->max == FW_RX_INF ? REP_INF : x->max;
		tail = lower(ps, rx, x->child);         /* may move ps->a */
		if (tail == AST_NONE)
			return AST_NONE;
		ps->a[a].child = tail;
		return a;
	default:
		/* Multiline anchors, lookarounds, backreferences, \K ... */
		return fail(ps, -ENOTSUP);
	}
}

uint32_t
fw__dfa_lower(struct parser *ps, const struct fw_regex *rx)
{
	return lower(ps, rx, rx->root);
}
