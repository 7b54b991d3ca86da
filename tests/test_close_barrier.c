/*
 * test_close_barrier: done runs once, after the last handle's close
 * callback and not before, whether the wait is set before or after the
 * closes; at once when nothing is open; a handle of its own allocation
 * is freed once closed; a child with a barrier of its own, counted as one
 * unit of its parent's, holds the parent until it released it; and done may free the memory the
 * barrier lives in (the sanitizer build checks that nothing touches it
 * afterwards).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <uv.h>

#include "util/close_barrier.h"

struct module {
	struct fw_close_barrier barrier;
	uv_timer_t timers[3];
	uv_prepare_t prepare;
	unsigned done;
};

static void
on_done(void *arg)
{
	((struct module *)arg)->done++;
}

static void
open_all(uv_loop_t *loop, struct module *m)
{
	for (int i = 0; i < 3; i++) {
		assert_int_equal(uv_timer_init(loop, &m->timers[i]), 0);
		fw_close_barrier_add(&m->barrier);
	}
	assert_int_equal(uv_prepare_init(loop, &m->prepare), 0);
	fw_close_barrier_add(&m->barrier);
}

static void
close_all(struct module *m)
{
	for (int i = 0; i < 3; i++)
		fw_close_barrier_close(&m->barrier, (uv_handle_t *)&m->timers[i]);
	fw_close_barrier_close(&m->barrier, (uv_handle_t *)&m->prepare);
}

static void
test_nothing_open(void **state)
{
	struct module m = { 0 };

	assert_true(fw_close_barrier_idle(&m.barrier));
	fw_close_barrier_wait(&m.barrier, on_done, &m);
	assert_int_equal(m.done, 1);
}

static void
test_after_the_last_close(void **state)
{
	uv_loop_t loop;
	struct module m = { 0 };

	assert_int_equal(uv_loop_init(&loop), 0);
	open_all(&loop, &m);
	assert_false(fw_close_barrier_idle(&m.barrier));
	close_all(&m);
	fw_close_barrier_wait(&m.barrier, on_done, &m);
	/* uv_close calls back on the loop, never at once. */
	assert_int_equal(m.done, 0);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(m.done, 1);
	assert_true(fw_close_barrier_idle(&m.barrier));
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void
test_wait_before_the_closes(void **state)
{
	uv_loop_t loop;
	struct module m = { 0 };

	assert_int_equal(uv_loop_init(&loop), 0);
	open_all(&loop, &m);
	fw_close_barrier_wait(&m.barrier, on_done, &m);
	assert_int_equal(m.done, 0);
	fw_close_barrier_close(&m.barrier, (uv_handle_t *)&m.timers[0]);
	assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
	assert_int_equal(m.done, 0);        /* three still open */
	for (int i = 1; i < 3; i++)
		fw_close_barrier_close(&m.barrier, (uv_handle_t *)&m.timers[i]);
	fw_close_barrier_close(&m.barrier, (uv_handle_t *)&m.prepare);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(m.done, 1);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A handle of its own allocation, closed mid-life, freed by the barrier. */
static void
test_close_free(void **state)
{
	uv_loop_t loop;
	struct module m = { 0 };
	uv_timer_t *watch = malloc(sizeof *watch);

	assert_non_null(watch);
	assert_int_equal(uv_loop_init(&loop), 0);
	open_all(&loop, &m);
	assert_int_equal(uv_timer_init(&loop, watch), 0);
	fw_close_barrier_add(&m.barrier);
	fw_close_barrier_close_free(&m.barrier, (uv_handle_t *)watch);
	assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
	assert_int_equal(m.barrier.open, 4);
	close_all(&m);
	fw_close_barrier_wait(&m.barrier, on_done, &m);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(m.done, 1);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static unsigned freed;

static void
free_module(void *arg)
{
	free(arg);
	freed++;
}

static void
test_done_frees_the_module(void **state)
{
	uv_loop_t loop;
	struct module *m = calloc(1, sizeof *m);

	assert_non_null(m);
	assert_int_equal(uv_loop_init(&loop), 0);
	open_all(&loop, m);
	close_all(m);
	fw_close_barrier_wait(&m->barrier, free_module, m);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(freed, 1);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A child with a barrier of its own, counted as one unit of the parent's. */
struct child {
	struct fw_close_barrier barrier;
	uv_timer_t timers[2];
	struct module *parent;
};

static void
child_freed(void *arg)
{
	struct child *c = arg;
	struct module *parent = c->parent;

	free(c);
	fw_close_barrier_release(&parent->barrier);
}

static void
test_release_a_child(void **state)
{
	uv_loop_t loop;
	struct module m = { 0 };
	struct child *c = calloc(1, sizeof *c);

	assert_non_null(c);
	assert_int_equal(uv_loop_init(&loop), 0);
	open_all(&loop, &m);
	c->parent = &m;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(uv_timer_init(&loop, &c->timers[i]), 0);
		fw_close_barrier_add(&c->barrier);
	}
	fw_close_barrier_add(&m.barrier);    /* the child */
	close_all(&m);
	fw_close_barrier_wait(&m.barrier, on_done, &m);
	assert_int_equal(uv_run(&loop, UV_RUN_NOWAIT), 0);
	assert_int_equal(m.done, 0);        /* the child still holds it */
	assert_int_equal(m.barrier.open, 1);
	fw_close_barrier_close(&c->barrier, (uv_handle_t *)&c->timers[0]);
	fw_close_barrier_close(&c->barrier, (uv_handle_t *)&c->timers[1]);
	fw_close_barrier_wait(&c->barrier, child_freed, c);
	assert_int_equal(m.done, 0);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(m.done, 1);
	assert_true(fw_close_barrier_idle(&m.barrier));
	assert_int_equal(uv_loop_close(&loop), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_open),
		cmocka_unit_test(test_after_the_last_close),
		cmocka_unit_test(test_wait_before_the_closes),
		cmocka_unit_test(test_close_free),
		cmocka_unit_test(test_done_frees_the_module),
		cmocka_unit_test(test_release_a_child),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
