/*
 * test_regex: the regex front end. Each construct is parsed into the tree
 * it must give (written as a compact dump); each error gives its code and
 * offset; and every pattern here is also given to PCRE2, which must
 * compile what the parser accepts and refuse what it calls invalid.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "match/regex_parse.h"

struct out {
	char buf[1024];
	size_t len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof o->buf - o->len);
	o->len += (size_t)n;
}

static void dump(const struct fw_regex *rx, uint32_t n, struct out *o);

static void
dump_children(const struct fw_regex *rx, uint32_t first, const char *sep, struct out *o)
{
	for (uint32_t k = first; k != FW_RX_NONE; k = rx->nodes[k].next) {
		dump(rx, k, o);
		if (rx->nodes[k].next != FW_RX_NONE)
			put(o, "%s", sep);
	}
}

/* ASCII members as ranges: [0-9a]. */
static void
dump_set(const struct fw_regex *rx, const struct fw_rx_node *x, struct out *o)
{
	const struct fw_rx_bytes *set = fw_rx_class_set(rx, x);
	static const char *const na[] = { "", "~fold", "~listed", "~allbut", "~all" };

	put(o, "[");
	for (unsigned b = 0; b < 0x80; b++) {
		unsigned e = b;

		if (!fw_rx_bytes_has(set, b))
			continue;
		while (e + 1 < 0x80 && fw_rx_bytes_has(set, e + 1))
			e++;
		put(o, b > ' ' && b < 0x7F ? "%c" : "\\x%02x", b);
		if (e > b)
			put(o, e > ' ' && e < 0x7F ? "-%c" : "-\\x%02x", e);
		b = e;
	}
	put(o, "]%s", na[x->nonascii]);
	if (x->cp != FW_RX_NONE)
		put(o, "=%x", x->cp);
}

static void
dump_char(uint32_t cp, struct out *o)
{
	put(o, cp > ' ' && cp < 0x7F ? "'%c'" : "U+%X", cp);
}

static void
dump(const struct fw_regex *rx, uint32_t n, struct out *o)
{
	const struct fw_rx_node *x = &rx->nodes[n];
	const struct fw_rx_node *c = x->child != FW_RX_NONE ? &rx->nodes[x->child] : NULL;
	/* Literal text shows as its characters: one item only when it holds one. */
	bool one = c && c->next == FW_RX_NONE && (c->kind != FW_RX_TEXT || c->len == 1);

	switch (x->kind) {
	case FW_RX_EMPTY: put(o, "e"); break;
	case FW_RX_CHAR:
		dump_char(x->cp, o);
		break;
	case FW_RX_TEXT:
		assert_true(x->len >= 2);       /* one character is a CHAR */
		for (uint32_t i = 0; i < x->len; i++) {
			put(o, i ? " " : "");
			dump_char(fw_rx_text(rx, x)[i], o);
			if (x->flags & FW_RX_F_CASELESS)
				put(o, "i");
		}
		break;
	case FW_RX_CLASS: dump_set(rx, x, o); break;
	case FW_RX_ANY: put(o, x->flags & FW_RX_F_DOTALL ? ".s" : "."); break;
	case FW_RX_START: put(o, "^"); break;
	case FW_RX_END: put(o, "\\z"); break;
	case FW_RX_END_NL: put(o, "$"); break;
	case FW_RX_LINE_START: put(o, "^m"); break;
	case FW_RX_LINE_END: put(o, "$m"); break;
	case FW_RX_WORDB: put(o, x->flags & FW_RX_F_NEGATED ? "\\B" : "\\b"); break;
	case FW_RX_CAT:
		if (x->child == FW_RX_NONE)
			put(o, "()");
		else if (one)
			dump(rx, x->child, o);
		else {
			put(o, "cat(");
			dump_children(rx, x->child, " ", o);
			put(o, ")");
		}
		break;
	case FW_RX_ALT:
		if (one)
			dump(rx, x->child, o);
		else {
			put(o, "alt(");
			dump_children(rx, x->child, "|", o);
			put(o, ")");
		}
		break;
	case FW_RX_GROUP:
		put(o, x->flags & FW_RX_F_ATOMIC ? "atomic(" : x->flags & FW_RX_F_CAPTURE ? "cap(" : "g(");
		dump(rx, x->child, o);
		put(o, ")");
		break;
	case FW_RX_REPEAT:
		if (x->max == FW_RX_INF)
			put(o, "rep{%u,}", x->min);
		else
			put(o, "rep{%u,%u}", x->min, x->max);
		put(o, "%s(", x->greed == FW_RX_LAZY ? "?" : x->greed == FW_RX_POSSESSIVE ? "+" : "");
		dump(rx, x->child, o);
		put(o, ")");
		break;
	case FW_RX_OPAQUE:
		put(o, x->flags & FW_RX_F_ZERO_WIDTH ? "opaque0" : "opaque");
		if (x->child != FW_RX_NONE) {
			put(o, "(");
			dump(rx, x->child, o);
			put(o, ")");
		}
		break;
	default:
		fail_msg("node kind %u", x->kind);
	}
	if ((x->kind == FW_RX_CHAR || x->kind == FW_RX_CLASS) && (x->flags & FW_RX_F_CASELESS))
		put(o, "i");
}

