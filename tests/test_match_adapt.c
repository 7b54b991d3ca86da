/*
 * test_match_adapt: the fast engine moves literals' scan keys to windows
 * that are rare in the stream its context matches (match_fast_adapt.h),
 * and its results stay exactly the reference engine's before, during and
 * after every move:
 *  - a stream that makes every window of two literals but the last one
 *    common moves their keys there; a later stream that makes that window
 *    common moves them again; lines holding the literals (every case
 *    variant, at the edges of the line, cut short) are compared throughout;
 *  - a random KB and random lines built from pieces of its literals, with
 *    a sample every few KiB, so keys move many times while lines are
 *    compared;
 *  - a literal looked up on demand (a pattern's second one) is searched for
 *    by another of its bytes once the stream makes its first byte common;
 *    lines holding it at every place, cut short, are compared;
 *  - the schedule: no move before a sample ends, none once learning is off,
 *    and the calls refuse a context of another engine;
 *  - literals looked up on demand become scanned for: patterns share a
 *    first literal that stands in every line of the stream, each with a
 *    second literal of its own; once the sample ends the context scans for
 *    those, lines holding them (in either case, at the edges, cut short)
 *    are compared before and after, and a second context makes the same
 *    choices; the line on which a sample ends is matched with the scan set
 *    it started with; a random stream of such lines, sampled often, moves
 *    literals between looked up and scanned for while lines are compared;
 *  - triggers move: patterns whose first factor stands in every line of
 *    the stream, with other factors that are alternations, caseless,
 *    sharing a window (an anchor), or a third factor, are triggered by one
 *    of those once the sample ends, and by the first again once a later
 *    stream holds the others in every line; lines holding every factor,
 *    only the former trigger, or only the new one (cut short, in either
 *    case) are compared throughout, in two contexts that make the same
 *    choices;
 *  - DFA gates move: an access-log shape's gate group is gated by its
 *    first factor (its status or " [", by the ranks); a stream that holds
 *    it on every line but not the other, which the group's check then
 *    searches for, moves the gate there (scanned for from then on) and the
 *    first loses its key; the opposite stream moves it back, with a key
 *    again; lines of both shapes, with or without each factor, cut short,
 *    are compared throughout in two contexts that make the same choices;
 *  - the first stage: a stream made of three-byte pieces of the literals
 *    (every key's pair common, no literal whole) moves the context from
 *    the pair map to the bucketed filter, and a stream of digits and
 *    punctuation, where neither stage stops, leaves it there (the two cost
 *    about the same: no flapping), and so on; every line is compared
 *    throughout, and the same stream gives the same choices in a second
 *    context;
 *  - short literals that must follow a digit or a punctuation byte (their
 *    context): a stream where their bytes stand without it gives them keys
 *    of that byte and their first one; lines holding them after their
 *    context or not (cut short, in either case) are compared before and
 *    after, and through both stages;
 *  - a context that still runs from the compiled index (no key moved) with
 *    the pair map, whose sample costs the byte-before table (which needs an
 *    index of the context's own) and then takes the plain bucketed filter:
 *    the context's index holds that filter's table, and every later line
 *    is compared;
 *  - wherever keys, triggers or scanned literals move, what the context
 *    keeps for its triggered patterns to read (fast_adapt.klen, check_lit)
 *    says what its keys and checks say.
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

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_ctx.h"
#include "match/match_fast_int.h"
#include "match_pair.h"
#include "xorshift.h"

/*
 * What the fast context keeps beside its keys and checks says what they
 * say, as they now stand: each literal's byte in klen is its key's
 * length; each pattern's check_lit is the lone literal of the first
 * factor its check names, or FP_LIT_MANY.
 */
static void
assert_mirrors(const struct fw_match_ctx *ctx)
{
	const struct fast *f = ctx->m->engine_data;
	const struct fast_adapt *a = &((const struct fast_ctx *)ctx->engine_data)->adapt;

	for (uint32_t i = 0; i < a->n_lits; i++)
		assert_int_equal(a->klen[i], a->keys[i].klen);
	for (uint32_t p = 0; p < a->n_patterns; p++) {
		uint32_t want = FP_LIT_MANY;

		if (a->check[p]) {
			const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + (unsigned)__builtin_ctz(a->check[p])];

			if (fa->n_lits == 1)
				want = f->factor_lits[fa->first_lit];
		}
		assert_int_equal(a->check_lit[p], want);
	}
}

/*
 * Two literals whose last 4-byte window is digits (a window any text
 * makes common, so never the key chosen at compile time) and one short
 * literal (a 2-byte key, three windows), with a capture after the first.
 */
static const char *const hot_pats[] = {
	"Qx=Err_Vw:1234 (?<n>\\d+)", "mq#rv\\+hy/9876", "zX!",
};

static void
open_hot(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	kbw_add(&w, "adapt", &hot_pats[0], 1, false);
	kbw_add(&w, "adapt", &hot_pats[1], 1, true);
	kbw_add(&w, "adapt", &hot_pats[2], 1, false);
	pair_open_kb(p, kbw_load(&w));
}

/* Lines that hold the literals, compared in both engines; returns how many. */
static unsigned
check_literal_lines(struct pair *p)
{
	static const char *const lines[] = {
		"Qx=Err_Vw:1234 77", "id=9 Qx=Err_Vw:1234 8 tail", "Qx=Err_Vw:1234 x",
		"MQ#RV+HY/9876", "pre mq#Rv+Hy/9876", "a mQ#rV+hY/9876 b", "zX!", "..zX!..",
		"Qx=Err_Vw:123 mq#rv+hy/987 zX", "Qx=Err_Vw:1234 5 and MQ#rv+HY/9876 and zX!",
	};
	unsigned long before = p->hits;

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		size_t n = strlen(lines[i]);

		pair_check(p, lines[i], n, NULL);
		/* Cut short: the literal at the very end of the line, or one byte missing. */
		for (size_t cut = n > 6 ? n - 6 : 0; cut < n; cut++)
			pair_check(p, lines[i], cut, NULL);
	}
	return (unsigned)(p->hits - before);
}

