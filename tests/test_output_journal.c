/*
 * test_output_journal: the fields of a journal entry, and an output whose
 * journald is not there keeping its alerts (or, where journald runs,
 * delivering them), and the message that names the output and the package
 * when libsystemd cannot be opened.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "output/output.h"
#include "util/journal_lib.h"

static struct fw_alert_msg *
make_msg(uint64_t seq, uint64_t count)
{
	static const char json[] = "{\"schema\":\"fixwatch.alert/1\",\"line\":\"a\\nb\"}";
	struct fw_alert_msg *m = fw_alert_msg_new(json, sizeof json - 1, &(const struct fw_alert_keys){
		.id = "aws/x", .domain = "aws", .category = "network_error",
		.signature = "502 ERROR\nforged: field", .input = "cdn" });

	assert_non_null(m);
	m->seq = seq;
	m->confidence = 0.861;
	m->count = count;
	return m;
}

static bool
has(char **v, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], want) == 0)
			return true;
	return false;
}

static void
test_fields(void **state)
{
	struct fw_alert_msg *m = make_msg(1, 1);
	char **v;
	size_t n, i;

	assert_int_equal(fw_journal_fields(m, &v, &n), 0);
	/* A newline in the signature must not start a forged field in MESSAGE. */
	assert_true(has(v, n, "MESSAGE=aws/x on cdn: 502 ERROR forged: field"));
	assert_true(has(v, n, "PRIORITY=4"));
	assert_true(has(v, n, "SYSLOG_IDENTIFIER=fixwatch"));
	assert_true(has(v, n, "FIXWATCH_ID=aws/x"));
	assert_true(has(v, n, "FIXWATCH_DOMAIN=aws"));
	assert_true(has(v, n, "FIXWATCH_CATEGORY=network_error"));
	assert_true(has(v, n, "FIXWATCH_CONFIDENCE=0.86"));
	assert_true(has(v, n, "FIXWATCH_INPUT=cdn"));
	assert_true(has(v, n, "FIXWATCH_COUNT=1"));
	assert_true(has(v, n, "FIXWATCH_ALERT={\"schema\":\"fixwatch.alert/1\",\"line\":\"a\\nb\"}"));
	for (i = 0; i < n; i++) {
		assert_true(strncmp(v[i], "FIXWATCH_SEVERITY=", 18) != 0);
		free(v[i]);
	}
	free(v);
	fw_alert_msg_unref(m);

	/* A record's severity: PRIORITY and its keyword; every field present at once. */
	m = make_msg(3, 1);
	m->severity = 2;
	assert_int_equal(fw_journal_fields(m, &v, &n), 0);
	assert_true(has(v, n, "PRIORITY=2"));
	assert_true(has(v, n, "FIXWATCH_SEVERITY=crit"));
	assert_int_equal(n, 11);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	fw_alert_msg_unref(m);

	m = make_msg(2, 12);
	m->confidence = NAN;
	assert_int_equal(fw_journal_fields(m, &v, &n), 0);
	assert_true(has(v, n, "MESSAGE=summary: aws/x on cdn: 502 ERROR forged: field"));
	assert_true(has(v, n, "FIXWATCH_COUNT=12"));
	for (i = 0; i < n; i++) {
		assert_true(strncmp(v[i], "FIXWATCH_CONFIDENCE=", 20) != 0);
		free(v[i]);
	}
	free(v);
	fw_alert_msg_unref(m);
}

static void
done(struct fw_output *out)
{
	*(bool *)out->pipeline = true;
}

static void
test_no_journald_keeps_alerts(void **state)
{
	struct fw_output_config cfg = { .name = (char *)"j", .type = FW_OUTPUT_JOURNAL, .min_severity = 7,
					.queue_max = 2 };
	bool journald = access("/run/systemd/journal/socket", W_OK) == 0;
	struct fw_output *out;
	struct fw_diag diag;
	uv_loop_t loop;
	bool closed = false;
	int i;

	uv_loop_init(&loop);
	fw_diag_init(&diag);
	assert_int_equal(fw_output_new(&loop, &cfg, &out, &diag), 0);
	assert_int_equal(out->ops->open(out), 0);
	for (i = 1; i <= 2; i++) {
		struct fw_alert_msg *m = make_msg((uint64_t)i, 1);

		assert_int_equal(out->ops->submit(out, m), 0);
		fw_alert_msg_unref(m);
	}
	if (journald) {
		assert_int_equal(out->acked, 2);
		assert_int_equal(out->stats.sent, 2);
	} else {
		/* Nothing lost, nothing acknowledged: the queue fills and says so. */
		struct fw_alert_msg *m = make_msg(3, 1);

		assert_int_equal(out->acked, 0);
		assert_int_equal(out->state, FW_OUTPUT_DOWN);
		assert_int_equal(out->queued, 2);
		assert_int_equal(out->ops->submit(out, m), -ENOBUFS);
		fw_alert_msg_unref(m);
	}
	out->pipeline = &closed;
	out->ops->close(out, done);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_true(closed);
	fw_output_free(out);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/*
 * libsystemd is opened by the first journal input or output: without it,
 * -t (conf:line), start-up and reload name the section and the package; with
 * it, the same output is built (the first test run: nothing has opened it).
 */
static void
test_library_missing(void **state)
{
	struct fw_output_config cfg = { .name = (char *)"j", .type = FW_OUTPUT_JOURNAL, .min_severity = 7 };
	struct fw_output *out = NULL;
	struct fw_diag diag;
	uv_loop_t loop;

	uv_loop_init(&loop);
	fw_diag_init(&diag);
	fw__journal_lib_name = "libfixwatch-test-no-such-systemd.so.0";
	assert_int_equal(fw_output_new(&loop, &cfg, &out, &diag), -ENOENT);
	assert_null(out);
	assert_int_equal(fw_journal_lib_need(&diag, "/etc/fixwatch.conf", 12, "input", "sys"), -ENOENT);
	assert_int_equal(diag.n, 2);
	assert_string_equal(diag.msgs[0],
			    "[output.j] type: journal needs libsystemd (Debian package libsystemd0), "
			    "which cannot be loaded: libfixwatch-test-no-such-systemd.so.0: cannot "
			    "open shared object file: No such file or directory");
	assert_string_equal(diag.msgs[1],
			    "/etc/fixwatch.conf:12: [input.sys] type: journal needs libsystemd "
			    "(Debian package libsystemd0), which cannot be loaded: "
			    "libfixwatch-test-no-such-systemd.so.0: cannot open shared object file: "
			    "No such file or directory");
	fw_diag_clear(&diag);

	fw__journal_lib_name = FW_JOURNAL_LIBSYSTEMD;
	assert_int_equal(fw_output_new(&loop, &cfg, &out, &diag), 0);
	assert_int_equal(diag.n, 0);
	assert_non_null(fw__journal_lib.sd_journal_sendv_with_location);
	fw_output_free(out);
	fw_diag_clear(&diag);
	assert_int_equal(uv_loop_close(&loop), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_library_missing),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_no_journald_keeps_alerts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
