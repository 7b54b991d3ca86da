/*
 * fixwatch scan: matches log files (plain or compressed) or stdin against the
 * KB and prints one alert per matching line, JSON Lines or text; a summary
 * with per-record counts goes to stderr.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/tool.h"
#include "core/alert.h"
#include "core/render.h"
#include "input/decomp.h"
#include "input/format_match.h"
#include "input/linesplit.h"
#include "util/log.h"

#define SCAN_BLOCK (256 * 1024)
/* JSON alerts are written in batches of about this size (one pipe's capacity). */
#define ALERT_BATCH (64 * 1024)

struct scan {
	const struct tool_opts *o;
	const struct fw_kb *kb;
	struct fw_alert_parts *parts;   /* NULL for --format text */
	struct fw_jbuf batch;           /* JSON alerts not yet written (write_alerts) */
	struct fw_match_ctx *ctx;
	const char *name;               /* file name as given, "-" for stdin */
	bool is_stdin;
	char host[256];
	uint64_t lines, bytes, matched_lines, truncated, limit_errors;
	uint64_t alerts;                /* alerts written; the unrendered ones are not among them */
	uint64_t *per_record;
	uint64_t unrendered;            /* alerts left out: no memory to write them */
	bool write_error;               /* standard output failed: nothing more is written */
	/* --input-format */
	struct fw_format_parser *parser;
	struct fw_format_match *fmatch;
	struct fw_parsed parsed;
	struct fw_jbuf fields;
	uint64_t unparsed, headers;
};

/* The input format's name, for messages. */
static const char *
format_name(const struct tool_opts *o)
{
	return o->log_format ? "log_format" : fw_line_format_names[o->input_format];
}

/*
 * Writes the batched alerts, with write(2): through stdio a batch would
 * take two or three calls. Called when a batch is full and after each block
 * read, so that alerts from a slow pipe are not held back waiting for more
 * input. Nothing else writes to standard output in JSON mode.
 */
static void
write_alerts(struct scan *s)
{
	const char *p = s->batch.data;
	size_t left = s->batch.len;

	while (left > 0 && !s->write_error) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->write_error = true;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	fw_jbuf_reset(&s->batch);
}

static void
emit_alert(struct scan *s, const struct fw_line *line, const char *text, size_t len,
	   const struct fw_parsed *pl, const struct fw_match_result *r, uint32_t hit)
{
	struct fw_alert_source src = {
		.type = s->is_stdin ? FW_SOURCE_STDIN : FW_SOURCE_FILE,
		.path = s->is_stdin ? NULL : s->name,
		.offset = line->offset,
		.line_no = line->line_no,
	};
	struct fw_alert_input in = {
		.kb = s->kb, .parts = s->parts, .result = r, .hit = hit,
		.list_also_matched = !s->o->match_all,
		.input = "scan", .host = s->host, .source = &src,
		.line = text, .len = len, .truncated = line->truncated,
		.count = 1,
	};

	if (pl) {
		in.formatted = true;
		in.has_event_time = pl->has_time;
		in.event_time = pl->time;
		in.extent = pl->extent;
		fw_jbuf_reset(&s->fields);
		fw_format_write_fields(&s->fields, pl);
		if (fw_jbuf_ok(&s->fields)) {
			in.fields = s->fields.data;
			in.fields_len = s->fields.len;
		}
	}

	if (!s->o->json) {
		char where[PATH_MAX + 32];

		snprintf(where, sizeof where, "%s:%llu", s->name, (unsigned long long)line->line_no);
		fw_render_text(stdout, s->kb, r, hit, !s->o->match_all, where, text, len, s->o->zh,
			       s->o->color > 0);
		s->alerts++;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &in.time);
	size_t before = s->batch.len;

	fw_alert_write(&s->batch, &in);
	FW_JBUF_LIT(&s->batch, "\n");
	if (!fw_jbuf_ok(&s->batch)) {
		/* Only this alert is lost: the batch keeps the ones before it
		 * and later ones still go out. */
		fw_jbuf_truncate(&s->batch, before);
		log_err("out of memory writing an alert for %s:%llu", s->name,
			(unsigned long long)line->line_no);
		s->unrendered++;
		return;
	}
	s->alerts++;
	if (s->batch.len >= ALERT_BATCH)
		write_alerts(s);
}

