/*
 * log: the one place where fixwatch talks to its operator.
 *
 * Messages go to stderr. Under systemd (JOURNAL_STREAM set, or fw_log_init
 * asked for it) each line carries the sd-daemon "<N>" priority prefix so the
 * journal records the right level. Never exits, except fatal(), which is for
 * start-up only.
 */
#ifndef FW_LOG_H
#define FW_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum fw_log_level {
	FW_LOG_ERR = 3,
	FW_LOG_WARN = 4,
	FW_LOG_NOTICE = 5,
	FW_LOG_INFO = 6,
	FW_LOG_DEBUG = 7,
};

/* progname prefixes every line unless sd_prefix is on (the journal knows). */
void fw_log_init(const char *progname, enum fw_log_level max_level, bool sd_prefix);
void fw_log_set_level(enum fw_log_level max_level);
void fw_logv(enum fw_log_level level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Start-up failures only: logs and exits with status 1. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
