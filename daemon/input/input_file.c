/*
 * input_file: follows files named by paths and globs (design.md §5).
 *
 * A followed file is a *tail*, keyed by (device, inode) and holding its
 * open fd, so a file is followed whatever its name becomes:
 *  - rotation by rename: the name now shows another inode; the old tail
 *    keeps its fd and is *drained*: read to its end until it has not grown
 *    for ROTATE_WAIT_MS and its alerts are acknowledged, then closed; the
 *    new file is a new tail read from its start;
 *  - copytruncate: the size falls below the read offset, or the first
 *    bytes changed (truncated and written again in between): read again
 *    from 0;
 *  - delete and re-create, disappear and return: as rename; a file deleted
 *    while followed cannot be read again after a restart, so when the
 *    daemon stops, what is left of it is read and acknowledged first
 *    (file_stop(), at most STOP_WAIT_MS), and it is not checkpointed;
 *  - inode reuse: a checkpoint entry is applied only when the file still
 *    starts with the fingerprinted bytes;
 *  - compressed (gzip, xz, zstd by magic bytes): immutable, decompressed
 *    and read whole once, then closed and remembered by identity
 *    (decomp_files.h); at most MAX_COMPRESSED_OPEN are open at a time.
 *
 * Wake-ups: one inotify watch per directory of the patterns (uv_fs_event;
 * a change event only reads, a create/delete/rename event also rescans the
 * globs, even while paused by backpressure: see scan_while_paused()), plus a rescan every RESCAN_MS as the safety net for what inotify
 * misses (directories that appear later, globs in directory names). The
 * work itself runs from an idle handle, once per loop iteration, in
 * budgets so that one busy file cannot starve the loop; an idle daemon has
 * no active idle handle and sleeps in epoll.
 *
 * Reading: pread() of READ_BLOCK bytes at the tail's offset. Regular files
 * never block for long, so a thread pool (uv_fs_read) would only add a
 * context switch per block; the line splitter then cuts the block in place.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/decomp.h"
#include "input/decomp_files.h"
#include "input/input.h"
#include "input/linesplit.h"
#include "input/movewatch.h"
#include "util/log.h"
#include "core/pipeline.h"

#define READ_BLOCK (128u * 1024u)
#define READ_BUDGET (4u * 1024u * 1024u)   /* bytes per loop iteration per input */
#define RESCAN_MS 5000u
#define ROTATE_WAIT_MS 2000u
#define MAX_MARKS 32u
#define MAX_COMPRESSED_OPEN 4u
/* A compressed file that stops mid-stream is reported as truncated once it has
 * not grown for this long (an upload in progress grows on). */
#define COMPRESSED_QUIET_MS 60000u
/* Daemon stop: how long deleted files get to be read and acknowledged, and how often we look. */
#define STOP_WAIT_MS 5000u
#define STOP_POLL_MS 20u

struct mark {
	uint64_t seq;
	uint64_t offset;
	uint64_t line_no;
};

struct file_input;

struct tail {
	struct file_input *fi;
	struct tail *next;
	char *path;
	int fd;
	uint64_t dev, ino;
	struct fw_fingerprint fp;
	struct fw_linesplit ls;
	uint64_t read_off;          /* next byte to read */
	uint64_t size;              /* last fstat */
	bool seen;                  /* found by the current scan */
	bool draining;              /* its name shows another file now */
	bool eof;                   /* last read hit the end */
	uint64_t last_growth_ms;
	uint64_t partial_since_ms;  /* when a partial last line was last extended */
	struct mark marks[MAX_MARKS];
	unsigned n_marks;
	struct mark committed;      /* the last mark known safe */
	struct fw_decomp *dec;      /* compressed: its decoder; NULL for text */
	uint64_t skip_lines;        /* compressed, resumed: lines acknowledged before */
	bool finished;              /* compressed: read whole (or given up on) */
	bool gone;                  /* daemon stop: deleted, read to its end first */
};

