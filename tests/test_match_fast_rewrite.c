/*
 * test_match_fast_rewrite: the source rewrites of the interpreted
 * confirmations (match_fast_rewrite.c). Each row pins what a pattern gets:
 * its lazy source (a greedy run before a literal made lazy) and its split
 * (the head the confirmation steps over itself, and the rest it runs as
 * code of its own), or none. Every split is also held to what it must
 * mean: the head parses alone into the pattern's first items, and the
 * rest alone into the items after them; every lazy source parses into
 * the pattern's tree with one greedy repeat made lazy. The same holds on
 * random patterns of a fixed seed. Lazy and split patterns whose runs
 * and heads sit next to escapes, quotations, comments, (?x) and (?U)
 * match lines exactly as the reference engine does.
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

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kb/kb.h"
#include "match/match_engine.h"
#include "match/match_fast_int.h"
#include "match/regex_parse.h"
#include "match_pair.h"
#include "random_pattern.h"

struct rewrite {
	char lazy[512];         /* the lazy source; "" for none */
	char split[512];        /* head "|" rest; "" for none */
	size_t cut;
	uint32_t k;             /* items in the head */
};

static void
rewrites(const char *source, bool caseless, struct rewrite *out)
{
	struct fw_pattern pat = { .source = source, .caseless = caseless };
	uint32_t opts = PCRE2_NEVER_BACKSLASH_C | (caseless ? PCRE2_CASELESS : 0);
	struct fp_starts st;
	struct fp_lazy lazy;
	struct fp_split split;
	struct fw_regex rx;

	memset(out, 0, sizeof *out);
	if (fw_regex_parse(&rx, source, strlen(source), caseless) != 0) {
		fw_regex_free(&rx);
		return;
	}
	assert_int_equal(fw__fast_start_rule(&pat, &rx, &st), 0);
	assert_int_equal(fw__fast_lazy_rule(&pat, &rx, opts, &lazy), 0);
	assert_int_equal(fw__fast_split_rule(&pat, &rx, &st, opts, &split), 0);
	if (lazy.code) {
		assert_true(strlen(lazy.source) < sizeof out->lazy);
		strcpy(out->lazy, lazy.source);
	}
	if (split.code) {
		assert_true(split.cut <= strlen(source) && strlen(source) + 2 < sizeof out->split);
		snprintf(out->split, sizeof out->split, "%.*s|%s", (int)split.cut, source, source + split.cut);
		out->cut = split.cut;
		out->k = split.run ? 3 : 1;
	}
	pcre2_code_free(lazy.code);
	free(lazy.source);
	free(lazy.lit);
	pcre2_code_free(split.code);
	free(split.lit);
	free(st.lit);
	fw_regex_free(&rx);
}

/* The head parses alone into the pattern's first k items, the rest alone into the items after them. */
static void
assert_split_means(const char *source, bool caseless, size_t cut, uint32_t k)
{
	struct fw_regex rx, a, b;
	uint32_t x, y, z;

	assert_int_equal(fw_regex_parse(&rx, source, strlen(source), caseless), 0);
	assert_int_equal(fw_regex_parse(&a, source, cut, caseless), 0);
	assert_int_equal(fw_regex_parse(&b, source + cut, strlen(source + cut), caseless), 0);
	x = fw_regex_items(&rx);
	y = fw_regex_items(&a);
	for (uint32_t i = 0; i < k; i++) {
		assert_true(x != FW_RX_NONE && y != FW_RX_NONE);
		assert_true(fw_regex_same_nodes(&rx, x, &a, y, false));
		x = rx.nodes[x].next;
		y = a.nodes[y].next;
	}
	assert_true(y == FW_RX_NONE);
	z = fw_regex_items(&b);
	if (x == FW_RX_NONE)
		assert_true(z == FW_RX_NONE || b.nodes[z].kind == FW_RX_EMPTY);
	else
		assert_true(z != FW_RX_NONE && fw_regex_same_nodes(&rx, x, &b, z, true));
	fw_regex_free(&rx);
	fw_regex_free(&a);
	fw_regex_free(&b);
}

