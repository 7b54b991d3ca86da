/*
 * test_config: the configuration parser (daemon/fwconfig*.c) on real files:
 * every key, its default, every kind of bad value, and the exact place
 * ("FILE:LINE: [SECTION] KEY: message") of every error.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/fwconfig.h"

static char tmpdir[256];
static char conf_path[512];
static struct fw_diag diag;

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/fwconf.XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(conf_path, sizeof conf_path, "%s/fixwatch.conf", tmpdir);
	fw_diag_init(&diag);
	return 0;
}

static int
teardown(void **state)
{
	unlink(conf_path);
	rmdir(tmpdir);
	fw_diag_clear(&diag);
	return 0;
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Loads text as a configuration file; NULL when it was refused. */
static struct fw_config *
load(const char *text)
{
	struct fw_config *cfg = NULL;
	int r;

	fw_diag_clear(&diag);
	write_file(conf_path, text, strlen(text));
	r = fw_config_load(conf_path, &cfg, &diag);
	if (r == 0) {
		if (fw_diag_count(&diag))
			fw_diag_print(&diag, stderr);
		assert_int_equal(fw_diag_count(&diag), 0);
		assert_non_null(cfg);
	} else {
		assert_int_equal(r, -EINVAL);
		assert_null(cfg);
		assert_true(fw_diag_count(&diag) > 0);
	}
	return cfg;
}

static struct fw_config *
load_ok(const char *text)
{
	struct fw_config *cfg = load(text);

	if (!cfg) {
		fw_diag_print(&diag, stderr);
		fail_msg("refused:\n%s", text);
	}
	return cfg;
}

/* The i-th message is "CONF_PATH" followed by want. */
static void
assert_error(size_t i, const char *want)
{
	size_t pl = strlen(conf_path);

	if (i >= diag.n) {
		fw_diag_print(&diag, stderr);
		fail_msg("no error #%zu, wanted '%s'", i, want);
	}
	if (strncmp(diag.msgs[i], conf_path, pl) != 0 || strcmp(diag.msgs[i] + pl, want) != 0)
		fail_msg("error #%zu:\n  got  '%s'\n  want '<conf>%s'", i, diag.msgs[i], want);
}

/* text must be refused with exactly one error, want (after the path). */
static void
refuse(const char *text, const char *want)
{
	struct fw_config *cfg = load(text);

	if (cfg) {
		fw_config_free(cfg);
		fail_msg("accepted:\n%s", text);
	}
	assert_error(0, want);
	if (diag.n != 1) {
		fw_diag_print(&diag, stderr);
		fail_msg("%zu errors, wanted one", diag.n);
	}
}

#define IO "[input.in]\ntype = stdin\n[output.out]\ntype = stdout\n"

/* ---- value parsers --------------------------------------------------------- */

static void
test_duration(void **state)
{
	static const struct { const char *s; uint64_t ms; } good[] = {
		{ "0", 0 }, { "5", 5000 }, { "250ms", 250 }, { "5s", 5000 }, { "1m", 60000 },
		{ "2h", 7200000 }, { "1d", 86400000 }, { "0ms", 0 }, { "007s", 7000 },
		{ "18446744073709551615ms", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "s", "ms", "-1s", "+1s", " 1s", "1s ", "1.5s", "1S", "1 s", "1sec", "1w",
		"1m30s", "0x10", "18446744073709551616ms", "18446744073709552s", "213503982335d",
	};
	uint64_t ms;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		ms = 42;
		if (fw_parse_duration_ms(good[i].s, &ms) != 0)
			fail_msg("refused '%s'", good[i].s);
		assert_int_equal(ms, good[i].ms);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fw_parse_duration_ms(bad[i], &ms) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(fw_parse_duration_ms(NULL, &ms), -EINVAL);
}

static void
test_size(void **state)
{
	static const struct { const char *s; size_t n; } good[] = {
		{ "0", 0 }, { "512", 512 }, { "64k", 65536 }, { "64K", 65536 },
		{ "16M", 16u << 20 }, { "16m", 16u << 20 }, { "1G", 1u << 30 },
		{ "17179869183G", (size_t)17179869183 << 30 },
	};
	static const char *const bad[] = {
		"", "k", "-1", "+1", " 1", "1 ", "1.5k", "64kb", "64KiB", "1T", "1kk",
		"18446744073709551616", "17179869184G", "18014398509481984k",
	};
	size_t n;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		n = 42;
		if (fw_parse_size(good[i].s, &n) != 0)
			fail_msg("refused '%s'", good[i].s);
		assert_int_equal(n, good[i].n);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (fw_parse_size(bad[i], &n) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
}

static void
test_address(void **state)
{
	static const struct {
		const char *s;
		enum fw_address_kind kind;
		const char *host;
		uint16_t port;
		const char *path;
	} good[] = {
		{ "tcp://127.0.0.1:514", FW_ADDR_TCP, "127.0.0.1", 514, NULL },
		{ "udp://logs.example.com:65535", FW_ADDR_UDP, "logs.example.com", 65535, NULL },
		{ "tcp://[::1]:6514", FW_ADDR_TCP, "::1", 6514, NULL },
		{ "udp://[fe80::1:2]:1", FW_ADDR_UDP, "fe80::1:2", 1, NULL },
		{ "unix:///run/fw.sock", FW_ADDR_UNIX, NULL, 0, "/run/fw.sock" },
		{ "unixgram:///dev/log", FW_ADDR_UNIXGRAM, NULL, 0, "/dev/log" },
	};
	static const char *const bad[] = {
		"", "127.0.0.1:514", "tcp://", "tcp://host", "tcp://host:", "tcp://host:0",
		"tcp://host:65536", "tcp://host:-1", "tcp://host:51x", "tcp://::1:514",
		"tcp://[::1]514", "tcp://[::1:514", "tcp://[nope]:514", "tcp://[]:514",
		"tcp://ho st:514", "tcp://-host:514", "tcp://:514", "http://host:80",
		"unix://", "unix:///", "unix://run/x.sock", "unixgram://relative",
		"TCP://host:514",
	};
	struct fw_address a;
	const char *why;
	char longpath[200];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (fw_parse_address(good[i].s, &a, &why) != 0)
			fail_msg("refused '%s': %s", good[i].s, why);
		assert_int_equal(a.kind, good[i].kind);
		if (good[i].host)
			assert_string_equal(a.host, good[i].host);
		else
			assert_null(a.host);
		assert_int_equal(a.port, good[i].port);
		if (good[i].path)
			assert_string_equal(a.path, good[i].path);
		else
			assert_null(a.path);
		fw_address_clear(&a);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		if (fw_parse_address(bad[i], &a, &why) != -EINVAL) {
			fw_address_clear(&a);
			fail_msg("accepted '%s'", bad[i]);
		}
		assert_non_null(why);
		assert_int_equal(a.kind, FW_ADDR_NONE);
	}
	/* sun_path holds 107 bytes and the NUL */
	memset(longpath, 'a', sizeof longpath);
	memcpy(longpath, "unix:///", 8);
	longpath[7 + 107] = '\0';
	assert_int_equal(fw_parse_address(longpath, &a, &why), 0);
	fw_address_clear(&a);
	longpath[7 + 107] = 'a';
	longpath[7 + 108] = '\0';
	assert_int_equal(fw_parse_address(longpath, &a, &why), -EINVAL);
}

/* A service's well-known port where the address has none; never in place of a bad one. */
static void
test_address_default_port(void **state)
{
	static const struct { const char *s; const char *host; uint16_t port; } good[] = {
		{ "tcp://logs.example.com", "logs.example.com", 514 },
		{ "udp://10.0.0.1", "10.0.0.1", 514 },
		{ "tcp://[2001:db8::1]", "2001:db8::1", 514 },
		{ "tcp://logs.example.com:6514", "logs.example.com", 6514 },
	};
	static const char *const bad[] = {
		"tcp://", "tcp://host:", "tcp://host:0", "tcp://[::1]x", "tcp://::1", "tcp://:514",
	};
	struct fw_address a;
	const char *why;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (fw_parse_address_port(good[i].s, FW_SYSLOG_PORT, &a, &why) != 0)
			fail_msg("refused '%s': %s", good[i].s, why);
		assert_string_equal(a.host, good[i].host);
		assert_int_equal(a.port, good[i].port);
		fw_address_clear(&a);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (fw_parse_address_port(bad[i], FW_SYSLOG_PORT, &a, &why) != -EINVAL) {
			fw_address_clear(&a);
			fail_msg("accepted '%s'", bad[i]);
		}
	}
}

