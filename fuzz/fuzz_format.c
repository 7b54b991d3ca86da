/*
 * fuzz_format: the line-format parsers (daemon/input/format*.c) through the
 * API the daemon uses, fw_format_parse() and fw_format_write_fields().
 *
 * Input: a mode byte (plain, w3c, json, combined, syslog, auto, or an nginx
 * log_format), a flags byte (how many sources the lines come from, a small
 * or a large line limit), then lines separated by '\n'. In log_format mode
 * the first line is the format. W3C headers are lines of the input.
 * FUZZ_FORMAT_SHOW in the environment prints each line's parse (for seeds).
 *
 * What must hold, for every line:
 *  - the text to match and every field value lie in the line or in the
 *    parser's own buffer, within fw_parsed.extent (ASan checks the reads);
 *  - the fields JSON is valid JSON and UTF-8 (json-c in strict mode with
 *    UTF-8 validation), holds each first-named field's value when the
 *    writer keeps it as it is, and is written the same with or without the
 *    names' JSON that a W3C header or a log_format writes once;
 *  - parsing the same line again gives the same result;
 *  - a parser that has seen no line before (but the source's #Fields) gives
 *    the same result as the one that has seen them all, so the memos of the
 *    last time (nginx $time_local, W3C date and time) change nothing;
 *  - a W3C line is split as a plain byte loop splits it (the SIMD split).
 */
#include "config.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "input/format.h"
#include "input/format_int.h"
#include "input/format_match.h"
#include "util/hex.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MODE_LOG_FORMAT FW_LINE_FORMAT_N
#define MODES (FW_LINE_FORMAT_N + 1)
#define LINES_MAX 48
#define SOURCES_MAX 4

static const struct timespec now = { .tv_sec = 1796395037, .tv_nsec = 250000000 };
static const char *const sources[SOURCES_MAX] = {
	NULL, "/nonexistent/fuzz/a.log", "/nonexistent/fuzz/b.log", "/nonexistent/fuzz/c.log",
};

static void __attribute__((noreturn, format(printf, 1, 2)))
broken(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz_format: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* -- a parsed line as bytes, to compare two parses -------------------------- */

struct bytes {
	char *d;
	size_t n, cap;
};

static void
put(struct bytes *b, const void *s, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		if (!(b->d = realloc(b->d, b->cap)))
			abort();
	}
	if (n)
		memcpy(b->d + b->n, s, n);
	b->n += n;
}

static void
put_u64(struct bytes *b, uint64_t v)
{
	put(b, &v, sizeof v);
}

static void
put_text(struct bytes *b, const char *s, size_t n)
{
	put_u64(b, n);
	put(b, s, n);
}

/* Everything a caller can read of p, and its fields JSON (json). */
static void
describe(struct bytes *b, const struct fw_parsed *p, const struct fw_jbuf *json)
{
	b->n = 0;
	put_u64(b, p->status);
	put_u64(b, p->format);
	put_text(b, p->text, p->len);
	put_u64(b, p->has_time);
	if (p->has_time) {
		put_u64(b, (uint64_t)p->time.tv_sec);
		put_u64(b, (uint64_t)p->time.tv_nsec);
	}
	put_u64(b, p->nginx_error);
	/* why is said only of a bad line */
	if (p->status == FW_PARSE_BAD && p->why)
		put_text(b, p->why, strlen(p->why));
	else
		put_u64(b, UINT64_MAX);
	put_u64(b, p->n_fields);
	put_u64(b, p->n_dropped);
	put_u64(b, p->dups_known);
	if (p->dups_known)
		put_u64(b, p->name_dups);
	put_u64(b, p->names_json != NULL);
	put_u64(b, p->names_id != 0);
	put_u64(b, p->names_static);
	for (uint32_t i = 0; i < p->n_fields; i++) {
		put_text(b, p->fields[i].name, p->fields[i].name_len);
		put_text(b, p->fields[i].value, p->fields[i].value_len);
	}
	put_text(b, json->data, json->len);
}

