/*
 * format: the line formats of an input (`format =` in [input.*], `fixwatch
 * scan --input-format`): splits a line into named fields and takes its own
 * time from it.
 *
 *   plain     the line as it is (no fields; the default), but for the
 *             sources whose first line seen leaves no doubt: a W3C
 *             directive (or TAB-separated values of a file that starts
 *             with #Fields) makes the source w3c, an access-log line makes
 *             it combined; a line of such a source that does not fit is
 *             FW_PARSE_PLAIN (not bad). nginx's error log stays plain
 *             text, but its lines that start with their time are
 *             FW_PARSE_OK with that time and no fields. Each
 *             source is looked at once, however many an input follows.
 *   w3c       W3C extended log files (CloudFront standard logs, IIS):
 *             `#Fields:` names the columns of the lines after it, per file;
 *             values are TAB-separated (blank-separated when the line has
 *             no TAB), `-` is empty, %XX is decoded; the event time is
 *             `date` + `time` (UTC)
 *   json      one JSON object per line (nginx escape=json, CloudFront v2);
 *             top-level members are the fields, nested values stay JSON
 *             text; the event time is `time`, `@timestamp` or `timestamp`
 *   combined  the nginx/Apache access-log format, with or without a
 *             leading virtual host; the event time is the [..] field;
 *             or the layout of a custom nginx log_format
 *             (fw_format_parser_new_log_format)
 *   syslog    RFC 5424 and RFC 3164 lines (with or without <PRI>, as a
 *             network message or as rsyslog writes them to files, also
 *             with RFC 3339 timestamps)
 *   auto      per line, the first of json, w3c, syslog, combined that fits
 *
 * Guarantees: a line is never lost. A line that does not parse is returned
 * with no fields (FW_PARSE_BAD) and is still matched as plain text; a
 * header line (W3C `#...`) is FW_PARSE_HEADER and is not matched. Parsing
 * allocates nothing per line: the parser copies the line into its own
 * buffer (sized for max_line bytes when created) and decodes values into
 * the same buffer, so fields and the text stay valid until the next call.
 * Only a `#Fields:` header allocates (its names are kept per source, for
 * the last FW_W3C_SOURCES sources).
 *
 * Field names and values are bytes from the log; they are not NUL-
 * terminated and may hold invalid UTF-8 (the alert writer makes them safe).
 */
#ifndef FW_FORMAT_H
#define FW_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum fw_line_format {
	FW_LINE_PLAIN,
	FW_LINE_W3C,
	FW_LINE_JSON,
	FW_LINE_COMBINED,
	FW_LINE_SYSLOG,
	FW_LINE_AUTO,
	FW_LINE_FORMAT_N
};

/*
 * The kinds of log a KB record may name in `logs` (a bitmask of
 * 1 << kind): the line formats but auto, and the journal.
 */
enum fw_log_kind {
	FW_LOG_PLAIN = FW_LINE_PLAIN,
	FW_LOG_W3C = FW_LINE_W3C,
	FW_LOG_JSON = FW_LINE_JSON,
	FW_LOG_COMBINED = FW_LINE_COMBINED,
	FW_LOG_SYSLOG = FW_LINE_SYSLOG,
	FW_LOG_JOURNAL = FW_LINE_AUTO,
	FW_LOG_KIND_N
};

/* Names in enum order, NULL-terminated (the configuration's key table uses them). */
extern const char *const fw_line_format_names[];
extern const char *const fw_log_kind_names[];

/* The kind with this name, or -1. */
int fw_log_kind_parse(const char *name);

/*
 * Whether line starts as nginx's error log writes its lines, "2026/12/04
 * 14:37:17 [error] " (the server's local time, then the level). t (may be
 * NULL): the time, and false when the date is not a valid one. level (may
 * be NULL): the word in brackets, level_len 0 when "] " does not close it
 * within a few bytes.
 */
bool fw_format_nginx_error_prefix(const char *line, size_t len, struct timespec *t,
				  const char **level, size_t *level_len);
/* The level word of a line that fw_format_nginx_error_prefix() accepted: its length, 0 for none. */
size_t fw_format_nginx_error_level(const char *line, size_t len, const char **level);

