/*
 * test_match_jit_first: the fast engine is right when it is the one that
 * JIT-compiles the KB's patterns (kb_jit.c: on first confirmation).
 *
 * The other differential tests open the reference engine first, which
 * JIT-compiles every pattern when it is built, so the fast engine never
 * meets a pending pattern there. Here a KB is loaded and only the fast
 * engine is opened; it matches every line, and each pattern's JIT compile
 * happens inside one of its confirmations. Then a second load of the
 * same KB gets a reference engine, and every line's result (records,
 * order, winning pattern, captures) must be the one the fast engine gave.
 *
 * KBs: the shipped one (examples, counterexamples, signatures and case
 * variants), and random ones (fixed seed) with (*NO_JIT) patterns. PCRE2
 * JIT compiles every pattern it is given, so a refused compile is made
 * with -Wl,--wrap: one pattern's compile fails (that pattern alone is
 * interpreted), or, in another run, JIT runs out of memory part way
 * through the lines (every pattern still pending is interpreted from
 * then on). Skipped where this process may not JIT.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match_pair.h"
#include "random_pattern.h"
#include "xorshift.h"

static struct {
	const pcre2_code *fail_code;    /* this code's compile fails with PCRE2_ERROR_INTERNAL */
	int fail_all;                   /* when not 0, every compile fails with it */
	unsigned calls;
} wrap;

int __real_pcre2_jit_compile_8(pcre2_code *code, uint32_t options);
int __wrap_pcre2_jit_compile_8(pcre2_code *code, uint32_t options);

int
__wrap_pcre2_jit_compile_8(pcre2_code *code, uint32_t options)
{
	wrap.calls++;
	if (wrap.fail_all)
		return wrap.fail_all;
	if (code && code == wrap.fail_code)
		return PCRE2_ERROR_INTERNAL;
	return __real_pcre2_jit_compile_8(code, options);
}

/* The lines of one run, and what the fast engine found on each. */
struct lines {
	char **text;
	size_t *len;
	char **got;
	size_t n, cap;
};

static void
lines_add(struct lines *l, const char *text, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->text = realloc(l->text, l->cap * sizeof *l->text);
		l->len = realloc(l->len, l->cap * sizeof *l->len);
		l->got = realloc(l->got, l->cap * sizeof *l->got);
		assert_non_null(l->text);
		assert_non_null(l->len);
		assert_non_null(l->got);
	}
	l->text[l->n] = malloc(len + 1);
	assert_non_null(l->text[l->n]);
	memcpy(l->text[l->n], text, len);
	l->text[l->n][len] = '\0';
	l->len[l->n] = len;
	l->got[l->n] = NULL;
	l->n++;
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->text[i]);
		free(l->got[i]);
	}
	free(l->text);
	free(l->len);
	free(l->got);
}

/* A result as text: "record-id/pattern-index" per hit, each capture as name=offset+length. */
static char *
describe(const struct fw_kb *kb, const struct fw_match_result *r)
{
	size_t cap = 64, used = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	s[0] = '\0';
	for (uint32_t h = 0; h < r->n_hits; h++) {
		for (uint32_t c = 0; c <= r->hits[h].n_captures; c++) {
			char piece[600];
			int n;

			if (c == 0) {
				n = snprintf(piece, sizeof piece, "%s%s/%u", h ? " " : "",
					     kb->records[r->hits[h].record].id, r->hits[h].pattern);
			} else {
				const struct fw_capture *x = &r->captures[r->hits[h].first_capture + c - 1];

				n = snprintf(piece, sizeof piece, " %s=%zu+%zu", x->name, x->offset,
					     x->length);
			}
			assert_true(n > 0 && (size_t)n < sizeof piece);
			while (used + (size_t)n + 1 > cap) {
				cap *= 2;
				s = realloc(s, cap);
				assert_non_null(s);
			}
			memcpy(s + used, piece, (size_t)n + 1);
			used += (size_t)n;
		}
	}
	return s;
}

