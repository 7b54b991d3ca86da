/*
 * Unit tests of the pipeline's contract with inputs and outputs: sequence
 * numbers, the safe sequence number (lowest acknowledgement, lowered by what
 * the aggregation stage holds), backpressure (backlog, pause, resume in
 * order), match = best / all, and the domain mask of an input.
 *
 * The outputs and the input here are small test implementations of the
 * real interfaces (output.h, input.h) that record what they are given.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/pipeline.h"
#include "testutil.h"

/* -- a test output: a queue of `cap` that the test acknowledges by hand -- */

struct test_out {
	struct fw_output out;
	struct fw_output_config cfg;
	uint64_t seqs[64];
	size_t n;                   /* messages taken */
	size_t cap;                 /* refuse with -ENOBUFS beyond this many unacked */
};

static int
t_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct test_out *t = (struct test_out *)out;
	if (t->n > (size_t)out->acked && t->n - (size_t)out->acked >= t->cap)
		return -ENOBUFS;
	assert_true(t->n < 64);
	/* Sequence numbers reach an output in order, without gaps between messages. */
	if (t->n > 0)
		assert_true(msg->seq > t->seqs[t->n - 1]);
	t->seqs[t->n++] = msg->seq;
	assert_non_null(strstr(msg->json, "\"schema\":\"fixwatch.alert/1\""));
	return 0;
}

static const struct fw_output_ops t_ops = {.type = "test", .submit = t_submit};

static void
t_out_init(struct test_out *t, const char *name, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cfg.name = (char *)name;
	t->out.ops = &t_ops;
	t->out.cfg = &t->cfg;
	t->cap = cap;
}

/* Acknowledges the first k messages the output took. */
static void
t_ack(struct test_out *t, size_t k)
{
	fw_output_ack(&t->out, t->seqs[k - 1]);
}

/* -- a test input that counts pauses and resumes -------------------------- */

struct test_in {
	struct fw_input in;
	struct fw_input_config cfg;
	int pauses, resumes;
};

static void t_pause(struct fw_input *in) { ((struct test_in *)in)->pauses++; }
static void t_resume(struct fw_input *in) { ((struct test_in *)in)->resumes++; }
static const struct fw_input_ops t_in_ops = {.type = "test", .pause = t_pause, .resume = t_resume};

static void
t_in_init(struct test_in *t, char **domains, size_t n_domains)
{
	memset(t, 0, sizeof(*t));
	t->cfg.name = (char *)"app";
	t->cfg.domains.v = domains;
	t->cfg.domains.n = n_domains;
	t->in.ops = &t_in_ops;
	t->in.cfg = &t->cfg;
}

/* -- fixture ---------------------------------------------------------------- */

static struct fw_config cfg;

static struct fw_pipeline *
new_pipeline(enum fw_match_mode mode)
{
	static const char *const lines[] = {
		"{'id':'a/disk','signature':'disk','regex':'disk full','domain':'a'}",
		"{'id':'b/full','signature':'full','regex':'full','domain':'b'}",
	};
	struct fw_kb *kb = tu_kb_from_lines("kb.jsonl", lines, TU_N(lines), false);
	struct fw_matcher *m;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_REFERENCE, &m, &d), 0);
	memset(&cfg, 0, sizeof cfg);
	cfg.match = mode;
	cfg.host = (char *)"h";
	struct fw_pipeline *p;
	assert_int_equal(fw_pipeline_new(NULL, &cfg, m, &p, &d), 0);
	fw_diag_clear(&d);
	return p;
}

static bool
feed(struct fw_pipeline *p, struct fw_input *in, const char *text)
{
	struct fw_line line = {.data = text, .len = strlen(text)};
	struct fw_alert_source src = {.type = FW_SOURCE_STDIN, .path = "-"};
	return fw_pipeline_line(p, in, &line, &src);
}

/* A line that the outputs in skip (bit i: output i) had before a restart. */
static bool
feed_skip(struct fw_pipeline *p, struct fw_input *in, const char *text, uint64_t skip)
{
	struct fw_line line = {.data = text, .len = strlen(text)};
	struct fw_alert_source src = {.type = FW_SOURCE_FILE, .path = "/a", .skip_outputs = skip};
	return fw_pipeline_line(p, in, &line, &src);
}

