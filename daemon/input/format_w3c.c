/*
 * format_w3c: W3C extended log files, as CloudFront standard logs and IIS
 * write them. A file starts with directives:
 *   #Version: 1.0
 *   #Fields: date time x-edge-location sc-bytes c-ip ...
 * and every later line has one value per field name, TAB-separated
 * (CloudFront) or blank-separated (IIS, which writes '+' for a blank).
 * The field list is whatever the last #Fields of the same source said:
 * CloudFront adds fields over time and lets users choose them, so no
 * column is ever found by its position.
 *
 * Values: "-" is empty; %XX is decoded once (CloudFront encodes blanks and
 * other bytes in URIs and the user agent; a doubly encoded %2520 stays
 * %20, as the client sent it). The event time is date + time, UTC.
 *
 * A file read from the middle (the daemon resuming from its checkpoint
 * after a restart) has its header before the first line the parser sees:
 * the parser then reads the directives at the start of the file once
 * (at most W3C_PROBE_BYTES) and takes their #Fields, so such lines keep
 * their fields (decompressed first when the file is gzip, xz or zstd, as
 * the input reads it). It reads them through the descriptor the line came from
 * when the caller gives it (pread: the reader's offset stays), so another
 * file renamed over the name meanwhile cannot lend its header; else by
 * the name. A file without one is remembered as such: it is not read
 * again for every line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/jsonw.h"
#include "input/decomp.h"
#include "input/format_int.h"
#include "util/hex.h"

static const char *
source_key(const char *source)
{
	return source ? source : "";
}

static struct w3c_source *
find_source(struct fw_format_parser *fp, const char *source)
{
	const char *key = source_key(source);

	for (size_t i = 0; i < FW_W3C_SOURCES; i++)
		if (fp->w3c[i].key && strcmp(fp->w3c[i].key, key) == 0)
			return &fp->w3c[i];
	return NULL;
}

bool
fw__w3c_known(struct fw_format_parser *fp, const char *source)
{
	const struct w3c_source *s = find_source(fp, source);

	return s && s->names;
}

/* The slot for source: its own, a free one, or the least recently used. */
static struct w3c_source *
take_source(struct fw_format_parser *fp, const char *source)
{
	struct w3c_source *s = find_source(fp, source), *lru = &fp->w3c[0];

	if (s)
		return s;
	for (size_t i = 0; i < FW_W3C_SOURCES; i++) {
		if (!fp->w3c[i].key)
			return &fp->w3c[i];
		if (fp->w3c[i].used < lru->used)
			lru = &fp->w3c[i];
	}
	free(lru->key);
	free(lru->names);
	free(lru->names_json);
	memset(lru, 0, sizeof *lru);
	return lru;
}

static bool
starts(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && memcmp(s, lit, n) == 0;
}

/*
 * The kept names written as JSON once, each one `"name":`, for the fields
 * JSON of the source's lines. Out of memory: none (written per line).
 */
static void
names_json(struct w3c_source *src)
{
	struct fw_jbuf j = { 0 };

	src->names_json_at[0] = 0;
	for (uint32_t k = 0; k < src->n; k++) {
		fw_jbuf_text(&j, src->name[k].s, src->name[k].n);
		FW_JBUF_LIT(&j, ":");
		src->names_json_at[k + 1] = (uint32_t)j.len;
	}
	/* 16 bytes after the names, so that they are copied 16 at a time */
	if (fw_jbuf_reserve(&j, 16) && j.len <= UINT32_MAX) {
		memset(j.data + j.len, 0, 16);
		src->names_json = j.data;
	} else {
		fw_jbuf_free(&j);
		src->names_json = NULL;
	}
}

/* The names of a #Fields line (s[0..len) after "#Fields:") become source's. */
static void
set_fields(struct fw_format_parser *fp, const char *source, const char *s, size_t len)
{
	struct w3c_source *src;
	char *names = malloc(len + 1), *key = strdup(source_key(source));
	size_t i;

	if (!names || !key) {
		/* The lines that follow do not parse: they are still matched as text. */
		free(names);
		free(key);
		return;
	}
	memcpy(names, s, len);
	names[len] = '\0';
	src = take_source(fp, source);
	free(src->key);
	free(src->names);
	free(src->names_json);
	src->names_json = NULL;
	src->key = key;
	src->names = names;
	src->n = 0;
	src->total = 0;
	src->dups = 0;
	src->names_id = fw__fmt_names_id();
	src->date_col = -1;
	src->time_col = -1;
	src->used = ++fp->tick;
	for (i = 0; names[i];) {
		size_t start;

		while (names[i] == ' ' || names[i] == '\t')
			i++;
		start = i;
		while (names[i] && names[i] != ' ' && names[i] != '\t')
			i++;
		if (i == start)
			continue;
		src->total++;
		if (src->n < FW_FIELDS_MAX) {
			src->name[src->n].s = names + start;
			src->name[src->n].n = i - start;
			/* once here, not on every line that writes its fields */
			for (uint32_t k = 0; k < src->n; k++)
				if (src->name[k].n == i - start &&
				    memcmp(src->name[k].s, names + start, i - start) == 0) {
					src->dups |= (uint64_t)1 << src->n;
					break;
				}
			if (i - start == 4 && memcmp(names + start, "date", 4) == 0)
				src->date_col = (int)src->n;
			else if (i - start == 4 && memcmp(names + start, "time", 4) == 0)
				src->time_col = (int)src->n;
			src->n++;
		}
	}
	names_json(src);
}

