/*
 * match_fast_walk: a pattern's anchored tries on an ASCII line answered by
 * walking its syntax tree, without PCRE2, where JIT is not used.
 *
 * In PCRE2's interpreter a matching log line costs a few thousand
 * instructions even where the pattern is nearly all literal text: about
 * 800 per pcre2_match() call before the first item, 25-30 per literal
 * character, 200-300 per lazy step or optional group (each a backtracking
 * frame, its captures copied). The shipped KB's sshd signatures match a
 * sixth of real logs' lines and need their captures on each, so that cost
 * is most of what no JIT adds there.
 *
 * The walk is a backtracking matcher over the tree (regex_parse.h) that
 * tries the same choices in the same order as PCRE2 (alternatives left to
 * right, a greedy repeat longest first, a lazy one shortest first), so the
 * first match it finds is PCRE2's, with the same captures: a group's
 * capture is set when the group ends and restored when the walk backs out
 * through it; a repeated group keeps its last iteration's, and a group
 * that a later iteration does not enter keeps the one before, as in
 * PCRE2. On an ASCII line it matches as the byte-mode code does
 * (match_fast_confirm.c): literal characters above 0x7f never match, a
 * caseless one matches its ASCII case partner, a class by its ASCII
 * members, "." any byte but "\n" (PCRE2's default newline).
 *
 * What the walk does not model it does not guess at. A pattern is taken
 * only when its tree holds nothing but text, classes, ".", anchors, \b
 * and \B, groups that are not atomic, alternations, and repeats of one
 * character or of a group that cannot match the empty string (PCRE2 has
 * rules of its own for a repeated group that matched nothing), not
 * possessive unless of one character, and when its capturing groups,
 * numbered in the order they open, are as many as PCRE2 counts (a branch
 * reset would renumber them), without start-of-pattern options or an
 * inline (?U), which swaps greed where the tree does not show it. A
 * lookahead, (?=...) or (?!...), whose body is all of that and captures
 * nothing is walked as PCRE2 runs it: its body's first match from the
 * place decides, and the walk never backtracks into it (PCRE2's
 * assertions are atomic); not where it may stand at a match's start
 * (walkable()). Any other item the tree leaves opaque (lookbehind, such
 * a lookahead, a lookahead that captures, backreference, \R ...) ends
 * the walk when it is reached: the line goes to PCRE2 as before, and so
 * does a walk that takes more than WALK_STEPS steps. A match or a
 * no-match found before that is PCRE2's answer.
 *
 * The match and depth limits: the 10.42 interpreter makes a match() call
 * and holds a backtracking frame per alternative it tries, per iteration
 * of a repeated group and per length of a repeat it tries; the walk counts
 * a step for each of those (every length of a run, even one it does not
 * walk into because the next item cannot start there) and for every item
 * it enters. So PCRE2 spends a small multiple of the walk's steps at most,
 * and where the tries' own limit is at least WALK_LIMIT_MIN (16 times
 * WALK_STEPS; WALK_STEPS is well below FW_DEPTH_LIMIT too) the pattern's
 * code would have found the walk's answer without running out of either
 * limit; below that the walk is not used.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"
#include "match/match.h"

#define WALK_STEPS 1000u
#define WALK_LIMIT_MIN (16u * WALK_STEPS)

enum { WALK_NOMATCH, WALK_MATCH, WALK_GAVE_UP };

/*
 * In the walk's copy of the tree, an FW_RX_OPAQUE node's at: a lookahead
 * it models; an FW_RX_REPEAT node's: a greedy repeat of a group that
 * captures nothing and whose first branch is one character, taken as a run.
 */
#define WALK_LOOKAHEAD 1u
#define WALK_RUN 1u

/* What the walk goes on with after the item it is in ends; ASSERT: a lookahead's body has matched. */
enum frame_kind { FRAME_SEQ, FRAME_GROUP, FRAME_REPEAT, FRAME_ASSERT };

struct frame {
	const struct frame *up;
	uint32_t x;             /* SEQ: the next item (FW_RX_NONE: pop up); GROUP, REPEAT: the node */
	uint32_t from;          /* GROUP: where it began */
	uint32_t count;         /* REPEAT: iterations done, this one included */
	uint8_t kind;
};

struct walk {
	const struct fp_walk *w;
	const unsigned char *line;
	size_t len;
	uint32_t stop;          /* an item at which a match ends (the cut), or FW_RX_NONE */
	uint32_t steps;
	size_t end;
	PCRE2_SIZE *caps;       /* 2 per group, group 0 included */
};