struct file_input {
	struct fw_input *in;
	struct tail *tails;
	uv_fs_event_t **watches;    /* each allocated alone: freed by its close callback */
	size_t n_watches;
	uv_idle_t work;
	uv_timer_t rescan;
	uv_timer_t partial;
	uv_timer_t stop_timer;      /* daemon stop: polls the deleted files, bounded */
	uint64_t stop_started_ms;
	void (*stop_done)(struct fw_input *in);   /* set while stopping */
	bool working;
	bool need_scan;
	bool first_scan_done;
	bool closing;
	int open_handles;
	void (*close_done)(struct fw_input *in);
	struct fw_checkpoint ck;    /* restored state, applied as files are found */
	char *buf;
	size_t max_line;
	uint64_t partial_ms;
	struct fw_decomp_files compressed;  /* compressed files read, or waiting */
	unsigned n_compressed;              /* compressed tails open */
	bool compressed_waiting;            /* one waits for a free slot */
	uint64_t not_read_at_start;         /* compressed, present at start, start_at = end */
	struct fw_movewatch moves;          /* where files renamed away from our names went */
	uint64_t moves_lost_logged;         /* overflows + dropped already logged */
};

static void schedule(struct file_input *fi);
static void on_partial(uv_timer_t *h);

static uint64_t
now_ms(const struct file_input *fi)
{
	return uv_now(fi->in->env.loop);
}

/* -- marks: positions waiting for their alerts to be acknowledged -------- */

static void
add_mark(struct tail *t)
{
	struct mark m = {
		.seq = fw_pipeline_seq(t->fi->in->env.pipeline),
		.offset = t->ls.line_start,
		.line_no = t->ls.line_no,
	};
	if (t->n_marks > 0 && t->marks[t->n_marks - 1].offset == m.offset)
		t->marks[t->n_marks - 1] = m;
	else if (t->n_marks == MAX_MARKS)
		/* Full: the newest replaces the last; a later seq and offset
		 * keep it correct, only less fine-grained. */
		t->marks[MAX_MARKS - 1] = m;
	else
		t->marks[t->n_marks++] = m;
}

/* Moves committed to the latest mark at or below safe; true if all are safe. */
static bool
advance_committed(struct tail *t, uint64_t safe)
{
	unsigned i = 0;
	while (i < t->n_marks && t->marks[i].seq <= safe)
		t->committed = t->marks[i++];
	memmove(t->marks, t->marks + i, (t->n_marks - i) * sizeof(t->marks[0]));
	t->n_marks -= i;
	return t->n_marks == 0;
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
		.offset = line->offset,
		.line_no = line->line_no,
	};
	in->stats.lines++;
	in->stats.bytes += line->end - line->offset;
	if (line->truncated)
		in->stats.truncated++;
	/* A pause is honoured after this block (see input.h). */
	(void)fw_pipeline_line(in->env.pipeline, in, line, &src);
}

static void
on_text(void *arg, const char *data, size_t len)
{
	struct tail *t = arg;
	fw_linesplit_feed(&t->ls, data, len, on_line, t);
}

static void
flush_partial(struct tail *t)
{
	t->partial_since_ms = 0;
	if (fw_linesplit_pending(&t->ls) == 0 && !t->ls.skipping)
		return;
	t->fi->in->stats.partial_flushed++;
	fw_linesplit_flush(&t->ls, on_line, t);
	add_mark(t);
}

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

static void
tail_free(struct tail *t)
{
	if (t->dec)
		t->fi->n_compressed--;
	fw_decomp_free(t->dec);
	if (t->fd >= 0)
		close(t->fd);
	fw_linesplit_free(&t->ls);
	free(t->path);
	free(t);
}

