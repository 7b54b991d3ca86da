/*
 * fixwatch: the command-line tool (design.md §8).
 *
 *   fixwatch scan  [-k KB]... [--format json|text] [--color auto|always|never] [--match best|all]
 *                  [--input-format F] FILE...|-
 *   fixwatch check [-k KB]... [--quiet]
 *   fixwatch test  [-k KB]... [--strict [--known-failures FILE]] [--allow-untested ID]...
 *   fixwatch show  [-k KB]... [--locale en|zh] ID
 *   fixwatch new-record FILE:LINE|-      (new_record.c)
 *
 * Exit status (contract): 0 ok, 1 findings or errors in the input, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/known_failures.h"
#include "cli/new_record.h"
#include "cli/variant_test.h"
#include "core/alert.h"
#include "kb/kb.h"
#include "input/decomp.h"
#include "input/format_match.h"
#include "input/linesplit.h"
#include "util/log.h"
#include "match/match.h"
#include "match/match_fast.h"
#include "core/render.h"
#include "core/status.h"

#define EXIT_FINDINGS 1
#define EXIT_USAGE 2

#define SCAN_BLOCK (256 * 1024)

static const char usage_text[] =
	"Usage: fixwatch COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Recognise known errors in logs and print their diagnosis and fix.\n"
	"\n"
	"Commands:\n"
	"  scan [-k KB]... [--format json|text] [--color auto|always|never] [--match best|all]\n"
	"       [--engine fast|reference] [--max-line-bytes N] [--input-format FORMAT] FILE...|-\n"
	"                 match log files (or stdin) against the knowledge base and print\n"
	"                 one alert per matching line; a summary goes to stderr;\n"
	"                 --format: text on a terminal, JSON Lines otherwise by default;\n"
	"                 --color: colours in the text form (auto: on a terminal, unless\n"
	"                 NO_COLOR is set);\n"
	"                 --input-format plain|w3c|json|combined|syslog|auto parses the\n"
	"                 lines into fields (default plain)\n"
	"  check [-k KB]... [-q|--quiet]\n"
	"                 validate a knowledge base and report its patterns (--quiet: only\n"
	"                 the summary and the warnings)\n"
	"  test [-k KB]... [--strict [--known-failures FILE]] [--allow-untested ID]...\n"
	"                 run every record's examples (and their variants: IPv6, other\n"
	"                 numbers, syslog/journal/Docker prefixes) and counterexamples;\n"
	"                 --strict also holds each record's advice to the rules of\n"
	"                 data/kb/README.md\n"
	"  show [-k KB]... [--locale en|zh] ID\n"
	"                 print one record as Markdown\n"
	"  new-record FILE:LINE|-\n"
	"                 print the skeleton of a record for one log line (- reads it\n"
	"                 from stdin): a generalised regex, the line as its example\n"
	"  status [-s|--socket SOCKET] [--json]\n"
	"                 ask the running fixwatchd for its inputs, outputs and counters\n"
	"                 (default socket: /run/fixwatch/control.sock)\n"
	"\n"
	"Common options:\n"
	"  -k, --kb PATH  knowledge base directory or file (repeatable; default: %s)\n"
	"  -h, --help     show this help\n"
	"  -V, --version  show the version\n"
	"\n"
	"Exit status: 0 ok, 1 findings or errors in the input, 2 usage error.\n";

struct tool_opts {
	const char *kb[64];
	size_t n_kb;
	enum fw_match_engine engine;
	bool json;
	bool format_set;        /* --format given */
	int color;              /* -1 auto (until main decides), 0 never, 1 always */
	bool match_all;
	bool zh;
	bool strict;
	bool quiet;
	const char *allow_untested[256];
	size_t n_allow_untested;
	const char *known_failures;
	size_t max_line;
	enum fw_line_format input_format;
};

/* ---- default KB ------------------------------------------------------ */

/*
 * The installed KB, unless this binary runs from its build tree, where the
 * source tree's data/kb is the one that belongs to it.
 */
static const char *
fw_tool_default_kb(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if (strcmp(exe, FW_BUILDDIR) == 0) {
				snprintf(path, sizeof path, "%s/data/kb", FW_SRCDIR);
				return path;
			}
		}
	}
	return FW_DATADIR "/kb";
}

