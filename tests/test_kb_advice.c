/*
 * test_kb_advice: the record fields that separate diagnosis from remedy
 * (kb_advice.c): severity, diagnose[], for_cause, risk and the inline *_zh
 * texts are read and follow the ranking; every bad value is reported with
 * its field path; each `fixwatch test --strict` advice rule (rank-order,
 * cause-sum, same-rates, diagnostic-fix) reports a record that breaks it and
 * passes its near miss; the shipped record under the seed's id uses the
 * fields and its fix is a remedy.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/render.h"
#include "kb/kb.h"
#include "testutil.h"

#define REC(id, extra) "{'id':'" id "','signature':'S','regex':'x'" extra "}"

static void
expect_one(const char *rel, const char *content, const char *after)
{
	char *path = tu_write(rel, tu_json(content));
	const char *msg = tu_fmt("%s%s", path, after);

	tu_kb_expect_errors((const char *const *)&path, 1, &msg, 1);
}

static struct fw_kb *
load_text(const char *rel, const char *content)
{
	const char *path = tu_write(rel, tu_json(content));

	return tu_kb_load(&path, 1, false);
}

static void
test_risk_names(void **state)
{
	(void)state;
	assert_null(fw_risk_name(FW_RISK_UNSET));
	assert_string_equal(fw_risk_name(FW_RISK_DATA_LOSS), "data-loss");
}

static void
test_fields_read_and_ranked(void **state)
{
	struct fw_kb *kb = load_text("a.json", REC("t/x",
		",'severity':'crit',"
		"'diagnose':[{'action':'Look','how':'cmd1','action_zh':'看','how_zh':'命令1'},{'action':'Then'}],"
		"'workarounds':[{'action':'A','how':'ha','success_rate':0.4,'for_cause':'c-1','risk':'data-loss',"
		"'action_zh':'甲','how_zh':'做甲'},"
		"{'action':'B','success_rate':0.9,'for_cause':'c2','risk':'none'}],"
		"'workarounds_zh':['old-zA','zB'],"
		"'dead_ends':[{'action':'D','why_fails':'w','risk':'security','action_zh':'丁','why_fails_zh':'因'}]"));
	const struct fw_record *r = &kb->records[0];

	assert_int_equal(r->severity, 2);
	assert_int_equal(r->n_diagnose, 2);
	assert_string_equal(r->diagnose[0].action, "Look");
	assert_string_equal(r->diagnose[0].how_zh, "命令1");
	assert_null(r->diagnose[1].how);
	/* Ranked: B then A; the extras follow their workaround. */
	assert_string_equal(r->workarounds[0].action, "B");
	assert_string_equal(r->workarounds[0].for_cause, "c2");
	assert_int_equal(r->workarounds[0].risk, FW_RISK_NONE);
	assert_string_equal(r->workarounds[0].action_zh, "zB");
	assert_string_equal(r->workarounds[1].for_cause, "c-1");
	assert_int_equal(r->workarounds[1].risk, FW_RISK_DATA_LOSS);
	/* The inline action_zh wins over workarounds_zh[i]. */
	assert_string_equal(r->workarounds[1].action_zh, "甲");
	assert_string_equal(r->workarounds[1].how_zh, "做甲");
	assert_int_equal(r->fix, 0);
	assert_int_equal(r->dead_ends[0].risk, FW_RISK_SECURITY);
	assert_string_equal(r->dead_ends[0].why_fails_zh, "因");
	fw_kb_free(kb);

	/* Absent: unset, not zero. */
	kb = load_text("b.json", REC("t/y", ",'workarounds':[{'action':'A'}]"));
	r = &kb->records[0];
	assert_int_equal(r->severity, FW_SEVERITY_NONE);
	assert_int_equal(r->n_diagnose, 0);
	assert_int_equal(r->workarounds[0].risk, FW_RISK_UNSET);
	assert_null(r->workarounds[0].for_cause);
	fw_kb_free(kb);
}

