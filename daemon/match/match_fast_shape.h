/*
 * match_fast_shape: fixed-distance shapes, a cheap gate for patterns whose
 * literals filter little (DFA members) or that have none.
 *
 * A shape is a run of single-byte items every match of a pattern contains
 * at fixed distances from each other: literal bytes, ASCII classes and
 * exact repeats of them, e.g. the UUID "[0-9a-f]{8}-[0-9a-f]{4}-...". A
 * line passes a shape when some position satisfies each byte and class of
 * it. It is found by memchr() on its rarest fixed byte (by class, as in
 * match_fast_rank.c: no corpus statistics), or a search for a caseless
 * letter in either case, the rest checked by class bitmaps; a shape of
 * one class alone ("[0-9a-f]{56}") by a run finder that skips by the
 * run's length. A run that starts a pattern anchored at the subject's
 * start (a top-level ^ without (?m), or \A, with nothing before it that
 * takes a byte) gives an anchored shape, tested at the line's first byte
 * alone.
 *
 * Guarantee: every line PCRE2 matches the pattern in passes its shape.
 * What may take more than one byte in UTF mode (".", a negated class, a
 * class with non-ASCII members, caseless k and s, caseless non-ASCII text)
 * ends a run, as do alternation, optional and unbounded parts; zero-width
 * items (anchors, \b, lookarounds) are skipped. A pattern whose options
 * widen what matches (UCP, newline conventions) has none.
 */
#ifndef FW_MATCH_FAST_SHAPE_H
#define FW_MATCH_FAST_SHAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/regex_parse.h"

#define FW_SHAPE_MAX 64         /* positions kept of a longer run */
#define FW_SHAPE_SETS 8         /* distinct classes of more than one byte in one shape */
#define FW_SHAPE_RUN 0xff       /* find: a run of one class, no fixed byte */
#define FW_SHAPE_AT 0xfe        /* find: anchored at the line's first byte, tested there only */
#define FW_SHAPE_NONE UINT32_MAX

/* Plain data: copied and freed with its array. */
struct fw_shape {
	uint8_t len;                    /* positions */
	uint8_t find;                   /* the position searched for, FW_SHAPE_RUN (one class) or FW_SHAPE_AT */
	unsigned char byte;             /* the byte at find (a letter's lower case when fold) */
	uint8_t fold;                   /* 0x20: a caseless letter at find, searched for in either case */
	uint8_t score;                  /* rough bits of information (for the choice) */
	uint8_t bit[FW_SHAPE_MAX];      /* per position: its class's bit in in[], 0 for a fixed byte */
	unsigned char fixed[FW_SHAPE_MAX];      /* per position: its fixed byte */
	uint8_t in[256];                /* per byte: bits of the classes it is in */
};

/* Whether s is anchored: it stands at the line's first byte in every match. */
static inline bool
fw_shape_anchored(const struct fw_shape *s)
{
	return s->find == FW_SHAPE_AT;
}

/*
 * Below this score a shape filters about as much as a short literal: it
 * is not worth a gate.
 */
#define FW_SHAPE_MIN_SCORE 12

/*
 * A pattern's gate: up to FW_SHAPE_PARTS shapes of different runs of it,
 * the most informative first. Every match holds each of them, so a line
 * passes only where all occur: where the first is common in the text (a
 * UUID before ".* \d{5,}ms"), the second still turns the line away. The
 * second is tested only where the first passed.
 */
#define FW_SHAPE_PARTS 2

/* Plain data, compared with memcmp(): made by fw_shapes_from_tree() only. */
struct fw_shapes {
	uint8_t n;                      /* 1 .. FW_SHAPE_PARTS */
	struct fw_shape part[FW_SHAPE_PARTS];
};

/*
 * The shapes of the pattern rx into *out (zeroed first): its best run's,
 * then the best of another run that the first does not imply. Returns
 * how many (out->n), 0 when it has none scoring FW_SHAPE_MIN_SCORE or
 * more.
 */
int fw_shapes_from_tree(const struct fw_regex *rx, struct fw_shapes *out);

/*
 * Whether every line that passes shape b passes shape a (a is b's, or a
 * part of it, with classes as wide or wider): a gate testing either of
 * them needs only a. An anchored a is implied by an anchored b only, at
 * b's start; an anchored b implies an unanchored a anywhere in it.
 */
bool fw_shape_implies(const struct fw_shape *b, const struct fw_shape *a);

/* Whether line[0..len) passes shape s (see above). */
bool fw_shape_in(const struct fw_shape *s, const unsigned char *line, size_t len);

/* Whether line[0..len) passes every shape of s, in their order (most lines stop at the first). */
static inline bool
fw_shapes_in(const struct fw_shapes *s, const unsigned char *line, size_t len)
{
	_Static_assert(FW_SHAPE_PARTS == 2, "fw_shapes_in() tests at most two shapes");
	return fw_shape_in(&s->part[0], line, len) && (s->n < 2 || fw_shape_in(&s->part[1], line, len));
}

/*
 * Whether every line that passes all of b passes all of a: each shape of
 * a is implied by one of b.
 */
bool fw_shapes_implies(const struct fw_shapes *b, const struct fw_shapes *a);

/*
 * s as text, written like a regex ("[0-9a-f]{8}-[0-9a-f]{4}", "^\[UFW"
 * when anchored), into buf (len bytes, always terminated). Returns the
 * length it needs, like snprintf().
 */
size_t fw_shape_format(const struct fw_shape *s, char *buf, size_t len);
/* The shapes of s the same way, joined by " and ". */
size_t fw_shapes_format(const struct fw_shapes *s, char *buf, size_t len);

#endif
