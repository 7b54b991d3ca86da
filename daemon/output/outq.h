/*
 * outq: the bounded queue each output keeps its alerts in, with admission
 * (the min_confidence / min_severity filter and the overflow policy) and
 * the acknowledgement point written once for every output type.
 *
 * Items stay in sequence order. The first `busy` items at the head may be
 * in the kernel's or libuv's hands (partly written, or handed to a pending
 * uv_write): drop-oldest never takes those, so nothing a write still reads
 * is freed. An alert that is done without being written (filtered, dropped,
 * unsendable) cannot be acknowledged while older ones still wait, since an
 * acknowledgement covers every smaller sequence number: the queue remembers
 * the highest such number and gives it out as soon as it is empty.
 */
#ifndef FW_OUTQ_H
#define FW_OUTQ_H

#include <stddef.h>
#include <stdint.h>

#include "output/output.h"

struct fw_outq_item {
	struct fw_alert_msg *msg;
	char *data;                 /* the output's rendering of msg, or NULL; freed with it */
	size_t len;
	uint64_t end;               /* the output's own mark (a stream offset once written) */
};

struct fw_outq {
	struct fw_outq_item *ring;
	size_t cap, head, count;
	uint64_t done_seq;          /* highest seq done without being written */
};

/* An empty queue of cap items (cap >= 1). 0 or -ENOMEM. */
int fw_outq_init(struct fw_outq *q, size_t cap);
/* Releases every item and the ring. */
void fw_outq_fini(struct fw_outq *q);

/* The i-th item from the head (i < count). */
static inline struct fw_outq_item *
fw_outq_at(const struct fw_outq *q, size_t i)
{
	return &q->ring[(q->head + i) % q->cap];
}

/* Releases the head item (written); returns its sequence number. */
uint64_t fw_outq_pop(struct fw_outq *q);
/* Releases the newest item without writing it, as done (e.g. it cannot be rendered). */
void fw_outq_drop_newest(struct fw_outq *q);
/*
 * Where the output's acknowledgement stands once the items up to `last`
 * were written: `last`, or the highest seq done unwritten when nothing is
 * queued any more and it is higher. 0: nothing to acknowledge.
 */
uint64_t fw_outq_ack_point(const struct fw_outq *q, uint64_t last);

/*
 * Admits msg to out's queue q, of which the first `busy` items cannot be
 * dropped. Returns the new tail item (holding a reference to msg) for the
 * output to fill in, or NULL with *err:
 *   0        msg is below min_confidence or min_severity: counted in
 *            stats.filtered and done (acknowledged now when q is empty);
 *   -ENOBUFS q is full and overflow = block (or every item is busy).
 * With overflow = drop-oldest a full queue drops its oldest item that is
 * not busy, counted in stats.dropped. Sets out->queued.
 */
struct fw_outq_item *fw_output_enqueue(struct fw_output *out, struct fw_outq *q,
				       struct fw_alert_msg *msg, size_t busy, int *err);

#endif