static void
test_errors(void **state)
{
	expect_one("a.json", REC("t/x", ",'severity':'error'"),
		   ": t/x: severity: \"error\" is not a severity (known: emerg, alert, crit, err, "
		   "warning, notice, info, debug)");
	expect_one("b.json", REC("t/x", ",'severity':3"), ": t/x: severity: expected a string, got a number");
	expect_one("c.json", REC("t/x", ",'workarounds':[{'action':'a','risk':'high'}]"),
		   ": t/x: workarounds[0].risk: \"high\" is not a risk (known: none, disruptive, "
		   "data-loss, security)");
	expect_one("d.json", REC("t/x", ",'dead_ends':[{'why_fails':'a','risk':'Security'}]"),
		   ": t/x: dead_ends[0].risk: \"Security\" is not a risk (known: none, disruptive, "
		   "data-loss, security)");
	expect_one("e.json", REC("t/x", ",'workarounds':[{'action':'a','for_cause':'Name Mismatch'}]"),
		   ": t/x: workarounds[0].for_cause: \"Name Mismatch\" is not a cause name "
		   "(lowercase letters, digits and -)");
	expect_one("f.json", REC("t/x", ",'diagnose':'look'"), ": t/x: diagnose: expected an array, got a string");
	expect_one("g.json", REC("t/x", ",'diagnose':['look']"),
		   ": t/x: diagnose[0]: expected an object with action and how");
	expect_one("h.json", REC("t/x", ",'diagnose':[{'how':'cmd'}]"),
		   ": t/x: diagnose[0].action: missing (a step needs a title)");
	expect_one("i.json", REC("t/x", ",'workarounds':[{'action':'a','how_zh':1}]"),
		   ": t/x: workarounds[0].how_zh: expected a string, got a number");
	/* Field paths past one digit. */
#define STEP "{'action':'a'},"
#define STEPS STEP STEP STEP STEP STEP STEP STEP STEP STEP STEP
	expect_one("j.json", REC("t/x", ",'diagnose':[" STEPS "{'how':'cmd'}]"),
		   ": t/x: diagnose[10].action: missing (a step needs a title)");
	expect_one("k.json", REC("t/x", ",'dead_ends':[" STEPS STEPS STEPS STEPS STEPS STEPS STEPS STEPS STEPS STEPS
				 STEPS STEPS "{'why_fails':'a','risk':'x'}]"),
		   ": t/x: dead_ends[120].risk: \"x\" is not a risk (known: none, disruptive, "
		   "data-loss, security)");
#undef STEPS
#undef STEP
}

/* Markdown shows the steps first, the risk as a warning, and zh when asked. */
static void
test_render(void **state)
{
	struct fw_kb *kb = load_text("a.json", REC("t/x",
		",'severity':'warning','diagnose':[{'action':'Look','how':'cmd1','action_zh':'看'}],"
		"'workarounds':[{'action':'Fix','how':'do','how_zh':'做','success_rate':0.5,'risk':'data-loss'}],"
		"'dead_ends':[{'action':'D','why_fails':'w','why_fails_zh':'因','risk':'security'}]"));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fw_render_markdown(f, kb, &kb->records[0], false);
	fclose(f);
	assert_non_null(strstr(buf, "- **Severity:** warning\n"));
	assert_non_null(strstr(buf, "## Diagnose"));
	assert_true(strstr(buf, "## Diagnose") < strstr(buf, "## Workarounds"));
	assert_non_null(strstr(buf, "**Warning (data-loss):** may destroy data"));
	assert_non_null(strstr(buf, "**Warning (security):** weakens security"));
	assert_null(strstr(buf, "做"));
	free(buf);

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	fw_render_markdown(f, kb, &kb->records[0], true);
	fclose(f);
	assert_non_null(strstr(buf, "1. **看**"));
	assert_non_null(strstr(buf, "   做\n"));
	assert_non_null(strstr(buf, "— 因"));
	free(buf);
	fw_kb_free(kb);
}

/* ---- the strict rules, one bad record each (and its near miss) ---------- */

struct rules_seen {
	unsigned mask;
	char last[256];
};

static void
note_rule(void *arg, const struct fw_record *rec, enum fw_kb_rule rule, const char *msg)
{
	struct rules_seen *seen = arg;

	(void)rec;
	seen->mask |= 1u << rule;
	snprintf(seen->last, sizeof seen->last, "%s: %s", fw_kb_rule_name(rule), msg);
}

/* The rules a record with these workarounds breaks, besides severity, logs and zh. */
static unsigned
rules_of(const char *workarounds, char *last, size_t size)
{
	struct fw_kb *kb = load_text("r.json", tu_fmt(REC("t/r", ",'severity':'err','logs':['plain'],"
		"'signature_zh':'S','workarounds':[%s]"), workarounds));
	struct rules_seen seen = { 0, "" };

	fw_kb_check_advice(&kb->records[0], note_rule, &seen);
	fw_kb_free(kb);
	if (last)
		snprintf(last, size, "%s", seen.last);
	return seen.mask & ~(1u << FW_RULE_ZH);
}

#define W(action, rate, extra) "{'action':'" action "','success_rate':" #rate extra "}"
#define BIT(rule) (1u << (rule))

static void
test_rule_rank_order(void **state)
{
	char last[256];

	(void)state;
	assert_int_equal(rules_of(W("Free space", 0.2, "") "," W("Grow the disk", 0.7, ""), last, sizeof last),
			 BIT(FW_RULE_RANK_ORDER));
	assert_string_equal(last, "rank-order: workarounds[0] (rate 0.20) is listed before a "
			    "higher-rated one; list them best first");
	/* The ranking looks at rates, not at causes or conditions. */
	assert_int_equal(rules_of(W("A", 0.3, ",'for_cause':'x'") "," W("B", 0.4, ",'condition':'c'"), NULL, 0),
			 BIT(FW_RULE_RANK_ORDER));
	assert_int_equal(rules_of(W("Grow the disk", 0.7, "") "," W("Free space", 0.3, ""), NULL, 0), 0);
}

