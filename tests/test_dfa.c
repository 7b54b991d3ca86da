/*
 * test_dfa: the lazy DFA filter. What it must guarantee is that every line
 * PCRE2 matches is reported for every pattern it accepted; it must also be
 * exact where the byte model is (anchors, classes, counted repeats), give
 * the same answers whatever its cache size, decline what it cannot model,
 * and give up, bounded, on a set whose states explode.
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

#include "dfa_pattern.h"
#include "match/dfa.h"
#include "match/regex_parse.h"
#include "xorshift.h"

static pcre2_code *
pcre(const char *pattern, bool caseless)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	int err;
	PCRE2_SIZE off;

	if (caseless)
		opts |= PCRE2_CASELESS;
	return pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
}

/*
 * 1 match, 0 no match, -1 the match limit (random nested quantifiers).
 * Without JIT: the interpreter is what runs when JIT is unavailable, and
 * it is the laxer one.
 */
static int
pcre_matches(pcre2_code *code, const char *line, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc = pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, md, NULL);

	pcre2_match_data_free(md);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
		return -1;
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
		fail_msg("PCRE2 error %d", rc);
	return rc >= 0;
}

static bool
dfa_hit(struct fw_dfa_runner *r, const char *line, size_t len, uint32_t member)
{
	int n = fw_dfa_scan(r, (const unsigned char *)line, len);
	const uint32_t *hits = fw_dfa_hits(r);

	assert_true(n >= 0);
	for (int i = 0; i < n; i++)
		if (hits[i] == member)
			return true;
	return false;
}

static void
test_declines(void **state)
{
	static const char *const declined[] = {
		"(?=a)b", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\1", "(?<n>a)\\k<n>", "(a)\\g1",
		"(?>ab)c", "a++b", "a*+", "a?+b", "(?m)^a", "(?m:a$)",
		"\\p{L}", "\\X", "\\R", "\\h", "\\K", "\\N", "(*ANY)a", "(?i)\xc3\xa9",
		"(?i:\xc3\xa9)", "[[:alpha:]]", "[\xc3\xa9]", "a{,3}", "a{2", "x{1001}", "a$\\n",
		"a$[\\s]", "a\\Z\\n?", "(?R)", "(a)(?1)", "(?(1)a|b)", "(?C1)a", "(?P=n)", "\\0",
		"\\cA", "\\Ga", "\\e\\d\\w\\z\\Ka",
		/* ^ after an end anchor: both hold on an empty line, which the model cannot see. */
		"$^", "\\z^", "\\Z\\A", "(?:a$|b)^c", "(?:$)+^",
		/*
		 * \b is decided when the next byte is read: not before ^ (read
		 * before the first byte) nor after an end anchor.
		 */
		"\\b^a", "(?:\\B|x)^a", "a$\\b", "a\\z\\B", "(?:a\\Z)+\\b",
		/* Start-of-pattern options that widen what PCRE2 matches, or unknown ones. */
		"(*UCP)\\d", "(*NO_JIT)(*CRLF)a$", "(*BSR_UNICODE)a", "(*BOGUS)a", "a(*NO_JIT)b",
		/* Nested counted repeats of an empty group: no node, but unbounded work. */
		"(?:(?:(?:(?:){1000}){1000}){1000}){1000}",
	};
	static const char *const accepted[] = {
		"^\\d+\\.\\d+\\.\\d+\\.\\d+ [^ ]+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^ ]+ [^\"]+\" 5\\d\\d \\d{7,}",
		"^[A-Z][a-z]{2} +\\d+ [\\d:]+ [^ ]+ [a-z]+\\[\\d+\\]: [^ ]+ \\d{11}$",
		"foo|bar", "(?i)Kelvin", "(?<name>a+)b", "(?P<n>x)", "(?'n'x)", "x{2,5}y", "a$",
		"\\Aabc\\z", "(?:a|b)*c", "\xc3\xa9+", "\\x{263A}", "[^\xc3\xa9]", "(?#c)a", "a.*?b",
		"(?s)a.b", "(?|(a)|(b))", "a{3}", "[\\d\\-x]", "[]a]", "[^]a]", "\\t\\x41\\x{41}",
		"(?i)[a-z]+", "(?-i)a(?i)b", "a$$", "^^a", "(a$)|b", "a\\Z", "a$(?:)", "", "()",
		"\\bword", "a\\B", "^\\ba\\b$", "\\b\\B", "(?:\\b)*x", "[\\b]",
		/* Read by the front end into plain nodes. */
		"\\Qa.b\\E", "\\Qa+\\E+", "(?x)a b # c\n", "(?m)a", "[^\\D]",
		/* Options that only limit or tune PCRE2 (each pattern's own). */
		"(*UTF)a", "(*NO_JIT)(*LIMIT_MATCH=10)(*LIMIT_HEAP=1)ab+", "(*NOTEMPTY)a*",
		"(*NO_START_OPT)(*NO_AUTO_POSSESS)(*NO_DOTSTAR_ANCHOR)x.*y",
	};
	(void)state;

	for (size_t i = 0; i < sizeof declined / sizeof *declined; i++) {
		struct fw_dfa *d = fw_dfa_new();

		assert_non_null(d);
		if (add_pattern(d, declined[i], strlen(declined[i]), false) != -ENOTSUP)
			fail_msg("accepted %s", declined[i]);
		assert_int_equal(fw_dfa_size(d), 0);
		fw_dfa_free(d);
	}
	struct fw_dfa *d = fw_dfa_new();

	for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++) {
		if (add_pattern(d, accepted[i], strlen(accepted[i]), false) != 0)
			fail_msg("declined %s", accepted[i]);
		assert_int_equal(fw_dfa_size(d), i + 1);
	}
	/* A declined pattern between two accepted ones leaves no trace. */
	assert_int_equal(add_pattern(d, "(?=x)", 5, false), -ENOTSUP);
	assert_int_equal(fw_dfa_size(d), sizeof accepted / sizeof *accepted);
	assert_int_equal(fw_dfa_finish(d), 0);
	assert_int_equal(add_pattern(d, "a", 1, false), -EINVAL);
	fw_dfa_free(d);
}