/* The lazy source parses into the pattern's tree with one greedy repeat made lazy, and no other change. */
static void
assert_lazy_means(const char *source, bool caseless, const char *lazy)
{
	struct fw_regex rx, lz;
	uint32_t made_lazy = 0;

	assert_int_equal(fw_regex_parse(&rx, source, strlen(source), caseless), 0);
	assert_int_equal(fw_regex_parse(&lz, lazy, strlen(lazy), caseless), 0);
	assert_int_equal(rx.n_nodes, lz.n_nodes);
	assert_int_equal(rx.root, lz.root);
	for (uint32_t i = 0; i < rx.n_nodes; i++) {
		const struct fw_rx_node *x = &rx.nodes[i], *y = &lz.nodes[i];

		assert_true(x->kind == y->kind && x->flags == y->flags && x->cp == y->cp && x->min == y->min &&
			    x->max == y->max && x->child == y->child && x->next == y->next);
		if (x->greed != y->greed) {
			assert_true(x->kind == FW_RX_REPEAT && x->greed == FW_RX_GREEDY && y->greed == FW_RX_LAZY);
			made_lazy++;
		}
	}
	assert_int_equal(made_lazy, 1);
	fw_regex_free(&rx);
	fw_regex_free(&lz);
}

/*
 * Patterns of the shipped KB's kinds, every quantifier form, classes,
 * groups, escapes, (?x) and (?i). The comment "new" marks a row whose
 * split the former scan of the pattern text gave up on (an escape other
 * than a backslash and punctuation in the head, \Q...\E or a "(" in a
 * class before the cut), and which the tree now gives.
 */
