/*
 * match_fast_confirm: cheaper PCRE2 confirmations where JIT is not used.
 *
 * Without JIT (MemoryDenyWriteExecute, or a pattern's own (*NO_JIT)) every
 * candidate costs a pcre2_match() of a code compiled with PCRE2_UTF and
 * PCRE2_MATCH_INVALID_UTF. That mode makes pcre2_match() validate the
 * subject on every call, whatever the options, and the interpreter then
 * steps through the line character by character. Log lines are nearly
 * always plain ASCII, where a code compiled without UTF matches the same
 * way: one byte is one character, the patterns' classes and escapes (\w
 * \d \s \b, POSIX classes, \p) give the same answer for every ASCII byte,
 * and an ASCII pattern has no character whose case partner is ASCII only
 * under Unicode folding (U+212A KELVIN SIGN, U+017F LONG S). So each
 * interpreted pattern whose source is ASCII gets a second code, compiled
 * without UTF, that the fast engine runs on ASCII lines instead.
 *
 * A pattern whose byte-mode compilation fails (an escape above \xff, a
 * \N{U+...}) keeps its own code. A line with any byte >= 0x80 always runs
 * the pattern's own code, which is where UTF and invalid UTF-8 matter.
 *
 * On such a line the interpreter also pays for every place it tries to
 * start a match at, and a pattern that fails (or begins with a run such as
 * "(?<unit>[^\s:]+): ") is tried at every byte. When the syntax tree shows
 * where every match must start relative to an exact literal of the
 * pattern, the confirmation tries only those places, anchored, in order:
 *  - after a prefix of a fixed number of bytes (literals, classes, ".",
 *    \b, fixed repeats), `before` bytes ahead of each place of the
 *    literal that follows it;
 *  - after a prefix that is one unbounded repeat of a class or "." (in a
 *    group or not), at the start of the maximal run of its bytes that
 *    ends at a place of the literal. A match from inside such a run
 *    implies one from its start, which PCRE2 would have found first: the
 *    repeat from there can end wherever it could from inside. That needs
 *    a pattern whose rest cannot depend on where the run began: no
 *    backreference anywhere, nothing before the run.
 * Every leftmost match PCRE2 finds from offset 0 starts at one of those
 * places, so the first anchored try that matches finds it, with the same
 * captures. \G (relative to the start offset), backreferences,
 * start-of-pattern options and the verbs and recursion the front end does
 * not read rule a pattern out; lookbehind and \b look before the start
 * offset as they would without it. A line without the literal cannot
 * match: no call at all. More places than FP_STARTS_MAX make one search
 * from the first.
 *
 * The match limit: a search from offset 0 also spends calls at the places
 * skipped, and must not have run out of FW_MATCH_LIMIT where the tries
 * found a match. So the tries get a limit of their own, such that the
 * skipped places' calls (bounded from the prefix's size, the line's length
 * and, inside a run after a failed try, that try's limit) and the tries'
 * together stay below FW_MATCH_LIMIT; where that cannot hold the line is
 * searched from 0, and a try that runs out hands the line to the
 * pattern's own code.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_int.h"

/*
 * Whether the pattern is matched by the interpreter, so that the second
 * code pays: the process may not JIT, or the pattern says (*NO_JIT). (One
 * whose JIT compile fails when first confirmed keeps its own code.)
 */
static bool
interpreted(const struct fw_kb *kb, const struct fw_pattern *pat)
{
	return pat->no_jit || !kb->jit;
}

static bool
ascii_source(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

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
static int
start_rule(const struct fw_pattern *pat, const struct fw_regex *rx, struct fp_starts *out)
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

/* Below this limit the lazy code would too often run out and hand the line on: not worth trying. */
#define LAZY_LIMIT_MIN 256

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
 * The lazy source is found by asking the front end: a '?' after one
 * quantifier of the source, whose tree then differs from the pattern's
 * in that repeat's greed alone (and the pattern text lengths of the groups
 * around it, which say nothing about what matches). Escapes, classes, comments and \Q...\E
 * are the parser's business, not a second reading of the syntax here.
 */
