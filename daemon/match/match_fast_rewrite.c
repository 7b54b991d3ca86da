/*
 * match_fast_rewrite: the source rewrites behind the interpreted
 * confirmations of match_fast_confirm.c, read from a pattern's syntax tree
 * once, when the fast engine is built:
 *  - start rules: where every match must start relative to an exact
 *    literal (a fixed-width prefix, or one unbounded run before it);
 *  - lazy runs: a greedy run before a literal rewritten lazy, for lines
 *    where the literal stands once;
 *  - literal heads: a pattern split after its literal head, whose rest is
 *    run anchored after each place of the literal without JIT;
 *  - branch literals: per alternative, the exact literals a line must hold.
 * Each rule is plain data (match_fast_int.h) that match_fast_confirm.c
 * applies per line; why each is sound is told where it is built. Every
 * rule is optional: a pattern the rewrite cannot read gets none (0), and
 * its own code serves.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_int.h"

/* Bytes of an ASCII atom (one byte each on an ASCII line), or false when it is not one. */
static bool
atom_width(const struct fw_regex *rx, const struct fw_rx_node *x, uint32_t *width)
{
	switch (x->kind) {
	case FW_RX_CHAR:
		*width = 1;
		return x->cp < 0x80;
	case FW_RX_TEXT:
		*width = x->len;
		for (uint32_t i = 0; i < x->len; i++)
			if (fw_rx_text(rx, x)[i] >= 0x80)
				return false;
		return true;
	case FW_RX_CLASS:
	case FW_RX_ANY:
		*width = 1;
		return true;
	default:
		return false;
	}
}

/* Whether x is an exact literal of ASCII bytes (no letter when caseless). */
static bool
exact_literal(const struct fw_regex *rx, const struct fw_rx_node *x)
{
	uint32_t n = x->kind == FW_RX_TEXT ? x->len : 1;
	const uint32_t *cp = x->kind == FW_RX_TEXT ? fw_rx_text(rx, x) : &x->cp;

	if (x->kind != FW_RX_TEXT && x->kind != FW_RX_CHAR)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (cp[i] >= 0x80 || ((x->flags & FW_RX_F_CASELESS) && ((cp[i] | 0x20) - 'a') < 26u))
			return false;
	return true;
}

/* The bytes a class or "." takes, on an ASCII line. */
static void
atom_bytes(const struct fw_regex *rx, const struct fw_rx_node *x, struct fw_rx_bytes *set)
{
	memset(set, 0, sizeof *set);
	if (x->kind == FW_RX_CLASS) {
		set->w[0] = fw_rx_class_set(rx, x)->w[0];
		set->w[1] = fw_rx_class_set(rx, x)->w[1];
		return;
	}
	set->w[0] = set->w[1] = ~(uint64_t)0;
	if (!(x->flags & FW_RX_F_DOTALL))
		set->w[0] &= ~((uint64_t)1 << '\n');
}

/*
 * The pattern's items in order, groups opened: a group of one branch
 * (not atomic, not repeated) stands for its items. Returns the next item
 * after *at (FW_RX_NONE at the end), descending into such groups;
 * *stack holds where to resume after each.
 */
#define WALK_DEPTH 8
struct walk {
	uint32_t stack[WALK_DEPTH];
	uint32_t depth;
	bool blocked;           /* a group it cannot open */
	bool through;           /* such a group is an item of its own instead */
};

static uint32_t
walk_open(const struct fw_regex *rx, struct walk *w, uint32_t x)
{
	for (;;) {
		const struct fw_rx_node *n;

		while (x == FW_RX_NONE && w->depth)
			x = w->stack[--w->depth];
		if (x == FW_RX_NONE)
			return x;
		n = &rx->nodes[x];
		if (n->kind != FW_RX_GROUP)
			return x;
		/* The group's ALT must have one branch (a CAT). */
		if ((n->flags & FW_RX_F_ATOMIC) || w->depth == WALK_DEPTH ||
		    rx->nodes[n->child].child == FW_RX_NONE ||
		    rx->nodes[rx->nodes[n->child].child].next != FW_RX_NONE) {
			if (w->through)
				return x;
			w->blocked = true;
			return FW_RX_NONE;
		}
		w->stack[w->depth++] = n->next;
		x = rx->nodes[rx->nodes[n->child].child].child;
	}
}

