/*
 * match_fast_int: the fast engine's compiled data and the helpers its
 * build (match_fast_build.c, match_fast_rank.c), its scan (match_fast.c)
 * and its report (match_fast_report.c) share. Internal to those files.
 */
#ifndef FW_MATCH_FAST_INT_H
#define FW_MATCH_FAST_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "match/dfa.h"
#include "match/match.h"
#include "match/match_engine.h"
#include "match/match_fast_fdr.h"
#include "match/match_fast_shape.h"
#include "match/regex_parse.h"

#define KEY_MAX 4
#define FACTORS_MAX 4

struct fp_ref {
	uint32_t pattern;
	uint8_t bit;            /* which of the pattern's factors this literal is */
};

struct fp_lit {
	unsigned char *bytes;   /* folded when caseless */
	uint32_t len;
	bool caseless;
	bool dfa_gate;          /* the first factor of some DFA member: seeing it runs the DFA */
	bool outside_dfa;       /* a factor of some pattern the DFA does not check */
	uint32_t find;          /* looked up by searching for this byte of it (FP_FIND_WALK: by walking) */
	uint32_t first_ref, n_refs;     /* patterns it is the first factor of (not DFA members) */
	uint32_t ctx;           /* what must stand around it (in fast.ctxs), or FP_CTX_NONE */
	/* A window it shares with other looked-up literals (in fast.anchors), or FP_ANCHOR_NONE. */
	uint32_t anchor;
	uint32_t anchor_off;    /* where that window starts in it */
	uint32_t anchor_set;    /* the set of its anchor's literals it is in (fast.anchor_sets) */
};

#define FP_CTX_NONE UINT32_MAX
#define FP_ANCHOR_NONE UINT32_MAX
/* An anchor's length: the window that literals looked up on demand share. */
#define FP_ANCHOR_LEN 4

#define FP_DECIDE_NONE UINT32_MAX

/*
 * Literals the scan looks for in every context; the others are searched
 * for on demand, unless a context scans for some of them too (its keys).
 */
static inline bool
fp_lit_scanned(const struct fp_lit *l)
{
	return l->n_refs || l->dfa_gate;
}

struct fp_occ {
	uint32_t lit;
	/* head_off - back: where the head starts, from the byte after the key's end */
	int32_t head_at;
	uint32_t back;          /* the key's offset + length: the literal starts this far before its end */
	/*
	 * Eight bytes of the literal from head_off (folded when caseless; 0xff
	 * past the end of a shorter one), and 0x20 at each of their letters
	 * when caseless (0xff past the end), so that (line bytes | head_fold)
	 * == head tests them in one comparison: most windows that only share
	 * the key are turned away there, and a literal of FP_HEAD_LEN bytes or
	 * fewer needs no other comparison. At most UINT16_MAX: a longer
	 * literal's head is its first bytes.
	 */
	uint16_t head_off;
	/*
	 * How many of the occurrences that follow in the slot have the same
	 * bytes, length and case mode, and the same back (so the same head
	 * there): literals that differ only in their contexts, a family of
	 * signatures around one text. A probe tests their head and verifies
	 * their rest once for all of them. The build's deduplication sorts
	 * literals by their bytes, so they lie next to each other.
	 */
	uint16_t same;
	uint64_t head;
	uint64_t head_fold;
};

#define FP_HEAD_LEN 8

/*
 * A key and its literals, idx->occs[first_occ .. first_occ + n_occ). Where
 * the key ends at end - 1 with end >= back_max and end + head_end <= the
 * line's length, every literal of the slot starts in the line and every
 * head lies in it: a probe then tests the heads without a bound each.
 * back_max FP_SLOT_FAR: some literal reaches farther than these fields say.
 */
struct fp_slot {
	uint32_t key;
	uint8_t klen;           /* 0: empty slot */
	uint8_t back_max;       /* the largest back of its literals */
	int16_t head_end;       /* the largest head_at + FP_HEAD_LEN of its literals, or 0 */
	uint32_t first_occ, n_occ;     /* n_occ with FP_SLOT_RUNS when some of them are */
};