static bool
same_but_greed(const struct fw_regex *a, const struct fw_regex *b, uint32_t t)
{
	if (a->n_nodes != b->n_nodes || a->n_sets != b->n_sets || a->n_text != b->n_text || a->root != b->root ||
	    a->options_len != b->options_len)
		return false;
	if ((a->n_sets && memcmp(a->sets, b->sets, a->n_sets * sizeof *a->sets) != 0) ||
	    (a->n_text && memcmp(a->text, b->text, a->n_text * sizeof *a->text) != 0))
		return false;
	for (uint32_t i = 0; i < a->n_nodes; i++) {
		const struct fw_rx_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (x->kind != y->kind || x->flags != y->flags || x->nonascii != y->nonascii || x->cp != y->cp ||
		    x->min != y->min || x->max != y->max || x->child != y->child || x->next != y->next ||
		    x->at != y->at || (x->kind == FW_RX_TEXT && x->len != y->len))
			return false;
		if (i == t ? x->greed != FW_RX_GREEDY || y->greed != FW_RX_LAZY : x->greed != y->greed)
			return false;
	}
	return true;
}

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
static int
lazy_compile(struct fp_lazy *r, uint32_t opts)
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
static int
lazy_rule(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t opts, struct fp_lazy *out)
{
	size_t len = strlen(pat->source);
	uint32_t lit, run = lazy_run(pat, rx, &lit);
	const struct fw_rx_node *l = &rx->nodes[lit];
	char *src;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (run == FW_RX_NONE)
		return 0;
	src = malloc(len + 2);
	if (!src)
		return -ENOMEM;
	for (size_t i = 0; i < len && !out->source; i++) {
		struct fw_regex lazy = { 0 };
		char c = pat->source[i];

		if ((c != '*' && c != '+' && c != '}') || pat->source[i + 1] == '?' || pat->source[i + 1] == '+')
			continue;
		memcpy(src, pat->source, i + 1);
		src[i + 1] = '?';
		memcpy(src + i + 2, pat->source + i + 1, len - i);
		rc = fw_regex_parse(&lazy, src, len + 1, pat->caseless);
		if (rc == 0 && same_but_greed(rx, &lazy, run))
			out->source = src;
		fw_regex_free(&lazy);
		if (rc == -ENOMEM)
			break;
		rc = 0;
	}
	if (!out->source) {
		free(src);
		return rc;
	}
	out->lit_len = l->kind == FW_RX_TEXT ? l->len : 1;
	out->lit = malloc(out->lit_len);
	if (!out->lit)
		return -ENOMEM;
	for (uint32_t i = 0; i < out->lit_len; i++)
		out->lit[i] = (unsigned char)(l->kind == FW_RX_TEXT ? fw_rx_text(rx, l)[i] : l->cp);
	return lazy_compile(out, opts);
}

/*
 * A literal head. A pattern that begins with its start rule's literal P,
 * then (maybe) an unbounded run R of a class or "." and an exact literal
 * L, then the rest B, is tried anchored at each place s of P. The
 * interpreter steps through P and R a character and a call at a time,
 * which on a matching line is most of the work. When the source up to B
 * holds no group, option or \Q (so B's groups keep their numbers and
 * means alone what it meant after them), B is compiled alone and run
 * anchored where the others end: after P at s; or, on a line where L
 * stands once only (at q), at q + |L| when some s has R's bytes from
 * s + |P| to q, which is the one place R can end that PCRE2 goes on from
 * (none: no match at all). What B finds there is what the pattern finds
 * at the first such s; only the match's own start (unused) differs.
 *
 * The match limit: the pattern's try at s spends at most one call per
 * byte of the line in R more than B, so B gets the try's limit less the
 * line's length and a margin. The split of the source is the front end's
 * word: the head parses alone into the pattern's first items and B into
 * the rest, node for node.
 */
