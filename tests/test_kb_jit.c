/*
 * test_kb_jit: a pattern's PCRE2 JIT code is compiled the first time a
 * matcher confirms it, not at load (kb.h, kb_jit.c).
 *
 * pcre2_jit_compile is wrapped (-Wl,--wrap): every call is noted with the
 * code it was given, and a test can make the calls for one pattern, or all
 * of them from the probe on, fail with a chosen error. Each test then
 * checks the patterns' states, the calls made, and that every line still
 * gets the hits the interpreter gives.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match_engine.h"
#include "testutil.h"

#define MAX_CALLS 64

static struct {
	const pcre2_code *calls[MAX_CALLS];
	unsigned n_calls;
	unsigned loaded;                /* n_calls when the load was done */
	const pcre2_code *fail_code;    /* the calls for this code fail with fail_rc */
	int fail_all;                   /* when not 0, every call fails with it */
	int fail_rc;
} wrap;

int __real_pcre2_jit_compile_8(pcre2_code *code, uint32_t options);
int __wrap_pcre2_jit_compile_8(pcre2_code *code, uint32_t options);

int
__wrap_pcre2_jit_compile_8(pcre2_code *code, uint32_t options)
{
	if (wrap.n_calls < MAX_CALLS)
		wrap.calls[wrap.n_calls] = code;
	wrap.n_calls++;
	if (wrap.fail_all)
		return wrap.fail_all;
	if (code == wrap.fail_code)
		return wrap.fail_rc;
	return __real_pcre2_jit_compile_8(code, options);
}

/*
 * How many JIT compiles pattern p was given since the load (the probe's
 * code is freed at load, and a pattern's code may get its address).
 */
static unsigned
calls_for(const struct fw_kb *kb, uint32_t p)
{
	unsigned n = 0;

	for (unsigned i = wrap.loaded; i < wrap.n_calls && i < MAX_CALLS; i++)
		n += wrap.calls[i] == kb->patterns[p].code;
	return n;
}

static const char *const records[] = {
	"{'id':'t/alpha','signature':'S','regex':'alpha (?<n>\\\\d+)'}",
	"{'id':'t/beta','signature':'S','regex':'(*NO_JIT)beta \\\\w+'}",
	"{'id':'t/gamma','signature':'S','regex':'gamma','regexes':['delta (?<d>[a-z]+)']}",
	"{'id':'t/eps','signature':'S','regex':'(*LIMIT_MATCH=100000)(*NO_JIT)(*UCP)eps\\\\b'}",
};

struct fix {
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
};

static int
setup(void **state)
{
	memset(&wrap, 0, sizeof wrap);
	return tu_setup(state);
}

static void
fix_open(struct fix *f, enum fw_match_engine engine, bool no_jit)
{
	struct fw_diag diag;

	f->kb = tu_kb_from_lines("kb.jsonl", records, sizeof records / sizeof records[0], no_jit);
	wrap.loaded = wrap.n_calls;
	fw_diag_init(&diag);
	assert_int_equal(fw_matcher_new(f->kb, engine, &f->m, &diag), 0);
	fw_diag_clear(&diag);
	f->ctx = fw_match_ctx_new(f->m);
	assert_non_null(f->ctx);
}

static void
fix_close(struct fix *f)
{
	fw_match_ctx_free(f->ctx);
	fw_matcher_free(f->m);
	fw_kb_free(f->kb);
}

/* "t/a t/b ..." of the line's hits, with their captures as name=offset+length. */
static const char *
hits(struct fix *f, const char *line)
{
	static char buf[512];
	struct fw_match_result r;
	size_t used = 0;

	buf[0] = '\0';
	fw_match_line(f->ctx, line, strlen(line), NULL, &r);
	for (uint32_t h = 0; h < r.n_hits; h++) {
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", h ? " " : "",
					 f->kb->records[r.hits[h].record].id);
		for (uint32_t c = 0; c < r.hits[h].n_captures; c++) {
			const struct fw_capture *cap = &r.captures[r.hits[h].first_capture + c];

			used += (size_t)snprintf(buf + used, sizeof buf - used, " %s=%zu+%zu", cap->name,
						 cap->offset, cap->length);
		}
	}
	return buf;
}