static void
usage(FILE *f)
{
	fprintf(f, usage_text, fw_tool_default_kb());
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fixwatch: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'fixwatch --help'.\n");
	return EXIT_USAGE;
}

static struct fw_kb *
load_kb(const struct tool_opts *o)
{
	const char *def = fw_tool_default_kb();
	struct fw_diag diag;
	struct fw_kb *kb;
	int rc;

	fw_diag_init(&diag);
	rc = fw_kb_load(o->n_kb ? o->kb : &def, o->n_kb ? o->n_kb : 1, NULL, &kb, &diag);
	if (rc < 0) {
		fw_diag_print(&diag, stderr);
		fprintf(stderr, "fixwatch: knowledge base not loaded: %zu error%s\n", fw_diag_count(&diag),
			fw_diag_count(&diag) == 1 ? "" : "s");
		fw_diag_clear(&diag);
		return NULL;
	}
	fw_diag_clear(&diag);
	if (kb->jit_error)
		log_warn("%s", kb->jit_error);
	return kb;
}

static struct fw_matcher *
new_matcher(const struct fw_kb *kb, enum fw_match_engine engine)
{
	struct fw_diag diag;
	struct fw_matcher *m;

	fw_diag_init(&diag);
	if (fw_matcher_new(kb, engine, &m, &diag) < 0) {
		fw_diag_print(&diag, stderr);
		fprintf(stderr, "fixwatch: cannot build the %s matcher\n", fw_match_engine_name(engine));
		m = NULL;
	}
	fw_diag_clear(&diag);
	return m;
}

/* ---- scan ------------------------------------------------------------ */

struct scan {
	const struct tool_opts *o;
	const struct fw_kb *kb;
	struct fw_alert_parts *parts;   /* NULL for --format text */
	struct fw_jbuf alert;           /* the alert being written, reused */
	struct fw_match_ctx *ctx;
	const char *name;               /* file name as given, "-" for stdin */
	bool is_stdin;
	char host[256];
	uint64_t lines, bytes, matched_lines, alerts, truncated, limit_errors;
	uint64_t *per_record;
	bool write_error;
	/* --input-format */
	struct fw_format_parser *parser;    /* NULL: plain */
	struct fw_format_match *fmatch;
	struct fw_parsed parsed;
	struct fw_jbuf fields;
	uint64_t unparsed, headers;
};

static void
emit_alert(struct scan *s, const struct fw_line *line, const char *text, const struct fw_parsed *pl,
	   const struct fw_match_result *r, uint32_t hit)
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
		.line = text, .len = line->len, .truncated = line->truncated,
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

	s->alerts++;
	if (!s->o->json) {
		char where[PATH_MAX + 32];

		snprintf(where, sizeof where, "%s:%llu", s->name, (unsigned long long)line->line_no);
		fw_render_text(stdout, s->kb, r, hit, !s->o->match_all, where, text, line->len, s->o->zh,
			       s->o->color > 0);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &in.time);
	fw_jbuf_reset(&s->alert);
	fw_alert_write(&s->alert, &in);
	FW_JBUF_LIT(&s->alert, "\n");
	if (!fw_jbuf_ok(&s->alert)) {
		log_err("out of memory writing an alert for %s:%llu", s->name,
			(unsigned long long)line->line_no);
		s->write_error = true;
		return;
	}
	if (fwrite(s->alert.data, 1, s->alert.len, stdout) != s->alert.len)
		s->write_error = true;
}

