/*
 * test_alert: the fixwatch.alert/1 object (README.md, "Alerts"). Whole
 * alerts are compared byte for byte, with fixed strings and with the json-c
 * builder the writer replaced (alert_reference.c), on chosen and on random
 * lines; parsed back with json-c, their keys come in schema order with the
 * schema's types; text from the log never reaches the output as a raw
 * control character or invalid UTF-8.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "alert_reference.h"
#include "core/alert.h"
#include "core/jsonw.h"
#include "kb/kb.h"
#include "match/match.h"
#include "testutil.h"

#define FFFD "\xef\xbf\xbd"

static const char *const custom_kb[] = {
	"{'id':'t/small','signature':'Small','signature_zh':'小','regex':'(?<host>h\\\\S*) (?<code>\\\\d+)?x',"
	"'category':'storage_error','root_cause':'RC','root_cause_zh':'根',"
	"'workarounds':[{'action':'A1','how':'do A1 then B','success_rate':0.5,'condition':'if c'},"
	"{'action':'A2','how':'A2','success_rate':0.75}],'workarounds_zh':['zA1','zA2'],"
	"'dead_ends':[{'action':'D','why_fails':'W','fail_rate':0.25},{'why_fails':'only why'}],"
	"'official_doc_url':'https://e.example/d','confidence':0.1,'fix_success_rate':0.3,"
	"'verification_tier':'human','severity':'err'}",
	"{'id':'t/bare','signature':'S','regex':'bare'}",
	"{'id':'t/also','signature':'S','regex':'h1'}",
	"{'id':'t/grab','signature':'S','regex':'grab:(?<v>.*)'}",
};

struct afix {
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_match_result r;
	struct fw_alert_source src;
	struct fw_alert_input in;
	struct fw_alert_parts *parts, *parts_zh;
	bool zh;
	struct fw_jbuf out;
};

static void
afix_open(struct afix *f)
{
	char *custom;
	const char *paths[2];

	memset(f, 0, sizeof *f);
	paths[0] = tu_seed_path();
	paths[1] = custom = tu_write("custom.jsonl", "");
	{
		FILE *out = fopen(custom, "w");

		assert_non_null(out);
		for (size_t i = 0; i < TU_N(custom_kb); i++)
			fprintf(out, "%s\n", tu_json(custom_kb[i]));
		fclose(out);
	}
	f->kb = tu_kb_load(paths, 2, false);
	assert_int_equal(f->kb->n_records, 5);
	assert_int_equal(fw_matcher_new(f->kb, FW_ENGINE_REFERENCE, &f->m, NULL), 0);
	f->ctx = fw_match_ctx_new(f->m);
	assert_non_null(f->ctx);
	assert_int_equal(fw_alert_parts_new(f->kb, false, &f->parts), 0);
	assert_int_equal(fw_alert_parts_new(f->kb, true, &f->parts_zh), 0);
	f->src = (struct fw_alert_source){
		.type = FW_SOURCE_FILE, .path = "/var/log/x.log", .offset = 1234, .line_no = 57,
	};
	f->in = (struct fw_alert_input){
		.kb = f->kb, .result = &f->r, .input = "nginx", .host = "web-1",
		.time = { .tv_sec = 1795420800, .tv_nsec = 123456789 }, .source = &f->src, .count = 1,
	};
}

static void
afix_close(struct afix *f)
{
	fw_jbuf_free(&f->out);
	fw_alert_parts_unref(f->parts);
	fw_alert_parts_unref(f->parts_zh);
	fw_match_ctx_free(f->ctx);
	fw_matcher_free(f->m);
	fw_kb_free(f->kb);
}

/*
 * The alert of f->in from the writer, checked byte for byte against the
 * json-c builder it replaced. Returns it NUL-terminated (valid until the
 * next call).
 */
static const char *
write_checked(struct afix *f)
{
	json_object *ref;
	const char *want;
	size_t want_len = 0;

	f->in.parts = f->zh ? f->parts_zh : f->parts;
	fw_jbuf_reset(&f->out);
	fw_alert_write(&f->out, &f->in);
	fw_jbuf_put(&f->out, "", 1);
	assert_true(fw_jbuf_ok(&f->out));
	ref = ref_alert_build(&f->in, f->zh);
	assert_non_null(ref);
	want = ref_alert_json(ref, &want_len);
	assert_non_null(want);
	assert_int_equal(f->out.len - 1, want_len);
	assert_string_equal(f->out.data, want);
	json_object_put(ref);
	/* One line, no raw control characters, ever. */
	for (size_t i = 0; i + 1 < f->out.len; i++)
		assert_true((unsigned char)f->out.data[i] >= 0x20 && f->out.data[i] != 0x7f);
	return f->out.data;
}

