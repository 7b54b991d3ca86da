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
#include "input/format_match.h"
#include "util/log.h"

/*
 * The last held match of a key, for its summary: what the alert needs from
 * the line (the line is gone afterwards), copied into buffers that the
 * key's next held match overwrites. A storm of one error thus costs one
 * copy of the line per match and no allocation; the alert is written only
 * when the summary is sent. With window > 0 the matcher decides most
 * matches without their captures (fw_pipeline_lazy_captures): they are
 * taken for an alert when it is sent, and for a summary from its kept
 * line when it is sent, or before a reload frees the matcher.
 */
struct held {
	struct fw_aggregate_stage *stage;
	struct held *prev, *next;   /* live list, for the lowest reservation */
	uint64_t resv;              /* reserved seq of its window's first held match */
	struct fw_alert_parts *parts; /* of the KB it matched (a reload may replace it) */
	struct fw_record rec;       /* id, domain, category, signature, confidence */
	struct fw_jbuf key_text;    /* rec's strings, input, host: set with parts */
	struct fw_jbuf text;        /* the line, its source and capture names */
	struct fw_hit *hits;        /* the line's hits; only `hit` keeps its captures */
	struct fw_capture *caps;
	uint32_t n_hits, cap_hits, n_caps, cap_caps;
	struct fw_jbuf names;       /* capture names taken before a reload */
	struct fw_match_result result;
	struct fw_alert_input in;
	struct fw_alert_source src;
	struct held_fields *fields;  /* the line's fields, into text (made on the first) */
};

/*
 * A held line's parsed fields, written into its summary when that is sent:
 * a held match copies where they are, not their JSON. Names and values
 * point into the held text; names_json_at is the parser's, copied.
 */
struct held_fields {
	struct fw_parsed pl;
	uint32_t names_json_at[FW_FIELDS_MAX + 1];
	/* Not NULL: the names and values still point into the parser's line that
	 * started here (names only where fields_names_needed()); held_fields_move()
	 * moves them onto the kept copy when the summary is written, not on every
	 * match. */
	const char *from;
};

struct fw_aggregate_stage {
	struct fw_alert_stage stage;
	struct fw_pipeline *p;
	struct fw_aggregate *agg;
	uv_timer_t timer;
	struct held *live;
	uint64_t lowest;
	struct fw_jbuf out;         /* the alert being written, reused */
	struct fw_jbuf spare;       /* a held match's next text, built here (held_take) */
	struct fw_hit *hits;        /* an alert's hits with the captures taken later */
	struct fw_capture *caps;
	uint32_t cap_hits, cap_caps;
};

static uint64_t
now_ms(const struct fw_aggregate_stage *s)
{
	return uv_now(s->timer.loop);
}

