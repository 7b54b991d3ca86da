/*
 * test_kb: the KB loader (design.md §3). The shipped seed record loads exactly;
 * fixtures written at test time cover file layouts, KB order, optional
 * fields and every kind of error, each checked by its exact message
 * "PATH[:LINE]: ID: FIELD: message".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "kb/kb_loader.h"
#include "kb_json_check.h"
#include "testutil.h"

/* A valid record with extra members appended (tu_json form). */
#define REC(id, extra) "{'id':'" id "','signature':'S','regex':'x'" extra "}"

/* Writes one file (tu_json form); loading it must fail with exactly path + after. */
static void
expect_one(const char *rel, const char *content, const char *after)
{
	char *path = tu_write(rel, tu_json(content));
	const char *msg = tu_fmt("%s%s", path, after);

	tu_kb_expect_errors((const char *const *)&path, 1, &msg, 1);
}

/* The same with raw bytes (no quote conversion). */
static void
expect_one_raw(const char *rel, const char *data, size_t len, const char *after)
{
	char *path = tu_write_bytes(rel, data, len);
	const char *msg = tu_fmt("%s%s", path, after);

	tu_kb_expect_errors((const char *const *)&path, 1, &msg, 1);
}

static struct fw_kb *
load_one(const char *path, bool no_jit)
{
	return tu_kb_load(&path, 1, no_jit);
}

/* ---- the seed ------------------------------------------------------------ */

static void
test_seed_exact(void **state)
{
	char *seed = tu_seed_path();
	struct fw_kb *kb = load_one(seed, false);
	const struct fw_record *r;
	const struct fw_pattern *p;

	assert_int_equal(kb->n_records, 1);
	assert_int_equal(kb->n_patterns, 1);
	assert_int_equal(kb->n_files, 1);
	assert_int_equal(kb->n_domains, 1);
	assert_string_equal(kb->domains[0], "aws");
	r = &kb->records[0];
	assert_string_equal(r->id, "aws/cloudfront-custom-origin-ssl-handshake-failed");
	assert_string_equal(r->signature, "502 ERROR The request could not be satisfied. CloudFront "
			    "wasn't able to connect to the origin - SSL handshake failed");
	assert_string_equal(r->signature_zh,
			    "502 错误 无法满足请求。CloudFront 无法连接到源站 - SSL 握手失败");
	assert_string_equal(r->domain, "aws");
	assert_string_equal(r->category, "network_error");
	assert_non_null(r->root_cause);
	assert_string_equal(r->root_cause, "CloudFront cannot establish an SSL/TLS connection to the "
			    "custom origin because the origin's SSL certificate is invalid, expired, "
			    "self-signed, or does not match the origin domain name.");
	assert_non_null(r->root_cause_zh);
	assert_string_equal(r->doc_url, "https://docs.aws.amazon.com/AmazonCloudFront/latest/"
			    "DeveloperGuide/SSL_handshake_failure.html");
	assert_string_equal(r->verification_tier, "ai_generated");
	assert_true(r->confidence == 0.86);
	assert_true(r->fix_success_rate == 0.83);
	assert_int_equal(r->priority, 0);
	assert_int_equal(r->flags, 0);
	assert_string_equal(r->path, seed);
	assert_int_equal(r->line, 0);

	/* Ranked 0.9 / 0.85 / 0.8 although the file lists 0.9 / 0.8 / 0.85. */
	assert_int_equal(r->n_workarounds, 3);
	assert_int_equal(r->fix, 0);
	assert_true(r->workarounds[0].success_rate == 0.9);
	assert_true(r->workarounds[1].success_rate == 0.85);
	assert_true(r->workarounds[2].success_rate == 0.8);
	assert_true(strncmp(r->workarounds[0].action, "Ensure the origin's SSL certificate", 35) == 0);
	assert_true(strncmp(r->workarounds[1].action, "Configure CloudFront to use", 27) == 0);
	assert_true(strncmp(r->workarounds[2].action, "If the origin uses a self-signed", 32) == 0);
	for (int i = 0; i < 3; i++) {
		/* workarounds_zh[i] follows workaround i through the ranking. */
		assert_string_equal(r->workarounds[i].action_zh, r->workarounds[i].action);
		assert_string_equal(r->workarounds[i].how, r->workarounds[i].action);
		assert_null(r->workarounds[i].condition);
	}

	assert_int_equal(r->n_dead_ends, 3);
	assert_null(r->dead_ends[0].action);
	assert_null(r->dead_ends[1].action);
	assert_null(r->dead_ends[2].action);
	assert_null(r->dead_ends[0].condition);
	assert_string_equal(r->dead_ends[0].why_fails, "The SSL handshake still fails because the "
			    "certificate issue remains; CloudFront requires a valid certificate.");
	assert_string_equal(r->dead_ends[1].why_fails, "This is a workaround but compromises security; "
			    "it may not be allowed if the origin requires HTTPS.");
	assert_string_equal(r->dead_ends[2].why_fails, "The certificate issue is persistent; restarting "
			    "does not fix the SSL configuration.");
	assert_string_equal(fw_dead_end_text(&r->dead_ends[2]), r->dead_ends[2].why_fails);
	assert_true(r->dead_ends[0].fail_rate == 0.7);
	assert_true(r->dead_ends[1].fail_rate == 0.4);
	assert_true(r->dead_ends[2].fail_rate == 0.85);

	assert_int_equal(r->n_versions, 3);
	assert_string_equal(r->versions[0].version, "CloudFront 2024-05-01");
	assert_string_equal(r->versions[1].version, "OpenSSL 3.0.12");
	assert_string_equal(r->versions[2].version, "TLS 1.2");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(r->versions[i].status, "active");
		assert_null(r->versions[i].introduced);
		assert_null(r->versions[i].deprecated);
		assert_null(r->versions[i].removed);
	}
	assert_int_equal(r->tags.n, 0);
	assert_int_equal(r->aliases.n, 0);
	assert_int_equal(r->leads_to.n, 0);
	assert_int_equal(r->examples.n, 0);

	assert_int_equal(r->first_pattern, 0);
	assert_int_equal(r->n_patterns, 1);
	p = &kb->patterns[0];
	assert_string_equal(p->source, r->signature);
	assert_int_equal(p->record, 0);
	assert_int_equal(p->index, 0);
	assert_int_equal(p->n_names, 0);
	assert_true(p->specificity > 100);
	assert_ptr_equal(fw_kb_find(kb, r->id), r);
	fw_kb_free(kb);
}

