/*
 * test_format_nginx: custom nginx log_format layouts (daemon/input/
 * format_nginx.c, format_nginx_shape.c), as tables of formats × lines: the
 * specification's forms (the text as it is, nginx.conf's quoted strings with
 * a name and escape=), the fields of real layouts (vhost prefix,
 * request_time, upstream lists), hostile values in each escape mode (quotes,
 * blanks, `-`, \x22, \"), two variables with nothing between them split by
 * their shapes (the first's, or the second's fixed width from the right), the shapes of nginx's families of variables, lines that do
 * not fit (returned with a reason and matched as text), a line built to make
 * the split try too many ways, and every compile error naming the part of
 * the format at fault.
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

#include "core/jsonw.h"
#include "input/format.h"
#include "input/format_match.h"
#include "format_check.h"

/* 2026-12-04T14:37:17Z */
static const struct timespec now = { .tv_sec = 1796395037 };
#define T0 1796395037

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

#define MAX_WANT 40

/*
 * A line of a format (spec NULL: the case before's) and what it must give:
 * fields as name, value pairs (NULL-terminated; none: the line does not
 * fit, it is BAD with a reason and no field), `absent` fields it must not
 * have, n_fields when not 0, and the event time: T_NONE, or its seconds and
 * milliseconds.
 */
#define T_NONE (-1)
#define T_ANY (-2)

struct line_case {
	const char *spec, *line;
	const char *fields[MAX_WANT];
	const char *absent;
	unsigned n_fields;
	long long time;
	long ms;
};

static void
check_case(const struct line_case *c)
{
	const struct fw_parsed *p = parse(c->line);

	if (!c->fields[0]) {
		if (p->status != FW_PARSE_BAD)
			fail_msg("'%s' parsed by '%s'", c->line, fw_format_parser_log_format(fp));
		assert_non_null(p->why);
		assert_int_equal(p->n_fields, 0);
		return;
	}
	if (p->status != FW_PARSE_OK)
		fail_msg("'%s' did not parse by '%s': %s", c->line, fw_format_parser_log_format(fp),
			 p->why ? p->why : "?");
	assert_int_equal(p->format, FW_LINE_COMBINED);
	for (size_t i = 0; c->fields[i]; i += 2)
		field_is(p, c->fields[i], c->fields[i + 1]);
	if (c->absent)
		no_field(p, c->absent);
	if (c->n_fields)
		assert_int_equal(p->n_fields, c->n_fields);
	if (c->time == T_NONE) {
		assert_false(p->has_time);
	} else if (c->time != T_ANY) {
		assert_true(p->has_time);
		assert_int_equal(p->time.tv_sec, c->time);
		assert_int_equal(p->time.tv_nsec / 1000000, c->ms);
	}
}

static void
run_cases(const struct line_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (cases[i].spec)
			use(cases[i].spec);
		check_case(&cases[i]);
	}
}

/* A line the format does not fit. */
#define BAD(s, l) { .spec = (s), .line = (l) }

#define RUN(cases) run_cases((cases), sizeof(cases) / sizeof(cases)[0])

static const char main_vhost[] =
	"log_format main '$host $remote_addr - $remote_user [$time_local] \"$request\" '\n"
	"                '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" '\n"
	"                '$request_time $upstream_status $upstream_response_time';";

