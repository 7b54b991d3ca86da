/*
 * match_fast_fdr: a bucketed shift-or filter of many short byte strings
 * (windows), in the FDR family: where may one of them end in a line?
 * Internal to the fast engine (match_fast*.c).
 *
 * Each window (up to FW_FDR_WINDOW_MAX bytes, exact or ASCII caseless, and
 * optionally sets of bytes before them) is put in one of FW_FDR_BUCKETS
 * buckets. A table indexed by two adjacent
 * line bytes (masked to the table's domain) gives, per distance j of that
 * pair from a window's end and per bucket, a bit that is clear when some
 * window of the bucket may have that pair there. OR-ing the tables of
 * the pairs behind a position, each shifted by its distance, leaves a
 * clear bit for each bucket that may have a window ending there: eight
 * positions per step, SSE2 where the machine has it, 64-bit words
 * elsewhere. A step reads the pairs ending at its even positions first
 * (four loads for eight positions) and the odd ones only where the even
 * ones let a place through, and then for its own positions only
 * (fw__fdr_places()): the pairs ending at odd positions of earlier steps
 * are never read. So a window of W bytes is tested on those of its W - 1
 * pairs and its first byte that end at even positions or in the step
 * where the window ends: all of them for a short window ending late in a
 * step, about half for one ending at a step's first position. Those still
 * hold every byte of the window between them. A line position
 * where no window fits is never reported unless a window's own bytes
 * pass, so a 9-byte window passes about as often as its 9 bytes occur,
 * whatever the number of windows.
 *
 * A second kind of table (fw__fdr_build_before()) indexes each pair by
 * four bits of the byte before it as well: a bucket of thousands of
 * windows then stands for far fewer of the text's pairs, at a few
 * instructions more a step (fw__fdr_scan_before()). Its turns of two and
 * four steps read every pair, odd ones too, with no test between even and
 * odd: where such a table runs, about as many turns pass as not. Which of
 * the two a scan runs is its caller's choice (match_fast_adapt.c costs
 * both).
 *
 * Guarantee: every place where a window stands in the line (its bytes, and
 * at each of its sets' positions a byte of the set, the window inside the
 * line) is reported, with the window's group among
 * the groups; other places may be reported too. The build is the only
 * allocation; a scan reads the filter only.
 */
#ifndef FW_MATCH_FAST_FDR_H
#define FW_MATCH_FAST_FDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
#include <emmintrin.h>
#endif

#define FW_FDR_WINDOW_MAX 9
#define FW_FDR_BUCKETS 8
/* Positions tested per step (the shifts of one step are written out for 8). */
#define FW_FDR_STEP 8

struct fw_rx_bytes;

/*
 * A window: its bytes, and optionally sets of bytes that must stand before
 * them (a short literal's context): its first n_before positions are the
 * sets before[n_before - 1] .. before[0] (before[d] d + 1 bytes before the
 * first of bytes), then its len - n_before bytes.
 */
struct fw_fdr_window {
	const unsigned char *bytes;
	uint32_t len;                   /* every position: 1 .. FW_FDR_WINDOW_MAX */
	bool caseless;                  /* ASCII letters of bytes match either case */
	uint8_t group;                  /* the caller's: reported with each place (< 32) */
	uint8_t n_before;
	const struct fw_rx_bytes *before;
};

/*
 * The table's domain: the bits of each byte of a pair that index it. All
 * eight: the table has an entry per pair of raw bytes (64 Ki entries, 512
 * KiB), and a caseless window marks each case variant of its pairs. A
 * narrower mask (0x5F: letters of either case meet, as do digits and
 * control bytes) would make the table smaller and more pairs collide
 * (bench/README.md has the measurement).
 */
#define FW_FDR_BYTE_BITS 0xFFu
#define FW_FDR_DOMAIN (FW_FDR_BYTE_BITS << 8 | FW_FDR_BYTE_BITS)

/*
 * The byte-before table's index: the pair's 16 bits with the low four bits
 * of the byte before it XOR-ed onto bits 4..7 of the pair's first byte.
 * Case variants of a letter share those four bits, so a caseless window
 * needs no more entries for its byte before. Where that byte lies before
 * the window (its first pair), the build clears the pair under all 16
 * values.
 */
