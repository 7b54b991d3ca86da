/*
 * random_pattern: the random patterns of the matcher tests that compare
 * engines or rewrites on many patterns. Each test brings its own words
 * and pieces and its own generator state (xorshift.h, fixed seed), so its
 * patterns are the same on every run; what a pattern is made of is the
 * same for every test.
 */
#ifndef FW_TESTS_RANDOM_PATTERN_H
#define FW_TESTS_RANDOM_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xorshift.h"

struct random_vocab {
	const char *const *words;       /* literal text: lines are made of the same words */
	uint32_t n_words;
	const char *const *pieces;      /* regex syntax: classes, groups, assertions, options */
	uint32_t n_pieces;
	const char *const *heads;       /* start-of-pattern options ("(*NO_JIT)"); may be none */
	uint32_t n_heads;
};

/*
 * A pattern into buf (cap bytes, NUL-terminated): one in five starts with
 * one of v's heads when it has some; then one to five parts, words and
 * pieces taking turns (one pattern in twelve is pieces only), some made
 * optional or repeated; one in eight ends in a top-level alternation.
 */
void random_pattern(struct xorshift *x, const struct random_vocab *v, char *buf, size_t cap);

/* Whether PCRE2 compiles pat with the KB's options (kb_record.c), caseless or not. */
bool random_pattern_compiles(const char *pat, bool caseless);

#endif
