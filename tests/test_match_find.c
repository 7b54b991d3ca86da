/*
 * test_match_find: the fast engine's search of a line for two bytes of a
 * literal at once (match_fast_find.c) finds what a byte-at-a-time loop
 * finds, in the dispatched version (AVX2 where the processor has it) and
 * the SSE2 one:
 *  - lines of every length up to past four vector steps, from every start,
 *    eight rounds a length, each with a literal of 1-12 bytes and its two
 *    bytes' offsets drawn at random;
 *  - a caseless letter folded, and nothing else matched by the fold;
 *  - each line in an allocation of its own length, so that a read past its
 *    end shows under the sanitizers;
 *  - a literal's whole search (fp_lit_in()) finds what a comparison at
 *    every start finds: literals taken from the line or not, caseless, with
 *    a byte required before them, at the line's start and end.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "match/match_fast_int.h"
#include "xorshift.h"

static size_t
next_bytewise(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1, uint32_t o2,
	      unsigned char b2, unsigned char or2)
{
	for (; s < n; s++)
		if (line[s + o1] == b1 && (line[s + o2] | or2) == b2)
			return s;
	return n;
}

/* Both versions against the loop, from every start of a line of len bytes. */
static void
check_line(const unsigned char *line, size_t len, uint32_t lit_len, uint32_t o1, uint32_t o2, unsigned char b1,
	   unsigned char b2, unsigned char or2)
{
	size_t n = len - lit_len + 1;

	for (size_t s = 0; s <= n; s++) {
		size_t want = next_bytewise(line, s, n, o1, b1, o2, b2, or2);

		assert_int_equal(fw__fast_two_bytes_next(line, s, n, o1, b1, o2, b2, or2), want);
		assert_int_equal(fw__fast_two_bytes_next_sse2(line, s, n, o1, b1, o2, b2, or2), want);
	}
}

static void
test_random_lines(void **state)
{
	static const unsigned char alphabet[] = "aAbB. @`";
	struct xorshift rng = { 0x5EED0F1D };
	unsigned found = 0;

	(void)state;
	for (size_t len = 1; len <= 150; len++)
		for (int round = 0; round < 8; round++) {
			unsigned char *line = malloc(len);
			uint32_t k = round < 4 ? 8 : 3;      /* how many bytes of the alphabet the line holds */
			uint32_t lit_len = 1 + xorshift_below(&rng, (len < 12 ? len : 12));
			uint32_t o1 = xorshift_below(&rng, lit_len), o2 = xorshift_below(&rng, lit_len);
			unsigned char b1 = alphabet[xorshift_below(&rng, k)], b2 = alphabet[xorshift_below(&rng, k)];
			unsigned char or2 = (unsigned)(b2 - 'a') < 26u && round % 2 ? 0x20 : 0;

			assert_non_null(line);
			for (size_t i = 0; i < len; i++)
				line[i] = alphabet[xorshift_below(&rng, k)];
			check_line(line, len, lit_len, o1, o2, b1, b2, or2);
			found += next_bytewise(line, 0, len - lit_len + 1, o1, b1, o2, b2, or2) < len - lit_len + 1;
			free(line);
		}
	/* Not vacuous: most lines hold the pair somewhere. */
	print_message("lines holding the pair: %u of 1200\n", found);
	assert_true(found > 600);
}

