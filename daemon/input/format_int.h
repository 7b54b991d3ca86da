/*
 * format_int: what the format parsers (format_*.c) share. Not part of the
 * interface: include format.h.
 *
 * A parser works on out->text, the parser's own copy of the line, and may
 * write decoded values after it with fw__fmt_room(); it adds fields with
 * fw__fmt_field() and returns true when the line is of its format. On false
 * the caller resets the fields (a parser may have added some).
 */
#ifndef FW_FORMAT_INT_H
#define FW_FORMAT_INT_H

#include "input/format.h"

struct w3c_source {
	char *key;                  /* the source's name ("" for a stream), NULL: free slot */
	char *names;                /* the #Fields line's names, one allocation */
	struct { const char *s; size_t n; } name[FW_FIELDS_MAX];
	uint32_t n;                 /* names kept */
	uint32_t total;             /* names in the header (more than n: not kept) */
	uint64_t dups;              /* bit i: name i is an earlier name again */
	int date_col, time_col;     /* the last kept names "date" and "time", or -1 */
	uint64_t names_id;          /* fw_parsed.names_id of its lines */
	char *names_json;           /* name i as JSON and ':' at [at[i], at[i + 1]); or NULL */
	uint32_t names_json_at[FW_FIELDS_MAX + 1];
	uint64_t used;              /* for evicting the least recently used */
};

/* w3c: the time of the last line's date and time, as written */
struct w3c_time_memo {
	char text[40];              /* date, then time */
	size_t date_len, time_len;  /* 0, 0: none yet */
	bool ok;
	struct timespec time;
};

/* plain: sources kept before the table starts again empty */
#define FW_PLAIN_SOURCES_MAX 65536

/* plain: the format a source's first line seen showed, a slot of format.c's table */
struct plain_source {
	char *key;                  /* the source's name ("" for a stream), NULL: free slot */
	uint64_t hash;              /* of key */
	enum fw_line_format format; /* w3c, combined, or plain */
	bool nginx_error;           /* plain: nginx's error log, whose lines start with their time */
};

struct fw_format_parser {
	enum fw_line_format format;
	size_t max_line;
	char *buf;                  /* the line's copy, then decoded values */
	size_t cap, used;
	uint64_t tick;
	struct w3c_source w3c[FW_W3C_SOURCES];
	struct w3c_time_memo w3c_time;
	struct plain_source *plain;         /* open addressing, plain_cap slots (a power of 2) */
	size_t plain_cap, plain_n;
	struct plain_source *plain_last;    /* the last source looked up */
	uint64_t plain_detections;          /* sources looked at, for the tests */
	struct fw_log_format *log_format;   /* combined lines of this nginx log_format; NULL: nginx's own */
	int source_fd;              /* the line's file, for its W3C header; -1: open it by name */
};

/* n bytes after what is in the buffer (never fails: the buffer holds 2 * max_line). */
char *fw__fmt_room(struct fw_format_parser *fp, size_t n);
void fw__fmt_commit(struct fw_format_parser *fp, size_t n);
/* A new fw_parsed.names_id (never 0). */
uint64_t fw__fmt_names_id(void);

static inline void
fw__fmt_field(struct fw_parsed *out, const char *name, size_t name_len, const char *value,
	      size_t value_len)
{
	if (out->n_fields == FW_FIELDS_MAX) {
		out->n_dropped++;
		return;
	}
	out->fields[out->n_fields++] = (struct fw_field){ name, name_len, value, value_len };
}

#define FW__LIT_FIELD(out, lit, v, n) fw__fmt_field((out), (lit), sizeof(lit) - 1, (v), (n))

/* The parsers: true when the line (out->text) is of the format. */
bool fw__w3c_header(struct fw_format_parser *fp, const char *source, struct fw_parsed *out);
bool fw__w3c_known(struct fw_format_parser *fp, const char *source);
bool fw__w3c_parse(struct fw_format_parser *fp, const char *source, struct fw_parsed *out);
bool fw__json_parse(struct fw_format_parser *fp, struct fw_parsed *out);
bool fw__combined_parse(struct fw_format_parser *fp, struct fw_parsed *out);
bool fw__syslog_parse(struct fw_format_parser *fp, const struct timespec *now, struct fw_parsed *out);
bool fw__nginx_parse(struct fw_format_parser *fp, struct fw_parsed *out);

/* "GET /x HTTP/1.1" as request_method, request_uri, server_protocol, when it has three parts. */
void fw__request_parts(struct fw_parsed *out, const char *request, size_t len);

/*
 * An nginx log_format (format_nginx.c): 0, or -EINVAL / -ENOMEM with why
 * saying what is wrong, quoting the part of the format.
 */
struct fw_log_format;
int fw__nginx_compile(const char *spec, struct fw_log_format **out, char *why, size_t why_len);
void fw__nginx_free(struct fw_log_format *lf);
const char *fw__nginx_spec(const struct fw_log_format *lf);

/*
 * Timestamps (format_time.c), strict: the whole of s[0..len) must be the
 * time. true and *t set (UTC) when it is one.
 *  rfc3339: 2026-12-04T14:37:17[.123456](Z|+01:00) (also ' ' for 'T', and
 *           without zone: UTC)
 *  clf:     04/Dec/2026:14:37:17 +0100
 *  epoch:   1764859037[.123] (seconds)
 *  rfc3164: "Dec  4 14:37:17", local time, the year that puts it at most a
 *           day after now
 *  w3c:     date 2026-12-04 and time 14:37:17[.123], UTC
 */
bool fw__time_rfc3339(const char *s, size_t len, struct timespec *t);
bool fw__time_clf(const char *s, size_t len, struct timespec *t);
bool fw__time_epoch(const char *s, size_t len, struct timespec *t);
bool fw__time_rfc3164(const char *s, size_t len, const struct timespec *now, struct timespec *t);
bool fw__time_w3c(const char *date, size_t date_len, const char *time, size_t time_len,
		  struct timespec *t);
/* Any of rfc3339, clf, epoch. */
bool fw__time_any(const char *s, size_t len, struct timespec *t);

#endif
