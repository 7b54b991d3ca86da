/*
 * test_format_match: records that say what they apply to
 * (daemon/input/format_match.c, the `field` and `logs` keys of the KB
 * loader). A field record matches its field's value only, never the raw
 * line (so text in another field cannot forge it) and never a line that
 * did not parse; a logs record only lines of those kinds; hits stay in KB
 * order with captures pointing at the (decoded) value; a KB without such
 * records matches exactly as fw_match_line(). A record's field form
 * (`fields`) decides the lines that have its fields, whatever their
 * layout, and leaves the others to its whole-line patterns. The loader names the record
 * and the key of every bad target. On the shipped KB and the W3C, access,
 * error and syslog samples, each line's hits are exactly the records the
 * Targets rules give it, computed record by record with PCRE2: leaving
 * records out of the raw-line matcher per line loses and gains nothing.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "input/format_match.h"
#include "testutil.h"

static const struct timespec now = { .tv_sec = 1796395037 };

struct env {
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_format_match *fm;
	struct fw_format_parser *fp;
	struct fw_parsed pl;
};

static void
env_open(struct env *e, const char *const *lines, size_t n, enum fw_line_format format)
{
	struct fw_diag d;

	memset(e, 0, sizeof *e);
	e->kb = tu_kb_from_lines("kb.jsonl", lines, n, false);
	fw_diag_init(&d);
	assert_int_equal(fw_matcher_new(e->kb, FW_ENGINE_FAST, &e->m, &d), 0);
	fw_diag_clear(&d);
	e->ctx = fw_match_ctx_new(e->m);
	assert_non_null(e->ctx);
	assert_int_equal(fw_format_match_new(e->kb, &e->fm), 0);
	assert_int_equal(fw_format_parser_new(format, 4096, &e->fp), 0);
}

static void
env_close(struct env *e)
{
	fw_format_parser_free(e->fp);
	fw_format_match_free(e->fm);
	fw_match_ctx_free(e->ctx);
	fw_matcher_free(e->m);
	fw_kb_free(e->kb);
}

/* Parses and matches line; the ids hit, blank-separated, in result order. */
static const char *
hits(struct env *e, const char *source, const char *line, const uint64_t *mask,
     struct fw_match_result *r)
{
	static char ids[512];
	enum fw_log_kind kind;

	fw_format_parse(e->fp, source, line, strlen(line), &now, &e->pl);
	kind = (enum fw_log_kind)e->pl.format;
	fw_format_match_line(e->fm, e->ctx, mask, kind, &e->pl, e->pl.text, e->pl.len, r);
	ids[0] = '\0';
	for (uint32_t i = 0; i < r->n_hits; i++) {
		if (i)
			strcat(ids, " ");
		strcat(ids, e->kb->records[r->hits[i].record].id);
	}
	return ids;
}

static const char *const kb_lines[] = {
	"{'id':'a/raw-first','signature':'s','regex':'OriginDnsError'}",
	("{'id':'a/origin','signature':'s','regex':'^Origin(?<what>Dns|Connect) ?Error$',"
	 "'field':'x-edge-detailed-result-type','logs':['w3c','json']}"),
	"{'id':'a/status','signature':'s','regex':'^50[24]$','field':'status'}",
	"{'id':'n/timeout','signature':'s','regex':'upstream timed out \\\\(110','logs':['plain','syslog']}",
	"{'id':'z/raw-last','signature':'s','regex':'Error'}",
};

