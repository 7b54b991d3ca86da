/*
 * fwconfig: the meaning of the configuration (design.md §8): which keys each
 * section takes, their values, defaults and cross-checks. The syntax pass
 * and the value readers are in fwconfig_parse.c, whose header describes the
 * file format.
 *
 * Limits and defaults come from the key table (fwconfig_keys.c) only;
 * conf/fixwatch.conf lists every key with its default, and
 * tests/test_config.c checks that they agree.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/fwconfig.h"
#include "core/fwconfig_parse.h"
#include "input/format_multiline.h"
#include "util/severity.h"

#define DEFAULT_SYSLOG_ADDRESS "unixgram:///dev/log"
#define MAX_UDP_PAYLOAD ((size_t)65507)          /* 65535 - IPv4 and UDP headers */

#define K(id) (&fw_conf_keys[FW_KEY_##id])
#define input_types (K(INPUT_TYPE)->names)
#define output_types (K(OUTPUT_TYPE)->names)

/*
 * A key's default from the table. test_config checks that every default
 * there parses and lies within its key's limits, so failures here cannot
 * happen and read as 0.
 */
static uint64_t
def_number(const struct fw_conf_key *k)
{
	uint64_t v = 0;
	size_t z;

	switch (k->kind) {
	case FW_CONF_DURATION:
		(void)fw_parse_duration_ms(k->def, &v);
		break;
	case FW_CONF_SIZE:
		if (fw_parse_size(k->def, &z) == 0)
			v = z;
		break;
	default:
		v = strtoull(k->def, NULL, 10);
		break;
	}
	return v;
}

static int
def_enum(const struct fw_conf_key *k)
{
	for (int i = 0; k->names[i]; i++)
		if (strcmp(k->names[i], k->def) == 0)
			return i;
	return 0;
}

/* Reads a DURATION, SIZE or COUNT key within the table's limits. */
static int
read_limited(struct parser *p, struct section *sec, struct entry *e, const struct fw_conf_key *k,
	     uint64_t *out)
{
	size_t z;
	int r;

	switch (k->kind) {
	case FW_CONF_DURATION:
		return fw__conf_duration(p, sec, e, k->min, k->max, out);
	case FW_CONF_SIZE:
		r = fw__conf_size(p, sec, e, (size_t)k->min, (size_t)k->max, &z);
		if (r == 0)
			*out = z;
		return r;
	default:
		return fw__conf_count(p, sec, e, k->min, k->max, out);
	}
}

/*
 * A key that the section's type does not use is an error, so that a typo in
 * "type" or a key in the wrong section does not pass silently. With an
 * unknown type (already reported) the value is still checked.
 */
static bool
applies(struct parser *p, const struct section *sec, const struct entry *e, int type,
	unsigned mask, const char *const types[])
{
	if (type < 0 || (mask & (1u << type)))
		return true;
	fw__conf_err(p, e->line, sec->name, e->key, "not used by type = %s", types[type]);
	return false;
}

#define BIT(x) (1u << (x))

static bool
valid_host(const char *h)
{
	/* RFC 5424 §6.2.4: HOSTNAME is 1*255PRINTUSASCII. */
	if (strlen(h) > 255)
		return false;
	for (; *h; h++)
		if (*h < 33 || *h > 126)
			return false;
	return true;
}