/* The seed file has no final newline; one added or CRLF endings change nothing. */
static void
test_seed_line_endings(void **state)
{
	FILE *f = fopen(tu_seed_path(), "rb");
	char buf[16384], crlf[32768];
	size_t n, o = 0;
	struct fw_kb *kb;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	assert_true(n > 0 && n < sizeof buf);
	assert_int_not_equal(buf[n - 1], '\n');
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = buf[i];
	}
	crlf[o++] = '\r';
	crlf[o++] = '\n';
	kb = load_one(tu_write_bytes("crlf.json", crlf, o), true);
	assert_int_equal(kb->n_records, 1);
	assert_true(kb->records[0].confidence == 0.86);
	assert_int_equal(kb->records[0].n_workarounds, 3);
	fw_kb_free(kb);
}

/* ---- layouts and KB order ------------------------------------------------ */

static void
test_jsonl_lines(void **state)
{
	char *path = tu_write("k.jsonl", tu_json(REC("t/one", "") "\n\n   \t\n" REC("t/two", "") "\n"
						 REC("t/three", "")));
	struct fw_kb *kb = load_one(path, false);

	assert_int_equal(kb->n_records, 3);
	assert_int_equal(kb->n_files, 1);
	assert_string_equal(kb->records[0].id, "t/one");
	assert_int_equal(kb->records[0].line, 1);
	assert_string_equal(kb->records[1].id, "t/two");
	assert_int_equal(kb->records[1].line, 4);
	assert_string_equal(kb->records[2].id, "t/three");
	assert_int_equal(kb->records[2].line, 5);
	assert_string_equal(kb->records[2].path, path);
	fw_kb_free(kb);
}

static void
test_jsonl_error_line(void **state)
{
	expect_one("k.jsonl", REC("t/one", "") "\n\n" REC("t/two", ",'confidence':'high'") "\n",
		   ":3: t/two: confidence: expected a number, got a string");
}

static void
test_jsonl_crlf(void **state)
{
	char *path = tu_write("k.jsonl", tu_json(REC("t/one", "") "\r\n\r\n" REC("t/two", "") "\r\n"));
	struct fw_kb *kb = load_one(path, false);

	assert_int_equal(kb->n_records, 2);
	assert_int_equal(kb->records[0].line, 1);
	assert_int_equal(kb->records[1].line, 3);
	assert_string_equal(kb->records[1].signature, "S");
	fw_kb_free(kb);
	expect_one("e.jsonl", REC("t/one", "") "\r\n" REC("t/two", ",'flags':'q'") "\r\n",
		   ":2: t/two: flags: unknown flag 'q' (known: i)");
}

static void
test_directory_order(void **state)
{
	struct fw_kb *kb;
	const char *dir = tu_mkdir("kb");

	/* Byte-wise order of full paths: "B" < "a", "a.json" < "a/" ('.' < '/'). */
	tu_write("kb/b.json", tu_json(REC("t/b", "")));
	tu_write("kb/a/z.jsonl", tu_json(REC("t/az1", "") "\n" REC("t/az2", "")));
	tu_write("kb/a.json", tu_json(REC("t/a", "")));
	tu_write("kb/B.json", tu_json(REC("t/B", "")));
	tu_write("kb/sub/deep/er/d.json", tu_json(REC("t/d", "")));
	/* Hidden entries, other suffixes: never read (they would not load). */
	tu_write("kb/.hidden.json", "not json");
	tu_write("kb/.git/x.json", "not json");
	tu_write("kb/notes.txt", "not json");
	tu_write("kb/x.json.orig", "not json");
	kb = load_one(dir, false);
	assert_int_equal(kb->n_records, 6);
	assert_int_equal(kb->n_files, 5);
	assert_string_equal(kb->records[0].id, "t/B");
	assert_string_equal(kb->records[1].id, "t/a");
	assert_string_equal(kb->records[2].id, "t/az1");
	assert_string_equal(kb->records[3].id, "t/az2");
	assert_string_equal(kb->records[4].id, "t/b");
	assert_string_equal(kb->records[5].id, "t/d");
	assert_string_equal(kb->records[5].path, tu_fmt("%s/sub/deep/er/d.json", dir));
	for (uint32_t i = 0; i < kb->n_records; i++) {
		assert_int_equal(kb->records[i].first_pattern, i);
		assert_int_equal(kb->patterns[i].record, i);
	}
	fw_kb_free(kb);
}

static void
test_paths_in_given_order(void **state)
{
	const char *paths[3];
	struct fw_kb *kb;

	tu_write("one/a.json", tu_json(REC("t/one-a", "")));
	tu_write("one/b.json", tu_json(REC("t/one-b", "")));
	tu_write("two/a.json", tu_json(REC("t/two-a", "")));
	paths[0] = tu_path("two");
	paths[1] = tu_write("single.jsonl", tu_json(REC("t/single", "")));
	paths[2] = tu_path("one");
	kb = tu_kb_load(paths, 3, false);
	assert_int_equal(kb->n_records, 4);
	assert_string_equal(kb->records[0].id, "t/two-a");
	assert_string_equal(kb->records[1].id, "t/single");
	assert_string_equal(kb->records[2].id, "t/one-a");
	assert_string_equal(kb->records[3].id, "t/one-b");
	fw_kb_free(kb);
}

/* ---- fields -------------------------------------------------------------- */

static void
test_unknown_and_null_fields(void **state)
{
	struct fw_kb *kb = load_one(tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'x','whatever':{'deep':[1,{'a':null}]},"
		"'category':null,'root_cause':null,'confidence':null,'fix_success_rate':null,"
		"'workarounds':null,'dead_ends':null,'versions':null,'tags':null,'flags':null,"
		"'priority':null,'transition_graph':null,'regexes':null,'domain':null}")), false);
	const struct fw_record *r = &kb->records[0];

	assert_null(r->category);
	assert_null(r->root_cause);
	assert_true(isnan(r->confidence));
	assert_true(isnan(r->fix_success_rate));
	assert_int_equal(r->n_workarounds, 0);
	assert_int_equal(r->fix, -1);
	assert_int_equal(r->n_dead_ends, 0);
	assert_int_equal(r->n_versions, 0);
	assert_int_equal(r->tags.n, 0);
	assert_int_equal(r->priority, 0);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->n_patterns, 1);
	assert_string_equal(r->domain, "t");
	assert_null(r->signature_zh);
	assert_null(r->doc_url);
	fw_kb_free(kb);
}