/* Matches line, expects n hits, and writes the alert for hit. Returns the JSON text. */
static const char *
build(struct afix *f, const char *line, size_t len, uint32_t n_hits, uint32_t hit)
{
	assert_int_equal(fw_match_line(f->ctx, line, len, NULL, &f->r), n_hits);
	f->in.line = line;
	f->in.len = len;
	f->in.hit = hit;
	return write_checked(f);
}

static json_object *
parse(const char *json)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o;

	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, json, (int)strlen(json));
	assert_int_equal(json_tokener_get_error(tok), json_tokener_success);
	assert_int_equal(json_tokener_get_parse_end(tok), strlen(json));
	json_tokener_free(tok);
	assert_non_null(o);
	return o;
}

static void
test_exact_alert(void **state)
{
	struct afix f;

	afix_open(&f);
	f.in.list_also_matched = true;
	assert_string_equal(build(&f, "h1 404x", 7, 2, 0),
		"{\"schema\":\"fixwatch.alert/1\",\"time\":\"2026-11-23T08:00:00.123Z\",\"host\":\"web-1\","
		"\"input\":\"nginx\",\"source\":{\"type\":\"file\",\"path\":\"/var/log/x.log\",\"offset\":1234,"
		"\"line_no\":57},\"line\":\"h1 404x\",\"truncated\":false,\"id\":\"t/small\","
		"\"signature\":\"Small\",\"domain\":\"t\",\"category\":\"storage_error\",\"severity\":\"err\","
		"\"captures\":{\"host\":\"h1\",\"code\":\"404\"},\"root_cause\":\"RC\","
		"\"fix\":{\"action\":\"A2\",\"success_rate\":0.75},"
		"\"workarounds\":[{\"action\":\"A2\",\"success_rate\":0.75},"
		"{\"action\":\"A1\",\"how\":\"do A1 then B\",\"condition\":\"if c\",\"success_rate\":0.5}],"
		"\"dead_ends\":[{\"action\":\"D\",\"why_fails\":\"W\",\"fail_rate\":0.25},"
		"{\"action\":\"only why\",\"why_fails\":\"only why\",\"fail_rate\":null}],"
		"\"doc_url\":\"https://e.example/d\",\"confidence\":0.1,\"fix_success_rate\":0.3,"
		"\"verification_tier\":\"human\",\"also_matched\":[\"t/also\"],\"count\":1}");
	afix_close(&f);
}

static void
test_bare_record_nulls(void **state)
{
	struct afix f;

	afix_open(&f);
	f.src = (struct fw_alert_source){ .type = FW_SOURCE_STDIN, .offset = 0, .line_no = 1 };
	f.in.count = 0; /* means one */
	f.in.truncated = true;
	f.in.host = NULL;
	assert_string_equal(build(&f, "bare", 4, 1, 0),
		"{\"schema\":\"fixwatch.alert/1\",\"time\":\"2026-11-23T08:00:00.123Z\",\"host\":null,"
		"\"input\":\"nginx\",\"source\":{\"type\":\"stdin\",\"offset\":0,\"line_no\":1},"
		"\"line\":\"bare\",\"truncated\":true,\"id\":\"t/bare\",\"signature\":\"S\",\"domain\":\"t\","
		"\"category\":null,\"severity\":null,\"captures\":{},\"root_cause\":null,\"fix\":null,\"workarounds\":[],"
		"\"dead_ends\":[],\"doc_url\":null,\"confidence\":null,\"fix_success_rate\":null,"
		"\"verification_tier\":null,\"count\":1}");
	f.in.count = 42;
	assert_non_null(strstr(build(&f, "bare", 4, 1, 0), ",\"count\":42}"));
	afix_close(&f);
}

