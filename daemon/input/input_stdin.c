/*
 * input_stdin: lines from standard input (pipelines, tests).
 *
 * A pipe, socket or terminal is read through a libuv stream; a regular
 * file (stdin redirected from a file) cannot be, and is read with read()
 * from an idle handle in blocks, like the file input. There is nothing to
 * checkpoint: a stream cannot be re-read. At end of input the partial last
 * line is flushed and the input reports it is finished.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/input.h"
#include "input/linesplit.h"
#include "util/log.h"
#include "core/pipeline.h"

#define STDIN_BLOCK (64u * 1024u)
#define STDIN_BLOCKS_PER_ROUND 32u

struct stdin_input {
	struct fw_input *in;
	union {
		uv_pipe_t pipe;
		uv_tty_t tty;
		uv_stream_t stream;
	} h;
	bool is_stream;
	uv_idle_t work;            /* regular files */
	uv_timer_t partial;
	struct fw_linesplit ls;
	char *buf;
	bool reading;
	bool eof;
	bool source_open;          /* h or work initialized (partial always is, first) */
};

static void
on_line(void *arg, const struct fw_line *line)
{
	struct stdin_input *si = arg;
	struct fw_input *in = si->in;
	struct fw_alert_source src = {
		.type = FW_SOURCE_STDIN, .path = "-", .offset = line->offset,
		.line_no = line->line_no,
	};
	in->stats.lines++;
	in->stats.bytes += line->end - line->offset;
	if (line->truncated)
		in->stats.truncated++;
	(void)fw_pipeline_line(in->env.pipeline, in, line, &src);
}

/* A block read: its lines, with one clock read for all of them. */
static void
feed(struct stdin_input *si, const char *data, size_t n)
{
	struct fw_pipeline *p = si->in->env.pipeline;
	struct timespec read_at;

	clock_gettime(CLOCK_REALTIME, &read_at);
	fw_pipeline_read_time(p, &read_at);
	fw_linesplit_feed(&si->ls, data, n, on_line, si);
	fw_pipeline_read_time(p, NULL);
}

static void
at_eof(struct stdin_input *si)
{
	si->eof = true;
	if (fw_linesplit_pending(&si->ls) || si->ls.skipping) {
		si->in->stats.partial_flushed++;
		fw_linesplit_flush(&si->ls, on_line, si);
	}
	uv_timer_stop(&si->partial);
	fw_input_finished(si->in);
}

static void
on_partial(uv_timer_t *h)
{
	struct stdin_input *si = h->data;
	if (fw_linesplit_pending(&si->ls)) {
		si->in->stats.partial_flushed++;
		fw_linesplit_flush(&si->ls, on_line, si);
	}
}

static void
arm_partial(struct stdin_input *si)
{
	uint64_t ms = si->in->cfg->partial_flush_ms;
	if (fw_linesplit_pending(&si->ls) && ms && !si->in->env.oneshot)
		uv_timer_start(&si->partial, on_partial, ms, 0);
	else
		uv_timer_stop(&si->partial);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct stdin_input *si = h->data;
	*buf = uv_buf_init(si->buf, STDIN_BLOCK);
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct stdin_input *si = s->data;
	if (n > 0) {
		feed(si, buf->base, (size_t)n);
		arm_partial(si);
		return;
	}
	if (n == UV_EOF || n < 0) {
		if (n != UV_EOF) {
			si->in->stats.errors++;
			log_warn("[input.%s] stdin: read: %s", si->in->cfg->name, uv_strerror((int)n));
		}
		uv_read_stop(s);
		si->reading = false;
		at_eof(si);
	}
}

static void
on_work(uv_idle_t *h)
{
	struct stdin_input *si = h->data;
	for (unsigned i = 0; i < STDIN_BLOCKS_PER_ROUND && !si->in->paused; i++) {
		ssize_t n = read(STDIN_FILENO, si->buf, STDIN_BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n < 0) {
				si->in->stats.errors++;
				log_warn("[input.%s] stdin: read: %s", si->in->cfg->name,
					 strerror(errno));
			}
			uv_idle_stop(&si->work);
			si->reading = false;
			at_eof(si);
			return;
		}
		feed(si, si->buf, (size_t)n);
	}
}

