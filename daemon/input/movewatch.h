/*
 * movewatch: where files renamed away from a followed name went, so that a
 * file input can read one it never opened (issue 10, row 2).
 *
 * A file that is created at a followed name (a.log) and renamed away
 * (a.log -> a.log.1) before the input looked at its directory, during a
 * busy spell or a burst of rotations, is on disk but matches no pattern:
 * a scan cannot find it, and the change events libuv reports do not say
 * which name a file moved to. Here an inotify instance of its own watches
 * the followed directories for IN_MOVED_FROM / IN_MOVED_TO only and pairs
 * them by cookie (inotify(7)): a rename from a followed name records the
 * destination; a later rename of a recorded destination (a.log.1 ->
 * a.log.2) moves the record along; a deletion drops it. The file input
 * takes the records at its next scan and opens each one it does not follow
 * already (same device and inode), from its start.
 *
 * Limits: a rename into a directory that is not watched leaves no record
 * (the file left the input's directories). inotify(7) does not promise
 * that the two halves of a rename are adjacent in the event stream; an
 * unpaired half records nothing. A queue overflow loses events: it is
 * counted (overflows) and the caller rescans. At most FW_MOVEWATCH_MAX
 * records wait; beyond that the oldest is dropped and counted (dropped).
 *
 * Memory: the watch owns copies of its directories and of the recorded
 * paths; fw_movewatch_take() hands the records over (the caller frees each
 * path with free()).
 */
#ifndef FW_MOVEWATCH_H
#define FW_MOVEWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "util/close_barrier.h"

#define FW_MOVEWATCH_MAX 64u

struct fw_movewatch {
	int fd;                        /* the inotify instance; -1 when none */
	uv_poll_t poll;
	bool polling;
	struct fw_movewatch_dir {
		int wd;
		char *path;
	} *dirs;
	size_t n_dirs;
	char *moved[FW_MOVEWATCH_MAX]; /* destinations not yet taken, oldest first */
	char *from[FW_MOVEWATCH_MAX];  /* the followed name each one left */
	size_t n_moved;
	uint64_t overflows;            /* IN_Q_OVERFLOW: events lost */
	uint64_t dropped;              /* records dropped at FW_MOVEWATCH_MAX */
	/* A pending IN_MOVED_FROM, waiting for its IN_MOVED_TO. */
	uint32_t from_cookie;
	char *from_path;
	/* Whether a path is one the input follows (its patterns and excludes). */
	bool (*followed)(const char *path, void *ctx);
	/* Records (or an overflow) are waiting: the caller should scan. */
	void (*notify)(void *ctx);
	void *ctx;
};

/* Opens the inotify instance (not yet polled). 0 or -errno. */
int fw_movewatch_init(struct fw_movewatch *mw, bool (*followed)(const char *path, void *ctx),
		      void (*notify)(void *ctx), void *ctx);
/* Watches directory dir (a copy is kept). 0 or -errno. */
int fw_movewatch_add(struct fw_movewatch *mw, const char *dir);
/* Forgets every directory (their watches are removed); records stay. */
void fw_movewatch_clear_dirs(struct fw_movewatch *mw);
/* Starts reading events on loop. 0 or -errno. */
int fw_movewatch_start(struct fw_movewatch *mw, uv_loop_t *loop);
/*
 * One inotify event (what the reader calls for each; exposed for tests):
 * mask, cookie and the entry name, in the directory watched as wd.
 */
void fw_movewatch_event(struct fw_movewatch *mw, int wd, uint32_t mask, uint32_t cookie,
			const char *name);
/*
 * Hands over the recorded destinations (at most max) and, when from is not
 * NULL, the followed name each one left: their count.
 */
size_t fw_movewatch_take(struct fw_movewatch *mw, char **out, char **from, size_t max);
/*
 * Gives back n records taken and not acted on (the caller could not open
 * the files yet: out of descriptors), ahead of those recorded since, in
 * their order; mw owns moved[i] and from[i] again.
 * Renames and deletions seen later apply to them as to any record. At
 * FW_MOVEWATCH_MAX the oldest go, counted in dropped.
 */
void fw_movewatch_restore(struct fw_movewatch *mw, char **moved, char **from, size_t n);
/*
 * Closes the poll handle through b, the caller's barrier, which counted it
 * once fw_movewatch_start() left mw->polling set: true; false when there
 * was none.
 */
bool fw_movewatch_close(struct fw_movewatch *mw, struct fw_close_barrier *b);
/* Frees what fw_movewatch_init() and the records hold (after close). */
void fw_movewatch_free(struct fw_movewatch *mw);

#endif