/* 1: PCRE2 compiles it (the KB's options), 0: it refuses. */
static int
pcre2_compiles(const char *p, size_t len, bool caseless)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;

	code = pcre2_compile((PCRE2_SPTR)p, len, opts | (caseless ? PCRE2_CASELESS : 0), &err, &off, NULL);
	pcre2_code_free(code);
	return code != NULL;
}

struct tree_case {
	const char *pattern;
	bool caseless;
	const char *tree;
};

static void
test_trees(void **state)
{
	static const struct tree_case cases[] = {
		{ "", false, "()" },
		{ "ab", false, "cat('a' 'b')" },
		{ "ab", true, "cat('a'i 'b'i)" },
		{ "\xc3\xa9\xe2\x98\xba", false, "cat(U+E9 U+263A)" },
		{ "\\x41\\x{263a}\\t\\n\\r\\f\\e\\a\\.\\\\", false,
		  "cat('A' U+263A U+9 U+A U+D U+C U+1B U+7 '.' '\\')" },
		{ "a|b|", false, "alt('a'|'b'|())" },
		/* Classes: ASCII members as a set, what they take outside ASCII. */
		{ "[a-c_]", false, "[_a-c]" },
		{ "[^a]", false, "[\\x00-`b-\\x7f]~all" },
		{ "[a-z]", true, "[A-Za-z]~foldi" },
		{ "[a-j]", true, "[A-Ja-j]i" },
		{ "[x]", false, "[x]=78" },
		{ "[.]", false, "[.]=2e" },
		{ "[.:][=a]", false, "cat([.:] [=a])" },
		{ "[]a]", false, "[]a]" },
		{ "[^]]", false, "[\\x00-\\^-\\x7f]~all" },
		{ "[\\d\\-x]", false, "[-0-9x]" },
		{ "[\\w]", false, "[0-9A-Z_a-z]" },
		{ "[\\W]", false, "[\\x00-/:-@[-^`{-\\x7f]~all" },
		{ "[^\\D]", false, "[0-9]" },
		{ "[\xc3\xa9" "a]", false, "[a]~listed" },
		{ "[^\xc3\xa9]", false, "[\\x00-\\x7f]~allbut" },
		{ "[\\b]", false, "[\\x08]=8" },
		{ "[a-\\x{100}]", false, "[a-\\x7f]~listed" },
		{ "\\d\\S", false, "cat([0-9] [\\x00-\\x08\\x0e-\\x1f!-\\x7f]~all)" },
		{ "[[:alpha:]]", false, "opaque" },
		{ "[\\h]", false, "opaque" },
		/* Dot, anchors, boundaries. */
		{ ".(?s).", false, "cat(. e .s)" },
		{ "^a$", false, "cat(^ 'a' $)" },
		{ "\\Aa\\z\\Z", false, "cat(^ 'a' \\z $)" },
		{ "(?m)^a$", false, "cat(e ^m 'a' $m)" },
		{ "\\ba\\B", false, "cat(\\b 'a' \\B)" },
		/* Groups. */
		{ "(a)", false, "cap('a')" },
		{ "(?:a)", false, "g('a')" },
		{ "(?<n>a)(?'m'b)(?P<o>c)", false, "cat(cap('a') cap('b') cap('c'))" },
		{ "(?>a)", false, "atomic('a')" },
		{ "(?|(a)|(b))\\1", false, "cat(g(alt(cap('a')|cap('b'))) opaque)" },
		{ "(?n)(a)(?<x>b)", false, "cat(e g('a') cap('b'))" },
		{ "(?#comment)a", false, "cat(e 'a')" },
		/* Quantifiers. */
		{ "a*b+?c?+", false, "cat(rep{0,}('a') rep{1,}?('b') rep{0,1}+('c'))" },
		{ "a{2}b{2,}c{2,5}?", false, "cat(rep{2,2}('a') rep{2,}('b') rep{2,5}?('c'))" },
		{ "(?:ab)*", false, "rep{0,}(g(cat('a' 'b')))" },
		{ "\\Qa.+\\E+", false, "cat('a' '.' rep{1,}('+'))" },
		{ "\\Qa", false, "'a'" },
		/* Inline options: scoped to the group, later branches included. */
		{ "a(?i)b", false, "cat('a' e 'b'i)" },
		{ "(?i:a)b", false, "cat(g('a'i) 'b')" },
		{ "(a(?i)b|c)d", false, "cat(cap(alt(cat('a' e 'b'i)|'c'i)) 'd')" },
		{ "(?i)a(?-i)b", false, "cat(e 'a'i e 'b')" },
		{ "a(?^)b", true, "cat('a'i e 'b')" },
		{ "(?x) a b # c\n c [ ]", false, "cat(e 'a' 'b' 'c' [\\x20]=20)" },
		{ "(?x:a b)c d", false, "cat(g(cat('a' 'b')) 'c' U+20 'd')" },
		{ "(?sUJ)a", false, "cat(e 'a')" },
		/* What no consumer models: opaque, zero-width or not. */
		{ "(a)\\1\\g{1}\\g-1\\g{-1}", false, "cat(cap('a') opaque opaque opaque opaque)" },
		{ "(?<n>a)\\k<n>\\k'n'\\k{n}\\g{n}(?P=n)", false,
		  "cat(cap('a') opaque opaque opaque opaque opaque)" },
		{ "(?=a)(?!b)(?<=c)(?<!d|ef)", false,
		  "cat(opaque0('a') opaque0('b') opaque0('c') opaque0(alt('d'|cat('e' 'f'))))" },
		{ "a\\Kb\\G", false, "cat('a' opaque0 'b' opaque0)" },
		{ "\\h\\v\\R\\X\\N", false, "cat(opaque opaque opaque opaque opaque)" },
		{ "\\pL\\p{Lu}\\P{^Nd}\\p{Xan}", false, "cat(opaque opaque opaque opaque)" },
		{ "(a)(?R)(?1)(?-1)(?+1)(b)", false, "cat(cap('a') opaque opaque opaque opaque cap('b'))" },
		{ "(?<n>a)(?&n)(?P>n)", false, "cat(cap('a') opaque opaque)" },
		{ "(a)(?(1)b|c)(?(<n>)d)(?(?=e)f)(?(?<!g)h)(?<n>i)", false,
		  "cat(cap('a') opaque(alt('b'|'c')) opaque('d') opaque('f') opaque('h') cap('i'))" },
		/* Start-of-pattern options are not part of the tree. */
		{ "(*NO_JIT)(*LIMIT_MATCH=5)a", false, "'a'" },
	};
	int bad = 0;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct tree_case *c = &cases[i];
		struct fw_regex rx;
		struct out o = { .len = 0 };
		int rc = fw_regex_parse(&rx, c->pattern, strlen(c->pattern), c->caseless);

		if (rc != 0)
			fail_msg("%s: %d (%s at %zu)", c->pattern, rc, rx.err, rx.err_off);
		dump(&rx, rx.root, &o);
		if (strcmp(o.buf, c->tree) != 0) {
			print_error("%s: got %s, want %s\n", c->pattern, o.buf, c->tree);
			bad++;
		}
		if (!pcre2_compiles(c->pattern, strlen(c->pattern), c->caseless))
			fail_msg("%s: accepted, PCRE2 refuses it", c->pattern);
		fw_regex_free(&rx);
	}
	assert_int_equal(bad, 0);
}

