/*
 * dfa_parse: PCRE2 pattern -> syntax tree (dfa_ast.h), which dfa_nfa.c
 * compiles into the Thompson NFA (dfa_int.h). dfa.h lists the syntax.
 *
 * The NFA must accept every line PCRE2 matches, so where the byte-level
 * model cannot be exact it is widened, never narrowed:
 *  - an atom that can match a non-ASCII character (".", negated classes,
 *    \D \W \S, caseless k and s, which fold to U+212A and U+017F) takes
 *    any byte >= 0x80 followed by any continuation bytes;
 *  - "." also takes a newline, whatever (?s) says.
 * Everything whose meaning the model cannot widen safely is declined with
 * -ENOTSUP, and the caller keeps the pattern on its PCRE2 path.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_ast.h"

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
set_atom(struct parser *ps, const struct byteset *s, bool wide)
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

static bool
is_alpha(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_alnum(unsigned c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

/* Caseless ASCII letters that PCRE2 in UTF mode also matches outside ASCII. */
static bool
folds_outside_ascii(unsigned c)
{
	return (c | 0x20) == 'k' || (c | 0x20) == 's';
}

/* Appends sibling to the child list of parent, whose last child is *tail. */
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
	struct byteset s = { { 0 } };

	if (cp < 0x80) {
		byteset_add(&s, cp);
		if (ci && is_alpha(cp))
			byteset_add(&s, cp ^ 0x20);
		return set_atom(ps, &s, ci && folds_outside_ascii(cp));
	}
	if (ci)
		return fail(ps, -ENOTSUP);     /* Unicode case folding is not modelled */

	unsigned char b[4];
	size_t n;
	uint32_t cat, tail = AST_NONE;

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
		struct byteset one = { { 0 } };
		uint32_t at;

		byteset_add(&one, b[i]);
		at = set_atom(ps, &one, false);
		if (at == AST_NONE)
			return AST_NONE;
		ast_append(ps, cat, &tail, at);
	}
	return cat;
}

/* Reads one UTF-8 encoded character (the pattern is valid UTF-8: PCRE2 compiled it). */
static uint32_t
read_utf8(struct parser *ps)
{
	unsigned c = *ps->p++;
	size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	uint32_t cp = n == 3 ? c & 0x07 : n == 2 ? c & 0x0F : n == 1 ? c & 0x1F : c;

	for (size_t i = 0; i < n && ps->p < ps->end; i++)
		cp = cp << 6 | (*ps->p++ & 0x3F);
	return cp;
}

static int
hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (int)((c | 0x20) - 'a' + 10);
	return -1;
}

/* After "\x": \xhh (one or two digits) or \x{h...}. */
static bool
parse_hex(struct parser *ps, uint32_t *cp)
{
	size_t digits = 0;

	*cp = 0;
	if (ps->p < ps->end && *ps->p == '{') {
		ps->p++;
		while (ps->p < ps->end && hexval(*ps->p) >= 0 && digits < 8) {
			*cp = *cp << 4 | (uint32_t)hexval(*ps->p++);
			digits++;
		}
		if (!digits || ps->p == ps->end || *ps->p != '}')
			return false;
		ps->p++;
	} else {
		while (ps->p < ps->end && hexval(*ps->p) >= 0 && digits < 2) {
			*cp = *cp << 4 | (uint32_t)hexval(*ps->p++);
			digits++;
		}
		if (!digits)
			return false;
	}
	return *cp <= 0x10FFFF && (*cp < 0xD800 || *cp > 0xDFFF);
}

