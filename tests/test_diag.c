/*
 * test_diag: the list of user-facing messages collected by the loaders.
 * Messages keep their order; past FW_DIAG_MAX they are counted, and the
 * printout says how many were left out.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/diag.h"

static char *
print(const struct fw_diag *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fw_diag_print(d, f);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
test_order_and_format(void **state)
{
	struct fw_diag d;
	char *text;

	fw_diag_init(&d);
	assert_int_equal(fw_diag_count(&d), 0);
	text = print(&d);
	assert_string_equal(text, "");
	free(text);
	for (int i = 0; i < 20; i++)
		fw_diag_add(&d, "%s:%d: %s: %s: message %d", "kb/a.jsonl", i + 1, "t/x", "regex", i);
	assert_int_equal(fw_diag_count(&d), 20);
	assert_string_equal(d.msgs[0], "kb/a.jsonl:1: t/x: regex: message 0");
	assert_string_equal(d.msgs[19], "kb/a.jsonl:20: t/x: regex: message 19");
	fw_diag_clear(&d);
	assert_int_equal(fw_diag_count(&d), 0);
	assert_null(d.msgs);

	fw_diag_add(&d, "a: -: -: one");
	fw_diag_add(&d, "b: -: -: %s", "two");
	text = print(&d);
	assert_string_equal(text, "a: -: -: one\nb: -: -: two\n");
	free(text);
	fw_diag_clear(&d);
}

static void
test_cap_and_dropped(void **state)
{
	struct fw_diag d;
	char *text, *last;

	fw_diag_init(&d);
	for (int i = 0; i < FW_DIAG_MAX + 7; i++)
		fw_diag_add(&d, "m%d", i);
	assert_int_equal(d.n, FW_DIAG_MAX);
	assert_int_equal(d.dropped, 7);
	assert_int_equal(fw_diag_count(&d), FW_DIAG_MAX + 7);
	text = print(&d);
	assert_true(strncmp(text, "m0\nm1\n", 6) == 0);
	last = strstr(text, "m999\n");
	assert_non_null(last);
	assert_string_equal(last, "m999\n... and 7 more errors\n");
	free(text);
	fw_diag_clear(&d);
	assert_int_equal(fw_diag_count(&d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_format),
		cmocka_unit_test(test_cap_and_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