/* Keys in schema order with the schema's types, after a round trip through json-c. */
static void
test_seed_schema_round_trip(void **state)
{
	static const struct {
		const char *key;
		json_type type;
	} schema[] = {
		{ "schema", json_type_string }, { "time", json_type_string }, { "host", json_type_string },
		{ "input", json_type_string }, { "source", json_type_object }, { "line", json_type_string },
		{ "truncated", json_type_boolean }, { "id", json_type_string },
		{ "signature", json_type_string }, { "domain", json_type_string },
		{ "category", json_type_string },
		{ "severity", json_type_null },  /* the seed states none: "err" etc. when a record does */
		{ "captures", json_type_object },
		{ "root_cause", json_type_string }, { "fix", json_type_object },
		{ "workarounds", json_type_array }, { "dead_ends", json_type_array },
		{ "doc_url", json_type_string }, { "confidence", json_type_double },
		{ "fix_success_rate", json_type_double }, { "verification_tier", json_type_string },
		{ "count", json_type_int },
	};
	static const char line[] = "2026/11/23 08:00:00 [error] 502 ERROR The request could not be "
		"satisfied. CloudFront wasn't able to connect to the origin - SSL handshake failed";
	struct afix f;
	const char *json;
	json_object *o, *v, *w;
	size_t i = 0;

	afix_open(&f);
	f.in.list_also_matched = true; /* one hit: no also_matched */
	json = build(&f, line, sizeof line - 1, 1, 0);
	o = parse(json);
	json_object_object_foreach(o, key, val) {
		assert_true(i < TU_N(schema));
		assert_string_equal(key, schema[i].key);
		assert_int_equal(json_object_get_type(val), schema[i].type);
		i++;
	}
	assert_int_equal(i, TU_N(schema));
	assert_string_equal(json_object_get_string(json_object_object_get(o, "line")), line);
	assert_string_equal(json_object_get_string(json_object_object_get(o, "id")),
			    "aws/cloudfront-custom-origin-ssl-handshake-failed");
	assert_true(json_object_get_double(json_object_object_get(o, "confidence")) == 0.86);
	v = json_object_object_get(o, "workarounds");
	assert_int_equal(json_object_array_length(v), 3);
	w = json_object_array_get_idx(v, 1);
	assert_true(json_object_get_double(json_object_object_get(w, "success_rate")) == 0.85);
	/* how equals action in the seed: not repeated. */
	assert_null(json_object_object_get(w, "how"));
	v = json_object_object_get(o, "dead_ends");
	assert_int_equal(json_object_array_length(v), 3);
	w = json_object_array_get_idx(v, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(w, "action")),
			    json_object_get_string(json_object_object_get(w, "why_fails")));
	json_object_put(o);

	/* Numbers as written in the KB, not their binary neighbours. */
	assert_non_null(strstr(json, ",\"confidence\":0.86,\"fix_success_rate\":0.83,"));
	assert_non_null(strstr(json, "\"fix\":{\"action\":\"Ensure the origin"));
	assert_non_null(strstr(json, "\"success_rate\":0.9}"));
	assert_non_null(strstr(json, "\"success_rate\":0.85}"));
	assert_non_null(strstr(json, "\"success_rate\":0.8}"));
	assert_non_null(strstr(json, "\"fail_rate\":0.7}"));
	assert_non_null(strstr(json, "\"fail_rate\":0.85}"));
	assert_non_null(strstr(json, "\"doc_url\":\"https://docs.aws.amazon.com/AmazonCloudFront/latest/"
				     "DeveloperGuide/SSL_handshake_failure.html\""));
	assert_null(strstr(json, "0.8599"));
	afix_close(&f);
}

static void
test_line_sanitised(void **state)
{
	static const char line[] = "h1 404x \x1b[31m\0\n\r\t|\x7f|\xc2\x9b|\xff|\xc3(|\xc0\xaf|"
				   "\xed\xa0\x80|\xf4\x90\x80\x80|\xc3\xa9|\xe2\x82\xac|\xf0\x9f\x98\x80|"
				   "\xc2\xa0|\xe2\x80";
	static const char want[] = "h1 404x \x1b[31m\0\n\r\t|" FFFD "|" FFFD FFFD "|" FFFD "|" FFFD "(|"
				   FFFD FFFD "|" FFFD FFFD FFFD "|" FFFD FFFD FFFD FFFD "|\xc3\xa9|"
				   "\xe2\x82\xac|\xf0\x9f\x98\x80|\xc2\xa0|" FFFD FFFD;
	struct afix f;
	const char *json;
	json_object *o, *v;

	afix_open(&f);
	json = build(&f, line, sizeof line - 1, 2, 0);
	assert_non_null(strstr(json, "\"line\":\"h1 404x \\u001b[31m\\u0000\\n\\r\\t|"));
	o = parse(json);
	v = json_object_object_get(o, "line");
	assert_int_equal(json_object_get_string_len(v), sizeof want - 1);
	assert_memory_equal(json_object_get_string(v), want, sizeof want - 1);
	json_object_put(o);
	afix_close(&f);
}

