/*
 * pipeline: line -> matcher -> alert builder -> [stage] -> outputs, and the
 * acknowledgements back. See pipeline.h for the contract.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "input/format_match.h"
#include "input/format_multiline.h"
#include "match/match_fast.h"
#include "core/pipeline.h"
#include "core/unknown.h"

struct out_slot {
	struct fw_output *out;
	/* Messages the output refused (queue full), oldest first, sent before
	 * anything newer so the output sees sequence numbers in order. */
	struct fw_alert_msg **backlog;
	size_t n_backlog, cap_backlog;
};

/* The line format of an input (input/format.h), parallel to inputs. */
struct in_format {
	struct fw_format_parser *parser;    /* NULL: plain lines */
	uint64_t bad;                       /* its lines that did not parse */
	/* multiline: the entry being joined (format_multiline.h) */
	struct fw_multiline *ml;            /* NULL: none */
	char *ml_spec;                      /* what ml was made from, to see a reload change it */
	uint32_t ml_max_lines;
	size_t ml_max_bytes;
	uint64_t ml_deadline;               /* uv_now() when the held entry is flushed */
	uint64_t ml_hold;                   /* sequence number reserved for it, 0: none */
};

/* Lines that do not parse are reported by file:line up to this many per input, then counted. */
#define BAD_LINES_REPORTED 5

struct fw_pipeline {
	uv_loop_t *loop;
	const struct fw_config *cfg;
	struct fw_matcher *matcher;
	struct fw_kb *kb;
	struct fw_alert_parts *parts;   /* of kb, in cfg's locale */
	struct fw_jbuf alert_buf;       /* the alert being written, reused */
	struct fw_match_ctx *ctx;
	struct fw_format_match *fmatch; /* field and logs targets of kb */
	uint64_t *record_matches;

	struct out_slot *outs;
	struct fw_output **out_ptrs;    /* the same outputs, for fw_pipeline_outputs() */
	size_t n_outs;
	struct fw_input **inputs;
	struct in_format *formats;      /* parallel to inputs */
	size_t n_inputs;
	struct fw_parsed parsed;        /* the current line's fields, reused */
	uv_timer_t ml_timer;            /* flushes multiline entries that wait too long */
	bool ml_timer_init;
	struct fw_jbuf fields_buf;      /* the current line's fields as JSON, reused */
	struct fw_alert_stage *stage;

	uint64_t seq;               /* last assigned */
	uint64_t last_sent;         /* last assigned to a message (not a reservation) */
	uint64_t hold;              /* lowest sequence number the stage holds, 0 = none */
	uint64_t ml_hold;           /* lowest one the multiline entries hold, 0 = none */
	bool paused;
	bool emitting;              /* re-entrancy guard: progress during submit */
	bool progress_pending;
	char host[256];

	void (*on_safe)(struct fw_pipeline *p, void *ctx);
	void *on_safe_ctx;
	struct fw_pipeline_stats stats;
	uint64_t dfa_gave_up_before;    /* by the matching contexts of earlier KBs */
};

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
	fw_jbuf_free(&p->fields_buf);
	free(p->outs);
	free(p->out_ptrs);
	free(p->inputs);
	fw_match_ctx_free(p->ctx);
	fw_matcher_free(p->matcher);
	fw_kb_free(p->kb);
	fw_alert_parts_unref(p->parts);
	fw_jbuf_free(&p->alert_buf);
	free(p->record_matches);
	free(p);
}

static void on_output_progress(struct fw_output *out);

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
	out->on_progress = on_output_progress;
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
	p->inputs[p->n_inputs++] = in;
	in->domain_mask = mask;
	if (p->paused && in->ops->pause) {
		in->ops->pause(in);
		in->paused = true;
	}
	return 0;
}

static void flush_entry(struct fw_pipeline *p, struct fw_input *in, struct in_format *f);

