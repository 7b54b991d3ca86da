/*
 * xorshift: the random generator of the tests that make their cases
 * (test_dfa, test_dfa_ctx) and of the `web` benchmark generator
 * (bench/gen.c): Marsaglia's xorshift64 (shifts 13, 7, 17). Each caller
 * holds its own state, seeded with its own fixed constant, so that its
 * cases are the same on every run and every machine; a seed must not be
 * 0. xorshift_sum() folds what a generator made into a checksum (FNV-1a),
 * which a test prints so that a change to its cases shows.
 */
#ifndef FW_TESTS_XORSHIFT_H
#define FW_TESTS_XORSHIFT_H

#include <stddef.h>
#include <stdint.h>

struct xorshift {
	uint64_t s;
};

/* A number in 0..n-1 (n > 0); the modulo's slight bias does not matter here. */
static inline uint32_t
xorshift_below(struct xorshift *x, uint32_t n)
{
	x->s ^= x->s << 13;
	x->s ^= x->s >> 7;
	x->s ^= x->s << 17;
	return (uint32_t)(x->s % n);
}

#define XORSHIFT_SUM_INIT 0xcbf29ce484222325u

/* *sum with the n bytes at p folded in. */
static inline void
xorshift_sum(uint64_t *sum, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		*sum = (*sum ^ b[i]) * 0x100000001b3u;
}

#endif