/* Captures hold only what PCRE2 matched, but control characters must still be escaped. */
static void
test_captures_escaped(void **state)
{
	static const char line[] = "grab:\x1b]0;title\x07 \x1b[2J";
	struct afix f;
	const char *json;
	json_object *o, *caps;

	afix_open(&f);
	json = build(&f, line, sizeof line - 1, 1, 0);
	assert_non_null(strstr(json, "\"captures\":{\"v\":\"\\u001b]0;title\\u0007 \\u001b[2J\"}"));
	o = parse(json);
	caps = json_object_object_get(o, "captures");
	assert_int_equal(json_object_object_length(caps), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(caps, "v")), line + 5);
	json_object_put(o);
	afix_close(&f);
}

static void
test_also_matched(void **state)
{
	struct afix f;
	json_object *o, *v;

	afix_open(&f);
	/* Not asked: never listed. */
	assert_null(strstr(build(&f, "h1 404x", 7, 2, 0), "also_matched"));
	f.in.list_also_matched = true;
	/* Asked, one hit: not listed. */
	assert_null(strstr(build(&f, "bare", 4, 1, 0), "also_matched"));
	/* Asked, three hits, alert for the middle one: the two others in KB order. */
	o = parse(build(&f, "h1 404x bare", 12, 3, 1));
	assert_string_equal(json_object_get_string(json_object_object_get(o, "id")), "t/bare");
	v = json_object_object_get(o, "also_matched");
	assert_int_equal(json_object_array_length(v), 2);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "t/small");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 1)), "t/also");
	json_object_put(o);
	afix_close(&f);
}

/*
 * A record's part is rendered on its first alert and kept; a record that
 * never alerts is never rendered. Detached parts write what they rendered
 * while the KB was there, and nothing else.
 */
static void
test_parts_rendered_on_first_alert(void **state)
{
	struct afix f;
	struct fw_alert_parts *kept, *bare;

	afix_open(&f);
	assert_int_equal(fw_alert_parts_rendered(f.parts), 0);
	build(&f, "bare", 4, 1, 0);
	assert_int_equal(fw_alert_parts_rendered(f.parts), 1);
	build(&f, "bare", 4, 1, 0);
	assert_int_equal(fw_alert_parts_rendered(f.parts), 1);
	/* also_matched renders the other hits' ids. */
	f.in.list_also_matched = true;
	build(&f, "h1 404x", 7, 2, 0);
	assert_int_equal(fw_alert_parts_rendered(f.parts), 3);
	assert_int_equal(fw_alert_parts_rendered(f.parts_zh), 0);

	/* Held elsewhere: detaching renders every record first. */
	assert_int_equal(fw_alert_parts_new(f.kb, false, &kept), 0);
	fw_alert_parts_ref(kept);
	assert_int_equal(fw_alert_parts_detach(kept), 0);
	assert_int_equal(fw_alert_parts_rendered(kept), f.kb->n_records);
	fw_alert_parts_unref(kept);
	fw_alert_parts_unref(f.parts);
	f.parts = kept;
	build(&f, "h1 404x bare", 12, 3, 1);
	build(&f, "grab:x", 6, 1, 0);

	/* Held by no one else: detaching renders nothing, and a record not
	 * rendered before cannot be written afterwards. */
	assert_int_equal(fw_alert_parts_new(f.kb, false, &bare), 0);
	assert_int_equal(fw_alert_parts_detach(bare), 0);
	assert_int_equal(fw_alert_parts_rendered(bare), 0);
	assert_int_equal(fw_match_line(f.ctx, "bare", 4, NULL, &f.r), 1);
	f.in.parts = bare;
	f.in.line = "bare";
	f.in.len = 4;
	f.in.hit = 0;
	fw_jbuf_reset(&f.out);
	fw_alert_write(&f.out, &f.in);
	assert_false(fw_jbuf_ok(&f.out));
	fw_alert_parts_unref(bare);
	afix_close(&f);
}

