/*
 * mix: a slot of a small table for a 64-bit key, by a multiplicative
 * (Fibonacci) hash. The slot is the top bits of the product, which every
 * bit of the key reaches, so keys that differ only in a few bits, or share
 * their low bits (addresses at a fixed stride), still spread over the slots.
 */
#ifndef FW_UTIL_MIX_H
#define FW_UTIL_MIX_H

#include <stdint.h>

/* A slot 0 .. 2^bits - 1 for key; 1 <= bits <= 63. */
static inline uint64_t
fw_mix_slot(uint64_t key, unsigned bits)
{
	return (key * 0x9e3779b97f4a7c15ULL) >> (64 - bits);
}

/*
 * A hash of a run of words (a string's bytes, a byte set's words): h
 * starts at FW_MIX_SEED, takes each word by fw_mix_step(); its top bits
 * are the best mixed.
 */
#define FW_MIX_SEED 0x9e3779b97f4a7c15ULL

static inline uint64_t
fw_mix_step(uint64_t h, uint64_t word)
{
	return (h ^ word) * 0xbf58476d1ce4e5b9ULL;
}

#endif