#define FW_FDR_BEFORE_BITS 0x0Fu
#define FW_FDR_BEFORE_SHIFT 4

struct fw_fdr {
	uint64_t *mask;                 /* FW_FDR_DOMAIN + 1 entries: bit 8 * j + bucket (see above) */
	bool before;                    /* indexed with the byte before each pair (fw__fdr_build_before()) */
	/* per set of buckets (a byte of places): the groups of their windows, as bits */
	uint32_t groups[1u << FW_FDR_BUCKETS];
};

/*
 * Builds fdr from windows w[0..n). 0 or -ENOMEM (fdr then holds nothing
 * to free). The windows' bytes are not kept.
 */
int fw__fdr_build(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n);
/* The same, with the table indexed by the byte before each pair as well (fw__fdr_scan_before()). */
int fw__fdr_build_before(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n);
void fw__fdr_free(struct fw_fdr *fdr);

/* The table index of the pair p[0], p[1]. */
static inline uint32_t
fw__fdr_index(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return (uint32_t)v & FW_FDR_DOMAIN;
}

/* The byte-before table's index of the pair a, b after the byte before. */
static inline uint32_t
fw__fdr_hash(unsigned char before, unsigned char a, unsigned char b)
{
	return ((uint32_t)a | (uint32_t)b << 8) ^ ((uint32_t)(before & FW_FDR_BEFORE_BITS) << FW_FDR_BEFORE_SHIFT);
}

/* The byte-before table's index of the pair p[0], p[1] (p[-1] read too). */
static inline uint32_t
fw__fdr_index_before(const unsigned char *p)
{
	return fw__fdr_hash(p[-1], p[0], p[1]);
}

/* What one step leaves for the next: the bits of places past its own. */
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
typedef __m128i fw_fdr_carry;
#define FW_FDR_CARRY_NONE _mm_setzero_si128()
#else
typedef uint64_t fw_fdr_carry;
#define FW_FDR_CARRY_NONE 0
#endif

/*
 * What carry says of the places of a step starting at line[i] for a step
 * starting `back` (1 .. FW_FDR_STEP - 1) bytes before it: the same bits,
 * `back` bytes on (its first positions none).
 */
static inline __attribute__((always_inline)) fw_fdr_carry
fw__fdr_carry_back(fw_fdr_carry carry, size_t back)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	/* The high half of a carry is clear: the low one moves, in a 64-bit register. */
	return _mm_cvtsi64_si128((long long)((uint64_t)_mm_cvtsi128_si64(carry) << (8 * back)));
#else
	return carry << (8 * back);
#endif
}

#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
/*
 * A step's state from t, its pairs' entries shifted and OR-ed, and *carry,
 * what the step before left; *carry gets what this step leaves for the
 * next: t's high half. The carry got is left out of that, as its high half
 * is clear (every carry is made here or by fw__fdr_carry_back()): a step's
 * carry never waits for the step before, so each step's ORs and shifts
 * stand on its own loads, not on a chain through every step of the line
 * (bench/README.md, "A step's carry from its own pairs"). The 64-bit form
 * computes its carry from the entries alone already.
 */
static inline __attribute__((always_inline)) __m128i
fw__fdr_join(__m128i t, fw_fdr_carry *carry)
{
	__m128i s = _mm_or_si128(t, *carry);

	*carry = _mm_srli_si128(t, 8);
	return s;
}

/* Entries e0 .. e7 of the pairs ending at a step's positions 0 .. 7, each shifted to its position and OR-ed. */
static inline __attribute__((always_inline)) __m128i
fw__fdr_or8(__m128i e0, __m128i e1, __m128i e2, __m128i e3, __m128i e4, __m128i e5, __m128i e6, __m128i e7)
{
	return _mm_or_si128(_mm_or_si128(_mm_or_si128(e0, _mm_slli_si128(e1, 1)),
					 _mm_or_si128(_mm_slli_si128(e2, 2), _mm_slli_si128(e3, 3))),
			    _mm_or_si128(_mm_or_si128(_mm_slli_si128(e4, 4), _mm_slli_si128(e5, 5)),
					 _mm_or_si128(_mm_slli_si128(e6, 6), _mm_slli_si128(e7, 7))));
}
#endif

