/*
 * close_barrier: see close_barrier.h.
 */
#include "config.h"

#include <stdlib.h>

#include "util/close_barrier.h"

static void
barrier_finish(struct fw_close_barrier *b)
{
	void (*done)(void *arg) = b->done;

	b->done = NULL;
	done(b->arg);       /* may free the memory b lives in */
}

static void
handle_gone(struct fw_close_barrier *b)
{
	if (--b->open == 0 && b->done)
		barrier_finish(b);
}

static void
on_handle_closed(uv_handle_t *h)
{
	handle_gone(h->data);
}

static void
on_handle_closed_free(uv_handle_t *h)
{
	struct fw_close_barrier *b = h->data;

	free(h);
	handle_gone(b);
}

void
fw_close_barrier_close(struct fw_close_barrier *b, uv_handle_t *h)
{
	h->data = b;
	uv_close(h, on_handle_closed);
}

void
fw_close_barrier_close_free(struct fw_close_barrier *b, uv_handle_t *h)
{
	h->data = b;
	uv_close(h, on_handle_closed_free);
}

void
fw_close_barrier_release(struct fw_close_barrier *b)
{
	handle_gone(b);
}

void
fw_close_barrier_wait(struct fw_close_barrier *b, void (*done)(void *arg), void *arg)
{
	b->done = done;
	b->arg = arg;
	if (b->open == 0)
		barrier_finish(b);
}
