/*
 * test_kb_local: the operators' own records (fw_kb_options.local, kb_ids.c)
 * and the checks that go with them: a local record replaces the shipped
 * record with its id and the load says so; the patterns move with their
 * records; a missing local directory is fine; an undocumented category and
 * every duplicate id are errors reported in the same pass as the others.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "testutil.h"

#define REC(id, sig, re) "{'id':'" id "','signature':'" sig "','regex':'" re "'}\n"

static int
load(const char *shipped, const char *local, struct fw_kb **kb, struct fw_diag *diag)
{
	struct fw_kb_options opts = { .no_jit = true, .local = local };

	fw_diag_init(diag);
	return fw_kb_load(&shipped, 1, &opts, kb, diag);
}

static void
expect_errors(const char *shipped, const char *local, const char *const *want, size_t n)
{
	struct fw_diag diag;
	struct fw_kb *kb = NULL;

	assert_int_equal(load(shipped, local, &kb, &diag), -EINVAL);
	assert_null(kb);
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "got: %s\n", diag.msgs[i]);
	assert_int_equal(diag.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(diag.msgs[i], want[i]);
	fw_diag_clear(&diag);
}

static void
test_local_replaces_shipped(void **state)
{
	char *shipped = tu_mkdir("kb");
	char *local = tu_mkdir("kb.d");
	char *b = tu_write("kb/t/b.jsonl", tu_json(REC("t/a", "A", "alpha|aleph") REC("t/b", "B", "beta")
					      REC("t/c", "C", "gamma")));
	char *l = tu_write("kb.d/mine.jsonl", tu_json(REC("t/z", "Z", "zeta") REC("t/b", "mine", "bet+a")));
	const struct fw_record *r;
	struct fw_diag diag;
	struct fw_kb *kb;

	(void)state;
	assert_int_equal(load(shipped, local, &kb, &diag), 0);
	assert_int_equal(diag.n, 0);
	/* Shipped t/a, t/c, then the local records in their order; t/b is the local one. */
	assert_int_equal(kb->n_records, 4);
	assert_string_equal(kb->records[0].id, "t/a");
	assert_false(kb->records[0].local);
	assert_string_equal(kb->records[1].id, "t/c");
	assert_string_equal(kb->records[2].id, "t/z");
	assert_true(kb->records[2].local);
	r = fw_kb_find(kb, "t/b");
	assert_ptr_equal(r, &kb->records[3]);
	assert_string_equal(r->signature, "mine");
	/* Every pattern still points at its record, in record order. */
	assert_int_equal(kb->n_patterns, 4);
	for (uint32_t i = 0; i < kb->n_records; i++)
		for (uint32_t k = 0; k < kb->records[i].n_patterns; k++)
			assert_int_equal(kb->patterns[kb->records[i].first_pattern + k].record, i);
	assert_string_equal(kb->patterns[kb->records[3].first_pattern].source, "bet+a");
	assert_string_equal(kb->patterns[kb->records[1].first_pattern].source, "gamma");
	assert_int_equal(kb->n_notices, 1);
	assert_string_equal(kb->notices[0], tu_fmt("%s:2: t/b: replaces the shipped record of %s:2", l, b));
	fw_kb_free(kb);
	fw_diag_clear(&diag);
}

static void
test_missing_local_is_fine(void **state)
{
	char *shipped = tu_mkdir("kb");
	struct fw_diag diag;
	struct fw_kb *kb;

	(void)state;
	tu_write("kb/t.jsonl", tu_json(REC("t/a", "A", "alpha")));
	assert_int_equal(load(shipped, tu_path("nowhere/kb.d"), &kb, &diag), 0);
	assert_int_equal(kb->n_records, 1);
	assert_int_equal(kb->n_notices, 0);
	fw_kb_free(kb);
	fw_diag_clear(&diag);
}

static void
test_errors_in_one_pass(void **state)
{
	char *shipped = tu_mkdir("kb");
	char *local = tu_mkdir("kb.d");
	char *s = tu_write("kb/s.jsonl", tu_json(REC("t/a", "A", "alpha") REC("t/a", "A2", "(unclosed")
						 "{'id':'t/c','signature':'C','regex':'c','category':'disk'}\n"));
	char *l = tu_write("kb.d/l.jsonl", tu_json(REC("t/l", "L", "l1") REC("t/l", "L", "l2")));
	const char *want[] = {
		tu_fmt("%s:2: t/a: regex: invalid regex at offset 9: missing closing parenthesis", s),
		tu_fmt("%s:3: t/c: category: unknown category \"disk\" (network_error, timeout, tls_error, "
		       "config_error, resource_exhausted, permission_error, dns_error, auth_error, http_error, "
		       "service_failure, storage_error, protocol_error)", s),
		tu_fmt("%s:2: t/a: id: duplicate id, first defined at %s:1", s, s),
		tu_fmt("%s:2: t/l: id: duplicate id, first defined at %s:1", l, l),
	};

	(void)state;
	expect_errors(shipped, local, want, TU_N(want));
}

static void
test_local_replaces_once(void **state)
{
	char *shipped = tu_mkdir("kb");
	char *local = tu_mkdir("kb.d");
	char *l1, *l2;
	const char *want[2];

	(void)state;
	tu_write("kb/s.jsonl", tu_json(REC("t/a", "A", "alpha")));
	l1 = tu_write("kb.d/1.json", tu_json(REC("t/a", "A1", "a1")));
	l2 = tu_write("kb.d/2.json", tu_json(REC("t/a", "A2", "a2")));
	want[0] = tu_fmt("%s: t/a: id: duplicate id, first defined at %s", l2, l1);
	expect_errors(shipped, local, want, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_replaces_shipped, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_missing_local_is_fine, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_errors_in_one_pass, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_local_replaces_once, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