/* Whether the source may refer to a group's text or to the start offset. */
static bool
refers_back(const char *s)
{
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			if (strncmp(s, "(?P=", 4) == 0)
				return true;
			continue;
		}
		s++;
		if ((*s >= '1' && *s <= '9') || *s == 'g' || *s == 'k' || *s == 'G')
			return true;
	}
	return false;
}

/* Whether "." takes every byte but "\n" (PCRE2's default newline), as runs assume. */
static bool
newline_is_lf(void)
{
	uint32_t nl = 0;

	return pcre2_config(PCRE2_CONFIG_NEWLINE, &nl) >= 0 && nl == PCRE2_NEWLINE_LF;
}

/* Finds p's start rule from its syntax tree rx; leaves *out zeroed when there is none. */
int
fw__fast_start_rule(const struct fw_pattern *pat, const struct fw_regex *rx, struct fp_starts *out)
{
	struct walk w = { .depth = 0 };
	const struct fw_rx_node *root, *x;
	uint32_t at, before = 0, width;
	bool run = false, first = true;

	memset(out, 0, sizeof *out);
	if (refers_back(pat->source) || rx->root == FW_RX_NONE || rx->options_len || !newline_is_lf())
		return 0;
	root = &rx->nodes[rx->root];
	if (root->child == FW_RX_NONE || rx->nodes[root->child].next != FW_RX_NONE)
		return 0;       /* alternatives at the top */
	for (at = walk_open(rx, &w, rx->nodes[root->child].child); at != FW_RX_NONE;
	     at = walk_open(rx, &w, x->next)) {
		x = &rx->nodes[at];
		if (exact_literal(rx, x)) {
			uint32_t n = x->kind == FW_RX_TEXT ? x->len : 1;
			const uint32_t *cp = x->kind == FW_RX_TEXT ? fw_rx_text(rx, x) : &x->cp;

			out->lit = malloc(n);
			if (!out->lit)
				return -ENOMEM;
			for (uint32_t i = 0; i < n; i++)
				out->lit[i] = (unsigned char)cp[i];
			out->lit_len = n;
			out->before = before;
			out->run = run;
			/* match() calls at a start where the literal fails: one per node, and more. */
			out->cost = 2 * rx->n_nodes + 4;
			return 0;
		}
		if (run || w.blocked)
			break;          /* the literal must follow the run */
		if (x->kind == FW_RX_EMPTY)
			continue;
		if (x->kind == FW_RX_WORDB) {
			first = false;
			continue;
		}
		if (atom_width(rx, x, &width) && before <= UINT32_MAX / 2 - width) {
			before += width;
			first = false;
			continue;
		}
		if (x->kind == FW_RX_REPEAT && atom_width(rx, &rx->nodes[x->child], &width) &&
		    rx->nodes[x->child].kind != FW_RX_TEXT) {
			if (x->min == x->max && x->max <= UINT32_MAX / 2 - before) {
				before += x->min;
				first = false;
				continue;
			}
			/* An unbounded run of a class or ".", first of all: then the literal. */
			if (x->max == FW_RX_INF && first && rx->nodes[x->child].kind != FW_RX_CHAR &&
			    x->min <= UINT32_MAX / 2) {
				atom_bytes(rx, &rx->nodes[x->child], &out->set);
				before = x->min;
				run = true;
				continue;
			}
		}
		break;
	}
	memset(out, 0, sizeof *out);
	return 0;
}