static void
test_field_targets(void **state)
{
	(void)state;
	struct env e;
	struct fw_match_result r;

	env_open(&e, kb_lines, TU_N(kb_lines), FW_LINE_AUTO);
	hits(&e, "cf", "#Fields: date x-edge-detailed-result-type cs(User-Agent)", NULL, &r);
	/* the field holds it: hits in KB order around the field record */
	assert_string_equal(hits(&e, "cf", "2026-11-23\tOriginDnsError\tcurl", NULL, &r),
			    "a/raw-first a/origin z/raw-last");
	/* the capture points at the decoded value */
	assert_string_equal(hits(&e, "cf", "2026-11-23\tOrigin%44ns%20Error\tcurl", NULL, &r),
			    "a/origin z/raw-last");
	assert_int_equal(r.hits[0].n_captures, 1);
	assert_string_equal(r.captures[r.hits[0].first_capture].name, "what");
	assert_int_equal(r.captures[r.hits[0].first_capture].length, 3);
	assert_memory_equal(e.pl.text + r.captures[r.hits[0].first_capture].offset, "Dns", 3);
	/* the same text in another field: only the raw-line records */
	assert_string_equal(hits(&e, "cf", "2026-11-23\tHit\tOriginDnsError", NULL, &r),
			    "a/raw-first z/raw-last");
	/* a line that does not parse: raw records only (never lost) */
	assert_string_equal(hits(&e, "cf", "OriginDnsError", NULL, &r), "a/raw-first z/raw-last");
	/* json status as a number; a field of another log kind still counts (no logs) */
	assert_string_equal(hits(&e, NULL, "{\"status\":502,\"x-edge-detailed-result-type\":\"OriginConnectError\"}",
				 NULL, &r), "a/origin a/status z/raw-last");
	assert_string_equal(hits(&e, NULL, "{\"status\":\"5020\"}", NULL, &r), "");
	env_close(&e);
}

/*
 * Where a name's field stands is kept for the lines of one list of names:
 * two W3C files of different column orders read in turn, a header that
 * changes, and a log_format whose lines have request's parts or not.
 */
static void
test_field_columns_kept(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{'id':'c/5xx','signature':'s','regex':'never',"
		"'fields':{'sc-status':'^5\\\\d\\\\d$','x-edge-detailed-result-type':'^Error$'}}",
		"{'id':'n/post','signature':'s','regex':'never','fields':{'request_method':'^POST$'}}",
	};
	struct env e;
	struct fw_match_result r;
	char why[128];

	env_open(&e, lines, TU_N(lines), FW_LINE_W3C);
	hits(&e, "a", "#Fields: sc-status x-edge-detailed-result-type", NULL, &r);
	hits(&e, "b", "#Fields: x-edge-detailed-result-type date sc-status", NULL, &r);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(hits(&e, "a", "502\tError", NULL, &r), "c/5xx");
		assert_string_equal(hits(&e, "b", "Error\td\t503", NULL, &r), "c/5xx");
		assert_string_equal(hits(&e, "a", "Error\t502", NULL, &r), "");
		assert_string_equal(hits(&e, "b", "502\td\tError", NULL, &r), "");
	}
	hits(&e, "a", "#Fields: date x-edge-detailed-result-type sc-status", NULL, &r);
	assert_string_equal(hits(&e, "a", "d\tError\t504", NULL, &r), "c/5xx");
	assert_string_equal(hits(&e, "a", "504\tError\td", NULL, &r), "");
	hits(&e, "a", "#Fields: date sc-status", NULL, &r);
	assert_string_equal(hits(&e, "a", "d\t504", NULL, &r), "");
	fw_format_parser_free(e.fp);
	assert_int_equal(fw_format_parser_new_log_format("$status \"$request\"", 4096, &e.fp, why, sizeof why), 0);
	for (int i = 0; i < 3; i++) {
		/* request's parts are the fields after the variables, when it has three */
		assert_string_equal(hits(&e, "n", "200 \"POST /x HTTP/1.1\"", NULL, &r), "n/post");
		assert_string_equal(hits(&e, "n", "200 \"POST\"", NULL, &r), "");
		assert_string_equal(hits(&e, "n", "200 \"GET /x HTTP/1.1\"", NULL, &r), "");
		assert_string_equal(hits(&e, "n", "200 \"POST /y HTTP/2.0\"", NULL, &r), "n/post");
	}
	env_close(&e);
}

