/*
 * status: what the running daemon reports (design.md §8): inputs and their
 * streams (offset, size, lag in bytes), lines and bytes read, matches per
 * record id, alerts, aggregation, outputs with their state and counters.
 *
 * fw_status_build() takes a snapshot as one JSON object (the control
 * socket's answer); fw_status_prometheus() renders such a snapshot as
 * Prometheus text exposition format (metric names fixwatch_*) and
 * fw_status_write_metrics() replaces a file with it atomically (temp file
 * in the same directory, fsync, rename) for node_exporter's textfile
 * collector. fw_status_print_text() is the readable form of `fixwatch status`.
 */
#ifndef FW_STATUS_H
#define FW_STATUS_H

#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include "core/alert_stage.h"
#include "core/pipeline.h"

/* A new object (caller puts it) or NULL on out-of-memory; agg may be NULL. */
json_object *fw_status_build(struct fw_pipeline *p, const struct fw_aggregate_stage *agg,
			     time_t started);

/* 0, or -EIO when f failed. */
int fw_status_prometheus(json_object *status, FILE *f);

/* 0 or -errno; the old file stays whole on failure. */
int fw_status_write_metrics(json_object *status, const char *path);

/* `fixwatch status [-s SOCKET] [--json]` (status_cmd.c): the exit status. */
int fw_status_command(int argc, char **argv);

/* The readable `fixwatch status` text. */
void fw_status_print_text(json_object *status, FILE *f);

#endif
