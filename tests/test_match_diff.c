/*
 * test_match_diff: the fast engine returns exactly what the reference
 * engine returns (records, their order, the winning pattern, captures) on
 *  - the shipped KB against its records' examples, counterexamples and
 *    case and noise variants of them, and against data/samples/ if present;
 *  - thousands of random patterns and lines (fixed seed; FW_DIFF_SEED=N
 *    reproduces another run), including invalid UTF-8, NUL bytes, long
 *    lines, case variants, patterns without literals, lookarounds,
 *    backreferences, \Q..\E, (?x) and catastrophic backtracking;
 *  - random record masks;
 *  - signatures of one message per rack: the rack's literal, which many
 *    signatures share, is still a confirmation factor where fewer share it
 *    than share the message (and is not where each first factor is the
 *    signature's own), and the factors looked up in the order of their
 *    bytes' rarity, a literal every signature shares first where its
 *    bytes say it is the likelier absent;
 *  - a context taking captures later (compared with fw_match_captures())
 *    and contexts whose scan's first stage changes between lines;
 * all of it twice: with PCRE2 JIT (each pattern JIT-compiled when first
 * confirmed) and without (the interpreter, as under MemoryDenyWriteExecute).
 * A pattern that hits the match limit counts in both engines whenever the
 * fast engine confirms it; the fast engine may skip a pattern that cannot
 * match (its literal is absent), so its limit count is at most the
 * reference's.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "match_pair.h"
#include "random_pattern.h"
#include "xorshift.h"

static struct xorshift rng;

static uint32_t
rnd(uint32_t n)
{
	return xorshift_below(&rng, n);
}

#define PICK(arr) (arr[rnd(sizeof(arr) / sizeof(arr[0]))])

/* ---- the shipped KB --------------------------------------------------- */

static void
case_variant(char *s, size_t len, int how)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (how == 0 && c >= 'a' && c <= 'z')
			s[i] = (char)(c - 32);
		else if (how == 1 && c >= 'A' && c <= 'Z')
			s[i] = (char)(c + 32);
		else if (how == 2 && ((c | 32) >= 'a' && (c | 32) <= 'z') && (i & 1))
			s[i] = (char)(c ^ 32);
	}
}

static void
check_text_variants(struct pair *p, const char *text)
{
	size_t len = strlen(text);
	char *buf = malloc(len + 64);

	assert_non_null(buf);
	pair_check(p, text, len, NULL);
	for (int how = 0; how < 3; how++) {
		memcpy(buf, text, len);
		case_variant(buf, len, how);
		pair_check(p, buf, len, NULL);
	}
	/* Embedded in noise, with an invalid byte and a NUL around it. */
	memcpy(buf, "x\xff\x00 ", 4);
	memcpy(buf + 4, text, len);
	memcpy(buf + 4 + len, " \xc3(", 3);
	pair_check(p, buf, len + 7, NULL);
	/* Cut short: a truncated example must not match by accident in one engine only. */
	for (size_t cut = len / 2; cut < len; cut += 1 + len / 8)
		pair_check(p, text, cut, NULL);
	free(buf);
}

static void
check_samples_dir(struct pair *p, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[4096], *line = NULL;
		size_t cap = 0;
		ssize_t n;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while ((n = getline(&line, &cap, f)) > 0) {
			while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				n--;
			pair_check(p, line, (size_t)n, NULL);
		}
		free(line);
		fclose(f);
	}
	closedir(d);
}

static void
test_shipped_kb(void **state)
{
	const char *paths[1] = { FW_SRCDIR "/data/kb" };
	struct fw_kb_options opts = { .no_jit = pair_no_jit };
	struct fw_kb *kb = NULL;
	struct fw_diag d;
	struct pair p;
	unsigned long examples = 0;

	fw_diag_init(&d);
	if (fw_kb_load(paths, 1, &opts, &kb, &d) < 0)
		fw_diag_print(&d, stderr);
	fw_diag_clear(&d);
	assert_non_null(kb);
	pair_open_kb(&p, kb);
	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];

		for (uint32_t i = 0; i < rec->examples.n; i++, examples++)
			check_text_variants(&p, rec->examples.items[i]);
		for (uint32_t i = 0; i < rec->counterexamples.n; i++)
			check_text_variants(&p, rec->counterexamples.items[i]);
		check_text_variants(&p, rec->signature);
	}
	check_samples_dir(&p, FW_SRCDIR "/data/samples");
	/* Every record's example matches it, so the comparison was not vacuous. */
	assert_true(p.hits >= examples);
	pair_close(&p);
}

/* ---- random patterns and lines ---------------------------------------- */

static const char *const words[] = {
	"upstream", "timed out", "SSL_do_handshake", "failed", "error", "Connection", "refused",
	"502", "GET", "POST", "k8s", "Kelvin", "sshd", "ERROR", "Warn", "disk full", "a", "b", "ab",
	"\xc3\xa9t\xc3\xa9", "caf\xc3\xa9", "\xe2\x84\xaa", "\xc5\xbf", "s", "k", "/api/v1", "x=1",
	"while reading", "127.0.0.1", "HTTP/1.1", "aaaa", "ss", "KK",
};

static const char *const pattern_pieces[] = {
	".*", ".*?", "\\d+", "[^ ]+", "\\s", "\\w+", " ", "(?:GET|POST)", "(?i)", "(?-i)",
	"(?i:ssl)", "(?<num>\\d+)", "(?<word>[a-z]+)", "(x)?", "(?=a)", "(?!b)", "(?<=a)",
	"(a)\\1", "\\Q.*\\E", "[.]", "[Kk]", "\\b", "^", "$", "\\.", "(?:a|b|)", "(?:ab)+",
	"a{2,3}", "[\\x41-\\x5a]+", "\\x{e9}", "(?x) a b ", "(?:error|failed|timed out)",
	"\\p{Lu}", "(?s).", "(?|(a)|(b))",
};

static const struct random_vocab pattern_vocab = {
	words, sizeof words / sizeof *words, pattern_pieces, sizeof pattern_pieces / sizeof *pattern_pieces, NULL, 0,
};

static size_t
random_line(char *buf, size_t cap)
{
	size_t n = 0;
	int kind = (int)rnd(20);

	if (kind == 0) {
		/* Long line: many words, then a tail. */
		while (n + 40 < cap) {
			const char *w = PICK(words);

			memcpy(buf + n, w, strlen(w));
			n += strlen(w);
			buf[n++] = ' ';
		}
		return n;
	}
	if (kind == 1) {
		/* Catastrophic input for (a+)+$ style patterns. */
		size_t k = 20 + rnd(20);

		memset(buf, 'a', k);
		buf[k] = rnd(2) ? 'b' : '!';
		return k + 1;
	}
	for (int i = 0, parts = (int)rnd(10); i < parts; i++) {
		const char *w = PICK(words);
		size_t wl = strlen(w);

		if (n + wl + 4 >= cap)
			break;
		memcpy(buf + n, w, wl);
		if (rnd(4) == 0)
			case_variant(buf + n, wl, (int)rnd(3));
		n += wl;
		switch (rnd(10)) {
		case 0: buf[n++] = '\xff'; break;
		case 1: buf[n++] = '\0'; break;
		case 2: buf[n++] = '\xc3'; break;
		case 3: n += (size_t)snprintf(buf + n, cap - n, "%u", rnd(1000)); break;
		default: buf[n++] = ' '; break;
		}
	}
	return n;
}

