/*
 * regex_parse: PCRE2 pattern -> syntax tree (see regex_parse.h):
 * sequences, alternation, groups, inline options and quantifiers;
 * regex_atom.c reads characters, escapes and classes, regex_check.c the
 * start-of-pattern options and what needs the whole tree, regex_tree.c
 * keeps the tree's arrays and joins literal text.
 *
 * Soundness first: the tree is only returned when every byte of the
 * pattern was read the way PCRE2 10.42 reads it. Where PCRE2 versions
 * differ ("{" that is not a quantifier, {,n}), where its rules need tables
 * we do not carry, or where a quantifier follows something odd, the parse
 * stops with -ENOTSUP. -EINVAL is kept for what PCRE2 certainly refuses,
 * so a fuzzer can hold the parser to PCRE2's own compiler.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/regex_int.h"

/* Nesting deeper than this is not parsed (the C stack, and no real signature needs it). */
#define RX_DEPTH_MAX 64
/* PCRE2 refuses counts above this in a quantifier. */
#define RX_COUNT_MAX 65535u

uint32_t
fw__rx_fail(struct rx_parser *ps, int err, const char *why)
{
	if (!ps->err) {
		ps->err = err;
		ps->rx->err = why;
		ps->rx->err_off = (size_t)(ps->p - ps->start);
	}
	return FW_RX_NONE;
}

uint32_t
fw__rx_read_utf8_seq(struct rx_parser *ps)
{
	static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
	unsigned c = *ps->p;
	size_t n = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 :
		   c >= 0xF0 && c <= 0xF4 ? 3 : 4;
	uint32_t cp = n == 3 ? c & 0x07 : n == 2 ? c & 0x0F : n == 1 ? c & 0x1F : c;

	if (n == 4 || (size_t)(ps->end - ps->p) <= n)
		return fw__rx_fail(ps, -EINVAL, "invalid UTF-8");
	for (size_t i = 1; i <= n; i++) {
		if ((ps->p[i] & 0xC0) != 0x80)
			return fw__rx_fail(ps, -EINVAL, "invalid UTF-8");
		cp = cp << 6 | (ps->p[i] & 0x3F);
	}
	if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return fw__rx_fail(ps, -EINVAL, "invalid UTF-8");
	ps->p += n + 1;
	return cp;
}

