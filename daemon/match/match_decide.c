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
 * The cut is made at top level, after the last item that is not
 * optional, before the run of items that each have a quantifier of
 * minimum 0 (?, *, {0,n}, their lazy and possessive forms) and end the
 * pattern. The items and where each ends in the source are the front
 * end's (regex_parse.h): K is the pattern's own items up to the cut, an
 * escape or a quotation read whole ("\x41?", "\Qab\E?"), white space
 * and comments under (?x) with the item before them. A pattern keeps its
 * own code (no cut) when it has a top-level alternation or start-of-
 * pattern options ("(*NO_JIT)"), when the front end declines it (verbs,
 * escapes whose meaning depends on the rest of the pattern such as "\12"),
 * or when K does not compile on its own (it refers to a group of T).
 * Group numbers in K are those of the whole pattern: K is a prefix of it.
 * Without JIT the fast engine's tree walk answers K where it models the
 * pattern (match_fast_walk.c, stopped at fw__match_decide_stop()'s item).
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

uint32_t
fw__match_decide_stop(const struct fw_regex *rx, size_t *cut)
{
	uint32_t stop = FW_RX_NONE;

	*cut = 0;
	for (uint32_t x = rx->options_len ? FW_RX_NONE : fw_regex_items(rx); x != FW_RX_NONE; x = rx->nodes[x].next) {
		const struct fw_rx_node *item = &rx->nodes[x];

		if (item->kind != FW_RX_REPEAT || item->min != 0) {
			*cut = item->src_end;
			stop = FW_RX_NONE;
		} else if (stop == FW_RX_NONE) {
			stop = x;
		}
	}
	/* Nothing optional at the end, or nothing required: no cut. */
	if (*cut == 0 || stop == FW_RX_NONE) {
		*cut = 0;
		return FW_RX_NONE;
	}
	return stop;
}

size_t
fw__match_decide_cut(const char *s, bool caseless)
{
	struct fw_regex rx;
	size_t cut = 0;

	if (fw_regex_parse(&rx, s, strlen(s), caseless) == 0)
		fw__match_decide_stop(&rx, &cut);
	fw_regex_free(&rx);
	return cut;
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