static void
test_start_options(void **state)
{
	static const char p[] = "(*NO_JIT)(*UCP)a";
	struct fw_regex rx;
	bool widens;
	(void)state;

	assert_int_equal(fw_regex_start_options(p, strlen(p), &widens), 15);
	assert_true(widens);
	assert_int_equal(fw_regex_start_options("(*NO_JIT)a", 10, &widens), 9);
	assert_false(widens);
	assert_int_equal(fw_regex_start_options("(*BOGUS)a", 9, &widens), 0);
	assert_int_equal(fw_regex_start_options("(*LIMIT_MATCH=)a", 16, &widens), 0);
	assert_int_equal(fw_regex_parse(&rx, p, strlen(p), false), 0);
	assert_int_equal(rx.options_len, 15);
	assert_true(rx.options_widen);
	fw_regex_free(&rx);
	/* A verb anywhere else is not a start option. */
	assert_int_equal(fw_regex_parse(&rx, "a(*NO_JIT)", 10, false), -ENOTSUP);
	fw_regex_free(&rx);
	fw_regex_free(NULL);
}

struct error_case {
	const char *pattern;
	int rc;
	size_t off;             /* where the parser stopped */
};

static void
test_errors(void **state)
{
	static const struct error_case cases[] = {
		/* PCRE2 refuses these. */
		{ "a)", -EINVAL, 1 },
		{ "(a", -EINVAL, 2 },
		{ "(?:a", -EINVAL, 4 },
		{ "[a", -EINVAL, 2 },
		{ "[]", -EINVAL, 2 },
		{ "*a", -EINVAL, 0 },
		{ "a|+", -EINVAL, 2 },
		{ "(?:?)", -EINVAL, 3 },
		{ "[z-a]", -EINVAL, 4 },
		{ "a{3,2}", -EINVAL, 6 },
		{ "a{70000}", -EINVAL, 8 },
		{ "\\", -EINVAL, 1 },
		{ "\\1", -EINVAL, 2 },
		{ "(a)\\2", -EINVAL, 5 },
		{ "\\g{-1}", -EINVAL, 6 },
		{ "\\k<n>", -EINVAL, 5 },
		{ "(?#x", -EINVAL, 4 },
		{ "(?P>n)", -EINVAL, 6 },
		{ "(?&n)", -EINVAL, 5 },
		{ "(?2)(a)", -EINVAL, 7 },
		{ "(?-1)", -EINVAL, 5 },
		{ "(?(1)a|b)", -EINVAL, 9 },
		{ "(a)(?(1)a|b|c)", -EINVAL, 14 },
		{ "\xff", -EINVAL, 0 },
		{ "a\xc3", -EINVAL, 1 },
		{ "\xc0\x80", -EINVAL, 0 },
		{ "\xed\xa0\x80", -EINVAL, 0 },
		{ "\\x{d800}", -EINVAL, 8 },
		{ "\\x{110000}", -EINVAL, 10 },
		/* Not understood: the caller knows nothing of the pattern. */
		{ "a{,3}", -ENOTSUP, 2 },
		{ "a{2", -ENOTSUP, 3 },
		{ "{", -ENOTSUP, 0 },
		{ "a**", -ENOTSUP, 2 },
		{ "a{2}{3}", -ENOTSUP, 4 },
		{ "^*", -ENOTSUP, 2 },
		{ "(?=a)*", -ENOTSUP, 6 },
		{ "(?i)+", -ENOTSUP, 5 },
		{ "(?C1)a", -ENOTSUP, 3 },
		{ "(*ACCEPT)a", -ENOTSUP, 1 },
		{ "(?xx)a", -ENOTSUP, 3 },
		{ "(*CR)(?x)a", -ENOTSUP, 8 },
		{ "(?x)\xc2\x85", -ENOTSUP, 4 },
		{ "(?x)a +", -ENOTSUP, 6 },
		{ "(?x)a{2} +", -ENOTSUP, 9 },
		{ "(?Z)", -ENOTSUP, 3 },
		{ "(?i-)", -ENOTSUP, 4 },
		{ "\\p{Greek}", -ENOTSUP, 2 },
		{ "\\pQ", -ENOTSUP, 2 },
		{ "(?(R)a)", -ENOTSUP, 3 },
		{ "(?(DEFINE)(a))", -ENOTSUP, 3 },
		{ "(?R1)", -ENOTSUP, 4 },
		{ "\\0", -ENOTSUP, 2 },
		{ "\\12", -ENOTSUP, 2 },
		{ "\\cA", -ENOTSUP, 2 },
		{ "\\E", -ENOTSUP, 2 },
		{ "\\N{U+41}", -ENOTSUP, 2 },
		{ "\\x", -ENOTSUP, 2 },
		{ "\\x{}", -ENOTSUP, 3 },
		{ "\\\xc3\xa9", -ENOTSUP, 2 },
		{ "\\Q\\E", -ENOTSUP, 4 },
		{ "\\g<1>(a)", -ENOTSUP, 2 },
		{ "(?<1a>x)", -ENOTSUP, 3 },
		{ "(?<n>a)(?<n>b)", -ENOTSUP, 14 },
		{ "(?=a\\K)", -ENOTSUP, 6 },
		{ "(?<=a+)b", -ENOTSUP, 7 },
		{ "(?<=(?:a|bc))", -ENOTSUP, 13 },
		{ "(?<=\\1)(a)", -ENOTSUP, 7 },
		{ "[[:foo:]]", -ENOTSUP, 1 },
		{ "[[.a.]]", -ENOTSUP, 1 },
		{ "[:a[lpha:]", -ENOTSUP, 1 },
		{ "[:alpha:]", -ENOTSUP, 1 },
		{ "[\\d-z]", -ENOTSUP, 3 },
		{ "[a-\\d]", -ENOTSUP, 5 },
		{ "[a-[]", -ENOTSUP, 3 },
		{ "[\\Qa\\E]", -ENOTSUP, 3 },
		{ "[\\p{L}]", -ENOTSUP, 3 },
		{ "(?:(?:(?:(?:){1000}){1000}){1000}){1000}", -ENOTSUP, 40 },
		{ "(?:abcdefgh){9000}", -ENOTSUP, 18 },
	};
	int bad = 0;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct error_case *c = &cases[i];
		struct fw_regex rx;
		int rc = fw_regex_parse(&rx, c->pattern, strlen(c->pattern), false);

		if (rc != c->rc || rx.err_off != c->off) {
			print_error("%s: %d at %zu (%s), want %d at %zu\n", c->pattern, rc, rx.err_off,
				    rx.err ? rx.err : "-", c->rc, c->off);
			bad++;
			fw_regex_free(&rx);
			continue;
		}
		assert_non_null(rx.err);
		assert_int_equal(rx.root, FW_RX_NONE);
		if (rc == -EINVAL && pcre2_compiles(c->pattern, strlen(c->pattern), false))
			fail_msg("%s: called invalid, PCRE2 compiles it", c->pattern);
		fw_regex_free(&rx);
	}
	assert_int_equal(bad, 0);
}