static void
apply_daemon(struct parser *p, struct section *sec, struct fw_config *cfg)
{
	struct entry *e;
	int v;

	if ((e = fw__conf_find(sec, "kb")))
		fw__conf_list(p, sec, e, true, &cfg->kb);
	if ((e = fw__conf_find(sec, "kb_local")))
		fw__conf_path(p, sec, e, &cfg->kb_local);
	if ((e = fw__conf_find(sec, "state_dir")))
		fw__conf_path(p, sec, e, &cfg->state_dir);
	if ((e = fw__conf_find(sec, "host"))) {
		char *h = fw__conf_word(p, sec, e);
		if (h && !valid_host(h)) {
			fw__conf_err(p, e->line, sec->name, e->key,
				     "a host name is printable ASCII without blanks, at most 255 bytes");
			free(h);
		} else if (h) {
			free(cfg->host);
			cfg->host = h;
		}
	}
	if ((e = fw__conf_find(sec, "locale")) && fw__conf_enum(p, sec, e, K(LOCALE)->names, &v) == 0)
		cfg->zh = v == 1;
	if ((e = fw__conf_find(sec, "control_socket"))) {
		if (e->value[0] == '\0') {
			free(cfg->control_socket);
			cfg->control_socket = NULL;
		} else if (fw__conf_path(p, sec, e, &cfg->control_socket) == 0 &&
			   strlen(cfg->control_socket) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			fw__conf_err(p, e->line, sec->name, e->key,
				     "socket path too long (at most 107 bytes)");
		}
	}
	if ((e = fw__conf_find(sec, "metrics_file")))
		fw__conf_path(p, sec, e, &cfg->metrics_file);
	if ((e = fw__conf_find(sec, "checkpoint_interval")))
		read_limited(p, sec, e, K(CHECKPOINT_INTERVAL), &cfg->checkpoint_interval_ms);
	fw__conf_unknown_keys(p, sec);
}

static void
apply_alerts(struct parser *p, struct section *sec, struct fw_config *cfg)
{
	struct entry *e, *thr;
	uint64_t n;
	int v;

	if ((e = fw__conf_find(sec, "match")) && fw__conf_enum(p, sec, e, K(MATCH)->names, &v) == 0)
		cfg->match = (enum fw_match_mode)v;
	if ((e = fw__conf_find(sec, "window")))
		read_limited(p, sec, e, K(WINDOW), &cfg->window_ms);
	if ((thr = fw__conf_find(sec, "threshold")) &&
	    read_limited(p, sec, thr, K(THRESHOLD), &n) == 0)
		cfg->threshold = (uint32_t)n;
	if (thr && cfg->threshold > 1 && cfg->window_ms == 0)
		fw__conf_err(p, thr->line, sec->name, thr->key,
			     "threshold = %" PRIu32 " counts matches inside a window: set window > 0",
			     cfg->threshold);
	fw__conf_unknown_keys(p, sec);
}

/* Unit names as journalctl -u takes them: "nginx" means "nginx.service". */
static void
normalize_units(struct parser *p, const struct section *sec, const struct entry *e,
		struct fw_strv *units)
{
	for (size_t i = 0; i < units->n; i++) {
		char *u = units->v[i], *full;

		if (strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789:-_.\\@") != strlen(u)) {
			fw__conf_err(p, e->line, sec->name, e->key,
				     "bad unit name '%s' (globs are not supported)", u);
			continue;
		}
		if (strchr(u, '.'))
			continue;
		if (asprintf(&full, "%s.service", u) < 0) {
			fw__conf_oom(p);
			return;
		}
		free(u);
		units->v[i] = full;
	}
}

/* "indent" or a regex that compiles (the pipeline compiles it again for use). */
static void
check_multiline(struct parser *p, const struct section *sec, const struct entry *e, const char *spec)
{
	struct fw_multiline *ml;
	char why[200];
	int err = fw_multiline_new(spec, 1, 2, &ml, why, sizeof why);

	if (err == -EINVAL)
		fw__conf_err(p, e->line, sec->name, e->key, "%s", why);
	else if (err < 0)
		fw__conf_oom(p);
	fw_multiline_free(ml);
}

/*
 * An nginx log_format, compiled here so that `fixwatchd -t` and start-up
 * name what is wrong in it (the pipeline compiles it again for use). It
 * describes the lines, so `format` is not given with it.
 */
static void
apply_log_format(struct parser *p, struct section *sec, const struct entry *e,
		 struct fw_input_config *in)
{
	const struct entry *format = fw__conf_find(sec, "format");
	struct fw_format_parser *fp;
	char why[300];
	int err;

