/*
 * input_file_discover: finding the files to follow. Every pattern is globbed
 * on each scan (inotify events, the periodic rescan, start-up); a file is
 * known by (device, inode), so a rename keeps its tail and a name that now
 * shows another inode leaves the old tail draining. At start-up, files
 * rotated away while the daemon was stopped are found by inode next to the
 * checkpointed name; while running, a file renamed away from a followed
 * name before any scan saw it is found where inotify says it went
 * (movewatch.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input_file_int.h"
#include "util/log.h"

static void left_expire(struct file_input *fi);
static bool left_unchanged(struct file_input *fi, const struct stat *st);
static size_t left_oldest(struct file_input *fi);

struct tail *
fw__file_find_tail(struct file_input *fi, uint64_t dev, uint64_t ino)
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

/*
 * stat()s a name the patterns matched. With follow_symlinks = no a symbolic
 * link is not opened (a file the patterns name is found under its own
 * name): named in the log once per link, while it stays.
 */
static bool
followed(struct file_input *fi, const char *path, struct stat *st)
{
	struct file_id *v;

	if (fi->in->cfg->follow_symlinks)
		return stat(path, st) == 0;
	if (lstat(path, st) < 0)
		return false;
	if (!S_ISLNK(st->st_mode))
		return true;
	for (size_t i = 0; i < fi->n_links; i++)
		if (fi->links[i].dev == (uint64_t)st->st_dev && fi->links[i].ino == (uint64_t)st->st_ino)
			return false;
	v = realloc(fi->links, (fi->n_links + 1) * sizeof *v);
	if (v) {
		fi->links = v;
		v[fi->n_links++] = (struct file_id){ st->st_dev, st->st_ino };
	}
	fi->in->stats.skipped[FW_SKIP_SYMLINK]++;
	log_warn("[input.%s] %s: a symbolic link, not followed (follow_symlinks = no)",
		 fi->in->cfg->name, path);
	return false;
}

void
fw__file_add_tail(struct file_input *fi, struct tail *t)
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
		if (fw__file_find_tail(fi, e->dev, e->ino) || !e->path || e->path[0] != '/')
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
			struct tail *t = fw__file_tail_open(fi, path, &st, true);
			if (!t)
				continue;
			if (t->read_off != e->offset) {
				fw__file_tail_free(t);   /* not the checkpointed file after all */
				continue;
			}
			t->draining = true;
			fi->in->stats.rotations++;
			log_info("[input.%s] %s: rotated while stopped (was %s); reading it to its end",
				 fi->in->cfg->name, path, e->path);
			fw__file_add_tail(fi, t);
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
	char *moved[FW_MOVEWATCH_MAX], *from[FW_MOVEWATCH_MAX];
	size_t n = fw_movewatch_take(&fi->moves, moved, from, FW_MOVEWATCH_MAX);
	uint64_t lost = fi->moves.overflows + fi->moves.dropped;

	if (lost != fi->moves_lost_logged) {
		fi->in->stats.errors++;
		log_warn("[input.%s] rename events lost (inotify queue overflow or more than %u "
			 "rotations at once): a file renamed away before it was opened may be missed",
			 cfg->name, FW_MOVEWATCH_MAX);
		fi->moves_lost_logged = lost;
	}
	size_t n_kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct tail *t = NULL, *known = NULL;
		bool found = stat(moved[i], &st) == 0 && S_ISREG(st.st_mode);
		if (found)
			known = fw__file_find_tail(fi, st.st_dev, st.st_ino);
		if (known && !known->prev_path && strcmp(known->path, from[i]) != 0) {
			/* First seen under its rotated name: it left from[i]. */
			known->prev_path = from[i];
			from[i] = NULL;
		}
		if (found && !known && !compressed_skip(fi, &st)) {
			/* Out of descriptors: no name of ours leads to it any more,
			 * so the record is the only way back; it waits for a scan
			 * with descriptors to spare (and follows further renames). */
			if (!fi->fd_starved)
				t = fw__file_tail_open(fi, moved[i], &st, true);
			if (!t && fi->fd_starved) {
				moved[n_kept] = moved[i];
				from[n_kept++] = from[i];
				continue;
			}
		}
		if (t && t->dec) {
			fw__file_tail_free(t);   /* compressed since: read as a file of its own, if matched */
			t = NULL;
		}
		if (t) {
			t->draining = true;
			t->seen = true;
			if (!t->prev_path) {
				t->prev_path = from[i];   /* rotated, should a pattern match it */
				from[i] = NULL;
			}
			fi->in->stats.rotations++;
			log_info("[input.%s] %s: renamed away from a followed name before it was "
				 "opened; reading it to its end", cfg->name, moved[i]);
			fw__file_add_tail(fi, t);
		}
		free(moved[i]);
		free(from[i]);
	}
	fw_movewatch_restore(&fi->moves, moved, from, n_kept);
}