static void
test_zh(void **state)
{
	struct afix f;
	const char *json;

	afix_open(&f);
	f.zh = true;
	json = build(&f, "h1 404x", 7, 2, 0);
	assert_non_null(strstr(json, "\"signature\":\"小\""));
	assert_non_null(strstr(json, "\"root_cause\":\"根\""));
	assert_non_null(strstr(json, "\"fix\":{\"action\":\"zA2\",\"success_rate\":0.75}"));
	assert_non_null(strstr(json, "\"workarounds\":[{\"action\":\"zA2\",\"success_rate\":0.75},"
				     "{\"action\":\"zA1\",\"how\":\"do A1 then B\",\"condition\":\"if c\","
				     "\"success_rate\":0.5}]"));
	/* Without a translation the English text stays. */
	json = build(&f, "bare", 4, 1, 0);
	assert_non_null(strstr(json, "\"signature\":\"S\""));
	afix_close(&f);
}

static void
test_journal_source(void **state)
{
	struct afix f;
	json_object *o, *src;
	size_t n = 0;

	afix_open(&f);
	f.src = (struct fw_alert_source){
		.type = FW_SOURCE_JOURNAL, .unit = "nginx.service", .identifier = "nginx",
		.cursor = "s=0a1b;i=2f;b=77", .path = "/ignored", .offset = 9, .line_no = 9,
	};
	o = parse(build(&f, "bare", 4, 1, 0));
	src = json_object_object_get(o, "source");
	assert_string_equal(json_object_to_json_string_ext(src, JSON_C_TO_STRING_PLAIN |
							    JSON_C_TO_STRING_NOSLASHESCAPE),
			    "{\"type\":\"journal\",\"unit\":\"nginx.service\",\"identifier\":\"nginx\","
			    "\"cursor\":\"s=0a1b;i=2f;b=77\"}");
	json_object_object_foreach(src, key, val) {
		(void)key;
		(void)val;
		n++;
	}
	assert_int_equal(n, 4);
	json_object_put(o);
	/* A journal field with a control character is escaped too. */
	f.src.unit = "evil\nunit";
	f.src.identifier = NULL;
	assert_non_null(strstr(build(&f, "bare", 4, 1, 0),
			       "\"source\":{\"type\":\"journal\",\"unit\":\"evil\\nunit\",\"identifier\":null,"));
	afix_close(&f);
}

static void
test_format_time(void **state)
{
	static const struct {
		time_t sec;
		long nsec;
		const char *want;
	} cases[] = {
		{ 1795420800, 123456789, "2026-11-23T08:00:00.123Z" },
		{ 0, 0, "1970-01-01T00:00:00.000Z" },
		{ 1795420800, 999999999, "2026-11-23T08:00:00.999Z" },
		{ 951782400, 1000000, "2000-02-29T00:00:00.001Z" },
		{ 1795467599, 50000000, "2026-11-23T20:59:59.050Z" },
	};
	char buf[32];

	for (size_t i = 0; i < TU_N(cases); i++) {
		struct timespec t = { .tv_sec = cases[i].sec, .tv_nsec = cases[i].nsec };

		memset(buf, 'x', sizeof buf);
		fw_format_time(&t, buf);
		assert_string_equal(buf, cases[i].want);
	}
}

/* The date arithmetic against gmtime_r and strftime, every leap rule and both sides of 1970. */
static void
test_format_time_calendar(void **state)
{
	static const int64_t edges[] = {
		-62167219200,   /* 0000-01-01 */
		-11670998400,   /* 1600-02-29 */
		-11670912000,   /* 1600-03-01 */
		-2208988801,    /* 1899-12-31T23:59:59 */
		-1,             /* 1969-12-31T23:59:59 */
		4107542400,     /* 2100-03-01 */
		253402300799,   /* 9999-12-31T23:59:59 */
		253402300800,   /* 10000-01-01 */
	};
	char buf[32], want[40];

	(void)state;
	for (size_t i = 0; i < TU_N(edges) + 40000; i++) {
		/* then every 97 hours and 13 seconds from 1890 to 2340 */
		int64_t sec = i < TU_N(edges) ? edges[i] : -2524521600 + (int64_t)(i - TU_N(edges)) * 349213;
		struct timespec t = { .tv_sec = (time_t)sec, .tv_nsec = 7000000 };
		time_t s = t.tv_sec;
		struct tm tm;
		size_t n;

		assert_non_null(gmtime_r(&s, &tm));
		n = strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
		assert_true(n > 0);
		snprintf(want + n, sizeof want - n, ".007Z");
		fw_format_time(&t, buf);
		assert_string_equal(buf, want);
	}
}