/* Whether t's file has no name left: a restart could not find it again. */
static bool
tail_deleted(const struct tail *t)
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
static void
remember_compressed(struct tail *t, uint64_t lines, bool waiting)
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
		remember_compressed(t, e->line_no, false);
		return -1;
	}
	if (!e && !from_start && fi->in->cfg->start_at == FW_START_END) {
		remember_compressed(t, 0, false);
		fi->not_read_at_start++;
		return -1;
	}
	if (fi->n_compressed >= MAX_COMPRESSED_OPEN) {
		remember_compressed(t, 0, true);
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

/*
 * Opens path as a new tail and decides where to start: its checkpoint if
 * the file is the one checkpointed (inode and fingerprint), else the
 * beginning for files that appeared while running, else start_at.
 */
static struct tail *
tail_open(struct file_input *fi, const char *path, const struct stat *st, bool from_start)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	struct tail *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->fi = fi;
	t->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	t->path = strdup(path);
	struct stat fst;
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
	const struct fw_checkpoint_file *e = fw_checkpoint_find(&fi->ck, t->dev, t->ino);
	enum fw_decomp_kind kind = detect_kind(t->fd);
	if (kind != FW_DECOMP_NONE) {
		if (compressed_open(t, kind, e, from_start) < 0)
			goto fail;
	} else if (e && fw_fingerprint_matches(t->fd, &e->fp) && e->offset <= t->size) {
		offset = e->offset;
		line_no = e->line_no;
		log_info("[input.%s] %s: resuming at offset %llu (line %llu)", cfg->name, path,
			 (unsigned long long)offset, (unsigned long long)line_no);
	} else {
		if (e)
			log_info("[input.%s] %s: checkpointed inode holds another file now; "
				 "reading from the start", cfg->name, path);
		if (!from_start && !e && cfg->start_at == FW_START_END &&
		    find_end(t, t->size, &offset, &line_no) < 0)
			goto fail;
	}
	if (fw_linesplit_init(&t->ls, fi->max_line, offset, line_no) < 0)
		goto fail;
	t->read_off = offset;
	t->committed = (struct mark){0, offset, line_no};
	t->last_growth_ms = now_ms(fi);
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

static struct tail *
find_tail(struct file_input *fi, uint64_t dev, uint64_t ino)
{
	for (struct tail *t = fi->tails; t; t = t->next)
		if (t->dev == dev && t->ino == ino)
			return t;
	return NULL;
}

static bool
excluded(const struct fw_input_config *cfg, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < cfg->exclude.n; i++)
		if (fnmatch(cfg->exclude.v[i], path, 0) == 0 ||
		    fnmatch(cfg->exclude.v[i], base, 0) == 0)
			return true;
	return false;
}

static void
add_tail(struct file_input *fi, struct tail *t)
{
	t->next = fi->tails;
	fi->tails = t;
}

/*
 * After a restart, a checkpointed file may have been rotated away under a
 * name the patterns do not match (access.log -> access.log.1): look for its
 * inode next to where it was and drain what was written after the
 * checkpoint.
 */
static void
find_rotated(struct file_input *fi)
{
	for (size_t i = 0; i < fi->ck.n_files; i++) {
		const struct fw_checkpoint_file *e = &fi->ck.files[i];
		if (find_tail(fi, e->dev, e->ino) || !e->path || e->path[0] != '/')
			continue;
		char *copy = strdup(e->path);
		if (!copy)
			continue;
		const char *dir = dirname(copy);
		DIR *d = opendir(dir);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			struct stat st;
			if ((uint64_t)de->d_ino != e->ino ||
			    fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode) ||
			    (uint64_t)st.st_dev != e->dev)
				continue;
			char path[4096];
			if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
				continue;
			struct tail *t = tail_open(fi, path, &st, true);
			if (!t)
				continue;
			if (t->read_off != e->offset) {
				tail_free(t);   /* not the checkpointed file after all */
				continue;
			}
			t->draining = true;
			fi->in->stats.rotations++;
			log_info("[input.%s] %s: rotated while stopped (was %s); reading it to its end",
				 fi->in->cfg->name, path, e->path);
			add_tail(fi, t);
			break;
		}
		if (d)
			closedir(d);
		free(copy);
	}
}

/* A compressed file read before (same inode and size), or waiting for a slot. */
static bool
compressed_skip(struct file_input *fi, const struct stat *st)
{
	struct fw_decomp_file *c = fw_decomp_files_find(&fi->compressed, st->st_dev, st->st_ino);
	if (!c)
		return false;
	c->last_seen_ms = now_ms(fi);
	if (c->waiting)
		return fi->n_compressed >= MAX_COMPRESSED_OPEN;
	return c->size == (uint64_t)st->st_size;
}

/* Whether path is one the input follows: a pattern matches it, no exclude. */
static bool
path_followed(const char *path, void *ctx)
{
	const struct fw_input_config *cfg = ((struct file_input *)ctx)->in->cfg;
	for (size_t i = 0; i < cfg->paths.n; i++)
		if (fnmatch(cfg->paths.v[i], path, FNM_PATHNAME | FNM_PERIOD) == 0)
			return !excluded(cfg, path);
	return false;
}