/* \d \w \s (ASCII, as without PCRE2_UCP); upper case: the complement. */
static bool
class_escape(unsigned c, struct byteset *s, bool *wide)
{
	struct byteset t = { { 0 } };
	unsigned lc = c | 0x20;

	if (lc == 'd') {
		for (unsigned b = '0'; b <= '9'; b++)
			byteset_add(&t, b);
	} else if (lc == 'w') {
		for (unsigned b = 0; b < 0x80; b++)
			if (is_alnum(b) || b == '_')
				byteset_add(&t, b);
	} else if (lc == 's') {
		for (unsigned b = '\t'; b <= '\r'; b++)
			byteset_add(&t, b);
		byteset_add(&t, ' ');
	} else {
		return false;
	}
	if (c != lc) {          /* \D \W \S: the other ASCII bytes and any non-ASCII character */
		t.w[0] = ~t.w[0];
		t.w[1] = ~t.w[1];
		*wide = true;
	}
	for (int i = 0; i < 2; i++)
		s->w[i] |= t.w[i];
	return true;
}

/* The code point of a simple escape (\t \n \x41 \. ...), or false. */
static bool
escape_char(struct parser *ps, unsigned c, bool in_class, uint32_t *cp)
{
	switch (c) {
	case 't': *cp = '\t'; return true;
	case 'n': *cp = '\n'; return true;
	case 'r': *cp = '\r'; return true;
	case 'f': *cp = '\f'; return true;
	case 'e': *cp = 0x1B; return true;
	case 'a': *cp = 0x07; return true;
	case 'b': *cp = 0x08; return in_class;  /* outside a class: a word boundary */
	case 'x': return parse_hex(ps, cp);
	default:
		*cp = c;
		return c < 0x80 && !is_alnum(c);
	}
}

static uint32_t
parse_class(struct parser *ps, bool ci)
{
	struct byteset s = { { 0 } };
	bool neg = false, wide = false, first = true;

	if (ps->p < ps->end && *ps->p == '^') {
		neg = true;
		ps->p++;
	}
	for (;;) {
		uint32_t lo, hi;
		unsigned c;

		if (ps->p == ps->end)
			return fail(ps, -ENOTSUP);
		c = *ps->p;
		if (c == ']' && !first) {
			ps->p++;
			break;
		}
		first = false;
		if (c == '[' && ps->p + 1 < ps->end &&
		    (ps->p[1] == ':' || ps->p[1] == '.' || ps->p[1] == '='))
			return fail(ps, -ENOTSUP);    /* POSIX classes */
		if (c == '\\') {
			if (++ps->p == ps->end)
				return fail(ps, -ENOTSUP);
			c = *ps->p++;
			if (class_escape(c, &s, &wide))
				continue;
			if (!escape_char(ps, c, true, &lo))
				return fail(ps, -ENOTSUP);
		} else {
			lo = read_utf8(ps);
		}
		hi = lo;
		if (ps->end - ps->p >= 2 && *ps->p == '-' && ps->p[1] != ']') {
			ps->p++;
			c = *ps->p;
			if (c == '[')
				return fail(ps, -ENOTSUP);
			if (c == '\\') {
				ps->p++;
				if (ps->p == ps->end || !escape_char(ps, *ps->p++, true, &hi))
					return fail(ps, -ENOTSUP);
			} else {
				hi = read_utf8(ps);
			}
			if (hi < lo)
				return fail(ps, -ENOTSUP);
		}
		/* A negated class takes every non-ASCII character anyway (widened). */
		if (hi >= 0x80 && !neg)
			return fail(ps, -ENOTSUP);
		for (uint32_t b = lo; b <= hi && b < 0x80; b++)
			byteset_add(&s, b);
	}
	if (ci) {
		for (unsigned b = 0; b < 0x80; b++)
			if (is_alpha(b) && byteset_has(&s, b))
				byteset_add(&s, b ^ 0x20);
		if (!neg && (byteset_has(&s, 'k') || byteset_has(&s, 's')))
			wide = true;
	}
	if (neg) {
		s.w[0] = ~s.w[0];
		s.w[1] = ~s.w[1];
		s.w[2] = s.w[3] = 0;
		wide = true;
	}
	return set_atom(ps, &s, wide);
}

static uint32_t parse_alt(struct parser *ps, bool *ci);