static void
same(const struct bytes *a, const struct bytes *b, const char *what, const char *line, size_t len)
{
	if (a->n != b->n || memcmp(a->d, b->d, a->n) != 0)
		broken("%s: not the same result for '%.*s'", what, (int)len, line);
}

/* -- checks on one parse ------------------------------------------------------ */

static bool
in(const char *lo, const char *hi, const char *s, size_t n)
{
	return (uintptr_t)s >= (uintptr_t)lo && (uintptr_t)s <= (uintptr_t)hi &&
	       n <= (uintptr_t)hi - (uintptr_t)s;
}

static bool
name_before(const struct fw_parsed *p, uint32_t i)
{
	for (uint32_t k = 0; k < i; k++)
		if (p->fields[k].name_len == p->fields[i].name_len &&
		    memcmp(p->fields[k].name, p->fields[i].name, p->fields[i].name_len) == 0)
			return true;
	return false;
}

/* Whether the JSON writer keeps s[0..n) as it is: no invalid UTF-8, DEL or C1 control (jsonw.h). */
static bool
kept_as_is(const char *s, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if ((unsigned char)s[i] < 0x20)
			k = 1;
		else if (!(k = fw_utf8_safe_seq((const unsigned char *)s + i, n - i)))
			return false;
	return true;
}

/* The fields JSON parses, strictly, as UTF-8, and holds the values it can. */
static void
check_json(const struct fw_parsed *p, const struct fw_jbuf *j)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, j->data, (int)j->len);
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != j->len || !json_object_is_type(obj, json_type_object))
		broken("fields JSON does not parse: %.*s", (int)j->len, j->data);
	if (!fw_utf8_valid(j->data, j->len))
		broken("fields JSON is not UTF-8");
	for (uint32_t i = 0; i < p->n_fields; i++) {
		const struct fw_field *f = &p->fields[i];
		struct json_object *v;
		char name[256];

		if (name_before(p, i) || f->name_len >= sizeof name || memchr(f->name, '\0', f->name_len) ||
		    !kept_as_is(f->name, f->name_len) || !kept_as_is(f->value, f->value_len))
			continue;
		memcpy(name, f->name, f->name_len);
		name[f->name_len] = '\0';
		if (!json_object_object_get_ex(obj, name, &v) || !json_object_is_type(v, json_type_string) ||
		    (size_t)json_object_get_string_len(v) != f->value_len ||
		    memcmp(json_object_get_string(v), f->value, f->value_len) != 0)
			broken("field '%s' is not its value in the fields JSON", name);
	}
	json_object_put(obj);
	json_tokener_free(tok);
}

/* What format.h promises of any parse, and the fields JSON written both ways. */
static void
check_parse(const struct fw_format_parser *fp, const char *line, size_t len, const struct fw_parsed *p,
	    struct fw_jbuf *j)
{
	struct fw_parsed q = *p;
	struct fw_jbuf plain = { 0 };
	const char *hi = p->text + p->extent;

	if (p->extent < p->len)
		broken("extent %zu below the text's %zu bytes", p->extent, p->len);
	if (!in(line, line + len, p->text, p->extent) && !in(fp->buf, fp->buf + fp->cap, p->text, p->extent))
		broken("text outside the line and the parser's buffer");
	if (p->n_fields > FW_FIELDS_MAX)
		broken("%u fields", p->n_fields);
	if (p->status != FW_PARSE_OK && p->n_fields)
		broken("fields on a line of status %d", p->status);
	if (p->status == FW_PARSE_BAD && !p->why)
		broken("a bad line without a reason");
	for (uint32_t i = 0; i < p->n_fields; i++) {
		const struct fw_field *f = &p->fields[i];

		if (f->value_len && !in(p->text, hi, f->value, f->value_len))
			broken("field %u's value outside the text's extent", i);
		/* read every byte: ASan checks the name is readable memory */
		for (size_t k = 0; k < f->name_len; k++)
			if (f->name[k] == '\0' && f->name_len > 1000000)
				abort();
	}
	fw_jbuf_reset(j);
	fw_format_write_fields(j, p);
	if (!fw_jbuf_ok(j))
		abort();
	q.dups_known = false;
	q.names_json = NULL;
	fw_format_write_fields(&plain, &q);
	if (!fw_jbuf_ok(&plain) || plain.len != j->len || memcmp(plain.data, j->data, j->len) != 0)
		broken("fields JSON differs without the names' JSON");
	fw_jbuf_free(&plain);
	check_json(p, j);
}