/* n lines of about 40 bytes, each holding text, compared in both engines. */
static void
feed(struct pair *p, const char *text, unsigned n)
{
	char line[128];

	for (unsigned i = 0; i < n; i++) {
		int len = snprintf(line, sizeof line, "%u %s %u", i, text, 7 * i);

		assert_true(len > 0 && (size_t)len < sizeof line);
		pair_check(p, line, (size_t)len, NULL);
	}
}

static void
test_hot_window_moves(void **state)
{
	struct pair p;
	unsigned found;

	(void)state;
	open_hot(&p);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 0), 0);
	/* Every window of the literals but their last is in every line. */
	feed(&p, "Qx=Err_Vw:123 mq#rv+hy/987 zX zX", 40);
	assert_int_equal(fw_match_fast_rekeys(p.fc), 0);        /* the sample is not over */
	found = check_literal_lines(&p);
	feed(&p, "Qx=Err_Vw:123 MQ#RV+HY/987 zX zX", 80);
	/* The sample ended: both long literals moved; the results did not change. */
	assert_true(fw_match_fast_rekeys(p.fc) >= 2);
	assert_int_equal(check_literal_lines(&p), found);
	assert_true(found >= 10);

	/* Now the last windows are what is common: the keys move again. */
	{
		uint64_t moved = fw_match_fast_rekeys(p.fc);

		assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 4096), 0);
		feed(&p, "Vw:1230 rv+hy/9870 Vw:1234 hy/9876 X!", 160);
		assert_true(fw_match_fast_rekeys(p.fc) > moved);
		assert_int_equal(check_literal_lines(&p), found);
	}
	pair_close(&p);
}

/*
 * A pattern's rarer literal is scanned for; its other one is looked up on
 * lines holding the first, by memchr() on one of its bytes (never a letter
 * when caseless): "=vxq-p" and "q#9@z"i here (`fixwatch check` says so).
 * The stream is full of '=', 'v', '#' and '9', so after the sample the
 * lookups search for bytes further in: every place must still be found.
 */
static void
test_lookup_byte_moves(void **state)
{
	static const char *const pat = "Q#9@Zk.*=vxq-p";
	static const char *const lines[] = {
		"Q#9@Zk =vxq-p", "Q#9@Zk=vxq-p", "x Q#9@Zk ==vxq-p x", "Q#9@Zk =vxq-", "Q#9@Zk vxq-p",
		"Q#9@Zk =VXQ-P", "q#9@zK =vXq-p", "Q#9@ =vxq-p", "#9@Zk =vxq-p", "Q#9@Z=vxq-p",
		"=v Q#9@Zk =v=vxq-p=vxq-p",
	};
	struct kb_writer w;
	struct pair p;
	unsigned long before;

	(void)state;
	kbw_open(&w);
	kbw_add(&w, "find", &pat, 1, false);
	kbw_add(&w, "find", &pat, 1, true);
	pair_open_kb(&p, kbw_load(&w));
	for (int round = 0; round < 2; round++) {
		before = p.hits;
		for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
			size_t n = strlen(lines[i]);

			for (size_t cut = n > 8 ? n - 8 : 0; cut <= n; cut++)
				pair_check(&p, lines[i], cut, NULL);
		}
		assert_true(p.hits - before >= 8);
		if (round == 0) {
			assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 0), 0);
			feed(&p, "=v=v #9# #=v==v=vv #9#9 v=v=v", 200);
		}
	}
	pair_close(&p);
}

static void
test_schedule(void **state)
{
	struct pair p;
	uint64_t moved;

	(void)state;
	open_hot(&p);
	assert_int_equal(fw_match_fast_adapt_schedule(p.rc, 4096, 0), -EINVAL);
	assert_int_equal(fw_match_fast_adapt_schedule(NULL, 4096, 0), -EINVAL);
	assert_int_equal(fw_match_fast_rekeys(p.rc), 0);
	assert_int_equal(fw_match_fast_rekeys(NULL), 0);

	/* Learning off: a stream that would move keys moves none. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 0, 0), 0);
	feed(&p, "Qx=Err_Vw:123 mq#rv+hy/987 zX zX", 400);
	assert_int_equal(fw_match_fast_rekeys(p.fc), 0);
	/* Learning on again: the same stream does. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 2048, 0), 0);
	feed(&p, "Qx=Err_Vw:123 mq#rv+hy/987 zX zX", 100);
	moved = fw_match_fast_rekeys(p.fc);
	assert_true(moved >= 2);
	/* period 0: no later sample, whatever the stream does next. */
	feed(&p, "Vw:1230 rv+hy/9870 Vw:1234 hy/9876 X!", 400);
	assert_int_equal(fw_match_fast_rekeys(p.fc), moved);
	check_literal_lines(&p);
	pair_close(&p);
}

/* ---- random KB, random stream ------------------------------------------ */

static struct xorshift rng = { 0x9E3779B97F4A7C15ull };

/* A number in 0..n-1 from the file's one generator. */
static uint32_t
rnd(uint32_t n)
{
	return xorshift_below(&rng, n);
}

#define N_WORDS 48
#define WORD_MAX 12

