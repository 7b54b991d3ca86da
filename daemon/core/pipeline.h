/*
 * pipeline: the data path of the daemon. A line travels
 *   input -> fw_pipeline_line() -> matcher (the input's domain mask)
 *         -> alert builder -> [aggregation stage] -> every output
 * and acknowledgements travel back: outputs raise out->acked, the pipeline
 * computes the safe sequence number (the lowest acked of all outputs,
 * lowered by what the aggregation stage still holds) and inputs checkpoint
 * only marks at or below it (see input.h). Each output's own safe number
 * (fw_pipeline_output_safe_seq()) is checkpointed too; after a restart a
 * line's source names the outputs that had its alerts (skip_outputs), and
 * those are acknowledged for them without being sent (fw_output_skip()).
 *
 * Sequence numbers: one per alert message, strictly increasing from 1.
 * fw_pipeline_seq() is the last one assigned.
 *
 * Backpressure: when an output refuses a message (-ENOBUFS, queue full
 * with overflow = block) the pipeline keeps it in that output's backlog,
 * pauses every input, and resends the backlog as the output reports
 * progress; once every backlog is empty it resumes the inputs. The backlog
 * is bounded by the alerts of the lines of the one block each input is
 * splitting when the pause comes.
 *
 * The matcher and KB are swapped atomically on reload (the caller loads and
 * compiles first); inputs keep their positions.
 *
 * An input with `multiline` has its continuation lines joined to the entry
 * they continue (input/format_multiline.h) before anything else: the entry
 * is matched when a line starts the next one, when it is full, after
 * multiline_timeout without a next line, and on flush; until then it holds
 * a reserved sequence number, so its lines are not checkpointed.
 *
 * An input with a line format (`format =`, input/format.h) has its lines
 * parsed first: header lines are counted and not matched, lines that do
 * not parse are counted, reported (the first few, by file:line) and matched
 * as plain text; records with `field` or `logs` targets are applied by
 * input/format_match.h. Alerts of such inputs carry "event_time" and
 * "fields".
 *
 * Matching a line allocates nothing; an alert allocates its message, and
 * with aggregation a held match keeps a copy of its line until its summary
 * (aggregate.h).
 */
#ifndef FW_PIPELINE_H
#define FW_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <uv.h>

#include "core/alert.h"
#include "util/diag.h"
#include "core/fwconfig.h"
#include "input/input.h"
#include "kb/kb.h"
#include "input/linesplit.h"
#include "match/match.h"
#include "output/output.h"

struct fw_pipeline;

/* Counters for STATUS, `fixwatch status` and metrics. */
struct fw_pipeline_stats {
	uint64_t lines;
	uint64_t bytes;
	uint64_t matches;           /* hits over all lines (every record that matched) */
	uint64_t lines_matched;     /* lines with at least one hit */
	uint64_t alerts;            /* messages numbered and sent to outputs */
	uint64_t limit_errors;      /* pattern runs that hit a PCRE2 limit */
	uint64_t build_errors;      /* alerts that could not be built (out of memory) */
	uint64_t pauses;            /* times backpressure paused the inputs */
	uint64_t unknown;           /* unknown/<log> alerts raised (unknown.h) */
	uint64_t unparsed;          /* lines of inputs with a format that did not parse */
	uint64_t headers;           /* format header lines (W3C #Fields...), not matched */
	uint64_t joined;            /* lines joined to the entry before them (multiline) */
};

/*
 * Aggregation stage (design.md §6), optional, between the alert builder and the
 * outputs. alert() is called for every alert the builder would send; it
 * returns false to let it through now, or true when it took the alert over
 * (counted in a window). A stage that holds back matches must keep the
 * lines they came from from being checkpointed: it takes a sequence
 * number with fw_pipeline_reserve_seq() when it starts holding and reports
 * the lowest reservation it still holds with fw_pipeline_set_hold() (0 =
 * none); later it sends its summary with fw_pipeline_emit().
 */
struct fw_alert_stage {
	bool (*alert)(struct fw_alert_stage *stage, const struct fw_alert_input *in,
		      const struct fw_record *rec);
	/* --oneshot and shutdown: send what is held now (no more lines come). */
	void (*flush)(struct fw_alert_stage *stage);
	/* A reload is about to free the matcher and KB: take from them what the
	 * held matches still need (captures taken later). May be NULL. */
	void (*before_reload)(struct fw_alert_stage *stage);
	void *priv;
};

/*
 * Creates the pipeline for cfg (which must outlive it, or be replaced with
 * fw_pipeline_reload()) and matcher (whose KB must outlive it). Outputs are
 * added with fw_pipeline_add_output(), inputs register with
 * fw_pipeline_add_input(). 0 or -errno.
 */
int fw_pipeline_new(uv_loop_t *loop, const struct fw_config *cfg, struct fw_matcher *matcher,
		    struct fw_pipeline **out, struct fw_diag *diag);
/* Frees the pipeline, its matcher, KB, and domain masks; not the outputs or inputs. */
void fw_pipeline_free(struct fw_pipeline *p);

