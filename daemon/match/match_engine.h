/*
 * match_engine: what a matcher engine plugs into (internal to match*.c).
 *
 * match.c owns the context (PCRE2 match data, JIT stack, result arrays)
 * and the confirmation step; an engine only decides which patterns to
 * confirm, in KB order, by calling fw__match_try().
 */
#ifndef FW_MATCH_ENGINE_H
#define FW_MATCH_ENGINE_H

#include <stdbool.h>

#include "match/match.h"
#include "match/regex_parse.h"

struct fw_match_engine_ops {
	const char *name;
	int (*compile)(struct fw_matcher *m, struct fw_diag *diag);
	void (*destroy)(struct fw_matcher *m);
	int (*ctx_init)(struct fw_match_ctx *ctx);        /* may be NULL */
	void (*ctx_destroy)(struct fw_match_ctx *ctx);    /* may be NULL */
	void (*match)(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask);
};

struct fw_matcher {
	const struct fw_kb *kb;
	enum fw_match_engine engine;
	const struct fw_match_engine_ops *ops;
	void *engine_data;
	/*
	 * Lines shorter than this are not given to ops->match: no match of any
	 * pattern fits in them (set by the engine's compile; 0: every line).
	 * The reference engine leaves it 0, so that it stays the check of the
	 * bound.
	 */
	uint32_t min_line;
};

struct fw_match_ctx {
	const struct fw_matcher *m;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	struct fw_hit *hits;            /* capacity kb->n_records */
	uint32_t n_hits;
	struct fw_capture *caps;        /* capacity: names over all patterns */
	uint32_t n_caps;
	uint32_t limit_errors;
	uint64_t *limit_counts;         /* per pattern */
	struct fw_match_decide *decide; /* captures taken later (match_decide.c), or NULL */
	void *engine_data;
};

/*
 * Runs pattern p on the line. On a match, appends a hit for its record with
 * its named captures and returns true. Callers confirm records in KB order
 * and stop at a record's first matching pattern.
 */
bool fw__match_try(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len);
/*
 * Another way to confirm p on one line, which must find what p's own code
 * finds from offset 0: code, a compilation of p's source that matches
 * this line exactly as p's does; and where matches may start, when the
 * caller knows no match starts anywhere else: tries anchored at starts[0],
 * starts[1], ... (ascending), or with anchored false one search from
 * starts[0], each within match_limit (chosen by the caller so that a
 * search from 0 would not have run out of FW_MATCH_LIMIT where these did
 * not). starts NULL: one search from 0, within match_limit unless it is
 * 0 (FW_MATCH_LIMIT). ov not NULL: the answer is known already, rc
 * and ov as pcre2_match() would have left them (no call is made).
 */
struct fw_match_how {
	const pcre2_code *code;
	const uint32_t *starts;
	uint32_t n_starts;
	bool anchored;
	uint32_t match_limit;
	int rc;
	const PCRE2_SIZE *ov;
	bool later;             /* ov and rc answer the part before the optional end: captures later */
};

/* fw__match_try(), the way how says (NULL: p's own). Should that hit a limit, p's own code decides. */
bool fw__match_try_how(struct fw_match_ctx *ctx, uint32_t p, const struct fw_match_how *how,
		       const char *line, size_t len);

/*
 * match_decide.c. fw__match_decide: when ctx takes captures later and p has
 * a cut, runs the part before its optional end into *rc (PCRE2's return
 * code) and returns true; false: p's own code decides. The cut of a
 * pattern's source (0: none), for the tests. fw__match_decide_stop: the
 * first item of rx's optional end (FW_RX_NONE: no cut), the cut in *cut.
 */
bool fw__match_decide(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len, int *rc);
size_t fw__match_decide_cut(const char *source, bool caseless);
uint32_t fw__match_decide_stop(const struct fw_regex *rx, size_t *cut);
int fw__match_decide_new(struct fw_match_ctx *ctx);
void fw__match_decide_free(struct fw_match_ctx *ctx);

extern const struct fw_match_engine_ops fw__match_reference_ops;
extern const struct fw_match_engine_ops fw__match_fast_ops;

#endif
