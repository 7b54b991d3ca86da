/*
 * test_match_fdr: the bucketed shift-or filter (match_fast_fdr.h) against
 * a naive search. Every place where a window's bytes stand in a line must
 * be reported with the window's group: windows planted at every offset of
 * lines of every length up to a few steps (line start and end, lines
 * shorter than a step), and random lines over a small alphabet searched
 * for thousands of windows at once, all from fixed seeds; a third of the
 * windows have sets of bytes before their bytes (a short literal's
 * context). The filter must also filter: lines of bytes no window holds
 * get no report, nor places that only the pairs a step reads first let
 * through, nor a short window's bytes without a byte of its sets, nor one
 * that only what an earlier step carries turns away. Built twice,
 * with the SSE2 step and with the portable one (FW_FDR_SCALAR).
 *
 * Then the fast engine running the filter against the reference engine
 * (short literals whose context before them is in their windows too):
 * enough literals that a context starts with the filter, some caseless,
 * planted at every distance from the line's start and end in any case,
 * among bytes on either side of the ASCII letters' ranges and non-ASCII
 * bytes whose low bits are letters (the keys of a place are folded from
 * the line at once), with a short learning schedule so that keys move
 * while lines are compared.
 *
 * And keys moved on their false hits between samples: literals that stand
 * in every line with their first or their last 4 bytes changed, so that
 * whichever key was chosen, it stands without its literal; after a check of
 * the misses every key has moved once to its literal's other end (and
 * no further), in two contexts alike; lines holding the literals at the
 * line's edges, cut short, in either case, are compared throughout.
 *
 * And many literals under one key, their heads at every distance from the
 * key, found where they stand and turned away where only their heads or
 * the key do, near the line's edges too.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fdr_window.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "match/match_fast_adapt.h"
#include "match/match_fast_fdr.h"
#include "match_pair.h"
#include "xorshift.h"

#define LINE_MAX_LEN 300
#define GROUPS 27

struct reports {
	uint32_t at[LINE_MAX_LEN];      /* groups reported per end position */
	size_t last;                    /* the last end reported, for the order */
	size_t len;
	size_t n;
	bool any;
};

static void
on_hit(void *arg, size_t end, uint32_t groups)
{
	struct reports *r = arg;

	assert_true(end < r->len);
	assert_true(!r->any || end > r->last);
	assert_int_not_equal(groups, 0);
	r->at[end] |= groups;
	r->last = end;
	r->any = true;
	r->n++;
}

static void
run_scan(const struct fw_fdr *fdr, const unsigned char *line, size_t len, struct reports *r)
{
	memset(r, 0, sizeof *r);
	r->len = len;
	if (fdr->before)
		fw__fdr_scan_before(fdr, line, len, on_hit, r);
	else
		fw__fdr_scan(fdr, line, len, on_hit, r);
}

/* Whether the tests below build byte-before tables (set per test by its setup). */
static bool with_before;

static int
setup_plain(void **state)
{
	(void)state;
	with_before = false;
	return 0;
}

static int
setup_before(void **state)
{
	(void)state;
	with_before = true;
	return 0;
}

static int
build_filter(struct fw_fdr *fdr, const struct fw_fdr_window *w, uint32_t n)
{
	int rc = with_before ? fw__fdr_build_before(fdr, w, n) : fw__fdr_build(fdr, w, n);

	if (rc == 0)
		assert_int_equal(fdr->before, with_before);
	return rc;
}

/*
 * Sixteen windows of FW_FDR_WINDOW_MAX bytes, group k each: window k of
 * one repeated digit, but windows 0 and 1 the given bytes (a, b). The
 * build puts 0 and 1 in one bucket (the tests check groups[1] == 3).
 */
static void
two_in_bucket(struct fw_fdr_window w[16], unsigned char bytes[16][FW_FDR_WINDOW_MAX], const char *a,
	      const char *b)
{
	for (uint32_t k = 0; k < 16; k++) {
		memset(bytes[k], '0' + (int)k, FW_FDR_WINDOW_MAX);
		w[k] = (struct fw_fdr_window){ .bytes = bytes[k], .len = FW_FDR_WINDOW_MAX, .group = (uint8_t)k };
	}
	memcpy(bytes[0], a, FW_FDR_WINDOW_MAX);
	memcpy(bytes[1], b, FW_FDR_WINDOW_MAX);
}

/* Asserts that every place of every window in line[0..len) was reported with its group. */
static void
assert_complete(const struct fw_fdr_window *w, uint32_t n, const unsigned char *line, size_t len,
		const struct reports *r)
{
	for (uint32_t k = 0; k < n; k++)
		for (size_t s = 0; s + w[k].len <= len; s++)
			if (window_at(&w[k], line + s) && !(r->at[s + w[k].len - 1] & (1u << w[k].group))) {
				fail_msg("window %u (len %u) at %zu of a line of %zu not reported", k, w[k].len, s,
					 len);
			}
}

/* Sets before its bytes that make_windows() may give a window. */
#define SETS 3

/* A set of 1 to 4 bytes of alphabet abc. */
static void
make_set(struct xorshift *x, struct fw_rx_bytes *set, const char *abc)
{
	uint32_t na = (uint32_t)strlen(abc), k = 1 + xorshift_below(x, 4);

	memset(set, 0, sizeof *set);
	while (k--)
		fw_rx_bytes_add(set, (unsigned char)abc[xorshift_below(x, na)]);
}

/*
 * n random windows over alphabet abc, of lengths 1..9, some caseless, in
 * bytes (n * 9); with sets (n * SETS, or NULL), a third of them with sets
 * of abc's bytes before their bytes.
 */