/*
 * A greedy run before a literal. Where R, an unbounded greedy repeat of a
 * class or ".", is followed at once by an exact literal L (in the
 * pattern's one sequence of items, groups of one branch opened), every
 * way R can end that PCRE2 goes on from is a place of L. On a line where
 * L stands once at most, R has one such end from wherever it begins:
 * greedy (longest first) and lazy (shortest first) go on from that one
 * end only, with the same captures, and fail back to what came before R
 * in the same state. The lazy code then finds what the pattern finds, and
 * does not walk R to the end of the line and back a byte at a time (a
 * match() call each). A line without L cannot match at all.
 *
 * The match limit: at each entry into R the greedy code spends at most
 * one call per byte of the line more than the lazy one, which spends at
 * least one; so the lazy code within limit / (len + 3) calls means the
 * pattern's own within limit (fw__fast_confirm_how()). The depth is the
 * same: both try each end one frame deep.
 *
 * The lazy source is the pattern's own with a '?' where R's quantifier
 * ends, which the front end's tree says (R's pattern bytes end with its
 * quantifier, and a greedy one has no '?' or '+' after it): a quantifier
 * and a '?' right after it is the lazy form in PCRE2's syntax, whatever
 * came before (escapes, classes, comments, \Q...\E and (?x) are the
 * parser's business, not a second reading of the syntax here).
 */
/* The greedy run R (a node of rx) followed by literal *lit, or FW_RX_NONE. */
static uint32_t
lazy_run(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t *lit)
{
	struct walk w = { .depth = 0, .through = true };
	const struct fw_rx_node *root;
	uint32_t run = FW_RX_NONE;

	if (refers_back(pat->source) || rx->root == FW_RX_NONE || rx->options_len || !newline_is_lf())
		return FW_RX_NONE;
	root = &rx->nodes[rx->root];
	if (root->child == FW_RX_NONE || rx->nodes[root->child].next != FW_RX_NONE)
		return FW_RX_NONE;
	for (uint32_t at = walk_open(rx, &w, rx->nodes[root->child].child); at != FW_RX_NONE;
	     at = walk_open(rx, &w, rx->nodes[at].next)) {
		const struct fw_rx_node *x = &rx->nodes[at];
		struct fw_rx_bytes set;

		if (x->kind == FW_RX_EMPTY)
			continue;
		if (run != FW_RX_NONE && exact_literal(rx, x)) {
			atom_bytes(rx, &rx->nodes[rx->nodes[run].child], &set);
			/* A run that cannot take L's first byte is possessive already (PCRE2 sees it). */
			if (fw_rx_bytes_has(&set, x->kind == FW_RX_TEXT ? fw_rx_text(rx, x)[0] : x->cp)) {
				*lit = at;
				return run;
			}
		}
		run = FW_RX_NONE;
		if (x->kind == FW_RX_REPEAT && x->greed == FW_RX_GREEDY && x->max == FW_RX_INF &&
		    (rx->nodes[x->child].kind == FW_RX_CLASS || rx->nodes[x->child].kind == FW_RX_ANY))
			run = at;
	}
	return FW_RX_NONE;
}

/* Compiles r's source; a failure leaves r zeroed (no lazy code). */
int
fw__fast_lazy_compile(struct fp_lazy *r, uint32_t opts)
{
	PCRE2_SIZE erroff;
	int err;

	r->code = pcre2_compile((PCRE2_SPTR)r->source, PCRE2_ZERO_TERMINATED, opts, &err, &erroff, NULL);
	if (!r->code) {
		free(r->source);
		free(r->lit);
		memset(r, 0, sizeof *r);
	}
	return 0;
}

/* p's lazy source and code into *out, from its tree rx; leaves *out zeroed when there is none. */
int
fw__fast_lazy_rule(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t opts,
		   struct fp_lazy *out)
{
	size_t len = strlen(pat->source);
	uint32_t lit, run = lazy_run(pat, rx, &lit);
	const struct fw_rx_node *l;
	size_t cut;

	memset(out, 0, sizeof *out);
	if (run == FW_RX_NONE)
		return 0;
	l = &rx->nodes[lit];
	out->source = malloc(len + 2);
	if (!out->source)
		return -ENOMEM;
	cut = rx->nodes[run].src_end;
	memcpy(out->source, pat->source, cut);
	out->source[cut] = '?';
	memcpy(out->source + cut + 1, pat->source + cut, len - cut + 1);
	out->lit_len = l->kind == FW_RX_TEXT ? l->len : 1;
	out->lit = malloc(out->lit_len);
	if (!out->lit)
		return -ENOMEM;
	for (uint32_t i = 0; i < out->lit_len; i++)
		out->lit[i] = (unsigned char)(l->kind == FW_RX_TEXT ? fw_rx_text(rx, l)[i] : l->cp);
	return fw__fast_lazy_compile(out, opts);
}

