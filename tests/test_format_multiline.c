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

/*
 * Each case: a preset and the entries it must make, in order. The input is
 * the entries' lines one after the other, so the joiner must cut it back
 * into exactly these entries, each with its count of lines.
 */
static const struct {
	const char *preset;
	const char *entries[ENTRIES];
} cases[] = {
	{ "java", {
		"2026-12-04 14:37:16.900  INFO 7 --- [main] c.a.App : Started",
		"2026-12-04 14:37:17.120 ERROR 7 --- [nio-8080-exec-1] o.a.c.c.C.[dispatcherServlet] : failed\n"
		"org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection\n"
		"\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:112)\n"
		"\tat com.acme.OrderService.place(OrderService.java:42)\n"
		"\t... 87 common frames omitted\n"
		"Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available\n"
		"\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
		"\t... 12 more",
		"2026-12-04 14:37:18.000  INFO 7 --- [main] c.a.App : next",
	} },
	{ "python", {
		"INFO:app:starting",
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
		"RuntimeError: database unavailable",
		"INFO:app:retrying",
	} },
	{ "go-panic", {
		"2026/12/04 14:37:17 serving on :8080",
		"panic: runtime error: index out of range [5] with length 3\n"
		"\n"
		"goroutine 18 [running]:\n"
		"main.handler({0x7f2c, 0xc000}, 0xc0001a2000)\n"
		"\t/src/app/main.go:42 +0x1d\n"
		"net/http.HandlerFunc.ServeHTTP(0x0?, {0x7f2c?, 0xc000?}, 0x0?)\n"
		"\t/usr/local/go/src/net/http/server.go:2136 +0x29\n"
		"created by net/http.(*Server).Serve in goroutine 1\n"
		"\t/usr/local/go/src/net/http/server.go:3086 +0x4db\n"
		"exit status 2",
		"2026/12/04 14:37:18 serving on :8080",
	} },
	{ "nginx", {
		"2026/12/04 14:37:17 [error] 29#29: *1 FastCGI sent in stderr: \"PHP message: PHP Fatal "
		"error:  Uncaught Exception: boom in /var/www/index.php:3\n"
		"Stack trace:\n"
		"#0 {main}\n"
		"  thrown in /var/www/index.php on line 3\" while reading response header from upstream, "
		"client: 203.0.113.7, server: _, request: \"GET / HTTP/1.1\", upstream: "
		"\"fastcgi://unix:/run/php/php8.2-fpm.sock:\", host: \"localhost\"",
		"2026/12/04 14:37:18 [notice] 29#29: signal process started",
	} },
	/* a name that is no preset is a regex, as before */
	{ "^nginx", { "nginx a\nb", "nginx c" } },
};

static uint32_t
count_lines(const char *s)
{
	uint32_t n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
test_presets(void **state)
{
	(void)state;
	struct run r;
	char text[4096];

	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		size_t n = 0, want = 0;

		for (; want < ENTRIES && cases[c].entries[want]; want++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", want ? "\n" : "",
					      cases[c].entries[want]);
		assert_true(n < sizeof text);
		feed(&r, cases[c].preset, text);
		if (r.n != (int)want)
			fail_msg("%s: %d entries, expected %zu", cases[c].preset, r.n, want);
		for (size_t i = 0; i < want; i++) {
			if (strcmp(r.out[i], cases[c].entries[i]) != 0)
				fail_msg("%s: entry %zu is\n%s\nexpected\n%s", cases[c].preset, i, r.out[i],
					 cases[c].entries[i]);
			assert_int_equal(r.lines[i], count_lines(cases[c].entries[i]));
		}
	}
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_presets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
