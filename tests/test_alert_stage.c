/*
 * Unit tests of the aggregation stage (alert_stage.c) through the pipeline:
 * what a window's summary shows when keeping a held match runs out of
 * memory. realloc is wrapped (-Wl,--wrap=realloc) to fail requests of at
 * least fail_from bytes while the test says so.
 *
 * A held match is kept by copying its line, source and capture names into
 * the held text. When that copy fails half way (the line copied, the
 * source's path refused), the summary must still show the match held
 * before, whole: its line, its captures and its path; the failed one is
 * only counted.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alert_stage.h"
#include "core/pipeline.h"
#include "testutil.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t fail_from;        /* 0: realloc never fails */
static unsigned failed;

void *
__wrap_realloc(void *p, size_t n)
{
	if (fail_from && n >= fail_from) {
		failed++;
		return NULL;
	}
	return __real_realloc(p, n);
}

/* -- an output that keeps a copy of every alert it is given ------------------ */

struct keep_out {
	struct fw_output out;
	struct fw_output_config cfg;
	char *json[8];
	size_t n;
};

static int
k_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct keep_out *k = (struct keep_out *)out;

	assert_true(k->n < sizeof k->json / sizeof k->json[0]);
	k->json[k->n] = strndup(msg->json, msg->json_len);
	assert_non_null(k->json[k->n]);
	k->n++;
	return 0;
}

static const struct fw_output_ops k_ops = { .type = "keep", .submit = k_submit };

static const struct fw_input_ops in_ops = { .type = "test" };

static bool
feed(struct fw_pipeline *p, struct fw_input *in, const char *text, const char *path)
{
	struct fw_line line = { .data = text, .len = strlen(text) };
	struct fw_alert_source src = { .type = FW_SOURCE_FILE, .path = path };

	return fw_pipeline_line(p, in, &line, &src);
}

static void
has(const char *json, const char *part)
{
	if (!strstr(json, part))
		fail_msg("'%s' not in %s", part, json);
}

static void
test_held_text_out_of_memory(void **state)
{
	static const char *const lines[] = {
		"{'id':'a/disk','signature':'disk','regex':'disk full (?<dev>\\\\w+)','domain':'a'}",
	};
	struct fw_kb *kb = tu_kb_from_lines("kb.jsonl", lines, TU_N(lines), false);
	struct fw_config cfg = { .match = FW_MATCH_BEST, .host = (char *)"h",
				 .window_ms = 3600 * 1000, .threshold = 1 };
	struct fw_input_config in_cfg = { .name = (char *)"app" };
	struct fw_input in = { .ops = &in_ops, .cfg = &in_cfg };
	struct keep_out k = { .cfg = { .name = (char *)"k" } };
	struct fw_aggregate_stage *s;
	struct fw_pipeline *p;
	struct fw_matcher *m;
	uv_loop_t loop;
	struct fw_diag d;
	char path[4096];

	(void)state;
	fw_diag_init(&d);
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_REFERENCE, &m, &d), 0);
	assert_int_equal(fw_pipeline_new(NULL, &cfg, m, &p, &d), 0);
	assert_int_equal(fw_aggregate_stage_new(&loop, p, &cfg, &s), 0);
	k.out.ops = &k_ops;
	k.out.cfg = &k.cfg;
	fw_pipeline_add_output(p, &k.out);
	fw_pipeline_add_input(p, &in, &d);

	feed(p, &in, "disk full sda", "/var/log/a.log");        /* alerts, opens the window */
	feed(p, &in, "disk full sdb", "/var/log/b.log");        /* held */
	assert_int_equal(k.n, 1);
	/* Held too, but its path does not fit: the copy fails after the line is in. */
	memset(path, 'x', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	fail_from = 2048;
	feed(p, &in, "disk full sdc", path);
	fail_from = 0;
	assert_true(failed > 0);

	fw_pipeline_flush(p);
	assert_int_equal(k.n, 2);
	has(k.json[0], "\"line\":\"disk full sda\"");
	/* The summary counts both held matches and shows the one kept. */
	has(k.json[1], "\"count\":2");
	has(k.json[1], "\"line\":\"disk full sdb\"");
	has(k.json[1], "\"captures\":{\"dev\":\"sdb\"}");
	has(k.json[1], "\"path\":\"/var/log/b.log\"");

	fw_aggregate_stage_close(s);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	fw_pipeline_free(p);
	assert_int_equal(uv_loop_close(&loop), 0);
	for (size_t i = 0; i < k.n; i++)
		free(k.json[i]);
	fw_diag_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_held_text_out_of_memory, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