/*
 * A step's state: in its low 64 bits, bit 8 * k + bucket set where the
 * pairs read rule out every window of the bucket ending at position k.
 */
typedef fw_fdr_carry fw_fdr_state;

/* The places a state lets through: byte k for position k, a set bit per bucket that may end there. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_places_of(fw_fdr_state s)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	return ~(uint64_t)_mm_cvtsi128_si64(s);
#else
	return ~s;
#endif
}

/*
 * Whether four states let no place through: tested on their AND, in
 * vector registers, rather than on each one's places.
 */
static inline __attribute__((always_inline)) bool
fw__fdr_none4(fw_fdr_state a, fw_fdr_state b, fw_fdr_state c, fw_fdr_state d)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	return _mm_cvtsi128_si64(_mm_and_si128(_mm_and_si128(a, b), _mm_and_si128(c, d))) == -1;
#else
	return (a & b & c & d) == UINT64_MAX;
#endif
}

/*
 * One step over table m: the pairs ending at the step's even positions
 * shifted into the state, the first of them by its index first (the pair
 * at the step's first position, whose first byte is the one before the
 * step) and the others read at q[0..1], q[2..3], q[4..5]; *carry holds
 * what the step before left for this one and gets what this one leaves
 * for the next. Returns the state (fw__fdr_places_of(): the places the
 * even pairs let through).
 */
static inline __attribute__((always_inline)) fw_fdr_state
fw__fdr_state_from(const uint64_t *m, uint32_t first, const unsigned char *q, fw_fdr_carry *carry)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	/* _mm_loadl_epi64 needs no alignment: the entries go through void * so
	 * that no cast to the more aligned __m128i * is written (-Wcast-align). */
	__m128i t = _mm_loadl_epi64((const void *)&m[first]);

#define FDR_PAIR(k) \
	t = _mm_or_si128(t, _mm_slli_si128(_mm_loadl_epi64((const void *)&m[fw__fdr_index(q + (k) - 2)]), (k)))
	FDR_PAIR(2); FDR_PAIR(4); FDR_PAIR(6);
#undef FDR_PAIR
	return fw__fdr_join(t, carry);
#else
	uint64_t s = *carry, next = 0, v;

	s |= m[first];
#define FDR_PAIR(k) v = m[fw__fdr_index(q + (k) - 2)]; s |= v << (8 * (k)); next |= v >> (64 - 8 * (k))
	FDR_PAIR(2); FDR_PAIR(4); FDR_PAIR(6);
#undef FDR_PAIR
	*carry = next;
	return s;
#endif
}

/* The step whose first position is p[1], p[0] the byte before it (fw__fdr_state_from()). */
static inline __attribute__((always_inline)) fw_fdr_state
fw__fdr_state(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
	return fw__fdr_state_from(m, fw__fdr_index(p), p + 2, carry);
}

/*
 * The table index of the pair ending at a line's first byte, a zero
 * standing in for the byte before the line. A line's first step reads the
 * line itself, not a copy with the zero in it: a load of a copy's bytes
 * that spans two of the stores that wrote them waits until both are
 * written to the cache, and on every line that held its scan behind the
 * line before (bench/README.md, "A line's first step read from the line").
 */
static inline uint32_t
fw__fdr_index_first(const unsigned char *line)
{
	return ((uint32_t)line[0] << 8) & FW_FDR_DOMAIN;
}

/* The places the even pairs of the step at p let through (fw__fdr_state()). */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_step(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
	return fw__fdr_places_of(fw__fdr_state(m, p, carry));
}

