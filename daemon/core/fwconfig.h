/*
 * fwconfig: the daemon's configuration file (design.md §8, contract): INI with
 * sections [daemon], [input.NAME], [output.NAME], [alerts].
 *
 * fw_config_load() parses strictly: unknown sections or keys, bad values,
 * duplicates and missing required keys are errors, each as
 * "FILE:LINE: [SECTION] KEY: message" in diag ("-" for a part that does not
 * apply). Every error of the file is reported. All-or-nothing.
 * The result owns all its strings; fw_config_free() releases it.
 *
 * Every field is filled: keys not in the file get their defaults (listed in
 * conf/fixwatch.conf). Relative paths are resolved against the directory of
 * the configuration file. List values are blank-separated words, a word may
 * be double-quoted to hold blanks; paths may be globs (not expanded here).
 * Journal units without a suffix get ".service" (as journalctl -u does).
 */
#ifndef FW_FWCONFIG_H
#define FW_FWCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/format.h"
#include "util/diag.h"

struct fw_strv {
	char **v;
	size_t n;
};

enum fw_input_type { FW_INPUT_FILE, FW_INPUT_JOURNAL, FW_INPUT_STDIN };
enum fw_start_at { FW_START_END, FW_START_BEGINNING };

struct fw_input_config {
	char *name;                 /* NAME of [input.NAME] */
	enum fw_input_type type;
	struct fw_strv paths;       /* file: paths and globs */
	struct fw_strv exclude;     /* file: globs matched against the path */
	bool follow_symlinks;       /* file: open a matched name that is a symbolic link */
	enum fw_start_at start_at;
	struct fw_strv units;       /* journal: _SYSTEMD_UNIT matches */
	struct fw_strv identifiers; /* journal: SYSLOG_IDENTIFIER matches */
	char *directory;            /* journal: journal files directory */
	struct fw_strv domains;     /* restrict the KB; empty = all */
	size_t max_line_bytes;
	uint64_t partial_flush_ms;  /* a last line without newline is emitted after this */
	int unknown_level;          /* severity 0..7 for unknown/<log> alerts, -1 = none */
	enum fw_line_format format; /* file, stdin: how lines are parsed (input/format.h) */
	char *log_format;           /* file, stdin: an nginx log_format (format is combined); NULL: none */
	char *multiline;            /* file, stdin: "indent" or a start regex; NULL: none */
	uint32_t multiline_max_lines;
	uint64_t multiline_timeout_ms;
	unsigned line;              /* where the section starts */
};

enum fw_output_type {
	FW_OUTPUT_STDOUT, FW_OUTPUT_FILE, FW_OUTPUT_UNIX, FW_OUTPUT_TCP,
	FW_OUTPUT_SYSLOG, FW_OUTPUT_JOURNAL,
};
enum fw_output_format { FW_FORMAT_JSON, FW_FORMAT_RFC5424, FW_FORMAT_RFC3164 };
enum fw_framing { FW_FRAMING_OCTET_COUNTING, FW_FRAMING_LF };
enum fw_overflow { FW_OVERFLOW_BLOCK, FW_OVERFLOW_DROP_OLDEST };

/* An output address (design.md §7, contract), parsed. */
enum fw_address_kind {
	FW_ADDR_NONE,               /* stdout, journal */
	FW_ADDR_PATH,               /* file: a plain path */
	FW_ADDR_TCP,                /* tcp://HOST:PORT */
	FW_ADDR_UDP,                /* udp://HOST:PORT */
	FW_ADDR_UNIX,               /* unix:///PATH, stream socket */
	FW_ADDR_UNIXGRAM,           /* unixgram:///PATH, datagram socket */
	FW_ADDR_TLS,                /* tls://HOST:PORT, syslog over TLS (RFC 5425) */
};

struct fw_address {
	enum fw_address_kind kind;
	char *host;                 /* tcp, udp, tls: name or IP; IPv6 without brackets */
	uint16_t port;              /* tcp, udp, tls */
	char *path;                 /* path, unix, unixgram */
};

