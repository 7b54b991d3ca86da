/*
 * test_match: the matchers (design.md §4). Results are rendered as
 * "id[#pattern]{name=offset+length,...}; ..." and compared exactly. Every
 * test runs four times: reference and fast engine, each on a JIT-compiled
 * KB and on a KB loaded with no_jit.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "testutil.h"

struct mfix {
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_match_result r;
	char text[1024];
};

/* Each test runs for every engine, with and without JIT. */
struct variant {
	enum fw_match_engine engine;
	bool no_jit;
};

static bool
no_jit(void **state)
{
	return ((const struct variant *)*state)->no_jit;
}

static void
mfix_open(struct mfix *f, void **state, const char *const *lines, size_t n)
{
	struct fw_diag diag;

	memset(f, 0, sizeof *f);
	f->kb = tu_kb_from_lines("kb.jsonl", lines, n, no_jit(state));
	if (no_jit(state))
		assert_false(f->kb->jit);
	fw_diag_init(&diag);
	assert_int_equal(fw_matcher_new(f->kb, ((const struct variant *)*state)->engine, &f->m, &diag), 0);
	assert_int_equal(fw_diag_count(&diag), 0);
	assert_ptr_equal(fw_matcher_kb(f->m), f->kb);
	f->ctx = fw_match_ctx_new(f->m);
	assert_non_null(f->ctx);
}

static void
mfix_close(struct mfix *f)
{
	fw_match_ctx_free(f->ctx);
	fw_matcher_free(f->m);
	fw_kb_free(f->kb);
}

/* Matches and renders the result; "" when nothing matched. */
static const char *
match_len(struct mfix *f, const char *line, size_t len, const uint64_t *mask)
{
	size_t o = 0;
	uint32_t n = fw_match_line(f->ctx, line, len, mask, &f->r);

	assert_int_equal(n, f->r.n_hits);
	f->text[0] = '\0';
	for (uint32_t i = 0; i < f->r.n_hits; i++) {
		const struct fw_hit *h = &f->r.hits[i];
		const struct fw_pattern *p = &f->kb->patterns[h->pattern];

		assert_int_equal(p->record, h->record);
		o += (size_t)snprintf(f->text + o, sizeof f->text - o, "%s%s", i ? "; " : "",
				      f->kb->records[h->record].id);
		if (p->index)
			o += (size_t)snprintf(f->text + o, sizeof f->text - o, "#%u", p->index);
		if (h->n_captures) {
			for (uint32_t c = 0; c < h->n_captures; c++) {
				const struct fw_capture *cap = &f->r.captures[h->first_capture + c];

				o += (size_t)snprintf(f->text + o, sizeof f->text - o, "%c%s=%zu+%zu",
						      c ? ',' : '{', cap->name, cap->offset, cap->length);
			}
			o += (size_t)snprintf(f->text + o, sizeof f->text - o, "}");
		}
		assert_true(o < sizeof f->text);
	}
	return f->text;
}

static const char *
match(struct mfix *f, const char *line)
{
	return match_len(f, line, strlen(line), NULL);
}

static const char *const main_kb[] = {
	"{'id':'t/first','signature':'S','regex':'alpha'}",
	("{'id':'t/second','signature':'S','regex':'(?<word>beta)(?<opt>X)?',"
	 "'regexes':['alpha (?<n>\\\\d+)','never']}"),
	"{'id':'t/caseless','signature':'S','regex':'gamma','flags':'i'}",
	"{'id':'nginx/other','signature':'S','regex':'alpha|delta'}",
	"{'id':'t/dot','signature':'S','regex':'q.z'}",
	"{'id':'t/anchored','signature':'S','regex':'^start (?<rest>.*)$'}",
};

