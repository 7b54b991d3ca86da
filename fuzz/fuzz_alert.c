/*
 * fuzz_alert: the alert writer (daemon/core/alert.c, jsonw.c) writes the
 * same bytes as the json-c builder it replaced (tests/alert_reference.c)
 * for any line. Input: a flags byte (locale, truncated, also_matched,
 * source type), then the line (any bytes: NUL, invalid UTF-8, controls).
 * The KB is fixed: records with named captures that take any text, a
 * translated one and one that shares a line with the others.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_reference.h"
#include "core/alert.h"
#include "fuzz_common.h"
#include "match/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char kb_text[] =
	"{\"id\":\"f/any\",\"signature\":\"S\\\"q\",\"regex\":\"k(?<v>.*)\",\"root_cause\":\"R\\u0001\","
	"\"workarounds\":[{\"action\":\"A\",\"how\":\"H\",\"success_rate\":0.5}],"
	"\"dead_ends\":[{\"action\":\"D\",\"why_fails\":\"W\",\"fail_rate\":0.25}],\"confidence\":0.125}\n"
	"{\"id\":\"f/two\",\"signature\":\"T\",\"signature_zh\":\"\\u4e8c\",\"regex\":\"(?<a>[^ ]+) (?<b>[^ ]*)x\","
	"\"root_cause\":\"RC\",\"root_cause_zh\":\"\\u6839\","
	"\"workarounds\":[{\"action\":\"W1\",\"success_rate\":0.75}],\"workarounds_zh\":[\"\\u529e\"]}\n"
	"{\"id\":\"f/bare\",\"signature\":\"B\",\"regex\":\"b\"}\n";

static struct fw_kb *kb;
static struct fw_matcher *matcher;
static struct fw_match_ctx *ctx;
static struct fw_alert_parts *parts[2];
static struct fw_jbuf out;

static void
setup(void)
{
	const char *path = fuzz_write_file(".jsonl", kb_text, sizeof kb_text - 1);

	kb = path ? fuzz_load_kb(path, false) : NULL;
	if (!kb || fw_matcher_new(kb, FW_ENGINE_REFERENCE, &matcher, NULL) < 0 ||
	    !(ctx = fw_match_ctx_new(matcher)) || fw_alert_parts_new(kb, false, &parts[0]) < 0 ||
	    fw_alert_parts_new(kb, true, &parts[1]) < 0) {
		fprintf(stderr, "fuzz_alert: cannot set up the KB\n");
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_match_result r;
	struct fw_alert_source src = { .offset = size, .line_no = 7 };
	struct fw_alert_input in = {
		.result = &r, .input = "in\x1b", .host = "h\xff", .source = &src,
		.time = { .tv_sec = 1795420800, .tv_nsec = 5000000 }, .count = 3,
	};
	const char *line = (const char *)data + 1;
	unsigned flags;
	uint32_t n;
	char *path;

	if (!kb)
		setup();
	if (size < 1)
		return 0;
	path = strndup(line, size - 1);
	if (!path)
		return 0;
	flags = data[0];
	n = fw_match_line(ctx, line, size - 1, NULL, &r);
	src.type = (enum fw_source_type)((flags >> 3) % 3);
	src.path = path;        /* any bytes up to the first NUL */
	src.unit = "u\n";
	src.identifier = NULL;
	src.cursor = "c";
	in.kb = kb;
	in.parts = parts[flags & 1];
	in.truncated = flags & 2;
	in.list_also_matched = flags & 4;
	in.line = line;
	in.len = size - 1;
	for (uint32_t h = 0; h < n; h++) {
		json_object *ref;
		const char *want;
		size_t want_len;

		in.hit = h;
		fw_jbuf_reset(&out);
		fw_alert_write(&out, &in);
		ref = ref_alert_build(&in, flags & 1);
		want = ref ? ref_alert_json(ref, &want_len) : NULL;
		if (!fw_jbuf_ok(&out) || !want || out.len != want_len || memcmp(out.data, want, want_len)) {
			fprintf(stderr, "fuzz_alert: the writer and the json-c builder differ:\n%.*s\n%s\n",
				(int)out.len, out.data ? out.data : "", want ? want : "(null)");
			abort();
		}
		json_object_put(ref);
	}
	free(path);
	return 0;
}
