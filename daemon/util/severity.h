/*
 * severity: syslog severities and facilities by their keywords (RFC 5424
 * section 6.2.1, tables 1 and 2). The one table of these names: records'
 * `severity`, the configuration's `unknown_level`, `min_severity` and
 * `facility`, alerts and syslog PRI all read it.
 *
 * A severity is 0 (emerg, most serious) .. 7 (debug); FW_SEVERITY_NONE
 * stands for "not stated".
 */
#ifndef FW_SEVERITY_H
#define FW_SEVERITY_H

#include <stddef.h>

#define FW_SEVERITY_NONE (-1)
#define FW_SEVERITY_COUNT 8
/* What PRI carries for an alert whose record states no severity. */
#define FW_SEVERITY_DEFAULT 4   /* warning */
#define FW_FACILITY_DAEMON 3

/* "emerg" .. "debug", then NULL: index = severity. */
extern const char *const fw_severity_keywords[];
/* The same, then "none" (index FW_SEVERITY_COUNT), then NULL. */
extern const char *const fw_severity_levels[];
/*
 * The other spellings logs use for a severity (nginx's "error" and "warn"),
 * then { NULL, FW_SEVERITY_NONE }.
 */
struct fw_severity_alias {
	const char *word;
	int severity;
};
extern const struct fw_severity_alias fw_severity_aliases[];
/*
 * The facilities glibc names, as a configuration enum (NULL-terminated):
 * "kern" .. "ftp" (codes 0..11), then "local0" .. "local7" (16..23).
 */
extern const char *const fw_facility_names[];

/* The keyword of a severity, NULL when out of range. */
const char *fw_severity_name(int severity);
/* The severity with exactly this keyword, or FW_SEVERITY_NONE (also for NULL). */
int fw_severity_parse(const char *name);
/*
 * The severity whose keyword or alias is exactly word[0..len), or
 * FW_SEVERITY_NONE.
 */
int fw_severity_from_word(const char *word, size_t len);
/* The facility code (0..23) of fw_facility_names[index]. */
int fw_facility_code(int index);

#endif