/*
 * In a slot's n_occ: some of its occurrences are runs of one text
 * (fp_occ.same); a probe of a slot without them does not look.
 */
#define FP_SLOT_RUNS 0x80000000u

#define FP_SLOT_FAR UINT8_MAX

struct fp_run_split;            /* match_fast_split.h */

struct fp_factor {
	uint32_t first_lit, n_lits;     /* its literals: factor_lits[first_lit ..] */
	uint32_t lit;                   /* the first of them, read without factor_lits */
};

/* A factor's literal when it has only one; FP_LIT_MANY when it has several (factor_lits lists them). */
#define FP_LIT_MANY UINT32_MAX

static inline uint32_t
fp_factor_lone(const struct fp_factor *fa)
{
	return fa->n_lits == 1 ? fa->lit : FP_LIT_MANY;
}

/*
 * The key of a scanned literal: klen (1, 2 or 4) folded bytes from off. With
 * before (klen 2, off 0), the pair map's key is instead each byte of the
 * literal's context right before it (fp_key_before()) followed by its first
 * byte: a short literal whose context is rarer than its own bytes stops the
 * scan only where both stand. The bucketed filter keeps key itself.
 */
struct fp_key {
	uint32_t key;
	uint32_t off;
	uint8_t klen;
	bool before;
};

/*
 * Bytes a context's class before a literal may hold for that class to be a
 * key's first byte: each is a slot and a pair of the map.
 */
#define FP_BEFORE_BYTES 16

/*
 * The scan's index of the scanned literals by their keys. The compiled
 * engine holds one, built from the keys chosen at compile time; a context
 * that re-keys literals for its stream builds its own (match_fast_adapt.c).
 */
struct fp_index {
	struct fp_occ *occs;
	/* The first occurrences of its runs of FP_RUN_SPLIT_MIN literals or more (fp_occ.same). */
	uint32_t *run_heads;
	uint32_t n_run_heads;
	/*
	 * Per occurrence that starts a run of FP_RUN_SPLIT_MIN literals or
	 * more: its split (in splits, match_fast_split.h), or
	 * FP_RUN_SPLIT_NONE; NULL when no run has one.
	 */
	uint32_t *occ_split;
	struct fp_run_split *splits;
	uint32_t *split_lits;   /* the literals of the splits' lists */
	struct fp_slot *slots;
	uint32_t slot_mask;
	/*
	 * The pair map, indexed by the raw bytes of two adjacent line bytes
	 * (pair_index()): which key lengths may end at the second byte. Built from
	 * every ASCII case variant of caseless keys and the literal bytes of exact
	 * ones, so the scan neither folds nor carries a window per byte. 64 KiB,
	 * of which log text touches a few hundred cache lines.
	 */
	uint8_t *pair;
	/* Hashed filter of the 4-byte keys, tested only where the first stage stopped. */
	uint64_t *filter4;
	uint32_t hash_shift;
	/*
	 * The other first stage: the bucketed filter (match_fast_fdr.h), which
	 * tests each key with up to FW_FDR_WINDOW_MAX bytes of its literal
	 * around it, so that few places of a line pass however dense the keys'
	 * pairs are. A window's group says where its key ends and how long it
	 * is (fp_group_*()). Which stage a scan runs is the context's choice
	 * (enum fp_stage); the compiled index holds both, a context's own
	 * index the bucketed filter once it may run it (fdr.mask != NULL).
	 * fdr_before: the same windows in a byte-before table, only in a
	 * context's own index, while that context costs or runs it.
	 */
	struct fw_fdr fdr;
	struct fw_fdr fdr_before;
};

/*
 * A scan's first stage. The pair map costs one load per position and stops
 * wherever a key's last pair stands; the bucketed filter costs several
 * loads per position and stops far less often where the keys' pairs are
 * common; with the byte before each pair (match_fast_fdr.h) it costs a
 * few instructions more a step and stops less where those pairs are
 * common in the text outside the keys' literals too. Which is cheaper depends on the text: a context measures both on
 * its stream (match_fast_adapt.h).
 */