/* One pair placed at each start of a line, the fold tried on a letter and on a byte that is none. */
static void
test_one_place(void **state)
{
	(void)state;
	for (size_t len = 2; len <= 140; len++) {
		unsigned char *line = malloc(len);
		uint32_t lit_len = len < 7 ? (uint32_t)len : 7;

		assert_non_null(line);
		for (size_t at = 0; at + lit_len <= len; at++) {
			memset(line, 'x', len);
			line[at] = '=';
			line[at + lit_len - 1] = 'K';
			check_line(line, len, lit_len, 0, lit_len - 1, '=', 'k', 0x20);
			assert_int_equal(fw__fast_two_bytes_next(line, 0, len - lit_len + 1, 0, '=', lit_len - 1, 'k', 0x20),
					 at);
			/* 'K' with its high bit set is no case of 'k'. */
			line[at + lit_len - 1] = 0xCB;
			check_line(line, len, lit_len, 0, lit_len - 1, '=', 'k', 0x20);
			assert_int_equal(fw__fast_two_bytes_next(line, 0, len - lit_len + 1, 0, '=', lit_len - 1, 'k', 0x20),
					 len - lit_len + 1);
		}
		free(line);
	}
}

/* A literal of up to 12 bytes, from the line at a random place or made up, and the byte its search looks for. */
static void
make_lit(struct xorshift *rng, const unsigned char *line, size_t len, unsigned char *bytes, struct fp_lit *l,
	 uint32_t *find)
{
	static const unsigned char alphabet[] = "aAbB. @`";
	uint32_t n = 1 + xorshift_below(rng, len < 12 ? (uint32_t)len : 12);
	bool caseless = xorshift_below(rng, 3) == 0;
	uint32_t f;

	if (xorshift_below(rng, 4)) {
		memcpy(bytes, line + xorshift_below(rng, (uint32_t)(len - n + 1)), n);
		if (xorshift_below(rng, 4) == 0)
			bytes[xorshift_below(rng, n)] = alphabet[xorshift_below(rng, 8)];
	} else {
		for (uint32_t i = 0; i < n; i++)
			bytes[i] = alphabet[xorshift_below(rng, 8)];
	}
	/* A caseless literal is folded, and searched for by a byte that is no letter. */
	f = xorshift_below(rng, n);
	if (caseless) {
		for (uint32_t i = 0; i < n; i++)
			bytes[i] = fold(bytes[i]);
		for (uint32_t i = 0; i < n && (unsigned)(bytes[f] - 'a') < 26u; i++)
			f = (f + 1) % n;
		caseless = (unsigned)(bytes[f] - 'a') >= 26u;
	}
	*l = (struct fp_lit){ .bytes = bytes, .len = n, .caseless = caseless };
	*find = f;
}

static bool
lit_in_bytewise(const struct fp_lit *l, const struct fw_dfa_ctx *x, const unsigned char *line, size_t len)
{
	for (size_t s = 0; s + l->len <= len; s++)
		if (fp_lit_at(l, line + s) && (!x || fp_ctx_ok(x, line, len, s, l->len)))
			return true;
	return false;
}

static void
test_lit_in(void **state)
{
	static const unsigned char alphabet[] = "aAbB. @`";
	struct xorshift rng = { 0x5EED0F1E };
	struct fw_dfa_ctx dot_before = { .n_before = 1 };
	unsigned found = 0, absent = 0;

	(void)state;
	fw_rx_bytes_add(&dot_before.before[0], '.');
	for (size_t len = 1; len <= 150; len++)
		for (int round = 0; round < 32; round++) {
			unsigned char *line = malloc(len), bytes[12];
			struct fp_lit l;
			const struct fw_dfa_ctx *x = round % 4 == 3 ? &dot_before : NULL;
			uint32_t find;
			bool want;

			assert_non_null(line);
			for (size_t i = 0; i < len; i++)
				line[i] = alphabet[xorshift_below(&rng, round < 16 ? 8 : 3)];
			make_lit(&rng, line, len, bytes, &l, &find);
			want = lit_in_bytewise(&l, x, line, len);
			assert_int_equal(fp_lit_in(&l, x, find, line, len), want);
			found += want;
			absent += !want;
			free(line);
		}
	/* Not vacuous: both answers are common. */
	print_message("literals found: %u, absent: %u\n", found, absent);
	assert_true(found > 1000 && absent > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_lines),
		cmocka_unit_test(test_one_place),
		cmocka_unit_test(test_lit_in),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
