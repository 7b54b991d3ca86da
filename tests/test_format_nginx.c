/*
 * test_format_nginx: custom nginx log_format layouts (daemon/input/
 * format_nginx.c). The specification's forms (the text as it is, nginx.conf's
 * quoted strings with a name and escape=), the fields of real layouts (vhost
 * prefix, request_time, upstream lists), hostile values in each escape mode
 * (quotes, blanks, `-`, \x22, \"), lines that do not fit (returned with a
 * reason and matched as text), a line built to make the split try too many
 * ways, and every compile error naming the part of the format at fault.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "input/format.h"
#include "format_check.h"

/* 2026-12-04T14:37:17Z */
static const struct timespec now = { .tv_sec = 1796395037 };
static struct fw_format_parser *fp;
static struct fw_parsed parsed;

static int
teardown(void **state)
{
	(void)state;
	fw_format_parser_free(fp);
	fp = NULL;
	return 0;
}

static void
use(const char *spec)
{
	char why[256] = "";

	fw_format_parser_free(fp);
	fp = NULL;
	if (fw_format_parser_new_log_format(spec, 4096, &fp, why, sizeof why) != 0)
		fail_msg("log_format %s: %s", spec, why);
	assert_string_equal(fw_format_parser_log_format(fp), spec);
	assert_int_equal(fw_format_parser_format(fp), FW_LINE_COMBINED);
}

static const struct fw_parsed *
parse(const char *line)
{
	fw_format_parse(fp, "access.log", line, strlen(line), &now, &parsed);
	/* never lost: the text to match is the line */
	text_is(&parsed, line);
	return &parsed;
}

static const struct fw_parsed *
parse_ok(const char *line)
{
	const struct fw_parsed *p = parse(line);

	if (p->status != FW_PARSE_OK)
		fail_msg("'%s' did not parse: %s", line, p->why ? p->why : "?");
	assert_int_equal(p->format, FW_LINE_COMBINED);
	return p;
}

static void
parse_bad(const char *line)
{
	const struct fw_parsed *p = parse(line);

	if (p->status != FW_PARSE_BAD)
		fail_msg("'%s' parsed", line);
	assert_non_null(p->why);
	assert_int_equal(p->n_fields, 0);
}

static const char main_vhost[] =
	"log_format main '$host $remote_addr - $remote_user [$time_local] \"$request\" '\n"
	"                '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" '\n"
	"                '$request_time $upstream_status $upstream_response_time';";

/* nginx's main format with a vhost in front and upstream lists at the end. */
static void
test_main_with_upstreams(void **state)
{
	const struct fw_parsed *p;

	(void)state;
	use(main_vhost);
	p = parse_ok("shop.example.com 203.0.113.7 - - [04/Dec/2026:14:37:17 +0000] \"GET /cart?id=7 "
		     "HTTP/1.1\" 502 157 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" 60.001 502, 504 "
		     "30.000, 30.001");
	field_is(p, "host", "shop.example.com");
	field_is(p, "remote_addr", "203.0.113.7");
	field_is(p, "remote_user", "");
	field_is(p, "time_local", "04/Dec/2026:14:37:17 +0000");
	field_is(p, "request", "GET /cart?id=7 HTTP/1.1");
	field_is(p, "request_method", "GET");
	field_is(p, "request_uri", "/cart?id=7");
	field_is(p, "server_protocol", "HTTP/1.1");
	field_is(p, "status", "502");
	field_is(p, "body_bytes_sent", "157");
	field_is(p, "http_referer", "");
	field_is(p, "http_user_agent", "Mozilla/5.0 (X11; Linux x86_64)");
	field_is(p, "request_time", "60.001");
	field_is(p, "upstream_status", "502, 504");
	field_is(p, "upstream_response_time", "30.000, 30.001");
	assert_true(p->has_time);
	assert_int_equal(p->time.tv_sec, 1796395037);
	/* one upstream, and none: "-" is empty */
	p = parse_ok("a.example 198.51.100.2 - alice [04/Dec/2026:15:37:17 +0100] \"POST /api HTTP/2.0\" "
		     "504 0 \"https://a.example/\" \"curl/8.0\" 5.000 - -");
	field_is(p, "remote_user", "alice");
	field_is(p, "status", "504");
	field_is(p, "upstream_status", "");
	field_is(p, "upstream_response_time", "");
	assert_int_equal(p->time.tv_sec, 1796395037);
	/* internal redirects: " : " between groups */
	use("$remote_addr [$time_local] $status $upstream_addr $upstream_status rt=$request_time");
	p = parse_ok("192.0.2.1 [04/Dec/2026:14:37:17 +0000] 502 10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80 "
		     "502, 502 : 504 rt=1.5");
	field_is(p, "upstream_addr", "10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80");
	field_is(p, "upstream_status", "502, 502 : 504");
	field_is(p, "request_time", "1.5");
}

