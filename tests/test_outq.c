/*
 * test_outq: the queue every output keeps: admission (filter, block,
 * drop-oldest that spares busy items), the acknowledgement point of alerts
 * done without being written, and references released exactly once (the
 * sanitizer build's leak check sees a missed unref).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/outq.h"
#include "util/severity.h"

struct fix {
	struct fw_output_config cfg;
	struct fw_output out;
	struct fw_outq q;
};

static void
fix_init(struct fix *f, size_t cap, enum fw_overflow overflow)
{
	memset(f, 0, sizeof *f);
	f->cfg.queue_max = cap;
	f->cfg.overflow = overflow;
	f->cfg.min_severity = FW_SEVERITY_COUNT - 1;
	f->out.cfg = &f->cfg;
	assert_int_equal(fw_outq_init(&f->q, cap), 0);
}

static struct fw_alert_msg *
msg(uint64_t seq)
{
	struct fw_alert_msg *m = fw_alert_msg_new("{}", 2, NULL);

	assert_non_null(m);
	m->seq = seq;
	return m;
}

/* Offers seq to the queue as the pipeline does (it drops its own reference). */
static int
offer(struct fix *f, struct fw_alert_msg *m, size_t busy)
{
	int err;
	struct fw_outq_item *it = fw_output_enqueue(&f->out, &f->q, m, busy, &err);

	if (it)
		assert_ptr_equal(it->msg, m);
	else
		assert_true(err == 0 || err == -ENOBUFS);
	fw_alert_msg_unref(m);
	return it ? 1 : err;
}

static uint64_t
seq_at(struct fix *f, size_t i)
{
	return fw_outq_at(&f->q, i)->msg->seq;
}

static void
test_order_and_ack(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 4, FW_OVERFLOW_BLOCK);
	for (uint64_t s = 1; s <= 4; s++)
		assert_int_equal(offer(&f, msg(s), 0), 1);
	assert_int_equal(f.out.queued, 4);
	assert_int_equal(offer(&f, msg(5), 0), -ENOBUFS);      /* block */
	assert_int_equal(f.q.count, 4);
	assert_int_equal(fw_outq_pop(&f.q), 1);
	assert_int_equal(fw_outq_ack_point(&f.q, 1), 1);
	assert_int_equal(offer(&f, msg(5), 0), 1);            /* wraps around the ring */
	for (uint64_t s = 2; s <= 5; s++)
		assert_int_equal(fw_outq_pop(&f.q), s);
	assert_int_equal(f.q.count, 0);
	assert_int_equal(f.out.stats.dropped, 0);
	fw_outq_fini(&f.q);
}

/* A filtered alert is done: acknowledged at once when nothing older waits, else later. */
static void
test_filtered(void **state)
{
	struct fix f;
	struct fw_alert_msg *m;

	(void)state;
	fix_init(&f, 4, FW_OVERFLOW_BLOCK);
	f.cfg.min_confidence = 0.5;
	f.cfg.min_severity = 3;         /* err */
	m = msg(1);
	m->confidence = 0.4;
	assert_int_equal(offer(&f, m, 0), 0);
	assert_int_equal(f.out.acked, 1);
	m = msg(2);
	m->confidence = 0.9;
	m->severity = 2;                /* crit: kept */
	assert_int_equal(offer(&f, m, 0), 1);
	m = msg(3);
	m->severity = 5;                /* notice: filtered, 2 still waits */
	assert_int_equal(offer(&f, m, 0), 0);
	m = msg(4);                     /* no severity counts as warning: filtered */
	assert_int_equal(offer(&f, m, 0), 0);
	assert_int_equal(f.out.acked, 1);
	assert_int_equal(f.out.stats.filtered, 3);
	assert_int_equal(fw_outq_pop(&f.q), 2);
	assert_int_equal(fw_outq_ack_point(&f.q, 2), 4);
	f.cfg.min_severity = 4;         /* warning */
	m = msg(5);
	assert_int_equal(offer(&f, m, 0), 1);
	assert_int_equal(f.out.stats.filtered, 3);
	fw_outq_fini(&f.q);
}

