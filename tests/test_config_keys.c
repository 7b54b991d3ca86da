/*
 * test_config_keys: the key table (daemon/core/fwconfig_keys.c) is the one
 * source of limits and defaults. Walks it: every limited key is loaded at
 * its limits (accepted, and the start-up constructor that takes the value
 * accepts it too) and one step beyond (refused, naming the key); every
 * default parses, lies within its limits, is what a file without the key
 * gets, and is what conf/fixwatch.conf documents. Also the path checks that
 * `fixwatchd -t` and start-up share (fw_config_check_paths).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <uv.h>

#include "core/aggregate.h"
#include "core/fwconfig.h"
#include "output/output.h"

static char tmpdir[200];
static char conf_path[512];
static struct fw_diag diag;

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/fwkeys.XXXXXX", t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(conf_path, sizeof conf_path, "%s/fixwatch.conf", tmpdir);
	fw_diag_init(&diag);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	fw_diag_clear(&diag);
	return 0;
}

/* Loads text; NULL when refused (the reasons in diag). */
static struct fw_config *
load(const char *text)
{
	struct fw_config *cfg = NULL;
	FILE *f = fopen(conf_path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	fw_diag_clear(&diag);
	if (fw_config_load(conf_path, &cfg, &diag) < 0)
		return NULL;
	return cfg;
}

/* A value of key k as a file writes it: durations in ms, sizes in bytes. */
static void
write_value(const struct fw_conf_key *k, uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 "%s", v, k->kind == FW_CONF_DURATION ? "ms" : "");
}

/*
 * A whole configuration with key k = value (none when k is NULL) in a
 * section where k applies: threshold needs a window, max_message_bytes a
 * datagram output, framing a TCP one.
 */
static void
config_with(const struct fw_conf_key *k, const char *value, char *buf, size_t len)
{
	const char *daemon = "", *alerts = "", *input = "", *output = "";
	const char *address = "unixgram:///dev/log";
	char line[128];

	if (!k) {
		snprintf(buf, len, "[daemon]\nstate_dir = %s\ncontrol_socket =\n"
			 "[input.in]\ntype = file\npath = *.log\n[output.out]\ntype = syslog\n", tmpdir);
		return;
	}
	if (strcmp(k->name, "framing") == 0)
		address = "tcp://127.0.0.1:514";
	snprintf(line, sizeof line, "%s = %s\n", k->name, value);
	switch (k->section) {
	case FW_SEC_DAEMON: daemon = line; break;
	case FW_SEC_ALERTS: alerts = line; break;
	case FW_SEC_INPUT: input = line; break;
	case FW_SEC_OUTPUT: output = line; break;
	}
	snprintf(buf, len,
		 "[daemon]\n%s%s%s%s"
		 "[alerts]\n%s%s"
		 "[input.in]\ntype = file\npath = *.log\n%s"
		 "[output.out]\ntype = syslog\naddress = %s\n%s",
		 k == &fw_conf_keys[FW_KEY_STATE_DIR] ? "" : "state_dir = ",
		 k == &fw_conf_keys[FW_KEY_STATE_DIR] ? "" : tmpdir,
		 k == &fw_conf_keys[FW_KEY_CONTROL_SOCKET] ? "\n" : "\ncontrol_socket =\n",
		 daemon, alerts,
		 strcmp(k->name, "threshold") == 0 ? "window = 1m\n" : "", input, address, output);
}

/* What start-up builds from the value: it must take what the parser took. */
static void
start_up_accepts(const struct fw_config *cfg)
{
	struct fw_aggregate_config ac = { .window_ms = cfg->window_ms, .threshold = cfg->threshold };
	struct fw_aggregate *agg = NULL;
	struct fw_output *out = NULL;
	uv_loop_t loop;

	assert_int_equal(fw_aggregate_new(&ac, &agg), 0);
	fw_aggregate_free(agg);
	assert_int_equal(uv_loop_init(&loop), 0);
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		assert_int_equal(fw_output_new(&loop, &cfg->outputs[i], &out, &diag), 0);
		fw_output_free(out);
	}
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(fw_config_check_paths(cfg, &diag), 0);
}