/* The line's own time for the window's clock (aggregate.h), 0 when it has none. */
static uint64_t
event_ms(const struct fw_alert_input *ai)
{
	if (!ai->has_event_time || ai->event_time.tv_sec <= 0)
		return 0;
	return (uint64_t)ai->event_time.tv_sec * 1000 + (uint64_t)ai->event_time.tv_nsec / 1000000;
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
held_free(struct held *h)
{
	struct fw_aggregate_stage *s = h->stage;

	if (h->prev)
		h->prev->next = h->next;
	else if (s->live == h)
		s->live = h->next;
	if (h->next)
		h->next->prev = h->prev;
	fw_alert_parts_unref(h->parts);
	fw_jbuf_free(&h->key_text);
	fw_jbuf_free(&h->text);
	fw_jbuf_free(&h->names);
	free(h->fields);
	free(h->hits);
	free(h->caps);
	free(h);
}

static void
free_payload(void *payload)
{
	held_free(payload);
}

/* Grows *v to hold n elements of size sz; false on out-of-memory. */
static bool
grow(void **v, uint32_t *cap, uint32_t n, size_t sz)
{
	void *p;

	if (n <= *cap)
		return true;
	p = realloc(*v, (size_t)n * sz);
	if (!p)
		return false;
	*v = p;
	*cap = n;
	return true;
}

/* Appends s (NUL included) to the text; its offset, or SIZE_MAX for NULL. */
static inline size_t
keep(struct fw_jbuf *b, const char *s, size_t len)
{
	size_t at = b->len;

	if (!s)
		return SIZE_MAX;
	fw_jbuf_put(b, s, len);
	fw_jbuf_put(b, "", 1);
	return at;
}

static inline size_t
keep_str(struct fw_jbuf *b, const char *s)
{
	return keep(b, s, s ? strlen(s) : 0);
}

static const char *
kept(const struct fw_jbuf *b, size_t at)
{
	return at == SIZE_MAX ? NULL : b->data + at;
}

/*
 * The strings that stay the same for a key while its KB does: the record's
 * (for the message) and the input's and host's names. 0 or -ENOMEM.
 */
static int
held_take_key(struct held *h, const struct fw_alert_input *ai, const struct fw_record *rec,
	      struct fw_alert_parts *parts)
{
	struct fw_jbuf *t = &h->key_text;
	size_t input, host, id, domain, category, signature;

	fw_jbuf_reset(t);
	input = keep_str(t, ai->input);
	host = keep_str(t, ai->host);
	id = keep_str(t, rec->id);
	domain = keep_str(t, rec->domain);
	category = keep_str(t, rec->category);
	signature = keep_str(t, rec->signature);
	if (!fw_jbuf_ok(t))
		return -ENOMEM;
	h->in.input = kept(t, input);
	h->in.host = kept(t, host);
	h->rec.id = kept(t, id);
	h->rec.domain = kept(t, domain);
	h->rec.category = kept(t, category);
	h->rec.signature = kept(t, signature);
	h->rec.confidence = rec->confidence;
	fw_alert_parts_unref(h->parts);
	h->parts = fw_alert_parts_ref(parts);
	return 0;
}

/* Whether s[0..len) lies in base[0..line_len). */
static inline bool
in_line(const char *base, size_t line_len, const char *s, size_t len)
{
	return (uintptr_t)s >= (uintptr_t)base && (uintptr_t)s - (uintptr_t)base <= line_len &&
	       len <= line_len - (size_t)((uintptr_t)s - (uintptr_t)base);
}

/*
 * Whether a held line must keep its fields' names: neither the names' JSON
 * stands for them nor are they the parser's constants.
 */
static inline bool
fields_names_needed(const struct fw_parsed *pl)
{
	return !pl->names_static && (!pl->names_json || !pl->dups_known);
}

/* Whether every value of pl (and, with names, every name) lies in base[0..line_len). */
static bool
fields_in_line(const char *base, size_t line_len, const struct fw_parsed *pl, bool names)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	bool out = false;

	/* the lowest start and the highest end, without a branch per field */
	for (uint32_t i = 0; i < pl->n_fields; i++) {
		uintptr_t v = (uintptr_t)pl->fields[i].value, end = v + pl->fields[i].value_len;

		lo = v < lo ? v : lo;
		hi = end > hi ? end : hi;
	}
	for (uint32_t i = 0; names && i < pl->n_fields; i++)
		out |= !in_line(base, line_len, pl->fields[i].name, pl->fields[i].name_len);
	return !out && (pl->n_fields == 0 || in_line(base, line_len, (const char *)lo, hi - lo));
}

/*
 * The kept fields as h's parsed line: the list as it is, its names' JSON
 * kept at names_json; moved onto the kept line (at line) only when the
 * summary is written. t is complete.
 */
static void
held_fields_set(struct held *h, const struct fw_parsed *pl, size_t line, size_t line_len,
		size_t names_json)
{
	const struct fw_jbuf *t = &h->text;
	struct fw_parsed *c = &h->fields->pl;

	c->status = pl->status;
	c->format = pl->format;
	c->text = t->data + line;
	c->len = pl->len;
	c->extent = line_len;
	c->n_fields = pl->n_fields;
	c->dups_known = pl->dups_known;
	c->name_dups = pl->name_dups;
	c->names_static = pl->names_static;
	c->names_json = kept(t, names_json);
	c->names_json_at = NULL;
	if (pl->names_json) {
		memcpy(h->fields->names_json_at, pl->names_json_at,
		       (pl->n_fields + 1) * sizeof *pl->names_json_at);
		c->names_json_at = h->fields->names_json_at;
	}
	c->names_id = pl->names_id;
	memcpy(c->fields, pl->fields, pl->n_fields * sizeof *pl->fields);
	h->fields->from = pl->text;
}