/* glob()'s error callback has no context; scans run one at a time on the loop. */
static int glob_errno;

static int
on_glob_error(const char *epath, int err)
{
	(void)epath;
	if (err == EMFILE || err == ENFILE || err == ENOMEM)
		glob_errno = err;
	return 0;   /* the other directories still count */
}

/*
 * glob() needs a descriptor per directory it reads: with every fd taken by
 * followed files, it would find nothing and every tail would look gone. The
 * input keeps one spare descriptor and hands it to glob() for the call.
 */
static int
glob_all(struct file_input *fi, const char *pattern, glob_t *g)
{
	glob_errno = 0;
	if (fi->spare_fd >= 0) {
		close(fi->spare_fd);
		fi->spare_fd = -1;
	}
	int rc = glob(pattern, GLOB_NOSORT, on_glob_error, g);
	fi->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return rc;
}

void
fw__file_fd_limit(struct file_input *fi, const char *path, int err)
{
	uint64_t now = now_ms(fi);

	fi->fd_starved = true;
	fi->in->stats.fd_limit++;
	if (fi->fd_limit_logged_ms && now - fi->fd_limit_logged_ms < FD_LIMIT_LOG_MS) {
		fi->fd_limit_unsaid++;
		return;
	}
	log_warn("[input.%s] %s: cannot open: %s; the files open stay followed, the others are "
		 "tried again on each rescan (said at most once a minute; %llu refusals since)",
		 fi->in->cfg->name, path, strerror(err), (unsigned long long)fi->fd_limit_unsaid);
	fi->fd_limit_logged_ms = now ? now : 1;
	fi->fd_limit_unsaid = 0;
}

/* Globs every pattern; opens new files, marks vanished names as draining. */
void
fw__file_scan(struct file_input *fi)
{
	const struct fw_input_config *cfg = fi->in->cfg;
	bool first = !fi->first_scan_done;

	for (struct tail *t = fi->tails; t; t = t->next)
		t->seen = false;
	fi->compressed_waiting = false;
	fi->fd_starved = false;
	bool complete = true;
	for (size_t i = 0; i < cfg->paths.n; i++) {
		glob_t g;
		int rc = glob_all(fi, cfg->paths.v[i], &g);
		if (glob_errno || rc == GLOB_NOSPACE) {
			/* Some names may be missing: nobody is taken for gone. */
			complete = false;
			if (glob_errno == EMFILE || glob_errno == ENFILE)
				fw__file_fd_limit(fi, cfg->paths.v[i], glob_errno);
		}
		if (rc == GLOB_NOMATCH)
			continue;
		if (rc != 0) {
			fi->in->stats.errors++;
			complete = false;
			continue;
		}
		for (size_t j = 0; j < g.gl_pathc; j++) {
			const char *path = g.gl_pathv[j];
			struct stat st;
			if (excluded(cfg, path) || !followed(fi, path, &st) || !S_ISREG(st.st_mode))
				continue;
			struct tail *t = fw__file_find_tail(fi, st.st_dev, st.st_ino);
			if (!t && compressed_skip(fi, &st))
				continue;
			if (t) {
				if (!t->seen && strcmp(t->path, path) != 0) {
					/* Renamed to a name we also follow (rotated,
					 * if its old name shows another file). */
					char *p = strdup(path);
					if (p) {
						free(t->prev_path);
						t->prev_path = t->path;
						t->path = p;
					}
				}
				t->seen = true;
				t->draining = false;
				continue;
			}
			if (left_unchanged(fi, &st))
				continue;   /* rotated, closed, and not changed since */
			if (fi->fd_starved)
				continue;   /* out of fds: retried on the next scan */
			t = fw__file_tail_open(fi, path, &st, !first);
			if (!t)
				continue;
			t->seen = true;
			fw__file_add_tail(fi, t);
			if (!first && !t->dec && t->read_off == 0)
				log_info("[input.%s] %s: new file, reading from the start", cfg->name,
					 path);
		}
		globfree(&g);
	}
	for (struct tail *t = fi->tails; complete && t; t = t->next) {
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
	left_expire(fi);
}

/*
 * Paused by backpressure, nothing is read, but files are still discovered:
 * a file opened now is followed by its fd whatever its name becomes, so one
 * that a rotation renames away (a.log -> a.log.1 -> a.log.2) before the
 * resume is read all the same. Outside a pause, work() scans.
 */
void
fw__file_scan_while_paused(struct file_input *fi)
{
	if (!fi->in->paused || !fi->need_scan || fi->closing || fi->stop_done)
		return;
	fi->need_scan = false;
	fw__file_scan(fi);
}

static void
on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct file_input *fi = h->data;
	if (status < 0 || (events & UV_RENAME))
		fi->need_scan = true;
	fw__file_scan_while_paused(fi);
	fw__file_schedule(fi);
}