static void
make_windows(struct xorshift *x, struct fw_fdr_window *w, unsigned char *bytes, struct fw_rx_bytes *sets,
	     uint32_t n, const char *abc, uint32_t min_len)
{
	size_t na = strlen(abc);

	for (uint32_t k = 0; k < n; k++) {
		w[k] = (struct fw_fdr_window){
			.bytes = bytes + (size_t)k * FW_FDR_WINDOW_MAX,
			.len = min_len + xorshift_below(x, FW_FDR_WINDOW_MAX - min_len + 1),
			.caseless = xorshift_below(x, 4) == 0,
			.group = (uint8_t)xorshift_below(x, GROUPS),
		};
		for (uint32_t i = 0; i < w[k].len; i++) {
			unsigned char c = (unsigned char)abc[xorshift_below(x, (uint32_t)na)];

			bytes[(size_t)k * FW_FDR_WINDOW_MAX + i] = w[k].caseless ? lower(c) : c;
		}
		if (!sets || xorshift_below(x, 3))
			continue;
		w[k].before = sets + (size_t)k * SETS;
		for (uint32_t d = 0; d < SETS; d++)
			make_set(x, &sets[(size_t)k * SETS + d], abc);
		/* Sets in the place of some of its first bytes: its length stays in min_len..9. */
		w[k].n_before = (uint8_t)(1 + xorshift_below(x, SETS));
		if (w[k].n_before >= w[k].len)
			w[k].n_before = (uint8_t)(w[k].len - 1);
	}
}

/* Writes window w at out: its bytes (a caseless one's letters in either case), a byte of each set. */
static void
plant(struct xorshift *x, const struct fw_fdr_window *w, unsigned char *out)
{
	for (uint32_t i = 0; i < w->len; i++) {
		const struct fw_rx_bytes *set = window_set(w, i);
		unsigned char c;

		if (set) {
			do
				c = (unsigned char)xorshift_below(x, 256);
			while (!fw_rx_bytes_has(set, c));
		} else {
			c = w->bytes[i - w->n_before];
			/* A caseless window in a case of the line's own. */
			if (w->caseless && (unsigned)(c - 'a') < 26u && xorshift_below(x, 2))
				c = (unsigned char)(c - ('a' - 'A'));
		}
		out[i] = c;
	}
}

/*
 * Each window planted at every offset of lines of every length up to 8
 * steps and a bit: the line's first step, a turn of four, a turn of two,
 * a step, a short last step, and windows across each boundary.
 */
static void
test_every_offset(void **state)
{
	struct xorshift x = { 0x5eed0fd4u };
	struct fw_fdr_window w[40];
	unsigned char bytes[sizeof w / sizeof w[0] * FW_FDR_WINDOW_MAX], line[LINE_MAX_LEN];
	struct fw_rx_bytes sets[sizeof w / sizeof w[0] * SETS];
	struct reports r;
	struct fw_fdr fdr;
	uint32_t n = sizeof w / sizeof w[0];

	(void)state;
	make_windows(&x, w, bytes, sets, n, "abcdefgHIJ0123-_ :/\x80\xff", 1);
	assert_int_equal(build_filter(&fdr, w, n), 0);
	for (uint32_t k = 0; k < n; k++)
		for (size_t len = w[k].len; len <= 8 * FW_FDR_STEP + 7; len++)
			for (size_t s = 0; s + w[k].len <= len; s++) {
				for (size_t i = 0; i < len; i++)
					line[i] = (unsigned char)"xyzXYZ98"[xorshift_below(&x, 8)];
				plant(&x, &w[k], line + s);
				run_scan(&fdr, line, len, &r);
				assert_true(r.at[s + w[k].len - 1] & (1u << w[k].group));
				assert_complete(w, n, line, len, &r);
			}
	fw__fdr_free(&fdr);
}

/* Many windows per bucket, random lines over their own alphabet: nothing is ever missed. */
static void
test_against_naive(void **state)
{
	static struct fw_fdr_window w[3000];
	static unsigned char bytes[sizeof w / sizeof w[0] * FW_FDR_WINDOW_MAX];
	static struct fw_rx_bytes sets[sizeof w / sizeof w[0] * SETS];
	struct xorshift x = { 0xfd2c0ffeu };
	unsigned char line[LINE_MAX_LEN];
	const char *abc = "abcAB:. 0";
	struct reports r;
	struct fw_fdr fdr;

	(void)state;
	for (uint32_t n = 1; n <= sizeof w / sizeof w[0]; n *= 7) {
		make_windows(&x, w, bytes, sets, n, abc, n > 100 ? 5 : 1);
		assert_int_equal(build_filter(&fdr, w, n), 0);
		for (int round = 0; round < 300; round++) {
			size_t len = xorshift_below(&x, round < 100 ? 2 * FW_FDR_STEP + 2 : LINE_MAX_LEN);

			for (size_t i = 0; i < len; i++)
				line[i] = (unsigned char)abc[xorshift_below(&x, (uint32_t)strlen(abc))];
			/* Windows planted in a third of the lines. */
			if (round % 3 == 0 && len >= FW_FDR_WINDOW_MAX) {
				const struct fw_fdr_window *p = &w[xorshift_below(&x, n)];

				plant(&x, p, line + xorshift_below(&x, (uint32_t)(len - p->len + 1)));
			}
			run_scan(&fdr, line, len, &r);
			assert_complete(w, n, line, len, &r);
		}
		fw__fdr_free(&fdr);
	}
}

/* Lines of bytes that no window holds get no report, at any length: the filter filters. */
static void
test_filters(void **state)
{
	static struct fw_fdr_window w[2500];
	static unsigned char bytes[sizeof w / sizeof w[0] * FW_FDR_WINDOW_MAX];
	static struct fw_rx_bytes sets[sizeof w / sizeof w[0] * SETS];
	struct xorshift x = { 0x0ddba11u };
	unsigned char line[LINE_MAX_LEN];
	struct reports r;
	struct fw_fdr fdr;
	uint32_t n = sizeof w / sizeof w[0];
	size_t planted = 0;

	(void)state;
	make_windows(&x, w, bytes, sets, n, "klmnopqrstuvw=", 1);
	assert_int_equal(build_filter(&fdr, w, n), 0);
	for (size_t len = 0; len < LINE_MAX_LEN; len++) {
		for (size_t i = 0; i < len; i++)
			line[i] = (unsigned char)"0123456789 .:"[xorshift_below(&x, 13)];
		run_scan(&fdr, line, len, &r);
		assert_int_equal(r.n, 0);
	}
	/* And one window of 9 bytes in such a line is reported where it ends, and nowhere else. */
	for (uint32_t k = 0; k < n; k++) {
		if (w[k].len != FW_FDR_WINDOW_MAX)
			continue;
		memset(line, '.', 40);
		plant(&x, &w[k], line + 20);
		run_scan(&fdr, line, 40, &r);
		assert_true(r.at[20 + w[k].len - 1] & (1u << w[k].group));
		for (size_t i = 0; i < 40; i++)
			if (r.at[i])
				assert_true(i >= 20 && i < 20 + FW_FDR_WINDOW_MAX);
		planted++;
	}
	assert_true(planted > 100);
	fw__fdr_free(&fdr);
}

