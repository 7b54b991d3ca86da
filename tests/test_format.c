/*
 * test_format: the line formats (daemon/input/format*.c). For each format:
 * the fields and the event time of good lines, and lines that must not
 * parse (returned as FW_PARSE_BAD with a reason, the text intact, so they
 * are still matched as plain text). W3C field lists per source, changing
 * between files; auto's choices; the files plain recognises; the timestamp parsers at their edges.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "input/format.h"
#include "input/format_int.h"
#include "input/format_match.h"
#include "core/jsonw.h"
#include "input/format_multiline.h"
#include "format_check.h"

static struct fw_parsed parsed;
static struct fw_format_parser *fp;
/* 2026-12-04T14:37:17Z, the "read time" of every test */
static const struct timespec now = { .tv_sec = 1796395037 };

static const struct fw_parsed *
parse(enum fw_line_format format, const char *source, const char *line)
{
	if (!fp || fw_format_parser_format(fp) != format) {
		fw_format_parser_free(fp);
		assert_int_equal(fw_format_parser_new(format, 4096, &fp), 0);
	}
	fw_format_parse(fp, source, line, strlen(line), &now, &parsed);
	/* never lost: the text to match is the line's bytes */
	assert_int_equal(parsed.len, strlen(line));
	assert_memory_equal(parsed.text, line, parsed.len);
	assert_true(parsed.extent >= parsed.len);
	return &parsed;
}

static void
time_is(const struct fw_parsed *p, time_t sec, long ms)
{
	assert_true(p->has_time);
	assert_int_equal(p->time.tv_sec, sec);
	assert_int_equal(p->time.tv_nsec / 1000000, ms);
}

static int
teardown(void **state)
{
	(void)state;
	fw_format_parser_free(fp);
	fp = NULL;
	return 0;
}

/* ---- plain ----------------------------------------------------------- */

static void
test_plain(void **state)
{
	(void)state;
	const struct fw_parsed *p = parse(FW_LINE_PLAIN, "a.log", "anything at all");

	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	assert_false(p->has_time);
}

/* ---- w3c ------------------------------------------------------------- */

static void
test_w3c_fields_by_header(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	p = parse(FW_LINE_W3C, "a.gz", "#Version: 1.0");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_W3C, "a.gz", "#Fields: date time sc-status cs-uri-stem cs(User-Agent) x-edge-detailed-result-type");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_W3C, "a.gz",
		  "2026-11-23\t08:10:00.250\t502\t/a%20b\tcurl/8.0%2520x\tOriginConnectError");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->n_fields, 6);
	field_is(p, "sc-status", "502");
	field_is(p, "cs-uri-stem", "/a b");
	/* decoded once: what the client sent */
	field_is(p, "cs(User-Agent)", "curl/8.0%20x");
	field_is(p, "x-edge-detailed-result-type", "OriginConnectError");
	time_is(p, 1795421400, 250);

	/* another file, other fields in another order: by name, never by position */
	parse(FW_LINE_W3C, "b.gz", "#Fields: x-edge-detailed-result-type sc-status time date x-new");
	p = parse(FW_LINE_W3C, "b.gz", "OriginDnsError\t504\t09:00:00\t2026-11-24\t-");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "sc-status", "504");
	field_is(p, "x-new", "");
	no_field(p, "cs-uri-stem");
	time_is(p, 1795510800, 0);

	/* a.gz keeps its own header */
	p = parse(FW_LINE_W3C, "a.gz", "2026-11-23\t08:10:01\t200\t/\t-\tHit");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "x-edge-detailed-result-type", "Hit");
	field_is(p, "cs(User-Agent)", "");

	/* IIS: blank-separated when the line has no TAB */
	parse(FW_LINE_W3C, "iis.log", "#Fields: date time s-ip cs-method sc-status");
	p = parse(FW_LINE_W3C, "iis.log", "2026-11-23 08:10:00 10.0.0.1 GET 503");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "sc-status", "503");
}

static void
test_w3c_bad_lines(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	p = parse(FW_LINE_W3C, "none.gz", "2026-11-23\t08:10:00\t502");
	assert_int_equal(p->status, FW_PARSE_BAD);
	assert_non_null(strstr(p->why, "#Fields"));
	assert_int_equal(p->n_fields, 0);

	parse(FW_LINE_W3C, "a.gz", "#Fields: date time sc-status");
	p = parse(FW_LINE_W3C, "a.gz", "2026-11-23\t08:10:00");
	assert_int_equal(p->status, FW_PARSE_BAD);
	assert_non_null(strstr(p->why, "fewer"));
	assert_int_equal(p->n_fields, 0);
	p = parse(FW_LINE_W3C, "a.gz", "2026-11-23\t08:10:00\t502\textra");
	assert_int_equal(p->status, FW_PARSE_BAD);
	assert_non_null(strstr(p->why, "more"));
	p = parse(FW_LINE_W3C, "a.gz", "");
	assert_int_equal(p->status, FW_PARSE_BAD);
	/* a bad time is a field without an event time, not a bad line */
	p = parse(FW_LINE_W3C, "a.gz", "2026-13-23\t08:10:00\t502");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_false(p->has_time);
	/* a '#' line that is no directive is still a header in a w3c input */
	p = parse(FW_LINE_W3C, "a.gz", "#whatever");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	/* %XX at the end, or not hex, stays as written */
	parse(FW_LINE_W3C, "c.gz", "#Fields: a b");
	p = parse(FW_LINE_W3C, "c.gz", "x%2\t%zz%41");
	field_is(p, "a", "x%2");
	field_is(p, "b", "%zzA");
}