	if (format) {
		fw__conf_err(p, e->line, sec->name, e->key,
			     "gives the lines' format itself: remove 'format = %s' (line %u)",
			     format->value, format->line);
		return;
	}
	err = fw_format_parser_new_log_format(e->value, 64, &fp, why, sizeof why);
	if (err == -EINVAL)
		fw__conf_err(p, e->line, sec->name, e->key, "%s", why);
	else if (err < 0 || !(in->log_format = strdup(e->value)))
		fw__conf_oom(p);
	else
		in->format = FW_LINE_COMBINED;
	fw_format_parser_free(fp);
}

/* cfg->inputs[0 .. cfg->n_inputs) are done; in is the next one. */
static void
apply_input(struct parser *p, struct section *sec, struct fw_config *cfg,
	    struct fw_input_config *in)
{
	const unsigned FILE_ = BIT(FW_INPUT_FILE), JOURNAL = BIT(FW_INPUT_JOURNAL),
		       STDIN_ = BIT(FW_INPUT_STDIN);
	struct entry *e, *path;
	uint64_t n;
	int type = -1, v;

	in->name = strdup(strchr(sec->name, '.') + 1);
	if (!in->name)
		fw__conf_oom(p);
	in->line = sec->line;
	in->start_at = (enum fw_start_at)def_enum(K(START_AT));
	in->follow_symlinks = strcmp(K(FOLLOW_SYMLINKS)->def, "yes") == 0;
	in->max_line_bytes = (size_t)def_number(K(MAX_LINE_BYTES));
	in->partial_flush_ms = def_number(K(PARTIAL_FLUSH));
	in->unknown_level = def_enum(K(UNKNOWN_LEVEL));
	in->format = (enum fw_line_format)def_enum(K(LINE_FORMAT));
	in->multiline_max_lines = (uint32_t)def_number(K(MULTILINE_MAX_LINES));
	in->multiline_timeout_ms = def_number(K(MULTILINE_TIMEOUT));
	if ((e = fw__conf_find(sec, "type"))) {
		if (fw__conf_enum(p, sec, e, input_types, &v) == 0)
			type = v;
		for (size_t i = 0; type == FW_INPUT_STDIN && i < cfg->n_inputs; i++) {
			if (cfg->inputs[i].type != FW_INPUT_STDIN)
				continue;
			fw__conf_err(p, e->line, sec->name, e->key,
				     "only one input can read stdin (also [input.%s] at line %u)",
				     cfg->inputs[i].name, cfg->inputs[i].line);
			break;
		}
	} else {
		fw__conf_err(p, sec->line, sec->name, "type", "missing (file, journal or stdin)");
	}
	in->type = type < 0 ? FW_INPUT_FILE : (enum fw_input_type)type;