/*
 * A directive line. #Fields replaces the source's field names (allocating:
 * once per file, not per line). Returns whether it is a W3C directive.
 */
bool
fw__w3c_header(struct fw_format_parser *fp, const char *source, struct fw_parsed *out)
{
	static const char *const directives[] = {
		"#Version:", "#Software:", "#Date:", "#Start-Date:", "#End-Date:", "#Remark:", NULL,
	};
	const char *s = out->text;
	size_t len = out->len;

	if (!starts(s, len, "#Fields:")) {
		for (size_t i = 0; directives[i]; i++)
			if (starts(s, len, directives[i]))
				return true;
		return false;
	}
	set_fields(fp, source, s + 8, len - 8);
	return true;
}

#define W3C_PROBE_BYTES 65536   /* directives longer than this are not looked for */

struct text_start {
	char *text;
	size_t len;
};

static void
keep_text(void *arg, const char *data, size_t len)
{
	struct text_start *t = arg;
	size_t n = len < W3C_PROBE_BYTES - t->len ? len : W3C_PROBE_BYTES - t->len;

	memcpy(t->text + t->len, data, n);
	t->len += n;
}

/*
 * A compressed file (CloudFront delivers gzip) resumed after its header:
 * the header is in the text its first bytes decompress to. *buf (the
 * compressed bytes) becomes that text's first W3C_PROBE_BYTES bytes; returns
 * their length (0 when it cannot be decompressed; a stream cut by the probe
 * still yields its start).
 */
static size_t
decompress_start(char **buf, size_t got)
{
	struct text_start t = { .text = malloc(W3C_PROBE_BYTES) };
	struct fw_decomp *d = NULL;

	/* in small steps, so a highly compressed file is not inflated far past what is kept */
	if (t.text && fw_decomp_new(fw_decomp_detect(*buf, got), &d) == 0)
		for (size_t at = 0; at < got && t.len < W3C_PROBE_BYTES; at += 4096)
			if (fw_decomp_feed(d, *buf + at, got - at < 4096 ? got - at : 4096, keep_text, &t) < 0)
				break;
	fw_decomp_free(d);
	free(*buf);
	*buf = t.text;
	return t.text ? t.len : 0;
}

/*
 * The directives at the start of the file source: the last #Fields before
 * the first line that is not one. Without one, the source is remembered
 * with no names (not probed again while it is remembered).
 */