static void
test_limits_both_ways(void **state)
{
	static char text[2048];
	size_t tried = 0;

	for (int id = 0; id < FW_KEY_COUNT; id++) {
		const struct fw_conf_key *k = &fw_conf_keys[id];
		uint64_t at[2] = { k->min, k->max };
		char v[32], want[128];

		if (k->kind != FW_CONF_DURATION && k->kind != FW_CONF_SIZE &&
		    k->kind != FW_CONF_COUNT)
			continue;
		assert_true(k->min <= k->max);
		for (int side = 0; side < 2; side++) {
			struct fw_config *cfg;

			write_value(k, at[side], v, sizeof v);
			config_with(k, v, text, sizeof text);
			if (!(cfg = load(text))) {
				fw_diag_print(&diag, stderr);
				fail_msg("%s = %s (its %s) refused", k->name, v, side ? "max" : "min");
			}
			start_up_accepts(cfg);
			fw_config_free(cfg);
			tried++;

			/* one step beyond; a minimum of 0 has no "below" */
			if (side == 0 && k->min == 0)
				continue;
			write_value(k, side ? k->max + 1 : k->min - 1, v, sizeof v);
			config_with(k, v, text, sizeof text);
			if ((cfg = load(text))) {
				fw_config_free(cfg);
				fail_msg("%s = %s (beyond its %s) accepted", k->name, v,
					 side ? "max" : "min");
			}
			snprintf(want, sizeof want, "] %s: ", k->name);
			assert_int_equal(diag.n, 1);
			if (!strstr(diag.msgs[0], want))
				fail_msg("the error does not name %s: %s", k->name, diag.msgs[0]);
			tried++;
		}
	}
	/* checkpoint_interval, window, threshold, max_line_bytes, partial_flush,
	 * multiline_max_lines, multiline_timeout, queue_max, max_message_bytes:
	 * 4 tries each, window 3 */
	assert_int_equal(tried, 35);
}

/* Every default parses, within its limits; a file without the key gets it. */
static void
test_defaults_from_table(void **state)
{
	static char text[2048];
	struct fw_config *dflt;

	for (int id = 0; id < FW_KEY_COUNT; id++) {
		const struct fw_conf_key *k = &fw_conf_keys[id];
		uint64_t v = 0;
		size_t z;
		int found = 0;

		assert_non_null(k->name);
		if (!k->def)
			continue;
		switch (k->kind) {
		case FW_CONF_DURATION:
			assert_int_equal(fw_parse_duration_ms(k->def, &v), 0);
			break;
		case FW_CONF_SIZE:
			assert_int_equal(fw_parse_size(k->def, &z), 0);
			v = z;
			break;
		case FW_CONF_COUNT:
			v = strtoull(k->def, NULL, 10);
			break;
		case FW_CONF_ENUM:
			for (size_t i = 0; k->names[i]; i++)
				found |= strcmp(k->names[i], k->def) == 0;
			assert_true(found);
			break;
		default:
			break;
		}
		if (k->kind == FW_CONF_DURATION || k->kind == FW_CONF_SIZE ||
		    k->kind == FW_CONF_COUNT)
			assert_true(v >= k->min && v <= k->max);
	}

	/* A file that sets each key to its default means the same as one without it. */
	config_with(NULL, NULL, text, sizeof text);
	assert_non_null(dflt = load(text));
	for (int id = 0; id < FW_KEY_COUNT; id++) {
		const struct fw_conf_key *k = &fw_conf_keys[id];
		struct fw_config *set;

		if (!k->def || id == FW_KEY_KB)
			continue;
		config_with(k, k->def, text, sizeof text);
		if (!(set = load(text))) {
			fw_diag_print(&diag, stderr);
			fail_msg("%s = %s (its default) refused", k->name, k->def);
		}
		if (id == FW_KEY_STATE_DIR)
			assert_string_equal(set->state_dir, k->def);
		else if (id == FW_KEY_CONTROL_SOCKET)
			assert_string_equal(set->control_socket, k->def);
		else
			assert_string_equal(set->state_dir, dflt->state_dir);
		assert_int_equal(set->zh, dflt->zh);
		assert_int_equal(set->checkpoint_interval_ms, dflt->checkpoint_interval_ms);
		assert_int_equal(set->match, dflt->match);
		if (id != FW_KEY_THRESHOLD)     /* which comes with a window */
			assert_int_equal(set->window_ms, dflt->window_ms);
		assert_int_equal(set->threshold, dflt->threshold);
		assert_int_equal(set->inputs[0].start_at, dflt->inputs[0].start_at);
		assert_int_equal(set->inputs[0].max_line_bytes, dflt->inputs[0].max_line_bytes);
		assert_int_equal(set->inputs[0].partial_flush_ms, dflt->inputs[0].partial_flush_ms);
		assert_int_equal(set->inputs[0].unknown_level, dflt->inputs[0].unknown_level);
		assert_int_equal(set->inputs[0].format, dflt->inputs[0].format);
		assert_int_equal(set->outputs[0].cee, dflt->outputs[0].cee);
		assert_int_equal(set->outputs[0].framing, dflt->outputs[0].framing);
		assert_int_equal(set->outputs[0].overflow, dflt->outputs[0].overflow);
		assert_int_equal(set->outputs[0].queue_max, dflt->outputs[0].queue_max);
		assert_true(set->outputs[0].min_confidence == dflt->outputs[0].min_confidence);
		assert_int_equal(set->outputs[0].max_message_bytes,
				 dflt->outputs[0].max_message_bytes);
		fw_config_free(set);
	}
	fw_config_free(dflt);
}