/* The held fields moved onto the kept line, before the summary is written. */
static void
held_fields_move(struct held *h)
{
	struct held_fields *hf = h->fields;
	struct fw_parsed *c;
	bool names;

	if (!hf || !hf->from || h->in.parsed != &hf->pl)
		return;
	c = &hf->pl;
	/* the copy says what its line said: its names' JSON, its dups, its constants */
	names = fields_names_needed(c);
	/* names not needed: the parser's constants as they are, else NULL, not
	 * the parser's buffer (it may be gone by now) */
	for (uint32_t i = 0; i < c->n_fields; i++) {
		c->fields[i].value = c->text + ((uintptr_t)c->fields[i].value - (uintptr_t)hf->from);
		if (names)
			c->fields[i].name = c->text + ((uintptr_t)c->fields[i].name - (uintptr_t)hf->from);
		else if (!c->names_static)
			c->fields[i].name = NULL;
	}
	hf->from = NULL;
}

/*
 * Copies what the alert of ai needs into h; 0 or -ENOMEM (h keeps the
 * match it held before). The key's strings are copied again only when a
 * reload brought new parts. The text is built in the stage's spare buffer
 * and swapped with h's once complete, so that a failure leaves h's text,
 * which its pointers point into, as it was.
 */
static int
held_take(struct held *h, const struct fw_alert_input *ai, const struct fw_record *rec,
	  struct fw_alert_parts *parts)
{
	const struct fw_match_result *r = ai->result;
	const struct fw_hit *hit = &r->hits[ai->hit];
	const struct fw_alert_source *src = ai->source;
	struct fw_jbuf *t = &h->stage->spare, old;
	size_t line, line_len, path, unit, ident, cursor, fields, names = SIZE_MAX, names_json = SIZE_MAX;
	size_t fields_len = ai->fields_len;
	const struct fw_parsed *pl = ai->fields ? NULL : ai->parsed;
	uint32_t n_caps = hit->captures_later ? 0 : hit->n_captures;
	const char *input, *host, *name;
	int severity = fw_alert_severity(ai);

	if (!grow((void **)&h->hits, &h->cap_hits, r->n_hits, sizeof *h->hits) ||
	    !grow((void **)&h->caps, &h->cap_caps, n_caps, sizeof *h->caps))
		return -ENOMEM;
	if (h->parts != parts && held_take_key(h, ai, rec, parts) < 0)
		return -ENOMEM;
	if (pl && !h->fields && !(h->fields = malloc(sizeof *h->fields)))
		return -ENOMEM;
	fw_jbuf_reset(t);
	/* Captures of a field record may point past the line, into its decoded fields. */
	line_len = ai->extent > ai->len ? ai->extent : ai->len;
	/* Room for the line and fields at once; the short strings rarely need more. */
	fw_jbuf_reserve(t, line_len + ai->fields_len + 512);
	line = keep(t, ai->line, line_len);
	fields = keep(t, ai->fields, ai->fields_len);
	if (pl && fields_in_line(ai->line, line_len, pl, fields_names_needed(pl))) {
		if (pl->names_json)     /* 16 readable bytes after the last name: fw_parsed */
			names_json = keep(t, pl->names_json, pl->names_json_at[pl->n_fields] + 16);
	} else if (pl) {
		/* a value or a needed name outside the kept line (no parser puts one there): its JSON now */
		fields = t->len;
		fw_format_write_fields(t, pl);
		fields_len = t->len - fields;
		fw_jbuf_put(t, "", 1);
		pl = NULL;
	}
	path = keep_str(t, src->path);
	unit = keep_str(t, src->unit);
	ident = keep_str(t, src->identifier);
	cursor = keep_str(t, src->cursor);
	/* The names one after another: the first one's offset finds them all. */
	for (uint32_t i = 0; i < n_caps; i++) {
		size_t at = keep_str(t, r->captures[hit->first_capture + i].name);

		if (i == 0)
			names = at;
	}
	if (!fw_jbuf_ok(t))
		return -ENOMEM;

