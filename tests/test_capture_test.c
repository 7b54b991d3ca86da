/*
 * test_capture_test: the hostile-capture check of `fixwatch test --strict`
 * (capture_test.c) flags patterns whose captures a client can steer (a
 * lazy user name before sshd's "from ADDR", a request class that a '"'
 * in the URI ends early, a fixed field captured inside the request, a
 * path captured from the end that a referrer copying its tail steers, a
 * MySQL user name class that stops at its first quote) and
 * passes the same records written to capture from the fixed tail; records
 * matched through a parsed field and records without captures are left
 * alone, and a listed record is counted, not reported.
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

#include "cli/capture_test.h"
#include "testutil.h"

#define SSHD_EXAMPLE "'Nov 23 08:02:11 web-1 sshd[23104]: Failed password for root from 203.0.113.77 port 51844 ssh2'"
#define NGINX_EXAMPLE                                                                                         \
	"'2026/11/23 08:20:11 [error] 2231#2231: *48200 connect() failed (111: Connection refused) while "     \
	"connecting to upstream, client: 203.0.113.7, server: shop.example.com, request: \\\"GET /cart "       \
	"HTTP/1.1\\\", upstream: \\\"http://10.0.0.6:8080/cart\\\", host: \\\"shop.example.com\\\"'"
#define NGINX_CONTEXT                                                                                         \
	"(?:, client: (?<client>[^,]+))?(?:, server: (?<server>[^,]*))?(?:, request: \\\"%s\\\")?"            \
	"(?:, upstream: \\\"(?<upstream>[^\\\"]*)\\\")?(?:, host: \\\"(?<host>[^\\\"]*)\\\")?"

/* Findings of rec 0 of a one-record KB, with an optional known-failures list. */
static unsigned
findings(const char *record, struct fw_known *known, unsigned *lines)
{
	const char *rows[] = { record };
	struct fw_kb *kb = tu_kb_from_lines("r.jsonl", rows, 1, true);
	struct fw_capture_test t = { .kb = kb, .known = known };
	unsigned n;

	assert_non_null(kb);
	assert_int_equal(fw_capture_test_init(&t), 0);
	n = fw_capture_test_record(&t, &kb->records[0]);
	assert_int_equal(n, t.failed);
	if (lines)
		*lines = t.lines;
	fw_capture_test_fini(&t);
	fw_kb_free(kb);
	return n;
}

static char *
sshd_record(const char *regex)
{
	return tu_fmt("{'id':'sshd/x','signature':'s','regex':'%s','examples':[" SSHD_EXAMPLE "]}", regex);
}

static char *
nginx_record(const char *request_group)
{
	char *context = tu_fmt(NGINX_CONTEXT, request_group);

	return tu_fmt("{'id':'nginx/x','signature':'s','regex':'connect\\\\(\\\\) failed \\\\(111: "
		      "Connection refused\\\\) while connecting to upstream%s','examples':[" NGINX_EXAMPLE "]}",
		      context);
}

static void
test_sshd_lazy_user(void **state)
{
	unsigned lines = 0;

	(void)state;
	/* "x from 6.6.6.6 port 1 ssh2" as the user name moves the client. */
	assert_true(findings(sshd_record("Failed password for (?<user>.+?) from (?<client>\\\\S+)"), NULL,
			     &lines) > 0);
	assert_true(lines > 0);
	/* Captured from the end, the client is sshd's own. */
	assert_int_equal(findings(sshd_record("Failed password for (?<user>.*) from (?<client>\\\\S+) port "
					      "(?<port>\\\\d+) ssh2$"), NULL, NULL), 0);
}

static void
test_nginx_request_quote(void **state)
{
	(void)state;
	/* A '"' in the URI ends [^"]* early: upstream and host are lost. */
	assert_true(findings(nginx_record("(?<request>[^\\\\\\\"]*)"), NULL, NULL) > 0);
	/* The request ends at the '"' before ", " (a request line has no space in its URI). */
	assert_int_equal(findings(nginx_record("(?<request>(?:[^\\\\\\\"]|\\\\\\\"(?!, |$))*)"), NULL, NULL), 0);
}

static void
test_name_inside_span(void **state)
{
	(void)state;
	/* A "target" taken from inside the request is the client's text. */
	assert_true(findings(nginx_record("GET (?<target>\\\\S+) HTTP/1.1"), NULL, NULL) > 0);
	assert_int_equal(findings(nginx_record("(?<method>[A-Z]+) (?<path>(?:[^\\\\\\\"]|\\\\\\\"(?!, |$))*)"),
				  NULL, NULL), 0);
}

#define OPEN_EXAMPLE                                                                                          \
	"'2026/11/23 15:01:10 [error] 2231#2231: *81001 open() \\\"/var/www/site/index.html\\\" failed (13: "    \
	"Permission denied), client: 203.0.113.7, server: www.example.com, request: \\\"GET / HTTP/1.0\\\"'"