static void
test_empty_strings_absent(void **state)
{
	struct fw_kb *kb = load_one(tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'x','category':'','root_cause':'','domain':'',"
		"'official_doc_url':'','signature_zh':'','flags':'',"
		"'workarounds':[{'action':'','how':'run it','success_rate':0.2},"
		"{'action':'','how':'','success_rate':0.9},'bare string',''],"
		"'dead_ends':[{'action':'','why_fails':'','fail_rate':0.5},{'action':'do','why_fails':'no'}]}")),
		false);
	const struct fw_record *r = &kb->records[0];

	assert_null(r->category);
	assert_null(r->root_cause);
	assert_string_equal(r->domain, "t");
	assert_null(r->doc_url);
	assert_null(r->signature_zh);
	assert_int_equal(r->flags, 0);
	/* Ranked: 0.9 (no text), 0.2 ("how" stands in), then unknown rates in file order. */
	assert_int_equal(r->n_workarounds, 4);
	assert_true(r->workarounds[0].success_rate == 0.9);
	assert_null(fw_workaround_text(&r->workarounds[0], false));
	assert_null(r->workarounds[1].action);
	assert_string_equal(fw_workaround_text(&r->workarounds[1], false), "run it");
	assert_string_equal(r->workarounds[2].action, "bare string");
	assert_true(isnan(r->workarounds[2].success_rate));
	assert_null(fw_workaround_text(&r->workarounds[3], false));
	assert_int_equal(r->fix, 1);
	assert_int_equal(r->n_dead_ends, 2);
	assert_null(fw_dead_end_text(&r->dead_ends[0]));
	assert_string_equal(fw_dead_end_text(&r->dead_ends[1]), "do");
	assert_true(isnan(r->dead_ends[1].fail_rate));
	fw_kb_free(kb);
}

static void
test_workarounds_zh_follow_ranking(void **state)
{
	struct fw_kb *kb = load_one(tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'x',"
		"'workarounds':[{'action':'A','success_rate':0.5},{'action':'B','success_rate':0.9},"
		"{'action':'C','success_rate':0.7},{'action':'D','success_rate':0.7}],"
		"'workarounds_zh':['zA',{'action':'zB'},null]}")), false);
	const struct fw_record *r = &kb->records[0];

	assert_int_equal(r->n_workarounds, 4);
	assert_string_equal(r->workarounds[0].action, "B");
	assert_string_equal(r->workarounds[0].action_zh, "zB");
	assert_string_equal(r->workarounds[1].action, "C");
	assert_null(r->workarounds[1].action_zh);
	assert_string_equal(r->workarounds[2].action, "D"); /* tie: file order */
	assert_null(r->workarounds[2].action_zh);
	assert_string_equal(r->workarounds[3].action, "A");
	assert_string_equal(r->workarounds[3].action_zh, "zA");
	assert_string_equal(fw_workaround_text(&r->workarounds[3], true), "zA");
	assert_string_equal(fw_workaround_text(&r->workarounds[3], false), "A");
	assert_string_equal(fw_workaround_text(&r->workarounds[1], true), "C");
	assert_int_equal(r->fix, 0);
	fw_kb_free(kb);
}

static void
test_lists_and_transitions(void **state)
{
	struct fw_kb *kb = load_one(tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'x','tags':['a','b'],'aliases':['t/old'],"
		"'examples':['x1','x2','x3'],'counterexamples':['y'],"
		"'transition_graph':{'leads_to':['t/next'],'preceded_by':[],"
		"'frequently_confused_with':['t/c1','t/c2']},'priority':-3}")), false);
	const struct fw_record *r = &kb->records[0];

	assert_int_equal(r->tags.n, 2);
	assert_string_equal(r->tags.items[1], "b");
	assert_int_equal(r->aliases.n, 1);
	assert_string_equal(r->aliases.items[0], "t/old");
	assert_int_equal(r->examples.n, 3);
	assert_string_equal(r->examples.items[2], "x3");
	assert_int_equal(r->counterexamples.n, 1);
	assert_int_equal(r->leads_to.n, 1);
	assert_string_equal(r->leads_to.items[0], "t/next");
	assert_int_equal(r->preceded_by.n, 0);
	assert_int_equal(r->confused_with.n, 2);
	assert_string_equal(r->confused_with.items[1], "t/c2");
	assert_int_equal(r->priority, -3);
	assert_null(fw_kb_find(kb, "t/old")); /* ids only, not aliases */
	fw_kb_free(kb);
}

static void
test_named_captures_and_flags(void **state)
{
	struct fw_kb *kb = load_one(tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'(?<host>\\\\S+) (\\\\d+) (?<code>\\\\d+)',"
		"'regexes':['plain','(?<only>z)'],'flags':'i'}")), false);
	const struct fw_record *r = &kb->records[0];
	const struct fw_pattern *p = &kb->patterns[0];
	pcre2_match_data *md = pcre2_match_data_create(8, NULL);

	assert_int_equal(r->n_patterns, 3);
	assert_int_equal(r->flags, FW_REC_CASELESS);
	assert_string_equal(p->source, "(?<host>\\S+) (\\d+) (?<code>\\d+)");
	/* In group order (PCRE2's own table is sorted by name). */
	assert_int_equal(p->n_names, 2);
	assert_string_equal(p->names[0].name, "host");
	assert_int_equal(p->names[0].group, 1);
	assert_string_equal(p->names[1].name, "code");
	assert_int_equal(p->names[1].group, 3);
	assert_int_equal(kb->patterns[1].n_names, 0);
	assert_string_equal(kb->patterns[1].source, "plain");
	assert_int_equal(kb->patterns[1].index, 1);
	assert_int_equal(kb->patterns[2].index, 2);
	assert_int_equal(kb->patterns[2].n_names, 1);
	assert_string_equal(kb->patterns[2].names[0].name, "only");
	/* "i" compiles every pattern of the record caseless. */
	assert_int_equal(pcre2_match(kb->patterns[1].code, (PCRE2_SPTR) "PLAIN", 5, 0, 0, md, NULL), 1);
	assert_int_equal(pcre2_match(kb->patterns[2].code, (PCRE2_SPTR) "Z", 1, 0, 0, md, NULL), 2);
	pcre2_match_data_free(md);
	fw_kb_free(kb);
}

