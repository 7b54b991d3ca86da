/*
 * pipeline_int.h: the pipeline's private state, shared by its three files
 * and by nothing else:
 *   pipeline.c          creating, registering inputs and outputs, reload,
 *                       the counters and accessors;
 *   pipeline_line.c     a line's way to its alerts: format parsing,
 *                       multiline joining, matching, the alert builder's input;
 *   pipeline_deliver.c  an alert's way to the outputs: numbering, backlogs,
 *                       pausing the inputs, and the acknowledgements back
 *                       (the safe sequence numbers).
 * The contract is pipeline.h's.
 */
#ifndef FW_PIPELINE_INT_H
#define FW_PIPELINE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/pipeline.h"
#include "input/format.h"

struct out_slot {
	struct fw_output *out;
	/* Messages the output refused (queue full), oldest first, sent before
	 * anything newer so the output sees sequence numbers in order. */
	struct fw_alert_msg **backlog;
	size_t n_backlog, cap_backlog;
};

/* The line format of an input (input/format.h), parallel to inputs. */
struct in_format {
	struct fw_format_parser *parser;    /* NULL: plain lines */
	uint64_t bad;                       /* its lines that did not parse */
	/* multiline: the entry being joined (format_multiline.h) */
	struct fw_multiline *ml;            /* NULL: none */
	char *ml_spec;                      /* what ml was made from, to see a reload change it */
	uint32_t ml_max_lines;
	size_t ml_max_bytes;
	uint64_t ml_deadline;               /* uv_now() when the held entry is flushed */
	uint64_t ml_hold;                   /* sequence number reserved for it, 0: none */
};

struct fw_pipeline {
	uv_loop_t *loop;
	const struct fw_config *cfg;
	struct fw_matcher *matcher;
	struct fw_kb *kb;
	struct fw_alert_parts *parts;   /* of kb, in cfg's locale */
	struct fw_jbuf alert_buf;       /* the alert being written, reused */
	struct fw_match_ctx *ctx;
	struct fw_format_match *fmatch; /* field and logs targets of kb */
	uint64_t *record_matches;

	struct out_slot *outs;
	struct fw_output **out_ptrs;    /* the same outputs, for fw_pipeline_outputs() */
	size_t n_outs;
	struct fw_input **inputs;
	struct in_format *formats;      /* parallel to inputs */
	size_t n_inputs;
	struct fw_parsed parsed;        /* the current line's fields, reused */
	uv_timer_t ml_timer;            /* flushes multiline entries that wait too long */
	bool ml_timer_init;
	struct timespec read_time;      /* fw_pipeline_read_time(), if has_read_time */
	bool has_read_time;
	struct fw_alert_stage *stage;

	uint64_t seq;               /* last assigned */
	uint64_t last_sent;         /* last assigned to a message (not a reservation) */
	uint64_t hold;              /* lowest sequence number the stage holds, 0 = none */
	uint64_t ml_hold;           /* lowest one the multiline entries hold, 0 = none */
	bool paused;
	bool lazy_captures;         /* fw_pipeline_lazy_captures() */
	bool emitting;              /* re-entrancy guard: progress during submit */
	bool progress_pending;
	char host[256];

	void (*on_safe)(struct fw_pipeline *p, void *ctx);
	void *on_safe_ctx;
	struct fw_pipeline_stats stats;
	uint64_t dfa_gave_up_before;    /* by the matching contexts of earlier KBs */
	uint64_t stage_switches_before; /* the same, for the scan's first stage */
};

/* pipeline_deliver.c: an output reported progress (acknowledged, drained). */
void fw__pipeline_on_output_progress(struct fw_output *out);
/* pipeline_deliver.c: one alert of a line, to the stage, which may hold it, or written and sent. */
void fw__pipeline_alert_hit(struct fw_pipeline *p, const struct fw_alert_input *ai,
			    const struct fw_record *rec);
/* pipeline_line.c: matches the multiline entry an input holds, if any. */
void fw__pipeline_flush_entry(struct fw_pipeline *p, struct fw_input *in, struct in_format *f);

#endif