/*
 * A step's odd pairs turn away what its even pairs let through: two
 * windows of one bucket, and a line whose even pairs are each one of
 * theirs, at the right distance, but whose odd pairs are neither's.
 */
static void
test_odd_pairs(void **state)
{
	struct fw_fdr_window w[16];
	unsigned char bytes[16][FW_FDR_WINDOW_MAX], line[40];
	struct reports r;
	struct fw_fdr fdr;

	(void)state;
	two_in_bucket(w, bytes, "abcdefghi", "ABCDEFGHI");
	assert_int_equal(build_filter(&fdr, w, 16), 0);
	assert_int_equal(fdr.groups[1], 3u);
	/* Ends at 30, the step's position 6: pairs "HI", "fg", "DE", "bc" at distances 0, 2, 4, 6. */
	memset(line, '.', sizeof line);
	memcpy(line + 22, "abcDEfgHI", 9);
	run_scan(&fdr, line, sizeof line, &r);
	assert_int_equal(r.at[30] & 3u, 0);
	/* The window itself is reported there. */
	memcpy(line + 22, "ABCDEFGHI", 9);
	run_scan(&fdr, line, sizeof line, &r);
	assert_true(r.at[30] & 2u);
	fw__fdr_free(&fdr);
}

/*
 * What a step carries turns a place away in the steps after it, the last
 * one too (which starts back over the step before it, its carry moved):
 * a window whose third byte is changed, ending at every position of lines
 * of every length up to a few turns, is never reported where it ends. Of
 * the two pairs the change spoils, the one at an even position is read by
 * its step, and where that step is an earlier one only its carry says so.
 * The window itself is reported there.
 */
static void
test_carried(void **state)
{
	struct fw_fdr_window w[16];
	unsigned char bytes[16][FW_FDR_WINDOW_MAX], line[80];
	struct reports r;
	struct fw_fdr fdr;

	(void)state;
	two_in_bucket(w, bytes, "abcdefghi", "ABCDEFGHI");
	assert_int_equal(build_filter(&fdr, w, 16), 0);
	for (size_t len = FW_FDR_WINDOW_MAX; len <= sizeof line; len++)
		for (size_t end = FW_FDR_WINDOW_MAX - 1; end < len; end++) {
			memset(line, '.', len);
			memcpy(line + end + 1 - FW_FDR_WINDOW_MAX, "ab.defghi", FW_FDR_WINDOW_MAX);
			run_scan(&fdr, line, len, &r);
			if (r.at[end] & 1u)
				fail_msg("a line of %zu bytes: a spoilt window reported at %zu", len, end);
			memcpy(line + end + 1 - FW_FDR_WINDOW_MAX, "abcdefghi", FW_FDR_WINDOW_MAX);
			run_scan(&fdr, line, len, &r);
			assert_true(r.at[end] & 1u);
		}
	fw__fdr_free(&fdr);
}

/*
 * fw__fdr_turn_passes() counts what the stage model charges the plain
 * filter for: the turns of four steps (from position 8 on, while a whole
 * turn fits) whose even pairs let a place through, and their steps that
 * do. A 4-byte window ending in the line's first step or past the last
 * whole turn is in no turn; two in one turn count one turn, and one step
 * where they end in the same step.
 */
static void
test_turn_passes(void **state)
{
	static const char win[] = "wxyz";
	struct fw_fdr_window w = { (const unsigned char *)win, 4, false, 0, 0, NULL };
	unsigned char line[8 + 3 * 4 * FW_FDR_STEP + 4 * FW_FDR_STEP - 2];
	const size_t len = sizeof line, turns_end = 8 + 3 * 4 * FW_FDR_STEP;
	struct fw_fdr fdr;
	size_t turns, steps;

	(void)state;
	assert_int_equal(fw__fdr_build(&fdr, &w, 1), 0);
	memset(line, '.', len);
	fw__fdr_turn_passes(&fdr, line, len, &turns, &steps);
	assert_int_equal(turns, 0);
	assert_int_equal(steps, 0);
	for (size_t end = 3; end < len; end++) {
		bool in_turn = end >= FW_FDR_STEP && end < turns_end;

		memset(line, '.', len);
		memcpy(line + end - 3, win, 4);
		fw__fdr_turn_passes(&fdr, line, len, &turns, &steps);
		assert_int_equal(turns, in_turn);
		assert_int_equal(steps, in_turn);
		/* A second window: the same turn or the next, the same step or another. */
		for (size_t end2 = end + 4; in_turn && end2 < turns_end; end2++) {
			size_t t1 = (end - FW_FDR_STEP) / (4 * FW_FDR_STEP), t2 = (end2 - FW_FDR_STEP) / (4 * FW_FDR_STEP);

			memcpy(line + end2 - 3, win, 4);
			fw__fdr_turn_passes(&fdr, line, len, &turns, &steps);
			assert_int_equal(turns, t1 == t2 ? 1 : 2);
			assert_int_equal(steps, end / FW_FDR_STEP == end2 / FW_FDR_STEP ? 1 : 2);
			memset(line + end2 - 3, '.', 4);
		}
	}
	fw__fdr_free(&fdr);
}

/* The set of the bytes from lo to hi, and of those in `more`. */
static struct fw_rx_bytes
set_of(unsigned char lo, unsigned char hi, const char *more)
{
	struct fw_rx_bytes set = { { 0 } };

	for (unsigned c = lo; c <= hi; c++)
		fw_rx_bytes_add(&set, c);
	for (; *more; more++)
		fw_rx_bytes_add(&set, (unsigned char)*more);
	return set;
}