static bool
same_nodes(const struct fw_regex *a, uint32_t x, const struct fw_regex *b, uint32_t y, bool siblings)
{
	while (x != FW_RX_NONE && y != FW_RX_NONE) {
		const struct fw_rx_node *m = &a->nodes[x], *n = &b->nodes[y];

		if (m->kind != n->kind || m->flags != n->flags || m->nonascii != n->nonascii || m->greed != n->greed ||
		    m->cp != n->cp || m->min != n->min || m->max != n->max)
			return false;
		if (m->kind == FW_RX_TEXT &&
		    (m->len != n->len || memcmp(fw_rx_text(a, m), fw_rx_text(b, n), m->len * sizeof(uint32_t)) != 0))
			return false;
		if (m->kind == FW_RX_CLASS &&
		    memcmp(fw_rx_class_set(a, m), fw_rx_class_set(b, n), sizeof(struct fw_rx_bytes)) != 0)
			return false;
		if (!same_nodes(a, m->child, b, n->child, true))
			return false;
		if (!siblings)
			return true;
		x = m->next;
		y = n->next;
	}
	return x == FW_RX_NONE && y == FW_RX_NONE;
}

/* The items of a parsed pattern of one branch, or FW_RX_NONE. */
static uint32_t
first_item(const struct fw_regex *rx)
{
	const struct fw_rx_node *root;

	if (rx->root == FW_RX_NONE)
		return FW_RX_NONE;
	root = &rx->nodes[rx->root];
	if (root->child == FW_RX_NONE || rx->nodes[root->child].next != FW_RX_NONE)
		return FW_RX_NONE;
	return rx->nodes[root->child].child;
}

/* Whether src[0..cut) parses into rx's k items from head, and src[cut..] into those after them. */
static int
split_at(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t head, uint32_t k, uint32_t rest,
	 size_t cut, bool *same)
{
	struct fw_regex a = { 0 }, b = { 0 };
	const char *src = pat->source;
	int rc;

	*same = false;
	rc = fw_regex_parse(&a, src, cut, pat->caseless);
	if (rc == 0)
		rc = fw_regex_parse(&b, src + cut, strlen(src + cut), pat->caseless);
	if (rc == 0) {
		uint32_t x = first_item(&a), y = head;

		*same = true;
		for (uint32_t i = 0; i < k && *same; i++) {
			*same = x != FW_RX_NONE && same_nodes(rx, y, &a, x, false);
			if (*same) {
				x = a.nodes[x].next;
				y = rx->nodes[y].next;
			}
		}
		*same = *same && x == FW_RX_NONE &&
			(rest == FW_RX_NONE ? first_item(&b) == FW_RX_NONE || b.nodes[first_item(&b)].kind == FW_RX_EMPTY
			 : same_nodes(rx, rest, &b, first_item(&b), true));
	}
	fw_regex_free(&a);
	fw_regex_free(&b);
	return rc == -ENOMEM ? rc : 0;
}

/* Source bytes of the first n literal characters of s (plain, or a backslash and punctuation); 0 if fewer. */
static size_t
literal_source(const char *s, uint32_t n)
{
	size_t at = 0;

	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[at];

		if (c == '\\' && s[at + 1] && (unsigned char)s[at + 1] < 0x80 && !isalnum((unsigned char)s[at + 1]))
			at += 2;
		else if (c && c < 0x80 && !strchr("\\^$.[|()?*+{}]#", c))
			at++;
		else
			return 0;
	}
	return at;
}

#define SPLIT_CUTS_MAX 64