static unsigned long random_patterns, random_always, random_dfa, random_lines, random_hits;

static void
run_random_kb(uint32_t n_records, uint32_t n_lines, const char *extra)
{
	static const char *const domains[] = { "d0", "d1", "d2" };
	struct kb_writer w;
	struct pair p;
	char line[4096];
	uint64_t mask[64];

	kbw_open(&w);
	if (extra) {
		const char *x[1] = { extra };

		kbw_add(&w, "d0", x, 1, false);
	}
	for (uint32_t r = 0; r < n_records; r++) {
		char pats[3][256];
		const char *ptrs[3];
		bool caseless = rnd(5) == 0;
		size_t np = 0;

		for (int i = 0, want = 1 + (int)rnd(3); i < want; i++) {
			random_pattern(&rng, &pattern_vocab, pats[np], sizeof pats[np]);
			if (random_pattern_compiles(pats[np], caseless)) {
				ptrs[np] = pats[np];
				np++;
			}
		}
		if (np)
			kbw_add(&w, PICK(domains), ptrs, np, caseless);
	}
	pair_open_kb(&p, kbw_load(&w));
	for (uint32_t l = 0; l < n_lines; l++) {
		size_t len = random_line(line, rnd(8) ? 200 : sizeof line);
		const uint64_t *m = NULL;

		if (rnd(4) == 0) {
			size_t words_n = fw_kb_mask_words(p.kb);

			assert_true(words_n <= 64);
			for (size_t i = 0; i < words_n; i++)
				mask[i] = ((uint64_t)rnd(1u << 31) << 33) ^ ((uint64_t)rnd(1u << 31) << 2) ^ rnd(4);
			m = mask;
		}
		pair_check(&p, line, len, m);
	}
	if (getenv("FW_DIFF_VERBOSE"))
		fprintf(stderr, "%u records: %lu lines, %lu hits, %lu limit hits, %u always confirmed\n",
			p.kb->n_records, p.lines, p.hits, p.limit_hits,
			fw_match_fast_always_count(p.fast));
	random_lines += p.lines;
	random_hits += p.hits;
	random_patterns += p.kb->n_patterns;
	random_always += fw_match_fast_always_count(p.fast);
	random_dfa += fw_match_fast_dfa_count(p.fast);
	pair_close(&p);
}

static void
test_random(void **state)
{
	const char *seed = getenv("FW_DIFF_SEED");
	uint64_t s = seed ? strtoull(seed, NULL, 0) : 0xF1C5EEDu;

	fprintf(stderr, "FW_DIFF_SEED=%llu\n", (unsigned long long)s);
	rng.s = s ? s : 1;
	for (int kb = 0; kb < 30; kb++)
		run_random_kb(1 + rnd(120), 400, NULL);
	/* Most patterns must go through the prefilter, or it is not what is tested. */
	fprintf(stderr, "%lu random patterns, %lu always confirmed, %lu through the DFA\n",
		random_patterns, random_always, random_dfa);
	assert_true(random_always * 4 < random_patterns);
	assert_true(random_dfa * 10 > random_patterns);
	/* The generator must produce matches, or this proves nothing. */
	assert_true(random_hits > random_lines);
}

/*
 * Records sharing patterns (same source, same or other case mode, twice in
 * one record): the fast engine merges equal patterns into one prefilter
 * entry and one confirmation, and must still report every record.
 */
