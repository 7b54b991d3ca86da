/*
 * test_match_same: many literals of one text under one key, told apart
 * only by their contexts (a family of signatures: "serving blk_-?3099\d+",
 * one per block id), against the reference engine. A probe tests such a
 * run's head and verifies its rest once (fp_occ.same in
 * match_fast_int.h); the lines here make that one verdict matter: the
 * text planted whole, with a byte changed in it, cut by the line's start
 * or end, in any case; followed by digits that hold no family's context,
 * one family's, or several (families share their first digits), or
 * preceded by the bytes some families need before it. Other texts share
 * the key (one letter differs at the far end from it, where heads lie),
 * and the same text is held exact and caseless. Twice: with enough other
 * literals that a context starts with the bucketed filter, whose probes
 * tell the runs (heads at once, and walked with bounds near the line's
 * ends), and without, on the pair map, whose probes test each literal.
 * Runs told apart by the bytes next to their text (fp_run_split): against
 * the reference engine with and without re-keying, and the splits an
 * index takes from the one before it against those chosen afresh.
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

#include "match/match.h"
#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_int.h"
#include "match/match_fast_split.h"
#include "match_pair.h"
#include "xorshift.h"

#define SAME_TEXTS 3
#define SAME_FAMILIES 60
#define SAME_FILL 2100
#define SAME_LINE_MAX 160

/* The texts: one letter apart, at their start; the last is the first with a capital. */
static const char *const texts[SAME_TEXTS] = {
	"got exception while reading blob_",
	"hot exception while reading blob_",
	"Got exception while reading blob_",
};

struct family {
	unsigned text;
	char digits[5];
	bool before;            /* two digits and a colon must stand before the text */
	bool caseless;
};

static struct family families[SAME_FAMILIES];

/* Four digits, most of them sharing their first two or three with another family's. */
static void
family_digits(struct xorshift *x, char *out)
{
	static const char *const stems[] = { "30", "309", "31", "4" };
	const char *stem = stems[xorshift_below(x, 4)];
	size_t n = strlen(stem);

	memcpy(out, stem, n);
	for (size_t i = n; i < 4; i++)
		out[i] = (char)('0' + xorshift_below(x, 10));
	out[4] = '\0';
}

static void
families_make(struct xorshift *x)
{
	for (int k = 0; k < SAME_FAMILIES; k++) {
		struct family *fm = &families[k];

		/* Most of them of the first text: the run under test. */
		fm->text = k % 6 == 5 ? 1 + (unsigned)(k / 6) % 2 : 0;
		family_digits(x, fm->digits);
		fm->before = k % 4 == 3;
		fm->caseless = k % 5 == 2;
	}
}

static void
families_add(struct kb_writer *w)
{
	for (int k = 0; k < SAME_FAMILIES; k++) {
		const struct family *fm = &families[k];
		char rx[128];
		const char *pp[1] = { rx };

		snprintf(rx, sizeof rx, "%s%s-?%s\\d+ to", fm->before ? "\\d\\d:" : "", texts[fm->text],
			 fm->digits);
		kbw_add(w, "same", pp, 1, fm->caseless);
	}
}

/* Literals of their own under other keys, enough that a context starts with the bucketed filter. */
static void
fill_add(struct kb_writer *w, struct xorshift *x)
{
	for (int k = 0; k < SAME_FILL; k++) {
		char lit[12];
		const char *pp[1] = { lit };

		lit[0] = 'q';
		for (int i = 1; i < 10; i++)
			lit[i] = "defjkmnpuv"[xorshift_below(x, 10)];
		lit[10] = 'q';
		lit[11] = '\0';
		kbw_add(w, "fill", pp, 1, false);
	}
}

static char
noise(struct xorshift *x)
{
	return " :-_0123456789abgrstvwxyz/"[xorshift_below(x, 26)];
}