static void
scan_line(void *arg, const struct fw_line *line)
{
	struct scan *s = arg;
	struct fw_match_result r;
	const struct fw_parsed *pl = NULL;
	const char *text = line->data;
	enum fw_log_kind kind = FW_LOG_PLAIN;

	s->lines++;
	if (line->truncated)
		s->truncated++;
	if (s->parser) {
		struct timespec now;

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
				 fw_line_format_names[s->o->input_format], pl->why);
		text = pl->text;
		kind = (enum fw_log_kind)pl->format;
	}
	if (fw_format_match_line(s->fmatch, s->ctx, NULL, kind, pl, text, line->len, &r) == 0) {
		s->limit_errors += r.limit_errors;
		return;
	}
	s->limit_errors += r.limit_errors;
	s->matched_lines++;
	for (uint32_t i = 0; i < r.n_hits; i++)
		s->per_record[r.hits[i].record]++;
	if (s->o->match_all) {
		for (uint32_t i = 0; i < r.n_hits; i++)
			emit_alert(s, line, text, pl, &r, i);
	} else {
		emit_alert(s, line, text, pl, &r, fw_match_primary(s->kb, &r));
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

static int
cmd_scan(const struct tool_opts *o, int argc, char **argv)
{
	struct scan s = { .o = o };
	struct fw_matcher *m = NULL;
	struct fw_kb *kb;
	struct timespec t0;
	char *block = NULL;
	int errors = 0, status = EXIT_FINDINGS;
	double secs;

	if (argc == 0)
		return usage_error("%s", "scan: no FILE given (use - for standard input)");
	kb = load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	m = new_matcher(kb, o->engine);
	s.kb = kb;
	s.ctx = m ? fw_match_ctx_new(m) : NULL;
	s.per_record = calloc(kb->n_records, sizeof *s.per_record);
	block = malloc(SCAN_BLOCK);
	if (!s.ctx || !s.per_record || !block || (o->json && fw_alert_parts_new(kb, o->zh, &s.parts) < 0) ||
	    fw_format_match_new(kb, &s.fmatch) < 0 ||
	    (o->input_format != FW_LINE_PLAIN &&
	     fw_format_parser_new(o->input_format, o->max_line, &s.parser) < 0)) {
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
	if (s.parser)
		fprintf(stderr, ", %llu header line%s, %llu line%s not %s (matched as plain text)",
			(unsigned long long)s.headers, s.headers == 1 ? "" : "s",
			(unsigned long long)s.unparsed, s.unparsed == 1 ? "" : "s",
			fw_line_format_names[o->input_format]);
	fputc('\n', stderr);
	for (uint32_t i = 0; i < kb->n_records; i++)
		if (s.per_record[i])
			fprintf(stderr, "%10llu  %s\n", (unsigned long long)s.per_record[i], kb->records[i].id);
	if (s.write_error)
		log_err("error writing the alerts to standard output");
	status = (s.matched_lines || errors || s.write_error) ? EXIT_FINDINGS : EXIT_SUCCESS;
out:
	free(block);
	free(s.per_record);
	fw_alert_parts_unref(s.parts);
	fw_jbuf_free(&s.alert);
	fw_jbuf_free(&s.fields);
	fw_format_parser_free(s.parser);
	fw_format_match_free(s.fmatch);
	fw_match_ctx_free(s.ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
	return status;
}

/* ---- check ----------------------------------------------------------- */

/*
 * What the fast matcher's prefilter uses per pattern. A pattern whose
 * literals filter little or that has none goes through the DFA first when
 * the DFA models it; otherwise it is confirmed on many or every line, so
 * its measured cost is shown.
 */
/* quiet: only the summary and the warnings, not a line per pattern. */
static void
check_prefilter(const struct fw_kb *kb, bool quiet)
{
	struct fw_matcher *m;
	struct fw_diag d;
	char desc[512];

	fw_diag_init(&d);
	if (fw_matcher_new(kb, FW_ENGINE_FAST, &m, &d) < 0) {
		fw_diag_print(&d, stderr);
		fw_diag_clear(&d);
		return;
	}
	fw_diag_clear(&d);
	printf("prefilter: %u of %u patterns confirmed on every line, %u checked by the DFA first\n",
	       fw_match_fast_always_count(m), kb->n_patterns, fw_match_fast_dfa_count(m));
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];
		const char *id = kb->records[pat->record].id;
		bool has_literal = fw_match_fast_describe(m, p, desc, sizeof desc) > 0;
		unsigned hits, of;
		double ns;

		if (!quiet)
			printf("  %s [%u]: literal %s%s\n", id, pat->index, desc,
			       fw_match_fast_in_dfa(m, p) ? ", then the DFA" : "");
		if (fw_match_fast_in_dfa(m, p))
			continue;
		/* A selective literal is in none of the typical lines. */
		if (has_literal && fw_match_fast_common(m, p, &hits, &of) == 0 && 4 * hits >= of &&
		    fw_match_fast_cost(m, p, &ns) == 0)
			printf("warning: %s [%u]: literal common in ordinary logs (%u of %u typical "
			       "lines), confirmed on many lines: %.0f ns/line\n",
			       id, pat->index, hits, of, ns);
		else if (!has_literal && fw_match_fast_cost(m, p, &ns) == 0)
			printf("warning: %s [%u]: no usable literal, confirmed on every line: %.0f ns/line\n",
			       id, pat->index, ns);
	}
	fw_matcher_free(m);
}

static int
cmd_check(const struct tool_opts *o, int argc, char **argv)
{
	struct fw_kb *kb;
	uint32_t named = 0;

	if (argc)
		return usage_error("check: unexpected argument '%s' (use -k PATH)", argv[0]);
	kb = load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	for (uint32_t p = 0; p < kb->n_patterns; p++)
		named += kb->patterns[p].n_names;
	printf("%u records, %u patterns (%u named captures) from %u file%s\n", kb->n_records,
	       kb->n_patterns, named, kb->n_files, kb->n_files == 1 ? "" : "s");
	printf("domains:");
	for (uint32_t d = 0; d < kb->n_domains; d++) {
		uint32_t n = 0;

		for (uint32_t i = 0; i < kb->n_records; i++)
			n += kb->records[i].domain_index == d;
		printf(" %s (%u)", kb->domains[d], n);
	}
	printf("\nJIT: %s\n", kb->jit ? "on" : kb->jit_error ? kb->jit_error : "off");
	check_prefilter(kb, o->quiet);
	fw_kb_free(kb);
	return EXIT_SUCCESS;
}

/* ---- test ------------------------------------------------------------ */

static bool
lists(const struct fw_strlist *l, const char *id)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], id) == 0)
			return true;
	return false;
}

