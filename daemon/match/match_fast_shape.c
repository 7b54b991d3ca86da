/*
 * match_fast_shape: fixed-distance shapes (see match_fast_shape.h).
 *
 * Extraction walks the one concatenation every match follows (the
 * pattern's only branch, and groups of one branch inside it) and collects
 * runs of byte sets. X{n} is n copies of X. X{n,m} (m > n) is both
 * X^n X^(0..m-n) and X^(0..m-n) X^n: its n copies end the run before it
 * and start the next one, so "\d{5,}ms" still gives "\d{5}ms".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "match/match_fast_shape.h"

/* Group repeats expanded inline; nesting followed. */
#define REPEAT_EXPAND_MAX 16
#define DEPTH_MAX 32
/* A run of one class this long is found without its fixed bytes (see run_end()). */
#define RUN_MIN 4

struct run {
	struct fw_rx_bytes set[FW_SHAPE_MAX];
	uint32_t n;
};

/* The best shapes of the runs walked, kept for the choice of a pattern's second one. */
#define CANDIDATES 8

struct walk {
	const struct fw_regex *rx;
	struct run cur;
	bool anchor;            /* a top-level ^ or \A stood before anything that takes a byte */
	bool moved;             /* an item that takes (or may take) bytes was walked */
	bool cur_anchored;      /* the current run starts at the subject's first byte */
	struct fw_shape cand[CANDIDATES];       /* by score, highest first; the earlier run first of equals */
	uint32_t n_cand;
};

static int
set_only(const struct fw_rx_bytes *s)
{
	for (unsigned i = 0; i < 4; i++)
		if (s->w[i])
			return (int)(i * 64 + (unsigned)__builtin_ctzll(s->w[i]));
	return -1;
}

/*
 * Rough bits of a byte, by class only (the same order as the prefilter's
 * ranking in match_fast_rank.c): blanks say little, digits a little more,
 * letters and punctuation more, anything else most.
 */
static unsigned
byte_weight(unsigned c)
{
	if (c == ' ' || c == '\t')
		return 1;
	if (c >= '0' && c <= '9')
		return 3;
	if (c >= 'a' && c <= 'z')
		return 4;
	if ((c >= 'A' && c <= 'Z') || (c > ' ' && c < 0x7f))
		return 5;
	return 7;
}

/* Rough bits of a position: a fixed byte's, or less the more bytes its class takes. */
static unsigned
set_weight(const struct fw_rx_bytes *s)
{
	unsigned k = fw_rx_bytes_count(s);

	if (k == 1)
		return byte_weight((unsigned)set_only(s));
	return k <= 2 ? 4 : k <= 4 ? 3 : k <= 16 ? 2 : k <= 64 ? 1 : 0;
}

/*
 * Whether a position of set s can be searched for, and its weight (0: it
 * cannot): a fixed byte by memchr(), or an ASCII letter in either case
 * (a caseless one) by its lower case with 0x20 OR-ed onto the line's
 * bytes (*fold 0x20).
 */
static unsigned
find_weight(const struct fw_rx_bytes *s, unsigned char *byte, uint8_t *fold)
{
	int c = set_only(s);

	*fold = 0;
	if (c < 0)
		return 0;
	*byte = (unsigned char)c;
	if (fw_rx_bytes_count(s) == 1)
		return byte_weight((unsigned)c);
	/* Upper case comes first: 'A'..'Z' with its lower case. */
	if (fw_rx_bytes_count(s) != 2 || c < 'A' || c > 'Z' || !fw_rx_bytes_has(s, (unsigned)c | 0x20))
		return 0;
	*byte = (unsigned char)(c | 0x20);
	*fold = 0x20;
	return byte_weight(*byte);
}