/*
 * Where the even pairs of a step left places z: the step's odd pairs,
 * o[0..1], o[2..3], o[4..5], o[6..7], read as well, for the step's own
 * positions only (what they would carry into the next step is left out).
 * Most steps end at the even pairs, at half the loads of reading every
 * pair; a clear bit only ever lets a place through, so reading fewer
 * pairs reports a superset, never less.
 */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_odd_from(const uint64_t *m, const unsigned char *o, uint64_t z)
{
	return z & ~(m[fw__fdr_index(o)] << 8 | m[fw__fdr_index(o + 2)] << 24 |
		     m[fw__fdr_index(o + 4)] << 40 | m[fw__fdr_index(o + 6)] << 56);
}

/* fw__fdr_odd_from() of the step whose byte before is p[0]: its odd pairs at p[1..2] .. p[7..8]. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_odd(const uint64_t *m, const unsigned char *p, uint64_t z)
{
	return fw__fdr_odd_from(m, p + 1, z);
}

/* The places of one step: its even pairs, then its odd ones where those left any. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_places(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
	uint64_t z = fw__fdr_step(m, p, carry);

	return __builtin_expect(z != 0, 0) ? fw__fdr_odd(m, p, z) : z;
}

/* Reports the places of one step, whose first position is line[i]. */
static inline __attribute__((always_inline)) void
fw__fdr_report(const struct fw_fdr *fdr, uint64_t z, size_t i,
	       void (*hit)(void *arg, size_t end, uint32_t groups), void *arg)
{
	do {
		unsigned k = (unsigned)__builtin_ctzll(z) / 8;
		unsigned b = (unsigned)(z >> (8 * k)) & 0xFF;

		z &= ~((uint64_t)0xFF << (8 * k));
		hit(arg, i + k, fdr->groups[b]);
	} while (z);
}

/*
 * The places z that the even pairs of the step at p (its first position
 * line[i]) left, over table m (fdr's): its odd pairs read, then what is
 * left reported.
 */
static inline __attribute__((always_inline)) void
fw__fdr_settle(const struct fw_fdr *fdr, const uint64_t *m, const unsigned char *p, uint64_t z, size_t i,
	       void (*hit)(void *arg, size_t end, uint32_t groups), void *arg)
{
	if (z && (z = fw__fdr_odd(m, p, z)))
		fw__fdr_report(fdr, z, i, hit, arg);
}

/*
 * Reports each place of line[0..len) where a window of fdr may end:
 * hit(arg, end, groups) with the position of its last byte and the groups
 * of the buckets that may end there, in ascending order of end. Inlined
 * into its caller, hit with it.
 *
 * The line's first step has no byte before it: a zero stands in for it
 * (fw__fdr_index_first()). A line shorter than a step lacks bytes after
 * it: it reads a copy, where zeros stand in for the missing bytes. They
 * only add places, before the line or after it, and those after it are
 * dropped. The last step of a longer line ends at the line's end, over
 * bytes of the steps before it.
 */