enum fp_stage {
	FP_STAGE_PAIR,
	FP_STAGE_FDR,
	FP_STAGE_FDR_BEFORE,            /* the bucketed filter with the byte before each pair */
	FP_STAGES
};

/*
 * Scanned literals from which a context starts with the bucketed filter,
 * before it has measured its stream: from a few thousand keys on, most
 * line positions of any text end some key's pair (see bench/README.md).
 */
#define FP_FDR_KEYS 2000

/* A window's group: its key's length (1, 2 or 4) and how far the window ends past the key. */
static inline uint8_t
fp_group(unsigned klen, uint32_t past)
{
	return (uint8_t)((klen == 4 ? 2 : klen - 1) * FW_FDR_WINDOW_MAX + past);
}

static inline unsigned
fp_group_klen(unsigned g)
{
	return 1u << (g / FW_FDR_WINDOW_MAX);
}

static inline uint32_t
fp_group_past(unsigned g)
{
	return g % FW_FDR_WINDOW_MAX;
}

struct fast {
	uint32_t n_patterns;
	/*
	 * Patterns of equal source and case mode (in different records) share
	 * one prefilter entry and DFA member: the first of them (canon) stands
	 * for all; its followers (same_next, in KB order) are confirmed
	 * after it, until one of the kind cannot match the line (nomatch_gen):
	 * then none of the rest can.
	 */
	uint32_t *canon;
	uint32_t *same_next;    /* the next pattern equal to this one, or UINT32_MAX */
	uint8_t *need;          /* per pattern: bits of factors that must be seen; 0 = always */
	/* Patterns confirmed on every line (their equals follow), ascending, then UINT32_MAX. */
	uint32_t *always;
	uint32_t n_always;
	/*
	 * Per pattern: the fewest bytes its match takes (fw_regex_min_bytes());
	 * an always-confirmed pattern is not confirmed on a shorter line. The
	 * fewest of all is the matcher's min_line (match_engine.h).
	 */
	uint32_t *min_bytes;

	struct fp_lit *lits;
	uint32_t n_lits;
	struct fp_ref *refs;
	uint32_t n_refs;
	struct fp_key *keys;    /* per literal: its key chosen at compile time (scanned ones; else klen 0) */
	struct fp_index index;  /* of those keys */

	unsigned char fold[256];  /* ASCII case folding, as a table for the scan */

	/*
	 * Bytes that must stand around a literal where it counts (dfa_ctx.c): a
	 * literal is only seen where they do. Literals of equal bytes and other
	 * contexts are distinct literals.
	 */
	struct fw_dfa_ctx *ctxs;
	uint32_t n_ctxs;

	/*
	 * Patterns whose literals filter little (or that have none) and that
	 * the DFA models: after their literals (if any) are seen, one DFA walk
	 * of the line says which of them to confirm.
	 */
	struct fw_dfa *dfa;             /* NULL when no pattern qualifies */
	uint32_t *dfa_pattern;          /* per DFA member: its pattern */
	uint8_t *in_dfa;                /* per pattern */
	uint32_t n_dfa_free;            /* DFA members without any literal */
	/*
	 * DFA members with the same literals form a gate group (a few log
	 * shapes, usually): the DFA runs only when some group's literals all
	 * occur. n_dfa_groups = 0 when there are too many to test per line.
	 */
	uint32_t *dfa_group;            /* per DFA member (with literals): its group */
	uint32_t *group_rep;            /* per group: a pattern with its literals */
	uint32_t n_dfa_groups;

