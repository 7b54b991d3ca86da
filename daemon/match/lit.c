/*
 * lit: conservative literal analysis of a pattern (see lit.h), a walk of
 * the regex front end's tree (regex_parse.h).
 *
 * Each branch keeps the literal run it is currently extending; anything
 * that is not a plain literal character ends the run, and a finished run
 * becomes a required factor set of one member. A group with several
 * branches gives one set whose members are the best factor of each branch
 * (only when every branch has one). Quantifiers with a minimum of 0 drop
 * what their operand gave.
 *
 * Soundness first: every factor returned must occur in every subject the
 * pattern matches. A pattern the front end does not understand gives
 * specificity 0 and no factor; its opaque nodes (backreferences,
 * lookarounds, conditionals...) contribute nothing.
 *
 * Caseless: PCRE2 in UTF mode folds Unicode, so a caseless 'k' also matches
 * U+212A (KELVIN SIGN) and 's' matches U+017F (LATIN SMALL LETTER LONG S),
 * and non-ASCII letters have non-ASCII partners of other byte lengths.
 * Non-ASCII letters end a caseless run (they still count for specificity);
 * a run may hold one caseless k or s, and then gives a set of two literals:
 * the run, and the run with the letter's partner in UTF-8 in its place
 * (caseless "ms" gives {ms, m\xC5\xBF}).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "match/lit_int.h"
#include "match/regex_parse.h"

/* What one item of a sequence is, for the quantifier that may follow it. */
enum atom_kind {
	ATOM_NONE,      /* zero-width or nothing (anchors, lookarounds, options) */
	ATOM_OPAQUE,    /* consumes input, says nothing (., \d, classes, backrefs) */
	ATOM_CHAR,      /* one literal character */
	ATOM_GROUP,     /* a group whose result is in a sub-branch */
};

struct atom {
	enum atom_kind kind;
	unsigned char c[4];
	size_t n;
	bool caseless;
	bool foldable;  /* can be in a run (not a caseless non-ASCII letter) */
	/* A caseless k or s: the UTF-8 of its non-ASCII partner. */
	unsigned char partner[3];
	size_t partner_len;
	struct fw_lit_branch group;
};

static int analyze_alt(const struct fw_regex *rx, uint32_t alt, struct fw_lit_branch *out);

/* A literal code point as an atom, folded for a caseless context. */
static void
atom_char(struct atom *a, uint32_t cp, bool caseless)
{
	a->kind = ATOM_CHAR;
	a->caseless = caseless;
	a->foldable = true;
	a->partner_len = 0;
	if (caseless) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (cp >= 0x80)
			a->foldable = false;
		if (cp == 'k' || cp == 's')
			a->partner_len = fw__lit_utf8_encode(cp == 'k' ? 0x212A : 0x017F, a->partner);
	}
	a->n = fw__lit_utf8_encode(cp, a->c);
}

/* The atom node n stands for; a group's own analysis goes into a->group. */
static int
atom_of(const struct fw_regex *rx, uint32_t n, struct atom *a)
{
	const struct fw_rx_node *x = &rx->nodes[n];

	switch (x->kind) {
	case FW_RX_CHAR:
		atom_char(a, x->cp, x->flags & FW_RX_F_CASELESS);
		return 0;
	case FW_RX_CLASS:
		/* A class of exactly one character is that literal ([.] is a dot). */
		if (x->cp != FW_RX_NONE)
			atom_char(a, x->cp, x->flags & FW_RX_F_CASELESS);
		else
			a->kind = ATOM_OPAQUE;
		return 0;
	case FW_RX_ANY:
		a->kind = ATOM_OPAQUE;
		return 0;
	case FW_RX_GROUP:
		a->kind = ATOM_GROUP;
		return analyze_alt(rx, x->child, &a->group);
	case FW_RX_OPAQUE:
		a->kind = x->flags & FW_RX_F_ZERO_WIDTH ? ATOM_NONE : ATOM_OPAQUE;
		return 0;
	default:
		/* Anchors, \b, option settings and comments. */
		a->kind = ATOM_NONE;
		return 0;
	}
}

/* Appends character atom a to b's run. */
static int
add_char(struct fw_lit_branch *b, const struct atom *a)
{
	if (a->partner_len)
		return fw__lit_branch_add_partnered(b, a->c[0], a->partner, a->partner_len);
	return fw__lit_branch_add_bytes(b, a->c, a->n, a->caseless);
}

/* Applies atom a, quantified {min,max}, to branch b. */
static int
branch_apply(struct fw_lit_branch *b, struct atom *a, uint32_t min, uint32_t max)
{
	int rc;

	switch (a->kind) {
	case ATOM_NONE:
	case ATOM_OPAQUE:
		return fw__lit_branch_end_run(b);
	case ATOM_CHAR:
		b->spec = sat_add(b->spec, min);
		if (!a->foldable || min == 0)
			return fw__lit_branch_end_run(b);
		for (uint32_t i = 0; i < min && i < LIT_MAX_LEN; i++) {
			rc = add_char(b, a);
			if (rc < 0)
				return rc;
		}
		if (max != min) {
			/* a+ in "xa+y": "xa" and "ay" are both required. */
			rc = fw__lit_branch_end_run(b);
			if (rc < 0)
				return rc;
			return add_char(b, a);
		}
		return 0;
	case ATOM_GROUP:
		rc = fw__lit_branch_end_run(b);
		if (rc < 0 || min == 0)
			return rc;
		b->spec = sat_add(b->spec, sat_mul(a->group.spec, min));
		return fw__lit_branch_take_sets(b, &a->group);
	}
	return 0;
}

