/*
 * regex_parse: the one front end of the matcher. Reads a PCRE2 pattern
 * (compiled with PCRE2_UTF, without UCP) once into a syntax tree that the
 * literal analysis and the lazy DFA both walk.
 *
 * Guarantees:
 *  - the tree means what PCRE2 means for everything it models exactly:
 *    literal characters (with their caseless flag, Unicode folding left to
 *    the consumer), ".", classes (ASCII members as a 256-bit set and what
 *    they take outside ASCII), groups, alternation, quantifiers with their
 *    greed, anchors, \b and \B; the inline options i s m x are applied to
 *    what they scope, and leave no node except where they ended a run of
 *    text (an FW_RX_EMPTY node);
 *  - what no consumer models (backreferences, lookarounds, \K, \G,
 *    \R \X \h \v \N, POSIX classes) is an FW_RX_OPAQUE node, flagged
 *    zero-width or not, so that the rest of the pattern is still known;
 *  - fw_regex_parse() never returns 0 for a pattern PCRE2 refuses to
 *    compile, and returns -EINVAL only for patterns PCRE2 refuses. What it
 *    is not sure of (recursion, conditionals, callouts, verbs, \Q in odd
 *    places, PCRE2-version-dependent syntax) gives -ENOTSUP: the caller
 *    then knows nothing about the pattern, which is always safe.
 */
#ifndef FW_REGEX_PARSE_H
#define FW_REGEX_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_RX_NONE UINT32_MAX   /* no node; no code point */
#define FW_RX_INF UINT32_MAX    /* unbounded repeat */

enum fw_rx_kind {
	FW_RX_EMPTY,            /* the empty string: (?#...), (?i), an empty branch's place */
	FW_RX_CHAR,             /* one code point (cp); FW_RX_F_CASELESS */
	FW_RX_TEXT,             /* len code points in sequence (fw_rx_text()); FW_RX_F_CASELESS */
	FW_RX_CLASS,            /* a character class, \d \w \s and their negations */
	FW_RX_ANY,              /* "."; FW_RX_F_DOTALL when it also takes "\n" */
	FW_RX_START,            /* ^ (not multiline), \A */
	FW_RX_END,              /* \z */
	FW_RX_END_NL,           /* $ (not multiline), \Z: the end or before a final newline */
	FW_RX_LINE_START,       /* ^ under (?m) */
	FW_RX_LINE_END,         /* $ under (?m) */
	FW_RX_WORDB,            /* \b; \B with FW_RX_F_NEGATED */
	FW_RX_CAT,              /* children in sequence */
	FW_RX_ALT,              /* children are the branches (each an FW_RX_CAT) */
	FW_RX_GROUP,            /* child: an FW_RX_ALT; FW_RX_F_CAPTURE, FW_RX_F_ATOMIC */
	FW_RX_REPEAT,           /* child repeated min..max times (max FW_RX_INF); greed */
	FW_RX_OPAQUE,           /* not modelled; FW_RX_F_ZERO_WIDTH when it consumes nothing */
				/* a lookaround: FW_RX_F_ZERO_WIDTH and a child (an FW_RX_ALT), with
				 * FW_RX_F_NEGATED for (?! and (?<!, FW_RX_F_BEHIND for (?<= and (?<! */
};

enum {
	FW_RX_F_CASELESS = 1,
	FW_RX_F_NEGATED = 2,
	FW_RX_F_DOTALL = 4,
	FW_RX_F_CAPTURE = 8,
	FW_RX_F_ATOMIC = 16,
	FW_RX_F_ZERO_WIDTH = 32,
	FW_RX_F_BEHIND = 64,
};

enum fw_rx_greed { FW_RX_GREEDY, FW_RX_LAZY, FW_RX_POSSESSIVE };

/* What a class takes outside ASCII (PCRE2 without UCP: \d \w \s are ASCII). */
enum fw_rx_nonascii {
	FW_RX_NA_NONE,          /* nothing */
	FW_RX_NA_FOLD,          /* only the Unicode case partners of its ASCII letters (k, s) */
	FW_RX_NA_LISTED,        /* some characters listed in it (not modelled as bytes) */
	FW_RX_NA_ALL_BUT,       /* everything except some (a negated class) */
	FW_RX_NA_ALL,           /* every character >= U+0080 */
};

/* Bytes 0..255; a class only ever sets 0..127 (its ASCII members). */
struct fw_rx_bytes {
	uint64_t w[4];
};

static inline bool
fw_rx_bytes_has(const struct fw_rx_bytes *s, unsigned b)
{
	return (s->w[b >> 6] >> (b & 63)) & 1u;
}

static inline void
fw_rx_bytes_add(struct fw_rx_bytes *s, unsigned b)
{
	s->w[b >> 6] |= (uint64_t)1 << (b & 63);
}

/* The number of bytes in s. */
static inline unsigned
fw_rx_bytes_count(const struct fw_rx_bytes *s)
{
	return (unsigned)(__builtin_popcountll(s->w[0]) + __builtin_popcountll(s->w[1]) +
			  __builtin_popcountll(s->w[2]) + __builtin_popcountll(s->w[3]));
}