static void
test_find_and_domains(void **state)
{
	static const char *const lines[] = {
		REC("aws/one", ""),
		REC("nginx/two", ""),
		REC("web/three", ",'domain':'nginx'"),
		REC("aws/four", ""),
		REC("misc/five", ""),
	};
	struct fw_kb *kb = tu_kb_from_lines("k.jsonl", lines, TU_N(lines), false);
	struct fw_diag diag;
	uint64_t mask[1] = { ~UINT64_C(0) };
	const char *aws_nginx[] = { "aws", "nginx" }, *bad[] = { "nope", "misc" };

	assert_int_equal(kb->n_records, 5);
	assert_int_equal(kb->n_domains, 3);
	assert_string_equal(kb->domains[0], "aws");
	assert_string_equal(kb->domains[1], "misc");
	assert_string_equal(kb->domains[2], "nginx");
	assert_string_equal(kb->records[2].domain, "nginx");
	assert_int_equal(kb->records[2].domain_index, 2);
	assert_int_equal(kb->records[4].domain_index, 1);
	for (uint32_t i = 0; i < kb->n_records; i++)
		assert_ptr_equal(fw_kb_find(kb, kb->records[i].id), &kb->records[i]);
	assert_null(fw_kb_find(kb, "aws/on"));
	assert_null(fw_kb_find(kb, "aws/one "));
	assert_null(fw_kb_find(kb, ""));

	assert_int_equal(fw_kb_mask_words(kb), 1);
	fw_diag_init(&diag);
	assert_int_equal(fw_kb_domain_mask(kb, aws_nginx, 2, mask, &diag), 0);
	assert_int_equal(mask[0], 0x0f);
	assert_int_equal(fw_kb_domain_mask(kb, aws_nginx + 1, 1, mask, &diag), 0);
	assert_int_equal(mask[0], 0x06);
	assert_int_equal(fw_diag_count(&diag), 0);
	assert_int_equal(fw_kb_domain_mask(kb, bad, 2, mask, &diag), -ENOENT);
	assert_int_equal(mask[0], 0x10); /* still filled for the known domain */
	assert_int_equal(diag.n, 1);
	assert_string_equal(diag.msgs[0], "domain \"nope\" has no record in the knowledge base");
	assert_int_equal(fw_kb_domain_mask(kb, bad, 1, mask, NULL), -ENOENT);
	assert_int_equal(mask[0], 0);
	assert_true(fw_mask_test(NULL, 3));
	fw_diag_clear(&diag);
	fw_kb_free(kb);
}

/* Masks span words: record 64 is bit 0 of word 1. */
static void
test_mask_many_records(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct fw_kb *kb;
	const char *d[] = { "odd" };
	uint64_t mask[2];

	assert_non_null(f);
	for (int i = 0; i < 70; i++)
		fprintf(f, "{\"id\":\"%s/r%02d\",\"signature\":\"S\",\"regex\":\"x\"}\n",
			i % 2 ? "odd" : "even", i);
	fclose(f);
	kb = load_one(tu_write("k.jsonl", text), false);
	free(text);
	assert_int_equal(kb->n_records, 70);
	assert_int_equal(fw_kb_mask_words(kb), 2);
	assert_int_equal(fw_kb_domain_mask(kb, d, 1, mask, NULL), 0);
	assert_true(mask[0] == UINT64_C(0xaaaaaaaaaaaaaaaa));
	assert_int_equal(mask[1], 0x2a); /* records 65, 67, 69 */
	assert_false(fw_mask_test(mask, 64));
	assert_true(fw_mask_test(mask, 69));
	fw_kb_free(kb);
}

static void
test_jit_options(void **state)
{
	char *path = tu_write("k.jsonl", tu_json(REC("t/a", "") "\n" REC("t/b", ",'regexes':['y+z']")));
	struct fw_kb *kb = load_one(path, true);
	uint32_t have_jit = 0;

	assert_int_equal(kb->n_patterns, 3);
	assert_false(kb->jit);
	for (uint32_t i = 0; i < kb->n_patterns; i++)
		assert_int_equal(kb->jit_state[i], FW_JIT_OFF);
	assert_null(kb->jit_error);
	fw_kb_free(kb);

	kb = load_one(path, false);
	pcre2_config(PCRE2_CONFIG_JIT, &have_jit);
	if (have_jit && !kb->jit_error) {
		/* JIT is there; each pattern waits for its first confirmation (test_kb_jit.c). */
		assert_true(kb->jit);
		for (uint32_t i = 0; i < kb->n_patterns; i++)
			assert_int_equal(kb->jit_state[i], FW_JIT_PENDING);
		assert_int_equal(fw_kb_jit_compile_all(kb), 0);
		for (uint32_t i = 0; i < kb->n_patterns; i++)
			assert_int_equal(kb->jit_state[i], FW_JIT_ON);
	} else {
		/* No executable memory here: the reason is kept, matching goes on. */
		assert_false(kb->jit);
		for (uint32_t i = 0; i < kb->n_patterns; i++)
			assert_int_equal(kb->jit_state[i], FW_JIT_OFF);
		if (have_jit)
			assert_non_null(strstr(kb->jit_error, "PCRE2 JIT is not available"));
	}
	fw_kb_free(kb);
}

/* ---- errors ---------------------------------------------------------------- */

static void
test_err_malformed_json(void **state)
{
	expect_one("k.json", "{\n  'id': 't/x',\n  oops\n}",
		   ":3: -: -: malformed JSON at column 3: quoted object property name expected");
	expect_one("k.jsonl", REC("t/a", "") "\n" "{'id':'t/b',}" "\n",
		   ":2: -: -: malformed JSON at column 13: unexpected character");
	expect_one("t.json", "{'id':'t/x'",
		   ":1: -: -: malformed JSON at column 12: unexpected end of data");
	expect_one("e.json", "", ":1: -: -: malformed JSON at column 1: unexpected end of data");
}

static void
test_err_trailing_data(void **state)
{
	/* json-c's strict mode reports what follows the record itself. */
	expect_one("k.json", REC("t/x", "") "\n  x\n", ":2: -: -: malformed JSON at column 3: "
		   "unexpected character");
	expect_one("k.jsonl", REC("t/x", "") " " REC("t/y", ""),
		   ":1: -: -: malformed JSON at column 42: unexpected character");
}

static void
test_err_not_object(void **state)
{
	expect_one("a.json", "['t/x']", ": -: -: a record must be a JSON object, got an array");
	expect_one("b.jsonl", REC("t/x", "") "\n42\n", ":2: -: -: a record must be a JSON object, got a number");
	expect_one("c.jsonl", "'str'", ":1: -: -: a record must be a JSON object, got a string");
	/* A bare number ends only with the input; it is still a value, not malformed. */
	expect_one("d.json", "42", ": -: -: a record must be a JSON object, got a number");
	expect_one("e.jsonl", "-1.5\r\n", ":1: -: -: a record must be a JSON object, got a number");
	expect_one("f.json", "null", ": -: -: a record must be a JSON object, got null");
	expect_one("g.json", "4 2", ":1: -: -: malformed JSON at column 3: unexpected character");
}