	if ((path = fw__conf_find(sec, "path")) && applies(p, sec, path, type, FILE_, input_types))
		fw__conf_list(p, sec, path, true, &in->paths);
	if ((e = fw__conf_find(sec, "exclude")) && applies(p, sec, e, type, FILE_, input_types))
		fw__conf_list(p, sec, e, false, &in->exclude);
	if ((e = fw__conf_find(sec, "follow_symlinks")) &&
	    applies(p, sec, e, type, FILE_, input_types))
		fw__conf_bool(p, sec, e, &in->follow_symlinks);
	if ((e = fw__conf_find(sec, "start_at")) &&
	    applies(p, sec, e, type, FILE_ | JOURNAL, input_types) &&
	    fw__conf_enum(p, sec, e, K(START_AT)->names, &v) == 0)
		in->start_at = (enum fw_start_at)v;
	if ((e = fw__conf_find(sec, "units")) && applies(p, sec, e, type, JOURNAL, input_types) &&
	    fw__conf_list(p, sec, e, false, &in->units) == 0)
		normalize_units(p, sec, e, &in->units);
	if ((e = fw__conf_find(sec, "identifiers")) && applies(p, sec, e, type, JOURNAL, input_types))
		fw__conf_list(p, sec, e, false, &in->identifiers);
	if ((e = fw__conf_find(sec, "directory")) && applies(p, sec, e, type, JOURNAL, input_types))
		fw__conf_path(p, sec, e, &in->directory);
	if ((e = fw__conf_find(sec, "domains")) && fw__conf_list(p, sec, e, false, &in->domains) == 0) {
		for (size_t i = 0; i < in->domains.n; i++)
			if (!fw__conf_valid_name(in->domains.v[i]))
				fw__conf_err(p, e->line, sec->name, e->key,
					     "bad domain '%s' (letters, digits, '_' and '-')",
					     in->domains.v[i]);
	}
	if ((e = fw__conf_find(sec, "max_line_bytes")) &&
	    read_limited(p, sec, e, K(MAX_LINE_BYTES), &n) == 0)
		in->max_line_bytes = (size_t)n;
	if ((e = fw__conf_find(sec, "partial_flush")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types))
		read_limited(p, sec, e, K(PARTIAL_FLUSH), &in->partial_flush_ms);
	if ((e = fw__conf_find(sec, "unknown_level")) &&
	    fw__conf_enum(p, sec, e, K(UNKNOWN_LEVEL)->names, &v) == 0)
		in->unknown_level = v == FW_SEVERITY_COUNT ? FW_SEVERITY_NONE : v;
	if ((e = fw__conf_find(sec, "format")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types) &&
	    fw__conf_enum(p, sec, e, K(LINE_FORMAT)->names, &v) == 0)
		in->format = (enum fw_line_format)v;
	if ((e = fw__conf_find(sec, "log_format")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types))
		apply_log_format(p, sec, e, in);
	if ((e = fw__conf_find(sec, "multiline")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types) &&
	    (in->multiline = fw__conf_word(p, sec, e)) != NULL)
		check_multiline(p, sec, e, in->multiline);
	if ((e = fw__conf_find(sec, "multiline_max_lines")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types) &&
	    read_limited(p, sec, e, K(MULTILINE_MAX_LINES), &n) == 0)
		in->multiline_max_lines = (uint32_t)n;
	if ((e = fw__conf_find(sec, "multiline_timeout")) &&
	    applies(p, sec, e, type, FILE_ | STDIN_, input_types))
		read_limited(p, sec, e, K(MULTILINE_TIMEOUT), &in->multiline_timeout_ms);
	if (type == FW_INPUT_FILE && !path)
		fw__conf_err(p, sec->line, sec->name, "path", "required for type = file");
	fw__conf_unknown_keys(p, sec);
}

/* Which address schemes each output type takes. */
static bool
address_fits(enum fw_output_type type, enum fw_address_kind kind, const char **expected)
{
	switch (type) {
	case FW_OUTPUT_UNIX:
		*expected = "unix:///PATH or unixgram:///PATH";
		return kind == FW_ADDR_UNIX || kind == FW_ADDR_UNIXGRAM;
	case FW_OUTPUT_TCP:
		*expected = "tcp://HOST:PORT";
		return kind == FW_ADDR_TCP;
	default:
		*expected = NULL;
		return true;
	}
}

