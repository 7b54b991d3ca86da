/*
 * match_pair: the matcher tests' harness. A pair runs the reference and
 * the fast engine over the same KB; pair_check() fails the test (cmocka) on
 * the first line where their results differ (records, order, winning
 * pattern, captures; the fast engine may hit the match limit less often).
 * A kb_writer writes records as JSON Lines into a temporary directory and
 * loads them with fw_kb_load(), like any other KB.
 */
#ifndef FW_TEST_MATCH_PAIR_H
#define FW_TEST_MATCH_PAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kb/kb.h"
#include "match/match.h"

struct pair {
	struct fw_kb *kb;
	struct fw_matcher *ref, *fast;
	struct fw_match_ctx *rc, *fc;
	unsigned long lines, hits, limit_hits;
};

/* Compiles both engines for kb, which the pair then owns. */
void pair_open_kb(struct pair *p, struct fw_kb *kb);
void pair_close(struct pair *p);
/* Matches one line with both engines; fails on the first difference. */
void pair_check(struct pair *p, const char *line, size_t len, const uint64_t *mask);
void pair_check_str(struct pair *p, const char *s);

struct kb_writer {
	char dir[64];
	char path[96];
	FILE *f;
	unsigned n;
};

void kbw_open(struct kb_writer *w);
/* Adds a record with regexes[0..n) (regex, then regexes), caseless ("i") or not. */
void kbw_add(struct kb_writer *w, const char *domain, const char *const *regexes, size_t n, bool caseless);
/*
 * Loads the records written so far (the files are removed); fails the test
 * on an error. Without PCRE2 JIT when pair_no_jit is set.
 */
struct fw_kb *kbw_load(struct kb_writer *w);
extern bool pair_no_jit;

#endif