static inline __attribute__((always_inline)) void
fw__fdr_scan(const struct fw_fdr *fdr, const unsigned char *line, size_t len,
	     void (*hit)(void *arg, size_t end, uint32_t groups), void *arg)
{
	const uint64_t *m = fdr->mask;  /* a local: hit() may store anywhere */
	unsigned char buf[FW_FDR_STEP + 1] = { 0 };
	fw_fdr_carry carry = FW_FDR_CARRY_NONE;
	size_t i = FW_FDR_STEP;
	uint64_t z;

	if (len < FW_FDR_STEP) {
		if (!len)
			return;
		memcpy(buf + 1, line, len);
		z = fw__fdr_places(m, buf, &carry) & (((uint64_t)1 << (8 * len)) - 1);
		if (z)
			fw__fdr_report(fdr, z, 0, hit, arg);
		return;
	}
	z = fw__fdr_places_of(fw__fdr_state_from(m, fw__fdr_index_first(line), line + 1, &carry));
	if (__builtin_expect(z != 0, 0) && (z = fw__fdr_odd_from(m, line, z)))
		fw__fdr_report(fdr, z, 0, hit, arg);
	/* Four steps a turn, one branch for all: most steps leave no place. */
	for (; i + 4 * FW_FDR_STEP <= len; i += 4 * FW_FDR_STEP) {
		fw_fdr_state s = fw__fdr_state(m, line + i - 1, &carry);
		fw_fdr_state s2 = fw__fdr_state(m, line + i + FW_FDR_STEP - 1, &carry);
		fw_fdr_state s3 = fw__fdr_state(m, line + i + 2 * FW_FDR_STEP - 1, &carry);
		fw_fdr_state s4 = fw__fdr_state(m, line + i + 3 * FW_FDR_STEP - 1, &carry);

		if (__builtin_expect(fw__fdr_none4(s, s2, s3, s4), 1))
			continue;
		fw__fdr_settle(fdr, m, line + i - 1, fw__fdr_places_of(s), i, hit, arg);
		fw__fdr_settle(fdr, m, line + i + FW_FDR_STEP - 1, fw__fdr_places_of(s2), i + FW_FDR_STEP, hit, arg);
		fw__fdr_settle(fdr, m, line + i + 2 * FW_FDR_STEP - 1, fw__fdr_places_of(s3), i + 2 * FW_FDR_STEP,
			       hit, arg);
		fw__fdr_settle(fdr, m, line + i + 3 * FW_FDR_STEP - 1, fw__fdr_places_of(s4), i + 3 * FW_FDR_STEP,
			       hit, arg);
	}
	if (i + 2 * FW_FDR_STEP <= len) {
		uint64_t z2;

		z = fw__fdr_step(m, line + i - 1, &carry);
		z2 = fw__fdr_step(m, line + i + FW_FDR_STEP - 1, &carry);
		fw__fdr_settle(fdr, m, line + i - 1, z, i, hit, arg);
		fw__fdr_settle(fdr, m, line + i + FW_FDR_STEP - 1, z2, i + FW_FDR_STEP, hit, arg);
		i += 2 * FW_FDR_STEP;
	}
	if (i + FW_FDR_STEP <= len) {
		z = fw__fdr_places(m, line + i - 1, &carry);
		if (z)
			fw__fdr_report(fdr, z, i, hit, arg);
		i += FW_FDR_STEP;
	}
	if (i < len) {
		/*
		 * The last step ends at the line's end, over positions the steps
		 * before it took too (their places dropped), with the carry moved
		 * to its start: no copy of a short tail, and every pair of the
		 * tail read as before.
		 */
		size_t j = len - FW_FDR_STEP;

		carry = fw__fdr_carry_back(carry, i - j);
		z = fw__fdr_places(m, line + j - 1, &carry) & ~(((uint64_t)1 << (8 * (i - j))) - 1);
		if (z)
			fw__fdr_report(fdr, z, j, hit, arg);
	}
}

/*
 * What fw__fdr_scan()'s turns of four steps over line[0..len) meet that
 * its count of places does not show: in *turns the turns whose even pairs
 * let a place through (each takes a mispredicted branch, its wait for the
 * table's loads included), in *steps their steps that do (each reads its
 * odd pairs). The stage model charges them (match_fast_index.c).
 */
static inline void
fw__fdr_turn_passes(const struct fw_fdr *fdr, const unsigned char *line, size_t len, size_t *turns,
		    size_t *steps)
{
	const uint64_t *m = fdr->mask;
	fw_fdr_carry carry = FW_FDR_CARRY_NONE;

	*turns = *steps = 0;
	if (len < FW_FDR_STEP)
		return;
	(void)fw__fdr_state_from(m, fw__fdr_index_first(line), line + 1, &carry);
	for (size_t i = FW_FDR_STEP; i + 4 * FW_FDR_STEP <= len; i += 4 * FW_FDR_STEP) {
		unsigned n = 0;

		for (unsigned k = 0; k < 4; k++)
			n += fw__fdr_step(m, line + i + k * FW_FDR_STEP - 1, &carry) != 0;
		*turns += n != 0;
		*steps += n;
	}
}

#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
/*
 * The byte-before indexes of the pairs p[0..1], p[2..3], .., p[14..15]
 * as the eight 16-bit words of a vector (p[-1] .. p[15] read): the even
 * pairs of two steps from two loads, a shift, a mask and an XOR.
 */