static bool
jit_here(void)
{
	uint32_t have = 0;

	return pcre2_config(PCRE2_CONFIG_JIT, &have) == 0 && have;
}

static struct fw_kb *
load(const char *path)
{
	const char *paths[1] = { path };
	struct fw_kb_options opts = { .no_jit = false };
	struct fw_kb *kb = NULL;
	struct fw_diag d;

	fw_diag_init(&d);
	if (fw_kb_load(paths, 1, &opts, &kb, &d) < 0)
		fw_diag_print(&d, stderr);
	fw_diag_clear(&d);
	assert_non_null(kb);
	return kb;
}

static void
open_engine(struct fw_kb *kb, enum fw_match_engine engine, struct fw_matcher **m,
	    struct fw_match_ctx **ctx)
{
	struct fw_diag d;

	fw_diag_init(&d);
	assert_int_equal(fw_matcher_new(kb, engine, m, &d), 0);
	fw_diag_clear(&d);
	*ctx = fw_match_ctx_new(*m);
	assert_non_null(*ctx);
}

/* How a run provokes refused JIT compiles. */
enum refuse {
	REFUSE_NONE,
	REFUSE_ONE,                     /* pattern `refused` fails its compile */
	REFUSE_ALL_LATER,               /* out of JIT memory after half the lines */
};

struct run_stats {
	unsigned long hits;
	uint32_t compiled;              /* patterns the fast engine JIT-compiled */
	unsigned refused_calls;         /* compiles refused (REFUSE_ALL_LATER) */
};

/*
 * Loads path, matches l with the fast engine alone, then with a reference
 * engine on a second load of path, and fails on the first line whose
 * results differ. Returns false (and checks nothing) where JIT is off.
 */
static bool
run(const char *path, struct lines *l, enum refuse refuse, uint32_t refused, struct run_stats *st)
{
	struct fw_kb *kb = load(path), *kb2;
	struct fw_matcher *fast, *ref;
	struct fw_match_ctx *fc, *rc;
	struct fw_kb_jit_stats js;
	struct fw_match_result r;
	uint32_t no_jit = 0;

	memset(st, 0, sizeof *st);
	if (!kb->jit) {
		fw_kb_free(kb);
		return false;
	}
	open_engine(kb, FW_ENGINE_FAST, &fast, &fc);
	/* Opening the fast engine JIT-compiles nothing: every compile is a confirmation's. */
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		no_jit += kb->patterns[p].no_jit;
	fw_kb_jit_stats(kb, &js);
	assert_int_equal(js.compiled, 0);
	assert_int_equal(js.interpreted, no_jit);
	assert_int_equal(js.pending, kb->n_patterns - no_jit);
	if (refuse == REFUSE_ONE) {
		assert_true(refused < kb->n_patterns);
		assert_int_equal(kb->jit_state[refused], FW_JIT_PENDING);
		wrap.fail_code = kb->patterns[refused].code;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (refuse == REFUSE_ALL_LATER && i == l->n / 2) {
			wrap.fail_all = PCRE2_ERROR_NOMEMORY;
			wrap.calls = 0;
		}
		fw_match_line(fc, l->text[i], l->len[i], NULL, &r);
		st->hits += r.n_hits;
		free(l->got[i]);        /* the run before's */
		l->got[i] = describe(kb, &r);
	}
	st->refused_calls = wrap.calls;
	memset(&wrap, 0, sizeof wrap);

	kb2 = load(path);
	open_engine(kb2, FW_ENGINE_REFERENCE, &ref, &rc);
	for (size_t i = 0; i < l->n; i++) {
		char *want;

		fw_match_line(rc, l->text[i], l->len[i], NULL, &r);
		want = describe(kb2, &r);
		if (strcmp(want, l->got[i]) != 0) {
			fprintf(stderr, "line %zu: %s\nreference: %s\nfast:      %s\n", i, l->text[i],
				want, l->got[i]);
			fail_msg("the fast engine, compiling JIT code itself, differs");
		}
		free(want);
	}
	/* The fast engine's own JIT compiles, and the refusals made. */
	fw_kb_jit_stats(kb, &js);
	st->compiled = js.compiled;
	if (refuse == REFUSE_ONE)
		assert_int_equal(kb->jit_state[refused], FW_JIT_FAILED);
	if (refuse == REFUSE_ALL_LATER) {
		/* Once refused, JIT is off: no pattern is tried again. */
		assert_true(st->refused_calls <= 1);
		assert_int_equal(js.off_error, st->refused_calls ? PCRE2_ERROR_NOMEMORY : 0);
	}
	fw_match_ctx_free(rc);
	fw_matcher_free(ref);
	fw_kb_free(kb2);
	fw_match_ctx_free(fc);
	fw_matcher_free(fast);
	fw_kb_free(kb);
	return true;
}

