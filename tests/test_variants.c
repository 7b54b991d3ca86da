/*
 * test_variants: the lines `fixwatch test` derives from an example
 * (variants.c) and the longest-matching-prefix diagnostic
 * (pattern_prefix.c): each variant is made only where the example has the
 * part, prefixes follow the example's shape and the record's logs, numbers
 * that are the signature stay, and the diagnostic names the atom where a
 * pattern stops.
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

#include "cli/pattern_prefix.h"
#include "cli/variants.h"
#include "testutil.h"

struct got {
	char *line[FW_VAR_N];
	int n;
};

static void
collect(void *arg, enum fw_variant_kind kind, const char *line)
{
	struct got *g = arg;

	assert_null(g->line[kind]);     /* one variant of a kind per example */
	g->line[kind] = tu_fmt("%s", line);
	g->n++;
}

/* The variants of rec 0's example i in a one-record KB. */
static struct got
variants_of(const char *record, uint32_t i)
{
	const char *lines[] = { record };
	struct fw_kb *kb = tu_kb_from_lines("r.jsonl", lines, 1, true);
	struct fw_variants *v;
	struct got g = { { NULL }, 0 };
	int n;

	assert_int_equal(fw_variants_new(&v), 0);
	n = fw_variants_each(v, kb, &kb->records[0], kb->records[0].examples.items[i], collect, &g);
	assert_int_equal(n, g.n);
	fw_variants_free(v);
	fw_kb_free(kb);
	return g;
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(fw_variant_name(FW_VAR_IPV6_FULL), "ipv6-full");
	assert_string_equal(fw_variant_name(FW_VAR_DOCKER), "docker-json");
	assert_null(fw_variant_name(FW_VAR_N));
}

static void
test_syslog_shape(void **state)
{
	struct got g = variants_of("{'id':'sshd/x','signature':'s','regex':'Failed password for','examples':["
				   "'Nov 23 08:04:01 web-1 sshd[23190]: Failed password for root from 203.0.113.77 "
				   "port 52010 ssh2']}", 0);

	(void)state;
	assert_string_equal(g.line[FW_VAR_IPV6_FULL], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password for root "
			    "from 2001:0db8:0000:0000:0000:0000:cb00:714d port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_IPV6_COMPRESSED], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password "
			    "for root from 2001:db8::cb00:714d port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_IPV4_MAPPED], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password for "
			    "root from ::ffff:203.0.113.77 port 52010 ssh2");
	assert_null(g.line[FW_VAR_IPV4]);
	/* The port changes; the header is left to the prefix variants. */
	assert_string_equal(g.line[FW_VAR_NUMBERS], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password for root "
			    "from 203.0.113.77 port 97565 ssh2");
	assert_string_equal(g.line[FW_VAR_NO_PORT], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password for root "
			    "from 203.0.113.77 ssh2");
	assert_string_equal(g.line[FW_VAR_PREAUTH], "Nov 23 08:04:01 web-1 sshd[23190]: Failed password for root "
			    "from 203.0.113.77 port 52010 ssh2 [preauth]");
	assert_null(g.line[FW_VAR_NO_PREAUTH]);
	assert_string_equal(g.line[FW_VAR_RFC3164], "Dec  4 10:00:00 web-1 sshd[23190]: Failed password for root "
			    "from 203.0.113.77 port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_RFC5424], "<27>1 2026-12-04T10:00:00.000Z web-1 sshd 23190 - - Failed "
			    "password for root from 203.0.113.77 port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_JOURNAL_SHORT], "Dec 04 10:00:00 web-1 sshd[23190]: Failed password for "
			    "root from 203.0.113.77 port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_JOURNAL_ISO], "2026-12-04T10:00:00+0000 web-1 sshd[23190]: Failed "
			    "password for root from 203.0.113.77 port 52010 ssh2");
	assert_string_equal(g.line[FW_VAR_JOURNAL_MESSAGE], "Failed password for root from 203.0.113.77 port "
			    "52010 ssh2");
	/* A syslog message is not a line a program writes to stderr itself. */
	assert_null(g.line[FW_VAR_DOCKER]);
}

