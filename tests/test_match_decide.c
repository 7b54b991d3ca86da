/*
 * test_match_decide: captures taken later (match.h, fw_match_lazy_captures;
 * match_decide.c). Where each pattern is cut, and that a context taking
 * captures later finds the same records and patterns as one that does
 * not, with the same captures from fw_match_captures(): on hand-written
 * patterns and on the shipped KB's examples and counterexamples, with and
 * without JIT, for both engines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_engine.h"
#include "match/regex_parse.h"
#include "random_pattern.h"
#include "testutil.h"

/* The part of source before its cut, or "" when it is not cut. */
static const char *
kept(const char *source)
{
	static char buf[512];
	size_t cut = fw__match_decide_cut(source, false);

	assert_true(cut < sizeof buf);
	memcpy(buf, source, cut);
	buf[cut] = '\0';
	return buf;
}

/*
 * Where patterns are cut: before the optional items at their end, and
 * only there. Each row pins a pattern's kept part ("": not cut).
 */
static const struct {
	const char *source, *kept;
} cut_table[] = {
	{ "no live upstreams(?:, client: (?<client>[^,]+))?(?:, server: (?<s>[^,]*))?", "no live upstreams" },
	{ "upstream timed out \\(110: (?:Connection|Operation) timed out\\) while (?<phase>reading upstream|"
	  "sending request to upstream)(?:, client: (?<client>[^,]+))?(?:, request: \"(?<request>(?:[^\"]|\"(?!, "
	  "|$))*)\")?",
	  "upstream timed out \\(110: (?:Connection|Operation) timed out\\) while (?<phase>reading upstream|"
	  "sending request to upstream)" },
	{ "Bad file format reading the append only file(?: (?<file>\\S+))?",
	  "Bad file format reading the append only file" },
	{ "no alternative certificate subject name matches target host name(?: \\'(?<host>[^\\']+)\\')?",
	  "no alternative certificate subject name matches target host name" },
	{ "Renewal configuration file (?<path>\\S+) (?:is broken|produced an unexpected error: (?<error>.*?))\\.? "
	  "Skipping\\.?",
	  "Renewal configuration file (?<path>\\S+) (?:is broken|produced an unexpected error: (?<error>.*?))\\.? "
	  "Skipping" },
	{ "a(?<x>b)?c(?<y>d)?", "a(?<x>b)?c" },
	{ "abc d*", "abc " },
	{ "abc d*?", "abc " },
	{ "abc d*+", "abc " },
	{ "abc d??", "abc " },
	{ "abc (?:d)?+", "abc " },
	{ "abc (?:d){0,3}", "abc " },
	{ "abc (?:d){0,}", "abc " },
	{ "abc (?:d){0}", "abc " },
	{ "abc (?:d){00,2}", "abc " },
	{ "abc (?:d){0,3}?", "abc " },
	{ "abc [x\\]]*", "abc " },
	{ "abc [[:digit:])]?", "abc " },
	{ "abc [^]x]?", "abc " },
	{ "abc(?:\\)x)?", "abc" },
	{ "abc(?:[)]x)?", "abc" },
	{ "a\\x{30}?", "a" },
	{ "a\\d\\s?", "a\\d" },
	{ "a\\\\?", "a" },
	{ "a.b*", "a." },
	{ "a(?i)b(?:c)?", "a(?i)b" },
	{ "a(?i:b)(?:c)?", "a(?i:b)" },
	{ "a(?<n>b)\\k<n>(?:c)?", "a(?<n>b)\\k<n>" },
	{ "^abc(?:d)?", "^abc" },
	{ "\\babc\\b(?:d)?", "\\babc\\b" },
	{ "abc(?=d)(?:e)?", "abc(?=d)" },
	{ "abc(?:d)*(?:e)?", "abc" },
	{ "abc(?:d)?e(?:f)?", "abc(?:d)?e" },
	{ "é(?:ü)?", "é" },
	/* Nested optional groups go as one item. */
	{ "abc(?:d(?:e)?)?", "abc" },
	{ "abc(?:(?:d)?e)?", "abc" },
	{ "a(?:b(?:c)?)(?:d)?", "a(?:b(?:c)?)" },
	/* Nothing optional at the end, or nothing before it: no cut. */
	{ "abc", "" },
	{ "abc(?:d)+", "" },
	{ "abc(?:d){1,3}", "" },
	{ "abc(?:d){1}", "" },
	{ "abc(?:d)?$", "" },
	{ "abc(?=d)", "" },
	{ "abc\\{0}", "" },
	{ "abc{,2}", "" },
	{ "(?:abc)?", "" },
	{ "a?b?", "" },
	{ "", "" },
	/* What a cut could change: never cut. */
	{ "abc|def(?:g)?", "" },
	{ "(?:abc|def)(?:g)?|x", "" },
	{ "abc(?:(*COMMIT)x)?", "" },
	{ "(*NO_JIT)abc(?:d)?", "" },
	{ "(*LIMIT_MATCH=10)abc(?:d)?", "" },
	{ "abc(?:d", "" },
	{ "abc[d", "" },
	{ "abc)(?:d)?", "" },
	{ "abc(?:d)?)", "" },
	{ "*abc(?:d)?", "" },
	{ "abc(?:d)?{2}", "" },
	/*
	 * Escapes of more than two bytes, quotation, comments and (?x): the
	 * front end reads them whole, and the kept part ends with an item.
	 */
	{ "code=\\x41?", "code=" },
	{ "code=\\x4?", "code=" },
	{ "code=\\pL?", "code=" },
	{ "code=\\Qab\\E?", "code=\\Qa" },
	{ "abc\\Q(\\E(?:d)?", "abc\\Q(\\E" },
	{ "abc\\Q(\\E\\Qd\\E*", "abc\\Q(\\E" },
	{ "(?x)abc (?:d)?", "(?x)abc " },
	{ "(?x)abc # (?:d)?", "" },
	{ "(?x)abc # d\n(?:e)?", "(?x)abc # d\n" },
	{ "a(?#()b(?:c)?", "a(?#()b" },
	{ "abc\\(*", "abc" },
	/* Escapes the front end declines (octal, \c): not cut. */
	{ "code=\\012?", "" },
	{ "code=\\0?", "" },
	{ "code=\\cA?", "" },
	{ "code=\\o{101}?", "" },
	{ "(?:a)(?:b)(?:c)(?:d)(?:e)(?:f)(?:g)(?:h)(?:i)(?:j)\\10(?:k)?", "" },
};

