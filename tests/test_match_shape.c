/*
 * test_match_shape: fixed-distance shapes (match_fast_shape.c).
 *  - what each pattern gives, written out, including the patterns that
 *    must give none because a part of them may take several bytes or
 *    none (UTF mode, alternation, optional parts, widening options);
 *  - a pattern's second shape: a line must hold both;
 *  - anchored shapes (a run right after a top-level ^ or \A): tested at
 *    the line's first byte alone, and what implies them;
 *  - soundness against PCRE2: lines made from one matching example per
 *    pattern by fixed-seed mutations; every line PCRE2 matches passes the
 *    pattern's shapes, and they turn lines away (or the test fails
 *    instead of passing vacuously);
 *  - the fast engine with shape-gated patterns (DFA members, patterns
 *    without a literal, weak literals) equals the reference engine on
 *    those lines.
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

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "match/match_fast_shape.h"
#include "match/regex_parse.h"
#include "match_pair.h"
#include "xorshift.h"

/* The shapes of pattern (caseless or not) as text, or "" when it has none. */
static void
shape_text(const char *pattern, bool caseless, char *buf, size_t len)
{
	struct fw_regex rx;
	struct fw_shapes s;
	int rc;

	memset(&rx, 0, sizeof rx);
	buf[0] = '\0';
	/* What the front end does not understand leaves a tree without a root: no shape. */
	rc = fw_regex_parse(&rx, pattern, strlen(pattern), caseless);
	assert_true(rc == 0 || rc == -ENOTSUP);
	if (fw_shapes_from_tree(&rx, &s))
		assert_true(fw_shapes_format(&s, buf, len) < len);
	fw_regex_free(&rx);
}

