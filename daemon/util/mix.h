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

#endif
