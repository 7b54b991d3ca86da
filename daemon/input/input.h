/*
 * input: the interface every line source implements (design.md §5): file,
 * journal, stdin.
 *
 * An input reads in large blocks and hands the pipeline one complete line
 * at a time (fw_pipeline_line(), line ending removed). It never makes a
 * syscall per line.
 *
 * Positions and checkpoints. The pipeline numbers alerts with a strictly
 * increasing sequence number. After handing over a batch of lines, an input
 * records a *mark*: its position after those lines together with
 * fw_pipeline_seq() (the last sequence number assigned so far). A mark is
 * safe once fw_pipeline_safe_seq() >= its seq: every alert of every line
 * before it was acknowledged by every output. save() writes the latest safe
 * position into a checkpoint; a restart resumes there, so a line whose
 * alerts were not acknowledged is read again (at-least-once), and a line
 * that was acknowledged is never read again. A file input also saves, per
 * output ahead of that position, the output's own position (marks with seq
 * <= fw_pipeline_output_safe_seq()), and after a restart sets
 * src->skip_outputs on the lines before it, so that output is not sent them
 * again (checkpoint.h).
 *
 * Backpressure. fw_pipeline_line() returns false when the pipeline has
 * paused (an output queue is full): the line was accepted; the input
 * finishes the block it is splitting and reads no more until resume().
 *
 * Life cycle: fw_input_new() -> start() -> [pause()/resume()]* -> [stop()]
 * -> close() with a callback once every handle is closed -> destroy(). The input
 * config is owned by the running config, which outlives the input.
 */
#ifndef FW_INPUT_H
#define FW_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "core/checkpoint.h"
#include "util/close_barrier.h"
#include "util/diag.h"
#include "core/fwconfig.h"

struct fw_pipeline;
struct fw_input;

/* What an input gets from the daemon when it is created. */
struct fw_input_env {
	uv_loop_t *loop;
	struct fw_pipeline *pipeline;
	/* The input's checkpoint as found in state_dir (not yet applied), or
	 * NULL: none. Only valid during fw_input_new(); copy what you keep. */
	const struct fw_checkpoint *checkpoint;
	/* --oneshot: read to the end once, no watches, then call
	 * fw_input_finished(). */
	bool oneshot;
	/* Called by fw_input_finished(); may be NULL. */
	void (*on_finished)(struct fw_input *in);
};

/* One followed stream, for status and metrics. */
struct fw_input_stream_status {
	const char *name;           /* file path, journal directory or "-" */
	uint64_t offset;            /* bytes read (file: offset in the file) */
	uint64_t size;              /* file size when last seen; 0 if unknown */
	uint64_t line_no;           /* lines read */
};

/* Why a matched file was not followed (fw_input_stats.skipped). */
enum fw_input_skip {
	FW_SKIP_SYMLINK,            /* follow_symlinks = no */
	FW_SKIP_COMPRESSED_AT_START,/* compressed, present at start-up, start_at = end */
	FW_SKIP_N
};

struct fw_input_stats {
	uint64_t lines;
	uint64_t bytes;
	uint64_t truncated;         /* lines cut at max_line_bytes */
	uint64_t partial_flushed;   /* last lines emitted without newline */
	uint64_t rotations;         /* rename, copytruncate, delete/re-create */
	uint64_t errors;            /* read/open errors seen */
	uint64_t fd_limit;          /* opens refused for lack of fds (EMFILE, ENFILE) */
	uint64_t reread;            /* files read again from offset 0: truncated under us,
				     * or not the file checkpointed or remembered */
	uint64_t identity_mismatch; /* of those, an inode that held another file */
	uint64_t skipped[FW_SKIP_N];/* files matched and never read, by reason (each once) */
	uint64_t state_errors;      /* checkpoint saves that failed (ENOSPC, EIO...) */
	uint64_t state_failing;     /* of those, since the last save that succeeded */
};

