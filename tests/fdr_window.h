/*
 * fdr_window: the naive search that the bucketed filter's checks hold it
 * to (test_match_fdr, fuzz_fdr): whether a window's bytes stand at a
 * place, ASCII letters of a caseless window in either case, as
 * match_fast_fdr.h promises.
 */
#ifndef FW_TESTS_FDR_WINDOW_H
#define FW_TESTS_FDR_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "match/match_fast_fdr.h"

static inline unsigned char
lower(unsigned char c)
{
	return (unsigned char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
}

/* Whether w's bytes stand at p (w->len bytes readable). */
static inline bool
window_at(const struct fw_fdr_window *w, const unsigned char *p)
{
	for (uint32_t i = 0; i < w->len; i++)
		if (w->caseless ? lower(p[i]) != lower(w->bytes[i]) : p[i] != w->bytes[i])
			return false;
	return true;
}

#endif