/* Some of the letters of s[0..n) in upper case. */
static void
vary_case(struct xorshift *x, char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned)(s[i] - 'a') < 26u && xorshift_below(x, 3) == 0)
			s[i] = (char)(s[i] - ('a' - 'A'));
}

/* piece[0..n) written into line[0..len) from `at` on, what falls outside the line left out. */
static void
piece_put(char *line, size_t len, const char *piece, size_t n, long at)
{
	for (size_t i = 0; i < n; i++) {
		long j = at + (long)i;

		if (j >= 0 && (size_t)j < len)
			line[j] = piece[i];
	}
}

/*
 * A line of len bytes (len < SAME_LINE_MAX) holding a family's text at
 * `at` (which may put it partly outside the line), then digits that hold
 * none, one or several families' contexts.
 */
static void
line_make(struct xorshift *x, char *line, size_t len, long at, unsigned round)
{
	const struct family *fm = &families[xorshift_below(x, SAME_FAMILIES)];
	char piece[96];
	size_t n = 0, tl = strlen(texts[fm->text]);

	for (size_t i = 0; i < len; i++)
		line[i] = noise(x);
	if (xorshift_below(x, 2)) {
		piece[n++] = (char)('0' + xorshift_below(x, 10));
		piece[n++] = (char)('0' + xorshift_below(x, 10));
		piece[n++] = ':';
	}
	memcpy(piece + n, texts[fm->text], tl);
	switch (round % 4) {
	case 0:
		/* Any case: the caseless families' contexts only. */
		vary_case(x, piece + n, tl);
		break;
	case 1:
		/* One byte changed: a head may stand without the rest, or the rest without the head. */
		if (xorshift_below(x, 2))
			piece[n + xorshift_below(x, (uint32_t)tl)] = 'e';
		break;
	default:
		break;
	}
	n += tl;
	if (xorshift_below(x, 3))
		piece[n++] = '-';
	/* The family's digits, another's (a context that does not hold), or a stem several share. */
	switch (xorshift_below(x, 3)) {
	case 0:
		memcpy(piece + n, fm->digits, 4);
		n += 4;
		break;
	case 1:
		memcpy(piece + n, families[xorshift_below(x, SAME_FAMILIES)].digits, 4);
		n += 4;
		break;
	default:
		piece[n++] = '3';
		piece[n++] = '0';
		if (xorshift_below(x, 2))
			piece[n++] = '9';
		break;
	}
	for (unsigned i = xorshift_below(x, 4); i; i--)
		piece[n++] = (char)('0' + xorshift_below(x, 10));
	if (xorshift_below(x, 4)) {
		memcpy(piece + n, " to", 3);
		n += 3;
	}
	piece_put(line, len, piece, n, at);
	/* A second text on some lines, the first one's literals seen already. */
	if (round % 7 == 0 && len > 2 * n + 2)
		memcpy(line + len - n, piece, n);
}

static void
run_lines(bool bucketed)
{
	struct xorshift x = { 0x5a3e7e47u };
	struct kb_writer w;
	struct pair p;
	char line[SAME_LINE_MAX];
	unsigned long planted_hits = 0;

	families_make(&x);
	kbw_open(&w);
	families_add(&w);
	if (bucketed)
		fill_add(&w, &x);
	pair_open_kb(&p, kbw_load(&w));
	/* Keys stay where the build put them: the runs under test are the compiled index's. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 0, 0), 0);
	assert_int_equal(fw_match_fast_ctx_bucketed(p.fc), bucketed);
	for (unsigned round = 0; round < 12000; round++) {
		size_t len = 1 + xorshift_below(&x, round % 3 ? 80 : SAME_LINE_MAX - 1);
		long at;
		unsigned long hits = p.hits;

		/* Every distance from the start in turn, from the end, and across either. */
		switch (round % 3) {
		case 0:
			at = (long)(round / 3 % 48) - 24;
			break;
		case 1:
			at = (long)len - (long)(round / 3 % 64);
			break;
		default:
			at = (long)xorshift_below(&x, (uint32_t)len);
			break;
		}
		line_make(&x, line, len, at, round);
		pair_check(&p, line, len, NULL);
		planted_hits += p.hits - hits;
	}
	fprintf(stderr, "same text (%s): %lu lines, %lu hits\n", bucketed ? "bucketed filter" : "pair map",
		p.lines, planted_hits);
	/* Not vacuous: many lines where families' contexts told them apart. */
	assert_true(planted_hits > 500);
	pair_close(&p);
}

