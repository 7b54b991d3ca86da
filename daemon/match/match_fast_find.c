/*
 * match_fast_find: the search of a line for two bytes of a literal at once
 * (fp_lit_in() and the anchors' places in match_fast.c), with AVX2 where
 * the processor has it and SSE2 (every x86-64) otherwise; a byte at a time
 * elsewhere. Reads only bytes of the line: the last step is moved back to
 * end where the line's starts end.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/match_fast_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#ifdef __SSE2__
/* The test of the 16 starts from at: a bit per start. */
static inline unsigned
step16(const unsigned char *at, uint32_t o1, __m128i want1, uint32_t o2, __m128i want2, __m128i fold2)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(at + o1));
	__m128i y = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(at + o2)), fold2);

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, want1), _mm_cmpeq_epi8(y, want2)));
}
#endif

size_t
fw__fast_two_bytes_next_sse2(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1,
			     uint32_t o2, unsigned char b2, unsigned char or2)
{
#ifdef __SSE2__
	const __m128i want1 = _mm_set1_epi8((char)b1), want2 = _mm_set1_epi8((char)b2);
	const __m128i fold2 = _mm_set1_epi8((char)or2);
	unsigned bits;

	/* Two steps a branch: most stretches of a line hold neither pair. */
	for (; s + 32 <= n; s += 32) {
		bits = step16(line + s, o1, want1, o2, want2, fold2) |
		       step16(line + s + 16, o1, want1, o2, want2, fold2) << 16;
		if (bits)
			return s + (unsigned)__builtin_ctz(bits);
	}
	if (s + 16 <= n) {
		bits = step16(line + s, o1, want1, o2, want2, fold2);
		if (bits)
			return s + (unsigned)__builtin_ctz(bits);
		s += 16;
	}
	if (s < n && n >= 16) {
		bits = step16(line + n - 16, o1, want1, o2, want2, fold2) >> (s - (n - 16));
		return bits ? s + (unsigned)__builtin_ctz(bits) : n;
	}
#endif
	for (; s < n; s++)
		if (line[s + o1] == b1 && (line[s + o2] | or2) == b2)
			return s;
	return n;
}

#ifdef __SSE2__
/* step16() for 32 starts. */
__attribute__((target("avx2"))) static inline uint32_t
step32(const unsigned char *at, uint32_t o1, __m256i want1, uint32_t o2, __m256i want2, __m256i fold2)
{
	__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(at + o1));
	__m256i y = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(const void *)(at + o2)), fold2);

	return (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(x, want1), _mm256_cmpeq_epi8(y, want2)));
}

__attribute__((target("avx2"))) static size_t
next_avx2(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1, uint32_t o2,
	  unsigned char b2, unsigned char or2)
{
	const __m256i want1 = _mm256_set1_epi8((char)b1), want2 = _mm256_set1_epi8((char)b2);
	const __m256i fold2 = _mm256_set1_epi8((char)or2);
	uint64_t bits;

	for (; s + 64 <= n; s += 64) {
		bits = step32(line + s, o1, want1, o2, want2, fold2) |
		       (uint64_t)step32(line + s + 32, o1, want1, o2, want2, fold2) << 32;
		if (bits)
			return s + (unsigned)__builtin_ctzll(bits);
	}
	if (s + 32 <= n) {
		bits = step32(line + s, o1, want1, o2, want2, fold2);
		if (bits)
			return s + (unsigned)__builtin_ctzll(bits);
		s += 32;
	}
	if (s < n && n >= 32) {
		bits = step32(line + n - 32, o1, want1, o2, want2, fold2) >> (s - (n - 32));
		return bits ? s + (unsigned)__builtin_ctzll(bits) : n;
	}
	return fw__fast_two_bytes_next_sse2(line, s, n, o1, b1, o2, b2, or2);
}
#endif

size_t
fw__fast_two_bytes_next(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1,
			uint32_t o2, unsigned char b2, unsigned char or2)
{
#ifdef __SSE2__
	if (__builtin_cpu_supports("avx2"))
		return next_avx2(line, s, n, o1, b1, o2, b2, or2);
#endif
	return fw__fast_two_bytes_next_sse2(line, s, n, o1, b1, o2, b2, or2);
}
