/*
 * input_file_ident: opening a file as a tail and deciding where it starts.
 * A checkpoint entry (device, inode, fingerprints of the first bytes and of
 * the bytes before its offset) is applied only to the file it was written
 * for; another file on a reused inode, or one emptied and refilled while
 * stopped, is read from its start; a file present at start-up without an entry follows start_at, one
 * that appears later is read whole. Compressed files are read whole once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/pipeline.h"
#include "input/input_file_int.h"
#include "util/log.h"

/* -- opening and positioning ---------------------------------------------- */

/* Counts the lines before the last newline of the first size bytes. */
static int
find_end(struct tail *t, uint64_t size, uint64_t *offset, uint64_t *lines)
{
	uint64_t at = 0, n = 0, last_nl_end = 0;
	while (at < size) {
		size_t want = size - at < READ_BLOCK ? (size_t)(size - at) : READ_BLOCK;
		ssize_t got = pread(t->fd, t->fi->buf, want, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			break;
		for (const char *p = t->fi->buf, *end = p + got;
		     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
			n++;
			last_nl_end = at + (uint64_t)(p - t->fi->buf) + 1;
		}
		at += (uint64_t)got;
	}
	*offset = last_nl_end;
	*lines = n;
	return 0;
}

void
fw__file_tail_free(struct tail *t)
{
	if (t->dec)
		t->fi->n_compressed--;
	fw_decomp_free(t->dec);
	if (t->fd >= 0)
		close(t->fd);
	fw_linesplit_free(&t->ls);
	free(t->out_pos);
	fw_marks_free(&t->marks);
	free(t->prev_path);
	free(t->path);
	free(t);
}

/*
 * Restart: outputs that had acknowledged more of the file than the slowest
 * one (e's acks) are not sent again the alerts of the lines they have.
 * Without memory for it they are: more duplicates, nothing lost.
 */
static void
tail_apply_acks(struct tail *t, const struct fw_checkpoint_file *e)
{
	struct file_input *fi = t->fi;
	size_t n;
	struct fw_output *const *outs = fw_pipeline_outputs(fi->in->env.pipeline, &n);

	if (e->n_acks == 0 || n == 0)
		return;
	if (n > MAX_SKIP_OUTPUTS)
		n = MAX_SKIP_OUTPUTS;
	t->out_pos = calloc(n, sizeof *t->out_pos);
	if (!t->out_pos)
		return;
	t->n_out_pos = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t pos = fw_checkpoint_file_ack(e, outs[i]->cfg->name);

		if (pos <= e->offset || pos > t->size)
			continue;
		t->out_pos[i] = pos;
		if (pos > t->skip_until)
			t->skip_until = pos;
		log_info("[input.%s] %s: output %s had its alerts up to offset %llu; "
			 "they are not sent to it again", fi->in->cfg->name, t->path,
			 outs[i]->cfg->name, (unsigned long long)pos);
	}
}

size_t
fw__file_tail_acks(const struct tail *t, struct fw_checkpoint_ack *acks)
{
	struct fw_pipeline *p = t->fi->in->env.pipeline;
	size_t n, k = 0;
	struct fw_output *const *outs = fw_pipeline_outputs(p, &n);

	for (size_t i = 0; i < n && i < MAX_SKIP_OUTPUTS; i++) {
		uint64_t safe = fw_pipeline_output_safe_seq(p, i);
		uint64_t pos = fw_marks_upto(&t->marks, safe)->offset;

		/* What it had before the restart and was not sent again. */
		if (i < t->n_out_pos && t->out_pos[i] > pos)
			pos = t->out_pos[i];
		if (pos > t->marks.committed.offset)
			acks[k++] = (struct fw_checkpoint_ack){ (char *)outs[i]->cfg->name, pos };
	}
	return k;
}

/* Whether t's file has no name left: a restart could not find it again. */
bool
fw__file_tail_deleted(const struct tail *t)
{
	struct stat st;
	return t->fd >= 0 && fstat(t->fd, &st) == 0 && st.st_nlink == 0;
}