static void
test_err_required(void **state)
{
	expect_one("a.json", "{'signature':'S','regex':'x'}", ": -: id: missing (required)");
	expect_one("b.json", "{'id':'t/x','regex':'x'}", ": t/x: signature: missing (required)");
	expect_one("c.json", "{'id':'t/x','signature':'S'}", ": t/x: regex: missing (required)");
	expect_one("d.json", "{'id':'t/x','signature':'S','regex':''}",
		   ": t/x: regex: empty (a pattern that matches every line is not a signature)");
	expect_one("e.json", "{'id':'','signature':'S','regex':'x'}", ": -: id: missing (required)");
	expect_one("f.json", "{'id':'t/x','signature':'','regex':'x'}", ": t/x: signature: missing (required)");
	expect_one("g.json", "{'id':'t/x','signature':null,'regex':'x'}", ": t/x: signature: missing (required)");
	expect_one("h.json", "{'id':'t/x','signature':'S','regex':null}", ": t/x: regex: missing (required)");
	expect_one("i.json", "{'id':null,'signature':'S','regex':'x'}", ": -: id: missing (required)");
}

/* A wrong type in one required field does not hide the others' problems. */
static void
test_err_required_each(void **state)
{
	char *path = tu_write("k.jsonl", tu_json("{'id':7,'regex':''}\n{'id':'t/x','signature':[],'regex':null}"));
	const char *msgs[] = {
		tu_fmt("%s:1: -: id: expected a string, got a number", path),
		tu_fmt("%s:1: -: signature: missing (required)", path),
		tu_fmt("%s:1: -: regex: empty (a pattern that matches every line is not a signature)", path),
		tu_fmt("%s:2: t/x: signature: expected a string, got an array", path),
		tu_fmt("%s:2: t/x: regex: missing (required)", path),
	};

	tu_kb_expect_errors((const char *const *)&path, 1, msgs, TU_N(msgs));
}

static void
test_err_types(void **state)
{
	expect_one("a.json", "{'id':7,'signature':'S','regex':'x'}", ": -: id: expected a string, got a number");
	expect_one("b.json", "{'id':'t/x','signature':['S'],'regex':'x'}",
		   ": t/x: signature: expected a string, got an array");
	expect_one("c.json", "{'id':'t/x','signature':'S','regex':{'a':1}}",
		   ": t/x: regex: expected a string, got an object");
	expect_one("d.json", REC("t/x", ",'root_cause':true"), ": t/x: root_cause: expected a string, got a boolean");
	expect_one("e.json", REC("t/x", ",'confidence':'0.5'"), ": t/x: confidence: expected a number, got a string");
	expect_one("f.json", REC("t/x", ",'workarounds':{'action':'a'}"),
		   ": t/x: workarounds: expected an array, got an object");
	expect_one("g.json", REC("t/x", ",'workarounds':[{'action':'a'},{'action':'b','success_rate':'90%'}]"),
		   ": t/x: workarounds[1].success_rate: expected a number, got a string");
	expect_one("h.json", REC("t/x", ",'workarounds':[{'action':'a'},7]"),
		   ": t/x: workarounds[1]: expected an object, got a number");
	expect_one("i.json", REC("t/x", ",'workarounds':[{'how':['a']}]"),
		   ": t/x: workarounds[0].how: expected a string, got an array");
	expect_one("j.json", REC("t/x", ",'workarounds_zh':1"),
		   ": t/x: workarounds_zh: expected an array, got a number");
	expect_one("j2.json", REC("t/x", ",'workarounds':[{'action':'a'}],'workarounds_zh':[1]"),
		   ": t/x: workarounds_zh[0]: expected a string or an object, got a number");
	/* Also without a workaround to attach to. */
	expect_one("j3.json", REC("t/x", ",'workarounds_zh':['a',null,[]]"),
		   ": t/x: workarounds_zh[2]: expected a string or an object, got an array");
	expect_one("j4.json", REC("t/x", ",'workarounds':[{'action':'a'}],'workarounds_zh':['za',true]"),
		   ": t/x: workarounds_zh[1]: expected a string or an object, got a boolean");
	expect_one("k.json", REC("t/x", ",'dead_ends':['no']"),
		   ": t/x: dead_ends[0]: expected an object, got a string");
	expect_one("l.json", REC("t/x", ",'dead_ends':[{'why_fails':1}]"),
		   ": t/x: dead_ends[0].why_fails: expected a string, got a number");
	expect_one("m.json", REC("t/x", ",'versions':[{'status':{}}]"),
		   ": t/x: versions[0].status: expected a string, got an object");
	expect_one("n.json", REC("t/x", ",'versions':'1.0'"), ": t/x: versions: expected an array, got a string");
	expect_one("o.json", REC("t/x", ",'tags':['a',2]"), ": t/x: tags[1]: expected a string, got a number");
	expect_one("p.json", REC("t/x", ",'transition_graph':[]"),
		   ": t/x: transition_graph: expected an object, got an array");
	expect_one("q.json", REC("t/x", ",'transition_graph':{'leads_to':'t/y'}"),
		   ": t/x: transition_graph.leads_to: expected an array, got a string");
	expect_one("r.json", REC("t/x", ",'regexes':'y'"), ": t/x: regexes: expected an array, got a string");
	expect_one("s.json", REC("t/x", ",'regexes':['y',3]"),
		   ": t/x: regexes[1]: expected a non-empty string, got a number");
	expect_one("t.json", REC("t/x", ",'regexes':['']"),
		   ": t/x: regexes[0]: expected a non-empty string, got an empty string");
	expect_one("u.json", REC("t/x", ",'flags':['i']"), ": t/x: flags: expected a string, got an array");
}