bool
fw__rx_read_name(struct rx_parser *ps, unsigned char close, const unsigned char **name,
		 const unsigned char **name_end)
{
	const unsigned char *q = ps->p;

	/* PCRE2: a word character run not starting with a digit, at most 32 long. */
	while (q < ps->end && (*q == '_' || (*q >= '0' && *q <= '9') ||
			       ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')))
		q++;
	if (q == ps->p || q - ps->p > 32 || (*ps->p >= '0' && *ps->p <= '9') ||
	    q == ps->end || *q != close) {
		fw__rx_fail(ps, -ENOTSUP, "group name not handled");
		return false;
	}
	*name = ps->p;
	*name_end = q;
	ps->p = q + 1;
	return true;
}

/* (?x): white space and #-comments between items are not part of the pattern. */
static void
skip_extended(struct rx_parser *ps, const struct rx_opts *o)
{
	while (o->extended && ps->p < ps->end) {
		unsigned c = *ps->p;

		if (c == ' ' || (c >= '\t' && c <= '\r')) {
			ps->p++;
		} else if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else {
			break;
		}
	}
}

static uint32_t parse_alt(struct rx_parser *ps, struct rx_opts *o, bool branch_reset);

/*
 * Option letters after "(?" up to ')' or ':' (PCRE2 10.42: i m n s x U J,
 * "^" first to reset them, "-" to unset the ones after it).
 */
static bool
parse_options(struct rx_parser *ps, struct rx_opts *o)
{
	bool on = true, reset = false;

	if (ps->p < ps->end && *ps->p == '^') {
		o->caseless = o->dotall = o->multiline = o->extended = o->no_auto_capture = false;
		reset = true;
		ps->p++;
	}
	while (ps->p < ps->end && *ps->p != ')' && *ps->p != ':') {
		unsigned c = *ps->p++;

		if (c == '-' && on && !reset) {
			on = false;
			continue;
		}
		switch (c) {
		case 'i': o->caseless = on; break;
		case 's': o->dotall = on; break;
		case 'm': o->multiline = on; break;
		case 'n': o->no_auto_capture = on; break;
		case 'x':
			/* (?xx) also drops spaces in classes; another newline convention ends comments elsewhere. */
			if ((ps->p < ps->end && *ps->p == 'x') || ps->rx->options_widen) {
				fw__rx_fail(ps, -ENOTSUP, "(?xx) or (?x) with a newline option");
				return false;
			}
			o->extended = on;
			break;
		case 'U': case 'J':
			break;          /* greed and duplicate names: no change to what matches */
		default:
			fw__rx_fail(ps, -ENOTSUP, "inline option not handled");
			return false;
		}
	}
	if (ps->p == ps->end || ps->p[-1] == '-') {
		fw__rx_fail(ps, -ENOTSUP, "inline option not handled");
		return false;
	}
	return true;
}

/* A group whose body is parsed with options o into a child of a new node of kind. */
static uint32_t
group_body(struct rx_parser *ps, uint8_t kind, uint8_t flags, struct rx_opts o, bool reset)
{
	uint32_t g = fw__rx_node(ps, kind), inner;

	if (g == FW_RX_NONE)
		return g;
	if (++ps->depth > RX_DEPTH_MAX)
		return fw__rx_fail(ps, -ENOTSUP, "groups nested too deep");
	if (flags & FW_RX_F_CAPTURE)
		ps->captures++;
	inner = parse_alt(ps, &o, reset);
	ps->depth--;
	if (inner == FW_RX_NONE)
		return FW_RX_NONE;
	if (ps->p == ps->end || *ps->p != ')')
		return fw__rx_fail(ps, -EINVAL, "missing )");
	ps->p++;
	ps->rx->nodes[g].child = inner;
	ps->rx->nodes[g].flags = flags;
	return g;
}

/* After "(?=", "(?!", "(?<=" or "(?<!" (ps->p[-1] is '=' or '!'). */
static uint32_t
lookaround(struct rx_parser *ps, const struct rx_opts *o, bool behind)
{
	uint8_t flags = FW_RX_F_ZERO_WIDTH | (ps->p[-1] == '!' ? FW_RX_F_NEGATED : 0) | (behind ? FW_RX_F_BEHIND : 0);
	uint32_t g;

	ps->lookaround++;
	g = group_body(ps, FW_RX_OPAQUE, flags, *o, false);
	ps->lookaround--;
	/* PCRE2 10.42 wants each branch of a lookbehind to have a fixed length. */
	if (g != FW_RX_NONE && behind &&
	    fw__rx_fixed_length(ps->rx, ps->rx->nodes[g].child, true) < 0)
		return fw__rx_fail(ps, -ENOTSUP, "lookbehind of no evident fixed length");
	return g;
}

uint32_t
fw__rx_group_ref(struct rx_parser *ps, uint32_t g)
{
	if (g > ps->max_ref)
		ps->max_ref = g;
	return fw__rx_node(ps, FW_RX_OPAQUE);
}

/* After "(?&" or "(?P>": a call of a named group, up to close. */
static uint32_t
call_name(struct rx_parser *ps, unsigned char close)
{
	const unsigned char *name, *name_end;

	if (!fw__rx_read_name(ps, close, &name, &name_end) ||
	    fw__rx_add_name(ps, &ps->refs, &ps->n_refs, &ps->cap_refs, name, name_end) < 0)
		return FW_RX_NONE;
	return fw__rx_node(ps, FW_RX_OPAQUE);
}

/* After "(?R", "(?N", "(?+N" or "(?-N" (c: the byte after "(?"): recursion or a call. */
static uint32_t
call_number(struct rx_parser *ps, unsigned c)
{
	uint32_t g = 0;
	size_t digits = 0;

	if (c >= '0' && c <= '9')
		ps->p--;
	if (c != 'R') {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && digits < 5) {
			g = g * 10 + (uint32_t)(*ps->p++ - '0');
			digits++;
		}
		if (!digits || (c != '-' && c != '+' && digits > 1 && ps->p[-(ptrdiff_t)digits] == '0'))
			return fw__rx_fail(ps, -ENOTSUP, "call form not handled");
	}
	if (ps->p == ps->end || *ps->p++ != ')')
		return fw__rx_fail(ps, -ENOTSUP, "call form not handled");
	if (c == '-') {
		if (g == 0 || g > ps->captures)
			return fw__rx_fail(ps, -EINVAL, "relative call before the first group");
		g = ps->captures - g + 1;
	} else if (c == '+') {
		if (g == 0)
			return fw__rx_fail(ps, -EINVAL, "(?+0)");
		g += ps->captures;
	}
	return fw__rx_group_ref(ps, g);
}

/*
 * After "(?(": a conditional group, opaque (which branch applies is not
 * known). The condition may name a group by number or name, or be an
 * assertion; others ((R), (DEFINE), (VERSION...)) are not handled.
 */
static uint32_t
conditional(struct rx_parser *ps, const struct rx_opts *o)
{
	const unsigned char *name, *name_end;
	uint32_t g, body, n = 0;

	if (ps->p < ps->end && *ps->p == '?' && ps->end - ps->p >= 2 &&
	    (ps->p[1] == '=' || ps->p[1] == '!' || ps->p[1] == '<')) {
		bool behind = *++ps->p == '<';

		if (behind && (++ps->p == ps->end || (*ps->p != '=' && *ps->p != '!')))
			return fw__rx_fail(ps, -ENOTSUP, "condition not handled");
		ps->p++;
		if (lookaround(ps, o, behind) == FW_RX_NONE)
			return FW_RX_NONE;
	} else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9') {
		g = 0;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && g < 100000)
			g = g * 10 + (uint32_t)(*ps->p++ - '0');
		if (ps->p == ps->end || *ps->p++ != ')')
			return fw__rx_fail(ps, -ENOTSUP, "condition not handled");
		if (g > ps->max_ref)
			ps->max_ref = g;
	} else if (ps->p < ps->end && (*ps->p == '<' || *ps->p == '\'')) {
		unsigned char close = *ps->p++ == '<' ? '>' : '\'';

		if (!fw__rx_read_name(ps, close, &name, &name_end) ||
		    fw__rx_add_name(ps, &ps->refs, &ps->n_refs, &ps->cap_refs, name, name_end) < 0)
			return FW_RX_NONE;
		if (ps->p == ps->end || *ps->p++ != ')')
			return fw__rx_fail(ps, -ENOTSUP, "condition not handled");
	} else {
		return fw__rx_fail(ps, -ENOTSUP, "condition not handled");
	}
	body = group_body(ps, FW_RX_OPAQUE, 0, *o, false);
	if (body == FW_RX_NONE)
		return body;
	for (uint32_t k = ps->rx->nodes[ps->rx->nodes[body].child].child; k != FW_RX_NONE;
	     k = ps->rx->nodes[k].next)
		n++;
	if (n > 2)
		return fw__rx_fail(ps, -EINVAL, "conditional group with more than two branches");
	return body;
}

