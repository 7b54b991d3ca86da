/*
 * input_file_int: what the parts of the file input share. Not part of the
 * interface: include input.h (fw_input_file_new()).
 *
 * The file input is split by concern:
 *  - input_file.c: the input's operations, the work loop, timers, stop;
 *  - input_file_tail.c: reading a tail, cutting lines, partial lines and
 *    the marks that wait for acknowledgements;
 *  - input_file_ident.c: opening a file and deciding where to start (its
 *    identity against the checkpoint, start_at, compressed files, each
 *    output's own position);
 *  - input_file_discover.c: globs, rescans, inotify watches and finding
 *    files rotated away while stopped.
 * A tail is owned by its file_input's list (fi->tails); fw__file_tail_free()
 * closes its fd and frees it. All of it runs on the input's loop thread.
 */
#ifndef FW_INPUT_FILE_INT_H
#define FW_INPUT_FILE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "input/decomp.h"
#include "input/decomp_files.h"
#include "input/input.h"
#include "input/linesplit.h"
#include "input/marks.h"
#include "input/movewatch.h"

#define READ_BLOCK (128u * 1024u)
#define READ_BUDGET (4u * 1024u * 1024u)   /* bytes per loop iteration per input */
#define RESCAN_MS 5000u
#define ROTATE_WAIT_MS 2000u
/* Marks (one per line that raised an alert) a tail keeps while they wait for
 * acknowledgements: a ring that grows by doubling up to MAX_MARKS; past that
 * the newest replaces the last, so positions only get coarser. Emptied, it
 * shrinks back to MARKS_FIRST (daemon/input/marks.h). */
#define MARKS_FIRST 64u
#define MAX_MARKS 65536u
#define MAX_COMPRESSED_OPEN 4u
/* A compressed file that stops mid-stream is reported as truncated once it has
 * not grown for this long (an upload in progress grows on). */
#define COMPRESSED_QUIET_MS 60000u
/* Daemon stop: how long deleted files get to be read and acknowledged, and how often we look. */
#define STOP_WAIT_MS 5000u
#define STOP_POLL_MS 20u
/* Outputs that can have a position of their own (bits of fw_alert_source.skip_outputs). */
#define MAX_SKIP_OUTPUTS 64u

/* Files that left the patterns are remembered this long, at most this many
 * per input (docs/daemon.md): one that comes back resumes where it left. */
#define LEFT_RETAIN_MS (60u * 60u * 1000u)
#define LEFT_MAX 1024u
/* Running out of fds is said at most this often per input (each hit is counted). */
#define FD_LIMIT_LOG_MS 60000u

struct file_input;

struct tail {
	struct file_input *fi;
	struct tail *next;
	char *path;
	char *prev_path;            /* its name before a rename seen while followed, or NULL */
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
	struct fw_marks marks;      /* positions waiting for acknowledgement, and the committed one */
	struct fw_decomp *dec;      /* compressed: its decoder; NULL for text */
	uint64_t skip_lines;        /* compressed, resumed: lines acknowledged before */
	bool finished;              /* compressed: read whole (or given up on) */
	bool gone;                  /* daemon stop: deleted, read to its end first */
	/* Restart: each output's own position from the checkpoint (pipeline
	 * order, at most MAX_SKIP_OUTPUTS); lines starting before skip_until
	 * are not sent again to an output whose position is past them. */
	uint64_t *out_pos;
	size_t n_out_pos;
	uint64_t skip_until;
};

/* A file by identity (the symbolic links not followed, each logged once). */
struct file_id {
	uint64_t dev, ino;
};

/* A file read to its end and closed after it left the patterns, or after
 * rotation renamed it to a name they still match (rotated). */
struct left_file {
	struct fw_checkpoint_file e;    /* its position and identity; owns e.path and
					 * e.rotated_from (rotated: its name before) */
	uint64_t left_ms;               /* when it left (rotated: last seen unchanged) */
	bool rotated;                   /* still matched: reopened when it changes */
	uint64_t size;                  /* rotated: size and mtime when closed */
	struct timespec mtime;
};

