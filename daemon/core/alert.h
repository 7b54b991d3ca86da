/*
 * alert: writes the fixwatch.alert/1 JSON object of one match (the
 * schema is documented in README.md, "Alerts").
 *
 * Most of an alert is the record's: its id, signature, root cause, fix,
 * workarounds, dead ends and rates. That part is rendered once per record,
 * when fw_alert_write_open writes the record's first alert (or by
 * fw_alert_parts_detach, see below), and copied into each alert;
 * per alert only the time, host, input, source, line, captures and count
 * are written, by the escaper of jsonw.h. The result is byte for byte what
 * json-c writes for the same object (tests/test_alert.c holds the json-c
 * builder this replaced and compares the two).
 *
 * Strings from the log line (the line itself, captures, paths) are made
 * valid UTF-8 first (each invalid byte becomes U+FFFD) and control
 * characters are escaped, so an alert is always one valid JSON line.
 */
#ifndef FW_ALERT_H
#define FW_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/jsonw.h"
#include "kb/kb.h"
#include "match/match.h"

enum fw_source_type {
	FW_SOURCE_FILE,
	FW_SOURCE_JOURNAL,
	FW_SOURCE_STDIN,
};

struct fw_alert_source {
	enum fw_source_type type;
	bool has_priority;          /* journal: the entry has a PRIORITY */
	int priority;               /* journal: its PRIORITY, 0 (emerg) .. 7 (debug) */
	const char *path;           /* file */
	bool has_fd;                /* file: fd is the descriptor the line was read from */
	int fd;                     /* (a parser reads a W3C header through it, never by path) */
	uint64_t offset;            /* file, stdin: byte offset of the line's start */
	uint64_t line_no;           /* file, stdin: 1-based */
	uint32_t lines;             /* file, stdin: lines joined into this entry (multiline); 0, 1: one */
	const char *unit;           /* journal */
	const char *identifier;     /* journal */
	const char *cursor;         /* journal */
	/* Bit i: output i (in pipeline order) acknowledged this line's alerts
	 * before a restart and is not sent them again (checkpoint.h). */
	uint64_t skip_outputs;
};

/*
 * The constant part of every record's alert in one locale. Reference
 * counted: an alert held for an aggregation summary keeps the parts of the
 * KB it matched, which a reload may free meanwhile.
 *
 * A record's part is rendered on its first alert and kept: new parts cost
 * one allocation, and a record that never alerts costs nothing. Until
 * fw_alert_parts_detach the parts read kb's records, so kb must outlive
 * them or be detached from them first.
 */
struct fw_alert_parts;
struct fw_parsed;

/* 0 or -ENOMEM. kb is borrowed (see above). */
int fw_alert_parts_new(const struct fw_kb *kb, bool zh, struct fw_alert_parts **out);
struct fw_alert_parts *fw_alert_parts_ref(struct fw_alert_parts *parts);
void fw_alert_parts_unref(struct fw_alert_parts *parts);

/*
 * Before parts' KB is freed: when others hold the parts too, renders every
 * record not rendered yet, so that their alerts can still be written; then
 * forgets the KB. 0, or -ENOMEM when some record could not be rendered
 * (its alerts then fail as out of memory).
 */
int fw_alert_parts_detach(struct fw_alert_parts *parts);

/* How many records have been rendered (tests: a record never alerted costs nothing). */
uint32_t fw_alert_parts_rendered(const struct fw_alert_parts *parts);

struct fw_alert_input {
	const struct fw_kb *kb;
	const struct fw_alert_parts *parts; /* of kb, in the alert's locale */
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
	uint64_t count;             /* matches this alert stands for (>= 1) */
	/* The severity the alert carries is its record's, or with has_severity
	 * this one: an unknown/<log> alert's is the level the line is logged
	 * at; a held alert keeps its record's here (its KB may be gone). */
	bool has_severity;
	int severity;
	/* An input with a line format (input/format.h) adds "event_time" and "fields". */
	bool formatted;
	bool has_event_time;        /* else event_time is null */
	struct timespec event_time; /* the line's own time */
	const char *fields;         /* the parsed fields as a JSON object; NULL: parsed's, or {} */
	size_t fields_len;
	/* Or the parsed line whose fields the alert writes (fw_format_write_fields)
	 * when it is written: a match that aggregation holds back writes none. */
	const struct fw_parsed *parsed;
	size_t extent;              /* bytes at line that captures may point into (0: len) */
};

/* The alert's severity, 0 (emerg) .. 7 (debug), or FW_SEVERITY_NONE; in->kb is needed unless has_severity. */
int fw_alert_severity(const struct fw_alert_input *in);

/*
 * Appends the alert, one line without a newline, to b. fw_alert_write_open
 * stops after `"count":` so that a held alert can get its final count
 * later with fw_alert_write_count. Check fw_jbuf_ok(b) afterwards.
 */
void fw_alert_write_open(struct fw_jbuf *b, const struct fw_alert_input *in);
void fw_alert_write_count(struct fw_jbuf *b, uint64_t count);
void fw_alert_write(struct fw_jbuf *b, const struct fw_alert_input *in);

/* Formats t as RFC 3339 UTC with milliseconds ("2026-11-23T08:00:00.123Z"). */
void fw_format_time(const struct timespec *t, char buf[32]);

#endif