/*
 * After '('. *quantifiable is false for option settings and comments, and
 * *o changes for the rest of the enclosing group on (?i) and the like.
 */
static uint32_t
parse_group(struct rx_parser *ps, struct rx_opts *o, bool *quantifiable)
{
	struct rx_opts local = *o;
	const unsigned char *name, *name_end;
	unsigned c;

	if (ps->p < ps->end && *ps->p == '*')
		return fw__rx_fail(ps, -ENOTSUP, "verb or alpha assertion");
	if (ps->p == ps->end || *ps->p != '?')
		return group_body(ps, FW_RX_GROUP, o->no_auto_capture ? 0 : FW_RX_F_CAPTURE, local, false);
	if (++ps->p == ps->end)
		return fw__rx_fail(ps, -EINVAL, "missing ) after (?");
	c = *ps->p++;
	switch (c) {
	case '#':
		while (ps->p < ps->end && *ps->p != ')')
			ps->p++;
		if (ps->p == ps->end)
			return fw__rx_fail(ps, -EINVAL, "missing ) after a comment");
		ps->p++;
		*quantifiable = false;
		return fw__rx_node(ps, FW_RX_EMPTY);
	case ':':
		return group_body(ps, FW_RX_GROUP, 0, local, false);
	case '|':
		return group_body(ps, FW_RX_GROUP, 0, local, true);
	case '>':
		return group_body(ps, FW_RX_GROUP, FW_RX_F_ATOMIC, local, false);
	case '=':
	case '!':
		*quantifiable = false;
		return lookaround(ps, o, false);
	case '<':
		if (ps->p < ps->end && (*ps->p == '=' || *ps->p == '!')) {
			ps->p++;
			*quantifiable = false;
			return lookaround(ps, o, true);
		}
		/* fall through */
	case '\'':
		if (!fw__rx_read_name(ps, c == '<' ? '>' : '\'', &name, &name_end))
			return FW_RX_NONE;
		goto named;
	case 'P':
		if (ps->p < ps->end && *ps->p == '<') {
			ps->p++;
			if (!fw__rx_read_name(ps, '>', &name, &name_end))
				return FW_RX_NONE;
			goto named;
		}
		if (ps->p < ps->end && *ps->p == '=') {
			ps->p++;
			if (!fw__rx_read_name(ps, ')', &name, &name_end) ||
			    fw__rx_add_name(ps, &ps->refs, &ps->n_refs, &ps->cap_refs, name, name_end) < 0)
				return FW_RX_NONE;
			return fw__rx_node(ps, FW_RX_OPAQUE);
		}
		if (ps->p < ps->end && *ps->p == '>') {
			ps->p++;
			return call_name(ps, ')');
		}
		return fw__rx_fail(ps, -ENOTSUP, "(?P form not handled");
	case '&':
		return call_name(ps, ')');
	case 'R':
	case '+':
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		return call_number(ps, c);
	case '(':
		return conditional(ps, o);
	default:
		break;
	}
	if (c == '-' && ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		return call_number(ps, c);
	/* Option settings; callouts and the rest are not handled. */
	if (c != '^' && c != '-' && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
		return fw__rx_fail(ps, -ENOTSUP, "group kind not handled");
	ps->p--;
	if (!parse_options(ps, &local))
		return FW_RX_NONE;
	if (*ps->p++ == ':')
		return group_body(ps, FW_RX_GROUP, 0, local, false);
	/* (?i) alone: the rest of the enclosing group, later branches too. */
	*o = local;
	*quantifiable = false;
	return fw__rx_node(ps, FW_RX_EMPTY);
named:
	if (fw__rx_add_name(ps, &ps->names, &ps->n_names, &ps->cap_names, name, name_end) < 0)
		return FW_RX_NONE;
	return group_body(ps, FW_RX_GROUP, FW_RX_F_CAPTURE, local, false);
}

/*
 * \Q...\E: every character literal; all but the last appended to cat, the
 * last returned. Each is an item of its own bytes, the first with the
 * "\Q": *start becomes where the last one starts (its span is the caller's).
 */
static uint32_t
parse_quoted(struct rx_parser *ps, const struct rx_opts *o, uint32_t cat, uint32_t *tail,
	     const unsigned char **start)
{
	uint32_t last = FW_RX_NONE;

	while (ps->p < ps->end) {
		const unsigned char *at = ps->p;
		uint32_t cp;

		if (*ps->p == '\\' && ps->end - ps->p >= 2 && ps->p[1] == 'E') {
			ps->p += 2;
			break;
		}
		cp = fw__rx_read_utf8(ps);
		if (cp == FW_RX_NONE)
			return FW_RX_NONE;
		if (last != FW_RX_NONE) {
			ps->rx->nodes[last].src_end = (uint32_t)(at - ps->start);
			fw__rx_append(ps, cat, tail, last);
			*start = at;
		}
		last = fw__rx_char(ps, cp, o);
		if (last == FW_RX_NONE)
			return FW_RX_NONE;
		ps->rx->nodes[last].src_off = (uint32_t)(*start - ps->start);
	}
	if (last == FW_RX_NONE)
		return fw__rx_fail(ps, -ENOTSUP, "empty \\Q\\E");
	return last;
}

/* The atom at ps->p (which is *start); a quotation may move *start to its last character. */
static uint32_t
parse_atom(struct rx_parser *ps, struct rx_opts *o, bool *quantifiable, uint32_t cat,
	   uint32_t *tail, const unsigned char **start)
{
	unsigned c = *ps->p;
	uint32_t n;

	*quantifiable = true;
	switch (c) {
	case '(':
		ps->p++;
		return parse_group(ps, o, quantifiable);
	case '[':
		ps->p++;
		return fw__rx_parse_class(ps, o);
	case '.':
		ps->p++;
		n = fw__rx_node(ps, FW_RX_ANY);
		if (n != FW_RX_NONE && o->dotall)
			ps->rx->nodes[n].flags |= FW_RX_F_DOTALL;
		return n;
	case '^':
	case '$':
		ps->p++;
		*quantifiable = false;
		if (c == '^')
			return fw__rx_node(ps, o->multiline ? FW_RX_LINE_START : FW_RX_START);
		return fw__rx_node(ps, o->multiline ? FW_RX_LINE_END : FW_RX_END_NL);
	case '\\':
		if (ps->end - ps->p >= 2 && ps->p[1] == 'Q') {
			ps->p += 2;
			return parse_quoted(ps, o, cat, tail, start);
		}
		ps->p++;
		n = fw__rx_parse_escape(ps, o);
		if (n != FW_RX_NONE) {
			uint8_t k = ps->rx->nodes[n].kind;

			*quantifiable = !(k == FW_RX_START || k == FW_RX_END || k == FW_RX_END_NL ||
					  k == FW_RX_WORDB || (ps->rx->nodes[n].flags & FW_RX_F_ZERO_WIDTH));
		}
		return n;
	case '*':
	case '+':
	case '?':
		/* Under (?x) it may follow one, across white space. */
		if (o->extended)
			return fw__rx_fail(ps, -ENOTSUP, "quantifier after space under (?x)");
		return fw__rx_fail(ps, -EINVAL, "quantifier does not follow a repeatable item");
	case '{':
		return fw__rx_fail(ps, -ENOTSUP, "{ as a literal");
	default:
		if (c >= 0x80 && o->extended)
			return fw__rx_fail(ps, -ENOTSUP, "non-ASCII under (?x)");
		n = fw__rx_read_utf8(ps);
		return n == FW_RX_NONE ? n : fw__rx_char(ps, n, o);
	}
}

static bool
read_count(struct rx_parser *ps, uint32_t *v)
{
	size_t digits = 0;

	*v = 0;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		if (*v <= RX_COUNT_MAX)
			*v = *v * 10 + (uint32_t)(*ps->p - '0');
		ps->p++;
		digits++;
	}
	return digits > 0;
}

static bool
is_quant_char(const struct rx_parser *ps)
{
	return ps->p < ps->end && (*ps->p == '*' || *ps->p == '+' || *ps->p == '?' || *ps->p == '{');
}

static int
quant_fail(struct rx_parser *ps, int err, const char *why)
{
	fw__rx_fail(ps, err, why);
	return -1;
}

/*
 * The quantifier at ps->p, if any: 1 (filled in), 0 (none) or -1 (error
 * set). A '{' that is not {n}, {n,} or {n,m} is a literal for PCRE2 10.42
 * but not for later versions: declined.
 */
static int
parse_quant(struct rx_parser *ps, uint32_t *min, uint32_t *max, uint8_t *greed)
{
	if (ps->p == ps->end)
		return 0;
	switch (*ps->p) {
	case '*': *min = 0; *max = FW_RX_INF; ps->p++; break;
	case '+': *min = 1; *max = FW_RX_INF; ps->p++; break;
	case '?': *min = 0; *max = 1; ps->p++; break;
	case '{':
		ps->p++;
		if (!read_count(ps, min) || ps->p == ps->end)
			return quant_fail(ps, -ENOTSUP, "{ that is not a quantifier");
		*max = *min;
		if (*ps->p == ',') {
			ps->p++;
			*max = FW_RX_INF;
			if (ps->p < ps->end && *ps->p != '}' && !read_count(ps, max))
				return quant_fail(ps, -ENOTSUP, "{ that is not a quantifier");
		}
		if (ps->p == ps->end || *ps->p != '}')
			return quant_fail(ps, -ENOTSUP, "{ that is not a quantifier");
		ps->p++;
		if (*min > RX_COUNT_MAX || (*max != FW_RX_INF && *max > RX_COUNT_MAX))
			return quant_fail(ps, -EINVAL, "number too big in {}");
		if (*max < *min)
			return quant_fail(ps, -EINVAL, "numbers out of order in {}");
		break;
	default:
		return 0;
	}
	*greed = FW_RX_GREEDY;
	if (ps->p < ps->end && *ps->p == '+') {
		*greed = FW_RX_POSSESSIVE;
		ps->p++;
	} else if (ps->p < ps->end && *ps->p == '?') {
		*greed = FW_RX_LAZY;
		ps->p++;
	}
	if (is_quant_char(ps))
		return quant_fail(ps, -ENOTSUP, "quantifier after a quantifier");
	return 1;
}

/* One branch: quantified atoms up to '|', ')' or the end, as an FW_RX_CAT. */
static uint32_t
parse_seq(struct rx_parser *ps, struct rx_opts *o)
{
	uint32_t cat = fw__rx_node(ps, FW_RX_CAT), tail = FW_RX_NONE;

	for (;;) {
		const unsigned char *start, *item;
		bool quantifiable;
		uint32_t at, min, max;
		uint8_t greed;
		int q;

		skip_extended(ps, o);
		if (cat == FW_RX_NONE || ps->p == ps->end || *ps->p == '|' || *ps->p == ')')
			return cat;
		start = item = ps->p;
		at = parse_atom(ps, o, &quantifiable, cat, &tail, &item);
		if (at == FW_RX_NONE)
			return FW_RX_NONE;
		ps->rx->nodes[at].len = (uint32_t)(ps->p - start);
		ps->rx->nodes[at].src_off = (uint32_t)(item - ps->start);
		ps->rx->nodes[at].src_end = (uint32_t)(ps->p - ps->start);
		if (o->extended) {
			const unsigned char *before = ps->p;

			skip_extended(ps, o);
			if (ps->p != before && is_quant_char(ps))
				return fw__rx_fail(ps, -ENOTSUP, "quantifier after space under (?x)");
		}
		q = parse_quant(ps, &min, &max, &greed);
		if (q < 0)
			return FW_RX_NONE;
		if (q > 0 && !quantifiable)
			return fw__rx_fail(ps, -ENOTSUP, "quantified assertion or option");
		if (q > 0) {
			uint32_t rep = fw__rx_node(ps, FW_RX_REPEAT);

			if (rep == FW_RX_NONE)
				return FW_RX_NONE;
			ps->rx->nodes[rep].child = at;
			ps->rx->nodes[rep].min = min;
			ps->rx->nodes[rep].max = max;
			ps->rx->nodes[rep].greed = greed;
			ps->rx->nodes[rep].src_off = ps->rx->nodes[at].src_off;
			at = rep;
		}
		ps->rx->nodes[at].src_end = (uint32_t)(ps->p - ps->start);
		fw__rx_append(ps, cat, &tail, at);
	}
}

static uint32_t
parse_alt(struct rx_parser *ps, struct rx_opts *o, bool branch_reset)
{
	uint32_t alt = fw__rx_node(ps, FW_RX_ALT), tail = FW_RX_NONE;
	uint32_t base = ps->captures, most = ps->captures;

	for (;;) {
		uint32_t seq = parse_seq(ps, o);

		if (alt == FW_RX_NONE || seq == FW_RX_NONE)
			return FW_RX_NONE;
		fw__rx_append(ps, alt, &tail, seq);
		if (branch_reset) {
			/* (?| each branch numbers its groups from the same start. */
			if (ps->captures > most)
				most = ps->captures;
			ps->captures = base;
		}
		if (ps->p == ps->end || *ps->p != '|')
			break;
		ps->p++;
	}
	if (branch_reset)
		ps->captures = most;
	return alt;
}

int
fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless)
{
	struct rx_parser ps = { .rx = rx };
	struct rx_opts o = { .caseless = caseless };

	memset(rx, 0, sizeof *rx);
	rx->root = FW_RX_NONE;
	rx->options_len = fw_regex_start_options(pattern, len, &rx->options_widen);
	ps.start = (const unsigned char *)pattern;
	ps.p = ps.start + rx->options_len;
	ps.end = ps.start + len;
	/* PCRE2 checks the whole pattern first: comments and names too. */
	while (ps.p < ps.end && fw__rx_read_utf8(&ps) != FW_RX_NONE)
		;
	ps.p = ps.start + rx->options_len;
	if (!ps.err)
		rx->root = parse_alt(&ps, &o, false);
	if (!ps.err && ps.p != ps.end)
		fw__rx_fail(&ps, -EINVAL, "unmatched )");
	if (!ps.err)
		fw__rx_check_whole(&ps);
	free(ps.names);
	free(ps.refs);
	if (ps.err) {
		rx->root = FW_RX_NONE;
		return ps.err;
	}
	return 0;
}