static bool
allowed_untested(const struct tool_opts *o, const char *id)
{
	for (size_t i = 0; i < o->n_allow_untested; i++)
		if (strcmp(o->allow_untested[i], id) == 0)
			return true;
	return false;
}

static void
test_fail(unsigned *failed, const struct fw_record *rec, const char *field, uint32_t i, const char *msg,
	  const char *line)
{
	if (rec->line)
		printf("%s:%u: %s: %s[%u]: %s: %s\n", rec->path, rec->line, rec->id, field, i, msg, line);
	else
		printf("%s: %s: %s[%u]: %s: %s\n", rec->path, rec->id, field, i, msg, line);
	(*failed)++;
}

/* Strict advice rules: a finding is a failure unless the known list has it. */
struct advice_run {
	struct fw_known *known;
	unsigned *failed;
	unsigned known_hits;
};

static void
advice_finding(void *arg, const struct fw_record *rec, enum fw_kb_rule rule, const char *msg)
{
	struct advice_run *a = arg;

	if (fw_known_take(a->known, rec->id, fw_kb_rule_name(rule))) {
		a->known_hits++;
		return;
	}
	if (rec->line)
		printf("%s:%u: %s: %s: %s\n", rec->path, rec->line, rec->id, fw_kb_rule_name(rule), msg);
	else
		printf("%s: %s: %s: %s\n", rec->path, rec->id, fw_kb_rule_name(rule), msg);
	(*a->failed)++;
}

/* Every listed entry must still fail: the list only shrinks. */
static void
advice_stale(const struct fw_known *k, unsigned *failed)
{
	for (size_t i = 0; k && i < k->n; i++)
		if (!k->entries[i].seen) {
			printf("%s:%u: %s %s: no longer fails; remove it from the list\n", k->path,
			       k->entries[i].line, k->entries[i].id, k->entries[i].rule);
			(*failed)++;
		}
}

/*
 * Matches a record's example (or counterexample) as an input with
 * `format = auto` would see it, so that records with a `field` or `logs`
 * target are tested on whole log lines too: the lines of the example before
 * its last are fed to the parser first (a W3C example carries its header:
 * "#Fields: ...\nLINE"), then the last line is matched. A plain line of a
 * record that names the journal among its logs is also tried as a journal
 * message. A
 * fresh parser per example: no header carries over from another one.
 */