static void
scan_line(void *arg, const struct fw_line *line)
{
	struct scan *s = arg;
	struct fw_match_result r;
	const struct fw_parsed *pl = NULL;
	const char *text = line->data;
	size_t len = line->len;
	enum fw_log_kind kind = FW_LOG_PLAIN;

	s->lines++;
	if (line->truncated)
		s->truncated++;
	if (s->parser) {
		struct timespec now = { 0 };

		/* the read time is for RFC 3164's year; plain recognises no such file */
		if (s->o->input_format != FW_LINE_PLAIN)
			clock_gettime(CLOCK_REALTIME, &now);
		fw_format_parse(s->parser, s->is_stdin ? NULL : s->name, line->data, line->len, &now,
				&s->parsed);
		pl = &s->parsed;
		if (pl->status == FW_PARSE_HEADER) {
			s->headers++;
			return;
		}
		if (pl->status == FW_PARSE_BAD && ++s->unparsed <= 5)
			log_warn("%s:%llu: not a %s line (%s); matched as plain text", s->name,
				 (unsigned long long)line->line_no,
				 format_name(s->o), pl->why);
		if (s->o->input_format == FW_LINE_PLAIN && pl->status == FW_PARSE_PLAIN) {
			pl = NULL;      /* a file plain does not recognise (format.h): as it is */
		} else {
			text = pl->text;
			len = pl->len;
			kind = (enum fw_log_kind)pl->format;
		}
	}
	if (fw_format_match_line(s->fmatch, s->ctx, NULL, kind, pl, text, len, &r) == 0) {
		s->limit_errors += r.limit_errors;
		return;
	}
	s->limit_errors += r.limit_errors;
	s->matched_lines++;
	for (uint32_t i = 0; i < r.n_hits; i++)
		s->per_record[r.hits[i].record]++;
	if (s->o->match_all) {
		for (uint32_t i = 0; i < r.n_hits; i++)
			emit_alert(s, line, text, len, pl, &r, i);
	} else {
		emit_alert(s, line, text, len, pl, &r, fw_match_primary(s->kb, &r));
	}
}

/* The text of a file goes to the line splitter, whether it was compressed or not. */
struct scan_text {
	struct scan *s;
	struct fw_linesplit *ls;
};

static void
scan_text(void *arg, const char *data, size_t len)
{
	struct scan_text *t = arg;

	t->s->bytes += len;
	fw_linesplit_feed(t->ls, data, len, scan_line, t->s);
	write_alerts(t->s);
}

/* read() until n bytes or the end: a pipe may hand over fewer than the magic bytes at first. */
static ssize_t
read_at_least(int fd, char *buf, size_t cap, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, cap - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * Reads one file (or stdin) to its end, decompressing it when its first
 * bytes say gzip, xz or zstd. 0, or -1 after reporting why; the lines read
 * before a read error or corrupt data are kept.
 */
static int
scan_file(struct scan *s, const char *path, char *block)
{
	struct fw_linesplit ls;
	struct scan_text text = { .s = s, .ls = &ls };
	struct fw_decomp *dec = NULL;
	struct stat st;
	uint64_t compressed = 0;
	int fd, rc = 0, err = 0;

	s->name = path;
	s->is_stdin = strcmp(path, "-") == 0;
	if (s->is_stdin) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_err("%s: %s", path, strerror(errno));
			return -1;
		}
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		log_err("%s: is a directory (give the log files in it)", path);
		if (!s->is_stdin)
			close(fd);
		return -1;
	}
	if (fw_linesplit_init(&ls, s->o->max_line, 0, 0) < 0) {
		log_err("out of memory");
		if (!s->is_stdin)
			close(fd);
		return -1;
	}
	ssize_t n = read_at_least(fd, block, SCAN_BLOCK, FW_DECOMP_MAGIC_MAX);
	enum fw_decomp_kind kind = n > 0 ? fw_decomp_detect(block, (size_t)n) : FW_DECOMP_NONE;

	if (kind != FW_DECOMP_NONE && (err = fw_decomp_new(kind, &dec)) < 0) {
		log_err("%s: cannot set up the %s decoder: %s", path, fw_decomp_kind_name(kind),
			strerror(-err));
		rc = -1;
		n = 0;
	}
	while (n > 0) {
		if (dec) {
			compressed += (uint64_t)n;
			err = fw_decomp_feed(dec, block, (size_t)n, scan_text, &text);
			if (err < 0)
				break;
		} else {
			scan_text(&text, block, (size_t)n);
		}
		do
			n = read(fd, block, SCAN_BLOCK);
		while (n < 0 && errno == EINTR);
	}
	if (n < 0) {
		log_err("%s: read error at byte %llu: %s", path,
			(unsigned long long)(dec ? compressed : ls.offset), strerror(errno));
		rc = -1;
	}
	if (dec && n == 0 && err == 0)
		err = fw_decomp_finish(dec);
	fw_linesplit_flush(&ls, scan_line, s);
	write_alerts(s);
	if (dec && err < 0) {
		log_err("%s: %s; the %llu lines before it were scanned", path, fw_decomp_error(dec),
			(unsigned long long)ls.line_no);
		rc = -1;
	}
	if (ls.truncated_lines)
		log_warn("%s: %llu line%s longer than %zu bytes cut (%llu bytes skipped)", path,
			 (unsigned long long)ls.truncated_lines, ls.truncated_lines == 1 ? "" : "s",
			 s->o->max_line, (unsigned long long)ls.skipped_bytes);
	fw_decomp_free(dec);
	fw_linesplit_free(&ls);
	if (!s->is_stdin)
		close(fd);
	return rc;
}