/* A word of 2 to WORD_MAX bytes mixing letters, digits and punctuation (no regex metacharacter). */
static void
random_word(char *w)
{
	static const char bytes[] = "abcdefghijlmnopqrtuvwxyzABCDEFGHIJLMNOPQRTUVWXYZ0123456789=:_-/#@!%,;<>";
	size_t n = 2 + rnd(WORD_MAX - 1);

	for (size_t i = 0; i < n; i++)
		w[i] = bytes[rnd(sizeof bytes - 1)];
	w[n] = '\0';
}

static void
test_random_stream(void **state)
{
	static const char *const joins[] = { ".*", " \\d+ ", "[^ ]*", " (?:x|y) ", " " };
	char words[N_WORDS][WORD_MAX + 1], pat[128], line[512];
	struct kb_writer w;
	struct pair p;
	unsigned long lines_with = 0;

	(void)state;
	for (size_t i = 0; i < N_WORDS; i++)
		random_word(words[i]);
	kbw_open(&w);
	for (unsigned i = 0; i < 120; i++) {
		const char *re = pat;

		snprintf(pat, sizeof pat, "%s%s%s", words[rnd(N_WORDS)], joins[rnd(5)], words[rnd(N_WORDS)]);
		kbw_add(&w, "rand", &re, 1, rnd(4) == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	/* A sample of 2 KiB every 3 KiB: keys move many times over the run. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 2048, 3072), 0);
	for (unsigned i = 0; i < 30000; i++) {
		size_t len = 0;
		/* The stream's favourite words change every 5,000 lines. */
		unsigned base = (i / 5000) * 7 % N_WORDS;

		while (len < 200) {
			const char *word = words[(base + rnd(rnd(2) ? 6 : N_WORDS)) % N_WORDS];
			size_t n = strlen(word), take = rnd(3) ? n - 1 - rnd((uint32_t)n - 1) : n;

			if (rnd(2) == 0)        /* a piece from inside the word */
				word += n - take;
			memcpy(line + len, word, take);
			len += take;
			line[len++] = rnd(5) ? ' ' : (char)('0' + rnd(10));
			if (rnd(64) == 0) {     /* sometimes a whole instance of some pattern's text */
				int k = snprintf(line + len, sizeof line - len, "%s 42 x %s ",
						 words[rnd(N_WORDS)], words[rnd(N_WORDS)]);

				len += (size_t)k;
				lines_with++;
			}
		}
		/* One line in eight with letters of the other case, for the caseless records. */
		for (size_t j = 0, flip = rnd(8) == 0; flip && j < len; j++)
			if ((line[j] | 32) >= 'a' && (line[j] | 32) <= 'z' && rnd(2))
				line[j] ^= 32;
		pair_check(&p, line, len, NULL);
		if (i % 1000 == 999)
			assert_mirrors(p.fc);
	}
	/* Not vacuous: keys moved, and lines matched. */
	assert_true(fw_match_fast_rekeys(p.fc) > 10);
	assert_true(lines_with > 100);
	assert_true(p.hits > 50);
	pair_close(&p);
}

/* ---- literals looked up on demand, scanned for ------------------------- */

/* Matches a line in both pairs. */
static void
check_both(struct pair *p, struct pair *again, const char *line, size_t len)
{
	pair_check(p, line, len, NULL);
	pair_check(again, line, len, NULL);
}

/*
 * The first literal is rarer by the ranks of match_fast_rank.c (capitals,
 * punctuation) than the second ones (lower-case words), so it is what the
 * scan looks for and they are looked up on lines holding it.
 */
#define N_SCAN_PATS 6
static const char *const scan_pats[N_SCAN_PATS] = {
	"\\[QZX#Vk@Jq\\] .*seen near anton", "\\[QZX#Vk@Jq\\] .*seen near berta",
	"\\[QZX#Vk@Jq\\] .*seen near carla(?<n>\\d+)", "\\[QZX#Vk@Jq\\] .*level=warn",
	"\\[QZX#Vk@Jq\\] \\d+ dora", "\\[QZX#Vk@Jq\\] .*ida\\b",
};

static void
open_scan_kb(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	for (size_t i = 0; i < N_SCAN_PATS; i++)
		kbw_add(&w, "scan", &scan_pats[i], 1, i % 2 == 1);
	pair_open_kb(p, kbw_load(&w));
}

/*
 * Each line whole and cut short by up to 6 bytes, in both contexts;
 * returns the hits of p.
 */
static unsigned long
check_lines_cut(struct pair *p, struct pair *again, const char *const *lines, size_t n_lines)
{
	unsigned long before = p->hits;

	for (size_t i = 0; i < n_lines; i++) {
		size_t n = strlen(lines[i]);

		for (size_t cut = n > 6 ? n - 6 : 0; cut <= n; cut++)
			check_both(p, again, lines[i], cut);
	}
	return p->hits - before;
}

/* Lines holding the second literals, in both contexts; returns the hits of p. */
static unsigned long
check_scan_lines(struct pair *p, struct pair *again)
{
	static const char *const lines[] = {
		"[QZX#Vk@Jq] seen near anton", "[QZX#Vk@Jq] x SEEN NEAR Berta y", "[QZX#Vk@Jq] seen near carla42",
		"[QZX#Vk@Jq] a level=warn", "[QZX#Vk@Jq] 17 dora", "[QZX#Vk@Jq] x IDA", "[QZX#Vk@Jq] idaho",
		"seen near anton [QZX#Vk@Jq] ", "[qzx#vk@jq] seen near berta", "[QZX#Vk@Jq] seen near anto",
		"[QZX#Vk@Jq] seen near carla", "[QZX#Vk@Jq] level=warn level=war seen near berta ida",
	};
	return check_lines_cut(p, again, lines, sizeof lines / sizeof lines[0]);
}

static void
test_lookups_scanned(void **state)
{
	struct pair p, again;
	char line[160];
	unsigned long found;

	(void)state;
	open_scan_kb(&p);
	open_scan_kb(&again);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 8192, 0), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again.fc, 8192, 0), 0);
	found = check_scan_lines(&p, &again);
	assert_true(found >= 20);
	assert_int_equal(fw_match_fast_scans(p.fc), 0);
	/* Every line triggers every pattern; their second literals are absent. */
	for (unsigned i = 0; i < 400; i++) {
		int n = snprintf(line, sizeof line, "%u [QZX#Vk@Jq] %u: seen near nobody level=info %u", i, 7 * i,
				 i % 13);

		check_both(&p, &again, line, (size_t)n);
	}
	/* The sample ended: the second literals are scanned for; the results did not change. */
	assert_true(fw_match_fast_scans(p.fc) >= 4);
	assert_mirrors(p.fc);
	assert_int_equal(fw_match_fast_scans(p.fc), fw_match_fast_scans(again.fc));
	assert_int_equal(check_scan_lines(&p, &again), found);
	assert_int_equal(fw_match_fast_scans(p.rc), 0);
	assert_int_equal(fw_match_fast_scans(NULL), 0);
	pair_close(&again);
	pair_close(&p);
}