static int
split_rule(const struct fw_pattern *pat, const struct fw_regex *rx, const struct fp_starts *st, uint32_t opts,
	   struct fp_split *out)
{
	const char *src = pat->source;
	uint32_t head = first_item(rx), run, lit, rest, k;
	const struct fw_rx_node *x;
	size_t from, to, lim;
	bool same = false;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!st->lit || st->before || st->run || head == FW_RX_NONE || rx->options_len || refers_back(src) ||
	    !exact_literal(rx, &rx->nodes[head]))
		return 0;
	x = &rx->nodes[head];
	out->prefix = x->kind == FW_RX_TEXT ? x->len : 1;
	if (out->prefix > st->lit_len)
		return 0;
	for (uint32_t i = 0; i < out->prefix; i++)
		if ((x->kind == FW_RX_TEXT ? fw_rx_text(rx, x)[i] : x->cp) != st->lit[i])
			return 0;
	from = literal_source(src, out->prefix);
	if (!from)
		return 0;
	/* No group, option or quoting in the head: up to the first '(' or \Q that is not escaped. */
	for (lim = 0; src[lim] && src[lim] != '(' && !(src[lim] == '\\' && (src[lim + 1] == 'Q' || src[lim + 1] == 'E'));
	     lim += src[lim] == '\\' && src[lim + 1] ? 2 : 1)
		;
	run = rx->nodes[head].next;
	lit = run == FW_RX_NONE ? FW_RX_NONE : rx->nodes[run].next;
	x = run == FW_RX_NONE ? NULL : &rx->nodes[run];
	if (x && x->kind == FW_RX_REPEAT && x->greed != FW_RX_POSSESSIVE && x->max == FW_RX_INF &&
	    (rx->nodes[x->child].kind == FW_RX_CLASS || rx->nodes[x->child].kind == FW_RX_ANY) &&
	    lit != FW_RX_NONE && exact_literal(rx, &rx->nodes[lit])) {
		out->run = true;
		out->run_min = x->min;
		atom_bytes(rx, &rx->nodes[x->child], &out->set);
		k = 3;
		rest = rx->nodes[lit].next;
		/* Cuts from the first group down to just after the head. */
		for (to = lim; to > from && lim - to < SPLIT_CUTS_MAX && !same && rc == 0; to--)
			rc = split_at(pat, rx, head, k, rest, to, &same);
	} else {
		k = 1;
		rest = run;
		to = from;
		if (from <= lim)
			rc = split_at(pat, rx, head, k, rest, from, &same);
	}
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
		to++;   /* the loop stepped past the cut that fits */
	}
	out->code = pcre2_compile((PCRE2_SPTR)src + to, PCRE2_ZERO_TERMINATED, opts, &rc, &(PCRE2_SIZE){ 0 }, NULL);
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

static int
need_rule(const struct fw_regex *rx, struct fp_need *out)
{
	uint32_t alt = rx->root, n = 0, n_lits = 0, first = first_item(rx);
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

/* Whether some branch of r has all its literals in the line. */
static bool
need_met(const struct fp_need *r, const unsigned char *line, size_t len)
{
	for (uint32_t b = 0; b < r->n_branches; b++) {
		uint32_t i = r->first[b];

		while (i < r->first[b + 1] && memmem(line, len, r->lits[i], r->lens[i]))
			i++;
		if (i == r->first[b + 1])
			return true;
	}
	return false;
}

int
fw__fast_confirm_alloc(struct fast *f, const struct fw_kb *kb)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < kb->n_patterns; p++)
		n += interpreted(kb, &kb->patterns[p]);
	if (!n)
		return 0;
	f->ascii_code = calloc(kb->n_patterns, sizeof *f->ascii_code);
	f->starts = calloc(kb->n_patterns, sizeof *f->starts);
	f->lazy = calloc(kb->n_patterns, sizeof *f->lazy);
	f->split = calloc(kb->n_patterns, sizeof *f->split);
	f->need_lits = calloc(kb->n_patterns, sizeof *f->need_lits);
	return f->ascii_code && f->starts && f->lazy && f->split && f->need_lits ? 0 : -ENOMEM;
}

