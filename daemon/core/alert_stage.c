/*
 * alert_stage: see alert_stage.h.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alert.h"
#include "core/alert_stage.h"
#include "util/log.h"

/* A held match: its alert written at once but for the count (the line is gone afterwards). */
struct held {
	struct held *prev, *next;   /* live list, for the lowest reservation */
	struct fw_jbuf alert;       /* up to `"count":` */
	uint64_t resv;              /* reserved seq of its window's first held match */
	struct fw_record rec;       /* key fields, copied: a reload frees the KB */
	char *strs;                 /* owns rec's strings and input/host */
	const char *input, *host;
	struct timespec time;
};

struct fw_aggregate_stage {
	struct fw_alert_stage stage;
	struct fw_pipeline *p;
	struct fw_aggregate *agg;
	uv_timer_t timer;
	struct held *live;
	uint64_t carry_resv;        /* of a payload just replaced inside fw_aggregate_match */
	struct held *current;       /* the payload being offered to fw_aggregate_match */
	bool current_freed;         /* ...and the aggregator did not keep it */
	uint64_t lowest;
};

static uint64_t
now_ms(const struct fw_aggregate_stage *s)
{
	return uv_now(s->timer.loop);
}

static void
update_hold(struct fw_aggregate_stage *s)
{
	uint64_t lowest = 0;
	struct held *h;

	for (h = s->live; h; h = h->next)
		if (h->resv && (lowest == 0 || h->resv < lowest))
			lowest = h->resv;
	if (lowest != s->lowest) {
		s->lowest = lowest;
		fw_pipeline_set_hold(s->p, lowest);
	}
}

static void
held_free(struct fw_aggregate_stage *s, struct held *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else if (s->live == h)
		s->live = h->next;
	if (h->next)
		h->next->prev = h->prev;
	fw_jbuf_free(&h->alert);
	free(h->strs);
	free(h);
}

static struct fw_aggregate_stage *free_ctx;     /* set around fw_aggregate_match */

static void
free_payload(void *payload)
{
	struct held *h = payload;

	/* A later match replaces this one: its window's reservation carries over. */
	if (free_ctx && h->resv)
		free_ctx->carry_resv = h->resv;
	if (free_ctx && free_ctx->current == h)
		free_ctx->current_freed = true;
	held_free(free_ctx, h);
}

static void
emit_summary(void *ctx, const char *input, const char *id, uint64_t count, void *payload)
{
	struct fw_aggregate_stage *s = ctx;
	struct held *h = payload;
	struct fw_alert_input in = {
		.input = h->input, .host = h->host, .time = h->time, .count = count,
	};

	fw_alert_write_count(&h->alert, count);
	if (!fw_jbuf_ok(&h->alert) || fw_pipeline_emit(s->p, h->alert.data, h->alert.len, &h->rec, &in) < 0)
		log_err("alerts: summary of %s on %s lost: out of memory", id, input);
	h->resv = 0;
	free_ctx = s;
	free_payload(h);
	free_ctx = NULL;
}

static struct held *
held_new(const struct fw_alert_input *ai, const struct fw_record *rec)
{
	const char *src[] = { rec->id, rec->domain, rec->category, rec->signature, ai->input,
			      ai->host };
	const char **dst[6];
	size_t len = 0, i;
	struct held *h = calloc(1, sizeof *h);
	char *p;

	if (!h)
		return NULL;
	dst[0] = &h->rec.id; dst[1] = &h->rec.domain; dst[2] = &h->rec.category;
	dst[3] = &h->rec.signature; dst[4] = &h->input; dst[5] = &h->host;
	for (i = 0; i < 6; i++)
		len += src[i] ? strlen(src[i]) + 1 : 0;
	h->strs = p = malloc(len ? len : 1);
	fw_alert_write_open(&h->alert, ai);
	if (!h->strs || !fw_jbuf_ok(&h->alert)) {
		fw_jbuf_free(&h->alert);
		free(h->strs);
		free(h);
		return NULL;
	}
	for (i = 0; i < 6; i++) {
		if (!src[i])
			continue;
		*dst[i] = p;
		p = stpcpy(p, src[i]) + 1;
	}
	h->rec.confidence = rec->confidence;
	h->time = ai->time;
	return h;
}

