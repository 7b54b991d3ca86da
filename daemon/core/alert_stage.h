/*
 * alert_stage: the aggregation stage of the pipeline ([alerts] window,
 * threshold; design.md §6), built on the pure aggregate module and a uv timer
 * that closes windows.
 *
 * Alerts it lets through are sent at once with their count. Each held match
 * keeps a sequence number reserved (fw_pipeline_reserve_seq) from the first
 * held match of its window until its summary is sent, so the checkpoint
 * never passes a line whose match is only counted in memory: after a crash
 * those lines are read again. A clean stop flushes every summary.
 * The window and threshold are read at start; a reload keeps them.
 */
#ifndef FW_ALERT_STAGE_H
#define FW_ALERT_STAGE_H

#include <uv.h>

#include "core/aggregate.h"
#include "core/fwconfig.h"
#include "core/pipeline.h"

struct fw_aggregate_stage;

/* 0 or -errno; the stage is installed on p with fw_pipeline_set_stage(). */
int fw_aggregate_stage_new(uv_loop_t *loop, struct fw_pipeline *p, const struct fw_config *cfg,
			   struct fw_aggregate_stage **out);
void fw_aggregate_stage_get_stats(const struct fw_aggregate_stage *s, struct fw_aggregate_stats *st);
/* Closes the timer (after the pipeline's flush); frees the stage in its callback. */
void fw_aggregate_stage_close(struct fw_aggregate_stage *s);

#endif