/* Deep nesting is declined before it can exhaust the stack. */
static void
test_deep_nesting(void **state)
{
	enum { DEPTH = 5000 };
	char *p = malloc(2 * DEPTH + 2);
	struct fw_regex rx;
	(void)state;

	assert_non_null(p);
	memset(p, '(', DEPTH);
	p[DEPTH] = 'a';
	memset(p + DEPTH + 1, ')', DEPTH);
	assert_int_equal(fw_regex_parse(&rx, p, 2 * DEPTH + 1, false), -ENOTSUP);
	fw_regex_free(&rx);
	/* 64 groups deep is fine, 65 is not. */
	for (size_t depth = 64; depth <= 65; depth++) {
		memset(p, '(', depth);
		p[depth] = 'a';
		memset(p + depth + 1, ')', depth);
		assert_int_equal(fw_regex_parse(&rx, p, 2 * depth + 1, false), depth == 64 ? 0 : -ENOTSUP);
		fw_regex_free(&rx);
	}
	free(p);
}

/* The kinds of the children of the first branch of pattern p, as letters. */
static void
child_kinds(const char *p, bool caseless, char *out, size_t cap)
{
	static const char letter[] = "ecta.^z$lLbCAgrO";  /* by enum fw_rx_kind */
	struct fw_regex rx;
	size_t k = 0;

	assert_int_equal(fw_regex_parse(&rx, p, strlen(p), caseless), 0);
	for (uint32_t c = rx.nodes[rx.nodes[rx.root].child].child; c != FW_RX_NONE; c = rx.nodes[c].next) {
		assert_true(k + 1 < cap);
		out[k++] = letter[rx.nodes[c].kind];
	}
	out[k] = '\0';
	fw_regex_free(&rx);
}