static void
test_cut(void **state)
{
	int wrong = 0;

	(void)state;
	for (size_t i = 0; i < TU_N(cut_table); i++) {
		const char *k = kept(cut_table[i].source);

		if (strcmp(k, cut_table[i].kept) != 0) {
			print_error("%s: kept \"%s\", not \"%s\"\n", cut_table[i].source, k, cut_table[i].kept);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	/* The whole pattern's case applies to the kept part too. */
	assert_int_equal(fw__match_decide_cut("abc(?:d)?", true), 3);
}

/*
 * Whether the kept part of source parses into the source's own items up
 * to a run of optional items (repeats of minimum 0) that ends the source
 * and is not empty: what makes K decide for K T.
 */
static bool
cut_holds(const char *source, bool caseless)
{
	size_t cut = fw__match_decide_cut(source, caseless);
	struct fw_regex whole, kept_rx;
	uint32_t x, y;
	bool same;

	assert_int_equal(fw_regex_parse(&whole, source, strlen(source), caseless), 0);
	assert_int_equal(fw_regex_parse(&kept_rx, source, cut, caseless), 0);
	x = fw_regex_items(&whole);
	y = fw_regex_items(&kept_rx);
	while (x != FW_RX_NONE && y != FW_RX_NONE && fw_regex_same_nodes(&whole, x, &kept_rx, y, false)) {
		x = whole.nodes[x].next;
		y = kept_rx.nodes[y].next;
	}
	same = y == FW_RX_NONE && x != FW_RX_NONE;
	for (; same && x != FW_RX_NONE; x = whole.nodes[x].next)
		same = whole.nodes[x].kind == FW_RX_REPEAT && whole.nodes[x].min == 0;
	fw_regex_free(&whole);
	fw_regex_free(&kept_rx);
	return same;
}

/* Every cut, of the table and of the shipped KB, keeps the items before the optional end. */
static void
test_cut_keeps_items(void **state)
{
	const char *paths[] = { tu_fmt("%s/data/kb", tu_srcdir()) };
	struct fw_kb *kb = tu_kb_load(paths, 1, false);
	uint32_t n_cut = 0;

	(void)state;
	for (size_t i = 0; i < TU_N(cut_table); i++) {
		if (*cut_table[i].kept && !cut_holds(cut_table[i].source, false))
			fail_msg("%s: the kept part is not the items before its optional end", cut_table[i].source);
	}
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];

		if (fw__match_decide_cut(pat->source, pat->caseless) == 0)
			continue;
		n_cut++;
		if (!cut_holds(pat->source, pat->caseless))
			fail_msg("%s: the kept part is not the items before its optional end", pat->source);
	}
	/* Not vacuous: the nginx records alone are dozens. */
	assert_true(n_cut >= 50);
	fw_kb_free(kb);
}