static void
on_moved(void *ctx)
{
	struct file_input *fi = ctx;
	fi->need_scan = true;
	fw__file_scan_while_paused(fi);
	fw__file_schedule(fi);
}

int
fw__file_moves_init(struct file_input *fi)
{
	fi->moves.fd = -1;
	if (fi->in->env.oneshot)
		return 0;
	int err = fw_movewatch_init(&fi->moves, path_followed, on_moved, fi);
	if (err < 0)
		log_warn("[input.%s] cannot watch for renames (%s); a file renamed away before "
			 "it is opened is missed", fi->in->cfg->name, strerror(-err));
	return err;
}

void
fw__file_moves_start(struct file_input *fi)
{
	if (fi->moves.fd < 0)
		return;
	int err = fw_movewatch_start(&fi->moves, fi->in->env.loop);
	if (err < 0)
		log_warn("[input.%s] cannot watch for renames (%s); a file renamed away before "
			 "it is opened is missed", fi->in->cfg->name, uv_strerror(err));
	if (fi->moves.polling)
		fw_close_barrier_add(&fi->in->handles);
}

void
fw__file_on_rescan(uv_timer_t *h)
{
	struct file_input *fi = h->data;
	fi->need_scan = true;
	fw__file_scan_while_paused(fi);
	fw__file_schedule(fi);
}

/* -- the input interface -------------------------------------------------- */

static bool
has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

void
fw__file_watch_dirs(struct file_input *fi)
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
		fw_close_barrier_add(&fi->in->handles);
		w->data = fi;
		int err = uv_fs_event_start(w, on_fs_event, dir, 0);
		if (err < 0) {
			/* The directory may appear later: the rescan covers it. */
			log_warn("[input.%s] %s: cannot watch (%s); relying on the %u s rescan",
				 cfg->name, dir, uv_strerror(err), RESCAN_MS / 1000);
			fw_close_barrier_close_free(&fi->in->handles, (uv_handle_t *)w);
			free(copy);
			continue;
		}
		int merr = fi->moves.fd >= 0 ? fw_movewatch_add(&fi->moves, dir) : 0;
		if (merr < 0)
			log_warn("[input.%s] %s: cannot watch for renames (%s); a file renamed "
				 "away before it is opened is missed", cfg->name, dir, strerror(-merr));
		fi->watches[fi->n_watches] = w;
		seen[fi->n_watches++] = strdup(dir);
		free(copy);
	}
	for (size_t j = 0; seen && j < fi->n_watches; j++)
		free(seen[j]);
	free(seen);
}

/* -- files that left the patterns ------------------------------------------- */

static struct left_file *
left_slot(struct file_input *fi, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < fi->n_left; i++)
		if (fi->left[i].e.dev == dev && fi->left[i].e.ino == ino)
			return &fi->left[i];
	return NULL;
}

static void
left_drop(struct file_input *fi, size_t i)
{
	free(fi->left[i].e.rotated_from);
	free(fi->left[i].e.path);
	memmove(fi->left + i, fi->left + i + 1, (fi->n_left - i - 1) * sizeof(fi->left[0]));
	fi->n_left--;
}

/*
 * A file that left the patterns (renamed away, excluded) and was read to
 * its end is remembered by identity and position, so that coming back
 * (renamed back, or matched again after a reload) it resumes there instead
 * of being read again from 0. A deleted file is not: its inode can only
 * come back as another file. The oldest entry goes first when LEFT_MAX are
 * held.
 */
void
fw__file_left_remember(struct tail *t)
{
	struct file_input *fi = t->fi;
	const char *name = fi->in->cfg->name;

	if (fw__file_tail_deleted(t)) {
		log_info("[input.%s] %s: old file read to its end, closed", name, t->path);
		return;
	}
	fw__file_left_forget(fi, t->dev, t->ino);
	if (fi->n_left == LEFT_MAX)
		left_drop(fi, left_oldest(fi));
	if (fi->n_left == fi->cap_left) {
		size_t cap = fi->cap_left ? fi->cap_left * 2 : 8;
		struct left_file *v = realloc(fi->left, cap * sizeof(*v));
		if (!v)
			goto oom;
		fi->left = v;
		fi->cap_left = cap;
	}
	struct left_file *l = &fi->left[fi->n_left];
	struct stat st;
	*l = (struct left_file){ .rotated = !t->draining && fstat(t->fd, &st) == 0 };
	fw__file_tail_entry(t, &l->e);
	l->e.rotated_from = NULL;
	l->e.path = strdup(t->path);
	if (!l->e.path)
		goto oom;
	if (l->rotated) {
		l->size = (uint64_t)st.st_size;
		l->mtime = st.st_mtim;
		l->e.rotated_from = t->prev_path;   /* taken over */
		t->prev_path = NULL;
	}
	l->left_ms = now_ms(fi);
	fi->n_left++;
	log_info("[input.%s] %s: %s read to its end, closed; remembered at offset %llu "
		 "(line %llu) should it %s", name, t->path, l->rotated ? "rotated file" : "old file",
		 (unsigned long long)l->e.offset, (unsigned long long)l->e.line_no,
		 l->rotated ? "change" : "come back");
	return;
oom:
	fi->in->stats.errors++;
	log_warn("[input.%s] %s: old file read to its end, closed; out of memory to remember it "
		 "(read again from the start should it come back)", name, t->path);
}