/* The lines every test matches, and what the interpreter finds on each. */
static void
expect_results(struct fix *f)
{
	assert_string_equal(hits(f, "alpha 12"), "t/alpha n=6+2");
	assert_string_equal(hits(f, "beta x, delta q"), "t/beta t/gamma d=14+1");
	assert_string_equal(hits(f, "eps gamma alpha 7"), "t/alpha n=16+1 t/gamma t/eps");
	assert_string_equal(hits(f, "nothing"), "");
}

static bool
jit_here(void)
{
	uint32_t have = 0;

	return pcre2_config(PCRE2_CONFIG_JIT, &have) == 0 && have;
}

/* fix_open() of the fast engine with JIT; skips the test where the process may not JIT. */
static void
fix_open_jit(struct fix *f)
{
	if (!jit_here())
		skip();
	fix_open(f, FW_ENGINE_FAST, false);
	if (!f->kb->jit) {
		fix_close(f);
		skip();
	}
}

/* A pattern gets JIT code on its first confirmation, once; the others wait. */
static void
test_compiled_when_first_confirmed(void **state)
{
	struct fw_kb_jit_stats js;
	struct fix f;

	fix_open_jit(&f);
	/* The probe is the one call of the load. */
	assert_int_equal(wrap.n_calls, 1);
	assert_null(f.kb->jit_error);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.pending, 3);
	assert_int_equal(js.interpreted, 2);        /* the two (*NO_JIT) */
	assert_int_equal(js.compiled, 0);
	assert_int_equal(js.code_bytes, 0);
	assert_non_null(f.ctx->jit_stack);

	assert_string_equal(hits(&f, "alpha 12"), "t/alpha n=6+2");
	assert_int_equal(f.kb->jit_state[0], FW_JIT_ON);
	assert_int_equal(calls_for(f.kb, 0), 1);
	for (uint32_t p = 1; p < f.kb->n_patterns; p++)
		assert_int_equal(calls_for(f.kb, p), 0);
	assert_int_equal(f.kb->jit_state[2], FW_JIT_PENDING);
	assert_int_equal(f.kb->jit_state[3], FW_JIT_PENDING);

	expect_results(&f);
	assert_int_equal(calls_for(f.kb, 0), 1);
	assert_int_equal(calls_for(f.kb, 2), 1);
	assert_int_equal(calls_for(f.kb, 3), 1);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.compiled, 3);
	assert_int_equal(js.pending, 0);
	assert_true(js.code_bytes > 0);
	fix_close(&f);
}

/* (*NO_JIT) keeps its own pattern interpreted and no other, at any place in the head. */
static void
test_no_jit_record(void **state)
{
	struct fix f;

	fix_open(&f, FW_ENGINE_FAST, false);
	assert_false(f.kb->patterns[0].no_jit);
	assert_true(f.kb->patterns[1].no_jit);
	assert_false(f.kb->patterns[2].no_jit);
	assert_false(f.kb->patterns[3].no_jit);
	assert_true(f.kb->patterns[4].no_jit);
	assert_int_equal(f.kb->jit_state[1], FW_JIT_OFF);
	assert_int_equal(f.kb->jit_state[4], FW_JIT_OFF);
	expect_results(&f);
	assert_int_equal(calls_for(f.kb, 1), 0);
	assert_int_equal(calls_for(f.kb, 4), 0);
	if (f.kb->jit) {
		assert_int_equal(f.kb->jit_state[0], FW_JIT_ON);
		assert_int_equal(f.kb->jit_state[3], FW_JIT_ON);
	}
	fix_close(&f);
}

