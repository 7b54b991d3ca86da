/*
 * fdr_window: the naive search that the bucketed filter's checks hold it
 * to (test_match_fdr, fuzz_fdr): whether a window's bytes stand at a
 * place, ASCII letters of a caseless window in either case, a byte of
 * each of its sets at the sets' positions, as match_fast_fdr.h promises.
 */
#ifndef FW_TESTS_FDR_WINDOW_H
#define FW_TESTS_FDR_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "match/match_fast_fdr.h"
#include "match/regex_parse.h"

static inline unsigned char
lower(unsigned char c)
{
	return (unsigned char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
}

/* The set at position i of w, or NULL where one of its bytes stands. */
static inline const struct fw_rx_bytes *
window_set(const struct fw_fdr_window *w, uint32_t i)
{
	return i < w->n_before ? &w->before[w->n_before - 1 - i] : NULL;
}

/* Whether w stands at p (w->len bytes readable). */
static inline bool
window_at(const struct fw_fdr_window *w, const unsigned char *p)
{
	for (uint32_t i = 0; i < w->len; i++) {
		const struct fw_rx_bytes *set = window_set(w, i);
		unsigned char c = set ? 0 : w->bytes[i - w->n_before];

		if (set ? !fw_rx_bytes_has(set, p[i]) : w->caseless ? lower(p[i]) != lower(c) : p[i] != c)
			return false;
	}
	return true;
}

#endif
