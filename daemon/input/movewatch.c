/*
 * movewatch: the renames out of followed names, paired by inotify cookie
 * (see movewatch.h for what it guarantees and its limits).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "input/movewatch.h"

#define MOVE_MASK (IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_ONLYDIR)

int
fw_movewatch_init(struct fw_movewatch *mw, bool (*followed)(const char *path, void *ctx),
		  void (*notify)(void *ctx), void *ctx)
{
	memset(mw, 0, sizeof(*mw));
	mw->followed = followed;
	mw->notify = notify;
	mw->ctx = ctx;
	mw->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return mw->fd < 0 ? -errno : 0;
}

int
fw_movewatch_add(struct fw_movewatch *mw, const char *dir)
{
	if (mw->fd < 0)
		return -EBADF;
	struct fw_movewatch_dir *d = realloc(mw->dirs, (mw->n_dirs + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	mw->dirs = d;
	d = &mw->dirs[mw->n_dirs];
	d->path = strdup(dir);
	if (!d->path)
		return -ENOMEM;
	d->wd = inotify_add_watch(mw->fd, dir, MOVE_MASK);
	if (d->wd < 0) {
		int err = -errno;
		free(d->path);
		return err;
	}
	mw->n_dirs++;
	return 0;
}

void
fw_movewatch_clear_dirs(struct fw_movewatch *mw)
{
	for (size_t i = 0; i < mw->n_dirs; i++) {
		/* Two patterns in one directory share its wd: remove it once. */
		bool again = false;
		for (size_t j = 0; j < i && !again; j++)
			again = mw->dirs[j].wd == mw->dirs[i].wd;
		if (!again && mw->fd >= 0)
			(void)inotify_rm_watch(mw->fd, mw->dirs[i].wd);
		free(mw->dirs[i].path);
	}
	free(mw->dirs);
	mw->dirs = NULL;
	mw->n_dirs = 0;
	free(mw->from_path);
	mw->from_path = NULL;
}

static const char *
dir_of(const struct fw_movewatch *mw, int wd)
{
	for (size_t i = 0; i < mw->n_dirs; i++)
		if (mw->dirs[i].wd == wd)
			return mw->dirs[i].path;
	return NULL;
}

/* dir/name, or NULL (out of memory, or not a watched directory). */
static char *
join(const struct fw_movewatch *mw, int wd, const char *name)
{
	const char *dir = dir_of(mw, wd);
	if (!dir || !name || !name[0])
		return NULL;
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%s/%s", dir, name);
	return p;
}

static ssize_t
find_moved(const struct fw_movewatch *mw, const char *path)
{
	for (size_t i = 0; i < mw->n_moved; i++)
		if (strcmp(mw->moved[i], path) == 0)
			return (ssize_t)i;
	return -1;
}

static void
drop_moved(struct fw_movewatch *mw, size_t i)
{
	free(mw->moved[i]);
	free(mw->from[i]);
	memmove(mw->moved + i, mw->moved + i + 1, (mw->n_moved - i - 1) * sizeof(mw->moved[0]));
	memmove(mw->from + i, mw->from + i + 1, (mw->n_moved - i - 1) * sizeof(mw->from[0]));
	mw->n_moved--;
}

/* Records to as where the file at followed name from went (both owned from now on). */
static void
record(struct fw_movewatch *mw, char *from, char *to)
{
	ssize_t same = find_moved(mw, to);
	if (same >= 0)
		drop_moved(mw, (size_t)same);   /* renamed over: one record, the newest */
	if (mw->n_moved == FW_MOVEWATCH_MAX) {
		mw->dropped++;
		drop_moved(mw, 0);
	}
	mw->from[mw->n_moved] = from;
	mw->moved[mw->n_moved++] = to;
}

/* A completed rename from -> to (both owned here). */
static void
moved(struct fw_movewatch *mw, char *from, char *to)
{
	ssize_t i = find_moved(mw, from);
	if (i >= 0) {
		/* A recorded file moves on (a.log.1 -> a.log.2): follow it,
		 * keeping the followed name it first left. */
		char *first = mw->from[i];
		mw->from[i] = NULL;
		drop_moved(mw, (size_t)i);
		record(mw, first, to);
	} else if (mw->followed(from, mw->ctx)) {
		record(mw, from, to);
		return;
	} else {
		/* Renamed over a recorded one: that file is gone. */
		i = find_moved(mw, to);
		if (i >= 0)
			drop_moved(mw, (size_t)i);
		free(to);
	}
	free(from);
}