static char *
temp_file(const char *content)
{
	char *path = strdup("/tmp/fw-test-w3c-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

/*
 * plain keeps what it saw of every source, however many files an input
 * follows and in whatever order their lines come: each is looked at once.
 */
static void
test_plain_many_sources(void **state)
{
	static const char access[] =
		"203.0.113.9 - - [23/Nov/2026:08:00:00 +0000] \"GET /x HTTP/1.1\" 502 157 \"-\" \"curl/8.0\"";
	enum { SOURCES = 40 };
	const struct fw_parsed *p;
	char name[32];

	(void)state;
	/* even sources start as text, odd ones as access logs */
	for (int i = 0; i < SOURCES; i++) {
		snprintf(name, sizeof name, "site%d/access.log", i);
		p = parse(FW_LINE_PLAIN, name, i % 2 ? access : "upstream timed out");
		assert_int_equal(p->format, i % 2 ? FW_LINE_COMBINED : FW_LINE_PLAIN);
	}
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < SOURCES; i++) {
			snprintf(name, sizeof name, "site%d/access.log", i);
			p = parse(FW_LINE_PLAIN, name, access);
			assert_int_equal(p->format, i % 2 ? FW_LINE_COMBINED : FW_LINE_PLAIN);
			assert_int_equal(p->n_fields ? 1 : 0, i % 2);
		}
	}
	assert_int_equal(fp->plain_detections, SOURCES);

	/* past the bound the table starts again: a source is then looked at once more */
	for (int i = SOURCES; i < FW_PLAIN_SOURCES_MAX; i++) {
		snprintf(name, sizeof name, "site%d/access.log", i);
		parse(FW_LINE_PLAIN, name, "x");
	}
	parse(FW_LINE_PLAIN, "site0/access.log", access);
	assert_int_equal(fp->plain_detections, FW_PLAIN_SOURCES_MAX);
	assert_int_equal(fp->plain_n, FW_PLAIN_SOURCES_MAX);
	parse(FW_LINE_PLAIN, "one more", "x");
	assert_int_equal(fp->plain_n, 1);
	p = parse(FW_LINE_PLAIN, "site0/access.log", access);
	assert_int_equal(fp->plain_detections, FW_PLAIN_SOURCES_MAX + 2);
	assert_int_equal(p->format, FW_LINE_COMBINED);      /* its first line seen now */
}

/* plain recognises a source by the first line it sees of it, and only then */
static void
test_plain_recognises(void **state)
{
	(void)state;
	static const char access[] =
		"203.0.113.9 - - [23/Nov/2026:08:00:00 +0000] \"GET /x HTTP/1.1\" 502 157 \"-\" \"curl/8.0\"";
	static const char forged[] =
		"203.0.113.9 - - [23/Nov/2026:08:00:01 +0000] \"GET /y HTTP/1.1\" 200 9 \"-\" "
		"\"upstream timed out (110: Connection timed out)\"";
	static const char error[] = "2026/11/23 08:00:05 [error] 1#1: *5 upstream timed out (110: x)";
	char *resumed = temp_file("#Version: 1.0\n#Fields: date time sc-status\n2026-11-23\t08:10:00\t200\n");
	const struct fw_parsed *p;
	char name[32];

	/* a W3C file: its header, then its lines by the header's names */
	p = parse(FW_LINE_PLAIN, "E1.gz", "#Version: 1.0");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_PLAIN, "E1.gz", "#Fields: date time sc-status x-edge-detailed-result-type");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_PLAIN, "E1.gz", "2026-11-23\t08:10:00\t502\tOriginCommError");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_W3C);
	field_is(p, "x-edge-detailed-result-type", "OriginCommError");
	time_is(p, 1795421400, 0);
	/* an access log: every line of it, and a line that does not fit is plain, not bad */
	p = parse(FW_LINE_PLAIN, "access.log", access);
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_COMBINED);
	field_is(p, "status", "502");
	p = parse(FW_LINE_PLAIN, "access.log", forged);
	assert_int_equal(p->format, FW_LINE_COMBINED);
	field_is(p, "status", "200");
	p = parse(FW_LINE_PLAIN, "access.log", "not an access-log line");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->format, FW_LINE_PLAIN);
	assert_null(p->why);
	/* the error log stays plain, even for a line that looks like an access log's */
	p = parse(FW_LINE_PLAIN, "error.log", error);
	assert_int_equal(p->format, FW_LINE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	p = parse(FW_LINE_PLAIN, "error.log", access);
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	/* nginx's error log: plain text, no fields, with its line's local time (the tests' TZ is UTC) */
	p = parse(FW_LINE_PLAIN, "err.log", "2026/11/23 08:00:05 [error] 1#1: *5 upstream timed out");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	time_is(p, 1795420805, 0);
	/* ...recognised as such, so the unknown/<log> check reads only its level word (unknown.h) */
	assert_true(p->nginx_error);
	p = parse(FW_LINE_PLAIN, "err.log", "PHP message: a continuation line");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_false(p->has_time);
	assert_false(p->nginx_error);
	p = parse(FW_LINE_PLAIN, "err.log", "2026/13/23 08:00:05 [error] no such month");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_false(p->nginx_error);
	/* a '#' line that is no W3C directive is plain text */
	p = parse(FW_LINE_PLAIN, "notes.log", "# 2026-11-23 backup done");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	p = parse(FW_LINE_PLAIN, "notes.log", "2026-11-23\t08:10:00\t502");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	/* a file resumed after its header: the header is read from the file */
	p = parse(FW_LINE_PLAIN, resumed, "2026-11-23\t08:10:05\t504");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->format, FW_LINE_W3C);
	field_is(p, "sc-status", "504");
	/* a stream: its first line decides too */
	p = parse(FW_LINE_PLAIN, NULL, "#Fields: date time sc-status");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_PLAIN, NULL, "2026-11-23 08:10:00 503");
	field_is(p, "sc-status", "503");
	/* more sources than are remembered: each still decided by its own lines */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 3 * FW_W3C_SOURCES; i++) {
			snprintf(name, sizeof name, "s%d.log", i);
			p = parse(FW_LINE_PLAIN, name, i % 2 ? access : error);
			assert_int_equal(p->format, i % 2 ? FW_LINE_COMBINED : FW_LINE_PLAIN);
			assert_int_equal(p->n_fields != 0, i % 2);
		}
	unlink(resumed);
	free(resumed);
}

