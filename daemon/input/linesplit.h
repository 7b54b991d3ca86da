/*
 * linesplit: cuts a byte stream into lines (design.md §4, §5).
 *
 * Feed it blocks of any size; it calls back once per complete line with the
 * line ending ("\n" or "\r\n") removed, the byte offset of the line's start
 * in the stream and its 1-based number. A line longer than max_line bytes is
 * delivered cut to max_line bytes and flagged truncated; the rest of it, up
 * to its newline, is skipped (and counted). A last line without newline is
 * kept until more data comes or fw_linesplit_flush() is called.
 *
 * Memory: one buffer of max_line bytes, allocated at init. Lines that lie
 * whole inside a fed block are passed without copying.
 */
#ifndef FW_LINESPLIT_H
#define FW_LINESPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lines longer than this are cut unless configured otherwise (max_line_bytes). */
#define FW_MAX_LINE_DEFAULT (64 * 1024)

struct fw_line {
	const char *data;
	size_t len;
	bool truncated;
	uint64_t offset;   /* of the line's first byte in the stream */
	uint64_t line_no;  /* 1-based */
	uint64_t end;      /* offset just past the line ending */
};

typedef void (*fw_line_cb)(void *arg, const struct fw_line *line);

struct fw_linesplit {
	char *buf;           /* partial line carried between blocks */
	size_t len;
	size_t max_line;
	bool skipping;       /* inside the rest of an over-long line */
	uint64_t offset;     /* stream offset of the first byte not yet delivered */
	uint64_t line_start; /* offset of the partial line's first byte */
	uint64_t line_no;    /* lines delivered so far */
	uint64_t skipped_bytes;
	uint64_t truncated_lines;
};

/* 0 or -ENOMEM. offset/line_no: where the stream starts (resume from a checkpoint). */
int fw_linesplit_init(struct fw_linesplit *ls, size_t max_line, uint64_t offset, uint64_t line_no);
void fw_linesplit_free(struct fw_linesplit *ls);
void fw_linesplit_feed(struct fw_linesplit *ls, const char *data, size_t n, fw_line_cb cb, void *arg);
/* Delivers a pending partial line, if any (end of input, or the partial-line timeout). */
void fw_linesplit_flush(struct fw_linesplit *ls, fw_line_cb cb, void *arg);
/* Bytes of a partial line held back. */
size_t fw_linesplit_pending(const struct fw_linesplit *ls);

#endif