const struct left_file *
fw__file_left_find(struct file_input *fi, uint64_t dev, uint64_t ino)
{
	return left_slot(fi, dev, ino);
}

/*
 * The entry LEFT_MAX pushes out: the oldest file that left the patterns.
 * A rotated one, still matched, would be read again whole once forgotten,
 * so it goes only when every entry is such.
 */
static size_t
left_oldest(struct file_input *fi)
{
	for (size_t i = 0; i < fi->n_left; i++)
		if (!fi->left[i].rotated)
			return i;
	return 0;
}

/*
 * A rotated file closed while the patterns still match it, seen by a scan:
 * it stays closed while its size and mtime are those it was closed with
 * (and is remembered as long as it is seen); a change (a late append, as
 * logrotate's delaycompress allows) reopens it where it stopped.
 */
static bool
left_unchanged(struct file_input *fi, const struct stat *st)
{
	struct left_file *l = left_slot(fi, st->st_dev, st->st_ino);

	if (!l || !l->rotated || (uint64_t)st->st_size != l->size ||
	    st->st_mtim.tv_sec != l->mtime.tv_sec || st->st_mtim.tv_nsec != l->mtime.tv_nsec)
		return false;
	l->left_ms = now_ms(fi);
	return true;
}

/*
 * One descriptor per live file: a file renamed while followed whose old
 * name shows another file now (the rotation created the live file again),
 * read to its end with no partial line, not grown for ROTATE_WAIT_MS, is
 * closed and remembered (not in --oneshot, which reads to the end anyway,
 * nor with LEFT_MAX files remembered: it then stays open). A renamed file
 * whose old name is still empty may be written again under it: kept open.
 */
bool
fw__file_rotated_idle(const struct tail *t)
{
	const struct file_input *fi = t->fi;
	struct stat st;

	if (!t->prev_path || t->draining || t->dec || t->finished || !t->eof || t->fd < 0 ||
	    fi->in->env.oneshot || fi->n_left >= LEFT_MAX || t->ls.skipping ||
	    fw_linesplit_pending(&t->ls) > 0 || now_ms(fi) - t->last_growth_ms < ROTATE_WAIT_MS)
		return false;
	return stat(t->prev_path, &st) == 0 &&
	       ((uint64_t)st.st_dev != t->dev || (uint64_t)st.st_ino != t->ino);
}

void
fw__file_left_forget(struct file_input *fi, uint64_t dev, uint64_t ino)
{
	struct left_file *l = left_slot(fi, dev, ino);
	if (l)
		left_drop(fi, (size_t)(l - fi->left));
}

/* Forgets the files that left (or, rotated, were last seen) more than LEFT_RETAIN_MS ago. */
static void
left_expire(struct file_input *fi)
{
	uint64_t now = now_ms(fi);
	size_t kept = 0;

	for (size_t i = 0; i < fi->n_left; i++) {
		if (now - fi->left[i].left_ms >= LEFT_RETAIN_MS) {
			free(fi->left[i].e.rotated_from);
			free(fi->left[i].e.path);
			continue;
		}
		fi->left[kept++] = fi->left[i];
	}
	fi->n_left = kept;
}

int
fw__file_left_save(struct file_input *fi, struct fw_checkpoint *ck)
{
	for (size_t i = 0; i < fi->n_left; i++) {
		const struct fw_checkpoint_file *e = &fi->left[i].e;
		if (fw__file_find_tail(fi, e->dev, e->ino))
			continue;
		int err = fw_checkpoint_add_file(ck, e);
		if (err < 0)
			return err;
	}
	return 0;
}

void
fw__file_left_free(struct file_input *fi)
{
	for (size_t i = 0; i < fi->n_left; i++) {
		free(fi->left[i].e.rotated_from);
		free(fi->left[i].e.path);
	}
	free(fi->left);
	fi->left = NULL;
	fi->n_left = fi->cap_left = 0;
}
