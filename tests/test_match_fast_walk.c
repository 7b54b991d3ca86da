/*
 * test_match_fast_walk: the tree walk that answers interpreted tries
 * without PCRE2 (match_fast_walk.c). Where it answers, it answers as
 * PCRE2's byte-mode code does from offset 0: the same match or none, the
 * same captures and return code. The walk is given every offset of the
 * line as a start, so that its tries in order are PCRE2's search. Rows pin
 * the constructs it models and the ones it refuses (at build, or when it
 * reaches them); random patterns of a fixed seed on lines of their words
 * hold it to PCRE2 everywhere else, and show that it answers most of them.
 * Asked to stop at a pattern's cut (match_decide.c), it answers as the
 * code of the part before the cut does.
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

#include "match/match.h"
#include "match/match_engine.h"
#include "match/match_fast_int.h"
#include "match/regex_parse.h"
#include "random_pattern.h"

enum { ANSWERED, GAVE_UP, REFUSED };

/* The walk's rule of pattern src (built or not), compiled byte-mode code into *code. */
static bool
rule(const char *src, bool caseless, pcre2_code **code, struct fp_walk *w)
{
	uint32_t opts = PCRE2_NEVER_BACKSLASH_C | (caseless ? PCRE2_CASELESS : 0);
	struct fw_regex rx;
	PCRE2_SIZE eo;
	int err;

	*code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts, &err, &eo, NULL);
	assert_non_null(*code);
	memset(w, 0, sizeof *w);
	if (fw_regex_parse(&rx, src, strlen(src), caseless) == 0)
		assert_int_equal(fw__fast_walk_rule(src, &rx, *code, w), 0);
	fw_regex_free(&rx);
	return w->nodes != NULL;
}

/*
 * Walks line with every offset as a start; what it gave is held to
 * pcre2_match() from 0: of the pattern, or with cut of the part before its
 * cut (REFUSED where it has none).
 */
static int
walk_line_cut(const char *src, bool caseless, const char *line, uint32_t limit, bool cut)
{
	uint32_t starts[512];
	size_t len = strlen(line), upto = cut ? fw__match_decide_cut(src, caseless) : 0;
	PCRE2_SIZE ov[2 * FP_WALK_GROUPS], eo;
	pcre2_match_data *md;
	struct fp_walk w;
	pcre2_code *code;
	int rc = 0, prc, got, err;

	if (cut && upto == 0)
		return REFUSED;
	if (!rule(src, caseless, &code, &w)) {
		pcre2_code_free(code);
		return REFUSED;
	}
	assert_true(len < sizeof starts / sizeof *starts);
	for (uint32_t i = 0; i <= len; i++)
		starts[i] = i;
	got = fw__fast_walk(&w, (const unsigned char *)line, len, starts, (uint32_t)len + 1, limit, cut, ov, &rc);
	if (cut) {
		pcre2_code_free(code);
		code = pcre2_compile((PCRE2_SPTR)src, upto,
				     PCRE2_NEVER_BACKSLASH_C | (caseless ? PCRE2_CASELESS : 0), &err, &eo, NULL);
		if (!code) {    /* the part refers to a group of the end: PCRE2's own code decides */
			fw__fast_walk_free(&w);
			return REFUSED;
		}
	}
	md = pcre2_match_data_create_from_pattern(code, NULL);
	prc = pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, md, NULL);
	if (got == 0 && prc != PCRE2_ERROR_NOMATCH)
		fail_msg("/%s/ on \"%s\": walk no match, PCRE2 %d", src, line, prc);
	if (got == 1) {
		const PCRE2_SIZE *pov = pcre2_get_ovector_pointer(md);

		if (prc != rc)
			fail_msg("/%s/ on \"%s\": walk rc %d, PCRE2 %d", src, line, rc, prc);
		for (int g = 0; g < rc; g++)
			if (ov[2 * g] != pov[2 * g] || ov[2 * g + 1] != pov[2 * g + 1])
				fail_msg("/%s/ on \"%s\": group %d walk %zu..%zu, PCRE2 %zu..%zu", src, line, g,
					 (size_t)ov[2 * g], (size_t)ov[2 * g + 1], (size_t)pov[2 * g],
					 (size_t)pov[2 * g + 1]);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	fw__fast_walk_free(&w);
	return got < 0 ? GAVE_UP : ANSWERED;
}