static const struct {
	const char *source;
	bool caseless;
	const char *lazy, *split;
} table[] = {
	{ "Client id=(?<id>\\d+) addr=(?<addr>\\S+)[^\\n]*? (?:closed|scheduled to be closed ASAP) for overcoming of output buffer limits", false,
	  "", "Client id=|(?<id>\\d+) addr=(?<addr>\\S+)[^\\n]*? (?:closed|scheduled to be closed ASAP) for overcoming of output buffer limits" },
	{ "upstream timed out \\(110: Connection timed out\\) while reading response header from upstream", false,
	  "", "upstream timed out \\(110: Connection timed out\\) while reading response header from upstream|" },
	{ "connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream.*upstream: \"(?<up>[^\"]+)\"", false,
	  "connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream.*?upstream: \"(?<up>[^\"]+)\"", "connect\\(\\) failed \\(111: Connection refused\\) while connecting to upstream.*upstream: \"|(?<up>[^\"]+)\"" },
	{ "FATAL: .* too many connections for role \"(?<role>[^\"]+)\"", false,
	  "FATAL: .*? too many connections for role \"(?<role>[^\"]+)\"", "FATAL: .* too many connections for role \"|(?<role>[^\"]+)\"" },
	{ "PHP Fatal error:  Allowed memory size of \\d+ bytes exhausted", false,
	  "", "PHP Fatal error:  Allowed memory size of \\d+ bytes exhausted|" },
	{ "Out of memory: Killed process (?<pid>\\d+) \\((?<comm>[^)]+)\\)", false,
	  "", "Out of memory: Killed process |(?<pid>\\d+) \\((?<comm>[^)]+)\\)" },
	{ "^(?<date>\\d{4}-\\d{2}-\\d{2}) .*segfault at", false,
	  "^(?<date>\\d{4}-\\d{2}-\\d{2}) .*?segfault at", "" },
	{ "kernel: .*segfault at [0-9a-f]+ ip", false,
	  "kernel: .*?segfault at [0-9a-f]+ ip", "kernel: .*segfault at |[0-9a-f]+ ip" },
	{ "Fatal error loading the DB(?: from [^:\\n]+)?: (?<error>[^\\n]+?)\\. Exiting\\.", false,
	  "", "Fatal error loading the DB|(?: from [^:\\n]+)?: (?<error>[^\\n]+?)\\. Exiting\\." },
	{ "\\bERROR\\b.*failed", false,
	  "\\bERROR\\b.*?failed", "" },
	{ "abc.*def", false,
	  "abc.*?def", "abc.*def|" },
	{ "abc.+def", false,
	  "abc.+?def", "abc.+def|" },
	{ "abc.*?def", false,
	  "", "abc.*?def|" },
	{ "abc.*+def", false,
	  "", "abc|.*+def" },
	{ "abc.{2,}def", false,
	  "abc.{2,}?def", "abc.{2,}def|" },
	{ "abc.{2,}?def", false,
	  "", "abc.{2,}?def|" },
	{ "abc.{2}def", false,
	  "", "abc|.{2}def" },
	{ "abc.{2,5}def", false,
	  "", "abc|.{2,5}def" },
	{ "abc.?def", false,
	  "", "abc|.?def" },
	{ "abc[^ ]*def", false,
	  "abc[^ ]*?def", "abc[^ ]*def|" },
	{ "abc\\S+def", false,
	  "abc\\S+?def", "abc\\S+def|" },
	{ "abc\\d+ def", false,
	  "", "abc\\d+ def|" },
	{ "abc[a-z]{3,}def", false,
	  "abc[a-z]{3,}?def", "abc[a-z]{3,}def|" },
	{ "abc.{0,}def", false,
	  "abc.{0,}?def", "abc.{0,}def|" },
	{ "abc.*def.*ghi", false,
	  "abc.*?def.*ghi", "abc.*def|.*ghi" },
	{ "abc:.* def: .*x", false,
	  "abc:.*? def: .*x", "abc:.* def: |.*x" },
	{ "abc(?:.*)def", false,
	  "abc(?:.*?)def", "abc|(?:.*)def" },
	{ "abc(?:x.*)def", false,
	  "abc(?:x.*?)def", "abc|(?:x.*)def" },
	{ "abc(.*)def", false,
	  "abc(.*?)def", "abc|(.*)def" },
	{ "abc(?:.*def)", false,
	  "abc(?:.*?def)", "abc|(?:.*def)" },
	/* new: a "(" in a class */
	{ "abc[(]*def(x)", false,
	  "", "abc[(]*def|(x)" },
	{ "abc[)\\]]*def", false,
	  "", "abc[)\\]]*def|" },
	{ "abc.*def(x)?", false,
	  "abc.*?def(x)?", "abc.*def|(x)?" },
	{ "(?:abc).*def", false,
	  "(?:abc).*?def", "" },
	{ "abc(?:x|y).*def", false,
	  "abc(?:x|y).*?def", "abc|(?:x|y).*def" },
	{ "abc|def.*ghi", false,
	  "", "" },
	{ "abc", false,
	  "", "abc|" },
	{ "abc.*", false,
	  "", "abc|.*" },
	{ "abc.*x", false,
	  "abc.*?x", "abc.*x|" },
	{ "abc x*", false,
	  "", "abc |x*" },
	/* new: an escape in the head */
	{ "\\x41BC.*def", false,
	  "\\x41BC.*?def", "\\x41BC.*def|" },
	/* new: an escape in the head */
	{ "A\\x42C.*def", false,
	  "A\\x42C.*?def", "A\\x42C.*def|" },
	/* new: an escape in the head */
	{ "\\x41BC def", false,
	  "", "\\x41BC def|" },
	{ "\\pL+abc.*def", false,
	  "\\pL+abc.*?def", "" },
	{ "abc\\pL+def", false,
	  "", "abc|\\pL+def" },
	/* new: a quotation in the head */
	{ "\\Qa.c\\E.*def", false,
	  "\\Qa.c\\E.*?def", "\\Qa.c\\E.*def|" },
	/* new: a quotation in the head */
	{ "abc.*\\Qd.f\\E", false,
	  "abc.*?\\Qd.f\\E", "abc.*\\Qd.f\\E|" },
	/* new: quotations in the head */
	{ "\\Qa.c\\E.*\\Qd.f\\E x", false,
	  "\\Qa.c\\E.*?\\Qd.f\\E x", "\\Qa.c\\E.*\\Qd.f\\E x|" },
	{ "a\\.c.*d\\+f", false,
	  "a\\.c.*?d\\+f", "a\\.c.*d\\+f|" },
	{ "abc\\..*def", false,
	  "abc\\..*?def", "abc\\..*def|" },
	{ "\\(abc\\).*def", false,
	  "\\(abc\\).*?def", "\\(abc\\).*def|" },
	{ "(?#note)abc.*def", false,
	  "(?#note)abc.*?def", "" },
	{ "abc(?#note).*def", false,
	  "abc(?#note).*?def", "abc|(?#note).*def" },
	{ "abc.*(?#note)def", false,
	  "abc.*?(?#note)def", "abc|.*(?#note)def" },
	{ "(?x) abc .* def", false,
	  "(?x) abc .*? def", "" },
	{ "(?x)abc\\ .*def # c", false,
	  "(?x)abc\\ .*?def # c", "" },
	{ "(?x)abc .*def x+", false,
	  "(?x)abc .*?def x+", "" },
	{ "(?i)abc.*123", false,
	  "(?i)abc.*?123", "" },
	{ "(?i)123.*456", false,
	  "(?i)123.*?456", "" },
	{ "123.*(?i)456[a-c]", false,
	  "123.*?(?i)456[a-c]", "123|.*(?i)456[a-c]" },
	{ "abc(?i).*123", false,
	  "abc(?i).*?123", "abc|(?i).*123" },
	{ "123.*456(?i)x", false,
	  "123.*?456(?i)x", "123.*456|(?i)x" },
	{ "123(?i).*456 x", false,
	  "", "123|(?i).*456 x" },
	{ "@abc.*def", false,
	  "@abc.*?def", "@abc.*def|" },
	{ "(a)bc.*\\1", false,
	  "", "" },
	{ "abc.*def\\g1", false,
	  "", "" },
	{ "^abc.*def", false,
	  "^abc.*?def", "" },
	{ "abc.*def$", false,
	  "abc.*?def$", "abc.*def|$" },
	{ "abc \\d+\\.\\d+.*def", false,
	  "abc \\d+\\.\\d+.*?def", "abc \\d+\\.|\\d+.*def" },
	{ "abc.*def", true,
	  "", "" },
	{ "123.*456", true,
	  "123.*?456", "123.*456|" },
	{ "a1.*2b", true,
	  "", "" },
	{ "\\Qab\\E+c", false,
	  "", "" },
	{ "ab\\Qcd\\E*x", false,
	  "", "" },
	{ "(?s)abc.*def", false,
	  "(?s)abc.*?def", "" },
	{ "abc(?s).*def", false,
	  "abc(?s).*?def", "abc|(?s).*def" },
	{ "abc.*(?s)def.x", false,
	  "abc.*?(?s)def.x", "abc|.*(?s)def.x" },
	{ "abc(?x) .* def", false,
	  "abc(?x) .*? def", "abc|(?x) .* def" },
	{ "(?x)abc  .*  def", false,
	  "(?x)abc  .*?  def", "" },
	{ "a(?#c)b.*c", false,
	  "a(?#c)b.*?c", "a|(?#c)b.*c" },
	/* new: an escape in the head */
	{ "abc\\x{2e}.*def", false,
	  "abc\\x{2e}.*?def", "abc\\x{2e}.*def|" },
	{ "abc[.]*\\.def", false,
	  "abc[.]*?\\.def", "abc[.]*\\.def|" },
	{ "abc\\d*?\\.[0-9]", false,
	  "", "abc\\d*?\\.|[0-9]" },
	{ "abc.*123(?i)[a-c]", false,
	  "abc.*?123(?i)[a-c]", "abc.*123|(?i)[a-c]" },
	{ "abc\\s+\\d+ ms", false,
	  "", "abc|\\s+\\d+ ms" },
};