struct fw_output_config {
	char *name;
	enum fw_output_type type;
	char *address;              /* tcp://H:P udp://H:P unix:///P unixgram:///P, or a path;
	                               NULL for stdout and journal; syslog default
	                               unixgram:///dev/log */
	struct fw_address addr;     /* address, parsed (relative file paths resolved) */
	enum fw_output_format format;
	bool cee;                   /* "@cee: " before the JSON in syslog MSG */
	enum fw_framing framing;    /* used by syslog over tcp; default octet-counting
	                               for syslog, LF for the others */
	size_t queue_max;           /* alerts */
	enum fw_overflow overflow;
	double min_confidence;
	int min_severity;           /* 0 (emerg) .. 7 (debug): less serious alerts are not sent */
	int facility;               /* syslog facility code (0..23) of PRI */
	size_t max_message_bytes;   /* UDP datagram / syslog message cap */
	/* tls:// only; NULL when not set */
	char *tls_ca_file;          /* NULL: the system's trusted CAs */
	char *tls_server_name;      /* NULL: the address's host */
	char *tls_cert_file;        /* client certificate (chain), PEM; with tls_key_file */
	char *tls_key_file;
	unsigned line;
};

enum fw_match_mode { FW_MATCH_BEST, FW_MATCH_ALL };

struct fw_config {
	char *path;
	/* [daemon] */
	struct fw_strv kb;
	char *kb_local;             /* operators' records, loaded after kb (missing: fine) */
	char *state_dir;
	char *host;                 /* default: gethostname() */
	bool zh;                    /* locale = zh */
	char *control_socket;       /* NULL: none */
	char *metrics_file;         /* NULL: none */
	uint64_t checkpoint_interval_ms;
	/* [alerts] */
	enum fw_match_mode match;
	uint64_t window_ms;         /* 0 = no aggregation */
	uint32_t threshold;         /* >= 1 */
	struct fw_input_config *inputs;
	size_t n_inputs;
	struct fw_output_config *outputs;
	size_t n_outputs;
};

int fw_config_load(const char *path, struct fw_config **out, struct fw_diag *diag);
void fw_config_free(struct fw_config *cfg);

/*
 * The paths start-up needs, checked without changing anything, so that
 * `fixwatchd -t` refuses what start-up would: state_dir is a writable
 * directory or can be created (its parent is a writable directory), and so
 * is the directory of control_socket. 0, or -EINVAL with one message per
 * problem in diag ("FILE: [daemon] KEY: message").
 */
int fw_config_check_paths(const struct fw_config *cfg, struct fw_diag *diag);

/*
 * The keys (fwconfig_keys.c): the one place their limits and defaults are
 * written. The parser reads limits and defaults from here, start-up modules
 * take the same limits (a limit of theirs is the table's, e.g.
 * FW_AGGREGATE_MAX_THRESHOLD), and the tests walk it to try every key at
 * and beyond its limits.
 */
enum fw_conf_kind {
	FW_CONF_WORD,       /* one word */
	FW_CONF_PATH,       /* one path, relative to the configuration's directory */
	FW_CONF_PATHS,      /* paths or globs */
	FW_CONF_LIST,       /* words */
	FW_CONF_ENUM,       /* one of names */
	FW_CONF_BOOL,       /* yes/no, true/false, on/off */
	FW_CONF_DURATION,   /* min, max in milliseconds */
	FW_CONF_SIZE,       /* min, max in bytes */
	FW_CONF_COUNT,      /* min, max */
	FW_CONF_FRACTION,   /* from 0 to 1 */
	FW_CONF_ADDRESS,    /* an output address (fw_parse_address) or a path */
	FW_CONF_TEXT,       /* the value as written, blanks and quotes included */
};

enum fw_conf_section { FW_SEC_DAEMON, FW_SEC_ALERTS, FW_SEC_INPUT, FW_SEC_OUTPUT };

