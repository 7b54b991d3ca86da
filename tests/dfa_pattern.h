/*
 * dfa_pattern: the DFA tests offer patterns as the KB loader does, parsed
 * once into a tree that fw_dfa_add() takes; the tree is freed right after.
 */
#ifndef FW_TEST_DFA_PATTERN_H
#define FW_TEST_DFA_PATTERN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "match/dfa.h"
#include "match/regex_parse.h"

/* fw_dfa_add()'s result for the pattern, or -ENOMEM from the parse. */
static inline int
add_pattern(struct fw_dfa *d, const char *pattern, size_t len, bool caseless)
{
	struct fw_regex rx;
	int rc = fw_regex_parse(&rx, pattern, len, caseless);

	if (rc != -ENOMEM)
		rc = fw_dfa_add(d, &rx);
	fw_regex_free(&rx);
	return rc;
}

#endif
