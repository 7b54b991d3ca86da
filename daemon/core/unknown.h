/*
 * unknown: alerts for serious lines that no record knows. A line that no
 * record matched but that its log marks as critical or worse (nginx's
 * [crit], [alert] and [emerg]; a syslog priority; the journal's PRIORITY)
 * raises an `unknown/<log>` alert carrying the line, so an error that
 * fixwatch cannot explain yet is still seen. Which level is serious enough
 * is an input's `unknown_level` (default crit; none turns it off).
 *
 * The alerts come from built-in records, one per kind of log, that have
 * no pattern: they are never matched, only raised by the pipeline. Their
 * index in a KB's alert parts is the KB's record count plus their kind.
 */
#ifndef FW_UNKNOWN_H
#define FW_UNKNOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/alert.h"
#include "kb/kb.h"

enum fw_unknown_log {
	FW_UNKNOWN_NGINX_ERROR,     /* "2026/12/01 10:00:00 [crit] ..." */
	FW_UNKNOWN_SYSLOG,          /* a line that starts with <PRI> (RFC 5424, RFC 3164) */
	FW_UNKNOWN_JOURNAL,         /* a journal entry's PRIORITY */
	FW_UNKNOWN_N
};

/* The built-in record of a kind of log ("unknown/nginx-error", ...). */
const struct fw_record *fw_unknown_record(enum fw_unknown_log log);

/*
 * The syslog severity (0 emerg .. 7 debug) the line is logged at and the
 * kind of log that says so, or FW_SEVERITY_NONE. priority is the journal's
 * PRIORITY for a journal entry, else FW_SEVERITY_NONE.
 */
int fw_unknown_level(const char *line, size_t len, int priority, enum fw_unknown_log *log);

/*
 * What fw_unknown_level() says of an nginx error-log line whose prefix was
 * already read (fw_format_nginx_error_prefix): the severity of its level
 * word (len 0: none), or FW_SEVERITY_NONE.
 */
int fw_unknown_nginx_level(const char *level, size_t len);

#endif