/* A field pattern that matched has JIT code, as a raw-line pattern gets on its first confirmation. */
static void
test_field_pattern_jit(void **state)
{
	(void)state;
	struct env e;
	struct fw_match_result r;
	uint32_t have = 0;

	env_open(&e, kb_lines, TU_N(kb_lines), FW_LINE_AUTO);
	if (!e.kb->jit || pcre2_config(PCRE2_CONFIG_JIT, &have) != 0 || !have) {
		env_close(&e);
		skip();
	}
	/* a/status (record 2, pattern 2) is a field record only */
	assert_int_equal(e.kb->records[2].first_pattern, 2);
	assert_int_equal(e.kb->jit_state[2], FW_JIT_PENDING);
	assert_string_equal(hits(&e, NULL, "{\"status\":502}", NULL, &r), "a/status");
	assert_int_equal(e.kb->jit_state[2], FW_JIT_ON);
	assert_string_equal(hits(&e, NULL, "{\"status\":504}", NULL, &r), "a/status");
	assert_string_equal(hits(&e, NULL, "{\"status\":503}", NULL, &r), "");
	env_close(&e);
}

/* An access-log line carrying error-log text in its user agent raises no error-log alert. */
static void
test_logs_targets(void **state)
{
	(void)state;
	struct env e;
	struct fw_match_result r;
	const char *forged = "203.0.113.9 - - [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" "
			     "\"upstream timed out (110: Connection timed out) while reading\"";

	env_open(&e, kb_lines, TU_N(kb_lines), FW_LINE_AUTO);
	assert_string_equal(hits(&e, NULL, forged, NULL, &r), "");
	assert_string_equal(hits(&e, NULL, "2026/12/04 14:37:17 [error] 1#1: *3 upstream timed out (110: x",
				 NULL, &r), "n/timeout");
	assert_string_equal(hits(&e, NULL, "<11>Dec  4 14:37:17 web nginx: upstream timed out (110: x",
				 NULL, &r), "n/timeout");
	/* the journal is its own kind */
	fw_format_match_line(e.fm, e.ctx, NULL, FW_LOG_JOURNAL, NULL, "upstream timed out (110: x", 26, &r);
	assert_int_equal(r.n_hits, 0);
	env_close(&e);
}

/* The input's mask applies to field records too. */
static void
test_mask(void **state)
{
	(void)state;
	struct env e;
	struct fw_match_result r;
	uint64_t only_z = UINT64_C(1) << 4, only_status = UINT64_C(1) << 2;

	env_open(&e, kb_lines, TU_N(kb_lines), FW_LINE_JSON);
	assert_string_equal(hits(&e, NULL, "{\"status\":\"502\",\"m\":\"Error\"}", &only_z, &r), "z/raw-last");
	assert_string_equal(hits(&e, NULL, "{\"status\":\"502\",\"m\":\"Error\"}", &only_status, &r),
			    "a/status");
	env_close(&e);
}

/* Without targets, the result is fw_match_line's own. */
static void
test_untargeted_is_plain(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{'id':'a/x','signature':'s','regex':'(?<n>\\\\d+) errors'}",
		"{'id':'a/y','signature':'s','regex':'errors'}",
	};
	struct env e;
	struct fw_match_result r, plain;
	const char *line = "got 12 errors";

	env_open(&e, lines, TU_N(lines), FW_LINE_PLAIN);
	fw_format_match_line(e.fm, e.ctx, NULL, FW_LOG_PLAIN, NULL, line, strlen(line), &r);
	fw_match_line(e.ctx, line, strlen(line), NULL, &plain);
	assert_ptr_equal(r.hits, plain.hits);
	assert_int_equal(r.n_hits, 2);
	env_close(&e);
}

/*
 * A field form decides a line that has all its fields (its raw hit is
 * dropped, whatever the line's layout); a line without them (plain, not
 * parsed, fields not selected) falls back to the whole-line pattern.
 */