	/*
	 * Fixed-distance shapes (match_fast_shape.h), a second gate: each
	 * entry of shapes is a pattern's (one, or two that must both occur).
	 * A gate group (and, at gate_shapes[DFA_GROUPS_MAX], the DFA members
	 * without literals) with n entries passes only where one of them
	 * does; n = 0 when some member has none (or too many differ). A
	 * pattern not in the DFA whose literals are weak or absent is
	 * confirmed only where its confirm_shape entry passes.
	 */
	struct fw_shapes *shapes;
	uint32_t n_shapes;
	uint32_t *member_shape;         /* per DFA member: its shape, or FW_SHAPE_NONE */
	struct fp_shape_gate { uint32_t first, n; } *gate_shapes;      /* DFA_GROUPS_MAX + 1 */
	uint32_t *gate_shape_list;
	uint32_t *confirm_shape;        /* per pattern: FW_SHAPE_NONE, or a shape to pass first */

	/*
	 * Anchors (match_fast_anchor.c): windows several literals looked up on
	 * demand share, searched once per line for all of them. Their bytes
	 * are borrowed from a literal's.
	 */
	struct fp_lit *anchors;
	uint32_t n_anchors;
	/*
	 * The literals holding each anchor, in sets of the same offset of
	 * the anchor in them: anchor a's sets are
	 * anchor_sets[anchor_set_first[a]..anchor_set_first[a + 1]). The
	 * first lookup of a set's literal in a line answers all of them, by
	 * a hash of the line's bytes at each place of the anchor
	 * (fp_anchor_set).
	 */
	struct fp_anchor_set *anchor_sets;
	uint32_t n_anchor_sets;
	uint32_t *anchor_set_first;
	uint32_t *anchor_buckets;       /* per set: mask + 2 offsets into anchor_lits, from first_bucket */
	uint32_t *anchor_lits;

	/* For describe(): the literals of each factor of each pattern. */
	struct fp_factor *factors; /* FACTORS_MAX per pattern */
	uint32_t *factor_lits;
	uint32_t n_factor_lits;

	/*
	 * Per pattern: when its part before the optional end (match_decide.c)
	 * is one exact ASCII literal that is also one of its factors, that
	 * literal; else FP_DECIDE_NONE. A context that takes captures later
	 * decides the pattern, without PCRE2, on a line where the prefilter
	 * found the literal: the part then matches where it stands.
	 */
	uint32_t *decide_lit;

	/*
	 * Per pattern the interpreter runs: its source compiled without UTF,
	 * which matches exactly like its own code on a line of ASCII bytes
	 * and costs less there, and where on such a line its matches can
	 * start (match_fast_confirm.c). NULL when no pattern has one, or per
	 * pattern.
	 */
	pcre2_code **ascii_code;
	struct fp_starts *starts;
	struct fp_lazy *lazy;
	struct fp_split *split;
	struct fp_need *need_lits;
	struct fp_walk *walk;
};

/*
 * Where every match of a pattern starts, found from the places of one of
 * its literals (lit, exact bytes): `before` bytes ahead of one; or, with
 * run, at the start of a maximal run of `set` bytes that ends where one
 * stands and is at least `before` bytes long. lit NULL: not known.
 */
struct fp_starts {
	unsigned char *lit;
	uint32_t lit_len;
	uint32_t before;
	bool run;
	struct fw_rx_bytes set;
	uint32_t cost;          /* bounds PCRE2's match() calls at a start where the literal fails */
};

/*
 * A pattern's source with one greedy run of a class or "." made lazy, the
 * run being followed by the exact literal lit: on a line where lit stands
 * once at most, it matches exactly as the pattern does, and costs less
 * (match_fast_confirm.c). code NULL: none.
 */
struct fp_lazy {
	pcre2_code *code;
	char *source;
	unsigned char *lit;
	uint32_t lit_len;
};

/*
 * A pattern that begins with its start rule's literal P (prefix bytes of
 * it), optionally followed by an uncaptured unbounded run of `set` bytes
 * (at least run_min) and the exact literal lit: code is the rest of its
 * source, which the confirmation runs after them (match_fast_confirm.c).
 * code NULL: none.
 */
struct fp_split {
	pcre2_code *code;
	uint32_t cut;           /* bytes of the source before code's */
	uint32_t prefix;
	bool run;
	uint32_t run_min;
	struct fw_rx_bytes set;
	unsigned char *lit;
	uint32_t lit_len;
};