/* escape=default: nginx writes " \ and control bytes as \xXX; decoded in fields. */
static void
test_escape_default_hostile(void **state)
{
	const struct fw_parsed *p;

	(void)state;
	use(main_vhost);
	/* a User-Agent carrying quotes, blanks and an error-log text */
	p = parse_ok("h 203.0.113.9 - - [04/Dec/2026:14:37:17 +0000] \"GET /\\x22 \\x22x HTTP/1.1\" 200 5 "
		     "\"-\" \"x\\x22 502 \\x22 upstream timed out (110: Connection timed out)\\x5C\" 0.001 - -");
	field_is(p, "request", "GET /\" \"x HTTP/1.1");
	no_field(p, "request_method");      /* not three parts */
	field_is(p, "status", "200");
	field_is(p, "http_user_agent", "x\" 502 \" upstream timed out (110: Connection timed out)\\");
	/* a user name with blanks; a \x that is not one is kept */
	p = parse_ok("h 203.0.113.9 - bob smith [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 200 5 "
		     "\"\\xZZ\" \"-\" 0.001 200 0.001");
	field_is(p, "remote_user", "bob smith");
	field_is(p, "http_referer", "\\xZZ");
	field_is(p, "http_user_agent", "");
}

/* escape=json: JSON string escapes; an escaped quote never ends a value. */
static void
test_escape_json(void **state)
{
	const struct fw_parsed *p;

	(void)state;
	use("escape=json '{\"time\":\"$time_iso8601\",\"status\":$status,' "
	    "'\"ua\":\"$http_user_agent\",\"up\":\"$upstream_status\"}'");
	p = parse_ok("{\"time\":\"2026-12-04T15:37:17+01:00\",\"status\":504,"
		     "\"ua\":\"a\\\",\\\"up\\\":\\\"200\\\\\",\"up\":\"504\"}");
	field_is(p, "status", "504");
	field_is(p, "http_user_agent", "a\",\"up\":\"200\\");
	field_is(p, "upstream_status", "504");
	field_is(p, "time_iso8601", "2026-12-04T15:37:17+01:00");
	assert_int_equal(p->time.tv_sec, 1796395037);
	/* \" before the literal after the value is inside it; \\ before it ends it */
	use("log_format j escape=json '\"$http_user_agent\" $status msec=$msec';");
	p = parse_ok("\"a\\\" 200\" 502 msec=1796395037.250");
	field_is(p, "http_user_agent", "a\" 200");
	field_is(p, "status", "502");
	assert_int_equal(p->time.tv_sec, 1796395037);
	assert_int_equal(p->time.tv_nsec / 1000000, 250);
	p = parse_ok("\"a\\\\\" 502 msec=1796395037");
	field_is(p, "http_user_agent", "a\\");
	/* the escaped quote decides, not what follows */
	use("escape=json '\"$http_user_agent\" $http_x_forwarded_for'");
	p = parse_ok("\"a\\\" b\" c");
	field_is(p, "http_user_agent", "a\" b");
	field_is(p, "http_x_forwarded_for", "c");
	use("log_format j escape=json '\"$http_user_agent\" $status msec=$msec';");
	/* control bytes as nginx writes them */
	p = parse_ok("\"\\u001b[31m\\ttab\" 502 msec=-");
	field_is(p, "http_user_agent", "\x1b[31m\ttab");
	assert_false(p->has_time);
}

/* escape=none: values as written; a quote inside one is passed over when the rest does not fit. */
static void
test_escape_none(void **state)
{
	const struct fw_parsed *p;

	(void)state;
	use("escape=none '\"$http_user_agent\" $status'");
	p = parse_ok("\"x\" 200 \"y\\x22\" 502");
	field_is(p, "http_user_agent", "x\" 200 \"y\\x22");
	field_is(p, "status", "502");
	assert_false(p->has_time);
}

/* The forms of the specification give the same layout. */
static void
test_spec_forms(void **state)
{
	static const char *const specs[] = {
		"$remote_addr [$time_local] \"$request\" $status",
		"${remote_addr} [${time_local}] \"${request}\" ${status}",
		"log_format main '$remote_addr [$time_local] ' '\"$request\" $status';",
		"main escape=default '$remote_addr [$time_local] \"$request\" $status'",
		"\"$remote_addr [$time_local] \\\"$request\\\" \" \"$status\"",
		"escape=default $remote_addr [$time_local] \"$request\" $status",
	};
	const struct fw_parsed *p;

	(void)state;
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
		use(specs[i]);
		p = parse_ok("192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET /x HTTP/1.1\" 503");
		field_is(p, "remote_addr", "192.0.2.1");
		field_is(p, "request_uri", "/x");
		field_is(p, "status", "503");
		assert_int_equal(p->time.tv_sec, 1796395037);
	}
	/* a format that logs the request's parts itself gets no derived ones */
	use("$request_method $request_uri \"$request\" $status");
	p = parse_ok("GET /a \"GET /b HTTP/1.1\" 200");
	field_is(p, "request_uri", "/a");
	assert_int_equal(p->n_fields, 4);
}