/*
 * A file read from its middle (a restart resumes after the header): its
 * #Fields are read from the start of the file, once; a file without them
 * is not read again for every line.
 */
static void
test_w3c_resumed(void **state)
{
	(void)state;
	const struct fw_parsed *p;
	char *path = temp_file("#Version: 1.0\r\n#Fields: date time sc-status x-edge-detailed-result-type\r\n"
			       "2026-11-23\t08:10:00\t200\tHit\r\n");
	char *none = temp_file("2026-11-23\t08:10:00\t200\tHit\n");
	enum fw_line_format formats[] = { FW_LINE_W3C, FW_LINE_AUTO };
	int fd;

	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		fw_format_parser_free(fp);
		fp = NULL;
		p = parse(formats[i], path, "2026-11-23\t08:10:05\t502\tOriginConnectError");
		assert_int_equal(p->status, FW_PARSE_OK);
		assert_int_equal(p->format, FW_LINE_W3C);
		field_is(p, "sc-status", "502");
		field_is(p, "x-edge-detailed-result-type", "OriginConnectError");
		time_is(p, 1795421405, 0);
		p = parse(formats[i], none, "2026-11-23\t08:10:05\t502\tOriginConnectError");
		assert_int_equal(p->status, formats[i] == FW_LINE_W3C ? FW_PARSE_BAD : FW_PARSE_PLAIN);
	}
	/* remembered as without a header: not read again for the next line */
	fw_format_parser_free(fp);
	fp = NULL;
	p = parse(FW_LINE_W3C, none, "1\t2\t3\t4");
	assert_int_equal(p->status, FW_PARSE_BAD);
	fd = open(none, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "#Fields: a b c d\n", 17), 17);
	close(fd);
	p = parse(FW_LINE_W3C, none, "1\t2\t3\t4");
	assert_int_equal(p->status, FW_PARSE_BAD);
	/* a stream has no start to read */
	p = parse(FW_LINE_W3C, NULL, "1\t2\t3\t4");
	assert_int_equal(p->status, FW_PARSE_BAD);
	unlink(path);
	unlink(none);
	free(path);
	free(none);
}

/*
 * The header of a resumed file is read through the descriptor its lines
 * come from: a file renamed over the name meanwhile (a sync tool replacing
 * it) cannot lend its #Fields, and the reader's offset stays where it was.
 */
static void
test_w3c_resumed_through_fd(void **state)
{
	(void)state;
	char *path = temp_file("#Fields: date time sc-status x-edge-detailed-result-type\n"
			       "2026-11-23\t08:10:00\t200\tHit\n");
	char *other = temp_file("#Fields: x-edge-detailed-result-type sc-status time date\n");
	static const char line[] = "2026-11-23\t08:10:05\t502\tOriginConnectError";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t at;

	assert_true(fd >= 0);
	at = lseek(fd, 30, SEEK_SET);       /* a reader in the middle of the file */
	assert_int_equal(at, 30);
	assert_int_equal(rename(other, path), 0);
	for (int by_fd = 1; by_fd >= 0; by_fd--) {
		fw_format_parser_free(fp);
		assert_int_equal(fw_format_parser_new(FW_LINE_W3C, 4096, &fp), 0);
		fw_format_parse_fd(fp, path, by_fd ? fd : -1, line, strlen(line), &now, &parsed);
		assert_int_equal(parsed.status, FW_PARSE_OK);
		if (by_fd) {
			field_is(&parsed, "sc-status", "502");
			field_is(&parsed, "x-edge-detailed-result-type", "OriginConnectError");
			time_is(&parsed, 1795421405, 0);
			assert_int_equal(lseek(fd, 0, SEEK_CUR), at);
		} else {
			/* by the name: the other file's order (what the descriptor prevents) */
			field_is(&parsed, "sc-status", "08:10:05");
		}
	}
	close(fd);
	unlink(path);
	free(path);
	free(other);
}

/*
 * A gzip file (CloudFront's) resumed after its header: the header is read
 * from the text it decompresses to, through its descriptor or by name.
 */
static void
test_w3c_resumed_compressed(void **state)
{
	(void)state;
	char *path = temp_file("");
	static const char line[] = "2026-11-23\t08:10:05\t502\tOriginConnectError";
	gzFile gz = gzopen(path, "wb9");
	int fd;

	assert_non_null(gz);
	assert_true(gzputs(gz, "#Version: 1.0\n#Fields: date time sc-status x-edge-detailed-result-type\n") > 0);
	for (int i = 0; i < 2000; i++)
		assert_true(gzputs(gz, "2026-11-23\t08:10:00\t200\tHit\n") > 0);
	assert_int_equal(gzclose(gz), Z_OK);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	for (int by_fd = 1; by_fd >= 0; by_fd--) {
		fw_format_parser_free(fp);
		assert_int_equal(fw_format_parser_new(FW_LINE_W3C, 4096, &fp), 0);
		fw_format_parse_fd(fp, path, by_fd ? fd : -1, line, strlen(line), &now, &parsed);
		assert_int_equal(parsed.status, FW_PARSE_OK);
		field_is(&parsed, "x-edge-detailed-result-type", "OriginConnectError");
		time_is(&parsed, 1795421405, 0);
	}
	close(fd);
	unlink(path);
	free(path);
}