static void
test_field_form(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"{'id':'a/raw','signature':'s','regex':'Error'}",
		"{'id':'c/5xx','signature':'s','regex':'^\\\\S+\\\\t(?<status>5\\\\d\\\\d)\\\\tError$',"
		"'fields':{'sc-status':'^5\\\\d\\\\d$','x-edge-detailed-result-type':'^Error$'}}",
		"{'id':'c/dns','signature':'s','regex':'\\\\tOriginDnsError$',"
		"'fields':{'x-edge-detailed-result-type':'^originDNSerror$'},'flags':'i'}",
		"{'id':'q/optional','signature':'s','regex':'never','fields':{'q':'^ab?c$'}}",
		"{'id':'q/alternation','signature':'s','regex':'never','fields':{'r':'^x|yz'}}",
		"{'id':'q/group','signature':'s','regex':'never','fields':{'q':'^ab(?:c|d)[|)]?$'}}",
	};
	struct env e;
	struct fw_match_result r;

	env_open(&e, lines, TU_N(lines), FW_LINE_AUTO);
	/* no header yet: the whole-line patterns */
	assert_string_equal(hits(&e, "cf", "d\t502\tError", NULL, &r), "a/raw c/5xx");
	assert_int_equal(r.hits[1].n_captures, 1);
	assert_string_equal(hits(&e, "cf", "d\t200\tOriginDnsError", NULL, &r), "a/raw c/dns");
	/* columns in another order, one appended: the fields decide */
	hits(&e, "cf", "#Fields: x-edge-detailed-result-type sc-status date extra", NULL, &r);
	assert_string_equal(hits(&e, "cf", "Error\t503\td\tx", NULL, &r), "a/raw c/5xx");
	assert_int_equal(r.hits[1].n_captures, 0);
	assert_string_equal(hits(&e, "cf", "OriginDnsError\t200\td\tx", NULL, &r), "a/raw c/dns");
	assert_string_equal(hits(&e, "cf", "Error\t200\td\tx", NULL, &r), "a/raw");
	/* the whole line would match, the fields say no: dropped */
	hits(&e, "cf", "#Fields: date sc-status x-edge-detailed-result-type", NULL, &r);
	assert_string_equal(hits(&e, "cf", "d\t502\tError", NULL, &r), "a/raw c/5xx");
	assert_string_equal(hits(&e, "cf", "d\t502\tErrorX", NULL, &r), "a/raw");
	/* values that start like the literal the pattern starts with, or are shorter: the form says no */
	assert_string_equal(hits(&e, "cf", "d\t502\tEError", NULL, &r), "a/raw");
	assert_string_equal(hits(&e, "cf", "d\t502\tErro", NULL, &r), "");
	assert_string_equal(hits(&e, "cf", "d\t200\tOriginDnsError", NULL, &r), "a/raw c/dns");
	/* a selection without sc-status: c/5xx falls back to its whole-line pattern */
	hits(&e, "cf", "#Fields: date x-edge-detailed-result-type", NULL, &r);
	assert_string_equal(hits(&e, "cf", "d\tError", NULL, &r), "a/raw");
	/* the literal a pattern starts with is only a shortcut: quantifiers and alternations hold */
	assert_string_equal(hits(&e, NULL, "{\"q\":\"ac\",\"r\":\"yz\"}", NULL, &r), "q/optional q/alternation");
	assert_string_equal(hits(&e, NULL, "{\"q\":\"abbc\",\"r\":\"x\"}", NULL, &r), "q/alternation");
	assert_string_equal(hits(&e, NULL, "{\"q\":\"abd\",\"r\":\"xy\"}", NULL, &r), "q/alternation q/group");
	assert_string_equal(hits(&e, NULL, "{\"q\":\"abc)\"}", NULL, &r), "q/group");
	assert_string_equal(hits(&e, NULL, "{\"q\":\"acd\"}", NULL, &r), "");
	assert_string_equal(hits(&e, NULL, "{\"q\":\"a\",\"r\":\"y\"}", NULL, &r), "");
	/* JSON: numbers are fields too */
	assert_string_equal(hits(&e, NULL, "{\"sc-status\":504,\"x-edge-detailed-result-type\":\"Error\"}",
				 NULL, &r), "a/raw c/5xx");
	assert_string_equal(hits(&e, NULL, "{\"sc-status\":200,\"x-edge-detailed-result-type\":\"Error\"}",
				 NULL, &r), "a/raw");
	env_close(&e);
}