/*
 * A pattern's syntax tree, kept for answering its tries on an ASCII line
 * without PCRE2 (match_fast_walk.c): the tree's nodes (a capturing
 * group's number in its at, a text node's bytes at its cp), class sets
 * and text as bytes. nodes NULL: not walked.
 */
#define FP_WALK_GROUPS 32

struct fp_walk {
	struct fw_rx_node *nodes;
	struct fw_rx_bytes *sets;
	unsigned char *bytes;   /* a text node's from its cp (FW_RX_NONE: not all ASCII) */
	uint32_t root;
	uint32_t n_groups;      /* capturing groups and the whole match */
	uint32_t stop;          /* the first item of the optional end (match_decide.c), or FW_RX_NONE */
};

/*
 * Literals a line must hold for a pattern of alternatives to match: for
 * some branch, every literal of that branch. lits[first[b]..first[b + 1])
 * are branch b's (n_branches + 1 offsets). n_branches 0: none.
 */
struct fp_need {
	uint32_t n_branches;
	uint32_t *first;
	unsigned char **lits;
	uint32_t *lens;
};

/*
 * The literals of one anchor that hold it at offset off, hashed by klen
 * bytes from hoff (at most 8, within the shortest of them; read through
 * head_mask): bucket b holds anchor_lits[anchor_buckets[first_bucket + b]
 * .. anchor_buckets[first_bucket + b + 1]).
 */
struct fp_anchor_set {
	uint32_t off;
	uint32_t hoff;
	uint32_t klen;
	uint64_t head_mask;
	uint32_t mask;
	uint32_t first_bucket;
	uint32_t n_lits;
};

/*
 * The hash of the bytes at p, as fp_anchor_set s reads them from a
 * literal's hoff: room bytes are readable at p (at least s->klen).
 */
static inline uint32_t
fp_anchor_hash(const struct fp_anchor_set *s, const unsigned char *p, size_t room)
{
	uint64_t v = 0;

	if (room >= sizeof v) {
		memcpy(&v, p, sizeof v);
	} else {
		unsigned char b[sizeof v] = { 0 };

		memcpy(b, p, s->klen);
		memcpy(&v, b, sizeof v);
	}
	return (uint32_t)(((v & s->head_mask) * 0x9E3779B97F4A7C15ull) >> 32) & s->mask;
}

/* Anchored tries per confirmation; beyond, one search from the first place. */
#define FP_STARTS_MAX 16

/* Gate groups are tested on every line that holds a gate literal: only a few. */
#define DFA_GROUPS_MAX 64

/* Shapes a gate tests per line, at most; beyond, the gate tests none. */
#define GATE_SHAPES_MAX 8

