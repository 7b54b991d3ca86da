/*
 * pipeline_deliver: an alert's way to the outputs and the acknowledgements
 * back. Every alert gets the next sequence number and is submitted to each
 * output in order; what an output refuses (-ENOBUFS) waits in its backlog
 * while the inputs are paused, and is resent as the output reports
 * progress. The safe sequence numbers (what inputs may checkpoint) are
 * computed here from the outputs' acknowledgements and the holds of the
 * aggregation stage and of multiline entries.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "core/pipeline_int.h"

static void
pause_inputs(struct fw_pipeline *p)
{
	if (p->paused)
		return;
	p->paused = true;
	p->stats.pauses++;
	for (size_t i = 0; i < p->n_inputs; i++) {
		struct fw_input *in = p->inputs[i];
		if (!in->paused && in->ops->pause)
			in->ops->pause(in);
		in->paused = true;
	}
}

static void
resume_inputs(struct fw_pipeline *p)
{
	if (!p->paused)
		return;
	p->paused = false;
	for (size_t i = 0; i < p->n_inputs; i++) {
		struct fw_input *in = p->inputs[i];
		in->paused = false;
		if (in->ops->resume)
			in->ops->resume(in);
		if (p->paused)
			break;  /* a resumed input filled a queue again */
	}
}