/*
 * Files renamed away from a followed name (movewatch.h) that no tail
 * follows: created and rotated before a scan saw them (a busy spell, a
 * burst of rotations). Each is read from its start (or its checkpoint) to
 * its end, then closed, as a file rotated away.
 */
static void
open_moved(struct file_input *fi)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	char *moved[FW_MOVEWATCH_MAX];
	size_t n = fw_movewatch_take(&fi->moves, moved, FW_MOVEWATCH_MAX);
	uint64_t lost = fi->moves.overflows + fi->moves.dropped;

	if (lost != fi->moves_lost_logged) {
		fi->in->stats.errors++;
		log_warn("[input.%s] rename events lost (inotify queue overflow or more than %u "
			 "rotations at once): a file renamed away before it was opened may be missed",
			 cfg->name, FW_MOVEWATCH_MAX);
		fi->moves_lost_logged = lost;
	}
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct tail *t = NULL;
		if (stat(moved[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    !find_tail(fi, st.st_dev, st.st_ino) && !compressed_skip(fi, &st))
			t = tail_open(fi, moved[i], &st, true);
		if (t && t->dec) {
			tail_free(t);   /* compressed since: read as a file of its own, if matched */
			t = NULL;
		}
		if (t) {
			t->draining = true;
			t->seen = true;
			fi->in->stats.rotations++;
			log_info("[input.%s] %s: renamed away from a followed name before it was "
				 "opened; reading it to its end", cfg->name, moved[i]);
			add_tail(fi, t);
		}
		free(moved[i]);
	}
}

