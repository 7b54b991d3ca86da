/*
 * severity: see severity.h.
 */
#include "config.h"

#include <string.h>

#include "util/severity.h"

#define KEYWORDS "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"

const char *const fw_severity_keywords[] = { KEYWORDS, NULL };
const char *const fw_severity_levels[] = { KEYWORDS, "none", NULL };

/* Codes 12..15 (ntp, audit, alert, clock) have no name in glibc's <syslog.h>. */
const char *const fw_facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
	"authpriv", "ftp",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7", NULL,
};

#define FIRST_LOCAL 12          /* index of "local0" */

const char *
fw_severity_name(int severity)
{
	return severity >= 0 && severity < FW_SEVERITY_COUNT ? fw_severity_keywords[severity] : NULL;
}

int
fw_severity_parse(const char *name)
{
	for (int i = 0; name && i < FW_SEVERITY_COUNT; i++)
		if (strcmp(name, fw_severity_keywords[i]) == 0)
			return i;
	return FW_SEVERITY_NONE;
}

int
fw_severity_from_word(const char *word, size_t len)
{
	static const struct { const char *name; int severity; } aliases[] = {
		{ "error", 3 }, { "warn", 4 }, { "panic", 0 }, { "critical", 2 },
		{ "emergency", 0 },
	};

	/* Every line of an nginx error log asks: the first letter rules out most names without strlen. */
	if (len == 0)
		return FW_SEVERITY_NONE;
	for (int i = 0; i < FW_SEVERITY_COUNT; i++)
		if (fw_severity_keywords[i][0] == word[0] && strlen(fw_severity_keywords[i]) == len &&
		    memcmp(word, fw_severity_keywords[i], len) == 0)
			return i;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (aliases[i].name[0] == word[0] && strlen(aliases[i].name) == len &&
		    memcmp(word, aliases[i].name, len) == 0)
			return aliases[i].severity;
	return FW_SEVERITY_NONE;
}

int
fw_facility_code(int index)
{
	return index < FIRST_LOCAL ? index : index - FIRST_LOCAL + 16;
}