struct exact {
	const char *pattern;
	bool caseless;
	const char *line;
	size_t len;             /* 0: strlen(line) */
	bool hit;
};

/* Cases where the model is exact: the DFA must say what PCRE2 says. */
static void
test_exact(void **state)
{
	static const struct exact cases[] = {
		{ "^abc", false, "abc", 0, true },
		{ "^abc", false, "xabc", 0, false },
		{ "(*NO_JIT)^abc", false, "abc", 0, true },
		{ "(*NO_JIT)^abc", false, "xabc", 0, false },
		{ "abc", false, "xxabcxx", 0, true },
		{ "abc$", false, "xabc", 0, true },
		{ "abc$", false, "abc\n", 0, true },
		{ "abc$", false, "abcd", 0, false },
		{ "abc$", false, "abc\n\n", 0, false },
		{ "abc\\z", false, "abc\n", 0, false },
		{ "^$", false, "", 0, true },
		{ "^$", false, "a", 0, false },
		{ "a^b", false, "ab", 0, false },
		{ "a$b", false, "ab", 0, false },
		{ "^^a$$", false, "a", 0, true },
		{ "(?:^|x)ab", false, "ab", 0, true },
		{ "(?:^|x)ab", false, "yab", 0, false },
		{ "(?:^|x)ab", false, "yxab", 0, true },
		{ "abc", true, "xABCx", 0, true },
		{ "abc", false, "xABCx", 0, false },
		{ "(?i)a(?-i)b", false, "Ab", 0, true },
		{ "(?i)a(?-i)b", false, "AB", 0, false },
		{ "(a(?i)b|c)", false, "C", 0, true },
		{ "x(?i:y)z", false, "xYz", 0, true },
		{ "x(?i:y)z", false, "xYZ", 0, false },
		{ "\\d{3}", false, "a12b", 0, false },
		{ "\\d{3}", false, "a123b", 0, true },
		{ "^\\d{2,3}$", false, "1234", 0, false },
		{ "^\\d{2,3}$", false, "123", 0, true },
		{ "^\\d{2,}$", false, "1", 0, false },
		{ "^\\d{2,}$", false, "12345", 0, true },
		{ "^a{0}b", false, "b", 0, true },
		{ "[^ ]+ x", false, "ab x", 0, true },
		{ "[^ ]+ x", false, " x", 0, false },
		{ "[a-c]+-", false, "cab-", 0, true },
		{ "[a-c]+-", false, "d-", 0, false },
		{ "[]x]", false, "]", 0, true },
		{ "[\\d:]+z", false, "12:30z", 0, true },
		{ "\\s\\w", false, "\t_", 0, true },
		{ "\\s\\w", false, "\t-", 0, false },
		{ "a\\x00b", false, "a\0b", 3, true },
		{ "\xc3\xa9t\xc3\xa9", false, "\xc3\xa9t\xc3\xa9", 0, true },
		{ "\xc3\xa9t\xc3\xa9", false, "et\xc3\xa9", 0, false },
		{ "\\x{e9}", false, "\xc3\xa9", 0, true },
		{ "foo|bar|baz", false, "xbaz", 0, true },
		{ "foo|bar|baz", false, "xba", 0, false },
		{ "\\Qa.b\\E", false, "a.b", 0, true },
		{ "\\Qa.b\\E", false, "axb", 0, false },
		{ "^\\Qab\\E+$", false, "abbb", 0, true },
		{ "^\\Qab\\E+$", false, "abab", 0, false },
		{ "(?x) a b # c\n c", false, "abc", 0, true },
		{ "(?x) a b # c\n c", false, "a b c", 0, false },
		{ "^[^\\D]+x", false, "123x", 0, true },
		{ "^[^\\D]+x", false, "1\xc3\xa9" "x", 0, false },
		/* UTF-8 and Unicode folding: caseless k matches KELVIN SIGN (widened model). */
		{ "(?i)k", false, "\xe2\x84\xaa", 0, true },
		{ "a.b", false, "a\xc3\xa9" "b", 0, true },
		{ "a[^x]b", false, "a\xe2\x84\xaa" "b", 0, true },
		{ "a\\Db", false, "a\xf0\x9f\x98\x80" "b", 0, true },
		/*
		 * The interpreter ends the subject before an invalid UTF-8 sequence,
		 * so \Z also holds before a newline that precedes one.
		 */
		{ "a\\Z", false, "a\n\xff", 0, true },
		/* \b and \B: ASCII word bytes on either side; the line's ends are non-word. */
		{ "\\bcat\\b", false, "a cat.", 0, true },
		{ "\\bcat\\b", false, "cat", 0, true },
		{ "\\bcat\\b", false, "concat", 0, false },
		{ "\\bcat\\b", false, "cats", 0, false },
		{ "\\bcat\\b", false, "cat_", 0, false },
		{ "\\bcat\\b", false, "\xc3\xa9" "cat\xc3\xa9", 0, true },
		{ "\\Bcat", false, "concat", 0, true },
		{ "\\Bcat", false, "a cat", 0, false },
		{ "\\Bcat", false, "cat", 0, false },
		{ "x\\B", false, "x", 0, false },
		{ "-\\B", false, "-", 0, true },
		{ "\\B", false, "", 0, true },
		{ "\\b", false, "", 0, false },
		{ "\\b\\B", false, "ab", 0, false },
		{ "a\\b$", false, "a\n", 0, true },
		{ "a\\b$", false, "ab", 0, false },
		{ "^\\b\\d+\\b$", false, "123", 0, true },
		{ "^\\b\\d+\\b$", false, "12a", 0, false },
		{ "\\b[0-9a-f]{4}\\b.* \\d{3,}ms\\b", false, "id beef took 1234ms", 0, true },
		{ "\\b[0-9a-f]{4}\\b.* \\d{3,}ms\\b", false, "id xbeef took 1234ms", 0, false },
		{ "\\b[0-9a-f]{4}\\b.* \\d{3,}ms\\b", false, "id beef took 1234msx", 0, false },
		{ "(?:\\b|x)y", false, "ay", 0, false },
		{ "(?:\\b|x)y", false, "axy", 0, true },
		{ "(?:\\b|x)y", false, "a y", 0, true },
		{ "a\\Z", false, "a\n\xc3", 0, true },
		{ "(?:a\\Z)+", false, "aa\n\x80z", 0, true },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct exact *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->line);
		struct fw_dfa *d = fw_dfa_new();
		struct fw_dfa_runner *r;
		pcre2_code *code = pcre(c->pattern, c->caseless);

		assert_non_null(code);
		if (pcre_matches(code, c->line, len) != (int)c->hit)
			fail_msg("case %zu: PCRE2 disagrees with the table on /%s/", i, c->pattern);
		if (add_pattern(d, c->pattern, strlen(c->pattern), c->caseless) != 0)
			fail_msg("case %zu: declined /%s/", i, c->pattern);
		assert_int_equal(fw_dfa_finish(d), 0);
		r = fw_dfa_runner_new(d, 0);
		assert_non_null(r);
		if (dfa_hit(r, c->line, len, 0) != c->hit)
			fail_msg("case %zu: /%s/ on \"%s\": expected %s", i, c->pattern, c->line,
				 c->hit ? "a hit" : "no hit");
		/* The second scan runs on cached states: the same answer. */
		assert_int_equal(dfa_hit(r, c->line, len, 0), c->hit);
		fw_dfa_runner_free(r);
		fw_dfa_free(d);
		pcre2_code_free(code);
	}
}