bool
fw__fast_confirm_wants(const struct fast *f, const struct fw_kb *kb, uint32_t p)
{
	return f->ascii_code && interpreted(kb, &kb->patterns[p]) && ascii_source(kb->patterns[p].source);
}

int
fw__fast_confirm_pattern(struct fast *f, const struct fw_kb *kb, uint32_t p, const struct fw_regex *rx)
{
	const struct fw_pattern *pat = &kb->patterns[p];
	uint32_t opts = PCRE2_NEVER_BACKSLASH_C | (pat->caseless ? PCRE2_CASELESS : 0);
	const struct fp_starts *canon;
	const struct fp_lazy *lazy;
	PCRE2_SIZE erroff;
	int err, rc;

	if (!fw__fast_confirm_wants(f, kb, p))
		return 0;       /* f->starts may be NULL */
	canon = &f->starts[f->canon[p]];
	lazy = &f->lazy[f->canon[p]];
	/* A failure leaves NULL: the pattern's own code serves every line. */
	f->ascii_code[p] = pcre2_compile((PCRE2_SPTR)pat->source, PCRE2_ZERO_TERMINATED, opts, &err, &erroff,
					 NULL);
	if (!f->ascii_code[p])
		return 0;
	if (rx) {
		rc = start_rule(pat, rx, &f->starts[p]);
		if (rc == 0)
			rc = lazy_rule(pat, rx, opts, &f->lazy[p]);
		if (rc == 0)
			rc = need_rule(rx, &f->need_lits[p]);
		return rc < 0 ? rc : split_rule(pat, rx, &f->starts[p], opts, &f->split[p]);
	}
	/* An equal pattern's follower: its leader's rules, from the same source. */
	if (lazy->code) {
		f->lazy[p].source = strdup(lazy->source);
		f->lazy[p].lit = malloc(lazy->lit_len);
		if (!f->lazy[p].source || !f->lazy[p].lit)
			return -ENOMEM;
		memcpy(f->lazy[p].lit, lazy->lit, lazy->lit_len);
		f->lazy[p].lit_len = lazy->lit_len;
		lazy_compile(&f->lazy[p], opts);
	}
	if (!canon->lit)
		return 0;
	f->starts[p] = *canon;
	f->starts[p].lit = malloc(canon->lit_len);
	if (!f->starts[p].lit)
		return -ENOMEM;
	memcpy(f->starts[p].lit, canon->lit, canon->lit_len);
	return 0;
}

void
fw__fast_ascii_free(struct fast *f)
{
	for (uint32_t p = 0; f->ascii_code && p < f->n_patterns; p++)
		pcre2_code_free(f->ascii_code[p]);
	for (uint32_t p = 0; f->starts && p < f->n_patterns; p++)
		free(f->starts[p].lit);
	for (uint32_t p = 0; f->lazy && p < f->n_patterns; p++) {
		pcre2_code_free(f->lazy[p].code);
		free(f->lazy[p].source);
		free(f->lazy[p].lit);
	}
	for (uint32_t p = 0; f->split && p < f->n_patterns; p++) {
		pcre2_code_free(f->split[p].code);
		free(f->split[p].lit);
	}
	free(f->split);
	f->split = NULL;
	for (uint32_t p = 0; f->need_lits && p < f->n_patterns; p++) {
		struct fp_need *r = &f->need_lits[p];

		for (uint32_t i = 0; r->first && i < r->first[r->n_branches]; i++)
			free(r->lits[i]);
		free(r->first);
		free(r->lits);
		free(r->lens);
	}
	free(f->need_lits);
	f->need_lits = NULL;
	free(f->ascii_code);
	free(f->starts);
	free(f->lazy);
	f->ascii_code = NULL;
	f->starts = NULL;
	f->lazy = NULL;
}

