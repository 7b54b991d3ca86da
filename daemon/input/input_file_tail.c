/*
 * input_file_tail: reading a followed file. Blocks are read with pread() at
 * the tail's offset within a budget and cut into lines in place; a change
 * of the file under the offset (copytruncate) starts it over from 0. Every
 * line that raised an alert, and every block read, leaves a mark (sequence
 * number, offset, line) that becomes the tail's committed position once the
 * pipeline acknowledged its alerts, so a checkpoint never goes past an
 * unacknowledged line, and stops right after the last acknowledged one.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input_file_int.h"
#include "util/log.h"
#include "core/pipeline.h"

/* -- marks: positions waiting for their alerts to be acknowledged -------- */

/*
 * The position after the lines handed over so far, with the last sequence
 * number assigned: it is safe once every alert up to seq is. Lines that
 * raised no alert extend the newest mark (same seq), so a tail holds one
 * mark per line with alerts still unacknowledged, and a checkpoint can stop
 * after any such line: where a stalled output stopped taking them.
 */
static void
add_mark(struct tail *t, uint64_t offset, uint64_t line_no)
{
	fw_marks_add(&t->marks, (struct fw_mark){
		.seq = fw_pipeline_seq(t->fi->in->env.pipeline),
		.offset = offset,
		.line_no = line_no,
	});
}

/* -- lines ---------------------------------------------------------------- */

static void
on_line(void *arg, const struct fw_line *line)
{
	struct tail *t = arg;
	struct fw_input *in = t->fi->in;
	if (line->line_no <= t->skip_lines)
		return;   /* compressed, resumed: acknowledged before the restart */
	struct fw_alert_source src = {
		.type = FW_SOURCE_FILE,
		.path = t->path,
		.has_fd = t->fd >= 0,   /* a W3C header is read through it, not by path */
		.fd = t->fd,
		.offset = line->offset,
		.line_no = line->line_no,
	};
	for (size_t i = 0; line->offset < t->skip_until && i < t->n_out_pos; i++)
		if (line->offset < t->out_pos[i])
			src.skip_outputs |= UINT64_C(1) << i;
	in->stats.lines++;
	in->stats.bytes += line->end - line->offset;
	if (line->truncated)
		in->stats.truncated++;
	/* A pause is honoured after this block (see input.h). */
	(void)fw_pipeline_line(in->env.pipeline, in, line, &src);
	add_mark(t, line->end, line->line_no);
}

static void
on_text(void *arg, const char *data, size_t len)
{
	struct tail *t = arg;
	fw_linesplit_feed(&t->ls, data, len, on_line, t);
}

void
fw__file_flush_partial(struct tail *t)
{
	t->partial_since_ms = 0;
	if (fw_linesplit_pending(&t->ls) == 0 && !t->ls.skipping)
		return;
	t->fi->in->stats.partial_flushed++;
	fw_linesplit_flush(&t->ls, on_line, t);
	add_mark(t, t->ls.line_start, t->ls.line_no);
}

/* -- reading ---------------------------------------------------------------- */

/* Corrupt or cut short: named with the lines kept; the file is not read again. */
static void
compressed_failed(struct tail *t)
{
	struct fw_input *in = t->fi->in;
	in->stats.errors++;
	log_warn("[input.%s] %s: %s; the %llu lines before it were read", in->cfg->name, t->path,
		 fw_decomp_error(t->dec), (unsigned long long)t->ls.line_no);
	t->finished = true;
	t->eof = true;
}

/* At the end of a compressed file: complete, still being written, or cut short. */
void
fw__file_compressed_at_eof(struct tail *t)
{
	struct file_input *fi = t->fi;
	if (fw_decomp_complete(t->dec)) {
		t->finished = true;
		return;
	}
	if (fi->in->env.oneshot || t->draining ||
	    now_ms(fi) - t->last_growth_ms >= COMPRESSED_QUIET_MS) {
		(void)fw_decomp_finish(t->dec);
		compressed_failed(t);
	}
}

/*
 * A compressed file read whole: its fd, decoder and line buffer go at once
 * (the slot is free for the next file); the tail stays, without them, until
 * its alerts are acknowledged.
 */
void
fw__file_compressed_release(struct tail *t)
{
	fw__file_flush_partial(t);
	fw_decomp_free(t->dec);
	t->dec = NULL;
	t->fi->n_compressed--;
	close(t->fd);
	t->fd = -1;
	fw_linesplit_free(&t->ls);   /* its counters stay valid */
	t->eof = true;
	log_info("[input.%s] %s: %llu lines read, closed", t->fi->in->cfg->name, t->path,
		 (unsigned long long)t->ls.line_no);
}

