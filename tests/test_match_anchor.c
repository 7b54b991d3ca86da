/*
 * test_match_anchor: a pattern's literals that the fast engine looks up on
 * demand, looked up at the places of a window they share (an anchor,
 * match_fast_anchor.c), give exactly the reference engine's results:
 *  - many patterns triggered by one line, whose other literals share
 *    `kNN=` windows, some with a digit required before them;
 *  - the anchor's window absent, once, at the edges of the line, repeated
 *    up to and past the places kept per anchor, and the literal cut short
 *    at the end of the line;
 *  - an anchor in so many places on one line that its literals are
 *    searched for instead;
 *  - literals of one anchor found together at each of its places (hashed
 *    by bytes they share in part): prefixes of each other, equal heads,
 *    the anchor at two offsets, cut short anywhere;
 *  - a caseless record's literals (never anchored) next to the others.
 * The KB must have anchors, or the test fails instead of passing vacuously.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "match_pair.h"

#define GATE "<<Gate!Trigger#Alpha-7>>"
#define N_KEYS 40
#define N_VALS 3

/*
 * Patterns GATE .* kNN=valV: V = 2 wants a digit right before the literal.
 * One caseless record holds a literal of its own.
 */
static void
open_anchor_kb(struct pair *p)
{
	struct kb_writer w;
	char pat[128];
	const char *pp[1] = { pat };

	kbw_open(&w);
	for (int k = 0; k < N_KEYS; k++)
		for (int v = 0; v < N_VALS; v++) {
			snprintf(pat, sizeof pat, "%s.*%sk%02d=val%d\\b", "<<Gate!Trigger#Alpha-7>>",
				 v == 2 ? "\\d" : "", k, v);
			kbw_add(&w, "anchor", pp, 1, false);
		}
	snprintf(pat, sizeof pat, "<<Gate!Trigger#Alpha-7>>.*Mixed=CaseLess");
	kbw_add(&w, "anchor", pp, 1, true);
	pair_open_kb(p, kbw_load(&w));
}

