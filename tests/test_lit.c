/*
 * test_lit: literal analysis. Table tests pin down what each construct
 * gives; a property test checks soundness against PCRE2 itself: for random
 * patterns and lines, every line a pattern matches contains a member of
 * every required set.
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

#include "match/lit.h"

/* Renders the sets as "{a|b} {c}" with caseless members as "i:x"; non-printables as \xHH. */
static void
render(const struct fw_lit_info *info, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t s = 0; s < info->n_required; s++) {
		o += (size_t)snprintf(buf + o, len - o, "%s{", s ? " " : "");
		for (size_t a = 0; a < info->required[s].n; a++) {
			const struct fw_lit *l = &info->required[s].alts[a];

			o += (size_t)snprintf(buf + o, len - o, "%s%s", a ? "|" : "",
					      l->caseless ? "i:" : "");
			for (size_t k = 0; k < l->len; k++) {
				unsigned char c = l->bytes[k];

				if (c >= 0x20 && c < 0x7f)
					o += (size_t)snprintf(buf + o, len - o, "%c", c);
				else
					o += (size_t)snprintf(buf + o, len - o, "\\x%02X", c);
			}
		}
		o += (size_t)snprintf(buf + o, len - o, "}");
		assert_true(o < len);
	}
}

struct lit_case {
	const char *pattern;
	bool caseless;
	uint32_t specificity;
	const char *sets;
};

static const struct lit_case cases[] = {
	/* Plain text and runs broken by non-literals. */
	{ "upstream timed out", false, 18, "{upstream timed out}" },
	{ "connect\\(\\) failed", false, 16, "{connect() failed}" },
	{ "SSL_do_handshake\\(\\) failed .* while", false, 32,
	  "{SSL_do_handshake() failed } { while}" },
	{ "code (\\d+) at [^ ]+ port \\d{2,5}", false, 15, "{code } { at } { port }" },
	{ "a.b", false, 2, "{a} {b}" },
	{ "", false, 0, "" },
	/* Escapes. */
	{ "a\\.b\\\\c\\/d", false, 7, "{a.b\\c/d}" },
	{ "tab\\there\\n", false, 9, "{tab\\x09here\\x0A}" },
	{ "\\x41\\x{42}\\x{e9}", false, 3, "{AB\\xC3\\xA9}" },
	{ "\\Qa.b*c\\E+d", false, 6, "{a.b*c} {cd}" },
	{ "\\Q(x)", false, 3, "{(x)}" },
	{ "x\\by\\Bz", false, 3, "{x} {y} {z}" },
	{ "\\d\\w\\s\\S\\h\\R\\Nfoo", false, 3, "{foo}" },
	{ "\\p{Lu}abc\\pLdef", false, 6, "{abc} {def}" },
	/* Classes. */
	{ "1[.]2[\\]]3", false, 5, "{1.2]3}" },
	{ "a[bc]d[^e]f", false, 3, "{a} {d} {f}" },
	{ "x[[:digit:]]y[]]z", false, 4, "{x} {y]z}" },
	{ "a[\\x00-\\x1f]b[\\x41]c", false, 4, "{a} {bAc}" },
	/* Quantifiers. */
	{ "ab?c", false, 2, "{a} {c}" },
	{ "ab*c", false, 2, "{a} {c}" },
	{ "ab+c", false, 3, "{ab} {bc}" },
	{ "ab{3}c", false, 5, "{abbbc}" },
	{ "ab{2,}c", false, 4, "{abb} {bc}" },
	{ "ab{0,2}c", false, 2, "{a} {c}" },
	{ "ab+?c", false, 3, "{ab} {bc}" },
	{ "ab++c", false, 3, "{ab} {bc}" },
	{ "(?:abc){3}x", false, 10, "{abc} {x}" },
	{ "(?:abc)?x", false, 1, "{x}" },
	{ "(?:abc)*x", false, 1, "{x}" },
	/* Alternation: minimum, and a set of each branch's best factor. */
	{ "GET|POST", false, 3, "{GET|POST}" },
	{ "upstream (?:timed out|prematurely closed) x", false, 20,
	  "{upstream } {timed out|prematurely closed} { x}" },
	{ "a(?:bcd|.)e", false, 2, "{a} {e}" },
	{ "(?<host>[^ ]+) (?P<n>err)(?'m'x|yz)", false, 5, "{ } {err} {x|yz}" },
	{ "(?|ab|cd)", false, 2, "{ab|cd}" },
	{ "(?>abc)", false, 3, "{abc}" },
	/* Caseless: record flag, (?i), (?i:...), (?-i), persistence over branches. */
	{ "Timed Out", true, 9, "{i:timed out}" },
	{ "ab(?i)CD", false, 4, "{ab} {i:cd}" },
	{ "(?i:AB)CD", false, 4, "{i:ab} {CD}" },
	{ "(?i)AB(?-i)CD", false, 4, "{i:ab} {CD}" },
	{ "(?i)AB(?^)CD", false, 4, "{i:ab} {CD}" },
	{ "(?:a(?i)B|C)", false, 1, "{a|i:c}" },
	{ "(?i)[X]y", false, 2, "{i:xy}" },
	/*
	 * Caseless k, s and non-ASCII also match other byte sequences under UTF:
	 * a run holds one k or s, as itself or as U+212A / U+017F in UTF-8.
	 */
	{ "Parks", true, 5, "{i:park|i:par\\xE2\\x84\\xAA} {i:s|i:\\xC5\\xBF}" },
	{ "OK task", true, 7, "{i:ok ta|i:o\\xE2\\x84\\xAA ta} {i:s|i:\\xC5\\xBF} {i:k|i:\\xE2\\x84\\xAA}" },
	{ "caf\\x{e9}s", true, 5, "{i:caf} {i:s|i:\\xC5\\xBF}" },
	{ "\\d{5,}ms\\b", true, 2, "{i:ms|i:m\\xC5\\xBF}" },
	{ "(?i:S)+tatus", false, 6, "{i:s|i:\\xC5\\xBF} {tatus}" },
	{ "caf\xc3\xa9", false, 4, "{caf\\xC3\\xA9}" },
	/* Zero-width and opaque constructs contribute nothing, the rest stays. */
	{ "foo(?=bar)baz", false, 6, "{foo} {baz}" },
	{ "foo(?<!bar)baz(?!x)", false, 6, "{foo} {baz}" },
	{ "(a)x\\1y", false, 3, "{a} {x} {y}" },
	{ "(?<n>a)x\\k<n>y\\g{1}z(?P=n)", false, 4, "{a} {x} {y} {z}" },
	{ "(a|(?R))b", false, 1, "{b}" },
	{ "(a)(?1)b(?<x>d)(?&x)(?P>x)c", false, 4, "{a} {b} {d} {c}" },
	{ "(z)x(?(1)ab|cd)y", false, 3, "{z} {x} {y}" },
	{ "x(?#comment)y", false, 2, "{x} {y}" },
	{ "^start$", false, 5, "{start}" },
	/* (?x): white space and comments are not part of the pattern. */
	{ "(?x) a b c # d", false, 3, "{abc}" },
	/* Not understood (or refused by PCRE2): the whole pattern gives nothing. */
	{ "x(?&y)z", false, 0, "" },
	{ "abc(*ACCEPT)def", false, 0, "" },
	/* Start-of-pattern options are the pattern's own; they change no literal. */
	{ "(*UTF)abc", false, 3, "{abc}" },
	{ "(*NO_JIT)upstream timed out", false, 18, "{upstream timed out}" },
	{ "(*LIMIT_MATCH=100)(*UCP)(*CRLF)ab\\d", false, 2, "{ab}" },
	{ "(*LIMIT_MATCH=)abc", false, 0, "" },
	{ "(*NO_JITTER)abc", false, 0, "" },
	{ "(*BOGUS)abc", false, 0, "" },
	{ "ab(*NO_JIT)cd", false, 0, "" },
	{ "abc\\0def", false, 0, "" },
	{ "abc\\cAdef", false, 0, "" },
	{ "abc{,3}", false, 0, "" },
	{ "ab{x}", false, 0, "" },
	{ "abc\\10", false, 0, "" },
	{ "abc(?C1)", false, 0, "" },
	{ "abc)", false, 0, "" },
	{ "a(?=x)*b", false, 0, "" },
	/* "[:" that is not a POSIX class: PCRE2 ends the class at the first ']'. */
	{ "[[:]a|b:]c", false, 0, "" },
	{ "x[[:^digit:]]y", false, 2, "{x} {y}" },
};