/*
 * The places where a match can start under rule r, ascending, into out
 * (FP_STARTS_MAX); *many when there are more. Every place of the literal
 * is looked at once, and every byte of a run walked back over once.
 */
static uint32_t
find_starts(const struct fp_starts *r, const unsigned char *line, size_t len, uint32_t *out, bool *many)
{
	const unsigned char *q = line, *end;
	size_t last = 0, last_from = 0;
	bool seen = false;
	uint32_t n = 0;

	if (r->lit_len > len)
		return 0;
	end = line + len - r->lit_len + 1;
	while (q < end && (q = memchr(q, r->lit[0], (size_t)(end - q)))) {
		size_t x = (size_t)(q - line), from;

		q++;
		if (memcmp(line + x, r->lit, r->lit_len) != 0)
			continue;
		if (!r->run) {
			if (x < r->before)
				continue;
			from = x - r->before;
		} else {
			/* Back to where the run of set bytes ending here begins. */
			from = x;
			while (from > (seen ? last : 0) && fw_rx_bytes_has(&r->set, line[from - 1]))
				from--;
			if (seen && from == last)
				from = last_from;       /* the same run as the last place's */
			last = x;
			last_from = from;
			seen = true;
			if (x - from < r->before)
				continue;
		}
		if (n && out[n - 1] == from)
			continue;
		if (n == FP_STARTS_MAX) {
			*many = true;
			return n;
		}
		out[n++] = (uint32_t)from;
	}
	return n;
}

static bool
line_ascii(const unsigned char *line, size_t len)
{
	uint64_t any = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, line + i, sizeof w);
		any |= w;
	}
	for (; i < len; i++)
		any |= line[i];
	return !(any & 0x8080808080808080u);
}

uint32_t
fw_match_fast_ascii_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->ascii_code && p < f->n_patterns; p++)
		n += f->ascii_code[p] != NULL;
	return n;
}

/*
 * The match limit of each of n tries under rule r on a line of len bytes,
 * or 0 when the line is too long to bound the calls a search from 0 spends
 * at the places skipped. Fixed prefix: each skipped place costs at most
 * r->cost. Run: a skipped place in a run no try started costs at most
 * r->cost and the run's length; in the run of a failed try, at most what
 * that try could cost (its limit) and r->cost.
 */
static uint32_t
tries_limit(const struct fp_starts *r, size_t len, uint32_t n)
{
	uint64_t l = len, skipped, each;

	if (len > FW_MATCH_LIMIT)
		return 0;
	if (!r->run) {
		skipped = l * r->cost;
		if (skipped >= FW_MATCH_LIMIT / 2)
			return 0;
		return (uint32_t)((FW_MATCH_LIMIT - skipped) / n);
	}
	each = FW_MATCH_LIMIT / (4 * l + 4);
	skipped = l * l / 2 + 2 * l * r->cost + l * (each + r->cost);
	if (each < 64 || skipped + n * each >= FW_MATCH_LIMIT)
		return 0;
	return (uint32_t)each;
}

/* How many times (0, 1 or 2 for more) lit stands in the line. */
static unsigned
places(const unsigned char *lit, uint32_t lit_len, const unsigned char *line, size_t len)
{
	const unsigned char *q = memmem(line, len, lit, lit_len);

	if (!q)
		return 0;
	q++;
	return memmem(q, len - (size_t)(q - line), lit, lit_len) ? 2 : 1;
}

/*
 * Switches how to r's lazy code where the line allows it, within the
 * limit that bounds what the pattern's own code would spend. false: the
 * line cannot match (no place of the literal).
 */
static bool
lazy_way(const struct fp_lazy *r, const unsigned char *line, size_t len, struct fw_match_how *how)
{
	unsigned n = places(r->lit, r->lit_len, line, len);
	uint64_t limit;

	if (n == 0)
		return false;
	if (n > 1 || len > FW_MATCH_LIMIT)
		return true;
	limit = (how->starts ? how->match_limit : FW_MATCH_LIMIT) / ((uint64_t)len + 3);
	if (limit < LAZY_LIMIT_MIN)
		return true;
	how->code = r->code;
	how->match_limit = (uint32_t)limit;
	return true;
}