/* The pipeline takes out over (sets out->on_progress). 0 or -ENOMEM. */
int fw_pipeline_add_output(struct fw_pipeline *p, struct fw_output *out);
/* Registers an input for pause/resume and computes its domain mask. 0 or -errno (diag). */
int fw_pipeline_add_input(struct fw_pipeline *p, struct fw_input *in, struct fw_diag *diag);
/* Unregisters an input (reload removed it) and frees its domain mask. */
void fw_pipeline_remove_input(struct fw_pipeline *p, struct fw_input *in);
void fw_pipeline_set_stage(struct fw_pipeline *p, struct fw_alert_stage *stage);

/*
 * Swaps to a new matcher (and its KB) and alert settings from cfg; the old
 * matcher and KB are freed. Inputs' domain masks are rebuilt; on an error
 * (a domain no longer in the KB) nothing changes. 0 or -errno (diag).
 */
int fw_pipeline_reload(struct fw_pipeline *p, const struct fw_config *cfg,
		       struct fw_matcher *matcher, struct fw_diag *diag);

/*
 * Runs one complete line (struct fw_line of linesplit.h: data, len without
 * the line ending, truncated; its offsets are not used here, src says where
 * it came from): match, build, send. Returns true to go on, false when the
 * pipeline is paused: the line was taken; the input should stop handing
 * over lines soon (at the latest after the block it is splitting) and wait
 * for its resume().
 */
bool fw_pipeline_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
		      const struct fw_alert_source *src);

/*
 * When the lines handed over next were read (CLOCK_REALTIME): an input
 * that reads a block and then hands over its lines says so once per block,
 * and their alerts' `time` is that read, not a clock read per line. NULL
 * once the block is done: lines handed over outside a read (a partial
 * line flushed, a multiline entry timed out) read the clock themselves.
 */
void fw_pipeline_read_time(struct fw_pipeline *p, const struct timespec *t);

/* The last sequence number assigned (0 before the first alert). */
uint64_t fw_pipeline_seq(const struct fw_pipeline *p);
/* Every alert up to this one was acknowledged by every output and is not held. */
uint64_t fw_pipeline_safe_seq(const struct fw_pipeline *p);
/*
 * The same for output i alone (i < the count fw_pipeline_outputs() gives):
 * what an input checkpoints as that output's own position, so that after a
 * restart the output is not sent again what it had (src->skip_outputs).
 */
uint64_t fw_pipeline_output_safe_seq(const struct fw_pipeline *p, size_t i);
bool fw_pipeline_paused(const struct fw_pipeline *p);

/* For the aggregation stage: see struct fw_alert_stage. */
uint64_t fw_pipeline_reserve_seq(struct fw_pipeline *p);
void fw_pipeline_set_hold(struct fw_pipeline *p, uint64_t lowest_held_seq);
/* Numbers and sends a written alert (json[0..len) is copied). 0 or -ENOMEM. */
int fw_pipeline_emit(struct fw_pipeline *p, const char *json, size_t len, const struct fw_record *rec,
		     const struct fw_alert_input *in);

/* The pre-rendered alert parts of the current KB, for a stage that holds alerts. */
struct fw_alert_parts *fw_pipeline_alert_parts(const struct fw_pipeline *p);

/* Called whenever the safe sequence number may have moved (checkpointing). */
void fw_pipeline_on_safe(struct fw_pipeline *p, void (*cb)(struct fw_pipeline *p, void *ctx),
			 void *ctx);

const struct fw_pipeline_stats *fw_pipeline_stats(const struct fw_pipeline *p);
/* Lines the fast matcher's DFA gave up on (see dfa.h), over every KB loaded. */
uint64_t fw_pipeline_dfa_gave_up(const struct fw_pipeline *p);
/* Times the fast matcher changed its scan's first stage (match_fast.h), over every KB loaded. */
uint64_t fw_pipeline_stage_switches(const struct fw_pipeline *p);
const struct fw_kb *fw_pipeline_kb(const struct fw_pipeline *p);

/*
 * For a stage that decides most matches without their captures (window >
 * 0): the matcher then gives hits with captures_later (match.h), whose
 * captures the stage takes with fw_pipeline_captures() when it writes
 * their alert. Kept across reloads. 0 or -ENOMEM.
 */
int fw_pipeline_lazy_captures(struct fw_pipeline *p, bool on);
/* fw_match_captures() with the pipeline's current matcher. */
int fw_pipeline_captures(struct fw_pipeline *p, uint32_t pattern, const char *line, size_t len,
			 struct fw_capture *out, uint32_t max);
/* Matches per record, indexed like kb->records (reset on reload). */
const uint64_t *fw_pipeline_record_matches(const struct fw_pipeline *p);
struct fw_output *const *fw_pipeline_outputs(const struct fw_pipeline *p, size_t *n);
struct fw_input *const *fw_pipeline_inputs(const struct fw_pipeline *p, size_t *n);

/* Matches the multiline entries held and asks the stage to flush (oneshot, shutdown). */
void fw_pipeline_flush(struct fw_pipeline *p);
/* Closes the pipeline's handles (the multiline timer) before the loop ends; free() follows. */
void fw_pipeline_close(struct fw_pipeline *p);
/* Whether every alert was acknowledged and nothing is held or backlogged. */
bool fw_pipeline_drained(const struct fw_pipeline *p);

#endif