/* ---- triggers moved to the rarest factor -------------------------------- */

/*
 * Each pattern's first factor (by the ranks: capitals, punctuation) is
 * "[QZX#Vk@Jq] ", which the first stream puts in every line; its other
 * factors are alternations, caseless literals, literals sharing a window
 * ("code=": an anchor) and a third factor.
 */
#define N_TRIG_PATS 6
static const char *const trig_pats[N_TRIG_PATS] = {
	"\\[QZX#Vk@Jq\\] .*seen near (?:anton|berta)",
	"\\[QZX#Vk@Jq\\] .*unit=(?:pumpe|fanny) .*level=warn",
	"\\[QZX#Vk@Jq\\] .*code=alpha7(?<n>\\d*)",
	"\\[QZX#Vk@Jq\\] .*code=bravo7",
	"\\[QZX#Vk@Jq\\] .*host=zeta .*port=(?:8080|4430)",
	"\\[QZX#Vk@Jq\\] \\d+ dora",
};

static void
open_trig_kb(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	for (size_t i = 0; i < N_TRIG_PATS; i++)
		kbw_add(&w, "trig", &trig_pats[i], 1, i == 1 || i == 4);
	pair_open_kb(p, kbw_load(&w));
}

/* Lines holding every factor, only the first one, only the others; cut short. Returns the hits of p. */
static unsigned long
check_trig_lines(struct pair *p, struct pair *again)
{
	static const char *const lines[] = {
		"[QZX#Vk@Jq] seen near anton", "[QZX#Vk@Jq] x seen near berta y", "seen near anton only",
		"[QZX#Vk@Jq] UNIT=Pumpe LEVEL=WARN", "[QZX#Vk@Jq] level=warn unit=fanny", "unit=fanny level=warn",
		"[QZX#Vk@Jq] code=alpha742", "[QZX#Vk@Jq] code=bravo7", "code=alpha7 code=bravo7",
		"[QZX#Vk@Jq] code=bravo code=alpha", "[QZX#Vk@Jq] HOST=Zeta x PORT=4430", "host=zeta port=8080",
		"[QZX#Vk@Jq] port=8080 host=zeta ", "[QZX#Vk@Jq] 17 dora", "[QZX#Vk@Jq] seen near ant",
		"[qzx#vk@jq] seen near anton", "[QZX#Vk@Jq] ",
	};
	return check_lines_cut(p, again, lines, sizeof lines / sizeof lines[0]);
}

static void
test_triggers_moved(void **state)
{
	struct pair p, again;
	char line[160];
	unsigned long found;
	uint64_t moves;

	(void)state;
	open_trig_kb(&p);
	open_trig_kb(&again);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 8192, 16384), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again.fc, 8192, 16384), 0);
	found = check_trig_lines(&p, &again);
	assert_true(found >= 10);
	assert_int_equal(fw_match_fast_trigger_moves(p.fc), 0);
	/* Every line triggers every pattern by its first factor; the others are absent. */
	for (unsigned i = 0; i < 300; i++) {
		int n = snprintf(line, sizeof line, "%u [QZX#Vk@Jq] %u: 31-07 %u/%u", i, 7 * i, i % 13, 3 * i);

		check_both(&p, &again, line, (size_t)n);
	}
	/* The sample ended: triggers moved to the other factors; the results did not change. */
	moves = fw_match_fast_trigger_moves(p.fc);
	assert_true(moves >= 4);
	assert_int_equal(moves, fw_match_fast_trigger_moves(again.fc));
	assert_mirrors(p.fc);
	assert_int_equal(check_trig_lines(&p, &again), found);
	/*
	 * Now every line holds the new triggers and not the first factor: once
	 * a later sample ends, triggers move back; lines are compared throughout.
	 */
	for (unsigned i = 0; i < 1200; i++) {
		int n = snprintf(line, sizeof line, "%u seen near anton unit=pumpe code=alpha7 code=bravo7 host=zeta %u",
				 i, i % 7);

		check_both(&p, &again, line, (size_t)n);
		if (i % 100 == 0)
			assert_int_equal(check_trig_lines(&p, &again), found);
	}
	assert_true(fw_match_fast_trigger_moves(p.fc) > moves);
	assert_int_equal(fw_match_fast_trigger_moves(p.fc), fw_match_fast_trigger_moves(again.fc));
	assert_mirrors(p.fc);
	assert_int_equal(check_trig_lines(&p, &again), found);
	assert_int_equal(fw_match_fast_trigger_moves(p.rc), 0);
	assert_int_equal(fw_match_fast_trigger_moves(NULL), 0);
	pair_close(&again);
	pair_close(&p);
}