static void
test_own_prefix_and_docker(void **state)
{
	struct got g = variants_of("{'id':'nginx/x','signature':'s','regex':'upstream timed out','examples':["
				   "'2026/11/23 08:32:10 [error] 2231#2231: *48600 upstream timed out (110: "
				   "Connection timed out), client: 10.0.0.5, request: \\\"GET /a?x=<1>&y HTTP/1.1\\\"']}", 0);

	(void)state;
	for (int k = FW_VAR_RFC3164; k <= FW_VAR_JOURNAL_MESSAGE; k++)
		assert_null(g.line[k]);
	assert_string_equal(g.line[FW_VAR_DOCKER],
			    "{\"log\":\"2026/11/23 08:32:10 [error] 2231#2231: *48600 upstream timed out (110: "
			    "Connection timed out), client: 10.0.0.5, request: \\\"GET /a?x=\\u003c1\\u003e\\u0026y "
			    "HTTP/1.1\\\"\\n\",\"stream\":\"stderr\",\"time\":\"2026-12-04T10:00:00.000000000Z\"}");
	/* pid#tid and the connection number change; errno 110 and the date do not. */
	assert_string_equal(g.line[FW_VAR_NUMBERS], "2026/11/23 08:32:10 [error] 6786#6786: *83155 upstream timed "
			    "out (110: Connection timed out), client: 10.0.0.5, request: \"GET /a?x=<1>&y HTTP/1.1\"");
	assert_null(g.line[FW_VAR_NO_PORT]);
	assert_null(g.line[FW_VAR_PREAUTH]);
	/* nginx writes a Referer header last, after the request context. */
	assert_string_equal(g.line[FW_VAR_REFERRER], "2026/11/23 08:32:10 [error] 2231#2231: *48600 upstream timed "
			    "out (110: Connection timed out), client: 10.0.0.5, request: \"GET /a?x=<1>&y HTTP/1.1\", "
			    "referrer: \"https://www.example.org/blog/post-1?ref=feed\"");
}

static void
test_referrer_only_after_context(void **state)
{
	/* A referrer already there, no request context, or a line that ends elsewhere: no variant. */
	static const char *const examples[] = {
		"'2026/11/23 08:32:10 [error] 2231#2231: *1 open() \\\"/srv/a\\\" failed (2: No such file or "
		"directory), client: 10.0.0.5, request: \\\"GET /a HTTP/1.1\\\", referrer: \\\"http://a.example/\\\"'",
		"'2026/11/23 08:32:10 [emerg] 2231#2231: open() \\\"/etc/nginx/x.conf\\\" failed (2: No such file)'",
		"'2026/11/23 08:32:10 [error] 2231#2231: *1 upstream timed out, client: 10.0.0.5, request: "
		"\\\"GET /a HTTP/1.1\\\" while reading'",
	};

	(void)state;
	for (size_t i = 0; i < sizeof examples / sizeof *examples; i++) {
		struct got g = variants_of(tu_fmt("{'id':'nginx/x','signature':'s','regex':'failed|timed','examples':[%s]}",
						  examples[i]), 0);

		assert_null(g.line[FW_VAR_REFERRER]);
	}
}

static void
test_bare_and_logs(void **state)
{
	struct got g = variants_of("{'id':'tls/x','signature':'s','regex':'certificate verify failed',"
				   "'examples':['curl: (60) SSL certificate problem: certificate verify failed']}", 0);
	struct got h = variants_of("{'id':'tls/x','signature':'s','regex':'certificate verify failed',"
				   "'logs':['plain'],"
				   "'examples':['curl: (60) SSL certificate problem: certificate verify failed']}", 0);

	(void)state;
	/* A bare message gets every prefix, with the domain as the program. */
	assert_string_equal(g.line[FW_VAR_RFC3164], "Dec  4 10:00:00 web-1 tls[4321]: curl: (60) SSL certificate "
			    "problem: certificate verify failed");
	assert_non_null(g.line[FW_VAR_DOCKER]);
	assert_null(g.line[FW_VAR_JOURNAL_MESSAGE]);    /* it is the message already */
	/* "(60)" is not a count: it is followed by ':' */
	assert_null(g.line[FW_VAR_NUMBERS]);
	/* logs: plain only: no syslog header, no Docker JSON. */
	assert_int_equal(h.n, 0);
}

