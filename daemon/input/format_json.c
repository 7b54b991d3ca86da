/*
 * format_json: one JSON object per line (RFC 8259), as nginx writes with
 * `log_format ... escape=json` and CloudFront standard logging v2 in JSON.
 * The top-level members are the fields: strings decoded (escapes, \u with
 * surrogate pairs; a lone surrogate becomes U+FFFD), numbers, true and
 * false as written, null as empty, nested objects and arrays as their JSON
 * text. A line that is not one complete object does not parse. The event
 * time is the first of `time`, `@timestamp`, `timestamp`, `time_iso8601`,
 * `time_local` that holds RFC 3339, [..] access-log or epoch-seconds time,
 * else `date` and `time` as CloudFront writes them (UTC).
 */
#include "config.h"

#include <string.h>

#include "input/format_int.h"

#define MAX_DEPTH 64

struct cursor {
	const char *s;
	size_t i, len;
};

static void
blanks(struct cursor *c)
{
	while (c->i < c->len && (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\r' ||
				 c->s[c->i] == '\n'))
		c->i++;
}

static int
hex4(const char *s)
{
	int v = 0;

	for (int k = 0; k < 4; k++) {
		char h = s[k];

		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= h - '0';
		else if (h >= 'a' && h <= 'f')
			v |= h - 'a' + 10;
		else if (h >= 'A' && h <= 'F')
			v |= h - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static size_t
utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The end of the string starting at c->i ('"'), past its closing quote; false if none. */
static bool
string_end(struct cursor *c, bool *escaped)
{
	*escaped = false;
	for (c->i++; c->i < c->len; c->i++) {
		unsigned char ch = (unsigned char)c->s[c->i];

		if (ch == '"') {
			c->i++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			*escaped = true;
			if (++c->i == c->len)
				return false;
		}
	}
	return false;
}

/*
 * Decodes the escapes of s[0..n) (the inside of a valid string) into d;
 * returns the length, never more than n (an escape is never shorter in
 * its text than in UTF-8), or (size_t)-1 for a bad escape.
 */
static size_t
unescape(const char *s, size_t n, char *d)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int cp, lo;

		if (s[i] != '\\') {
			d[k++] = s[i];
			continue;
		}
		switch (s[++i]) {
		case '"': d[k++] = '"'; break;
		case '\\': d[k++] = '\\'; break;
		case '/': d[k++] = '/'; break;
		case 'b': d[k++] = '\b'; break;
		case 'f': d[k++] = '\f'; break;
		case 'n': d[k++] = '\n'; break;
		case 'r': d[k++] = '\r'; break;
		case 't': d[k++] = '\t'; break;
		case 'u':
			if (i + 4 >= n || (cp = hex4(s + i + 1)) < 0)
				return (size_t)-1;
			i += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' &&
			    s[i + 2] == 'u' && (lo = hex4(s + i + 3)) >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 6;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;
			}
			k += utf8(d + k, (unsigned)cp);
			break;
		default:
			return (size_t)-1;
		}
	}
	return k;
}

/* A string at c->i as a value: the inside, decoded into the buffer when it has escapes. */
static bool
string_value(struct fw_format_parser *fp, struct cursor *c, const char **v, size_t *n)
{
	size_t start = c->i;
	bool escaped;
	char *d;

	if (!string_end(c, &escaped))
		return false;
	*v = c->s + start + 1;
	*n = c->i - start - 2;
	if (!escaped)
		return true;
	d = fw__fmt_room(fp, *n);
	if ((*n = unescape(*v, *n, d)) == (size_t)-1)
		return false;
	fw__fmt_commit(fp, *n);
	*v = d;
	return true;
}

/*
 * Skips a number, true, false, null, object or array at c->i: scalars end
 * at ',' '}' or a blank, nested values where their brackets balance
 * (outside strings).
 */
static bool
skip_value(struct cursor *c)
{
	int depth = 0;
	bool escaped;

	while (c->i < c->len) {
		char ch = c->s[c->i];

		if (ch == '"') {
			if (!string_end(c, &escaped))
				return false;
			if (depth == 0)
				return true;
			continue;
		}
		if (ch == '{' || ch == '[') {
			if (++depth > MAX_DEPTH)
				return false;
		} else if (ch == '}' || ch == ']') {
			if (depth == 0)
				return true;
			if (--depth == 0) {
				c->i++;
				return true;
			}
		} else if (depth == 0 && (ch == ',' || ch == ' ' || ch == '\t' || ch == '\r' ||
					  ch == '\n')) {
			return true;
		}
		c->i++;
	}
	return depth == 0;
}

/* The members that hold a line's time, as loggers name them (nginx: $time_iso8601, $time_local). */
static bool
time_name(const char *name, size_t n)
{
	static const char *const names[] = {
		"time", "@timestamp", "timestamp", "time_iso8601", "time_local",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (n == strlen(names[i]) && memcmp(name, names[i], n) == 0)
			return true;
	return false;
}

/* CloudFront's JSON logs split the time as its W3C ones do: `date` and `time`, UTC. */
static void
date_and_time(struct fw_parsed *out)
{
	const struct fw_field *d = fw_parsed_field(out, "date", 4), *t = fw_parsed_field(out, "time", 4);

	if (d && t)
		out->has_time = fw__time_w3c(d->value, d->value_len, t->value, t->value_len, &out->time);
}

bool
fw__json_parse(struct fw_format_parser *fp, struct fw_parsed *out)
{
	struct cursor c = { .s = out->text, .len = out->len };

	blanks(&c);
	if (c.i == c.len || c.s[c.i] != '{') {
		out->why = "not a JSON object";
		return false;
	}
	c.i++;
	blanks(&c);
	if (c.i < c.len && c.s[c.i] == '}') {
		c.i++;
		goto end;
	}
	for (;;) {
		const char *name, *v;
		size_t name_len, n, start;

		blanks(&c);
		if (c.i == c.len || c.s[c.i] != '"' || !string_value(fp, &c, &name, &name_len))
			goto bad;
		blanks(&c);
		if (c.i == c.len || c.s[c.i] != ':')
			goto bad;
		c.i++;
		blanks(&c);
		if (c.i == c.len)
			goto bad;
		start = c.i;
		if (c.s[c.i] == '"') {
			if (!string_value(fp, &c, &v, &n))
				goto bad;
			if (!out->has_time && time_name(name, name_len))
				out->has_time = fw__time_any(v, n, &out->time);
		} else {
			if (!skip_value(&c) || c.i == start)
				goto bad;
			v = c.s + start;
			n = c.i - start;
			if (n == 4 && memcmp(v, "null", 4) == 0)
				n = 0;
			else if (!out->has_time && time_name(name, name_len))
				out->has_time = fw__time_epoch(v, n, &out->time);
		}
		fw__fmt_field(out, name, name_len, v, n);
		blanks(&c);
		if (c.i == c.len)
			goto bad;
		if (c.s[c.i] == '}') {
			c.i++;
			break;
		}
		if (c.s[c.i] != ',')
			goto bad;
		c.i++;
	}
end:
	blanks(&c);
	if (c.i == c.len) {
		if (!out->has_time)
			date_and_time(out);
		return true;
	}
bad:
	out->why = "not one complete JSON object";
	return false;
}