/* drop-oldest takes the oldest item that is not busy; all busy: -ENOBUFS. */
static void
test_drop_oldest_spares_busy(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 4, FW_OVERFLOW_DROP_OLDEST);
	for (uint64_t s = 1; s <= 4; s++)
		assert_int_equal(offer(&f, msg(s), 0), 1);
	assert_int_equal(offer(&f, msg(5), 2), 1);            /* 1, 2 busy: 3 goes */
	assert_int_equal(f.out.stats.dropped, 1);
	assert_int_equal(seq_at(&f, 0), 1);
	assert_int_equal(seq_at(&f, 1), 2);
	assert_int_equal(seq_at(&f, 2), 4);
	assert_int_equal(seq_at(&f, 3), 5);
	assert_int_equal(offer(&f, msg(6), 4), -ENOBUFS);     /* all four busy */
	assert_int_equal(f.q.count, 4);
	/* The dropped 3 is done: once the queue drains, 6 is not covered, 5 is. */
	for (int i = 0; i < 4; i++)
		(void)fw_outq_pop(&f.q);
	assert_int_equal(fw_outq_ack_point(&f.q, 5), 5);
	fw_outq_fini(&f.q);

	/* One slot, its item busy: nothing can be dropped. */
	fix_init(&f, 1, FW_OVERFLOW_DROP_OLDEST);
	assert_int_equal(offer(&f, msg(1), 0), 1);
	assert_int_equal(offer(&f, msg(2), 1), -ENOBUFS);
	assert_int_equal(offer(&f, msg(2), 0), 1);
	assert_int_equal(seq_at(&f, 0), 2);
	fw_outq_fini(&f.q);
}

/* An item that cannot be sent is taken back as done; its data is freed with it. */
static void
test_drop_newest(void **state)
{
	struct fix f;
	struct fw_alert_msg *m;
	int err;
	struct fw_outq_item *it;

	(void)state;
	fix_init(&f, 2, FW_OVERFLOW_BLOCK);
	assert_int_equal(offer(&f, msg(1), 0), 1);
	m = msg(2);
	it = fw_output_enqueue(&f.out, &f.q, m, 0, &err);
	assert_non_null(it);
	it->data = strdup("framed");
	fw_alert_msg_unref(m);
	fw_outq_drop_newest(&f.q);
	assert_int_equal(f.q.count, 1);
	assert_int_equal(fw_outq_ack_point(&f.q, 0), 0);       /* 1 still waits */
	assert_int_equal(fw_outq_pop(&f.q), 1);
	assert_int_equal(fw_outq_ack_point(&f.q, 1), 2);
	fw_outq_fini(&f.q);
}

/* An alert the output had before a restart: done unwritten, acknowledged in order. */
static void
test_skip(void **state)
{
	struct fix f;

	(void)state;
	fix_init(&f, 4, FW_OVERFLOW_BLOCK);
	f.out.queue = &f.q;
	/* Nothing older waits: acknowledged at once. */
	fw_output_skip(&f.out, 1);
	assert_int_equal(f.out.acked, 1);
	/* Behind a queued alert: only once that one is written. */
	assert_int_equal(offer(&f, msg(2), 0), 1);
	fw_output_skip(&f.out, 3);
	assert_int_equal(f.out.acked, 1);
	assert_int_equal(f.out.stats.skipped, 2);
	assert_int_equal(f.q.count, 1);
	assert_int_equal(fw_outq_ack_point(&f.q, fw_outq_pop(&f.q)), 3);
	fw_outq_fini(&f.q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_ack),
		cmocka_unit_test(test_filtered),
		cmocka_unit_test(test_drop_oldest_spares_busy),
		cmocka_unit_test(test_drop_newest),
		cmocka_unit_test(test_skip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