static void
test_numbers_in_pattern_stay(void **state)
{
	struct got g = variants_of("{'id':'x/y','signature':'s','regex':'after 3 attempts',"
				   "'examples':['gave up after 3 attempts (12 bytes) pid 77']}", 0);

	(void)state;
	assert_string_equal(g.line[FW_VAR_NUMBERS], "gave up after 3 attempts (57 bytes) pid 22");
}

static void
test_ipv6_to_ipv4_and_structured(void **state)
{
	struct got g = variants_of("{'id':'sshd/y','signature':'s','regex':'drop connection','examples':["
				   "'drop connection #27 from [2001:db8:4::9]:40022 on [::1]:22 past MaxStartups "
				   "[preauth]']}", 0);
	struct got t = variants_of("{'id':'aws/t','signature':'s','regex':'Error','examples':["
				   "'2026-11-23\\t08:10:00\\t203.0.113.7\\tError']}", 0);

	(void)state;
	assert_string_equal(g.line[FW_VAR_IPV4], "drop connection #27 from [192.0.2.10]:40022 on [192.0.2.11]:22 "
			    "past MaxStartups [preauth]");
	assert_null(g.line[FW_VAR_IPV6_FULL]);
	assert_string_equal(g.line[FW_VAR_NO_PREAUTH], "drop connection #27 from [2001:db8:4::9]:40022 on [::1]:22 "
			    "past MaxStartups");
	/* A tab-separated line gets its address changed, never a prefix. */
	assert_string_equal(t.line[FW_VAR_IPV6_COMPRESSED], "2026-11-23\t08:10:00\t2001:db8::cb00:7107\tError");
	for (int k = FW_VAR_RFC3164; k < FW_VAR_N; k++)
		assert_null(t.line[k]);
}

static void
test_not_addresses(void **state)
{
	struct got g = variants_of("{'id':'x/z','signature':'s','regex':'routines','examples':["
				   "'error:0A000086:SSL routines::certificate verify failed at 08:32:10 v1.2.3.4.5']}", 0);

	(void)state;
	assert_null(g.line[FW_VAR_IPV4]);
	assert_null(g.line[FW_VAR_IPV6_FULL]);
	assert_null(g.line[FW_VAR_NUMBERS]);
}

/* ---- pattern_prefix --------------------------------------------------- */

static struct fw_prefix_result
prefix(const char *pattern, const char *line)
{
	struct fw_prefix_result r;

	assert_int_equal(fw_pattern_prefix(pattern, PCRE2_UTF, line, strlen(line), &r), 0);
	return r;
}

static void
test_prefix(void **state)
{
	struct fw_prefix_result r;
	const char *p = "from (?<client>\\d+\\.\\d+\\.\\d+\\.\\d+) port \\d+";

	(void)state;
	r = prefix(p, "refused from 2001:db8::1 port 22");
	assert_true(r.matched);
	/* "(?<client>\d+" matches "2001"; "\." is where it stops. */
	assert_string_equal(p + r.pattern_len, "\\.\\d+\\.\\d+\\.\\d+) port \\d+");
	assert_int_equal(r.line_end, strlen("refused from 2001"));
	r = prefix(p, "refused from 10.0.0.1 port 22");
	assert_int_equal(r.pattern_len, strlen(p));
	r = prefix("zz", "abc");
	assert_false(r.matched);
	/* Classes with ']' and escaped characters, quantifiers, alternations. */
	p = "a[]x]{2,3}?\\Qb|c\\E(?:d|e)+(?i)F\\x{41}";
	r = prefix(p, "-a]]b|cdef-");
	assert_string_equal(p + r.pattern_len, "\\x{41}");
	r = prefix(p, "-a]]b|c-");
	assert_string_equal(p + r.pattern_len, "(?:d|e)+(?i)F\\x{41}");
	/* A prefix never ends on an empty alternative. */
	r = prefix("abc|xyz", "zzz");
	assert_false(r.matched);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_syslog_shape, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_own_prefix_and_docker, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_referrer_only_after_context, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_bare_and_logs, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_numbers_in_pattern_stay, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_to_ipv4_and_structured, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_not_addresses, tu_setup, tu_teardown),
		cmocka_unit_test(test_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