static void
test_table(void **state)
{
	char buf[1024];
	int failures = 0;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct lit_case *c = &cases[i];
		struct fw_lit_info info;

		assert_int_equal(fw_lit_analyze(c->pattern, strlen(c->pattern), c->caseless, &info), 0);
		render(&info, buf, sizeof buf);
		if (info.specificity != c->specificity || strcmp(buf, c->sets) != 0) {
			failures++;
			print_error("pattern \"%s\"%s: got %u \"%s\", want %u \"%s\"\n", c->pattern,
				 c->caseless ? " (i)" : "", info.specificity, buf, c->specificity,
				 c->sets);
		}
		fw_lit_info_free(&info);
	}
	assert_int_equal(failures, 0);
}

static void
test_embedded_nul(void **state)
{
	static const char pat[] = "a\0b\\x00c";
	struct fw_lit_info info;
	char buf[128];

	assert_int_equal(fw_lit_analyze(pat, sizeof pat - 1, false, &info), 0);
	render(&info, buf, sizeof buf);
	assert_string_equal(buf, "{a\\x00b\\x00c}");
	assert_int_equal(info.specificity, 5);
	fw_lit_info_free(&info);
}

static void
test_long_literal_is_cut(void **state)
{
	char pat[300];
	struct fw_lit_info info;

	memset(pat, 'x', sizeof pat);
	assert_int_equal(fw_lit_analyze(pat, sizeof pat, false, &info), 0);
	assert_int_equal(info.specificity, 300);
	assert_true(info.n_required >= 1);
	for (size_t s = 0; s < info.n_required; s++) {
		assert_int_equal(info.required[s].n, 1);
		assert_true(info.required[s].alts[0].len <= 64);
	}
	fw_lit_info_free(&info);
}

