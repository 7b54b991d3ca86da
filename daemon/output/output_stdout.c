/*
 * output_stdout: alerts as JSON Lines on standard output.
 *
 * Messages wait in a bounded ring (queue_max). Writing is batched: submit()
 * queues, and writes once a writev() of STDOUT_IOV_MAX messages is queued;
 * a prepare handle (run once per loop iteration, before the loop sleeps)
 * writes what is left with writev(). When stdout is a
 * pipe or socket that is full, writev() returns EAGAIN (the fd is made
 * non-blocking) and a uv_poll waits for it to become writable; a regular
 * file never blocks for long, so it is written directly. A message is
 * acknowledged once its last byte, the newline, was accepted by the kernel.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/close_barrier.h"
#include "util/log.h"
#include "output/outq.h"

#define STDOUT_DEFAULT_QUEUE 1024u
#define STDOUT_IOV_MAX 64u
/* How long close() keeps trying to write a full pipe at shutdown. */
#define STDOUT_CLOSE_WAIT_MS 5000u

struct stdout_out {
	int fd;
	struct fw_outq q;
	size_t head_written;        /* bytes of the head message already written */
	uv_prepare_t prepare;
	uv_poll_t poll;
	uv_timer_t close_timer;
	bool can_poll;              /* fd is a pipe, socket or tty */
	int saved_flags;            /* restored at close: the fd is shared with our parent */
	bool polling;
	bool closing;
	struct fw_close_barrier handles;    /* prepare, close_timer, poll if can_poll */
	void (*done)(struct fw_output *out);
	struct fw_output *out;
};

static void stdout_write(struct stdout_out *s);

static void
on_prepare(uv_prepare_t *h)
{
	struct stdout_out *s = h->data;
	if (s->q.count > 0 && !s->polling)
		stdout_write(s);
}

static void
on_writable(uv_poll_t *h, int status, int events)
{
	struct stdout_out *s = h->data;
	stdout_write(s);
}

static void
stdout_closed(void *arg)
{
	struct stdout_out *s = arg;

	s->done(s->out);
}

static void
finish_close(struct stdout_out *s)
{
	if (!s->closing)
		return;
	s->closing = false;
	s->out->state = FW_OUTPUT_CLOSED;
	if (s->can_poll && s->saved_flags >= 0)
		(void)fcntl(s->fd, F_SETFL, s->saved_flags);
	fw_close_barrier_close(&s->handles, (uv_handle_t *)&s->prepare);
	fw_close_barrier_close(&s->handles, (uv_handle_t *)&s->close_timer);
	if (s->can_poll)
		fw_close_barrier_close(&s->handles, (uv_handle_t *)&s->poll);
	fw_close_barrier_wait(&s->handles, stdout_closed, s);
}

/* Writes as much as the kernel takes; acknowledges whole messages. */
static void
stdout_write(struct stdout_out *s)
{
	struct fw_output *out = s->out;
	uint64_t last_done = 0;

	while (s->q.count > 0) {
		struct iovec iov[2 * STDOUT_IOV_MAX];
		size_t n_iov = 0;
		for (size_t i = 0; i < s->q.count && i < STDOUT_IOV_MAX; i++) {
			struct fw_alert_msg *m = fw_outq_at(&s->q, i)->msg;
			size_t skip = i == 0 ? s->head_written : 0;
			if (skip < m->json_len)
				iov[n_iov++] = (struct iovec){(char *)m->json + skip, m->json_len - skip};
			iov[n_iov++] = (struct iovec){(char *)"\n", 1};
		}
		ssize_t w = writev(s->fd, iov, (int)n_iov);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && s->can_poll) {
				if (!s->polling && uv_poll_start(&s->poll, UV_WRITABLE, on_writable) == 0)
					s->polling = true;
				break;
			}
			/* stdout is gone (EPIPE) or broken: nothing more can leave. */
			out->stats.errors++;
			out->stats.write_errors++;
			out->state = FW_OUTPUT_DOWN;
			log_err("output %s: write: %s", out->cfg->name, strerror(errno));
			break;
		}
		size_t left = (size_t)w;
		while (left > 0) {
			size_t rest = fw_outq_at(&s->q, 0)->msg->json_len + 1 - s->head_written;
			if (left < rest) {
				s->head_written += left;
				break;
			}
			left -= rest;
			last_done = fw_outq_pop(&s->q);
			s->head_written = 0;
			out->stats.sent++;
		}
	}
	out->queued = s->q.count;
	last_done = fw_outq_ack_point(&s->q, last_done);
	if (s->q.count == 0 && s->polling) {
		uv_poll_stop(&s->poll);
		s->polling = false;
	}
	if (last_done)
		fw_output_ack(out, last_done);
	if (s->closing && (s->q.count == 0 || out->state == FW_OUTPUT_DOWN))
		finish_close(s);
}