/* Real layouts: nginx's main format with a vhost in front and upstream lists at the end. */
static const struct line_case layouts[] = {
	{ main_vhost,
	  "shop.example.com 203.0.113.7 - - [04/Dec/2026:14:37:17 +0000] \"GET /cart?id=7 HTTP/1.1\" 502 "
	  "157 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" 60.001 502, 504 30.000, 30.001",
	  { "host", "shop.example.com", "remote_addr", "203.0.113.7", "remote_user", "",
	    "time_local", "04/Dec/2026:14:37:17 +0000", "request", "GET /cart?id=7 HTTP/1.1",
	    "request_method", "GET", "request_uri", "/cart?id=7", "server_protocol", "HTTP/1.1",
	    "status", "502", "body_bytes_sent", "157", "http_referer", "",
	    "http_user_agent", "Mozilla/5.0 (X11; Linux x86_64)", "request_time", "60.001",
	    "upstream_status", "502, 504", "upstream_response_time", "30.000, 30.001", NULL },
	  .time = T0 },
	/* one upstream, and none: "-" is empty */
	{ NULL,
	  "a.example 198.51.100.2 - alice [04/Dec/2026:15:37:17 +0100] \"POST /api HTTP/2.0\" 504 0 "
	  "\"https://a.example/\" \"curl/8.0\" 5.000 - -",
	  { "remote_user", "alice", "status", "504", "upstream_status", "", "upstream_response_time", "",
	    NULL },
	  .time = T0 },
	/* internal redirects: " : " between groups */
	{ "$remote_addr [$time_local] $status $upstream_addr $upstream_status rt=$request_time",
	  "192.0.2.1 [04/Dec/2026:14:37:17 +0000] 502 10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80 502, 502 : 504 "
	  "rt=1.5",
	  { "upstream_addr", "10.0.0.1:80, 10.0.0.2:80 : 10.0.0.3:80", "upstream_status", "502, 502 : 504",
	    "request_time", "1.5", NULL },
	  .time = T0 },
	/* a format that logs the request's parts itself gets no derived ones */
	{ "$request_method $request_uri \"$request\" $status", "GET /a \"GET /b HTTP/1.1\" 200",
	  { "request_uri", "/a", NULL }, .n_fields = 4, .time = T_NONE },
};

/* escape=default: nginx writes " \ and control bytes as \xXX; decoded in fields. */
static const struct line_case escape_default[] = {
	/* a User-Agent carrying quotes, blanks and an error-log text */
	{ main_vhost,
	  "h 203.0.113.9 - - [04/Dec/2026:14:37:17 +0000] \"GET /\\x22 \\x22x HTTP/1.1\" 200 5 \"-\" "
	  "\"x\\x22 502 \\x22 upstream timed out (110: Connection timed out)\\x5C\" 0.001 - -",
	  { "request", "GET /\" \"x HTTP/1.1", "status", "200",
	    "http_user_agent", "x\" 502 \" upstream timed out (110: Connection timed out)\\", NULL },
	  .absent = "request_method", .time = T0 },       /* the request is not three parts */
	/* a user name with blanks; a \x that is not one is kept */
	{ NULL,
	  "h 203.0.113.9 - bob smith [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 200 5 \"\\xZZ\" \"-\" "
	  "0.001 200 0.001",
	  { "remote_user", "bob smith", "http_referer", "\\xZZ", "http_user_agent", "", NULL }, .time = T0 },
	/* nginx never writes a bare '"' in a value: a line with one in the user agent does not fit */
	BAD(NULL,
	  "h 203.0.113.9 - - [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"a\" \"b\" 0.001 - -"),
};

/* escape=json: JSON string escapes; an escaped quote never ends a value. */
static const struct line_case escape_json[] = {
	{ "escape=json '{\"time\":\"$time_iso8601\",\"status\":$status,' "
	  "'\"ua\":\"$http_user_agent\",\"up\":\"$upstream_status\"}'",
	  "{\"time\":\"2026-12-04T15:37:17+01:00\",\"status\":504,\"ua\":\"a\\\",\\\"up\\\":\\\"200\\\\\","
	  "\"up\":\"504\"}",
	  { "status", "504", "http_user_agent", "a\",\"up\":\"200\\", "upstream_status", "504",
	    "time_iso8601", "2026-12-04T15:37:17+01:00", NULL },
	  .time = T0 },
	/* \" before the literal after the value is inside it; \\ before it ends it */
	{ "log_format j escape=json '\"$http_user_agent\" $status msec=$msec';",
	  "\"a\\\" 200\" 502 msec=1796395037.250",
	  { "http_user_agent", "a\" 200", "status", "502", NULL }, .time = T0, .ms = 250 },
	{ NULL, "\"a\\\\\" 502 msec=1796395037", { "http_user_agent", "a\\", NULL }, .time = T0 },
	/* control bytes as nginx writes them */
	{ NULL, "\"\\u001b[31m\\ttab\" 502 msec=-", { "http_user_agent", "\x1b[31m\ttab", NULL }, .time = T_NONE },
	/* a bare quote is not nginx's */
	BAD(NULL, "\"a\" b\" 502 msec=-"),
	/* the escaped quote decides, not what follows */
	{ "escape=json '\"$http_user_agent\" $http_x_forwarded_for'", "\"a\\\" b\" c",
	  { "http_user_agent", "a\" b", "http_x_forwarded_for", "c", NULL }, .time = T_NONE },
};

