/*
 * input_file: follows files named by paths and globs (design.md §5).
 *
 * A followed file is a *tail*, keyed by (device, inode) and holding its
 * open fd, so a file is followed whatever its name becomes:
 *  - rotation by rename: the name now shows another inode; the old tail
 *    keeps its fd and is *drained*: read to its end until it has not grown
 *    for ROTATE_WAIT_MS and its alerts are acknowledged, then closed; the
 *    new file is a new tail read from its start. A rotated file whose new
 *    name the patterns still match (app.log*) is closed the same way once
 *    its old name shows another file, and remembered: a scan reopens it
 *    if it changes (a late append), so idle rotated files hold no fd;
 *  - copytruncate: the size falls below the read offset, or the first
 *    bytes changed (truncated and written again in between): read again
 *    from 0;
 *  - delete and re-create, disappear and return: as rename; a file deleted
 *    while followed cannot be read again after a restart, so when the
 *    daemon stops, what is left of it is read and acknowledged first
 *    (file_stop(), at most STOP_WAIT_MS), and it is not checkpointed;
 *  - inode reuse, or a file emptied and refilled while stopped: a
 *    checkpoint entry is applied only when the file still starts with the
 *    fingerprinted bytes and holds the fingerprinted bytes just before the
 *    checkpointed offset (files with a common header differ there);
 *  - compressed (gzip, xz, zstd by magic bytes): immutable, decompressed
 *    and read whole once, then closed and remembered by identity
 *    (decomp_files.h); at most MAX_COMPRESSED_OPEN are open at a time.
 *
 * Wake-ups: one inotify watch per directory of the patterns (uv_fs_event;
 * a change event only reads, a create/delete/rename event also rescans the
 * globs, even while paused by backpressure: see fw__file_scan_while_paused()),
 * plus a rescan every RESCAN_MS as the safety net for what inotify
 * misses (directories that appear later, globs in directory names), plus
 * a rename watch (movewatch.h) that finds a file renamed away from a
 * followed name before any scan saw it. The
 * work itself runs from an idle handle, once per loop iteration, in
 * budgets so that one busy file cannot starve the loop; an idle daemon has
 * no active idle handle and sleeps in epoll.
 *
 * Reading: pread() of READ_BLOCK bytes at the tail's offset. Regular files
 * never block for long, so a thread pool (uv_fs_read) would only add a
 * context switch per block; the line splitter then cuts the block in place.
 *
 * This file holds the input's operations, the work loop, its timers and the
 * stop; input_file_int.h says where the rest lives.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input_file_int.h"
#include "util/log.h"
#include "core/pipeline.h"

static void on_partial(uv_timer_t *h);

static void
arm_partial_timer(struct file_input *fi)
{
	if (fi->in->env.oneshot || fi->partial_ms == 0 || fi->closing)
		return;
	uint64_t soonest = UINT64_MAX;
	for (struct tail *t = fi->tails; t; t = t->next)
		if (t->partial_since_ms && t->partial_since_ms + fi->partial_ms < soonest)
			soonest = t->partial_since_ms + fi->partial_ms;
	if (soonest == UINT64_MAX)
		uv_timer_stop(&fi->partial);
	else
		/* Never 0: libuv runs a timer re-armed at 0 again in the same pass,
		 * which would spin without returning to the poll. */
		uv_timer_start(&fi->partial, on_partial,
			       soonest > now_ms(fi) ? soonest - now_ms(fi) : 1, 0);
}

static void stop_work(struct file_input *fi);