static bool
set_eq(const struct fw_rx_bytes *a, const struct fw_rx_bytes *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/*
 * The shape of run positions r[from..to) into s (at most FW_SHAPE_SETS
 * classes: a prefix). False when it holds no byte to search for (a fixed
 * one, or a caseless letter) outside run_mode: fw_shape_in() would test it
 * as a run of its first position's class alone, which its other classes
 * are not.
 */
static bool
shape_of_run(const struct fw_rx_bytes *r, uint32_t from, uint32_t to, bool run_mode, struct fw_shape *s)
{
	struct fw_rx_bytes sets[FW_SHAPE_SETS];
	unsigned n_sets = 0, score = 0, best_w = 0;

	memset(s, 0, sizeof *s);
	s->find = FW_SHAPE_RUN;
	for (uint32_t i = from; i < to; i++) {
		unsigned k = 0, w;
		unsigned char byte;
		uint8_t fold;

		if (fw_rx_bytes_count(&r[i]) == 1 && !run_mode) {
			s->fixed[s->len] = (unsigned char)set_only(&r[i]);
		} else {
			while (k < n_sets && !set_eq(&sets[k], &r[i]))
				k++;
			if (k == n_sets) {
				if (n_sets == FW_SHAPE_SETS)
					break;
				sets[n_sets++] = r[i];
				for (unsigned b = 0; b < 256; b++)
					if (fw_rx_bytes_has(&r[i], b))
						s->in[b] |= (uint8_t)(1u << k);
			}
			s->bit[s->len] = (uint8_t)(1u << k);
		}
		/* The best byte to search for; of two as good, a fixed one (memchr()). */
		w = find_weight(&r[i], &byte, &fold);
		if (!run_mode && w && (w > best_w || (w == best_w && !fold && s->fold))) {
			best_w = w;
			s->find = (uint8_t)s->len;
			s->byte = byte;
			s->fold = fold;
		}
		score += set_weight(&r[i]);
		s->len++;
	}
	s->score = (uint8_t)(score > 255 ? 255 : score);
	return run_mode || s->find != FW_SHAPE_RUN;
}

/* Shape s among the walk's candidates, in score order, unless CANDIDATES better ones are kept. */
static void
keep(struct walk *w, const struct fw_shape *s)
{
	uint32_t i = w->n_cand < CANDIDATES ? w->n_cand++ : CANDIDATES;

	while (i > 0 && w->cand[i - 1].score < s->score) {
		if (i < CANDIDATES)
			w->cand[i] = w->cand[i - 1];
		i--;
	}
	if (i < CANDIDATES)
		w->cand[i] = *s;
}

/* The current run is over: keep its shape among the best so far. */
static void
run_end(struct walk *w)
{
	const struct fw_rx_bytes *r = w->cur.set;
	uint32_t n = w->cur.n, from = 0, best_from = 0, best_len = 0;
	unsigned find_w = 0;
	struct fw_shape s;

	w->cur.n = 0;
	/* Whatever ended the run may have taken bytes: the next run's start is not fixed. */
	w->moved = true;
	for (uint32_t i = 0; i < n; i++) {
		unsigned char byte;
		uint8_t fold;
		unsigned k = find_weight(&r[i], &byte, &fold);

		find_w = k > find_w ? k : find_w;
	}
	/* Its longest run of one class of several bytes. */
	for (uint32_t i = 1; i <= n; i++) {
		if (i < n && set_eq(&r[i], &r[from]))
			continue;
		if (i - from > best_len && fw_rx_bytes_count(&r[from]) > 1) {
			best_len = i - from;
			best_from = from;
		}
		from = i;
	}
	/*
	 * Searched for by its best byte (fixed, or a caseless letter); but a
	 * blank stands everywhere in text, and a run of RUN_MIN class bytes or
	 * more is found for less. When the class budget ends the shape before
	 * its first byte to search for, the longest run of one class stands
	 * instead.
	 */
	if ((find_w > 1 || (find_w && best_len < RUN_MIN)) && shape_of_run(r, 0, n, false, &s))
		best_from = 0;
	else if (best_len)
		shape_of_run(r, best_from, best_from + best_len, true, &s);
	else
		return;
	if (w->cur_anchored && best_from == 0) {
		/* Tested at the line's first byte: nothing to search for (and equal shapes compare equal). */
		s.find = FW_SHAPE_AT;
		s.byte = 0;
		s.fold = 0;
	}
	if (s.score >= FW_SHAPE_MIN_SCORE)
		keep(w, &s);
}

static void
push(struct walk *w, const struct fw_rx_bytes *s)
{
	if (!w->cur.n)
		w->cur_anchored = w->anchor && !w->moved;
	w->moved = true;
	/* A run longer than kept: its first positions are a shape too. */
	if (w->cur.n < FW_SHAPE_MAX)
		w->cur.set[w->cur.n++] = *s;
}

/*
 * The byte set one position of node x takes, when it always takes exactly
 * one byte: false otherwise.
 */
static bool
one_byte(const struct walk *w, const struct fw_rx_node *x, uint32_t cp, struct fw_rx_bytes *out)
{
	memset(out, 0, sizeof *out);
	if (x->kind == FW_RX_CLASS) {
		if (x->nonascii != FW_RX_NA_NONE || (x->flags & FW_RX_F_NEGATED))
			return false;
		*out = *fw_rx_class_set(w->rx, x);
		return fw_rx_bytes_count(out) > 0;
	}
	if (cp >= 0x80)
		return false;   /* several bytes (pushed by the caller), or caseless */
	if (x->flags & FW_RX_F_CASELESS) {
		unsigned lo = cp | 0x20;

		if (lo >= 'a' && lo <= 'z') {
			/* Caseless k and s also take U+212A and U+017F (two or three bytes). */
			if (lo == 'k' || lo == 's')
				return false;
			fw_rx_bytes_add(out, lo);
			fw_rx_bytes_add(out, lo ^ 0x20);
			return true;
		}
	}
	fw_rx_bytes_add(out, cp);
	return true;
}

/* Code point cp of a CHAR or TEXT node x: its byte set, or its UTF-8 bytes, or the run ends. */
static void
push_cp(struct walk *w, const struct fw_rx_node *x, uint32_t cp)
{
	struct fw_rx_bytes s;
	unsigned char u[4];
	unsigned n;

	if (one_byte(w, x, cp, &s)) {
		push(w, &s);
		return;
	}
	if ((x->flags & FW_RX_F_CASELESS) || cp >= 0x110000 || (cp >= 0xD800 && cp < 0xE000) || cp < 0x80) {
		run_end(w);
		return;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | cp >> 6);
		n = 1;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		n = 2;
	} else {
		u[0] = (unsigned char)(0xF0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		n = 3;
	}
	u[n++] = (unsigned char)(0x80 | (cp & 0x3F));
	for (unsigned i = 0; i < n; i++) {
		memset(&s, 0, sizeof s);
		fw_rx_bytes_add(&s, u[i]);
		push(w, &s);
	}
}

static void walk_cat(struct walk *w, uint32_t cat, unsigned depth);

/* The one branch of group or alternation node x, or FW_RX_NONE. */
static uint32_t
only_branch(const struct walk *w, const struct fw_rx_node *x)
{
	const struct fw_rx_node *alt;

	if (x->kind == FW_RX_GROUP) {
		if (x->child == FW_RX_NONE)
			return FW_RX_NONE;
		alt = &w->rx->nodes[x->child];
	} else {
		alt = x;
	}
	if (alt->kind != FW_RX_ALT || alt->child == FW_RX_NONE ||
	    w->rx->nodes[alt->child].next != FW_RX_NONE)
		return FW_RX_NONE;
	return alt->child;
}

/* Node x (a CHAR, CLASS or GROUP) once, continuing the run. */
static void
walk_item(struct walk *w, uint32_t xi, unsigned depth)
{
	const struct fw_rx_node *x = &w->rx->nodes[xi];
	struct fw_rx_bytes s;
	uint32_t b;

	switch (x->kind) {
	case FW_RX_CHAR:
		push_cp(w, x, x->cp);
		return;
	case FW_RX_CLASS:
		if (one_byte(w, x, 0, &s))
			push(w, &s);
		else
			run_end(w);
		return;
	case FW_RX_GROUP:
		b = only_branch(w, x);
		if (b == FW_RX_NONE || depth >= DEPTH_MAX)
			run_end(w);
		else
			walk_cat(w, b, depth + 1);
		return;
	default:
		run_end(w);
		return;
	}
}

static void
walk_repeat(struct walk *w, const struct fw_rx_node *x, unsigned depth)
{
	const struct fw_rx_node *c = &w->rx->nodes[x->child];
	uint32_t copies = x->min;
	bool single = c->kind == FW_RX_CHAR || c->kind == FW_RX_CLASS;

	if (!single && copies > REPEAT_EXPAND_MAX)
		copies = 0;     /* not expanded: the run ends */
	/* More copies than a run keeps fill it: later items are not pushed. */
	if (single && copies > FW_SHAPE_MAX)
		copies = FW_SHAPE_MAX;
	if (!copies) {
		run_end(w);
		return;
	}
	for (uint32_t i = 0; i < copies; i++)
		walk_item(w, x->child, depth);
	if (x->max == x->min)
		return;
	/* X{n,m}: the n copies end this run and begin the next. */
	run_end(w);
	for (uint32_t i = 0; i < copies; i++)
		walk_item(w, x->child, depth);
}

static void
walk_cat(struct walk *w, uint32_t cat, unsigned depth)
{
	const struct fw_rx_node *n = &w->rx->nodes[cat];

	if (n->kind != FW_RX_CAT) {
		walk_item(w, cat, depth);
		return;
	}
	for (uint32_t xi = n->child; xi != FW_RX_NONE; xi = w->rx->nodes[xi].next) {
		const struct fw_rx_node *x = &w->rx->nodes[xi];

		switch (x->kind) {
		case FW_RX_START:
			/* ^ or \A before any byte: the match starts at the subject's start. */
			w->anchor |= !w->moved;
			break;
		case FW_RX_EMPTY:
		case FW_RX_END:
		case FW_RX_END_NL:
		case FW_RX_LINE_START:
		case FW_RX_LINE_END:
		case FW_RX_WORDB:
			break;  /* zero-width: the bytes around stay adjacent */
		case FW_RX_OPAQUE:
			if (!(x->flags & FW_RX_F_ZERO_WIDTH))
				run_end(w);
			break;
		case FW_RX_TEXT:
			for (uint32_t i = 0; i < x->len; i++)
				push_cp(w, x, fw_rx_text(w->rx, x)[i]);
			break;
		case FW_RX_REPEAT:
			if (x->child == FW_RX_NONE)
				run_end(w);
			else
				walk_repeat(w, x, depth);
			break;
		default:
			walk_item(w, xi, depth);
			break;
		}
	}
}

static bool
shape_has(const struct fw_shape *s, uint32_t j, unsigned b)
{
	return s->bit[j] ? (s->in[b] & s->bit[j]) != 0 : b == s->fixed[j];
}

bool
fw_shape_implies(const struct fw_shape *b, const struct fw_shape *a)
{
	/* An anchored a is at the line's start: only an anchored b's start puts anything there. */
	uint32_t last = fw_shape_anchored(a) ? 0 : UINT32_MAX;

	if (fw_shape_anchored(a) && !fw_shape_anchored(b))
		return false;
	for (uint32_t d = 0; a->len <= b->len && d <= (uint32_t)(b->len - a->len) && d <= last; d++) {
		bool all = true;

		for (uint32_t j = 0; all && j < a->len; j++)
			for (unsigned c = 0; all && c < 256; c++)
				all = !shape_has(b, j + d, c) || shape_has(a, j, c);
		if (all)
			return true;
	}
	return false;
}

bool
fw_shapes_implies(const struct fw_shapes *b, const struct fw_shapes *a)
{
	for (uint32_t i = 0; i < a->n; i++) {
		bool implied = false;

		for (uint32_t j = 0; j < b->n && !implied; j++)
			implied = fw_shape_implies(&b->part[j], &a->part[i]);
		if (!implied)
			return false;
	}
	return true;
}

int
fw_shapes_from_tree(const struct fw_regex *rx, struct fw_shapes *out)
{
	static struct walk zero;
	struct walk w = zero;
	uint32_t b;

	memset(out, 0, sizeof *out);
	if (!rx->n_nodes || rx->root >= rx->n_nodes || rx->options_widen)
		return 0;
	w.rx = rx;
	b = only_branch(&w, &rx->nodes[rx->root]);
	if (b == FW_RX_NONE)
		return 0;
	walk_cat(&w, b, 0);
	run_end(&w);
	if (!w.n_cand)
		return 0;
	out->part[out->n++] = w.cand[0];
	/* A second run's shape that the first implies would turn no line away. */
	for (uint32_t i = 1; i < w.n_cand && out->n < FW_SHAPE_PARTS; i++)
		if (!fw_shape_implies(&w.cand[0], &w.cand[i]))
			out->part[out->n++] = w.cand[i];
	return out->n;
}

/*
 * A run of s->len bytes of one class: test the last byte of each place a
 * run may take; a byte outside the class rules out every place over it,
 * so the next place starts after it.
 */
static bool
run_in(const struct fw_shape *s, const unsigned char *line, size_t len)
{
	uint8_t bit = s->bit[0];
	size_t i = 0, n = s->len;

	while (i + n <= len) {
		size_t k = i + n;

		while (k > i && (s->in[line[k - 1]] & bit))
			k--;
		if (k == i)
			return true;
		i = k;
	}
	return false;
}

/* memchr() of a letter in either case: lower, its lower case. */
static const unsigned char *
folded_chr(const unsigned char *p, unsigned char lower, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i want = _mm_set1_epi8((char)lower), fold = _mm_set1_epi8(0x20);

	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_or_si128(_mm_loadu_si128((const void *)(p + i)), fold);
		unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, want));

		if (bits)
			return p + i + __builtin_ctz(bits);
	}