/*
 * A short window's sets turn away what its bytes alone let through: "/5"
 * after two of [A-Z_] (a status `[A-Z_]+/5\d\d `), on a browser's name at
 * every offset in a step, is never reported; "/5" alone is, and the window
 * with its sets is where a status stands, at the line's start and end too.
 */
static void
test_window_sets(void **state)
{
	static const char agent[] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Gecko/20100101";
	const struct fw_rx_bytes before[2] = { set_of('A', 'Z', "_"), set_of('A', 'Z', "_") };
	struct fw_fdr_window w = { (const unsigned char *)"/5", 4, false, 3, 2, before };
	struct fw_fdr_window bare = { (const unsigned char *)"/5", 2, false, 3, 0, NULL };
	unsigned char line[LINE_MAX_LEN];
	struct reports r;
	struct fw_fdr fdr, plain;

	(void)state;
	assert_int_equal(build_filter(&fdr, &w, 1), 0);
	assert_int_equal(build_filter(&plain, &bare, 1), 0);
	for (size_t k = 0; k < FW_FDR_STEP; k++) {
		memset(line, '.', k);
		memcpy(line + k, agent, sizeof agent - 1);
		run_scan(&fdr, line, k + sizeof agent - 1, &r);
		assert_int_equal(r.n, 0);
		run_scan(&plain, line, k + sizeof agent - 1, &r);
		assert_true(r.at[k + 8] & (1u << 3));
		/* A status in the line, at its start and at its end. */
		memcpy(line + k, "TCP_MISS/503 ", 13);
		run_scan(&fdr, line, k + sizeof agent - 1, &r);
		assert_true(r.at[k + 9] & (1u << 3));
		run_scan(&fdr, line + k + 6, 4, &r);
		assert_true(r.at[3] & (1u << 3));
		run_scan(&fdr, line + k, 10, &r);
		assert_true(r.at[9] & (1u << 3));
		/* A byte out of each set in turn, the window at the line's end. */
		for (size_t i = 0; i < 2; i++) {
			memcpy(line + k, "TCP_MISS/503 ", 13);
			line[k + 6 + i] = 's';
			run_scan(&fdr, line, k + 10, &r);
			assert_int_equal(r.at[k + 9] & (1u << 3), 0);
		}
	}
	fw__fdr_free(&plain);
	fw__fdr_free(&fdr);
}

/* No windows: nothing is reported, and an empty line is fine. */
static void
test_empty(void **state)
{
	const unsigned char line[] = "abc";
	struct reports r;
	struct fw_fdr fdr;

	(void)state;
	assert_int_equal(build_filter(&fdr, NULL, 0), 0);
	run_scan(&fdr, line, 3, &r);
	assert_int_equal(r.n, 0);
	run_scan(&fdr, line, 0, &r);
	assert_int_equal(r.n, 0);
	fw__fdr_free(&fdr);
}

/*
 * The byte before a pair counts in a byte-before table: two windows of one
 * bucket, and a line each of whose even pairs is one of theirs at the
 * right distance, but one follows a byte neither window has before it.
 */
static void
test_byte_before(void **state)
{
	struct fw_fdr_window w[16];
	unsigned char bytes[16][FW_FDR_WINDOW_MAX], line[40];
	struct reports r;
	struct fw_fdr fdr;

	(void)state;
	two_in_bucket(w, bytes, "abcdefghi", "xbzdefghi");
	assert_int_equal(fw__fdr_build_before(&fdr, w, 16), 0);
	assert_int_equal(fdr.groups[1], 3u);
	/*
	 * Ends at 30, the step's position 6: "bc" (window 0's, after 'a') ends
	 * at 24, an even position, after 'x' ('a' and 'x' differ in their low
	 * four bits); window 1's first pair "xb" stands for any byte before it.
	 */
	memset(line, '.', sizeof line);
	memcpy(line + 22, "xbcdefghi", 9);
	run_scan(&fdr, line, sizeof line, &r);
	assert_int_equal(r.at[30] & 3u, 0);
	/* Each window itself is reported, after any byte, and at the line's start. */
	memcpy(line + 22, "abcdefghi", 9);
	run_scan(&fdr, line, sizeof line, &r);
	assert_true(r.at[30] & 1u);
	memcpy(line + 22, "xbzdefghi", 9);
	for (unsigned c = 0; c < 256; c++) {
		line[21] = (unsigned char)c;
		run_scan(&fdr, line, sizeof line, &r);
		assert_true(r.at[30] & 2u);
	}
	run_scan(&fdr, line + 22, 9, &r);
	assert_true(r.at[8] & 2u);
	fw__fdr_free(&fdr);
}

/*
 * The byte-before scan reads every pair of its turns of two and four
 * steps, and carries what a step's odd pairs say into the next step: a
 * window ending at a step's position 1, whose even pairs and whose own
 * odd pair are each one of two windows' but whose odd pairs in the step
 * before are neither's, is not reported. The plain scan reports it (it
 * reads a step's odd pairs for that step's positions only).
 */
static void
test_before_every_pair(void **state)
{
	struct fw_fdr_window w[16];
	unsigned char bytes[16][FW_FDR_WINDOW_MAX], line[40];
	struct reports r;
	struct fw_fdr fdr, plain;
	/* A turn of four steps (40 bytes), then a turn of two (24). */
	static const size_t lens[] = { 40, 24 };

	(void)state;
	two_in_bucket(w, bytes, "abcdefghi", "ABCDEFGHI");
	assert_int_equal(fw__fdr_build_before(&fdr, w, 16), 0);
	assert_int_equal(fw__fdr_build(&plain, w, 16), 0);
	assert_int_equal(fdr.groups[1], 3u);
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		/*
		 * Ends at 17: "ab", "CD", "ef", "GH" end at even positions (10 to
		 * 16), after bytes whose low four bits are their window's; "HI"
		 * ends at 17; "bC", "De", "fG" end at 11, 13, 15, the step before.
		 */
		memset(line, '.', sizeof line);
		memcpy(line + 9, "abCDefGHI", 9);
		run_scan(&fdr, line, lens[k], &r);
		assert_int_equal(r.at[17] & 3u, 0);
		run_scan(&plain, line, lens[k], &r);
		assert_true(r.at[17] & 3u);
		/* Each window itself is reported there. */
		memcpy(line + 9, "abcdefghi", 9);
		run_scan(&fdr, line, lens[k], &r);
		assert_true(r.at[17] & 1u);
		memcpy(line + 9, "ABCDEFGHI", 9);
		run_scan(&fdr, line, lens[k], &r);
		assert_true(r.at[17] & 2u);
	}
	fw__fdr_free(&plain);
	fw__fdr_free(&fdr);
}