static void
output_address(struct parser *p, struct section *sec, struct fw_output_config *out, int type)
{
	const unsigned NEEDS = BIT(FW_OUTPUT_FILE) | BIT(FW_OUTPUT_UNIX) | BIT(FW_OUTPUT_TCP) |
			       BIT(FW_OUTPUT_SYSLOG);
	struct entry *e = fw__conf_find(sec, "address");
	const char *why, *expected;
	char *w;

	if (!e) {
		if (type == FW_OUTPUT_SYSLOG) {
			out->address = strdup(DEFAULT_SYSLOG_ADDRESS);
			if (!out->address || fw_parse_address(out->address, &out->addr, &why) < 0)
				fw__conf_oom(p);
		} else if (type >= 0 && (NEEDS & BIT(type))) {
			fw__conf_err(p, sec->line, sec->name, "address", "required for type = %s",
				     output_types[type]);
		}
		return;
	}
	if (!applies(p, sec, e, type, NEEDS, output_types))
		return;
	if (type == FW_OUTPUT_FILE) {
		if (fw__conf_path(p, sec, e, &out->address) == 0) {
			out->addr.kind = FW_ADDR_PATH;
			if (!(out->addr.path = strdup(out->address)))
				fw__conf_oom(p);
		}
		return;
	}
	if (!(w = fw__conf_word(p, sec, e)))
		return;
	if (fw_parse_address_port(w, type == FW_OUTPUT_SYSLOG ? FW_SYSLOG_PORT : 0, &out->addr,
				  &why) < 0) {
		if (why)
			fw__conf_err(p, e->line, sec->name, e->key, "bad address '%s': %s", w, why);
		else
			fw__conf_oom(p);
		free(w);
		return;
	}
	if (type >= 0 && !address_fits((enum fw_output_type)type, out->addr.kind, &expected)) {
		fw__conf_err(p, e->line, sec->name, e->key, "type = %s takes %s, got '%s'",
			     output_types[type], expected, w);
		fw_address_clear(&out->addr);
		free(w);
		return;
	}
	out->address = w;
}

/* A name a certificate can be checked against: a DNS name or an IP address. */
static bool
valid_server_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 253 && s[0] != '-' && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:") == n;
}

/*
 * The tls_* keys: syslog over tls:// only. The files are only named here;
 * whether they can be read and whether the key fits the certificate is
 * checked by the transport (fw_tls_check: `fixwatchd -t` and start-up).
 */
static void
output_tls(struct parser *p, struct section *sec, struct fw_output_config *out, int type)
{
	static const enum fw_conf_key_id ids[] = {
		FW_KEY_TLS_CA_FILE, FW_KEY_TLS_SERVER_NAME, FW_KEY_TLS_CERT_FILE, FW_KEY_TLS_KEY_FILE,
	};
	char **fields[] = {
		&out->tls_ca_file, &out->tls_server_name, &out->tls_cert_file, &out->tls_key_file,
	};
	struct entry *cert = NULL, *key = NULL;

	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const struct fw_conf_key *k = &fw_conf_keys[ids[i]];
		struct entry *e = fw__conf_find(sec, k->name);

		if (!e || !applies(p, sec, e, type, BIT(FW_OUTPUT_SYSLOG), output_types))
			continue;
		/* (a bad address was reported already) */
		if (out->address && out->addr.kind != FW_ADDR_TLS) {
			fw__conf_err(p, e->line, sec->name, e->key,
				     "only for syslog over tls://HOST[:PORT]");
			continue;
		}
		if (k->kind == FW_CONF_PATH) {
			fw__conf_path(p, sec, e, fields[i]);
		} else if ((*fields[i] = fw__conf_word(p, sec, e)) && !valid_server_name(*fields[i])) {
			fw__conf_err(p, e->line, sec->name, e->key,
				     "'%s' is not a host name or an IP address", *fields[i]);
		}
		if (ids[i] == FW_KEY_TLS_CERT_FILE)
			cert = e;
		else if (ids[i] == FW_KEY_TLS_KEY_FILE)
			key = e;
	}
	if (!cert != !key)
		fw__conf_err(p, (cert ? cert : key)->line, sec->name, (cert ? cert : key)->key,
			     "a client certificate needs both tls_cert_file and tls_key_file");
}

