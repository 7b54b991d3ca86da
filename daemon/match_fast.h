/*
 * match_fast: what the fast engine's prefilter uses, for `fixwatch check`.
 *
 * The fast engine (FW_ENGINE_FAST, see match.h) confirms a pattern with
 * PCRE2 only when the line contains the literal factors chosen for it at
 * compile time; a pattern without a usable factor is confirmed on every
 * line. These functions describe that choice; they do not match anything.
 */
#ifndef FW_MATCH_FAST_H
#define FW_MATCH_FAST_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"

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
 * Measures what confirming pattern costs on a line, in nanoseconds: the
 * median over a built-in sample of typical log lines (nginx, CloudFront,
 * syslog), a few milliseconds of work. Works for any engine's matcher.
 * 0 or -ENOMEM / -EINVAL.
 */
int fw_match_fast_cost(const struct fw_matcher *m, uint32_t pattern, double *ns_per_line);

#endif