/* -- tests ------------------------------------------------------------------ */

static void
test_safe_is_lowest_ack(void **state)
{
	struct fw_pipeline *p = new_pipeline(FW_MATCH_BEST);
	struct test_out o1, o2;
	struct test_in in;
	struct fw_diag d;
	fw_diag_init(&d);
	t_out_init(&o1, "o1", 10);
	t_out_init(&o2, "o2", 10);
	t_in_init(&in, NULL, 0);
	assert_int_equal(fw_pipeline_add_output(p, &o1.out), 0);
	assert_int_equal(fw_pipeline_add_output(p, &o2.out), 0);
	assert_int_equal(fw_pipeline_add_input(p, &in.in, &d), 0);

	assert_true(feed(p, &in.in, "nothing here"));
	assert_int_equal(fw_pipeline_seq(p), 0);
	assert_true(fw_pipeline_drained(p));
	assert_true(feed(p, &in.in, "disk full"));   /* best: one alert for two hits */
	assert_true(feed(p, &in.in, "full"));
	assert_int_equal(fw_pipeline_seq(p), 2);
	assert_int_equal(fw_pipeline_stats(p)->matches, 3);
	assert_int_equal(fw_pipeline_stats(p)->alerts, 2);
	assert_int_equal(o1.n, 2);
	assert_int_equal(fw_pipeline_safe_seq(p), 0);
	t_ack(&o1, 2);
	assert_int_equal(fw_pipeline_safe_seq(p), 0);   /* o2 has not acknowledged */
	t_ack(&o2, 1);
	assert_int_equal(fw_pipeline_safe_seq(p), 1);
	assert_false(fw_pipeline_drained(p));
	t_ack(&o2, 2);
	assert_int_equal(fw_pipeline_safe_seq(p), 2);
	assert_true(fw_pipeline_drained(p));
	assert_int_equal(fw_pipeline_record_matches(p)[1], 2);
	fw_pipeline_free(p);
}

static void
test_backpressure(void **state)
{
	struct fw_pipeline *p = new_pipeline(FW_MATCH_ALL);
	struct test_out fast, slow;
	struct test_in in;
	struct fw_diag d;
	fw_diag_init(&d);
	t_out_init(&fast, "fast", 100);
	t_out_init(&slow, "slow", 2);
	t_in_init(&in, NULL, 0);
	fw_pipeline_add_output(p, &fast.out);
	fw_pipeline_add_output(p, &slow.out);
	fw_pipeline_add_input(p, &in.in, &d);

	assert_true(feed(p, &in.in, "full"));            /* seq 1 */
	/* match = all: two alerts; the second does not fit into slow. */
	assert_false(feed(p, &in.in, "disk full"));      /* seq 2, 3 */
	assert_true(fw_pipeline_paused(p));
	assert_int_equal(in.pauses, 1);
	assert_int_equal(slow.n, 2);
	assert_int_equal(fast.n, 3);
	/* Taken while paused: it waits behind the backlog, in order. */
	assert_false(feed(p, &in.in, "full"));           /* seq 4 */
	assert_int_equal(slow.n, 2);
	t_ack(&fast, 4);
	t_ack(&slow, 2);                                 /* room for 3 and 4 */
	assert_int_equal(slow.n, 4);
	assert_int_equal(slow.seqs[2], 3);
	assert_int_equal(slow.seqs[3], 4);
	assert_false(fw_pipeline_paused(p));
	assert_int_equal(in.resumes, 1);
	assert_int_equal(fw_pipeline_safe_seq(p), 2);
	t_ack(&slow, 4);
	assert_int_equal(fw_pipeline_safe_seq(p), 4);
	assert_int_equal(fw_pipeline_stats(p)->pauses, 1);
	fw_pipeline_free(p);
}

/*
 * Per-output positions: an output that had a line's alerts before a restart
 * is not sent them again but acknowledges them, in order; behind a backlog
 * it takes them like any other (an acknowledgement covers everything older).
 */