static void
test_kb_order_and_captures(void **state)
{
	struct mfix f;

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	assert_string_equal(match(&f, "alpha 42 beta"), "t/first; t/second{word=9+4}; nginx/other");
	assert_int_equal(f.r.n_captures, 1);
	assert_int_equal(f.r.limit_errors, 0);
	/* The optional group is reported when set; captures in group order. */
	assert_string_equal(match(&f, "xx betaX"), "t/second{word=3+4,opt=7+1}");
	assert_string_equal(f.r.captures[1].name, "opt");
	assert_string_equal(match(&f, "delta"), "nginx/other");
	assert_string_equal(match(&f, "nothing here"), "");
	assert_string_equal(match(&f, ""), "");
	assert_string_equal(match(&f, "start of it"), "t/anchored{rest=6+5}");
	assert_string_equal(match(&f, " start of it"), "");
	mfix_close(&f);
}

/* A record is reported once, by the first of its patterns that matches. */
static void
test_first_pattern_wins(void **state)
{
	struct mfix f;

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	assert_string_equal(match(&f, "alpha 42"), "t/first; t/second#1{n=6+2}; nginx/other");
	assert_string_equal(match(&f, "alpha 42 never"), "t/first; t/second#1{n=6+2}; nginx/other");
	assert_string_equal(match(&f, "never beta alpha 7"),
			    "t/first; t/second{word=6+4}; nginx/other");
	assert_string_equal(match(&f, "never"), "t/second#2");
	mfix_close(&f);
}

static void
test_caseless_flag(void **state)
{
	struct mfix f;

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	assert_string_equal(match(&f, "GaMmA"), "t/caseless");
	assert_string_equal(match(&f, "ALPHA BETA"), "");
	mfix_close(&f);
}

static void
test_mask(void **state)
{
	struct mfix f;
	uint64_t mask[1];
	const char *nginx[] = { "nginx" }, *t[] = { "t" };

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	assert_int_equal(fw_kb_domain_mask(f.kb, nginx, 1, mask, NULL), 0);
	assert_string_equal(match_len(&f, "alpha 42 beta", 13, mask), "nginx/other");
	assert_int_equal(fw_kb_domain_mask(f.kb, t, 1, mask, NULL), 0);
	assert_string_equal(match_len(&f, "alpha 42 beta", 13, mask), "t/first; t/second{word=9+4}");
	mask[0] = 0;
	assert_string_equal(match_len(&f, "alpha 42 beta", 13, mask), "");
	mfix_close(&f);
}

/* NUL bytes and invalid UTF-8 are data: never a crash, PCRE2's answer. */
static void
test_nul_and_invalid_utf8(void **state)
{
	struct mfix f;

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	assert_string_equal(match_len(&f, "q\0z", 3, NULL), "t/dot");
	assert_string_equal(match_len(&f, "q\xffz", 3, NULL), "");
	assert_string_equal(match_len(&f, "q\xc3\xa9z", 4, NULL), "t/dot");
	assert_string_equal(match_len(&f, "q\xc3z", 3, NULL), "");
	assert_string_equal(match_len(&f, "\xff\xfe" "alpha\xc3", 8, NULL), "t/first; nginx/other");
	assert_string_equal(match_len(&f, "beta\0X", 6, NULL), "t/second{word=0+4}");
	assert_string_equal(match_len(&f, "\0alpha\0 99", 10, NULL), "t/first; nginx/other");
	assert_string_equal(match_len(&f, "start a\0b", 9, NULL), "t/anchored{rest=6+3}");
	assert_string_equal(match_len(&f, "start a\xed\xa0\x80" "b", 11, NULL), "");
	/* The line is not read past len. */
	assert_string_equal(match_len(&f, "alphabet", 4, NULL), "");
	mfix_close(&f);
}