/*
 * Members of one DFA share the interned set of each literal character,
 * case-sensitive and caseless apart (dfa_lower.c keeps the set of each
 * ASCII character once found): each member still hits exactly the lines
 * PCRE2 matches, whichever member first used the character.
 */
static void
test_shared_literals(void **state)
{
	static const struct {
		const char *pattern;
		bool caseless;
	} members[] = {
		{ "ab", false }, { "ab", true }, { "AB", false }, { "a(?i)b", false },
		{ "k", false }, { "(?i)k", false }, { "K", true }, { "s:1", true }, { "S:1", false },
	};
	static const char *const lines[] = {
		"ab", "AB", "aB", "Ab", "k", "K", "\xe2\x84\xaa", "s:1", "S:1", "\xc5\xbf:1", "x",
	};
	struct fw_dfa *d = fw_dfa_new();
	struct fw_dfa_runner *r;
	unsigned hits = 0;

	(void)state;
	assert_non_null(d);
	for (size_t i = 0; i < sizeof members / sizeof *members; i++)
		assert_int_equal(add_pattern(d, members[i].pattern, strlen(members[i].pattern),
					     members[i].caseless), 0);
	assert_int_equal(fw_dfa_finish(d), 0);
	r = fw_dfa_runner_new(d, 0);
	assert_non_null(r);
	for (size_t l = 0; l < sizeof lines / sizeof *lines; l++) {
		for (size_t i = 0; i < sizeof members / sizeof *members; i++) {
			pcre2_code *code = pcre(members[i].pattern, members[i].caseless);
			int want = pcre_matches(code, lines[l], strlen(lines[l]));

			bool hit = dfa_hit(r, lines[l], strlen(lines[l]), (uint32_t)i);
			bool ascii = true;

			for (const char *c = lines[l]; *c; c++)
				ascii &= (unsigned char)*c < 0x80;
			/* Exact on ASCII; caseless k and s are widened past it (never narrowed). */
			if (ascii ? hit != (want == 1) : want == 1 && !hit)
				fail_msg("/%s/%s on \"%s\": expected %s", members[i].pattern,
					 members[i].caseless ? "i" : "", lines[l], want ? "a hit" : "no hit");
			hits += want == 1;
			pcre2_code_free(code);
		}
	}
	assert_true(hits >= 15);        /* not vacuous */
	/* Only the caseless members take the Unicode partners of k and s. */
	assert_false(dfa_hit(r, "\xe2\x84\xaa", 3, 4));
	assert_true(dfa_hit(r, "\xe2\x84\xaa", 3, 5));
	assert_false(dfa_hit(r, "\xc5\xbf:1", 4, 8));
	fw_dfa_runner_free(r);
	fw_dfa_free(d);
}