#endif
	for (; i < n; i++)
		if ((p[i] | 0x20) == lower)
			return p + i;
	return NULL;
}

/* Whether shape s stands at line position at. */
static inline bool
shape_at(const struct fw_shape *s, const unsigned char *at)
{
	uint32_t j = 0;

	while (j < s->len && (s->bit[j] ? (s->in[at[j]] & s->bit[j]) != 0 : at[j] == s->fixed[j]))
		j++;
	return j == s->len;
}

/* The places of s->find in q..end, by its caseless letter (s->fold): whether s stands at one. */
static bool
folded_in(const struct fw_shape *s, const unsigned char *q, const unsigned char *end)
{
	for (; q < end && (q = folded_chr(q, s->byte, (size_t)(end - q))); q++)
		if (shape_at(s, q - s->find))
			return true;
	return false;
}

bool
fw_shape_in(const struct fw_shape *s, const unsigned char *line, size_t len)
{
	const unsigned char *q, *end;

	if (len < s->len)
		return false;
	if (s->find == FW_SHAPE_RUN)
		return run_in(s, line, len);
	if (s->find == FW_SHAPE_AT)
		return shape_at(s, line);
	q = line + s->find;
	end = line + len - s->len + s->find + 1;
	if (s->fold)
		return folded_in(s, q, end);
	for (; q < end && (q = memchr(q, s->byte, (size_t)(end - q))); q++)
		if (shape_at(s, q - s->find))
			return true;
	return false;
}