/* Syslog outputs take the syslog port by default; a JSON-over-TCP output has none. */
static void
test_syslog_default_port(void **state)
{
	struct fw_config *cfg = load_ok(IO "[output.s]\ntype = syslog\naddress = tcp://logs.example.com\n"
				       "[output.u]\ntype = syslog\naddress = udp://[::1]\n");

	assert_int_equal(cfg->outputs[1].addr.port, 514);
	assert_string_equal(cfg->outputs[1].addr.host, "logs.example.com");
	assert_int_equal(cfg->outputs[2].addr.port, 514);
	fw_config_free(cfg);
	refuse(IO "[output.t]\ntype = tcp\naddress = tcp://logs.example.com\n",
	       ":7: [output.t] address: bad address 'tcp://logs.example.com': expected HOST:PORT");
}

/* ---- whole files ----------------------------------------------------------- */

static void
test_defaults(void **state)
{
	struct fw_config *cfg = load_ok(IO);
	char host[256] = "";

	assert_int_equal(cfg->kb.n, 1);
	assert_string_equal(cfg->kb.v[0], FW_DATADIR "/kb");
	assert_string_equal(cfg->state_dir, "/var/lib/fixwatch");
	assert_int_equal(gethostname(host, sizeof host), 0);
	assert_string_equal(cfg->host, host);
	assert_false(cfg->zh);
	assert_string_equal(cfg->control_socket, "/run/fixwatch/control.sock");
	assert_null(cfg->metrics_file);
	assert_int_equal(cfg->checkpoint_interval_ms, 5000);
	assert_int_equal(cfg->match, FW_MATCH_BEST);
	assert_int_equal(cfg->window_ms, 0);
	assert_int_equal(cfg->threshold, 1);
	assert_string_equal(cfg->path, conf_path);

	assert_int_equal(cfg->n_inputs, 1);
	assert_string_equal(cfg->inputs[0].name, "in");
	assert_int_equal(cfg->inputs[0].type, FW_INPUT_STDIN);
	assert_int_equal(cfg->inputs[0].line, 1);
	assert_int_equal(cfg->inputs[0].paths.n, 0);
	assert_int_equal(cfg->inputs[0].domains.n, 0);
	assert_int_equal(cfg->inputs[0].start_at, FW_START_END);
	assert_int_equal(cfg->inputs[0].max_line_bytes, 65536);
	assert_int_equal(cfg->inputs[0].partial_flush_ms, 5000);

	assert_int_equal(cfg->n_outputs, 1);
	assert_string_equal(cfg->outputs[0].name, "out");
	assert_int_equal(cfg->outputs[0].line, 3);
	assert_int_equal(cfg->outputs[0].type, FW_OUTPUT_STDOUT);
	assert_null(cfg->outputs[0].address);
	assert_int_equal(cfg->outputs[0].addr.kind, FW_ADDR_NONE);
	assert_int_equal(cfg->outputs[0].format, FW_FORMAT_JSON);
	assert_false(cfg->outputs[0].cee);
	assert_int_equal(cfg->outputs[0].framing, FW_FRAMING_LF);
	assert_int_equal(cfg->outputs[0].queue_max, 10000);
	assert_int_equal(cfg->outputs[0].overflow, FW_OVERFLOW_BLOCK);
	assert_true(cfg->outputs[0].min_confidence == 0.0);
	assert_int_equal(cfg->outputs[0].max_message_bytes, 8192);
	fw_config_free(cfg);
}