/* Keys with a limit or a default the code reads, by name. */
enum fw_conf_key_id {
	FW_KEY_KB, FW_KEY_KB_LOCAL, FW_KEY_STATE_DIR, FW_KEY_HOST, FW_KEY_LOCALE, FW_KEY_CONTROL_SOCKET,
	FW_KEY_METRICS_FILE, FW_KEY_CHECKPOINT_INTERVAL,
	FW_KEY_MATCH, FW_KEY_WINDOW, FW_KEY_THRESHOLD,
	FW_KEY_INPUT_TYPE, FW_KEY_PATH, FW_KEY_EXCLUDE, FW_KEY_FOLLOW_SYMLINKS, FW_KEY_START_AT,
	FW_KEY_UNITS,
	FW_KEY_IDENTIFIERS, FW_KEY_DIRECTORY, FW_KEY_DOMAINS, FW_KEY_MAX_LINE_BYTES,
	FW_KEY_PARTIAL_FLUSH, FW_KEY_UNKNOWN_LEVEL, FW_KEY_LINE_FORMAT, FW_KEY_LOG_FORMAT, FW_KEY_MULTILINE,
	FW_KEY_MULTILINE_MAX_LINES, FW_KEY_MULTILINE_TIMEOUT,
	FW_KEY_MIN_SEVERITY, FW_KEY_FACILITY,
	FW_KEY_OUTPUT_TYPE, FW_KEY_ADDRESS, FW_KEY_FORMAT, FW_KEY_CEE, FW_KEY_FRAMING,
	FW_KEY_QUEUE_MAX, FW_KEY_OVERFLOW, FW_KEY_MIN_CONFIDENCE, FW_KEY_MAX_MESSAGE_BYTES,
	FW_KEY_TLS_CA_FILE, FW_KEY_TLS_SERVER_NAME, FW_KEY_TLS_CERT_FILE, FW_KEY_TLS_KEY_FILE,
	FW_KEY_COUNT
};

struct fw_conf_key {
	enum fw_conf_section section;
	const char *name;
	enum fw_conf_kind kind;
	uint64_t min, max;          /* DURATION (ms), SIZE (bytes), COUNT: inclusive */
	const char *const *names;   /* ENUM, the input and output types: NULL-terminated */
	const char *def;            /* the default as written in a file; NULL: none, or it
	                               depends on the section's type or the host */
};

/* Indexed by enum fw_conf_key_id. */
extern const struct fw_conf_key fw_conf_keys[FW_KEY_COUNT];
extern const char *const fw_conf_section_names[];   /* "daemon" "alerts" "input" "output" */

/* Strict value parsers for the configuration's values: 0 or -EINVAL. */
int fw_parse_duration_ms(const char *s, uint64_t *ms);   /* "250ms" "5s" "1m" "2h" "1d", bare = s */
int fw_parse_size(const char *s, size_t *bytes);          /* "512" "64k" "16M" "1G" (binary units) */
/* ms in the largest unit that writes it exactly: "7d", "90s", "250ms", "0ms". */
void fw_format_duration(uint64_t ms, char *buf, size_t len);

/*
 * "tcp://HOST:PORT" "udp://HOST:PORT" "tls://HOST:PORT" "[v6]" hosts,
 * "unix:///PATH", "unixgram:///PATH" into *a (which the caller clears with
 * fw_address_clear). 0, -EINVAL with *why set to a static message, or -ENOMEM.
 */
int fw_parse_address(const char *s, struct fw_address *a, const char **why);
/* The same, where a host without ":PORT" means default_port (the service's
 * well-known port; for tls:// then FW_SYSLOG_TLS_PORT); default_port 0
 * requires the port. */
int fw_parse_address_port(const char *s, uint16_t default_port, struct fw_address *a,
			  const char **why);

/* IANA's syslog ports: RFC 5426 §3.3 (UDP), RFC 6587 (TCP, by custom the same). */
#define FW_SYSLOG_PORT 514
/* RFC 5425 §4.1: syslog over TLS. */
#define FW_SYSLOG_TLS_PORT 6514
void fw_address_clear(struct fw_address *a);

#endif