void
fw_movewatch_event(struct fw_movewatch *mw, int wd, uint32_t mask, uint32_t cookie,
		   const char *name)
{
	if (mask & IN_Q_OVERFLOW) {
		mw->overflows++;
		free(mw->from_path);
		mw->from_path = NULL;
		return;
	}
	if (mask & IN_MOVED_TO) {
		char *to = join(mw, wd, name);
		if (mw->from_path && cookie == mw->from_cookie && to) {
			char *from = mw->from_path;
			mw->from_path = NULL;
			moved(mw, from, to);
			return;
		}
		/* Moved in from elsewhere: not a followed name's file. */
		ssize_t i = to ? find_moved(mw, to) : -1;
		if (i >= 0)
			drop_moved(mw, (size_t)i);
		free(to);
	} else {
		/* Any other event ends the wait for a rename's second half: an
		 * unpaired IN_MOVED_FROM left the watched directories. */
		char *gone = mw->from_path;
		mw->from_path = NULL;
		if (gone) {
			ssize_t i = find_moved(mw, gone);
			if (i >= 0)
				drop_moved(mw, (size_t)i);
			free(gone);
		}
		if (mask & IN_MOVED_FROM) {
			mw->from_path = join(mw, wd, name);
			mw->from_cookie = cookie;
		} else if (mask & IN_DELETE) {
			char *p = join(mw, wd, name);
			ssize_t i = p ? find_moved(mw, p) : -1;
			if (i >= 0)
				drop_moved(mw, (size_t)i);
			free(p);
		}
	}
}

size_t
fw_movewatch_take(struct fw_movewatch *mw, char **out, char **from, size_t max)
{
	size_t n = mw->n_moved < max ? mw->n_moved : max;
	memcpy(out, mw->moved, n * sizeof(out[0]));
	for (size_t i = 0; i < n; i++)
		if (from)
			from[i] = mw->from[i];
		else
			free(mw->from[i]);
	memmove(mw->moved, mw->moved + n, (mw->n_moved - n) * sizeof(mw->moved[0]));
	memmove(mw->from, mw->from + n, (mw->n_moved - n) * sizeof(mw->from[0]));
	mw->n_moved -= n;
	return n;
}

void
fw_movewatch_restore(struct fw_movewatch *mw, char **moved, char **from, size_t n)
{
	/* They are older than every record held: without room for all, they go first. */
	size_t room = FW_MOVEWATCH_MAX - mw->n_moved;
	size_t skip = n > room ? n - room : 0;
	for (size_t i = 0; i < skip; i++) {
		free(moved[i]);
		free(from[i]);
		mw->dropped++;
	}
	n -= skip;
	memmove(mw->moved + n, mw->moved, mw->n_moved * sizeof(mw->moved[0]));
	memmove(mw->from + n, mw->from, mw->n_moved * sizeof(mw->from[0]));
	memcpy(mw->moved, moved + skip, n * sizeof(mw->moved[0]));
	memcpy(mw->from, from + skip, n * sizeof(mw->from[0]));
	mw->n_moved += n;
}

static void
on_events(uv_poll_t *h, int status, int events)
{
	struct fw_movewatch *mw = h->data;
	char buf[4096];
	size_t before = mw->n_moved;
	uint64_t overflows = mw->overflows;

	(void)events;
	if (status < 0)
		return;
	for (;;) {
		ssize_t n = read(mw->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* Each event's header is copied out: the buffer's bytes need not
		 * be aligned for it. Its name (NUL-padded) follows the header. */
		for (const char *p = buf; p < buf + n;) {
			struct inotify_event e;

			memcpy(&e, p, sizeof e);
			fw_movewatch_event(mw, e.wd, e.mask, e.cookie, e.len ? p + sizeof e : "");
			p += sizeof e + e.len;
		}
	}
	if (mw->n_moved != before || mw->overflows != overflows)
		mw->notify(mw->ctx);
}

int
fw_movewatch_start(struct fw_movewatch *mw, uv_loop_t *loop)
{
	if (mw->fd < 0)
		return -EBADF;
	int err = uv_poll_init(loop, &mw->poll, mw->fd);
	if (err < 0)
		return err;
	mw->poll.data = mw;
	mw->polling = true;
	return uv_poll_start(&mw->poll, UV_READABLE, on_events);
}

bool
fw_movewatch_close(struct fw_movewatch *mw, struct fw_close_barrier *b)
{
	if (!mw->polling)
		return false;
	mw->polling = false;
	fw_close_barrier_close(b, (uv_handle_t *)&mw->poll);
	return true;
}

void
fw_movewatch_free(struct fw_movewatch *mw)
{
	fw_movewatch_clear_dirs(mw);
	for (size_t i = 0; i < mw->n_moved; i++) {
		free(mw->moved[i]);
		free(mw->from[i]);
	}
	mw->n_moved = 0;
	if (mw->fd >= 0)
		close(mw->fd);
	mw->fd = -1;
}
