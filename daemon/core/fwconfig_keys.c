/*
 * fwconfig_keys: every configuration key with its kind, limits and default,
 * in one table. The parser (fwconfig.c) takes its limits and defaults from
 * here and nowhere else, so `fixwatchd -t` and start-up cannot disagree on a
 * value; a module that enforces a limit of its own at start-up (aggregate's
 * threshold) is the source of that entry here. tests/test_config.c tries
 * every limited key at its limits and one step beyond, and checks that every
 * default below parses and lies within its limits; conf/fixwatch.conf
 * documents the same defaults (checked by the same test).
 */
#include "config.h"

#include "core/aggregate.h"
#include "core/fwconfig.h"
#include "util/severity.h"

#ifndef FW_SYSCONFDIR
#define FW_SYSCONFDIR "/usr/local/etc"
#endif
#ifndef FW_DATADIR
#define FW_DATADIR "/usr/local/share/fixwatch"
#endif

#define MS_PER_DAY UINT64_C(86400000)

const char *const fw_conf_section_names[] = { "daemon", "alerts", "input", "output", NULL };

/* Names in enum order (fwconfig.h). */
static const char *const input_types[] = { "file", "journal", "stdin", NULL };
static const char *const output_types[] = {
	"stdout", "file", "unix", "tcp", "syslog", "journal", NULL,
};
static const char *const formats[] = { "json", "rfc5424", "rfc3164", NULL };
static const char *const locales[] = { "en", "zh", NULL };
static const char *const match_modes[] = { "best", "all", NULL };
static const char *const starts[] = { "end", "beginning", NULL };
static const char *const framings[] = { "octet-counting", "lf", NULL };
static const char *const overflows[] = { "block", "drop-oldest", NULL };

#define KEY(id, sec, name_, kind_) [FW_KEY_##id] = { .section = FW_SEC_##sec, .name = name_, \
						     .kind = FW_CONF_##kind_

