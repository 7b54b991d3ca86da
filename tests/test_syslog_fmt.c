/*
 * test_syslog_fmt: RFC 5424 / 3164 message layout, SD escaping, control
 * characters, the size cap keeping the JSON valid, RFC 6587 framing.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "output/syslog_fmt.h"
#include "util/severity.h"

struct fixture {
	struct fw_alert_msg msg;
	json_object *obj;
};

/* An alert shaped like the alert builder's, carrying the given line. */
static void
make_alert(struct fixture *f, const char *line, size_t line_len)
{
	json_object *wa = json_object_new_array(), *w = json_object_new_object();

	f->obj = json_object_new_object();
	json_object_object_add(f->obj, "schema", json_object_new_string("fixwatch.alert/1"));
	json_object_object_add(f->obj, "line", json_object_new_string_len(line, (int)line_len));
	json_object_object_add(f->obj, "truncated", json_object_new_boolean(0));
	json_object_object_add(f->obj, "id", json_object_new_string("aws/x"));
	json_object_object_add(f->obj, "root_cause", json_object_new_string(
		"The origin's certificate is expired, self-signed or for another name."));
	json_object_object_add(w, "action", json_object_new_string("Renew the certificate"));
	json_object_array_add(wa, w);
	json_object_object_add(f->obj, "workarounds", wa);
	json_object_object_add(f->obj, "count", json_object_new_int(1));
	memset(&f->msg, 0, sizeof f->msg);
	f->msg.json = (char *)json_object_to_json_string_ext(f->obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	f->msg.json_len = strlen(f->msg.json);
	f->msg.keys.id = (char *)"aws/x";
	f->msg.keys.domain = (char *)"aws";
	f->msg.keys.category = (char *)"network_error";
	f->msg.keys.input = (char *)"nginx";
	f->msg.keys.host = (char *)"web-1";
	f->msg.confidence = 0.86;
	f->msg.time.tv_sec = 1795420800;  /* 2026-11-23T08:00:00Z */
	f->msg.time.tv_nsec = 123000000;
	f->msg.count = 1;
	f->msg.severity = FW_SEVERITY_NONE;
}

/* The MSG part of a formatted RFC 5424 message: after "] " (SD present). */
static const char *
msg_part(const char *s)
{
	const char *p = strstr(s, "\"] ");

	assert_non_null(p);
	return p + 3;
}

static void
test_rfc5424_layout(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON,
					.procid = 42 };
	char *out;
	size_t len;
	char want[512];

	make_alert(&f, "upstream failed", 15);
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	snprintf(want, sizeof want,
		 "<28>1 2026-11-23T08:00:00.123Z web-1 fixwatch 42 alert [fixwatch@32473 id=\"aws/x\" "
		 "domain=\"aws\" category=\"network_error\" confidence=\"0.86\" input=\"nginx\" "
		 "count=\"1\"] %s", f.msg.json);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);

	/* A summary carries its own MSGID and count; NaN confidence is left out; no PROCID. */
	f.msg.count = 7;
	f.msg.confidence = NAN;
	p.procid = 0;
	p.hostname = "edge 2";
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_non_null(strstr(out, " edge_2 fixwatch - summary [fixwatch@32473 "));
	assert_null(strstr(out, "confidence="));
	assert_non_null(strstr(out, "count=\"7\"]"));
	free(out);
	json_object_put(f.obj);
}

static void
test_cee_cookie(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON,
					.cee = true };
	char *out;
	size_t len;

	make_alert(&f, "x", 1);
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_true(strncmp(msg_part(out), "@cee: {", 7) == 0);
	free(out);
	json_object_put(f.obj);
}

static void
test_sd_escaping(void **state)
{
	char buf[128];
	size_t n;

	/* RFC 5424 §6.3.3: '"', '\' and ']' get a backslash; nothing else does. */
	n = fw_syslog_sd_escape("a\"b\\c]d[e", buf, sizeof buf);
	assert_string_equal(buf, "a\\\"b\\\\c\\]d[e");
	assert_int_equal(n, strlen(buf));
	/* Control characters (C0, DEL, C1) and invalid UTF-8 become '?'; valid UTF-8 stays. */
	fw_syslog_sd_escape("x\x1b[31m\x7f\xc2\x9b\xff\xc3\xa9", buf, sizeof buf);
	assert_string_equal(buf, "x?[31m???\xc3\xa9");
	/* Overlong and truncated sequences are invalid too. */
	fw_syslog_sd_escape("\xc0\xaf|\xe2\x82", buf, sizeof buf);
	assert_string_equal(buf, "??|??");
	/* Like snprintf: the needed length is returned, the buffer stays terminated. */
	n = fw_syslog_sd_escape("]]]]", buf, 4);
	assert_int_equal(n, 8);
	assert_int_equal(strlen(buf), 3);
}

