/*
 * match_fast: what the fast engine's prefilter uses, for `fixwatch check`.
 *
 * The fast engine (FW_ENGINE_FAST, see match.h) confirms a pattern with
 * PCRE2 only when the line contains the literal factors chosen for it at
 * compile time. A pattern whose factors filter little, or that has none,
 * goes through a DFA first when the DFA models its syntax; otherwise a
 * pattern without a usable factor is confirmed on every line. These
 * functions describe that choice; they do not match anything.
 */
#ifndef FW_MATCH_FAST_H
#define FW_MATCH_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/match.h"

/*
 * Writes a description of pattern's prefilter factors into buf (always
 * NUL-terminated, cut to len), e.g. `"timed out" AND ("GET"|"POST"i)`,
 * or "none" for a pattern confirmed on every line.
 * Returns 1 when the pattern has factors, 0 when it is always confirmed,
 * -EINVAL when m is not a fast matcher or pattern is out of range.
 */
int fw_match_fast_describe(const struct fw_matcher *m, uint32_t pattern, char *buf, size_t len);

/* Number of patterns the fast matcher m confirms on every line (0 for other engines). */
uint32_t fw_match_fast_always_count(const struct fw_matcher *m);

/*
 * Whether pattern goes through the fast matcher's DFA (see dfa.h) before
 * PCRE2: a pattern whose literals filter little, or that has none, is then
 * confirmed only on lines the DFA says it can match.
 */
bool fw_match_fast_in_dfa(const struct fw_matcher *m, uint32_t pattern);

/*
 * The fixed-distance shapes (match_fast_shape.h) that gate pattern in the
 * fast matcher m, as text into buf (len bytes, always terminated; two
 * joined by " and "): how many (1 or 2), or 0 when it has none (buf "");
 * -EINVAL for another engine or pattern.
 */
int fw_match_fast_shape(const struct fw_matcher *m, uint32_t pattern, char *buf, size_t len);
/* Number of such patterns (0 for other engines). */
uint32_t fw_match_fast_dfa_count(const struct fw_matcher *m);

/*
 * Number of patterns the fast matcher m confirms on ASCII lines with a
 * code compiled without UTF, which the interpreter runs faster (patterns
 * that run without JIT; 0 for other engines).
 */
uint32_t fw_match_fast_ascii_count(const struct fw_matcher *m);
/* Of those, the patterns whose matches are tried only where one of their literals says they can start. */
uint32_t fw_match_fast_start_count(const struct fw_matcher *m);
/* Of those, the patterns with a second code whose one greedy run before a literal is lazy. */
uint32_t fw_match_fast_lazy_count(const struct fw_matcher *m);
/* Of those, the patterns with a code of their rest after a literal head (and run). */
uint32_t fw_match_fast_split_count(const struct fw_matcher *m);

/*
 * Lines on which ctx's DFA gave up (too many new states; every DFA pattern
 * was then confirmed with PCRE2), since ctx was created. 0 for other engines.
 */
uint64_t fw_match_fast_dfa_gave_up(const struct fw_match_ctx *ctx);

/*
 * The fast engine learns from the lines a context matches which windows of
 * its literals are common in that stream, and moves their scan keys to
 * rarer windows (never changing any result): by default over the first
 * 256 KiB, then for 256 KiB every 64 MiB. This restarts ctx's schedule:
 * a sample of learn bytes now, then one every period bytes (0: none);
 * learn = 0 stops learning (the keys it has stay). For tests and the
 * benchmark. 0, or -EINVAL when ctx is not a fast engine's context.
 */
int fw_match_fast_adapt_schedule(struct fw_match_ctx *ctx, size_t learn, size_t period);
/*
 * While ctx learns, it checks its keys' false hits every 1 MiB matched by
 * default (fw_match_fast_miss_moves()); this sets that interval to every
 * bytes from now on, and a key then moves on one miss per every / 4096
 * bytes (at least one). For tests and fuzzing, which cannot run a MiB per
 * input. 0, or -EINVAL when ctx is not a fast engine's context or every
 * is 0.
 */