static enum fw_decomp_kind
detect_kind(int fd)
{
	unsigned char head[FW_DECOMP_MAGIC_MAX];
	ssize_t n = pread(fd, head, sizeof head, 0);
	return n > 0 ? fw_decomp_detect(head, (size_t)n) : FW_DECOMP_NONE;
}

/* Remembers a compressed file as read (done) or as waiting for a free slot. */
void
fw__file_remember_compressed(struct tail *t, uint64_t lines, bool waiting)
{
	struct fw_decomp_file f = {
		.dev = t->dev, .ino = t->ino, .size = t->size, .lines = lines, .fp = t->fp,
		.last_seen_ms = now_ms(t->fi), .waiting = waiting, .path = t->path,
	};
	if (fw_decomp_files_put(&t->fi->compressed, &f) < 0)
		t->fi->in->stats.errors++;
}

/*
 * A compressed file: 0 to read it (from its start, skipping the lines its
 * checkpoint says were acknowledged), -1 when it is not read now: read
 * before, present at start-up with start_at = end, or no slot free.
 */
static int
compressed_open(struct tail *t, enum fw_decomp_kind kind, const struct fw_checkpoint_file *e,
		bool from_start)
{
	struct file_input *fi = t->fi;
	bool known = e && fw_fingerprint_matches(t->fd, &e->fp);
	if (known && e->offset > 0 && e->offset == t->size) {
		fw__file_remember_compressed(t, e->line_no, false);
		return -1;
	}
	if (!e && !from_start && fi->in->cfg->start_at == FW_START_END) {
		fw__file_remember_compressed(t, 0, false);
		fi->not_read_at_start++;
		fi->in->stats.skipped[FW_SKIP_COMPRESSED_AT_START]++;
		return -1;
	}
	if (fi->n_compressed >= MAX_COMPRESSED_OPEN) {
		fw__file_remember_compressed(t, 0, true);
		fi->compressed_waiting = true;
		return -1;
	}
	if (fw_decomp_new(kind, &t->dec) < 0)
		return -1;
	fi->n_compressed++;
	t->skip_lines = known ? e->line_no : 0;
	/* An entry for an earlier content of this inode must not be saved too. */
	struct fw_decomp_file *c = fw_decomp_files_find(&fi->compressed, t->dev, t->ino);
	if (c)
		c->waiting = true;
	log_info("[input.%s] %s: %s-compressed, reading it whole%s", fi->in->cfg->name, t->path,
		 fw_decomp_kind_name(kind), t->skip_lines ? " (lines acknowledged before skipped)" : "");
	return 0;
}

void
fw__file_tail_entry(struct tail *t, struct fw_checkpoint_file *e)
{
	*e = (struct fw_checkpoint_file){
		.dev = t->dev, .ino = t->ino, .fp = t->fp,
		.offset = t->marks.committed.offset, .line_no = t->marks.committed.line_no,
		.path = t->path, .rotated_from = t->prev_path,
	};
	/* Tells this file from another one with the same first bytes.
	 * Shorter than the position now: emptied under us, what we read is
	 * gone, so the entry says to read it from the start (as the next
	 * fw__file_tail_read() would). */
	if (t->fd >= 0 && !t->dec && !t->finished &&
	    fw_fingerprint_window_fd(t->fd, e->offset, &e->window) == -ENODATA)
		e->offset = e->line_no = 0;
}

/*
 * Why checkpoint entry e (same device and inode) is not t's file, or NULL
 * if it is: the same first bytes, at least offset bytes, and the same bytes
 * just before offset. The first bytes alone cannot tell files with a common
 * header apart (every CloudFront log starts with the same 256 bytes); the
 * window before offset differs as soon as the lines there do.
 */
static const char *
entry_mismatch(const struct tail *t, const struct fw_checkpoint_file *e)
{
	if (!fw_fingerprint_matches(t->fd, &e->fp))
		return "its first bytes differ";
	if (e->offset > t->size)
		return "it is shorter than the checkpointed offset";
	if (!fw_fingerprint_window_matches(t->fd, e->offset, &e->window))
		return "the bytes before the checkpointed offset differ";
	return NULL;
}