static void
test_match(struct fw_format_match *fm, struct fw_match_ctx *ctx, const struct fw_record *rec,
	   const char *example, struct fw_match_result *r)
{
	static const struct timespec epoch;
	struct fw_format_parser *fp;
	struct fw_parsed *pl;
	const char *line = example, *nl;

	pl = malloc(sizeof *pl);
	if (!pl || fw_format_parser_new(FW_LINE_AUTO, strlen(example), &fp) < 0) {
		free(pl);
		fw_format_match_line(fm, ctx, NULL, FW_LOG_PLAIN, NULL, example, strlen(example), r);
		return;
	}
	while ((nl = strchr(line, '\n')) != NULL) {
		fw_format_parse(fp, "example", line, (size_t)(nl - line), &epoch, pl);
		line = nl + 1;
	}
	fw_format_parse(fp, "example", line, strlen(line), &epoch, pl);
	/* r points into fm and ctx, not into the parser: the parser may go. */
	if (fw_format_match_line(fm, ctx, NULL, (enum fw_log_kind)pl->format, pl, pl->text, pl->len, r) == 0 &&
	    pl->format == FW_LINE_PLAIN && (rec->logs >> FW_LOG_JOURNAL & 1u))
		fw_format_match_line(fm, ctx, NULL, FW_LOG_JOURNAL, NULL, line, strlen(line), r);
	fw_format_parser_free(fp);
	free(pl);
}

struct self_match {
	struct fw_format_match *fm;
	struct fw_match_ctx *ctx;
	const struct fw_kb *kb;
};

/* fw_example_match_fn for the variants: does line match rec? */
static bool
matches_self(void *arg, const struct fw_record *rec, const char *line)
{
	struct self_match *sm = arg;
	struct fw_match_result r;

	test_match(sm->fm, sm->ctx, rec, line, &r);
	for (uint32_t h = 0; h < r.n_hits; h++)
		if (&sm->kb->records[r.hits[h].record] == rec)
			return true;
	return false;
}

static int
cmd_test(const struct tool_opts *o, int argc, char **argv)
{
	struct fw_kb *kb;
	struct fw_matcher *m;
	struct fw_match_ctx *ctx;
	struct fw_format_match *fm = NULL;
	unsigned passed = 0, failed = 0, untested = 0, n_ex = 0, n_cx = 0;
	struct fw_known known = { 0 };
	struct advice_run advice = { NULL, &failed, 0 };
	struct self_match sm;
	struct fw_variant_test vt = { 0 };

	if (argc)
		return usage_error("test: unexpected argument '%s' (use -k PATH)", argv[0]);
	if (o->known_failures && !o->strict)
		return usage_error("%s", "test: --known-failures goes with --strict");
	if (o->known_failures) {
		if (fw_known_load(o->known_failures, &known) < 0)
			return EXIT_FINDINGS;
		advice.known = &known;
	}
	kb = load_kb(o);
	if (!kb) {
		fw_known_free(&known);
		return EXIT_FINDINGS;
	}
	m = new_matcher(kb, o->engine);
	ctx = m ? fw_match_ctx_new(m) : NULL;
	sm = (struct self_match){ NULL, ctx, kb };
	vt = (struct fw_variant_test){ .kb = kb, .match = matches_self, .match_arg = &sm, .known = advice.known };
	if (!ctx || fw_format_match_new(kb, &fm) < 0 || fw_variant_test_init(&vt) < 0) {
		fw_variant_test_fini(&vt);
		fw_format_match_free(fm);
		fw_match_ctx_free(ctx);
		fw_matcher_free(m);
		fw_kb_free(kb);
		fw_known_free(&known);
		return EXIT_FINDINGS;
	}
	sm.fm = fm;
	for (uint32_t ri = 0; ri < kb->n_records; ri++) {
		const struct fw_record *rec = &kb->records[ri];
		bool short_of_tests = rec->examples.n < 2 || rec->counterexamples.n < 1;

		if (o->strict)
			fw_kb_check_advice(rec, advice_finding, &advice);
		if (short_of_tests && !allowed_untested(o, rec->id)) {
			untested++;
			if (o->strict) {
				printf("%s: %s: examples: %u examples and %u counterexamples (at least 2 and 1 needed)\n",
				       rec->path, rec->id, rec->examples.n, rec->counterexamples.n);
				failed++;
			}
		}
		for (uint32_t i = 0; i < rec->examples.n; i++) {
			const char *line = rec->examples.items[i];
			struct fw_match_result r;
			bool self = false, ok = true;

			n_ex++;
			test_match(fm, ctx, rec, line, &r);
			for (uint32_t h = 0; h < r.n_hits; h++) {
				const struct fw_record *other = &kb->records[r.hits[h].record];

				if (r.hits[h].record == ri) {
					self = true;
				} else if (!lists(&rec->confused_with, other->id) ||
					   !lists(&other->confused_with, rec->id)) {
					char msg[512];

					/* Precision: one line, one diagnosis, unless both records
					 * declare the overlap. */
					snprintf(msg, sizeof msg, "also matches %s (if intended, both records must list "
						 "each other in transition_graph.frequently_confused_with)", other->id);
					test_fail(&failed, rec, "examples", i, msg, line);
					ok = false;
				}
			}
			if (r.limit_errors) {
				test_fail(&failed, rec, "examples", i, "a pattern hit the match limit", line);
				ok = false;
			}
			if (!self) {
				test_fail(&failed, rec, "examples", i, "does not match this record", line);
				fw_variant_explain(kb, rec, "examples", line);
				ok = false;
			}
			passed += ok;
		}
		failed += fw_variant_test_record(&vt, rec);
		for (uint32_t i = 0; i < rec->counterexamples.n; i++) {
			const char *line = rec->counterexamples.items[i];
			struct fw_match_result r;
			bool hit = false;

			n_cx++;
			test_match(fm, ctx, rec, line, &r);
			for (uint32_t h = 0; h < r.n_hits; h++)
				hit |= r.hits[h].record == ri;
			if (hit)
				test_fail(&failed, rec, "counterexamples", i, "matches this record", line);
			else
				passed++;
		}
	}
	printf("fixwatch test: %u records, %u examples, %u counterexamples, %u variants", kb->n_records, n_ex,
	       n_cx, vt.variants);
	if (vt.known_records)
		printf(", %u record%s with known variant failures", vt.known_records,
		       vt.known_records == 1 ? "" : "s");
	if (untested)
		printf(", %u record%s with too few examples", untested, untested == 1 ? "" : "s");
	advice_stale(advice.known, &failed);
	if (advice.known_hits)
		printf(", %u known advice failure%s (%s)", advice.known_hits,
		       advice.known_hits == 1 ? "" : "s", o->known_failures);
	printf("\n%u passed, %u failed\n", passed, failed);
	fw_variant_test_fini(&vt);
	fw_format_match_free(fm);
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
	fw_known_free(&known);
	return failed ? EXIT_FINDINGS : EXIT_SUCCESS;
}

