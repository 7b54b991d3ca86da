/*
 * match_decide: matching whose captures are taken later (match.h,
 * fw_match_lazy_captures).
 *
 * Many log signatures end in optional groups that only capture the rest
 * of the line: "no live upstreams while connecting to upstream(?:,
 * client: (?<client>[^,]+))?(?:, server: ...)?". Whether such a pattern
 * matches is decided by what comes before them: a regex K T, where T can
 * match the empty string, matches wherever K does (T then matches empty
 * if nothing longer), and K finds a match wherever K T does. So the
 * decision runs K alone, compiled once per context, and scans the short
 * prefix instead of the whole line; the captures are taken with the
 * pattern's own code only for the hits that need them (an alert that is
 * sent, a summary), with fw_match_captures().
 *
 * The cut is made on the source, at top level, before the longest run
 * of items that each have a quantifier of minimum 0 (?, *, {0,n}, their
 * lazy and possessive forms). A quick scan of the source proposes it; the
 * front end (regex_parse.h) decides: the cut stands only when K parses
 * into the pattern's own items, node for node, up to a run of such
 * optional items that ends the pattern. A scan that misreads an escape
 * ("\x41", "\012", "\cA") thus costs the cut, never a match. A pattern
 * keeps its own code (no cut) when the source has a top-level alternation,
 * backtracking verbs or start-of-pattern options ("(*"), \Q...\E quoting,
 * comments, or the x option (whitespace and comments change what a byte
 * means), when the front end declines it, or when K does not compile on
 * its own (it refers to a group of T). Group numbers in K are those of the
 * whole pattern: K is a prefix of it.
 *
 * Limits: K runs under the same match and depth limits. A line on which
 * only one of K and K T hits a limit (none of the shipped KB's patterns
 * backtracks that far) is decided by K: a hit whose captures then cannot
 * be taken carries none.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_engine.h"
#include "match/regex_parse.h"

enum decide_state {
	DECIDE_UNKNOWN,             /* not looked at yet */
	DECIDE_NONE,                /* no cut: the pattern's own code decides */
	DECIDE_CODE,                /* code[p] decides (interpreted) */
	DECIDE_JIT,                 /* code[p] decides, JIT-compiled */
};

struct fw_match_decide {
	uint8_t *state;             /* per pattern, enum decide_state */
	pcre2_code **code;
};

/* The index after the group or class that starts at s[i], or 0 when it is not closed. */
static size_t skip_class(const char *s, size_t i);

static size_t
skip_escape(const char *s, size_t i)
{
	/* s[i] is the backslash. \x{..}, \o{..}, \N{..}, \p{..}, \g{..}, \k{..}: to the brace. */
	if (!s[i + 1])
		return 0;
	if (s[i + 2] == '{' && strchr("xoNpPgk", s[i + 1])) {
		const char *e = strchr(s + i + 3, '}');

		return e ? (size_t)(e - s) + 1 : 0;
	}
	if ((s[i + 1] == 'k' || s[i + 1] == 'g') && (s[i + 2] == '<' || s[i + 2] == '\'')) {
		const char *e = strchr(s + i + 3, s[i + 2] == '<' ? '>' : '\'');

		return e ? (size_t)(e - s) + 1 : 0;
	}
	return i + 2;
}

static size_t
skip_class(const char *s, size_t i)
{
	i++;                                    /* '[' */
	if (s[i] == '^')
		i++;
	if (s[i] == ']')
		i++;                            /* a first ']' is a member */
	while (s[i] && s[i] != ']') {
		if (s[i] == '\\') {
			if (!(i = skip_escape(s, i)))
				return 0;
		} else if (s[i] == '[' && s[i + 1] == ':') {
			const char *e = strstr(s + i + 2, ":]");

			if (!e)
				return 0;
			i = (size_t)(e - s) + 2;
		} else {
			i++;
		}
	}
	return s[i] ? i + 1 : 0;
}

