/*
 * test_dfa_ctx: the bytes that must stand around a required literal
 * (fw_dfa_lit_context()). Exact contexts of known patterns, patterns that
 * give none, and the guarantee itself: on generated patterns and lines
 * (fixed seed), every line PCRE2 matches holds the literal with bytes
 * around it that satisfy the context.
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

/* A set given as the bytes it holds. */
static struct fw_rx_bytes
bytes_of(const char *s)
{
	struct fw_rx_bytes b = { { 0 } };

	for (; *s; s++)
		b.w[(unsigned char)*s >> 6] |= (uint64_t)1 << ((unsigned char)*s & 63);
	return b;
}

#define DIGITS "0123456789"

struct known {
	const char *pattern;
	bool caseless;
	const char *lit;
	bool lit_caseless;
	int rc;
	const char *before[FW_DFA_CTX_MAX + 1];  /* NULL-terminated levels */
	const char *after[FW_DFA_CTX_MAX + 1];
};

/* The context in a new DFA, or in shared (emptied first) when not NULL. */
static int
context_of(const char *pattern, bool caseless, const char *lit, bool lit_caseless, struct fw_dfa_ctx *x,
	   struct fw_dfa *shared)
{
	struct fw_dfa *d = shared ? shared : fw_dfa_new();
	int rc;

	assert_non_null(d);
	if (shared)
		fw_dfa_clear(d);
	assert_int_equal(add_pattern(d, pattern, strlen(pattern), caseless), 0);
	rc = fw_dfa_lit_context(d, (const unsigned char *)lit, strlen(lit), lit_caseless, x);
	if (!shared)
		fw_dfa_free(d);
	return rc;
}

static void
test_known(void **state)
{
	static const struct known cases[] = {
		/* The slow-request signature: four digits at least before "ms". */
		{ "\\b[0-9a-f-]{36}\\b.* (\\d{4,})ms", false, "ms", false, 1,
		  { DIGITS, DIGITS, DIGITS, DIGITS }, { NULL } },
		{ "port (\\d+) closed", false, " closed", false, 1,
		  { DIGITS, DIGITS " ", DIGITS " t", DIGITS " rt" }, { NULL } },
		{ "code=\\d\\d x", false, "code=", false, 1, { NULL }, { DIGITS, DIGITS, " ", "x" } },
		{ "(?:ab|cd)x", false, "x", false, 1, { "bd", "ac" }, { NULL } },
		{ "ERROR: \\d", true, "error: ", true, 1, { NULL }, { DIGITS } },
		{ "[a-c]ms$", false, "ms", false, 1, { "abc" }, { NULL } },
		/* The match may start at the literal and end after it: nothing to say. */
		{ "ms", false, "ms", false, 0, { NULL }, { NULL } },
		{ ".*ms.*", false, "ms", false, 0, { NULL }, { NULL } },
		/* A literal a match can go around is no anchor for a context. */
		{ "(?:xms|y)z", false, "ms", false, 0, { NULL }, { NULL } },
		/* No chain of single bytes spells it. */
		{ "[mn]s\\d", false, "ms", false, 0, { NULL }, { NULL } },
		/* A loop: "ab" then one of two bytes; none of the nodes is the only one after. */
		{ "a+b", false, "ab", false, 0, { NULL }, { NULL } },
	};
	size_t n = sizeof cases / sizeof *cases;
	struct fw_dfa *shared = fw_dfa_new();

	(void)state;
	assert_non_null(shared);
	/* Each case in a new DFA, then all in one DFA emptied between them (last first). */
	for (size_t j = 0; j < 2 * n; j++) {
		size_t i = j < n ? j : 2 * n - 1 - j;
		const struct known *c = &cases[i];
		struct fw_dfa_ctx x;
		uint32_t nb = 0, na = 0;
		int rc = context_of(c->pattern, c->caseless, c->lit, c->lit_caseless, &x,
				    j < n ? NULL : shared);

		if (rc != c->rc)
			fail_msg("case %zu: /%s/ \"%s\": %d, expected %d", i, c->pattern, c->lit, rc, c->rc);
		while (c->before[nb])
			nb++;
		while (c->after[na])
			na++;
		if (x.n_before != nb || x.n_after != na)
			fail_msg("case %zu: /%s/: %u before and %u after, expected %u and %u", i, c->pattern,
				 x.n_before, x.n_after, nb, na);
		for (uint32_t k = 0; k < nb; k++) {
			struct fw_rx_bytes want = bytes_of(c->before[k]);

			if (memcmp(&want, &x.before[k], sizeof want))
				fail_msg("case %zu: /%s/: before[%u] differs", i, c->pattern, k);
		}
		for (uint32_t k = 0; k < na; k++) {
			struct fw_rx_bytes want = bytes_of(c->after[k]);

			if (memcmp(&want, &x.after[k], sizeof want))
				fail_msg("case %zu: /%s/: after[%u] differs", i, c->pattern, k);
		}
	}
	fw_dfa_free(shared);
}