/*
 * Runs told apart by one line byte next to their text (fp_run_split in
 * match_fast_int.h): a run per side and distance of the byte (before the
 * text at 1..4 bytes, after it at 0..3) and case mode, of
 * SPLIT_MEMBERS signatures each. Each member has the digits \d up to the
 * byte, then there its own class of two letters, a wide class (\d or
 * [a-z]), or nothing: a member without a constraint there is in every
 * list of the split and in the list of the byte outside the line.
 */
#define SPLIT_RUNS 16
#define SPLIT_MEMBERS 24     /* at least FP_RUN_SPLIT_MIN once equal classes are one literal */
#define SPLIT_LETTERS "abcdefghij"

struct split_run {
	char text[32];
	bool after;
	unsigned dist;          /* digits between the text and the byte that tells the members apart */
	bool caseless;
	char cls[SPLIT_MEMBERS][3];     /* a member's two letters, or "d" (\d), "w" ([a-z]), "" (nothing) */
};

static struct split_run split_runs[SPLIT_RUNS];

static void
split_runs_make(struct xorshift *x)
{
	for (unsigned r = 0; r < SPLIT_RUNS; r++) {
		struct split_run *sr = &split_runs[r];

		/* No 's' nor 'k': caseless, each has a partner outside ASCII, which splits the literal. */
		snprintf(sr->text, sizeof sr->text, "replica %c halted on drive/", "bcfgjlmnopqrtuvw"[r]);
		sr->after = r % 2;
		sr->dist = r / 2 % 4;
		sr->caseless = r >= SPLIT_RUNS / 2;
		for (unsigned m = 0; m < SPLIT_MEMBERS; m++) {
			char *c = sr->cls[m];

			if (m == 5 || m == 11) {
				strcpy(c, m == 5 ? "d" : "w");
			} else if (m == 6) {
				c[0] = '\0';
			} else {
				c[0] = SPLIT_LETTERS[xorshift_below(x, 10)];
				c[1] = SPLIT_LETTERS[xorshift_below(x, 10)];
				c[2] = '\0';
			}
		}
	}
}

static void
split_runs_add(struct kb_writer *w)
{
	for (unsigned r = 0; r < SPLIT_RUNS; r++) {
		const struct split_run *sr = &split_runs[r];

		for (unsigned m = 0; m < SPLIT_MEMBERS; m++) {
			const char *c = sr->cls[m];
			char cls[16] = "", digits[16] = "", rx[96];
			const char *pp[1] = { rx };
			int k;

			for (unsigned i = 0; i < sr->dist; i++)
				strcat(digits, "\\d");
			if (c[0] == 'd')
				strcpy(cls, "\\d");
			else if (c[0] == 'w')
				strcpy(cls, "[a-z]");
			else if (c[0])
				snprintf(cls, sizeof cls, "[%s]", c);
			if (sr->after)
				k = snprintf(rx, sizeof rx, "%s%s%s", sr->text, digits, cls);
			else
				k = snprintf(rx, sizeof rx, "%s%s%s", cls, digits, sr->text);
			assert_true(k > 0 && (size_t)k < sizeof rx);
			kbw_add(w, "split", pp, 1, sr->caseless);
		}
	}
}

/* A byte where a run's members are told apart: mostly a letter of theirs, in either case. */
static char
split_byte(struct xorshift *x)
{
	static const char bytes[] = SPLIT_LETTERS "ABCDEFGHIJz5-";

	return bytes[xorshift_below(x, sizeof bytes - 1)];
}