static void
test_every_key(void **state)
{
	struct fw_config *cfg = load_ok(
		"# every key, none at its default\n"
		"[daemon]\n"
		"kb = /etc/fixwatch/kb.d \"/srv/kb with space/x.jsonl\"\n"
		"state_dir = /srv/state\n"
		"host = web-1.example.com\n"
		"locale = zh\n"
		"control_socket = /run/fw/c.sock\n"
		"metrics_file = /var/lib/node_exporter/fixwatch.prom\n"
		"checkpoint_interval = 250ms\n"
		"\n"
		"[alerts]\n"
		"match = all\n"
		"window = 1m\n"
		"threshold = 3\n"
		"\n"
		"[input.nginx]\n"
		"type = file\n"
		"path = /var/log/nginx/*.log /var/log/nginx/error.log.1 \"/var/log/odd dir/a \\\"b\\\" \\\\.log\"\n"
		"exclude = *.gz *.[0-9]\n"
		"start_at = beginning\n"
		"domains = nginx aws\n"
		"max_line_bytes = 1M\n"
		"partial_flush = 750ms\n"
		"\n"
		"[input.journal]\n"
		"type = journal\n"
		"units = nginx sshd.service getty@tty1.service\n"
		"identifiers = kernel sudo\n"
		"directory = /var/log/journal/remote\n"
		"start_at = beginning\n"
		"max_line_bytes = 4k\n"
		"\n"
		"[output.remote]\n"
		"type = syslog\n"
		"address = tcp://[2001:db8::5]:6514\n"
		"format = rfc5424\n"
		"cee = yes\n"
		"framing = lf\n"
		"queue_max = 500\n"
		"overflow = drop-oldest\n"
		"min_confidence = 0.75\n"
		"max_message_bytes = 64k\n"
		"\n"
		"  [output.local]  \n"
		"\ttype = syslog\n"
		"format = rfc3164\n"
		"cee = off\n"
		"max_message_bytes = 2048\n"
		"[output.file]\n"
		"type = file\n"
		"address = /var/log/fixwatch/alerts.json\n"
		"min_confidence = 1\n"
		"[output.sock]\n"
		"type = unix\n"
		"address = unixgram:///run/collector.sock\n"
		"max_message_bytes = 4k\n"
		"[output.tcp]\n"
		"type = tcp\n"
		"address = tcp://collector:9000\n"
		"format = json\n"
		"[output.journal]\n"
		"type = journal\n"
		"min_confidence = .5\n");
	const struct fw_input_config *in;
	const struct fw_output_config *out;

	assert_int_equal(cfg->kb.n, 2);
	assert_string_equal(cfg->kb.v[0], "/etc/fixwatch/kb.d");
	assert_string_equal(cfg->kb.v[1], "/srv/kb with space/x.jsonl");
	assert_string_equal(cfg->state_dir, "/srv/state");
	assert_string_equal(cfg->host, "web-1.example.com");
	assert_true(cfg->zh);
	assert_string_equal(cfg->control_socket, "/run/fw/c.sock");
	assert_string_equal(cfg->metrics_file, "/var/lib/node_exporter/fixwatch.prom");
	assert_int_equal(cfg->checkpoint_interval_ms, 250);
	assert_int_equal(cfg->match, FW_MATCH_ALL);
	assert_int_equal(cfg->window_ms, 60000);
	assert_int_equal(cfg->threshold, 3);

	assert_int_equal(cfg->n_inputs, 2);
	in = &cfg->inputs[0];
	assert_string_equal(in->name, "nginx");
	assert_int_equal(in->line, 16);
	assert_int_equal(in->type, FW_INPUT_FILE);
	assert_int_equal(in->paths.n, 3);
	assert_string_equal(in->paths.v[0], "/var/log/nginx/*.log");
	assert_string_equal(in->paths.v[1], "/var/log/nginx/error.log.1");
	assert_string_equal(in->paths.v[2], "/var/log/odd dir/a \"b\" \\.log");
	assert_int_equal(in->exclude.n, 2);
	assert_string_equal(in->exclude.v[0], "*.gz");
	assert_string_equal(in->exclude.v[1], "*.[0-9]");
	assert_int_equal(in->start_at, FW_START_BEGINNING);
	assert_int_equal(in->domains.n, 2);
	assert_string_equal(in->domains.v[0], "nginx");
	assert_string_equal(in->domains.v[1], "aws");
	assert_int_equal(in->max_line_bytes, 1 << 20);
	assert_int_equal(in->partial_flush_ms, 750);
	assert_int_equal(in->units.n, 0);
	assert_null(in->directory);

	in = &cfg->inputs[1];
	assert_string_equal(in->name, "journal");
	assert_int_equal(in->type, FW_INPUT_JOURNAL);
	assert_int_equal(in->units.n, 3);
	assert_string_equal(in->units.v[0], "nginx.service");
	assert_string_equal(in->units.v[1], "sshd.service");
	assert_string_equal(in->units.v[2], "getty@tty1.service");
	assert_int_equal(in->identifiers.n, 2);
	assert_string_equal(in->identifiers.v[0], "kernel");
	assert_string_equal(in->identifiers.v[1], "sudo");
	assert_string_equal(in->directory, "/var/log/journal/remote");
	assert_int_equal(in->start_at, FW_START_BEGINNING);
	assert_int_equal(in->max_line_bytes, 4096);
	assert_int_equal(in->paths.n, 0);

	assert_int_equal(cfg->n_outputs, 6);
	out = &cfg->outputs[0];
	assert_string_equal(out->name, "remote");
	assert_int_equal(out->type, FW_OUTPUT_SYSLOG);
	assert_string_equal(out->address, "tcp://[2001:db8::5]:6514");
	assert_int_equal(out->addr.kind, FW_ADDR_TCP);
	assert_string_equal(out->addr.host, "2001:db8::5");
	assert_int_equal(out->addr.port, 6514);
	assert_int_equal(out->format, FW_FORMAT_RFC5424);
	assert_true(out->cee);
	assert_int_equal(out->framing, FW_FRAMING_LF);
	assert_int_equal(out->queue_max, 500);
	assert_int_equal(out->overflow, FW_OVERFLOW_DROP_OLDEST);
	assert_true(out->min_confidence == 0.75);
	assert_int_equal(out->max_message_bytes, 65536);

	out = &cfg->outputs[1];
	assert_string_equal(out->name, "local");
	assert_int_equal(out->line, 44);
	assert_string_equal(out->address, "unixgram:///dev/log");
	assert_int_equal(out->addr.kind, FW_ADDR_UNIXGRAM);
	assert_string_equal(out->addr.path, "/dev/log");
	assert_int_equal(out->format, FW_FORMAT_RFC3164);
	assert_false(out->cee);
	assert_int_equal(out->framing, FW_FRAMING_OCTET_COUNTING);
	assert_int_equal(out->max_message_bytes, 2048);

	out = &cfg->outputs[2];
	assert_int_equal(out->type, FW_OUTPUT_FILE);
	assert_string_equal(out->address, "/var/log/fixwatch/alerts.json");
	assert_int_equal(out->addr.kind, FW_ADDR_PATH);
	assert_string_equal(out->addr.path, "/var/log/fixwatch/alerts.json");
	assert_true(out->min_confidence == 1.0);

	out = &cfg->outputs[3];
	assert_int_equal(out->type, FW_OUTPUT_UNIX);
	assert_int_equal(out->addr.kind, FW_ADDR_UNIXGRAM);
	assert_string_equal(out->addr.path, "/run/collector.sock");
	assert_int_equal(out->max_message_bytes, 4096);

	out = &cfg->outputs[4];
	assert_int_equal(out->type, FW_OUTPUT_TCP);
	assert_int_equal(out->addr.kind, FW_ADDR_TCP);
	assert_string_equal(out->addr.host, "collector");
	assert_int_equal(out->addr.port, 9000);
	assert_int_equal(out->format, FW_FORMAT_JSON);

	out = &cfg->outputs[5];
	assert_int_equal(out->type, FW_OUTPUT_JOURNAL);
	assert_null(out->address);
	assert_true(out->min_confidence == 0.5);
	fw_config_free(cfg);
}

