/*
 * test_cmd_scan: `fixwatch scan` (cmd_scan.c) when rendering an alert runs
 * out of memory: that alert alone is lost, the ones before it in the same
 * batch and the ones after it are written, and stderr names the line and
 * counts the lost alert apart from the alerts written (summary line checked
 * whole).
 *
 * realloc is wrapped (-Wl,--wrap): it fails while the chosen alert is
 * written (fw_alert_write is wrapped to say which one). That alert's line
 * is long, so that its rendering must grow the batch the alerts before it
 * sit in. The scan runs in this process with standard output and error
 * sent to files.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/tool.h"
#include "core/alert.h"
#include "core/jsonw.h"
#include "testutil.h"

#define LINES 6
#define LONG_LINE 20000

static struct {
	unsigned alerts;                /* fw_alert_write calls */
	unsigned fail_alert;            /* realloc fails while writing this one (1-based; 0: never) */
	bool failing;
	unsigned refused;               /* reallocs refused */
} wrap;

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __real_fw_alert_write(struct fw_jbuf *b, const struct fw_alert_input *in);
void __wrap_fw_alert_write(struct fw_jbuf *b, const struct fw_alert_input *in);

void *
__wrap_realloc(void *p, size_t n)
{
	if (wrap.failing) {
		wrap.refused++;
		return NULL;
	}
	return __real_realloc(p, n);
}

void
__wrap_fw_alert_write(struct fw_jbuf *b, const struct fw_alert_input *in)
{
	wrap.failing = ++wrap.alerts == wrap.fail_alert;
	__real_fw_alert_write(b, in);
	wrap.failing = false;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Runs fixwatch scan on log with the KB kb; its stdout and stderr go to files, read back. */
static int
scan(const char *kb, const char *log, char **out, char **err)
{
	struct tool_opts o = {
		.kb = { kb }, .n_kb = 1, .no_local = true, .engine = FW_ENGINE_FAST,
		.json = true, .format_set = true, .color = 0, .max_line = 64 * 1024,
		.input_format = FW_LINE_PLAIN,
	};
	char *argv[] = { (char *)log, NULL };
	const char *out_path = tu_path("stdout"), *err_path = tu_path("stderr");
	int saved_out = dup(STDOUT_FILENO), saved_err = dup(STDERR_FILENO);
	int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int status;

	assert_true(saved_out >= 0 && saved_err >= 0 && fo >= 0 && fe >= 0);
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(fo, STDOUT_FILENO) >= 0);
	assert_true(dup2(fe, STDERR_FILENO) >= 0);
	status = fw_scan_command(&o, 1, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	close(fo);
	close(fe);
	*out = slurp(out_path);
	*err = slurp(err_path);
	return status;
}

/* Lines "boom 1" .. "boom 6" and one that matches nothing; line 3 is long. */
static const char *
write_log(void)
{
	static char text[LONG_LINE + 256];
	size_t n = 0;

	for (int i = 1; i <= LINES; i++) {
		n += (size_t)snprintf(text + n, sizeof text - n, "boom %d", i);
		if (i == 3) {
			memset(text + n, ' ', LONG_LINE);
			n += LONG_LINE;
		}
		text[n++] = '\n';
		if (i == 4)
			n += (size_t)snprintf(text + n, sizeof text - n, "quiet\n");
	}
	text[n] = '\0';
	return tu_write("scan.log", text);
}

static const char *
write_kb(void)
{
	return tu_write("kb.jsonl", tu_json("{'id':'t/boom','signature':'boom','regex':'boom (?<n>\\\\d)'}\n"));
}

/* The values of "n" in out's alerts, in order, as a string of digits. */
static void
alert_numbers(const char *out, char *digits, size_t cap)
{
	size_t k = 0;

	for (const char *p = out; *p; ) {
		const char *nl = strchr(p, '\n'), *c;

		assert_non_null(nl);            /* every alert is a whole line */
		c = strstr(p, "\"line\":\"boom ");
		assert_true(c && c < nl);
		assert_true(k + 1 < cap);
		digits[k++] = c[strlen("\"line\":\"boom ")];
		p = nl + 1;
	}
	digits[k] = '\0';
}

/* Whether err's summary line (the one after the files' line) is exactly want. */
static bool
summary_is(const char *err, const char *want)
{
	const char *p = strstr(err, "fixwatch: 1 file, ");

	if (!p || !(p = strchr(p, '\n')))
		return false;
	return strncmp(p + 1, want, strlen(want)) == 0;
}

static void
test_all_alerts(void **state)
{
	const char *kb = write_kb(), *log = write_log();
	char *out, *err, digits[16];

	(void)state;
	memset(&wrap, 0, sizeof wrap);
	assert_int_equal(scan(kb, log, &out, &err), EXIT_FINDINGS);
	alert_numbers(out, digits, sizeof digits);
	assert_string_equal(digits, "123456");
	assert_int_equal(wrap.alerts, LINES);
	assert_null(strstr(err, "out of memory"));
	if (!summary_is(err, "fixwatch: 6 matching lines, 6 alerts\n")) {
		fprintf(stderr, "stderr of the scan:\n%s", err);
		fail_msg("the summary line is not the one expected");
	}
	free(out);
	free(err);
}

static void
test_one_alert_out_of_memory(void **state)
{
	const char *kb = write_kb(), *log = write_log();
	char *out, *err, digits[16], *want;

	(void)state;
	memset(&wrap, 0, sizeof wrap);
	wrap.fail_alert = 3;
	assert_int_equal(scan(kb, log, &out, &err), EXIT_FINDINGS);
	/* The allocation failed where it was meant to. */
	assert_int_equal(wrap.alerts, LINES);
	assert_true(wrap.refused > 0);
	alert_numbers(out, digits, sizeof digits);
	assert_string_equal(digits, "12456");
	want = tu_fmt("out of memory writing an alert for %s:3\n", log);
	/* The summary counts the alerts written; the lost one is told apart. */
	if (!strstr(err, want) || !strstr(err, "1 alert not written: out of memory\n") ||
	    !summary_is(err, "fixwatch: 6 matching lines, 5 alerts\n")) {
		fprintf(stderr, "stderr of the scan:\n%s", err);
		fail_msg("the lost alert is not reported as it should be");
	}
	free(out);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_alerts, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_one_alert_out_of_memory, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