/*
 * PCRE2 10.42's JIT decides \b and \B at the end of a subject that ends in
 * an invalid UTF-8 sequence on the byte that follows the subject in
 * memory ("\b" matches "\xff" when an 'a' follows). So after a byte >=
 * 0x80 at the end of the line, the DFA lets both hold; elsewhere it stays
 * exact.
 */
static void
test_wordb_line_end(void **state)
{
	static const struct exact cases[] = {
		{ "\\b", false, "\xff", 0, true },
		{ "\\b", false, "-\xc3\xa9", 0, true },
		{ "\\B", false, "a\xff", 0, true },
		{ "\\b", false, "\xc3\xa9-", 0, false },
		{ "\\b", false, "\xff-", 0, false },
		{ "x\\B", false, "x-", 0, false },
		{ "x\\B", false, "x\xc3-", 0, false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct exact *c = &cases[i];
		struct fw_dfa *d = fw_dfa_new();
		struct fw_dfa_runner *r;

		assert_int_equal(add_pattern(d, c->pattern, strlen(c->pattern), false), 0);
		assert_int_equal(fw_dfa_finish(d), 0);
		r = fw_dfa_runner_new(d, 0);
		assert_non_null(r);
		if (dfa_hit(r, c->line, strlen(c->line), 0) != c->hit)
			fail_msg("case %zu: /%s/: expected %s", i, c->pattern, c->hit ? "a hit" : "no hit");
		fw_dfa_runner_free(r);
		fw_dfa_free(d);
	}
}

/* This file's own seed: its generated cases (checksums printed) stay the same. */
static struct xorshift rng = { 0x9E3779B97F4A7C15u };

static uint32_t
rnd(uint32_t n)
{
	return xorshift_below(&rng, n);
}

struct buf {
	char s[512];
	size_t n;
};

static void
put(struct buf *b, const char *t)
{
	size_t n = strlen(t);

	if (b->n + n < sizeof b->s) {
		memcpy(b->s + b->n, t, n);
		b->n += n;
		b->s[b->n] = 0;
	}
}

static void gen_alt(struct buf *b, int depth);

static void
gen_atom(struct buf *b, int depth)
{
	static const char *const atoms[] = {
		"a", "b", "1", " ", "k", "S", ".", "\\d", "\\w", "\\s", "\\D", "\\S", "[ab]",
		"[^a ]", "[\\d ]", "[a-c1]", "\xc3\xa9", "\\x{e9}", "\\.", "-", "[^\xc3\xa9]", "\\n",
		"\\b", "\\B", "_",
	};
	static const char *const quants[] = {
		"", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,2}",
	};

	if (depth < 3 && rnd(6) == 0) {
		static const char *const opens[] = { "(", "(?:", "(?i:", "(?<g>" };

		put(b, opens[rnd(4)]);
		gen_alt(b, depth + 1);
		put(b, ")");
	} else {
		put(b, atoms[rnd(sizeof atoms / sizeof *atoms)]);
	}
	put(b, quants[rnd(sizeof quants / sizeof *quants)]);
}