void
fw_pipeline_remove_input(struct fw_pipeline *p, struct fw_input *in)
{
	for (size_t i = 0; i < p->n_inputs; i++) {
		if (p->inputs[i] != in)
			continue;
		flush_entry(p, in, &p->formats[i]);
		memmove(p->inputs + i, p->inputs + i + 1, (p->n_inputs - i - 1) * sizeof(*p->inputs));
		fw_format_parser_free(p->formats[i].parser);
		fw_multiline_free(p->formats[i].ml);
		free(p->formats[i].ml_spec);
		memmove(p->formats + i, p->formats + i + 1, (p->n_inputs - i - 1) * sizeof(*p->formats));
		p->n_inputs--;
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
	fw_match_ctx_free(p->ctx);
	fw_matcher_free(p->matcher);
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

static void
pause_inputs(struct fw_pipeline *p)
{
	if (p->paused)
		return;
	p->paused = true;
	p->stats.pauses++;
	for (size_t i = 0; i < p->n_inputs; i++) {
		struct fw_input *in = p->inputs[i];
		if (!in->paused && in->ops->pause)
			in->ops->pause(in);
		in->paused = true;
	}
}

static void
resume_inputs(struct fw_pipeline *p)
{
	if (!p->paused)
		return;
	p->paused = false;
	for (size_t i = 0; i < p->n_inputs; i++) {
		struct fw_input *in = p->inputs[i];
		in->paused = false;
		if (in->ops->resume)
			in->ops->resume(in);
		if (p->paused)
			break;  /* a resumed input filled a queue again */
	}
}

static int
backlog_push(struct out_slot *slot, struct fw_alert_msg *msg)
{
	if (slot->n_backlog == slot->cap_backlog) {
		size_t cap = slot->cap_backlog ? slot->cap_backlog * 2 : 8;
		struct fw_alert_msg **v = realloc(slot->backlog, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		slot->backlog = v;
		slot->cap_backlog = cap;
	}
	slot->backlog[slot->n_backlog++] = fw_alert_msg_ref(msg);
	return 0;
}

/* Resends a backlog in order; true when it is empty. */
static bool
drain_backlog(struct out_slot *slot)
{
	size_t sent = 0;
	while (sent < slot->n_backlog) {
		if (slot->out->ops->submit(slot->out, slot->backlog[sent]) == -ENOBUFS)
			break;
		fw_alert_msg_unref(slot->backlog[sent]);
		sent++;
	}
	memmove(slot->backlog, slot->backlog + sent,
		(slot->n_backlog - sent) * sizeof(*slot->backlog));
	slot->n_backlog -= sent;
	return slot->n_backlog == 0;
}

static void
progress(struct fw_pipeline *p)
{
	bool empty = true;
	p->emitting = true;
	for (size_t i = 0; i < p->n_outs; i++)
		if (p->outs[i].n_backlog && !drain_backlog(&p->outs[i]))
			empty = false;
	p->emitting = false;
	if (empty && p->paused)
		resume_inputs(p);
	if (p->on_safe)
		p->on_safe(p, p->on_safe_ctx);
}

static void
on_output_progress(struct fw_output *out)
{
	struct fw_pipeline *p = out->pipeline;
	if (p->emitting) {
		p->progress_pending = true;
		return;
	}
	progress(p);
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct fw_alert_parts *
fw_pipeline_alert_parts(const struct fw_pipeline *p)
{
	return p->parts;
}

/* Numbers and sends an alert to every output except those in skip (bit i: output i). */
static int
emit(struct fw_pipeline *p, const char *json, size_t len, const struct fw_record *rec,
     const struct fw_alert_input *in, uint64_t skip)
{
	struct fw_alert_msg *msg = fw_alert_msg_new(json, len);
	if (!msg) {
		p->stats.build_errors++;
		return -ENOMEM;
	}
	msg->seq = ++p->seq;
	p->last_sent = msg->seq;
	msg->id = dup_or_null(rec->id);
	msg->domain = dup_or_null(rec->domain);
	msg->category = dup_or_null(rec->category);
	msg->signature = dup_or_null(rec->signature);
	msg->input = dup_or_null(in->input);
	msg->host = dup_or_null(in->host);
	msg->confidence = rec->confidence;
	msg->severity = fw_alert_severity(in);
	msg->time = in->time;
	msg->count = in->count;
	p->stats.alerts++;

	p->emitting = true;
	for (size_t i = 0; i < p->n_outs; i++) {
		struct out_slot *slot = &p->outs[i];
		/* Not behind a backlog: an acknowledgement covers every older alert. */
		if (i < 64 && (skip >> i & 1) && slot->n_backlog == 0) {
			fw_output_skip(slot->out, msg->seq);
			continue;
		}
		int err = slot->n_backlog ? -ENOBUFS : slot->out->ops->submit(slot->out, msg);
		if (err == -ENOBUFS) {
			if (backlog_push(slot, msg) < 0) {
				/* Not sent, never acknowledged: the line is read
				 * again after a restart. */
				log_err("output %s: out of memory queueing alert %llu",
					slot->out->cfg->name, (unsigned long long)msg->seq);
				continue;
			}
			pause_inputs(p);
		}
	}
	p->emitting = false;
	fw_alert_msg_unref(msg);
	if (p->progress_pending) {
		p->progress_pending = false;
		progress(p);
	}
	return 0;
}

int
fw_pipeline_emit(struct fw_pipeline *p, const char *json, size_t len, const struct fw_record *rec,
		 const struct fw_alert_input *in)
{
	/* A summary stands for lines on both sides of any output's position: sent to all. */
	return emit(p, json, len, rec, in, 0);
}

/* One alert of a line: to the stage, which may hold it, or written and sent. */
static void
alert_hit(struct fw_pipeline *p, const struct fw_alert_input *ai, const struct fw_record *rec)
{
	if (p->stage && p->stage->alert(p->stage, ai, rec))
		return;
	fw_jbuf_reset(&p->alert_buf);
	fw_alert_write(&p->alert_buf, ai);
	if (!fw_jbuf_ok(&p->alert_buf)) {
		p->stats.build_errors++;
		return;
	}
	emit(p, p->alert_buf.data, p->alert_buf.len, rec, ai,
	     ai->source ? ai->source->skip_outputs : 0);
}

/* A line as it is matched: the parsed copy of a formatted input's line, or the line. */
struct line_view {
	const char *text;
	size_t len;                     /* the parsed line's (Docker's `log` is shorter than the line) */
	const struct fw_parsed *pl;     /* NULL: the input has no format */
	enum fw_log_kind kind;
};

static void
alert_input(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
	    const struct fw_alert_source *src, const struct fw_match_result *res,
	    const struct line_view *lv, struct fw_alert_input *ai)
{
	*ai = (struct fw_alert_input){
		.kb = p->kb,
		.parts = p->parts,
		.result = res,
		.list_also_matched = p->cfg->match == FW_MATCH_BEST,
		.input = in->cfg->name,
		.host = p->cfg->host ? p->cfg->host : p->host,
		.source = src,
		.line = lv->text,
		.len = lv->len,
		.truncated = line->truncated,
		.count = 1,
	};
	if (lv->pl) {
		ai->formatted = true;
		ai->has_event_time = lv->pl->has_time;
		ai->event_time = lv->pl->time;
		ai->extent = lv->pl->extent;
		fw_jbuf_reset(&p->fields_buf);
		fw_format_write_fields(&p->fields_buf, lv->pl);
		if (fw_jbuf_ok(&p->fields_buf)) {
			ai->fields = p->fields_buf.data;
			ai->fields_len = p->fields_buf.len;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ai->time);
}

/*
 * A line no record matched: an unknown/<log> alert when its log marks it
 * at or above the input's unknown_level (unknown.h).
 */
static void
unknown_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
	     const struct fw_alert_source *src, const struct line_view *lv)
{
	enum fw_unknown_log log;
	int level = fw_unknown_level(lv->text, lv->len,
				     src->has_priority ? src->priority : FW_SEVERITY_NONE, &log);
	struct fw_hit hit = { .record = p->kb->n_records + (uint32_t)log };
	struct fw_match_result res = { .hits = &hit, .n_hits = 1 };
	struct fw_alert_input ai;

	if (level == FW_SEVERITY_NONE || level > in->cfg->unknown_level)
		return;
	p->stats.unknown++;
	alert_input(p, in, line, src, &res, lv, &ai);
	ai.has_severity = true;
	ai.severity = level;
	alert_hit(p, &ai, fw_unknown_record(log));
}

static void
report_bad_line(struct fw_input *in, struct in_format *f, const struct fw_alert_source *src,
		const struct fw_parsed *pl)
{
	const char *format = in->cfg->log_format ? "log_format" : fw_line_format_names[in->cfg->format];

	if (++f->bad > BAD_LINES_REPORTED)
		return;
	if (src->type == FW_SOURCE_FILE)
		log_warn("input %s: %s:%llu: not a %s line (%s); matched as plain text", in->cfg->name,
			 src->path, (unsigned long long)src->line_no, format, pl->why);
	else
		log_warn("input %s: line %llu: not a %s line (%s); matched as plain text", in->cfg->name,
			 (unsigned long long)src->line_no, format, pl->why);
	if (f->bad == BAD_LINES_REPORTED)
		log_warn("input %s: further lines that are not %s are only counted (fixwatch status)",
			 in->cfg->name, format);
}

static bool
same_log_format(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The configuration checked the log_format: only memory can fail here. */
static int
new_parser(const struct fw_input_config *c, struct fw_format_parser **out)
{
	char why[300];

	if (c->log_format)
		return fw_format_parser_new_log_format(c->log_format, c->max_line_bytes, out, why,
						       sizeof why);
	return fw_format_parser_new(c->format, c->max_line_bytes, out);
}

/*
 * Parses the line of an input with a format into lv. The parser is made
 * on the input's first line, and again when a reload changed the format
 * or the log_format.
 */
static void
view_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
	  const struct fw_alert_source *src, struct line_view *lv)
{
	enum fw_line_format want = in->cfg->format;
	struct timespec now;
	struct in_format *f;
	size_t i;

	*lv = (struct line_view){ .text = line->data, .len = line->len, .kind = FW_LOG_PLAIN };
	if (in->cfg->type == FW_INPUT_JOURNAL) {
		lv->kind = FW_LOG_JOURNAL;
		return;
	}
	if (want == FW_LINE_PLAIN)
		return;
	for (i = 0; i < p->n_inputs && p->inputs[i] != in; i++)
		;
	if (i == p->n_inputs)
		return;
	f = &p->formats[i];
	if (f->parser && (fw_format_parser_format(f->parser) != want ||
			  !same_log_format(fw_format_parser_log_format(f->parser), in->cfg->log_format))) {
		fw_format_parser_free(f->parser);
		f->parser = NULL;
	}
	if (!f->parser && new_parser(in->cfg, &f->parser) < 0) {
		p->stats.unparsed++;
		return;         /* out of memory: matched as plain text */
	}
	clock_gettime(CLOCK_REALTIME, &now);
	fw_format_parse_fd(f->parser, src->type == FW_SOURCE_FILE ? src->path : NULL,
			   src->type == FW_SOURCE_FILE && src->has_fd ? src->fd : -1, line->data,
			   line->len, &now, &p->parsed);
	if (p->parsed.status == FW_PARSE_BAD) {
		p->stats.unparsed++;
		report_bad_line(in, f, src, &p->parsed);
	}
	lv->pl = &p->parsed;
	lv->text = p->parsed.text;
	lv->len = p->parsed.len;
	lv->kind = (enum fw_log_kind)p->parsed.format;
}

/* One line (or joined entry): parse, match, alert. */
static void
process_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
	     const struct fw_alert_source *src)
{
	struct fw_match_result res;
	struct fw_alert_input ai;
	struct line_view lv;

	view_line(p, in, line, src, &lv);
	if (lv.pl && lv.pl->status == FW_PARSE_HEADER) {
		p->stats.headers++;
		return;
	}
	uint32_t n = fw_format_match_line(p->fmatch, p->ctx, in->domain_mask, lv.kind, lv.pl,
					  lv.text, lv.len, &res);
	p->stats.limit_errors += res.limit_errors;
	if (n == 0) {
		if (in->cfg->unknown_level != FW_SEVERITY_NONE)
			unknown_line(p, in, line, src, &lv);
		return;
	}

	p->stats.lines_matched++;
	p->stats.matches += n;
	for (uint32_t i = 0; i < n; i++)
		p->record_matches[res.hits[i].record]++;

	alert_input(p, in, line, src, &res, &lv, &ai);
	uint32_t first = 0, last = n;
	if (p->cfg->match == FW_MATCH_BEST) {
		first = fw_match_primary(p->kb, &res);
		last = first + 1;
	}
	for (uint32_t h = first; h < last; h++) {
		ai.hit = h;
		alert_hit(p, &ai, &p->kb->records[res.hits[h].record]);
	}
}


/* The lowest sequence number a multiline entry holds back from checkpoints. */
static void
update_ml_hold(struct fw_pipeline *p, bool notify)
{
	uint64_t lowest = 0;

	for (size_t i = 0; i < p->n_inputs; i++)
		if (p->formats[i].ml_hold && (!lowest || p->formats[i].ml_hold < lowest))
			lowest = p->formats[i].ml_hold;
	p->ml_hold = lowest;
	if (notify && p->on_safe)
		p->on_safe(p, p->on_safe_ctx);
}

/*
 * Matches the held entry of an input, if any. notify: its lines may be
 * checkpointed now (false when the caller holds the next entry at once).
 */
static void
take_entry(struct fw_pipeline *p, struct fw_input *in, struct in_format *f, bool notify)
{
	struct fw_line line;
	struct fw_alert_source src;

	if (!f->ml || !fw_multiline_take(f->ml, &line, &src))
		return;
	process_line(p, in, &line, &src);
	f->ml_hold = 0;
	update_ml_hold(p, notify);
}

static void
flush_entry(struct fw_pipeline *p, struct fw_input *in, struct in_format *f)
{
	take_entry(p, in, f, true);
}

static void
on_ml_timer(uv_timer_t *t)
{
	struct fw_pipeline *p = t->data;
	uint64_t now = uv_now(p->loop), next = 0;

	for (size_t i = 0; i < p->n_inputs; i++) {
		struct in_format *f = &p->formats[i];

		if (!f->ml || !fw_multiline_held(f->ml))
			continue;
		if (f->ml_deadline <= now)
			flush_entry(p, p->inputs[i], f);
		else if (!next || f->ml_deadline < next)
			next = f->ml_deadline;
	}
	if (next)
		uv_timer_start(&p->ml_timer, on_ml_timer, next - now, 0);
}

/*
 * The joiner of an input with `multiline`, made on its first line and again
 * when a reload changed the setting (the held entry is matched first).
 */
static struct in_format *
multiline_slot(struct fw_pipeline *p, struct fw_input *in)
{
	const struct fw_input_config *c = in->cfg;
	struct in_format *f;
	char why[200];
	size_t i;

	if (!c->multiline && (p->n_inputs == 0 || !p->ml_timer_init))
		return NULL;
	for (i = 0; i < p->n_inputs && p->inputs[i] != in; i++)
		;
	if (i == p->n_inputs)
		return NULL;
	f = &p->formats[i];
	if (f->ml && (!c->multiline || strcmp(f->ml_spec, c->multiline) != 0 ||
		      f->ml_max_lines != c->multiline_max_lines || f->ml_max_bytes != c->max_line_bytes)) {
		flush_entry(p, in, f);
		fw_multiline_free(f->ml);
		free(f->ml_spec);
		f->ml = NULL;
		f->ml_spec = NULL;
	}
	if (!c->multiline)
		return NULL;
	if (!f->ml) {
		if (!p->ml_timer_init) {
			uv_timer_init(p->loop, &p->ml_timer);
			p->ml_timer.data = p;
			p->ml_timer_init = true;
		}
		f->ml_spec = strdup(c->multiline);
		if (!f->ml_spec || fw_multiline_new(c->multiline, c->max_line_bytes, c->multiline_max_lines,
						    &f->ml, why, sizeof why) < 0) {
			free(f->ml_spec);
			f->ml_spec = NULL;
			return NULL;    /* out of memory: lines are matched one by one */
		}
		f->ml_max_lines = c->multiline_max_lines;
		f->ml_max_bytes = c->max_line_bytes;
	}
	return f;
}

bool
fw_pipeline_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
		 const struct fw_alert_source *src)
{
	struct in_format *f;

	p->stats.lines++;
	p->stats.bytes += line->len;
	f = multiline_slot(p, in);
	if (!f) {
		process_line(p, in, line, src);
		return !p->paused;
	}
	if (fw_multiline_join(f->ml, line, src->path)) {
		p->stats.joined++;
		f->ml_deadline = uv_now(p->loop) + in->cfg->multiline_timeout_ms;
		return !p->paused;
	}
	take_entry(p, in, f, false);
	fw_multiline_start(f->ml, line, src);
	f->ml_hold = fw_pipeline_reserve_seq(p);
	update_ml_hold(p, false);
	f->ml_deadline = uv_now(p->loop) + in->cfg->multiline_timeout_ms;
	if (!uv_is_active((uv_handle_t *)&p->ml_timer))
		uv_timer_start(&p->ml_timer, on_ml_timer, in->cfg->multiline_timeout_ms, 0);
	return !p->paused;
}

uint64_t
fw_pipeline_seq(const struct fw_pipeline *p)
{
	return p->seq;
}

/*
 * What an output has done: its acknowledgement, except that an output that
 * acknowledged every message ever sent is also past the reservations after
 * them (they are numbers, not messages: no output ever sees them).
 */
static uint64_t
output_done(const struct fw_pipeline *p, const struct out_slot *slot)
{
	if (slot->n_backlog == 0 && slot->out->acked >= p->last_sent)
		return p->seq;
	return slot->out->acked;
}

uint64_t
fw_pipeline_safe_seq(const struct fw_pipeline *p)
{
	uint64_t safe = p->seq;
	for (size_t i = 0; i < p->n_outs; i++)
		if (output_done(p, &p->outs[i]) < safe)
			safe = output_done(p, &p->outs[i]);
	if (p->hold && p->hold - 1 < safe)
		safe = p->hold - 1;
	if (p->ml_hold && p->ml_hold - 1 < safe)
		safe = p->ml_hold - 1;
	return safe;
}

uint64_t
fw_pipeline_output_safe_seq(const struct fw_pipeline *p, size_t i)
{
	uint64_t safe = output_done(p, &p->outs[i]);

	if (p->hold && p->hold - 1 < safe)
		safe = p->hold - 1;
	if (p->ml_hold && p->ml_hold - 1 < safe)
		safe = p->ml_hold - 1;
	return safe;
}

bool
fw_pipeline_paused(const struct fw_pipeline *p)
{
	return p->paused;
}

uint64_t
fw_pipeline_reserve_seq(struct fw_pipeline *p)
{
	return ++p->seq;
}

void
fw_pipeline_set_hold(struct fw_pipeline *p, uint64_t lowest_held_seq)
{
	p->hold = lowest_held_seq;
	if (p->on_safe)
		p->on_safe(p, p->on_safe_ctx);
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

void
fw_pipeline_flush(struct fw_pipeline *p)
{
	for (size_t i = 0; i < p->n_inputs; i++)
		flush_entry(p, p->inputs[i], &p->formats[i]);
	if (p->stage && p->stage->flush)
		p->stage->flush(p->stage);
}

void
fw_pipeline_close(struct fw_pipeline *p)
{
	if (p->ml_timer_init) {
		uv_close((uv_handle_t *)&p->ml_timer, NULL);
		p->ml_timer_init = false;
	}
}

bool
fw_pipeline_drained(const struct fw_pipeline *p)
{
	if (p->hold || p->ml_hold)
		return false;
	for (size_t i = 0; i < p->n_outs; i++)
		if (output_done(p, &p->outs[i]) < p->seq)
			return false;
	return true;
}
