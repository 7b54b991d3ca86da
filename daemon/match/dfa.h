/*
 * dfa: a lazily built DFA that tells, in one pass over a line, which of a
 * set of patterns can match it. The fast matcher uses it for the patterns
 * whose literals are useless as a prefilter (log-shape signatures such as
 * "an access-log line whose status is 5xx"), so that a line costs one walk
 * of the DFA instead of one PCRE2 run per such pattern.
 *
 * It is a filter, never the judge: for every pattern it accepts, a line
 * PCRE2 matches is always reported (the converse may fail: "." and negated
 * classes are widened to any UTF-8 sequence, caseless letters to their
 * Unicode partners). The caller confirms reported patterns with PCRE2.
 *
 * Accepted syntax: what the regex front end (regex_parse.h) reads into
 * plain nodes: literals (UTF-8, \x{...}, \Q..\E), ".", classes with
 * ranges and \d \w \s \D \W \S (ASCII, as PCRE2 without UCP), groups
 * (capturing, named, non-capturing, branch reset, comments), alternation,
 * greedy and lazy quantifiers, ^ \A $ \Z \z, \b \B (ASCII word bytes, as
 * PCRE2 without UCP; exact), and the options i s m n x U J. Anything else
 * (the front end's opaque nodes: lookarounds, backreferences, \K, POSIX
 * classes, \R \X \h \v \N; atomic groups, possessive quantifiers,
 * multiline ^ and $, caseless non-ASCII, non-ASCII class members, ^ or \A
 * after an end anchor or only after \b or \B, \b or \B after an end
 * anchor; patterns the front end does not understand) makes fw_dfa_add()
 * decline the pattern, which the caller then handles as before.
 *
 * States are built on demand from the NFA and cached per runner; the cache
 * is bounded and flushed when full, and a line whose scan would build too
 * many states gives up (FW_DFA_GAVE_UP): the caller then treats every
 * pattern of the set as a candidate, so the worst case is the cost without
 * the DFA.
 */
#ifndef FW_DFA_H
#define FW_DFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "match/regex_parse.h"

struct fw_dfa;          /* the compiled set: read-only once built */
struct fw_dfa_runner;   /* per matching context: the state cache */

/* Returned by fw_dfa_scan() when the line cost too many new states. */
#define FW_DFA_GAVE_UP (-1)

struct fw_dfa *fw_dfa_new(void);
void fw_dfa_free(struct fw_dfa *d);

struct fw_regex;

/*
 * Adds the pattern the front end read into rx (fw_regex_parse(), with the
 * record's "i" flag; a pattern compiled by the caller with UTF) as member
 * number fw_dfa_size() before the call; rx is only read during the call.
 * Returns 0 when added, -ENOTSUP when the pattern uses syntax the DFA does
 * not model, was not understood by the front end or is too large (nothing
 * is added), -ENOMEM.
 */
int fw_dfa_add(struct fw_dfa *d, const struct fw_regex *rx);
uint32_t fw_dfa_size(const struct fw_dfa *d);
/* Prepares the set for scanning; no fw_dfa_add() afterwards. 0 or -ENOMEM. */
int fw_dfa_finish(struct fw_dfa *d);
/*
 * Empties d (no member, not finished), keeping its memory, so that it can
 * take other patterns. No runner of d may be in use.
 */
void fw_dfa_clear(struct fw_dfa *d);

/* cache_bytes bounds the runner's state cache (0: the default, 4 MiB). */
struct fw_dfa_runner *fw_dfa_runner_new(const struct fw_dfa *d, size_t cache_bytes);
void fw_dfa_runner_free(struct fw_dfa_runner *r);

/*
 * Scans line[0..len). Returns how many members may match, their numbers
 * (ascending, each once) in r's hit list (fw_dfa_hits), or FW_DFA_GAVE_UP.
 * Never allocates once the cache has reached its bound.
 */
int fw_dfa_scan(struct fw_dfa_runner *r, const unsigned char *line, size_t len);
const uint32_t *fw_dfa_hits(const struct fw_dfa_runner *r);

/*
 * What must stand next to a required literal of a pattern (dfa_ctx.c):
 * for d = 1 .. n_before, the byte d positions before the literal exists
 * and is in before[d - 1]; for d = 1 .. n_after, the byte d positions
 * after its end exists and is in after[d - 1].
 */
#define FW_DFA_CTX_MAX 4
struct fw_dfa_ctx {
	uint8_t n_before, n_after;
	struct fw_rx_bytes before[FW_DFA_CTX_MAX], after[FW_DFA_CTX_MAX];
};

/*
 * d holds one pattern (one fw_dfa_add(), fw_dfa_finish() not needed);
 * lit[0..len) is a literal every match of it contains (exact, or ASCII
 * case-folded lowercase when caseless). Returns 1 and fills *out when some
 * occurrence of the literal in every match has bytes around it that
 * satisfy *out (a necessary condition for a match), 0 when nothing is
 * known, -ENOMEM. d keeps its work space for the next call: one d, emptied
 * with fw_dfa_clear() before each pattern, serves a whole KB.
 */
int fw_dfa_lit_context(struct fw_dfa *d, const unsigned char *lit, size_t len, bool caseless,
		       struct fw_dfa_ctx *out);

/* Lines given up on and cache flushes since the runner was created. */
uint64_t fw_dfa_gave_up_count(const struct fw_dfa_runner *r);
uint64_t fw_dfa_flush_count(const struct fw_dfa_runner *r);

#endif