/*
 * The line on which the learning sample ends holds a literal that the
 * sample's end makes scanned for: the line is matched with the scan set it
 * started with, so the literal is still found on it.
 */
static void
test_scan_set_straddling_line(void **state)
{
	enum { T = 200 };
	struct pair p;
	char line[160];
	int lx = 0;

	(void)state;
	open_scan_kb(&p);
	/* Lines of one length lx; the sample ends on line T: T * lx + 1 bytes. */
	lx = snprintf(line, sizeof line, "%05u [QZX#Vk@Jq] %05u: seen near nobody level=info", 0u, 0u);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, (size_t)T * (size_t)lx + 1, 0), 0);
	for (unsigned i = 0; i < T; i++) {
		int n = snprintf(line, sizeof line, "%05u [QZX#Vk@Jq] %05u: seen near nobody level=info", i, 7 * i);

		assert_int_equal(n, lx);
		pair_check(&p, line, (size_t)n, NULL);
	}
	assert_int_equal(fw_match_fast_scans(p.fc), 0);
	{
		unsigned long before = p.hits;

		pair_check_str(&p, "[QZX#Vk@Jq] x seen near anton");
		assert_true(fw_match_fast_scans(p.fc) >= 4);     /* the sample ended on that line */
		assert_int_equal(p.hits, before + 1);
	}
	pair_close(&p);
}

/*
 * A random stream whose lines all hold the shared first literal, with
 * second literals that share anchors and case, cut at random lengths;
 * samples of 1500 bytes, 700 bytes apart, so that literals move between
 * looked up and scanned for while every line is compared.
 */
static void
test_scan_set_random(void **state)
{
	static const char *const seconds[] = {
		"upstream timed", "upstream reset", "upstream gone", "UpStReAm", "ups", "eam ti", "timed out",
		"x=1", "x=12", "x=123", "code=5", "code=50", "code=503", "ab", "abc", "abcd", "dcba",
	};
	enum { NS = sizeof seconds / sizeof *seconds };
	char pat[128], line[256];
	struct kb_writer w;
	struct pair p;
	uint64_t scans_max = 0;

	(void)state;
	kbw_open(&w);
	for (unsigned i = 0; i < 3 * NS; i++) {
		const char *re = pat;
		static const char *const joins[] = { ".*", " ", "[^ ]*", "\\b" };

		snprintf(pat, sizeof pat, "\\[TrIg#9\\]%s%s%s", joins[i % 4], seconds[i % NS],
			 i % 3 == 0 ? "" : i % 3 == 1 ? ".*ok" : "(?<n>\\d)");
		kbw_add(&w, "rs", &re, 1, i % 5 == 0);
	}
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 1500, 700), 0);
	for (unsigned i = 0; i < 40000; i++) {
		size_t len = 0;

		len += (size_t)snprintf(line, sizeof line, "%u [TrIg#9]", i % 97);
		while (len < 60 + rnd(80)) {
			if (rnd(40) == 0) {
				const char *x = seconds[rnd(NS)];
				size_t n = strlen(x);

				for (size_t j = 0; j < n; j++)
					line[len + j] = rnd(4) == 0 ? (char)(x[j] ^ (((x[j] | 32) >= 'a' && (x[j] | 32) <= 'z') ? 32 : 0)) : x[j];
				len += n;
			} else {
				line[len++] = "abcdeimnoprstuwx =0123456789:.-_"[rnd(32)];
			}
			if (rnd(30) == 0)
				len += (size_t)snprintf(line + len, sizeof line - len, " ok ");
		}
		pair_check(&p, line, len - rnd(4), NULL);
		if (fw_match_fast_scans(p.fc) > scans_max)
			scans_max = fw_match_fast_scans(p.fc);
		if (i % 1000 == 999)
			assert_mirrors(p.fc);
	}
	print_message("scans %llu moves %llu rekeys %llu hits %lu\n", (unsigned long long)scans_max,
		      (unsigned long long)fw_match_fast_trigger_moves(p.fc),
		      (unsigned long long)fw_match_fast_rekeys(p.fc), p.hits);
	assert_true(scans_max > 0);
	pair_close(&p);
}

/* ---- first stage chosen by cost ---------------------------------------- */

/*
 * Literals of ten letters of "abcd": their keys' last pairs are most of the
 * 16 pairs of those letters, so that text made of them stops the pair map
 * at almost every position, whichever windows the keys move to.
 */
#define N_STAGE_WORDS 24
#define STAGE_WORD_LEN 10

static char stage_words[N_STAGE_WORDS][STAGE_WORD_LEN + 1];

/* Fixed words: a xorshift of its own, so that the other tests' order does not matter. */
static void
stage_words_make(void)
{
	uint32_t x = 0x5eed1234u;

	for (size_t i = 0; i < N_STAGE_WORDS; i++) {
		for (size_t j = 0; j < STAGE_WORD_LEN; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			stage_words[i][j] = "abcd"[x % 4];
		}
		stage_words[i][STAGE_WORD_LEN] = '\0';
	}
}

/* The stage words' records into w: "WORD (?<n>\\d+)", every third caseless. */
static void
add_stage_words(struct kb_writer *w)
{
	for (size_t i = 0; i < N_STAGE_WORDS; i++) {
		char pat[64];
		const char *re = pat;

		snprintf(pat, sizeof pat, "%.*s (?<n>\\d+)", STAGE_WORD_LEN, stage_words[i]);
		kbw_add(w, "stage", &re, 1, i % 3 == 0);
	}
}

static void
open_stage_kb(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	add_stage_words(&w);
	pair_open_kb(p, kbw_load(&w));
}