static void
test_equal_patterns(void **state)
{
	char pool[24][256], line[4096];
	uint64_t mask[64];
	struct kb_writer w;
	struct pair p;
	size_t n_pool = 0;

	(void)state;
	rng.s = 0xE0A1u;
	while (n_pool < sizeof pool / sizeof pool[0]) {
		random_pattern(&rng, &pattern_vocab, pool[n_pool], sizeof pool[n_pool]);
		if (random_pattern_compiles(pool[n_pool], false) && random_pattern_compiles(pool[n_pool], true))
			n_pool++;
	}
	kbw_open(&w);
	for (int r = 0; r < 150; r++) {
		const char *ptrs[3];
		size_t np = 1 + rnd(3);

		for (size_t i = 0; i < np; i++)
			ptrs[i] = pool[rnd((uint32_t)n_pool)];
		kbw_add(&w, rnd(2) ? "d0" : "d1", ptrs, np, rnd(4) == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	for (int l = 0; l < 3000; l++) {
		size_t len = random_line(line, 300);
		const uint64_t *m = NULL;

		if (rnd(4) == 0) {
			for (size_t i = 0; i < fw_kb_mask_words(p.kb); i++)
				mask[i] = ((uint64_t)rnd(1u << 31) << 33) ^ ((uint64_t)rnd(1u << 31) << 2) ^ rnd(4);
			m = mask;
		}
		pair_check(&p, line, len, m);
	}
	/* Lines with several records matching one pattern, or this proves nothing. */
	assert_true(p.hits > 2 * p.lines);
	pair_close(&p);
}

/* ---- adversarial patterns ---------------------------------------------- */

static void
test_adversarial(void **state)
{
	static const char *const pats[] = {
		"(a+)+$", "x(a+)+$", "(?=.*upstream)timed", "(?<!no )error", "(\\w+) \\1",
		"\\Qa.b\\E", "(?x) t i m e d \\s o u t", "(?i)KELVIN", "k", "(?i)k", "(?i)s+",
		"\\x{212a}", "caf\\x{e9}", "(?i)CAF\\x{c9}", "a\\x00b", "^$", "\\d{3} \\d+",
		"(?i:gEt|PoSt) /", "[^a]+", "(?|(?<v>a)|(?<v>b))c", "(a+)+\\b$", "(a+)+(?!x)\\b$",
	};
	/* The last one: (?!x), a lookahead the DFA does not model. */
	const uint32_t bounded = sizeof pats / sizeof pats[0] - 1, wordb = bounded - 1;
	static const char *const lines[] = {
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "xaaaaaaaaaaaaaaaaaaaaaaaaaaab", "timed upstream",
		"no error", "an error", "foo foo", "a.b", "timedout", "timed out",
		"\342\204\252ELVIN", "\xe2\x84\xaa", "K", "\xc5\xbf\xc5\xbf", "caf\xc3\xa9", "CAF\xc3\x89",
		"caf\xc3\x89", "", "123 45", "get /", "GET /", "bbb", "ac", "bc",
	};
	struct kb_writer w;
	struct pair p;
	char nul_line[] = "a\0b";
	struct timespec t0, t1;

	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "adv", &pats[i], 1, i % 4 == 3);
	pair_open_kb(&p, kbw_load(&w));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	pair_check(&p, nul_line, 3, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/*
	 * The catastrophic patterns hit the limit in the reference engine. The
	 * fast engine's DFA models (a+)+$, x(a+)+$ and (a+)+\\b$, finds that no
	 * line can match them, and PCRE2 never runs them; (a+)+(?!x)\\b$ is
	 * confirmed with PCRE2 in both engines, hits the limit in both and is
	 * counted in both.
	 */
	assert_true(fw_match_limit_count(p.rc, 0) >= 1);
	assert_true(fw_match_limit_count(p.rc, 1) >= 1);
	assert_true(fw_match_fast_in_dfa(p.fast, 0));
	assert_true(fw_match_fast_in_dfa(p.fast, 1));
	assert_int_equal(fw_match_limit_count(p.fc, 0), 0);
	assert_int_equal(fw_match_limit_count(p.fc, 1), 0);
	assert_true(fw_match_limit_count(p.rc, wordb) >= 1);
	assert_true(fw_match_fast_in_dfa(p.fast, wordb));
	assert_int_equal(fw_match_limit_count(p.fc, wordb), 0);
	assert_false(fw_match_fast_in_dfa(p.fast, bounded));
	assert_true(fw_match_limit_count(p.rc, bounded) >= 1);
	assert_int_equal(fw_match_limit_count(p.fc, bounded), fw_match_limit_count(p.rc, bounded));
	/* ... and bounded: far from a hang, even in a sanitizer build. */
	assert_true(t1.tv_sec - t0.tv_sec < 30);
	pair_close(&p);
}

/*
 * Without JIT, patterns of ASCII source are confirmed on ASCII lines with a
 * code compiled without UTF (match_fast_confirm.c). The places where UTF
 * mode and byte mode could part: caseless k and s (whose Unicode partners
 * are not ASCII), escapes above \x7f, classes and properties, counted
 * characters, lookbehind, (*UTF), and lines with one byte >= 0x80 next to
 * ASCII ones of the same text.
 */
static void
test_ascii_codes(void **state)
{
	static const char *const pats[] = {
		"(?i)kelvin (?<n>\\w+)", "(?i)s+t", "caf\\x{e9}|cafe", "\\x{212a}", "(?i)\\xe9|x",
		"(?<w>\\w+)=(?<v>[^ ]*)", "[[:alpha:]]+ (?<d>\\d{2,3})\\b", "\\p{L}+:(?<r>.{3})",
		"(?<=.)b(?<t>.*) from (?<ip>[0-9.]+)", "\\h+end\\R?", "(*UTF)x(?<c>.)z", "^(?<all>.*)$",
		"(?<u>[^\\s\\[]+) \\[", "(?s)a.c", "(?:\\X)y", "\\W\\S\\D+", "(?<q>\\Q.*\\E)",
		"(a+)+(?!x)\\b$",
	};
	static const char *const lines[] = {
		"KELVIN abc", "\xe2\x84\xaa" "elvin abc", "kelvin ", "sst", "SSST", "\xc5\xbft", "cafe",
		"caf\xc3\xa9", "\xe2\x84\xaa", "\xc3\x89", "x", "key=value other=", "k\xc3\xa9y=v",
		"abc 123", "abc 1234", "\xc3\xa9t\xc3\xa9 123", "word:abcdef", "word:\xc3\xa9\xc3\xa9x",
		"ab user from 10.0.0.1", "b only from 1.2.3.4", "a\xc3\xa9" "b x from 1.2.3.4", " \t end\r\n",
		"xyz", "x\xc3\xa9z", "host [x]", "h\xc3\xa9 [", "a\nc", "abc", "ay", "\xc3\xa9y", " a12",
		"q.*q", "aaaaaaaaaaaaaaaaaaaaaaaa!", "\xff from 1.2.3.4 ab",
	};
	struct kb_writer w;
	struct pair p;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "ascii", &pats[i], 1, i % 3 == 2);
	pair_open_kb(&p, kbw_load(&w));
	/* Without JIT most of these have a byte-mode code, or this tests nothing. */
	if (pair_no_jit)
		assert_true(fw_match_fast_ascii_count(p.fast) * 3 > p.kb->n_patterns * 2);
	else
		assert_int_equal(fw_match_fast_ascii_count(p.fast), 0);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	assert_true(p.hits * 2 > p.lines);
	pair_close(&p);
}

/*
 * Without JIT, a pattern whose matches can only start at known places
 * around one of its literals is tried there only (match_fast_confirm.c):
 * a fixed prefix before the literal, or a run of a class. The places that
 * could go wrong: the literal many times over (more places than kept),
 * overlapping, at the line's ends, inside the run or after a run too
 * short, \b and lookbehind at the start, runs that take the literal's
 * first byte, a continuation that exhausts the match limit, and patterns
 * ruled out (backreference, \G, top-level alternatives, options).
 */
static void
test_start_places(void **state)
{
	static const char *const pats[] = {
		"Failed (?<m>\\w+) for (?:invalid user )?(?<u>.*) from (?<ip>[0-9.]+)",
		"(?<unit>[^\\s:]+): Main process exited, status=(?!0/)(?<st>\\d+)/(?<n>\\S+)",
		"(?<comm>\\S+)\\[(?<pid>\\d+)\\]: segfault at (?<a>[0-9a-f]+)",
		"\\b[0-9]{2}:(?<v>\\w+)=", "(?<=x)ab[cd]e", "[a-z]{3,}=(?<v>\\d+)", "(?<k>\\S+?)\\[x",
		"(?<k>\\w*+)-(?<r>\\w+)", "..ab", "(?<a>.*)ab(?<b>.*)", "\\S+\\[(a+)+$", "(\\w+) \\1:",
		"\\Gab", "ab\\Gc", "xy|\\w+:z", "(*LIMIT_MATCH=50)\\S+\\[(a+)+$", "\\d+\\.(?<f>\\d+)", "(?<s>\\S{2,})\\[y",
	};
	static const char *const lines[] = {
		"sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2",
		"Failed password for invalid user a from b from 1.2.3.4",
		"x Failed Failed password for from 1.2.3.4 Failed none",
		"systemd[1]: a.service: Main process exited, status=1/FAILURE",
		"systemd[1]: a:b.service: Main process exited, status=0/SUCCESS",
		": Main process exited, status=3/X", "kernel: [1.5] su[143]: segfault at 7f ip 1",
		"x[[[su[1]: segfault at 7f", "[12]: segfault at 7f", "a 12:x= 312:yy= 12:z=",
		"xabce abde xabde", "ab=1 abc=2 abcd=3 =4", "k[x kk[[x [x", "ab-cd -x a-", "abab ab",
		"xxabyyab", "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "bb[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"foo foo: foo foo:", "ab xab", "w:z xy", "1.2 3.45 6.", "a[y[y b[y",
	};
	struct kb_writer w;
	struct pair p;
	char line[6000];

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "starts", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	if (pair_no_jit)
		assert_true(fw_match_fast_start_count(p.fast) >= 10);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	/* The literal more times than places are kept, and lines long enough to leave the rule. */
	for (size_t n = 1; n < sizeof line; n = n * 3 + 1) {
		for (size_t i = 0; i < n; i++)
			line[i] = "a[x]b:= 1.2ab"[(i * 7 + n) % 13];
		pair_check(&p, line, n, NULL);
		memcpy(line + n / 2, "su[1]: segfault at 7f", n - n / 2 < 21 ? n - n / 2 : 21);
		pair_check(&p, line, n, NULL);
	}
	/* Runs too long to bound what a search from 0 spends in them: searched from 0. */
	for (size_t n = 500; n <= 4000; n *= 2) {
		memset(line, 'a', n);
		memcpy(line + n, " su[1]: segfault at 7f", 22);
		pair_check(&p, line, n + 22, NULL);
	}
	assert_true(p.hits * 2 > p.lines);
	pair_close(&p);
}

/*
 * Without JIT, a greedy run of a class or "." followed by a literal is
 * confirmed lazily on lines where the literal stands once at most
 * (match_fast_confirm.c). Where it could go wrong: the literal twice or
 * more (greedy and lazy then find different captures: "for a from 1 from
 * 2"), overlapping with itself, not at all, one byte long, the run's own
 * bytes around it, a quantifier the rewrite must not touch (escaped, in a
 * class, under (?x) and (?U)), and a continuation that exhausts the match
 * limit, where the lazy code must hand the line on, not decide it.
 */
static void
test_lazy_runs(void **state)
{
	static const char *const pats[] = {
		"Failed (?<m>\\w+) for (?:invalid user )?(?<u>.*) from (?<ip>[0-9a-f.]+)",
		"(?<k>\\S+): (?<v>\\S+)", "for (?<u>.*) from (?<ip>[0-9a-f]+)", "(?<u>.+):(?<v>\\d*)",
		"x\\*+(?<u>.*)=(?<v>\\w+)", "[*+](?<u>[^;]*)aa;(?<v>.*)", "(?x) (?<u> .* ) \\ from \\ (?<ip> \\d+ )",
		"(?U)(?<u>.*) from (?<ip>\\d+)", "(?<u>.{2,}) from (?<t>(a+)+$)", "(?<a>.*)ab(?<b>.*)ab",
	};
	static const char *const lines[] = {
		"sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2",
		"Failed password for invalid user a from b from 1.2.3.4", "Failed password for from",
		"Failed password for x from 1 from", "k: v", "k:: v: w", "a:b: c", "for a from 1 from 2",
		"for a from 1", "for from from 1", "for a from x", "a:1", "a:1:2", ":", "x**a=b", "x*a=b=c",
		"+x;aa;aaa;", "*aaa;", "*a;aa;", "q 12 from 34", "q from 12 from 34", "a from 7", "abab",
		"ab ab ab", "xaaby", "xx from aaaa", "xx from aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
		"xx from aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a from b from aaaaaaaaaaaaaaaaaaaaaaaaa!",
	};
	struct kb_writer w;
	struct pair p;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "lazy", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	/* Without JIT most of these have a lazy code, or this tests nothing. */
	if (pair_no_jit)
		assert_true(fw_match_fast_lazy_count(p.fast) >= 8);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	assert_true(p.hits * 2 > p.lines);
	if (pair_no_jit)
		assert_true(p.limit_hits > 0);
	pair_close(&p);
}

/*
 * Without JIT, a pattern that begins with a literal (and maybe a run and a
 * second literal) runs the rest of its source after them
 * (match_fast_confirm.c). Where it could go wrong: the second literal
 * twice or more (also inside the head), a run too short or with a byte it
 * does not take (a newline for "."), several places of the head of which
 * only a later one fits, heads the split must leave alone (lookbehind,
 * \\Q, an option, \\b after the run), a rest that is empty or begins with
 * a quantifier's operand, and captures in the rest.
 */
static void
test_split_heads(void **state)
{
	static const char *const pats[] = {
		"pam_unix\\(sshd:auth\\): failure; [^\\n]*?rhost=(?<client>\\S+)(?:\\s+user=(?<user>\\S+))?",
		"Disconnecting: Too many failures(?: for (?<user>\\S+))?(?!!)", "ab[^;]*;(?!0)(?<v>\\w+)",
		"key=.*=(?!0)(?<v>\\d+)", "x\\.y.{2,}z(?!0)(?<t>.)", "GET .*\\bHTTP/(?<v>[\\d.]+)",
		"(?<=q)abc.*def(?<x>\\d)", "a\\Qb.c\\E.*d(?<y>.)", "(?i)kk.*mm(?<w>\\d)", "cd.*ef(?!0)(?<z>\\d)",
		"lone literal(?!!)", "xyz+(?!0)(?<q>\\d)",
	};
	/* The lookaheads keep these from the DFA, which would decide most lines before the split is asked. */
	static const char *const lines[] = {
		"sshd[1]: pam_unix(sshd:auth): failure; logname= uid=0 rhost=1.2.3.4 user=root",
		"pam_unix(sshd:auth): failure; rhost= rhost=1.2.3.4", "pam_unix(sshd:auth): failure; rhost=",
		"pam_unix(sshd:auth): failure;rhost=x", "Disconnecting: Too many failures for root [preauth]",
		"Disconnecting: Too many failures", "ab x;y", "ab x;y;z", "ab\n;y", "ab ;", "xab;ab;q", "key=a=1",
		"key==1", "key=a=b=2", "x.yabz1", "x.yaz1", "x.yz1", "GET /a HTTP/1.1", "GET /aHTTP/1.1",
		"qabc def1", "abc def1", "ab.cxd1", "KK mm1", "kk mm1", "cd ef1", "cd\ncd ef1", "cd x\nef1",
		"cd cd ef1 ef2", "cd cd\nx ef1", "a lone literal", "a lone literal!", "xyzzz7", "xy7", "cd \xc3\xa9 ef1",
	};
	struct kb_writer w;
	struct pair p;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "split", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	/* Without JIT most of these are split, or this tests nothing. */
	if (pair_no_jit)
		assert_true(fw_match_fast_split_count(p.fast) >= 6);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	assert_true(p.hits * 2 > p.lines);
	pair_close(&p);
}

/*
 * Without JIT, a pattern of alternatives is not tried on a line that lacks
 * a literal of each branch (match_fast_confirm.c). Literals that must not
 * count: in an optional or repeated group, in a lookaround, caseless, and
 * a branch without any (then every line is tried).
 */
static void
test_branch_literals(void **state)
{
	static const char *const pats[] = {
		"(?:open (?<a>[^ ]*\\.pid) failed(?!, c)|invalid PID (?<b>\\w+) in)",
		"abcd(?!e)|xyz[0-9](?!q)", "(?:foo(?: bar)?(?!z)|quxx(?:yyy)+)", "aaa(?=bcd)|xyzw", "(?i:kkk)|mmm(?!n)",
		"(?:ppp|q)(?!r)",
	};
	static const char *const lines[] = {
		"open x.pid failed", "open x failed", "open x.pid failed, c", "invalid PID 3 in", "invalid PID in",
		"abcd", "abcde xyz1", "xyz1q", "foo", "foo bar", "fooz", "quxxyyyyyy", "quxx", "aaabcd", "aaab",
		"KKK", "kKk", "mmm", "mmmn", "ppp", "q", "qr",
	};
	struct kb_writer w;
	struct pair p;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "branches", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		pair_check_str(&p, lines[i]);
	assert_true(p.hits * 2 > p.lines);
	pair_close(&p);
}

/* Many candidates on one line: their ordering must not depend on how they were found. */
static void
test_many_candidates(void **state)
{
	struct kb_writer w;
	struct pair p;
	char pat[64];
	const char *pp[1] = { pat };

	kbw_open(&w);
	for (int i = 0; i < 150; i++) {
		/* Reverse-ish order of the second literal so that scan order differs from KB order. */
		snprintf(pat, sizeof pat, "upstream timed out(?: |\\d){%d}.*Zq%03d", i % 40, 149 - i);
		kbw_add(&w, "many", pp, 1, i % 7 == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	for (int i = 0; i < 150; i += 7) {
		char line[2048];
		int n = snprintf(line, sizeof line, "upstream timed out 1 2 3 4 5 6 7 8 9");

		for (int k = 149; k >= 0 && n < (int)sizeof line - 8; k -= 1 + (k + i) % 3)
			n += snprintf(line + n, sizeof line - (size_t)n, " Zq%03d", k);
		pair_check(&p, line, (size_t)n, NULL);
	}
	assert_true(p.hits > 100);
	pair_close(&p);
}

/*
 * Log-shape signatures, whose literals are in every line of their shape or
 * absent: the DFA decides which to confirm. Lines of those shapes with and
 * without the error, with invalid UTF-8, CR, a final newline, case changes.
 */
static void
test_shapes(void **state)
{
	static const char *const pats[] = {
		"^\\d+\\.\\d+\\.\\d+\\.\\d+ [^ ]+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^ ]+ [^\"]+\" 5\\d\\d \\d{7,}",
		"^[A-Z][a-z]{2} +\\d+ [\\d:]+ [^ ]+ [a-z]+\\[\\d+\\]: [^ ]+ \\d{11}$",
		"^\\d+ \\d+$", "(?i)^get [^ ]+ \\d{3}\\z", "[^\\x00-\\x7f]{2}\\Z", "^(?:\\d+:)+\\s*$",
	};
	static const char *const hosts[] = { "203.0.113.7", "10.0.0.1", "198.51.100.23" };
	static const char *const statuses[] = { "200", "404", "502", "503", "5x3" };
	static const char *const sizes[] = { "512", "1234567", "98765432", "x" };
	static const char *const tails[] = { "", "\n", "\r", "\xff", "\xc3\xa9", " " };
	struct kb_writer w;
	struct pair p;
	char line[512];

	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "shape", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_dfa_count(p.fast), sizeof pats / sizeof pats[0]);
	for (size_t h = 0; h < 3; h++)
		for (size_t s = 0; s < 5; s++)
			for (size_t z = 0; z < 4; z++)
				for (size_t t = 0; t < 6; t++) {
					int n = snprintf(line, sizeof line,
							 "%s - - [23/Nov/2026:08:00:00 +0000] \"GET /a?b=\xff HTTP/1.1\" %s %s%s",
							 hosts[h], statuses[s], sizes[z], tails[t]);

					pair_check(&p, line, (size_t)n, NULL);
					n = snprintf(line, sizeof line, "Nov %zu 08:00:0%zu web-%zu cron[%zu]: job %s%s",
						     h + 1, s, z, t, z == 1 ? "12345678901" : sizes[z], tails[t]);
					pair_check(&p, line, (size_t)n, NULL);
					n = snprintf(line, sizeof line, "%s %s%s", statuses[s], sizes[z], tails[t]);
					pair_check(&p, line, (size_t)n, NULL);
					n = snprintf(line, sizeof line, "%s /x %s%s", t % 2 ? "GET" : "gEt", statuses[s],
						     tails[t]);
					pair_check(&p, line, (size_t)n, NULL);
					n = snprintf(line, sizeof line, "%s:%s:%s", statuses[s], sizes[z], tails[t]);
					pair_check(&p, line, (size_t)n, NULL);
				}
	assert_true(p.hits > 100);
	pair_close(&p);
}

/*
 * A pattern whose DFA has a new state at nearly every byte of a long line:
 * the DFA gives up on it, and the pattern is confirmed with PCRE2 instead,
 * so the results stay the reference's.
 */
static void
test_dfa_gives_up(void **state)
{
	static const char *const pats[] = { "(?:a|b)*a(?:a|b){14}c", "(?:a|b){15}d" };
	struct kb_writer w;
	struct pair p;
	size_t len = 20000;
	char *line = malloc(len + 1);
	uint64_t seed = 42;

	assert_non_null(line);
	for (size_t i = 0; i < len; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		line[i] = (seed >> 33) & 1 ? 'a' : 'b';
	}
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "blowup", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_dfa_count(p.fast), 2);
	line[len - 16] = 'a';
	line[len - 1] = 'c';
	pair_check(&p, line, len, NULL);
	assert_true(fw_match_fast_dfa_gave_up(p.fc) >= 1);
	line[len - 1] = 'd';
	pair_check(&p, line, len, NULL);
	pair_check_str(&p, "abababababababababd");
	pair_check_str(&p, "ac");
	/* The interpreter hits the match limit on the long lines where JIT
	 * matches; both engines then count the limit. */
	assert_true(p.hits + p.limit_hits >= 3);
	if (!pair_no_jit)
		assert_true(p.hits >= 3);
	pair_close(&p);
	free(line);
}

/*
 * Confirmation factors of patterns that stand on the same lines: each of
 * 8 messages is logged by 32 racks, one signature per message and rack.
 * A rack's literal ("R07-M") is shared by 8 signatures, fewer than share
 * its message: it tells them apart on the message's lines and is looked
 * up before the PCRE2 run. The same kind of literal shared by 16
 * signatures whose first factors are their own says nothing of them
 * there and is not. The results stay the reference's.
 */
static void
test_confirm_shared(void **state)
{
	enum { MSGS = 8, RACKS = 32, OWN = 16 };
	static const char *const msgs[MSGS] = {
		"ciod: Error creating node map from file", "rts: kernel terminated for reason",
		"machine check interrupt (bit=0x1d)", "data TLB error interrupt on core",
		"Node card VPD check: missing", "idoproxydb hit ASSERT condition",
		"MidplaneSwitchController performing bit sparing", "ddr: excessive soft failures",
	};
	char pats[MSGS * RACKS + OWN][160], line[200], buf[512];
	const char *ptrs[MSGS * RACKS + OWN];
	struct kb_writer w;
	struct pair p;
	size_t n = 0;

	(void)state;
	for (unsigned m = 0; m < MSGS; m++)
		for (unsigned r = 0; r < RACKS; r++) {
			snprintf(pats[n], sizeof pats[n], "R%02u-M[01]-N[0-9A-F] RAS KERNEL FATAL %s %u", r, msgs[m], m);
			ptrs[n] = pats[n];
			n++;
		}
	for (unsigned i = 0; i < OWN; i++) {
		snprintf(pats[n], sizeof pats[n], "R77-M[01] .* token-%u-qzxv(?:jk)?wb", i);
		ptrs[n] = pats[n];
		n++;
	}
	kbw_open(&w);
	kbw_add(&w, "racks", ptrs, n, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_describe(p.fast, 0, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "\"R00-M\""));
	assert_int_equal(fw_match_fast_describe(p.fast, 5 * RACKS + 17, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "\"R17-M\""));
	assert_int_equal(fw_match_fast_describe(p.fast, MSGS * RACKS + 3, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "token-3-qzxv"));
	assert_null(strstr(buf, "R77-M"));
	for (unsigned m = 0; m < MSGS; m++)
		for (unsigned r = 0; r < RACKS + 2; r += 3) {
			snprintf(line, sizeof line, "- 1117838570 R%02u-M%u-N%X RAS KERNEL FATAL %s %u", r, r % 2, r % 16,
				 msgs[m], m);
			pair_check_str(&p, line);
			/* The rack's literal cut: every pattern of the message turned away by it. */
			line[4] = 'x';
			pair_check_str(&p, line);
		}
	pair_check_str(&p, "R77-M1 x token-3-qzxvwb");
	pair_check_str(&p, "R76-M1 x token-3-qzxvjkwb");
	assert_true(p.hits >= MSGS * 11 + 1);
	pair_close(&p);
}

/*
 * The order confirmation factors are looked up in: the likeliest absent
 * by its bytes first, however many patterns share it. Each of 64
 * signatures has a host of its own, " TCP_DENIED/403 " (shared by all)
 * and an address of its own: the status is looked up before the address.
 * The results stay the reference's.
 */
static void
test_confirm_order(void **state)
{
	enum { N = 64 };
	char pats[N][120], line[200], buf[512];
	const char *ptrs[N], *status, *addr;
	struct kb_writer w;
	struct pair p;

	(void)state;
	for (unsigned i = 0; i < N; i++) {
		snprintf(pats[i], sizeof pats[i], "telemetry-%02u\\.quokka\\.example .* TCP_DENIED/403 .* 2001:db8:%x:",
			 i, 7 * i + 11);
		ptrs[i] = pats[i];
	}
	kbw_open(&w);
	kbw_add(&w, "proxy", ptrs, N, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_describe(p.fast, 0, buf, sizeof buf), 1);
	status = strstr(buf, "\" TCP_DENIED/403 \"");
	addr = strstr(buf, "\" 2001:db8:b:\"");
	assert_non_null(status);
	assert_non_null(addr);
	assert_true(status < addr);
	for (unsigned i = 0; i < N; i += 5) {
		snprintf(line, sizeof line, "1764979200.123 42 telemetry-%02u.quokka.example - TCP_DENIED/403 3984 GET "
			 "http://x/ - HIER_NONE 2001:db8:%x::5 text/html", i, 7 * i + 11);
		pair_check_str(&p, line);
		memcpy(strstr(line, "DENIED"), "MISSED", 6);
		pair_check_str(&p, line);
	}
	assert_true(p.hits >= N / 5);
	pair_close(&p);
}

static void
test_describe(void **state)
{
	static const char *const pats[] = {
		"upstream timed out \\(110: Connection timed out\\)", "(?i)ssl_do_handshake",
		"^\\d+ \\w+$", "(?:GET|POST) /admin/[^ ]+ HTTP", "^(\\d+) \\1$",
	};
	struct kb_writer w;
	struct pair p;
	char buf[256];

	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "desc", &pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_describe(p.fast, 0, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "110: Connection timed out)"));
	assert_int_equal(fw_match_fast_describe(p.fast, 1, buf, sizeof buf), 1);
	/* Caseless s and k also match U+017F and U+212A under UTF: both spellings are looked for. */
	assert_string_equal(buf, "(\"sl_do_hand\"i|\"\\xc5\\xbfl_do_hand\"i)");
	assert_int_equal(fw_match_fast_describe(p.fast, 2, buf, sizeof buf), 0);
	assert_string_equal(buf, "none");
	assert_int_equal(fw_match_fast_describe(p.fast, 3, buf, sizeof buf), 1);
	assert_non_null(strstr(buf, "/admin/"));
	/* No literal: ^\\d+ \\w+$ goes to the DFA; ^(\\d+) \\1$ (a backreference) cannot. */
	assert_true(fw_match_fast_in_dfa(p.fast, 2));
	assert_int_equal(fw_match_fast_describe(p.fast, 4, buf, sizeof buf), 0);
	assert_false(fw_match_fast_in_dfa(p.fast, 4));
	assert_int_equal(fw_match_fast_always_count(p.fast), 1);
	assert_int_equal(fw_match_fast_dfa_count(p.fast), 1);
	assert_int_equal(fw_match_fast_describe(p.ref, 0, buf, sizeof buf), -EINVAL);
	assert_int_equal(fw_match_fast_describe(p.fast, 99, buf, sizeof buf), -EINVAL);
	/* A short buffer is cut, never overrun. */
	assert_int_equal(fw_match_fast_describe(p.fast, 0, buf, 8), 1);
	assert_int_equal(strlen(buf), 7);
	pair_check_str(&p, "upstream timed out (110: Connection timed out) while");
	pair_check_str(&p, "POST /admin/x HTTP/1.1");
	pair_close(&p);
}

/*
 * A caseless k or s makes its literal a set of two: as itself and as its
 * non-ASCII partner (U+212A, U+017F). Lines that spell the letter either
 * way match in both engines, through the prefilter and through the DFA,
 * whose member is now gated by the set.
 */
static void
test_caseless_partners(void **state)
{
	static const char *const pats[] = {
		"ssl_do_handshake", "\\b[0-9a-f]{8}-[0-9a-f]{4}\\b.* \\d{5,}ms", "disk full",
	};
	static const char *const hits[] = {
		"SSL_do_handshake() failed", "\xc5\xbfsl_do_hand\xc5\xbfhake() failed",
		"req 0f8e2a1c-9b7d took 123456ms", "req 0F8E2A1C-9B7D took 123456MS",
		"req 0f8e2a1c-9b7d took 123456m\xc5\xbf", "/dev/sda: DISK FULL",
		"/dev/sda: di\xc5\xbf\xe2\x84\xaa full",
	};
	static const char *const misses[] = {
		"SSL_do_hand shake() failed", "req 0f8e2a1c-9b7d took 123456 ms",
		"req 0f8e2a1c-9b7d took 123456m\xc5\xbe", "/dev/sda: dis\xe2\x84\xab full",
	};
	struct kb_writer w;
	struct pair p;
	char buf[256];

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++)
		kbw_add(&w, "partner", &pats[i], 1, true);
	pair_open_kb(&p, kbw_load(&w));
	assert_true(fw_match_fast_in_dfa(p.fast, 1));
	assert_int_equal(fw_match_fast_describe(p.fast, 1, buf, sizeof buf), 1);
	assert_string_equal(buf, "(\"ms\"i|\"m\\xc5\\xbf\"i)");
	for (size_t i = 0; i < sizeof hits / sizeof hits[0]; i++)
		pair_check_str(&p, hits[i]);
	assert_int_equal(p.hits, sizeof hits / sizeof hits[0]);
	for (size_t i = 0; i < sizeof misses / sizeof misses[0]; i++)
		pair_check_str(&p, misses[i]);
	assert_int_equal(p.hits, sizeof hits / sizeof hits[0]);
	pair_close(&p);
}

