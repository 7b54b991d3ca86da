/*
 * test_format_multiline: the presets of `multiline =` (format_multiline.h):
 * nginx, java, python and go-panic join real entries of those programs into
 * one each, and the application's own lines around them stay entries of
 * their own. (indent and REGEX are tested in test_format.c.)
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

#include "input/format_multiline.h"

#define ENTRIES 8

struct run {
	struct fw_multiline *ml;
	char out[ENTRIES][2048];
	uint32_t lines[ENTRIES];
	int n;
	uint64_t next_line;
};

static void
take(struct run *r)
{
	struct fw_line l;
	struct fw_alert_source s;

	if (!fw_multiline_take(r->ml, &l, &s))
		return;
	assert_true(r->n < ENTRIES);
	snprintf(r->out[r->n], sizeof r->out[r->n], "%.*s", (int)l.len, l.data);
	r->lines[r->n] = s.lines;
	r->n++;
}

/* Feeds the lines of text ('\n'-separated) as the pipeline does, then takes the last entry. */
static void
feed(struct run *r, const char *preset, const char *text)
{
	char why[200], line[512];

	memset(r, 0, sizeof *r);
	assert_int_equal(fw_multiline_new(preset, 4096, 500, &r->ml, why, sizeof why), 0);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		struct fw_line l = { .data = line, .len = n, .line_no = ++r->next_line };
		struct fw_alert_source s = { .type = FW_SOURCE_FILE, .path = "x.log", .line_no = l.line_no };

		assert_true(n < sizeof line);
		memcpy(line, p, n);
		if (!fw_multiline_join(r->ml, &l, "x.log")) {
			take(r);
			fw_multiline_start(r->ml, &l, &s);
		}
		p += n + (nl != NULL);
	}
	take(r);
	fw_multiline_free(r->ml);
}

static void
test_java(void **state)
{
	(void)state;
	struct run r;
	static const char trace[] =
		"2026-12-04 14:37:17.120 ERROR 7 --- [nio-8080-exec-1] o.a.c.c.C.[dispatcherServlet] : failed\n"
		"org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection\n"
		"\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:112)\n"
		"\tat com.acme.OrderService.place(OrderService.java:42)\n"
		"\t... 87 common frames omitted\n"
		"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
		"\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
		"\t... 12 more";

	feed(&r, "java", "2026-12-04 14:37:16.900  INFO 7 --- [main] c.a.App : Started\n"
	     "2026-12-04 14:37:17.120 ERROR 7 --- [nio-8080-exec-1] o.a.c.c.C.[dispatcherServlet] : failed\n"
	     "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection\n"
	     "\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:112)\n"
	     "\tat com.acme.OrderService.place(OrderService.java:42)\n"
	     "\t... 87 common frames omitted\n"
	     "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
	     "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
	     "\t... 12 more\n"
	     "2026-12-04 14:37:18.000  INFO 7 --- [main] c.a.App : next");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.out[1], trace);
	assert_int_equal(r.lines[1], 8);
	assert_int_equal(r.lines[2], 1);
}

static void
test_python(void **state)
{
	(void)state;
	struct run r;

	feed(&r, "python", "INFO:app:starting\n"
	     "ERROR:app:request failed\n"
	     "Traceback (most recent call last):\n"
	     "  File \"/srv/app/db.py\", line 12, in connect\n"
	     "    return psycopg2.connect(DSN)\n"
	     "psycopg2.OperationalError: connection to server failed\n"
	     "\n"
	     "During handling of the above exception, another exception occurred:\n"
	     "\n"
	     "Traceback (most recent call last):\n"
	     "  File \"/srv/app/main.py\", line 5, in <module>\n"
	     "RuntimeError: database unavailable\n"
	     "INFO:app:retrying");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.out[0], "INFO:app:starting");
	assert_int_equal(r.lines[1], 11);
	assert_non_null(strstr(r.out[1], "psycopg2.OperationalError: connection to server failed\n"));
	assert_true(strncmp(r.out[1], "ERROR:app:request failed\nTraceback", 34) == 0);
	assert_non_null(strstr(r.out[1], "occurred:\n\nTraceback"));
	assert_string_equal(strrchr(r.out[1], '\n'), "\nRuntimeError: database unavailable");
	assert_string_equal(r.out[2], "INFO:app:retrying");
}

static void
test_go_panic(void **state)
{
	(void)state;
	struct run r;

	feed(&r, "go-panic", "2026/12/04 14:37:17 serving on :8080\n"
	     "panic: runtime error: index out of range [5] with length 3\n"
	     "\n"
	     "goroutine 18 [running]:\n"
	     "main.handler({0x7f2c, 0xc000}, 0xc0001a2000)\n"
	     "\t/src/app/main.go:42 +0x1d\n"
	     "net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f2c?, 0xc000?}, 0x0?)\n"
	     "\t/usr/local/go/src/net/http/server.go:2136 +0x29\n"
	     "created by net/http.(*Server).Serve in goroutine 1\n"
	     "\t/usr/local/go/src/net/http/server.go:3086 +0x4db\n"
	     "exit status 2\n"
	     "2026/12/04 14:37:18 serving on :8080");
	assert_int_equal(r.n, 3);
	assert_int_equal(r.lines[1], 10);
	assert_non_null(strstr(r.out[1], "panic: runtime error: index out of range [5] with length 3\n\ngoroutine 18"));
	assert_string_equal(r.out[2], "2026/12/04 14:37:18 serving on :8080");
}

static void
test_nginx(void **state)
{
	(void)state;
	struct run r;

	feed(&r, "nginx", "2026/12/04 14:37:17 [error] 29#29: *1 FastCGI sent in stderr: \"PHP message: PHP Fatal error:  Uncaught Exception: boom in /var/www/index.php:3\n"
	     "Stack trace:\n"
	     "#0 {main}\n"
	     "  thrown in /var/www/index.php on line 3\" while reading response header from upstream, client: 203.0.113.7, server: _, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"localhost\"\n"
	     "2026/12/04 14:37:18 [notice] 29#29: signal process started");
	assert_int_equal(r.n, 2);
	assert_int_equal(r.lines[0], 4);
	assert_non_null(strstr(r.out[0], "#0 {main}\n  thrown in"));
	/* a name that is no preset is a regex, as before */
	feed(&r, "^nginx", "nginx a\nb\nnginx c");
	assert_int_equal(r.n, 2);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_java),
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_go_panic),
		cmocka_unit_test(test_nginx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