static void
test_sd_values_escaped_in_message(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON };
	char *out;
	size_t len;

	make_alert(&f, "x", 1);
	f.msg.keys.input = (char *)"in\"put]\\\n";
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_non_null(strstr(out, " input=\"in\\\"put\\]\\\\?\" "));
	assert_null(strchr(out, '\n'));
	free(out);
	json_object_put(f.obj);
}

static void
test_no_raw_control_characters(void **state)
{
	static const char line[] = "GET /\x1b]0;pwn\x07 \"q\" ]\\ \n next\r\x7f \xc2\x9b" "2J \xff end";
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON };
	json_object *parsed, *v;
	char *out;
	size_t len, i;

	make_alert(&f, line, sizeof line - 1);
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		assert_true(c >= 0x20 && c != 0x7f);
		if (c == 0xc2)
			assert_true((unsigned char)out[i + 1] >= 0xa0);
	}
	/* The JSON in MSG still parses back to the very same line. */
	parsed = json_tokener_parse(msg_part(out));
	assert_non_null(parsed);
	assert_true(json_object_object_get_ex(parsed, "line", &v));
	assert_int_equal(json_object_get_string_len(v), sizeof line - 1);
	assert_memory_equal(json_object_get_string(v), line, sizeof line - 1);
	json_object_put(parsed);
	free(out);
	json_object_put(f.obj);
}

static void
test_cap_cuts_line_keeps_json(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON,
					.cee = true };
	json_object *parsed, *v;
	char line[4000];
	char *out;
	size_t len, i, cap;

	/* Escapes and multi-byte characters make the serialized length differ from the raw one. */
	for (i = 0; i + 3 < sizeof line; i += 3)
		memcpy(line + i, i % 2 ? "\"\xc3\xa9" : "\x01\xc2\xa0", 3);
	line[i] = '\0';
	for (cap = FW_SYSLOG_MIN_BYTES; cap < 2000; cap += 37) {
		p.max_bytes = cap;
		make_alert(&f, line, strlen(line));
		assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
		assert_true(len <= cap);
		assert_int_equal(strlen(out), len);
		assert_true(strncmp(msg_part(out), "@cee: ", 6) == 0);
		parsed = json_tokener_parse(msg_part(out) + 6);
		assert_non_null(parsed);
		assert_true(json_object_object_get_ex(parsed, "truncated", &v));
		assert_true(json_object_get_boolean(v));
		assert_true(json_object_object_get_ex(parsed, "line", &v));
		/* A prefix of the original line, cut at a character boundary. */
		assert_true((size_t)json_object_get_string_len(v) < strlen(line));
		assert_memory_equal(json_object_get_string(v), line,
				    (size_t)json_object_get_string_len(v));
		json_object_put(parsed);
		free(out);
		json_object_put(f.obj);
	}
}

/*
 * The cut is measured in serialized bytes: a line of control bytes (six
 * bytes each once escaped) or of quotes (two) keeps as much of the line as
 * the cap allows, not nothing.
 */
static void
test_cap_counts_escaped_bytes(void **state)
{
	static const char fill[] = { '\x01', '"', '\x7f', 'a' };
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON,
					.max_bytes = 8192 };
	json_object *parsed, *v;
	char *line = malloc(65000), *out;
	size_t len, k;

	assert_non_null(line);
	for (k = 0; k < sizeof fill; k++) {
		memset(line, fill[k], 65000);
		make_alert(&f, line, 65000);
		assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
		assert_true(len <= 8192);
		/* Most of the cap goes to the line: the rest of the alert is a few hundred bytes. */
		assert_true(len > 8192 - 64);
		parsed = json_tokener_parse(msg_part(out));
		assert_non_null(parsed);
		assert_true(json_object_object_get_ex(parsed, "line", &v));
		assert_true(json_object_get_string_len(v) > 1000);
		assert_true(json_object_object_get_ex(parsed, "workarounds", NULL));
		json_object_put(parsed);
		free(out);
		json_object_put(f.obj);
	}
	free(line);
}