/* escape=none: values as written; a quote inside one is passed over when the rest does not fit. */
static const struct line_case escape_none[] = {
	{ "escape=none '\"$http_user_agent\" $status'", "\"x\" 200 \"y\\x22\" 502",
	  { "http_user_agent", "x\" 200 \"y\\x22", "status", "502", NULL }, .time = T_NONE },
};

/* The forms of the specification give the same layout. */
static const char *const spec_forms[] = {
	"$remote_addr [$time_local] \"$request\" $status",
	"${remote_addr} [${time_local}] \"${request}\" ${status}",
	"log_format main '$remote_addr [$time_local] ' '\"$request\" $status';",
	"main escape=default '$remote_addr [$time_local] \"$request\" $status'",
	"\"$remote_addr [$time_local] \\\"$request\\\" \" \"$status\"",
	"escape=default $remote_addr [$time_local] \"$request\" $status",
};

/*
 * Two variables with nothing between them: split where the first one's
 * shape ends (its width, or the first byte it cannot hold that the second
 * starts with); nginx's "-" on either side.
 */
static const struct line_case adjacent[] = {
	{ "$scheme://$host$request_uri $status", "https://shop.example.com/cart?id=7&x=/y 502",
	  { "scheme", "https", "host", "shop.example.com", "request_uri", "/cart?id=7&x=/y", "status", "502",
	    NULL }, .time = T_NONE },
	{ NULL, "http://[2001:db8::1]/ 200", { "host", "[2001:db8::1]", "request_uri", "/", NULL }, .time = T_NONE },
	{ NULL, "http://a-b.example-/ 200", { "host", "a-b.example-", "request_uri", "/", NULL }, .time = T_NONE },
	{ NULL, "http://a-b.example- 400", { "host", "a-b.example", "request_uri", "", NULL }, .time = T_NONE },
	{ NULL, "http://-/ 400", { "host", "", "request_uri", "/", NULL }, .time = T_NONE },
	BAD(NULL, "http://shop.example.com 502"),     /* a URI starts with '/' */
	BAD(NULL, "http://shop example/ 502"),        /* no blank in a host */
	/* digits end at a non-digit; status has three */
	{ "$remote_addr$request_uri $status$body_bytes_sent$request_method",
	  "2001:db8::7/a/b 502157GET",
	  { "remote_addr", "2001:db8::7", "request_uri", "/a/b", "status", "502", "body_bytes_sent", "157",
	    "request_method", "GET", NULL }, .time = T_NONE },
	{ NULL, "192.0.2.1/ 2000POST", { "status", "200", "body_bytes_sent", "0", "request_method", "POST", NULL },
	  .time = T_NONE },
	{ NULL, "192.0.2.1/ 200-GET", { "status", "200", "body_bytes_sent", "", "request_method", "GET", NULL },
	  .time = T_NONE },
	{ NULL, "192.0.2.1- 200157-", { "remote_addr", "192.0.2.1", "request_uri", "", "body_bytes_sent", "157",
				       "request_method", "", NULL }, .time = T_NONE },
	BAD(NULL, "192.0.2.1/ 20GET"),
	BAD(NULL, "192.0.2.1/ 200x1GET"),
	BAD(NULL, "192.0.2.1/ 200157get"),
	/* seconds end where a method starts */
	{ "$msec$request_method $status", "1796395037.250GET 200",
	  { "msec", "1796395037.250", "request_method", "GET", NULL }, .time = T0, .ms = 250 },
	/* a free text before a fixed width: the end of the pair decides (from the right) */
	{ "$http_user_agent$status", "curl/8.0 (x)502",
	  { "http_user_agent", "curl/8.0 (x)", "status", "502", NULL }, .time = T_NONE },
	{ NULL, "agent 1.2.3404", { "http_user_agent", "agent 1.2.3", "status", "404", NULL }, .time = T_NONE },
	{ NULL, "502", { "http_user_agent", "", "status", "502", NULL }, .time = T_NONE },
	{ NULL, "curl-", { "http_user_agent", "curl", "status", "", NULL }, .time = T_NONE },
	BAD(NULL, "ab50"),
	BAD(NULL, "50"),
	{ "\"$http_user_agent$status\" $body_bytes_sent", "\"curl 8 x200\" 157",
	  { "http_user_agent", "curl 8 x", "status", "200", "body_bytes_sent", "157", NULL }, .time = T_NONE },
	BAD(NULL, "\"a\" b200\" 157"),            /* nginx writes a quote in a value as \x22 */
	{ NULL, "\"a\\x22 b200\" 157", { "http_user_agent", "a\" b", "status", "200", NULL }, .time = T_NONE },
	{ "$remote_addr$status $request_uri$status x", "192.0.2.1502 /a/b?c=1504 x",
	  { "remote_addr", "192.0.2.1", "status", "502", "request_uri", "/a/b?c=1", NULL }, .n_fields = 4,
	  .time = T_NONE },
	BAD(NULL, "192.0.2.1502 /a50 x"),
	/* three in a row, then a free text's end decided by the literal after it */
	{ "$status$request_method$request_uri \"$http_user_agent\"", "504PUT/x?a \"curl/8 (x)\"",
	  { "status", "504", "request_method", "PUT", "request_uri", "/x?a", "http_user_agent", "curl/8 (x)",
	    NULL }, .time = T_NONE },
};

