/*
 * test_dl: a library's functions found on first use (util/dl.c), with
 * the C library as the library: every function found, or none written.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/dl.h"

struct table {
	size_t (*strlen)(const char *);
	int (*memcmp)(const void *, const void *, size_t);
};

static const struct fw_dl_sym syms[] = {
	{ "strlen", offsetof(struct table, strlen) },
	{ "memcmp", offsetof(struct table, memcmp) },
};

static void
test_found(void **state)
{
	struct table t = { 0 };
	void *handle = NULL;
	char msg[128] = "";

	(void)state;
	assert_int_equal(fw_dl_open(&handle, "libc.so.6", syms, 2, &t, "", msg, sizeof msg), 0);
	assert_non_null(handle);
	assert_non_null(t.strlen);
	assert_int_equal(t.strlen("four"), 4);
	assert_int_equal(t.memcmp("ab", "ab", 2), 0);
	assert_string_equal(msg, "");
	/* Once open, nothing is looked up again: the table is not written. */
	t.strlen = NULL;
	assert_int_equal(fw_dl_open(&handle, "libc.so.6", syms, 2, &t, "", msg, sizeof msg), 0);
	assert_null(t.strlen);
}

static void
test_missing_function(void **state)
{
	static const struct fw_dl_sym more[] = {
		{ "strlen", offsetof(struct table, strlen) },
		{ "fixwatch_test_no_such_function", offsetof(struct table, memcmp) },
	};
	struct table t = { 0 };
	void *handle = NULL;
	char msg[128] = "";

	(void)state;
	assert_int_equal(fw_dl_open(&handle, "libc.so.6", more, 2, &t, " (a hint)", msg, sizeof msg),
			 -ENOENT);
	assert_null(handle);
	assert_null(t.strlen);  /* found, but not written: the library lacks another */
	assert_null(t.memcmp);
	assert_string_equal(msg, "libc.so.6: no function fixwatch_test_no_such_function (a hint)");
}

static void
test_missing_library(void **state)
{
	struct table t = { 0 };
	void *handle = NULL;
	char msg[128] = "", small[8] = "";

	(void)state;
	assert_int_equal(fw_dl_open(&handle, "libfixwatch-test-none.so.1", syms, 2, &t, "", msg, sizeof msg),
			 -ENOENT);
	assert_null(handle);
	assert_null(t.strlen);
	assert_non_null(strstr(msg, "libfixwatch-test-none.so.1"));
	/* A short buffer gets the start of the reason, and says it is cut. */
	assert_int_equal(fw_dl_open(&handle, "libfixwatch-test-none.so.1", syms, 2, &t, "", small, sizeof small),
			 -ENOENT);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_string_equal(small + sizeof small - 4, "...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_missing_function),
		cmocka_unit_test(test_missing_library),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
