/*
 * lit: conservative literal analysis of a PCRE2 pattern (see lit.h).
 *
 * A recursive-descent walk over the pattern text. Each branch keeps the
 * literal run it is currently extending; anything that is not a plain
 * literal character ends the run, and a finished run becomes a required
 * factor set of one member. A group with several branches gives one set
 * whose members are the best factor of each branch (only when every branch
 * has one). Quantifiers with a minimum of 0 drop what their operand gave.
 *
 * Soundness first: every factor returned must occur in every subject the
 * pattern matches. So any syntax whose extent or meaning is not certain
 * (verbs, callouts, (?x), unusual escapes, malformed braces) abandons the
 * whole analysis, which leaves specificity 0 and no factor.
 *
 * Caseless: PCRE2 in UTF mode folds Unicode, so a caseless 'k' also matches
 * U+212A (KELVIN SIGN) and 's' matches U+017F (LATIN SMALL LETTER LONG S),
 * and non-ASCII letters have non-ASCII partners of other byte lengths.
 * Those characters end a caseless run (they still count for specificity).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "match/lit_int.h"

/* Nesting deeper than this is abandoned rather than risk the C stack. */
#define LIT_MAX_DEPTH 64

/* Parses a quantifier after an atom: min and whether one is present. */
static bool
parse_quantifier(struct parser *ps, uint32_t *min, uint32_t *max)
{
	const unsigned char *p = ps->p;

	if (p >= ps->end)
		return false;
	switch (*p) {
	case '?': *min = 0; *max = 1; ps->p++; break;
	case '*': *min = 0; *max = UINT32_MAX; ps->p++; break;
	case '+': *min = 1; *max = UINT32_MAX; ps->p++; break;
	case '{': {
		uint32_t n = 0, m;
		int digits = 0;

		p++;
		while (p < ps->end && *p >= '0' && *p <= '9' && digits < 6) {
			n = n * 10 + (uint32_t)(*p++ - '0');
			digits++;
		}
		if (!digits || p == ps->end) {
			/* "{" not starting {n...}: a literal in some PCRE2 versions,
			 * a quantifier ({,m}) in others. Do not guess. */
			ps->bail = true;
			return false;
		}
		m = n;
		if (*p == ',') {
			p++;
			m = UINT32_MAX;
			digits = 0;
			if (p < ps->end && *p >= '0' && *p <= '9') {
				m = 0;
				while (p < ps->end && *p >= '0' && *p <= '9' && digits < 6) {
					m = m * 10 + (uint32_t)(*p++ - '0');
					digits++;
				}
			}
		}
		if (p == ps->end || *p != '}') {
			ps->bail = true;
			return false;
		}
		ps->p = p + 1;
		*min = n;
		*max = m;
		break;
	}
	default:
		return false;
	}
	/* Lazy or possessive: the same required content. */
	if (ps->p < ps->end && (*ps->p == '?' || *ps->p == '+'))
		ps->p++;
	return true;
}

static int parse_alternation(struct parser *ps, bool *caseless, struct fw_lit_branch *out);

/* Skips a group we do not analyse (lookaround, conditional), nested parentheses included. */
static void
skip_group(struct parser *ps)
{
	bool dummy_ci = false;
	struct fw_lit_branch b = { 0 };

	/* Parse it for its extent only; what it gives is thrown away. */
	if (parse_alternation(ps, &dummy_ci, &b) < 0)
		ps->nomem = true;
	fw__lit_branch_free(&b);
	if (ps->p < ps->end && *ps->p == ')')
		ps->p++;
	else
		ps->bail = true;
}

/*
 * Inline option letters after "(?" up to ')' or ':'. Only 'i' matters;
 * 'x' changes how the rest must be read, so it abandons the analysis.
 */
static bool
parse_options(struct parser *ps, bool *caseless)
{
	bool on = true;

	if (ps->p < ps->end && *ps->p == '^') {
		*caseless = false;
		ps->p++;
	}
	while (ps->p < ps->end && *ps->p != ')' && *ps->p != ':') {
		switch (*ps->p) {
		case '-': on = false; break;
		case 'i': *caseless = on; break;
		case 'm': case 'n': case 's': case 'J': case 'U': break;
		default:
			ps->bail = true;
			return false;
		}
		ps->p++;
	}
	if (ps->p == ps->end) {
		ps->bail = true;
		return false;
	}
	return true;
}

