/*
 * fixwatch check: loads a KB and reports its size, domains, JIT and what the
 * fast matcher's prefilter does per pattern, with warnings for the patterns
 * confirmed on many or every line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/tool.h"
#include "match/match_fast.h"

/*
 * What the fast matcher's prefilter uses per pattern. A pattern whose
 * literals filter little or that has none goes through the DFA first when
 * the DFA models it; otherwise it is confirmed on many or every line, so
 * its measured cost is shown.
 */
/* quiet: only the summary and the warnings, not a line per pattern. */
static void
check_prefilter(const struct fw_kb *kb, bool quiet)
{
	struct fw_matcher *m;
	struct fw_diag d;
	char desc[512], shape[512];
	uint32_t shaped = 0;

	fw_diag_init(&d);
	if (fw_matcher_new(kb, FW_ENGINE_FAST, &m, &d) < 0) {
		fw_diag_print(&d, stderr);
		fw_diag_clear(&d);
		return;
	}
	fw_diag_clear(&d);
	/* Of the patterns without literals, those a shape gates are not confirmed on every line. */
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		shaped += !fw_match_fast_in_dfa(m, p) && fw_match_fast_describe(m, p, desc, sizeof desc) == 0 &&
			  fw_match_fast_shape(m, p, shape, sizeof shape) > 0;
	printf("prefilter: %u of %u patterns confirmed on every line, %u only on lines holding their shape, "
	       "%u checked by the DFA first\n",
	       fw_match_fast_always_count(m) - shaped, kb->n_patterns, shaped, fw_match_fast_dfa_count(m));
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];
		const char *id = kb->records[pat->record].id;
		bool has_literal = fw_match_fast_describe(m, p, desc, sizeof desc) > 0;
		int shapes = fw_match_fast_shape(m, p, shape, sizeof shape);
		bool has_shape = shapes > 0;
		const char *plural = shapes > 1 ? "s" : "";     /* "its shape X", "its shapes X and Y" */
		/* " holding its shapes " and the shape text: never cut */
		char holding[sizeof shape + 32] = "", with_test[32] = "";
		unsigned hits, of;
		double ns;

		if (has_shape) {
			snprintf(holding, sizeof holding, " holding its shape%s %s", plural, shape);
			snprintf(with_test, sizeof with_test, " with the shape test%s", plural);
		}

		if (!quiet) {
			printf("  %s [%u]: literal %s%s\n", id, pat->index, desc,
			       fw_match_fast_in_dfa(m, p) ? ", then the DFA" : "");
			if (has_shape)
				printf("    only where its shape%s %s occur%s\n", plural, shape, shapes > 1 ? "" : "s");
		}
		if (fw_match_fast_in_dfa(m, p))
			continue;
		/* A selective literal is in none of the typical lines. */
		if (has_literal && fw_match_fast_common(m, p, &hits, &of) == 0 && 4 * hits >= of &&
		    fw_match_fast_cost(m, p, &ns) == 0)
			printf("warning: %s [%u]: literal common in ordinary logs (%u of %u typical "
			       "lines), confirmed on many lines%s: %.0f ns/line%s\n",
			       id, pat->index, hits, of, holding, ns, with_test);
		else if (!has_literal && has_shape && fw_match_fast_cost(m, p, &ns) == 0)
			printf("warning: %s [%u]: no usable literal, confirmed on every line%s: %.0f "
			       "ns/line%s\n", id, pat->index, holding, ns, with_test);
		else if (!has_literal && fw_match_fast_cost(m, p, &ns) == 0)
			printf("warning: %s [%u]: no usable literal, confirmed on every line: %.0f ns/line\n",
			       id, pat->index, ns);
	}
	fw_matcher_free(m);
}

/*
 * Matching JIT-compiles a pattern when it is first confirmed (kb.h); here
 * every pattern is compiled now so that the line says what JIT would do
 * for each of them, and what its code would cost if all were confirmed.
 */
static void
print_jit(const struct fw_kb *kb)
{
	struct fw_kb_jit_stats js;
	uint32_t no_jit = 0;

	for (uint32_t p = 0; p < kb->n_patterns; p++)
		no_jit += kb->patterns[p].no_jit;
	if (!kb->jit) {
		printf("\nJIT: %s\n", kb->jit_error ? kb->jit_error : "off");
		return;
	}
	(void)fw_kb_jit_compile_all(kb);
	fw_kb_jit_stats(kb, &js);
	printf("\nJIT: on, each pattern compiled when first confirmed (%u: %.1f %s of code)",
	       js.compiled, (double)js.code_bytes / (js.code_bytes < 1048576 ? 1024 : 1048576),
	       js.code_bytes < 1048576 ? "KB" : "MB");
	if (no_jit)
		printf("; %u interpreted by their own (*NO_JIT)", no_jit);
	if (js.failed)
		printf("; %u interpreted because their JIT compile failed", js.failed);
	if (js.off_error) {
		char buf[256];

		pcre2_get_error_message(js.off_error, (PCRE2_UCHAR *)buf, sizeof buf);
		printf("; then JIT stopped (%s, error %d): %u interpreted", buf, js.off_error,
		       js.interpreted - no_jit);
	}
	printf("\n");
}

int
fw_check_command(const struct tool_opts *o, int argc, char **argv)
{
	struct fw_kb *kb;
	uint32_t named = 0;

	if (argc)
		return fw_tool_usage_error("check: unexpected argument '%s' (use -k PATH)", argv[0]);
	kb = fw_tool_load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		named += kb->patterns[p].n_names;
	printf("%u records, %u patterns (%u named captures) from %u file%s\n", kb->n_records,
	       kb->n_patterns, named, kb->n_files, kb->n_files == 1 ? "" : "s");
	printf("domains:");
	for (uint32_t d = 0; d < kb->n_domains; d++) {
		uint32_t n = 0;

		for (uint32_t i = 0; i < kb->n_records; i++)
			n += kb->records[i].domain_index == d;
		printf(" %s (%u)", kb->domains[d], n);
	}
	print_jit(kb);
	check_prefilter(kb, o->quiet);
	fw_kb_free(kb);
	return EXIT_SUCCESS;
}