static bool
char_at(const struct fw_rx_node *n, uint32_t cp, unsigned char c)
{
	if (cp >= 0x80)
		return false;
	return cp == c || ((n->flags & FW_RX_F_CASELESS) && fold((unsigned char)cp) == fold(c));
}

/* Whether the one-character item n takes byte c. */
static bool
takes(const struct fp_walk *w, const struct fw_rx_node *n, unsigned char c)
{
	switch (n->kind) {
	case FW_RX_CHAR:
		return char_at(n, n->cp, c);
	case FW_RX_CLASS:
		return fw_rx_bytes_has(&w->sets[n->at], c);
	default:
		return c != '\n' || (n->flags & FW_RX_F_DOTALL);
	}
}

/* Whether text node n stands at s (len bytes there at least); its bytes are at n->cp (FW_RX_NONE: one above 0x7f). */
static bool
text_at(const struct fp_walk *w, const struct fw_rx_node *n, const unsigned char *s)
{
	const unsigned char *t = w->bytes + n->cp;

	if (n->cp == FW_RX_NONE)
		return false;
	if (!(n->flags & FW_RX_F_CASELESS))
		return memcmp(s, t, n->len) == 0;
	for (uint32_t i = 0; i < n->len; i++)
		if (fold(s[i]) != fold(t[i]))
			return false;
	return true;
}

/* What may follow a repeat of one character: any byte, one of two bytes, or a class's. */
struct follower {
	const struct fw_rx_bytes *set;
	int a, b;               /* -1: any byte (set NULL) */
};

/*
 * The item after node x's place (x, else what fr goes on with, up to a
 * repeated group's end, after which anything may come), as a follower.
 */
static struct follower
follow(const struct fp_walk *w, uint32_t x, const struct frame *fr)
{
	struct follower f = { .a = -1, .b = -1 };
	const struct fw_rx_node *n;
	int c;

	while (x == FW_RX_NONE && fr && (fr->kind == FRAME_SEQ || fr->kind == FRAME_GROUP)) {
		x = fr->kind == FRAME_SEQ ? fr->x : w->nodes[fr->x].next;
		fr = fr->up;
	}
	if (x == FW_RX_NONE)
		return f;
	n = &w->nodes[x];
	if (n->kind == FW_RX_CLASS) {
		f.set = &w->sets[n->at];
		return f;
	}
	if (n->kind == FW_RX_TEXT && n->len && n->cp != FW_RX_NONE)
		c = w->bytes[n->cp];
	else if (n->kind == FW_RX_CHAR && n->cp < 0x80)
		c = (int)n->cp;
	else
		return f;
	f.a = f.b = c;
	if ((n->flags & FW_RX_F_CASELESS) && fold((unsigned char)c) != c)
		f.b = fold((unsigned char)c);
	else if ((n->flags & FW_RX_F_CASELESS) && c >= 'a' && c <= 'z')
		f.b = c - 32;
	return f;
}

static bool
may_start(const struct follower *f, unsigned char c)
{
	if (f->set)
		return fw_rx_bytes_has(f->set, c);
	return f->a < 0 || c == f->a || c == f->b;
}

static int step(struct walk *k, uint32_t x, size_t pos, const struct frame *fr);

/* Each branch of alternation alt from pos, in order, each going on with fr. */
static int
branches(struct walk *k, uint32_t alt, size_t pos, const struct frame *fr)
{
	for (uint32_t b = k->w->nodes[alt].child; b != FW_RX_NONE; b = k->w->nodes[b].next) {
		int r;

		if (++k->steps > WALK_STEPS)
			return WALK_GAVE_UP;
		r = step(k, k->w->nodes[b].child, pos, fr);

		if (r != WALK_NOMATCH)
			return r;
	}
	return WALK_NOMATCH;
}

/*
 * Repeat x (WALK_RUN) after count iterations, at pos. Its first branch
 * takes the run of bytes it can, one an iteration; then, from the
 * deepest place back, each place tries the other branches and then what
 * follows, which is the order in which iterate() would try them: there
 * the first branch is tried first at every place, and fails only at the
 * run's end. Each byte of the run counts two steps, as PCRE2 makes a
 * frame for the group and one for its repeat.
 */