/*
 * A line of len bytes holding a run's text, with its digits and a byte on
 * its side, placed so that the text starts at 0..3 (the byte before it
 * may lie outside the line), ends at len - 3..len (the byte after it),
 * or anywhere.
 */
static void
split_line_make(struct xorshift *x, char *line, size_t len, unsigned round)
{
	const struct split_run *sr = &split_runs[xorshift_below(x, SPLIT_RUNS)];
	size_t tl = strlen(sr->text), n = 0, text_at;
	char piece[64];
	long at;

	for (size_t i = 0; i < len; i++)
		line[i] = noise(x);
	if (!sr->after) {
		piece[n++] = split_byte(x);
		for (unsigned i = 0; i < sr->dist; i++)
			piece[n++] = (char)('0' + xorshift_below(x, 10));
		/* Now and then a digit short: the byte lands where a digit should. */
		if (xorshift_below(x, 6) == 0)
			n--;
	}
	text_at = n;
	memcpy(piece + n, sr->text, tl);
	if (sr->caseless && round % 2)
		vary_case(x, piece + n, tl);
	n += tl;
	if (sr->after) {
		for (unsigned i = 0; i < sr->dist; i++)
			piece[n++] = (char)('0' + xorshift_below(x, 10));
		if (xorshift_below(x, 6) == 0 && n > text_at + tl)
			n--;
		piece[n++] = split_byte(x);
	}
	switch (round % 3) {
	case 0:
		at = (long)xorshift_below(x, 4) - (long)text_at;
		break;
	case 1:
		at = (long)len - (long)(text_at + tl) - (long)xorshift_below(x, 4);
		break;
	default:
		at = (long)xorshift_below(x, (uint32_t)len);
		break;
	}
	piece_put(line, len, piece, n, at);
}

/*
 * Runs whose lists at their first position are long enough to be split
 * again (FP_RUN_SPLIT_AGAIN): SPLIT2_MEMBERS signatures a run, told apart
 * by two positions, both after the text, both before it, or one on each
 * side, each a class of one or two letters of its own alphabet (a wide
 * class now and then), so that neither position alone leaves short
 * lists. A member may end before its outer position (no constraint
 * there). The lines put either position outside the line at either end.
 */
#define SPLIT2_RUNS 8
#define SPLIT2_MEMBERS 128
#define SPLIT2_FIRST "abcdef"
#define SPLIT2_SECOND "uvwxyz"

struct split2_run {
	char text[32];
	int pos[2];             /* < 0: -pos bytes before the text; >= 0: pos bytes after it */
	bool caseless;
	char cls[SPLIT2_MEMBERS][2][3]; /* as split_run's: two letters, "d", "w" or "" */
};

static struct split2_run split2_runs[SPLIT2_RUNS];

/* Whether position k of run sr is the farther of the two on its side (or alone there). */
static bool
split2_outer(const struct split2_run *sr, unsigned k)
{
	int p = sr->pos[k], q = sr->pos[!k];

	return (p < 0) != (q < 0) || (p < 0 ? p < q : p > q);
}

static void
split2_runs_make(struct xorshift *x)
{
	static const int pos[4][2] = { { 0, 2 }, { -1, -3 }, { -2, 1 }, { 3, -4 } };

	for (unsigned r = 0; r < SPLIT2_RUNS; r++) {
		struct split2_run *sr = &split2_runs[r];

		snprintf(sr->text, sizeof sr->text, "volume %c resynced from peer/", "bcfgjlmn"[r]);
		sr->pos[0] = pos[r % 4][0];
		sr->pos[1] = pos[r % 4][1];
		sr->caseless = r >= SPLIT2_RUNS / 2;
		for (unsigned m = 0; m < SPLIT2_MEMBERS; m++)
			for (unsigned k = 0; k < 2; k++) {
				const char *alpha = k ? SPLIT2_SECOND : SPLIT2_FIRST;
				char *c = sr->cls[m][k];
				unsigned kind = (m + 5 * k) % 16;

				if (kind == 3 || kind == 11) {
					strcpy(c, kind == 3 ? "d" : "w");
				} else if (kind == 7 && split2_outer(sr, k)) {
					c[0] = '\0';
				} else {
					c[0] = alpha[xorshift_below(x, 6)];
					c[1] = xorshift_below(x, 2) ? alpha[xorshift_below(x, 6)] : '\0';
					c[2] = '\0';
				}
			}
	}
}