/*
 * Switches how's anchored tries (of its own starts array) to r's code
 * after the head. 0: the line cannot match; 1: switched; 2: left as it
 * was (the literal after the run stands twice or more, or the limit is
 * too small to spare the run's share).
 */
static int
split_way(const struct fp_split *r, const unsigned char *line, size_t len, struct fw_match_how *how)
{
	uint32_t *starts = (uint32_t *)how->starts;
	const unsigned char *q;
	size_t at;
	bool fits = false;

	if (how->match_limit < len + 16 + LAZY_LIMIT_MIN)
		return 2;
	if (!r->run) {
		for (uint32_t i = 0; i < how->n_starts; i++)
			starts[i] += r->prefix;
		how->code = r->code;
		how->match_limit -= 16;
		return 1;
	}
	q = memmem(line, len, r->lit, r->lit_len);
	if (!q)
		return 0;
	if (memmem(q + 1, len - (size_t)(q + 1 - line), r->lit, r->lit_len))
		return 2;
	at = (size_t)(q - line);
	for (uint32_t i = 0; i < how->n_starts && !fits; i++) {
		size_t b = (size_t)starts[i] + r->prefix;

		fits = b <= at && at - b >= r->run_min;
		for (; fits && b < at; b++)
			fits = fw_rx_bytes_has(&r->set, line[b]);
	}
	if (!fits)
		return 0;
	starts[0] = (uint32_t)(at + r->lit_len);
	how->n_starts = 1;
	how->code = r->code;
	how->match_limit -= (uint32_t)len + 16;
	return 1;
}

const struct fw_match_how *
fw__fast_confirm_how(const struct fast *f, uint32_t p, const unsigned char *line, size_t len, int *ascii,
		     struct fw_match_how *how, uint32_t *starts, bool *none)
{
	const struct fp_split *split;
	bool many = false;
	uint32_t n, limit;
	int way;

	if (!f->ascii_code || !f->ascii_code[p])
		return NULL;
	if (*ascii < 0)
		*ascii = len <= UINT32_MAX && line_ascii(line, len);
	if (!*ascii)
		return NULL;
	*how = (struct fw_match_how){ .code = f->ascii_code[p] };
	if (f->need_lits[p].n_branches && !need_met(&f->need_lits[p], line, len)) {
		*none = true;
		return how;
	}
	if (f->starts[p].lit) {
		n = find_starts(&f->starts[p], line, len, starts, &many);
		if (!n) {
			*none = true;
			return how;
		}
		limit = tries_limit(&f->starts[p], len, many ? 1 : n);
		if (limit) {
			how->starts = starts;
			how->n_starts = many ? 1 : n;
			how->anchored = !many;
			how->match_limit = limit;
		}
	}
	/* A head with a run first; else the lazy code, which spares more than a head without one. */
	split = &f->split[p];
	if (split->code && split->run && how->anchored && (way = split_way(split, line, len, how)) < 2) {
		*none = way == 0;
		return how;
	}
	if (f->lazy[p].code && !lazy_way(&f->lazy[p], line, len, how)) {
		*none = true;
		return how;
	}
	if (split->code && !split->run && how->anchored && how->code == f->ascii_code[p])
		split_way(split, line, len, how);
	return how;
}

uint32_t
fw_match_fast_split_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->split && p < f->n_patterns; p++)
		n += f->split[p].code != NULL;
	return n;
}

uint32_t
fw_match_fast_lazy_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->lazy && p < f->n_patterns; p++)
		n += f->lazy[p].code != NULL;
	return n;
}

uint32_t
fw_match_fast_start_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->starts && p < f->n_patterns; p++)
		n += f->starts[p].lit != NULL;
	return n;
}