/* text, and its lower- and upper-case variants (ASCII letters). */
static void
add_variants(struct lines *l, const char *text)
{
	size_t len = strlen(text);
	char *v = malloc(len + 1);

	assert_non_null(v);
	lines_add(l, text, len);
	for (int up = 0; up < 2; up++) {
		for (size_t i = 0; i <= len; i++) {
			unsigned char c = (unsigned char)text[i];

			if (up && c >= 'a' && c <= 'z')
				c = (unsigned char)(c - ('a' - 'A'));
			else if (!up && c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + ('a' - 'A'));
			v[i] = (char)c;
		}
		lines_add(l, v, len);
	}
	free(v);
}

static void
test_shipped_kb(void **state)
{
	const char *path = FW_SRCDIR "/data/kb";
	struct fw_kb *kb;
	struct run_stats st;
	struct lines l = { 0 };
	unsigned long examples = 0;
	uint32_t refused;

	(void)state;
	if (!jit_here())
		skip();
	kb = load(path);
	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];

		for (uint32_t i = 0; i < rec->examples.n; i++, examples++)
			add_variants(&l, rec->examples.items[i]);
		for (uint32_t i = 0; i < rec->counterexamples.n; i++)
			add_variants(&l, rec->counterexamples.items[i]);
		add_variants(&l, rec->signature);
	}
	/* The first record's first pattern: its examples come first, so it is confirmed. */
	assert_true(kb->n_records > 0 && kb->records[0].examples.n > 0);
	refused = kb->records[0].first_pattern;
	assert_false(kb->patterns[refused].no_jit);
	fw_kb_free(kb);

	if (!run(path, &l, REFUSE_NONE, 0, &st)) {
		lines_free(&l);
		skip();
	}
	/* Every example matches its record, and most patterns were JIT-compiled by the fast engine. */
	assert_true(st.hits >= examples);
	assert_true(st.compiled > 0);
	fprintf(stderr, "shipped KB: %zu lines, %lu hits, %u patterns JIT-compiled by the fast engine\n",
		l.n, st.hits, st.compiled);
	assert_true(run(path, &l, REFUSE_ONE, refused, &st));
	assert_true(st.hits >= examples);
	assert_true(run(path, &l, REFUSE_ALL_LATER, 0, &st));
	assert_true(st.hits >= examples);
	assert_int_equal(st.refused_calls, 1);
	lines_free(&l);
}

/* ---- random KBs ------------------------------------------------------- */

static const char *const words[] = {
	"upstream", "timed out", "failed", "error", "Connection", "refused", "502", "GET", "sshd",
	"ERROR", "disk full", "ab", "caf\xc3\xa9", "k", "while reading", "HTTP/1.1", "aaaa",
};

static const char *const pieces[] = {
	".*", ".*?", "\\d+", "[^ ]+", "\\s", "\\w+", " ", "(?:GET|POST)", "(?i)", "(x)?", "(?=a)",
	"(?<=a)", "(a)\\1", "\\b", "^", "$", "\\.", "(?:a|b|)", "a{2,3}", "(?:error|failed)",
};

