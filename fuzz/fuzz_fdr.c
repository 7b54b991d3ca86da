/*
 * fuzz_fdr: the bucketed shift-or filter's guarantee (match_fast_fdr.h)
 * on fuzzed windows and lines. The fast engine builds the filter for a
 * context that starts with it (many keys) or switches to it (any number),
 * so the other fuzz targets reach it only with their KBs' few keys; this
 * target builds it directly, from any windows.
 *
 * Input: a count byte (1..WINDOWS_MAX windows), then three bytes per
 * window, then the text (the rest of the input, any bytes), whose lines
 * ('\n' ends one) are scanned one by one. A window's
 * three bytes are: a spec byte (length 1..FW_FDR_WINDOW_MAX from its low
 * nibble; 0x10 caseless; 0x20 its bytes are taken from the text rather
 * than from anywhere in the input; 0x40 the letters of a caseless
 * window's copy have their case swapped; 0x80 its first position is a
 * set, as a short literal's context before it: the copy's byte there and
 * those one bit from it), the group (mod 32), and the offset of its
 * bytes. Windows taken
 * from the text make sure that most inputs have places to report.
 *
 * Every place where a window stands in a line must be reported
 * at the position of its last byte with the window's group among the
 * groups; reports come in ascending order, inside the line, each with a
 * group. Built twice: with the SSE2 step, and with the portable one
 * (fuzz_fdr_scalar, FW_FDR_SCALAR).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdr_window.h"
#include "match/match_fast_fdr.h"

#define WINDOWS_MAX 128

struct reports {
	uint32_t *at;                   /* groups reported per end position */
	size_t len;
	size_t last;
	bool any;
};

static void
fail(const char *what, size_t at)
{
	fprintf(stderr, "fuzz_fdr: %s at line offset %zu\n", what, at);
	abort();
}

static void
on_hit(void *arg, size_t end, uint32_t groups)
{
	struct reports *r = arg;

	if (end >= r->len)
		fail("a place past the line's end", end);
	if (r->any && end <= r->last)
		fail("places out of order", end);
	if (!groups)
		fail("a place with no group", end);
	r->at[end] |= groups;
	r->last = end;
	r->any = true;
}

static unsigned char
swap_case(unsigned char c)
{
	if ((unsigned)(c - 'A') < 26u)
		return (unsigned char)(c + ('a' - 'A'));
	if ((unsigned)(c - 'a') < 26u)
		return (unsigned char)(c - ('a' - 'A'));
	return c;
}

/* Scans line[0..len) and checks the reports against a naive search. */
static void
check_line(const struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n,
	   const unsigned char *line, size_t len, struct reports *r)
{
	memset(r->at, 0, len * sizeof *r->at);
	r->len = len;
	r->any = false;
	fw__fdr_scan(fdr, line, len, on_hit, r);
	for (uint32_t k = 0; k < n; k++)
		for (size_t s = 0; s + w[k].len <= len; s++)
			if (window_at(&w[k], line + s) &&
			    !(r->at[s + w[k].len - 1] & (uint32_t)1 << w[k].group))
				fail("a window's place not reported with its group", s + w[k].len - 1);
}

/* w's first position made a set before its other bytes (spec 0x80). */
static void
first_set(struct fw_fdr_window *w, struct fw_rx_bytes *set)
{
	unsigned char first = w->bytes[0];

	memset(set, 0, sizeof *set);
	fw_rx_bytes_add(set, first);
	for (unsigned bit = 1; bit < 256; bit <<= 1)
		fw_rx_bytes_add(set, (unsigned char)(first ^ bit));
	w->bytes++;
	w->n_before = 1;
	w->before = set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char copy[WINDOWS_MAX][FW_FDR_WINDOW_MAX];
	static struct fw_rx_bytes sets[WINDOWS_MAX];
	struct fw_fdr_window w[WINDOWS_MAX];
	struct reports r = { 0 };
	struct fw_fdr fdr;
	const unsigned char *line;
	size_t len, head;
	uint32_t n;

	if (size < 4)
		return 0;
	n = data[0] % WINDOWS_MAX + 1;
	head = 1 + 3 * (size_t)n;
	if (head > size)
		return 0;
	line = data + head;
	len = size - head;
	for (uint32_t k = 0; k < n; k++) {
		const uint8_t *spec = data + 1 + 3 * k;
		uint32_t wlen = (spec[0] & 0x0F) % FW_FDR_WINDOW_MAX + 1;
		const unsigned char *from = data;
		size_t room = size;

		if ((spec[0] & 0x20) && len >= wlen) {
			from = line;
			room = len;
		}
		if (room < wlen)
			wlen = (uint32_t)room;
		memcpy(copy[k], from + spec[2] % (room - wlen + 1), wlen);
		w[k] = (struct fw_fdr_window){ .bytes = copy[k], .len = wlen, .caseless = spec[0] & 0x10,
					       .group = spec[1] % 32 };
		if (w[k].caseless && (spec[0] & 0x40))
			for (uint32_t i = 0; i < wlen; i++)
				copy[k][i] = swap_case(copy[k][i]);
		if ((spec[0] & 0x80) && wlen >= 2)
			first_set(&w[k], &sets[k]);
	}
	if (fw__fdr_build(&fdr, w, n) < 0)
		return 0;
	r.at = calloc(len ? len : 1, sizeof *r.at);
	if (!r.at) {
		fw__fdr_free(&fdr);
		return 0;
	}
	/* Each line of the text is scanned: one build, the cost of an input, serves them all. */
	for (size_t at = 0; at <= len;) {
		const unsigned char *nl = memchr(line + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - line) : len;

		/* A copy of its own, so that a read past its end is caught (ASan). */
		unsigned char *copy_of_line = malloc(end - at ? end - at : 1);

		if (!copy_of_line)
			break;
		memcpy(copy_of_line, line + at, end - at);
		check_line(&fdr, w, n, copy_of_line, end - at, &r);
		free(copy_of_line);
		at = end + 1;
	}
	free(r.at);
	fw__fdr_free(&fdr);
	return 0;
}
