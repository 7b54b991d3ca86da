/*
 * test_linesplit: the line splitter. Every delivered line is recorded
 * (text, offsets, number, truncation) and compared with exact
 * expectations; the same stream fed in one block, byte by byte and in
 * every two-block split must give the same lines.
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

#include "input/linesplit.h"

#define MAX_LINES 64

struct rec_line {
	char text[256];
	size_t len;
	bool truncated;
	uint64_t offset, line_no, end;
};

struct recorder {
	struct rec_line lines[MAX_LINES];
	size_t n;
};

static void
record(void *arg, const struct fw_line *l)
{
	struct recorder *r = arg;
	struct rec_line *o;

	assert_true(r->n < MAX_LINES);
	assert_true(l->len < sizeof o->text);
	o = &r->lines[r->n++];
	memcpy(o->text, l->data, l->len);
	o->text[l->len] = '\0';
	o->len = l->len;
	o->truncated = l->truncated;
	o->offset = l->offset;
	o->line_no = l->line_no;
	o->end = l->end;
}

static void
expect_line(const struct recorder *r, size_t i, const char *text, bool truncated, uint64_t offset,
	    uint64_t line_no, uint64_t end)
{
	assert_true(i < r->n);
	assert_int_equal(r->lines[i].len, strlen(text));
	assert_memory_equal(r->lines[i].text, text, strlen(text));
	assert_int_equal(r->lines[i].truncated, truncated);
	assert_int_equal(r->lines[i].offset, offset);
	assert_int_equal(r->lines[i].line_no, line_no);
	assert_int_equal(r->lines[i].end, end);
}

/* Feeds data in blocks of the given sizes (the last repeats), then flushes if asked. */
static void
run(struct recorder *r, size_t max_line, const char *data, size_t n, size_t block, bool flush)
{
	struct fw_linesplit ls;

	memset(r, 0, sizeof *r);
	assert_int_equal(fw_linesplit_init(&ls, max_line, 0, 0), 0);
	for (size_t o = 0; o < n; o += block)
		fw_linesplit_feed(&ls, data + o, n - o < block ? n - o : block, record, r);
	if (flush)
		fw_linesplit_flush(&ls, record, r);
	fw_linesplit_free(&ls);
}

static void
assert_same(const struct recorder *a, const struct recorder *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		assert_int_equal(a->lines[i].len, b->lines[i].len);
		assert_memory_equal(a->lines[i].text, b->lines[i].text, a->lines[i].len);
		assert_int_equal(a->lines[i].truncated, b->lines[i].truncated);
		assert_int_equal(a->lines[i].offset, b->lines[i].offset);
		assert_int_equal(a->lines[i].line_no, b->lines[i].line_no);
		assert_int_equal(a->lines[i].end, b->lines[i].end);
	}
}

/* One block, byte by byte, and every split into two blocks give the same lines. */
static void
assert_block_independent(size_t max_line, const char *data, size_t n, bool flush)
{
	struct recorder whole, other;

	run(&whole, max_line, data, n, n ? n : 1, flush);
	run(&other, max_line, data, n, 1, flush);
	assert_same(&whole, &other);
	for (size_t cut = 1; cut < n; cut++) {
		struct fw_linesplit ls;

		memset(&other, 0, sizeof other);
		assert_int_equal(fw_linesplit_init(&ls, max_line, 0, 0), 0);
		fw_linesplit_feed(&ls, data, cut, record, &other);
		fw_linesplit_feed(&ls, data + cut, n - cut, record, &other);
		if (flush)
			fw_linesplit_flush(&ls, record, &other);
		fw_linesplit_free(&ls);
		assert_same(&whole, &other);
	}
}

static void
test_endings_and_offsets(void **state)
{
	static const char s[] = "one\ntwo\r\n\nthree\r\n\r\nfour";
	struct recorder r;
	struct fw_linesplit ls;

	run(&r, 100, s, sizeof s - 1, sizeof s - 1, false);
	assert_int_equal(r.n, 5);
	expect_line(&r, 0, "one", false, 0, 1, 4);
	expect_line(&r, 1, "two", false, 4, 2, 9);
	expect_line(&r, 2, "", false, 9, 3, 10);
	expect_line(&r, 3, "three", false, 10, 4, 17);
	expect_line(&r, 4, "", false, 17, 5, 19);

	/* "four" waits for its newline, then comes at flush. */
	memset(&r, 0, sizeof r);
	assert_int_equal(fw_linesplit_init(&ls, 100, 0, 0), 0);
	fw_linesplit_feed(&ls, s, sizeof s - 1, record, &r);
	assert_int_equal(r.n, 5);
	assert_int_equal(fw_linesplit_pending(&ls), 4);
	fw_linesplit_flush(&ls, record, &r);
	assert_int_equal(r.n, 6);
	expect_line(&r, 5, "four", false, 19, 6, 23);
	assert_int_equal(fw_linesplit_pending(&ls), 0);
	fw_linesplit_flush(&ls, record, &r); /* nothing left */
	assert_int_equal(r.n, 6);
	assert_int_equal(ls.truncated_lines, 0);
	assert_int_equal(ls.skipped_bytes, 0);
	fw_linesplit_free(&ls);

	assert_block_independent(100, s, sizeof s - 1, true);
}