/* ---- the scan's edges ------------------------------------------------- */

/*
 * Literals of every key length (1, 2, 3 -> a 2-byte key, 4 and more),
 * exact and caseless, each alone in its pattern, placed at every position
 * of lines of every length from 0 up to past three scan steps of 8 (the
 * pair map's two steps a turn, then its one step left), amid
 * several filler bytes (a NUL and an invalid byte among them), in every
 * case variant of a short caseless literal (so the case varies at the
 * pair the scan looks at). Caseless literals avoid s and k, which lit.c
 * leaves out under UTF. A 1-byte literal is usable only when its byte is
 * rare in any text (a control byte): printable ones are in most lines.
 */
static const struct {
	const char *regex, *text, *describe;
	bool caseless;
} edge_lits[] = {
	{ "\\x01", "\x01", "\"\\x01\"", false },
	{ "\\x02", "\x02", "\"\\x02\"i", true },
	{ "Zq", "Zq", "\"Zq\"", false },
	{ "xJ", "xj", "\"xj\"i", true },
	{ "Q#z", "Q#z", "\"Q#z\"", false },
	{ "vQw", "vqw", "\"vqw\"i", true },
	{ "ZqXw", "ZqXw", "\"ZqXw\"", false },
	{ "jQzX", "jqzx", "\"jqzx\"i", true },
	{ "Upstream!Fail", "Upstream!Fail", "\"Upstream!Fail\"", false },
	{ "gateway_TimeOut", "gateway_timeout", "\"gateway_timeout\"i", true },
};

