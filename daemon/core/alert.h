/*
 * alert: builds the fixwatch.alert/1 JSON object of one match (SPEC §6,
 * contract) with json-c.
 *
 * Strings from the log line (the line itself, captures, paths) are made
 * valid UTF-8 first (each invalid byte becomes U+FFFD); json-c escapes
 * control characters, so an alert is always one valid JSON line.
 */
#ifndef FW_ALERT_H
#define FW_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "kb/kb.h"
#include "match/match.h"

enum fw_source_type {
	FW_SOURCE_FILE,
	FW_SOURCE_JOURNAL,
	FW_SOURCE_STDIN,
};

struct fw_alert_source {
	enum fw_source_type type;
	const char *path;           /* file */
	uint64_t offset;            /* file, stdin: byte offset of the line's start */
	uint64_t line_no;           /* file, stdin: 1-based */
	const char *unit;           /* journal */
	const char *identifier;     /* journal */
	const char *cursor;         /* journal */
};

struct fw_alert_input {
	const struct fw_kb *kb;
	const struct fw_match_result *result;
	uint32_t hit;               /* the hit this alert is for */
	bool list_also_matched;     /* match = best: name the other hits */
	const char *input;          /* the input's name */
	const char *host;
	struct timespec time;       /* when the line was read */
	const struct fw_alert_source *source;
	const char *line;
	size_t len;
	bool truncated;
	bool zh;                    /* locale = zh */
	uint64_t count;             /* matches this alert stands for (>= 1) */
};

/* A new json object (caller puts it), or NULL on out-of-memory. */
json_object *fw_alert_build(const struct fw_alert_input *in);

/* Serialises as one line without a newline; the string belongs to obj. */
const char *fw_alert_json(json_object *obj, size_t *len);

/* Appends s[0..len) to obj as key, with invalid UTF-8 replaced. */
int fw_json_add_text(json_object *obj, const char *key, const char *s, size_t len);

/* Formats t as RFC 3339 UTC with milliseconds ("2026-11-23T08:00:00.123Z"). */
void fw_format_time(const struct timespec *t, char buf[32]);

#endif