static void
test_booleans_and_enums(void **state)
{
	static const char *const yes[] = { "yes", "true", "on" };
	static const char *const no[] = { "no", "false", "off" };
	char text[256];
	struct fw_config *cfg;

	for (size_t i = 0; i < 3; i++) {
		snprintf(text, sizeof text, IO "[output.s]\ntype = syslog\ncee = %s\n", yes[i]);
		cfg = load_ok(text);
		assert_true(cfg->outputs[1].cee);
		fw_config_free(cfg);
		snprintf(text, sizeof text, IO "[output.s]\ntype = syslog\ncee = %s\n", no[i]);
		cfg = load_ok(text);
		assert_false(cfg->outputs[1].cee);
		fw_config_free(cfg);
	}
	cfg = load_ok(IO "[daemon]\nlocale = en\ncontrol_socket =\n[alerts]\nmatch = best\n"
		      "window = 0\nthreshold = 1\n");
	assert_false(cfg->zh);
	assert_null(cfg->control_socket);
	assert_int_equal(cfg->match, FW_MATCH_BEST);
	fw_config_free(cfg);
	cfg = load_ok(IO "[output.u]\ntype = unix\naddress = unix:///run/x.sock\n"
		      "overflow = block\n");
	assert_int_equal(cfg->outputs[1].overflow, FW_OVERFLOW_BLOCK);
	assert_int_equal(cfg->outputs[1].addr.kind, FW_ADDR_UNIX);
	fw_config_free(cfg);
}

/* Relative paths are relative to the configuration file's directory. */
static void
test_relative_paths(void **state)
{
	struct fw_config *cfg = load_ok(
		"[daemon]\nkb = kb ../shared/kb /abs/kb\nstate_dir = state\n"
		"control_socket = run/c.sock\nmetrics_file = m.prom\n"
		"[input.f]\ntype = file\npath = logs/*.log\nexclude = *.gz\n"
		"[input.j]\ntype = journal\ndirectory = journal\n"
		"[output.f]\ntype = file\naddress = out/alerts.json\n");
	char want[600];

#define WANT(rel) (snprintf(want, sizeof want, "%s/%s", tmpdir, rel), want)
	assert_string_equal(cfg->kb.v[0], WANT("kb"));
	assert_string_equal(cfg->kb.v[1], WANT("../shared/kb"));
	assert_string_equal(cfg->kb.v[2], "/abs/kb");
	assert_string_equal(cfg->state_dir, WANT("state"));
	assert_string_equal(cfg->control_socket, WANT("run/c.sock"));
	assert_string_equal(cfg->metrics_file, WANT("m.prom"));
	assert_string_equal(cfg->inputs[0].paths.v[0], WANT("logs/*.log"));
	assert_string_equal(cfg->inputs[0].exclude.v[0], "*.gz");
	assert_string_equal(cfg->inputs[1].directory, WANT("journal"));
	assert_string_equal(cfg->outputs[0].address, WANT("out/alerts.json"));
	assert_string_equal(cfg->outputs[0].addr.path, WANT("out/alerts.json"));
#undef WANT
	fw_config_free(cfg);
}

/* An input's line format and multiline: file and stdin take them, the journal does not. */
static void
test_input_format(void **state)
{
	struct fw_config *cfg;

	(void)state;
	cfg = load_ok("[input.f]\ntype = file\npath = /x.log\nformat = w3c\n"
		      "[input.s]\ntype = stdin\nformat = auto\n[input.d]\ntype = file\npath = /y\n"
		      "[output.o]\ntype = stdout\n");
	assert_int_equal(cfg->inputs[0].format, FW_LINE_W3C);
	assert_int_equal(cfg->inputs[1].format, FW_LINE_AUTO);
	assert_int_equal(cfg->inputs[2].format, FW_LINE_PLAIN);
	fw_config_free(cfg);
	refuse("[input.j]\ntype = journal\nformat = json\n[output.o]\ntype = stdout\n",
	       ":3: [input.j] format: not used by type = journal");
	cfg = load_ok("[input.f]\ntype = file\npath = /x.log\nmultiline = \"^\\d{4}-\\d\\d \"\n"
		      "multiline_max_lines = 20\nmultiline_timeout = 250ms\n[input.s]\ntype = stdin\n"
		      "multiline = indent\n[output.o]\ntype = stdout\n");
	assert_string_equal(cfg->inputs[0].multiline, "^\\d{4}-\\d\\d ");
	assert_int_equal(cfg->inputs[0].multiline_max_lines, 20);
	assert_int_equal(cfg->inputs[0].multiline_timeout_ms, 250);
	assert_string_equal(cfg->inputs[1].multiline, "indent");
	assert_int_equal(cfg->inputs[1].multiline_max_lines, 500);
	assert_int_equal(cfg->inputs[1].multiline_timeout_ms, 1000);
	fw_config_free(cfg);
	refuse("[input.in]\ntype = stdin\nmultiline = ^(a\n[output.o]\ntype = stdout\n",
	       ":3: [input.in] multiline: bad regex: missing closing parenthesis at offset 3");
	refuse("[input.j]\ntype = journal\nmultiline = indent\n[output.o]\ntype = stdout\n",
	       ":3: [input.j] multiline: not used by type = journal");
	refuse("[input.in]\ntype = stdin\nformat = cloudfront\n[output.o]\ntype = stdout\n",
	       ":3: [input.in] format: expected one of plain, w3c, json, combined, syslog, auto, got 'cloudfront'");
}