#define PUT(...) \
	do { \
		int k_ = snprintf(*o < len ? buf + *o : NULL, *o < len ? len - *o : 0, __VA_ARGS__); \
		*o += k_ > 0 ? (size_t)k_ : 0; \
	} while (0)

static void
put_byte(unsigned c, bool in_class, char *buf, size_t len, size_t *o)
{
	if (c < ' ' || c >= 0x7f)
		PUT("\\x%02x", c);
	else if (in_class ? strchr("[]\\-^", (int)c) != NULL : strchr("[]\\^$.|?*+(){}", (int)c) != NULL)
		PUT("\\%c", (int)c);
	else
		PUT("%c", (int)c);
}

/* Position i's class as text ("-", "[0-9a-f]") at buf + *o. */
static void
format_set(const struct fw_shape *s, uint32_t i, char *buf, size_t len, size_t *o)
{
	unsigned members = 0, b, e;

	if (!s->bit[i]) {
		put_byte(s->fixed[i], false, buf, len, o);
		return;
	}
	for (b = 0; b < 256; b++)
		members += (s->in[b] & s->bit[i]) != 0;
	if (members > 1)
		PUT("[");
	for (b = 0; b < 256; b = e + 1) {
		if (!(s->in[b] & s->bit[i])) {
			e = b;
			continue;
		}
		for (e = b; e + 1 < 256 && (s->in[e + 1] & s->bit[i]); e++)
			;
		put_byte(b, members > 1, buf, len, o);
		if (e > b + 1)
			PUT("-");
		if (e > b)
			put_byte(e, members > 1, buf, len, o);
	}
	if (members > 1)
		PUT("]");
}