static void arm_timer(struct fw_aggregate_stage *s);

static bool
stage_alert(struct fw_alert_stage *stage, const struct fw_alert_input *ai,
	    const struct fw_record *rec)
{
	struct fw_aggregate_stage *s = stage->priv;
	struct fw_alert_input copy;
	struct held *h = held_new(ai, rec);
	enum fw_aggregate_verdict v;
	uint64_t count;
	struct fw_jbuf alert;

	if (!h)
		return false;   /* out of memory: the pipeline sends it as a plain alert */
	s->carry_resv = 0;
	s->current = h;
	s->current_freed = false;
	free_ctx = s;
	v = fw_aggregate_match(s->agg, ai->input, rec->id, now_ms(s), h, &count);
	free_ctx = NULL;
	s->current = NULL;
	if (v == FW_AGGREGATE_HOLD) {
		/* Kept for a summary, or already released (below the threshold). */
		if (!s->current_freed) {
			h->prev = NULL;
			h->next = s->live;
			if (s->live)
				s->live->prev = h;
			s->live = h;
			h->resv = s->carry_resv ? s->carry_resv : fw_pipeline_reserve_seq(s->p);
		}
		update_hold(s);
		arm_timer(s);
		return true;
	}
	/* Alert now, standing for count matches. */
	alert = h->alert;
	h->alert = (struct fw_jbuf){ 0 };
	held_free(s, h);
	copy = *ai;
	copy.count = count;
	fw_alert_write_count(&alert, count);
	if (fw_jbuf_ok(&alert))
		fw_pipeline_emit(s->p, alert.data, alert.len, rec, &copy);
	fw_jbuf_free(&alert);
	arm_timer(s);
	return true;
}

static void
on_timer(uv_timer_t *t)
{
	struct fw_aggregate_stage *s = t->data;

	fw_aggregate_tick(s->agg, now_ms(s));
	update_hold(s);
	arm_timer(s);
}

static void
arm_timer(struct fw_aggregate_stage *s)
{
	uint64_t next = fw_aggregate_next_deadline(s->agg), now = now_ms(s);

	if (next == UINT64_MAX) {
		uv_timer_stop(&s->timer);
		return;
	}
	/* At least 1 ms: libuv runs a timer re-armed at 0 from its own callback
	 * again in the same pass, without returning to the poll. */
	uv_timer_start(&s->timer, on_timer, next > now ? next - now : 1, 0);
}

static void
stage_flush(struct fw_alert_stage *stage)
{
	struct fw_aggregate_stage *s = stage->priv;

	fw_aggregate_flush(s->agg);
	update_hold(s);
	uv_timer_stop(&s->timer);
}

int
fw_aggregate_stage_new(uv_loop_t *loop, struct fw_pipeline *p, const struct fw_config *cfg,
		       struct fw_aggregate_stage **out)
{
	struct fw_aggregate_stage *s = calloc(1, sizeof *s);
	struct fw_aggregate_config ac = {
		.window_ms = cfg->window_ms, .threshold = cfg->threshold,
		.emit = emit_summary, .free_payload = free_payload,
	};
	int r;

	if (!s)
		return -ENOMEM;
	ac.ctx = s;
	r = fw_aggregate_new(&ac, &s->agg);
	if (r < 0) {
		free(s);
		return r;
	}
	s->p = p;
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	s->stage.alert = stage_alert;
	s->stage.flush = stage_flush;
	s->stage.priv = s;
	fw_pipeline_set_stage(p, &s->stage);
	*out = s;
	return 0;
}

void
fw_aggregate_stage_get_stats(const struct fw_aggregate_stage *s, struct fw_aggregate_stats *st)
{
	fw_aggregate_get_stats(s->agg, st);
}

static void
on_closed(uv_handle_t *h)
{
	struct fw_aggregate_stage *s = h->data;

	free_ctx = s;
	fw_aggregate_free(s->agg);
	free_ctx = NULL;
	free(s);
}

void
fw_aggregate_stage_close(struct fw_aggregate_stage *s)
{
	if (!s)
		return;
	uv_close((uv_handle_t *)&s->timer, on_closed);
}