static void
gen_alt(struct buf *b, int depth)
{
	unsigned branches = rnd(4) == 0 ? 2 + rnd(2) : 1;

	for (unsigned i = 0; i < branches; i++) {
		unsigned n = 1 + rnd(4);

		if (i)
			put(b, "|");
		if (rnd(8) == 0)
			put(b, "^");
		for (unsigned k = 0; k < n; k++)
			gen_atom(b, depth);
		if (rnd(8) == 0) {
			static const char *const ends[] = { "$", "\\z", "\\Z" };

			put(b, ends[rnd(3)]);
		}
	}
}

static void
gen_line(struct buf *b)
{
	static const char *const pieces[] = {
		"a", "b", "1", " ", "k", "K", "s", "S", "-", ".", "\n", "\xc3\xa9",
		"\xe2\x84\xaa", "\xc5\xbf", "\xff", "ab", "a1", "11", "  ", "\n\xff", "_",
	};
	unsigned n = rnd(14);

	b->n = 0;
	b->s[0] = 0;
	for (unsigned i = 0; i < n; i++)
		put(b, pieces[rnd(sizeof pieces / sizeof *pieces)]);
}

#define SET_SIZE 24
#define SETS 60
#define LINES 400

/*
 * Random sets of random patterns: whenever PCRE2 matches a line, the DFA
 * reports that member; a small cache (flushed again and again) answers as
 * the default one does.
 */