/* Unknown variables and nginx's families of names have shapes. */
static const struct line_case families[] = {
	/* $*_time seconds; $*_length and $bytes_* counts; upstream_* lists of those */
	{ "$connection_time $request_length $bytes_sent $upstream_connect_time $upstream_bytes_received "
	  "$upstream_response_length $upstream_cache_status $my_thing",
	  "0.250 512 1024 0.001, 0.002 : - 100, 200 : 300 17, - HIT any text here",
	  { "connection_time", "0.250", "request_length", "512", "bytes_sent", "1024",
	    "upstream_connect_time", "0.001, 0.002 : -", "upstream_bytes_received", "100, 200 : 300",
	    "upstream_response_length", "17, -", "upstream_cache_status", "HIT", "my_thing", "any text here",
	    NULL }, .time = T_NONE },
	BAD(NULL, "0.25x 512 1024 0.001 100 17 HIT x"),
	BAD(NULL, "0.250 5k 1024 0.001 100 17 HIT x"),
	BAD(NULL, "0.250 512 1024 0.001,0.002 100 17 HIT x"),
	BAD(NULL, "0.250 512 1024 0.001 100 17 HIT! x"),
	/* free text: headers, cookies, arguments, whatever a client sends, blanks too */
	{ "$http_x_trace $sent_http_content_type $cookie_sid $arg_q $upstream_http_server $content_length end",
	  "a b text/html; charset=utf-8 c d 1 2 nginx/1.27 abc end",
	  /* free texts side by side: the first takes the least that lets the rest fit */
	  { "http_x_trace", "a", "sent_http_content_type", "b", "cookie_sid", "text/html;",
	    "arg_q", "charset=utf-8", "upstream_http_server", "c", "content_length", "d 1 2 nginx/1.27 abc",
	    NULL }, .time = T_NONE },
	/* a status is three digits; an address has no letters beyond hex and "unix:" */
	{ "$remote_addr $status $request_id", "unix: 499 0123456789abcdef0123456789abcdef",
	  { "remote_addr", "unix:", "status", "499", "request_id", "0123456789abcdef0123456789abcdef", NULL },
	  .time = T_NONE },
	BAD(NULL, "192.0.2.1 4999 0a"),
	BAD(NULL, "host.example 499 0a"),
	BAD(NULL, "192.0.2.1 499 xyz"),
	/* a server's name as configured: a wildcard or a regular expression (backslashes as \x5C) */
	{ "$server_name $status", "~^(?<sub>.+)\\x5C.example\\x5C.com$ 502",
	  { "server_name", "~^(?<sub>.+)\\.example\\.com$", "status", "502", NULL }, .time = T_NONE },
	BAD(NULL, "two words 502"),
	/* other modules' variables: tokens, hex, hosts, signed coordinates, counts, upper-case words */
	{ "$ssl_protocol/$ssl_cipher $ssl_session_reused $ssl_session_id $ssl_server_name $http2 $ssl_client_s_dn "
	  "$geoip_country_code $geoip_latitude,$geoip_longitude $geoip_city $tcpinfo_rtt $limit_req_status "
	  "$upstream_response_time $request_time end",
	  "TLSv1.3/TLS_AES_128_GCM_SHA256 r 0a1B2c shop.example.com  CN=a b,O=c AU -33.8688,151.2093 "
	  "Sydney Harbour 1520 REJECTED_DRY_RUN 0.004, 0.100 : 0.002 0.106 end",
	  { "ssl_protocol", "TLSv1.3", "ssl_cipher", "TLS_AES_128_GCM_SHA256", "ssl_session_reused", "r",
	    "ssl_session_id", "0a1B2c", "ssl_server_name", "shop.example.com", "http2", "",
	    "ssl_client_s_dn", "CN=a b,O=c", "geoip_country_code", "AU", "geoip_latitude", "-33.8688",
	    "geoip_longitude", "151.2093", "geoip_city", "Sydney Harbour", "tcpinfo_rtt", "1520",
	    "limit_req_status", "REJECTED_DRY_RUN", "upstream_response_time", "0.004, 0.100 : 0.002",
	    "request_time", "0.106", NULL }, .time = T_NONE },
	/* each shape refuses what nginx never writes there: the lines below differ from this one in one value */
	{ NULL, "TLSv1.3/x r 0a . h2 CN AU 1,2 c 1 PASSED 0.1 0.1 end",
	  { "ssl_server_name", ".", "geoip_latitude", "1", "limit_req_status", "PASSED", NULL }, .time = T_NONE },
	BAD(NULL, "TLS v1.3/x r 0a . h2 CN AU 1,2 c 1 PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0g . h2 CN AU 1,2 c 1 PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0a a/b h2 CN AU 1,2 c 1 PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0a . h2 CN A1 1,2 c 1 PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0a . h2 CN AU 1,x2 c 1 PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0a . h2 CN AU 1,2 c 1ms PASSED 0.1 0.1 end"),
	BAD(NULL, "TLSv1.3/x r 0a . h2 CN AU 1,2 c 1 passed 0.1 0.1 end"),
	{ NULL, "TLSv1.2/x . - - h2c - - -,- - - - - - end",
	  { "ssl_session_reused", ".", "ssl_session_id", "", "http2", "h2c", "geoip_latitude", "", NULL },
	  .time = T_NONE },
	/* an ISO 8601 time */
	{ "$time_iso8601 $status", "2026-12-04T14:37:17+00:00 502", { "status", "502", NULL }, .time = T0 },
	BAD(NULL, "2026-12-04 14:37:17 502"),
};