static const struct {
	const char *pattern;
	bool caseless;
	const char *shape;      /* "" for none */
} extract_cases[] = {
	/*
	 * \b is zero-width; .* ends the run; {5,} gives 5 on both sides. The
	 * best run's shape comes first, then the best other run's ("\d{5}"
	 * before "ms" is a run of its own, and the first implies it).
	 */
	{ "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* \\d{5,}ms\\b", false,
	  "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} and [0-9]{5}ms" },
	{ "took.* \\d{5,}ms\\b", false, "[0-9]{5}ms and to{2}k" },
	/* A run right after a top-level ^ is anchored at the line's start (written "^"). */
	{ "^[EF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ [a-z_]+\\.go:\\d+\\] [^ ]+ \\d{6,}$", false,
	  "^[EF][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}\\x20 and [_a-z]\\.go:[0-9]" },
	{ "\\AERROR-\\d{4}", false, "^ER{2}OR-[0-9]{4}" },
	{ "(?:^abc)-\\d{6}", false, "^abc-[0-9]{6}" },
	{ "^\\bfoo-\\d{6}\\b", false, "^fo{2}-[0-9]{6}" },
	{ "^[0-9a-f]{56}", false, "^[0-9a-f]{56}" },
	/* Not at the start: after (?m)^, after a part of any length, or a run that starts later. */
	{ "(?m)^ERROR-\\d{4}", false, "ER{2}OR-[0-9]{4}" },
	{ "^.*ERROR-\\d{4}", false, "ER{2}OR-[0-9]{4}" },
	{ "^(?:x)?ERROR-\\d{4}", false, "ER{2}OR-[0-9]{4}" },
	{ "^ +ERROR-\\d{4}", false, " ER{2}OR-[0-9]{4}" },
	{ "^ [0-9a-f]{56}", false, "[0-9a-f]{56}" },
	{ "^abc.*ERROR-\\d{4}", false, "ER{2}OR-[0-9]{4} and ^abc" },
	/* A blank is no byte to search for: the run of digits is found instead. */
	{ "^[A-Z][a-z]{2} +\\d+ [\\d:]+ [^ ]+ [a-z]+\\[\\d+\\]: [^ ]+ \\d{12}$", false,
	  "[0-9]{12} and [0-9]\\]:\\x20" },
	/* Caseless letters are searched for in either case; k and s end the run. */
	{ "took.* \\d{5,}ms\\b", true, "[0-9]{5}[Mm] and [Tt][Oo]{2}" },
	{ "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}.*\\bTIMEOUT\\b", true,
	  "[Tt][Ii][Mm][Ee][Oo][Uu][Tt] and [0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}" },
	/* A second run too weak for a shape of its own: one shape. */
	{ "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}.*ms", false, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}" },
	{ " \\d{3} ", false, "" },
	/* One class only: the run finder, at most FW_SHAPE_MAX long. */
	{ "\\b[0-9a-f]{56}\\b", false, "[0-9a-f]{56}" },
	{ "x[0-9a-f]{80}", false, "x[0-9a-f]{63}" },
	{ "\\w{20}", false, "[0-9A-Z_a-z]{20}" },
	{ "key \\b[0-9a-f]{20,64}\\b rejected", false, "[0-9a-f]{20} rejected and key [0-9a-f]{20}" },
	/* Caseless ASCII letters take both cases; other bytes stay fixed. */
	{ "ERROR-\\d{4}", true, "[Ee][Rr]{2}[Oo][Rr]-[0-9]{4}" },
	{ "(?i)ERROR-\\d{4}", false, "[Ee][Rr]{2}[Oo][Rr]-[0-9]{4}" },
	/* Groups of one branch continue the run, repeated ones too. */
	{ "(ab){3}(?:xyz)", false, "abababxyz" },
	{ "(?:ab|cd)efgh12345", false, "efgh12345" },
	{ "x(?:abc)?defghijkl", false, "defghijkl" },
	{ "(?<=abc)defghi", false, "defghi" },
	{ "abc\\Kdefg", false, "abcdefg" },
	/* A non-ASCII character is its UTF-8 bytes, unless caseless. */
	{ "\xc3\xa9-[0-9]{6}", false, "\\xc3\\xa9-[0-9]{6}" },
	{ "\xc3\xa9-[0-9]{6}", true, "-[0-9]{6}" },
	/* None: nothing fixed enough, or no byte is sure. */
	{ "a.b.c.d.e", false, "" },
	{ "\\d+:\\d+:\\d+", false, "" },
	{ "[^x]{20}", false, "" },
	{ "kkkkssss", true, "" },
	{ "[ks]{12}", true, "" },
	{ "foo|barbazquux", false, "" },
	{ "(*UCP)\\d{20}", false, "" },
	{ "[\xc3\xa9" "a]{10}", false, "" },
	{ "\\N{12}", false, "" },
	{ "(?:abcdefgh)?", false, "" },
	{ "\\p{Lu}{12}", false, "" },
	{ "(?:[0-9a-f]{4}){0,9}", false, "" },
	/*
	 * At and past each limit. FW_SHAPE_SETS classes are kept; a ninth ends
	 * the shape, and before any fixed byte leaves none to search for: the
	 * longest run of one class stands instead, or no shape.
	 */
	{ "[ab][cd][ef][gh][ij][lm][no][pq]-", false, "[ab][cd][ef][gh][ij][lm][no][pq]-" },
	{ "[ab][cd][ef][gh][ij][lm][no][pq][rt]-", false, "" },
	{ "-[ab][cd][ef][gh][ij][lm][no][pq][rt]", false, "-[ab][cd][ef][gh][ij][lm][no][pq]" },
	{ "[ab][cd][ef][gh][ij][lm][no][pq]X[rt]", false, "[ab][cd][ef][gh][ij][lm][no][pq]X" },
	{ "\\d{6}[ab][cd][ef][gh][ij][lm][no][pq]-", false, "[0-9]{6}" },
	/* FW_SHAPE_MAX positions; a fixed byte past them is not kept. */
	{ "[0-9a-f]{64}", false, "[0-9a-f]{64}" },
	{ "[0-9a-f]{65}", false, "[0-9a-f]{64}" },
	{ "[0-9a-f]{70}-", false, "[0-9a-f]{64}" },
	{ "[0-9]{60}[a-f]{10}-", false, "[0-9]{60}" },
};