static const char edge_fill[] = { '.', '\0', '\xff', 'a', ' ' };

/* Case variant number v of text: bit j of v uppercases the j-th letter. */
static void
edge_variant(char *out, const char *text, size_t n, unsigned v)
{
	for (size_t j = 0, letter = 0; j < n; j++) {
		unsigned char c = (unsigned char)text[j];

		out[j] = (char)c;
		if (c >= 'a' && c <= 'z' && ((v >> letter++) & 1))
			out[j] = (char)(c - ('a' - 'A'));
	}
}

static void
test_scan_edges(void **state)
{
	struct kb_writer w;
	struct pair p;
	char line[64], desc[128];
	unsigned long with_lit = 0;

	kbw_open(&w);
	for (size_t i = 0; i < sizeof edge_lits / sizeof edge_lits[0]; i++)
		kbw_add(&w, "edge", &edge_lits[i].regex, 1, edge_lits[i].caseless);
	pair_open_kb(&p, kbw_load(&w));
	/* Every literal goes through the scan, with the key length its length implies. */
	for (uint32_t i = 0; i < sizeof edge_lits / sizeof edge_lits[0]; i++) {
		assert_int_equal(fw_match_fast_describe(p.fast, i, desc, sizeof desc), 1);
		assert_string_equal(desc, edge_lits[i].describe);
	}
	assert_int_equal(fw_match_fast_always_count(p.fast), 0);

	/* Filler only, lines of 0 to 25 bytes: nothing to find. */
	for (size_t len = 0; len <= 25; len++)
		for (size_t f = 0; f < sizeof edge_fill; f++) {
			memset(line, edge_fill[f], len);
			pair_check(&p, line, len, NULL);
		}
	for (size_t i = 0; i < sizeof edge_lits / sizeof edge_lits[0]; i++) {
		const char *text = edge_lits[i].text;
		size_t n = strlen(text);
		unsigned variants = edge_lits[i].caseless ? (n <= 4 ? 1u << n : 4u) : 1u;

		for (unsigned v = 0; v < variants; v++) {
			char lit[32];

			if (edge_lits[i].caseless && n > 4)
				/* Long caseless: lower, upper, alternating, other alternation. */
				edge_variant(lit, text, n, v == 0 ? 0u : v == 1 ? ~0u : v == 2 ? 0x5555u : 0xAAAAu);
			else
				edge_variant(lit, text, n, v);
			for (size_t len = n; len <= n + 25; len++)
				for (size_t at = 0; at + n <= len; at++)
					for (size_t f = 0; f < sizeof edge_fill; f++) {
						memset(line, edge_fill[f], len);
						memcpy(line + at, lit, n);
						pair_check(&p, line, len, NULL);
						with_lit++;
					}
		}
	}
	/* Every line with a literal matched in both engines. */
	assert_true(p.hits >= with_lit);

	/* All literals on one line, shifted across the step boundaries. */
	for (size_t shift = 0; shift <= 9; shift++) {
		size_t len = shift;
		char big[256];

		memset(big, '.', shift);
		for (size_t i = 0; i < sizeof edge_lits / sizeof edge_lits[0]; i++) {
			memcpy(big + len, edge_lits[i].text, strlen(edge_lits[i].text));
			len += strlen(edge_lits[i].text);
		}
		pair_check(&p, big, len, NULL);
	}
	pair_close(&p);
}