static void
test_err_ranges(void **state)
{
	expect_one("a.json", REC("t/x", ",'confidence':1.5"), ": t/x: confidence: 1.5 is out of range [0, 1]");
	expect_one("b.json", REC("t/x", ",'fix_success_rate':-0.01"),
		   ": t/x: fix_success_rate: -0.01 is out of range [0, 1]");
	expect_one("c.json", REC("t/x", ",'workarounds':[{'action':'a','success_rate':2}]"),
		   ": t/x: workarounds[0].success_rate: 2 is out of range [0, 1]");
	expect_one("d.json", REC("t/x", ",'dead_ends':[{'why_fails':'a','fail_rate':100}]"),
		   ": t/x: dead_ends[0].fail_rate: 100 is out of range [0, 1]");
	/* The bounds themselves are fine. */
	fw_kb_free(load_one(tu_write("ok.json", tu_json(REC("t/x", ",'confidence':0,'fix_success_rate':1")))
			    , false));
}

static void
test_err_id_form(void **state)
{
	expect_one("a.json", REC("nodomain", ""), ": -: id: \"nodomain\" is not of the form domain/slug");
	expect_one("b.json", REC("t/", ""), ": -: id: \"t/\" is not of the form domain/slug");
	expect_one("c.json", REC("/x", ""), ": -: id: \"/x\" is not of the form domain/slug");
	expect_one("d.json", REC("t/a b", ""), ": -: id: \"t/a b\" is not of the form domain/slug");
}

static void
test_err_flags_priority(void **state)
{
	expect_one("a.json", REC("t/x", ",'flags':'ix'"), ": t/x: flags: unknown flag 'x' (known: i)");
	expect_one("b.json", REC("t/x", ",'priority':1.5"), ": t/x: priority: expected an integer, got a number");
	expect_one("c.json", REC("t/x", ",'priority':'1'"), ": t/x: priority: expected an integer, got a string");
	expect_one("d.json", REC("t/x", ",'priority':4294967296"), ": t/x: priority: 4294967296 is out of range");
}

static void
test_err_duplicate_id(void **state)
{
	char *a = tu_write("kb/a.json", tu_json(REC("t/dup", "")));
	char *b = tu_write("kb/b.jsonl", tu_json(REC("t/other", "") "\n" REC("t/dup", "")));
	const char *dir = tu_path("kb");
	const char *msg = tu_fmt("%s:2: t/dup: id: duplicate id, first defined at %s", b, a);
	char *c;

	tu_kb_expect_errors(&dir, 1, &msg, 1);
	c = tu_write("c.jsonl", tu_json(REC("t/a", "") "\n\n" REC("t/a", "")));
	msg = tu_fmt("%s:3: t/a: id: duplicate id, first defined at %s:1", c, c);
	tu_kb_expect_errors((const char *const *)&c, 1, &msg, 1);
}

/* A third copy names the first definition too, not the second. */
static void
test_err_duplicate_id_thrice(void **state)
{
	char *p = tu_write("k.jsonl", tu_json(REC("t/z", "") "\n" REC("t/a", "") "\n" REC("t/a", "") "\n"
					      REC("t/b", "") "\n" REC("t/a", "") "\n" REC("t/z", "")));
	const char *msgs[] = {
		tu_fmt("%s:3: t/a: id: duplicate id, first defined at %s:2", p, p),
		tu_fmt("%s:5: t/a: id: duplicate id, first defined at %s:2", p, p),
		tu_fmt("%s:6: t/z: id: duplicate id, first defined at %s:1", p, p),
	};

	tu_kb_expect_errors((const char *const *)&p, 1, msgs, TU_N(msgs));
}

static void
test_err_invalid_regex(void **state)
{
	expect_one("a.json", "{'id':'t/x','signature':'S','regex':'a(b'}",
		   ": t/x: regex: invalid regex at offset 3: missing closing parenthesis");
	expect_one("b.json", REC("t/x", ",'regexes':['ok','fine','x[']"),
		   ": t/x: regexes[2]: invalid regex at offset 2: missing terminating ] for character class");
	expect_one("c.jsonl", "\n" REC("t/x", ",'regexes':['(?<n>a)(?<n>b)']"),
		   ":2: t/x: regexes[0]: invalid regex at offset 12: two named subpatterns have the same name "
		   "(PCRE2_DUPNAMES not set)");
}

/* Every problem of a record is reported in one run. */
static void
test_err_all_of_a_record(void **state)
{
	char *path = tu_write("k.json", tu_json(
		"{'id':'t/x','signature':'S','regex':'(','confidence':7,'flags':'z'}"));
	const char *msgs[] = {
		tu_fmt("%s: t/x: confidence: 7 is out of range [0, 1]", path),
		tu_fmt("%s: t/x: flags: unknown flag 'z' (known: i)", path),
		tu_fmt("%s: t/x: regex: invalid regex at offset 1: missing closing parenthesis", path),
	};

	tu_kb_expect_errors((const char *const *)&path, 1, msgs, TU_N(msgs));
}

static void
test_err_nul_in_string(void **state)
{
	expect_one("a.json", REC("t/x", ",'root_cause':'a\\u0000b'"), ": t/x: root_cause: contains a NUL character");
	expect_one("b.json", "{'id':'t/x','signature':'S','regex':'a\\u0000'}",
		   ": t/x: regex: contains a NUL character");
	expect_one("c.json", REC("t/x", ",'regexes':['\\u0000']"), ": t/x: regexes[0]: contains a NUL character");
	expect_one("d.json", REC("t/x", ",'tags':['\\u0000']"), ": t/x: tags[0]: contains a NUL character");
}

static void
test_err_invalid_utf8(void **state)
{
	static const char bad[] = "{\"id\":\"t/x\",\n\"signature\":\"S\xff\",\"regex\":\"x\"}";

	expect_one_raw("a.json", bad, sizeof bad - 1, ":2: -: -: malformed JSON at column 15: invalid utf-8 string");
}

/*
 * Valid UTF-8 is parsed without json-c's byte-by-byte check, anything else
 * with it: the bad byte is still named by its column, after multibyte
 * characters, on a later line of a .jsonl, or cut short at the end.
 */
static void
test_utf8_checked_once(void **state)
{
	static const char lines[] = "{\"id\":\"t/a\",\"signature\":\"\xc3\xa9\xe5\xb0\x8f\xf0\x9f\x98\x80\",\"regex\":\"x\"}\n"
				    "{\"id\":\"t/b\",\"signature\":\"\xc3\xa9\xed\xa0\x80\xc3\",\"regex\":\"x\"}\n";
	static const char cut[] = "{\"id\":\"t/x\",\"signature\":\"S\",\"regex\":\"x\xe5\xb0";
	static const char good[] = "{\"id\":\"t/x\",\"signature\":\"\xc3\xa9\xe5\xb0\x8f\xf0\x9f\x98\x80\",\"regex\":\"x\"}";
	struct fw_kb *kb;

	expect_one_raw("a.jsonl", lines, sizeof lines - 1,
		       ":2: -: -: malformed JSON at column 32: invalid utf-8 string");
	expect_one_raw("b.json", cut, sizeof cut - 1, ":1: -: -: malformed JSON at column 41: invalid utf-8 string");
	kb = load_one(tu_write_bytes("c.json", good, sizeof good - 1), false);
	assert_string_equal(kb->records[0].signature, "\xc3\xa9\xe5\xb0\x8f\xf0\x9f\x98\x80");
	fw_kb_free(kb);
}