/* Literals enough for the filter from the start (FP_FDR_KEYS scanned ones). */
#define ENGINE_LITS 2100
#define ENGINE_LIT_MAX 16

static char engine_lits[ENGINE_LITS][ENGINE_LIT_MAX + 1];

/* pair_check(), adding to *through_filter the hits of a line the bucketed filter scanned. */
static void
check_counting(struct pair *p, const char *line, size_t len, unsigned long *through_filter)
{
	bool bucketed = fw_match_fast_ctx_bucketed(p->fc);
	unsigned long hits = p->hits;

	pair_check(p, line, len, NULL);
	if (bucketed)
		*through_filter += p->hits - hits;
}

/*
 * The pair of w's KB, its fast context on the bucketed filter and the keys
 * of the build, with no sample to move them until a test sets a schedule.
 */
static void
open_bucketed(struct pair *p, struct kb_writer *w)
{
	pair_open_kb(p, kbw_load(w));
	assert_int_equal(fw_match_fast_adapt_schedule(p->fc, 0, 0), 0);
	assert_true(fw_match_fast_ctx_bucketed(p->fc));
}

/*
 * One byte of a line: mostly the literals' own bytes (their keys' pairs
 * stand everywhere, so the filter stays the cheaper first stage), and the
 * letters' neighbours ('@', '[', '`', '{') and bytes of UTF-8 letters.
 */
static unsigned char
engine_noise(struct xorshift *x)
{
	static const unsigned char own[] = "abcmxyzABCMXYZ019@`_-:=/ q";
	static const unsigned char edge[] = "@[`{\xc1\xc3\xda\xe1\xfa\x80\xff\xa9\x89\x9a";

	if (xorshift_below(x, 4))
		return own[xorshift_below(x, sizeof own - 1)];
	return edge[xorshift_below(x, sizeof edge - 1)];
}

static void
test_engine_against_reference(void **state)
{
	/*
	 * No regex metacharacters: each literal is its own pattern as it
	 * stands. UTF-8 letters whose lead byte's low bits are an ASCII
	 * capital ("\xc3"): folded as one, it would no longer match.
	 */
	static const char *const abc[] = {
		"a", "b", "c", "m", "x", "y", "z", "A", "B", "C", "M", "X", "Y", "Z", "0", "1", "9",
		"@", "`", "_", "-", ":", "=", "/", " ", "\xc3\xa9", "\xc3\x89", "\xc3\x9a",
	};
	struct xorshift x = { 0xfdc0ffeeu };
	struct kb_writer w;
	struct pair p;
	char line[256];
	unsigned long planted = 0, bucketed_hits = 0;

	(void)state;
	kbw_open(&w);
	for (uint32_t k = 0; k < ENGINE_LITS; k++) {
		uint32_t len = 1, want = 3 + xorshift_below(&x, ENGINE_LIT_MAX - 6);
		const char *pp[1] = { engine_lits[k] };

		while (len < want) {
			const char *u = abc[xorshift_below(&x, sizeof abc / sizeof abc[0])];

			memcpy(engine_lits[k] + len, u, strlen(u));
			len += (uint32_t)strlen(u);
		}
		/* Not starting or ending with a blank. */
		engine_lits[k][0] = 'q';
		engine_lits[k][len] = 'q';
		engine_lits[k][len + 1] = '\0';
		kbw_add(&w, "fdr", pp, 1, k % 3 == 0);
	}
	/* The filter and the keys of the build first, then keys moved every few KiB. */
	open_bucketed(&p, &w);
	for (int round = 0; round < 6000; round++) {
		if (round == 3000)
			assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 2048, 8192), 0);
		size_t len = xorshift_below(&x, round % 4 ? 48 : sizeof line);
		const char *l = engine_lits[xorshift_below(&x, ENGINE_LITS)];
		size_t ll = strlen(l), at;

		for (size_t i = 0; i < len; i++)
			line[i] = (char)engine_noise(&x);
		/* Every distance from the start in turn, and from the end. */
		if (ll <= len) {
			at = round % 2 ? (size_t)(round / 2) % (len - ll + 1) : len - ll - (size_t)(round / 2) % (len - ll + 1);
			for (size_t i = 0; i < ll; i++) {
				unsigned char c = (unsigned char)l[i];

				/* Any case: only caseless literals match it, the others must not. */
				if (xorshift_below(&x, 3) == 0 && (unsigned)((c | 0x20) - 'a') < 26u)
					c ^= 0x20;
				line[at + i] = (char)c;
			}
			planted++;
		}
		check_counting(&p, line, len, &bucketed_hits);
	}
	fprintf(stderr, "engine: %lu lines, %lu planted, %lu hits (%lu through the filter), %llu keys moved\n",
		p.lines, planted, p.hits, bucketed_hits, (unsigned long long)fw_match_fast_rekeys(p.fc));
	/* Not vacuous: many hits through the filter, with keys moved. */
	assert_true(bucketed_hits > 500);
	assert_true(fw_match_fast_rekeys(p.fc) > 0);
	pair_close(&p);
}

/*
 * Short literals with a context of narrow sets, `[0-9]LIT[:=][0-9]`,
 * enough of them for the filter from the start: their windows carry the
 * sets. Each line holds one literal with its context, or with one byte of
 * its context (or its first or last letter's neighbour) out of its set,
 * at every distance from the line's start and end, among noise of the
 * same bytes; both engines must agree, and the filter must report the
 * literals that stand.
 */
#define CTX_LITS 2100