/* The naive answer: every pattern of every record run with pcre2_match(). */
static void
naive(const struct fw_kb *kb, const char *line, size_t len, char *out, size_t outlen)
{
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	size_t o = 0;
	bool first = true;

	out[0] = '\0';
	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];

		for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++) {
			const struct fw_pattern *pat = &kb->patterns[p];
			int rc = pcre2_match(pat->code, (PCRE2_SPTR)line, len, 0, PCRE2_NO_JIT, md, NULL);
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			bool any = false;

			if (rc < 0)
				continue;
			o += (size_t)snprintf(out + o, outlen - o, "%s%s", first ? "" : "; ", rec->id);
			first = false;
			if (pat->index)
				o += (size_t)snprintf(out + o, outlen - o, "#%u", pat->index);
			for (uint32_t i = 0; i < pat->n_names; i++) {
				uint32_t g = pat->names[i].group;

				if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET)
					continue;
				o += (size_t)snprintf(out + o, outlen - o, "%c%s=%zu+%zu", any ? ',' : '{',
						      pat->names[i].name, (size_t)ov[2 * g],
						      (size_t)(ov[2 * g + 1] - ov[2 * g]));
				any = true;
			}
			if (any)
				o += (size_t)snprintf(out + o, outlen - o, "}");
			break;
		}
	}
	pcre2_match_data_free(md);
}

/* Random lines over the patterns' own bytes plus NUL and broken UTF-8. */
static void
test_against_naive(void **state)
{
	static const char *const atoms[] = {
		"alpha", "beta", "X", " ", "4", "2", "q", "z", "\xc3\xa9", "\xc3", "\xff", "\0",
		"gAmMa", "delta", "never", "start ", "\r", "\x80", "\xed\xa0\x80", "\xf0\x9f\x98\x80",
	};
	static const size_t atom_len[] = { 5, 4, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 5, 5, 5, 6, 1, 1, 3, 4 };
	struct mfix f;
	uint64_t x = 0x9e3779b97f4a7c15u;
	char line[256], want[1024];

	mfix_open(&f, state, main_kb, TU_N(main_kb));
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;
		int atoms_n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		atoms_n = (int)(x % 9);
		for (int a = 0; a < atoms_n; a++) {
			size_t k;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			k = (size_t)(x % TU_N(atoms));
			memcpy(line + len, atoms[k], atom_len[k]);
			len += atom_len[k];
		}
		naive(f.kb, line, len, want, sizeof want);
		assert_string_equal(match_len(&f, line, len, NULL), want);
	}
	mfix_close(&f);
}

/* Patterns with weak or no required literals, and a caseless one: still PCRE2's answer. */
static void
test_weak_literals_against_naive(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/digits','signature':'S','regex':'^\\\\d+$'}",
		"{'id':'t/any','signature':'S','regex':'(?i)ERR.R'}",
		"{'id':'t/alt','signature':'S','regex':'(foo|bar)baz'}",
		"{'id':'t/opt','signature':'S','regex':'colou?r (?<c>\\\\w+)'}",
		"{'id':'t/class','signature':'S','regex':'[xyz]{2}q','regexes':['q{3}']}",
		"{'id':'t/ci','signature':'S','regex':'Straße','flags':'i'}",
	};
	static const char *const atoms[] = {
		"1", "23", "err", "Er", "r", "o", "foo", "bar", "baz", "colo", "u", "r ", "red",
		"x", "y", "q", "STRASSE", "straße", "STRAẞE", "\xc3", "\0", " ",
	};
	struct mfix f;
	uint64_t x = 0x2545f4914f6cdd1du;
	char line[256], want[1024];

	mfix_open(&f, state, kb, TU_N(kb));
	assert_string_equal(match(&f, "12345"), "t/digits");
	assert_string_equal(match(&f, "an eRrOr"), "t/any");
	assert_string_equal(match(&f, "barbaz colour blue"), "t/alt; t/opt{c=14+4}");
	assert_string_equal(match(&f, "qqq"), "t/class#1");
	assert_string_equal(match(&f, "STRASSE straße"), "t/ci");
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;
		int n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		n = (int)(x % 8);
		for (int a = 0; a < n; a++) {
			const char *atom;
			size_t alen;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			atom = atoms[x % TU_N(atoms)];
			alen = *atom ? strlen(atom) : 1; /* "\0" is one NUL byte */
			memcpy(line + len, atom, alen);
			len += alen;
		}
		naive(f.kb, line, len, want, sizeof want);
		assert_string_equal(match_len(&f, line, len, NULL), want);
	}
	mfix_close(&f);
}