/* ---- the quick JSON reader (kb_json.c) against json-c --------------------- */

/* The quick reader takes text only to give json-c's tree; returns whether it took it. */
static bool
quick_same(const char *text, size_t len)
{
	json_object *q = fw__kb_json_quick(text, len), *j;

	if (!q)
		return false;
	j = jsonc_strict(text, len);
	assert_non_null(j);
	assert_true(json_object_equal(q, j));
	/* The same types and number texts too, which json_object_equal does not compare. */
	assert_string_equal(json_object_to_json_string_ext(q, JSON_C_TO_STRING_PLAIN),
			    json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
	json_object_put(q);
	/* Keys kept once per load (as the loader reads): the same tree, and one copy of each key. */
	{
		struct fw_arena arena;
		struct kb_keys keys = { .arena = &arena };
		json_object *k1, *k2;

		fw_arena_init(&arena);
		k1 = fw__kb_json_quick_keys(text, len, &keys);
		k2 = fw__kb_json_quick_keys(text, len, &keys);
		assert_non_null(k1);
		assert_non_null(k2);
		assert_true(json_object_equal(k1, j));
		assert_string_equal(json_object_to_json_string_ext(k1, JSON_C_TO_STRING_PLAIN),
				    json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
		{
			json_object_object_foreach(k1, key1, v1) {
				struct lh_entry *e2 = json_object_get_object(k2)->head;

				(void)v1;
				assert_non_null(e2);
				assert_ptr_equal(key1, lh_entry_k(e2));
				break;
			}
		}
		json_object_put(k1);
		json_object_put(k2);
		fw__kb_keys_free(&keys);
		fw_arena_free(&arena);
	}
	json_object_put(j);
	return true;
}

static unsigned quick_files, quick_taken;

static void
quick_walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char *p = tu_fmt("%s/%s", dir, e->d_name);
		size_t n = strlen(e->d_name);
		struct stat st;

		if (e->d_name[0] == '.' || stat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			quick_walk(p);
		} else if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
			FILE *f = fopen(p, "rb");
			char *text = malloc((size_t)st.st_size + 1);

			assert_non_null(f);
			assert_non_null(text);
			assert_int_equal(fread(text, 1, (size_t)st.st_size, f), (size_t)st.st_size);
			fclose(f);
			quick_files++;
			quick_taken += quick_same(text, (size_t)st.st_size);
			free(text);
		}
	}
	closedir(d);
}

/* Every shipped record file it takes, it reads as json-c does; and it takes nearly all. */
static void
test_quick_json_shipped(void **state)
{
	quick_files = quick_taken = 0;
	quick_walk(tu_fmt("%s/data/kb", tu_srcdir()));
	assert_true(quick_files > 300);
	assert_true(quick_taken * 100 >= quick_files * 98);
}

