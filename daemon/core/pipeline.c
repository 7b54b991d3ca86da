/*
 * pipeline: line -> matcher -> alert builder -> [stage] -> outputs, and the
 * acknowledgements back. See pipeline.h for the contract. This file makes
 * and frees the pipeline, registers its inputs and outputs, swaps the KB on
 * reload and answers the accessors; a line's way is in pipeline_line.c,
 * an alert's way to the outputs in pipeline_deliver.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/format_match.h"
#include "input/format_multiline.h"
#include "match/match_fast.h"
#include "core/pipeline_int.h"
#include "util/log.h"

int
fw_pipeline_new(uv_loop_t *loop, const struct fw_config *cfg, struct fw_matcher *matcher,
		struct fw_pipeline **out, struct fw_diag *diag)
{
	struct fw_pipeline *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->loop = loop;
	p->cfg = cfg;
	p->matcher = matcher;
	p->kb = (struct fw_kb *)fw_matcher_kb(matcher);
	p->ctx = fw_match_ctx_new(matcher);
	p->record_matches = calloc(p->kb->n_records ? p->kb->n_records : 1, sizeof(uint64_t));
	if (!p->ctx || !p->record_matches || fw_format_match_new(p->kb, &p->fmatch) < 0 ||
	    fw_alert_parts_new(p->kb, cfg->zh, &p->parts) < 0) {
		fw_format_match_free(p->fmatch);
		fw_match_ctx_free(p->ctx);
		free(p->record_matches);
		free(p);
		fw_diag_add(diag, "pipeline: out of memory");
		return -ENOMEM;
	}
	if (gethostname(p->host, sizeof p->host) < 0)
		strcpy(p->host, "localhost");
	p->host[sizeof p->host - 1] = '\0';
	*out = p;
	return 0;
}

void
fw_pipeline_free(struct fw_pipeline *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_outs; i++) {
		for (size_t j = 0; j < p->outs[i].n_backlog; j++)
			fw_alert_msg_unref(p->outs[i].backlog[j]);
		free(p->outs[i].backlog);
	}
	for (size_t i = 0; i < p->n_inputs; i++) {
		free(p->inputs[i]->domain_mask);
		p->inputs[i]->domain_mask = NULL;
		fw_format_parser_free(p->formats[i].parser);
		fw_multiline_free(p->formats[i].ml);
		free(p->formats[i].ml_spec);
	}
	free(p->formats);
	fw_format_match_free(p->fmatch);
	free(p->outs);
	free(p->out_ptrs);
	free(p->inputs);
	fw_match_ctx_free(p->ctx);
	fw_matcher_free(p->matcher);
	fw_alert_parts_detach(p->parts);        /* a held alert may outlive the KB */
	fw_kb_free(p->kb);
	fw_alert_parts_unref(p->parts);
	fw_jbuf_free(&p->alert_buf);
	free(p->record_matches);
	free(p);
}