/* ---- show ------------------------------------------------------------ */

static int
cmd_show(const struct tool_opts *o, int argc, char **argv)
{
	const struct fw_record *rec;
	struct fw_kb *kb;

	if (argc != 1)
		return usage_error("%s", "show: give exactly one record ID");
	kb = load_kb(o);
	if (!kb)
		return EXIT_FINDINGS;
	rec = fw_kb_find(kb, argv[0]);
	if (!rec) {
		log_err("show: no record with id '%s' (list them with: fixwatch check)", argv[0]);
		fw_kb_free(kb);
		return EXIT_FINDINGS;
	}
	fw_render_markdown(stdout, kb, rec, o->zh);
	fw_kb_free(kb);
	return fflush(stdout) == EOF ? EXIT_FINDINGS : EXIT_SUCCESS;
}

/* ---- main ------------------------------------------------------------ */

/*
 * A person at a terminal reads text, a program reads JSON Lines; colours
 * only on a terminal that can show them, and never with NO_COLOR set to
 * anything (no-color.org).
 */
static void
terminal_defaults(struct tool_opts *o)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	bool tty = isatty(STDOUT_FILENO);

	if (!o->format_set)
		o->json = !tty;
	if (o->color < 0)
		o->color = tty && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

enum { OPT_FORMAT = 256, OPT_MATCH, OPT_ENGINE, OPT_LOCALE, OPT_STRICT, OPT_ALLOW_UNTESTED, OPT_KNOWN_FAILURES,
       OPT_MAX_LINE, OPT_INPUT_FORMAT, OPT_COLOR };