/* Lines that do not fit: BAD with a reason, no fields, the text intact. */
static const struct line_case misfits[] = {
	BAD("$remote_addr [$time_local] \"$request\" $status", ""),
	BAD(NULL, "192.0.2.1"),
	BAD(NULL, "192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 50x"),
	BAD(NULL, "192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502 trailing"),
	BAD(NULL, "192.0.2.1 [yesterday] \"GET / HTTP/1.1\" 502"),
	BAD(NULL, "192.0.2.1 x [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502"),
	BAD(NULL, "[04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 502"),
	BAD(NULL, "192.0.2.1 [04/Dec/2026:14:37:17 +0000] GET / HTTP/1.1 502"),
};

static void
test_layouts(void **state)
{
	(void)state;
	RUN(layouts);
}

static void
test_escapes(void **state)
{
	(void)state;
	RUN(escape_default);
	RUN(escape_json);
	RUN(escape_none);
}

static void
test_spec_forms(void **state)
{
	static const struct line_case line = {
		NULL, "192.0.2.1 [04/Dec/2026:14:37:17 +0000] \"GET /x HTTP/1.1\" 503",
		{ "remote_addr", "192.0.2.1", "request_uri", "/x", "status", "503", NULL }, .time = T0,
	};

	(void)state;
	for (size_t i = 0; i < sizeof spec_forms / sizeof spec_forms[0]; i++) {
		use(spec_forms[i]);
		check_case(&line);
	}
}

static void
test_adjacent(void **state)
{
	(void)state;
	RUN(adjacent);
}

static void
test_families(void **state)
{
	(void)state;
	RUN(families);
}

static void
test_misfits(void **state)
{
	(void)state;
	RUN(misfits);
}