int
fw_pipeline_add_output(struct fw_pipeline *p, struct fw_output *out)
{
	struct out_slot *v = realloc(p->outs, (p->n_outs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->outs = v;
	struct fw_output **ptrs = realloc(p->out_ptrs, (p->n_outs + 1) * sizeof(*ptrs));
	if (!ptrs)
		return -ENOMEM;
	p->out_ptrs = ptrs;
	p->out_ptrs[p->n_outs] = out;
	p->outs[p->n_outs++] = (struct out_slot){.out = out};
	out->pipeline = p;
	out->on_progress = fw__pipeline_on_output_progress;
	return 0;
}

/* The record mask of an input's domains (NULL = every record). */
static int
domain_mask(const struct fw_kb *kb, const struct fw_input *in, uint64_t **mask,
	    struct fw_diag *diag)
{
	*mask = NULL;
	if (in->cfg->domains.n == 0)
		return 0;
	uint64_t *m = calloc(fw_kb_mask_words(kb) ? fw_kb_mask_words(kb) : 1, sizeof(uint64_t));
	if (!m)
		return -ENOMEM;
	struct fw_diag d;
	fw_diag_init(&d);
	int err = fw_kb_domain_mask(kb, (const char *const *)in->cfg->domains.v,
				    in->cfg->domains.n, m, &d);
	for (size_t i = 0; i < d.n; i++)
		fw_diag_add(diag, "[input.%s] domains: %s", in->cfg->name, d.msgs[i]);
	fw_diag_clear(&d);
	if (err < 0) {
		free(m);
		return err;
	}
	*mask = m;
	return 0;
}

int
fw_pipeline_add_input(struct fw_pipeline *p, struct fw_input *in, struct fw_diag *diag)
{
	uint64_t *mask;
	int err = domain_mask(p->kb, in, &mask, diag);
	if (err < 0)
		return err;
	struct fw_input **v = realloc(p->inputs, (p->n_inputs + 1) * sizeof(*v));
	if (!v) {
		free(mask);
		return -ENOMEM;
	}
	p->inputs = v;
	struct in_format *f = realloc(p->formats, (p->n_inputs + 1) * sizeof(*f));
	if (!f) {
		free(mask);
		return -ENOMEM;
	}
	p->formats = f;
	p->formats[p->n_inputs] = (struct in_format){ 0 };
	in->pipeline_slot = p->n_inputs;
	p->inputs[p->n_inputs++] = in;
	in->domain_mask = mask;
	if (p->paused && in->ops->pause) {
		in->ops->pause(in);
		in->paused = true;
	}
	return 0;
}

void
fw_pipeline_remove_input(struct fw_pipeline *p, struct fw_input *in)
{
	for (size_t i = 0; i < p->n_inputs; i++) {
		if (p->inputs[i] != in)
			continue;
		fw__pipeline_flush_entry(p, in, &p->formats[i]);
		memmove(p->inputs + i, p->inputs + i + 1, (p->n_inputs - i - 1) * sizeof(*p->inputs));
		fw_format_parser_free(p->formats[i].parser);
		fw_multiline_free(p->formats[i].ml);
		free(p->formats[i].ml_spec);
		memmove(p->formats + i, p->formats + i + 1, (p->n_inputs - i - 1) * sizeof(*p->formats));
		p->n_inputs--;
		for (size_t j = i; j < p->n_inputs; j++)
			p->inputs[j]->pipeline_slot = j;
		free(in->domain_mask);
		in->domain_mask = NULL;
		return;
	}
}

void
fw_pipeline_set_stage(struct fw_pipeline *p, struct fw_alert_stage *stage)
{
	p->stage = stage;
}

int
fw_pipeline_reload(struct fw_pipeline *p, const struct fw_config *cfg, struct fw_matcher *matcher,
		   struct fw_diag *diag)
{
	struct fw_kb *kb = (struct fw_kb *)fw_matcher_kb(matcher);
	uint64_t **masks = calloc(p->n_inputs ? p->n_inputs : 1, sizeof(*masks));
	struct fw_match_ctx *ctx = fw_match_ctx_new(matcher);
	uint64_t *counts = calloc(kb->n_records ? kb->n_records : 1, sizeof(uint64_t));
	struct fw_alert_parts *parts = NULL;
	struct fw_format_match *fmatch = NULL;
	int err = masks && ctx && counts ? fw_alert_parts_new(kb, cfg->zh, &parts) : -ENOMEM;

	if (err == 0)
		err = fw_format_match_new(kb, &fmatch);
	if (err == 0 && p->lazy_captures)
		err = fw_match_lazy_captures(ctx, true);
	/* Everything new is built before anything old is touched. */
	for (size_t i = 0; i < p->n_inputs && err == 0; i++)
		err = domain_mask(kb, p->inputs[i], &masks[i], diag);
	if (err < 0) {
		for (size_t i = 0; masks && i < p->n_inputs; i++)
			free(masks[i]);
		free(masks);
		fw_match_ctx_free(ctx);
		free(counts);
		fw_alert_parts_unref(parts);
		fw_format_match_free(fmatch);
		return err;
	}
	for (size_t i = 0; i < p->n_inputs; i++) {
		free(p->inputs[i]->domain_mask);
		p->inputs[i]->domain_mask = masks[i];
	}
	free(masks);
	p->dfa_gave_up_before += fw_match_fast_dfa_gave_up(p->ctx);
	p->stage_switches_before += fw_match_fast_stage_switches(p->ctx);
	if (p->stage && p->stage->before_reload)
		p->stage->before_reload(p->stage);
	fw_match_ctx_free(p->ctx);
	fw_matcher_free(p->matcher);
	/* Held alerts keep the old parts: what they have not rendered is rendered
	 * now, while its KB is here (rendering fails only for want of memory). */
	if (fw_alert_parts_detach(p->parts) < 0)
		log_warn("reload: out of memory: some alerts held from the old knowledge base will be dropped");
	fw_alert_parts_unref(p->parts);
	fw_format_match_free(p->fmatch);
	p->fmatch = fmatch;
	/* Match counters follow the record id across the reload, like the totals. */
	for (size_t i = 0; i < p->kb->n_records; i++) {
		const struct fw_record *r = fw_kb_find(kb, p->kb->records[i].id);

		if (r)
			counts[r - kb->records] = p->record_matches[i];
	}
	fw_kb_free(p->kb);
	free(p->record_matches);
	p->parts = parts;
	p->ctx = ctx;
	p->matcher = matcher;
	p->kb = kb;
	p->record_matches = counts;
	p->cfg = cfg;
	return 0;
}

struct fw_alert_parts *
fw_pipeline_alert_parts(const struct fw_pipeline *p)
{
	return p->parts;
}

uint64_t
fw_pipeline_seq(const struct fw_pipeline *p)
{
	return p->seq;
}

void
fw_pipeline_on_safe(struct fw_pipeline *p, void (*cb)(struct fw_pipeline *p, void *ctx), void *ctx)
{
	p->on_safe = cb;
	p->on_safe_ctx = ctx;
}

const struct fw_pipeline_stats *
fw_pipeline_stats(const struct fw_pipeline *p)
{
	return &p->stats;
}

uint64_t
fw_pipeline_dfa_gave_up(const struct fw_pipeline *p)
{
	return p->dfa_gave_up_before + fw_match_fast_dfa_gave_up(p->ctx);
}

uint64_t
fw_pipeline_stage_switches(const struct fw_pipeline *p)
{
	return p->stage_switches_before + fw_match_fast_stage_switches(p->ctx);
}

int
fw_pipeline_lazy_captures(struct fw_pipeline *p, bool on)
{
	int err = fw_match_lazy_captures(p->ctx, on);

	if (err == 0)
		p->lazy_captures = on;
	return err;
}

int
fw_pipeline_captures(struct fw_pipeline *p, uint32_t pattern, const char *line, size_t len,
		     struct fw_capture *out, uint32_t max)
{
	return fw_match_captures(p->ctx, pattern, line, len, out, max);
}

const struct fw_kb *
fw_pipeline_kb(const struct fw_pipeline *p)
{
	return p->kb;
}

const uint64_t *
fw_pipeline_record_matches(const struct fw_pipeline *p)
{
	return p->record_matches;
}

struct fw_output *const *
fw_pipeline_outputs(const struct fw_pipeline *p, size_t *n)
{
	*n = p->n_outs;
	return p->out_ptrs;
}

struct fw_input *const *
fw_pipeline_inputs(const struct fw_pipeline *p, size_t *n)
{
	*n = p->n_inputs;
	return p->inputs;
}