/*
 * Unquantified literal characters with the same flags are one TEXT node
 * (t); a quantified one, a change of case option or anything else ends it.
 */
static void
test_text_runs(void **state)
{
	static const struct {
		const char *p;
		bool caseless;
		const char *kinds;
	} cases[] = {
		{ "abc", false, "t" },
		{ "abc", true, "t" },
		{ "a", false, "c" },
		{ "abc*d", false, "trc" },
		{ "ab(?i)cd", false, "tet" },
		{ "a(?i:b)c", false, "cgc" },
		{ "ab\\Qcd\\E+e", false, "trc" },
		{ "ab\\x{e9}\\.c[d]e", false, "tac" },
		{ "x\\d+yz", false, "crt" },
	};
	char got[32];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		child_kinds(cases[i].p, cases[i].caseless, got, sizeof got);
		if (strcmp(got, cases[i].kinds) != 0)
			fail_msg("%s: children %s, expected %s", cases[i].p, got, cases[i].kinds);
	}
}

/* An embedded NUL is an ordinary character. */
static void
test_nul(void **state)
{
	static const char p[] = "a\0b";
	struct fw_regex rx;
	const struct fw_rx_node *x;

	(void)state;
	assert_int_equal(fw_regex_parse(&rx, p, 3, false), 0);
	x = &rx.nodes[rx.nodes[rx.nodes[rx.root].child].child];
	assert_int_equal(x->kind, FW_RX_TEXT);
	assert_int_equal(x->len, 3);
	assert_int_equal(fw_rx_text(&rx, x)[0], 'a');
	assert_int_equal(fw_rx_text(&rx, x)[1], 0);
	assert_int_equal(fw_rx_text(&rx, x)[2], 'b');
	fw_regex_free(&rx);
}