/* One round of work: scan if asked, read every tail within the budget. */
static void
work(struct file_input *fi)
{
	struct fw_input *in = fi->in;
	if (in->paused || fi->closing)
		return;
	if (fi->stop_done) {
		stop_work(fi);
		return;
	}
	if (fi->need_scan) {
		fi->need_scan = false;
		fw__file_scan(fi);
	}
	bool more = false;
	size_t budget = READ_BUDGET;
	struct tail **link = &fi->tails;
	while (*link) {
		struct tail *t = *link;
		size_t got = budget > 0 && t->fd >= 0 ? fw__file_tail_read(t, budget) : 0;
		budget -= got < budget ? got : budget;
		if (t->dec && t->eof && !t->finished)
			fw__file_compressed_at_eof(t);
		if (t->finished && t->fd >= 0) {
			fw__file_compressed_release(t);
			if (fi->compressed_waiting) {
				fi->need_scan = true;
				more = true;   /* scan again for the files that wait */
			}
		}
		if (!t->eof)
			more = true;
		if (in->paused)
			break;
		bool rotated = fw__file_rotated_idle(t);
		if (t->finished || rotated ||
		    (t->draining && t->eof &&
		     (in->env.oneshot || now_ms(fi) - t->last_growth_ms >= ROTATE_WAIT_MS))) {
			if (!rotated)   /* (a rotated file has none: it may still grow) */
				fw__file_flush_partial(t);
			if (fw_marks_advance(&t->marks, fw_pipeline_safe_seq(in->env.pipeline))) {
				if (t->finished)
					fw__file_remember_compressed(t, t->ls.line_no, false);
				else
					fw__file_left_remember(t);
				*link = t->next;
				fw__file_tail_free(t);
				continue;
			}
		}
		link = &t->next;
	}
	if (in->env.oneshot && !more && !in->paused) {
		for (struct tail *t = fi->tails; t; t = t->next)
			fw__file_flush_partial(t);
		if (fi->working) {
			uv_idle_stop(&fi->work);
			fi->working = false;
		}
		fw_input_finished(in);
		return;
	}
	if (!more && fi->working) {
		uv_idle_stop(&fi->work);
		fi->working = false;
	}
	arm_partial_timer(fi);
}

static void
on_work(uv_idle_t *h)
{
	work(h->data);
}

void
fw__file_schedule(struct file_input *fi)
{
	if (fi->working || fi->closing || fi->in->paused)
		return;
	fi->working = true;
	uv_idle_start(&fi->work, on_work);
}

static void
on_partial(uv_timer_t *h)
{
	struct file_input *fi = h->data;
	uint64_t now = now_ms(fi);
	if (fi->in->paused)
		return;
	for (struct tail *t = fi->tails; t; t = t->next) {
		if (!t->partial_since_ms || now - t->partial_since_ms < fi->partial_ms)
			continue;
		/* More bytes in the file (this tail got no budget yet): the line
		 * is not partial, the next read goes on with it. */
		struct stat sb;
		if (t->fd >= 0 && !t->dec && fstat(t->fd, &sb) == 0 &&
		    (uint64_t)sb.st_size > t->read_off) {
			t->partial_since_ms = 0;
			t->eof = false;
			fw__file_schedule(fi);
			continue;
		}
		fw__file_flush_partial(t);
	}
	arm_partial_timer(fi);
}

/* -- daemon stop: deleted files first ---------------------------------------- */

/*
 * A deleted file given up at the stop: which lines each output had not
 * confirmed as taken (the alerts it was still writing may yet reach it;
 * those waiting for room in its queue are dropped with the daemon).
 */
static void
log_lost_per_output(const struct tail *t)
{
	struct fw_pipeline *p = t->fi->in->env.pipeline;
	size_t n;
	struct fw_output *const *outs = fw_pipeline_outputs(p, &n);

	for (size_t i = 0; i < n; i++) {
		uint64_t from = fw_marks_upto(&t->marks, fw_pipeline_output_safe_seq(p, i))->line_no;
		if (from >= t->ls.line_no)
			continue;
		log_warn("[input.%s] %s: output %s had not taken lines %llu-%llu (%llu lines)",
			 t->fi->in->cfg->name, t->path, outs[i]->cfg->name,
			 (unsigned long long)from + 1, (unsigned long long)t->ls.line_no,
			 (unsigned long long)(t->ls.line_no - from));
	}
}