/*
 * Literals longer than a head (8 bytes) whose rare bytes, and so their
 * keys, lie in their second half, cut at the end of a line held in a
 * buffer of exactly its length: the check of a key hit must not read past
 * the line (the sanitizer build sees any such read).
 */
static void
test_literal_cut_at_line_end(void **state)
{
	static const char *const lits[] = {
		"abcdefghijQZXJklmnop", "abcdefghQZXJkl", "aaaaaaaaaaZQXJzzzzz", "eeeeeeeeeeeeVWQX",
	};
	static const char *const leads[] = { "", "x", "xx abcdefgh ", "0123456789abcdef " };

	(void)state;
	for (int caseless = 0; caseless <= 1; caseless++) {
		struct kb_writer w;
		struct pair p;
		unsigned long whole = 0;

		kbw_open(&w);
		for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++)
			kbw_add(&w, "cut", &lits[i], 1, caseless);
		pair_open_kb(&p, kbw_load(&w));
		for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++)
			for (size_t l = 0; l < sizeof leads / sizeof leads[0]; l++)
				for (size_t keep = 1; keep <= strlen(lits[i]); keep++) {
					size_t nl = strlen(leads[l]), n = nl + keep;
					char *line = malloc(n);

					assert_non_null(line);
					memcpy(line, leads[l], nl);
					memcpy(line + nl, lits[i], keep);
					pair_check(&p, line, n, NULL);
					free(line);
					whole += keep == strlen(lits[i]);
				}
		/* The whole literal, at the very end of the line, matched in both engines. */
		assert_true(p.hits >= whole);
		pair_close(&p);
	}
}