/*
 * A group (ps->p after '('). Fills a: ATOM_GROUP for groups we analyse,
 * ATOM_NONE/ATOM_OPAQUE for those we skip. *caseless may change for the
 * rest of the enclosing group ((?i) with no colon).
 */
static void
parse_group(struct parser *ps, struct atom *a, bool *caseless)
{
	bool inner_ci = *caseless;

	a->kind = ATOM_GROUP;
	if (ps->p < ps->end && *ps->p == '*') {
		/* Verbs and (*pla:...) style assertions; (*ACCEPT) ends a match early. */
		ps->bail = true;
		return;
	}
	if (ps->p < ps->end && *ps->p == '?') {
		ps->p++;
		if (ps->p == ps->end) {
			ps->bail = true;
			return;
		}
		switch (*ps->p) {
		case ':': case '>': case '|':
			ps->p++;
			break;
		case '=': case '!':
			ps->p++;
			skip_group(ps);
			a->kind = ATOM_NONE;
			return;
		case '<':
			if (ps->end - ps->p >= 2 && (ps->p[1] == '=' || ps->p[1] == '!')) {
				ps->p += 2;
				skip_group(ps);
				a->kind = ATOM_NONE;
				return;
			}
			ps->p++;
			fw__lit_skip_to(ps, '>');
			break;
		case '\'':
			ps->p++;
			fw__lit_skip_to(ps, '\'');
			break;
		case 'P':
			ps->p++;
			if (ps->p < ps->end && *ps->p == '<') {
				ps->p++;
				fw__lit_skip_to(ps, '>');
				break;
			}
			/* (?P=name) backreference, (?P>name) call. */
			fw__lit_skip_to(ps, ')');
			a->kind = ATOM_OPAQUE;
			return;
		case '#':
			fw__lit_skip_to(ps, ')');
			a->kind = ATOM_NONE;
			return;
		case 'R': case '&': case '+': case '-': case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': case '8': case '9':
			if (*ps->p == '-' && ps->end - ps->p >= 2 &&
			    !(ps->p[1] >= '0' && ps->p[1] <= '9')) {
				/* (?-i) and friends: options, below. */
				goto options;
			}
			/* Recursion and subroutine calls. */
			fw__lit_skip_to(ps, ')');
			a->kind = ATOM_OPAQUE;
			return;
		case '(':
			/* Conditional group: which branch applies is not known here. */
			skip_group(ps);
			a->kind = ATOM_OPAQUE;
			return;
		default:
options:
			if (!parse_options(ps, &inner_ci))
				return;
			if (*ps->p == ')') {
				ps->p++;
				*caseless = inner_ci;
				a->kind = ATOM_NONE;
				return;
			}
			ps->p++; /* ':' */
			break;
		}
		if (ps->bail)
			return;
	}
	if (parse_alternation(ps, &inner_ci, &a->group) < 0) {
		ps->nomem = true;
		return;
	}
	if (ps->p < ps->end && *ps->p == ')')
		ps->p++;
	else
		ps->bail = true;
}

