/*
 * format_nginx_int: a compiled nginx `log_format` (format_nginx.c compiles
 * it; format_nginx_line.c splits lines by it).
 */
#ifndef FW_INPUT_FORMAT_NGINX_INT_H
#define FW_INPUT_FORMAT_NGINX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "input/format_int.h"
#include "input/format_nginx_shape.h"

struct nginx_item {
	bool is_var;
	bool split_right;           /* the variable after it has a fixed width: its end decides */
	bool stops;                 /* a literal follows that starts with a byte the value cannot hold */
	bool set_decides;           /* a value of the shape's bytes fits when it starts right */
	enum fw__shape shape;
	const char *s;              /* the literal's bytes or the variable's name, in text */
	size_t n;
	size_t var;                 /* variables: the index of its span */
};

struct span {
	size_t start, end;
};

/* A busy log writes the same hour on many lines: a time of it reads only its minutes and seconds. */
struct time_memo {
	char text[32];
	size_t len;                 /* 0: none yet */
	struct timespec time;
};

struct fw_log_format {
	char *spec;                 /* as configured */
	char *text;                 /* the format, nginx.conf's quoting removed */
	enum fw__nginx_escape escape;
	bool quoted;                /* text is nginx.conf's quoted strings joined */
	struct nginx_item *items;
	size_t n_items, n_vars;
	struct span *spans;         /* per line, by variable */
	struct time_memo *memo;     /* the last access-log time that fit */
	bool request_parts;         /* request is logged, its parts are not */
	/* The first variable of these names (its field's index: fields are in
	 * variable order), or -1. */
	int request, time_local, time_iso8601, msec;
	struct fw__shape_bytes bytes[FW__SHAPE_N];
	/* A line's field names are the same on every line: which repeat an
	 * earlier one (bit i), and all of them written as JSON, each with its
	 * ':' (and 16 bytes after the last), at [names_json_at[i], [i + 1]). */
	uint64_t dups;
	uint64_t names_id;
	char *names_json;
	uint32_t names_json_at[FW_FIELDS_MAX + 1];
};

#endif