/* s as a C string literal, for FW_TEST_PRINT=1 (which prints the table as the code has it). */
static void
print_c(const char *s, const char *after)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			putchar('\\');
		putchar(*s);
	}
	printf("\"%s", after);
}

static void
test_table(void **state)
{
	size_t wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		struct rewrite r;

		rewrites(table[i].source, table[i].caseless, &r);
		if (getenv("FW_TEST_PRINT")) {
			printf("\t{ ");
			print_c(table[i].source, table[i].caseless ? ", true,\n\t  " : ", false,\n\t  ");
			print_c(r.lazy, ", ");
			print_c(r.split, " },\n");
		} else if (strcmp(r.lazy, table[i].lazy) != 0 || strcmp(r.split, table[i].split) != 0) {
			print_error("%s: lazy \"%s\" split \"%s\", expected \"%s\" and \"%s\"\n", table[i].source,
				    r.lazy, r.split, table[i].lazy, table[i].split);
			wrong++;
		}
		if (r.lazy[0])
			assert_lazy_means(table[i].source, table[i].caseless, r.lazy);
		if (r.split[0])
			assert_split_means(table[i].source, table[i].caseless, r.cut, r.k);
	}
	assert_int_equal(wrong, 0);
}

/*
 * Random patterns (fixed seed) of literal heads with escapes, quotations,
 * comments and '#', runs of every quantifier form, options and groups:
 * every split and every lazy source means what it must.
 */