/* More sources than remembered: the least recently used one is forgotten. */
static void
test_w3c_sources_bounded(void **state)
{
	(void)state;
	char src[32];
	const struct fw_parsed *p;

	for (int i = 0; i <= FW_W3C_SOURCES; i++) {
		snprintf(src, sizeof src, "f%d.gz", i);
		parse(FW_LINE_W3C, src, "#Fields: a");
		if (i == 0)
			continue;
		p = parse(FW_LINE_W3C, "f0.gz", "kept-busy");
		if (i == FW_W3C_SOURCES)
			break;
		assert_int_equal(p->status, FW_PARSE_OK);
	}
	/* f0 was used last before f16 came: f1 went */
	p = parse(FW_LINE_W3C, "f1.gz", "x");
	assert_int_equal(p->status, FW_PARSE_BAD);
	p = parse(FW_LINE_W3C, "f16.gz", "x");
	assert_int_equal(p->status, FW_PARSE_OK);
}

/*
 * File "wide": a #Fields header of n names f0, f1, ... (the last one f0
 * again when last_repeats), then its line of values v0, v1, ...: that line
 * as parsed.
 */
static const struct fw_parsed *
parse_wide(int n, bool last_repeats)
{
	char header[2048] = "#Fields:", line[2048] = "";

	for (int i = 0; i < n; i++) {
		char w[16];

		snprintf(w, sizeof w, " f%d", last_repeats && i == n - 1 ? 0 : i);
		strcat(header, w);
		snprintf(w, sizeof w, "%sv%d", i ? "\t" : "", i);
		strcat(line, w);
	}
	parse(FW_LINE_W3C, "wide", header);
	return parse(FW_LINE_W3C, "wide", line);
}

static void
test_w3c_many_fields(void **state)
{
	(void)state;
	const struct fw_parsed *p = parse_wide(FW_FIELDS_MAX + 6, false);

	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->n_fields, FW_FIELDS_MAX);
	assert_int_equal(p->n_dropped, 6);
	field_is(p, "f63", "v63");
}

/* A name a #Fields header repeats is written once, with its first value
 * (the header's duplicates are found once, not on every line). */
static void
test_w3c_duplicate_names(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	parse(FW_LINE_W3C, "d.gz", "#Fields: date time sc-status x-a sc-status x-b x-a x-a");
	p = parse(FW_LINE_W3C, "d.gz", "2026-11-23\t08:10:00\t502\ta1\t503\tb\ta2\ta3");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->n_fields, 8);
	assert_true(p->dups_known);
	assert_int_equal(p->name_dups, 1u << 4 | 1u << 6 | 1u << 7);
	fields_json_is(true, p, "{\"date\":\"2026-11-23\",\"time\":\"08:10:00\",\"sc-status\":\"502\","
			  "\"x-a\":\"a1\",\"x-b\":\"b\"}");

	/* a new header of the same file: its own duplicates, none here */
	parse(FW_LINE_W3C, "d.gz", "#Fields: date time x-a");
	p = parse(FW_LINE_W3C, "d.gz", "2026-11-23\t08:10:01\t-");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_true(p->dups_known);
	assert_int_equal(p->name_dups, 0);
	fields_json_is(true, p, "{\"date\":\"2026-11-23\",\"time\":\"08:10:01\",\"x-a\":\"\"}");

	/* names JSON must escape, written once for the header: the same bytes */
	parse(FW_LINE_W3C, "e.gz", "#Fields: x\"q x\\b x\x01" "c x\xff" "d x\"q");
	p = parse(FW_LINE_W3C, "e.gz", "1\t2\t3\t4\t5");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_non_null(p->names_json);
	fields_json_is(true, p, "{\"x\\\"q\":\"1\",\"x\\\\b\":\"2\",\"x\\u0001c\":\"3\","
			  "\"x\xef\xbf\xbd" "d\":\"4\"}");

	/* another file's header repeating its last name past the kept fields */
	p = parse_wide(FW_FIELDS_MAX, true);
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->n_fields, FW_FIELDS_MAX);
	assert_true(p->name_dups == (uint64_t)1 << (FW_FIELDS_MAX - 1));

	/* a JSON line's names are its own: searched on the line, same rule */
	p = parse(FW_LINE_JSON, NULL, "{\"a\":\"1\",\"b\":\"2\",\"a\":\"3\"}");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_false(p->dups_known);
	fields_json_is(false, p, "{\"a\":\"1\",\"b\":\"2\"}");
}

/* ---- json ------------------------------------------------------------ */

static void
test_json(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	p = parse(FW_LINE_JSON, NULL,
		  "{\"time\":\"2026-12-04T15:37:17.5+01:00\", \"status\" : 502, \"upstream_status\":\"504\","
		  "\"request\":\"GET /\\u00e9\\ud83d\\ude00 HTTP/1.1\",\"agent\":\"a\\\"b\\\\c\\/d\\n\","
		  "\"nested\":{\"a\":[1,{\"b\":\"}\"}]},\"none\":null,\"ok\":true,\"lone\":\"\\ud800x\"}");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "status", "502");
	field_is(p, "upstream_status", "504");
	field_is(p, "request", "GET /\xc3\xa9\xf0\x9f\x98\x80 HTTP/1.1");
	field_is(p, "agent", "a\"b\\c/d\n");
	field_is(p, "nested", "{\"a\":[1,{\"b\":\"}\"}]}");
	field_is(p, "none", "");
	field_is(p, "ok", "true");
	field_is(p, "lone", "\xef\xbf\xbdx");
	time_is(p, 1796395037, 500);
	/* names taken from the line: a held match must keep them */
	assert_false(p->names_static);

	p = parse(FW_LINE_JSON, NULL, "{\"@timestamp\":\"2026-12-04T14:37:17Z\",\"x\":1}");
	time_is(p, 1796395037, 0);
	p = parse(FW_LINE_JSON, NULL, "{\"timestamp\":1796395037.25}");
	time_is(p, 1796395037, 250);
	p = parse(FW_LINE_JSON, NULL, "{\"time\":\"04/Dec/2026:14:37:17 +0000\"}");
	time_is(p, 1796395037, 0);
	p = parse(FW_LINE_JSON, NULL, "{\"time\":\"yesterday\"}");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_false(p->has_time);
	p = parse(FW_LINE_JSON, NULL, "  {}  ");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_int_equal(p->n_fields, 0);
}