static void
stop_finish(struct file_input *fi, bool timed_out)
{
	struct fw_input *in = fi->in;
	void (*done)(struct fw_input *in) = fi->stop_done;

	uv_timer_stop(&fi->stop_timer);
	if (fi->working) {
		uv_idle_stop(&fi->work);
		fi->working = false;
	}
	for (struct tail *t = fi->tails; timed_out && t; t = t->next) {
		if (!t->gone)
			continue;
		in->stats.errors++;
		log_warn("[input.%s] %s: deleted, and not read and acknowledged within %u s of the "
			 "stop: its lines after offset %llu (line %llu) are lost", in->cfg->name,
			 t->path, STOP_WAIT_MS / 1000, (unsigned long long)t->marks.committed.offset,
			 (unsigned long long)t->marks.committed.line_no);
		log_lost_per_output(t);
	}
	fi->stop_done = NULL;
	done(in);
}

/*
 * One step of the stop: reads the deleted files on (within the budget,
 * honouring backpressure), flushes their last partial line (nothing can
 * complete it now) and ends once each was read to its end and its alerts
 * acknowledged. The idle handle runs while there is something to read;
 * waiting for acknowledgements, only the poll timer does.
 */
static void
stop_work(struct file_input *fi)
{
	struct fw_input *in = fi->in;
	size_t budget = READ_BUDGET;
	bool reading = false, waiting = false;

	for (struct tail *t = fi->tails; t; t = t->next) {
		if (!t->gone)
			continue;
		if (!t->eof && !in->paused && budget > 0 && t->fd >= 0) {
			size_t got = fw__file_tail_read(t, budget);
			budget -= got < budget ? got : budget;
			if (t->dec && t->eof && !t->finished)
				fw__file_compressed_at_eof(t);
		}
		if (!t->eof) {
			reading = true;
			continue;
		}
		fw__file_flush_partial(t);
		if (!fw_marks_advance(&t->marks, fw_pipeline_safe_seq(in->env.pipeline)))
			waiting = true;
	}
	if (!reading && !waiting) {
		stop_finish(fi, false);
		return;
	}
	if (!reading && fi->working) {
		uv_idle_stop(&fi->work);
		fi->working = false;
	} else if (reading) {
		fw__file_schedule(fi);
	}
}

static void
on_stop_timer(uv_timer_t *h)
{
	struct file_input *fi = h->data;
	if (now_ms(fi) - fi->stop_started_ms >= STOP_WAIT_MS) {
		stop_finish(fi, true);
		return;
	}
	if (!fi->in->paused)
		stop_work(fi);
}

static void
file_stop(struct fw_input *in, void (*done)(struct fw_input *in))
{
	struct file_input *fi = in->priv;
	unsigned n = 0;

	if (fw_close_barrier_idle(&in->handles) || in->env.oneshot) {   /* not started */
		done(in);
		return;
	}
	for (struct tail *t = fi->tails; t; t = t->next) {
		t->gone = fw__file_tail_deleted(t);
		if (!t->gone)
			continue;
		t->eof = false;   /* read it once more: it may have grown */
		n++;
		log_info("[input.%s] %s: deleted while followed; reading it to its end before "
			 "stopping", in->cfg->name, t->path);
	}
	if (n == 0) {
		done(in);
		return;
	}
	uv_timer_stop(&fi->rescan);
	fi->stop_done = done;
	fi->stop_started_ms = now_ms(fi);
	uv_timer_start(&fi->stop_timer, on_stop_timer, STOP_POLL_MS, STOP_POLL_MS);
	if (!in->paused)
		stop_work(fi);
}