/*
 * Line i of a stream: letters (runs of three letters of "abcd", so that
 * every pair of the literals is common while none of their 4-byte windows
 * is) or noise (digits and punctuation, which end no key), with one whole
 * literal and its number now and then.
 */
static size_t
stage_line(char *line, size_t size, unsigned i, bool letters)
{
	size_t len = 0;
	unsigned k = i;

	while (len + 24 < size && len < 160) {
		if (letters) {
			for (int j = 0; j < 3; j++, k = k * 1103515245u + 12345u)
				line[len++] = "abcd"[(k >> 16) % 4];
			line[len++] = k % 5 ? ' ' : '-';
		} else {
			len += (size_t)snprintf(line + len, size - len, "%u:%02u.%03u ", i, (unsigned)len % 60,
						i * 7 % 1000);
		}
	}
	if (i % 16 == 0)
		len += (size_t)snprintf(line + len, size - len, "%s %u", stage_words[i % N_STAGE_WORDS], i);
	return len;
}

/* ---- DFA gates moved to the rarest factor ------------------------------ */

/*
 * Gate groups of DFA members (weak literals only): an access-log shape
 * whose factors are " [", "] \"" and "\" 5" (a 5xx status), and a
 * process-log shape with "]: ", " = " and " ms".
 */
#define N_GATE_PATS 4
static const char *const gate_pats[N_GATE_PATS] = {
	"^\\d+\\.\\d+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^\"]+\" 5\\d\\d \\d{5,}$",
	"^\\d+\\.\\d+ [^ ]+ \\[[^]]+\\] \"[A-Z]+ [^\"]+\" 5\\d\\d \\d{7,}$",
	"^[a-z]+\\[\\d+\\]: [^ ]+ = \\d+ ms$",
	"^[a-z]+\\[\\d+\\]: [^ ]+ = \\d{4,} ms$",
};

static void
open_gate_kb(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	for (size_t i = 0; i < N_GATE_PATS; i++)
		kbw_add(&w, "gate", &gate_pats[i], 1, false);
	pair_open_kb(p, kbw_load(&w));
}

/* Lines of both shapes, with every factor or without one; cut short. Returns the hits of p. */
static unsigned long
check_gate_lines(struct pair *p, struct pair *again)
{
	static const char *const lines[] = {
		"10.7 - [07/Dec/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 503 1234567",
		"10.7 - [07/Dec/2026:10:00:01 +0000] \"POST /b?c=d HTTP/1.1\" 500 12345",
		"10.7 - [07/Dec/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 200 1234567",
		"10.7 - 07/Dec/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 502 1234567",
		"10.7 - [07/Dec/2026:10:00:01 +0000 \"GET /a HTTP/1.1\" 502 1234567",
		"x 10.7 - [07/Dec/2026:10:00:01 +0000] \"GET /a HTTP/1.1\" 504 1234567",
		"cron[42]: job = 12345 ms", "cron[42]: job = 12 ms", "cron[42]: job = 12 s", "cron[42] job = 12 ms",
		"\" 5 ] \" [ ]: = ms",
	};
	return check_lines_cut(p, again, lines, sizeof lines / sizeof lines[0]);
}

/* The lone literal of factor b of gate group 0's members. */
static uint32_t
group0_lit(const struct fast *f, unsigned b)
{
	const struct fp_factor *fa = &f->factors[f->group_rep[0] * FACTORS_MAX + b];

	assert_int_equal(fa->n_lits, 1);
	return f->factor_lits[fa->first_lit];
}

static bool
lit_is(const struct fast *f, uint32_t lit, const char *s)
{
	return f->lits[lit].len == strlen(s) && memcmp(f->lits[lit].bytes, s, strlen(s)) == 0;
}

static unsigned
klen_of(const struct fw_match_ctx *ctx, uint32_t lit)
{
	return ((const struct fast_ctx *)ctx->engine_data)->adapt.keys[lit].klen;
}

/*
 * n access lines in both contexts: with a 5xx status and no " [" (the
 * time without its bracket), or with " [" and a 2xx status.
 */
static void
feed_access(struct pair *p, struct pair *again, bool status_5xx, unsigned n)
{
	char line[160];

	for (unsigned i = 0; i < n; i++) {
		int len = status_5xx ? snprintf(line, sizeof line, "10.%u - 07/Dec/2026:10:%02u:%02u +0000] \"GET /i/%u "
						"HTTP/1.1\" 5%02u %u", i % 9, i % 60, (7 * i) % 60, i, i % 100, 31 * i)
				     : snprintf(line, sizeof line, "10.%u - [07/Dec/2026:10:%02u:%02u +0000] \"GET /i/%u "
						"HTTP/1.1\" 200 %u", i % 9, i % 60, (7 * i) % 60, i, 31 * i);

		assert_true(len > 0 && (size_t)len < sizeof line);
		check_both(p, again, line, (size_t)len);
	}
}