static void
test_json_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "not json", "[1,2]", "{", "{\"a\":1", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1} x",
		"{\"a\":\"unterminated}", "{a:1}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":\"tab\there\"}", "{\"a\":}", "{\"a\":{\"b\":1}",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct fw_parsed *p = parse(FW_LINE_JSON, NULL, bad[i]);

		if (p->status != FW_PARSE_BAD)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(p->n_fields, 0);
		assert_non_null(p->why);
	}
}

/* ---- combined -------------------------------------------------------- */

static void
test_combined(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	p = parse(FW_LINE_COMBINED, NULL,
		  "203.0.113.7 - alice [04/Dec/2026:15:37:17 +0100] \"GET /x?a=1 HTTP/1.1\" 502 157 "
		  "\"https://example.com/\" \"Mozilla/5.0 \\\"quoted\\\" upstream timed out\" 0.5 rt=1");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "remote_addr", "203.0.113.7");
	field_is(p, "remote_user", "alice");
	field_is(p, "request_method", "GET");
	field_is(p, "request_uri", "/x?a=1");
	field_is(p, "server_protocol", "HTTP/1.1");
	field_is(p, "status", "502");
	field_is(p, "body_bytes_sent", "157");
	field_is(p, "http_referer", "https://example.com/");
	field_is(p, "http_user_agent", "Mozilla/5.0 \\\"quoted\\\" upstream timed out");
	no_field(p, "host");
	time_is(p, 1796395037, 0);
	/* its names are the parser's constants: a held match need not copy them */
	assert_true(p->names_static);

	/* a virtual host first; the common log format (no referer, agent) */
	p = parse(FW_LINE_COMBINED, NULL,
		  "www.example.com:443 198.51.100.2 - - [04/Dec/2026:14:37:17 +0000] \"\\x16\\x03\" 400 -");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "host", "www.example.com:443");
	field_is(p, "remote_user", "");
	field_is(p, "body_bytes_sent", "-");
	no_field(p, "request_method");
	no_field(p, "http_user_agent");
}

static void
test_combined_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"2026/12/04 14:37:17 [error] 12#12: *1 upstream timed out",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000]",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] GET / 502 1",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] \"GET /\" 5022 1",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] \"GET /\" 502 1k",
		"1.2.3.4 - - [04/Foo/2026:14:37:17 +0000] \"GET /\" 502 1",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] \"GET / 502 1",
		"1.2.3.4 - [04/Dec/2026:14:37:17 +0000] \"GET /\" 502 1",
		"a b c d e [04/Dec/2026:14:37:17 +0000] \"GET /\" 502 1",
		"1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] \"GET /\" 502 1 \"ref",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct fw_parsed *p = parse(FW_LINE_COMBINED, NULL, bad[i]);

		if (p->status != FW_PARSE_BAD)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(p->n_fields, 0);
		assert_false(p->has_time);
		assert_false(p->names_static);
	}
}

/* ---- syslog ---------------------------------------------------------- */

static void
test_syslog(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	/* RFC 5424 §6.5, example 3, with escapes in SD */
	p = parse(FW_LINE_SYSLOG, NULL,
		  "<165>1 2026-12-04T14:37:17.003Z mymachine.example.com evntslog - ID47 "
		  "[exampleSDID@32473 iut=\"3\" eventID=\"a\\]b\"][x@1 y=\"z\"] \xEF\xBB\xBF" "An application event");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "pri", "165");
	field_is(p, "hostname", "mymachine.example.com");
	field_is(p, "app_name", "evntslog");
	field_is(p, "procid", "");
	field_is(p, "msgid", "ID47");
	field_is(p, "structured_data", "[exampleSDID@32473 iut=\"3\" eventID=\"a\\]b\"][x@1 y=\"z\"]");
	field_is(p, "message", "An application event");
	time_is(p, 1796395037, 3);
	assert_true(p->names_static);

	p = parse(FW_LINE_SYSLOG, NULL, "<13>1 - - - - - -");
	assert_int_equal(p->status, FW_PARSE_OK);
	assert_false(p->has_time);
	field_is(p, "message", "");

	/* RFC 3164, with and without PRI; a space-padded day */
	p = parse(FW_LINE_SYSLOG, NULL, "<34>Dec  4 14:37:17 mymachine su: 'su root' failed");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "app_name", "su");
	field_is(p, "message", "'su root' failed");
	time_is(p, 1796395037, 0);
	p = parse(FW_LINE_SYSLOG, NULL, "Dec 04 14:37:17 web nginx[1234]: upstream timed out");
	field_is(p, "procid", "1234");
	field_is(p, "app_name", "nginx");
	time_is(p, 1796395037, 0);
	/* a time more than a day ahead is last year's */
	p = parse(FW_LINE_SYSLOG, NULL, "Dec 31 23:00:00 web cron[1]: x");
	assert_int_equal(p->status, FW_PARSE_OK);
	time_is(p, 1767222000, 0);
	/* rsyslog's file format with an RFC 3339 time (Debian 12) */
	p = parse(FW_LINE_SYSLOG, NULL, "2026-12-04T15:37:17.123456+01:00 web kernel: Out of memory");
	assert_int_equal(p->status, FW_PARSE_OK);
	field_is(p, "app_name", "kernel");
	field_is(p, "message", "Out of memory");
	time_is(p, 1796395037, 123);
}

