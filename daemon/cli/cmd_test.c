/*
 * fixwatch test: runs every record's examples (and their variants) and
 * counterexamples through the matcher as an input would see them; with
 * --strict also the advice rules and the hostile-capture check, less a list
 * of known failures.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/capture_test.h"
#include "cli/known_failures.h"
#include "cli/tool.h"
#include "cli/variant_test.h"
#include "input/format_match.h"

static bool
lists(const struct fw_strlist *l, const char *id)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], id) == 0)
			return true;
	return false;
}

static bool
allowed_untested(const struct tool_opts *o, const char *id)
{
	for (size_t i = 0; i < o->n_allow_untested; i++)
		if (strcmp(o->allow_untested[i], id) == 0)
			return true;
	return false;
}

static void
test_fail(unsigned *failed, const struct fw_record *rec, const char *field, uint32_t i, const char *msg,
	  const char *line)
{
	if (rec->line)
		printf("%s:%u: %s: %s[%u]: %s: %s\n", rec->path, rec->line, rec->id, field, i, msg, line);
	else
		printf("%s: %s: %s[%u]: %s: %s\n", rec->path, rec->id, field, i, msg, line);
	(*failed)++;
}

/* Strict advice rules: a finding is a failure unless the known list has it. */
struct advice_run {
	struct fw_known *known;
	unsigned *failed;
	unsigned known_hits;
};

static void
advice_finding(void *arg, const struct fw_record *rec, enum fw_kb_rule rule, const char *msg)
{
	struct advice_run *a = arg;

	if (fw_known_take(a->known, rec->id, fw_kb_rule_name(rule))) {
		a->known_hits++;
		return;
	}
	if (rec->line)
		printf("%s:%u: %s: %s: %s\n", rec->path, rec->line, rec->id, fw_kb_rule_name(rule), msg);
	else
		printf("%s: %s: %s: %s\n", rec->path, rec->id, fw_kb_rule_name(rule), msg);
	(*a->failed)++;
}

/* Every listed entry must still fail: the list only shrinks. */
static void
advice_stale(const struct fw_known *k, unsigned *failed)
{
	for (size_t i = 0; k && i < k->n; i++)
		if (!k->entries[i].seen) {
			printf("%s:%u: %s %s: no longer fails; remove it from the list\n", k->path,
			       k->entries[i].line, k->entries[i].id, k->entries[i].rule);
			(*failed)++;
		}
}

/*
 * Matches a record's example (or counterexample) as an input with
 * `format = auto` would see it, so that records with a `field` or `logs`
 * target are tested on whole log lines too: the lines of the example before
 * its last are fed to the parser first (a W3C example carries its header:
 * "#Fields: ...\nLINE"), then the last line is matched. A plain line of a
 * record that names the journal among its logs is also tried as a journal
 * message. A
 * fresh parser per example: no header carries over from another one.
 */
static void
test_match(struct fw_format_match *fm, struct fw_match_ctx *ctx, const struct fw_record *rec,
	   const char *example, struct fw_match_result *r)
{
	static const struct timespec epoch;
	struct fw_format_parser *fp;
	struct fw_parsed *pl;
	const char *line = example, *nl;

	pl = malloc(sizeof *pl);
	if (!pl || fw_format_parser_new(FW_LINE_AUTO, strlen(example), &fp) < 0) {
		free(pl);
		fw_format_match_line(fm, ctx, NULL, FW_LOG_PLAIN, NULL, example, strlen(example), r);
		return;
	}
	/* A stream, not a file: nothing is read by a name (a W3C header comes
	 * from the example's own lines only). */
	while ((nl = strchr(line, '\n')) != NULL) {
		fw_format_parse(fp, NULL, line, (size_t)(nl - line), &epoch, pl);
		line = nl + 1;
	}
	fw_format_parse(fp, NULL, line, strlen(line), &epoch, pl);
	/* r points into fm and ctx, not into the parser: the parser may go. */
	if (fw_format_match_line(fm, ctx, NULL, (enum fw_log_kind)pl->format, pl, pl->text, pl->len, r) == 0 &&
	    pl->format == FW_LINE_PLAIN && (rec->logs >> FW_LOG_JOURNAL & 1u))
		fw_format_match_line(fm, ctx, NULL, FW_LOG_JOURNAL, NULL, line, strlen(line), r);
	fw_format_parser_free(fp);
	free(pl);
}

struct self_match {
	struct fw_format_match *fm;
	struct fw_match_ctx *ctx;
	const struct fw_kb *kb;
};

/* fw_example_match_fn for the variants: does line match rec? */
static bool
matches_self(void *arg, const struct fw_record *rec, const char *line)
{
	struct self_match *sm = arg;
	struct fw_match_result r;

	test_match(sm->fm, sm->ctx, rec, line, &r);
	for (uint32_t h = 0; h < r.n_hits; h++)
		if (&sm->kb->records[r.hits[h].record] == rec)
			return true;
	return false;
}