static int
walk_line(const char *src, bool caseless, const char *line, uint32_t limit)
{
	return walk_line_cut(src, caseless, line, limit, false);
}

static void
test_table(void **state)
{
	static const struct {
		const char *src, *line;
		bool caseless;
		int want;
	} rows[] = {
		{ "Failed (?<method>password|keyboard-interactive(?:/[\\w-]+)?|unknown|(?:publickey|hostbased)"
		  "(?= for invalid user )) for (?:invalid user )?(?<user>.*) from (?<client>[0-9A-Fa-f.:]+"
		  "(?:%[\\w.-]+)?)(?: port (?<port>\\d+))?(?: ssh[12])?",
		  "sshd[5774]: Failed password for invalid user root from 10.0.0.1 port 29160 ssh2", false, ANSWERED },
		/* the lookahead of the fourth branch is reached, and walked */
		{ "Failed (?<method>password|(?:publickey|hostbased)(?= for invalid user )) for (?<user>.*) from",
		  "Failed publickey for invalid user x from", false, ANSWERED },
		{ "Failed (?<method>password|(?:publickey|hostbased)(?= for invalid user )) for (?<user>.*) from",
		  "Failed publickey for root from x Failed password for y from", false, ANSWERED },
		/* nginx's request field: a quote ends it only before ", " or the end */
		{ "request: \"(?<request>(?:[^\"]|\"(?!, |$))*)\"(?:, upstream: \"(?<upstream>[^\"]*)\")?",
		  "request: \"GET /a\"b\" HTTP/1.1\", upstream: \"http://u\"", false, ANSWERED },
		{ "request: \"(?<request>(?:[^\"]|\"(?!, |$))*)\"", "request: \"GET /\"", false, ANSWERED },
		{ "request: \"(?<request>(?:[^\"]|\"(?!, |$))*)\"", "request: \"GET /\"\n", false, ANSWERED },
		{ "a(?!b)(?<r>.)", "ab ac", false, ANSWERED },
		/* a lookahead where a match starts is PCRE2's: 10.42 finds no match of the first */
		{ "(?=b)c??b", " b", false, GAVE_UP },
		{ "\\b(?=x)\\w*x", "x", false, GAVE_UP },
		{ "(?=\\w*\\d)(?<w>\\w+)", "abc ab1", false, GAVE_UP },
		{ "xy(?=a)c??a", "xya xyca", false, ANSWERED },
		{ "x(?:y|(?=a))c??a", "xa", false, ANSWERED },
		{ "x(?=(?:ab)+c)(?<t>.*)", "xababd xabc", false, ANSWERED },
		{ "x(?!(?=a)ab)(?<t>..)", "xab xac", false, ANSWERED },
		{ "a(?=b|$)", "ac a", false, ANSWERED },
		{ "(?i)a(?=B)", "Ab", false, ANSWERED },
		/* greedy repeats of a group whose first branch is one character, taken as runs */
		{ "(?:a|ab)+c", "aabc", false, ANSWERED },
		{ "(?:a|ab)+(?<t>bc)", "aabc", false, ANSWERED },
		{ "(?:[^\"]|\"(?!, |$)){2,5}(?<r>.)", "ab\"c\"d\", e", false, ANSWERED },
		{ "x(?:\\d|-\\d)*(?<e>-)", "x12-3-", false, ANSWERED },
		{ "(?:[a-c]|(?i)X)*$", "abXcx", false, ANSWERED },
		{ "(?=(a))a", "a", false, REFUSED },             /* a lookahead that captures */
		{ "x|a(?=(?>b))", "ab", false, GAVE_UP },        /* one the walk does not model is reached */
		{ "Invalid user (?<user>.*) from (?<client>\\S+)(?: port (?<port>\\d+))?",
		  "Invalid user a from b from c port 7", false, ANSWERED },
		{ "(?<u>.*?) from (?<ip>\\d+)", "q 12 from 34 from 56", false, ANSWERED },
		{ "(?<a>a|ab)(?<b>c|bcd)(?<d>d*)", "abcd", false, ANSWERED },
		{ "(?:(?<x>a)|b)+c", "abbc", false, ANSWERED },
		{ "(?:(?<x>a)|(?<y>b))+?c", "xbac", false, ANSWERED },
		{ "(?:ab){2,3}?(?<r>.*)", "abababab", false, ANSWERED },
		{ "\\bfoo\\B.", "a foox foo.", false, ANSWERED },
		{ "^(?<h>[^ ]+) .*$", "host rest", false, ANSWERED },
		{ "(?m)^b$", "a\nb\nc", false, ANSWERED },
		/* multiline ^ does not match after a newline that ends the line */
		{ "(?m)a\n^", "a\n", false, ANSWERED },
		{ "(?m)a\n^$", "a\n", false, ANSWERED },
		{ "(?m)a$\n$", "a\n", false, ANSWERED },
		{ "a\\Z|a$", "a\n", false, ANSWERED },
		{ "(?s)a.b", "a\nb", false, ANSWERED },
		{ "a.b", "a\nb a-b", false, ANSWERED },
		{ "ERROR (?<w>[a-z]+)", "error Disk", true, ANSWERED },
		{ "x\\x{e9}|y", "xy", false, ANSWERED },
		{ "(?<n>\\d{2,4}+)5", "123456", false, ANSWERED },
		{ "(?<n>\\d{2,4})5", "123456", false, ANSWERED },
		{ "(?:(a)|b)(?(1)c|d)", "bd", false, GAVE_UP },  /* a conditional is reached */
		{ "(?>a+)b", "aab", false, REFUSED },             /* atomic */
		{ "(?:ab)++c", "ababc", false, REFUSED },        /* possessive group */
		{ "(?:a?)*b", "aab", false, REFUSED },           /* a repeated group that can match empty */
		{ "(?|(a)|(b))c", "bc", false, REFUSED },        /* branch reset renumbers */
		{ "(?U)(?<u>.*) from (?<ip>\\d+)", "q 12 from 34", false, REFUSED },
		{ "a(?U:b+)", "abb", false, REFUSED },
		{ "(*NO_JIT)abc", "abc", false, REFUSED },
		{ "(?<w>a)\\k<w>", "aa", false, GAVE_UP },        /* a backreference is reached */
		{ "(?<!x)abc", "abc", false, GAVE_UP },
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		if (walk_line(rows[i].src, rows[i].caseless, rows[i].line, FW_MATCH_LIMIT) != rows[i].want)
			fail_msg("/%s/ on \"%s\": not %d", rows[i].src, rows[i].line, rows[i].want);
}

/* Too many steps, or a limit too small to know that PCRE2 would not run out: PCRE2 decides. */
static void
test_limits(void **state)
{
	char line[400];

	(void)state;
	memset(line, 'a', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	/* every length of each run is a step: far more than the walk takes */
	assert_int_equal(walk_line("(?:a*)*+b|(?:a+a+)+b|.*.*.*x", false, line, FW_MATCH_LIMIT), REFUSED);
	assert_int_equal(walk_line("a*a*a*a*x", false, line, FW_MATCH_LIMIT), GAVE_UP);
	assert_int_equal(walk_line("ab", false, "xab", 1000), GAVE_UP);
	assert_int_equal(walk_line("ab", false, "xab", FW_MATCH_LIMIT), ANSWERED);
}

/* Stopped at the cut, the walk answers as the part before it: match, its end, its captures. */
static void
test_cut(void **state)
{
	static const struct {
		const char *src, *line;
		int want;
	} rows[] = {
		{ "no live upstreams while connecting to upstream(?:, client: (?<client>[^,]+))?(?:, server: "
		  "(?<server>[^,]*))?(?:, request: \"(?<request>(?:[^\"]|\"(?!, |$))*)\")?",
		  "x no live upstreams while connecting to upstream, client: ::1, server: a", ANSWERED },
		{ "connect\\(\\)(?: to unix:(?<socket>\\S+))? failed \\(111: Connection refused\\)(?:, client: "
		  "(?<client>[^,]+))?", "connect() to unix:/run/s.sock failed (111: Connection refused), client: b",
		  ANSWERED },
		{ "connect\\(\\)(?: to unix:(?<socket>\\S+))? failed \\(111: Connection refused\\)(?:, client: "
		  "(?<client>[^,]+))?", "connect() failed (110: Connection refused)", ANSWERED },
		{ "(?<a>a+?)(?<b>b)?", "aab", ANSWERED },
		{ "a.*?(?<x>x)?", "abx", ANSWERED },
		{ "abc", "abc", REFUSED },                      /* no optional end */
		{ "(?:x)?", "x", REFUSED },                     /* nothing before it */
		{ "a|b(?:c)?", "bc", REFUSED },                  /* several branches */
	};

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		if (walk_line_cut(rows[i].src, false, rows[i].line, FW_MATCH_LIMIT, true) != rows[i].want)
			fail_msg("/%s/ on \"%s\": not %d at the cut", rows[i].src, rows[i].line, rows[i].want);
}

static void
test_random(void **state)
{
	static const char *const words[] = {
		"code=", "abc", "x", " ", "#", "\\\\", "\\x41", "\\.", "\\Qa(b\\E", "[(]", "[]y]", "(?#c?)",
		"\\d", "from", "ab", "b",
	};
	static const char *const pieces[] = {
		".*", ".+", ".*?", ".*+", "[^ ]*", "\\S+", "\\d{2,}", "[a-z]{0,}?", "(?:.*)", "(.*)", "x{2}",
		"(?i)", "(?x) p ", "(?s)", "(?-x)", "\\b", "\\B", "(?:y|z)", "r?", "(?<c>ab|a)", "(?:(a)|b)+",
		"(?:x(b)?)*?", "(?=ab)", "$", "^", "(?:abc|ab|a){1,2}", "[[:digit:]]+", "\\w++", "(?!ab|x)",
		"(?:[^x]|x(?!y))*", "(?:(c)|z)?", "(?:a|ab)+", "(?:\\d|b|x\\d){1,3}",
	};
	static const char *const line_words[] = {
		"code=", "abc", "x", " ", "#", "\\", "A", ".", "a(b", "(", "]", "y", "7", "42", "from", "ab", "b",
		"z", "p", "rr", "ABC",
	};
	static const struct random_vocab v = {
		words, sizeof words / sizeof *words, pieces, sizeof pieces / sizeof *pieces, NULL, 0,
	};
	struct xorshift x = { 0x3A1Cu };
	uint32_t n[3] = { 0 }, at_cut[3] = { 0 };
	char pat[256], line[200];

	(void)state;
	for (int i = 0; i < 6000; i++) {
		bool caseless = xorshift_below(&x, 4) == 0;

		random_pattern(&x, &v, pat, sizeof pat);
		if (!random_pattern_compiles(pat, caseless))
			continue;
		for (int l = 0; l < 8; l++) {
			size_t len = 0;

			for (uint32_t k = xorshift_below(&x, 12); k > 0; k--) {
				const char *wd = line_words[xorshift_below(&x, sizeof line_words / sizeof *line_words)];

				if (len + strlen(wd) + 1 >= sizeof line)
					break;
				memcpy(line + len, wd, strlen(wd));
				len += strlen(wd);
			}
			line[len] = '\0';
			n[walk_line(pat, caseless, line, FW_MATCH_LIMIT)]++;
			at_cut[walk_line_cut(pat, caseless, line, FW_MATCH_LIMIT, true)]++;
		}
	}
	print_message("the same, stopped at the cut: %u answered, %u given up, %u refused\n", at_cut[ANSWERED],
		      at_cut[GAVE_UP], at_cut[REFUSED]);
	print_message("random patterns' lines: %u answered, %u given up, %u refused\n", n[ANSWERED], n[GAVE_UP],
		      n[REFUSED]);
	assert_true(n[ANSWERED] > n[GAVE_UP] + n[REFUSED]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
