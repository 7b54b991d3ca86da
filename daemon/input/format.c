/*
 * format: the parser of an input's line format and the dispatch to each
 * format (format_w3c.c, format_json.c, format_combined.c, format_nginx.c,
 * format_syslog.c).
 * See format.h for what it guarantees: no line is lost, nothing is
 * allocated per line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/format_int.h"

const char *const fw_line_format_names[] = {
	"plain", "w3c", "json", "combined", "syslog", "auto", NULL,
};
const char *const fw_log_kind_names[] = {
	"plain", "w3c", "json", "combined", "syslog", "journal", NULL,
};

int
fw_log_kind_parse(const char *name)
{
	for (int i = 0; fw_log_kind_names[i]; i++)
		if (strcmp(fw_log_kind_names[i], name) == 0)
			return i;
	return -1;
}

int
fw_format_parser_new(enum fw_line_format format, size_t max_line, struct fw_format_parser **out)
{
	struct fw_format_parser *fp = calloc(1, sizeof *fp);

	*out = NULL;
	if (!fp)
		return -ENOMEM;
	fp->format = format;
	fp->max_line = max_line;
	fp->source_fd = -1;
	/* The line, then its decoded values, which are never longer than it. */
	fp->cap = 2 * max_line + 2;
	fp->buf = malloc(fp->cap);
	if (!fp->buf) {
		free(fp);
		return -ENOMEM;
	}
	*out = fp;
	return 0;
}

int
fw_format_parser_new_log_format(const char *spec, size_t max_line, struct fw_format_parser **out,
				char *why, size_t why_len)
{
	struct fw_log_format *lf;
	int err = fw__nginx_compile(spec, &lf, why, why_len);

	*out = NULL;
	if (err < 0)
		return err;
	if ((err = fw_format_parser_new(FW_LINE_COMBINED, max_line, out)) < 0) {
		fw__nginx_free(lf);
		snprintf(why, why_len, "out of memory");
		return err;
	}
	(*out)->log_format = lf;
	return 0;
}

const char *
fw_format_parser_log_format(const struct fw_format_parser *fp)
{
	return fp->log_format ? fw__nginx_spec(fp->log_format) : NULL;
}

void
fw_format_parser_free(struct fw_format_parser *fp)
{
	if (!fp)
		return;
	fw__nginx_free(fp->log_format);
	for (size_t i = 0; i < FW_W3C_SOURCES; i++) {
		free(fp->w3c[i].key);
		free(fp->w3c[i].names);
		free(fp->w3c[i].names_json);
	}
	for (size_t i = 0; i < fp->plain_cap; i++)
		free(fp->plain[i].key);
	free(fp->plain);
	free(fp->buf);
	free(fp);
}

enum fw_line_format
fw_format_parser_format(const struct fw_format_parser *fp)
{
	return fp->format;
}

char *
fw__fmt_room(struct fw_format_parser *fp, size_t n)
{
	(void)n;        /* fits: see fw_format_parser_new */
	return fp->buf + fp->used;
}