/* Every byte value, alone and between others, escapes as json-c escapes it. */
static void
test_text_every_byte(void **state)
{
	struct fw_jbuf b = { 0 };
	char in[3];

	(void)state;
	for (int c = 0; c < 256; c++) {
		for (int wrap = 0; wrap < 2; wrap++) {
			json_object *o = json_object_new_object();
			size_t n = 0;
			const char *want;

			in[n++] = wrap ? 'a' : (char)c;
			if (wrap) {
				in[n++] = (char)c;
				in[n++] = 'z';
			}
			assert_int_equal(ref_json_add_text(o, "k", in, n), 0);
			want = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE);
			fw_jbuf_reset(&b);
			FW_JBUF_LIT(&b, "{\"k\":");
			fw_jbuf_text(&b, in, n);
			fw_jbuf_put(&b, "}", 2);
			assert_true(fw_jbuf_ok(&b));
			assert_string_equal(b.data, want);
			json_object_put(o);
		}
	}
	fw_jbuf_reset(&b);
	fw_jbuf_text(&b, NULL, 0);
	fw_jbuf_u64(&b, 0);
	fw_jbuf_u64(&b, UINT64_MAX);
	fw_jbuf_put(&b, "", 1);
	assert_string_equal(b.data, "null018446744073709551615");
	fw_jbuf_free(&b);
}

/*
 * Every byte value at every place of a longer run of plain text: the
 * escaper measures runs many bytes at a time, and a byte to escape must
 * be found in any lane and in the tail after the last whole block.
 */
static void
test_text_every_position(void **state)
{
	struct fw_jbuf b = { 0 };
	char in[41];

	(void)state;
	for (int c = 0; c < 256; c++) {
		for (size_t at = 0; at < sizeof in; at++) {
			json_object *o = json_object_new_object();
			const char *want;

			for (size_t k = 0; k < sizeof in; k++)
				in[k] = (char)('A' + k % 26);
			in[at] = (char)c;
			assert_int_equal(ref_json_add_text(o, "k", in, sizeof in), 0);
			want = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE);
			fw_jbuf_reset(&b);
			FW_JBUF_LIT(&b, "{\"k\":");
			fw_jbuf_text(&b, in, sizeof in);
			fw_jbuf_put(&b, "}", 2);
			assert_true(fw_jbuf_ok(&b));
			assert_string_equal(b.data, want);
			json_object_put(o);
		}
	}
	fw_jbuf_free(&b);
}

/* A small generator, so that a failure replays. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random lines (every byte value, UTF-8 of every length, broken sequences,
 * quotes, backslashes) through random sources, counts and locales: the
 * writer and the json-c builder agree on every alert.
 */