static void
apply_output(struct parser *p, struct section *sec, struct fw_output_config *out)
{
	const unsigned SYSLOG = BIT(FW_OUTPUT_SYSLOG);
	bool remote;
	struct entry *e;
	uint64_t n;
	int type = -1, v;

	out->name = strdup(strchr(sec->name, '.') + 1);
	if (!out->name)
		fw__conf_oom(p);
	out->line = sec->line;
	out->queue_max = (size_t)def_number(K(QUEUE_MAX));
	out->overflow = (enum fw_overflow)def_enum(K(OVERFLOW));
	out->min_confidence = strtod(K(MIN_CONFIDENCE)->def, NULL);
	out->max_message_bytes = (size_t)def_number(K(MAX_MESSAGE_BYTES));
	out->cee = strcmp(K(CEE)->def, "yes") == 0;
	out->min_severity = def_enum(K(MIN_SEVERITY));
	out->facility = fw_facility_code(def_enum(K(FACILITY)));
	if ((e = fw__conf_find(sec, "type"))) {
		if (fw__conf_enum(p, sec, e, output_types, &v) == 0)
			type = v;
	} else {
		fw__conf_err(p, sec->line, sec->name, "type",
			     "missing (stdout, file, unix, tcp, syslog or journal)");
	}
	out->type = type < 0 ? FW_OUTPUT_STDOUT : (enum fw_output_type)type;
	out->format = type == FW_OUTPUT_SYSLOG ? FW_FORMAT_RFC5424 : FW_FORMAT_JSON;
	/* Only syslog over TCP frames: the other stream outputs write JSON Lines. */
	out->framing = type == FW_OUTPUT_SYSLOG ? (enum fw_framing)def_enum(K(FRAMING))
						: FW_FRAMING_LF;

	output_address(p, sec, out, type);
	remote = out->addr.kind == FW_ADDR_TCP || out->addr.kind == FW_ADDR_UDP ||
		 out->addr.kind == FW_ADDR_TLS;

	if ((e = fw__conf_find(sec, "format")) &&
	    applies(p, sec, e, type, ~BIT(FW_OUTPUT_JOURNAL), output_types) &&
	    fw__conf_enum(p, sec, e, K(FORMAT)->names, &v) == 0) {
		out->format = (enum fw_output_format)v;
		if (type == FW_OUTPUT_SYSLOG && v == FW_FORMAT_JSON)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "syslog carries the JSON alert in MSG: use rfc5424 or rfc3164");
		else if (type == FW_OUTPUT_SYSLOG && v == FW_FORMAT_RFC3164 && remote)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "rfc3164 is for the local socket; remote syslog uses rfc5424");
		else if (type >= 0 && type != FW_OUTPUT_SYSLOG && v != FW_FORMAT_JSON)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "type = %s writes JSON Lines: only format = json", output_types[type]);
	}
	if ((e = fw__conf_find(sec, "cee")) && applies(p, sec, e, type, SYSLOG, output_types))
		fw__conf_bool(p, sec, e, &out->cee);
	if ((e = fw__conf_find(sec, "framing")) && applies(p, sec, e, type, SYSLOG, output_types) &&
	    fw__conf_enum(p, sec, e, K(FRAMING)->names, &v) == 0) {
		out->framing = (enum fw_framing)v;
		/* (a bad address was reported already) */
		if (type == FW_OUTPUT_SYSLOG && out->address && out->addr.kind == FW_ADDR_TLS &&
		    v != FW_FRAMING_OCTET_COUNTING)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "syslog over tls:// is octet-counted (RFC 5425 §4.3)");
		else if (type == FW_OUTPUT_SYSLOG && out->address && out->addr.kind != FW_ADDR_TCP &&
			 out->addr.kind != FW_ADDR_TLS)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "framing applies to syslog over tcp:// only (RFC 6587)");
	}
	if ((e = fw__conf_find(sec, "queue_max")) && read_limited(p, sec, e, K(QUEUE_MAX), &n) == 0)
		out->queue_max = (size_t)n;
	if ((e = fw__conf_find(sec, "overflow")) && fw__conf_enum(p, sec, e, K(OVERFLOW)->names, &v) == 0)
		out->overflow = (enum fw_overflow)v;
	if ((e = fw__conf_find(sec, "min_confidence")))
		fw__conf_fraction(p, sec, e, &out->min_confidence);
	if ((e = fw__conf_find(sec, "min_severity")) &&
	    fw__conf_enum(p, sec, e, K(MIN_SEVERITY)->names, &v) == 0)
		out->min_severity = v;
	if ((e = fw__conf_find(sec, "facility")) && applies(p, sec, e, type, SYSLOG, output_types) &&
	    fw__conf_enum(p, sec, e, K(FACILITY)->names, &v) == 0)
		out->facility = fw_facility_code(v);
	if ((e = fw__conf_find(sec, "max_message_bytes")) &&
	    applies(p, sec, e, type, SYSLOG | BIT(FW_OUTPUT_UNIX), output_types)) {
		if (type == FW_OUTPUT_UNIX && out->addr.kind == FW_ADDR_UNIX)
			fw__conf_err(p, e->line, sec->name, e->key,
				     "only for datagram sockets (unixgram://)");
		else    /* a UDP datagram carries at most 65507 bytes (IPv4) */
			fw__conf_size(p, sec, e, (size_t)K(MAX_MESSAGE_BYTES)->min,
				      out->addr.kind == FW_ADDR_UDP ? MAX_UDP_PAYLOAD
								    : (size_t)K(MAX_MESSAGE_BYTES)->max,
				      &out->max_message_bytes);
	}
	output_tls(p, sec, out, type);
	fw__conf_unknown_keys(p, sec);
}