static void
test_extract(void **state)
{
	char buf[512];
	unsigned wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof extract_cases / sizeof extract_cases[0]; i++) {
		shape_text(extract_cases[i].pattern, extract_cases[i].caseless, buf, sizeof buf);
		if (strcmp(buf, extract_cases[i].shape) != 0) {
			print_error("%s: shape \"%s\", expected \"%s\"\n", extract_cases[i].pattern, buf,
				    extract_cases[i].shape);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

/* The shapes of pattern (caseless or not), which must have n of them. */
static void
shapes_of(const char *pattern, bool caseless, struct fw_shapes *s, int n)
{
	struct fw_regex rx;

	memset(&rx, 0, sizeof rx);
	assert_int_equal(fw_regex_parse(&rx, pattern, strlen(pattern), caseless), 0);
	assert_int_equal(fw_shapes_from_tree(&rx, s), n);
	fw_regex_free(&rx);
}

static bool
shapes_in_str(const struct fw_shapes *s, const char *line)
{
	return fw_shapes_in(s, (const unsigned char *)line, strlen(line));
}

/* A KB of pattern alone: both engines agree on lines[0..n), and hits of them match. */
static void
engines_agree(const char *pattern, const char *const *lines, size_t n, unsigned hits)
{
	const char *pp[1] = { pattern };
	struct kb_writer w;
	struct pair p;

	kbw_open(&w);
	kbw_add(&w, "shape", pp, 1, false);
	pair_open_kb(&p, kbw_load(&w));
	for (size_t i = 0; i < n; i++)
		pair_check_str(&p, lines[i]);
	assert_int_equal(p.hits, hits);
	pair_close(&p);
}

static void
test_implies(void **state)
{
	static const char *const pats[] = { "\" 5\\d\\d \\d{6,}", "\" 5\\d\\d \\d{8,}", "\" 5\\d\\d [0-9a-f]{8}",
					    "x\" 5\\d\\d \\d{6}" };
	struct fw_shapes s[4], two, other, longer;

	(void)state;
	for (size_t i = 0; i < 4; i++)
		shapes_of(pats[i], false, &s[i], 1);
	assert_true(fw_shape_implies(&s[1].part[0], &s[0].part[0]));    /* 8 digits: 6 digits */
	assert_false(fw_shape_implies(&s[0].part[0], &s[1].part[0]));
	assert_true(fw_shape_implies(&s[0].part[0], &s[0].part[0]));
	assert_true(fw_shape_implies(&s[0].part[0], &s[2].part[0]) == false);   /* hex is wider than digits */
	assert_true(fw_shape_implies(&s[2].part[0], &s[0].part[0]) == false);
	assert_true(fw_shape_implies(&s[3].part[0], &s[0].part[0]));    /* at an offset */
	/* Two shapes imply each of theirs alone, and what one of them implies; not the other way. */
	shapes_of("\" 5\\d\\d \\d{8,}.*request_id=[0-9a-f]{16}", false, &two, 2);
	shapes_of("request_id=[0-9a-f]{16}", false, &other, 1);
	shapes_of("request_id=[0-9a-f]{20}", false, &longer, 1);
	assert_true(fw_shapes_implies(&two, &s[1]));
	assert_true(fw_shapes_implies(&two, &s[0]));
	assert_true(fw_shapes_implies(&two, &other));
	assert_true(fw_shapes_implies(&two, &two));
	assert_false(fw_shapes_implies(&s[1], &two));
	assert_false(fw_shapes_implies(&other, &two));
	assert_true(fw_shapes_implies(&two, &s[2]));    /* digits are hex digits */
	assert_false(fw_shapes_implies(&two, &longer));
}

/*
 * An anchored shape stands at the line's first byte: found there only; it
 * implies the same shape anywhere, and is implied by an anchored shape
 * that starts with it, not by one found anywhere.
 */
static void
test_anchored(void **state)
{
	static const char pat[] = "^ERROR-\\d{4} ";
	static const char *const lines[] = { "ERROR-1234 x", "ERROR-12 x ERROR-1234 y", " ERROR-1234 x",
					     "ERROR-1234", "error-1234 x" };
	static const bool in[] = { true, false, false, false, false };
	struct fw_shapes a, un, longer, inner, cl;

	(void)state;
	shapes_of(pat, false, &a, 1);
	assert_true(fw_shape_anchored(&a.part[0]));
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_int_equal(shapes_in_str(&a, lines[i]), in[i]);
	shapes_of("ERROR-\\d{4} ", false, &un, 1);
	shapes_of("^ERROR-\\d{4} fatal", false, &longer, 1);
	shapes_of("^RROR-\\d{4} ", false, &inner, 1);
	assert_false(fw_shape_anchored(&un.part[0]));
	assert_true(fw_shape_implies(&a.part[0], &un.part[0]));
	assert_false(fw_shape_implies(&un.part[0], &a.part[0]));
	assert_true(fw_shape_implies(&longer.part[0], &a.part[0]));
	assert_false(fw_shape_implies(&a.part[0], &longer.part[0]));
	/* "RROR-" stands in "ERROR-", but not at the line's start. */
	assert_false(fw_shape_implies(&a.part[0], &inner.part[0]));
	/* Caseless, the letters take either case at the start too. */
	shapes_of(pat, true, &cl, 1);
	assert_true(fw_shape_anchored(&cl.part[0]));
	assert_true(shapes_in_str(&cl, "eRrOr-1234 x"));
	assert_false(shapes_in_str(&cl, "x eRrOr-1234 x"));
	/* Both engines agree where the shape stands later in the line. */
	engines_agree(pat, lines, sizeof lines / sizeof lines[0], 1);
}

/*
 * A line must hold both shapes: one holding the first alone (a UUID, but
 * no five-digit duration after it) is turned away, by both engines.
 */
static void
test_both_parts(void **state)
{
	static const char pat[] = "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* \\d{5,}ms\\b";
	static const char *const lines[] = {
		"req 0a1b2c3d-4e5f-6789-abcd-ef0123456789 took 12ms",           /* the first shape alone */
		"req 0a1b2c3d-4e5f-6789-abcd-ef0123456789 took 123456ms",       /* both: matches */
		"req 0a1b2c3d-4e5f-6789-abcd-ef01234567 took 123456ms",         /* the second alone */
		"took 123456ms for 0a1b2c3d-4e5f-6789-abcd-ef0123456789",       /* both, in the other order */
	};
	static const bool first[] = { true, true, false, true }, both[] = { false, true, false, true };
	struct fw_shapes s;

	(void)state;
	shapes_of(pat, false, &s, 2);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		assert_int_equal(fw_shape_in(&s.part[0], (const unsigned char *)lines[i], strlen(lines[i])), first[i]);
		assert_int_equal(shapes_in_str(&s, lines[i]), both[i]);
	}
	/* Caseless, the second shape ("\d{5}[Mm]") is searched for by its m in either case. */
	shapes_of(pat, true, &s, 2);
	assert_int_equal(s.part[1].fold, 0x20);
	assert_true(shapes_in_str(&s, "0A1B2C3D-4E5F-6789-ABCD-EF0123456789 123456MS"));
	assert_true(shapes_in_str(&s, "0a1b2c3d-4e5f-6789-abcd-ef0123456789 123456mS"));
	assert_false(shapes_in_str(&s, "0A1B2C3D-4E5F-6789-ABCD-EF0123456789 12MS 1234M"));
	engines_agree(pat, lines, sizeof lines / sizeof lines[0], 1);
}

/* A pattern with a shape and a line it matches, the seed of its mutations. */
static const struct {
	const char *pattern;
	bool caseless;
	const char *example;
} sound_cases[] = {
	{ "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* \\d{5,}ms\\b", false,
	  "ts=1 req 0a1b2c3d-4e5f-6789-abcd-ef0123456789 done duration= 123456ms" },
	{ "^[EF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} +\\d+ [a-z_]+\\.go:\\d+\\] [^ ]+ \\d{6,}$", false,
	  "E0412 10:11:12.123456   42 sync_pod.go:99] x 1234567" },
	{ "\\b[0-9a-f]{24}\\b", false, "key 0123456789abcdef01234567 end" },
	{ "key \\b[0-9a-f]{20,64}\\b rejected", false, "auth: key 0123456789abcdef0123abcd rejected" },
	{ "ERROR-\\d{4}", true, "x error-1234 y" },
	{ "\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b.* \\d{5,}ms\\b", true,
	  "REQ 0A1B2C3D-4e5f-6789-ABCD-ef0123456789 TOOK 123456Ms" },
	{ "took.* \\d{5,}ms\\b", true, "It TOOK 12345MS" },
	{ "\xc3\xa9t\xc3\xa9-[0-9]{6}", false, "r \xc3\xa9t\xc3\xa9-123456 r" },
	{ "\xc3\xa9-[0-9]{6}", true, "r \xc3\x89-123456 r" },
	{ "(ab){3}(?:xyz)\\d{2,}", false, "--abababxyz42--" },
	{ "(?<=\\[)\\d{3}\\.\\d{3}\\]", false, "at [123.456] ok" },
	{ "\\d{2,}:\\d{2}:\\d{2,}", false, "t 1234:56:789" },
	{ "x{3,5}-y{2}-\\d{3}$", false, "axxxxx-yy-123" },
	{ "[ab][cd][ef][gh][ij][lm][no][pq]X[rt]", false, "-- acegilnpXr --" },
	{ "-[ab][cd][ef][gh][ij][lm][no][pq][rt]", false, "-- -acegilnpr --" },
	/* Anchored: a byte inserted or cut at the start moves the shape from the line's first byte. */
	{ "\\AERROR-\\d{4}\\b", false, "ERROR-1234 disk" },
	{ "(?:^abc)-\\d{6}", true, "ABC-123456 x" },
	{ "^[0-9a-f]{24}\\b", false, "0123456789abcdef01234567 end" },
	{ "^\\[\\d{2}:\\d{2}\\] .*\\bfailed (?:\\d+) times", false, "[12:34] sync failed 3 times" },
};

/* Bytes a mutation writes: the patterns' own, and some that break UTF-8. */
static const char alphabet[] = "0123456789abcdefABCDEFxyz-:. ]\\[mskKMSO\xc3\xa9\x89\xff";

/* A mutation of example into out (cap bytes): a few bytes changed, inserted, cut. */
static size_t
mutate(struct xorshift *x, const char *example, char *out, size_t cap)
{
	size_t n = strlen(example);
	unsigned edits = xorshift_below(x, 4);

	memcpy(out, example, n);
	for (unsigned e = 0; e < edits; e++) {
		unsigned kind = xorshift_below(x, 4);
		char b = alphabet[xorshift_below(x, sizeof alphabet - 1)];
		size_t at = n ? xorshift_below(x, (uint32_t)n) : 0;

		if (kind == 0 && n) {
			out[at] = b;
		} else if (kind == 1 && n + 1 < cap) {
			memmove(out + at + 1, out + at, n - at);
			out[at] = b;
			n++;
		} else if (kind == 2 && n) {
			memmove(out + at, out + at + 1, n - at - 1);
			n--;
		} else if (n) {
			n = at + (n - at) / 2;  /* cut the end */
		}
	}
	return n;
}

static void
test_sound(void **state)
{
	struct xorshift x = { 0x5a17e5a9e0f1c3d7u };
	char line[256];

	(void)state;
	for (size_t i = 0; i < sizeof sound_cases / sizeof sound_cases[0]; i++) {
		const char *pat = sound_cases[i].pattern;
		struct fw_regex rx;
		struct fw_shapes s;
		pcre2_code *code;
		pcre2_match_data *md;
		int err;
		PCRE2_SIZE off;
		unsigned matched = 0, turned_away = 0;

		memset(&rx, 0, sizeof rx);
		assert_int_equal(fw_regex_parse(&rx, pat, strlen(pat), sound_cases[i].caseless), 0);
		if (!fw_shapes_from_tree(&rx, &s))
			fail_msg("%s: no shape", pat);
		fw_regex_free(&rx);
		code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
				     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
					     (sound_cases[i].caseless ? PCRE2_CASELESS : 0),
				     &err, &off, NULL);
		assert_non_null(code);
		md = pcre2_match_data_create_from_pattern(code, NULL);
		assert_non_null(md);
		for (unsigned k = 0; k < 4000; k++) {
			size_t n = mutate(&x, sound_cases[i].example, line, sizeof line);
			bool in = fw_shapes_in(&s, (const unsigned char *)line, n);

			if (pcre2_match(code, (PCRE2_SPTR)line, n, 0, 0, md, NULL) >= 0) {
				matched++;
				if (!in)
					fail_msg("%s: line \"%.*s\" matches but fails its shape", pat, (int)n, line);
			}
			turned_away += !in;
		}
		if (!matched || !turned_away)
			fail_msg("%s: %u lines matched, %u turned away: the test proves nothing", pat, matched,
				 turned_away);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
}

static void
test_engines(void **state)
{
	struct xorshift x = { 0x2c0ffee5eedu };
	struct kb_writer w;
	struct pair p;
	char line[256], buf[256];
	unsigned gated = 0;

	(void)state;
	kbw_open(&w);
	for (size_t i = 0; i < sizeof sound_cases / sizeof sound_cases[0]; i++) {
		const char *pp[1] = { sound_cases[i].pattern };

		kbw_add(&w, "shape", pp, 1, sound_cases[i].caseless);
	}
	/* The same again: equal patterns in other records follow their first. */
	for (size_t i = 0; i < 3; i++) {
		const char *pp[1] = { sound_cases[i].pattern };

		kbw_add(&w, "shape", pp, 1, sound_cases[i].caseless);
	}
	pair_open_kb(&p, kbw_load(&w));
	for (uint32_t i = 0; i < p.kb->n_patterns; i++)
		gated += fw_match_fast_shape(p.fast, i, buf, sizeof buf) > 0;
	/* Most of them are gated by a shape, or the test proves little. */
	assert_true(gated >= p.kb->n_patterns / 2);
	assert_int_equal(fw_match_fast_shape(p.ref, 0, buf, sizeof buf), -EINVAL);
	for (unsigned k = 0; k < 20000; k++) {
		size_t i = xorshift_below(&x, sizeof sound_cases / sizeof sound_cases[0]);
		size_t n = mutate(&x, sound_cases[i].example, line, sizeof line);

		pair_check(&p, line, n, NULL);
	}
	assert_true(p.hits > 0);
	pair_close(&p);
}

/*
 * More classes than a shape holds before its first fixed byte: whatever
 * shape is kept passes a line the pattern matches, and both engines agree.
 */
static void
test_nine_classes(void **state)
{
	static const char pat[] = "[ab][cd][ef][gh][ij][lm][no][pq][rt]-";
	static const char line[] = "xx acegilnpr- yy";
	const char *line_p = line;
	struct fw_regex rx;
	struct fw_shapes s;

	(void)state;
	memset(&rx, 0, sizeof rx);
	assert_int_equal(fw_regex_parse(&rx, pat, strlen(pat), false), 0);
	if (fw_shapes_from_tree(&rx, &s))
		assert_true(shapes_in_str(&s, line));
	fw_regex_free(&rx);
	engines_agree(pat, &line_p, 1, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_implies),
		cmocka_unit_test(test_anchored),
		cmocka_unit_test(test_both_parts),
		cmocka_unit_test(test_sound),
		cmocka_unit_test(test_engines),
		cmocka_unit_test(test_nine_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