/*
 * Random patterns (fixed seed) that end in optional items after escapes,
 * quotations, comments, classes and groups: every cut keeps the items
 * before the optional end, and the kept part compiles.
 */
static void
test_cut_random(void **state)
{
	static const char *const words[] = {
		"code=", "abc", "x", "caf\xc3\xa9", " ", "\\\\", "\\x41", "\\x{e9}", "\\pL", "\\p{Lu}", "\\d",
		"\\Qa(b\\E", "\\Q?\\E", "[\\]x]", "[]y]", "[^]z]", "[[:digit:])]", "(?#c?)",
	};
	static const char *const pieces[] = {
		"(?:d)?", "(?<n>e)?", "f*", "[g-h]*?", "(?:i|j)?+", "(?:k){0,2}", "\\x41?", "\\Qm\\E?",
		"(?:n(?:o)?)?", "(?i)", "(?x) p ", "(?-x)", "\\b", "(q)", "r+", "\\w{2}",
	};
	static const struct random_vocab v = {
		words, sizeof words / sizeof *words, pieces, sizeof pieces / sizeof *pieces, NULL, 0,
	};
	struct xorshift x = { 0xC07u };
	uint32_t n_cut = 0;
	char pat[256];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		size_t cut;
		pcre2_code *k;
		PCRE2_SIZE off;
		int err;

		random_pattern(&x, &v, pat, sizeof pat);
		if (!random_pattern_compiles(pat, false) || (cut = fw__match_decide_cut(pat, false)) == 0)
			continue;
		n_cut++;
		if (!cut_holds(pat, false))
			fail_msg("%s: the kept part is not the items before its optional end", pat);
		/* No references in these patterns: the kept part compiles on its own. */
		k = pcre2_compile((PCRE2_SPTR)pat, cut, PCRE2_UTF, &err, &off, NULL);
		pcre2_code_free(k);
		if (!k)
			fail_msg("%s: the kept part does not compile (%d at %zu)", pat, err, (size_t)off);
	}
	print_message("random patterns: %u cut\n", n_cut);
	assert_true(n_cut >= 2000);
}

/*
 * Escapes of more than two bytes, quoting, (?x) and classes: the kept
 * part is either the source before the optional item or nothing, never a
 * cut inside an escape ("code=\x41?" kept as "code=\x4" would want a
 * 0x04 byte where the pattern wants none). Each row states which: nothing
 * where the front end declines the pattern (octal escapes, \o, \N, \c, a
 * lone \E; match_decide.c).
 */
