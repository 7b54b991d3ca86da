/*
 * format_nginx_shape: what the value of an nginx variable can look like in
 * an access log (format_nginx.c splits lines with it). Not part of the
 * interface: include format.h.
 *
 * A shape is a set of bytes the value may hold, the bytes it may start
 * with, a fixed width for the few that have one, and for some a check of
 * the whole value (a time, an upstream list). Every variable has one:
 * known names and nginx's families of names get theirs (format_nginx_shape.c
 * lists the facts they rest on); any other variable is free text, whose end
 * only the literal after it decides. In every shape, `-` alone is nginx's
 * "no value", and with escape=default or escape=json no value holds an
 * unescaped `"` (nginx escapes it), so a candidate value holding one is
 * never the variable's, nor is any longer one.
 */
#ifndef FW_FORMAT_NGINX_SHAPE_H
#define FW_FORMAT_NGINX_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum fw__nginx_escape { FW__ESCAPE_DEFAULT, FW__ESCAPE_JSON, FW__ESCAPE_NONE };

enum fw__shape {
	FW__SHAPE_FREE,         /* any text: the generic shape */
	FW__SHAPE_DIGITS,       /* a count: 0-9 */
	FW__SHAPE_STATUS,       /* three digits */
	FW__SHAPE_DECIMAL,      /* seconds with milliseconds: 0-9 and '.' */
	FW__SHAPE_SIGNED,       /* a coordinate: "-33.8688" */
	FW__SHAPE_ADDRESS,      /* an IPv4 or IPv6 address, or "unix:" */
	FW__SHAPE_HOST,         /* a host name as nginx validates it (no '/', no blank) */
	FW__SHAPE_METHOD,       /* A-Z, '_', '-' */
	FW__SHAPE_PROTOCOL,     /* HTTP/1.1 */
	FW__SHAPE_URI,          /* starts with '/' */
	FW__SHAPE_WORD,         /* letters, maybe none: "https", "on", "HIT" */
	FW__SHAPE_HEX,          /* request_id */
	FW__SHAPE_TOKEN,        /* no blank, maybe none: "TLSv1.3", "r", "h2", "" */
	FW__SHAPE_TIME_LOCAL,   /* 04/Dec/2026:14:37:17 +0000 */
	FW__SHAPE_TIME_ISO8601, /* 2026-12-04T14:37:17+00:00 */
	FW__SHAPE_LIST_DIGITS,  /* upstream lists: "502, 504 : 200", elements of a shape or '-' */
	FW__SHAPE_LIST_DECIMAL,
	FW__SHAPE_LIST_TOKEN,
	FW__SHAPE_N
};

/* A set of bytes, as a table: one load per byte tested on the per-line path. */
struct fw__byteset {
	unsigned char has[256];
};

static inline bool
fw__byteset_has(const struct fw__byteset *s, unsigned char c)
{
	return s->has[c];
}

/* The bytes of each shape: computed once per compiled format. */
struct fw__shape_bytes {
	struct fw__byteset set;     /* bytes a value may hold */
	struct fw__byteset first;   /* bytes it may start with (but the '-' of "no value") */
	unsigned width;             /* a fixed length, or 0 */
	bool lists;                 /* an upstream list: ", " and " : " between elements */
	struct fw__byteset elem;    /* lists: the bytes of an element */
};

void fw__nginx_shape_bytes(struct fw__shape_bytes bytes[FW__SHAPE_N]);

/* The shape of the variable name[0..n). */
enum fw__shape fw__nginx_shape_of(const char *name, size_t n);

/* Whether v[0..n) can be a value. */
enum fw__fit {
	FW__FIT,                /* it can */
	FW__FIT_NOT,            /* it cannot; a longer one from the same start might */
	FW__FIT_NEVER,          /* neither can any longer one from the same start */
};

/*
 * time: set when the shape is a time and the value one (else left as it is).
 * scanned: every byte of v is known to be in the shape's set (the caller
 * found its end by them), so they are not checked again.
 */
enum fw__fit fw__nginx_shape_fits(const struct fw__shape_bytes *bytes, enum fw__shape shape,
				  enum fw__nginx_escape escape, const char *v, size_t n, bool scanned,
				  struct timespec *time);

#endif
