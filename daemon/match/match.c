/*
 * match: matcher life cycle, the confirmation step shared by every engine,
 * and the primary-match rule.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "match/match_engine.h"

/* The JIT stack grows up to this; deeper patterns hit the limit instead. */
#define FW_JIT_STACK_MIN (32 * 1024)
#define FW_JIT_STACK_MAX (1024 * 1024)

static const struct fw_match_engine_ops *
engine_ops(enum fw_match_engine engine)
{
	switch (engine) {
	case FW_ENGINE_REFERENCE:
		return &fw__match_reference_ops;
	case FW_ENGINE_FAST:
		return &fw__match_fast_ops;
	}
	return NULL;
}

const char *
fw_match_engine_name(enum fw_match_engine engine)
{
	const struct fw_match_engine_ops *ops = engine_ops(engine);

	return ops ? ops->name : "unknown";
}

int
fw_matcher_new(const struct fw_kb *kb, enum fw_match_engine engine, struct fw_matcher **out,
	       struct fw_diag *diag)
{
	struct fw_matcher *m;
	int rc;

	*out = NULL;
	m = calloc(1, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->kb = kb;
	m->engine = engine;
	m->ops = engine_ops(engine);
	if (!m->ops) {
		free(m);
		return -EINVAL;
	}
	rc = m->ops->compile(m, diag);
	if (rc < 0) {
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void
fw_matcher_free(struct fw_matcher *m)
{
	if (!m)
		return;
	m->ops->destroy(m);
	free(m);
}

const struct fw_kb *
fw_matcher_kb(const struct fw_matcher *m)
{
	return m->kb;
}

struct fw_match_ctx *
fw_match_ctx_new(const struct fw_matcher *m)
{
	const struct fw_kb *kb = m->kb;
	struct fw_match_ctx *ctx;
	size_t n_names = 0;
	uint32_t max_pairs = 1;

	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		uint32_t pairs;

		n_names += kb->patterns[p].n_names;
		if (pcre2_pattern_info(kb->patterns[p].code, PCRE2_INFO_CAPTURECOUNT, &pairs) == 0 &&
		    pairs + 1 > max_pairs)
			max_pairs = pairs + 1;
	}

	ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->m = m;
	ctx->md = pcre2_match_data_create(max_pairs, NULL);
	ctx->mctx = pcre2_match_context_create(NULL);
	ctx->hits = calloc(kb->n_records ? kb->n_records : 1, sizeof *ctx->hits);
	ctx->caps = calloc(n_names ? n_names : 1, sizeof *ctx->caps);
	ctx->limit_counts = calloc(kb->n_patterns ? kb->n_patterns : 1, sizeof *ctx->limit_counts);
	if (!ctx->md || !ctx->mctx || !ctx->hits || !ctx->caps || !ctx->limit_counts)
		goto fail;
	pcre2_set_match_limit(ctx->mctx, FW_MATCH_LIMIT);
	pcre2_set_depth_limit(ctx->mctx, FW_DEPTH_LIMIT);
	/* Any pattern may be JIT-compiled later, when it is first confirmed. */
	if (kb->jit) {
		ctx->jit_stack = pcre2_jit_stack_create(FW_JIT_STACK_MIN, FW_JIT_STACK_MAX, NULL);
		if (!ctx->jit_stack)
			goto fail;
		pcre2_jit_stack_assign(ctx->mctx, NULL, ctx->jit_stack);
	}
	if (m->ops->ctx_init && m->ops->ctx_init(ctx) < 0)
		goto fail;
	return ctx;
fail:
	fw_match_ctx_free(ctx);
	return NULL;
}

void
fw_match_ctx_free(struct fw_match_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->engine_data && ctx->m->ops->ctx_destroy)
		ctx->m->ops->ctx_destroy(ctx);
	fw__match_decide_free(ctx);
	pcre2_match_data_free(ctx->md);
	pcre2_match_context_free(ctx->mctx);
	pcre2_jit_stack_free(ctx->jit_stack);
	free(ctx->hits);
	free(ctx->caps);
	free(ctx->limit_counts);
	free(ctx);
}

bool
fw__match_try(struct fw_match_ctx *ctx, uint32_t p, const char *line, size_t len)
{
	return fw__match_try_how(ctx, p, NULL, line, len);
}

/* Runs the confirmation how describes: PCRE2's return code. */
static int
run_how(struct fw_match_ctx *ctx, const struct fw_match_how *how, const char *line, size_t len)
{
	int rc = PCRE2_ERROR_NOMATCH;

	if (!how->match_limit)
		return pcre2_match(how->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	pcre2_set_match_limit(ctx->mctx, how->match_limit);
	if (!how->starts)
		rc = pcre2_match(how->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
	for (uint32_t i = 0; how->starts && i < how->n_starts && rc == PCRE2_ERROR_NOMATCH; i++)
		rc = pcre2_match(how->code, (PCRE2_SPTR)line, len, how->starts[i],
				 how->anchored ? PCRE2_ANCHORED : 0, ctx->md, ctx->mctx);
	pcre2_set_match_limit(ctx->mctx, FW_MATCH_LIMIT);
	return rc;
}

bool
fw__match_try_how(struct fw_match_ctx *ctx, uint32_t p, const struct fw_match_how *how,
		  const char *line, size_t len)
{
	const struct fw_kb *kb = ctx->m->kb;
	const struct fw_pattern *pat = &kb->patterns[p];
	struct fw_hit *hit;
	/* The answer is known already (how->ov, how->rc): no call is made. */
	bool known = how && how->ov;
	const PCRE2_SIZE *ov;
	int rc = known ? how->rc : PCRE2_ERROR_NOMATCH;
	/* Captures taken later: the part before the optional end decides (match_decide.c). */
	bool later = known ? how->later : ctx->decide && fw__match_decide(ctx, p, line, len, &rc);

	if (!later && !known) {
		rc = how ? run_how(ctx, how, line, len) : PCRE2_ERROR_NOMATCH;
		/* Where the other way hit a limit, the pattern's own code has the last word. */
		if (!how || (rc < 0 && rc != PCRE2_ERROR_NOMATCH)) {
			/* The first confirmation of a pattern JIT-compiles it (kb.h). */
			if (fw_kb_jit_ready(kb, p) == FW_JIT_ON)
				rc = pcre2_jit_match(pat->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md,
						     ctx->mctx);
			else
				rc = pcre2_match(pat->code, (PCRE2_SPTR)line, len, 0, 0, ctx->md, ctx->mctx);
		}
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return false;
	if (rc < 0) {
		/* Match/depth limit, JIT stack exhausted, or another run-time error:
		 * the pattern counts as not matching this line, and it is counted. */
		ctx->limit_errors++;
		ctx->limit_counts[p]++;
		return false;
	}

	ov = known ? how->ov : pcre2_get_ovector_pointer(ctx->md);
	hit = &ctx->hits[ctx->n_hits++];
	hit->record = pat->record;
	hit->pattern = p;
	hit->first_capture = ctx->n_caps;
	hit->n_captures = 0;
	hit->captures_later = later;
	for (uint32_t i = 0; !later && i < pat->n_names; i++) {
		uint32_t g = pat->names[i].group;
		struct fw_capture *c;

		if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		c = &ctx->caps[ctx->n_caps++];
		c->name = pat->names[i].name;
		c->offset = ov[2 * g];
		c->length = ov[2 * g + 1] - ov[2 * g];
		hit->n_captures++;
	}
	return true;
}

uint32_t
fw_match_line(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask,
	      struct fw_match_result *out)
{
	ctx->n_hits = 0;
	ctx->n_caps = 0;
	ctx->limit_errors = 0;
	if (len >= ctx->m->min_line)    /* else no pattern's match fits (match_engine.h) */
		ctx->m->ops->match(ctx, line, len, mask);
	out->hits = ctx->hits;
	out->n_hits = ctx->n_hits;
	out->captures = ctx->caps;
	out->n_captures = ctx->n_caps;
	out->limit_errors = ctx->limit_errors;
	return ctx->n_hits;
}

uint64_t
fw_match_limit_count(const struct fw_match_ctx *ctx, uint32_t pattern)
{
	return pattern < ctx->m->kb->n_patterns ? ctx->limit_counts[pattern] : 0;
}

uint32_t
fw_match_primary(const struct fw_kb *kb, const struct fw_match_result *r)
{
	uint32_t best = 0;

	for (uint32_t i = 1; i < r->n_hits; i++) {
		const struct fw_record *a = &kb->records[r->hits[i].record];
		const struct fw_record *b = &kb->records[r->hits[best].record];
		uint32_t sa = kb->patterns[r->hits[i].pattern].specificity;
		uint32_t sb = kb->patterns[r->hits[best].pattern].specificity;

		/* Hits are in KB order, so a tie keeps the earlier one. */
		if (a->priority > b->priority || (a->priority == b->priority && sa > sb))
			best = i;
	}
	return best;
}