static void
test_syslog_bad(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "plain text", "<192>Dec  4 14:37:17 h t: m", "<>Dec  4 14:37:17 h t: m",
		"<13Dec  4 14:37:17 h t: m", "Dec  4 14:37:17 host no tag here",
		"Dec  4 14:37:17 host", "Foo  4 14:37:17 h t: m", "Dec 32 14:37:17 h t: m",
		"<13>1 2026-12-04T14:37:17Z h a p m [unterminated", "<13>1 yesterday h a p m - x",
		"<13>1 2026-12-04T14:37:17Z h a p", "Dec  4 14:37:17 h t[12: m",
		"2026/12/04 14:37:17 [error] 1#1: x",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const struct fw_parsed *p = parse(FW_LINE_SYSLOG, NULL, bad[i]);

		if (p->status != FW_PARSE_BAD)
			fail_msg("'%s' parsed", bad[i]);
		assert_int_equal(p->n_fields, 0);
	}
}

/* ---- auto ------------------------------------------------------------ */

static void
test_auto(void **state)
{
	(void)state;
	const struct fw_parsed *p;

	p = parse(FW_LINE_AUTO, "x", "{\"status\":502}");
	assert_int_equal(p->format, FW_LINE_JSON);
	p = parse(FW_LINE_AUTO, "x", "{not json");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->format, FW_LINE_PLAIN);
	p = parse(FW_LINE_AUTO, "x", "#Fields: date sc-status");
	assert_int_equal(p->status, FW_PARSE_HEADER);
	p = parse(FW_LINE_AUTO, "x", "2026-11-23\t502");
	assert_int_equal(p->format, FW_LINE_W3C);
	field_is(p, "sc-status", "502");
	/* a comment that is no W3C directive is a plain line */
	p = parse(FW_LINE_AUTO, "y", "# a comment");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	p = parse(FW_LINE_AUTO, "y", "<13>Dec  4 14:37:17 h t: m");
	assert_int_equal(p->format, FW_LINE_SYSLOG);
	p = parse(FW_LINE_AUTO, "y", "1.2.3.4 - - [04/Dec/2026:14:37:17 +0000] \"GET /\" 502 1");
	assert_int_equal(p->format, FW_LINE_COMBINED);
	p = parse(FW_LINE_AUTO, "y", "2026/12/04 14:37:17 [error] 1#1: *5 upstream timed out");
	assert_int_equal(p->status, FW_PARSE_PLAIN);
	assert_int_equal(p->n_fields, 0);
	assert_false(p->has_time);
}

static void
test_line_limit(void **state)
{
	(void)state;
	char line[64];

	fw_format_parser_free(fp);
	assert_int_equal(fw_format_parser_new(FW_LINE_JSON, 8, &fp), 0);
	snprintf(line, sizeof line, "{\"a\":\"0123456789\"}");
	fw_format_parse(fp, NULL, line, strlen(line), &now, &parsed);
	assert_int_equal(parsed.status, FW_PARSE_BAD);
	assert_ptr_equal(parsed.text, line);    /* the line itself: nothing lost */
	assert_int_equal(parsed.len, strlen(line));
}

/* ---- times ----------------------------------------------------------- */

static void
test_times(void **state)
{
	(void)state;
	struct timespec t;

	assert_true(fw__time_rfc3339("2026-12-04T14:37:17Z", 20, &t));
	assert_int_equal(t.tv_sec, 1796395037);
	assert_true(fw__time_rfc3339("2026-12-04 14:37:17", 19, &t));
	assert_true(fw__time_rfc3339("2026-12-04T16:37:17,5+0200", 26, &t));
	assert_int_equal(t.tv_sec, 1796395037);
	assert_int_equal(t.tv_nsec, 500000000);
	assert_false(fw__time_rfc3339("2026-12-04T14:37:17Q", 20, &t));
	assert_false(fw__time_rfc3339("2026-02-30T14:37:17Z", 20, &t));
	assert_false(fw__time_rfc3339("2026-12-04T24:00:00Z", 20, &t));
	assert_false(fw__time_rfc3339("1969-12-31T23:59:59Z", 20, &t));
	assert_false(fw__time_rfc3339("2026-12-04T14:37:17+25:00", 25, &t));
	assert_true(fw__time_clf("04/Dec/2026:09:37:17 -0500", 26, &t));
	assert_int_equal(t.tv_sec, 1796395037);
	assert_false(fw__time_clf("04/Dec/2026:09:37:17 -05", 24, &t));
	assert_true(fw__time_epoch("1796395037", 10, &t));
	assert_false(fw__time_epoch("502", 3, &t));
	assert_false(fw__time_epoch("1796395037x", 11, &t));
	assert_false(fw__time_epoch("1796395037123456", 16, &t));
	assert_true(fw__time_w3c("2026-12-04", 10, "14:37:17", 8, &t));
	assert_int_equal(t.tv_sec, 1796395037);
	assert_false(fw__time_w3c("2026-12-04", 10, "14:37", 5, &t));
	assert_false(fw__time_w3c("2026/12/04", 10, "14:37:17", 8, &t));
	/* leap days, and the arithmetic far from today */
	assert_true(fw__time_rfc3339("2024-02-29T00:00:00Z", 20, &t));
	assert_int_equal(t.tv_sec, 1709164800);
	assert_false(fw__time_rfc3339("2026-02-29T00:00:00Z", 20, &t));
	assert_true(fw__time_rfc3339("2000-02-29T12:00:00Z", 20, &t));
	assert_int_equal(t.tv_sec, 951825600);
	assert_true(fw__time_rfc3339("1970-01-01T00:00:00Z", 20, &t));
	assert_int_equal(t.tv_sec, 0);
	assert_true(fw__time_rfc3339("2100-03-01T00:00:00Z", 20, &t));
	assert_int_equal(t.tv_sec, 4107542400);
	/* RFC 3164 has no year: Feb 29 is the last leap year's */
	assert_true(fw__time_rfc3164("Feb 29 12:00:00", 15, &now, &t));
	assert_int_equal(t.tv_sec, 1709208000);
}