static int
file_start(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	uv_idle_init(in->env.loop, &fi->work);
	fw_close_barrier_add(&in->handles);
	uv_timer_init(in->env.loop, &fi->rescan);
	fw_close_barrier_add(&in->handles);
	uv_timer_init(in->env.loop, &fi->partial);
	fw_close_barrier_add(&in->handles);
	uv_timer_init(in->env.loop, &fi->stop_timer);
	fw_close_barrier_add(&in->handles);
	fi->work.data = fi->rescan.data = fi->partial.data = fi->stop_timer.data = fi;
	if (!in->env.oneshot) {
		fw__file_watch_dirs(fi);
		uv_timer_start(&fi->rescan, fw__file_on_rescan, RESCAN_MS, RESCAN_MS);
		fw__file_moves_start(fi);
	}
	fi->need_scan = true;
	/* The first scan at once, paused or not: start_at applies to files present now. */
	fw__file_scan_while_paused(fi);
	work(fi);
	if (!in->finished)
		fw__file_schedule(fi);
	return 0;
}

static void
file_pause(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	if (fi->working) {
		uv_idle_stop(&fi->work);
		fi->working = false;
	}
}

static void
file_resume(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	fw__file_schedule(fi);
}

static int
file_save(struct fw_input *in, uint64_t safe_seq, struct fw_checkpoint *ck)
{
	struct file_input *fi = in->priv;
	/*
	 * Paused since it started, the input has not looked for its files yet:
	 * the positions it was started with are all still to be applied, and a
	 * checkpoint without them would make a restart apply start_at instead.
	 */
	for (size_t i = 0; !fi->first_scan_done && i < fi->ck.n_files; i++) {
		const struct fw_checkpoint_file *e = &fi->ck.files[i];
		int err = fw__file_find_tail(fi, e->dev, e->ino) ? 0 : fw_checkpoint_add_file(ck, e);
		if (err < 0)
			return err;
	}
	for (struct tail *t = fi->tails; t; t = t->next) {
		fw_marks_advance(&t->marks, safe_seq);
		/* No restart can find it: an entry could only match a reused inode. */
		if (fw__file_tail_deleted(t))
			continue;
		if (t->fd >= 0 && t->fp.len < FW_FINGERPRINT_MAX)
			fw_fingerprint_fd(t->fd, &t->fp);
		struct fw_checkpoint_file e;
		struct fw_checkpoint_ack acks[MAX_SKIP_OUTPUTS];
		fw__file_tail_entry(t, &e);
		if (t->dec || t->finished) {
			/* Compressed: offset = size once read and acknowledged whole;
			 * before that 0, and line_no lines are skipped on restart. */
			bool done = t->finished && t->marks.n == 0;
			e.offset = done ? t->size : 0;
			e.line_no = done ? t->ls.line_no : t->marks.committed.line_no;
		} else if (e.offset == t->marks.committed.offset) {
			/* (Not for a file emptied under us: its positions are gone too.) */
			e.n_acks = fw__file_tail_acks(t, acks);
			e.acks = acks;
		}
		int err = fw_checkpoint_add_file(ck, &e);
		if (err < 0)
			return err;
	}
	int err = fw__file_left_save(fi, ck);
	return err < 0 ? err : fw_decomp_files_save(&fi->compressed, ck);
}

/*
 * SIGHUP, section changed: every tail, position and pending mark stays.
 * max_line_bytes applies at each file's next line boundary, partial_flush
 * at once; new paths or excludes are scanned now (a file no longer matched
 * is read to its end and closed, as a file renamed away); start_at only
 * ever applies at start-up.
 */
static void
file_reconfigure(struct fw_input *in, const struct fw_input_config *cfg)
{
	struct file_input *fi = in->priv;
	in->cfg = cfg;
	fi->max_line = cfg->max_line_bytes ? cfg->max_line_bytes : FW_MAX_LINE_DEFAULT;
	fi->partial_ms = cfg->partial_flush_ms;
	if (fi->closing || fw_close_barrier_idle(&in->handles))   /* closed or not started */
		return;
	if (fi->partial_ms == 0)
		uv_timer_stop(&fi->partial);
	else
		arm_partial_timer(fi);
	if (!in->env.oneshot) {   /* the paths may have moved: watch them anew */
		for (size_t i = 0; i < fi->n_watches; i++)
			fw_close_barrier_close_free(&in->handles, (uv_handle_t *)fi->watches[i]);
		free(fi->watches);
		fi->watches = NULL;
		fi->n_watches = 0;
		fw_movewatch_clear_dirs(&fi->moves);
		fw__file_watch_dirs(fi);
	}
	fi->need_scan = true;
	fw__file_schedule(fi);
}