static int
iterate_run(struct walk *k, uint32_t x, uint32_t count, size_t pos, const struct frame *up)
{
	const struct fw_rx_node *n = &k->w->nodes[x];
	uint32_t first = k->w->nodes[k->w->nodes[n->child].child].child, c = count;
	const struct fw_rx_node *one = &k->w->nodes[k->w->nodes[first].child];
	size_t end = pos;
	int r;

	while (c < n->max && end < k->len && takes(k->w, one, k->line[end])) {
		end++;
		c++;
	}
	k->steps += 2 * (c - count);
	for (;;) {
		struct frame fr = { .up = up, .x = x, .count = c + 1, .kind = FRAME_REPEAT };
		struct frame g = { .up = &fr, .x = n->child, .from = (uint32_t)end, .kind = FRAME_GROUP };

		if (++k->steps > WALK_STEPS)
			return WALK_GAVE_UP;
		for (uint32_t b = k->w->nodes[first].next; c < n->max && b != FW_RX_NONE; b = k->w->nodes[b].next)
			if ((r = step(k, k->w->nodes[b].child, end, &g)) != WALK_NOMATCH)
				return r;
		if (c >= n->min && (r = step(k, n->next, end, up)) != WALK_NOMATCH)
			return r;
		if (c == count)
			return WALK_NOMATCH;
		end--;
		c--;
	}
}

/* Repeat x of a group after count iterations, at pos: another one or what follows, in x's order. */
static int
iterate(struct walk *k, uint32_t x, uint32_t count, size_t pos, const struct frame *up)
{
	const struct fw_rx_node *n = &k->w->nodes[x];
	struct frame fr = { .up = up, .x = x, .count = count + 1, .kind = FRAME_REPEAT };
	bool more = count < n->max, enough = count >= n->min;
	int r = WALK_NOMATCH;

	if (n->at == WALK_RUN)
		return iterate_run(k, x, count, pos, up);
	if (++k->steps > WALK_STEPS)
		return WALK_GAVE_UP;

	if (n->greed == FW_RX_GREEDY && more && (r = step(k, n->child, pos, &fr)) != WALK_NOMATCH)
		return r;
	if (enough && (r = step(k, n->next, pos, up)) != WALK_NOMATCH)
		return r;
	if (n->greed == FW_RX_LAZY && more)
		return step(k, n->child, pos, &fr);
	return r;
}

/* The end of the item fr stands for, at pos. */
static int
pop(struct walk *k, size_t pos, const struct frame *fr)
{
	const struct fw_rx_node *n;
	PCRE2_SIZE was[2];
	int r;

	if (!fr) {
		k->end = pos;
		return WALK_MATCH;
	}
	n = &k->w->nodes[fr->x];
	switch (fr->kind) {
	case FRAME_ASSERT:
		return WALK_MATCH;
	case FRAME_SEQ:
		return step(k, fr->x, pos, fr->up);
	case FRAME_GROUP:
		if (!(n->flags & FW_RX_F_CAPTURE))
			return step(k, n->next, pos, fr->up);
		{
			PCRE2_SIZE *c = &k->caps[2 * n->at];

			was[0] = c[0];
			was[1] = c[1];
			c[0] = fr->from;
			c[1] = pos;
			r = step(k, n->next, pos, fr->up);
			if (r == WALK_NOMATCH) {
				c[0] = was[0];
				c[1] = was[1];
			}
			return r;
		}
	default:
		return iterate(k, fr->x, fr->count, pos, fr->up);
	}
}

/*
 * Repeat n of one character at pos: the run it can take, then its lengths
 * in n's order. Each length counts as a step, as PCRE2 may try each; one
 * after which the next item cannot start is not walked into.
 */
