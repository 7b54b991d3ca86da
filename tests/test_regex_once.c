/*
 * test_regex_once: the regex front end reads each pattern once, at KB
 * load, one at a time; the KB keeps each tree (in its arena, not as the
 * parser's heap arrays) and the matchers' builds read no pattern again,
 * the fast one's DFA and literal contexts being built from the kept trees.
 * fw_regex_parse() and fw_regex_free() are wrapped (-Wl,--wrap) to count
 * the reads and the parser's trees held.
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
/* The trees read and not yet freed (by address), and the most at once. */
static const struct fw_regex *held[8];
static unsigned n_held, most_held;

int __real_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless);
int __wrap_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless);
void __real_fw_regex_free(struct fw_regex *rx);
void __wrap_fw_regex_free(struct fw_regex *rx);

int
__wrap_fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless)
{
	parses++;
	assert_true(n_held < TU_N(held));
	held[n_held++] = rx;
	if (n_held > most_held)
		most_held = n_held;
	return __real_fw_regex_parse(rx, pattern, len, caseless);
}

void
__wrap_fw_regex_free(struct fw_regex *rx)
{
	for (unsigned i = 0; i < n_held; i++) {
		if (held[i] == rx) {
			held[i] = held[--n_held];
			break;
		}
	}
	__real_fw_regex_free(rx);
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
	struct fw_matcher *m = NULL, *again = NULL, *ref = NULL;
	struct fw_match_ctx *ctx;
	struct fw_match_result r = { 0 };
	struct fw_diag diag;
	struct fw_kb *kb;
	const char *line = "10.0.0.1 - [04/Dec/2026:10:00:00 +0000] \"GET /x HTTP/1.1\" 502 12";
	unsigned at_load;

	(void)state;
	parses = n_held = most_held = 0;
	kb = tu_kb_from_lines("kb.jsonl", kb_lines, TU_N(kb_lines), false);
	assert_int_equal(kb->n_patterns, 7);
	assert_int_equal(parses, kb->n_patterns);
	assert_int_equal(n_held, 0);            /* the parser's arrays are all freed */
	assert_int_equal(most_held, 1);
	/* The literal analysis was made from the trees: not vacuous. */
	assert_true(kb->patterns[0].lit.n_required >= 1);
	at_load = parses;

	/* The kept tree was read with the pattern's own flags, and is the parser's. */
	for (uint32_t p = 0; p < 6; p++) {
		const struct fw_regex *kept = fw_kb_pattern_tree(&kb->patterns[p]);
		struct fw_regex rx;
		bool caseless = false;

		assert_int_not_equal(kept->root, FW_RX_NONE);
		assert_int_equal(kept->n_nodes, kept->cap_nodes);       /* exactly sized */
		for (uint32_t i = 0; i < kept->n_nodes; i++)
			if (kept->nodes[i].kind == FW_RX_TEXT && (kept->nodes[i].flags & FW_RX_F_CASELESS))
				caseless = true;
		assert_int_equal(caseless, p == 2);
		assert_int_equal(fw_regex_parse(&rx, kb->patterns[p].source, strlen(kb->patterns[p].source),
						kb->patterns[p].caseless), 0);
		assert_int_equal(kept->root, rx.root);
		assert_int_equal(kept->n_text, rx.n_text);
		assert_int_equal(kept->n_sets, rx.n_sets);
		assert_int_equal(kept->options_len, rx.options_len);
		assert_true(fw_regex_same_nodes(kept, kept->root, &rx, rx.root, true));
		assert_memory_equal(kept->nodes, rx.nodes, rx.n_nodes * sizeof *rx.nodes);
		fw_regex_free(&rx);
	}
	assert_int_equal(fw_kb_pattern_tree(&kb->patterns[6])->root, FW_RX_NONE);  /* the verb */
	assert_int_equal(fw_kb_pattern_tree(&kb->patterns[6])->n_nodes, 0);
	assert_int_equal(n_held, 0);
	parses = at_load;

	fw_diag_init(&diag);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_REFERENCE, &ref, &diag), 0);
	assert_int_equal(parses, at_load);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_FAST, &m, &diag), 0);
	/* The DFA was built from the kept trees: no pattern read again. */
	assert_int_equal(parses, at_load);
	assert_true(fw_match_fast_dfa_count(m) >= 1);
	assert_true(fw_match_fast_in_dfa(m, 1));
	assert_int_equal(n_held, 0);
	/* A second build on the same KB makes the same DFA from the same trees. */
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_FAST, &again, &diag), 0);
	assert_int_equal(parses, at_load);
	assert_int_equal(fw_match_fast_dfa_count(again), fw_match_fast_dfa_count(m));
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		assert_int_equal(fw_match_fast_in_dfa(again, p), fw_match_fast_in_dfa(m, p));
	fw_matcher_free(again);
	fw_matcher_free(ref);
	fw_diag_clear(&diag);

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
	assert_int_equal(parses, at_load);
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