static inline __attribute__((always_inline)) __m128i
fw__fdr_index8_before(const unsigned char *p)
{
	__m128i pairs = _mm_loadu_si128((const void *)p);
	__m128i before = _mm_loadu_si128((const void *)(p - 1));

	return _mm_xor_si128(pairs, _mm_and_si128(_mm_slli_epi16(before, FW_FDR_BEFORE_SHIFT),
						  _mm_set1_epi16(FW_FDR_BEFORE_BITS << FW_FDR_BEFORE_SHIFT)));
}

/*
 * The byte-before indexes of four pairs, in the low four words: the pairs'
 * bytes as words, and the bytes before them (each word's low byte the
 * byte before that pair's first).
 */
static inline __attribute__((always_inline)) __m128i
fw__fdr_index4_of(__m128i pairs, __m128i before)
{
	return _mm_xor_si128(pairs, _mm_and_si128(_mm_slli_epi16(before, FW_FDR_BEFORE_SHIFT),
						  _mm_set1_epi16(FW_FDR_BEFORE_BITS << FW_FDR_BEFORE_SHIFT)));
}

/* The same for four pairs p[0..1] .. p[6..7] (p[-1] .. p[7] read). */
static inline __attribute__((always_inline)) __m128i
fw__fdr_index4_before(const unsigned char *p)
{
	return fw__fdr_index4_of(_mm_loadl_epi64((const void *)p), _mm_loadl_epi64((const void *)(p - 1)));
}

/* The entry of index word k of x, as the low half of a vector. */
#define FW_FDR_ENTRY(m, x, k) _mm_loadl_epi64((const void *)&(m)[_mm_extract_epi16((x), (k))])
#endif

#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
/* fw__fdr_step() over a byte-before table, the even pairs' indexes in x. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_step_before_x(const uint64_t *m, __m128i x, fw_fdr_carry *carry)
{
	__m128i t = FW_FDR_ENTRY(m, x, 0);

	t = _mm_or_si128(t, _mm_slli_si128(FW_FDR_ENTRY(m, x, 1), 2));
	t = _mm_or_si128(t, _mm_slli_si128(FW_FDR_ENTRY(m, x, 2), 4));
	t = _mm_or_si128(t, _mm_slli_si128(FW_FDR_ENTRY(m, x, 3), 6));
	return fw__fdr_places_of(fw__fdr_join(t, carry));
}
#endif

/* fw__fdr_step() over a byte-before table (p[-1] is read too). */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_step_before(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	return fw__fdr_step_before_x(m, fw__fdr_index4_before(p), carry);
#else
	uint64_t s = *carry, next = 0, v;

	s |= m[fw__fdr_index_before(p)];
#define FDR_PAIR(k) v = m[fw__fdr_index_before(p + (k))]; s |= v << (8 * (k)); next |= v >> (64 - 8 * (k))
	FDR_PAIR(2); FDR_PAIR(4); FDR_PAIR(6);
#undef FDR_PAIR
	*carry = next;
	return ~s;
#endif
}

#if !defined(__SSE2__) || defined(FW_FDR_SCALAR)
/*
 * One step over a byte-before table with every pair read, in 64-bit words
 * (fw__fdr_step2_before() without SSE2): the pair ending at position k
 * goes in at byte k, what passes byte 7 into *carry for the next step.
 */
static inline __attribute__((always_inline)) fw_fdr_state
fw__fdr_step_every_before(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
	uint64_t s = *carry | m[fw__fdr_index_before(p)], next = 0, v;

#define FDR_PAIR(k) v = m[fw__fdr_index_before(p + (k))]; s |= v << (8 * (k)); next |= v >> (64 - 8 * (k))
	FDR_PAIR(1); FDR_PAIR(2); FDR_PAIR(3); FDR_PAIR(4); FDR_PAIR(5); FDR_PAIR(6); FDR_PAIR(7);
#undef FDR_PAIR
	*carry = next;
	return s;
}
#endif