static int
run(struct walk *k, const struct fw_rx_node *n, size_t pos, const struct frame *fr)
{
	const struct fw_rx_node *c = &k->w->nodes[n->child];
	const unsigned char *line = k->line, *q;
	size_t len = k->len, most = pos, room = len - pos, lo, hi;
	struct follower f;
	int r;

	if (room > n->max)
		room = n->max;
	if (c->kind == FW_RX_ANY && (c->flags & FW_RX_F_DOTALL))
		most = pos + room;
	else if (c->kind == FW_RX_ANY)
		most = (q = memchr(line + pos, '\n', room)) ? (size_t)(q - line) : pos + room;
	else if (c->kind == FW_RX_CLASS)
		for (const struct fw_rx_bytes *set = &k->w->sets[c->at]; most - pos < room && fw_rx_bytes_has(set, line[most]);)
			most++;
	else
		while (most - pos < room && takes(k->w, c, line[most]))
			most++;
	if (most - pos < n->min)
		return WALK_NOMATCH;
	if (n->greed == FW_RX_POSSESSIVE)
		return step(k, n->next, most, fr);
	lo = pos + n->min;
	k->steps += (uint32_t)(most - lo);
	if (k->steps > WALK_STEPS)
		return WALK_GAVE_UP;
	f = follow(k->w, n->next, fr);
	if (f.a >= 0 && f.a == f.b) {
		/* The next item needs byte a: only its places are lengths to try. */
		hi = most < len ? most + 1 : len;
		while (hi > lo && (q = n->greed == FW_RX_GREEDY ? memrchr(line + lo, f.a, hi - lo)
								  : memchr(line + lo, f.a, hi - lo))) {
			if ((r = step(k, n->next, (size_t)(q - line), fr)) != WALK_NOMATCH)
				return r;
			if (n->greed == FW_RX_GREEDY)
				hi = (size_t)(q - line);
			else
				lo = (size_t)(q - line) + 1;
		}
		return WALK_NOMATCH;
	}
	for (size_t j = 0; j <= most - lo; j++) {
		size_t i = n->greed == FW_RX_GREEDY ? most - j : lo + j;

		if ((i == len || may_start(&f, line[i])) && (r = step(k, n->next, i, fr)) != WALK_NOMATCH)
			return r;
	}
	return WALK_NOMATCH;
}

static int
step(struct walk *k, uint32_t x, size_t pos, const struct frame *fr)
{
	const struct fw_rx_node *n;
	const unsigned char *line = k->line;
	size_t len = k->len;

	if (x == FW_RX_NONE)
		return pop(k, pos, fr);
	if (x == k->stop) {     /* a top-level item: fr is NULL */
		k->end = pos;
		return WALK_MATCH;
	}
	if (++k->steps > WALK_STEPS)
		return WALK_GAVE_UP;
	n = &k->w->nodes[x];
	switch (n->kind) {
	case FW_RX_EMPTY:
		break;
	case FW_RX_CHAR:
	case FW_RX_CLASS:
	case FW_RX_ANY:
		if (pos == len || !takes(k->w, n, line[pos]))
			return WALK_NOMATCH;
		pos++;
		break;
	case FW_RX_TEXT:
		if (len - pos < n->len || !text_at(k->w, n, line + pos))
			return WALK_NOMATCH;
		pos += n->len;
		break;
	case FW_RX_START:
		if (pos != 0)
			return WALK_NOMATCH;
		break;
	case FW_RX_END:
		if (pos != len)
			return WALK_NOMATCH;
		break;
	case FW_RX_END_NL:
		if (pos != len && !(pos + 1 == len && line[pos] == '\n'))
			return WALK_NOMATCH;
		break;
	case FW_RX_LINE_START:
		/* Not after a newline that ends the line (PCRE2 without PCRE2_ALT_CIRCUMFLEX). */
		if (pos != 0 && (line[pos - 1] != '\n' || pos == len))
			return WALK_NOMATCH;
		break;
	case FW_RX_LINE_END:
		if (pos != len && line[pos] != '\n')
			return WALK_NOMATCH;
		break;
	case FW_RX_WORDB: {
		bool before = pos > 0 && fw_rx_word_byte(line[pos - 1]), after = pos < len && fw_rx_word_byte(line[pos]);

		if ((before != after) == !!(n->flags & FW_RX_F_NEGATED))
			return WALK_NOMATCH;
		break;
	}
	case FW_RX_CAT: {
		struct frame seq = { .up = fr, .x = n->next, .kind = FRAME_SEQ };

		return step(k, n->child, pos, &seq);
	}
	case FW_RX_GROUP: {
		struct frame g = { .up = fr, .x = x, .from = (uint32_t)pos, .kind = FRAME_GROUP };

		return branches(k, n->child, pos, &g);
	}
	case FW_RX_REPEAT: {
		if (k->w->nodes[n->child].kind == FW_RX_GROUP)
			return iterate(k, x, 0, pos, fr);
		return run(k, n, pos, fr);
	}
	case FW_RX_OPAQUE: {
		/* A lookahead: its body's first match from pos, if any, and no backtracking into it. */
		struct frame body = { .kind = FRAME_ASSERT };
		int r;

		if (n->at != WALK_LOOKAHEAD)
			return WALK_GAVE_UP;
		r = branches(k, n->child, pos, &body);
		if (r == WALK_GAVE_UP)
			return r;
		if ((r == WALK_MATCH) == !!(n->flags & FW_RX_F_NEGATED))
			return WALK_NOMATCH;
		break;
	}
	default:
		return WALK_GAVE_UP;    /* opaque: PCRE2 decides */
	}
	return step(k, n->next, pos, fr);
}