#undef PUT

size_t
fw_shape_format(const struct fw_shape *s, char *buf, size_t len)
{
	size_t o = 0;

	if (len)
		buf[0] = '\0';
	if (fw_shape_anchored(s)) {
		int k = snprintf(buf, len, "^");

		o += k > 0 ? (size_t)k : 0;
	}
	for (uint32_t i = 0; i < s->len;) {
		uint32_t j = i + 1;

		while (j < s->len && s->bit[j] == s->bit[i] && (s->bit[i] || s->fixed[j] == s->fixed[i]))
			j++;
		/* A blank at the end is written out, to be seen. */
		if (j == s->len && !s->bit[i] && s->fixed[i] == ' ') {
			int k = snprintf(o < len ? buf + o : NULL, o < len ? len - o : 0, "\\x20");

			o += k > 0 ? (size_t)k : 0;
		} else {
			format_set(s, i, buf, len, &o);
		}
		if (j - i > 1) {
			int k = snprintf(o < len ? buf + o : NULL, o < len ? len - o : 0, "{%u}", j - i);

			o += k > 0 ? (size_t)k : 0;
		}
		i = j;
	}
	return o;
}

size_t
fw_shapes_format(const struct fw_shapes *s, char *buf, size_t len)
{
	size_t o = 0;

	if (len)
		buf[0] = '\0';
	for (uint32_t i = 0; i < s->n; i++) {
		if (i) {
			int k = snprintf(o < len ? buf + o : NULL, o < len ? len - o : 0, " and ");

			o += k > 0 ? (size_t)k : 0;
		}
		o += fw_shape_format(&s->part[i], o < len ? buf + o : NULL, o < len ? len - o : 0);
	}
	return o;
}