static void
test_engine_window_sets(void **state)
{
	static char pats[CTX_LITS][24], lits[CTX_LITS][8];
	static const char noise[] = "abcdefgh0123456789:=x";
	struct xorshift x = { 0x5e75c0deu };
	struct kb_writer w;
	struct pair p;
	char line[128];
	unsigned long bucketed_hits = 0;

	(void)state;
	kbw_open(&w);
	for (uint32_t k = 0; k < CTX_LITS; k++) {
		const char *pp[1] = { pats[k] };
		uint32_t n = k < 64 ? 2 : k < 64 + 512 ? 3 : 4, v = k < 64 ? k : k < 64 + 512 ? k - 64 : k - 64 - 512;

		/* Distinct literals of 2 to 4 letters a..h: 64 of 2, 512 of 3, the rest of 4. */
		for (uint32_t i = 0; i < n; i++, v /= 8)
			lits[k][i] = (char)('a' + v % 8);
		lits[k][n] = '\0';
		memcpy(pats[k], "[0-9]", 5);
		memcpy(pats[k] + 5, lits[k], n);
		memcpy(pats[k] + 5 + n, "[:=][0-9]", sizeof "[:=][0-9]");
		kbw_add(&w, "ctx", pp, 1, false);
	}
	open_bucketed(&p, &w);
	for (int round = 0; round < 8000; round++) {
		const char *l = lits[xorshift_below(&x, CTX_LITS)];
		size_t ll = strlen(l), len = ll + 3 + xorshift_below(&x, 60), at;
		unsigned long hits = p.hits;

		for (size_t i = 0; i < len; i++)
			line[i] = noise[xorshift_below(&x, sizeof noise - 1)];
		at = round % 2 ? (size_t)(round / 2) % (len - ll - 2) : len - ll - 3 - (size_t)(round / 2) % (len - ll - 2);
		line[at] = (char)('0' + xorshift_below(&x, 10));
		memcpy(line + at + 1, l, ll);
		line[at + 1 + ll] = ":="[xorshift_below(&x, 2)];
		line[at + 2 + ll] = (char)('0' + xorshift_below(&x, 10));
		/* One byte of the context out of its set in half the lines. */
		if (round % 4 >= 2) {
			size_t i = xorshift_below(&x, 3);

			line[i == 0 ? at : at + ll + i] = 'x';
		}
		check_counting(&p, line, len, &bucketed_hits);
		if (round % 4 < 2)
			assert_true(p.hits > hits);
	}
	fprintf(stderr, "window sets: %lu lines, %lu hits (%lu through the filter)\n", p.lines, p.hits,
		bucketed_hits);
	assert_true(bucketed_hits > 3000);
	pair_close(&p);
}

/*
 * The byte-before table chosen by a context, and given up. Literals over
 * seven letters whose every byte is one of two that follow from the two
 * before it (each step one or four more than the step before, modulo 7):
 * their pairs are all 49 pairs of the letters, at every distance, but
 * their byte triples two of seven.
 * On random lines of those letters the pair map and the plain filter stop
 * nearly everywhere, the byte-before table almost nowhere: the context
 * takes it at the end of a sample, and matches as the reference engine
 * does, literals planted at many distances from the line's start and
 * end. Then lines of digits, where nothing stops the plain filter: the
 * context goes back to it, whose steps take less time than either the
 * byte-before table's or the pair map's.
 */
#define RULE_LETTERS 7
#define RULE_LITS 800
#define RULE_LIT_MAX 24

static void
test_engine_before_stage(void **state)
{
	static char lits[RULE_LITS][RULE_LIT_MAX + 1];
	struct xorshift x = { 0xbef0e5u };
	struct kb_writer w;
	struct pair p;
	char line[200];
	uint32_t n = 0;
	unsigned long planted = 0, before_hits = 0;
	bool taken = false;

	(void)state;
	kbw_open(&w);
	for (n = 0; n < RULE_LITS; n++) {
		const char *pp[1] = { lits[n] };
		unsigned a = xorshift_below(&x, RULE_LETTERS), b = xorshift_below(&x, RULE_LETTERS);
		uint32_t len = 10 + xorshift_below(&x, RULE_LIT_MAX - 9);

		lits[n][0] = (char)('a' + a);
		lits[n][1] = (char)('a' + b);
		for (uint32_t i = 2; i < len; i++) {
			unsigned c = (2 * b + RULE_LETTERS - a + 1 + 3 * xorshift_below(&x, 2)) % RULE_LETTERS;

			lits[n][i] = (char)('a' + c);
			a = b;
			b = c;
		}
		lits[n][len] = '\0';
		kbw_add(&w, "rule", pp, 1, n % 5 == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	assert_false(fw_match_fast_ctx_bucketed(p.fc));
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 16384, 65536), 0);
	for (int round = 0; round < 4000; round++) {
		size_t len = 20 + xorshift_below(&x, sizeof line - 20);
		const char *l = lits[xorshift_below(&x, n)];
		size_t ll = strlen(l), at;

		for (size_t i = 0; i < len; i++)
			line[i] = (char)('a' + xorshift_below(&x, RULE_LETTERS));
		/*
		 * Planted in few lines: every 9 bytes of a literal are a window of
		 * some other one, and the sample must see the random text.
		 */
		if (round % 16 == 1 && ll <= len) {
			at = round % 32 == 1 ? (size_t)(round / 32) % (len - ll + 1)
					     : len - ll - (size_t)(round / 32) % (len - ll + 1);
			memcpy(line + at, l, ll);
			/* In the other case: only the caseless literals match it. */
			if (round % 64 == 17)
				for (size_t i = 0; i < ll; i++)
					line[at + i] ^= 0x20;
			planted++;
		}
		if (fw_match_fast_ctx_stage(p.fc) == 2) {
			unsigned long hits = p.hits;

			taken = true;
			pair_check(&p, line, len, NULL);
			before_hits += p.hits - hits;
		} else {
			pair_check(&p, line, len, NULL);
		}
	}
	fprintf(stderr, "byte-before stage: %lu lines, %lu planted, %lu hits through it, %llu switches\n",
		p.lines, planted, before_hits, (unsigned long long)fw_match_fast_stage_switches(p.fc));
	assert_true(taken);
	assert_int_equal(fw_match_fast_ctx_stage(p.fc), 2);
	assert_true(before_hits > 100);
	/* Nothing stops the plain filter on digits: after the next sample it runs. */
	for (int round = 0; round < 3000; round++) {
		size_t len = 20 + xorshift_below(&x, sizeof line - 20);

		for (size_t i = 0; i < len; i++)
			line[i] = (char)"0123456789 .:"[xorshift_below(&x, 13)];
		pair_check(&p, line, len, NULL);
	}
	assert_int_equal(fw_match_fast_ctx_stage(p.fc), 1);
	pair_close(&p);
}