static const struct option long_options[] = {
	{ "kb", required_argument, NULL, 'k' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "match", required_argument, NULL, OPT_MATCH },
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "locale", required_argument, NULL, OPT_LOCALE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "allow-untested", required_argument, NULL, OPT_ALLOW_UNTESTED },
	{ "known-failures", required_argument, NULL, OPT_KNOWN_FAILURES },
	{ "max-line-bytes", required_argument, NULL, OPT_MAX_LINE },
	{ "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	const char *name;
	int (*run)(const struct tool_opts *o, int argc, char **argv);
} commands[] = {
	{ "scan", cmd_scan },
	{ "check", cmd_check },
	{ "test", cmd_test },
	{ "show", cmd_show },
};

int
main(int argc, char **argv)
{
	struct tool_opts o = { .engine = FW_ENGINE_DEFAULT, .json = true, .max_line = FW_MAX_LINE_DEFAULT,
			       .color = -1 };
	int (*run)(const struct tool_opts *, int, char **) = NULL;
	int c;

	fw_log_init("fixwatch", FW_LOG_INFO, false);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return fw_status_command(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "new-record") == 0)
		return fw_new_record_command(argc - 1, argv + 1);
	if (argc >= 2 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				run = commands[i].run;
		if (!run)
			return usage_error("unknown command '%s'", argv[1]);
		argv++;
		argc--;
	}
	/* getopt would name argv[0], which is the command here ("scan: ..."). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":k:qhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (o.n_kb == sizeof o.kb / sizeof o.kb[0])
				return usage_error("%s", "too many -k options");
			o.kb[o.n_kb++] = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o.json = true;
			else if (strcmp(optarg, "text") == 0)
				o.json = false;
			else
				return usage_error("--format: '%s' is not json or text", optarg);
			o.format_set = true;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				o.color = -1;
			else if (strcmp(optarg, "always") == 0)
				o.color = 1;
			else if (strcmp(optarg, "never") == 0)
				o.color = 0;
			else
				return usage_error("--color: '%s' is not auto, always or never", optarg);
			break;
		case OPT_MATCH:
			if (strcmp(optarg, "best") == 0)
				o.match_all = false;
			else if (strcmp(optarg, "all") == 0)
				o.match_all = true;
			else
				return usage_error("--match: '%s' is not best or all", optarg);
			break;
		case OPT_ENGINE:
			if (strcmp(optarg, "fast") == 0)
				o.engine = FW_ENGINE_FAST;
			else if (strcmp(optarg, "reference") == 0)
				o.engine = FW_ENGINE_REFERENCE;
			else
				return usage_error("--engine: '%s' is not fast or reference", optarg);
			break;
		case OPT_LOCALE:
			if (strcmp(optarg, "zh") == 0)
				o.zh = true;
			else if (strcmp(optarg, "en") == 0)
				o.zh = false;
			else
				return usage_error("--locale: '%s' is not en or zh", optarg);
			break;
		case OPT_STRICT:
			o.strict = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case OPT_KNOWN_FAILURES:
			o.known_failures = optarg;
			break;
		case OPT_ALLOW_UNTESTED:
			if (o.n_allow_untested == sizeof o.allow_untested / sizeof o.allow_untested[0])
				return usage_error("%s", "too many --allow-untested options");
			o.allow_untested[o.n_allow_untested++] = optarg;
			break;
		case OPT_INPUT_FORMAT: {
			int f = -1;

			for (int i = 0; fw_line_format_names[i]; i++)
				if (strcmp(optarg, fw_line_format_names[i]) == 0)
					f = i;
			if (f < 0)
				return usage_error("--input-format: '%s' is not plain, w3c, json, combined, "
						   "syslog or auto", optarg);
			o.input_format = (enum fw_line_format)f;
			break;
		}
		case OPT_MAX_LINE: {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 64ull * 1024 * 1024)
				return usage_error("--max-line-bytes: '%s' is not a number of bytes from 1 to 67108864",
						   optarg);
			o.max_line = (size_t)v;
			break;
		}
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		case 'V':
			printf("fixwatch %s\n", PACKAGE_VERSION);
			return EXIT_SUCCESS;
		case ':':
			return usage_error("option '%s' needs an argument", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unrecognized option '-%c'", optopt);
			return usage_error("unrecognized option '%s'", argv[optind - 1]);
		}
	}
	if (!run) {
		if (optind < argc)
			return usage_error("unknown command '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	terminal_defaults(&o);
	return run(&o, argc - optind, argv + optind);
}
