/*
 * test_format_docker: Docker's json-file lines (daemon/input/format.c,
 * docker_line). With format json or auto, the line matched is the decoded
 * `log` member without its newline, parsed again as JSON, syslog or
 * combined when it is one, else plain text; its time is the inner line's
 * own, else Docker's `time`. A JSON object that only looks like it (no `stream`, or
 * other members) stays a JSON line.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "input/format.h"
#include "format_check.h"

static const struct timespec now = { .tv_sec = 1796395037 };

struct env {
	struct fw_format_parser *fp;
	struct fw_parsed p;
};

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);

	assert_non_null(e);
	*state = e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	fw_format_parser_free(e->fp);
	free(e);
	return 0;
}

static const struct fw_parsed *
parse(struct env *e, enum fw_line_format format, const char *line)
{
	if (!e->fp || fw_format_parser_format(e->fp) != format) {
		fw_format_parser_free(e->fp);
		assert_int_equal(fw_format_parser_new(format, 4096, &e->fp), 0);
	}
	fw_format_parse(e->fp, NULL, line, strlen(line), &now, &e->p);
	assert_true(e->p.extent >= e->p.len);
	return &e->p;
}

static void
test_plain_inside(void **state)
{
	struct env *e = *state;
	const struct fw_parsed *p;
	static const char line[] =
		"{\"log\":\"2026/12/04 14:37:17 [error] 29#29: *1 upstream timed out (110: Connection "
		"timed out) while reading response header from upstream, client: 172.17.0.1, request: "
		"\\\"GET / HTTP/1.1\\\"\\n\",\"stream\":\"stderr\",\"time\":\"2026-12-04T14:37:17.123456789Z\"}";
	static const enum fw_line_format formats[] = { FW_LINE_JSON, FW_LINE_AUTO };

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		p = parse(e, formats[i], line);
		assert_int_equal(p->status, FW_PARSE_PLAIN);
		assert_int_equal(p->format, FW_LINE_PLAIN);
		text_is(p, "2026/12/04 14:37:17 [error] 29#29: *1 upstream timed out (110: Connection "
			"timed out) while reading response header from upstream, client: 172.17.0.1, "
			"request: \"GET / HTTP/1.1\"");
		assert_int_equal(p->n_fields, 0);
		assert_true(p->has_time);
		assert_int_equal(p->time.tv_sec, 1796395037);
		assert_int_equal(p->time.tv_nsec / 1000000, 123);
	}
	/* CRLF and a line without its newline; Docker's escapes of < > & */
	p = parse(e, FW_LINE_JSON, "{\"log\":\"a \\u003cb\\u003e \\u0026\\r\\n\",\"stream\":\"stdout\","
		  "\"time\":\"2026-12-04T14:37:17Z\",\"attrs\":{\"tag\":\"web\"}}");
	text_is(p, "a <b> &");
	p = parse(e, FW_LINE_JSON, "{\"log\":\"partial\",\"stream\":\"stdout\",\"time\":\"x\"}");
	text_is(p, "partial");
	assert_false(p->has_time);
}

static void
test_parsed_inside(void **state)
{
	struct env *e = *state;
	const struct fw_parsed *p;

	/* an access log: combined fields, the line's own time before Docker's */
	p = parse(e, FW_LINE_AUTO, "{\"log\":\"203.0.113.7 - - [04/Dec/2026:14:37:17 +0000] \\\"GET /a "
		  "HTTP/1.1\\\" 502 157 \\\"-\\\" \\\"curl/8.0\\\"\\n\",\"stream\":\"stdout\","
		  "\"time\":\"2026-12-05T00:00:00Z\"}");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_COMBINED);
	text_is(p, "203.0.113.7 - - [04/Dec/2026:14:37:17 +0000] \"GET /a HTTP/1.1\" 502 157 \"-\" \"curl/8.0\"");
	field_is(p, "status", "502");
	field_is(p, "request", "GET /a HTTP/1.1");
	assert_int_equal(p->time.tv_sec, 1796395037);
	/* an application's JSON log */
	p = parse(e, FW_LINE_JSON, "{\"log\":\"{\\\"level\\\":\\\"error\\\",\\\"msg\\\":\\\"db down\\\"}\\n\","
		  "\"stream\":\"stderr\",\"time\":\"2026-12-04T14:37:17Z\"}");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_JSON);
	text_is(p, "{\"level\":\"error\",\"msg\":\"db down\"}");
	field_is(p, "level", "error");
	field_is(p, "msg", "db down");
	assert_int_equal(p->time.tv_sec, 1796395037);
}