struct file_input {
	struct fw_input *in;
	struct tail *tails;
	struct file_id *links;      /* follow_symlinks = no: the links seen and skipped */
	size_t n_links;
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
	int spare_fd;                       /* released for glob() when fds run out */
	bool fd_starved;                    /* this scan hit EMFILE/ENFILE: open no more */
	uint64_t fd_limit_logged_ms;        /* when it was last said (once a minute) */
	uint64_t fd_limit_unsaid;           /* hits since */
	struct left_file *left;             /* in the order they left, at most LEFT_MAX */
	size_t n_left, cap_left;
};

static inline uint64_t
now_ms(const struct file_input *fi)
{
	return uv_now(fi->in->env.loop);
}

/* input_file.c */
/* Starts the work handle unless working, closing or paused. */
void fw__file_schedule(struct file_input *fi);

/* input_file_tail.c */
/* Hands a pending partial line on as a line (partial_flush, end of file). */
void fw__file_flush_partial(struct tail *t);
/* Reads up to budget bytes; returns bytes read, sets t->eof at the end. */
size_t fw__file_tail_read(struct tail *t, size_t budget);
/* At the end of a compressed file: complete, still being written, or cut short. */
void fw__file_compressed_at_eof(struct tail *t);
/* A compressed file read whole: its fd, decoder and line buffer go at once. */
void fw__file_compressed_release(struct tail *t);

/* input_file_ident.c */
/* Opens path (stat as st) as a new tail positioned by the checkpoint or start_at; NULL if not. */
struct tail *fw__file_tail_open(struct file_input *fi, const char *path, const struct stat *st,
				bool from_start);
void fw__file_tail_free(struct tail *t);
/* Whether t's file has no name left: a restart could not find it again. */
bool fw__file_tail_deleted(const struct tail *t);
/* The outputs ahead of t's committed position and where each stands (acks: MAX_SKIP_OUTPUTS). */
size_t fw__file_tail_acks(const struct tail *t, struct fw_checkpoint_ack *acks);
/* Remembers a compressed file as read (done) or as waiting for a free slot. */
void fw__file_remember_compressed(struct tail *t, uint64_t lines, bool waiting);
/* A text tail's checkpoint entry at its committed position (path, rotated_from borrowed). */
void fw__file_tail_entry(struct tail *t, struct fw_checkpoint_file *e);

/* input_file_discover.c */
struct tail *fw__file_find_tail(struct file_input *fi, uint64_t dev, uint64_t ino);
void fw__file_add_tail(struct file_input *fi, struct tail *t);
/* Globs every pattern; opens new files, marks vanished names as draining. */
void fw__file_scan(struct file_input *fi);
/* Scans now if paused by backpressure and a scan is due (see its comment). */
void fw__file_scan_while_paused(struct file_input *fi);
void fw__file_on_rescan(uv_timer_t *h);
/* One inotify watch per directory of the patterns (and one for its renames). */
void fw__file_watch_dirs(struct file_input *fi);
/* The rename watch (movewatch.h): 0 or -errno, named in the log. */
int fw__file_moves_init(struct file_input *fi);
void fw__file_moves_start(struct file_input *fi);
/* Opening path failed with EMFILE or ENFILE (err): counted, said once a minute. */
void fw__file_fd_limit(struct file_input *fi, const char *path, int err);
/* Remembers a text tail closed after it left the patterns or rotated (not if deleted). */
void fw__file_left_remember(struct tail *t);
/* The remembered file (dev, ino), or NULL; valid until the list changes. */
const struct left_file *fw__file_left_find(struct file_input *fi, uint64_t dev, uint64_t ino);
/* Whether t is a rotated file to close now (see its comment). */
bool fw__file_rotated_idle(const struct tail *t);
void fw__file_left_forget(struct file_input *fi, uint64_t dev, uint64_t ino);
/* Adds the remembered files to ck, so that a restart remembers them too. 0 or -ENOMEM. */
int fw__file_left_save(struct file_input *fi, struct fw_checkpoint *ck);
void fw__file_left_free(struct file_input *fi);

#endif