/* Whether x can match the empty string; true where not known. */
static bool
nullable(const struct fw_regex *rx, uint32_t x)
{
	const struct fw_rx_node *n = &rx->nodes[x];

	switch (n->kind) {
	case FW_RX_CHAR:
	case FW_RX_CLASS:
	case FW_RX_ANY:
		return false;
	case FW_RX_TEXT:
		return n->len == 0;
	case FW_RX_CAT:
		for (uint32_t c = n->child; c != FW_RX_NONE; c = rx->nodes[c].next)
			if (!nullable(rx, c))
				return false;
		return true;
	case FW_RX_ALT:
		for (uint32_t c = n->child; c != FW_RX_NONE; c = rx->nodes[c].next)
			if (nullable(rx, c))
				return true;
		return false;
	case FW_RX_GROUP:
		return nullable(rx, n->child);
	case FW_RX_REPEAT:
		return n->min == 0 || nullable(rx, n->child);
	default:
		return true;
	}
}

static bool
one_char(const struct fw_rx_node *n)
{
	return n->kind == FW_RX_CHAR || n->kind == FW_RX_CLASS || n->kind == FW_RX_ANY;
}

/*
 * Whether the walk models x and what it holds, numbering its capturing
 * groups into group[] (next: the next number). lead: x may be reached
 * where a match starts, nothing taken before it. PCRE2 10.42 takes its
 * first code unit from a lookahead there and then looks for its required
 * one only after that unit, as if the lookahead had consumed it: it finds
 * no match of (?=b)c??b in " b" where there is one. So a lookahead there
 * is not walked: the walk gives the line to PCRE2 when it reaches it.
 */
static bool
walkable(const struct fw_regex *rx, uint32_t x, bool lead, uint32_t *group, uint32_t *next)
{
	const struct fw_rx_node *n = &rx->nodes[x];

	switch (n->kind) {
	case FW_RX_OPAQUE: {
		/* A lookahead without captures is walked; any other opaque item stops the walk. */
		uint32_t was = *next;

		if ((n->flags & (FW_RX_F_ZERO_WIDTH | FW_RX_F_BEHIND)) == FW_RX_F_ZERO_WIDTH && !lead &&
		    n->child != FW_RX_NONE && rx->nodes[n->child].kind == FW_RX_ALT &&
		    walkable(rx, n->child, false, group, next) && *next == was)
			group[x] = WALK_LOOKAHEAD;
		*next = was;
		return true;
	}
	case FW_RX_ALT:
		for (uint32_t c = n->child; c != FW_RX_NONE; c = rx->nodes[c].next)
			if (rx->nodes[c].kind != FW_RX_CAT || !walkable(rx, c, lead, group, next))
				return false;
		return true;
	case FW_RX_CAT:
		for (uint32_t c = n->child; c != FW_RX_NONE; c = rx->nodes[c].next) {
			if (rx->nodes[c].kind == FW_RX_ALT || !walkable(rx, c, lead, group, next))
				return false;
			lead = lead && nullable(rx, c);
		}
		return true;
	case FW_RX_GROUP:
		if (n->flags & FW_RX_F_ATOMIC)
			return false;
		if (n->flags & FW_RX_F_CAPTURE)
			group[x] = (*next)++;
		return rx->nodes[n->child].kind == FW_RX_ALT && walkable(rx, n->child, lead, group, next);
	case FW_RX_REPEAT: {
		const struct fw_rx_node *c = &rx->nodes[n->child];
		uint32_t was = *next;

		if (n->min > n->max || c->next != FW_RX_NONE)
			return false;
		if (one_char(c))
			return true;
		if (c->kind != FW_RX_GROUP || n->greed == FW_RX_POSSESSIVE || nullable(rx, n->child) ||
		    !walkable(rx, n->child, lead, group, next))
			return false;
		if (n->greed == FW_RX_GREEDY && !(c->flags & FW_RX_F_CAPTURE) && *next == was) {
			const struct fw_rx_node *first = &rx->nodes[rx->nodes[c->child].child];

			if (first->child != FW_RX_NONE && rx->nodes[first->child].next == FW_RX_NONE &&
			    one_char(&rx->nodes[first->child]))
				group[x] = WALK_RUN;
		}
		return true;
	}
	default:
		return true;
	}
}