static int
stdout_open(struct fw_output *out)
{
	struct stdout_out *s = out->priv;
	struct stat st;
	if (fstat(s->fd, &st) < 0)
		return -errno;
	s->can_poll = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	if (s->can_poll) {
		int flags = fcntl(s->fd, F_GETFL);
		s->saved_flags = flags;
		if (flags >= 0)
			(void)fcntl(s->fd, F_SETFL, flags | O_NONBLOCK);
		int err = uv_poll_init(out->loop, &s->poll, s->fd);
		if (err < 0)
			s->can_poll = false;  /* e.g. /dev/null: write directly */
		else {
			s->poll.data = s;
			fw_close_barrier_add(&s->handles);
		}
	}
	uv_prepare_init(out->loop, &s->prepare);
	s->prepare.data = s;
	uv_prepare_start(&s->prepare, on_prepare);
	/* The prepare handle must not keep the loop alive on its own. */
	uv_unref((uv_handle_t *)&s->prepare);
	uv_timer_init(out->loop, &s->close_timer);
	s->close_timer.data = s;
	fw_close_barrier_add(&s->handles);
	fw_close_barrier_add(&s->handles);
	out->state = FW_OUTPUT_UP;
	return 0;
}

static int
stdout_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct stdout_out *s = out->priv;
	int err;

	if (out->state == FW_OUTPUT_DOWN) {
		/* Nothing can be written any more; count it and let the daemon go on. */
		out->stats.dropped++;
		fw_output_ack(out, msg->seq);
		return 0;
	}
	if (s->q.count == s->q.cap)
		stdout_write(s);   /* make room now if the kernel takes it */
	/* A partly written head stays: the rest of it must follow. */
	(void)fw_output_enqueue(out, &s->q, msg, s->head_written ? 1 : 0, &err);
	/*
	 * A full writev() is written at once rather than at the end of the
	 * loop iteration: the same number of calls, and a storm of alerts
	 * keeps a few dozen messages alive instead of the whole queue, whose
	 * memory the heap would give back to the kernel and fault in again
	 * after every batch.
	 */
	if (s->q.count >= STDOUT_IOV_MAX && !s->polling)
		stdout_write(s);
	return err;
}

static void
on_close_timeout(uv_timer_t *h)
{
	struct stdout_out *s = h->data;
	log_warn("output %s: reader did not take %zu alerts within %u ms at shutdown",
		 s->out->cfg->name, s->q.count, STDOUT_CLOSE_WAIT_MS);
	finish_close(s);
}

static void
stdout_close(struct fw_output *out, void (*done)(struct fw_output *out))
{
	struct stdout_out *s = out->priv;
	s->done = done;
	if (out->state == FW_OUTPUT_CLOSED && fw_close_barrier_idle(&s->handles)) {
		done(out);
		return;
	}
	s->closing = true;
	stdout_write(s);
	if (s->closing) {
		/* A reader that does not read: give up after a bound (destroy
		 * counts what is left as dropped). */
		uv_timer_start(&s->close_timer, on_close_timeout, STDOUT_CLOSE_WAIT_MS, 0);
	}
}

static void
stdout_destroy(struct fw_output *out)
{
	struct stdout_out *s = out->priv;
	if (!s)
		return;
	out->stats.dropped += s->q.count;
	fw_outq_fini(&s->q);
	free(s);
	out->priv = NULL;
	out->queue = NULL;
}

static const struct fw_output_ops stdout_ops = {
	.type = "stdout",
	.open = stdout_open,
	.submit = stdout_submit,
	.reopen = NULL,
	.close = stdout_close,
	.destroy = stdout_destroy,
};

int
fw_output_stdout_init(struct fw_output *out, struct fw_diag *diag)
{
	struct stdout_out *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (fw_outq_init(&s->q, out->cfg->queue_max ? out->cfg->queue_max : STDOUT_DEFAULT_QUEUE) < 0) {
		free(s);
		return -ENOMEM;
	}
	s->fd = STDOUT_FILENO;
	s->out = out;
	out->ops = &stdout_ops;
	out->priv = s;
	out->queue = &s->q;
	return 0;
}
