/*
 * outq: see outq.h.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "output/outq.h"
#include "util/severity.h"

int
fw_outq_init(struct fw_outq *q, size_t cap)
{
	*q = (struct fw_outq){ .cap = cap ? cap : 1 };
	q->ring = calloc(q->cap, sizeof *q->ring);
	return q->ring ? 0 : -ENOMEM;
}

static void
release(struct fw_outq_item *it)
{
	fw_alert_msg_unref(it->msg);
	free(it->data);
	*it = (struct fw_outq_item){ 0 };
}

void
fw_outq_fini(struct fw_outq *q)
{
	while (q->count > 0)
		(void)fw_outq_pop(q);
	free(q->ring);
	q->ring = NULL;
}

static void
mark_done(struct fw_outq *q, uint64_t seq)
{
	if (seq > q->done_seq)
		q->done_seq = seq;
}

uint64_t
fw_outq_pop(struct fw_outq *q)
{
	struct fw_outq_item *it = fw_outq_at(q, 0);
	uint64_t seq = it->msg->seq;

	release(it);
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return seq;
}

void
fw_outq_drop_newest(struct fw_outq *q)
{
	struct fw_outq_item *it = fw_outq_at(q, q->count - 1);

	mark_done(q, it->msg->seq);
	release(it);
	q->count--;
}

uint64_t
fw_outq_ack_point(const struct fw_outq *q, uint64_t last)
{
	return q->count == 0 && q->done_seq > last ? q->done_seq : last;
}

/* Drops the oldest item after the first `busy`; false when all are busy. */
static bool
drop_oldest(struct fw_outq *q, size_t busy)
{
	if (busy >= q->count)
		return false;
	mark_done(q, fw_outq_at(q, busy)->msg->seq);
	release(fw_outq_at(q, busy));
	for (size_t i = busy; i + 1 < q->count; i++)
		*fw_outq_at(q, i) = *fw_outq_at(q, i + 1);
	*fw_outq_at(q, q->count - 1) = (struct fw_outq_item){ 0 };
	q->count--;
	return true;
}

static bool
filtered(const struct fw_output *out, const struct fw_alert_msg *msg)
{
	int severity = msg->severity >= 0 ? msg->severity : FW_SEVERITY_DEFAULT;

	return (!isnan(msg->confidence) && msg->confidence < out->cfg->min_confidence) ||
	       severity > out->cfg->min_severity;
}

/* seq is done unwritten: acknowledged now when nothing older waits, else once q empties. */
static void
done_unwritten(struct fw_output *out, struct fw_outq *q, uint64_t seq)
{
	if (!q || q->count == 0)
		fw_output_ack(out, seq);
	else
		mark_done(q, seq);
}

void
fw_output_skip(struct fw_output *out, uint64_t seq)
{
	out->stats.skipped++;
	done_unwritten(out, out->queue, seq);
}

struct fw_outq_item *
fw_output_enqueue(struct fw_output *out, struct fw_outq *q, struct fw_alert_msg *msg, size_t busy,
		  int *err)
{
	struct fw_outq_item *it;

	*err = 0;
	if (filtered(out, msg)) {
		out->stats.filtered++;
		done_unwritten(out, q, msg->seq);
		return NULL;
	}
	if (q->count == q->cap) {
		if (out->cfg->overflow != FW_OVERFLOW_DROP_OLDEST || !drop_oldest(q, busy)) {
			*err = -ENOBUFS;
			return NULL;
		}
		out->stats.dropped++;
	}
	it = fw_outq_at(q, q->count);
	*it = (struct fw_outq_item){ .msg = fw_alert_msg_ref(msg) };
	q->count++;
	out->queued = q->count;
	return it;
}