/*
 * Lines at and below each pattern's fewest bytes (the fast engine passes
 * by a line shorter than every pattern's, and does not confirm a pattern
 * on a line shorter than its own): every prefix of each pattern's
 * shortest match, against PCRE2's answer.
 */
static void
test_short_lines(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/text','signature':'S','regex':'abcdef'}",
		"{'id':'t/digits','signature':'S','regex':'x\\\\d{3}'}",
		"{'id':'t/alt','signature':'S','regex':'(?:kilo|k)(?:watt)?z'}",
		"{'id':'t/kelvin','signature':'S','regex':'\\\\x{212a}elvin','flags':'i'}",
		"{'id':'t/utf8','signature':'S','regex':'\xc3\xa9{2}'}",
		"{'id':'t/shape','signature':'S','regex':'^[a-z]{7}$'}",
		"{'id':'t/backref','signature':'S','regex':'(q*)\\\\1r'}",
	};
	static const char *const shortest[] = {
		"abcdef", "x123", "kz", "KELVIN", "kelvin", "\xc3\xa9\xc3\xa9", "bcdefgh", "r", "qqr",
	};
	static const char *const want[] = {
		"t/text", "t/digits", "t/alt", "t/kelvin", "t/kelvin", "t/utf8", "t/shape", "t/backref",
		"t/backref",
	};
	static const char *const caseless[] = {
		"{'id':'t/kelvin','signature':'S','regex':'\\\\x{212a}elvin','flags':'i'}",
		"{'id':'t/status','signature':'S','regex':'(?i)\\\\x{17f}tatus'}",
	};
	struct mfix f;
	char line[64], naive_want[1024];

	mfix_open(&f, state, kb, TU_N(kb));
	/* The fast engine confirms the shape on every line long enough: no literal, no DFA member. */
	if (((const struct variant *)*state)->engine == FW_ENGINE_FAST)
		assert_int_equal(fw_match_fast_describe(f.m, 5, line, sizeof line), 0);
	for (size_t i = 0; i < TU_N(shortest); i++) {
		size_t n = strlen(shortest[i]);

		assert_string_equal(match(&f, shortest[i]), want[i]);
		for (size_t len = 0; len <= n; len++) {
			memcpy(line, shortest[i], len);
			naive(f.kb, line, len, naive_want, sizeof naive_want);
			assert_string_equal(match_len(&f, line, len, NULL), naive_want);
		}
	}
	mfix_close(&f);
	/* Caseless characters outside ASCII alone: the line's bound is theirs, one byte each. */
	mfix_open(&f, state, caseless, TU_N(caseless));
	assert_string_equal(match(&f, "KELVIN"), "t/kelvin");
	assert_string_equal(match(&f, "STATUS"), "t/status");
	assert_string_equal(match(&f, "\xe2\x84\xaa" "elvin"), "t/kelvin");
	mfix_close(&f);
}