/* Option letters after "(?" up to ')' or ':'; only i changes the language. */
static bool
parse_options(struct parser *ps, bool *ci)
{
	bool on = true;

	while (ps->p < ps->end && *ps->p != ')' && *ps->p != ':') {
		unsigned c = *ps->p++;

		if (c == '-' && on)
			on = false;
		else if (c == 'i')
			*ci = on;
		else if (c != 's' && c != 'n' && c != 'U' && c != 'J')
			return false;
	}
	return ps->p < ps->end;
}

static bool
skip_name(struct parser *ps, unsigned char close)
{
	while (ps->p < ps->end && *ps->p != close)
		ps->p++;
	if (ps->p == ps->end)
		return false;
	ps->p++;
	return true;
}

/* After '('. *quantifiable is false for option settings and comments. */
static uint32_t
parse_group(struct parser *ps, bool *ci, bool *quantifiable)
{
	bool local = *ci;
	uint32_t inner;

	if (ps->p == ps->end || *ps->p == '*')
		return fail(ps, -ENOTSUP);    /* verbs and alpha assertions */
	if (*ps->p == '?') {
		unsigned c;

		if (++ps->p == ps->end)
			return fail(ps, -ENOTSUP);
		c = *ps->p;
		if (c == '#') {
			if (!skip_name(ps, ')'))
				return fail(ps, -ENOTSUP);
			*quantifiable = false;
			return ast_new(ps, A_EMPTY);
		} else if (c == ':' || c == '|') {
			ps->p++;
		} else if (c == '<' && ps->p + 1 < ps->end && ps->p[1] != '=' && ps->p[1] != '!') {
			ps->p++;
			if (!skip_name(ps, '>'))
				return fail(ps, -ENOTSUP);
		} else if (c == '\'') {
			ps->p++;
			if (!skip_name(ps, '\''))
				return fail(ps, -ENOTSUP);
		} else if (c == 'P' && ps->p + 1 < ps->end && ps->p[1] == '<') {
			ps->p += 2;
			if (!skip_name(ps, '>'))
				return fail(ps, -ENOTSUP);
		} else if (c == 'i' || c == 's' || c == 'n' || c == 'U' || c == 'J' || c == '-') {
			if (!parse_options(ps, &local))
				return fail(ps, -ENOTSUP);
			if (*ps->p++ == ')') {
				/* Applies to the rest of the enclosing group, later branches too. */
				*ci = local;
				*quantifiable = false;
				return ast_new(ps, A_EMPTY);
			}
		} else {
			/* Lookarounds, atomic groups, recursion, conditionals, callouts... */
			return fail(ps, -ENOTSUP);
		}
	}
	if (++ps->depth > DEPTH_MAX)
		return fail(ps, -ENOTSUP);
	inner = parse_alt(ps, &local);
	ps->depth--;
	if (inner == AST_NONE)
		return AST_NONE;
	if (ps->p == ps->end || *ps->p != ')')
		return fail(ps, -ENOTSUP);
	ps->p++;
	return inner;
}

static uint32_t
parse_escape(struct parser *ps, bool ci, bool *quantifiable)
{
	struct byteset s = { { 0 } };
	bool wide = false;
	uint32_t cp;
	unsigned c;

	if (ps->p == ps->end)
		return fail(ps, -ENOTSUP);
	c = *ps->p++;
	if (class_escape(c, &s, &wide))
		return set_atom(ps, &s, wide);
	if (c == 'A' || c == 'z' || c == 'Z') {
		*quantifiable = false;
		return ast_new(ps, c == 'A' ? A_BOT : c == 'z' ? A_EOT : A_EOTNL);
	}
	if (c == 'b' || c == 'B') {
		uint32_t a = ast_new(ps, A_WORDB);

		*quantifiable = false;
		if (a != AST_NONE)
			ps->a[a].wide = c == 'B';
		return a;
	}
	if (!escape_char(ps, c, false, &cp))
		return fail(ps, -ENOTSUP);
	return char_atom(ps, cp, ci);
}