#define FW_FIELDS_MAX 64        /* more are not kept (counted in n_dropped) */
#define FW_W3C_SOURCES 16       /* sources whose #Fields are remembered */

struct fw_field {
	const char *name;
	size_t name_len;
	const char *value;      /* inside fw_parsed.text's buffer */
	size_t value_len;
};

enum fw_parse_status {
	FW_PARSE_OK,            /* fields and maybe the time */
	FW_PARSE_PLAIN,         /* plain format: nothing to parse */
	FW_PARSE_HEADER,        /* a header line: not a log entry, not matched */
	FW_PARSE_BAD,           /* did not parse: match it as plain text */
};

struct fw_parsed {
	enum fw_parse_status status;
	enum fw_line_format format;     /* of the line: the input's, or what auto found
	                                   (plain when nothing fit) */
	const char *text;               /* the line to match: a copy, or the line itself */
	size_t len;
	size_t extent;                  /* bytes from text that fields may point into (>= len) */
	bool has_time;
	struct timespec time;           /* the line's own time, UTC */
	/* The line starts with nginx's error-log prefix, read for its time
	 * (fw_format_nginx_error_prefix): fw_format_nginx_error_level() applies. */
	bool nginx_error;
	const char *why;                /* FW_PARSE_BAD: a short static reason */
	uint32_t n_fields;
	uint32_t n_dropped;             /* fields beyond FW_FIELDS_MAX */
	/* name_dups is known for these fields (a W3C line's, from its #Fields
	 * header): bit i set when field i has the name of an earlier field */
	bool dups_known;
	uint64_t name_dups;
	/* Every field's name is a string constant of the parser (syslog,
	 * combined): it stays valid when the line and the parser are gone. */
	bool names_static;
	/* Or NULL: field i's name already written as JSON with its ':' (the
	 * header's, once), bytes [names_json_at[i], names_json_at[i + 1]),
	 * with 16 readable bytes after the last */
	const char *names_json;
	const uint32_t *names_json_at;
	/* Or 0: the list of names these fields take (a W3C header's, a
	 * log_format's), unique in the process: field i of two lines of the
	 * same names_id has the same name (one may have fewer fields). */
	uint64_t names_id;
	struct fw_field fields[FW_FIELDS_MAX];
};

struct fw_format_parser;

/*
 * A parser for one input. max_line is the longest line it will be handed
 * (longer ones are returned as FW_PARSE_BAD). 0 or -ENOMEM.
 */
int fw_format_parser_new(enum fw_line_format format, size_t max_line, struct fw_format_parser **out);
/*
 * A parser of the access log an nginx `log_format` describes (spec: the
 * format text, or the arguments of nginx's log_format directive; see
 * format_nginx.c). Its lines are of the combined kind, with the format's
 * variables as fields. 0; -EINVAL or -ENOMEM with why saying what is wrong
 * (quoting the part of the format).
 */
int fw_format_parser_new_log_format(const char *spec, size_t max_line, struct fw_format_parser **out,
				    char *why, size_t why_len);
/* The log_format the parser was made with (its own copy), or NULL. */
const char *fw_format_parser_log_format(const struct fw_format_parser *fp);
void fw_format_parser_free(struct fw_format_parser *fp);
enum fw_line_format fw_format_parser_format(const struct fw_format_parser *fp);

/*
 * Parses line[0..len) read from source (a file name, or NULL for a stream:
 * the W3C header applies per source). out is filled; see fw_parse_status.
 * now is the read time, for formats whose time lacks the year (RFC 3164).
 */
void fw_format_parse(struct fw_format_parser *fp, const char *source, const char *line, size_t len,
		     const struct timespec *now, struct fw_parsed *out);

/*
 * fw_format_parse for a line of the file source read through fd (open; -1:
 * none). A W3C header the parser has not seen for source (a file resumed
 * after it) is read from the start of fd with pread(), so a file renamed
 * over source meanwhile cannot lend its header, and fd's offset is left
 * as it is. Without fd it is read by the name source.
 */
void fw_format_parse_fd(struct fw_format_parser *fp, const char *source, int fd, const char *line,
			size_t len, const struct timespec *now, struct fw_parsed *out);

/* The field with this name, or NULL. */
const struct fw_field *fw_parsed_field(const struct fw_parsed *p, const char *name, size_t name_len);

#endif