/* log_format: compiled when read, errors naming the part of the format; it replaces format. */
static void
test_input_log_format(void **state)
{
	struct fw_config *cfg;

	(void)state;
	cfg = load_ok("[input.f]\ntype = file\npath = /x.log\n"
		      "log_format = main '$remote_addr [$time_local] \"$request\" ' '$status';\n"
		      "[input.s]\ntype = stdin\nlog_format = $status $request_time\n"
		      "[output.o]\ntype = stdout\n");
	assert_int_equal(cfg->inputs[0].format, FW_LINE_COMBINED);
	assert_string_equal(cfg->inputs[0].log_format,
			    "main '$remote_addr [$time_local] \"$request\" ' '$status';");
	assert_string_equal(cfg->inputs[1].log_format, "$status $request_time");
	fw_config_free(cfg);
	refuse("[input.in]\ntype = stdin\nlog_format = '$remote_addr' '$body_bytes_sent'\n"
	       "[output.o]\ntype = stdout\n",
	       ":3: [input.in] log_format: '$remote_addr$body_bytes_sent': two variables with nothing "
	       "between them: no value shape decides where $remote_addr ends and $body_bytes_sent starts "
	       "(put text between them); nginx.conf's quoted strings are joined without blanks");
	refuse("[input.in]\ntype = stdin\nlog_format = escape=yaml '$status'\n[output.o]\ntype = stdout\n",
	       ":3: [input.in] log_format: unknown 'escape=yaml' (escape=default, json or none)");
	refuse("[input.in]\ntype = stdin\nformat = json\nlog_format = $status\n[output.o]\ntype = stdout\n",
	       ":4: [input.in] log_format: gives the lines' format itself: remove 'format = json' (line 3)");
	refuse("[input.j]\ntype = journal\nlog_format = $status\n[output.o]\ntype = stdout\n",
	       ":3: [input.j] log_format: not used by type = journal");
}

/* A configuration named without a directory: its paths stay relative to the working directory. */
static void
test_relative_config_path(void **state)
{
	static const char text[] = "[daemon]\nkb = kb\n[input.f]\ntype = file\n"
				   "path = logs/*.log\n[output.o]\ntype = stdout\n";
	struct fw_config *cfg = NULL;
	char cwd[1024];
	int r;

	assert_non_null(getcwd(cwd, sizeof cwd));
	write_file(conf_path, text, sizeof text - 1);
	assert_int_equal(chdir(tmpdir), 0);
	r = fw_config_load("fixwatch.conf", &cfg, &diag);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(r, 0);
	assert_string_equal(cfg->kb.v[0], "kb");
	assert_string_equal(cfg->inputs[0].paths.v[0], "logs/*.log");
	assert_string_equal(cfg->path, "fixwatch.conf");
	fw_config_free(cfg);

	/* "./fixwatch.conf" is in ".": its paths are joined to "." */
	assert_int_equal(chdir(tmpdir), 0);
	r = fw_config_load("./fixwatch.conf", &cfg, &diag);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(r, 0);
	assert_string_equal(cfg->kb.v[0], "./kb");
	fw_config_free(cfg);
}

/* ---- errors ----------------------------------------------------------------- */

static void
test_syntax_errors(void **state)
{
	refuse(IO "[daemon\n", ":5: [-] -: section header without closing ']'");
	refuse(IO "[nope]\nkey = 1\n", ":5: [nope] -: unknown section (expected daemon, alerts, "
	       "input.NAME or output.NAME)");
	refuse(IO "[input.]\ntype = stdin\n",
	       ":5: [input.] -: bad section name: NAME takes letters, digits, '_' and '-'");
	refuse(IO "[output.a b]\n",
	       ":5: [output.a b] -: bad section name: NAME takes letters, digits, '_' and '-'");
	refuse(IO "[ daemon ]\n", ":5: [ daemon ] -: unknown section (expected daemon, alerts, "
	       "input.NAME or output.NAME)");
	refuse("type = stdin\n" IO, ":1: [-] type: key outside any section");
	refuse(IO "[daemon]\njust words\n", ":6: [daemon] -: expected 'key = value'");
	refuse(IO "[daemon]\n= 5\n", ":6: [daemon] -: bad key name '' (keys are lower case "
	       "letters and '_')");
	refuse(IO "[daemon]\nState_Dir = /x\n", ":6: [daemon] -: bad key name 'State_Dir' (keys "
	       "are lower case letters and '_')");
	refuse(IO "[daemon]\nstate_dir = /a\nstate_dir = /b\n",
	       ":7: [daemon] state_dir: duplicate key (first at line 6)");
	refuse(IO "[daemon]\n[alerts]\n[daemon]\nhost = x\n",
	       ":7: [daemon] -: duplicate section (first at line 5)");
	refuse(IO "[input.in]\ntype = stdin\n",
	       ":5: [input.in] -: duplicate section (first at line 1)");
	refuse(IO "[daemon]\nstate_dir = \"/a b\n", ":6: [daemon] state_dir: unterminated quote");
	refuse(IO "[daemon]\nstate_dir = \"/a\"b\n",
	       ":6: [daemon] state_dir: a closing quote must end the word");
	refuse(IO "[daemon]\nstate_dir = /a\"b\"\n",
	       ":6: [daemon] state_dir: a quote may only start a word");
	refuse(IO "[daemon]\nstate_dir = /a /b\n",
	       ":6: [daemon] state_dir: expected one value, got 2 (quote a value with blanks)");
	refuse(IO "[daemon]\nstate_dir =\n", ":6: [daemon] state_dir: missing value");
	refuse(IO "[daemon]\nstate_dir = \"\"\n", ":6: [daemon] state_dir: missing value");
	refuse(IO "[daemon]\nkb =\n", ":6: [daemon] kb: missing value");
	refuse(IO "[daemon]\nkb = /a \"\"\n", ":6: [daemon] kb: empty word in list");
	refuse(IO "[daemon]\nstate_dir = /x # comment\n",
	       ":6: [daemon] state_dir: expected one value, got 3 (quote a value with blanks)");

	/* a byte order mark at the start of the file is fine, elsewhere not */
	fw_config_free(load_ok("\xef\xbb\xbf" IO));
	refuse(IO "\xef\xbb\xbf[daemon]\n", ":5: [output.out] -: expected 'key = value'");
	/* long lines are fine (Debian's libinih stops at 200 bytes) */
	{
		char text[4096];
		size_t n = (size_t)snprintf(text, sizeof text, IO "[input.f]\ntype = file\npath =");
		struct fw_config *cfg;

		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(text + n, sizeof text - n, " /var/log/app%02d/*.log", i);
		assert_true(n + 2 <= sizeof text);
		strcat(text, "\n");
		cfg = load_ok(text);
		assert_int_equal(cfg->inputs[1].paths.n, 100);
		assert_string_equal(cfg->inputs[1].paths.v[99], "/var/log/app99/*.log");
		fw_config_free(cfg);
	}
	/* comments, blank lines and CRLF line ends are fine */
	fw_config_free(load_ok("# c\n; c\n   # indented\r\n\r\n" IO "[daemon]\r\nhost = h\r\n"));
}