/* The regex text of class c ("d", "w", letters) into out. */
static void
split2_class(const char *c, char *out, size_t size)
{
	if (c[0] == 'd')
		snprintf(out, size, "\\d");
	else if (c[0] == 'w')
		snprintf(out, size, "[a-z]");
	else
		snprintf(out, size, "[%s]", c);
}

/*
 * Member m of sr: the text, and on each side the bytes up to its farthest
 * constrained position, a digit where neither position lies.
 */
static void
split2_member(const struct split2_run *sr, unsigned m, char *rx, size_t size)
{
	int lo = 0, hi = -1;    /* the member's positions before (lo..-1) and after (0..hi) */
	size_t n = 0;

	for (unsigned k = 0; k < 2; k++) {
		if (!sr->cls[m][k][0])
			continue;
		if (sr->pos[k] < lo)
			lo = sr->pos[k];
		if (sr->pos[k] > hi)
			hi = sr->pos[k];
	}
	for (int p = lo; p <= hi; p++) {
		char cls[16] = "\\d";

		for (unsigned k = 0; k < 2; k++)
			if (sr->pos[k] == p && sr->cls[m][k][0])
				split2_class(sr->cls[m][k], cls, sizeof cls);
		if (p == 0)
			n += (size_t)snprintf(rx + n, size - n, "%s", sr->text);
		n += (size_t)snprintf(rx + n, size - n, "%s", cls);
	}
	if (hi < 0)
		snprintf(rx + n, size - n, "%s", sr->text);
}

static void
split2_runs_add(struct kb_writer *w)
{
	for (unsigned r = 0; r < SPLIT2_RUNS; r++)
		for (unsigned m = 0; m < SPLIT2_MEMBERS; m++) {
			char rx[128];
			const char *pp[1] = { rx };

			split2_member(&split2_runs[r], m, rx, sizeof rx);
			kbw_add(w, "split2", pp, 1, split2_runs[r].caseless);
		}
}

/* A byte at one of the two positions: mostly a letter of its alphabet, in either case. */
static char
split2_byte(struct xorshift *x, unsigned k)
{
	static const char first[] = SPLIT2_FIRST "ABCDEF" "uz7-", second[] = SPLIT2_SECOND "UVWXYZ" "af7-";
	const char *bytes = k ? second : first;

	return bytes[xorshift_below(x, sizeof first - 1)];
}

/* A line of len bytes holding a run's text with bytes at -4..3 around it, cut by either end now and then. */
static void
split2_line_make(struct xorshift *x, char *line, size_t len, unsigned round)
{
	const struct split2_run *sr = &split2_runs[xorshift_below(x, SPLIT2_RUNS)];
	size_t tl = strlen(sr->text), n = 0;
	char piece[64];
	long at;

	for (size_t i = 0; i < len; i++)
		line[i] = noise(x);
	for (int p = -4; p <= 3; p++) {
		char b = (char)('0' + xorshift_below(x, 10));

		for (unsigned k = 0; k < 2; k++)
			if (sr->pos[k] == p)
				b = split2_byte(x, k);
		if (p == 0) {
			memcpy(piece + n, sr->text, tl);
			if (sr->caseless && round % 2)
				vary_case(x, piece + n, tl);
			n += tl;
		}
		piece[n++] = b;
	}
	/* The text at 0..4 (the bytes before it cut), ending 0..4 bytes before the end, or anywhere. */
	switch (round % 3) {
	case 0:
		at = (long)xorshift_below(x, 5) - 4;
		break;
	case 1:
		at = (long)len - (long)(4 + tl) - (long)xorshift_below(x, 5);
		break;
	default:
		at = (long)xorshift_below(x, (uint32_t)len);
		break;
	}
	piece_put(line, len, piece, n, at);
}

