/*
 * close_barrier: "every libuv handle of this module has closed", written
 * once. A module that owns uv handles counts each one it initialized
 * (fw_close_barrier_add), closes them through fw_close_barrier_close, and
 * says once what to do when the last is gone (fw_close_barrier_wait):
 * done(arg) then runs exactly once, from the last close callback, or at
 * once when no handle is open. Only after it may the module's memory be
 * freed (libuv still owns a closing handle until its callback).
 *
 * A handle closed through the barrier has its data field taken over by
 * the barrier: after uv_close() libuv calls nothing else of the handle's.
 *
 * A unit added may also stand for something that is not a handle of the
 * module, such as a child object with a barrier of its own (a control
 * connection): fw_close_barrier_release() says it is gone, as a close
 * callback would.
 */
#ifndef FW_CLOSE_BARRIER_H
#define FW_CLOSE_BARRIER_H

#include <stdbool.h>

#include <uv.h>

struct fw_close_barrier {
	unsigned open;              /* handles initialized and not closed yet */
	void (*done)(void *arg);    /* set by fw_close_barrier_wait */
	void *arg;
};

/* A handle the module initialized (uv_*_init succeeded): waited for. */
static inline void
fw_close_barrier_add(struct fw_close_barrier *b)
{
	b->open++;
}

/* Whether no handle is open: nothing to wait for. */
static inline bool
fw_close_barrier_idle(const struct fw_close_barrier *b)
{
	return b->open == 0;
}

/* Closes h, one of the handles added (once, as any uv_close). */
void fw_close_barrier_close(struct fw_close_barrier *b, uv_handle_t *h);
/* The same for a handle of its own allocation: free(h) once it has closed. */
void fw_close_barrier_close_free(struct fw_close_barrier *b, uv_handle_t *h);

/* One unit added without a handle of its own (see above) is gone. */
void fw_close_barrier_release(struct fw_close_barrier *b);

/*
 * done(arg) once every handle added has closed: at once when none is open,
 * else from the last close callback. Called once per barrier.
 */
void fw_close_barrier_wait(struct fw_close_barrier *b, void (*done)(void *arg), void *arg);

#endif
