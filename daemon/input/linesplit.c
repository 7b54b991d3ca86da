/*
 * linesplit: block-wise line cutting with a bounded carry buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input/linesplit.h"

int
fw_linesplit_init(struct fw_linesplit *ls, size_t max_line, uint64_t offset, uint64_t line_no)
{
	memset(ls, 0, sizeof *ls);
	if (max_line == 0)
		return -EINVAL;
	/* One more byte than a line may have, so that a '\r' just past the cut
	 * can still be told from the line's content. */
	ls->buf = malloc(max_line + 1);
	if (!ls->buf)
		return -ENOMEM;
	ls->max_line = max_line;
	ls->offset = ls->line_start = offset;
	ls->line_no = line_no;
	return 0;
}

void
fw_linesplit_free(struct fw_linesplit *ls)
{
	free(ls->buf);
	ls->buf = NULL;
}

static void
emit(struct fw_linesplit *ls, const char *data, size_t len, bool truncated, uint64_t end,
     fw_line_cb cb, void *arg)
{
	struct fw_line line = {
		.data = data, .len = len, .truncated = truncated,
		.offset = ls->line_start, .line_no = ++ls->line_no, .end = end,
	};

	if (!truncated && len && data[len - 1] == '\r')
		line.len--;
	if (truncated)
		ls->truncated_lines++;
	cb(arg, &line);
	ls->line_start = end;
}

void
fw_linesplit_feed(struct fw_linesplit *ls, const char *data, size_t n, fw_line_cb cb, void *arg)
{
	const char *p = data, *end = data + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t chunk = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t after = ls->offset + chunk + (nl ? 1 : 0);

		if (ls->skipping) {
			/* The cut line is delivered when its end is known, so that its
			 * end offset (a checkpoint) lies past the skipped rest. */
			ls->skipped_bytes += chunk;
			if (nl) {
				emit(ls, ls->buf, ls->max_line, true, after, cb, arg);
				ls->skipping = false;
				ls->len = 0;
			}
		} else if (ls->len == 0 && nl && chunk <= ls->max_line + (chunk && p[chunk - 1] == '\r')) {
			/* The common case: a whole line inside the block, no copy. */
			emit(ls, p, chunk, false, after, cb, arg);
		} else {
			size_t room = ls->max_line + 1 - ls->len;
			size_t take = chunk < room ? chunk : room;

			memcpy(ls->buf + ls->len, p, take);
			ls->len += take;
			if (ls->len > ls->max_line) {
				/* Over-long unless the only extra byte is the '\r' of "\r\n". */
				if (nl && chunk == take && ls->buf[ls->len - 1] == '\r') {
					emit(ls, ls->buf, ls->len, false, after, cb, arg);
					ls->len = 0;
				} else if (!nl && chunk == take && ls->buf[ls->len - 1] == '\r') {
					/* Maybe the '\r' of a "\r\n" split across blocks: wait. */
				} else {
					ls->skipped_bytes += chunk - take + 1;
					if (nl) {
						emit(ls, ls->buf, ls->max_line, true, after, cb, arg);
						ls->len = 0;
					} else {
						ls->skipping = true;
					}
				}
			} else if (nl) {
				emit(ls, ls->buf, ls->len, false, after, cb, arg);
				ls->len = 0;
			}
		}
		ls->offset = after;
		p += chunk + (nl ? 1 : 0);
	}
}

void
fw_linesplit_flush(struct fw_linesplit *ls, fw_line_cb cb, void *arg)
{
	if (ls->skipping) {
		ls->skipping = false;
		emit(ls, ls->buf, ls->max_line, true, ls->offset, cb, arg);
	} else if (ls->len) {
		emit(ls, ls->buf, ls->len, false, ls->offset, cb, arg);
	}
	ls->len = 0;
}

size_t
fw_linesplit_pending(const struct fw_linesplit *ls)
{
	return ls->len;
}
