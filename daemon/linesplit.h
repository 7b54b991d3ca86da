/*
 * linesplit: cuts a byte stream, arriving in blocks of any size, into
 * lines. Pure (no I/O), so the file and stdin inputs share it and it is
 * unit tested on its own.
 *
 * A line ends at "\n"; the "\n" and one "\r" before it are removed. A line
 * that lies whole inside a block is returned in place (no copy); only a
 * line split across blocks is assembled in the splitter's carry buffer,
 * whose size is max_line_bytes (allocated once).
 *
 * A line longer than max_line_bytes is returned as soon as that many bytes
 * are seen, flagged truncated, and the rest of it up to its "\n" is
 * skipped. fw_linesplit_flush() returns the bytes of a last line that has
 * no newline yet (partial_flush_ms, end of input).
 *
 * Offsets are absolute in the stream: a line's offset is where it starts;
 * fw_linesplit_resume_offset() is where reading must restart to see the
 * next line that was not returned yet (start of the carried partial line).
 */
#ifndef FW_LINESPLIT_H
#define FW_LINESPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_linesplit {
	char *carry;                /* max_line_bytes, owned */
	size_t carry_len;
	size_t max;
	bool skipping;              /* inside the rest of a truncated line */
	uint64_t offset;            /* stream offset of the next byte fed */
	uint64_t line_start;        /* stream offset where the pending line starts */
	uint64_t line_no;           /* lines returned so far */
};

struct fw_linesplit_line {
	const char *data;           /* into the block or the carry buffer */
	size_t len;
	bool truncated;
	uint64_t offset;            /* where the line starts in the stream */
	uint64_t line_no;           /* 1-based */
};

/* max_line_bytes >= 1. 0 or -ENOMEM. */
int fw_linesplit_init(struct fw_linesplit *ls, size_t max_line_bytes);
void fw_linesplit_free(struct fw_linesplit *ls);
/* Forgets any partial line and restarts at offset with line_no lines before it. */
void fw_linesplit_reset(struct fw_linesplit *ls, uint64_t offset, uint64_t line_no);

/*
 * Returns the next line out of block[*pos..len), advancing *pos past it;
 * false when the block holds no further complete line (then *pos == len
 * and the rest is carried). The block starts at stream offset
 * ls->offset - *pos when *pos bytes of it were consumed: feed blocks in
 * stream order, each one completely, before the next.
 */
bool fw_linesplit_next(struct fw_linesplit *ls, const char *block, size_t len, size_t *pos,
		       struct fw_linesplit_line *out);

/* Returns the carried partial line as a line, if any. */
bool fw_linesplit_flush(struct fw_linesplit *ls, struct fw_linesplit_line *out);

/* Bytes of a partial line waiting for its newline (0 if none). */
size_t fw_linesplit_pending(const struct fw_linesplit *ls);

/*
 * Where to restart reading after a restart so that no line is lost: the
 * start of the first line not completely returned (a truncated line whose
 * rest is still being skipped is read again), and the lines before it.
 */
uint64_t fw_linesplit_resume_offset(const struct fw_linesplit *ls);
uint64_t fw_linesplit_resume_line_no(const struct fw_linesplit *ls);

#endif