static void
test_cap_drops_bulky_fields_last(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON,
					.max_bytes = FW_SYSLOG_MIN_BYTES };
	json_object *parsed, *v;
	char big[2000];
	char *out;
	size_t len;

	make_alert(&f, "short line", 10);
	memset(big, 'r', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	json_object_object_add(f.obj, "root_cause", json_object_new_string(big));
	f.msg.json = (char *)json_object_to_json_string_ext(f.obj, JSON_C_TO_STRING_PLAIN);
	f.msg.json_len = strlen(f.msg.json);
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_true(len <= FW_SYSLOG_MIN_BYTES);
	parsed = json_tokener_parse(msg_part(out));
	assert_non_null(parsed);
	assert_false(json_object_object_get_ex(parsed, "root_cause", NULL));
	assert_true(json_object_object_get_ex(parsed, "id", &v));
	assert_string_equal(json_object_get_string(v), "aws/x");
	json_object_put(parsed);
	free(out);

	p.max_bytes = 100;
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), -EINVAL);
	json_object_put(f.obj);
}

static void
test_rfc3164_layout(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC3164, .facility = FW_FACILITY_DAEMON,
					.procid = 7 };
	char *out, want[64];
	size_t len;

	setenv("TZ", "UTC", 1);
	tzset();
	make_alert(&f, "x", 1);
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	snprintf(want, sizeof want, "<28>Nov 23 08:00:00 web-1 fixwatch[7]: {");
	assert_true(strncmp(out, want, strlen(want)) == 0);
	assert_string_equal(out + strlen(want) - 1, f.msg.json);
	free(out);
	f.msg.time.tv_sec -= 22 * 86400;  /* Nov 1: the day is padded with a space */
	p.procid = 0;
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_true(strncmp(out, "<28>Nov  1 08:00:00 web-1 fixwatch: {", 37) == 0);
	free(out);
	json_object_put(f.obj);
}

/* PRI = facility * 8 + the alert's severity; warning when it states none. */
static void
test_pri_from_severity(void **state)
{
	struct fixture f;
	struct fw_syslog_params p = { .format = FW_FORMAT_RFC5424, .facility = FW_FACILITY_DAEMON };
	char *out, want[16];
	size_t len;

	(void)state;
	make_alert(&f, "x", 1);
	for (int sev = 0; sev < FW_SEVERITY_COUNT; sev++) {
		f.msg.severity = sev;
		assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
		snprintf(want, sizeof want, "<%d>1 ", 24 + sev);
		assert_memory_equal(out, want, strlen(want));
		free(out);
	}
	f.msg.severity = 2;     /* crit */
	p.facility = 19;        /* local3 */
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_memory_equal(out, "<154>1 ", 7);
	free(out);
	p.format = FW_FORMAT_RFC3164;
	f.msg.severity = FW_SEVERITY_NONE;
	p.facility = 23;        /* local7 */
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), 0);
	assert_memory_equal(out, "<188>", 5);
	free(out);
	p.facility = 24;
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), -EINVAL);
	p.facility = -1;
	assert_int_equal(fw_syslog_format(&p, &f.msg, &out, &len), -EINVAL);
	json_object_put(f.obj);
}

static void
test_framing(void **state)
{
	char *buf = strdup("<28>1 - - - - - - {}");
	size_t len = strlen(buf);

	assert_int_equal(fw_syslog_frame(FW_FRAMING_OCTET_COUNTING, &buf, &len), 0);
	assert_string_equal(buf, "20 <28>1 - - - - - - {}");
	assert_int_equal(len, 23);
	free(buf);
	buf = strdup("abc");
	len = 3;
	assert_int_equal(fw_syslog_frame(FW_FRAMING_LF, &buf, &len), 0);
	assert_string_equal(buf, "abc\n");
	assert_int_equal(len, 4);
	free(buf);
}

static void
test_json_sanitize(void **state)
{
	size_t n;
	char *s = fw_syslog_json_sanitize("{\"a\":\"\x7f\xc2\x85\xc2\xa0\"}", 13, &n);

	assert_string_equal(s, "{\"a\":\"\\u007f\\u0085\xc2\xa0\"}");
	assert_int_equal(n, strlen(s));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc5424_layout),
		cmocka_unit_test(test_cee_cookie),
		cmocka_unit_test(test_sd_escaping),
		cmocka_unit_test(test_sd_values_escaped_in_message),
		cmocka_unit_test(test_no_raw_control_characters),
		cmocka_unit_test(test_cap_cuts_line_keeps_json),
		cmocka_unit_test(test_cap_counts_escaped_bytes),
		cmocka_unit_test(test_cap_drops_bulky_fields_last),
		cmocka_unit_test(test_rfc3164_layout),
		cmocka_unit_test(test_pri_from_severity),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_json_sanitize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