static int
backlog_push(struct out_slot *slot, struct fw_alert_msg *msg)
{
	if (slot->n_backlog == slot->cap_backlog) {
		size_t cap = slot->cap_backlog ? slot->cap_backlog * 2 : 8;
		struct fw_alert_msg **v = realloc(slot->backlog, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		slot->backlog = v;
		slot->cap_backlog = cap;
	}
	slot->backlog[slot->n_backlog++] = fw_alert_msg_ref(msg);
	return 0;
}

/* Resends a backlog in order; true when it is empty. */
static bool
drain_backlog(struct out_slot *slot)
{
	size_t sent = 0;
	while (sent < slot->n_backlog) {
		if (slot->out->ops->submit(slot->out, slot->backlog[sent]) == -ENOBUFS)
			break;
		fw_alert_msg_unref(slot->backlog[sent]);
		sent++;
	}
	memmove(slot->backlog, slot->backlog + sent,
		(slot->n_backlog - sent) * sizeof(*slot->backlog));
	slot->n_backlog -= sent;
	return slot->n_backlog == 0;
}

static void
progress(struct fw_pipeline *p)
{
	bool empty = true;
	p->emitting = true;
	for (size_t i = 0; i < p->n_outs; i++)
		if (p->outs[i].n_backlog && !drain_backlog(&p->outs[i]))
			empty = false;
	p->emitting = false;
	if (empty && p->paused)
		resume_inputs(p);
	if (p->on_safe)
		p->on_safe(p, p->on_safe_ctx);
}

void
fw__pipeline_on_output_progress(struct fw_output *out)
{
	struct fw_pipeline *p = out->pipeline;
	if (p->emitting) {
		p->progress_pending = true;
		return;
	}
	progress(p);
}

/* Numbers and sends an alert to every output except those in skip (bit i: output i). */
static int
emit(struct fw_pipeline *p, const char *json, size_t len, const struct fw_record *rec,
     const struct fw_alert_input *in, uint64_t skip)
{
	const struct fw_alert_keys keys = {
		.id = rec->id, .domain = rec->domain, .category = rec->category,
		.signature = rec->signature, .input = in->input, .host = in->host,
	};
	struct fw_alert_msg *msg = fw_alert_msg_new(json, len, &keys);
	if (!msg) {
		p->stats.build_errors++;
		return -ENOMEM;
	}
	msg->seq = ++p->seq;
	p->last_sent = msg->seq;
	msg->confidence = rec->confidence;
	msg->severity = fw_alert_severity(in);
	msg->time = in->time;
	msg->count = in->count;
	p->stats.alerts++;

	p->emitting = true;
	for (size_t i = 0; i < p->n_outs; i++) {
		struct out_slot *slot = &p->outs[i];
		/* Not behind a backlog: an acknowledgement covers every older alert. */
		if (i < 64 && (skip >> i & 1) && slot->n_backlog == 0) {
			fw_output_skip(slot->out, msg->seq);
			continue;
		}
		int err = slot->n_backlog ? -ENOBUFS : slot->out->ops->submit(slot->out, msg);
		if (err == -ENOBUFS) {
			if (backlog_push(slot, msg) < 0) {
				/* Not sent, never acknowledged: the line is read
				 * again after a restart. */
				log_err("output %s: out of memory queueing alert %llu",
					slot->out->cfg->name, (unsigned long long)msg->seq);
				continue;
			}
			pause_inputs(p);
		}
	}
	p->emitting = false;
	fw_alert_msg_unref(msg);
	if (p->progress_pending) {
		p->progress_pending = false;
		progress(p);
	}
	return 0;
}

int
fw_pipeline_emit(struct fw_pipeline *p, const char *json, size_t len, const struct fw_record *rec,
		 const struct fw_alert_input *in)
{
	/* A summary stands for lines on both sides of any output's position: sent to all. */
	return emit(p, json, len, rec, in, 0);
}

/* One alert of a line: to the stage, which may hold it, or written and sent. */
void
fw__pipeline_alert_hit(struct fw_pipeline *p, const struct fw_alert_input *ai,
		       const struct fw_record *rec)
{
	if (p->stage && p->stage->alert(p->stage, ai, rec))
		return;
	fw_jbuf_reset(&p->alert_buf);
	fw_alert_write(&p->alert_buf, ai);
	if (!fw_jbuf_ok(&p->alert_buf)) {
		p->stats.build_errors++;
		return;
	}
	emit(p, p->alert_buf.data, p->alert_buf.len, rec, ai,
	     ai->source ? ai->source->skip_outputs : 0);
}

/*
 * What an output has done: its acknowledgement, except that an output that
 * acknowledged every message ever sent is also past the reservations after
 * them (they are numbers, not messages: no output ever sees them).
 */
static uint64_t
output_done(const struct fw_pipeline *p, const struct out_slot *slot)
{
	if (slot->n_backlog == 0 && slot->out->acked >= p->last_sent)
		return p->seq;
	return slot->out->acked;
}

uint64_t
fw_pipeline_safe_seq(const struct fw_pipeline *p)
{
	uint64_t safe = p->seq;
	for (size_t i = 0; i < p->n_outs; i++)
		if (output_done(p, &p->outs[i]) < safe)
			safe = output_done(p, &p->outs[i]);
	if (p->hold && p->hold - 1 < safe)
		safe = p->hold - 1;
	if (p->ml_hold && p->ml_hold - 1 < safe)
		safe = p->ml_hold - 1;
	return safe;
}

uint64_t
fw_pipeline_output_safe_seq(const struct fw_pipeline *p, size_t i)
{
	uint64_t safe = output_done(p, &p->outs[i]);

	if (p->hold && p->hold - 1 < safe)
		safe = p->hold - 1;
	if (p->ml_hold && p->ml_hold - 1 < safe)
		safe = p->ml_hold - 1;
	return safe;
}

bool
fw_pipeline_paused(const struct fw_pipeline *p)
{
	return p->paused;
}

uint64_t
fw_pipeline_reserve_seq(struct fw_pipeline *p)
{
	return ++p->seq;
}

void
fw_pipeline_set_hold(struct fw_pipeline *p, uint64_t lowest_held_seq)
{
	p->hold = lowest_held_seq;
	if (p->on_safe)
		p->on_safe(p, p->on_safe_ctx);
}

bool
fw_pipeline_drained(const struct fw_pipeline *p)
{
	if (p->hold || p->ml_hold)
		return false;
	for (size_t i = 0; i < p->n_outs; i++)
		if (output_done(p, &p->outs[i]) < p->seq)
			return false;
	return true;
}