/*
 * A literal head. A pattern that begins with its start rule's literal P,
 * then (maybe) an unbounded run R of a class or "." and an exact literal
 * L, then the rest B, is tried anchored at each place s of P. The
 * interpreter steps through P and R a character and a call at a time,
 * which on a matching line is most of the work. When the source up to B
 * is those items alone (no group, option or comment among them, so B's
 * groups keep their numbers and B means alone what it meant after them),
 * B is compiled alone and run anchored where the others end: after P at
 * s; or, on a line where L stands once only (at q), at q + |L| when some
 * s has R's bytes from s + |P| to q, which is the one place R can end
 * that PCRE2 goes on from (none: no match at all). What B finds there is
 * what the pattern finds at the first such s; only the match's own start
 * (unused) differs.
 *
 * The match limit: the pattern's try at s spends at most one call per
 * byte of the line in R more than B, so B gets the try's limit less the
 * line's length and a margin.
 *
 * The cut is the front end's word: the end of the head's last item in
 * the pattern (regex_parse.h), the head's items being its first ones,
 * each starting where the one before ends (the first at the pattern's
 * start), so that no group, option or comment lies between them.
 */
/*
 * Whether src[cut..] parses alone into rx's items from rest on. The tree
 * says where the head's items end, not the state the parser is in there:
 * a quotation may run on past the cut (in "\Qab\E+c" the quantified "b"
 * is an item of its own and the "\E" comes after it), and B is compiled
 * alone. Parsing B alone and holding it to the tree is the one check of
 * the split the tree cannot make.
 */
static int
rest_alone(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t rest, size_t cut, bool *same)
{
	struct fw_regex b = { 0 };
	int rc = fw_regex_parse(&b, pat->source + cut, strlen(pat->source + cut), pat->caseless);

	*same = false;
	if (rc == 0) {
		uint32_t y = fw_regex_items(&b);

		*same = rest == FW_RX_NONE ? y == FW_RX_NONE || b.nodes[y].kind == FW_RX_EMPTY
			: fw_regex_same_nodes(rx, rest, &b, y, true);
	}
	fw_regex_free(&b);
	return rc == -ENOMEM ? rc : 0;
}

int
fw__fast_split_rule(const struct fw_pattern *pat, const struct fw_regex *rx, const struct fp_starts *st,
		    uint32_t opts, struct fp_split *out)
{
	const char *src = pat->source;
	uint32_t head = fw_regex_items(rx), run, lit, last;
	const struct fw_rx_node *x;
	bool same = false;
	int rc;

	memset(out, 0, sizeof *out);
	if (!st->lit || st->before || st->run || head == FW_RX_NONE || rx->options_len || refers_back(src) ||
	    !exact_literal(rx, &rx->nodes[head]) || rx->nodes[head].src_off != 0)
		return 0;
	x = &rx->nodes[head];
	out->prefix = x->kind == FW_RX_TEXT ? x->len : 1;
	if (out->prefix > st->lit_len) {
		out->prefix = 0;
		return 0;
	}
	for (uint32_t i = 0; i < out->prefix; i++)
		if ((x->kind == FW_RX_TEXT ? fw_rx_text(rx, x)[i] : x->cp) != st->lit[i]) {
			out->prefix = 0;
			return 0;
		}
	last = head;
	run = rx->nodes[head].next;
	lit = run == FW_RX_NONE ? FW_RX_NONE : rx->nodes[run].next;
	x = run == FW_RX_NONE ? NULL : &rx->nodes[run];
	if (x && x->kind == FW_RX_REPEAT && x->greed != FW_RX_POSSESSIVE && x->max == FW_RX_INF &&
	    (rx->nodes[x->child].kind == FW_RX_CLASS || rx->nodes[x->child].kind == FW_RX_ANY) &&
	    lit != FW_RX_NONE && exact_literal(rx, &rx->nodes[lit]) &&
	    x->src_off == rx->nodes[head].src_end && rx->nodes[lit].src_off == x->src_end) {
		out->run = true;
		out->run_min = x->min;
		atom_bytes(rx, &rx->nodes[x->child], &out->set);
		last = lit;
	}
	rc = rest_alone(pat, rx, rx->nodes[last].next, rx->nodes[last].src_end, &same);
	if (rc < 0 || !same) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	if (out->run) {
		x = &rx->nodes[lit];
		out->lit_len = x->kind == FW_RX_TEXT ? x->len : 1;
		out->lit = malloc(out->lit_len);
		if (!out->lit)
			return -ENOMEM;
		for (uint32_t i = 0; i < out->lit_len; i++)
			out->lit[i] = (unsigned char)(x->kind == FW_RX_TEXT ? fw_rx_text(rx, x)[i] : x->cp);
	}
	out->cut = rx->nodes[last].src_end;
	out->code = pcre2_compile((PCRE2_SPTR)src + out->cut, PCRE2_ZERO_TERMINATED, opts, &rc, &(PCRE2_SIZE){ 0 },
				  NULL);
	if (!out->code) {
		free(out->lit);
		memset(out, 0, sizeof *out);
	}
	return 0;
}