/* Lines that share a second share its parse; a new second is parsed again. */
static void
test_time_memo(void **state)
{
	static const struct line_case lines[] = {
		{ "[$time_local] $status", "[04/Dec/2026:14:37:17 +0000] 502", { "status", "502", NULL }, .time = T0 },
		{ NULL, "[04/Dec/2026:14:37:17 +0000] 504", { "status", "504", NULL }, .time = T0 },
		{ NULL, "[04/Dec/2026:14:37:18 +0000] 200", { "status", "200", NULL }, .time = T0 + 1 },
		{ NULL, "[04/Dec/2026:15:37:18 +0100] 200", { "status", "200", NULL }, .time = T0 + 1 },
		{ NULL, "[04/Dec/2026:14:37:17 +0000] 200", { "status", "200", NULL }, .time = T0 },
		/* the memo's hour: its minutes and seconds alone are read, as a whole parse would */
		{ NULL, "[04/Dec/2026:14:59:60 +0000] 200", { "status", "200", NULL }, .time = T0 + 22 * 60 + 43 },
		{ NULL, "[04/Dec/2026:14:00:00 +0000] 200", { "status", "200", NULL }, .time = T0 - 37 * 60 - 17 },
		{ NULL, "[04/Dec/2026:14:37:16 +0100] 200", { "status", "200", NULL }, .time = T0 - 3601 },
		{ NULL, "[05/Dec/2026:14:37:17 +0000] 200", { "status", "200", NULL }, .time = T0 + 86400 },
		{ NULL, "[04/Dec/2026:14:37:17 +0000] 200", { "status", "200", NULL }, .time = T0 },
		BAD(NULL, "[04/Dec/2026:14:60:00 +0000] 200"),
		BAD(NULL, "[04/Dec/2026:14:37:61 +0000] 200"),
		BAD(NULL, "[04/Dec/2026:14:3a:17 +0000] 200"),
		BAD(NULL, "[04/Dec/2026:14:37/17 +0000] 200"),
		BAD(NULL, "[04/Dec/2026:14:37:17 +0000x] 200"),
		{ NULL, "[-] 200", { "time_local", "", NULL }, .time = T_NONE },
	};

	(void)state;
	RUN(lines);
}

/*
 * An empty time_local is not a time, whether the parser has read a time
 * before (the memo holds one) or not (the memo is empty and must not match).
 */
static void
test_empty_time(void **state)
{
	static const char spec[] = "$remote_addr [$time_local] \"$request\" $status";
	static const struct line_case lines[] = {
		BAD(spec, "1.2.3.4 [] \"GET / HTTP/1.1\" 500"),
		{ NULL, "1.2.3.4 [04/Dec/2026:14:37:17 +0000] \"GET / HTTP/1.1\" 500",
		  { "status", "500", NULL }, .time = T0 },
		BAD(NULL, "1.2.3.4 [] \"GET / HTTP/1.1\" 500"),
	};

	(void)state;
	RUN(lines);
}

/*
 * A format that logs $time_local twice: the line's time is the first's,
 * whose field time_local is, through the memo or not; the second is a
 * field only.
 */
static void
test_second_time_local(void **state)
{
	static const struct line_case lines[] = {
		{ "[$time_local] [$time_local]", "[04/Dec/2026:14:37:17 +0000] [05/Dec/2026:14:37:17 +0000]",
		  { "time_local", "04/Dec/2026:14:37:17 +0000", NULL }, .time = T0 },
		{ NULL, "[04/Dec/2026:14:37:18 +0000] [04/Dec/2026:14:37:17 +0000]",
		  { "time_local", "04/Dec/2026:14:37:18 +0000", NULL }, .time = T0 + 1 },
		{ NULL, "[04/Dec/2026:14:37:17 +0000] [04/Dec/2026:14:37:18 +0000]",
		  { "time_local", "04/Dec/2026:14:37:17 +0000", NULL }, .time = T0 },
		{ NULL, "[-] [05/Dec/2026:14:37:17 +0000]", { "time_local", "", NULL }, .time = T_NONE },
	};

	(void)state;
	RUN(lines);
}

/* A line that could be split in very many ways is given up within the bound. */
static void
test_bounded_tries(void **state)
{
	static const struct line_case good = { NULL, "a b c d 200", { "status", "200", NULL }, .time = T_NONE };
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
	check_case(&good);
}

