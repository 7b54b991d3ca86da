/*
 * test_status: the readable `fixwatch status` text escapes everything that
 * came from outside (file names, output names and addresses, record ids):
 * a terminal escape in a log file's name reaches the operator as \x1b, and
 * each alert is counted once however many outputs it went to, and what
 * each output wrote again after a break is shown per output.
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

#include "core/status.h"

static const char *const hostile = "/var/log/\x1b]0;owned\x07\x1b[2Jx\xc2\x9b" "31m.log";

static json_object *
snapshot(void)
{
	json_object *st = json_object_new_object(), *ins = json_object_new_array();
	json_object *in = json_object_new_object(), *streams = json_object_new_array();
	json_object *s = json_object_new_object(), *outs = json_object_new_array();
	json_object *alerts = json_object_new_object(), *m = json_object_new_object();
	int i;

	json_object_object_add(st, "version", json_object_new_string("0.1.0"));
	json_object_object_add(s, "name", json_object_new_string(hostile));
	json_object_object_add(s, "offset", json_object_new_uint64(10));
	json_object_array_add(streams, s);
	json_object_object_add(in, "name", json_object_new_string("app\x1b[1m"));
	json_object_object_add(in, "type", json_object_new_string("file"));
	json_object_object_add(in, "fd_limit", json_object_new_uint64(3));
	json_object_object_add(in, "reread", json_object_new_uint64(4));
	json_object_object_add(in, "identity_mismatches", json_object_new_uint64(1));
	json_object_object_add(in, "state_errors", json_object_new_uint64(5));
	json_object *skipped = json_object_new_object();
	json_object_object_add(skipped, "compressed_at_start", json_object_new_uint64(2));
	json_object_object_add(in, "skipped", skipped);
	json_object_object_add(in, "streams", streams);
	json_object_array_add(ins, in);
	json_object_object_add(st, "inputs", ins);
	for (i = 0; i < 2; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(i ? "b" : "a"));
		json_object_object_add(o, "type", json_object_new_string("file"));
		json_object_object_add(o, "address", json_object_new_string(hostile));
		json_object_object_add(o, "state", json_object_new_string("up"));
		json_object_object_add(o, "sent", json_object_new_uint64(23));
		json_object_object_add(o, "resent", json_object_new_uint64(i ? 0 : 7));
		json_object_object_add(o, "errors", json_object_new_uint64(i ? 0 : 4));
		json_object_object_add(o, "write_errors", json_object_new_uint64(i ? 0 : 3));
		json_object_array_add(outs, o);
	}
	json_object_object_add(st, "outputs", outs);
	json_object_object_add(alerts, "built", json_object_new_uint64(23));
	json_object_object_add(st, "alerts", alerts);
	json_object_object_add(m, "x/\x1b[5mid", json_object_new_uint64(23));
	json_object_object_add(st, "matches_by_id", m);
	return st;
}

static void
test_text_is_escaped(void **state)
{
	json_object *st = snapshot();
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fw_status_print_text(st, f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			fail_msg("raw control byte 0x%02x at %zu in:\n%s", (unsigned char)text[i], i,
				 text);
	assert_null(strstr(text, "\xc2\x9b"));
	assert_non_null(strstr(text, "/var/log/\\x1b]0;owned\\x07\\x1b[2Jx\\xc2\\x9b31m.log  offset 10"));
	assert_non_null(strstr(text, "  app\\x1b[1m (file)  rotations 0  errors 0  fd limit 3  "
				     "re-read 4  identity mismatches 1  skipped 2 "
				     "(compressed_at_start 2)  state errors 5\n"));
	assert_non_null(strstr(text, "  a (file /var/log/\\x1b]0;owned"));
	assert_non_null(strstr(text, "x/\\x1b[5mid\n"));
	/* 23 alerts to each of two outputs: 23 built, 23 sent per output. */
	assert_non_null(strstr(text, "alerts: 23 built, 0 suppressed"));
	assert_non_null(strstr(text, "): up; 23 sent,"));
	/* What a break made the output write again, per output. */
	assert_non_null(strstr(text, " reconnects, 7 sent again\n  b (file"));
	/* Failed writes apart from the other errors. */
	assert_non_null(strstr(text, " 0 filtered, 4 errors (3 failed writes), 0 reconnects, 7 sent"));
	assert_non_null(strstr(text, " reconnects, 0 sent again\n"));
	free(text);
	json_object_put(st);
}

/* The per-input fault counters are exposed as counters, one series per input (and reason). */
static void
test_prometheus_input_counters(void **state)
{
	json_object *st = snapshot();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fw_status_prometheus(st, f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "# TYPE fixwatch_input_fd_limit_total counter\n"));
	assert_non_null(strstr(text, "# TYPE fixwatch_input_rotations_total counter\n"));
	const char *fd = strstr(text, "\nfixwatch_input_fd_limit_total{input=\"app");
	assert_non_null(fd);
	assert_non_null(strstr(fd, "\"} 3\n"));
	assert_non_null(strstr(text, "\nfixwatch_input_reread_total{input=\"app\x1b[1m\"} 4\n"));
	assert_non_null(strstr(text, "\nfixwatch_input_state_errors_total{input=\"app\x1b[1m\"} 5\n"));
	assert_non_null(strstr(text, "\nfixwatch_input_identity_mismatches_total{input=\"app\x1b[1m\"} "
				     "1\n"));
	assert_non_null(strstr(text, "\nfixwatch_input_skipped_total{input=\"app\x1b[1m\","
				     "reason=\"compressed_at_start\"} 2\n"));
	assert_non_null(strstr(text, "\nfixwatch_input_skipped_total{input=\"app\x1b[1m\","
				     "reason=\"symlink\"} 0\n"));
	assert_non_null(strstr(text, "# TYPE fixwatch_output_resent_total counter\n"));
	assert_non_null(strstr(text, "\nfixwatch_output_resent_total{output=\"a\"} 7\n"));
	assert_non_null(strstr(text, "\nfixwatch_output_resent_total{output=\"b\"} 0\n"));
	assert_non_null(strstr(text, "# TYPE fixwatch_output_write_errors_total counter\n"));
	assert_non_null(strstr(text, "\nfixwatch_output_write_errors_total{output=\"a\"} 3\n"));
	assert_non_null(strstr(text, "\nfixwatch_output_errors_total{output=\"a\"} 4\n"));
	free(text);
	json_object_put(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_prometheus_input_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