/* A lone '\r' inside a line is content; only the one before '\n' goes. */
static void
test_bare_cr_is_content(void **state)
{
	static const char s[] = "a\rb\n\r\r\nc\r";
	struct recorder r;

	run(&r, 100, s, sizeof s - 1, sizeof s - 1, false);
	assert_int_equal(r.n, 2);
	expect_line(&r, 0, "a\rb", false, 0, 1, 4);
	expect_line(&r, 1, "\r", false, 4, 2, 7);
	assert_block_independent(100, s, sizeof s - 1, false);
}

static void
test_partial_line_held(void **state)
{
	struct recorder r = { .n = 0 };
	struct fw_linesplit ls;

	assert_int_equal(fw_linesplit_init(&ls, 100, 0, 0), 0);
	fw_linesplit_feed(&ls, "hel", 3, record, &r);
	fw_linesplit_feed(&ls, "lo wo", 5, record, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(fw_linesplit_pending(&ls), 8);
	fw_linesplit_feed(&ls, "rld\nnext", 8, record, &r);
	assert_int_equal(r.n, 1);
	expect_line(&r, 0, "hello world", false, 0, 1, 12);
	assert_int_equal(fw_linesplit_pending(&ls), 4);
	fw_linesplit_feed(&ls, "\n", 1, record, &r);
	expect_line(&r, 1, "next", false, 12, 2, 17);
	fw_linesplit_free(&ls);
}

static void
test_byte_at_a_time(void **state)
{
	static const char s[] = "GET /a 200\r\nGET /b 502\nx\n\n\r\nlast without newline";

	assert_block_independent(100, s, sizeof s - 1, true);
	assert_block_independent(100, s, sizeof s - 1, false);
	/* With cuts too. */
	assert_block_independent(8, s, sizeof s - 1, true);
	assert_block_independent(3, s, sizeof s - 1, true);
}

static void
test_truncated_in_one_block(void **state)
{
	static const char s[] = "abcdefghij\nok\nabcdefgh\r\n";
	struct recorder r;
	struct fw_linesplit ls;

	memset(&r, 0, sizeof r);
	assert_int_equal(fw_linesplit_init(&ls, 4, 0, 0), 0);
	fw_linesplit_feed(&ls, s, sizeof s - 1, record, &r);
	assert_int_equal(r.n, 3);
	expect_line(&r, 0, "abcd", true, 0, 1, 11);
	expect_line(&r, 1, "ok", false, 11, 2, 14);
	expect_line(&r, 2, "abcd", true, 14, 3, 24);
	assert_int_equal(ls.truncated_lines, 2);
	assert_int_equal(ls.skipped_bytes, 6 + 5); /* "efghij", "efgh\r" */
	fw_linesplit_free(&ls);
	assert_block_independent(4, s, sizeof s - 1, true);
}

/* The newline of a cut line arrives many blocks later. */
static void
test_truncated_across_blocks(void **state)
{
	struct recorder r = { .n = 0 };
	struct fw_linesplit ls;
	char block[100];

	memset(block, 'x', sizeof block);
	assert_int_equal(fw_linesplit_init(&ls, 16, 1000, 0), 0);
	for (int i = 0; i < 50; i++)
		fw_linesplit_feed(&ls, block, sizeof block, record, &r);
	assert_int_equal(r.n, 0);
	fw_linesplit_feed(&ls, "yy\nnext\n", 8, record, &r);
	assert_int_equal(r.n, 2);
	expect_line(&r, 0, "xxxxxxxxxxxxxxxx", true, 1000, 1, 1000 + 5000 + 3);
	expect_line(&r, 1, "next", false, 6003, 2, 6008);
	assert_int_equal(ls.skipped_bytes, 5000 + 2 - 16);
	assert_int_equal(ls.truncated_lines, 1);
	fw_linesplit_free(&ls);
}

/* A cut line whose newline never comes is delivered at flush, flagged. */
static void
test_truncated_at_flush(void **state)
{
	struct recorder r = { .n = 0 };
	struct fw_linesplit ls;

	assert_int_equal(fw_linesplit_init(&ls, 4, 0, 0), 0);
	fw_linesplit_feed(&ls, "ok\n0123456789", 13, record, &r);
	fw_linesplit_feed(&ls, "abc", 3, record, &r);
	assert_int_equal(r.n, 1);
	fw_linesplit_flush(&ls, record, &r);
	assert_int_equal(r.n, 2);
	expect_line(&r, 1, "0123", true, 3, 2, 16);
	fw_linesplit_flush(&ls, record, &r);
	assert_int_equal(r.n, 2);
	/* The stream goes on normally after it. */
	fw_linesplit_feed(&ls, "z\n", 2, record, &r);
	expect_line(&r, 2, "z", false, 16, 3, 18);
	fw_linesplit_free(&ls);
}

/* Exactly max bytes then "\r\n" is a whole line, wherever the blocks split it. */
static void
test_exact_max_with_crlf(void **state)
{
	static const char s[] = "abcd\r\nefgh\nabcd\r\r\nabcde\r\n";
	struct recorder r;

	run(&r, 4, s, sizeof s - 1, sizeof s - 1, false);
	assert_int_equal(r.n, 4);
	expect_line(&r, 0, "abcd", false, 0, 1, 6);
	expect_line(&r, 1, "efgh", false, 6, 2, 11);
	/* "abcd\r" is five bytes of content: cut. */
	expect_line(&r, 2, "abcd", true, 11, 3, 18);
	expect_line(&r, 3, "abcd", true, 18, 4, 25);
	assert_block_independent(4, s, sizeof s - 1, true);

	/* The '\r' at the end of a block, its '\n' in the next one. */
	{
		struct fw_linesplit ls;

		memset(&r, 0, sizeof r);
		assert_int_equal(fw_linesplit_init(&ls, 4, 0, 0), 0);
		fw_linesplit_feed(&ls, "ab", 2, record, &r);
		fw_linesplit_feed(&ls, "cd\r", 3, record, &r);
		assert_int_equal(r.n, 0);
		fw_linesplit_feed(&ls, "\n", 1, record, &r);
		assert_int_equal(r.n, 1);
		expect_line(&r, 0, "abcd", false, 0, 1, 6);
		assert_int_equal(ls.truncated_lines, 0);
		assert_int_equal(ls.skipped_bytes, 0);
		fw_linesplit_free(&ls);
	}
}

static void
test_resume_numbering(void **state)
{
	struct recorder r = { .n = 0 };
	struct fw_linesplit ls;

	assert_int_equal(fw_linesplit_init(&ls, 64, 123456, 57), 0);
	fw_linesplit_feed(&ls, "a\r\nbb\n", 6, record, &r);
	fw_linesplit_feed(&ls, "ccc", 3, record, &r);
	fw_linesplit_flush(&ls, record, &r);
	assert_int_equal(r.n, 3);
	expect_line(&r, 0, "a", false, 123456, 58, 123459);
	expect_line(&r, 1, "bb", false, 123459, 59, 123462);
	expect_line(&r, 2, "ccc", false, 123462, 60, 123465);
	fw_linesplit_free(&ls);
}

/* NUL bytes are ordinary content. */
static void
test_nul_bytes(void **state)
{
	static const char s[] = "a\0b\n\0\n";
	struct recorder r;

	run(&r, 10, s, sizeof s - 1, sizeof s - 1, false);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.lines[0].len, 3);
	assert_memory_equal(r.lines[0].text, "a\0b", 3);
	assert_int_equal(r.lines[1].len, 1);
	assert_int_equal(r.lines[1].text[0], '\0');
	assert_block_independent(2, s, sizeof s - 1, true);
}

static void
test_init_errors(void **state)
{
	struct fw_linesplit ls;

	assert_int_equal(fw_linesplit_init(&ls, 0, 0, 0), -EINVAL);
	assert_null(ls.buf);
	fw_linesplit_free(&ls);
	assert_int_equal(fw_linesplit_init(&ls, FW_MAX_LINE_DEFAULT, 0, 0), 0);
	assert_int_equal(ls.max_line, 64 * 1024);
	fw_linesplit_free(&ls);
	assert_null(ls.buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endings_and_offsets),
		cmocka_unit_test(test_bare_cr_is_content),
		cmocka_unit_test(test_partial_line_held),
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_truncated_in_one_block),
		cmocka_unit_test(test_truncated_across_blocks),
		cmocka_unit_test(test_truncated_at_flush),
		cmocka_unit_test(test_exact_max_with_crlf),
		cmocka_unit_test(test_resume_numbering),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_init_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
