/*
 * test_decomp_files: the set of compressed files an input has read. Lookups
 * by (device, inode) whatever the insertion order, replacement keeps one
 * entry, expiry drops exactly the entries not seen within the retention
 * time, and only files read whole go into the checkpoint (offset = size).
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

#include "input/decomp_files.h"

static struct fw_decomp_file
entry(uint64_t dev, uint64_t ino, uint64_t size, uint64_t seen, const char *path)
{
	return (struct fw_decomp_file){
		.dev = dev, .ino = ino, .size = size, .lines = size / 10,
		.fp = {.hash = ino * 31, .len = 256}, .last_seen_ms = seen, .path = (char *)path,
	};
}

static void
test_find_put(void **state)
{
	struct fw_decomp_files s = {0};
	char path[32];

	(void)state;
	/* 500 entries in a scrambled order, over two devices. */
	for (uint64_t i = 0; i < 500; i++) {
		uint64_t ino = (i * 7919) % 500;
		snprintf(path, sizeof path, "/d/%llu.gz", (unsigned long long)ino);
		struct fw_decomp_file f = entry(ino % 2, ino, 1000 + ino, 0, path);
		assert_int_equal(fw_decomp_files_put(&s, &f), 0);
	}
	assert_int_equal(s.n, 500);
	for (uint64_t ino = 0; ino < 500; ino++) {
		struct fw_decomp_file *f = fw_decomp_files_find(&s, ino % 2, ino);
		assert_non_null(f);
		assert_int_equal(f->size, 1000 + ino);
		snprintf(path, sizeof path, "/d/%llu.gz", (unsigned long long)ino);
		assert_string_equal(f->path, path);
		assert_null(fw_decomp_files_find(&s, (ino + 1) % 2, ino));
	}
	assert_null(fw_decomp_files_find(&s, 0, 501));
	/* The same file again (re-uploaded in place): replaced, not added. */
	struct fw_decomp_file f = entry(1, 7, 5, 0, "/d/new.gz");
	assert_int_equal(fw_decomp_files_put(&s, &f), 0);
	assert_int_equal(s.n, 500);
	assert_int_equal(fw_decomp_files_find(&s, 1, 7)->size, 5);
	assert_string_equal(fw_decomp_files_find(&s, 1, 7)->path, "/d/new.gz");
	fw_decomp_files_free(&s);
	assert_int_equal(s.n, 0);
}

static void
test_expire(void **state)
{
	struct fw_decomp_files s = {0};
	uint64_t now = 10ull * FW_DECOMP_RETAIN_MS;

	(void)state;
	for (uint64_t i = 0; i < 10; i++) {
		/* Even inodes seen just now, odd ones just over the retention time ago. */
		uint64_t seen = i % 2 ? now - FW_DECOMP_RETAIN_MS - 1 : now - FW_DECOMP_RETAIN_MS;
		struct fw_decomp_file f = entry(0, i, 100, seen, "/d/x.gz");
		assert_int_equal(fw_decomp_files_put(&s, &f), 0);
	}
	assert_int_equal(fw_decomp_files_expire(&s, now), 5);
	assert_int_equal(s.n, 5);
	for (uint64_t i = 0; i < 10; i++)
		assert_true((fw_decomp_files_find(&s, 0, i) != NULL) == (i % 2 == 0));
	assert_int_equal(fw_decomp_files_expire(&s, now), 0);
	fw_decomp_files_free(&s);
}

static void
test_save(void **state)
{
	struct fw_decomp_files s = {0};
	struct fw_checkpoint ck;

	(void)state;
	struct fw_decomp_file a = entry(3, 1, 4096, 0, "/d/a.gz");
	struct fw_decomp_file b = entry(3, 2, 8192, 0, "/d/b.gz");
	b.waiting = true;   /* not read yet: nothing to remember after a restart */
	assert_int_equal(fw_decomp_files_put(&s, &a), 0);
	assert_int_equal(fw_decomp_files_put(&s, &b), 0);
	assert_int_equal(fw_checkpoint_init(&ck, "cf"), 0);
	assert_int_equal(fw_decomp_files_save(&s, &ck), 0);
	assert_int_equal(ck.n_files, 1);
	assert_int_equal(ck.files[0].ino, 1);
	assert_int_equal(ck.files[0].offset, 4096);
	assert_int_equal(ck.files[0].line_no, 409);
	assert_int_equal(ck.files[0].fp.hash, 31);
	assert_string_equal(ck.files[0].path, "/d/a.gz");
	fw_checkpoint_free(&ck);
	fw_decomp_files_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_put),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_save),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