const struct fw_conf_key fw_conf_keys[FW_KEY_COUNT] = {
	KEY(KB, DAEMON, "kb", PATHS), .def = FW_DATADIR "/kb" },
	/* Next to the configuration file; a missing directory is fine. */
	KEY(KB_LOCAL, DAEMON, "kb_local", PATH), .def = FW_SYSCONFDIR "/fixwatch/kb.d" },
	/* StateDirectory= and RuntimeDirectory= of the unit (systemd/fixwatchd.service.in). */
	KEY(STATE_DIR, DAEMON, "state_dir", PATH), .def = "/var/lib/fixwatch" },
	KEY(HOST, DAEMON, "host", WORD) },                      /* gethostname() */
	KEY(LOCALE, DAEMON, "locale", ENUM), .names = locales, .def = "en" },
	KEY(CONTROL_SOCKET, DAEMON, "control_socket", PATH), .def = "/run/fixwatch/control.sock" },
	KEY(METRICS_FILE, DAEMON, "metrics_file", PATH) },
	KEY(CHECKPOINT_INTERVAL, DAEMON, "checkpoint_interval", DURATION),
		.min = 1, .max = MS_PER_DAY, .def = "5s" },

	KEY(MATCH, ALERTS, "match", ENUM), .names = match_modes, .def = "best" },
	/* The aggregator adds the window to monotonic milliseconds: a week keeps
	 * that sum far from overflowing and is longer than any storm. */
	KEY(WINDOW, ALERTS, "window", DURATION), .min = 0, .max = 7 * MS_PER_DAY, .def = "0" },
	/* Each aggregated key keeps the times of its last `threshold` matches. */
	KEY(THRESHOLD, ALERTS, "threshold", COUNT),
		.min = 1, .max = FW_AGGREGATE_MAX_THRESHOLD, .def = "1" },

	KEY(INPUT_TYPE, INPUT, "type", ENUM), .names = input_types },
	KEY(PATH, INPUT, "path", PATHS) },
	KEY(EXCLUDE, INPUT, "exclude", LIST) },
	/* no: a root daemon is not led by a link into a directory the config did not name. */
	KEY(FOLLOW_SYMLINKS, INPUT, "follow_symlinks", BOOL), .def = "yes" },
	KEY(START_AT, INPUT, "start_at", ENUM), .names = starts, .def = "end" },
	KEY(UNITS, INPUT, "units", LIST) },
	KEY(IDENTIFIERS, INPUT, "identifiers", LIST) },
	KEY(DIRECTORY, INPUT, "directory", PATH) },
	KEY(DOMAINS, INPUT, "domains", LIST) },
	/* A line shorter than 64 bytes cannot hold a useful error message; the
	 * splitter keeps one line of this size per input. */
	KEY(MAX_LINE_BYTES, INPUT, "max_line_bytes", SIZE),
		.min = 64, .max = (uint64_t)16 << 20, .def = "64k" },
	KEY(PARTIAL_FLUSH, INPUT, "partial_flush", DURATION), .min = 1, .max = MS_PER_DAY,
		.def = "5s" },
	KEY(UNKNOWN_LEVEL, INPUT, "unknown_level", ENUM), .names = fw_severity_levels, .def = "crit" },
	KEY(LINE_FORMAT, INPUT, "format", ENUM), .names = fw_line_format_names, .def = "plain" },
	/* Compiled when the configuration is read (input/format_nginx.c). */
	KEY(LOG_FORMAT, INPUT, "log_format", TEXT) },           /* none */
	KEY(MULTILINE, INPUT, "multiline", WORD) },             /* none */
	/* An entry is also bounded by max_line_bytes. */
	KEY(MULTILINE_MAX_LINES, INPUT, "multiline_max_lines", COUNT), .min = 2, .max = 100000,
		.def = "500" },
	/* How long the last entry waits for a continuation line. */
	KEY(MULTILINE_TIMEOUT, INPUT, "multiline_timeout", DURATION), .min = 1, .max = 3600000,
		.def = "1s" },

	KEY(OUTPUT_TYPE, OUTPUT, "type", ENUM), .names = output_types },
	/* Alerts whose record is less serious are not sent (records without a
	 * severity count as FW_SEVERITY_DEFAULT). */
	KEY(MIN_SEVERITY, OUTPUT, "min_severity", ENUM), .names = fw_severity_keywords,
		.def = "debug" },
	/* The facility of the PRI of syslog-formatted alerts. */
	KEY(FACILITY, OUTPUT, "facility", ENUM), .names = fw_facility_names, .def = "daemon" },
	/* Default: unixgram:///dev/log for syslog, none for the others. */
	KEY(ADDRESS, OUTPUT, "address", ADDRESS) },
	/* Default: rfc5424 for syslog, json for the others. */
	KEY(FORMAT, OUTPUT, "format", ENUM), .names = formats },
	KEY(CEE, OUTPUT, "cee", BOOL), .def = "no" },
	KEY(FRAMING, OUTPUT, "framing", ENUM), .names = framings, .def = "octet-counting" },
	KEY(QUEUE_MAX, OUTPUT, "queue_max", COUNT), .min = 1, .max = 10000000, .def = "10000" },
	KEY(OVERFLOW, OUTPUT, "overflow", ENUM), .names = overflows, .def = "block" },
	KEY(MIN_CONFIDENCE, OUTPUT, "min_confidence", FRACTION), .def = "0" },
	/* RFC 5426 §3.2: every syslog receiver takes 480-byte messages. Over
	 * UDP the payload is further capped at 65507 bytes (fwconfig.c). */
	KEY(MAX_MESSAGE_BYTES, OUTPUT, "max_message_bytes", SIZE),
		.min = 480, .max = (uint64_t)1 << 20, .def = "8k" },
	/* Syslog over tls:// only (transport_tls.c). No CA file: the system's
	 * trusted CAs; no server name: the address's host. */
	KEY(TLS_CA_FILE, OUTPUT, "tls_ca_file", PATH) },
	KEY(TLS_SERVER_NAME, OUTPUT, "tls_server_name", WORD) },
	KEY(TLS_CERT_FILE, OUTPUT, "tls_cert_file", PATH) },
	KEY(TLS_KEY_FILE, OUTPUT, "tls_key_file", PATH) },
};