	/* The text is complete: h's from here on, its old one the next spare. */
	old = h->text;
	h->text = *t;
	*t = old;
	t = &h->text;
	memcpy(h->hits, r->hits, r->n_hits * sizeof *h->hits);
	h->n_hits = r->n_hits;
	h->hits[ai->hit].first_capture = 0;
	h->hits[ai->hit].n_captures = n_caps;
	name = kept(t, names);
	for (uint32_t i = 0; i < n_caps; i++) {
		h->caps[i] = r->captures[hit->first_capture + i];
		h->caps[i].name = name;
		name += strlen(name) + 1;
	}
	h->n_caps = n_caps;
	h->result = (struct fw_match_result){
		.hits = h->hits, .n_hits = h->n_hits, .captures = h->caps, .n_captures = n_caps,
	};
	h->src = *src;
	h->src.path = kept(t, path);
	h->src.unit = kept(t, unit);
	h->src.identifier = kept(t, ident);
	h->src.cursor = kept(t, cursor);
	input = h->in.input;
	host = h->in.host;
	h->in = *ai;
	h->in.kb = NULL;        /* a reload may free it: the parts stand in */
	h->in.has_severity = true;
	h->in.severity = severity;
	h->in.parts = h->parts;
	h->in.result = &h->result;
	h->in.source = &h->src;
	h->in.line = kept(t, line);
	h->in.fields = kept(t, fields);
	h->in.fields_len = fields_len;
	h->in.parsed = NULL;
	if (pl) {
		held_fields_set(h, pl, line, line_len, names_json);
		h->in.parsed = &h->fields->pl;
	}
	h->in.input = input;
	h->in.host = host;
	return 0;
}

/*
 * The captures of hit h of r, taken later, on line: into caps (grown as
 * needed) and h's entry of hits (a copy of r's). Their number; 0 when they
 * cannot be had (out of memory, or a limit that the decision did not hit).
 */
static uint32_t
take_captures(struct fw_aggregate_stage *s, const struct fw_match_result *r, uint32_t h,
	      const char *line, size_t len, struct fw_hit **hits, uint32_t *cap_hits,
	      struct fw_capture **caps, uint32_t *cap_caps)
{
	const struct fw_kb *kb = fw_pipeline_kb(s->p);
	uint32_t p = r->hits[h].pattern, max = kb->patterns[p].n_names;
	int n = -1;

	if (grow((void **)hits, cap_hits, r->n_hits, sizeof **hits)) {
		if (*hits != r->hits)
			memcpy(*hits, r->hits, r->n_hits * sizeof **hits);
		if (grow((void **)caps, cap_caps, max, sizeof **caps))
			n = fw_pipeline_captures(s->p, p, line, len, *caps, max);
		(*hits)[h].first_capture = 0;
		(*hits)[h].n_captures = n < 0 ? 0 : (uint32_t)n;
		(*hits)[h].captures_later = false;
	}
	return n < 0 ? 0 : (uint32_t)n;
}

/* A held match's captures, taken from its kept line by the current matcher. */
static void
held_captures(struct fw_aggregate_stage *s, struct held *h)
{
	const struct fw_hit *hit = &h->hits[h->in.hit];

	if (!hit->captures_later)
		return;
	h->n_caps = take_captures(s, &h->result, h->in.hit, h->in.line, h->in.len, &h->hits,
				  &h->cap_hits, &h->caps, &h->cap_caps);
	h->result = (struct fw_match_result){
		.hits = h->hits, .n_hits = h->n_hits, .captures = h->caps, .n_captures = h->n_caps,
	};
}

/* Writes the alert of in standing for count matches and sends it. */
static void
send_alert(struct fw_aggregate_stage *s, const struct fw_alert_input *in, const struct fw_record *rec,
     uint64_t count)
{
	struct fw_alert_input copy = *in;
	struct fw_match_result r;

	copy.count = count;
	if (in->result->hits[in->hit].captures_later) {
		r = *in->result;
		r.n_captures = take_captures(s, in->result, in->hit, in->line, in->len, &s->hits,
					     &s->cap_hits, &s->caps, &s->cap_caps);
		r.hits = s->hits;
		r.captures = s->caps;
		copy.result = &r;
	}
	fw_jbuf_reset(&s->out);
	fw_alert_write(&s->out, &copy);
	if (!fw_jbuf_ok(&s->out) || fw_pipeline_emit(s->p, s->out.data, s->out.len, rec, &copy) < 0)
		log_err("alerts: %s on %s lost: out of memory", rec->id, in->input ? in->input : "?");
}