static double
elapsed(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* The options' parser (--log-format was checked when it was read). */
static int
new_parser(const struct tool_opts *o, struct fw_format_parser **out)
{
	char why[300];

	if (o->log_format)
		return fw_format_parser_new_log_format(o->log_format, o->max_line, out, why, sizeof why);
	return fw_format_parser_new(o->input_format, o->max_line, out);
}

int
fw_scan_command(const struct tool_opts *o, int argc, char **argv)
{
	struct scan s = { .o = o };
	struct fw_matcher *m = NULL;
	struct fw_kb *kb;
	struct timespec t0;
	char *block = NULL;
	int errors = 0, status = EXIT_FINDINGS;
	double secs;

	if (argc == 0)
		return fw_tool_usage_error("%s", "scan: no FILE given (use - for standard input)");
	kb = fw_tool_load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	m = fw_tool_new_matcher(kb, o->engine);
	s.kb = kb;
	s.ctx = m ? fw_match_ctx_new(m) : NULL;
	s.per_record = calloc(kb->n_records, sizeof *s.per_record);
	block = malloc(SCAN_BLOCK);
	if (!s.ctx || !s.per_record || !block || (o->json && fw_alert_parts_new(kb, o->zh, &s.parts) < 0) ||
	    fw_format_match_new(kb, &s.fmatch) < 0 ||
	    new_parser(o, &s.parser) < 0) {
		log_err("cannot set up the matcher: out of memory");
		goto out;
	}
	if (gethostname(s.host, sizeof s.host) < 0)
		snprintf(s.host, sizeof s.host, "localhost");
	s.host[sizeof s.host - 1] = '\0';

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < argc; i++)
		if (scan_file(&s, argv[i], block) < 0)
			errors++;
	if (fflush(stdout) == EOF)
		s.write_error = true;
	secs = elapsed(&t0);

	fprintf(stderr, "fixwatch: %d file%s, %llu lines, %llu bytes in %.3f s (%.1f MB/s, %s matcher)\n",
		argc, argc == 1 ? "" : "s", (unsigned long long)s.lines, (unsigned long long)s.bytes, secs,
		secs > 0 ? (double)s.bytes / secs / 1e6 : 0.0, fw_match_engine_name(o->engine));
	fprintf(stderr, "fixwatch: %llu matching line%s, %llu alert%s", (unsigned long long)s.matched_lines,
		s.matched_lines == 1 ? "" : "s", (unsigned long long)s.alerts, s.alerts == 1 ? "" : "s");
	if (s.truncated)
		fprintf(stderr, ", %llu truncated line%s", (unsigned long long)s.truncated,
			s.truncated == 1 ? "" : "s");
	if (s.limit_errors)
		fprintf(stderr, ", %llu pattern run%s stopped by the match limit",
			(unsigned long long)s.limit_errors, s.limit_errors == 1 ? "" : "s");
	if (errors)
		fprintf(stderr, ", %d input error%s", errors, errors == 1 ? "" : "s");
	if (o->input_format != FW_LINE_PLAIN)
		fprintf(stderr, ", %llu header line%s, %llu line%s not %s (matched as plain text)",
			(unsigned long long)s.headers, s.headers == 1 ? "" : "s",
			(unsigned long long)s.unparsed, s.unparsed == 1 ? "" : "s",
			format_name(o));
	else if (s.headers)
		fprintf(stderr, ", %llu W3C header line%s", (unsigned long long)s.headers,
			s.headers == 1 ? "" : "s");
	fputc('\n', stderr);
	for (uint32_t i = 0; i < kb->n_records; i++)
		if (s.per_record[i])
			fprintf(stderr, "%10llu  %s\n", (unsigned long long)s.per_record[i], kb->records[i].id);
	if (s.unrendered)
		log_err("%llu alert%s not written: out of memory", (unsigned long long)s.unrendered,
			s.unrendered == 1 ? "" : "s");
	if (s.write_error)
		log_err("error writing the alerts to standard output");
	status = (s.matched_lines || errors || s.write_error) ? EXIT_FINDINGS : EXIT_SUCCESS;
out:
	free(block);
	free(s.per_record);
	fw_alert_parts_unref(s.parts);
	fw_jbuf_free(&s.batch);
	fw_jbuf_free(&s.fields);
	fw_format_parser_free(s.parser);
	fw_format_match_free(s.fmatch);
	fw_match_ctx_free(s.ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
	return status;
}