/* Globs every pattern; opens new files, marks vanished names as draining. */
static void
scan(struct file_input *fi)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	bool first = !fi->first_scan_done;

	for (struct tail *t = fi->tails; t; t = t->next)
		t->seen = false;
	fi->compressed_waiting = false;
	for (size_t i = 0; i < cfg->paths.n; i++) {
		glob_t g;
		int rc = glob(cfg->paths.v[i], GLOB_NOSORT, NULL, &g);
		if (rc == GLOB_NOMATCH)
			continue;
		if (rc != 0) {
			fi->in->stats.errors++;
			continue;
		}
		for (size_t j = 0; j < g.gl_pathc; j++) {
			const char *path = g.gl_pathv[j];
			struct stat st;
			if (excluded(cfg, path) || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			struct tail *t = find_tail(fi, st.st_dev, st.st_ino);
			if (!t && compressed_skip(fi, &st))
				continue;
			if (t) {
				if (!t->seen && strcmp(t->path, path) != 0) {
					/* Renamed to a name we also follow. */
					char *p = strdup(path);
					if (p) {
						free(t->path);
						t->path = p;
					}
				}
				t->seen = true;
				t->draining = false;
				continue;
			}
			t = tail_open(fi, path, &st, !first);
			if (!t)
				continue;
			t->seen = true;
			add_tail(fi, t);
			if (!first && !t->dec)
				log_info("[input.%s] %s: new file, reading from the start", cfg->name,
					 path);
		}
		globfree(&g);
	}
	for (struct tail *t = fi->tails; t; t = t->next) {
		if (!t->seen && !t->draining && !t->finished) {
			t->draining = true;
			t->last_growth_ms = now_ms(fi);
			fi->in->stats.rotations++;
			log_info("[input.%s] %s: renamed or removed; reading the old file to its end",
				 cfg->name, t->path);
		}
	}
	open_moved(fi);
	if (first) {
		find_rotated(fi);
		fi->first_scan_done = true;
		if (fi->not_read_at_start)
			log_info("[input.%s] %llu compressed file%s present at start-up not read "
				 "(start_at = end; files that appear later are read)", cfg->name,
				 (unsigned long long)fi->not_read_at_start,
				 fi->not_read_at_start == 1 ? "" : "s");
	}
	fw_decomp_files_expire(&fi->compressed, now_ms(fi));
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
static void
compressed_at_eof(struct tail *t)
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
static void
compressed_release(struct tail *t)
{
	flush_partial(t);
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

/* Reads up to budget bytes; returns bytes read, sets t->eof at the end. */
static size_t
tail_read(struct tail *t, size_t budget)
{
	struct file_input *fi = t->fi;
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
			fw_linesplit_free(&t->ls);
			if (fw_linesplit_init(&t->ls, fi->max_line, 0, 0) < 0)
				return 0;
			t->read_off = 0;
			t->n_marks = 0;
			t->committed = (struct mark){fw_pipeline_seq(fi->in->env.pipeline), 0, 0};
			t->partial_since_ms = 0;
			t->skip_lines = 0;
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
		add_mark(t);
		if (fw_pipeline_paused(fi->in->env.pipeline))
			break;
	}
	if (total > 0) {
		t->last_growth_ms = now_ms(fi);
		if (t->size < t->read_off)
			t->size = t->read_off;
		if (t->fp.len < FW_FINGERPRINT_MAX)
			fw_fingerprint_fd(t->fd, &t->fp);
		/* A partial line waits from its last extension; a completed one
		 * no longer waits at all. */
		t->partial_since_ms = fw_linesplit_pending(&t->ls) > 0 ? now_ms(fi) : 0;
	}
	return total;
}

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
		scan(fi);
	}
	bool more = false;
	size_t budget = READ_BUDGET;
	struct tail **link = &fi->tails;
	while (*link) {
		struct tail *t = *link;
		size_t got = budget > 0 && t->fd >= 0 ? tail_read(t, budget) : 0;
		budget -= got < budget ? got : budget;
		if (t->dec && t->eof && !t->finished)
			compressed_at_eof(t);
		if (t->finished && t->fd >= 0) {
			compressed_release(t);
			if (fi->compressed_waiting) {
				fi->need_scan = true;
				more = true;   /* scan again for the files that wait */
			}
		}
		if (!t->eof)
			more = true;
		if (in->paused)
			break;
		if (t->finished ||
		    (t->draining && t->eof &&
		     (in->env.oneshot || now_ms(fi) - t->last_growth_ms >= ROTATE_WAIT_MS))) {
			flush_partial(t);
			if (advance_committed(t, fw_pipeline_safe_seq(in->env.pipeline))) {
				if (t->finished)
					remember_compressed(t, t->ls.line_no, false);
				else
					log_info("[input.%s] %s: old file read to its end, closed",
						 in->cfg->name, t->path);
				*link = t->next;
				tail_free(t);
				continue;
			}
		}
		link = &t->next;
	}
	if (in->env.oneshot && !more && !in->paused) {
		for (struct tail *t = fi->tails; t; t = t->next)
			flush_partial(t);
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

static void
schedule(struct file_input *fi)
{
	if (fi->working || fi->closing || fi->in->paused)
		return;
	fi->working = true;
	uv_idle_start(&fi->work, on_work);
}

/*
 * Paused by backpressure, nothing is read, but files are still discovered:
 * a file opened now is followed by its fd whatever its name becomes, so one
 * that a rotation renames away (a.log -> a.log.1 -> a.log.2) before the
 * resume is read all the same. Outside a pause, work() scans.
 */
static void
scan_while_paused(struct file_input *fi)
{
	if (!fi->in->paused || !fi->need_scan || fi->closing || fi->stop_done)
		return;
	fi->need_scan = false;
	scan(fi);
}

static void
on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct file_input *fi = h->data;
	if (status < 0 || (events & UV_RENAME))
		fi->need_scan = true;
	scan_while_paused(fi);
	schedule(fi);
}

static void
on_moved(void *ctx)
{
	struct file_input *fi = ctx;
	fi->need_scan = true;
	scan_while_paused(fi);
	schedule(fi);
}

static void
on_rescan(uv_timer_t *h)
{
	struct file_input *fi = h->data;
	fi->need_scan = true;
	scan_while_paused(fi);
	schedule(fi);
}

static void
on_partial(uv_timer_t *h)
{
	struct file_input *fi = h->data;
	uint64_t now = now_ms(fi);
	if (fi->in->paused)
		return;
	for (struct tail *t = fi->tails; t; t = t->next)
		if (t->partial_since_ms && now - t->partial_since_ms >= fi->partial_ms)
			flush_partial(t);
	arm_partial_timer(fi);
}

