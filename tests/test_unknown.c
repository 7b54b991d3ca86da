/*
 * test_unknown: the level a line is logged at (nginx's error log, a syslog
 * PRI, the journal's PRIORITY), read only where the log puts it, and the
 * built-in unknown/<log> records written as alerts.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/alert.h"
#include "core/unknown.h"

static int
level_of(const char *line, enum fw_unknown_log *log)
{
	return fw_unknown_level(line, strlen(line), FW_SEVERITY_NONE, log);
}

static void
test_nginx_levels(void **state)
{
	static const struct { const char *name; int level; } levels[] = {
		{ "emerg", 0 }, { "alert", 1 }, { "crit", 2 }, { "error", 3 }, { "warn", 4 },
		{ "notice", 5 }, { "info", 6 }, { "debug", 7 },
	};
	enum fw_unknown_log log;
	char line[128];

	(void)state;
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		snprintf(line, sizeof line, "2026/12/01 10:00:00 [%s] 123#123: *5 something", levels[i].name);
		log = FW_UNKNOWN_N;
		assert_int_equal(level_of(line, &log), levels[i].level);
		assert_int_equal(log, FW_UNKNOWN_NGINX_ERROR);
	}
	/* Not nginx's prefix: no level, whatever the words say. */
	assert_int_equal(level_of("2026/12/01 10:00:00 [crit]123: no space", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("2026/12/01 10:00:00 [critical] x", &log), 2);
	assert_int_equal(level_of("2026/12/01 10:00:00 [bogus] x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("2026-12-01 10:00:00 [crit] x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("x 2026/12/01 10:00:00 [crit] x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("CRITICAL: the disk is on fire", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("2026/12/01 10:00:00 [crit]", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("2026/12/01 10:00:00 [", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("", &log), FW_SEVERITY_NONE);
}

static void
test_syslog_pri(void **state)
{
	enum fw_unknown_log log = FW_UNKNOWN_N;

	(void)state;
	assert_int_equal(level_of("<0>Dec  1 10:00:00 host kernel: x", &log), 0);
	assert_int_equal(log, FW_UNKNOWN_SYSLOG);
	assert_int_equal(level_of("<34>1 2026-12-01T10:00:00Z host app - - - x", &log), 2);
	assert_int_equal(level_of("<191>x", &log), 7);
	assert_int_equal(level_of("<11>x", &log), 3);
	assert_int_equal(level_of("<192>x", &log), FW_SEVERITY_NONE);     /* facility 24 */
	assert_int_equal(level_of("<01>x", &log), FW_SEVERITY_NONE);      /* leading zero */
	assert_int_equal(level_of("<1234>x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("<>x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("<3x>x", &log), FW_SEVERITY_NONE);
	assert_int_equal(level_of("<3>", &log), 3);                    /* an empty message */
}

static void
test_journal_priority_first(void **state)
{
	enum fw_unknown_log log = FW_UNKNOWN_N;
	const char *line = "2026/12/01 10:00:00 [debug] 1#1: x";

	(void)state;
	/* A journal entry's PRIORITY is the truth, not text in its MESSAGE. */
	assert_int_equal(fw_unknown_level(line, strlen(line), 2, &log), 2);
	assert_int_equal(log, FW_UNKNOWN_JOURNAL);
	assert_int_equal(fw_unknown_level(line, strlen(line), FW_SEVERITY_NONE, &log), 7);
}

/* The built-in records become alerts like any record's: id, line, cause, the hint. */
static void
test_unknown_alert(void **state)
{
	struct fw_kb kb = { 0 };
	struct fw_alert_parts *parts;
	struct fw_hit hit = { .record = FW_UNKNOWN_JOURNAL };
	struct fw_match_result r = { .hits = &hit, .n_hits = 1 };
	struct fw_alert_source src = { .type = FW_SOURCE_JOURNAL, .unit = "nginx.service" };
	const char *line = "worker process 77 exited on signal 11";
	struct fw_alert_input in = {
		.result = &r, .input = "j", .host = "h", .source = &src, .line = line,
		.len = strlen(line), .count = 1, .has_severity = true, .severity = 2,
	};
	struct fw_jbuf b = { 0 };

	(void)state;
	assert_int_equal(fw_alert_parts_new(&kb, false, &parts), 0);
	in.parts = parts;
	fw_alert_write(&b, &in);
	fw_jbuf_put(&b, "", 1);
	assert_true(fw_jbuf_ok(&b));
	assert_non_null(strstr(b.data, "\"id\":\"unknown/journal\""));
	assert_non_null(strstr(b.data, "\"line\":\"worker process 77 exited on signal 11\""));
	assert_non_null(strstr(b.data, "\"domain\":\"unknown\""));
	assert_non_null(strstr(b.data, "\"fix\":{\"action\":\"Write a record for this message"));
	assert_non_null(strstr(b.data, "\"confidence\":null"));
	/* The line's level, not the built-in record's (which states none). */
	assert_non_null(strstr(b.data, "\"category\":\"unknown\",\"severity\":\"crit\","));
	in.has_severity = false;
	fw_jbuf_reset(&b);
	fw_alert_write(&b, &in);
	fw_jbuf_put(&b, "", 1);
	assert_non_null(strstr(b.data, "\"severity\":null,"));
	in.has_severity = true;
	fw_alert_parts_unref(parts);

	/* In Chinese, too. */
	assert_int_equal(fw_alert_parts_new(&kb, true, &parts), 0);
	in.parts = parts;
	fw_jbuf_reset(&b);
	fw_alert_write(&b, &in);
	fw_jbuf_put(&b, "", 1);
	assert_non_null(strstr(b.data, "\"signature\":\"无记录可识别的高级别 journal 条目\""));
	fw_alert_parts_unref(parts);
	fw_jbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nginx_levels),
		cmocka_unit_test(test_syslog_pri),
		cmocka_unit_test(test_journal_priority_first),
		cmocka_unit_test(test_unknown_alert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