int fw_match_fast_miss_schedule(struct fw_match_ctx *ctx, size_t every);

/*
 * Anchors of the fast matcher m: 4-byte windows that several of the
 * literals it looks up on demand (a pattern's second and later ones)
 * share, found once per line for all of them (0 for other engines).
 */
uint32_t fw_match_fast_anchor_count(const struct fw_matcher *m);

/*
 * The scan for the literals' keys has three first stages, the pair map,
 * the bucketed filter and that filter keyed by the byte before each pair
 * as well; results are the same either way. A context starts
 * with the bucketed filter when m has many keys (2,000 scanned literals
 * or more), with the pair map otherwise, and then, at the end of each
 * sample of its schedule (fw_match_fast_adapt_schedule()), runs the stage
 * that would have cost least on that sample's lines. Deterministic: the
 * same lines give the same choices.
 *
 * Whether a new context of the fast matcher m starts with the bucketed
 * filter; false for other engines.
 */
bool fw_match_fast_bucketed(const struct fw_matcher *m);
/* Whether ctx scans with the bucketed filter now (either kind); false for other engines. */
bool fw_match_fast_ctx_bucketed(const struct fw_match_ctx *ctx);
/*
 * The first stage ctx scans with now: 0 the pair map, 1 the bucketed
 * filter, 2 the bucketed filter with the byte before each pair (0 for
 * other engines).
 */
int fw_match_fast_ctx_stage(const struct fw_match_ctx *ctx);
/* Times ctx changed its first stage since it was created (0 for other engines). */
uint64_t fw_match_fast_stage_switches(const struct fw_match_ctx *ctx);

/* Literals whose key ctx moved, in all, since it was created (0 for other engines). */
uint64_t fw_match_fast_rekeys(const struct fw_match_ctx *ctx);
/*
 * Of those, between samples: literals whose key stood without them too
 * often in ctx's stream (its false hits), moved once to the literal's
 * other end (match_fast_adapt.h). While ctx learns (its schedule's learn
 * is not 0). 0 for other engines.
 */
uint64_t fw_match_fast_miss_moves(const struct fw_match_ctx *ctx);

/*
 * Literals that ctx scans for although the fast engine looks them up on
 * demand (a pattern's second and later ones): their searches cost more on
 * ctx's stream than a scan key would (match_fast_adapt.h). 0 for other
 * engines.
 */
uint64_t fw_match_fast_scans(const struct fw_match_ctx *ctx);

/*
 * Patterns whose trigger ctx moved from one factor to another that stands
 * on clearly fewer lines of its stream (match_fast_adapt.h), in all. 0 for
 * other engines.
 */
uint64_t fw_match_fast_trigger_moves(const struct fw_match_ctx *ctx);

/*
 * Gate groups of DFA members whose gate ctx moved from one factor to
 * another that stands clearly less often in its stream
 * (match_fast_adapt.h), in all. 0 for other engines.
 */
uint64_t fw_match_fast_gate_moves(const struct fw_match_ctx *ctx);

/*
 * On how many (*hits) of the *of built-in typical log lines pattern's
 * factors all occur, i.e. it would be confirmed: a literal common in
 * ordinary logs filters little. A pattern without factors counts every
 * line. 0, or -EINVAL when m is not a fast matcher or pattern is out of range.
 */
int fw_match_fast_common(const struct fw_matcher *m, uint32_t pattern, unsigned *hits, unsigned *of);

/*
 * Measures what confirming pattern costs on a line, in nanoseconds: the
 * median over a built-in sample of typical log lines (nginx, CloudFront,
 * syslog), a few milliseconds of work. Works for any engine's matcher;
 * for the fast one, a pattern gated by a shape (fw_match_fast_shape()) is
 * confirmed only on the lines holding it, as when matching, and the shape
 * test is counted. 0 or -ENOMEM / -EINVAL.
 */
int fw_match_fast_cost(const struct fw_matcher *m, uint32_t pattern, double *ns_per_line);

#endif