/*
 * A syslog line inside (a container's rsyslog, or logger writing to its
 * stdout): syslog fields and its own time. RFC 3164 has no year: it is the
 * year of Docker's `time`, not of the read time, for a file read later.
 */
static void
test_syslog_inside(void **state)
{
	struct env *e = *state;
	const struct fw_parsed *p;
	static const enum fw_line_format formats[] = { FW_LINE_JSON, FW_LINE_AUTO };

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		/* 2025-06-01T10:00:00Z; read on 2026-12-04, a year would be lost */
		p = parse(e, formats[i], "{\"log\":\"<27>Jun  1 10:00:00 web1 php-fpm[41]: WARNING: "
			  "[pool www] server reached pm.max_children setting (5)\\n\",\"stream\":\"stderr\","
			  "\"time\":\"2025-06-01T10:00:01.5Z\"}");
		assert_int_equal(p->status, FW_PARSE_OK);
		assert_int_equal(p->format, FW_LINE_SYSLOG);
		text_is(p, "<27>Jun  1 10:00:00 web1 php-fpm[41]: WARNING: [pool www] server reached "
			"pm.max_children setting (5)");
		field_is(p, "hostname", "web1");
		field_is(p, "app_name", "php-fpm");
		field_is(p, "procid", "41");
		field_is(p, "message", "WARNING: [pool www] server reached pm.max_children setting (5)");
		assert_true(p->has_time);
		assert_int_equal(p->time.tv_sec, 1748772000);
		assert_int_equal(p->time.tv_nsec, 0);
	}
	/* RFC 5424, with its own zone: its time, not Docker's */
	p = parse(e, FW_LINE_JSON, "{\"log\":\"<165>1 2026-12-04T15:37:17.250+01:00 db1 postgres 77 - - "
		  "FATAL: the database system is in recovery mode\\n\",\"stream\":\"stdout\","
		  "\"time\":\"2026-12-05T00:00:00Z\"}");
	assert_int_equal(p->format, FW_LINE_SYSLOG);
	field_is(p, "app_name", "postgres");
	field_is(p, "message", "FATAL: the database system is in recovery mode");
	assert_int_equal(p->time.tv_sec, 1796395037);
	assert_int_equal(p->time.tv_nsec / 1000000, 250);
	/* a date and a word are not syslog: plain text with Docker's time */
	p = parse(e, FW_LINE_JSON, "{\"log\":\"Jun  1 10:00:00 starting\\n\",\"stream\":\"stdout\","
		  "\"time\":\"2026-12-04T14:37:17Z\"}");
	assert_int_equal(p->format, FW_LINE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	assert_int_equal(p->time.tv_sec, 1796395037);
}

/* Objects that are not Docker's: the line stays what it is. */
static void
test_not_docker(void **state)
{
	struct env *e = *state;
	const struct fw_parsed *p;
	static const char *const lines[] = {
		"{\"log\":\"x\\n\",\"time\":\"2026-12-04T14:37:17Z\"}",
		"{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-04T14:37:17Z\",\"a\":1,\"b\":2}",
		"{\"stream\":\"stdout\",\"time\":\"2026-12-04T14:37:17Z\"}",
	};

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		p = parse(e, FW_LINE_AUTO, lines[i]);
		assert_int_equal(p->status, FW_PARSE_OK);
		assert_int_equal(p->format, FW_LINE_JSON);
		text_is(p, lines[i]);
	}
	/* plain and combined inputs never unwrap */
	p = parse(e, FW_LINE_PLAIN, "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-04T14:37:17Z\"}");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->len, strlen("{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-12-04T14:37:17Z\"}"));
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parsed_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syslog_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_docker, setup, teardown),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