#define MISS_LITS 8
#define MISS_HALF 12
#define MISS_EARLY ((size_t)256 << 10)

static void
test_miss_moves(void **state)
{
	struct xorshift x = { 0x3155eedu };
	static char fills[ENGINE_LITS][2 * MISS_HALF + 1];
	char lits[MISS_LITS][2 * MISS_HALF + 1], line[1024];
	struct kb_writer w;
	struct pair p;
	struct fw_match_ctx *again, *early;
	struct fw_match_result r;
	size_t bytes = 0;
	uint64_t after_first = 0, early_first = 0;

	(void)state;
	kbw_open(&w);
	for (int k = 0; k < MISS_LITS; k++) {
		const char *pp[1] = { lits[k] };

		for (int i = 0; i < 2 * MISS_HALF; i++)
			/* No 'k' nor 's': caseless, each is also a letter outside ASCII. */
			lits[k][i] = "abcdefghijlmnopqrtuvwxyz:=/_"[xorshift_below(&x, 28)];
		lits[k][2 * MISS_HALF] = '\0';
		kbw_add(&w, "miss", pp, 1, k % 2 == 0);
	}
	/*
	 * Others that no line holds whole, enough for the filter (misses count
	 * only there); their 3-byte pieces in every line make their keys'
	 * pairs common, so the filter stays the cheaper first stage.
	 */
	for (int k = 0; k < ENGINE_LITS; k++) {
		const char *pp[1] = { fills[k] };

		for (int i = 0; i < 2 * MISS_HALF; i++)
			fills[k][i] = "abcdefghijlmnopqrtuvwxyz:=/_"[xorshift_below(&x, 28)];
		fills[k][2 * MISS_HALF] = '\0';
		kbw_add(&w, "fill", pp, 1, false);
	}
	pair_open_kb(&p, kbw_load(&w));
	again = fw_match_ctx_new(p.fast);
	assert_non_null(again);
	/* One short sample at the start, none after: only the misses move keys then. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 0), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again, 4096, 0), 0);
	/* The same, checking its misses every MISS_EARLY bytes: its keys move then. */
	early = fw_match_ctx_new(p.fast);
	assert_non_null(early);
	assert_int_equal(fw_match_fast_adapt_schedule(early, 4096, 0), 0);
	assert_int_equal(fw_match_fast_miss_schedule(early, 0), -EINVAL);
	assert_int_equal(fw_match_fast_miss_schedule(p.rc, MISS_EARLY), -EINVAL);
	assert_int_equal(fw_match_fast_miss_schedule(early, MISS_EARLY), 0);
	for (int round = 0; bytes < 3 * FW_ADAPT_MISS_BYTES; round++) {
		size_t len = 0;

		for (int i = 0; i < 40; i++) {
			memcpy(line + len, fills[xorshift_below(&x, ENGINE_LITS)] + xorshift_below(&x, 2 * MISS_HALF - 2), 3);
			line[len + 3] = ' ';
			len += 4;
		}
		/* Each literal twice, its first or its last 4 bytes changed: any key stands, no literal. */
		for (int k = 0; k < MISS_LITS; k++) {
			memcpy(line + len, "0000", 4);
			memcpy(line + len + 4, lits[k] + 4, 2 * MISS_HALF - 4);
			len += 2 * MISS_HALF;
			line[len++] = ' ';
			memcpy(line + len, lits[k], 2 * MISS_HALF - 4);
			memcpy(line + len + 2 * MISS_HALF - 4, "0000", 4);
			len += 2 * MISS_HALF;
			line[len++] = ' ';
		}
		if (round % 32 == 0) {
			/* A literal at the line's start or end, in any case, maybe cut short. */
			const char *l = lits[xorshift_below(&x, MISS_LITS)];
			size_t cut = xorshift_below(&x, 4) == 0 ? xorshift_below(&x, 2 * MISS_HALF) : 2 * MISS_HALF;

			if (round % 64 == 0) {
				memmove(line + cut, line, len);
				memcpy(line, l, cut);
				len += cut;
			} else {
				memcpy(line + len, l, cut);
				len += cut;
			}
			for (size_t i = 0; i < len; i++)
				if (xorshift_below(&x, 8) == 0 && (unsigned)(line[i] - 'a') < 26u)
					line[i] = (char)(line[i] - ('a' - 'A'));
		}
		pair_check(&p, line, len, NULL);
		fw_match_line(again, line, len, NULL, &r);
		fw_match_line(early, line, len, NULL, &r);
		bytes += len;
		if (bytes >= MISS_EARLY && bytes < MISS_EARLY + len)
			early_first = fw_match_fast_miss_moves(early);
		if (bytes >= FW_ADAPT_MISS_BYTES && bytes < FW_ADAPT_MISS_BYTES + len)
			after_first = fw_match_fast_miss_moves(p.fc);
	}
	fprintf(stderr, "miss moves: %lu lines, %lu hits, %llu moved after the first check, %llu in all\n", p.lines,
		p.hits, (unsigned long long)after_first, (unsigned long long)fw_match_fast_miss_moves(p.fc));
	assert_true(p.hits > 40);
	assert_int_equal(after_first, MISS_LITS);
	assert_int_equal(fw_match_fast_miss_moves(p.fc), MISS_LITS);
	assert_int_equal(fw_match_fast_miss_moves(again), MISS_LITS);
	assert_int_equal(early_first, MISS_LITS);
	assert_int_equal(fw_match_fast_miss_moves(early), MISS_LITS);
	fw_match_ctx_free(early);
	/* Lines made of the literals' bytes: the filter runs throughout. */
	assert_true(fw_match_fast_ctx_bucketed(p.fc));
	fw_match_ctx_free(again);
	pair_close(&p);
}