static char *
open_record(const char *regex)
{
	return tu_fmt("{'id':'nginx/x','signature':'s','regex':'%s','examples':[" OPEN_EXAMPLE "]}", regex);
}

static void
test_nginx_referrer_tail(void **state)
{
	unsigned lines = 0;

	(void)state;
	/*
	 * Captured from the end, the path's fixed tail is found again in a
	 * referrer that copies it: nginx writes the referrer last, and the
	 * example has none, so the check appends one. (An HTTP/1.0 request
	 * without Host: no other span can imitate the tail with its spaces.)
	 */
	assert_true(findings(open_record("open\\\\(\\\\) \\\"(?<path>.+)\\\" failed \\\\(13: Permission "
					 "denied\\\\), client: (?<client>[^,]+)"), NULL, &lines) > 0);
	assert_true(lines > 0);
	/* Read from nginx's fixed prefix to the path's first quote, the context checked to the line's end. */
	assert_int_equal(findings(open_record("open\\\\(\\\\) \\\"(?<path>[^\\\"]*)\\\" failed \\\\(13: "
					      "Permission denied\\\\), client: (?<client>[^,]+), server: [^,]*, "
					      "request: \\\"[A-Z]+ [^ ]+ HTTP/[0-9.]+\\\"(?:, host: \\\"[^\\\"]*"
					      "\\\")?(?:, referrer: \\\".*\\\")?$"), NULL, NULL), 0);
}

static char *
mysql_record(const char *user_group)
{
	return tu_fmt("{'id':'mysql/x','signature':'s','regex':'Access denied for user %s@\\u0027(?<host>[^\\u0027]*)"
		      "\\u0027 \\\\(using password: (?<password>YES|NO)\\\\)','examples':['ERROR 1045 (28000): "
		      "Access denied for user \\u0027app\\u0027@\\u002710.0.4.17\\u0027 (using password: YES)']}",
		      user_group);
}

static void
test_mysql_user(void **state)
{
	(void)state;
	/* A user name "x'@'6.6.6.6' (using password: NO)" moves the host. */
	assert_true(findings(mysql_record("\\u0027(?<user>[^\\u0027]*)\\u0027"), NULL, NULL) > 0);
	/* MySQL writes at most 48 characters of it: the last "'@'" within them is its own. */
	assert_int_equal(findings(mysql_record("\\u0027(?<user>.{0,48})\\u0027"), NULL, NULL), 0);
}

static void
test_left_alone(void **state)
{
	unsigned lines = 1;

	(void)state;
	/* No captures: nothing to steer, no hostile line tried. */
	assert_int_equal(findings(sshd_record("Failed password for .+? from \\\\S+"), NULL, &lines), 0);
	assert_int_equal(lines, 0);
	/* A field record's pattern sees one parsed field only. */
	lines = 1;
	assert_int_equal(findings("{'id':'aws/x','signature':'s','regex':'^(?<t>Error)$',"
				  "'field':'x-edge-result-type','examples':['#Fields: x-edge-result-type\\nError']}",
				  NULL, &lines), 0);
	assert_int_equal(lines, 0);
}

/* The check runs a pattern as the matcher does: with the JIT code its first run makes. */
static void
test_runs_jit_code(void **state)
{
	const char *rows[] = { sshd_record("Failed password for (?<user>\\\\S+) from (?<client>\\\\S+)") };
	struct fw_kb *kb = tu_kb_from_lines("r.jsonl", rows, 1, false);
	struct fw_capture_test t = { .kb = kb };
	uint32_t have = 0;

	(void)state;
	assert_non_null(kb);
	if (!kb->jit || pcre2_config(PCRE2_CONFIG_JIT, &have) != 0 || !have) {
		fw_kb_free(kb);
		skip();
	}
	assert_int_equal(kb->jit_state[0], FW_JIT_PENDING);
	assert_int_equal(fw_capture_test_init(&t), 0);
	fw_capture_test_record(&t, &kb->records[0]);
	assert_true(t.lines > 0);
	assert_int_equal(kb->jit_state[0], FW_JIT_ON);
	fw_capture_test_fini(&t);
	fw_kb_free(kb);
}

static void
test_known(void **state)
{
	char *path = tu_write("known.txt", "sshd/x captures\n");
	struct fw_known known = { 0 };

	(void)state;
	assert_int_equal(fw_known_load(path, &known), 0);
	assert_int_equal(findings(sshd_record("Failed password for (?<user>.+?) from (?<client>\\\\S+)"), &known,
				  NULL), 0);
	assert_true(known.entries[0].seen);
	fw_known_free(&known);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sshd_lazy_user, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nginx_request_quote, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_name_inside_span, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_nginx_referrer_tail, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_mysql_user, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_left_alone, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_known, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_runs_jit_code, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