static void
test_random_differential(void **state)
{
	static const char *const heads[] = { "grab:", "h1 404x grab:", "bare grab:", "hq 7x h1 grab:" };
	static const char *const pieces[] = {
		"\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f", "\xc2\x80", "\xc3\xa9",
		"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\xaf", "\xff", "\xe2\x82",
		"abc", " ", "\xef\xbf\xbd", "\xf4\x90\x80\x80",
	};
	struct afix f;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	char line[512];

	(void)state;
	afix_open(&f);
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		uint32_t n;

		len = (size_t)snprintf(line, sizeof line, "%s", heads[rnd(&seed) % TU_N(heads)]);
		for (int k = (int)(rnd(&seed) % 24); k > 0; k--) {
			const char *p = pieces[rnd(&seed) % TU_N(pieces)];
			size_t pl = strlen(p);

			if (rnd(&seed) % 5 == 0) {              /* a raw byte of any value */
				line[len++] = (char)(rnd(&seed) & 0xff);
				continue;
			}
			memcpy(line + len, p, pl);
			len += pl;
		}
		n = fw_match_line(f.ctx, line, len, NULL, &f.r);
		if (n == 0)
			continue;       /* a NUL or newline cut the capture short */
		f.in.line = line;
		f.in.len = len;
		f.in.hit = (uint32_t)(rnd(&seed) % n);
		f.in.list_also_matched = rnd(&seed) & 1;
		f.in.truncated = rnd(&seed) & 1;
		f.in.count = rnd(&seed) % 3 == 0 ? rnd(&seed) : 1;
		f.zh = rnd(&seed) & 1;
		f.src.type = (enum fw_source_type)(rnd(&seed) % 3);
		f.src.path = f.src.type == FW_SOURCE_FILE ? line : NULL;
		f.src.unit = rnd(&seed) & 1 ? "nginx.service" : NULL;
		f.src.identifier = f.src.type == FW_SOURCE_JOURNAL ? "ng\x01\xffinx" : NULL;
		f.src.cursor = NULL;
		f.src.offset = rnd(&seed);
		f.src.line_no = rnd(&seed) % 100000;
		f.in.host = rnd(&seed) & 1 ? "h\"o\\st\x1b" : NULL;
		f.in.time.tv_sec = (time_t)(rnd(&seed) % 4102444800u);
		f.in.time.tv_nsec = (long)(rnd(&seed) % 1000000000u);
		write_checked(&f);
	}
	afix_close(&f);
}

/* A held alert gets its count later: the same bytes as one written at once. */
static void
test_open_then_count(void **state)
{
	struct afix f;
	struct fw_jbuf b = { 0 };

	(void)state;
	afix_open(&f);
	f.in.count = 17;
	build(&f, "h1 404x", 7, 2, 0);
	fw_alert_write_open(&b, &f.in);
	fw_alert_write_count(&b, 17);
	fw_jbuf_put(&b, "", 1);
	assert_string_equal(b.data, f.out.data);
	fw_jbuf_free(&b);
	afix_close(&f);
}

/* The buffer as a C string: the NUL is not content, so appending goes on after it. */
static void
test_jbuf_str(void **state)
{
	struct fw_jbuf b = { 0 };

	(void)state;
	assert_string_equal(fw_jbuf_str(&b), "");
	fw_jbuf_puts(&b, "ab");
	assert_string_equal(fw_jbuf_str(&b), "ab");
	assert_int_equal(b.len, 2);
	fw_jbuf_put(&b, "c", 1);
	assert_string_equal(fw_jbuf_str(&b), "abc");
	fw_jbuf_reset(&b);
	assert_string_equal(fw_jbuf_str(&b), "");
	fw_jbuf_free(&b);
}

/*
 * Once a buffer has failed it takes nothing more, even where it still has
 * room: a writer checks once at the end and must not find half an alert.
 */
static void
test_jbuf_failed_is_sticky(void **state)
{
	struct fw_jbuf b = { 0 };

	(void)state;
	assert_true(fw_jbuf_reserve(&b, 256));
	FW_JBUF_LIT(&b, "ab");
	b.failed = true;        /* as a failed allocation leaves it */
	fw_jbuf_text(&b, "text", 4);
	fw_jbuf_cstr(&b, "more");
	fw_jbuf_put(&b, "c", 1);
	fw_jbuf_u64(&b, 42);
	assert_int_equal(b.len, 2);
	assert_false(fw_jbuf_ok(&b));
	assert_null(fw_jbuf_str(&b));
	fw_jbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jbuf_str),
		cmocka_unit_test(test_jbuf_failed_is_sticky),
#define T(f) cmocka_unit_test_setup_teardown(f, tu_setup, tu_teardown)
		T(test_exact_alert),
		T(test_bare_record_nulls),
		T(test_seed_schema_round_trip),
		T(test_line_sanitised),
		T(test_captures_escaped),
		T(test_also_matched),
		T(test_parts_rendered_on_first_alert),
		T(test_zh),
		T(test_journal_source),
		T(test_random_differential),
		T(test_open_then_count),
#undef T
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_format_time_calendar),
		cmocka_unit_test(test_text_every_byte),
		cmocka_unit_test(test_text_every_position),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
