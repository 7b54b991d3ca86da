/*
 * log: stderr logging with optional sd-daemon priority prefixes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/log.h"

static const char *log_progname = "fixwatch";
static enum fw_log_level log_max = FW_LOG_INFO;
static bool log_sd_prefix;

void
fw_log_init(const char *progname, enum fw_log_level max_level, bool sd_prefix)
{
	if (progname)
		log_progname = progname;
	log_max = max_level;
	log_sd_prefix = sd_prefix || getenv("JOURNAL_STREAM") != NULL;
}

void
fw_log_set_level(enum fw_log_level max_level)
{
	log_max = max_level;
}

void
fw_logv(enum fw_log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = {
		[FW_LOG_ERR] = "error", [FW_LOG_WARN] = "warning",
		[FW_LOG_NOTICE] = "notice", [FW_LOG_INFO] = "info",
		[FW_LOG_DEBUG] = "debug",
	};
	char buf[4096];

	if (level > log_max)
		return;
	vsnprintf(buf, sizeof buf, fmt, ap); /* long messages are cut, never lost whole */
	if (log_sd_prefix)
		fprintf(stderr, "<%d>%s\n", (int)level, buf);
	else if (level <= FW_LOG_WARN)
		fprintf(stderr, "%s: %s: %s\n", log_progname, names[level], buf);
	else
		fprintf(stderr, "%s: %s\n", log_progname, buf);
}

#define FW_LOG_FN(fn, level)                    \
	void fn(const char *fmt, ...)           \
	{                                       \
		va_list ap;                     \
		va_start(ap, fmt);              \
		fw_logv(level, fmt, ap);        \
		va_end(ap);                     \
	}

FW_LOG_FN(log_err, FW_LOG_ERR)
FW_LOG_FN(log_warn, FW_LOG_WARN)
FW_LOG_FN(log_notice, FW_LOG_NOTICE)
FW_LOG_FN(log_info, FW_LOG_INFO)
FW_LOG_FN(log_debug, FW_LOG_DEBUG)

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_logv(FW_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}