/* ---- multiline ------------------------------------------------------- */

struct ml_run {
	struct fw_multiline *ml;
	char out[8][512];           /* entries taken, in order */
	uint64_t line_no[8];
	uint32_t lines[8];
	bool truncated[8];
	int n;
	uint64_t next_line;
};

/* nginx's error-log prefix: the time (local; the tests' TZ is UTC) and the level, at their edges */
static void
test_nginx_error_prefix(void **state)
{
	static const struct {
		const char *line;
		bool shape, time_ok;
		const char *level;      /* NULL: none */
	} cases[] = {
		{ "2026/11/23 08:00:05 [error] 1#1: *5 upstream timed out", true, true, "error" },
		{ "2026/11/23 08:00:05 [crit] x", true, true, "crit" },
		{ "2026/11/23 08:00:05 [error]x", true, true, NULL },
		{ "2026/11/23 08:00:05 [a-very-long-word] x", true, true, NULL },
		{ "2026/11/23 08:00:05 [error]", true, true, NULL },
		{ "2026/13/23 08:00:05 [error] no such month", true, false, "error" },
		{ "2026/11/2x 08:00:05 [error] x", false, false, NULL },
		{ "2026-11-23 08:00:05 [error] x", false, false, NULL },
		{ "2026/11/23 08:00:05 error x", false, false, NULL },
		{ "2026/11/23 08:00:05 [", false, false, NULL },
		{ "", false, false, NULL },
	};
	struct timespec t;
	const char *level;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *l = cases[i].line;

		if (fw_format_nginx_error_prefix(l, strlen(l), NULL, &level, &n) != cases[i].shape)
			fail_msg("'%s': shape", l);
		if (cases[i].shape && !cases[i].level)
			assert_int_equal(n, 0);
		if (cases[i].level) {
			assert_int_equal(n, strlen(cases[i].level));
			assert_memory_equal(level, cases[i].level, n);
		}
		if (fw_format_nginx_error_prefix(l, strlen(l), &t, NULL, NULL) != cases[i].time_ok)
			fail_msg("'%s': time", l);
	}
	assert_true(fw_format_nginx_error_prefix(cases[0].line, strlen(cases[0].line), &t, NULL, NULL));
	time_is(&(struct fw_parsed){ .has_time = true, .time = t }, 1795420805, 0);
}

/*
 * Lines of one hour after one another (their hour is parsed once): each
 * minute and second is still read and checked, and another hour or day
 * is read whole.
 */
static void
test_nginx_error_hours(void **state)
{
	static const struct {
		const char *line;
		bool shape, time_ok;
		time_t sec;
	} cases[] = {
		{ "2026/11/23 08:00:05 [error] a", true, true, 1795420805 },
		{ "2026/11/23 08:00:06 [warn] b", true, true, 1795420806 },
		{ "2026/11/23 08:59:60 [error] a leap second", true, true, 1795424400 },
		{ "2026/11/23 08:60:00 [error] no such minute", true, false, 0 },
		{ "2026/11/23 08:00:61 [error] no such second", true, false, 0 },
		{ "2026/11/23 08:5x:00 [error] x", false, false, 0 },
		{ "2026/11/23 08:00:0x [error] x", false, false, 0 },
		{ "2026/11/23 09:00:00 [error] the next hour", true, true, 1795424400 },
		{ "2026/11/23 08:30:00 [error] back", true, true, 1795422600 },
		{ "2026/11/24 08:30:00 [error] the next day", true, true, 1795422600 + 86400 },
		{ "2026/11/24 08:30:01 [error] c", true, true, 1795422601 + 86400 },
	};
	struct timespec t;
	const char *level;
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *l = cases[i].line;

		if (fw_format_nginx_error_prefix(l, strlen(l), NULL, &level, &n) != cases[i].shape)
			fail_msg("'%s': shape", l);
		t = (struct timespec){ -1, -1 };
		if (fw_format_nginx_error_prefix(l, strlen(l), &t, &level, &n) != cases[i].time_ok)
			fail_msg("'%s': time", l);
		if (cases[i].time_ok) {
			time_is(&(struct fw_parsed){ .has_time = true, .time = t }, cases[i].sec, 0);
			assert_memory_equal(level, l[21] == 'w' ? "warn" : "error", n);
		}
	}
}

static void
ml_take(struct ml_run *r)
{
	struct fw_line l;
	struct fw_alert_source s;

	if (!fw_multiline_take(r->ml, &l, &s))
		return;
	assert_true(r->n < 8);
	snprintf(r->out[r->n], sizeof r->out[r->n], "%.*s", (int)l.len, l.data);
	r->line_no[r->n] = s.line_no;
	r->lines[r->n] = s.lines;
	r->truncated[r->n] = l.truncated;
	r->n++;
}

/* Feeds lines as the pipeline does: join, else take the entry and start one. */
static void
ml_feed(struct ml_run *r, const char *path, const char *text)
{
	struct fw_line l = { .data = text, .len = strlen(text), .line_no = ++r->next_line };
	struct fw_alert_source s = { .type = FW_SOURCE_FILE, .path = path, .line_no = l.line_no };

	if (fw_multiline_join(r->ml, &l, path))
		return;
	ml_take(r);
	fw_multiline_start(r->ml, &l, &s);
}