/* -- the W3C reference: a header's names and a line's columns, byte by byte --- */

struct names {
	char line[4096 + 1];
	size_t len;             /* 0: no #Fields seen */
	const char *name[FW_FIELDS_MAX];
	size_t name_len[FW_FIELDS_MAX];
	uint32_t total;
	int date, time_;
};

/* The names of "#Fields:" s[0..len), as format_w3c.c documents them: blank or TAB separated, up to a NUL. */
static void
names_read(struct names *h, const char *s, size_t len)
{
	size_t i = 8;

	memcpy(h->line, s, len);
	h->line[len] = '\0';
	h->len = len;
	h->total = 0;
	h->date = h->time_ = -1;
	while (i < len && h->line[i]) {
		size_t start;

		if (h->line[i] == ' ' || h->line[i] == '\t') {
			i++;
			continue;
		}
		for (start = i; i < len && h->line[i] && h->line[i] != ' ' && h->line[i] != '\t'; i++)
			;
		if (h->total < FW_FIELDS_MAX) {
			h->name[h->total] = h->line + start;
			h->name_len[h->total] = i - start;
			if (i - start == 4 && memcmp(h->line + start, "date", 4) == 0)
				h->date = (int)h->total;
			if (i - start == 4 && memcmp(h->line + start, "time", 4) == 0)
				h->time_ = (int)h->total;
		}
		h->total++;
	}
}

/* v[0..n) as a W3C value: "-" is empty, %XX decoded once. */
static size_t
w3c_value(const char *v, size_t n, char *out)
{
	size_t k = 0;

	if (n == 1 && v[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '%' && i + 2 < n && fw_hex_value(v[i + 1]) >= 0 && fw_hex_value(v[i + 2]) >= 0) {
			out[k++] = (char)(fw_hex_value(v[i + 1]) << 4 | fw_hex_value(v[i + 2]));
			i += 2;
		} else {
			out[k++] = v[i];
		}
	}
	return k;
}

static void
check_w3c(const struct names *h, const char *line, size_t len, const struct fw_parsed *p)
{
	char sep = memchr(line, '\t', len) ? '\t' : ' ';
	char value[4096];
	const char *date = NULL, *time_ = NULL;
	size_t date_len = 0, time_len = 0, start = 0;
	uint32_t col = 0;
	struct timespec t;
	bool has_time;

	for (size_t i = 0; i <= len; i++) {
		size_t n;

		if (i < len && line[i] != sep)
			continue;
		if (col < FW_FIELDS_MAX && col < h->total && p->status == FW_PARSE_OK) {
			const struct fw_field *f = &p->fields[col];

			n = w3c_value(line + start, i - start, value);
			if (f->name_len != h->name_len[col] || memcmp(f->name, h->name[col], f->name_len) != 0 ||
			    f->value_len != n || memcmp(f->value, value, n) != 0)
				broken("w3c column %u is not the byte loop's", col);
			if ((int)col == h->date) {
				date = line + start;
				date_len = i - start;
			} else if ((int)col == h->time_) {
				time_ = line + start;
				time_len = i - start;
			}
		}
		col++;
		start = i + 1;
	}
	if ((p->status == FW_PARSE_OK) != (col == h->total))
		broken("w3c: %u columns for %u names, status %d", col, h->total, p->status);
	if (p->status != FW_PARSE_OK)
		return;
	if (p->n_fields != (h->total < FW_FIELDS_MAX ? h->total : FW_FIELDS_MAX) ||
	    p->n_fields + p->n_dropped != h->total)
		broken("w3c: %u fields and %u dropped for %u names", p->n_fields, p->n_dropped, h->total);
	has_time = date && time_ && fw__time_w3c(date, date_len, time_, time_len, &t);
	if (has_time != p->has_time ||
	    (has_time && (t.tv_sec != p->time.tv_sec || t.tv_nsec != p->time.tv_nsec)))
		broken("w3c: not the time of its date and time");
}