/*
 * max_line_bytes changed on reload: a tail takes the new limit at its next
 * line boundary (a partial line keeps the limit it was started with).
 */
static void
tail_take_max_line(struct tail *t)
{
	struct fw_linesplit ls;

	if (t->ls.max_line == t->fi->max_line || !t->ls.buf || t->ls.skipping ||
	    fw_linesplit_pending(&t->ls) > 0 ||
	    fw_linesplit_init(&ls, t->fi->max_line, t->ls.offset, t->ls.line_no) < 0)
		return;
	ls.skipped_bytes = t->ls.skipped_bytes;
	ls.truncated_lines = t->ls.truncated_lines;
	fw_linesplit_free(&t->ls);
	t->ls = ls;
}

/*
 * partial_flush waits for a writer that stopped mid-line, so its clock runs
 * only while the reader is idle at the end of the file with a line pending.
 * A line cut by the end of a budget or by a pause is not partial: the rest
 * is already in the file and the next read completes it. The clock starts
 * from the time now, not from the loop's cached time: a budget takes long
 * enough to process that the cached time would already look overdue.
 */
static void
note_partial(struct tail *t, bool extended)
{
	uv_loop_t *loop = t->fi->in->env.loop;

	if (!t->eof || fw_linesplit_pending(&t->ls) == 0) {
		t->partial_since_ms = 0;
		return;
	}
	if (extended || t->partial_since_ms == 0) {
		uv_update_time(loop);
		t->partial_since_ms = uv_now(loop);
	}
}

/* Reads up to budget bytes; returns bytes read, sets t->eof at the end. */
size_t
fw__file_tail_read(struct tail *t, size_t budget)
{
	struct file_input *fi = t->fi;
	struct fw_pipeline *p = fi->in->env.pipeline;
	struct timespec read_at;
	struct stat st;
	size_t total = 0;

	tail_take_max_line(t);

	if (fstat(t->fd, &st) == 0) {
		/* copytruncate: the file is shorter than what we read, or was
		 * truncated and written again before we looked (its first
		 * bytes changed). The content we read is gone; start over. */
		if ((uint64_t)st.st_size < t->read_off ||
		    (t->fp.len > 0 && t->read_off > 0 && !fw_fingerprint_matches(t->fd, &t->fp))) {
			log_info("[input.%s] %s: truncated to %lld bytes; reading from the start",
				 fi->in->cfg->name, t->path, (long long)st.st_size);
			fi->in->stats.rotations++;
			fi->in->stats.reread++;
			fw_linesplit_free(&t->ls);
			if (fw_linesplit_init(&t->ls, fi->max_line, 0, 0) < 0)
				return 0;
			t->read_off = 0;
			fw_marks_reset(&t->marks,
				       (struct fw_mark){fw_pipeline_seq(fi->in->env.pipeline), 0, 0});
			t->partial_since_ms = 0;
			t->skip_lines = 0;
			t->skip_until = 0;
			t->n_out_pos = 0;
			t->finished = false;
			fw_fingerprint_fd(t->fd, &t->fp);
			if (t->dec && fw_decomp_reset(t->dec) < 0)
				return 0;
		}
		t->size = (uint64_t)st.st_size;
	}
	t->eof = false;
	while (total < budget) {
		ssize_t n = pread(t->fd, fi->buf, READ_BLOCK, (off_t)t->read_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fi->in->stats.errors++;
			log_warn("[input.%s] %s: read: %s", fi->in->cfg->name, t->path,
				 strerror(errno));
			t->eof = true;
			break;
		}
		if (n == 0) {
			t->eof = true;
			break;
		}
		/* One clock read per block: its lines' alerts were read then. */
		clock_gettime(CLOCK_REALTIME, &read_at);
		fw_pipeline_read_time(p, &read_at);
		if (t->dec) {
			if (fw_decomp_feed(t->dec, fi->buf, (size_t)n, on_text, t) < 0) {
				compressed_failed(t);
				break;
			}
		} else {
			fw_linesplit_feed(&t->ls, fi->buf, (size_t)n, on_line, t);
		}
		t->read_off += (uint64_t)n;
		total += (size_t)n;
		add_mark(t, t->ls.line_start, t->ls.line_no);
		if (fw_pipeline_paused(p))
			break;
	}
	fw_pipeline_read_time(p, NULL);
	if (total > 0) {
		t->last_growth_ms = now_ms(fi);
		if (t->size < t->read_off)
			t->size = t->read_off;
		if (t->fp.len < FW_FINGERPRINT_MAX)
			fw_fingerprint_fd(t->fd, &t->fp);
	}
	note_partial(t, total > 0);
	return total;
}
