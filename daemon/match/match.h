/*
 * match: the matcher interface (design.md §4).
 *
 * A matcher is compiled from a KB and is read-only afterwards. Matching a
 * line needs a context (scratch space: PCRE2 match data, JIT stack, result
 * arrays), allocated once; fw_match_line() allocates nothing but the JIT
 * code of a pattern it confirms for the first time (kb.h). A context is
 * used by one thread at a time, and so are all contexts of one KB, since
 * that first confirmation writes the KB's JIT state. The fast engine's
 * context also learns which scan keys suit its stream (match_fast_adapt.h),
 * which never changes a result.
 *
 * Two engines return exactly the same results for every line:
 *  - FW_ENGINE_REFERENCE runs every pattern of every record in KB order;
 *    it stays as the oracle of the differential tests and the baseline of
 *    the benchmark;
 *  - FW_ENGINE_FAST scans the line once for the patterns' required literals
 *    and confirms only the candidates.
 *
 * Result: every matching record, in KB order; for each, the first of its
 * patterns that matches and that pattern's named captures (unset groups
 * are left out). A pattern that hits the PCRE2 match or depth limit on a
 * line counts as not matching; the context counts it per pattern.
 */
#ifndef FW_MATCH_H
#define FW_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/kb.h"

enum fw_match_engine {
	FW_ENGINE_REFERENCE,
	FW_ENGINE_FAST,
};

/* The engine the tools and the daemon use. */
#define FW_ENGINE_DEFAULT FW_ENGINE_FAST

struct fw_capture {
	const char *name;       /* points into the KB */
	size_t offset;          /* into the line */
	size_t length;
};

struct fw_hit {
	uint32_t record;        /* index into kb->records */
	uint32_t pattern;       /* index into kb->patterns */
	uint32_t first_capture; /* captures [first, first + n) of the result */
	uint32_t n_captures;
	bool captures_later;    /* decided without its captures: fw_match_captures() takes them */
};

/* Owned by the context; valid until the next fw_match_line() on it. */
struct fw_match_result {
	const struct fw_hit *hits;
	uint32_t n_hits;
	const struct fw_capture *captures;
	uint32_t n_captures;
	uint32_t limit_errors;  /* patterns that hit a limit on this line */
};

struct fw_matcher;
struct fw_match_ctx;

/* Match limits applied to every pattern on every line. */
#define FW_MATCH_LIMIT 1000000u
#define FW_DEPTH_LIMIT 10000u

/* Compiles a matcher for kb (which must outlive it). 0 or -errno (diag says why). */
int fw_matcher_new(const struct fw_kb *kb, enum fw_match_engine engine, struct fw_matcher **out,
		   struct fw_diag *diag);
void fw_matcher_free(struct fw_matcher *m);
const struct fw_kb *fw_matcher_kb(const struct fw_matcher *m);
const char *fw_match_engine_name(enum fw_match_engine engine);

/* NULL on out-of-memory. */
struct fw_match_ctx *fw_match_ctx_new(const struct fw_matcher *m);
void fw_match_ctx_free(struct fw_match_ctx *ctx);

/*
 * Matches one line (its line ending already removed; NUL bytes and invalid
 * UTF-8 allowed). mask restricts the records (fw_kb_domain_mask), NULL for
 * all. Returns the number of hits.
 */
uint32_t fw_match_line(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask,
		       struct fw_match_result *out);

/* Times a pattern hit the match/depth limit in this context, since its creation. */
uint64_t fw_match_limit_count(const struct fw_match_ctx *ctx, uint32_t pattern);

/*
 * Captures taken later (match_decide.c): with on, a pattern that ends in
 * optional items (the groups that capture the rest of a line) is decided
 * by its part before them, and its hits have captures_later set and no
 * captures; fw_match_captures() takes them for the hits that need them.
 * Which records match is the same either way. 0 or -ENOMEM.
 */
int fw_match_lazy_captures(struct fw_match_ctx *ctx, bool on);

/*
 * The named captures of pattern p on the line (as fw_match_line() would
 * give them) into out[0..max): their number, or -1 when p's code does
 * not match (it hit a limit that its decision did not). Uses ctx's match
 * data, not its result: a result of the context stays valid.
 */
int fw_match_captures(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len,
		      struct fw_capture *out, uint32_t max);

/*
 * The primary hit of a non-empty result (design.md §4, contract): highest record
 * priority, then highest specificity of the matching pattern, then KB order.
 * Returns an index into r->hits.
 */
uint32_t fw_match_primary(const struct fw_kb *kb, const struct fw_match_result *r);

#endif