struct fw_input_ops {
	const char *type;
	/* Applies the checkpoint, opens and starts reading. 0 or -errno. */
	int (*start)(struct fw_input *in);
	/* Stop / restart handing lines to the pipeline (backpressure). */
	void (*pause)(struct fw_input *in);
	void (*resume)(struct fw_input *in);
	/*
	 * Fills ck (already initialised with the input's name) with the latest
	 * safe position of every stream: marks with seq <= safe_seq. Called
	 * every checkpoint_interval and at shutdown. 0 or -errno.
	 */
	int (*save)(struct fw_input *in, uint64_t safe_seq, struct fw_checkpoint *ck);
	/* Calls cb for every stream it follows (status, metrics); may be NULL. */
	void (*streams)(struct fw_input *in,
			void (*cb)(const struct fw_input_stream_status *st, void *ctx), void *ctx);
	/*
	 * SIGHUP changed the input's section, the type staying: takes cfg (owned
	 * by the new running config) over in place, keeping every position and
	 * every alert still awaiting acknowledgement. May be NULL: the daemon
	 * then stops the input at its checkpoint and starts a new one.
	 */
	void (*reconfigure)(struct fw_input *in, const struct fw_input_config *cfg);
	/*
	 * The daemon stops (before close()): reads what a restart could not
	 * read again (file: a file deleted while followed) and waits until
	 * its alerts are acknowledged, bounded in time; then calls done, at
	 * once when there is nothing such. May be NULL.
	 */
	void (*stop)(struct fw_input *in, void (*done)(struct fw_input *in));
	/* Stops reading and closes every handle, then calls done. */
	void (*close)(struct fw_input *in, void (*done)(struct fw_input *in));
	void (*destroy)(struct fw_input *in);
};

struct fw_input {
	const struct fw_input_ops *ops;
	const struct fw_input_config *cfg;   /* owned by the running config */
	struct fw_input_env env;             /* env.checkpoint is NULL after new() */
	uint64_t *domain_mask;               /* records this input matches; NULL = all.
					      * Owned by the pipeline (rebuilt on reload). */
	size_t pipeline_slot;                /* its index in the pipeline's inputs, kept
					      * by the pipeline (add and remove) */
	struct fw_input_stats stats;
	bool paused;
	bool finished;                       /* oneshot: read to the end */
	/* Every libuv handle the implementation initialized (it adds each one
	 * and closes it through this barrier); see fw_input_wait_closed(). */
	struct fw_close_barrier handles;
	void (*close_done)(struct fw_input *in);
	void *priv;                          /* the implementation's state */
	void *data;                          /* the daemon's cookie */
};

/*
 * Creates the input of cfg->type (not started). 0 or -errno, with the reason
 * in diag naming the input ("[input.NAME] path: ...").
 */
int fw_input_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		 struct fw_input **out, struct fw_diag *diag);

/* Constructors behind fw_input_new(), same contract. */
int fw_input_file_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		      struct fw_input **out, struct fw_diag *diag);
int fw_input_stdin_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
		       struct fw_input **out, struct fw_diag *diag);
int fw_input_journal_new(const struct fw_input_env *env, const struct fw_input_config *cfg,
			 struct fw_input **out, struct fw_diag *diag);

/* For implementations: common fields set up, priv left to the caller. NULL on OOM. */
struct fw_input *fw_input_alloc(const struct fw_input_ops *ops, const struct fw_input_env *env,
				const struct fw_input_config *cfg);
void fw_input_free_common(struct fw_input *in);

/*
 * For implementations, from close() once they closed their handles through
 * in->handles: done(in) once the last has closed (at once if none was open).
 */
void fw_input_wait_closed(struct fw_input *in, void (*done)(struct fw_input *in));

/* For implementations, in oneshot mode: everything was read and handed over. */
void fw_input_finished(struct fw_input *in);

const char *fw_input_type_name(enum fw_input_type type);

#endif
