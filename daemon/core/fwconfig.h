/*
 * fwconfig: the daemon's configuration file (SPEC §8, contract): INI with
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
	enum fw_start_at start_at;
	struct fw_strv units;       /* journal: _SYSTEMD_UNIT matches */
	struct fw_strv identifiers; /* journal: SYSLOG_IDENTIFIER matches */
	char *directory;            /* journal: journal files directory */
	struct fw_strv domains;     /* restrict the KB; empty = all */
	size_t max_line_bytes;
	uint64_t partial_flush_ms;  /* a last line without newline is emitted after this */
	int unknown_level;          /* severity 0..7 for unknown/<log> alerts, -1 = none */
	unsigned line;              /* where the section starts */
};

enum fw_output_type {
	FW_OUTPUT_STDOUT, FW_OUTPUT_FILE, FW_OUTPUT_UNIX, FW_OUTPUT_TCP,
	FW_OUTPUT_SYSLOG, FW_OUTPUT_JOURNAL,
};
enum fw_output_format { FW_FORMAT_JSON, FW_FORMAT_RFC5424, FW_FORMAT_RFC3164 };
enum fw_framing { FW_FRAMING_OCTET_COUNTING, FW_FRAMING_LF };
enum fw_overflow { FW_OVERFLOW_BLOCK, FW_OVERFLOW_DROP_OLDEST };

/* An output address (SPEC §7, contract), parsed. */
enum fw_address_kind {
	FW_ADDR_NONE,               /* stdout, journal */
	FW_ADDR_PATH,               /* file: a plain path */
	FW_ADDR_TCP,                /* tcp://HOST:PORT */
	FW_ADDR_UDP,                /* udp://HOST:PORT */
	FW_ADDR_UNIX,               /* unix:///PATH, stream socket */
	FW_ADDR_UNIXGRAM,           /* unixgram:///PATH, datagram socket */
};

struct fw_address {
	enum fw_address_kind kind;
	char *host;                 /* tcp, udp: name or IP; IPv6 without brackets */
	uint16_t port;              /* tcp, udp */
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
	size_t max_message_bytes;   /* UDP datagram / syslog message cap */
	unsigned line;
};

enum fw_match_mode { FW_MATCH_BEST, FW_MATCH_ALL };

struct fw_config {
	char *path;
	/* [daemon] */
	struct fw_strv kb;
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

/* Strict value parsers, shared with the command line: 0 or -EINVAL. */
int fw_parse_duration_ms(const char *s, uint64_t *ms);   /* "250ms" "5s" "1m" "2h" "1d", bare = s */
int fw_parse_size(const char *s, size_t *bytes);         /* "512" "64k" "16M" "1G" (binary units) */

/*
 * "tcp://HOST:PORT" "udp://HOST:PORT" "[v6]" hosts, "unix:///PATH",
 * "unixgram:///PATH" into *a (which the caller clears with
 * fw_address_clear). 0, -EINVAL with *why set to a static message, or -ENOMEM.
 */
int fw_parse_address(const char *s, struct fw_address *a, const char **why);
void fw_address_clear(struct fw_address *a);

#endif