struct min_case {
	const char *pattern;
	bool caseless;
	uint32_t bytes;         /* fw_regex_min_bytes() of the pattern */
	const char *shortest;   /* a subject PCRE2 matches in that many bytes */
	bool as_pcre2;          /* PCRE2_INFO_MINLENGTH (characters) says the same */
};

/*
 * A pattern's fewest bytes: exact where the tree models every node, never
 * more than a real match takes, and PCRE2's own minimum length where that
 * counts the same thing (ASCII, nothing opaque).
 */
static void
test_min_bytes(void **state)
{
	static const struct min_case cases[] = {
		{ "", false, 0, "", true },
		{ "abc", false, 3, "abc", true },
		{ "a|bc|def", false, 1, "a", true },
		{ "(?:ab|c)d", false, 2, "cd", true },
		{ "x(?:ab|)y", false, 2, "xy", true },
		{ "a?b", false, 1, "b", true },
		{ "(?:ab)*c", false, 1, "c", true },
		{ "(?:ab)+c", false, 3, "abc", true },
		{ "a{3}b{2,}c{0,4}?", false, 5, "aaabb", true },
		{ "(?:a{2}){3}", false, 6, "aaaaaa", true },
		{ "[a-z]+x", false, 2, "qx", true },
		{ "\\d{2}:\\d{2}", false, 5, "12:34", true },
		{ ".{4}", false, 4, "abcd", true },
		{ "[^a]", false, 1, "b", true },
		{ "^abc$", false, 3, "abc", true },
		{ "\\bab\\b", false, 2, "ab", true },
		{ "a\\Bb", false, 2, "ab", true },
		{ "(?m)^a$", false, 1, "a", true },
		{ "\\Aa\\z", false, 1, "a", true },
		{ "(?i)abc", false, 3, "ABC", true },
		{ "abc", true, 3, "aBc", true },
		/* UTF-8: a character takes its bytes; a caseless one outside ASCII may match one byte. */
		{ "\xc3\xa9", false, 2, "\xc3\xa9", false },
		{ "\\x{263a}x", false, 4, "\xe2\x98\xbax", false },
		{ "\\x{1F600}", false, 4, "\xf0\x9f\x98\x80", false },
		{ "\xc3\xa9t\xc3\xa9", true, 3, "\xc3\x89t\xc3\xa9", false },
		{ "\\x{212a}", true, 1, "k", false },
		{ "(?i)\xc5\xbf", false, 1, "S", false },
		{ "[\xc3\xa9]", false, 1, "\xc3\xa9", false },
		{ "[^a]", false, 1, "\xc3\xa9", true },
		/* Opaque nodes take nothing: a backreference may be empty. */
		{ "(a?)\\1b", false, 1, "b", true },
		{ "(?=abc)a", false, 1, "abc", false },
		{ "a(?<=a)b", false, 2, "ab", true },
		{ "\\Ra\\hb", false, 2, "\na b", false },
	};
	int bad = 0;
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct min_case *c = &cases[i];
		uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (c->caseless ? PCRE2_CASELESS : 0);
		struct fw_regex rx;
		pcre2_code *code;
		pcre2_match_data *md;
		uint32_t pcre_min = 0, got;
		PCRE2_SIZE off;
		int err, rc;

		if (fw_regex_parse(&rx, c->pattern, strlen(c->pattern), c->caseless) != 0)
			fail_msg("%s: %s at %zu", c->pattern, rx.err, rx.err_off);
		got = fw_regex_min_bytes(&rx, rx.root);
		fw_regex_free(&rx);
		code = pcre2_compile((PCRE2_SPTR)c->pattern, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
		assert_non_null(code);
		md = pcre2_match_data_create_from_pattern(code, NULL);
		rc = pcre2_match(code, (PCRE2_SPTR)c->shortest, strlen(c->shortest), 0, 0, md, NULL);
		assert_int_equal(pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &pcre_min), 0);
		if (got != c->bytes) {
			print_error("%s: %u bytes, want %u\n", c->pattern, got, c->bytes);
			bad++;
		}
		if (rc < 1 || pcre2_get_ovector_pointer(md)[1] - pcre2_get_ovector_pointer(md)[0] < got) {
			print_error("%s: PCRE2 matches %s in fewer bytes than %u\n", c->pattern, c->shortest, got);
			bad++;
		}
		if (c->as_pcre2 && pcre_min != got) {
			print_error("%s: PCRE2_INFO_MINLENGTH %u, ours %u\n", c->pattern, pcre_min, got);
			bad++;
		}
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	assert_int_equal(fw_regex_min_bytes(NULL, FW_RX_NONE), 0);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trees),
		cmocka_unit_test(test_start_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_text_runs),
		cmocka_unit_test(test_min_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