/* A word of the many-keys vocabulary: 4 to 14 letters, digits and _-:=/, some capitals. */
static void
vocab_word(char *out)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789_-:=/AEKS";
	size_t n = 4 + rnd(11);

	for (size_t i = 0; i < n; i++)
		out[i] = abc[rnd(sizeof abc - 1)];
	out[n] = '\0';
}

/*
 * Thousands of distinct literals, so that the scan runs the bucketed
 * filter (and runs it again after the context re-keys): lines of the same
 * vocabulary with whole words, case variants and cut words (a word's
 * window without the rest of it), at every length.
 */
static void
test_many_keys(void **state)
{
	static char vocab[3000][16];
	static const char *const joins[] = { ".*", " ", "\\d+", "[^ ]+", "(?:x|y)?", "" };
	struct kb_writer w;
	struct pair p;
	char pat[96], line[512];
	const char *pp[1] = { pat };
	unsigned long cut = 0;

	(void)state;
	rng.s = 0x6d616e79u;
	for (size_t i = 0; i < sizeof vocab / sizeof vocab[0]; i++)
		vocab_word(vocab[i]);
	kbw_open(&w);
	for (int r = 0; r < 2600; r++) {
		const char *a = vocab[rnd(3000)], *b = vocab[rnd(3000)];

		if (rnd(3))
			snprintf(pat, sizeof pat, "%s%s%s", a, PICK(joins), b);
		else
			snprintf(pat, sizeof pat, "%s", a);
		kbw_add(&w, "many", pp, 1, rnd(6) == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	assert_true(fw_match_fast_bucketed(p.fast));
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 32 << 10, 64 << 10), 0);
	for (int l = 0; l < 6000; l++) {
		size_t n = 0, want = rnd(l % 10 == 0 ? 24 : 300);

		while (n < want) {
			const char *v = vocab[rnd(3000)];
			size_t vl = strlen(v);

			if (rnd(4) == 0 && vl > 5) {
				/* A cut word: all of it but its first or its last bytes. */
				size_t k = 1 + rnd(3);

				if (rnd(2))
					v += k;
				vl -= k;
				cut++;
			}
			if (n + vl + 4 >= sizeof line)
				break;
			memcpy(line + n, v, vl);
			if (rnd(5) == 0)
				case_variant(line + n, vl, (int)rnd(3));
			n += vl;
			n += (size_t)snprintf(line + n, sizeof line - n, "%s", rnd(3) ? " " : rnd(2) ? "7" : "");
		}
		pair_check(&p, line, n < want ? n : want, NULL);
	}
	assert_true(p.hits > 1000);
	assert_true(cut > 1000);
	fprintf(stderr, "many keys: %lu lines, %lu hits, %lu cut words, %llu re-keyed\n", p.lines, p.hits, cut,
		(unsigned long long)fw_match_fast_rekeys(p.fc));
	pair_close(&p);
}