static void
test_random(void **state)
{
	static const char *const words[] = {
		"code=", "abc", "x", " ", "#", "\\\\", "\\x41", "\\x{2e}", "\\.", "\\Qa(b\\E", "\\Q?\\E", "[(]",
		"[]y]", "(?#c?)", "\\d", "\\pL",
	};
	static const char *const pieces[] = {
		".*", ".+", ".*?", ".*+", "[^ ]*", "\\S+", "\\d{2,}", "[a-z]{0,}?", "(?:.*)", "(.*)", "x{2}",
		"(?i)", "(?x) p ", "(?s)", "(?-x)", "\\b", "(?:y|z)", "\\Qm\\E+", "r?",
	};
	static const struct random_vocab v = {
		words, sizeof words / sizeof *words, pieces, sizeof pieces / sizeof *pieces, NULL, 0,
	};
	struct xorshift x = { 0x5A17u };
	uint32_t n_lazy = 0, n_split = 0;
	char pat[256];

	(void)state;
	for (int i = 0; i < 20000; i++) {
		struct rewrite r;

		random_pattern(&x, &v, pat, sizeof pat);
		if (!random_pattern_compiles(pat, false))
			continue;
		rewrites(pat, false, &r);
		if (r.lazy[0]) {
			assert_lazy_means(pat, false, r.lazy);
			n_lazy++;
		}
		if (r.split[0]) {
			assert_split_means(pat, false, r.cut, r.k);
			n_split++;
		}
	}
	print_message("random patterns: %u lazy, %u split\n", n_lazy, n_split);
	assert_true(n_lazy >= 1000 && n_split >= 1000);
}

/*
 * Lazy and split patterns whose quantifiers and heads sit next to escapes,
 * quotations, comments, (?x) and (?U), matched by the fast engine on lines
 * with the literal after the run once, twice or not at all: every line
 * gets the reference engine's hits and captures.
 */
static void
test_lazy_split_lines(void **state)
{
	static const char *const pats[] = {
		"ab[a-z]*cd(?<n>\\d+)", "\\x41b[^ ]*=(?<v>\\w+)", "\\Qa.b\\E.*x=(?<v>\\d)", "ab(?#c)[a-z]*q(?<v>.)",
		"(?x) ab [a-z]* q (?<v>.)", "ab(?x) [a-z]* q (?<v>.)", "(?U)ab[a-z]*q(?<v>.+)", "ab(?U)[a-z]*q(?<v>.+)",
		"ab[a-z]*(?#c)q(?<v>.)", "ab[a-z]*\\Qq\\E(?<v>.)", "ab[a-z]{2,}q(?<v>.)", "ab\\N*q(?<v>.)",
		"ab.*\\x71(?<v>.)", "ab[a-z]*+q(?<v>.)", "a\\Qb\\E[a-z]*q(?<v>.)", "ab[a-z]*q(?<v>.*)z",
		"ab(?i)[a-z]*q(?<v>.)", "ab[^q]*q(?<v>.)", "ab[a-z]*?q(?<v>.)", "(?s)ab.*q(?<v>.)",
	};
	static const char *const lines[] = {
		"ab", "abq1", "abxyzq1", "abxqyq2", "xx abcdcd12 cd3", "Ab=vv", "Ab=", "a.bzzx=1 x=2",
		"abcq!", "ab q !", "abqq", "ab12q3", "ab\nq4", "abxyz", "abzzqz", "ABq1", "abxq", "abqq2zq3z",
	};
	struct kb_writer w;
	struct pair p;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
		kbw_add(&w, "ls", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		for (size_t k = 0; k < 4; k++) {
			char line[128];
			int n = snprintf(line, sizeof line, "%.*s%s%s", (int)k, "   ", lines[i], k == 3 ? " tail q9" : "");

			pair_check(&p, line, (size_t)n, NULL);
		}
	print_message("hits %lu\n", p.hits);
	assert_true(p.hits > 20);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_lazy_split_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