static void
test_nul_byte(void **state)
{
	static const char text[] = IO "[daemon]\nhost = a\0b\n";
	struct fw_config *cfg = NULL;

	write_file(conf_path, text, sizeof text - 1);
	assert_int_equal(fw_config_load(conf_path, &cfg, &diag), -EINVAL);
	assert_null(cfg);
	assert_error(0, ":6: [daemon] -: NUL byte in line");
}

static void
test_missing_file(void **state)
{
	struct fw_config *cfg = NULL;
	char path[600];

	snprintf(path, sizeof path, "%s/absent.conf", tmpdir);
	assert_int_equal(fw_config_load(path, &cfg, &diag), -ENOENT);
	assert_null(cfg);
	assert_int_equal(diag.n, 1);
	assert_non_null(strstr(diag.msgs[0], "absent.conf: cannot open the configuration file: "
					     "No such file or directory"));
	assert_ptr_equal(strstr(diag.msgs[0], path), diag.msgs[0]);
}

static void
test_unknown_keys(void **state)
{
	refuse(IO "[daemon]\nstatedir = /x\n", ":6: [daemon] statedir: unknown key");
	refuse(IO "[alerts]\nwindows = 5s\n", ":6: [alerts] windows: unknown key");
	refuse("[input.in]\ntype = stdin\nfollow = yes\n[output.out]\ntype = stdout\n",
	       ":3: [input.in] follow: unknown key");
	refuse(IO "[output.x]\ntype = stdout\nport = 514\n", ":7: [output.x] port: unknown key");
	/* a key of another section is unknown here */
	refuse(IO "[daemon]\nwindow = 5s\n", ":6: [daemon] window: unknown key");
}