/* Applies atom a, quantified {min,max}, to branch b. */
static int
branch_apply(struct fw_lit_branch *b, struct atom *a, uint32_t min, uint32_t max)
{
	int rc;

	switch (a->kind) {
	case ATOM_NONE:
		return fw__lit_branch_end_run(b);
	case ATOM_OPAQUE:
		return fw__lit_branch_end_run(b);
	case ATOM_CHAR:
		b->spec = sat_add(b->spec, min);
		if (!a->foldable || min == 0)
			return fw__lit_branch_end_run(b);
		for (uint32_t i = 0; i < min && i < LIT_MAX_LEN; i++) {
			rc = fw__lit_branch_add_bytes(b, a->c, a->n, a->caseless);
			if (rc < 0)
				return rc;
		}
		if (max != min) {
			/* a+ in "xa+y": "xa" and "ay" are both required. */
			rc = fw__lit_branch_end_run(b);
			if (rc < 0)
				return rc;
			return fw__lit_branch_add_bytes(b, a->c, a->n, a->caseless);
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

/* One branch: a sequence of quantified atoms up to '|' or ')' or the end. */
static int
parse_branch(struct parser *ps, bool *caseless, struct fw_lit_branch *b)
{
	int rc = 0;

	while (ps->p < ps->end && *ps->p != '|' && *ps->p != ')' && !ps->bail && !ps->nomem) {
		struct atom a = { .kind = ATOM_NONE };
		uint32_t min = 1, max = 1;
		unsigned char c = *ps->p;

		if (c == '\\' && ps->end - ps->p >= 2 && ps->p[1] == 'Q') {
			/* \Q...\E: every character up to \E (or the end) is literal. */
			ps->p += 2;
			while (ps->p < ps->end && !ps->bail) {
				if (*ps->p == '\\' && ps->end - ps->p >= 2 && ps->p[1] == 'E') {
					ps->p += 2;
					break;
				}
				fw__lit_atom_char(&a, fw__lit_read_cp(ps), *caseless);
				if (ps->bail)
					break;
				/* A quantifier after \E applies to the last character only. */
				if (ps->p < ps->end && *ps->p == '\\' && ps->end - ps->p >= 2 &&
				    ps->p[1] == 'E') {
					ps->p += 2;
					break;
				}
				rc = branch_apply(b, &a, 1, 1);
				if (rc < 0)
					return rc;
				a.kind = ATOM_NONE;
			}
			if (ps->bail)
				break;
			if (a.kind == ATOM_NONE)
				continue;
		} else if (c == '\\') {
			ps->p++;
			fw__lit_parse_escape(ps, &a, *caseless);
		} else if (c == '[') {
			ps->p++;
			fw__lit_parse_class(ps, &a, *caseless);
		} else if (c == '(') {
			if (++ps->depth > LIT_MAX_DEPTH) {
				ps->bail = true;
				break;
			}
			ps->p++;
			parse_group(ps, &a, caseless);
			ps->depth--;
		} else if (c == '.') {
			ps->p++;
			a.kind = ATOM_OPAQUE;
		} else if (c == '^' || c == '$') {
			ps->p++;
			a.kind = ATOM_NONE;
		} else if (c == '*' || c == '+' || c == '?' || c == '{') {
			/* A quantifier with nothing to repeat (or a literal brace):
			 * PCRE2 decides; we do not. */
			ps->bail = true;
			break;
		} else {
			fw__lit_atom_char(&a, fw__lit_read_cp(ps), *caseless);
		}
		if (ps->bail || ps->nomem) {
			fw__lit_branch_free(&a.group);
			break;
		}
		if (a.kind != ATOM_NONE && parse_quantifier(ps, &min, &max)) {
			if (ps->p < ps->end && (*ps->p == '*' || *ps->p == '+' || *ps->p == '?' ||
						*ps->p == '{')) {
				ps->bail = true;
				fw__lit_branch_free(&a.group);
				break;
			}
		} else if (a.kind == ATOM_NONE && ps->p < ps->end &&
			   (*ps->p == '*' || *ps->p == '+' || *ps->p == '?' || *ps->p == '{')) {
			/* Quantified assertion or option: PCRE2 rules differ; do not guess. */
			ps->bail = true;
			break;
		}
		if (ps->bail) {
			fw__lit_branch_free(&a.group);
			break;
		}
		rc = branch_apply(b, &a, min, max);
		fw__lit_branch_free(&a.group);
		if (rc < 0)
			return rc;
	}
	return fw__lit_branch_end_run(b);
}

/*
 * Branches separated by '|' up to ')' or the end. One branch: its result.
 * Several: specificity is the minimum; one set made of each branch's best
 * set, when every branch has one and the union stays small.
 */
static int
parse_alternation(struct parser *ps, bool *caseless, struct fw_lit_branch *out)
{
	struct fw_lit_set uni = { 0 };
	bool all_have = true;
	size_t n_branches = 0;
	int rc;

	memset(out, 0, sizeof *out);
	for (;;) {
		struct fw_lit_branch b = { 0 };
		ssize_t best;

		rc = parse_branch(ps, caseless, &b);
		if (rc < 0) {
			fw__lit_branch_free(&b);
			goto fail;
		}
		n_branches++;
		if (n_branches == 1) {
			*out = b;
		} else {
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
				struct fw_lit *n = realloc(uni.alts,
							   (uni.n + b.sets[best].n) * sizeof *n);

				if (!n) {
					fw__lit_branch_free(&b);
					rc = -ENOMEM;
					goto fail;
				}
				uni.alts = n;
				memcpy(uni.alts + uni.n, b.sets[best].alts,
				       b.sets[best].n * sizeof *n);
				uni.n += b.sets[best].n;
				free(b.sets[best].alts);
				b.sets[best].alts = NULL;
				b.sets[best].n = 0;
			}
			fw__lit_branch_free(&b);
		}
		if (ps->bail || ps->nomem || ps->p >= ps->end || *ps->p != '|')
			break;
		ps->p++;
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

/* PCRE2 10.42's start-of-pattern items (pcre2pattern(3), "Option settings"). */
static const struct {
	const char *name;       /* a trailing '=' takes a decimal number */
	bool widens;
} start_options[] = {
	{ "LIMIT_DEPTH=", false }, { "LIMIT_HEAP=", false }, { "LIMIT_MATCH=", false },
	{ "LIMIT_RECURSION=", false }, { "NOTEMPTY", false }, { "NOTEMPTY_ATSTART", false },
	{ "NO_AUTO_POSSESS", false }, { "NO_DOTSTAR_ANCHOR", false }, { "NO_JIT", false },
	{ "NO_START_OPT", false }, { "UTF", false },
	{ "UCP", true }, { "CR", true }, { "LF", true }, { "CRLF", true }, { "ANYCRLF", true },
	{ "ANY", true }, { "NUL", true }, { "BSR_ANYCRLF", true }, { "BSR_UNICODE", true },
};

/* The length of the start-of-pattern item NAME) at p, or 0 if it is none. */
static size_t
start_option(const char *p, size_t len, bool *widens)
{
	for (size_t i = 0; i < sizeof start_options / sizeof start_options[0]; i++) {
		const char *name = start_options[i].name;
		size_t n = strlen(name), k = n;

		if (len < n + 1 || memcmp(p, name, n) != 0)
			continue;
		if (name[n - 1] == '=') {
			while (k < len && p[k] >= '0' && p[k] <= '9')
				k++;
			if (k == n)
				continue;
		}
		if (k < len && p[k] == ')') {
			*widens |= start_options[i].widens;
			return k + 1;
		}
	}
	return 0;
}

size_t
fw_lit_start_options(const char *pattern, size_t len, bool *widens)
{
	size_t off = 0, n;

	*widens = false;
	while (len - off > 2 && pattern[off] == '(' && pattern[off + 1] == '*' &&
	       (n = start_option(pattern + off + 2, len - off - 2, widens)) > 0)
		off += 2 + n;
	return off;
}

int
fw_lit_analyze(const char *pattern, size_t len, bool caseless, struct fw_lit_info *out)
{
	bool widens;
	size_t skip = fw_lit_start_options(pattern, len, &widens);
	struct parser ps = {
		.p = (const unsigned char *)pattern + skip,
		.end = (const unsigned char *)pattern + len,
	};
	struct fw_lit_branch b;
	bool ci = caseless;
	int rc;

	memset(out, 0, sizeof *out);
	rc = parse_alternation(&ps, &ci, &b);
	if (rc < 0 || ps.nomem) {
		fw__lit_branch_free(&b);
		return -ENOMEM;
	}
	if (ps.bail || ps.p != ps.end) {
		/* Not understood (or an unbalanced ')'): claim nothing. */
		fw__lit_branch_free(&b);
		return 0;
	}
	out->specificity = b.spec;
	out->required = b.sets;
	out->n_required = b.n_sets;
	return 0;
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