static void
test_loader_errors(void **state)
{
	(void)state;
	char *path = tu_write("k.jsonl", tu_json(
		"{'id':'t/a','signature':'s','regex':'x','field':'sc status'}\n"
		"{'id':'t/b','signature':'s','regex':'x','logs':['w3c','nginx']}\n"
		"{'id':'t/c','signature':'s','regex':'x','logs':'w3c'}\n"
		"{'id':'t/d','signature':'s','regex':'x','field':5,'logs':[7]}\n"
		"{'id':'t/e','signature':'s','regex':'x','field':'cs(User-Agent)','logs':['journal']}\n"
		"{'id':'t/f','signature':'s','regex':'x','fields':['sc-status']}\n"
		"{'id':'t/g','signature':'s','regex':'x','fields':{'sc status':'^5','s':'(','t':3}}\n"
		"{'id':'t/h','signature':'s','regex':'x','field':'s','fields':{'s':'^5'}}\n"
		"{'id':'t/i','signature':'s','regex':'x','fields':{}}"));
	const char *msgs[] = {
		tu_fmt("%s:1: t/a: field: \"sc status\" is not a field name (letters, digits and _-.@())", path),
		tu_fmt("%s:2: t/b: logs[1]: unknown log kind \"nginx\" (plain, w3c, json, combined, syslog, journal)", path),
		tu_fmt("%s:3: t/c: logs: expected an array, got a string", path),
		tu_fmt("%s:4: t/d: field: expected a string, got a number", path),
		tu_fmt("%s:4: t/d: logs[0]: expected a string, got a number", path),
		tu_fmt("%s:6: t/f: fields: expected an object (field name: pattern)", path),
		tu_fmt("%s:7: t/g: fields: \"sc status\" is not a field name (letters, digits and _-.@())", path),
		tu_fmt("%s:7: t/g: fields.s: invalid regex at offset 1: missing closing parenthesis", path),
		tu_fmt("%s:7: t/g: fields.t: expected a non-empty string (a pattern)", path),
		tu_fmt("%s:8: t/h: fields: a record has either \"field\" or \"fields\", not both", path),
		tu_fmt("%s:9: t/i: fields: 0 conditions (1 to 8)", path),
	};

	tu_kb_expect_errors((const char *const *)&path, 1, msgs, TU_N(msgs));
}

/* ---- the shipped KB: every record the Targets rules give, no more ------ */

/* Whether a pattern of record r matches v[0..n), straight with PCRE2. */
static bool
record_matches(const struct fw_kb *kb, uint32_t r, const char *v, size_t n, pcre2_match_data *md)
{
	const struct fw_record *rec = &kb->records[r];

	for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++)
		if (pcre2_match(kb->patterns[p].code, (PCRE2_SPTR)v, n, 0, 0, md, NULL) >= 0)
			return true;
	return false;
}

/*
 * The records data/kb/README.md ("Targets") gives a parsed line, from the
 * records' own patterns, record by record: a `field` record on its field
 * of a parsed line; a field form on a parsed line with all its fields; any
 * other whole-line patterns on the text; all only on the kinds of log the
 * record names. fw_format_match_line leaves records out of its raw-line
 * matcher per line: the hits must be exactly these.
 */
static void
reference_ids(const struct fw_kb *kb, const struct fw_parsed *pl, enum fw_log_kind kind, char *ids, size_t cap,
	      uint32_t *n_hits)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	bool parsed = pl->status == FW_PARSE_OK && pl->n_fields;
	size_t k = 0;

	assert_non_null(md);
	ids[0] = '\0';
	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];
		bool hit = false, form = parsed && rec->n_fields;

		if (rec->logs && !(rec->logs >> kind & 1u))
			continue;
		for (uint32_t c = 0; form && c < rec->n_fields; c++)
			form = fw_parsed_field(pl, rec->fields[c].name, strlen(rec->fields[c].name)) != NULL;
		if (rec->field) {
			const struct fw_field *f = parsed ? fw_parsed_field(pl, rec->field, strlen(rec->field)) : NULL;

			hit = f && record_matches(kb, r, f->value, f->value_len, md);
		} else if (form) {
			hit = true;
			for (uint32_t c = 0; hit && c < rec->n_fields; c++) {
				const struct fw_field_pattern *fp = &rec->fields[c];
				const struct fw_field *f = fw_parsed_field(pl, fp->name, strlen(fp->name));

				hit = pcre2_match(fp->code, (PCRE2_SPTR)f->value, f->value_len, 0, 0, md, NULL) >= 0;
			}
		} else {
			hit = record_matches(kb, r, pl->text, pl->len, md);
		}
		if (hit) {
			k += (size_t)snprintf(ids + k, cap - k, "%s%s", k ? " " : "", rec->id);
			assert_true(k < cap);
			(*n_hits)++;
		}
	}
	pcre2_match_data_free(md);
}

