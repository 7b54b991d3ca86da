/*
 * severity: see severity.h.
 */
#include "config.h"

#include <stdbool.h>
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

/* word[0..len) is name. */
static bool
is(const char *word, const char *name, size_t len)
{
	return memcmp(word, name, len) == 0;
}

int
fw_severity_from_word(const char *word, size_t len)
{
	/* Every line of an nginx error log asks: the length picks one to three names. */
	switch (len) {
	case 3:
		return is(word, "err", 3) ? 3 : FW_SEVERITY_NONE;
	case 4:
		return is(word, "crit", 4) ? 2 : is(word, "info", 4) ? 6 :
		       is(word, "warn", 4) ? 4 : FW_SEVERITY_NONE;
	case 5:
		switch (word[0]) {
		case 'e':
			return is(word, "error", 5) ? 3 : is(word, "emerg", 5) ? 0 : FW_SEVERITY_NONE;
		case 'a':
			return is(word, "alert", 5) ? 1 : FW_SEVERITY_NONE;
		case 'd':
			return is(word, "debug", 5) ? 7 : FW_SEVERITY_NONE;
		case 'p':
			return is(word, "panic", 5) ? 0 : FW_SEVERITY_NONE;
		}
		return FW_SEVERITY_NONE;
	case 6:
		return is(word, "notice", 6) ? 5 : FW_SEVERITY_NONE;
	case 7:
		return is(word, "warning", 7) ? 4 : FW_SEVERITY_NONE;
	case 8:
		return is(word, "critical", 8) ? 2 : FW_SEVERITY_NONE;
	case 9:
		return is(word, "emergency", 9) ? 0 : FW_SEVERITY_NONE;
	}
	return FW_SEVERITY_NONE;
}

int
fw_facility_code(int index)
{
	return index < FIRST_LOCAL ? index : index - FIRST_LOCAL + 16;
}