/*
 * Whether source sets an inline option U (greed swapped), which the tree
 * does not show; anything that looks like one counts.
 */
static bool
swaps_greed(const char *s)
{
	for (; (s = strstr(s, "(?")); s++) {
		const char *o = s + 2;

		while (*o == '-' || *o == '^' || (*o >= 'a' && *o <= 'z') || (*o >= 'A' && *o <= 'Z')) {
			if (*o == 'U')
				return true;
			o++;
		}
	}
	return false;
}

int
fw__fast_walk_rule(const char *source, const struct fw_regex *rx, const pcre2_code *code, struct fp_walk *out)
{
	uint32_t next = 1, count = 0, *group;
	size_t cut;

	memset(out, 0, sizeof *out);
	out->stop = FW_RX_NONE;
	if (rx->options_len || rx->root == FW_RX_NONE || swaps_greed(source) ||
	    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count) != 0 || count >= FP_WALK_GROUPS)
		return 0;
	group = calloc(rx->n_nodes, sizeof *group);
	if (!group)
		return -ENOMEM;
	if (rx->nodes[rx->root].kind != FW_RX_ALT || !walkable(rx, rx->root, true, group, &next) || next != count + 1) {
		free(group);
		return 0;
	}
	out->nodes = malloc(rx->n_nodes * sizeof *out->nodes);
	out->sets = malloc((rx->n_sets ? rx->n_sets : 1) * sizeof *out->sets);
	out->bytes = calloc(rx->n_text + 1, 1);
	if (!out->nodes || !out->sets || !out->bytes) {
		free(group);
		fw__fast_walk_free(out);
		return -ENOMEM;
	}
	memcpy(out->nodes, rx->nodes, rx->n_nodes * sizeof *out->nodes);
	if (rx->n_sets)
		memcpy(out->sets, rx->sets, rx->n_sets * sizeof *out->sets);
	/* A group's number in its at; text as bytes, for a node whose characters are all ASCII. */
	for (uint32_t x = 0; x < rx->n_nodes; x++) {
		struct fw_rx_node *n = &out->nodes[x];

		if (n->kind == FW_RX_GROUP || n->kind == FW_RX_OPAQUE || n->kind == FW_RX_REPEAT)
			n->at = group[x];
		if (n->kind != FW_RX_TEXT)
			continue;
		n->cp = FW_RX_NONE;
		for (uint32_t i = 0; i < n->len && rx->text[n->at + i] < 0x80; i++)
			out->bytes[n->at + i] = (unsigned char)rx->text[n->at + i];
		for (uint32_t i = 0; i < n->len && rx->text[n->at + i] < 0x80; i++)
			if (i + 1 == n->len)
				n->cp = n->at;
		if (n->len == 0)
			n->cp = n->at;
	}
	free(group);
	out->root = rx->root;
	out->n_groups = count + 1;
	out->stop = fw__match_decide_stop(rx, &cut);
	return 0;
}

void
fw__fast_walk_free(struct fp_walk *w)
{
	free(w->nodes);
	free(w->sets);
	free(w->bytes);
	memset(w, 0, sizeof *w);
}

int
fw__fast_walk(const struct fp_walk *w, const unsigned char *line, size_t len, const uint32_t *starts,
	      uint32_t n_starts, uint32_t match_limit, bool cut, PCRE2_SIZE *ov, int *rc)
{
	struct walk k = { .w = w, .line = line, .len = len, .stop = cut ? w->stop : FW_RX_NONE, .caps = ov };
	int r = WALK_NOMATCH;

	if (!w->nodes || match_limit < WALK_LIMIT_MIN)
		return -1;
	for (uint32_t i = 0; i < n_starts && r == WALK_NOMATCH; i++) {
		for (uint32_t g = 0; g < 2 * w->n_groups; g++)
			ov[g] = PCRE2_UNSET;
		r = branches(&k, w->root, starts[i], NULL);
		if (r == WALK_MATCH) {
			ov[0] = starts[i];
			ov[1] = k.end;
		}
	}
	if (r == WALK_GAVE_UP)
		return -1;
	if (r == WALK_NOMATCH)
		return 0;
	*rc = (int)w->n_groups;
	while (*rc > 1 && ov[2 * (*rc - 1)] == PCRE2_UNSET)
		(*rc)--;
	return 1;
}