/* Lines that do not fit: BAD with a reason, no fields, the text intact. */
static void
test_lines_that_do_not_fit(void **state)
{
	static const char *const lines[] = {
		"",
		"192.0.2.1",
		"192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 50x",
		"192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502 trailing",
		"192.0.2.1 [yesterday] \"GET / HTTP/1.1\" 502",
		"192.0.2.1 x [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502",
		"[04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502",
		"192.0.2.1 [04/Dec/2026:14:37:17 +0000] GET / HTTP/1.1 502",
	};

	(void)state;
	use("$remote_addr [$time_local] \"$request\" $status");
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		parse_bad(lines[i]);
}

/* A line that could be split in very many ways is given up within the bound. */
static void
test_bounded_tries(void **state)
{
	char line[2048];
	size_t n = 0;

	(void)state;
	use("$http_a $http_b $http_c $http_d $status");
	while (n < sizeof line - 8) {
		line[n++] = 'a';
		line[n++] = ' ';
	}
	memcpy(line + n, "x", 2);
	parse(line);
	assert_int_equal(parsed.status, FW_PARSE_BAD);
	assert_string_equal(parsed.why, "too many ways to split it by the log_format");
	/* the same format still reads a good line */
	parse_ok("a b c d 200");
}

/* Every error says what is wrong and quotes the part of the format. */
static void
test_compile_errors(void **state)
{
	static const struct {
		const char *spec, *why;
	} cases[] = {
		{ "$remote_addr$remote_user [$time_local]",
		  "'$remote_addr$remote_user [$time_local]': two variables with nothing between them "
		  "cannot be told apart" },
		{ "'$remote_addr' '$status'",
		  "'$remote_addr$status': two variables with nothing between them cannot be told apart "
		  "(nginx.conf's quoted strings are joined without blanks)" },
		{ "$remote_addr - $ [x]", "'$ [x]': '$' without a variable name (write $name or ${name})" },
		{ "$remote_addr ${status", "'${status': '${' must hold a variable name and '}'" },
		{ "$remote_addr ${}", "'${}': '${' must hold a variable name and '}'" },
		{ "just text", "'just text': no variable ($name) to take a field from" },
		{ "escape=xml '$status'", "unknown 'escape=xml' (escape=default, json or none)" },
		{ "main escape=json", "no format after the options" },
		{ "'$remote_addr - $status", "''$remote_addr - $status': in nginx.conf's form write only "
		  "quoted strings, closed, between blanks ('...' '...';)" },
		{ "'$remote_addr' x '$status'", "''$remote_addr' x '$status'': in nginx.conf's form write "
		  "only quoted strings, closed, between blanks ('...' '...';)" },
	};
	struct fw_format_parser *bad = NULL;
	char why[256], many[64 * 8 + 16];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why[0] = '\0';
		assert_int_equal(fw_format_parser_new_log_format(cases[i].spec, 4096, &bad, why, sizeof why),
				 -EINVAL);
		assert_null(bad);
		if (strcmp(why, cases[i].why) != 0)
			fail_msg("%s: said \"%s\", expected \"%s\"", cases[i].spec, why, cases[i].why);
	}
	/* a field per variable, FW_FIELDS_MAX at most */
	for (int i = 0; i <= FW_FIELDS_MAX; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "$v%d ", i);
	assert_int_equal(fw_format_parser_new_log_format(many, 4096, &bad, why, sizeof why), -EINVAL);
	assert_non_null(strstr(why, "': more than 64 variables"));
	many[n - 5] = '\0';     /* without the last */
	assert_int_equal(fw_format_parser_new_log_format(many, 4096, &bad, why, sizeof why), 0);
	fw_format_parser_free(bad);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_main_with_upstreams, teardown),
		cmocka_unit_test_teardown(test_escape_default_hostile, teardown),
		cmocka_unit_test_teardown(test_escape_json, teardown),
		cmocka_unit_test_teardown(test_escape_none, teardown),
		cmocka_unit_test_teardown(test_spec_forms, teardown),
		cmocka_unit_test_teardown(test_lines_that_do_not_fit, teardown),
		cmocka_unit_test_teardown(test_bounded_tries, teardown),
		cmocka_unit_test_teardown(test_compile_errors, teardown),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
