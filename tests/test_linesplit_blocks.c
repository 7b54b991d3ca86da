/* Line splitter as the inputs use it: same lines whatever the block sizes,
 * resuming from a checkpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/linesplit.h"

struct got {
	char text[64][128];
	size_t len[64];
	int truncated[64];
	uint64_t offset[64];
	uint64_t end[64];
	uint64_t line_no[64];
	size_t n;
};

static void
take(void *arg, const struct fw_line *l)
{
	struct got *g = arg;
	assert_true(g->n < 64);
	assert_true(l->len < 128);
	memcpy(g->text[g->n], l->data, l->len);
	g->text[g->n][l->len] = '\0';
	g->len[g->n] = l->len;
	g->truncated[g->n] = l->truncated;
	g->offset[g->n] = l->offset;
	g->end[g->n] = l->end;
	g->line_no[g->n] = l->line_no;
	g->n++;
}

/* Feeds s in blocks of `step` bytes, each block a fresh copy (lines are used at once). */
static void
feed(struct fw_linesplit *ls, const char *s, size_t n, size_t step, struct got *g)
{
	char block[256];
	for (size_t at = 0; at < n; at += step) {
		size_t len = n - at < step ? n - at : step;
		memcpy(block, s + at, len);
		fw_linesplit_feed(ls, block, len, take, g);
		memset(block, '#', sizeof block);
	}
}

static void
test_lines_in_one_block(void **state)
{
	struct fw_linesplit ls;
	struct got g = {0};
	assert_int_equal(fw_linesplit_init(&ls, 100, 0, 0), 0);
	const char *s = "one\ntwo\r\n\nthree";
	feed(&ls, s, strlen(s), 256, &g);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.text[0], "one");
	assert_string_equal(g.text[1], "two");
	assert_string_equal(g.text[2], "");
	assert_int_equal(g.offset[0], 0);
	assert_int_equal(g.end[0], 4);
	assert_int_equal(g.offset[1], 4);
	assert_int_equal(g.offset[2], 9);
	assert_int_equal(g.line_no[2], 3);
	/* "three" waits for its newline... */
	assert_int_equal(fw_linesplit_pending(&ls), 5);
	assert_int_equal(ls.line_start, 10);
	/* ...until flushed. */
	fw_linesplit_flush(&ls, take, &g);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.text[3], "three");
	assert_int_equal(g.offset[3], 10);
	assert_int_equal(g.end[3], 15);
	assert_int_equal(g.line_no[3], 4);
	fw_linesplit_flush(&ls, take, &g);
	assert_int_equal(g.n, 4);
	fw_linesplit_free(&ls);
}

/* Every block size gives the same lines, offsets and numbers. */
static void
test_any_block_size(void **state)
{
	const char *s = "alpha\r\nbeta is a longer line\n\n\r\nx\nlast line without end";
	struct got ref = {0};
	struct fw_linesplit ls;
	assert_int_equal(fw_linesplit_init(&ls, 64, 0, 0), 0);
	feed(&ls, s, strlen(s), 256, &ref);
	fw_linesplit_free(&ls);
	assert_int_equal(ref.n, 5);
	assert_string_equal(ref.text[3], "");
	for (size_t step = 1; step < 40; step++) {
		struct got g = {0};
		assert_int_equal(fw_linesplit_init(&ls, 64, 0, 0), 0);
		feed(&ls, s, strlen(s), step, &g);
		assert_int_equal(g.n, ref.n);
		for (size_t i = 0; i < g.n; i++) {
			assert_string_equal(g.text[i], ref.text[i]);
			assert_int_equal(g.offset[i], ref.offset[i]);
			assert_int_equal(g.end[i], ref.end[i]);
			assert_int_equal(g.line_no[i], ref.line_no[i]);
			assert_false(g.truncated[i]);
		}
		assert_int_equal(fw_linesplit_pending(&ls), strlen("last line without end"));
		fw_linesplit_free(&ls);
	}
}

/* Lines over the limit are cut, flagged, and their rest skipped. */
static void
test_truncation(void **state)
{
	const char *s = "0123456789ABC\nshort\n01234567\r\n012345678\r\nabcdefghijklmnopqrstuvwxyz\nend\n";
	for (size_t step = 1; step <= 80; step++) {
		struct fw_linesplit ls;
		struct got g = {0};
		assert_int_equal(fw_linesplit_init(&ls, 8, 0, 0), 0);
		feed(&ls, s, strlen(s), step, &g);
		assert_int_equal(g.n, 6);
		assert_string_equal(g.text[0], "01234567");
		assert_true(g.truncated[0]);
		/* The cut line ends past its skipped rest: a checkpoint there is safe. */
		assert_int_equal(g.end[0], 14);
		assert_string_equal(g.text[1], "short");
		assert_false(g.truncated[1]);
		assert_int_equal(g.offset[1], 14);
		/* Exactly the limit, with CRLF: not truncated. */
		assert_string_equal(g.text[2], "01234567");
		assert_false(g.truncated[2]);
		assert_string_equal(g.text[3], "01234567");
		assert_true(g.truncated[3]);
		assert_string_equal(g.text[4], "abcdefgh");
		assert_true(g.truncated[4]);
		assert_string_equal(g.text[5], "end");
		assert_int_equal(g.line_no[5], 6);
		assert_int_equal(g.offset[5], strlen(s) - 4);
		assert_int_equal(ls.truncated_lines, 3);
		fw_linesplit_free(&ls);
	}
}

/* A stream resumed from a checkpoint numbers on from there. */
static void
test_resume(void **state)
{
	struct fw_linesplit ls;
	struct got g = {0};
	assert_int_equal(fw_linesplit_init(&ls, 4, 1000, 7), 0);
	const char *s = "ok\nlong line";
	feed(&ls, s, strlen(s), 256, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.line_no[0], 8);
	assert_int_equal(g.offset[0], 1000);
	/* While the long line's rest is skipped, resuming restarts at its start. */
	assert_int_equal(ls.line_start, 1003);
	feed(&ls, "\n", 1, 1, &g);
	assert_int_equal(g.n, 2);
	assert_true(g.truncated[1]);
	assert_string_equal(g.text[1], "long");
	assert_int_equal(g.offset[1], 1003);
	assert_int_equal(g.line_no[1], 9);
	assert_int_equal(ls.line_start, 1000 + strlen(s) + 1);
	fw_linesplit_free(&ls);
}

/* NUL bytes and invalid UTF-8 are just bytes. */
static void
test_binary(void **state)
{
	struct fw_linesplit ls;
	struct got g = {0};
	assert_int_equal(fw_linesplit_init(&ls, 16, 0, 0), 0);
	const char s[] = "a\0b\xff\n";
	feed(&ls, s, sizeof(s) - 1, 2, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.len[0], 4);
	assert_memory_equal(g.text[0], "a\0b\xff", 4);
	fw_linesplit_free(&ls);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_in_one_block),
		cmocka_unit_test(test_any_block_size),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