static size_t
skip_group(const char *s, size_t i)
{
	int depth = 0;

	while (s[i]) {
		if (s[i] == '\\') {
			if (!(i = skip_escape(s, i)))
				return 0;
			continue;
		}
		if (s[i] == '[') {
			if (!(i = skip_class(s, i)))
				return 0;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return 0;
}

/*
 * A quantifier at s[i], if any: its end (i when there is none), and
 * whether its minimum is 0. "{" that does not form a quantifier is a
 * literal, as in PCRE2.
 */
static size_t
quantifier(const char *s, size_t i, bool *optional)
{
	size_t j = i;

	*optional = false;
	if (s[i] == '?' || s[i] == '*') {
		*optional = true;
		j = i + 1;
	} else if (s[i] == '+') {
		j = i + 1;
	} else if (s[i] == '{' && s[i + 1] >= '0' && s[i + 1] <= '9') {
		size_t k = i + 1;
		bool zero = true;

		for (; s[k] >= '0' && s[k] <= '9'; k++)
			zero = zero && s[k] == '0';
		if (s[k] == ',')
			for (k++; s[k] >= '0' && s[k] <= '9'; k++)
				;
		if (s[k] != '}')
			return i;
		*optional = zero;
		j = k + 1;
	} else {
		return i;
	}
	if (s[j] == '?' || s[j] == '+')
		j++;
	return j;
}

/* Whether a "(?" at s[i] sets the x option (its letters before ')' or ':'). */
static bool
sets_extended(const char *s, size_t i)
{
	for (i += 2; s[i] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ^-", s[i]); i++)
		if (s[i] == 'x')
			return true;
	return false;
}

/*
 * Whether s[0..cut) parses into the items of s up to a run of optional
 * items (repeats of minimum 0) that ends s and is not empty.
 */
static bool
cut_holds(const char *s, size_t cut, bool caseless)
{
	struct fw_regex whole = { 0 }, kept = { 0 };
	bool same = false;

	if (fw_regex_parse(&whole, s, strlen(s), caseless) == 0 && fw_regex_parse(&kept, s, cut, caseless) == 0) {
		uint32_t x = fw_regex_items(&whole), y = fw_regex_items(&kept);

		if (x != FW_RX_NONE && y != FW_RX_NONE) {
			while (x != FW_RX_NONE && y != FW_RX_NONE && fw_regex_same_nodes(&whole, x, &kept, y, false)) {
				x = whole.nodes[x].next;
				y = kept.nodes[y].next;
			}
			same = y == FW_RX_NONE && x != FW_RX_NONE;
			for (; same && x != FW_RX_NONE; x = whole.nodes[x].next)
				same = whole.nodes[x].kind == FW_RX_REPEAT && whole.nodes[x].min == 0;
		}
	}
	fw_regex_free(&whole);
	fw_regex_free(&kept);
	return same;
}

size_t
fw__match_decide_cut(const char *s, bool caseless)
{
	size_t i = 0, cut = 0;

	if (strstr(s, "(*") || strstr(s, "\\Q") || strstr(s, "(?#"))
		return 0;
	while (s[i]) {
		size_t end;
		bool optional;

		switch (s[i]) {
		case '\\':
			end = skip_escape(s, i);
			break;
		case '[':
			end = skip_class(s, i);
			break;
		case '(':
			end = skip_group(s, i);
			break;
		case '|':
			return 0;
		case '?': case '*': case '+':
			return 0;       /* a quantifier with nothing before it: leave it to PCRE2 */
		default:
			end = i + 1;
			break;
		}
		if (!end)
			return 0;
		for (size_t k = i; k < end; k++)
			if (s[k] == '(' && s[k + 1] == '?' && sets_extended(s, k))
				return 0;
		end = quantifier(s, end, &optional);
		if (!optional)
			cut = end;
		i = end;
	}
	/* Nothing optional at the end, or nothing required: no cut. */
	if (cut == 0 || cut == i)
		return 0;
	return cut_holds(s, cut, caseless) ? cut : 0;
}

int
fw__match_decide_new(struct fw_match_ctx *ctx)
{
	uint32_t n = ctx->m->kb->n_patterns;
	struct fw_match_decide *d;

	if (ctx->decide)
		return 0;
	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->state = calloc(n ? n : 1, sizeof *d->state);
	d->code = calloc(n ? n : 1, sizeof *d->code);
	if (!d->state || !d->code) {
		free(d->state);
		free(d->code);
		free(d);
		return -ENOMEM;
	}
	ctx->decide = d;
	return 0;
}

void
fw__match_decide_free(struct fw_match_ctx *ctx)
{
	struct fw_match_decide *d = ctx->decide;

	if (!d)
		return;
	for (uint32_t p = 0; p < ctx->m->kb->n_patterns; p++)
		pcre2_code_free(d->code[p]);
	free(d->state);
	free(d->code);
	free(d);
	ctx->decide = NULL;
}

/* The state of p's cut, made on its first use. */
static enum decide_state
prepare(struct fw_match_ctx *ctx, uint32_t p)
{
	const struct fw_kb *kb = ctx->m->kb;
	const struct fw_pattern *pat = &kb->patterns[p];
	struct fw_match_decide *d = ctx->decide;
	size_t cut = fw__match_decide_cut(pat->source, pat->caseless);
	uint32_t opts = 0;
	PCRE2_SIZE erroff;
	int err;

	d->state[p] = DECIDE_NONE;
	if (cut == 0 || pcre2_pattern_info(pat->code, PCRE2_INFO_ARGOPTIONS, &opts) != 0)
		return DECIDE_NONE;
	d->code[p] = pcre2_compile((PCRE2_SPTR)pat->source, cut, opts, &err, &erroff, NULL);
	if (!d->code[p])
		return DECIDE_NONE;
	d->state[p] = DECIDE_CODE;
	/* JIT where the pattern's own code has it (which also readies that for its captures). */
	if (fw_kb_jit_ready(kb, p) == FW_JIT_ON && pcre2_jit_compile(d->code[p], PCRE2_JIT_COMPLETE) == 0)
		d->state[p] = DECIDE_JIT;
	return (enum decide_state)d->state[p];
}

bool
fw__match_decide(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len, int *rc)
{
	enum decide_state s = (enum decide_state)ctx->decide->state[p];
	pcre2_code *code;

	if (s == DECIDE_UNKNOWN)
		s = prepare(ctx, p);
	if (s == DECIDE_NONE)
		return false;
	code = ctx->decide->code[p];
	if (s == DECIDE_JIT)
		*rc = pcre2_jit_match(code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	else
		*rc = pcre2_match(code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	return true;
}

int
fw_match_lazy_captures(struct fw_match_ctx *ctx, bool on)
{
	if (!on) {
		fw__match_decide_free(ctx);
		return 0;
	}
	return fw__match_decide_new(ctx);
}

int
fw_match_captures(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len,
		  struct fw_capture *out, uint32_t max)
{
	const struct fw_kb *kb = ctx->m->kb;
	const struct fw_pattern *pat = &kb->patterns[p];
	PCRE2_SIZE *ov;
	uint32_t n = 0;
	int rc;

	if (fw_kb_jit_ready(kb, p) == FW_JIT_ON)
		rc = pcre2_jit_match(pat->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	else
		rc = pcre2_match(pat->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	if (rc < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(ctx->md);
	/* As fw__match_try_how() takes them: named groups that are set, in name order. */
	for (uint32_t i = 0; i < pat->n_names && n < max; i++) {
		uint32_t g = pat->names[i].group;

		if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		out[n++] = (struct fw_capture){
			.name = pat->names[i].name,
			.offset = ov[2 * g],
			.length = ov[2 * g + 1] - ov[2 * g],
		};
	}
	return (int)n;
}