static void
test_rule_cause_sum(void **state)
{
	char last[256];

	(void)state;
	assert_int_equal(rules_of(W("A", 0.7, "") "," W("B", 0.6, ""), last, sizeof last),
			 BIT(FW_RULE_CAUSE_SUM));
	assert_string_equal(last, "cause-sum: 2 alternatives for cause (the root cause) add up to 1.30 "
			    "(> 1): each success_rate is a share of the same cases");
	assert_int_equal(rules_of(W("A", 0.9, ",'for_cause':'full'") "," W("B", 0.6, ",'for_cause':'quota'") ","
				  W("C", 0.5, ",'for_cause':'full'"), last, sizeof last),
			 BIT(FW_RULE_CAUSE_SUM));
	assert_non_null(strstr(last, "2 alternatives for cause full add up to 1.40"));
	/* Different causes, a conditional sub-case, or a sum of exactly 1 are fine. */
	assert_int_equal(rules_of(W("A", 0.9, ",'for_cause':'full'") "," W("B", 0.8, ",'for_cause':'quota'"),
				  NULL, 0), 0);
	assert_int_equal(rules_of(W("A", 0.9, "") "," W("B", 0.8, ",'condition':'on XFS'"), NULL, 0), 0);
	assert_int_equal(rules_of(W("A", 0.6, "") "," W("B", 0.4, ""), NULL, 0), 0);
}

static void
test_rule_same_rates(void **state)
{
	char last[256];

	(void)state;
	assert_int_equal(rules_of(W("A", 0.8, ",'for_cause':'a'") "," W("B", 0.8, ",'for_cause':'b'") ","
				  W("C", 0.8, ",'for_cause':'c'"), last, sizeof last),
			 BIT(FW_RULE_SAME_RATES));
	assert_string_equal(last, "same-rates: all 3 workarounds are rated 0.80: rates that do not "
			    "discriminate say nothing");
	assert_int_equal(rules_of(W("A", 0.8, ",'for_cause':'a'") "," W("B", 0.7, ",'for_cause':'b'"), NULL, 0), 0);
	assert_int_equal(rules_of(W("A", 0.8, ""), NULL, 0), 0);
}

static void
test_rule_diagnostic_fix(void **state)
{
	static const char *const bad[] = { "Check the disk", "verify the chain", "Inspect dmesg",
					   "Read the log before", "Look at the backend", "Find the process" };
	char last[256];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *w = tu_fmt("{'action':'Grow the disk','success_rate':0.6},"
				       "{'action':'%s','success_rate':0.4}", bad[i]);

		assert_int_equal(rules_of(w, last, sizeof last), BIT(FW_RULE_DIAGNOSTIC_FIX));
		assert_non_null(strstr(last, "workarounds[1] \""));
		assert_non_null(strstr(last, "is a diagnostic step: move it to diagnose[]"));
	}
	/* A workaround without action is shown, and judged, by its how. */
	assert_int_equal(rules_of("{'how':'Review the grants','success_rate':0.5}", NULL, 0),
			 BIT(FW_RULE_DIAGNOSTIC_FIX));
	/* Whole words only: a remedy may start with a longer word. */
	assert_int_equal(rules_of(W("Checkpoint more often", 0.5, "") ","
				  W("Listen on IPv6 too", 0.4, ",'for_cause':'v6'") "," W("Run certbot renew", 0.3, ""), NULL, 0), 0);
}

/* The record shipped under the seed's id: new format, fix a remedy, no ACM import. */
static void
test_shipped_seed_record(void **state)
{
	const char *path = tu_fmt("%s/data/kb/aws/cloudfront-custom-origin-ssl-handshake-failed.json",
				  tu_srcdir());
	struct fw_kb *kb = tu_kb_load(&path, 1, false);
	const struct fw_record *r = &kb->records[0];

	assert_string_equal(r->id, "aws/cloudfront-custom-origin-ssl-handshake-failed");
	assert_int_equal(r->severity, fw_severity_parse("err"));
	assert_true(r->n_diagnose >= 1);
	assert_true(r->fix >= 0);
	assert_non_null(r->root_cause_zh);
	for (uint32_t i = 0; i < r->n_workarounds; i++) {
		const struct fw_workaround *w = &r->workarounds[i];

		assert_non_null(w->for_cause);
		assert_non_null(w->action_zh);
		assert_non_null(w->how_zh);
		assert_null(strstr(w->how, "import-certificate"));
		if (i > 0)
			assert_true(w->success_rate <= r->workarounds[i - 1].success_rate);
	}
	for (uint32_t i = 0; i < r->n_dead_ends; i++)
		assert_non_null(r->dead_ends[i].why_fails_zh);
	assert_non_null(strstr(r->doc_url, "http-502-bad-gateway.html#"));
	fw_kb_free(kb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_setup, tu_teardown)
		T(test_risk_names),
		T(test_fields_read_and_ranked),
		T(test_errors),
		T(test_render),
		T(test_rule_rank_order),
		T(test_rule_cause_sum),
		T(test_rule_same_rates),
		T(test_rule_diagnostic_fix),
		T(test_shipped_seed_record),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