/* -- the target ---------------------------------------------------------------- */

static int
parser_new(int mode, const char *spec, size_t max_line, struct fw_format_parser **fp)
{
	char why[256];

	if (mode == MODE_LOG_FORMAT)
		return fw_format_parser_new_log_format(spec, max_line, fp, why, sizeof why);
	return fw_format_parser_new((enum fw_line_format)mode, max_line, fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct names headers[SOURCES_MAX];
	static struct fw_parsed parsed;
	static int show = -1;       /* FUZZ_FORMAT_SHOW set: each line's parse on stderr (for seeds) */
	struct fw_jbuf json = { 0 };
	struct bytes first = { 0 }, again = { 0 };
	struct fw_format_parser *fp = NULL;
	const char *text = (const char *)data + 2, *end = (const char *)data + size;
	char *spec = NULL;
	int mode;
	unsigned nsrc;
	size_t max_line;
	bool stateless;

	if (show < 0)
		show = getenv("FUZZ_FORMAT_SHOW") != NULL;
	if (size < 2)
		return 0;
	mode = data[0] % MODES;
	nsrc = 1 + (data[1] & 3);
	max_line = data[1] & 4 ? 48 : 4096;
	if (mode == MODE_LOG_FORMAT) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);

		if (memchr(text, '\0', n))
			return 0;
		if (!(spec = strndup(text, n)))
			abort();
		text += nl ? n + 1 : n;
	}
	if (parser_new(mode, spec, max_line, &fp) < 0) {
		free(spec);
		return 0;
	}
	/* these keep no state but a W3C source's #Fields and the memos */
	stateless = mode != FW_LINE_PLAIN && mode != FW_LINE_AUTO;
	for (unsigned i = 0; i < SOURCES_MAX; i++)
		headers[i].len = 0;
	for (unsigned n = 0; n < LINES_MAX && text <= end; n++) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = nl ? (size_t)(nl - text) : (size_t)(end - text);
		unsigned si = n % nsrc;
		/* the line in a block of its own, so ASan sees a read past it */
		char *line = malloc(len ? len : 1);

		if (!line)
			abort();
		memcpy(line, text, len);
		fw_format_parse(fp, sources[si], line, len, &now, &parsed);
		check_parse(fp, line, len, &parsed, &json);
		describe(&first, &parsed, &json);
		if (show)
			fprintf(stderr, "status %d format %d fields %u+%u time %d %s: %.*s\n", parsed.status,
				parsed.format, parsed.n_fields, parsed.n_dropped, parsed.has_time,
				parsed.status == FW_PARSE_BAD ? parsed.why : "", (int)json.len, json.data);
		if (mode == FW_LINE_W3C && len <= max_line && len && line[0] != '#' && headers[si].len)
			check_w3c(&headers[si], line, len, &parsed);

		fw_format_parse(fp, sources[si], line, len, &now, &parsed);
		check_parse(fp, line, len, &parsed, &json);
		describe(&again, &parsed, &json);
		same(&first, &again, "parsed twice", line, len);

		if (stateless && !(len && line[0] == '#' && mode == FW_LINE_W3C)) {
			struct fw_format_parser *fresh;

			if (parser_new(mode, spec, max_line, &fresh) < 0)
				abort();
			if (headers[si].len)
				fw_format_parse(fresh, sources[si], headers[si].line, headers[si].len, &now, &parsed);
			fw_format_parse(fresh, sources[si], line, len, &now, &parsed);
			check_parse(fresh, line, len, &parsed, &json);
			describe(&again, &parsed, &json);
			same(&first, &again, "a fresh parser", line, len);
			fw_format_parser_free(fresh);
		}
		if (mode == FW_LINE_W3C && len <= max_line && len >= 8 && memcmp(line, "#Fields:", 8) == 0)
			names_read(&headers[si], line, len);
		free(line);
		if (!nl)
			break;
		text = nl + 1;
	}
	fw_format_parser_free(fp);
	free(spec);
	free(first.d);
	free(again.d);
	fw_jbuf_free(&json);
	return 0;
}