/* One pattern in five says (*NO_JIT), sometimes after another start-of-pattern item. */
static const char *const heads[] = { "(*NO_JIT)", "(*LIMIT_MATCH=100000)(*NO_JIT)" };

static const struct random_vocab pattern_vocab = {
	words, sizeof words / sizeof *words, pieces, sizeof pieces / sizeof *pieces,
	heads, sizeof heads / sizeof *heads,
};

static size_t
random_line(struct xorshift *x, char *buf, size_t cap)
{
	size_t n = 0;

	for (uint32_t i = 0, parts = xorshift_below(x, 10); i < parts; i++) {
		const char *w = words[xorshift_below(x, sizeof words / sizeof *words)];
		size_t wl = strlen(w);

		if (n + wl + 8 >= cap)
			break;
		memcpy(buf + n, w, wl);
		n += wl;
		switch (xorshift_below(x, 8)) {
		case 0: buf[n++] = '\xff'; break;
		case 1: n += (size_t)snprintf(buf + n, cap - n, "%u", xorshift_below(x, 1000)); break;
		default: buf[n++] = ' '; break;
		}
	}
	return n;
}

static void
test_random_kbs(void **state)
{
	static const char *const fixed[][1] = {
		{ "refused (?<n>\\d+)" },
		{ "(*NO_JIT)nojit (?<w>\\w+)" },
	};
	struct xorshift x = { 0x5EED14u };
	unsigned long hits = 0, compiled = 0;

	(void)state;
	if (!jit_here())
		skip();
	for (int k = 0; k < 12; k++) {
		struct kb_writer w;
		struct lines l = { 0 };
		struct run_stats st;
		char line[512];
		struct fw_kb *kb;
		uint32_t refused;

		kbw_open(&w);
		kbw_add(&w, "d0", fixed[0], 1, false);
		kbw_add(&w, "d0", fixed[1], 1, false);
		for (uint32_t r = 0, nr = 10 + xorshift_below(&x, 60); r < nr; r++) {
			char pats[2][256];
			const char *ptrs[2];
			bool caseless = xorshift_below(&x, 5) == 0;
			size_t np = 0;

			for (uint32_t i = 0, want = 1 + xorshift_below(&x, 2); i < want; i++) {
				random_pattern(&x, &pattern_vocab, pats[np], sizeof pats[np]);
				if (random_pattern_compiles(pats[np], caseless)) {
					ptrs[np] = pats[np];
					np++;
				}
			}
			if (np)
				kbw_add(&w, "d1", ptrs, np, caseless);
		}
		fclose(w.f);
		for (uint32_t i = 0; i < 300; i++) {
			size_t len = random_line(&x, line, sizeof line);

			if (i % 10 == 0)
				len += (size_t)snprintf(line + len, sizeof line - len, " refused %u", i);
			if (i % 10 == 5)
				len += (size_t)snprintf(line + len, sizeof line - len, " nojit w%u", i);
			lines_add(&l, line, len);
		}
		/* The first record's pattern is the one whose compile fails. */
		kb = load(w.path);
		refused = kb->records[0].first_pattern;
		fw_kb_free(kb);
		if (!run(w.path, &l, (enum refuse)(k % 3), refused, &st)) {
			lines_free(&l);
			unlink(w.path);
			rmdir(w.dir);
			skip();
		}
		hits += st.hits;
		compiled += st.compiled;
		lines_free(&l);
		unlink(w.path);
		rmdir(w.dir);
	}
	fprintf(stderr, "random KBs: %lu hits, %lu patterns JIT-compiled by the fast engine\n",
		hits, compiled);
	assert_true(hits > 12 * 300);
	assert_true(compiled > 12 * 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_kb),
		cmocka_unit_test(test_random_kbs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
