/*
 * pipeline_line: a line's way to its alerts. An input's line is parsed by
 * the input's format (input/format.h), joined to its multiline entry
 * (input/format_multiline.h), matched with the input's domain mask, and each
 * hit handed to fw__pipeline_alert_hit() (pipeline_deliver.c). A held
 * multiline entry keeps a reserved sequence number (p->ml_hold) so its
 * lines are not checkpointed before it is matched.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "input/format_match.h"
#include "input/format_multiline.h"
#include "core/pipeline_int.h"
#include "core/unknown.h"

/* Lines that do not parse are reported by file:line up to this many per input, then counted. */
#define BAD_LINES_REPORTED 5

/* When the line was read: its block's read (fw_pipeline_read_time()), or now. */
static void
line_time(const struct fw_pipeline *p, struct timespec *t)
{
	if (p->has_read_time)
		*t = p->read_time;
	else
		clock_gettime(CLOCK_REALTIME, t);
}

void
fw_pipeline_read_time(struct fw_pipeline *p, const struct timespec *t)
{
	p->has_read_time = t != NULL;
	if (t)
		p->read_time = *t;
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
		/* Written with the alert, if one is; none (an nginx error log's plain text with
		 * its time): NULL, written {}. */
		if (lv->pl->n_fields)
			ai->parsed = lv->pl;
	}
	line_time(p, &ai->time);
}

/*
 * A line no record matched: an unknown/<log> alert when its log marks it
 * at or above the input's unknown_level (unknown.h). Of an nginx error-log
 * line that its format recognised only the level word is read again.
 */
static void
unknown_line(struct fw_pipeline *p, struct fw_input *in, const struct fw_line *line,
	     const struct fw_alert_source *src, const struct line_view *lv)
{
	enum fw_unknown_log log = FW_UNKNOWN_NGINX_ERROR;
	struct fw_match_result res;
	struct fw_alert_input ai;
	struct fw_hit hit;
	const char *word;
	size_t n;
	int level;

	if (lv->pl && lv->pl->nginx_error && !src->has_priority) {
		n = fw_format_nginx_error_level(lv->text, lv->len, &word);
		level = fw_unknown_nginx_level(word, n);
	} else {
		level = fw_unknown_level(lv->text, lv->len,
					 src->has_priority ? src->priority : FW_SEVERITY_NONE, &log);
	}
	hit = (struct fw_hit){ .record = p->kb->n_records + (uint32_t)log };
	res = (struct fw_match_result){ .hits = &hit, .n_hits = 1 };

	if (level == FW_SEVERITY_NONE || level > in->cfg->unknown_level)
		return;
	p->stats.unknown++;
	alert_input(p, in, line, src, &res, lv, &ai);
	ai.has_severity = true;
	ai.severity = level;
	fw__pipeline_alert_hit(p, &ai, fw_unknown_record(log));
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

/* The format state of in, NULL if in is not one of p's inputs (no search: its slot). */
static struct in_format *
input_format(struct fw_pipeline *p, struct fw_input *in)
{
	size_t i = in->pipeline_slot;

	return i < p->n_inputs && p->inputs[i] == in ? &p->formats[i] : NULL;
}

/*
 * Parses the line of a file or stdin input into lv. The parser is made
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

	*lv = (struct line_view){ .text = line->data, .len = line->len, .kind = FW_LOG_PLAIN };
	if (in->cfg->type == FW_INPUT_JOURNAL) {
		lv->kind = FW_LOG_JOURNAL;
		return;
	}
	if (!(f = input_format(p, in)))
		return;
	if (f->parser && (fw_format_parser_format(f->parser) != want ||
			  !same_log_format(fw_format_parser_log_format(f->parser), in->cfg->log_format))) {
		fw_format_parser_free(f->parser);
		f->parser = NULL;
	}
	if (!f->parser && new_parser(in->cfg, &f->parser) < 0) {
		p->stats.unparsed++;
		return;         /* out of memory: matched as plain text */
	}
	/* the read time is for RFC 3164's year; plain recognises no such file */
	if (want != FW_LINE_PLAIN)
		line_time(p, &now);
	else
		now = (struct timespec){ 0 };
	fw_format_parse_fd(f->parser, src->type == FW_SOURCE_FILE ? src->path : NULL,
			   src->type == FW_SOURCE_FILE && src->has_fd ? src->fd : -1, line->data,
			   line->len, &now, &p->parsed);
	if (p->parsed.status == FW_PARSE_BAD) {
		p->stats.unparsed++;
		report_bad_line(in, f, src, &p->parsed);
	}
	/* plain: only the files it recognises are parsed (format.h); the others stay plain text */
	if (want == FW_LINE_PLAIN && p->parsed.status == FW_PARSE_PLAIN)
		return;
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
		fw__pipeline_alert_hit(p, &ai, &p->kb->records[res.hits[h].record]);
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

void
fw__pipeline_flush_entry(struct fw_pipeline *p, struct fw_input *in, struct in_format *f)
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
			fw__pipeline_flush_entry(p, p->inputs[i], f);
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

	if (!c->multiline && (p->n_inputs == 0 || !p->ml_timer_init))
		return NULL;
	if (!(f = input_format(p, in)))
		return NULL;
	if (f->ml && (!c->multiline || strcmp(f->ml_spec, c->multiline) != 0 ||
		      f->ml_max_lines != c->multiline_max_lines || f->ml_max_bytes != c->max_line_bytes)) {
		fw__pipeline_flush_entry(p, in, f);
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
	/* No multiline input now nor before a reload: no joiner to look for. */
	f = in->cfg->multiline || p->ml_timer_init ? multiline_slot(p, in) : NULL;
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

void
fw_pipeline_flush(struct fw_pipeline *p)
{
	for (size_t i = 0; i < p->n_inputs; i++)
		fw__pipeline_flush_entry(p, p->inputs[i], &p->formats[i]);
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