/* conf/fixwatch.conf documents every key, with the table's default. */
static void
test_example_documents_defaults(void **state)
{
	FILE *f = fopen(FW_SRCDIR "/conf/fixwatch.conf", "r");
	static char text[64 * 1024];
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	for (int id = 0; id < FW_KEY_COUNT; id++) {
		const struct fw_conf_key *k = &fw_conf_keys[id];
		char want[160];

		snprintf(want, sizeof want, "\n#%s = ", k->name);
		if (!strstr(text, want)) {
			snprintf(want, sizeof want, "\n%s = ", k->name);
			if (!strstr(text, want))
				fail_msg("conf/fixwatch.conf does not show '%s'", k->name);
		}
		/* kb's and kb_local's defaults depend on the prefix the build was configured with */
		if (!k->def || id == FW_KEY_KB || id == FW_KEY_KB_LOCAL)
			continue;
		snprintf(want, sizeof want, "\n#%s = %s\n", k->name, k->def);
		if (!strstr(text, want))
			fail_msg("conf/fixwatch.conf does not give %s's default as '%s'", k->name,
				 k->def);
	}
}

/* fixwatch.conf(5) describes every key of the table, as ".BI key \" = ..." or ".BR key \" = ". */
static void
test_man_page_documents_keys(void **state)
{
	FILE *f = fopen(FW_SRCDIR "/man/fixwatch.conf.5.in", "r");
	static char text[64 * 1024];
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	for (int id = 0; id < FW_KEY_COUNT; id++) {
		const char *name = fw_conf_keys[id].name;
		char bi[96], br[96];

		snprintf(bi, sizeof bi, "\n.BI %s \" = ", name);
		snprintf(br, sizeof br, "\n.BR %s \" = ", name);
		if (!strstr(text, bi) && !strstr(text, br))
			fail_msg("man/fixwatch.conf.5.in does not describe '%s'", name);
	}
	/* and every section */
	for (int i = 0; fw_conf_section_names[i]; i++) {
		char sh[64];

		snprintf(sh, sizeof sh, "\n.SH [%s", fw_conf_section_names[i]);
		if (!strstr(text, sh))
			fail_msg("man/fixwatch.conf.5.in has no section for [%s]",
				 fw_conf_section_names[i]);
	}
}

static void
expect_paths(const char *state_dir, const char *control_socket, const char *want)
{
	static char text[2048];
	struct fw_config *cfg;

	snprintf(text, sizeof text,
		 "[daemon]\nstate_dir = %s\ncontrol_socket = %s\n"
		 "[input.in]\ntype = stdin\n[output.out]\ntype = stdout\n",
		 state_dir, control_socket);
	assert_non_null(cfg = load(text));
	fw_diag_clear(&diag);
	if (!want) {
		if (fw_config_check_paths(cfg, &diag) != 0) {
			fw_diag_print(&diag, stderr);
			fail_msg("state_dir = %s, control_socket = %s refused", state_dir,
				 control_socket);
		}
	} else {
		assert_int_equal(fw_config_check_paths(cfg, &diag), -EINVAL);
		assert_int_equal(diag.n, 1);
		if (!strstr(diag.msgs[0], want))
			fail_msg("got '%s', wanted '%s' in it", diag.msgs[0], want);
		assert_ptr_equal(strstr(diag.msgs[0], conf_path), diag.msgs[0]);
	}
	fw_config_free(cfg);
}

static void
test_paths(void **state)
{
	char file[300], dir[300], missing[300], deep[300], sock[400];
	FILE *f;

	snprintf(file, sizeof file, "%s/a-file", tmpdir);
	snprintf(dir, sizeof dir, "%s/state", tmpdir);
	snprintf(missing, sizeof missing, "%s/new", tmpdir);
	snprintf(deep, sizeof deep, "%s/no/such", tmpdir);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_int_equal(mkdir(dir, 0700), 0);

	/* an existing directory, one level to create, a socket in either */
	expect_paths(dir, "", NULL);
	expect_paths(missing, "", NULL);
	snprintf(sock, sizeof sock, "%s/c.sock", missing);
	expect_paths(dir, sock, NULL);
	expect_paths("relative-state", "relative.sock", NULL);

	expect_paths(file, "", "] state_dir: ");
	expect_paths(file, "", "is not a directory");
	expect_paths(deep, "", "cannot create");
	expect_paths(deep, "", ": No such file or directory");
	snprintf(sock, sizeof sock, "%s/c.sock", deep);
	expect_paths(dir, sock, "] control_socket: cannot create");
	snprintf(sock, sizeof sock, "%s/x/c.sock", file);
	expect_paths(dir, sock, ": Not a directory");

	/* access(2) grants root everything: a read-only directory only stops others */
	if (geteuid() != 0) {
		char ro[300];

		snprintf(ro, sizeof ro, "%s/ro", tmpdir);
		assert_int_equal(mkdir(ro, 0500), 0);
		expect_paths(ro, "", "cannot write there: Permission denied");
		snprintf(sock, sizeof sock, "%s/sub/c.sock", ro);
		expect_paths(dir, sock, "Permission denied");
		assert_int_equal(chmod(ro, 0700), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_limits_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defaults_from_table, setup, teardown),
		cmocka_unit_test(test_example_documents_defaults),
		cmocka_unit_test(test_man_page_documents_keys),
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