/* -- daemon stop: deleted files first ---------------------------------------- */

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
			 t->path, STOP_WAIT_MS / 1000, (unsigned long long)t->committed.offset,
			 (unsigned long long)t->committed.line_no);
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
			size_t got = tail_read(t, budget);
			budget -= got < budget ? got : budget;
			if (t->dec && t->eof && !t->finished)
				compressed_at_eof(t);
		}
		if (!t->eof) {
			reading = true;
			continue;
		}
		flush_partial(t);
		if (!advance_committed(t, fw_pipeline_safe_seq(in->env.pipeline)))
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
		schedule(fi);
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

	if (fi->open_handles == 0 || in->env.oneshot) {
		done(in);
		return;
	}
	for (struct tail *t = fi->tails; t; t = t->next) {
		t->gone = tail_deleted(t);
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

/* -- the input interface -------------------------------------------------- */

static bool
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
watch_closed(uv_handle_t *h)
{
	struct file_input *fi = h->data;
	free(h);
	if (--fi->open_handles == 0 && fi->close_done)
		fi->close_done(fi->in);
}

static void
watch_dirs(struct file_input *fi)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	fi->watches = calloc(cfg->paths.n ? cfg->paths.n : 1, sizeof(*fi->watches));
	if (!fi->watches)
		return;
	char **seen = calloc(cfg->paths.n ? cfg->paths.n : 1, sizeof(*seen));
	for (size_t i = 0; seen && i < cfg->paths.n; i++) {
		char *copy = strdup(cfg->paths.v[i]);
		if (!copy)
			continue;
		char *dir = dirname(copy);
		bool dup = has_glob(dir);
		for (size_t j = 0; !dup && j < fi->n_watches; j++)
			dup = strcmp(seen[j], dir) == 0;
		if (dup) {
			free(copy);
			continue;
		}
		uv_fs_event_t *w = malloc(sizeof(*w));
		if (!w) {
			free(copy);
			continue;
		}
		uv_fs_event_init(fi->in->env.loop, w);
		w->data = fi;
		int err = uv_fs_event_start(w, on_fs_event, dir, 0);
		if (err < 0) {
			/* The directory may appear later: the rescan covers it. */
			log_warn("[input.%s] %s: cannot watch (%s); relying on the %u s rescan",
				 cfg->name, dir, uv_strerror(err), RESCAN_MS / 1000);
			uv_close((uv_handle_t *)w, free_handle);
			free(copy);
			continue;
		}
		int merr = fi->moves.fd >= 0 ? fw_movewatch_add(&fi->moves, dir) : 0;
		if (merr < 0)
			log_warn("[input.%s] %s: cannot watch for renames (%s); a file renamed "
				 "away before it is opened is missed", cfg->name, dir, strerror(-merr));
		fi->watches[fi->n_watches] = w;
		seen[fi->n_watches++] = strdup(dir);
		fi->open_handles++;
		free(copy);
	}
	for (size_t j = 0; seen && j < fi->n_watches; j++)
		free(seen[j]);
	free(seen);
}