/*
 * Many literals under one key: a window of six rare bytes that each of
 * them holds (their keys fall in it), with common letters and blanks of
 * every length before and after it (none to more than a head's), every
 * third caseless, among enough others for the filter to run. The probe of such a key tests every
 * literal's head where the line allows it without a bound each
 * (match_fast_int.h, fp_slot): lines hold the shared window many times,
 * with a literal planted at every distance from the line's start and end,
 * cut by either edge, in any case, or with the bytes on one side of the
 * window changed (its head stands, the literal does not), and the fast
 * engine matches as the reference engine does, keys fixed, then moving.
 */
#define SHARED_LITS 48
#define SHARED_SIDE 14
#define SHARED_FILL 2100

static void
shared_side(struct xorshift *x, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = "etaoinsr "[xorshift_below(x, 9)];
}

static void
test_shared_key(void **state)
{
	static const char core[] = "%&;!=~";
	static char lits[SHARED_LITS][2 * SHARED_SIDE + 7], fills[SHARED_FILL][12];
	struct xorshift x = { 0x5ba2edu };
	struct kb_writer w;
	struct pair p;
	char line[400];
	unsigned long planted = 0, bucketed_hits = 0;

	(void)state;
	kbw_open(&w);
	for (int k = 0; k < SHARED_LITS; k++) {
		size_t before = k % (SHARED_SIDE + 1), after = xorshift_below(&x, SHARED_SIDE + 1);
		const char *pp[1] = { lits[k] };

		shared_side(&x, lits[k], before);
		memcpy(lits[k] + before, core, sizeof core - 1);
		shared_side(&x, lits[k] + before + sizeof core - 1, after);
		lits[k][before + sizeof core - 1 + after] = '\0';
		kbw_add(&w, "shared", pp, 1, k % 3 == 0);
	}
	for (int k = 0; k < SHARED_FILL; k++) {
		const char *pp[1] = { fills[k] };

		fills[k][0] = 'w';
		for (int i = 1; i < 10; i++)
			fills[k][i] = "defghijkmn"[xorshift_below(&x, 10)];
		fills[k][10] = 'w';
		fills[k][11] = '\0';
		kbw_add(&w, "fill", pp, 1, false);
	}
	open_bucketed(&p, &w);
	for (int round = 0; round < 8000; round++) {
		const char *l = lits[xorshift_below(&x, SHARED_LITS)];
		size_t len = 1 + xorshift_below(&x, round % 4 ? 64 : sizeof line - 1), ll = strlen(l), at;
		unsigned kind = xorshift_below(&x, 4);

		if (round == 4000)
			assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 2048, 8192), 0);
		shared_side(&x, line, len);
		/* The shared window, standing without a literal around it. */
		for (unsigned i = xorshift_below(&x, 4); i && len >= sizeof core - 1; i--)
			memcpy(line + xorshift_below(&x, (uint32_t)(len - sizeof core + 2)), core, sizeof core - 1);
		if (ll <= len) {
			/* Every distance from the start in turn, and from the end. */
			at = round % 2 ? (size_t)(round / 2) % (len - ll + 1) : len - ll - (size_t)(round / 2) % (len - ll + 1);
			memcpy(line + at, l, ll);
			if (kind == 0) {
				/* Any case: only caseless literals match it. */
				for (size_t i = at; i < at + ll; i++)
					if ((unsigned)(line[i] - 'a') < 26u && xorshift_below(&x, 2))
						line[i] = (char)(line[i] - ('a' - 'A'));
			} else if (kind == 1 && ll > sizeof core - 1) {
				/* One byte changed on one side of the window: a head may stand without it. */
				size_t i = at + xorshift_below(&x, (uint32_t)ll);

				if (line[i] != '}' && line[i] != '|' && line[i] != '{' && line[i] != '~')
					line[i] = line[i] == 'e' ? 't' : 'e';
			}
			planted++;
		} else if (kind == 2 && len >= 4) {
			/* Cut by the line's start or end. */
			size_t cut = ll - len + xorshift_below(&x, (uint32_t)len);

			if (round % 2)
				memcpy(line, l + cut, ll - cut);
			else
				memcpy(line + len - (ll - cut), l, ll - cut);
		}
		check_counting(&p, line, len, &bucketed_hits);
	}
	fprintf(stderr, "shared key: %lu lines, %lu planted, %lu hits (%lu through the filter), %llu keys moved\n",
		p.lines, planted, p.hits, bucketed_hits, (unsigned long long)fw_match_fast_rekeys(p.fc));
	/* Not vacuous: many literals found through the filter. */
	assert_true(bucketed_hits > 1000);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_offset, setup_plain),
		cmocka_unit_test_setup(test_against_naive, setup_plain),
		cmocka_unit_test_setup(test_filters, setup_plain),
		cmocka_unit_test_setup(test_odd_pairs, setup_plain),
		cmocka_unit_test_setup(test_carried, setup_plain),
		cmocka_unit_test_setup(test_empty, setup_plain),
		cmocka_unit_test_setup(test_window_sets, setup_plain),
		cmocka_unit_test_setup(test_every_offset, setup_before),
		cmocka_unit_test_setup(test_against_naive, setup_before),
		cmocka_unit_test_setup(test_filters, setup_before),
		cmocka_unit_test_setup(test_odd_pairs, setup_before),
		cmocka_unit_test_setup(test_carried, setup_before),
		cmocka_unit_test_setup(test_empty, setup_before),
		cmocka_unit_test_setup(test_window_sets, setup_before),
		cmocka_unit_test(test_turn_passes),
		cmocka_unit_test(test_byte_before),
		cmocka_unit_test(test_before_every_pair),
		cmocka_unit_test(test_engine_against_reference),
		cmocka_unit_test(test_engine_before_stage),
		cmocka_unit_test(test_engine_window_sets),
		cmocka_unit_test(test_miss_moves),
		cmocka_unit_test(test_shared_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
