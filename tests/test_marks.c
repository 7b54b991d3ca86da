/*
 * test_marks: the ring of positions waiting for acknowledgement. Checked
 * alone: an empty set answers with committed; lines without alerts extend
 * the newest mark; the ring wraps, grows by doubling with its marks still
 * oldest first, and at its maximum the newest replaces the last; the search
 * for "the latest position up to seq" agrees with a linear scan on every
 * seq; advancing moves committed; an emptied or reset ring goes back to its
 * first size.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "input/marks.h"

/* A mark whose offset and line follow from its seq, so order is checkable. */
static struct fw_mark
mk(uint64_t seq)
{
	return (struct fw_mark){.seq = seq, .offset = seq * 100, .line_no = seq * 10};
}

/* The marks waiting are seqs from..to (step 1), oldest first. */
static void
assert_seqs(const struct fw_marks *m, uint64_t from, uint64_t to)
{
	assert_int_equal(m->n, to - from + 1);
	for (unsigned i = 0; i < m->n; i++) {
		assert_int_equal(fw_marks_at(m, i)->seq, from + i);
		assert_int_equal(fw_marks_at(m, i)->offset, (from + i) * 100);
	}
}

static void
test_empty(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 16);
	m.committed = mk(7);
	assert_ptr_equal(fw_marks_upto(&m, 0), &m.committed);
	assert_ptr_equal(fw_marks_upto(&m, UINT64_MAX), &m.committed);
	assert_true(fw_marks_advance(&m, 100));
	assert_int_equal(m.committed.seq, 7);
	assert_null(m.ring);
	fw_marks_free(&m);
}

static void
test_same_seq_or_offset_extends(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 16);
	fw_marks_add(&m, mk(1));
	fw_marks_add(&m, (struct fw_mark){1, 150, 15});    /* a line without alerts */
	assert_int_equal(m.n, 1);
	assert_int_equal(fw_marks_at(&m, 0)->offset, 150);
	fw_marks_add(&m, (struct fw_mark){2, 150, 15});    /* same offset, later seq */
	assert_int_equal(m.n, 1);
	assert_int_equal(fw_marks_at(&m, 0)->seq, 2);
	fw_marks_add(&m, mk(3));
	assert_int_equal(m.n, 2);
	fw_marks_free(&m);
}

static void
test_wrap_then_grow_keeps_order(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 16);
	for (uint64_t s = 1; s <= 4; s++)
		fw_marks_add(&m, mk(s));
	assert_int_equal(m.cap, 4);
	assert_false(fw_marks_advance(&m, 2));
	assert_int_equal(m.committed.seq, 2);
	fw_marks_add(&m, mk(5));
	fw_marks_add(&m, mk(6));              /* wraps: head is 2 of 4 */
	assert_int_equal(m.cap, 4);
	assert_int_not_equal(m.head, 0);
	assert_seqs(&m, 3, 6);
	fw_marks_add(&m, mk(7));              /* full and wrapped: doubles */
	assert_int_equal(m.cap, 8);
	assert_seqs(&m, 3, 7);
	for (uint64_t s = 8; s <= 16; s++)
		fw_marks_add(&m, mk(s));
	assert_int_equal(m.cap, 16);
	assert_seqs(&m, 3, 16);
	fw_marks_free(&m);
}

static void
test_full_replaces_last(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 8);
	for (uint64_t s = 1; s <= 8; s++)
		fw_marks_add(&m, mk(s));
	assert_int_equal(m.cap, 8);
	fw_marks_add(&m, mk(9));
	fw_marks_add(&m, mk(10));
	assert_int_equal(m.cap, 8);
	assert_int_equal(m.n, 8);
	assert_int_equal(fw_marks_at(&m, 6)->seq, 7);
	assert_int_equal(fw_marks_at(&m, 7)->seq, 10);
	assert_int_equal(fw_marks_at(&m, 7)->offset, 1000);
	/* Coarser, never ahead: seq 9 is not yet the newest position. */
	assert_int_equal(fw_marks_upto(&m, 9)->seq, 7);
	assert_int_equal(fw_marks_upto(&m, 10)->seq, 10);
	fw_marks_free(&m);
}

/* The latest mark with seq <= seq, by a plain scan; committed if none. */
static const struct fw_mark *
upto_linear(const struct fw_marks *m, uint64_t seq)
{
	const struct fw_mark *r = &m->committed;

	for (unsigned i = 0; i < m->n; i++)
		if (fw_marks_at(m, i)->seq <= seq)
			r = fw_marks_at(m, i);
	return r;
}

static void
test_upto_agrees_with_scan(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 64);
	m.committed = (struct fw_mark){5, 0, 0};
	/* Uneven gaps, wrapped: every count from 0 to 40 marks is searched. */
	uint64_t seq = 10;
	for (unsigned round = 0; round < 40; round++) {
		for (uint64_t s = 0; s <= seq + 3; s++)
			assert_ptr_equal(fw_marks_upto(&m, s), upto_linear(&m, s));
		seq += 1 + round % 7;
		fw_marks_add(&m, (struct fw_mark){seq, seq * 100, seq});
		if (round % 9 == 8)
			fw_marks_advance(&m, fw_marks_at(&m, 1)->seq);
	}
	fw_marks_free(&m);
}

static void
test_emptied_ring_shrinks(void **state)
{
	struct fw_marks m;

	fw_marks_init(&m, 4, 64);
	for (uint64_t s = 1; s <= 40; s++)
		fw_marks_add(&m, mk(s));
	assert_int_equal(m.cap, 64);
	assert_false(fw_marks_advance(&m, 39));
	assert_int_equal(m.cap, 64);          /* one still waits: kept */
	assert_true(fw_marks_advance(&m, 40));
	assert_int_equal(m.committed.seq, 40);
	assert_int_equal(m.cap, 4);
	assert_int_equal(m.head, 0);
	assert_non_null(m.ring);
	for (uint64_t s = 41; s <= 60; s++)   /* and grows again */
		fw_marks_add(&m, mk(s));
	assert_seqs(&m, 41, 60);
	fw_marks_reset(&m, (struct fw_mark){99, 0, 0});
	assert_int_equal(m.n, 0);
	assert_int_equal(m.cap, 4);
	assert_int_equal(m.committed.seq, 99);
	assert_ptr_equal(fw_marks_upto(&m, 1000), &m.committed);
	fw_marks_free(&m);
	assert_null(m.ring);
	assert_int_equal(m.cap, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_same_seq_or_offset_extends),
		cmocka_unit_test(test_wrap_then_grow_keeps_order),
		cmocka_unit_test(test_full_replaces_last),
		cmocka_unit_test(test_upto_agrees_with_scan),
		cmocka_unit_test(test_emptied_ring_shrinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