/* Every error says what is wrong and quotes the part of the format. */
static void
test_compile_errors(void **state)
{
	static const struct {
		const char *spec, *why;
	} cases[] = {
		{ "$remote_addr$remote_user [$time_local]",
		  "'$remote_addr$remote_user [$time_local]': two variables with nothing between them: no value "
		  "shape decides where $remote_addr ends and $remote_user starts (put text between them)" },
		{ "'$remote_addr' '$body_bytes_sent'",
		  "'$remote_addr$body_bytes_sent': two variables with nothing between them: no value shape "
		  "decides where $remote_addr ends and $body_bytes_sent starts (put text between them); "
		  "nginx.conf's quoted strings are joined without blanks" },
		{ "$host$remote_addr", "'$host$remote_addr': two variables with nothing between them: no value "
		  "shape decides where $host ends and $remote_addr starts (put text between them)" },
		/* a fixed width decides only when a literal or the line's end closes it */
		{ "$http_user_agent$status$body_bytes_sent", "'$http_user_agent$status$body_bytes_sent': two "
		  "variables with nothing between them: no value shape decides where $http_user_agent ends and "
		  "$status starts (put text between them)" },
		{ "$http_user_agent$body_bytes_sent x", "'$http_user_agent$body_bytes_sent x': two variables "
		  "with nothing between them: no value shape decides where $http_user_agent ends and "
		  "$body_bytes_sent starts (put text between them)" },
		{ "$body_bytes_sent$request_time", "'$body_bytes_sent$request_time': two variables with nothing "
		  "between them: no value shape decides where $body_bytes_sent ends and $request_time starts "
		  "(put text between them)" },
		{ "$scheme://$host$request_uri$is_args$args", "'$request_uri$is_args$args': two variables with "
		  "nothing between them: no value shape decides where $request_uri ends and $is_args starts "
		  "(put text between them)" },
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
	char why[300], many[64 * 8 + 16];
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

/*
 * A variable the format logs twice is written once, with its first value;
 * request's parts follow the variables when the request has three parts,
 * and are absent when it does not (the names found once still apply).
 */
static void
test_fields_json(void **state)
{
	(void)state;
	use("$remote_addr [$time_local] \"$request\" $status $body_bytes_sent $status \"$http_x_q\"");
	fields_json_is(true, parse("203.0.113.7 [04/Dec/2026:14:37:17 +0000] \"GET /a?b=\\x22 HTTP/1.1\" 502 17 200 \"t\\x09\\xC3\\xA9\""),
		       "{\"remote_addr\":\"203.0.113.7\",\"time_local\":\"04/Dec/2026:14:37:17 +0000\","
		       "\"request\":\"GET /a?b=\\\" HTTP/1.1\",\"status\":\"502\",\"body_bytes_sent\":\"17\","
		       "\"http_x_q\":\"t\\t\u00e9\",\"request_method\":\"GET\",\"request_uri\":\"/a?b=\\\"\","
		       "\"server_protocol\":\"HTTP/1.1\"}");
	fields_json_is(true, parse("203.0.113.7 [04/Dec/2026:14:37:17 +0000] \"-\" 400 0 - \"-\""),
		       "{\"remote_addr\":\"203.0.113.7\",\"time_local\":\"04/Dec/2026:14:37:17 +0000\","
		       "\"request\":\"\",\"status\":\"400\",\"body_bytes_sent\":\"0\",\"http_x_q\":\"\"}");
	/* escape=json: the names are the same; values decoded then written again */
	use("log_format j escape=json '{\"s\":\"$status\",\"u\":\"$request_uri\",\"s2\":\"$status\"}';");
	fields_json_is(true, parse("{\"s\":\"504\",\"u\":\"/x\\\"y\",\"s2\":\"504\"}"),
		       "{\"status\":\"504\",\"request_uri\":\"/x\\\"y\"}");
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_layouts, teardown),
		cmocka_unit_test_teardown(test_escapes, teardown),
		cmocka_unit_test_teardown(test_spec_forms, teardown),
		cmocka_unit_test_teardown(test_adjacent, teardown),
		cmocka_unit_test_teardown(test_families, teardown),
		cmocka_unit_test_teardown(test_misfits, teardown),
		cmocka_unit_test_teardown(test_time_memo, teardown),
		cmocka_unit_test_teardown(test_empty_time, teardown),
		cmocka_unit_test_teardown(test_second_time_local, teardown),
		cmocka_unit_test_teardown(test_bounded_tries, teardown),
		cmocka_unit_test_teardown(test_compile_errors, teardown),
		cmocka_unit_test_teardown(test_fields_json, teardown),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
