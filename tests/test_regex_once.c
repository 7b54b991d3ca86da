/*
 * test_regex_once: each pattern is read by the regex front end exactly
 * once, at KB load. The literal analysis and the fast matcher's DFA (its
 * members and the literal contexts) all walk the tree kept in the pattern;
 * building a matcher parses nothing. fw_regex_parse() is wrapped
 * (-Wl,--wrap) to count the calls.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "match/regex_parse.h"
#include "util/diag.h"
#include "testutil.h"

static unsigned parses;

int __real_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless);
int __wrap_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless);

int
__wrap_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless)
{
	parses++;
	return __real_fw_regex_parse(rx, pattern, len, caseless);
}

/*
 * Patterns of every kind the matcher treats apart: a literal with bytes
 * around it, a log shape with no useful literal (a DFA member), caseless,
 * alternation, a start-of-pattern option, one the DFA declines
 * (backreference) and one the front end does not understand (a verb).
 */
static const char *const kb_lines[] = {
	"{'id':'t/literal','signature':'S','regex':'code=E\\\\d{4} upstream timed out'}",
	("{'id':'t/shape','signature':'S',"
	 "'regex':'^\\\\d+\\\\.\\\\d+\\\\.\\\\d+\\\\.\\\\d+ [^ ]+ \\\\[[^]]+\\\\] \\\"[A-Z]+ [^\\\"]*\\\" 5\\\\d\\\\d '}"),
	"{'id':'t/caseless','signature':'S','regex':'disk (?:full|quota) on \\\\w+','flags':'i'}",
	("{'id':'t/two','signature':'S','regex':'connection (refused|reset) by [a-z]+',"
	 "'regexes':['(*NO_JIT)segfault at [0-9a-f]+']}"),
	"{'id':'t/backref','signature':'S','regex':'(\\\\w+) loop \\\\1 detected'}",
	"{'id':'t/verb','signature':'S','regex':'watchdog expired(*COMMIT) on cpu\\\\d+'}",
};

static void
test_parsed_once(void **state)
{
	struct fw_matcher *m = NULL;
	struct fw_match_ctx *ctx;
	struct fw_match_result r = { 0 };
	struct fw_diag diag;
	struct fw_kb *kb;
	const char *line = "10.0.0.1 - [04/Dec/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" 502 12";
	uint32_t understood = 0;

	(void)state;
	parses = 0;
	kb = tu_kb_from_lines("kb.jsonl", kb_lines, TU_N(kb_lines), false);
	assert_int_equal(kb->n_patterns, 7);
	assert_int_equal(parses, kb->n_patterns);
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		understood += kb->patterns[p].tree.root != FW_RX_NONE;
	assert_int_equal(understood, kb->n_patterns - 1);       /* all but the verb */

	fw_diag_init(&diag);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_FAST, &m, &diag), 0);
	fw_diag_clear(&diag);
	/* The DFA was built from the trees (not vacuous), without a parse. */
	assert_true(fw_match_fast_dfa_count(m) >= 1);
	assert_true(fw_match_fast_in_dfa(m, 1));
	assert_int_equal(parses, kb->n_patterns);

	ctx = fw_match_ctx_new(m);
	assert_non_null(ctx);
	assert_int_equal(fw_match_line(ctx, line, strlen(line), NULL, &r), 1);
	assert_int_equal(r.hits[0].record, 1);
	assert_int_equal(fw_match_line(ctx, "disk QUOTA on sda1", 18, NULL, &r), 1);
	assert_int_equal(r.hits[0].record, 2);
	assert_int_equal(fw_match_line(ctx, "x loop x detected", 17, NULL, &r), 1);
	assert_int_equal(fw_match_line(ctx, "watchdog expired on cpu3", 24, NULL, &r), 1);
	assert_int_equal(r.hits[0].record, 5);
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	assert_int_equal(parses, kb->n_patterns);
	fw_kb_free(kb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parsed_once, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
