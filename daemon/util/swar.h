/*
 * swar: byte tests on eight bytes at once in a 64-bit word, for scanners
 * that look for a few special bytes in long runs of plain text (the JSON
 * string escaper, the KB reader).
 *
 * (x - n * ONES) & ~x & HIGHS marks the bytes of x below n (n <= 0x80).
 * It may also mark bytes after a true one (a borrow runs on), never
 * without one: it says whether a word holds such a byte, and the caller
 * finds which byte by a bytewise loop.
 */
#ifndef FW_UTIL_SWAR_H
#define FW_UTIL_SWAR_H

#include <stdint.h>

#define FW_SWAR_ONES UINT64_C(0x0101010101010101)
#define FW_SWAR_HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when a byte of w is below n (1 <= n <= 0x80). */
static inline uint64_t
fw_swar_has_below(uint64_t w, unsigned char n)
{
	return (w - FW_SWAR_ONES * n) & ~w & FW_SWAR_HIGHS;
}

/* Nonzero when a byte of w equals c. */
static inline uint64_t
fw_swar_has_byte(uint64_t w, unsigned char c)
{
	return fw_swar_has_below(w ^ (FW_SWAR_ONES * c), 1);
}

/* Nonzero when a byte of w ends a plain JSON string run: a quote, a backslash or a control (below 0x20). */
static inline uint64_t
fw_swar_has_json_stop(uint64_t w)
{
	return fw_swar_has_below(w, 0x20) | fw_swar_has_byte(w, '"') | fw_swar_has_byte(w, '\\');
}

#endif