static uint32_t
parse_atom(struct parser *ps, bool *ci, bool *quantifiable)
{
	unsigned c = *ps->p;
	struct byteset all;

	*quantifiable = true;
	switch (c) {
	case '(':
		ps->p++;
		return parse_group(ps, ci, quantifiable);
	case '[':
		ps->p++;
		return parse_class(ps, *ci);
	case '.':
		ps->p++;
		memset(&all, 0xFF, sizeof all);
		return set_atom(ps, &all, true);
	case '^':
	case '$':
		ps->p++;
		*quantifiable = false;
		return ast_new(ps, c == '^' ? A_BOT : A_EOTNL);
	case '\\':
		ps->p++;
		return parse_escape(ps, *ci, quantifiable);
	case '*':
	case '+':
	case '?':
	case '{':
		return fail(ps, -ENOTSUP);
	default:
		return char_atom(ps, read_utf8(ps), *ci);
	}
}

static bool
read_count(struct parser *ps, uint32_t *v)
{
	size_t digits = 0;

	*v = 0;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		if (*v <= 65535)
			*v = *v * 10 + (*ps->p - '0');
		ps->p++;
		digits++;
	}
	return digits > 0;
}

/*
 * A quantifier at ps->p, if any: 1 (min/max set), 0 (none) or -1. A '{'
 * that is not a well-formed {n}, {n,} or {n,m} is declined: PCRE2 versions
 * differ on whether such text is a literal.
 */
static int
parse_quant(struct parser *ps, uint32_t *min, uint32_t *max)
{
	if (ps->p == ps->end)
		return 0;
	switch (*ps->p) {
	case '*': *min = 0; *max = REP_INF; ps->p++; break;
	case '+': *min = 1; *max = REP_INF; ps->p++; break;
	case '?': *min = 0; *max = 1; ps->p++; break;
	case '{':
		ps->p++;
		if (!read_count(ps, min) || ps->p == ps->end)
			return -1;
		*max = *min;
		if (*ps->p == ',') {
			ps->p++;
			*max = REP_INF;
			if (ps->p < ps->end && *ps->p != '}' && !read_count(ps, max))
				return -1;
		}
		if (ps->p == ps->end || *ps->p != '}' || *max < *min || *min > REP_MAX ||
		    (*max != REP_INF && *max > REP_MAX))
			return -1;
		ps->p++;
		break;
	default:
		return 0;
	}
	if (ps->p < ps->end && *ps->p == '+')
		return -1;      /* possessive: gives up matches a DFA would find */
	if (ps->p < ps->end && *ps->p == '?')
		ps->p++;        /* lazy: the same language */
	return 1;
}

static uint32_t
parse_seq(struct parser *ps, bool *ci)
{
	uint32_t cat = ast_new(ps, A_CAT), tail = AST_NONE;

	while (cat != AST_NONE && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
		bool quantifiable;
		uint32_t at = parse_atom(ps, ci, &quantifiable), min, max;
		int q;

		if (at == AST_NONE)
			return AST_NONE;
		q = parse_quant(ps, &min, &max);
		if (q < 0 || (q > 0 && !quantifiable))
			return fail(ps, -ENOTSUP);
		if (q > 0) {
			uint32_t rep = ast_new(ps, A_REP);

			if (rep == AST_NONE)
				return AST_NONE;
			ps->a[rep].child = at;
			ps->a[rep].min = min;
			ps->a[rep].max = max;
			at = rep;
		}
		ast_append(ps, cat, &tail, at);
	}
	return cat;
}

static uint32_t
parse_alt(struct parser *ps, bool *ci)
{
	uint32_t alt = ast_new(ps, A_ALT), tail = AST_NONE;

	for (;;) {
		uint32_t seq = parse_seq(ps, ci);

		if (alt == AST_NONE || seq == AST_NONE)
			return AST_NONE;
		ast_append(ps, alt, &tail, seq);
		if (ps->p == ps->end || *ps->p != '|')
			return alt;
		ps->p++;
	}
}

uint32_t
fw__dfa_parse(struct parser *ps, bool *ci)
{
	return parse_alt(ps, ci);
}