/*
 * Opens path as a new tail and decides where to start: its checkpoint if
 * the file is the one checkpointed (inode and fingerprint), else the
 * beginning for files that appeared while running, else start_at.
 */
struct tail *
fw__file_tail_open(struct file_input *fi, const char *path, const struct stat *st, bool from_start)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	struct tail *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->fi = fi;
	fw_marks_init(&t->marks, MARKS_FIRST, MAX_MARKS);
	t->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
		     (cfg->follow_symlinks ? 0 : O_NOFOLLOW));
	t->path = strdup(path);
	struct stat fst;
	if (t->fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		fw__file_fd_limit(fi, path, errno);
		goto fail;
	}
	if (t->fd < 0 || !t->path || fstat(t->fd, &fst) < 0) {
		if (t->fd < 0 && errno != ENOENT)
			log_warn("[input.%s] %s: cannot open: %s", cfg->name, path, strerror(errno));
		fi->in->stats.errors += t->fd < 0 && errno != ENOENT;
		goto fail;
	}
	if (fst.st_dev != st->st_dev || fst.st_ino != st->st_ino)
		goto fail;  /* replaced between stat and open: the next scan sees it */
	t->dev = fst.st_dev;
	t->ino = fst.st_ino;
	t->size = (uint64_t)fst.st_size;
	fw_fingerprint_fd(t->fd, &t->fp);

	uint64_t offset = 0, line_no = 0;
	const char *why = NULL;
	/* What the daemon remembers of a file it closed since it started is
	 * newer than the checkpoint it started from. */
	const struct left_file *l = fw__file_left_find(fi, t->dev, t->ino);
	const struct fw_checkpoint_file *e = l ? &l->e : fw_checkpoint_find(&fi->ck, t->dev, t->ino);
	bool back = l != NULL;
	enum fw_decomp_kind kind = detect_kind(t->fd);
	if (kind != FW_DECOMP_NONE) {
		if (compressed_open(t, kind, e, from_start) < 0)
			goto fail;
	} else if (e && !(why = entry_mismatch(t, e))) {
		offset = e->offset;
		line_no = e->line_no;
		log_info("[input.%s] %s: %sresuming at offset %llu (line %llu)", cfg->name, path,
			 !back ? "" : l->rotated ? "rotated, closed and changed since; " :
			 "came back to the patterns; ",
			 (unsigned long long)offset, (unsigned long long)line_no);
		tail_apply_acks(t, e);
		/* Renamed while stopped or while closed (it was last seen under
		 * another name), or rotated before: a rotated file, closed once
		 * read and idle (fw__file_rotated_idle()), after a restart too. */
		const char *before = e->path && *e->path && strcmp(e->path, path) != 0 ?
				     e->path : e->rotated_from;
		if (before && strcmp(before, path) != 0)
			t->prev_path = strdup(before);
	} else {
		if (e) {
			fi->in->stats.reread++;
			fi->in->stats.identity_mismatch++;
			log_info("[input.%s] %s: the %s inode holds another file now (%s); "
				 "reading it from the start, not from offset %llu (line %llu)",
				 cfg->name, path, back ? "remembered" : "checkpointed", why, (unsigned long long)e->offset,
				 (unsigned long long)e->line_no);
		}
		if (!from_start && !e && cfg->start_at == FW_START_END &&
		    find_end(t, t->size, &offset, &line_no) < 0)
			goto fail;
	}
	if (fw_linesplit_init(&t->ls, fi->max_line, offset, line_no) < 0)
		goto fail;
	t->read_off = offset;
	t->marks.committed = (struct fw_mark){0, offset, line_no};
	t->last_growth_ms = now_ms(fi);
	if (back)
		fw__file_left_forget(fi, t->dev, t->ino);   /* followed again */
	return t;
fail:
	if (t->dec)
		fi->n_compressed--;
	fw_decomp_free(t->dec);
	if (t->fd >= 0)
		close(t->fd);
	free(t->path);
	free(t);
	return NULL;
}