static void
test_cut_escapes(void **state)
{
	static const struct {
		const char *source, *kept;
	} cases[] = {
		{ "code=\\x41?", "code=" },
		{ "code=\\x4?", "code=" },
		{ "code=\\x4x?", "code=\\x4" },
		{ "code=\\012?", "" },
		{ "code=\\01?", "" },
		{ "code=\\0?", "" },
		{ "code=\\101?", "" },
		{ "code=\\x{41}?", "code=" },
		{ "code=\\x{4}1?", "code=\\x{4}" },
		{ "code=\\o{101}?", "" },
		{ "code=\\N{U+41}?", "" },
		{ "code=\\p{Lu}?", "code=" },
		{ "code=\\pL?", "code=" },
		{ "code=\\cA?", "" },
		{ "code=\\Qab\\E?", "code=\\Qa" },
		{ "code=\\Qa(b\\E(?:c)?", "code=\\Qa(b\\E" },
		{ "code=\\E(?:c)?", "" },
		{ "(?x)code = (?:c)?", "(?x)code = " },
		{ "(?x)code = # (?:c)?", "" },
		{ "(?x)code = # x\n(?:c)?", "(?x)code = # x\n" },
		{ "(?x)code \\  (?:c)?", "(?x)code \\  " },
		{ "code(?#c?)x(?:d)?", "code(?#c?)x" },
		{ "code[\\]x]y?", "code[\\]x]" },
		{ "code[]x]y?", "code[]x]" },
		{ "code[^]x]?", "code" },
		{ "code[\\]]?", "code" },
		{ "code(?:[)]\\)(?:x)?)?", "code" },
		{ "code(?:a(?:b(?:c)?)?)?", "code" },
	};

	int wrong = 0;

	(void)state;
	for (size_t i = 0; i < TU_N(cases); i++) {
		const char *k = kept(cases[i].source);

		if (strcmp(k, cases[i].kept) != 0) {
			print_error("%s: kept \"%s\", not \"%s\"\n", cases[i].source, k, cases[i].kept);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
	/* The common escapes still leave a cut. */
	assert_string_equal(kept("code=\\x{41}?"), "code=");
	assert_string_equal(kept("code=\\p{Lu}?"), "code=");
}

/* Each test runs for every engine, with and without JIT. */
struct variant {
	enum fw_match_engine engine;
	bool no_jit;
};

/*
 * Matches the line with both contexts; asserts the same hits, and that
 * the captures taken later equal the captures taken at once. The number
 * of hits whose captures were taken later.
 */
static uint32_t
compare(const struct fw_kb *kb, struct fw_match_ctx *now, struct fw_match_ctx *later, const char *line,
	size_t len)
{
	struct fw_match_result a, b;
	struct fw_capture caps[64];
	uint32_t n_later = 0;

	fw_match_line(now, line, len, NULL, &a);
	fw_match_line(later, line, len, NULL, &b);
	assert_int_equal(a.n_hits, b.n_hits);
	for (uint32_t i = 0; i < a.n_hits; i++) {
		const struct fw_hit *x = &a.hits[i], *y = &b.hits[i];
		int n;

		assert_int_equal(x->record, y->record);
		assert_int_equal(x->pattern, y->pattern);
		assert_false(x->captures_later);
		if (!y->captures_later) {
			assert_int_equal(x->n_captures, y->n_captures);
			continue;
		}
		n_later++;
		assert_true(kb->patterns[y->pattern].n_names <= TU_N(caps));
		n = fw_match_captures(later, y->pattern, line, len, caps, TU_N(caps));
		assert_int_equal(n, (int)x->n_captures);
		for (int c = 0; c < n; c++) {
			const struct fw_capture *want = &a.captures[x->first_capture + c];

			assert_string_equal(caps[c].name, want->name);
			assert_int_equal(caps[c].offset, want->offset);
			assert_int_equal(caps[c].length, want->length);
		}
	}
	return n_later;
}

static void
open_pair(const struct fw_kb *kb, enum fw_match_engine engine, struct fw_matcher **m,
	  struct fw_match_ctx **now, struct fw_match_ctx **later)
{
	assert_int_equal(fw_matcher_new(kb, engine, m, NULL), 0);
	*now = fw_match_ctx_new(*m);
	*later = fw_match_ctx_new(*m);
	assert_non_null(*now);
	assert_non_null(*later);
	assert_int_equal(fw_match_lazy_captures(*later, true), 0);
}

static void
close_pair(struct fw_matcher *m, struct fw_match_ctx *now, struct fw_match_ctx *later)
{
	fw_match_ctx_free(now);
	fw_match_ctx_free(later);
	fw_matcher_free(m);
}

static const char *const small_kb[] = {
	"{'id':'t/tail','signature':'S','regex':'conn (?<id>\\\\d+) failed(?:, client: (?<client>[^,]+))?(?:, host: \\u0022(?<host>[^\\u0022]*)\\u0022)?'}",
	"{'id':'t/back','signature':'S','regex':'(?<w>\\\\w+) again(?: \\\\k<w>)?'}",
	"{'id':'t/two','signature':'S','regex':'never here','regexes':['also (?<a>x)?(?<b>y)*']}",
	"{'id':'t/plain','signature':'S','regex':'plain (?<p>\\\\d+)'}",
	"{'id':'t/caseless','signature':'S','regex':'shout(?<s>!+)?','flags':'i'}",
};

static const char *const small_lines[] = {
	"conn 12 failed",
	"conn 12 failed, client: 10.0.0.1",
	"conn 12 failed, client: 10.0.0.1, host: \"a.example\"",
	"conn 12 failed, host: \"only\"",
	"x conn 7 failed, client: , host: \"\"",
	"word again word",
	"word again other",
	"also",
	"also xyyy",
	"also yy",
	"plain 3",
	"SHOUT!!! and conn 1 failed, client: c",
	"nothing",
	"",
};

static void
test_same_results_small(void **state)
{
	const struct variant *v = *state;
	struct fw_kb *kb = tu_kb_from_lines("kb/t.jsonl", small_kb, TU_N(small_kb), v->no_jit);
	struct fw_matcher *m;
	struct fw_match_ctx *now, *later;
	uint32_t n_later = 0;

	open_pair(kb, v->engine, &m, &now, &later);
	for (size_t i = 0; i < TU_N(small_lines); i++)
		n_later += compare(kb, now, later, small_lines[i], strlen(small_lines[i]));
	/* Not vacuous: most of those hits were decided without their captures. */
	assert_true(n_later >= 10);
	/* A pattern with no optional end keeps its captures in the result. */
	{
		struct fw_match_result r;

		assert_int_equal(fw_match_line(later, "plain 3", 7, NULL, &r), 1);
		assert_false(r.hits[0].captures_later);
		assert_int_equal(r.hits[0].n_captures, 1);
	}
	/* Turned off, the context takes captures at once again. */
	{
		struct fw_match_result r;

		assert_int_equal(fw_match_lazy_captures(later, false), 0);
		assert_int_equal(fw_match_line(later, "conn 1 failed, client: c", 24, NULL, &r), 1);
		assert_false(r.hits[0].captures_later);
		assert_int_equal(r.hits[0].n_captures, 2);
	}
	close_pair(m, now, later);
	fw_kb_free(kb);
}

/* A record whose optional end holds an escape, quoting or (?x) matches as it does with its captures. */
static const char *const escape_kb[] = {
	"{'id':'t/hexa','signature':'S','regex':'hexa=(?<c>\\\\d+)\\\\x41?'}",
	"{'id':'t/hexb','signature':'S','regex':'hexb=(?<c>\\\\d+)\\\\x4?'}",
	"{'id':'t/hexc','signature':'S','regex':'hexc=(?<c>\\\\d+)\\\\x{41}?'}",
	"{'id':'t/octa','signature':'S','regex':'octa=(?<c>\\\\d+)\\\\012?'}",
	"{'id':'t/octb','signature':'S','regex':'octb=(?<c>\\\\d+)\\\\01?'}",
	"{'id':'t/octc','signature':'S','regex':'octc=(?<c>\\\\d+)\\\\101?'}",
	"{'id':'t/octd','signature':'S','regex':'octd=(?<c>\\\\d+)\\\\o{101}?'}",
	"{'id':'t/name','signature':'S','regex':'name=(?<c>\\\\d+)\\\\N{U+41}?'}",
	"{'id':'t/prop','signature':'S','regex':'prop=(?<c>\\\\d+)\\\\p{Lu}?'}",
	"{'id':'t/ctrl','signature':'S','regex':'ctrl=(?<c>\\\\d+)\\\\cA?'}",
	"{'id':'t/quot','signature':'S','regex':'quot=(?<c>\\\\d+)\\\\Qa?\\\\E?'}",
	"{'id':'t/extd','signature':'S','regex':'(?x) extd = (?<c>\\\\d+) (?:\\\\ tail)? # note'}",
	"{'id':'t/cls','signature':'S','regex':'cls=(?<c>\\\\d+)[\\\\]x]?'}",
	"{'id':'t/clt','signature':'S','regex':'clt=(?<c>\\\\d+)[]y]?'}",
	"{'id':'t/nest','signature':'S','regex':'nest=(?<c>\\\\d+)(?:a(?:b)?)?'}",
};

static const char *const escape_lines[] = {
	"hexa=42", "hexa=42A", "hexb=1", "hexc=2", "hexc=2A", "octa=3", "octb=4", "octc=5", "octc=5A",
	"octd=6", "name=7", "name=7A", "prop=8", "prop=8Z", "ctrl=9", "quot=10a", "quot=10a?", "extd=11",
	"extd=11 tail", "cls=12", "cls=12]", "clt=13y", "nest=14ab",
};

static void
test_same_results_escapes(void **state)
{
	const struct variant *v = *state;
	struct fw_kb *kb = tu_kb_from_lines("kb/t.jsonl", escape_kb, TU_N(escape_kb), v->no_jit);
	struct fw_matcher *m;
	struct fw_match_ctx *now, *later;
	uint32_t n_later = 0;

	open_pair(kb, v->engine, &m, &now, &later);
	for (size_t i = 0; i < TU_N(escape_lines); i++) {
		const char *line = escape_lines[i];
		struct fw_match_result r;

		/* Each line is one record's: the comparison is not between two misses. */
		if (fw_match_line(now, line, strlen(line), NULL, &r) != 1)
			fail_msg("%s: not one record", line);
		n_later += compare(kb, now, later, line, strlen(line));
	}
	/* Those whose kept part is sure are still decided without their captures. */
	assert_true(n_later >= 5);
	close_pair(m, now, later);
	fw_kb_free(kb);
}

static void
compare_list(const struct fw_kb *kb, struct fw_match_ctx *now, struct fw_match_ctx *later,
	     const struct fw_strlist *l, uint32_t *n_later)
{
	for (size_t i = 0; i < l->n; i++)
		*n_later += compare(kb, now, later, l->items[i], strlen(l->items[i]));
}

/* The shipped KB on its records' examples and counterexamples. */
static void
test_same_results_shipped_kb(void **state)
{
	const struct variant *v = *state;
	const char *paths[] = { tu_fmt("%s/data/kb", tu_srcdir()) };
	struct fw_kb *kb = tu_kb_load(paths, 1, v->no_jit);
	struct fw_matcher *m;
	struct fw_match_ctx *now, *later;
	uint32_t n_later = 0;

	open_pair(kb, v->engine, &m, &now, &later);
	for (uint32_t r = 0; r < kb->n_records; r++) {
		compare_list(kb, now, later, &kb->records[r].examples, &n_later);
		compare_list(kb, now, later, &kb->records[r].counterexamples, &n_later);
	}
	/* The nginx records alone give hundreds. */
	assert_true(n_later >= 100);
	close_pair(m, now, later);
	fw_kb_free(kb);
}

/*
 * Records whose part before the optional end is one literal: the fast
 * engine decides them from the prefilter's finding (fast.decide_lit),
 * the others from PCRE2; the hits are the same. A caseless part, a part
 * with a class, and a literal that is not all ASCII keep PCRE2.
 */
static const char *const literal_kb[] = {
	"{'id':'t/live','signature':'S','regex':'no live peers while connecting(?:, client: (?<client>[^,]+))?(?:, host: (?<host>\\\\S+))?'}",
	"{'id':'t/paren','signature':'S','regex':'closed \\\\(104: reset\\\\) by peer(?: (?<rest>.*))?'}",
	"{'id':'t/loud','signature':'S','regex':'loud peers here(?: (?<n>\\\\d+))?','flags':'i'}",
	"{'id':'t/class','signature':'S','regex':'peer [0-9] gone(?: (?<why>\\\\w+))?'}",
	"{'id':'t/utf','signature':'S','regex':'caf\u00e9 peers closed(?: (?<who>\\\\w+))?'}",
};

static const char *const literal_lines[] = {
	"no live peers while connecting",
	"x no live peers while connecting, client: 10.0.0.1, host: a.example",
	"no live peers while connecting, host: b",
	"no live peers while connectin",
	"no live peers while connecting no live peers while connecting, client: c",
	"closed (104: reset) by peer now and then",
	"closed (104: reset) by peer",
	"closed (104 reset) by peer",
	"LOUD PEERS HERE 12",
	"peer 7 gone away",
	"caf\xc3\xa9 peers closed bob",
	"\xff\xfeno live peers while connecting, client: \xc3",
	"no live peers while connecting\xe4, client: d",
	"",
};

static void
test_same_results_literal(void **state)
{
	const struct variant *v = *state;
	struct fw_kb *kb = tu_kb_from_lines("kb/t.jsonl", literal_kb, TU_N(literal_kb), v->no_jit);
	struct fw_matcher *m;
	struct fw_match_ctx *now, *later;
	struct fw_kb_jit_stats js;
	uint32_t n_later = 0;

	assert_int_equal(fw_matcher_new(kb, v->engine, &m, NULL), 0);
	later = fw_match_ctx_new(m);
	assert_non_null(later);
	assert_int_equal(fw_match_lazy_captures(later, true), 0);
	/* Before any other context confirms them: a literal decided without PCRE2 is not JIT-compiled. */
	for (size_t i = 0; i < TU_N(literal_lines); i++) {
		struct fw_match_result r;

		fw_match_line(later, literal_lines[i], strlen(literal_lines[i]), NULL, &r);
	}
	fw_kb_jit_stats(kb, &js);
	if (v->engine == FW_ENGINE_FAST && !v->no_jit)
		assert_true(js.pending >= 2);   /* t/live and t/paren, not vacuous */
	now = fw_match_ctx_new(m);
	assert_non_null(now);
	for (size_t i = 0; i < TU_N(literal_lines); i++)
		n_later += compare(kb, now, later, literal_lines[i], strlen(literal_lines[i]));
	assert_true(n_later >= 8);
	close_pair(m, now, later);
	fw_kb_free(kb);
}

static const struct variant variants[] = {
	{ FW_ENGINE_REFERENCE, false },
	{ FW_ENGINE_REFERENCE, true },
	{ FW_ENGINE_FAST, false },
	{ FW_ENGINE_FAST, true },
};

#define EACH(fn) \
	cmocka_unit_test_prestate_setup_teardown(fn, tu_setup, tu_teardown, (void *)&variants[0]), \
	cmocka_unit_test_prestate_setup_teardown(fn, tu_setup, tu_teardown, (void *)&variants[1]), \
	cmocka_unit_test_prestate_setup_teardown(fn, tu_setup, tu_teardown, (void *)&variants[2]), \
	cmocka_unit_test_prestate_setup_teardown(fn, tu_setup, tu_teardown, (void *)&variants[3])

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_cut_escapes),
		cmocka_unit_test_setup_teardown(test_cut_keeps_items, tu_setup, tu_teardown),
		cmocka_unit_test(test_cut_random),
		EACH(test_same_results_small),
		EACH(test_same_results_literal),
		EACH(test_same_results_escapes),
		EACH(test_same_results_shipped_kb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