/* Whether line[0..len) holds lit (exact) at some place where x holds around it. */
static bool
lit_with_context(const struct fw_dfa_ctx *x, const char *lit, const char *line, size_t len)
{
	size_t n = strlen(lit);

	for (size_t at = 0; at + n <= len; at++) {
		bool ok = memcmp(line + at, lit, n) == 0;

		for (uint32_t d = 0; ok && d < x->n_before; d++)
			ok = at > d && fw_rx_bytes_has(&x->before[d], (unsigned char)line[at - d - 1]);
		for (uint32_t d = 0; ok && d < x->n_after; d++)
			ok = at + n + d < len && fw_rx_bytes_has(&x->after[d], (unsigned char)line[at + n + d]);
		if (ok)
			return true;
	}
	return false;
}

/* This file's own seed: its generated cases (checksums printed) stay the same. */
static struct xorshift rng = { 0x2545F4914F6CDD1Du };

static uint32_t
rnd(uint32_t n)
{
	return xorshift_below(&rng, n);
}

/* A random piece of pattern: a few atoms with quantifiers, maybe an alternation. */
static void
gen_piece(char *out, size_t cap)
{
	static const char *const atoms[] = {
		"a", "m", "s", "1", " ", ".", "\\d", "\\w", "\\s", "[ms]", "[^m ]", "[\\d ]", "\\b",
		"\\B", "-", "(?:m|a)", "(?:s1|1)", "^", "$",
	};
	static const char *const quants[] = { "", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?" };
	size_t n = 0;
	uint32_t k = rnd(4);

	out[0] = 0;
	for (uint32_t i = 0; i < k; i++) {
		const char *a = atoms[rnd(sizeof atoms / sizeof *atoms)];
		const char *q = a[0] == '\\' && (a[1] == 'b' || a[1] == 'B') ? "" : quants[rnd(10)];

		if (a[0] == '^' || a[0] == '$')
			q = "";
		n += (size_t)snprintf(out + n, cap - n, "%s%s", a, q);
	}
	if (rnd(5) == 0)
		snprintf(out + n, cap - n, "|%s", atoms[rnd(sizeof atoms / sizeof *atoms)]);
}

static void
gen_line(char *out, size_t *len)
{
	static const char alphabet[] = "ams1 -2M\xc3\xa9";
	size_t n = rnd(14);

	for (size_t i = 0; i < n; i++) {
		if (rnd(6) == 0 && i + 2 <= n) {
			out[i++] = 'm';
			out[i] = 's';
			continue;
		}
		out[i] = alphabet[rnd(sizeof alphabet - 1)];
	}
	*len = n;
}

static void
test_guarantee(void **state)
{
	unsigned with_context = 0, matched = 0;
	uint64_t cases = XORSHIFT_SUM_INIT;
	(void)state;

	for (int p = 0; p < 3000; p++) {
		char pre[128], post[128], pattern[320], line[16];
		struct fw_dfa *d = fw_dfa_new();
		struct fw_dfa_ctx x;
		pcre2_code *code;
		pcre2_match_data *md;
		int err;
		PCRE2_SIZE off;

		gen_piece(pre, sizeof pre);
		gen_piece(post, sizeof post);
		snprintf(pattern, sizeof pattern, "(?:%s)ms(?:%s)", pre, post);
		xorshift_sum(&cases, pattern, strlen(pattern) + 1);
		assert_non_null(d);
		if (add_pattern(d, pattern, strlen(pattern), false) != 0) {
			fw_dfa_free(d);
			continue;
		}
		if (fw_dfa_lit_context(d, (const unsigned char *)"ms", 2, false, &x) != 1) {
			fw_dfa_free(d);
			continue;
		}
		fw_dfa_free(d);
		with_context++;
		code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &err, &off, NULL);
		assert_non_null(code);
		md = pcre2_match_data_create_from_pattern(code, NULL);
		for (int l = 0; l < 200; l++) {
			size_t len;

			gen_line(line, &len);
			xorshift_sum(&cases, line, len);
			xorshift_sum(&cases, "\n", 1);
			if (pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, md, NULL) < 0)
				continue;
			matched++;
			if (!lit_with_context(&x, "ms", line, len))
				fail_msg("/%s/ matches \"%.*s\", but no \"ms\" there has its context", pattern,
					 (int)len, line);
		}
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	/* The generator must exercise the guarantee, not skip it. */
	assert_true(with_context > 300);
	assert_true(matched > 1000);
	print_message("%u patterns with a context, %u lines matched; cases %016llx\n", with_context,
		      matched, (unsigned long long)cases);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_guarantee),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