static void
file_streams(struct fw_input *in, void (*cb)(const struct fw_input_stream_status *st, void *ctx),
	     void *ctx)
{
	struct file_input *fi = in->priv;
	for (struct tail *t = fi->tails; t; t = t->next) {
		/* t->size is refreshed only when the tail reads, which it does not
		 * while paused: the lag is taken from the file's size now. */
		uint64_t size = t->size;
		struct stat sb;
		if (t->fd >= 0 && fstat(t->fd, &sb) == 0)
			size = (uint64_t)sb.st_size;
		struct fw_input_stream_status st = {
			.name = t->path, .offset = t->read_off, .size = size,
			.line_no = t->ls.line_no,
		};
		cb(&st, ctx);
	}
}

static void
file_close(struct fw_input *in, void (*done)(struct fw_input *in))
{
	struct file_input *fi = in->priv;
	fi->closing = true;
	if (!fw_close_barrier_idle(&in->handles)) {   /* started: the four are open */
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&fi->work);
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&fi->rescan);
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&fi->partial);
		fw_close_barrier_close(&in->handles, (uv_handle_t *)&fi->stop_timer);
		for (size_t i = 0; i < fi->n_watches; i++)
			fw_close_barrier_close_free(&in->handles, (uv_handle_t *)fi->watches[i]);
		(void)fw_movewatch_close(&fi->moves, &in->handles);
	}
	fw_input_wait_closed(in, done);
}

static void
file_destroy(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	if (fi) {
		while (fi->tails) {
			struct tail *t = fi->tails;
			fi->tails = t->next;
			fw__file_tail_free(t);
		}
		fw_checkpoint_free(&fi->ck);
		fw_decomp_files_free(&fi->compressed);
		fw_movewatch_free(&fi->moves);
		free(fi->links);
		fw__file_left_free(fi);
		if (fi->spare_fd >= 0)
			close(fi->spare_fd);
		free(fi->watches);
		free(fi->buf);
		free(fi);
	}
	fw_input_free_common(in);
}

static const struct fw_input_ops file_ops = {
	.type = "file",
	.start = file_start,
	.pause = file_pause,
	.resume = file_resume,
	.save = file_save,
	.streams = file_streams,
	.reconfigure = file_reconfigure,
	.stop = file_stop,
	.close = file_close,
	.destroy = file_destroy,
};

int
fw_input_file_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		  struct fw_input **out, struct fw_diag *diag)
{
	*out = NULL;
	if (cfg->paths.n == 0) {
		fw_diag_add(diag, "[input.%s] path: a file input needs at least one path",
			    cfg->name);
		return -EINVAL;
	}
	struct fw_input *in = fw_input_alloc(&file_ops, env, cfg);
	struct file_input *fi = calloc(1, sizeof(*fi));
	if (!in || !fi || !(fi->buf = malloc(READ_BLOCK)) ||
	    fw_checkpoint_init(&fi->ck, cfg->name) < 0)
		goto oom;
	fi->in = in;
	in->priv = fi;
	fi->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fi->max_line = cfg->max_line_bytes ? cfg->max_line_bytes : FW_MAX_LINE_DEFAULT;
	fi->partial_ms = cfg->partial_flush_ms;
	if (env->checkpoint) {
		for (size_t i = 0; i < env->checkpoint->n_files; i++)
			if (fw_checkpoint_add_file(&fi->ck, &env->checkpoint->files[i]) < 0)
				goto oom;
	}
	(void)fw__file_moves_init(fi);   /* without it, only rename-away-unseen is missed */
	*out = in;
	return 0;
oom:
	if (fi) {
		fw_checkpoint_free(&fi->ck);
		free(fi->buf);
		free(fi);
	}
	free(in);
	fw_diag_add(diag, "[input.%s]: out of memory", cfg->name);
	return -ENOMEM;
}