/*
 * Hits of a context that takes captures later (fw_match_lazy_captures())
 * against the reference's: the same records and patterns, and for each
 * hit decided without its captures, fw_match_captures() gives the
 * reference's. Returns how many hits were decided without them.
 */
static unsigned long
check_lazy(struct pair *p, struct fw_match_ctx *lazy, const char *line, size_t len)
{
	struct fw_match_result r, f;
	struct fw_capture caps[16];
	unsigned long n_later = 0;

	fw_match_line(p->rc, line, len, NULL, &r);
	fw_match_line(lazy, line, len, NULL, &f);
	assert_int_equal(r.n_hits, f.n_hits);
	for (uint32_t i = 0; i < r.n_hits; i++) {
		const struct fw_hit *x = &r.hits[i], *y = &f.hits[i];
		const struct fw_capture *got = f.captures + y->first_capture;
		uint32_t n = y->n_captures;

		assert_int_equal(x->record, y->record);
		assert_int_equal(x->pattern, y->pattern);
		if (y->captures_later) {
			int k = fw_match_captures(lazy, y->pattern, line, len, caps, 16);

			assert_true(k >= 0);
			got = caps;
			n = (uint32_t)k;
			n_later++;
		}
		assert_int_equal(n, x->n_captures);
		for (uint32_t c = 0; c < n; c++) {
			assert_ptr_equal(got[c].name, r.captures[x->first_capture + c].name);
			assert_int_equal(got[c].offset, r.captures[x->first_capture + c].offset);
			assert_int_equal(got[c].length, r.captures[x->first_capture + c].length);
		}
	}
	return n_later;
}

/*
 * Captures taken later, and a first stage that changes between lines: a
 * short schedule makes the contexts sample every few dozen lines, and
 * lines made of the letters of some keys (where the pair map stops at
 * every byte and the bucketed filter, testing more of them, seldom)
 * alternate with ordinary lines, so that the two stages take turns. Both
 * fast contexts (one taking captures at once, one later) must agree with
 * the reference throughout.
 */
static void
test_lazy_stages(void **state)
{
	static const char *const tails[] = {
		"conn (?<id>\\d+) failed(?:, client: (?<client>[^,]+))?(?:, host: (?<host>\\S+))?",
		"key (?<n>\\d+)(?: id=(?<id>\\w+))?",
		"(?<w>\\w+) again(?: \\k<w>)?",
		"ab(?<rest>.*)",
	};
	struct kb_writer w;
	struct pair p;
	struct fw_match_ctx *lazy;
	char line[4096], keywords[24][11];
	unsigned long n_later = 0;

	(void)state;
	rng.s = 0x1a2c5eedu;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++)
		kbw_add(&w, "tail", &tails[i], 1, i == 2);
	/* Words of four letters, whose pairs are all common in lines of those letters. */
	for (size_t i = 0; i < 24; i++) {
		char pat[64];
		const char *pp[1] = { pat };

		for (size_t j = 0; j < 10; j++)
			keywords[i][j] = "abcd"[rnd(4)];
		keywords[i][10] = '\0';
		snprintf(pat, sizeof pat, "%.10s(?: id=(?<id>\\d+))?", keywords[i]);
		kbw_add(&w, "word", pp, 1, i % 3 == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	lazy = fw_match_ctx_new(p.fast);
	assert_non_null(lazy);
	assert_int_equal(fw_match_lazy_captures(lazy, true), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 4096), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(lazy, 4096, 4096), 0);
	for (int l = 0; l < 4000; l++) {
		size_t len;

		if ((l / 200) % 2) {
			/* Runs of three of the words' letters, and now and then a word. */
			for (len = 0; len < 160; len += 4) {
				for (int j = 0; j < 3; j++)
					line[len + (size_t)j] = "abcd"[rnd(4)];
				line[len + 3] = rnd(5) ? ' ' : '-';
			}
			if (l % 8 == 0)
				len += (size_t)snprintf(line + len, sizeof line - len, "%s%s", keywords[rnd(24)],
							rnd(2) ? " id=42" : "");
		} else if (rnd(3) == 0) {
			len = (size_t)snprintf(line, sizeof line, "conn %u failed%s%s", rnd(100),
					       rnd(2) ? ", client: 10.0.0.1" : "", rnd(2) ? ", host: a.example" : "");
		} else {
			len = random_line(line, rnd(8) ? 200 : sizeof line);
		}
		pair_check(&p, line, len, NULL);
		n_later += check_lazy(&p, lazy, line, len);
	}
	fprintf(stderr, "lazy stages: %lu lines, %lu hits, %lu decided without captures, %llu/%llu stage switches\n",
		p.lines, p.hits, n_later, (unsigned long long)fw_match_fast_stage_switches(p.fc),
		(unsigned long long)fw_match_fast_stage_switches(lazy));
	/* Not vacuous: hits without captures, and both stages in each context. */
	assert_true(n_later > 100);
	assert_true(fw_match_fast_stage_switches(p.fc) >= 2);
	assert_true(fw_match_fast_stage_switches(lazy) >= 2);
	fw_match_ctx_free(lazy);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_kb),
		cmocka_unit_test(test_ascii_codes),
		cmocka_unit_test(test_start_places),
		cmocka_unit_test(test_lazy_runs),
		cmocka_unit_test(test_split_heads),
		cmocka_unit_test(test_branch_literals),
		cmocka_unit_test(test_adversarial),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_dfa_gives_up),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_caseless_partners),
		cmocka_unit_test(test_many_candidates),
		cmocka_unit_test(test_scan_edges),
		cmocka_unit_test(test_literal_cut_at_line_end),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_equal_patterns),
		cmocka_unit_test(test_confirm_shared),
		cmocka_unit_test(test_confirm_order),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_lazy_stages),
	};

	int failed = cmocka_run_group_tests_name("with JIT", tests, NULL, NULL);

	pair_no_jit = true;
	return failed + cmocka_run_group_tests_name("without JIT", tests, NULL, NULL);
}