static int
set_defaults(struct parser *p, struct fw_config *cfg)
{
	char host[256];
	char *kb = strdup(K(KB)->def);

	if (!kb || fw__strv_push(&cfg->kb, kb) < 0) {
		free(kb);
		return -ENOMEM;
	}
	if (gethostname(host, sizeof host) < 0 || !host[0])
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	cfg->host = strdup(host);
	cfg->state_dir = strdup(K(STATE_DIR)->def);
	cfg->kb_local = strdup(K(KB_LOCAL)->def);
	cfg->control_socket = strdup(K(CONTROL_SOCKET)->def);
	cfg->zh = def_enum(K(LOCALE)) == 1;
	cfg->checkpoint_interval_ms = def_number(K(CHECKPOINT_INTERVAL));
	cfg->match = (enum fw_match_mode)def_enum(K(MATCH));
	cfg->window_ms = def_number(K(WINDOW));
	cfg->threshold = (uint32_t)def_number(K(THRESHOLD));
	if (!cfg->host || !cfg->state_dir || !cfg->kb_local || !cfg->control_socket)
		return -ENOMEM;
	return 0;
}

static void
check_whole(struct parser *p, struct fw_config *cfg)
{
	if (cfg->n_inputs == 0)
		fw__conf_err(p, 0, NULL, NULL, "no [input.NAME] section: at least one input is needed");
	if (cfg->n_outputs == 0)
		fw__conf_err(p, 0, NULL, NULL,
			     "no [output.NAME] section: at least one output is needed");
}

int
fw_config_load(const char *path, struct fw_config **out, struct fw_diag *diag)
{
	struct parser p = { .file = path, .diag = diag };
	struct fw_config *cfg = NULL;
	const char *slash = strrchr(path, '/');
	size_t n_in = 0, n_out = 0;
	FILE *f;
	int r;

	*out = NULL;
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		fw_diag_add(diag, "%s: cannot open the configuration file: %s", path, strerror(-r));
		return r;
	}
	if (slash && !(p.dir = strndup(path, slash == path ? 1 : (size_t)(slash - path))))
		fw__conf_oom(&p);
	r = fw__conf_read(&p, f);
	fclose(f);

	for (size_t i = 0; i < p.n_sections; i++) {
		n_in += p.sections[i].kind == SEC_INPUT;
		n_out += p.sections[i].kind == SEC_OUTPUT;
	}
	cfg = calloc(1, sizeof *cfg);
	if (!cfg || !(cfg->path = strdup(path)) || set_defaults(&p, cfg) < 0 ||
	    (n_in && !(cfg->inputs = calloc(n_in, sizeof *cfg->inputs))) ||
	    (n_out && !(cfg->outputs = calloc(n_out, sizeof *cfg->outputs)))) {
		fw__conf_oom(&p);
		goto done;
	}
	for (size_t i = 0; i < p.n_sections; i++) {
		struct section *s = &p.sections[i];
		switch (s->kind) {
		case SEC_DAEMON: apply_daemon(&p, s, cfg); break;
		case SEC_ALERTS: apply_alerts(&p, s, cfg); break;
		case SEC_INPUT:
			apply_input(&p, s, cfg, &cfg->inputs[cfg->n_inputs]);
			cfg->n_inputs++;
			break;
		case SEC_OUTPUT:
			apply_output(&p, s, &cfg->outputs[cfg->n_outputs++]);
			break;
		}
	}
	check_whole(&p, cfg);