static void
test_quick_json_edges(void **state)
{
	static const char *const same[] = {
		"{}", " {\"a\":[]} \n", "{\"a\":{},\"b\":[[],{}]}",
		"{\"a\":1,\"a\":2,\"b\":3,\"a\":4}",
		"{\"n\":null,\"t\":true,\"f\":false,\"l\":[null,true,false,null]}",
		"{\"i\":0,\"j\":-0,\"k\":123456789012345678,\"m\":-42}",
		"{\"d\":0.5,\"e\":-0.85,\"g\":0.10,\"h\":1.000,\"z\":-0.0}",
		"{\"s\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\",\"\":\"\"}",
		"{\"u\":\"\xc3\xa9\xe5\xb0\x8f\xf0\x9f\x98\x80\",\"\xc3\xa9\":1}",
		"{\"deep\":[[[[[[[[[[[[[[1]]]]]]]]]]]]]]}",
	};
	static const char *const declined[] = {
		"", "[]", "1", "\"s\"", "null", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":[1,]}",
		"{,}", "{\"a\":1 \"b\":2}", "{'a':1}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}",
		"{\"a\":-}", "{\"a\":1e5}", "{\"a\":1E5}", "{\"a\":1234567890123456789}", "{\"a\":+1}",
		"{\"a\":tru}", "{\"a\":True}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":\"\\u0041\"}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\t\"}", "{\"a\":\"\n\"}", "{\"a\":\"x}", "{\"a\":1} x",
		"{\"a\":1}{}", "{\"a\":1} //", "{/*c*/\"a\":1}",
	};

	for (size_t i = 0; i < TU_N(same); i++)
		assert_true(quick_same(same[i], strlen(same[i])));
	for (size_t i = 0; i < TU_N(declined); i++)
		assert_null(fw__kb_json_quick(declined[i], strlen(declined[i])));
	/*
	 * A string's run ends at its first quote, backslash or control byte
	 * wherever it falls in the blocks the reader tests at once: every
	 * offset, with the bytes either side of the control range (0x1f
	 * declined, 0x20 and 0x7f plain, UTF-8 plain). The quick reader
	 * declines every raw control byte.
	 */
	for (unsigned at = 0; at < 40; at++) {
		static const char *const plain[] = { "\\\"", "\\\\", "\\n", " ", "\x7f", "\xc3\xa9", "\xef\xbf\xbf" };
		static const char *const control[] = { "\x01", "\x1f", "\t" };
		char t[128];

		for (size_t i = 0; i < TU_N(plain); i++) {
			snprintf(t, sizeof t, "{\"k\":\"%.*s%s%s\",\"j\":\"x\"}", (int)at,
				 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", plain[i], "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
			assert_true(quick_same(t, strlen(t)));
		}
		for (size_t i = 0; i < TU_N(control); i++) {
			snprintf(t, sizeof t, "{\"k\":\"%.*s%s%s\"}", (int)at,
				 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", control[i], "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
			assert_null(fw__kb_json_quick(t, strlen(t)));    /* json-c's to read */
		}
	}
	/* A NUL is not whitespace, to either reader. */
	assert_null(fw__kb_json_quick("{} \0", 4));
	assert_null(jsonc_strict("{} \0", 4));
	/* Nesting: 16 objects and arrays open at once, the top object included,
	 * are taken; 17 are declined. */
	for (unsigned levels = 15; levels <= 17; levels++) {
		char arrays[64] = "", objects[256] = "";
		const char *t;

		for (unsigned i = 1; i < levels; i++)
			strcat(arrays, "[");
		strcat(arrays, "1");
		for (unsigned i = 1; i < levels; i++)
			strcat(arrays, "]");
		for (unsigned i = 1; i < levels; i++)
			strcat(objects, "{\"k\":");
		strcat(objects, "{}");
		for (unsigned i = 1; i < levels; i++)
			strcat(objects, "}");
		t = tu_fmt("{\"a\":%s}", arrays);
		if (levels <= 16) {
			assert_true(quick_same(t, strlen(t)));
			assert_true(quick_same(objects, strlen(objects)));
		} else {
			assert_null(fw__kb_json_quick(t, strlen(t)));
			assert_null(fw__kb_json_quick(objects, strlen(objects)));
		}
	}
	/* Strings are scanned eight bytes at a time: an escape, the closing quote
	 * or a control character at every place of a word, after bytes of every
	 * kind (quote, backslash and 0x20 differ from their neighbours by one bit). */
	for (unsigned at = 0; at < 20; at++) {
		static const char *const fill[] = { "x", "!", "#", "[", "]", " ", "\xc3\xa9", "\x7f" };

		for (size_t f = 0; f < TU_N(fill); f++) {
			char pre[64] = "";
			const char *t;

			for (unsigned i = 0; i < at; i++)
				strcat(pre, fill[f]);
			t = tu_fmt("{\"k\":\"%s\\n%s\",\"%s\":\"\\\"%s\"}", pre, pre, pre, pre);
			assert_true(quick_same(t, strlen(t)));
			t = tu_fmt("{\"k\":\"%s\x1f%s\"}", pre, pre);
			assert_null(fw__kb_json_quick(t, strlen(t)));
		}
	}
}

static void
test_err_missing_path(void **state)
{
	const char *paths[] = { tu_path("nothing-here"), tu_path("nor-here.json") };
	const char *msgs[] = {
		tu_fmt("%s: -: -: cannot open: No such file or directory", paths[0]),
		tu_fmt("%s: -: -: cannot open: No such file or directory", paths[1]),
	};

	tu_kb_expect_errors(paths, 2, msgs, 2);
}

/* Directory nesting is bounded (symlink loops); a file given by path loads whatever its name. */
static void
test_depth_limit_and_plain_file(void **state)
{
	char rel[256] = "kb";
	const char *dir = tu_mkdir("kb"), *msg, *txt;
	struct fw_kb *kb;

	for (int depth = 1; depth <= 17; depth++) {
		strcat(rel, "/d");
		if (depth == 16)
			tu_write(tu_fmt("%s/ok.json", rel), tu_json(REC("t/deep16", "")));
	}
	tu_write(tu_fmt("%s/too-deep.json", rel), tu_json(REC("t/deep17", "")));
	msg = tu_fmt("%s: -: -: directories nested deeper than 16 levels", tu_path(rel));
	tu_kb_expect_errors(&dir, 1, &msg, 1);

	txt = tu_write("record.txt", tu_json(REC("t/txt", "")));
	kb = tu_kb_load(&txt, 1, true);
	assert_int_equal(kb->n_records, 1);
	assert_string_equal(kb->records[0].id, "t/txt");
	assert_int_equal(kb->records[0].line, 0);
	fw_kb_free(kb);
}

static void
test_err_empty_directory(void **state)
{
	const char *dir = tu_mkdir("empty");
	const char *msg = tu_fmt("%s: -: -: the knowledge base has no records (searched 0 files)", dir);
	char *blank;

	tu_kb_expect_errors(&dir, 1, &msg, 1);
	tu_write("empty/notes.txt", "x");
	tu_kb_expect_errors(&dir, 1, &msg, 1);
	blank = tu_write("blank.jsonl", "\n\n");
	msg = tu_fmt("%s: -: -: the knowledge base has no records (searched 1 file)", blank);
	tu_kb_expect_errors((const char *const *)&blank, 1, &msg, 1);
}

/* All-or-nothing: one bad record among good ones fails the load and only it is named. */
static void
test_err_one_bad_among_good(void **state)
{
	const char *dir = tu_mkdir("kb");
	char *bad;
	const char *msg;

	tu_write("kb/a.json", tu_json(REC("t/a", "")));
	tu_write("kb/b.jsonl", tu_json(REC("t/b1", "") "\n" REC("t/b2", "")));
	bad = tu_write("kb/c.jsonl", tu_json(REC("t/c1", "") "\n" REC("t/c2", ",'regex':'[z'") "\n"
					     REC("t/c3", "")));
	tu_write("kb/d/e.json", tu_json(REC("t/e", "")));
	msg = tu_fmt("%s:2: t/c2: regex: invalid regex at offset 2: missing terminating ] for character class",
		     bad);
	tu_kb_expect_errors(&dir, 1, &msg, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_setup, tu_teardown)
		T(test_seed_exact),
		T(test_seed_line_endings),
		T(test_jsonl_lines),
		T(test_jsonl_error_line),
		T(test_jsonl_crlf),
		T(test_directory_order),
		T(test_paths_in_given_order),
		T(test_unknown_and_null_fields),
		T(test_empty_strings_absent),
		T(test_workarounds_zh_follow_ranking),
		T(test_lists_and_transitions),
		T(test_named_captures_and_flags),
		T(test_find_and_domains),
		T(test_mask_many_records),
		T(test_jit_options),
		T(test_err_malformed_json),
		T(test_err_trailing_data),
		T(test_err_not_object),
		T(test_err_required),
		T(test_err_required_each),
		T(test_err_types),
		T(test_err_ranges),
		T(test_err_id_form),
		T(test_err_flags_priority),
		T(test_err_duplicate_id),
		T(test_err_duplicate_id_thrice),
		T(test_err_invalid_regex),
		T(test_err_all_of_a_record),
		T(test_err_nul_in_string),
		T(test_err_invalid_utf8),
		T(test_utf8_checked_once),
		T(test_quick_json_shipped),
		T(test_quick_json_edges),
		T(test_err_missing_path),
		T(test_depth_limit_and_plain_file),
		T(test_err_empty_directory),
		T(test_err_one_bad_among_good),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