/* One branch (an FW_RX_CAT): its quantified items in order. */
static int
analyze_seq(const struct fw_regex *rx, uint32_t cat, struct fw_lit_branch *b)
{
	for (uint32_t k = rx->nodes[cat].child; k != FW_RX_NONE; k = rx->nodes[k].next) {
		const struct fw_rx_node *x = &rx->nodes[k];
		struct atom a = { .kind = ATOM_NONE };
		uint32_t min = 1, max = 1, n = k;
		int rc;

		if (x->kind == FW_RX_TEXT) {
			/* Literal text: each of its characters once. */
			rc = 0;
			for (uint32_t i = 0; i < x->len && rc == 0; i++) {
				atom_char(&a, fw_rx_text(rx, x)[i], x->flags & FW_RX_F_CASELESS);
				rc = branch_apply(b, &a, 1, 1);
			}
			if (rc < 0)
				return rc;
			continue;
		}
		if (x->kind == FW_RX_REPEAT) {
			min = x->min;
			max = x->max;
			n = x->child;
		}
		rc = atom_of(rx, n, &a);
		if (rc == 0)
			rc = branch_apply(b, &a, min, max);
		fw__lit_branch_free(&a.group);
		if (rc < 0)
			return rc;
	}
	return fw__lit_branch_end_run(b);
}

/*
 * Branches of an FW_RX_ALT. One branch: its result. Several: specificity
 * is the minimum; one set made of each branch's best set, when every
 * branch has one and the union stays small.
 */
static int
analyze_alt(const struct fw_regex *rx, uint32_t alt, struct fw_lit_branch *out)
{
	struct fw_lit_set uni = { 0 };
	bool all_have = true;
	size_t n_branches = 0;
	int rc;

	memset(out, 0, sizeof *out);
	for (uint32_t k = rx->nodes[alt].child; k != FW_RX_NONE; k = rx->nodes[k].next) {
		struct fw_lit_branch b = { 0 };
		ssize_t best;

		rc = analyze_seq(rx, k, &b);
		if (rc < 0) {
			fw__lit_branch_free(&b);
			goto fail;
		}
		n_branches++;
		if (n_branches == 1) {
			*out = b;
			continue;
		}
		if (n_branches == 2) {
			/* Turn the first branch's result into a union candidate. */
			best = fw__lit_branch_best_set(out);
			if (best < 0) {
				all_have = false;
			} else {
				uni = out->sets[best];
				memmove(&out->sets[best], &out->sets[best + 1],
					(out->n_sets - (size_t)best - 1) * sizeof *out->sets);
				out->n_sets--;
			}
			for (size_t i = 0; i < out->n_sets; i++)
				fw__lit_set_free(&out->sets[i]);
			out->n_sets = 0;
		}
		if (b.spec < out->spec)
			out->spec = b.spec;
		best = fw__lit_branch_best_set(&b);
		if (best < 0 || uni.n + b.sets[best].n > LIT_MAX_ALTS) {
			all_have = false;
		} else if (all_have) {
			struct fw_lit *n = realloc(uni.alts, (uni.n + b.sets[best].n) * sizeof *n);

			if (!n) {
				fw__lit_branch_free(&b);
				rc = -ENOMEM;
				goto fail;
			}
			uni.alts = n;
			memcpy(uni.alts + uni.n, b.sets[best].alts, b.sets[best].n * sizeof *n);
			uni.n += b.sets[best].n;
			free(b.sets[best].alts);
			b.sets[best].alts = NULL;
			b.sets[best].n = 0;
		}
		fw__lit_branch_free(&b);
	}
	if (n_branches > 1) {
		if (all_have && uni.n) {
			rc = fw__lit_branch_push_set(out, &uni);
			if (rc < 0)
				goto fail;
		}
		fw__lit_set_free(&uni);
	}
	return 0;
fail:
	fw__lit_set_free(&uni);
	fw__lit_branch_free(out);
	return rc;
}

int
fw_lit_from_tree(const struct fw_regex *rx, struct fw_lit_info *out)
{
	struct fw_lit_branch b;
	int rc;

	memset(out, 0, sizeof *out);
	if (rx->root == FW_RX_NONE)
		return 0;
	rc = analyze_alt(rx, rx->root, &b);
	if (rc < 0)
		return rc;
	out->specificity = b.spec;
	out->required = b.sets;
	out->n_required = b.n_sets;
	return 0;
}

int
fw_lit_analyze(const char *pattern, size_t len, bool caseless, struct fw_lit_info *out)
{
	struct fw_regex rx;
	int rc = fw_regex_parse(&rx, pattern, len, caseless);

	memset(out, 0, sizeof *out);
	if (rc == 0)
		rc = fw_lit_from_tree(&rx, out);
	else if (rc != -ENOMEM)
		rc = 0;         /* not understood: claim nothing */
	fw_regex_free(&rx);
	return rc;
}

void
fw_lit_info_free(struct fw_lit_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_required; i++)
		fw__lit_set_free(&info->required[i]);
	free(info->required);
	memset(info, 0, sizeof *info);
}