done:
	fw__conf_free_sections(&p);
	if (p.errors) {
		fw_config_free(cfg);
		return p.oom ? -ENOMEM : r < 0 ? r : -EINVAL;
	}
	*out = cfg;
	return 0;
}

/*
 * Whether start-up can use dir (it creates one missing level, as
 * mkdir(2) does): a writable directory, or absent under one. access(2)
 * answers for the user running this, which is the daemon's user when
 * `fixwatchd -t` runs as that user (ExecStartPre= in the unit).
 */
/* The directory path is in ("." for a bare name, "/" for "/x"); NULL without memory. */
static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

static bool
check_dir(const char *conf, const char *key, const char *dir, struct fw_diag *diag)
{
	struct stat st;
	char *parent;
	bool ok = true;
	int err;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			fw_diag_add(diag, "%s:-: [daemon] %s: %s is not a directory", conf, key, dir);
			return false;
		}
		if (access(dir, W_OK | X_OK) < 0) {
			fw_diag_add(diag, "%s:-: [daemon] %s: %s: cannot write there: %s", conf, key,
				    dir, strerror(errno));
			return false;
		}
		return true;
	}
	if (errno != ENOENT) {
		fw_diag_add(diag, "%s:-: [daemon] %s: %s: %s", conf, key, dir, strerror(errno));
		return false;
	}
	if (!(parent = parent_of(dir)))
		return false;
	err = stat(parent, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	if (err) {
		fw_diag_add(diag, "%s:-: [daemon] %s: cannot create %s: %s: %s", conf, key, dir,
			    parent, strerror(err));
		ok = false;
	} else if (access(parent, W_OK | X_OK) < 0) {
		fw_diag_add(diag, "%s:-: [daemon] %s: cannot create %s in %s: %s", conf, key, dir,
			    parent, strerror(errno));
		ok = false;
	}
	free(parent);
	return ok;
}

int
fw_config_check_paths(const struct fw_config *cfg, struct fw_diag *diag)
{
	bool ok = check_dir(cfg->path, "state_dir", cfg->state_dir, diag);

	if (cfg->control_socket && *cfg->control_socket) {
		char *dir = parent_of(cfg->control_socket);

		if (!dir)
			return -ENOMEM;
		ok &= check_dir(cfg->path, "control_socket", dir, diag);
		free(dir);
	}
	return ok ? 0 : -EINVAL;
}

void
fw_config_free(struct fw_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_inputs; i++) {
		struct fw_input_config *in = &cfg->inputs[i];
		free(in->name);
		fw__strv_free(&in->paths);
		fw__strv_free(&in->exclude);
		fw__strv_free(&in->units);
		fw__strv_free(&in->identifiers);
		free(in->directory);
		free(in->multiline);
		free(in->log_format);
		fw__strv_free(&in->domains);
	}
	free(cfg->inputs);
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		free(cfg->outputs[i].name);
		free(cfg->outputs[i].address);
		fw_address_clear(&cfg->outputs[i].addr);
		free(cfg->outputs[i].tls_ca_file);
		free(cfg->outputs[i].tls_server_name);
		free(cfg->outputs[i].tls_cert_file);
		free(cfg->outputs[i].tls_key_file);
	}
	free(cfg->outputs);
	free(cfg->path);
	fw__strv_free(&cfg->kb);
	free(cfg->kb_local);
	free(cfg->state_dir);
	free(cfg->host);
	free(cfg->control_socket);
	free(cfg->metrics_file);
	free(cfg);
}