/* Every line of path through a parser of format (the file's name as the source), against the reference. */
static void
check_file(struct env *e, const char *path, enum fw_line_format format, uint32_t *n_lines, uint32_t *n_hits)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, want[2048];
	size_t cap = 0;
	ssize_t n;

	if (!f)
		fail_msg("%s: cannot open", path);
	fw_format_parser_free(e->fp);
	assert_int_equal(fw_format_parser_new(format, 4096, &e->fp), 0);
	while ((n = getline(&line, &cap, f)) > 0) {
		struct fw_match_result r;
		const char *got;

		while (n && line[n - 1] == '\n')
			line[--n] = '\0';
		got = hits(e, path, line, NULL, &r);
		if (e->pl.status == FW_PARSE_HEADER)
			continue;
		reference_ids(e->kb, &e->pl, (enum fw_log_kind)e->pl.format, want, sizeof want, n_hits);
		if (strcmp(got, want) != 0)
			fail_msg("%s: '%s': hits '%s', the Targets rules give '%s'", path, line, got, want);
		(*n_lines)++;
	}
	free(line);
	fclose(f);
}

static void
test_shipped_kb_skips_nothing(void **state)
{
	static const struct {
		const char *path;
		enum fw_line_format format;
	} files[] = {
		{ FW_SRCDIR "/data/kb/coverage/cloudfront/standard.log", FW_LINE_W3C },
		{ FW_SRCDIR "/tests/data/benign/cloudfront.log", FW_LINE_W3C },
		{ FW_SRCDIR "/tests/data/real/node-cloudfront-log-parser/cloudfront-web-1-0.log", FW_LINE_W3C },
		{ FW_SRCDIR "/tests/data/real/node-cloudfront-log-parser/cloudfront-web-1-0-2019-12.log", FW_LINE_W3C },
		{ FW_SRCDIR "/tests/data/real/crowdsec-hub/cloudfront-logs.log", FW_LINE_AUTO },
		{ FW_SRCDIR "/tests/data/real/crowdsec-hub/nginx_http-logs.log", FW_LINE_AUTO },
		{ FW_SRCDIR "/data/samples/cloudfront.log", FW_LINE_AUTO },
		{ FW_SRCDIR "/data/samples/nginx-access.log", FW_LINE_COMBINED },
		{ FW_SRCDIR "/data/samples/nginx-access.log", FW_LINE_PLAIN },
		{ FW_SRCDIR "/data/samples/nginx-error.log", FW_LINE_AUTO },
		{ FW_SRCDIR "/data/samples/syslog", FW_LINE_SYSLOG },
		{ FW_SRCDIR "/tests/data/benign/nginx-access.log", FW_LINE_AUTO },
	};
	const char *paths[1] = { FW_SRCDIR "/data/kb" };
	struct fw_diag d;
	struct env e;
	uint32_t lines = 0, n_hits = 0;

	(void)state;
	memset(&e, 0, sizeof e);
	fw_diag_init(&d);
	if (fw_kb_load(paths, 1, NULL, &e.kb, &d) < 0)
		fw_diag_print(&d, stderr);
	assert_non_null(e.kb);
	assert_int_equal(fw_matcher_new(e.kb, FW_ENGINE_FAST, &e.m, &d), 0);
	fw_diag_clear(&d);
	assert_non_null(e.ctx = fw_match_ctx_new(e.m));
	assert_int_equal(fw_format_match_new(e.kb, &e.fm), 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		check_file(&e, files[i].path, files[i].format, &lines, &n_hits);
	/* not vacuous: the coverage file alone holds 19 alerting CloudFront lines */
	assert_true(lines > 400);
	assert_true(n_hits >= 19);
	env_close(&e);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_field_targets, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_logs_targets, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_mask, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_untargeted_is_plain, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_field_form, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_field_columns_kept, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_field_pattern_jit, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_shipped_kb_skips_nothing, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_loader_errors, tu_setup, tu_teardown),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