/* Masks past the first 64 records. */
static void
test_mask_many_records(void **state)
{
	const char *lines[70];
	const char *odd[] = { "odd" };
	uint64_t mask[2];
	struct mfix f;
	char want[1024];
	size_t o = 0;

	for (int i = 0; i < 70; i++)
		lines[i] = tu_fmt("{'id':'%s/r%02d','signature':'S','regex':'key%s'}", i % 2 ? "odd" : "even",
				  i, i % 3 ? "" : "=\\\\d");
	mfix_open(&f, state, lines, 70);
	assert_int_equal(fw_kb_domain_mask(f.kb, odd, 1, mask, NULL), 0);
	want[0] = '\0';
	for (int i = 1; i < 70; i += 2)
		o += (size_t)snprintf(want + o, sizeof want - o, "%sodd/r%02d", o ? "; " : "", i);
	assert_string_equal(match_len(&f, "key=7", 5, mask), want);
	assert_int_equal(f.r.n_hits, 35);
	o = 0;
	for (int i = 1; i < 70; i += 2)
		if (i % 3)
			o += (size_t)snprintf(want + o, sizeof want - o, "%sodd/r%02d", o ? "; " : "", i);
	assert_string_equal(match_len(&f, "key", 3, mask), want);
	mask[0] = 0;
	assert_string_equal(match_len(&f, "key=1", 5, mask), "odd/r65; odd/r67; odd/r69");
	assert_int_equal(match_len(&f, "key=1", 5, NULL)[0], 'e');
	assert_int_equal(f.r.n_hits, 70);
	mfix_close(&f);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Catastrophic backtracking hits the limit: counted, reported, no hang.
 * (\\b keeps the pattern out of the fast engine's DFA, which would show
 * that the line cannot match without running PCRE2 at all.)
 */
static void
test_match_limit(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/evil','signature':'S','regex':'(a+)+(?!x)\\\\b$'}",
		"{'id':'t/plain','signature':'S','regex':'aaa'}",
	};
	static const char line[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
	struct mfix f;
	struct fw_match_ctx *other;
	double t0;

	mfix_open(&f, state, kb, TU_N(kb));
	t0 = now();
	assert_string_equal(match(&f, line), "t/plain");
	assert_int_equal(f.r.limit_errors, 1);
	assert_int_equal(fw_match_limit_count(f.ctx, 0), 1);
	assert_string_equal(match(&f, line), "t/plain");
	assert_int_equal(fw_match_limit_count(f.ctx, 0), 2);
	assert_true(now() - t0 < 10.0);
	assert_int_equal(fw_match_limit_count(f.ctx, 1), 0);
	assert_int_equal(fw_match_limit_count(f.ctx, 99), 0);
	/* A harmless line matches and resets the per-line count, not the total. */
	assert_string_equal(match(&f, "aaaa"), "t/evil; t/plain");
	assert_int_equal(f.r.limit_errors, 0);
	assert_int_equal(fw_match_limit_count(f.ctx, 0), 2);
	/* Counts belong to the context. */
	other = fw_match_ctx_new(f.m);
	assert_non_null(other);
	assert_int_equal(fw_match_limit_count(other, 0), 0);
	fw_match_ctx_free(other);
	mfix_close(&f);
}

static uint32_t
primary(struct mfix *f, const char *line, const char *want_hits)
{
	assert_string_equal(match(f, line), want_hits);
	return fw_match_primary(f->kb, &f->r);
}

static void
test_primary_priority(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/specific','signature':'S','regex':'disk error on sda'}",
		"{'id':'t/urgent','signature':'S','regex':'error','priority':1}",
		"{'id':'t/low','signature':'S','regex':'disk error on sda[0-9]*','priority':-1}",
	};
	struct mfix f;

	mfix_open(&f, state, kb, TU_N(kb));
	assert_int_equal(primary(&f, "disk error on sda", "t/specific; t/urgent; t/low"), 1);
	assert_int_equal(primary(&f, "error", "t/urgent"), 0);
	mfix_close(&f);
}

static void
test_primary_specificity(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/short','signature':'S','regex':'error'}",
		"{'id':'t/long','signature':'S','regex':'disk error'}",
		/* Specificity is the matching pattern's, not the record's first one. */
		"{'id':'t/alt','signature':'S','regex':'xxxxxxxxxxxxxxxxxxxxxxxxx','regexes':['rror']}",
		"{'id':'t/mid','signature':'S','regex':'k error','priority':0}",
	};
	struct mfix f;

	mfix_open(&f, state, kb, TU_N(kb));
	assert_true(f.kb->patterns[1].specificity > f.kb->patterns[0].specificity);
	assert_int_equal(primary(&f, "disk error", "t/short; t/long; t/alt#1; t/mid"), 1);
	assert_int_equal(primary(&f, "an error", "t/short; t/alt#1"), 0);
	mfix_close(&f);
}