/*
 * A family of runs told apart by bytes next to their text: made, added to
 * a KB with the filler signatures, and checked against the reference
 * engine on 20,000 of its lines with the bucketed filter (which splits
 * runs) running from the first line.
 */
struct split_family {
	const char *what;
	uint32_t seed;
	size_t min_len;
	void (*make)(struct xorshift *x);
	void (*add)(struct kb_writer *w);
	void (*line)(struct xorshift *x, char *line, size_t len, unsigned round);
};

/*
 * Split k of index a and split l of index b are the same: the same
 * position, and the same lists, the splits below them the same too.
 */
static void
assert_same_split(const struct fp_index *a, uint32_t k, const struct fp_index *b, uint32_t l)
{
	const struct fp_run_split *sa = &a->splits[k], *sb = &b->splits[l];

	assert_int_equal(sa->at, sb->at);
	for (unsigned v = 0; v <= FP_RUN_SPLIT_OUT; v++) {
		uint32_t n = sa->list[v + 1] - sa->list[v];

		assert_int_equal(n, sb->list[v + 1] - sb->list[v]);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t ma = a->split_lits[sa->list[v] + i], mb = b->split_lits[sb->list[v] + i];

			assert_int_equal(ma & FP_RUN_SPLIT_SUB, mb & FP_RUN_SPLIT_SUB);
			if (ma & FP_RUN_SPLIT_SUB)
				assert_same_split(a, ma & ~FP_RUN_SPLIT_SUB, b, mb & ~FP_RUN_SPLIT_SUB);
			else
				assert_int_equal(ma, mb);
		}
	}
}

/* Indexes a and b, of the same keys, split each of their runs the same way; how many they split. */
static unsigned
assert_same_splits(const struct fp_index *a, const struct fp_index *b)
{
	unsigned split = 0;

	assert_int_equal(a->n_run_heads, b->n_run_heads);
	for (uint32_t h = 0; h < a->n_run_heads; h++) {
		uint32_t head = a->run_heads[h];
		uint32_t ka = a->occ_split ? a->occ_split[head] : FP_RUN_SPLIT_NONE;
		uint32_t kb = b->occ_split ? b->occ_split[head] : FP_RUN_SPLIT_NONE;

		assert_int_equal(head, b->run_heads[h]);
		assert_int_equal(ka == FP_RUN_SPLIT_NONE, kb == FP_RUN_SPLIT_NONE);
		if (ka == FP_RUN_SPLIT_NONE)
			continue;
		assert_same_split(a, ka, b, kb);
		split++;
	}
	return split;
}

/*
 * A re-keying context builds its index from another one (like): each run
 * like holds too takes like's split instead of choosing it again. Built
 * from like, from nothing, and from a copy of a copy, the splits are the
 * same; with some of a run's literals left without a key (their run is
 * another one now), too. And they are like's own: a split changed in
 * like comes out changed.
 */
