/*
 * marks: the positions a file input holds while their alerts wait for
 * acknowledgement. A mark is (sequence number, offset, line): the position
 * after a line, safe once every alert up to seq is. Marks are kept oldest
 * first in a ring that starts at `first` entries and doubles up to `max`
 * (both powers of two); when full, the newest replaces the last, which
 * keeps every position correct and only makes them coarser. Emptied, the
 * ring shrinks back to `first`, so a burst of held positions does not keep
 * its memory. No allocation happens while the ring has room.
 *
 * Ownership: struct fw_marks is the caller's (embedded); fw_marks_free()
 * releases its ring. Seqs and offsets must not decrease from one
 * fw_marks_add() to the next (fw_marks_reset() starts over).
 */
#ifndef FW_INPUT_MARKS_H
#define FW_INPUT_MARKS_H

#include <stdbool.h>
#include <stdint.h>

struct fw_mark {
	uint64_t seq;
	uint64_t offset;
	uint64_t line_no;
};

struct fw_marks {
	struct fw_mark *ring;       /* cap entries, oldest at head; NULL until the first add */
	unsigned head, n, cap;
	unsigned first, max;        /* powers of two, first <= max */
	struct fw_mark committed;   /* the latest mark known safe */
};

/* An empty set whose ring grows from first to max entries (powers of two). */
void fw_marks_init(struct fw_marks *m, unsigned first, unsigned max);
void fw_marks_free(struct fw_marks *m);
/* Drops every mark and makes committed the position (file truncated). */
void fw_marks_reset(struct fw_marks *m, struct fw_mark committed);
/*
 * Records the position after a line. A mark with the seq or the offset of
 * the newest one replaces it (lines that raised no alert extend it). Out of
 * memory, the mark is not kept: committed stays behind, which is safe.
 */
void fw_marks_add(struct fw_marks *m, struct fw_mark mark);
/* Moves committed to the latest mark with seq <= safe; true if none waits. */
bool fw_marks_advance(struct fw_marks *m, uint64_t safe);
/* The latest position (committed or a mark) whose seq is <= seq. */
const struct fw_mark *fw_marks_upto(const struct fw_marks *m, uint64_t seq);

/* The i-th oldest mark waiting (i < m->n). */
static inline const struct fw_mark *
fw_marks_at(const struct fw_marks *m, unsigned i)
{
	return &m->ring[(m->head + i) & (m->cap - 1)];
}

#endif