static void
test_primary_kb_order(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/b','signature':'S','regex':'timeout'}",
		"{'id':'t/a','signature':'S','regex':'time(out)'}",
		"{'id':'t/c','signature':'S','regex':'timeout','priority':0}",
	};
	struct mfix f;

	mfix_open(&f, state, kb, TU_N(kb));
	assert_int_equal(f.kb->patterns[0].specificity, f.kb->patterns[1].specificity);
	assert_int_equal(primary(&f, "timeout", "t/b; t/a; t/c"), 0);
	mfix_close(&f);
}

/* A start-of-pattern option belongs to its own pattern: (*NO_JIT) in one
 * record leaves JIT on for the others, and costs that record no literal. */
static void
test_start_options_per_record(void **state)
{
	static const char *const kb[] = {
		"{'id':'t/a','signature':'S','regex':'alpha'}",
		"{'id':'t/nojit','signature':'S','regex':'(*NO_JIT)beta \\\\d+'}",
		"{'id':'t/c','signature':'S','regex':'gamma'}",
		"{'id':'t/limit','signature':'S','regex':'(*LIMIT_MATCH=100000)(*NO_JIT)delta'}",
		"{'id':'t/e','signature':'S','regex':'epsilon'}",
	};
	struct mfix f;

	mfix_open(&f, state, kb, TU_N(kb));
	assert_true(f.kb->patterns[1].no_jit);
	assert_true(f.kb->patterns[3].no_jit);
	assert_false(f.kb->patterns[0].no_jit);
	assert_int_equal(fw_kb_jit_compile_all(f.kb), 0);
	assert_int_equal(f.kb->jit_state[1], FW_JIT_OFF);
	assert_int_equal(f.kb->jit_state[3], FW_JIT_OFF);
	/* Whether the process may JIT at all shows on the other records. */
	for (uint32_t p = 0; p < 5; p += 2)
		assert_int_equal(f.kb->jit_state[p], f.kb->jit ? FW_JIT_ON : FW_JIT_OFF);
	if (f.kb->jit)
		assert_null(f.kb->jit_error);
	assert_int_equal(f.kb->patterns[1].specificity, 5);
	assert_int_equal(f.kb->patterns[3].specificity, 5);
	assert_string_equal(match(&f, "alpha beta 12 gamma delta epsilon"),
			    "t/a; t/nojit; t/c; t/limit; t/e");
	assert_string_equal(match(&f, "beta x delta"), "t/limit");
	assert_string_equal(match(&f, "gamma epsilon"), "t/c; t/e");
	mfix_close(&f);
}

static void
test_engine_names(void **state)
{
	assert_string_equal(fw_match_engine_name(FW_ENGINE_REFERENCE), "reference");
	assert_string_equal(fw_match_engine_name(FW_ENGINE_FAST), "fast");
	assert_string_equal(fw_match_engine_name((enum fw_match_engine)42), "unknown");
}

static struct variant ref_jit = { FW_ENGINE_REFERENCE, false }, ref_nojit = { FW_ENGINE_REFERENCE, true },
		      fast_jit = { FW_ENGINE_FAST, false }, fast_nojit = { FW_ENGINE_FAST, true };

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_prestate_setup_teardown(f, tu_setup, tu_teardown, &ref_jit), \
	     cmocka_unit_test_prestate_setup_teardown(f, tu_setup, tu_teardown, &ref_nojit), \
	     cmocka_unit_test_prestate_setup_teardown(f, tu_setup, tu_teardown, &fast_jit), \
	     cmocka_unit_test_prestate_setup_teardown(f, tu_setup, tu_teardown, &fast_nojit)
		T(test_kb_order_and_captures),
		T(test_first_pattern_wins),
		T(test_caseless_flag),
		T(test_mask),
		T(test_nul_and_invalid_utf8),
		T(test_against_naive),
		T(test_weak_literals_against_naive),
		T(test_short_lines),
		T(test_mask_many_records),
		T(test_match_limit),
		T(test_primary_priority),
		T(test_primary_specificity),
		T(test_primary_kb_order),
		T(test_start_options_per_record),
#undef T
		cmocka_unit_test(test_engine_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