/* A failed probe: JIT off with its reason, and no pattern is ever tried. */
static void
test_probe_failed(void **state)
{
	struct fw_kb_jit_stats js;
	struct fix f;

	wrap.fail_all = PCRE2_ERROR_NOMEMORY;
	fix_open(&f, FW_ENGINE_FAST, false);
	assert_false(f.kb->jit);
	assert_non_null(f.kb->jit_error);
	assert_non_null(strstr(f.kb->jit_error, "PCRE2 JIT is not available"));
	assert_non_null(strstr(f.kb->jit_error, "error -48"));
	assert_null(f.ctx->jit_stack);
	expect_results(&f);
	assert_int_equal(wrap.n_calls, 1);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.interpreted, f.kb->n_patterns);
	fix_close(&f);
}

/* fw_kb_options.no_jit: not even the probe runs, and no reason is given. */
static void
test_no_jit_option(void **state)
{
	struct fix f;

	fix_open(&f, FW_ENGINE_FAST, true);
	assert_false(f.kb->jit);
	assert_null(f.kb->jit_error);
	expect_results(&f);
	assert_int_equal(wrap.n_calls, 0);
	assert_int_equal(fw_kb_jit_compile_all(f.kb), 0);
	assert_int_equal(wrap.n_calls, 0);
	fix_close(&f);
}

/* One pattern whose JIT compile fails is interpreted; the others still JIT. */
static void
test_one_pattern_fails(void **state)
{
	struct fw_kb_jit_stats js;
	struct fix f;

	fix_open_jit(&f);
	wrap.fail_code = f.kb->patterns[2].code;
	wrap.fail_rc = PCRE2_ERROR_INTERNAL;
	expect_results(&f);
	assert_int_equal(f.kb->jit_state[2], FW_JIT_FAILED);
	assert_int_equal(f.kb->jit_state[0], FW_JIT_ON);
	assert_int_equal(f.kb->jit_state[3], FW_JIT_ON);
	/* Tried once, not on every confirmation. */
	expect_results(&f);
	assert_int_equal(calls_for(f.kb, 2), 1);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.failed, 1);
	assert_int_equal(js.compiled, 2);
	assert_int_equal(js.off_error, 0);
	fix_close(&f);
}

/* Out of executable memory after load: JIT stops for every pattern still pending. */
static void
test_no_memory_later(void **state)
{
	struct fw_kb_jit_stats js;
	struct fix f;

	fix_open_jit(&f);
	assert_string_equal(hits(&f, "alpha 12"), "t/alpha n=6+2");
	assert_true(fw_kb_jit_on(f.kb));
	wrap.fail_all = PCRE2_ERROR_NOMEMORY;
	assert_string_equal(hits(&f, "gamma"), "t/gamma");
	/* what status reports as "jit" */
	assert_false(fw_kb_jit_on(f.kb));
	assert_int_equal(f.kb->jit_state[0], FW_JIT_ON);
	assert_int_equal(f.kb->jit_state[2], FW_JIT_FAILED);
	assert_int_equal(f.kb->jit_state[3], FW_JIT_OFF);
	expect_results(&f);
	assert_int_equal(calls_for(f.kb, 3), 0);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.off_error, PCRE2_ERROR_NOMEMORY);
	assert_int_equal(js.compiled, 1);
	assert_int_equal(js.failed, 1);
	assert_int_equal(js.pending, 0);
	fix_close(&f);
}

/* The reference engine confirms every pattern: it compiles them all when it is built. */
static void
test_reference_engine(void **state)
{
	struct fw_kb_jit_stats js;
	struct fix f;

	fix_open(&f, FW_ENGINE_REFERENCE, false);
	fw_kb_jit_stats(f.kb, &js);
	assert_int_equal(js.pending, 0);
	assert_int_equal(js.compiled, f.kb->jit ? 3 : 0);
	expect_results(&f);
	assert_int_equal(wrap.n_calls, f.kb->jit ? 4 : 1);
	fix_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_compiled_when_first_confirmed, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_no_jit_record, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_probe_failed, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_no_jit_option, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_one_pattern_fails, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_no_memory_later, setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_reference_engine, setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