static struct w3c_source *
probe_header(struct fw_format_parser *fp, const char *source)
{
	struct w3c_source *src;
	char *buf = malloc(W3C_PROBE_BYTES);
	const char *fields = NULL;
	size_t got = 0, fields_len = 0;
	int fd = -1;

	if (buf)
		fd = fp->source_fd >= 0 ? fp->source_fd :
					  open(source, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	while (fd >= 0 && got < W3C_PROBE_BYTES) {
		ssize_t n = pread(fd, buf + got, W3C_PROBE_BYTES - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (fd >= 0 && fd != fp->source_fd)
		close(fd);
	if (got && fw_decomp_detect(buf, got) != FW_DECOMP_NONE)
		got = decompress_start(&buf, got);
	for (size_t i = 0; i < got && buf[i] == '#';) {
		const char *nl = memchr(buf + i, '\n', got - i);
		size_t end = nl ? (size_t)(nl - buf) : got, len = end - i;

		if (!nl)
			break;          /* cut by the probe's limit: not a whole line */
		if (len && buf[end - 1] == '\r')
			len--;
		if (starts(buf + i, len, "#Fields:")) {
			fields = buf + i + 8;
			fields_len = len - 8;
		}
		i = end + 1;
	}
	if (fields)
		set_fields(fp, source, fields, fields_len);
	free(buf);
	src = find_source(fp, source);
	if (!src) {
		char *key = strdup(source_key(source));

		if (!key)
			return NULL;
		src = take_source(fp, source);
		src->key = key;
		src->used = ++fp->tick;
		src->date_col = -1;
		src->time_col = -1;
	}
	return src;
}

/* A line's columns as they are split: the next one's number and where it starts. */
struct columns {
	const char *s;
	size_t start;
	uint32_t col;
	const char *date, *time_;   /* as written (not decoded) */
	size_t date_len, time_len;
};

/* v[0..n), which holds a '%', with %XX decoded into the parser's buffer. */
static void
add_decoded(struct fw_format_parser *fp, struct fw_parsed *out, const char *name, size_t name_len,
	    const char *v, size_t n)
{
	char *d = fw__fmt_room(fp, n);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (v[i] == '%' && i + 2 < n && (hi = fw_hex_value(v[i + 1])) >= 0 &&
		    (lo = fw_hex_value(v[i + 2])) >= 0) {
			d[k++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			d[k++] = v[i];
		}
	}
	fw__fmt_commit(fp, k);
	fw__fmt_field(out, name, name_len, d, k);
}

/* A value: "-" is empty; decoded when it has a '%' (pct), else as it is. */
static inline void
add_value(struct fw_format_parser *fp, struct fw_parsed *out, const char *name, size_t name_len,
	  const char *v, size_t n, bool pct)
{
	if (n == 1 && v[0] == '-')
		n = 0;
	if (pct && n)
		add_decoded(fp, out, name, name_len, v, n);
	else
		fw__fmt_field(out, name, name_len, v, n);
}

/*
 * The time of date and time as written: most lines of a busy log repeat
 * the second before them, whose time is kept.
 */
static bool
line_time(struct fw_format_parser *fp, const struct columns *c, struct timespec *t)
{
	struct w3c_time_memo *m = &fp->w3c_time;

	if (c->date_len + c->time_len > sizeof m->text) {
		return fw__time_w3c(c->date, c->date_len, c->time_, c->time_len, t);
	}
	if (m->date_len != c->date_len || m->time_len != c->time_len || memcmp(m->text, c->date, c->date_len) != 0 ||
	    memcmp(m->text + c->date_len, c->time_, c->time_len) != 0) {
		m->ok = fw__time_w3c(c->date, c->date_len, c->time_, c->time_len, &m->time);
		memcpy(m->text, c->date, c->date_len);
		memcpy(m->text + c->date_len, c->time_, c->time_len);
		m->date_len = c->date_len;
		m->time_len = c->time_len;
	}
	*t = m->time;
	return m->ok;
}

/*
 * Bits of the 16 bytes at p (fewer at the line's end, n): where sep
 * stands, and where '%' does. SSE2 compares all 16 at once; the last
 * block is copied first, so nothing past the line is read.
 */
static inline void
block_marks(const char *p, size_t n, char sep, unsigned *seps, unsigned *pcts)
{
	char tail[16];

	if (n < 16) {
		memset(tail, 0, sizeof tail);
		memcpy(tail, p, n);
		p = tail;
	}
#ifdef __SSE2__
	{
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

		*seps = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(sep)));
		*pcts = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('%')));
	}
#else
	*seps = *pcts = 0;
	for (unsigned i = 0; i < 16; i++) {
		*seps |= (unsigned)(p[i] == sep) << i;
		*pcts |= (unsigned)(p[i] == '%') << i;
	}
#endif
}

/* The next column, c->s[c->start..end): a value of the source's kept names, or dropped. */
static inline void
take_column(struct fw_format_parser *fp, struct fw_parsed *out, const struct w3c_source *src,
	    struct columns *c, size_t end, bool pct)
{
	const char *v = c->s + c->start;
	size_t n = end - c->start;

	if (c->col < src->n) {
		add_value(fp, out, src->name[c->col].s, src->name[c->col].n, v, n, pct);
		if ((int)c->col == src->date_col) {
			c->date = v;
			c->date_len = n;
		} else if ((int)c->col == src->time_col) {
			c->time_ = v;
			c->time_len = n;
		}
	} else {
		out->n_dropped++;
	}
	c->col++;
	c->start = end + 1;
}

bool
fw__w3c_parse(struct fw_format_parser *fp, const char *source, struct fw_parsed *out)
{
	struct w3c_source *src = find_source(fp, source);
	struct columns c = { .s = out->text };
	size_t len = out->len;
	char sep = memchr(c.s, '\t', len) ? '\t' : ' ';
	bool pct = false, first_fields = out->n_fields == 0;

	if (!src && source)
		src = probe_header(fp, source);
	if (!src || !src->names) {
		out->why = "no #Fields header before it in this file";
		return false;
	}
	src->used = ++fp->tick;
	if (len == 0) {
		out->why = "empty line";
		return false;
	}
	/* The separators and '%'s of the line, 16 bytes at a time, in order. */
	for (size_t base = 0; base < len; base += 16) {
		unsigned seps, pcts, m;

		block_marks(c.s + base, len - base, sep, &seps, &pcts);
		for (m = seps | pcts; m; m &= m - 1) {
			unsigned bit = (unsigned)__builtin_ctz(m);

			if (seps >> bit & 1) {
				take_column(fp, out, src, &c, base + bit, pct);
				pct = false;
			} else {
				pct = true;
			}
		}
	}
	take_column(fp, out, src, &c, len, pct);
	if (c.col != src->total) {
		out->why = c.col < src->total ? "fewer values than #Fields names" :
					    "more values than #Fields names";
		return false;
	}
	if (c.date && c.time_)
		out->has_time = line_time(fp, &c, &out->time);
	/* field i is column i, of name i */
	out->dups_known = first_fields;
	out->name_dups = src->dups;
	out->names_json = first_fields ? src->names_json : NULL;
	out->names_json_at = src->names_json_at;
	out->names_id = first_fields ? src->names_id : 0;
	return true;
}