static int
file_start(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	uv_idle_init(in->env.loop, &fi->work);
	uv_timer_init(in->env.loop, &fi->rescan);
	uv_timer_init(in->env.loop, &fi->partial);
	uv_timer_init(in->env.loop, &fi->stop_timer);
	fi->work.data = fi->rescan.data = fi->partial.data = fi->stop_timer.data = fi;
	fi->open_handles += 4;
	if (!in->env.oneshot) {
		watch_dirs(fi);
		uv_timer_start(&fi->rescan, on_rescan, RESCAN_MS, RESCAN_MS);
		if (fi->moves.fd >= 0) {
			int err = fw_movewatch_start(&fi->moves, in->env.loop);
			if (err < 0)
				log_warn("[input.%s] cannot watch for renames (%s); a file renamed "
					 "away before it is opened is missed", in->cfg->name,
					 uv_strerror(err));
			if (fi->moves.polling)
				fi->open_handles++;
		}
	}
	fi->need_scan = true;
	/* The first scan at once, paused or not: start_at applies to files present now. */
	scan_while_paused(fi);
	work(fi);
	if (!in->finished)
		schedule(fi);
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
	schedule(fi);
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
		int err = find_tail(fi, e->dev, e->ino) ? 0 : fw_checkpoint_add_file(ck, e);
		if (err < 0)
			return err;
	}
	for (struct tail *t = fi->tails; t; t = t->next) {
		advance_committed(t, safe_seq);
		/* No restart can find it: an entry could only match a reused inode. */
		if (tail_deleted(t))
			continue;
		if (t->fd >= 0 && t->fp.len < FW_FINGERPRINT_MAX)
			fw_fingerprint_fd(t->fd, &t->fp);
		struct fw_checkpoint_file e = {
			.dev = t->dev, .ino = t->ino, .fp = t->fp,
			.offset = t->committed.offset, .line_no = t->committed.line_no,
			.path = t->path,
		};
		if (t->dec || t->finished) {
			/* Compressed: offset = size once read and acknowledged whole;
			 * before that 0, and line_no lines are skipped on restart. */
			bool done = t->finished && t->n_marks == 0;
			e.offset = done ? t->size : 0;
			e.line_no = done ? t->ls.line_no : t->committed.line_no;
		}
		int err = fw_checkpoint_add_file(ck, &e);
		if (err < 0)
			return err;
	}
	return fw_decomp_files_save(&fi->compressed, ck);
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
	if (fi->closing || fi->open_handles == 0)
		return;
	if (fi->partial_ms == 0)
		uv_timer_stop(&fi->partial);
	else
		arm_partial_timer(fi);
	if (!in->env.oneshot) {   /* the paths may have moved: watch them anew */
		for (size_t i = 0; i < fi->n_watches; i++) {
			fi->open_handles--;   /* watch_closed() must not count it again */
			uv_close((uv_handle_t *)fi->watches[i], free_handle);
		}
		free(fi->watches);
		fi->watches = NULL;
		fi->n_watches = 0;
		fw_movewatch_clear_dirs(&fi->moves);
		watch_dirs(fi);
	}
	fi->need_scan = true;
	schedule(fi);
}

static void
file_streams(struct fw_input *in, void (*cb)(const struct fw_input_stream_status *st, void *ctx),
	     void *ctx)
{
	struct file_input *fi = in->priv;
	for (struct tail *t = fi->tails; t; t = t->next) {
		struct fw_input_stream_status st = {
			.name = t->path, .offset = t->read_off, .size = t->size,
			.line_no = t->ls.line_no,
		};
		cb(&st, ctx);
	}
}

static void
handle_closed(uv_handle_t *h)
{
	struct file_input *fi = h->data;
	if (--fi->open_handles == 0 && fi->close_done)
		fi->close_done(fi->in);
}

static void
file_close(struct fw_input *in, void (*done)(struct fw_input *in))
{
	struct file_input *fi = in->priv;
	fi->closing = true;
	fi->close_done = done;
	if (fi->open_handles == 0) {
		done(in);
		return;
	}
	uv_close((uv_handle_t *)&fi->work, handle_closed);
	uv_close((uv_handle_t *)&fi->rescan, handle_closed);
	uv_close((uv_handle_t *)&fi->partial, handle_closed);
	uv_close((uv_handle_t *)&fi->stop_timer, handle_closed);
	for (size_t i = 0; i < fi->n_watches; i++)
		uv_close((uv_handle_t *)fi->watches[i], watch_closed);
	(void)fw_movewatch_close(&fi->moves, handle_closed);
}

static void
file_destroy(struct fw_input *in)
{
	struct file_input *fi = in->priv;
	if (fi) {
		while (fi->tails) {
			struct tail *t = fi->tails;
			fi->tails = t->next;
			tail_free(t);
		}
		fw_checkpoint_free(&fi->ck);
		fw_decomp_files_free(&fi->compressed);
		fw_movewatch_free(&fi->moves);
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
	fi->max_line = cfg->max_line_bytes ? cfg->max_line_bytes : FW_MAX_LINE_DEFAULT;
	fi->partial_ms = cfg->partial_flush_ms;
	if (env->checkpoint) {
		for (size_t i = 0; i < env->checkpoint->n_files; i++)
			if (fw_checkpoint_add_file(&fi->ck, &env->checkpoint->files[i]) < 0)
				goto oom;
	}
	fi->moves.fd = -1;
	if (!env->oneshot) {
		int err = fw_movewatch_init(&fi->moves, path_followed, on_moved, fi);
		if (err < 0)
			log_warn("[input.%s] cannot watch for renames (%s); a file renamed away "
				 "before it is opened is missed", cfg->name, strerror(-err));
	}
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