static inline unsigned char
fold(unsigned char c)
{
	return (unsigned char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
}

/* Whether literal l stands at p (l->len bytes readable there): exact, or case-folded. */
static inline bool
fp_lit_at(const struct fp_lit *l, const unsigned char *p)
{
	uint32_t i = 0;

	if (!l->caseless)
		return memcmp(p, l->bytes, l->len) == 0;
	while (i < l->len && fold(p[i]) == l->bytes[i])
		i++;
	return i == l->len;
}

/* Whether the bytes around line[start..start + n) satisfy context x. */
static inline bool
fp_ctx_ok(const struct fw_dfa_ctx *x, const unsigned char *line, size_t len, size_t start, size_t n)
{
	for (uint32_t d = 0; d < x->n_before; d++)
		if (start <= d || !fw_rx_bytes_has(&x->before[d], line[start - d - 1]))
			return false;
	for (uint32_t d = 0; d < x->n_after; d++)
		if (start + n + d >= len || !fw_rx_bytes_has(&x->after[d], line[start + n + d]))
			return false;
	return true;
}

/* A literal looked up by walking the line: caseless and made of letters only. */
#define FP_FIND_WALK UINT32_MAX

/*
 * The first of the starts s..n-1 where line[s + o1] is b1 and line[s + o2]
 * folded by or2 (0x20 for a caseless letter, else 0) is b2; n if none. Every
 * start from s on has both bytes inside the line (the caller's n says so).
 * In match_fast_find.c; the _sse2 one never takes AVX2 (for tests), and
 * goes a byte at a time without SSE2.
 */
size_t fw__fast_two_bytes_next(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1,
			       uint32_t o2, unsigned char b2, unsigned char or2);
size_t fw__fast_two_bytes_next_sse2(const unsigned char *line, size_t s, size_t n, uint32_t o1, unsigned char b1,
				    uint32_t o2, unsigned char b2, unsigned char or2);

/*
 * The search for the places of bytes[0..len) (fp_lit_in(), an anchor's
 * places), starts below n. The first: where its byte at find stands, by
 * one memchr() call, which passes a line where that byte is rare. The
 * next ones, past a place where the byte stands without the rest: where
 * it stands with the byte at the end farther from find (folded when a
 * letter of a caseless literal), two bytes at once. n when none.
 */
static inline size_t
fp_search_first(const unsigned char *bytes, uint32_t find, const unsigned char *line, size_t n)
{
	const unsigned char *q = memchr(line + find, bytes[find], n);

	return q ? (size_t)(q - line) - find : n;
}

static inline size_t
fp_search_next(const unsigned char *bytes, uint32_t len, uint32_t find, bool caseless, const unsigned char *line,
	       size_t s, size_t n)
{
	uint32_t other = 2 * find >= len ? 0 : len - 1;

	return fw__fast_two_bytes_next(line, s, n, find, bytes[find], other, bytes[other],
				       caseless && (unsigned)(bytes[other] - 'a') < 26u ? 0x20 : 0);
}

/*
 * Whether literal l occurs in line[0..len) with context x around it (NULL:
 * none): memchr() on its byte at offset find (one that is the same in
 * either case when l is caseless), then a comparison where it stands; or,
 * with FP_FIND_WALK, a comparison at every position. Past a place where
 * that byte stands without the literal, the search is for two bytes
 * (fp_search_next()'s): the rarest byte of a literal looked up on demand
 * may stand several times in a line (each place a memchr() call and a
 * comparison), the two bytes together rarely. At memchr()'s place the
 * second byte is tested before the comparison, which most such places
 * fail. glibc's memmem() costs far more on these short needles and lines.
 */
static inline bool
fp_lit_in(const struct fp_lit *l, const struct fw_dfa_ctx *x, uint32_t find, const unsigned char *line,
	  size_t len)
{
	const unsigned char *q;
	size_t n, s;
	uint32_t other;
	unsigned char or2;

	if (l->len > len)
		return false;
	if (find == FP_FIND_WALK) {
		for (q = line; q + l->len <= line + len; q++)
			if (fp_lit_at(l, q) && (!x || fp_ctx_ok(x, line, len, (size_t)(q - line), l->len)))
				return true;
		return false;
	}
	n = len - l->len + 1;   /* the starts where the whole literal is inside the line */
	other = 2 * find >= l->len ? 0 : l->len - 1;
	or2 = l->caseless && (unsigned)(l->bytes[other] - 'a') < 26u ? 0x20 : 0;
	for (s = fp_search_first(l->bytes, find, line, n); s < n;
	     s = fw__fast_two_bytes_next(line, s + 1, n, find, l->bytes[find], other, l->bytes[other], or2))
		if ((line[s + other] | or2) == l->bytes[other] && fp_lit_at(l, line + s) &&
		    (!x || fp_ctx_ok(x, line, len, s, l->len)))
			return true;
	return false;
}

/*
 * The bytes (into out, FP_BEFORE_BYTES) that must stand right before literal
 * l where it counts, if they are few, none a letter: their number, else 0.
 */
static inline unsigned
fp_key_before(const struct fast *f, const struct fp_lit *l, unsigned char *out)
{
	const struct fw_rx_bytes *b;
	unsigned n = 0;

	if (l->ctx == FP_CTX_NONE || !f->ctxs[l->ctx].n_before)
		return 0;
	b = &f->ctxs[l->ctx].before[0];
	for (unsigned w = 0; w < 4; w++)
		for (uint64_t m = b->w[w]; m; m &= m - 1) {
			unsigned c = w * 64 + (unsigned)__builtin_ctzll(m);

			if (n == FP_BEFORE_BYTES || fold((unsigned char)c) != c || (c >= 'a' && c <= 'z'))
				return 0;
			out[n++] = (unsigned char)c;
		}
	return n;
}

/* Literal l's context in f, or NULL. */
#define FP_LIT_CTX(f, l) ((l)->ctx == FP_CTX_NONE ? NULL : &(f)->ctxs[(l)->ctx])

static inline uint32_t
key_hash(uint32_t key, uint32_t shift)
{
	return (key * 0x9E3779B1u) >> shift;
}

/*
 * Positions tested per step of the pair-map scan (the OR in scan() is written
 * out for 8): the map loads of one step are independent of each other.
 */
#define SCAN_STEP 8

/* Pair map flags: a key of this length may end at the pair's second byte. */
#define PAIR_KEY1 1u
#define PAIR_KEY2 2u
#define PAIR_KEY4 4u

/*
 * The pair map index of p[0], p[1]: one unaligned 16-bit load. Its byte
 * order is the machine's; the map is built through this same function.
 */
static inline uint32_t
pair_index(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint32_t
slot_start(uint32_t key, unsigned klen, uint32_t mask)
{
	return ((key ^ (klen * 0x85EBCA6Bu)) * 0xC2B2AE35u >> 7) & mask;
}

/*
 * Builds idx for the literals of f that have a key, literal i under
 * keys[i] (klen 0: none, it is looked up on demand): the scanned ones, and
 * those a context scans for as well (match_fast_adapt.h). With both
 * stages, or (build_pair) without the bucketed filter, which add_fdr adds
 * when a context first needs it (its table is 512 KiB to fill). 0 or
 * -ENOMEM; on failure of a build idx holds nothing to free, of add_fdr it
 * is as it was.
 */
int fw__fast_index_build(const struct fast *f, const struct fp_key *keys, struct fp_index *idx);
/* like: an index of f's to take the splits of runs it holds too from (match_fast_split.h), or NULL. */
int fw__fast_index_build_pair(const struct fast *f, const struct fp_key *keys, const struct fp_index *like,
			      struct fp_index *idx);
int fw__fast_index_add_fdr(const struct fast *f, const struct fp_key *keys, struct fp_index *idx);
/*
 * idx with the pair map and stage s's table (FP_STAGE_FDR_BEFORE:
 * fdr_before), from scratch; and idx's table of stage s added if it lacks
 * it, or let go (drop: the pair map's has none to let go). 0 or -ENOMEM,
 * as above.
 */
int fw__fast_index_build_stage(const struct fast *f, const struct fp_key *keys, enum fp_stage s,
			       const struct fp_index *like, struct fp_index *idx);
int fw__fast_index_add_stage(const struct fast *f, const struct fp_key *keys, enum fp_stage s,
			     struct fp_index *idx);
void fw__fast_index_drop_stage(struct fp_index *idx, enum fp_stage s);
/* Whether idx holds the table stage s scans. */
bool fw__fast_index_has_stage(const struct fp_index *idx, enum fp_stage s);
void fw__fast_index_free(struct fp_index *idx);
/* The first stage of a context that has not measured its stream yet (FP_FDR_KEYS). */
enum fp_stage fw__fast_first_stage(const struct fast *f);
/*
 * What scanning line[0..len) with idx's stage s would cost, in the unit of
 * the cost model (match_fast_index.c): the scan's steps, stops and probes,
 * counted without probing (idx holds stage s's table). Reads idx only.
 */
uint64_t fw__fast_stage_cost(const struct fast *f, const struct fp_index *idx, enum fp_stage s,
			     const unsigned char *line, size_t len);
/* The least a bucketed filter (stage s) can cost on a line of len bytes: its steps. */
uint64_t fw__fast_stage_floor(enum fp_stage s, size_t len);

/* Gives f's literals looked up on demand their anchors (match_fast_anchor.c). 0 or -ENOMEM. */
int fw__fast_anchors_build(struct fast *f);

/*
 * The interpreter's codes and start rules (match_fast_confirm.c): alloc
 * makes room for them when some pattern of kb runs without JIT; wants
 * says whether pattern p takes them; pattern compiles p's from its tree
 * rx (NULL for the follower of an equal pattern, after its leader). 0 or
 * -ENOMEM.
 */
int fw__fast_confirm_alloc(struct fast *f, const struct fw_kb *kb);
bool fw__fast_confirm_wants(const struct fast *f, const struct fw_kb *kb, uint32_t p);
int fw__fast_confirm_pattern(struct fast *f, const struct fw_kb *kb, uint32_t p, const struct fw_regex *rx);
void fw__fast_ascii_free(struct fast *f);
/*
 * The rules of match_fast_confirm.c, read from pattern pat's syntax tree
 * rx (match_fast_rewrite.c): its start rule, lazy source and code, literal
 * head split (after its start rule st) and branch literals. Each leaves
 * *out zeroed when the pattern has none; 0 or -ENOMEM. opts: the byte-mode
 * compile options. lazy_compile compiles r's source (a failure leaves r
 * zeroed).
 */
int fw__fast_start_rule(const struct fw_pattern *pat, const struct fw_regex *rx, struct fp_starts *out);
int fw__fast_lazy_rule(const struct fw_pattern *pat, const struct fw_regex *rx, uint32_t opts,
		       struct fp_lazy *out);
int fw__fast_lazy_compile(struct fp_lazy *r, uint32_t opts);
int fw__fast_split_rule(const struct fw_pattern *pat, const struct fw_regex *rx, const struct fp_starts *st,
			uint32_t opts, struct fp_split *out);
int fw__fast_need_rule(const struct fw_regex *rx, struct fp_need *out);
/*
 * match_fast_walk.c. fw__fast_walk_rule: out filled for a pattern the walk
 * models (of the byte-mode code, whose groups it counts), or left empty;
 * 0 or -ENOMEM. fw__fast_walk: the anchored tries at starts[0..n) on an
 * ASCII line, each within match_limit: 1 with *rc and ov (2 per group,
 * FP_WALK_GROUPS pairs) as pcre2_match() would give them, 0 when none
 * matches, -1 when the walk cannot tell (PCRE2 must). With cut, and where
 * the pattern has an optional end, the tries are of the part before it
 * (its captures only, those of the whole pattern taken later).
 */
int fw__fast_walk_rule(const char *source, const struct fw_regex *rx, const pcre2_code *code, struct fp_walk *out);
void fw__fast_walk_free(struct fp_walk *w);
int fw__fast_walk(const struct fp_walk *w, const unsigned char *line, size_t len, const uint32_t *starts,
		  uint32_t n_starts, uint32_t match_limit, bool cut, PCRE2_SIZE *ov, int *rc);
/*
 * How to confirm pattern p on this line: NULL for its own code; else how,
 * filled with its byte-mode code (the line is ASCII: *ascii, -1 until
 * known) and, when its literal tells, the places a match can start (in
 * starts, FP_STARTS_MAX). *none is set instead when no match can start.
 * ov: where the walk may answer (how->ov); cut: as fw__fast_walk's.
 */
const struct fw_match_how *fw__fast_confirm_how(const struct fast *f, uint32_t p, const unsigned char *line,
						size_t len, int *ascii, struct fw_match_how *how,
						uint32_t *starts, PCRE2_SIZE *ov, bool cut, bool *none);

/* Builds m's engine data from its KB (match_fast_build.c). 0 or -errno (diag says why). */
int fw__fast_compile(struct fw_matcher *m, struct fw_diag *diag);
void fw__fast_destroy(struct fw_matcher *m);

#endif
