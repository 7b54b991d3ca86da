/*
 * lit_int: the factor-set bookkeeping shared by the literal analysis
 * (lit.c: the walk of a pattern's tree; lit_sets.c: factor sets).
 * Internal to the lit module.
 *
 * A branch collects, while a sequence of the pattern is read, its minimum
 * literal length (spec), its finished factor sets and the literal run it is
 * extending. The branch owns its sets and their literals.
 */
#ifndef FW_LIT_INT_H
#define FW_LIT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "match/lit.h"

/* A required literal longer than this is cut: any prefix is still required. */
#define LIT_MAX_LEN 64
/* Sets wider than this are not selective enough to be worth keeping. */
#define LIT_MAX_ALTS 32

struct fw_lit_branch {
	uint32_t spec;
	struct fw_lit_set *sets;
	size_t n_sets, cap_sets;
	unsigned char run[LIT_MAX_LEN];
	size_t run_len;
	bool run_caseless;
	/*
	 * A caseless k or s in the run (at run[partner_at], when partner_len):
	 * it also matches the UTF-8 bytes in partner (U+212A, U+017F), so the
	 * run becomes a set of two literals, one with each.
	 */
	size_t partner_at, partner_len;
	unsigned char partner[3];
};

static inline uint32_t
sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static inline uint32_t
sat_mul(uint32_t a, uint32_t n)
{
	if (a && n > UINT32_MAX / a)
		return UINT32_MAX;
	return a * n;
}

void fw__lit_set_free(struct fw_lit_set *s);
void fw__lit_branch_free(struct fw_lit_branch *b);
/* Moves *s (emptied) to the end of b's sets. 0 or -ENOMEM. */
int fw__lit_branch_push_set(struct fw_lit_branch *b, struct fw_lit_set *s);
/* Ends the current run; a non-empty run becomes a set of one literal. */
int fw__lit_branch_end_run(struct fw_lit_branch *b);
/* Appends one literal character's bytes (already folded) to the run. */
int fw__lit_branch_add_bytes(struct fw_lit_branch *b, const unsigned char *c, size_t n, bool caseless);
/*
 * Appends a caseless k or s, whose other match is the UTF-8 character
 * partner[0..partner_len); a run holds one such, so a second one starts
 * a new run.
 */
int fw__lit_branch_add_partnered(struct fw_lit_branch *b, unsigned char c, const unsigned char *partner,
				 size_t partner_len);
/* Moves all sets of src to dst. */
int fw__lit_branch_take_sets(struct fw_lit_branch *dst, struct fw_lit_branch *src);
/* The index of b's most selective set, or -1 when it has none. */
ssize_t fw__lit_branch_best_set(const struct fw_lit_branch *b);
size_t fw__lit_utf8_encode(uint32_t cp, unsigned char *out);

#endif