/* Appends printf-style text to line[*n..cap), failing the test when it does not fit. */
static void put(char *line, size_t cap, size_t *n, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
put(char *line, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(line + *n, cap - *n, fmt, ap);
	va_end(ap);
	assert_true(r >= 0 && (size_t)r < cap - *n);
	*n += (size_t)r;
}

/*
 * Lines with the gate, `reps` decoys holding every 4-byte window of the
 * literal kNN=valV but its last (whichever is the anchor, they hold it),
 * then the literal (preceded by a digit or not);
 * checked whole and cut short at each of their last 12 bytes. Returns how
 * many of the whole lines must match.
 */
static unsigned
check_key(struct pair *p, int k, int v, unsigned reps, bool digit)
{
	char line[512];
	size_t n = 0;

	put(line, sizeof line, &n, "%s", GATE);
	for (unsigned r = 0; r < reps; r++)
		put(line, sizeof line, &n, r % 2 ? "k%02d=val%c " : "k%02d=val%c", k, 'a' + r);
	put(line, sizeof line, &n, "%sk%02d=val%d", digit ? "9" : " ", k, v);
	for (size_t cut = n > 12 ? n - 12 : 0; cut <= n; cut++)
		pair_check(p, line, cut, NULL);
	return v < 2 || digit;
}

static void
test_anchored_lookups(void **state)
{
	struct pair p;
	unsigned expect = 0;
	unsigned long before;

	(void)state;
	open_anchor_kb(&p);
	assert_true(fw_match_fast_anchor_count(p.fast) > 0);
	before = p.hits;
	for (int k = 0; k < N_KEYS; k++)
		for (int v = 0; v < N_VALS; v++)
			for (unsigned reps = 0; reps <= 12; reps++)
				for (int digit = 0; digit < 2; digit++)
					expect += check_key(&p, k, v, reps, digit);
	assert_true(p.hits - before >= expect);

	/* The literal at the very start, at the very end, alone, and without the gate. */
	pair_check_str(&p, "k07=val1 " GATE);
	pair_check_str(&p, GATE "k07=val1");
	pair_check_str(&p, GATE "3k07=val2");
	pair_check_str(&p, GATE "k07=val2");
	pair_check_str(&p, "k07=val1");
	pair_check_str(&p, GATE " MIXED=caseLESS k07=val0");
	pair_check_str(&p, GATE " mixed=caseless");
	pair_close(&p);
}

/*
 * Every key's anchor many times on one line (more places than are looked
 * at), with one literal of each key after them: the lookups fall back to
 * searching the line.
 */
static void
test_places_run_out(void **state)
{
	struct pair p;
	char line[8192];
	size_t n = 0;

	(void)state;
	open_anchor_kb(&p);
	put(line, sizeof line, &n, "%s", GATE);
	for (int k = 0; k < N_KEYS; k++)
		for (int r = 0; r < 7; r++)
			put(line, sizeof line, &n, " k%02d=valx", k);
	for (int k = 0; k < N_KEYS; k += 3)
		put(line, sizeof line, &n, " 5k%02d=val%d", k, k % N_VALS);
	for (size_t cut = n - 24; cut <= n; cut++)
		pair_check(&p, line, cut, NULL);
	assert_true(p.hits >= 1);
	/* The same with the literals first: their anchors' places were all kept. */
	n = 0;
	put(line, sizeof line, &n, "%s", GATE);
	for (int k = 0; k < N_KEYS; k += 3)
		put(line, sizeof line, &n, " 5k%02d=val%d", k, k % N_VALS);
	for (int k = 0; k < N_KEYS; k++)
		for (int r = 0; r < 7; r++)
			put(line, sizeof line, &n, " k%02d=valx", k);
	pair_check(&p, line, n, NULL);
	pair_close(&p);
}

#define SET_GATE "<<Set!Gate#Beta-3>>"

/*
 * Literals holding SRC= at offsets 0 and 1, of several lengths, some the
 * prefix of another, many with the same first bytes; each line holds one
 * or two tokens (literals and near misses), whole and cut at every byte.
 */
static void
test_anchor_sets(void **state)
{
	static const char *const a[] = { "1", "12", "123" }, *const b[] = { "2", "23" };
	static const char *const tok[] = {
		"SRC=1.2.", "SRC=1.2.7", "SRC=12.23.", "SRC=123.2.7 ", "ySRC=1.23 ", "ySRC=123.2 ",
		"SRC=1.22.", "SRC=1.2x", "xSRC=12.2 ", "SRC=12.2.77", "SRC=", "ySRC=1.2",
	};
	const size_t n_tok = sizeof tok / sizeof *tok;
	struct kb_writer w;
	struct pair p;
	char pat[128], line[256];
	const char *pp[1] = { pat };

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < 3; i++)
		for (size_t j = 0; j < 2; j++) {
			snprintf(pat, sizeof pat, SET_GATE ".*SRC=%s\\.%s\\.", a[i], b[j]);
			kbw_add(&w, "anchor", pp, 1, false);
			snprintf(pat, sizeof pat, SET_GATE ".*SRC=%s\\.%s\\.7\\b", a[i], b[j]);
			kbw_add(&w, "anchor", pp, 1, false);
			snprintf(pat, sizeof pat, SET_GATE ".*ySRC=%s\\.%s ", a[i], b[j]);
			kbw_add(&w, "anchor", pp, 1, false);
		}
	pair_open_kb(&p, kbw_load(&w));
	assert_true(fw_match_fast_anchor_count(p.fast) > 0);
	for (size_t i = 0; i < n_tok; i++)
		for (size_t j = 0; j <= n_tok; j++) {
			size_t n = 0;

			put(line, sizeof line, &n, "%s %s", SET_GATE, tok[i]);
			if (j < n_tok)
				put(line, sizeof line, &n, "%s", tok[j]);
			for (size_t cut = sizeof SET_GATE; cut <= n; cut++)
				pair_check(&p, line, cut, NULL);
		}
	assert_true(p.hits >= n_tok);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchored_lookups),
		cmocka_unit_test(test_places_run_out),
		cmocka_unit_test(test_anchor_sets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