static void
start_reading(struct stdin_input *si)
{
	if (si->reading || si->eof)
		return;
	if (si->is_stream) {
		if (uv_read_start(&si->h.stream, on_alloc, on_read) == 0)
			si->reading = true;
	} else {
		uv_idle_start(&si->work, on_work);
		si->reading = true;
	}
}

static void
stop_reading(struct stdin_input *si)
{
	if (!si->reading)
		return;
	if (si->is_stream)
		uv_read_stop(&si->h.stream);
	else
		uv_idle_stop(&si->work);
	si->reading = false;
}

static int
stdin_start(struct fw_input *in)
{
	struct stdin_input *si = in->priv;
	uv_loop_t *loop = in->env.loop;
	uv_handle_type type = uv_guess_handle(STDIN_FILENO);
	int err = 0;

	uv_timer_init(loop, &si->partial);
	fw_close_barrier_add(&in->handles);
	si->partial.data = si;
	if (type == UV_TTY) {
		si->is_stream = true;
		err = uv_tty_init(loop, &si->h.tty, STDIN_FILENO, 1);
		si->source_open = err == 0;
	} else if (type == UV_NAMED_PIPE || type == UV_TCP || type == UV_UDP) {
		si->is_stream = true;
		err = uv_pipe_init(loop, &si->h.pipe, 0);
		si->source_open = err == 0;
		if (err == 0)
			err = uv_pipe_open(&si->h.pipe, STDIN_FILENO);   /* closed by close() */
	} else {
		err = uv_idle_init(loop, &si->work);
		si->source_open = err == 0;
	}
	if (si->source_open)
		fw_close_barrier_add(&in->handles);
	if (err < 0) {
		log_err("[input.%s] stdin: %s", in->cfg->name, uv_strerror(err));
		return err;
	}
	si->h.stream.data = si;
	si->work.data = si;
	if (!in->paused)
		start_reading(si);
	return 0;
}

static void
stdin_pause(struct fw_input *in)
{
	stop_reading(in->priv);
}

static void
stdin_resume(struct fw_input *in)
{
	start_reading(in->priv);
}

static int
stdin_save(struct fw_input *in, uint64_t safe_seq, struct fw_checkpoint *ck)
{
	return 0;   /* a stream cannot be read again: nothing to resume */
}

static void
stdin_streams(struct fw_input *in, void (*cb)(const struct fw_input_stream_status *st, void *ctx),
	      void *ctx)
{
	struct stdin_input *si = in->priv;
	struct fw_input_stream_status st = {
		.name = "-", .offset = si->ls.offset, .line_no = si->ls.line_no,
	};
	cb(&st, ctx);
}

static void
stdin_close(struct fw_input *in, void (*done)(struct fw_input *in))
{
	struct stdin_input *si = in->priv;

	stop_reading(si);
	if (!fw_close_barrier_idle(&in->handles))   /* started: partial is open */
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&si->partial);
	if (si->source_open)
		fw_close_barrier_close(&in->handles, si->is_stream ? (uv_handle_t *)&si->h.stream
								   : (uv_handle_t *)&si->work);
	si->source_open = false;
	fw_input_wait_closed(in, done);
}

static void
stdin_destroy(struct fw_input *in)
{
	struct stdin_input *si = in->priv;
	if (si) {
		fw_linesplit_free(&si->ls);
		free(si->buf);
		free(si);
	}
	fw_input_free_common(in);
}

static const struct fw_input_ops stdin_ops = {
	.type = "stdin",
	.start = stdin_start,
	.pause = stdin_pause,
	.resume = stdin_resume,
	.save = stdin_save,
	.streams = stdin_streams,
	.close = stdin_close,
	.destroy = stdin_destroy,
};

int
fw_input_stdin_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		   struct fw_input **out, struct fw_diag *diag)
{
	*out = NULL;
	struct fw_input *in = fw_input_alloc(&stdin_ops, env, cfg);
	struct stdin_input *si = calloc(1, sizeof(*si));
	size_t max = cfg->max_line_bytes ? cfg->max_line_bytes : FW_MAX_LINE_DEFAULT;
	if (!in || !si || !(si->buf = malloc(STDIN_BLOCK)) ||
	    fw_linesplit_init(&si->ls, max, 0, 0) < 0) {
		if (si)
			free(si->buf);
		free(si);
		free(in);
		fw_diag_add(diag, "[input.%s]: out of memory", cfg->name);
		return -ENOMEM;
	}
	si->in = in;
	in->priv = si;
	*out = in;
	return 0;
}