int
fw_test_command(const struct tool_opts *o, int argc, char **argv)
{
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_format_match *fm = NULL;
	unsigned passed = 0, failed = 0, untested = 0, n_ex = 0, n_cx = 0;
	struct fw_known known = { 0 };
	struct advice_run advice = { NULL, &failed, 0 };
	struct self_match sm;
	struct fw_variant_test vt = { 0 };
	struct fw_capture_test ct = { 0 };

	if (argc)
		return fw_tool_usage_error("test: unexpected argument '%s' (use -k PATH)", argv[0]);
	if (o->known_failures && !o->strict)
		return fw_tool_usage_error("%s", "test: --known-failures goes with --strict");
	if (o->known_failures) {
		if (fw_known_load(o->known_failures, &known) < 0)
			return EXIT_FINDINGS;
		advice.known = &known;
	}
	kb = fw_tool_load_kb(o);
	if (!kb) {
		fw_known_free(&known);
		return EXIT_FINDINGS;
	}
	m = fw_tool_new_matcher(kb, o->engine);
	ctx = m ? fw_match_ctx_new(m) : NULL;
	sm = (struct self_match){ NULL, ctx, kb };
	vt = (struct fw_variant_test){ .kb = kb, .match = matches_self, .match_arg = &sm, .known = advice.known };
	ct = (struct fw_capture_test){ .kb = kb, .known = advice.known };
	if (!ctx || fw_format_match_new(kb, &fm) < 0 || fw_variant_test_init(&vt) < 0 ||
	    fw_capture_test_init(&ct) < 0) {
		fw_capture_test_fini(&ct);
		fw_variant_test_fini(&vt);
		fw_format_match_free(fm);
		fw_match_ctx_free(ctx);
		fw_matcher_free(m);
		fw_kb_free(kb);
		fw_known_free(&known);
		return EXIT_FINDINGS;
	}
	sm.fm = fm;
	for (uint32_t ri = 0; ri < kb->n_records; ri++) {
		const struct fw_record *rec = &kb->records[ri];
		bool short_of_tests = rec->examples.n < 2 || rec->counterexamples.n < 1;

		if (o->strict)
			fw_kb_check_advice(rec, advice_finding, &advice);
		if (short_of_tests && !allowed_untested(o, rec->id)) {
			untested++;
			if (o->strict) {
				printf("%s: %s: examples: %u examples and %u counterexamples (at least 2 and 1 needed)\n",
				       rec->path, rec->id, rec->examples.n, rec->counterexamples.n);
				failed++;
			}
		}
		for (uint32_t i = 0; i < rec->examples.n; i++) {
			const char *line = rec->examples.items[i];
			struct fw_match_result r;
			bool self = false, ok = true;

			n_ex++;
			test_match(fm, ctx, rec, line, &r);
			for (uint32_t h = 0; h < r.n_hits; h++) {
				const struct fw_record *other = &kb->records[r.hits[h].record];

				if (r.hits[h].record == ri) {
					self = true;
				} else if (!lists(&rec->confused_with, other->id) ||
					   !lists(&other->confused_with, rec->id)) {
					char msg[512];

					/* Precision: one line, one diagnosis, unless both records
					 * declare the overlap. */
					snprintf(msg, sizeof msg, "also matches %s (if intended, both records must list "
						 "each other in transition_graph.frequently_confused_with)", other->id);
					test_fail(&failed, rec, "examples", i, msg, line);
					ok = false;
				}
			}
			if (r.limit_errors) {
				test_fail(&failed, rec, "examples", i, "a pattern hit the match limit", line);
				ok = false;
			}
			if (!self) {
				test_fail(&failed, rec, "examples", i, "does not match this record", line);
				fw_variant_explain(kb, rec, "examples", line);
				ok = false;
			}
			passed += ok;
		}
		failed += fw_variant_test_record(&vt, rec);
		if (o->strict)
			failed += fw_capture_test_record(&ct, rec);
		for (uint32_t i = 0; i < rec->counterexamples.n; i++) {
			const char *line = rec->counterexamples.items[i];
			struct fw_match_result r;
			bool hit = false;

			n_cx++;
			test_match(fm, ctx, rec, line, &r);
			for (uint32_t h = 0; h < r.n_hits; h++)
				hit |= r.hits[h].record == ri;
			if (hit)
				test_fail(&failed, rec, "counterexamples", i, "matches this record", line);
			else
				passed++;
		}
	}
	printf("fixwatch test: %u records, %u examples, %u counterexamples, %u variants", kb->n_records, n_ex,
	       n_cx, vt.variants);
	if (vt.known_records)
		printf(", %u record%s with known variant failures", vt.known_records,
		       vt.known_records == 1 ? "" : "s");
	if (o->strict)
		printf(", %u hostile lines", ct.lines);
	if (ct.known_records)
		printf(", %u record%s with known capture findings", ct.known_records,
		       ct.known_records == 1 ? "" : "s");
	if (untested)
		printf(", %u record%s with too few examples", untested, untested == 1 ? "" : "s");
	advice_stale(advice.known, &failed);
	if (advice.known_hits)
		printf(", %u known advice failure%s (%s)", advice.known_hits,
		       advice.known_hits == 1 ? "" : "s", o->known_failures);
	printf("\n%u passed, %u failed\n", passed, failed);
	fw_capture_test_fini(&ct);
	fw_variant_test_fini(&vt);
	fw_format_match_free(fm);
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
	fw_known_free(&known);
	return failed ? EXIT_FINDINGS : EXIT_SUCCESS;
}
