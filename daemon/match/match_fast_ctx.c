/*
 * match_fast_ctx: a fast-engine context's life, and what it reports of its
 * stream (match_fast.h): DFA give-ups, key moves, scanned literals, moved
 * triggers, first-stage switches, and the test hooks of its schedules.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "match/dfa.h"
#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_adapt.h"
#include "match/match_fast_ctx.h"
#include "match/match_fast_int.h"

int
fw__fast_ctx_init(struct fw_match_ctx *ctx)
{
	const struct fast *f = ctx->m->engine_data;
	struct fast_ctx *c = calloc(1, sizeof *c);
	size_t np = f->n_patterns ? f->n_patterns : 1;

	if (!c)
		return -ENOMEM;
	ctx->engine_data = c;
	c->pat_gen = calloc(np, sizeof *c->pat_gen);
	c->trig = calloc(np, sizeof *c->trig);
	c->lit_stamp = calloc(f->n_lits ? f->n_lits : 1, sizeof *c->lit_stamp);
	c->cands = calloc(np + 1, sizeof *c->cands);     /* confirm() marks their end */
	c->nomatch_gen = calloc(np, sizeof *c->nomatch_gen);
	c->follow = calloc(np, sizeof *c->follow);
	c->cand_bits = calloc((np + 63) / 64, sizeof *c->cand_bits);
	c->anchor_gen = calloc(f->n_anchors ? f->n_anchors : 1, sizeof *c->anchor_gen);
	c->anchor_first = calloc(f->n_anchors ? f->n_anchors : 1, sizeof *c->anchor_first);
	c->anchor_n = calloc(f->n_anchors ? f->n_anchors : 1, sizeof *c->anchor_n);
	c->set_gen = calloc(f->n_anchor_sets ? f->n_anchor_sets : 1, sizeof *c->set_gen);
	c->anchor_asked = calloc(f->n_anchors ? f->n_anchors : 1, sizeof *c->anchor_asked);
	c->anchor_twice = calloc(f->n_anchors ? f->n_anchors : 1, 1);
	if (f->dfa) {
		c->dfa = fw_dfa_runner_new(f->dfa, 0);
		c->group_pass = calloc(DFA_GROUPS_MAX, 1);
	}
	if (fw__adapt_init(&c->adapt, f) < 0 ||
	    !c->pat_gen || !c->trig || !c->lit_stamp || !c->cands ||
	    !c->cand_bits || !c->nomatch_gen || !c->follow || !c->anchor_gen || !c->anchor_first || !c->anchor_n ||
	    !c->set_gen || !c->anchor_asked || !c->anchor_twice ||
	    (f->dfa && (!c->dfa || !c->group_pass)))
		return -ENOMEM;
	return 0;
}

void
fw__fast_ctx_destroy(struct fw_match_ctx *ctx)
{
	struct fast_ctx *c = ctx->engine_data;

	free(c->pat_gen);
	free(c->trig);
	free(c->lit_stamp);
	free(c->cands);
	free(c->nomatch_gen);
	free(c->follow);
	free(c->cand_bits);
	free(c->anchor_gen);
	free(c->anchor_first);
	free(c->anchor_n);
	free(c->set_gen);
	free(c->anchor_asked);
	free(c->anchor_twice);
	fw_dfa_runner_free(c->dfa);
	free(c->group_pass);
	fw__adapt_free(&c->adapt);
	free(c);
	ctx->engine_data = NULL;
}

/* The fast engine's data of ctx, or NULL when ctx is not a fast matching context. */
static struct fast_ctx *
fast_ctx_of(const struct fw_match_ctx *ctx)
{
	return ctx && ctx->m->ops == &fw__match_fast_ops ? ctx->engine_data : NULL;
}

uint64_t
fw_match_fast_dfa_gave_up(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return c && c->dfa ? fw_dfa_gave_up_count(c->dfa) : 0;
}

int
fw_match_fast_adapt_schedule(struct fw_match_ctx *ctx, size_t learn, size_t period)
{
	struct fast_ctx *c = fast_ctx_of(ctx);

	if (!c)
		return -EINVAL;
	fw__adapt_schedule(&c->adapt, learn, period);
	return 0;
}

int
fw_match_fast_miss_schedule(struct fw_match_ctx *ctx, size_t every)
{
	struct fast_ctx *c = fast_ctx_of(ctx);

	if (!c || !every)
		return -EINVAL;
	fw__adapt_miss_every(&c->adapt, every);
	return 0;
}

uint64_t
fw_match_fast_rekeys(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.rekeys;
}

uint64_t
fw_match_fast_miss_moves(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.miss_moves;
}

uint64_t
fw_match_fast_scans(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.scans;
}

uint64_t
fw_match_fast_trigger_moves(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.moves;
}

uint64_t
fw_match_fast_gate_moves(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.gate_moves;
}

bool
fw_match_fast_bucketed(const struct fw_matcher *m)
{
	const struct fast *f;

	if (!m || m->ops != &fw__match_fast_ops)
		return false;
	f = m->engine_data;
	return fw__fast_first_stage(f) == FP_STAGE_FDR;
}

bool
fw_match_fast_ctx_bucketed(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return c && c->adapt.stage != FP_STAGE_PAIR;
}

int
fw_match_fast_ctx_stage(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : (int)c->adapt.stage;
}

uint64_t
fw_match_fast_stage_switches(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c = fast_ctx_of(ctx);

	return !c ? 0 : c->adapt.switches;
}
