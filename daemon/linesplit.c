/*
 * linesplit: blocks in, lines out, copying only lines that straddle blocks.
 * See linesplit.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "linesplit.h"

int
fw_linesplit_init(struct fw_linesplit *ls, size_t max_line_bytes)
{
	memset(ls, 0, sizeof(*ls));
	if (max_line_bytes < 1)
		max_line_bytes = 1;
	/* One byte more than the limit: a "\r" right at the limit may still be
	 * the first half of a "\r\n". */
	ls->carry = malloc(max_line_bytes + 1);
	if (!ls->carry)
		return -ENOMEM;
	ls->max = max_line_bytes;
	return 0;
}

void
fw_linesplit_free(struct fw_linesplit *ls)
{
	free(ls->carry);
	ls->carry = NULL;
}

void
fw_linesplit_reset(struct fw_linesplit *ls, uint64_t offset, uint64_t line_no)
{
	ls->carry_len = 0;
	ls->skipping = false;
	ls->offset = offset;
	ls->line_start = offset;
	ls->line_no = line_no;
}

static void
emit(struct fw_linesplit *ls, const char *data, size_t len, bool strip_cr,
     struct fw_linesplit_line *out)
{
	if (strip_cr && len > 0 && data[len - 1] == '\r')
		len--;
	out->truncated = len > ls->max;
	if (out->truncated)
		len = ls->max;
	out->data = data;
	out->len = len;
	out->offset = ls->line_start;
	out->line_no = ++ls->line_no;
}

bool
fw_linesplit_next(struct fw_linesplit *ls, const char *block, size_t len, size_t *pos,
		  struct fw_linesplit_line *out)
{
	while (*pos < len) {
		const char *start = block + *pos;
		size_t avail = len - *pos;
		const char *nl = memchr(start, '\n', avail);
		size_t seg = nl ? (size_t)(nl - start) : avail;

		if (ls->skipping) {
			if (!nl) {
				*pos = len;
				ls->offset += avail;
				return false;
			}
			ls->skipping = false;
			*pos += seg + 1;
			ls->offset += seg + 1;
			ls->line_start = ls->offset;
			continue;
		}

		if (ls->carry_len == 0 && nl) {
			/* The common case: the whole line is in this block. */
			emit(ls, start, seg, true, out);
			*pos += seg + 1;
			ls->offset += seg + 1;
			ls->line_start = ls->offset;
			return true;
		}

		size_t room = ls->max + 1 - ls->carry_len;
		size_t take = seg < room ? seg : room;
		memcpy(ls->carry + ls->carry_len, start, take);
		ls->carry_len += take;
		*pos += take;
		ls->offset += take;

		if (nl && take == seg) {
			*pos += 1;
			ls->offset += 1;
			emit(ls, ls->carry, ls->carry_len, true, out);
			ls->carry_len = 0;
			ls->line_start = ls->offset;
			return true;
		}
		if (ls->carry_len == ls->max + 1 &&
		    (take < seg || ls->carry[ls->max] != '\r')) {
			/* Over the limit: return the first max bytes now and skip
			 * the rest up to the newline. line_start stays at the
			 * line's start until the skip ends (see resume_offset). */
			emit(ls, ls->carry, ls->carry_len, false, out);
			ls->carry_len = 0;
			ls->skipping = true;
			return true;
		}
	}
	return false;
}

bool
fw_linesplit_flush(struct fw_linesplit *ls, struct fw_linesplit_line *out)
{
	if (ls->carry_len == 0)
		return false;
	emit(ls, ls->carry, ls->carry_len, true, out);
	ls->carry_len = 0;
	ls->line_start = ls->offset;
	return true;
}

size_t
fw_linesplit_pending(const struct fw_linesplit *ls)
{
	return ls->carry_len;
}

uint64_t
fw_linesplit_resume_offset(const struct fw_linesplit *ls)
{
	return ls->line_start;
}

uint64_t
fw_linesplit_resume_line_no(const struct fw_linesplit *ls)
{
	return ls->skipping ? ls->line_no - 1 : ls->line_no;
}