uint64_t
fw__fmt_names_id(void)
{
	static uint64_t last;

	return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

void
fw__fmt_commit(struct fw_format_parser *fp, size_t n)
{
	fp->used += n;
}

static void
reset_fields(struct fw_parsed *out)
{
	out->n_fields = 0;
	out->n_dropped = 0;
	out->dups_known = false;
	out->names_static = false;
	out->names_json = NULL;
	out->names_id = 0;
	out->has_time = false;
	out->nginx_error = false;
}

/* One format's parse; false leaves no field behind. */
static bool
try_format(struct fw_format_parser *fp, enum fw_line_format f, const char *source,
	   const struct timespec *now, struct fw_parsed *out)
{
	bool ok = false;
	size_t used = fp->used;

	switch (f) {
	case FW_LINE_W3C:
		ok = fw__w3c_parse(fp, source, out);
		break;
	case FW_LINE_JSON:
		ok = fw__json_parse(fp, out);
		break;
	case FW_LINE_COMBINED:
		ok = fp->log_format ? fw__nginx_parse(fp, out) : fw__combined_parse(fp, out);
		break;
	case FW_LINE_SYSLOG:
		ok = fw__syslog_parse(fp, now, out);
		break;
	default:
		break;
	}
	if (!ok) {
		reset_fields(out);
		fp->used = used;
	}
	return ok;
}

/*
 * Docker's json-file driver writes each line a container prints as
 * {"log":"LINE\n","stream":"stdout|stderr","time":"RFC 3339"} (plus
 * "attrs" with labels). The line to match is the decoded `log`, without its
 * newline: the container's own log (nginx's error log, an application's
 * JSON, a syslog line as a container's rsyslog or a logger writes it, or
 * an access log, parsed as such when it is one, else plain text), with the
 * time of `time` unless the line has its own. An RFC 3164 time has no year:
 * its year is found from Docker's `time` rather than the read time, so a
 * file read long after it was written keeps its years. True when the
 * object was such a line (out describes the inner line then).
 */
static bool
docker_line(struct fw_format_parser *fp, const char *source, const struct timespec *now,
	    struct fw_parsed *out)
{
	const struct fw_field *log = fw_parsed_field(out, "log", 3);
	const char *text;
	size_t len;
	bool has_time = out->has_time;
	struct timespec t = out->time;

	if (!log || !fw_parsed_field(out, "stream", 6) || !fw_parsed_field(out, "time", 4) ||
	    out->n_fields > 4)
		return false;
	text = log->value;
	len = log->value_len;
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	reset_fields(out);
	out->text = text;
	out->len = len;
	out->status = FW_PARSE_OK;
	if (len && text[0] == '{' && try_format(fp, FW_LINE_JSON, source, now, out)) {
		out->format = FW_LINE_JSON;
	} else if (try_format(fp, FW_LINE_SYSLOG, source, has_time ? &t : now, out)) {
		out->format = FW_LINE_SYSLOG;
	} else if (try_format(fp, FW_LINE_COMBINED, source, now, out)) {
		out->format = FW_LINE_COMBINED;
	} else {
		out->format = FW_LINE_PLAIN;
		out->status = FW_PARSE_PLAIN;
	}
	if (!out->has_time && has_time) {
		out->has_time = true;
		out->time = t;
	}
	return true;
}

/* auto: each format only where the line's first bytes allow it. */
static void
parse_auto(struct fw_format_parser *fp, const char *source, const struct timespec *now,
	   struct fw_parsed *out)
{
	const char *s = out->text;

	out->status = FW_PARSE_OK;
	if (out->len && s[0] == '{' && try_format(fp, FW_LINE_JSON, source, now, out)) {
		out->format = FW_LINE_JSON;
		docker_line(fp, source, now, out);
		return;
	}
	if (out->len && s[0] == '#' && fw__w3c_header(fp, source, out)) {
		out->format = FW_LINE_W3C;
		out->status = FW_PARSE_HEADER;
		return;
	}
	/* A TAB-separated line of a file read from its middle: W3C if the
	 * file starts with a #Fields header (format_w3c.c reads it once). */
	if ((fw__w3c_known(fp, source) || (source && memchr(s, '\t', out->len))) &&
	    try_format(fp, FW_LINE_W3C, source, now, out)) {
		out->format = FW_LINE_W3C;
		return;
	}
	if (try_format(fp, FW_LINE_SYSLOG, source, now, out)) {
		out->format = FW_LINE_SYSLOG;
		return;
	}
	if (try_format(fp, FW_LINE_COMBINED, source, now, out)) {
		out->format = FW_LINE_COMBINED;
		return;
	}
	out->format = FW_LINE_PLAIN;
	out->status = FW_PARSE_PLAIN;
}

/*
 * plain: what the first line seen of a source says about all of its lines.
 * Only what leaves no doubt: a W3C directive (#Version, #Fields...), a
 * TAB-separated line of a file that starts with #Fields (a file resumed
 * after its header), or an access-log line (combined). The answer is kept
 * per source in a table that grows with the sources, so an input that
 * follows many files looks at each once; past FW_PLAIN_SOURCES_MAX sources
 * the table starts again empty (each source is then looked at once more).
 */
/* An nginx error-log line ("2026/12/04 14:37:17 [error] 12#12: ..."): its time into out. */
static bool
nginx_error_time(struct fw_parsed *out)
{
	const char *s = out->text;

	if (!fw_format_nginx_error_prefix(s, out->len, &out->time, NULL, NULL))
		return false;
	out->nginx_error = true;
	out->has_time = true;
	return true;
}

/* FNV-1a, 64 bits */
static uint64_t
plain_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *c = (const unsigned char *)key; *c; c++)
		h = (h ^ *c) * 0x100000001b3ULL;
	return h;
}