/*
 * Two steps over a byte-before table, at p and p + FW_FDR_STEP, with every
 * pair read: the odd pairs too, and what they say of the next step's
 * positions carried into it. *s1 and *s2 are the steps' states, whose
 * places (fw__fdr_places_of()) have nothing left to settle. p[-1] ..
 * p[16] are read. With SSE2 the indexes of the even pairs come from one
 * pair of 16-byte loads and those of the odd ones from another.
 */
static inline __attribute__((always_inline)) void
fw__fdr_step2_before(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry, fw_fdr_state *s1,
		     fw_fdr_state *s2)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	__m128i x = fw__fdr_index8_before(p), y = fw__fdr_index8_before(p + 1);

#define E(v, k) FW_FDR_ENTRY(m, v, k)
	*s1 = fw__fdr_join(fw__fdr_or8(E(x, 0), E(y, 0), E(x, 1), E(y, 1), E(x, 2), E(y, 2), E(x, 3), E(y, 3)), carry);
	*s2 = fw__fdr_join(fw__fdr_or8(E(x, 4), E(y, 4), E(x, 5), E(y, 5), E(x, 6), E(y, 6), E(x, 7), E(y, 7)), carry);
#undef E
#else
	*s1 = fw__fdr_step_every_before(m, p, carry);
	*s2 = fw__fdr_step_every_before(m, p + FW_FDR_STEP, carry);
#endif
}

/* Reports the places z of the step whose first position is line[i], if any. */
static inline __attribute__((always_inline)) void
fw__fdr_report_any(const struct fw_fdr *fdr, uint64_t z, size_t i,
		   void (*hit)(void *arg, size_t end, uint32_t groups), void *arg)
{
	if (z)
		fw__fdr_report(fdr, z, i, hit, arg);
}

#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
/* fw__fdr_odd() over a byte-before table, the odd pairs' indexes in x. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_odd_before_x(const uint64_t *m, __m128i x, uint64_t z)
{
	return z & ~(m[_mm_extract_epi16(x, 0)] << 8 | m[_mm_extract_epi16(x, 1)] << 24 |
		     m[_mm_extract_epi16(x, 2)] << 40 | m[_mm_extract_epi16(x, 3)] << 56);
}
#endif

/* fw__fdr_odd() over a byte-before table. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_odd_before(const uint64_t *m, const unsigned char *p, uint64_t z)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	return fw__fdr_odd_before_x(m, fw__fdr_index4_before(p + 1), z);
#else
	return z & ~(m[fw__fdr_index_before(p + 1)] << 8 | m[fw__fdr_index_before(p + 3)] << 24 |
		     m[fw__fdr_index_before(p + 5)] << 40 | m[fw__fdr_index_before(p + 7)] << 56);
#endif
}

/* fw__fdr_places() over a byte-before table. */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_places_before(const uint64_t *m, const unsigned char *p, fw_fdr_carry *carry)
{
	uint64_t z = fw__fdr_step_before(m, p, carry);

	return __builtin_expect(z != 0, 0) ? fw__fdr_odd_before(m, p, z) : z;
}

/*
 * fw__fdr_places_before() of a line's first step (line[0..7]), zeros
 * before the line (fw__fdr_index_first()). With SSE2 the indexes come
 * from the line's first eight bytes, moved up in a register by the two
 * zeros; otherwise from a copy.
 */
static inline __attribute__((always_inline)) uint64_t
fw__fdr_places_before_first(const uint64_t *m, const unsigned char *line, fw_fdr_carry *carry)
{
#if defined(__SSE2__) && !defined(FW_FDR_SCALAR)
	__m128i v = _mm_loadl_epi64((const void *)line), v1 = _mm_slli_epi64(v, 8);
	uint64_t z = fw__fdr_step_before_x(m, fw__fdr_index4_of(v1, _mm_slli_epi64(v, 16)), carry);

	return __builtin_expect(z != 0, 0) ? fw__fdr_odd_before_x(m, fw__fdr_index4_of(v, v1), z) : z;
#else
	unsigned char buf[FW_FDR_STEP + 2] = { 0 };

	memcpy(buf + 2, line, FW_FDR_STEP);
	return fw__fdr_places_before(m, buf + 1, carry);
#endif
}