static void
test_skip_outputs(void **state)
{
	struct fw_pipeline *p = new_pipeline(FW_MATCH_BEST);
	struct test_out fast, slow;
	struct test_in in;
	struct fw_diag d;
	fw_diag_init(&d);
	t_out_init(&fast, "fast", 100);
	t_out_init(&slow, "slow", 1);
	t_in_init(&in, NULL, 0);
	fw_pipeline_add_output(p, &fast.out);
	fw_pipeline_add_output(p, &slow.out);
	fw_pipeline_add_input(p, &in.in, &d);

	assert_true(feed_skip(p, &in.in, "full", 1));         /* seq 1: fast had it */
	assert_int_equal(fast.n, 0);
	assert_int_equal(fast.out.acked, 1);
	assert_int_equal(fast.out.stats.skipped, 1);
	assert_int_equal(slow.n, 1);
	assert_int_equal(fw_pipeline_output_safe_seq(p, 0), 1);
	assert_int_equal(fw_pipeline_output_safe_seq(p, 1), 0);
	assert_int_equal(fw_pipeline_safe_seq(p), 0);
	assert_false(feed_skip(p, &in.in, "full", 0));        /* seq 2: slow is full */
	assert_int_equal(fast.n, 1);
	assert_false(feed_skip(p, &in.in, "full", 2));        /* seq 3: behind slow's backlog */
	assert_int_equal(slow.out.stats.skipped, 0);
	t_ack(&fast, 1);
	t_ack(&slow, 1);
	t_ack(&slow, 2);
	assert_int_equal(slow.n, 3);
	assert_int_equal(slow.seqs[2], 3);
	t_ack(&slow, 3);
	assert_int_equal(fw_pipeline_output_safe_seq(p, 0), 2);
	assert_int_equal(fw_pipeline_safe_seq(p), 2);
	fw_pipeline_free(p);
}

/* The aggregation stage's reservations and holds (pipeline.h). */
static void
test_hold(void **state)
{
	struct fw_pipeline *p = new_pipeline(FW_MATCH_BEST);
	struct test_out o;
	struct test_in in;
	struct fw_diag d;
	fw_diag_init(&d);
	t_out_init(&o, "o", 10);
	t_in_init(&in, NULL, 0);
	fw_pipeline_add_output(p, &o.out);
	fw_pipeline_add_input(p, &in.in, &d);

	feed(p, &in.in, "full");                         /* seq 1 */
	uint64_t r = fw_pipeline_reserve_seq(p);         /* seq 2: a held match */
	assert_int_equal(r, 2);
	fw_pipeline_set_hold(p, r);
	feed(p, &in.in, "full");                         /* seq 3 */
	t_ack(&o, 2);                                    /* everything sent is done... */
	assert_int_equal(fw_pipeline_safe_seq(p), 1);    /* ...but 2 is still held */
	assert_false(fw_pipeline_drained(p));
	fw_pipeline_set_hold(p, 0);
	/* A reservation no output ever saw does not hold anything back. */
	assert_int_equal(fw_pipeline_safe_seq(p), 3);
	assert_true(fw_pipeline_drained(p));
	fw_pipeline_free(p);
}

static void
test_domain_mask(void **state)
{
	struct fw_pipeline *p = new_pipeline(FW_MATCH_ALL);
	struct test_out o;
	struct test_in in, bad;
	char *only_b[] = {(char *)"b"}, *nope[] = {(char *)"nope"};
	struct fw_diag d;
	fw_diag_init(&d);
	t_out_init(&o, "o", 10);
	t_in_init(&in, only_b, 1);
	t_in_init(&bad, nope, 1);
	fw_pipeline_add_output(p, &o.out);
	assert_int_equal(fw_pipeline_add_input(p, &in.in, &d), 0);
	assert_true(fw_pipeline_add_input(p, &bad.in, &d) < 0);
	assert_true(d.n >= 1);
	assert_non_null(strstr(d.msgs[0], "[input.app] domains:"));
	feed(p, &in.in, "disk full");
	assert_int_equal(o.n, 1);                        /* only b/full */
	assert_int_equal(fw_pipeline_record_matches(p)[0], 0);
	fw_diag_clear(&d);
	fw_pipeline_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_safe_is_lowest_ack, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_backpressure, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_hold, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_skip_outputs, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_domain_mask, tu_setup, tu_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