static void
test_deep_nesting(void **state)
{
	char pat[2 * 500 + 2];
	struct fw_lit_info info;
	size_t n = 0;

	for (int i = 0; i < 500; i++)
		pat[n++] = '(';
	pat[n++] = 'a';
	for (int i = 0; i < 500; i++)
		pat[n++] = ')';
	assert_int_equal(fw_lit_analyze(pat, n, false, &info), 0);
	assert_int_equal(info.specificity, 0);
	assert_int_equal(info.n_required, 0);
	fw_lit_info_free(&info);
	fw_lit_info_free(NULL);
}

/* --- Soundness against PCRE2 on random patterns and lines. --- */

static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static const char *const pieces[] = {
	"a", "b", "ab", "ba", "k", "S", "K", "s", "x", ".", "\\d", "\\w+", "[ab]", "[.]", "[^a]",
	"(?:a|b)", "(?:ab|ba|k)", "(?i)", "(?-i)", "(?i:aB)", "(a)", "\\1", "(?=a)", "(?!b)",
	"(?<=a)", "\\Qa.\\E", "\\x{212a}", "\xc5\xbf", "\xe2\x84\xaa", "|", "^", "$", "\\b",
	"\\x61", "(?:a", ")", "(?:ab)+", "b{2}", "a{1,2}", "\\s", " ", "[[:]", ":]", "[[:alpha:]]",
	"[a-c]", "[^\\x00-\\x20]", "(?(1)a|b)", "(?#c)", "\\p{L}", "(?|a|b)", "\\Q", "\\E", "{",
	"}", "(?i:k)", "[k]", "x{0}", "(?>ab|a)", "(?s:.)", "\\K", "(?:|a)", "[\\]a]", "\\x{61}",
};
static const char *const quants[] = { "", "", "", "", "?", "*", "+", "{2}", "{0,1}", "+?" };
static const char *const line_pieces[] = {
	"a", "b", "A", "B", "k", "K", "s", "S", "\xe2\x84\xaa", "\xc5\xbf", ".", " ", "1", "x",
	"\xff", "\xc3", "ab", "ba", "\n",
};

static bool
contains(const unsigned char *line, size_t len, const struct fw_lit *l)
{
	for (size_t i = 0; l->len <= len && i + l->len <= len; i++) {
		size_t k = 0;

		for (; k < l->len; k++) {
			unsigned char c = line[i + k];

			if (l->caseless && c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			if (c != l->bytes[k])
				break;
		}
		if (k == l->len)
			return true;
	}
	return false;
}

static void
test_sound_against_pcre2(void **state)
{
	const char *seed_env = getenv("FW_LIT_SEED");
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	unsigned long checked = 0;

	rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x5eed1175u;
	if (!rng_state)
		rng_state = 1;
	for (int iter = 0; iter < 3000; iter++) {
		char pat[256];
		size_t pn = 0;
		bool caseless = rnd(4) == 0;
		int n = 1 + (int)rnd(6);
		struct fw_lit_info info;
		pcre2_code *code;
		PCRE2_SIZE eoff;
		int err;

		for (int i = 0; i < n; i++) {
			const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
			const char *q = quants[rnd(sizeof quants / sizeof quants[0])];

			pn += (size_t)snprintf(pat + pn, sizeof pat - pn, "%s%s", p, q);
		}
		code = pcre2_compile((PCRE2_SPTR)pat, pn,
				     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
				     (caseless ? PCRE2_CASELESS : 0), &err, &eoff, NULL);
		if (!code)
			continue;
		assert_int_equal(fw_lit_analyze(pat, pn, caseless, &info), 0);
		for (int l = 0; l < 40; l++) {
			unsigned char line[128];
			size_t ln = 0;
			int m = (int)rnd(10);

			for (int i = 0; i < m; i++) {
				const char *p = line_pieces[rnd(sizeof line_pieces /
								sizeof line_pieces[0])];

				memcpy(line + ln, p, strlen(p));
				ln += strlen(p);
			}
			if (pcre2_match(code, line, ln, 0, 0, md, NULL) < 0)
				continue;
			checked++;
			for (size_t s = 0; s < info.n_required; s++) {
				bool found = false;

				for (size_t a = 0; a < info.required[s].n && !found; a++)
					found = contains(line, ln, &info.required[s].alts[a]);
				if (!found) {
					char buf[1024];

					render(&info, buf, sizeof buf);
					fail_msg("pattern \"%.*s\"%s matches \"%.*s\" without set %zu of %s",
						 (int)pn, pat, caseless ? " (i)" : "", (int)ln,
						 (const char *)line, s, buf);
				}
			}
		}
		fw_lit_info_free(&info);
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	/* The generator must actually exercise matches, or the test proves nothing. */
	assert_true(checked > 5000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_long_literal_is_cut),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_sound_against_pcre2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