/*
 * Alternatives. A pattern whose items are alternatives (at the top, or
 * one group of them that is the whole pattern) is often a candidate for
 * the literals of one branch while another branch's are missing, and the
 * interpreter then tries every branch at every place of the line. Every
 * match is one of some branch, and holds each exact literal among that
 * branch's items (groups of one branch opened; what is optional or
 * repeated is a group of its own, not opened): a line that lacks one of
 * every branch's cannot match.
 */
#define NEED_LITS_MAX 8

int
fw__fast_need_rule(const struct fw_regex *rx, struct fp_need *out)
{
	uint32_t alt = rx->root, n = 0, n_lits = 0, first = fw_regex_items(rx);
	int rc = -ENOMEM;

	memset(out, 0, sizeof *out);
	if (rx->root == FW_RX_NONE || rx->options_len)
		return 0;
	/* The whole pattern one group of alternatives: its branches. */
	if (first != FW_RX_NONE && rx->nodes[first].next == FW_RX_NONE && rx->nodes[first].kind == FW_RX_GROUP)
		alt = rx->nodes[first].child;
	for (uint32_t b = rx->nodes[alt].child; b != FW_RX_NONE; b = rx->nodes[b].next)
		n++;
	if (n < 2)
		return 0;
	out->first = calloc(n + 1, sizeof *out->first);
	out->lits = calloc(n * NEED_LITS_MAX, sizeof *out->lits);
	out->lens = calloc(n * NEED_LITS_MAX, sizeof *out->lens);
	if (!out->first || !out->lits || !out->lens)
		goto fail;
	out->n_branches = n;
	n = 0;
	for (uint32_t b = rx->nodes[alt].child; b != FW_RX_NONE; b = rx->nodes[b].next, n++) {
		struct walk w = { .depth = 0, .through = true };
		uint32_t mine = 0;

		out->first[n] = n_lits;
		for (uint32_t at = walk_open(rx, &w, rx->nodes[b].child); at != FW_RX_NONE && mine < NEED_LITS_MAX;
		     at = walk_open(rx, &w, rx->nodes[at].next)) {
			const struct fw_rx_node *x = &rx->nodes[at];

			if (x->kind != FW_RX_TEXT || x->len < 3 || !exact_literal(rx, x))
				continue;
			out->lits[n_lits] = malloc(x->len);
			if (!out->lits[n_lits])
				goto fail;
			for (uint32_t i = 0; i < x->len; i++)
				out->lits[n_lits][i] = (unsigned char)fw_rx_text(rx, x)[i];
			out->lens[n_lits++] = x->len;
			mine++;
		}
		if (!mine) {
			rc = 0;         /* a branch without literals: nothing to test */
			goto fail;
		}
	}
	out->first[n] = n_lits;
	return 0;
fail:
	for (uint32_t i = 0; out->lits && i < n_lits; i++)
		free(out->lits[i]);
	free(out->first);
	free(out->lits);
	free(out->lens);
	memset(out, 0, sizeof *out);
	return rc;
}