static void
split_like_check(const struct fast *f)
{
	struct fp_index fresh, copied, again, moved, moved_fresh;
	struct fp_key *keys = malloc(f->n_lits * sizeof *keys);
	unsigned split, dropped = 0;
	int32_t at;

	assert_non_null(keys);
	assert_int_equal(fw__fast_index_build_stage(f, f->keys, FP_STAGE_FDR, NULL, &fresh), 0);
	assert_int_equal(fw__fast_index_build_stage(f, f->keys, FP_STAGE_FDR, &f->index, &copied), 0);
	assert_int_equal(fw__fast_index_build_stage(f, f->keys, FP_STAGE_FDR, &copied, &again), 0);
	split = assert_same_splits(&fresh, &copied);
	assert_true(split > 0);
	assert_int_equal(assert_same_splits(&fresh, &again), split);
	assert_int_equal(assert_same_splits(&fresh, &f->index), split);

	/* Every third run loses the key of its second literal. */
	memcpy(keys, f->keys, f->n_lits * sizeof *keys);
	for (uint32_t h = 0; h < fresh.n_run_heads; h += 3, dropped++)
		keys[fresh.occs[fresh.run_heads[h] + 1].lit].klen = 0;
	assert_true(dropped > 0);
	assert_int_equal(fw__fast_index_build_stage(f, keys, FP_STAGE_FDR, &copied, &moved), 0);
	assert_int_equal(fw__fast_index_build_stage(f, keys, FP_STAGE_FDR, NULL, &moved_fresh), 0);
	assert_true(assert_same_splits(&moved_fresh, &moved) > 0);

	/* A position no run has: only a copy can hold it. */
	assert_non_null(copied.occ_split);
	for (uint32_t h = 0; h < copied.n_run_heads; h++) {
		uint32_t k = copied.occ_split[copied.run_heads[h]];

		if (k == FP_RUN_SPLIT_NONE)
			continue;
		at = copied.splits[k].at;
		copied.splits[k].at = INT32_MAX;
		fw__fast_index_free(&again);
		assert_int_equal(fw__fast_index_build_stage(f, f->keys, FP_STAGE_FDR, &copied, &again), 0);
		assert_int_equal(again.splits[again.occ_split[again.run_heads[h]]].at, INT32_MAX);
		copied.splits[k].at = at;
		break;
	}
	fw__fast_index_free(&fresh);
	fw__fast_index_free(&copied);
	fw__fast_index_free(&again);
	fw__fast_index_free(&moved);
	fw__fast_index_free(&moved_fresh);
	free(keys);
}

/*
 * With learn set, the context re-keys on a schedule of learn bytes
 * sampled every period: its indexes are built from the one it ran.
 */
static void
split_family_check(const struct split_family *fam, size_t learn, size_t period)
{
	struct xorshift x = { fam->seed };
	struct kb_writer w;
	struct pair p;
	char line[SAME_LINE_MAX];
	unsigned long hits = 0;

	fam->make(&x);
	kbw_open(&w);
	fam->add(&w);
	fill_add(&w, &x);
	pair_open_kb(&p, kbw_load(&w));
	if (!learn)
		split_like_check(p.fast->engine_data);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, learn, period), 0);
	assert_true(fw_match_fast_ctx_bucketed(p.fc));
	for (unsigned round = 0; round < 20000; round++) {
		size_t len = fam->min_len + xorshift_below(&x, (uint32_t)(SAME_LINE_MAX - fam->min_len));
		unsigned long before = p.hits;

		fam->line(&x, line, len, round);
		pair_check(&p, line, len, NULL);
		hits += p.hits - before;
	}
	fprintf(stderr, "runs told apart by %s: %lu lines, %lu hits\n", fam->what, p.lines, hits);
	assert_true(hits > 5000);
	pair_close(&p);
}

static void
test_split(void **state)
{
	static const struct split_family one = {
		"a byte", 0x7c15d2e9u, 30, split_runs_make, split_runs_add, split_line_make,
	};

	(void)state;
	split_family_check(&one, 0, 0);
	split_family_check(&one, 16384, 65536);
}

static void
test_split_again(void **state)
{
	static const struct split_family two = {
		"two bytes", 0x3b9e0d21u, 40, split2_runs_make, split2_runs_add, split2_line_make,
	};

	(void)state;
	split_family_check(&two, 0, 0);
	split_family_check(&two, 16384, 65536);
}

static void
test_bucketed(void **state)
{
	(void)state;
	run_lines(true);
}

static void
test_pair_map(void **state)
{
	(void)state;
	run_lines(false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucketed),
		cmocka_unit_test(test_pair_map),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