/*
 * fw__fdr_scan() for fdr built by fw__fdr_build_before(). A step reads
 * the byte before its first pair: the line's first step has two zeros
 * before it (fw__fdr_places_before_first()), and a line's last step is a
 * copy where ending it at the line's end would read a byte before the
 * line.
 */
static inline __attribute__((always_inline)) void
fw__fdr_scan_before(const struct fw_fdr *fdr, const unsigned char *line, size_t len,
		    void (*hit)(void *arg, size_t end, uint32_t groups), void *arg)
{
	const uint64_t *m = fdr->mask;  /* a local: hit() may store anywhere */
	unsigned char buf[FW_FDR_STEP + 2] = { 0 };
	fw_fdr_carry carry = FW_FDR_CARRY_NONE;
	size_t i = FW_FDR_STEP;
	uint64_t z;

	if (len < FW_FDR_STEP) {
		if (!len)
			return;
		memcpy(buf + 2, line, len);
		z = fw__fdr_places_before(m, buf + 1, &carry) & (((uint64_t)1 << (8 * len)) - 1);
		if (z)
			fw__fdr_report(fdr, z, 0, hit, arg);
		return;
	}
	z = fw__fdr_places_before_first(m, line, &carry);
	if (z)
		fw__fdr_report(fdr, z, 0, hit, arg);
	/*
	 * Four steps a turn, one branch for all, every pair read: the turns
	 * of a bucket of thousands of windows pass about as often as not, and
	 * a test of each step's even pairs, as fw__fdr_scan() makes, is a
	 * branch mispredicted about as often as not, resolved only once the
	 * table's loads arrive (bench/README.md: "`net`: the byte-before
	 * scan's turns read every pair").
	 */
	for (; i + 4 * FW_FDR_STEP <= len; i += 4 * FW_FDR_STEP) {
		fw_fdr_state s, s2, s3, s4;

		fw__fdr_step2_before(m, line + i - 1, &carry, &s, &s2);
		fw__fdr_step2_before(m, line + i + 2 * FW_FDR_STEP - 1, &carry, &s3, &s4);
		if (__builtin_expect(fw__fdr_none4(s, s2, s3, s4), 1))
			continue;
		fw__fdr_report_any(fdr, fw__fdr_places_of(s), i, hit, arg);
		fw__fdr_report_any(fdr, fw__fdr_places_of(s2), i + FW_FDR_STEP, hit, arg);
		fw__fdr_report_any(fdr, fw__fdr_places_of(s3), i + 2 * FW_FDR_STEP, hit, arg);
		fw__fdr_report_any(fdr, fw__fdr_places_of(s4), i + 3 * FW_FDR_STEP, hit, arg);
	}
	if (i + 2 * FW_FDR_STEP <= len) {
		fw_fdr_state s, s2;

		fw__fdr_step2_before(m, line + i - 1, &carry, &s, &s2);
		fw__fdr_report_any(fdr, fw__fdr_places_of(s), i, hit, arg);
		fw__fdr_report_any(fdr, fw__fdr_places_of(s2), i + FW_FDR_STEP, hit, arg);
		i += 2 * FW_FDR_STEP;
	}
	if (i + FW_FDR_STEP <= len) {
		z = fw__fdr_places_before(m, line + i - 1, &carry);
		if (z)
			fw__fdr_report(fdr, z, i, hit, arg);
		i += FW_FDR_STEP;
	}
	if (i < len) {
		/* As in fw__fdr_scan(), unless the line's last step would read a byte before it (len 9). */
		size_t j = len - FW_FDR_STEP;

		if (j >= 2) {
			carry = fw__fdr_carry_back(carry, i - j);
			z = fw__fdr_places_before(m, line + j - 1, &carry) & ~(((uint64_t)1 << (8 * (i - j))) - 1);
		} else {
			memcpy(buf, line + i - 2, len - i + 2);
			z = fw__fdr_places_before(m, buf + 1, &carry) & (((uint64_t)1 << (8 * (len - i))) - 1);
			j = i;
		}
		if (z)
			fw__fdr_report(fdr, z, j, hit, arg);
	}
}

#endif