static void
test_gates_moved(void **state)
{
	struct pair p, again;
	const struct fast *f;
	uint32_t first, other;
	unsigned long found;
	uint64_t moves;
	bool first_is_status;

	(void)state;
	open_gate_kb(&p);
	open_gate_kb(&again);
	f = p.fc->m->engine_data;
	/* What the test is about: every pattern a DFA member, the access shape's a group of three factors. */
	assert_non_null(f->dfa);
	for (uint32_t i = 0; i < N_GATE_PATS; i++)
		assert_true(f->in_dfa[i]);
	assert_true(f->n_dfa_groups >= 2);
	assert_true(f->group_rep[0] == 0 || f->group_rep[0] == 1);
	assert_int_equal(f->need[f->group_rep[0]], 7);
	/* The gate is the first factor by the ranks: the status or " [". */
	first = group0_lit(f, 0);
	first_is_status = lit_is(f, first, "\" 5");
	if (!first_is_status && !lit_is(f, first, " ["))
		fail_msg("the access shape's first factor is neither \"\\\" 5\" nor \" [\"");
	other = first_is_status ? group0_lit(f, lit_is(f, group0_lit(f, 1), " [") ? 1 : 2)
				: group0_lit(f, lit_is(f, group0_lit(f, 1), "\" 5") ? 1 : 2);
	assert_true(f->lits[first].dfa_gate && f->lits[first].n_refs == 0);
	assert_int_not_equal(klen_of(p.fc, first), 0);
	assert_int_equal(klen_of(p.fc, other), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 8192, 16384), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again.fc, 8192, 16384), 0);
	found = check_gate_lines(&p, &again);
	assert_true(found >= 8);
	assert_int_equal(fw_match_fast_gate_moves(p.fc), 0);
	/*
	 * Lines that hold the gate and not the other literal, which the
	 * group's check searches for on each of them: once the sample ends,
	 * that literal is scanned for and gates the group, and the first is
	 * no longer scanned for.
	 */
	feed_access(&p, &again, first_is_status, 400);
	moves = fw_match_fast_gate_moves(p.fc);
	assert_int_equal(moves, 1);
	assert_int_equal(fw_match_fast_gate_moves(again.fc), moves);
	assert_int_equal(klen_of(p.fc, first), 0);
	assert_int_not_equal(klen_of(p.fc, other), 0);
	assert_mirrors(p.fc);
	assert_int_equal(check_gate_lines(&p, &again), found);
	/* The other way round: once a later sample ends, the gate moves back, with a key again. */
	for (unsigned i = 0; i < 12; i++) {
		feed_access(&p, &again, !first_is_status, 100);
		assert_int_equal(check_gate_lines(&p, &again), found);
	}
	assert_true(fw_match_fast_gate_moves(p.fc) > moves);
	assert_int_equal(fw_match_fast_gate_moves(p.fc), fw_match_fast_gate_moves(again.fc));
	assert_int_not_equal(klen_of(p.fc, first), 0);
	assert_mirrors(p.fc);
	assert_int_equal(check_gate_lines(&p, &again), found);
	assert_int_equal(fw_match_fast_gate_moves(p.rc), 0);
	assert_int_equal(fw_match_fast_gate_moves(NULL), 0);
	pair_close(&again);
	pair_close(&p);
}

static void
test_stage_switches(void **state)
{
	struct pair p, again;
	char line[256];
	/* Per phase: letters or noise. */
	static const bool phase_letters[] = { true, false, true, false };
	bool stages[4];

	(void)state;
	stage_words_make();
	open_stage_kb(&p);
	open_stage_kb(&again);
	assert_false(fw_match_fast_bucketed(p.fast));   /* few keys: the pair map first */
	assert_false(fw_match_fast_ctx_bucketed(p.fc));
	/* A sample of 4 KiB every 4 KiB, so that each phase of 40 KiB is measured several times. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 4096), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again.fc, 4096, 4096), 0);
	for (unsigned ph = 0; ph < 4; ph++) {
		size_t bytes = 0;

		for (unsigned i = 0; bytes < (40 << 10); i++) {
			size_t len = stage_line(line, sizeof line, i, phase_letters[ph]);

			check_both(&p, &again, line, len);
			bytes += len;
		}
		stages[ph] = fw_match_fast_ctx_bucketed(p.fc);
		/* Deterministic: the same stream, the same choices. */
		assert_int_equal(stages[ph], fw_match_fast_ctx_bucketed(again.fc));
		assert_int_equal(fw_match_fast_stage_switches(p.fc), fw_match_fast_stage_switches(again.fc));
		/* Lines with each literal, in either case, at the edges and cut short, with this stage. */
		for (size_t k = 0; k < N_STAGE_WORDS; k++) {
			int n = snprintf(line, sizeof line, "%s 42", stage_words[k]);

			for (int cut = n - 4; cut <= n; cut++)
				check_both(&p, &again, line, (size_t)cut);
			n = snprintf(line, sizeof line, "dd %s 7 ABCD", stage_words[k]);
			for (int j = 3; j < 3 + STAGE_WORD_LEN; j += 2)
				line[j] = (char)(line[j] - 'a' + 'A');
			check_both(&p, &again, line, (size_t)n);
		}
	}
	for (unsigned ph = 0; ph < 4; ph++)
		assert_true(stages[ph]);
	assert_int_equal(fw_match_fast_stage_switches(p.fc), 1);
	assert_true(p.hits > 100);
	/* Another engine's context has no stage. */
	assert_false(fw_match_fast_ctx_bucketed(p.rc));
	assert_int_equal(fw_match_fast_stage_switches(p.rc), 0);
	assert_false(fw_match_fast_ctx_bucketed(NULL));
	pair_close(&again);
	pair_close(&p);
}

/* ---- keys of a context byte before a short literal ---------------------- */

/*
 * Short literals that must follow a digit or one of two punctuation bytes
 * (their context), next to the stage test's words (so that a stream of
 * their pieces moves the context to the bucketed filter).
 */
static const char *const before_pats[] = {
	"\\d{5,}ms\\b", "\\d\\dkb\\b", "[=:]ok\\b", "\\d{3}MS\\b",
};

static void
open_before_kb(struct pair *p)
{
	struct kb_writer w;

	kbw_open(&w);
	add_stage_words(&w);
	for (size_t i = 0; i < sizeof before_pats / sizeof before_pats[0]; i++)
		kbw_add(&w, "before", &before_pats[i], 1, i == 1);
	pair_open_kb(p, kbw_load(&w));
}