static void
emit_summary(void *ctx, const char *input, const char *id, uint64_t count, void *payload)
{
	struct fw_aggregate_stage *s = ctx;
	struct held *h = payload;

	if (!h) {
		log_err("alerts: summary of %s on %s (%llu matches) lost: out of memory", id, input,
			(unsigned long long)count);
		return;
	}
	held_captures(s, h);
	held_fields_move(h);
	send_alert(s, &h->in, &h->rec, count);
	h->resv = 0;
	held_free(h);
}

static void arm_timer(struct fw_aggregate_stage *s);

/* The payload of a key's slot, made (with a reservation) on its first held match. */
static struct held *
slot_held(struct fw_aggregate_stage *s, void **slot)
{
	struct held *h = calloc(1, sizeof *h);

	if (!h)
		return NULL;
	h->stage = s;
	h->next = s->live;
	if (s->live)
		s->live->prev = h;
	s->live = h;
	h->resv = fw_pipeline_reserve_seq(s->p);
	*slot = h;
	return h;
}

static bool
stage_alert(struct fw_alert_stage *stage, const struct fw_alert_input *ai,
	    const struct fw_record *rec)
{
	struct fw_aggregate_stage *s = stage->priv;
	enum fw_aggregate_verdict v;
	uint64_t count;
	void **slot;
	struct held *h;
	bool fresh;

	v = fw_aggregate_match_at(s->agg, ai->input, rec->id, now_ms(s), event_ms(ai), &slot, &count);
	if (v == FW_AGGREGATE_ALERT) {
		send_alert(s, ai, rec, count);
		/* Only an alert opens a window: a held match moves no deadline. */
		arm_timer(s);
		return true;
	}
	if (!slot)
		return true;    /* counted below the threshold */
	fresh = *slot == NULL;
	h = fresh ? slot_held(s, slot) : *slot;
	if (!h || held_take(h, ai, rec, fw_pipeline_alert_parts(s->p)) < 0) {
		/* The summary still counts it; it shows the match held before. */
		log_err("alerts: %s on %s: out of memory keeping the match for its summary",
			rec->id, ai->input);
		if (h && !h->parts) {
			*slot = NULL;
			held_free(h);
		}
	}
	/* A new reservation, or one given back: the lowest may have moved. */
	if (fresh)
		update_hold(s);
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

/*
 * The matcher and KB go: each held match takes its captures now, and
 * their names (which point into the KB) into its own buffer.
 */
static void
stage_before_reload(struct fw_alert_stage *stage)
{
	struct fw_aggregate_stage *s = stage->priv;

	fw_aggregate_forget_ids(s->agg);
	for (struct held *h = s->live; h; h = h->next) {
		const char *name;

		if (!h->hits || !h->hits[h->in.hit].captures_later)
			continue;
		held_captures(s, h);
		fw_jbuf_reset(&h->names);
		for (uint32_t i = 0; i < h->n_caps; i++)
			keep_str(&h->names, h->caps[i].name);
		if (!fw_jbuf_ok(&h->names)) {
			log_err("alerts: out of memory keeping the captures of a held %s", h->rec.id);
			h->n_caps = h->result.n_captures = h->hits[h->in.hit].n_captures = 0;
			continue;
		}
		name = h->names.data;
		for (uint32_t i = 0; i < h->n_caps; i++) {
			h->caps[i].name = name;
			name += strlen(name) + 1;
		}
	}
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
		.ids_by_address = true,         /* the KB's ids: forgotten before a reload */
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
	/* Aggregation holds most matches back: their captures are taken only if sent. */
	if (cfg->window_ms > 0 && fw_pipeline_lazy_captures(p, true) < 0) {
		fw_aggregate_free(s->agg);
		free(s);
		return -ENOMEM;
	}
	s->p = p;
	uv_timer_init(loop, &s->timer);
	s->timer.data = s;
	s->stage.alert = stage_alert;
	s->stage.flush = stage_flush;
	s->stage.before_reload = stage_before_reload;
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

	fw_aggregate_free(s->agg);
	fw_jbuf_free(&s->out);
	fw_jbuf_free(&s->spare);
	free(s->hits);
	free(s->caps);
	free(s);
}

void
fw_aggregate_stage_close(struct fw_aggregate_stage *s)
{
	if (!s)
		return;
	uv_close((uv_handle_t *)&s->timer, on_closed);
}