/* The slot of key, or the free slot where it would go (plain_cap > 0). */
static struct plain_source *
plain_slot(struct plain_source *table, size_t cap, const char *key, uint64_t hash)
{
	size_t i = (size_t)hash & (cap - 1);

	while (table[i].key && (table[i].hash != hash || strcmp(table[i].key, key) != 0))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

static struct plain_source *
plain_lookup(struct fw_format_parser *fp, const char *key)
{
	struct plain_source *p;

	if (fp->plain_last && strcmp(fp->plain_last->key, key) == 0)
		return fp->plain_last;
	if (!fp->plain_n)
		return NULL;
	p = plain_slot(fp->plain, fp->plain_cap, key, plain_hash(key));
	return p->key ? (fp->plain_last = p) : NULL;
}

/* Room for one more source (at most half the slots used): 0, or -ENOMEM. */
static int
plain_reserve(struct fw_format_parser *fp)
{
	struct plain_source *table;
	size_t cap = fp->plain_cap ? 2 * fp->plain_cap : 2 * FW_W3C_SOURCES;

	if (fp->plain_n >= FW_PLAIN_SOURCES_MAX) {
		for (size_t i = 0; i < fp->plain_cap; i++) {
			free(fp->plain[i].key);
			fp->plain[i].key = NULL;
		}
		fp->plain_n = 0;
		fp->plain_last = NULL;
	}
	if (2 * (fp->plain_n + 1) <= fp->plain_cap)
		return 0;
	fp->plain_last = NULL;
	if (!(table = calloc(cap, sizeof *table)))
		return -ENOMEM;
	for (size_t i = 0; i < fp->plain_cap; i++)
		if (fp->plain[i].key)
			*plain_slot(table, cap, fp->plain[i].key, fp->plain[i].hash) = fp->plain[i];
	free(fp->plain);
	fp->plain = table;
	fp->plain_cap = cap;
	return 0;
}

/* The format of a source not yet known, from out->text (the parser's copy of its line). */
static enum fw_line_format
plain_detect(struct fw_format_parser *fp, const char *source, const struct timespec *now,
	     struct fw_parsed *out)
{
	const char *key = source ? source : "", *s = out->text;
	enum fw_line_format found = FW_LINE_PLAIN;
	struct plain_source *slot;
	uint64_t hash;
	char *copy;

	fp->plain_detections++;
	if (out->len && s[0] == '#' && fw__w3c_header(fp, source, out))
		found = FW_LINE_W3C;
	else if (((source && memchr(s, '\t', out->len)) || fw__w3c_known(fp, source)) &&
		 try_format(fp, FW_LINE_W3C, source, now, out))
		found = FW_LINE_W3C;
	else if (try_format(fp, FW_LINE_COMBINED, source, now, out))
		found = FW_LINE_COMBINED;
	reset_fields(out);
	fp->used = out->len + 1;
	/* out of memory: looked at again on the next line */
	if (plain_reserve(fp) < 0 || !(copy = strdup(key)))
		return found;
	hash = plain_hash(key);
	slot = plain_slot(fp->plain, fp->plain_cap, key, hash);
	*slot = (struct plain_source){ .key = copy, .hash = hash, .format = found,
				       .nginx_error = found == FW_LINE_PLAIN && nginx_error_time(out) };
	fp->plain_n++;
	reset_fields(out);
	fp->plain_last = slot;
	return found;
}

/* plain: a line of a source plain_detect() recognised, parsed as such; else plain text. */
static void
parse_plain(struct fw_format_parser *fp, const char *source, const struct timespec *now,
	    struct fw_parsed *out)
{
	const struct plain_source *known = plain_lookup(fp, source ? source : "");
	enum fw_line_format f = known ? known->format : plain_detect(fp, source, now, out);

	if (!known)
		known = plain_lookup(fp, source ? source : "");
	out->format = f;
	if (known && known->nginx_error && nginx_error_time(out)) {
		out->status = FW_PARSE_OK;      /* plain text with its time, no fields */
	} else if (f == FW_LINE_W3C && out->len && out->text[0] == '#') {
		fw__w3c_header(fp, source, out);
		out->status = FW_PARSE_HEADER;
	} else if (f != FW_LINE_PLAIN && try_format(fp, f, source, now, out)) {
		out->status = FW_PARSE_OK;
	} else {
		out->format = FW_LINE_PLAIN;
		out->status = FW_PARSE_PLAIN;
		out->why = NULL;
	}
}

void
fw_format_parse(struct fw_format_parser *fp, const char *source, const char *line, size_t len,
		const struct timespec *now, struct fw_parsed *out)
{
	fw_format_parse_fd(fp, source, -1, line, len, now, out);
}

void
fw_format_parse_fd(struct fw_format_parser *fp, const char *source, int fd, const char *line,
		   size_t len, const struct timespec *now, struct fw_parsed *out)
{
	fp->source_fd = fd;
	out->format = fp->format;
	out->text = line;
	out->len = len;
	out->extent = len;
	out->why = NULL;
	reset_fields(out);
	if (fp->format == FW_LINE_PLAIN) {
		const struct plain_source *known = plain_lookup(fp, source ? source : "");

		/* the common case, a plain text source seen before: no copy
		 * (an nginx error line's time is read in place; it has no fields) */
		if (known && known->format == FW_LINE_PLAIN) {
			out->status = known->nginx_error && nginx_error_time(out) ? FW_PARSE_OK
										   : FW_PARSE_PLAIN;
			return;
		}
	}
	if (len > fp->max_line) {
		bool quiet = fp->format == FW_LINE_AUTO || fp->format == FW_LINE_PLAIN;

		out->status = quiet ? FW_PARSE_PLAIN : FW_PARSE_BAD;
		out->format = quiet ? FW_LINE_PLAIN : fp->format;
		out->why = "longer than the parser's line limit";
		return;
	}
	/* The copy: values point into it, and decoded ones follow it. */
	memcpy(fp->buf, line, len);
	fp->buf[len] = '\0';
	fp->used = len + 1;
	out->text = fp->buf;

	if (fp->format == FW_LINE_AUTO) {
		parse_auto(fp, source, now, out);
	} else if (fp->format == FW_LINE_PLAIN) {
		parse_plain(fp, source, now, out);
	} else if (fp->format == FW_LINE_W3C && len && line[0] == '#') {
		/* Every '#' line is a directive (W3C's Extended Log File Format);
		 * only #Fields changes what follows. */
		fw__w3c_header(fp, source, out);
		out->status = FW_PARSE_HEADER;
	} else if (try_format(fp, fp->format, source, now, out)) {
		out->status = FW_PARSE_OK;
		if (fp->format == FW_LINE_JSON)
			docker_line(fp, source, now, out);
	} else {
		out->status = FW_PARSE_BAD;
		if (!out->why)
			out->why = "does not fit the format";
	}
	/* Fields point into the copy, at or after the text (docker_line's text is a decoded value). */
	out->extent = fp->used - (size_t)(out->text - fp->buf);
}

const struct fw_field *
fw_parsed_field(const struct fw_parsed *p, const char *name, size_t name_len)
{
	for (uint32_t i = 0; i < p->n_fields; i++)
		if (p->fields[i].name_len == name_len && memcmp(p->fields[i].name, name, name_len) == 0)
			return &p->fields[i];
	return NULL;
}