static void
test_bad_values(void **state)
{
	static const struct { const char *text; const char *want; } cases[] = {
		{ IO "[daemon]\nlocale = fr\n",
		  ":6: [daemon] locale: expected one of en, zh, got 'fr'" },
		{ IO "[daemon]\nhost = h\x01x\n",
		  ":6: [daemon] host: a host name is printable ASCII without blanks, at most 255 bytes" },
		{ IO "[daemon]\ncheckpoint_interval = 0\n",
		  ":6: [daemon] checkpoint_interval: must be from 1ms to 1d, got '0'" },
		{ IO "[daemon]\ncheckpoint_interval = 5 s\n",
		  ":6: [daemon] checkpoint_interval: expected one value, got 2 (quote a value with blanks)" },
		{ IO "[daemon]\ncheckpoint_interval = 1.5s\n",
		  ":6: [daemon] checkpoint_interval: bad duration '1.5s' (a whole number with ms, s, m, "
		  "h or d, e.g. 250ms, 5s)" },
		{ IO "[daemon]\ncontrol_socket = /run/"
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		  ":6: [daemon] control_socket: socket path too long (at most 107 bytes)" },
		{ IO "[alerts]\nmatch = first\n",
		  ":6: [alerts] match: expected one of best, all, got 'first'" },
		{ IO "[alerts]\nwindow = -5s\n",
		  ":6: [alerts] window: bad duration '-5s' (a whole number with ms, s, m, h or d, e.g. "
		  "250ms, 5s)" },
		{ IO "[alerts]\nthreshold = 0\n",
		  ":6: [alerts] threshold: expected a whole number from 1 to 10000, got '0'" },
		{ IO "[alerts]\nthreshold = 1e3\n",
		  ":6: [alerts] threshold: expected a whole number from 1 to 10000, got '1e3'" },
		{ IO "[alerts]\nthreshold = 99999999999999999999999\n",
		  ":6: [alerts] threshold: expected a whole number from 1 to 10000, got "
		  "'99999999999999999999999'" },
		{ IO "[alerts]\nthreshold = 5\n",
		  ":6: [alerts] threshold: threshold = 5 counts matches inside a window: set window > 0" },
		{ IO "[input.f]\ntype = files\n",
		  ":6: [input.f] type: expected one of file, journal, stdin, got 'files'" },
		{ IO "[input.f]\npath = /x\n",
		  ":5: [input.f] type: missing (file, journal or stdin)" },
		{ IO "[input.f]\ntype = file\n",
		  ":5: [input.f] path: required for type = file" },
		{ IO "[input.f]\ntype = file\npath = /x\nstart_at = middle\n",
		  ":8: [input.f] start_at: expected one of end, beginning, got 'middle'" },
		{ IO "[input.f]\ntype = file\npath = /x\nmax_line_bytes = 32\n",
		  ":8: [input.f] max_line_bytes: must be from 64 to 16777216 bytes, got '32'" },
		{ IO "[input.f]\ntype = file\npath = /x\nmax_line_bytes = 64kb\n",
		  ":8: [input.f] max_line_bytes: bad size '64kb' (a whole number of bytes, optionally k, "
		  "M or G, e.g. 64k)" },
		{ IO "[input.f]\ntype = file\npath = /x\nmax_line_bytes = 17M\n",
		  ":8: [input.f] max_line_bytes: must be from 64 to 16777216 bytes, got '17M'" },
		{ IO "[input.f]\ntype = file\npath = /x\npartial_flush = 0ms\n",
		  ":8: [input.f] partial_flush: must be from 1ms to 1d, got '0ms'" },
		{ IO "[input.f]\ntype = file\npath = /x\ndomains = aws ngi/nx\n",
		  ":8: [input.f] domains: bad domain 'ngi/nx' (letters, digits, '_' and '-')" },
		{ IO "[input.f]\ntype = file\npath = /x\nunits = a.service\n",
		  ":8: [input.f] units: not used by type = file" },
		{ IO "[input.f]\ntype = file\npath = /x\ndirectory = /j\n",
		  ":8: [input.f] directory: not used by type = file" },
		{ IO "[input.f]\ntype = file\npath = /x\nidentifiers = k\n",
		  ":8: [input.f] identifiers: not used by type = file" },
		{ IO "[input.j]\ntype = journal\npath = /x\n",
		  ":7: [input.j] path: not used by type = journal" },
		{ IO "[input.j]\ntype = journal\nexclude = *.gz\n",
		  ":7: [input.j] exclude: not used by type = journal" },
		{ IO "[input.j]\ntype = journal\npartial_flush = 5s\n",
		  ":7: [input.j] partial_flush: not used by type = journal" },
		{ IO "[input.j]\ntype = journal\nunits = nginx*\n",
		  ":7: [input.j] units: bad unit name 'nginx*' (globs are not supported)" },
		{ IO "[input.s]\ntype = stdin\n",
		  ":6: [input.s] type: only one input can read stdin (also [input.in] at line 1)" },
		{ "[input.t]\ntype = stdin\nstart_at = end\n[output.o]\ntype = stdout\n",
		  ":3: [input.t] start_at: not used by type = stdin" },
		{ IO "[output.o]\ntype = kafka\n",
		  ":6: [output.o] type: expected one of stdout, file, unix, tcp, syslog, journal, got 'kafka'" },
		{ IO "[output.o]\n",
		  ":5: [output.o] type: missing (stdout, file, unix, tcp, syslog or journal)" },
		{ IO "[output.o]\ntype = stdout\naddress = /x\n",
		  ":7: [output.o] address: not used by type = stdout" },
		{ IO "[output.o]\ntype = journal\naddress = /x\n",
		  ":7: [output.o] address: not used by type = journal" },
		{ IO "[output.o]\ntype = file\n",
		  ":5: [output.o] address: required for type = file" },
		{ IO "[output.o]\ntype = tcp\n",
		  ":5: [output.o] address: required for type = tcp" },
		{ IO "[output.o]\ntype = unix\n",
		  ":5: [output.o] address: required for type = unix" },
		{ IO "[output.o]\ntype = tcp\naddress = udp://h:1\n",
		  ":7: [output.o] address: type = tcp takes tcp://HOST:PORT, got 'udp://h:1'" },
		{ IO "[output.o]\ntype = unix\naddress = tcp://h:1\n",
		  ":7: [output.o] address: type = unix takes unix:///PATH or unixgram:///PATH, got "
		  "'tcp://h:1'" },
		{ IO "[output.o]\ntype = syslog\naddress = tcp://::1:514\n",
		  ":7: [output.o] address: bad address 'tcp://::1:514': an IPv6 host must be written in "
		  "brackets, e.g. [::1]:514" },
		{ IO "[output.o]\ntype = syslog\naddress = tcp://h:99999\n",
		  ":7: [output.o] address: bad address 'tcp://h:99999': the port must be a number from 1 "
		  "to 65535" },
		{ IO "[output.o]\ntype = syslog\naddress = /dev/log\n",
		  ":7: [output.o] address: bad address '/dev/log': expected tcp://HOST:PORT, "
		  "udp://HOST:PORT, tls://HOST:PORT, unix:///PATH or unixgram:///PATH" },
		{ IO "[output.o]\ntype = syslog\nformat = json\n",
		  ":7: [output.o] format: syslog carries the JSON alert in MSG: use rfc5424 or rfc3164" },
		{ IO "[output.o]\ntype = syslog\naddress = udp://h:514\nformat = rfc3164\n",
		  ":8: [output.o] format: rfc3164 is for the local socket; remote syslog uses rfc5424" },
		{ IO "[output.o]\ntype = file\naddress = /x\nformat = rfc5424\n",
		  ":8: [output.o] format: type = file writes JSON Lines: only format = json" },
		{ IO "[output.o]\ntype = journal\nformat = json\n",
		  ":7: [output.o] format: not used by type = journal" },
		{ IO "[output.o]\ntype = syslog\nformat = RFC5424\n",
		  ":7: [output.o] format: expected one of json, rfc5424, rfc3164, got 'RFC5424'" },
		{ IO "[output.o]\ntype = tcp\naddress = tcp://h:1\ncee = yes\n",
		  ":8: [output.o] cee: not used by type = tcp" },
		{ IO "[output.o]\ntype = syslog\ncee = 1\n",
		  ":7: [output.o] cee: expected one of no, yes, false, true, off, on, got '1'" },
		{ IO "[output.o]\ntype = syslog\nframing = lf\n",
		  ":7: [output.o] framing: framing applies to syslog over tcp:// only (RFC 6587)" },
		{ IO "[output.o]\ntype = syslog\naddress = tcp://h:1\nframing = newline\n",
		  ":8: [output.o] framing: expected one of octet-counting, lf, got 'newline'" },
		{ IO "[output.o]\ntype = stdout\nframing = lf\n",
		  ":7: [output.o] framing: not used by type = stdout" },
		{ IO "[output.o]\ntype = stdout\nqueue_max = 0\n",
		  ":7: [output.o] queue_max: expected a whole number from 1 to 10000000, got '0'" },
		{ IO "[output.o]\ntype = stdout\nqueue_max = 10k\n",
		  ":7: [output.o] queue_max: expected a whole number from 1 to 10000000, got '10k'" },
		{ IO "[output.o]\ntype = stdout\nqueue_max = -1\n",
		  ":7: [output.o] queue_max: expected a whole number from 1 to 10000000, got '-1'" },
		{ IO "[output.o]\ntype = stdout\noverflow = drop\n",
		  ":7: [output.o] overflow: expected one of block, drop-oldest, got 'drop'" },
		{ IO "[output.o]\ntype = stdout\nmin_confidence = 1.5\n",
		  ":7: [output.o] min_confidence: expected a number from 0 to 1, got '1.5'" },
		{ IO "[output.o]\ntype = stdout\nmin_confidence = nan\n",
		  ":7: [output.o] min_confidence: expected a number from 0 to 1, got 'nan'" },
		{ IO "[output.o]\ntype = stdout\nmin_confidence = 1e-1\n",
		  ":7: [output.o] min_confidence: expected a number from 0 to 1, got '1e-1'" },
		{ IO "[output.o]\ntype = stdout\nmin_confidence = .\n",
		  ":7: [output.o] min_confidence: expected a number from 0 to 1, got '.'" },
		{ IO "[output.o]\ntype = stdout\nmin_confidence = -0\n",
		  ":7: [output.o] min_confidence: expected a number from 0 to 1, got '-0'" },
		{ IO "[output.o]\ntype = stdout\nmax_message_bytes = 4k\n",
		  ":7: [output.o] max_message_bytes: not used by type = stdout" },
		{ IO "[output.o]\ntype = unix\naddress = unix:///x\nmax_message_bytes = 4k\n",
		  ":8: [output.o] max_message_bytes: only for datagram sockets (unixgram://)" },
		{ IO "[output.o]\ntype = syslog\nmax_message_bytes = 100\n",
		  ":7: [output.o] max_message_bytes: must be from 480 to 1048576 bytes, got '100'" },
		{ IO "[output.o]\ntype = syslog\naddress = udp://h:514\nmax_message_bytes = 64k\n",
		  ":8: [output.o] max_message_bytes: must be from 480 to 65507 bytes, got '64k'" },
		{ "[input.in]\ntype = stdin\n",
		  ":-: [-] -: no [output.NAME] section: at least one output is needed" },
		{ "[output.out]\ntype = stdout\n",
		  ":-: [-] -: no [input.NAME] section: at least one input is needed" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		refuse(cases[i].text, cases[i].want);
}

/* All errors of a file are reported, in file order, and nothing is returned. */
static void
test_every_error_reported(void **state)
{
	struct fw_config *cfg = load(
		"[daemon]\n"
		"state_dir = /a\n"
		"state_dir = /b\n"
		"colour = blue\n"
		"[input.f]\n"
		"type = file\n"
		"start_at = now\n"
		"[output.o]\n"
		"type = tcp\n"
		"address = tcp://h\n"
		"queue_max = many\n");

	assert_null(cfg);
	assert_int_equal(diag.n, 6);
	assert_error(0, ":3: [daemon] state_dir: duplicate key (first at line 2)");
	assert_error(1, ":4: [daemon] colour: unknown key");
	assert_error(2, ":7: [input.f] start_at: expected one of end, beginning, got 'now'");
	assert_error(3, ":5: [input.f] path: required for type = file");
	assert_error(4, ":10: [output.o] address: bad address 'tcp://h': expected HOST:PORT");
	assert_error(5, ":11: [output.o] queue_max: expected a whole number from 1 to 10000000, "
		     "got 'many'");
}

/* ---- the shipped example ----------------------------------------------------- */

/* The example with every "#key = value" and "#[section]" line switched on. */
static char *
uncomment(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	const char *s = text;

	assert_non_null(out);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s + 1) : strlen(s);
		size_t key = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_");

		if (s[0] == '#' && (s[1] == '[' || (key && strncmp(s + 1 + key, " = ", 3) == 0))) {
			s++;
			len--;
		}
		memcpy(o, s, len);
		o += len;
		s += len;
	}
	*o = '\0';
	return out;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
test_example_conf(void **state)
{
	char *text = slurp(FW_SRCDIR "/conf/fixwatch.conf");
	struct fw_config *cfg, *all;
	char *on = uncomment(text);
	const struct fw_input_config *in;
	const struct fw_output_config *out;

	/* as shipped */
	cfg = load_ok(text);
	assert_true(cfg->n_inputs >= 1);
	assert_true(cfg->n_outputs >= 1);

	/* every documented key switched on: the documented defaults are the real ones */
	all = load_ok(on);
	assert_string_equal(all->state_dir, cfg->state_dir);
	assert_string_equal(all->control_socket, cfg->control_socket);
	assert_int_equal(all->checkpoint_interval_ms, cfg->checkpoint_interval_ms);
	assert_int_equal(all->zh, cfg->zh);
	assert_int_equal(all->match, cfg->match);
	assert_int_equal(all->window_ms, cfg->window_ms);
	assert_int_equal(all->threshold, cfg->threshold);
	assert_true(all->n_inputs > cfg->n_inputs);
	assert_true(all->n_outputs > cfg->n_outputs);
	for (size_t i = 0; i < cfg->n_inputs; i++) {
		in = &all->inputs[i];
		assert_string_equal(in->name, cfg->inputs[i].name);
		assert_int_equal(in->start_at, cfg->inputs[i].start_at);
		assert_int_equal(in->max_line_bytes, cfg->inputs[i].max_line_bytes);
		assert_int_equal(in->partial_flush_ms, cfg->inputs[i].partial_flush_ms);
	}
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		out = &all->outputs[i];
		assert_string_equal(out->name, cfg->outputs[i].name);
		assert_int_equal(out->format, cfg->outputs[i].format);
		assert_int_equal(out->queue_max, cfg->outputs[i].queue_max);
		assert_int_equal(out->overflow, cfg->outputs[i].overflow);
		assert_true(out->min_confidence == cfg->outputs[i].min_confidence);
	}
	/* and every key of every section type appears in the example */
	{
		static const char *const keys[] = {
			"kb", "state_dir", "host", "locale", "control_socket", "metrics_file",
			"checkpoint_interval", "match", "window", "threshold", "type", "path",
			"exclude", "start_at", "units", "identifiers", "directory", "domains",
			"max_line_bytes", "partial_flush", "unknown_level", "multiline", "multiline_max_lines",
			"multiline_timeout", "log_format", "address", "format", "cee", "framing",
			"queue_max", "overflow", "min_confidence", "max_message_bytes",
		};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			char pat[64];
			snprintf(pat, sizeof pat, "\n%s = ", keys[i]);
			if (!strstr(on, pat))
				fail_msg("conf/fixwatch.conf does not document '%s'", keys[i]);
		}
	}
	fw_config_free(all);
	fw_config_free(cfg);
	free(on);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_address),
		cmocka_unit_test(test_address_default_port),
		cmocka_unit_test_setup_teardown(test_syslog_default_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_booleans_and_enums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_config_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_log_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_error_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example_conf, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