/* A word byte for \b and \B: ASCII letters, digits, '_' (PCRE2 without UCP). */
static inline bool
fw_rx_word_byte(unsigned b)
{
	return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_';
}

/*
 * Unquantified literal characters in a row with the same flags are one
 * TEXT node (never a CHAR after a CHAR or a TEXT): most of a log
 * signature is literal text, and its consumers walk it as one run.
 *
 * Each item of a branch (a child of an FW_RX_CAT) knows the bytes of the
 * pattern it was read from: a REPEAT with its quantifier, a TEXT from its
 * first character to its last, a group from "(" to ")". The pattern cut
 * at the end of an item is the pattern's items up to that one (white
 * space and comments under (?x), and the "\E" that ends a quotation, go
 * with the item before them), so a consumer that needs a prefix of a
 * pattern takes it from the tree, not from its own reading of the text.
 */
struct fw_rx_node {
	uint8_t kind;           /* enum fw_rx_kind */
	uint8_t flags;          /* FW_RX_F_* */
	uint8_t nonascii;       /* CLASS: enum fw_rx_nonascii */
	uint8_t greed;          /* REPEAT: enum fw_rx_greed */
	uint32_t cp;            /* CHAR; CLASS: its one member if it lists one only, else FW_RX_NONE */
	uint32_t min, max;      /* REPEAT */
	uint32_t child, next;   /* first child; next sibling (FW_RX_NONE) */
	uint32_t at;            /* CLASS: its set in sets[]; TEXT: its first code point in text[] */
	uint32_t len;           /* TEXT: its code points; other atoms: bytes of their pattern text */
	uint32_t src_off, src_end; /* an item of a branch: its pattern bytes [src_off, src_end) */
};

/* One parsed pattern. Owns its arrays; fw_regex_free() releases them. */
struct fw_regex {
	struct fw_rx_node *nodes;
	uint32_t n_nodes, cap_nodes;
	struct fw_rx_bytes *sets;  /* CLASS: ASCII members, case-folded when caseless */
	uint32_t n_sets, cap_sets;
	uint32_t *text;            /* TEXT: code points */
	uint32_t n_text, cap_text;
	uint32_t root;          /* an FW_RX_ALT */
	size_t options_len;     /* bytes of leading start-of-pattern options */
	bool options_widen;     /* one of them (UCP, newline, \R) can widen what matches */
	size_t err_off;         /* -EINVAL / -ENOTSUP: offset in the pattern */
	const char *err;        /* and what is wrong or unsupported there */
};

static inline const struct fw_rx_bytes *
fw_rx_class_set(const struct fw_regex *rx, const struct fw_rx_node *x)
{
	return &rx->sets[x->at];
}

static inline const uint32_t *
fw_rx_text(const struct fw_regex *rx, const struct fw_rx_node *x)
{
	return &rx->text[x->at];
}

/*
 * The start-of-pattern options at the head of pattern[0..len) ((*NO_JIT),
 * (*LIMIT_MATCH=1000), (*UCP), ...: items PCRE2 accepts only there, each
 * applying to its own pattern alone). Returns their length in bytes (0 if
 * none); *widens as in struct fw_regex. An unknown (*NAME) ends the run.
 */
size_t fw_regex_start_options(const char *pattern, size_t len, bool *widens);

/*
 * Parses pattern[0..len) (caseless: PCRE2_CASELESS for the whole pattern)
 * into rx. 0; -EINVAL (PCRE2 would refuse it), -ENOTSUP (not understood),
 * both with rx->err and rx->err_off set; -ENOMEM. rx must be freed in
 * every case.
 */
int fw_regex_parse(struct fw_regex *rx, const char *pattern, size_t len, bool caseless);
void fw_regex_free(struct fw_regex *rx);

/* The first of the items of a pattern of one branch; FW_RX_NONE when it has none or several branches. */
uint32_t fw_regex_items(const struct fw_regex *rx);

/*
 * Whether node x of a and node y of b are the same, children included
 * (kind, flags, characters, class members, counts, greed), and with
 * siblings, each of their next siblings in turn to the end of both runs.
 * Pattern text lengths are not compared, nor what an FW_RX_OPAQUE node
 * stands for: two trees parsed from the same bytes up to a cut are told
 * apart by what that cut changed, which is what callers ask.
 */
bool fw_regex_same_nodes(const struct fw_regex *a, uint32_t x, const struct fw_regex *b, uint32_t y,
			 bool siblings);

/*
 * The fewest bytes of subject any match of node x takes (x = rx->root: of
 * the pattern; FW_RX_NONE, a tree the front end did not understand: 0), a
 * lower bound that holds in UTF-8 and in the ASCII-only code of a pattern:
 * a character takes its UTF-8 bytes, but a caseless one outside ASCII
 * only one (U+212A matches "k"); a class, "." and what the tree does not
 * model (a backreference may be empty) take what is surely fewest; an
 * anchor, \b and a lookaround none. A line shorter than this holds no
 * match. Saturates at UINT32_MAX.
 */
uint32_t fw_regex_min_bytes(const struct fw_regex *rx, uint32_t x);

#endif
