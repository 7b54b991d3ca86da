/*
 * lit: conservative literal analysis of a PCRE2 pattern.
 *
 * Derives what every match of a pattern must contain, without running it:
 *  - specificity: how many literal characters any match contains at least
 *    (design.md §4 primary-match rule; 0 when nothing is known);
 *  - required factors: sets of literal strings such that every match
 *    contains at least one member of each set (an alternation gives a set
 *    of several members). The prefilter of the fast matcher uses them.
 *
 * Constructs the analysis does not understand contribute nothing (never a
 * guess): a pattern built only of them has specificity 0 and no factor,
 * and so has a pattern the regex front end does not understand.
 * Caseless parts ((?i), the record's "i" flag) give caseless factors whose
 * bytes are ASCII-lowercased.
 */
#ifndef FW_LIT_H
#define FW_LIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fw_lit {
	unsigned char *bytes;
	size_t len;
	bool caseless;          /* compare ASCII case-folded; bytes are lowercase */
};

/* Every match contains at least one of alts[0..n). */
struct fw_lit_set {
	struct fw_lit *alts;
	size_t n;
};

struct fw_lit_info {
	uint32_t specificity;
	struct fw_lit_set *required; /* all of these sets hold for every match */
	size_t n_required;
};

struct fw_regex;

/*
 * Analyses a pattern already read by the front end (regex_parse.h); a tree
 * with no root (the pattern was not understood) gives nothing. 0 or -ENOMEM.
 */
int fw_lit_from_tree(const struct fw_regex *rx, struct fw_lit_info *out);

/*
 * Analyses pattern[0..len); caseless = the record's "i" flag. Leading
 * start-of-pattern options are skipped: none of them turns a literal
 * character into anything else. 0 or -ENOMEM.
 */
int fw_lit_analyze(const char *pattern, size_t len, bool caseless, struct fw_lit_info *out);
void fw_lit_info_free(struct fw_lit_info *info);

#endif