static void
test_multiline_regex(void **state)
{
	(void)state;
	struct ml_run r = { 0 };
	char why[200];

	assert_int_equal(fw_multiline_new("^\\d{4}-\\d\\d-\\d\\d ", 4096, 500, &r.ml, why, sizeof why), 0);
	ml_feed(&r, "app.log", "2026-12-04 14:37:17 ERROR [main] request failed");
	ml_feed(&r, "app.log", "java.net.SocketTimeoutException: Read timed out");
	ml_feed(&r, "app.log", "\tat java.net.SocketInputStream.read(SocketInputStream.java:150)");
	ml_feed(&r, "app.log", "Caused by: java.io.IOException: closed");
	ml_feed(&r, "app.log", "2026-12-04 14:37:18 INFO next");
	assert_int_equal(r.n, 1);
	assert_string_equal(r.out[0], "2026-12-04 14:37:17 ERROR [main] request failed\n"
			    "java.net.SocketTimeoutException: Read timed out\n"
			    "\tat java.net.SocketInputStream.read(SocketInputStream.java:150)\n"
			    "Caused by: java.io.IOException: closed");
	assert_int_equal(r.line_no[0], 1);
	assert_int_equal(r.lines[0], 4);
	assert_true(fw_multiline_held(r.ml));
	ml_take(&r);
	assert_string_equal(r.out[1], "2026-12-04 14:37:18 INFO next");
	assert_int_equal(r.lines[1], 1);
	assert_int_equal(r.line_no[1], 5);
	assert_false(fw_multiline_held(r.ml));
	ml_take(&r);                            /* nothing held: nothing taken */
	assert_int_equal(r.n, 2);
	/* never across files */
	ml_feed(&r, "a.log", "2026-12-04 14:37:19 x");
	ml_feed(&r, "b.log", "continuation of nothing in b");
	assert_int_equal(r.n, 3);
	assert_string_equal(r.out[2], "2026-12-04 14:37:19 x");
	fw_multiline_free(r.ml);

	assert_int_equal(fw_multiline_new("^(a", 64, 2, &r.ml, why, sizeof why), -EINVAL);
	assert_null(r.ml);
	assert_string_equal(why, "bad regex: missing closing parenthesis at offset 3");
}

static void
test_multiline_indent_and_bounds(void **state)
{
	(void)state;
	struct ml_run r = { 0 };
	char why[200], line[40];

	/* Python: the indented frames join, the unindented last line starts anew */
	assert_int_equal(fw_multiline_new("indent", 64, 3, &r.ml, why, sizeof why), 0);
	ml_feed(&r, NULL, "Traceback (most recent call last):");
	ml_feed(&r, NULL, "  File \"x.py\", line 1");
	ml_feed(&r, NULL, "\tmore");
	ml_feed(&r, NULL, "  a fourth line: over max_lines, starts an entry");
	ml_feed(&r, NULL, "");
	assert_int_equal(r.n, 2);
	assert_string_equal(r.out[0], "Traceback (most recent call last):\n  File \"x.py\", line 1\n\tmore");
	assert_string_equal(r.out[1], "  a fourth line: over max_lines, starts an entry");
	ml_take(&r);
	assert_string_equal(r.out[2], "");
	fw_multiline_free(r.ml);

	/* bytes: a line that would not fit ends the entry; no line is split */
	memset(&r, 0, sizeof r);
	assert_int_equal(fw_multiline_new("indent", 64, 100, &r.ml, why, sizeof why), 0);
	ml_feed(&r, NULL, "start 0123456789 0123456789 0123456789");    /* 38 bytes */
	memset(line, 'x', sizeof line - 1);
	line[0] = ' ';
	line[sizeof line - 1] = '\0';                                   /* 39 bytes */
	ml_feed(&r, NULL, line);
	ml_take(&r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.out[0], "start 0123456789 0123456789 0123456789");
	assert_string_equal(r.out[1], line);
	assert_false(r.truncated[0]);
	fw_multiline_free(r.ml);
}

int
main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_plain, teardown),
		cmocka_unit_test_teardown(test_plain_recognises, teardown),
		cmocka_unit_test_teardown(test_plain_many_sources, teardown),
		cmocka_unit_test_teardown(test_w3c_fields_by_header, teardown),
		cmocka_unit_test_teardown(test_w3c_bad_lines, teardown),
		cmocka_unit_test_teardown(test_w3c_resumed, teardown),
		cmocka_unit_test_teardown(test_w3c_resumed_through_fd, teardown),
		cmocka_unit_test_teardown(test_w3c_resumed_compressed, teardown),
		cmocka_unit_test_teardown(test_w3c_sources_bounded, teardown),
		cmocka_unit_test_teardown(test_w3c_many_fields, teardown),
		cmocka_unit_test_teardown(test_w3c_duplicate_names, teardown),
		cmocka_unit_test_teardown(test_json, teardown),
		cmocka_unit_test_teardown(test_json_bad, teardown),
		cmocka_unit_test_teardown(test_combined, teardown),
		cmocka_unit_test_teardown(test_combined_bad, teardown),
		cmocka_unit_test_teardown(test_syslog, teardown),
		cmocka_unit_test_teardown(test_syslog_bad, teardown),
		cmocka_unit_test_teardown(test_auto, teardown),
		cmocka_unit_test_teardown(test_line_limit, teardown),
		cmocka_unit_test_teardown(test_times, teardown),
		cmocka_unit_test(test_nginx_error_prefix),
		cmocka_unit_test(test_nginx_error_hours),
		cmocka_unit_test(test_multiline_regex),
		cmocka_unit_test(test_multiline_indent_and_bounds),
	};

	/* RFC 3164 times are local: the tests' local time is UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