/* Lines with the short literals after their context or not, at the edges, cut short. */
static void
check_before_lines(struct pair *p, struct pair *again)
{
	static const char *const lines[] = {
		"took 123456ms", "123456ms", "t=99999ms x", "12345ms5", "1234ms", "x 12345 ms", "ms 12345ms",
		"size 12kb", "size 12KB", "size 12Kb!", "2kb", "a12kbx 34kb", "s=ok", "s:ok;", "ok", "s=oky",
		"s= ok", "=ok=ok", "9MS", "123MS", "123ms 123MS", "x123MSx 999MS", "1ms2ms33ms444ms55555ms",
	};

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		size_t n = strlen(lines[i]);

		for (size_t cut = n > 4 ? n - 4 : 0; cut <= n; cut++)
			check_both(p, again, lines[i], cut);
	}
}

static void
test_before_keys(void **state)
{
	struct pair p, again;
	char line[256];
	unsigned long hits;
	bool bucketed = false;

	(void)state;
	stage_words_make();
	open_before_kb(&p);
	open_before_kb(&again);
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 4096, 4096), 0);
	assert_int_equal(fw_match_fast_adapt_schedule(again.fc, 4096, 4096), 0);
	check_before_lines(&p, &again);
	hits = p.hits;
	assert_true(hits >= 20);
	/* The literals' bytes are common, never after their contexts. */
	for (unsigned i = 0; i < 200; i++) {
		int n = snprintf(line, sizeof line, "%u items rms forms kbd kb ok okay MS AMS %u", i, i * 7);

		check_both(&p, &again, line, (size_t)n);
	}
	assert_true(fw_match_fast_rekeys(p.fc) >= 4);
	assert_int_equal(fw_match_fast_rekeys(p.fc), fw_match_fast_rekeys(again.fc));
	check_before_lines(&p, &again);
	assert_int_equal(p.hits - hits, hits);
	/* Then the stage test's phases, letters and noise, with those keys. */
	for (unsigned ph = 0; ph < 2; ph++) {
		size_t bytes = 0;

		for (unsigned i = 0; bytes < (40 << 10); i++) {
			size_t len = stage_line(line, sizeof line, i, ph == 0);

			check_both(&p, &again, line, len);
			bytes += len;
		}
		bucketed |= fw_match_fast_ctx_bucketed(p.fc);
		check_before_lines(&p, &again);
	}
	assert_true(bucketed);
	pair_close(&again);
	pair_close(&p);
}

/* ---- a stage chosen from the compiled index ----------------------------- */

/*
 * Five-byte literals of "abcd" in lines made of those letters only: every
 * pair of the literals is common, so the pair map stops nearly everywhere
 * and both bucketed filters are costed; their keys are as common as any
 * other window, so none moves and the context still runs from the compiled
 * index when the sample ends. The byte-before table is built into a new
 * index of the context's, next to the pair map's table; the plain filter,
 * costed on the compiled index, costs least. The context must run it from
 * an index that holds its table.
 */
static const char *const abcd_pats[] = { "abcca", "dacbd", "cbaad", "dddab" };

/* A line of len letters of "abcd" from x. */
static size_t
abcd_line(char *line, size_t len, struct xorshift *x)
{
	for (size_t i = 0; i < len; i++)
		line[i] = "abcd"[xorshift_below(x, 4)];
	return len;
}

static void
test_stage_from_compiled_index(void **state)
{
	struct xorshift x = { 0xab0dcafe5eedull };
	struct kb_writer w;
	struct pair p;
	char line[256];
	size_t bytes = 0;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof abcd_pats / sizeof abcd_pats[0]; i++)
		kbw_add(&w, "abcd", &abcd_pats[i], 1, false);
	pair_open_kb(&p, kbw_load(&w));
	assert_int_equal(fw_match_fast_ctx_stage(p.fc), 0);    /* the pair map */
	/* One sample of 8 KiB, no later one: the choice made at its end stays. */
	assert_int_equal(fw_match_fast_adapt_schedule(p.fc, 8192, 0), 0);
	while (bytes < 8192 + 2 * sizeof line) {
		size_t len = abcd_line(line, 40 + xorshift_below(&x, 200), &x);

		pair_check(&p, line, len, NULL);
		bytes += len;
	}
	assert_int_equal(fw_match_fast_rekeys(p.fc), 0);       /* still the compiled index's keys */
	assert_int_equal(fw_match_fast_ctx_stage(p.fc), 1);    /* the plain bucketed filter */
	assert_int_equal(fw_match_fast_stage_switches(p.fc), 1);
	/* Lines with the literals at the edges, whole and cut short, then more of the stream. */
	for (size_t i = 0; i < sizeof abcd_pats / sizeof abcd_pats[0]; i++) {
		int n = snprintf(line, sizeof line, "%s%s dd%sab %s", abcd_pats[i], "cab", abcd_pats[i],
				 abcd_pats[(i + 1) % 4]);

		for (int cut = 0; cut <= n; cut++)
			pair_check(&p, line, (size_t)cut, NULL);
	}
	for (unsigned i = 0; i < 200; i++)
		pair_check(&p, line, abcd_line(line, 40 + xorshift_below(&x, 200), &x), NULL);
	assert_true(p.hits > 100);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_window_moves),
		cmocka_unit_test(test_lookup_byte_moves),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_random_stream),
		cmocka_unit_test(test_lookups_scanned),
		cmocka_unit_test(test_scan_set_straddling_line),
		cmocka_unit_test(test_scan_set_random),
		cmocka_unit_test(test_triggers_moved),
		cmocka_unit_test(test_gates_moved),
		cmocka_unit_test(test_stage_switches),
		cmocka_unit_test(test_before_keys),
		cmocka_unit_test(test_stage_from_compiled_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