static void
test_superset_random(void **state)
{
	unsigned long matches = 0, lines = 0, exact = 0;
	uint64_t flushes = 0, cases = XORSHIFT_SUM_INIT;
	(void)state;

	for (int set = 0; set < SETS; set++) {
		struct fw_dfa *d = fw_dfa_new();
		pcre2_code *codes[SET_SIZE];
		char pats[SET_SIZE][512];
		uint32_t members = 0;
		struct fw_dfa_runner *big, *small;
		struct buf line;

		while (members < SET_SIZE) {
			struct buf p = { .n = 0 };
			bool ci = rnd(5) == 0;
			int rc;

			gen_alt(&p, 0);
			xorshift_sum(&cases, p.s, p.n + 1);
			xorshift_sum(&cases, ci ? "i" : "-", 1);
			codes[members] = pcre(p.s, ci);
			if (!codes[members])
				continue;       /* not valid PCRE2 (e.g. a quantified anchor) */
			rc = add_pattern(d, p.s, p.n, ci);
			if (rc == -ENOTSUP) {
				pcre2_code_free(codes[members]);
				continue;
			}
			assert_int_equal(rc, 0);
			memcpy(pats[members], p.s, p.n + 1);
			members++;
		}
		assert_int_equal(fw_dfa_finish(d), 0);
		big = fw_dfa_runner_new(d, 0);
		small = fw_dfa_runner_new(d, 1);       /* the smallest cache there is */
		assert_non_null(big);
		assert_non_null(small);
		for (int l = 0; l < LINES; l++) {
			int nb, ns;

			gen_line(&line);
			xorshift_sum(&cases, line.s, line.n + 1);
			nb = fw_dfa_scan(big, (const unsigned char *)line.s, line.n);
			assert_true(nb >= 0);
			uint32_t hb[SET_SIZE];

			memcpy(hb, fw_dfa_hits(big), (size_t)nb * sizeof *hb);
			ns = fw_dfa_scan(small, (const unsigned char *)line.s, line.n);
			assert_int_equal(ns, nb);
			for (int i = 0; i < nb; i++) {
				bool found = false;

				for (int j = 0; j < ns; j++)
					found |= fw_dfa_hits(small)[j] == hb[i];
				assert_true(found);
			}
			for (uint32_t m = 0; m < members; m++) {
				int pm = pcre_matches(codes[m], line.s, line.n);
				bool hit = false;

				if (pm < 0)
					continue;
				for (int i = 0; i < nb; i++)
					hit |= hb[i] == m;
				if (pm && !hit)
					fail_msg("/%s/ matches \"%s\" (%zu bytes) but the DFA missed it",
						 pats[m], line.s, line.n);
				matches += pm;
				exact += pm == (int)hit;
			}
			lines++;
		}
		flushes += fw_dfa_flush_count(small);
		fw_dfa_runner_free(big);
		fw_dfa_runner_free(small);
		for (uint32_t m = 0; m < members; m++)
			pcre2_code_free(codes[m]);
		fw_dfa_free(d);
	}
	/* The test means something only if lines did match and the cache did flush. */
	assert_true(matches > 1000);
	assert_true(flushes > 0);
	print_message("%lu lines, %lu matches, %.1f%% exact answers, %llu flushes; cases %016llx\n",
		      lines, matches, 100.0 * (double)exact / ((double)lines * SET_SIZE),
		      (unsigned long long)flushes, (unsigned long long)cases);
}

/*
 * "An a, then 14 more symbols": every position of a random a/b line is a
 * new state. The scan gives up, counts it, and skips the next line too.
 */
static void
test_gives_up(void **state)
{
	static const char pat[] = "(?:a|b)*a(?:a|b){14}";
	struct fw_dfa *d = fw_dfa_new();
	struct fw_dfa_runner *r;
	char *line = malloc(50000);
	uint64_t cases = XORSHIFT_SUM_INIT;
	(void)state;

	assert_non_null(line);
	for (size_t i = 0; i < 50000; i++)
		line[i] = rnd(2) ? 'a' : 'b';
	xorshift_sum(&cases, line, 50000);
	print_message("a/b line %016llx\n", (unsigned long long)cases);
	assert_int_equal(add_pattern(d, pat, strlen(pat), false), 0);
	assert_int_equal(fw_dfa_finish(d), 0);
	r = fw_dfa_runner_new(d, 64 * 1024);
	assert_non_null(r);
	assert_int_equal(fw_dfa_scan(r, (const unsigned char *)line, 50000), FW_DFA_GAVE_UP);
	assert_int_equal(fw_dfa_scan(r, (const unsigned char *)"a", 1), FW_DFA_GAVE_UP);
	assert_int_equal(fw_dfa_gave_up_count(r), 2);
	assert_true(fw_dfa_flush_count(r) > 0);
	/* After the back-off, short lines are scanned again. */
	assert_int_equal(fw_dfa_scan(r, (const unsigned char *)"b", 1), 0);
	assert_int_equal(fw_dfa_scan(r, (const unsigned char *)"abbbbbbbbbbbbbbbbb", 18), 1);
	fw_dfa_runner_free(r);
	fw_dfa_free(d);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declines),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_shared_literals),
		cmocka_unit_test(test_wordb_line_end),
		cmocka_unit_test(test_superset_random),
		cmocka_unit_test(test_gives_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
