/*
 * pattern_prefix: says which part of a pattern stopped matching a line, for
 * `fixwatch test`'s failure messages.
 *
 * Method: the pattern is cut into atoms (a literal character, an escape, a
 * class, a group opening or closing, each with its quantifier), and each
 * prefix that ends after a whole atom is made a pattern of its own by
 * closing the groups still open. The longest such prefix that compiles and
 * matches somewhere in the line is the part that matches; the atom after
 * it is where matching stops. Prefixes that end right after '|' or '(' are
 * skipped (an empty alternative matches anything). The result is a guide,
 * not a proof: a prefix can match elsewhere in the line than the whole
 * pattern would, and an alternation is judged by the branches before the
 * cut.
 */
#ifndef FW_PATTERN_PREFIX_H
#define FW_PATTERN_PREFIX_H

#include <stddef.h>
#include <stdint.h>

struct fw_prefix_result {
	size_t pattern_len;     /* bytes of the pattern that match (== strlen: it all matches) */
	size_t line_end;        /* where in the line that prefix's match ended */
	int matched;            /* 1: some prefix matched; 0: not even the first atom */
};

/*
 * Finds the longest matching prefix of pattern (PCRE2 options as the KB
 * compiles it) in line[0..len). 0, or -ENOMEM.
 */
int fw_pattern_prefix(const char *pattern, uint32_t options, const char *line, size_t len,
		      struct fw_prefix_result *out);

#endif
