/*
 * status: snapshot, Prometheus text and readable text; see status.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/status.h"
#include "util/utf8.h"

#define ADD_U64(o, k, v) json_object_object_add((o), (k), json_object_new_uint64((uint64_t)(v)))

/* The reasons of fw_input_stats.skipped, as status and metrics name them. */
static const char *const skip_reasons[FW_SKIP_N] = {
	[FW_SKIP_SYMLINK] = "symlink",
	[FW_SKIP_COMPRESSED_AT_START] = "compressed_at_start",
};

static void
add_stream(const struct fw_input_stream_status *st, void *ctx)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(st->name ? st->name : "-"));
	ADD_U64(o, "offset", st->offset);
	ADD_U64(o, "size", st->size);
	ADD_U64(o, "lag_bytes", st->size > st->offset ? st->size - st->offset : 0);
	ADD_U64(o, "line_no", st->line_no);
	json_object_array_add(ctx, o);
}

json_object *
fw_status_build(struct fw_pipeline *p, const struct fw_aggregate_stage *agg, time_t started)
{
	const struct fw_pipeline_stats *ps = fw_pipeline_stats(p);
	const struct fw_kb *kb = fw_pipeline_kb(p);
	const uint64_t *per_record = fw_pipeline_record_matches(p);
	struct fw_input *const *ins;
	struct fw_output *const *outs;
	struct fw_kb_jit_stats js;
	size_t n_in, n_out, i;
	json_object *st = json_object_new_object(), *a, *o, *m;

	if (!st)
		return NULL;
	json_object_object_add(st, "schema", json_object_new_string("fixwatch.status/1"));
	json_object_object_add(st, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(st, "pid", json_object_new_int((int)getpid()));
	json_object_object_add(st, "jit", json_object_new_boolean(fw_kb_jit_on(kb)));
	/* A pattern gets its JIT code when first confirmed (kb.h): how many have. */
	fw_kb_jit_stats(kb, &js);
	ADD_U64(st, "jit_patterns", js.compiled);
	ADD_U64(st, "jit_code_bytes", js.code_bytes);
	ADD_U64(st, "started", started);
	ADD_U64(st, "lines", ps->lines);
	ADD_U64(st, "bytes", ps->bytes);
	ADD_U64(st, "matches", ps->matches);
	ADD_U64(st, "pauses", ps->pauses);
	ADD_U64(st, "limit_errors", ps->limit_errors);
	ADD_U64(st, "unknown", ps->unknown);
	ADD_U64(st, "unparsed", ps->unparsed);
	ADD_U64(st, "format_headers", ps->headers);
	ADD_U64(st, "multiline_joined", ps->joined);
	ADD_U64(st, "dfa_gave_up", fw_pipeline_dfa_gave_up(p));
	ADD_U64(st, "scan_stage_switches", fw_pipeline_stage_switches(p));

	a = json_object_new_array();
	ins = fw_pipeline_inputs(p, &n_in);
	for (i = 0; i < n_in; i++) {
		json_object *streams = json_object_new_array();

		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(ins[i]->cfg->name));
		json_object_object_add(o, "type", json_object_new_string(ins[i]->ops->type));
		ADD_U64(o, "rotations", ins[i]->stats.rotations);
		ADD_U64(o, "errors", ins[i]->stats.errors);
		ADD_U64(o, "fd_limit", ins[i]->stats.fd_limit);
		ADD_U64(o, "reread", ins[i]->stats.reread);
		ADD_U64(o, "identity_mismatches", ins[i]->stats.identity_mismatch);
		ADD_U64(o, "state_errors", ins[i]->stats.state_errors);
		json_object *sk = json_object_new_object();
		for (size_t k = 0; k < FW_SKIP_N; k++)
			ADD_U64(sk, skip_reasons[k], ins[i]->stats.skipped[k]);
		json_object_object_add(o, "skipped", sk);
		if (ins[i]->ops->streams)
			ins[i]->ops->streams(ins[i], add_stream, streams);
		json_object_object_add(o, "streams", streams);
		json_object_array_add(a, o);
	}
	json_object_object_add(st, "inputs", a);

	m = json_object_new_object();
	for (i = 0; i < kb->n_records; i++)
		if (per_record[i])
			ADD_U64(m, kb->records[i].id, per_record[i]);
	json_object_object_add(st, "matches_by_id", m);

	a = json_object_new_array();
	outs = fw_pipeline_outputs(p, &n_out);
	for (i = 0; i < n_out; i++) {
		const struct fw_output *out = outs[i];

		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(out->cfg->name));
		json_object_object_add(o, "type",
				       json_object_new_string(fw_output_type_name(out->cfg->type)));
		if (out->cfg->address)
			json_object_object_add(o, "address", json_object_new_string(out->cfg->address));
		json_object_object_add(o, "state",
				       json_object_new_string(fw_output_state_name(out->state)));
		ADD_U64(o, "queued", out->queued);
		ADD_U64(o, "sent", out->stats.sent);
		ADD_U64(o, "dropped", out->stats.dropped);
		ADD_U64(o, "oversize", out->stats.oversize);
		ADD_U64(o, "filtered", out->stats.filtered);
		ADD_U64(o, "skipped", out->stats.skipped);
		ADD_U64(o, "errors", out->stats.errors);
		ADD_U64(o, "write_errors", out->stats.write_errors);
		ADD_U64(o, "reconnects", out->stats.reconnects);
		ADD_U64(o, "resent", out->stats.resent);
		ADD_U64(o, "acked_seq", out->acked);
		json_object_array_add(a, o);
	}
	json_object_object_add(st, "outputs", a);

	o = json_object_new_object();
	/* What became of each alert is per output ("outputs"): a sum would count an alert per output. */
	ADD_U64(o, "built", ps->alerts);
	if (agg) {
		struct fw_aggregate_stats as;

		fw_aggregate_stage_get_stats(agg, &as);
		ADD_U64(o, "suppressed", as.suppressed);
		ADD_U64(o, "below_threshold", as.below_threshold);
		ADD_U64(o, "summaries", as.summaries);
		ADD_U64(o, "aggregation_keys", as.entries);
		ADD_U64(o, "aggregation_evicted", as.evicted);
	} else {
		ADD_U64(o, "suppressed", 0);
	}
	json_object_object_add(st, "alerts", o);
	return st;
}

static uint64_t
get_u64(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_uint64(v) : 0;
}

static const char *
get_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* Prometheus label values escape '\', '"' and newline. */
static void
label(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*s, f);
	}
}

int
fw_status_prometheus(json_object *st, FILE *f)
{
	static const char *const out_counters[] = { "sent", "dropped", "oversize", "filtered",
						     "skipped", NULL };
	static const char *const states[] = { "up", "connecting", "down", "closed", NULL };
	/* Events of an output, not results of an alert: a resent alert was also counted as sent. */
	static const struct {
		const char *key, *help;
	} out_events[] = {
		{ "errors", "Write, send and connect errors seen." },
		{ "write_errors", "Of those, failed writes to a file or stdout (a full disk, an I/O "
				  "error): a file output holds its alerts and retries; stdout stops and "
				  "later alerts count as dropped." },
		{ "reconnects", "Connections made again after a failure." },
		{ "resent", "Alerts written again after a connection broke (the peer may have had "
			    "them)." },
		{ NULL, NULL },
	};
	json_object *a, *alerts, *m, *o;
	size_t i, j, k;

	fprintf(f, "# HELP fixwatch_lines_total Lines read from all inputs.\n"
		   "# TYPE fixwatch_lines_total counter\nfixwatch_lines_total %" PRIu64 "\n",
		get_u64(st, "lines"));
	fprintf(f, "# HELP fixwatch_bytes_total Bytes read from all inputs.\n"
		   "# TYPE fixwatch_bytes_total counter\nfixwatch_bytes_total %" PRIu64 "\n",
		get_u64(st, "bytes"));
	fprintf(f, "# HELP fixwatch_input_pauses_total Times backpressure paused the inputs.\n"
		   "# TYPE fixwatch_input_pauses_total counter\nfixwatch_input_pauses_total %" PRIu64
		   "\n", get_u64(st, "pauses"));
	fprintf(f, "# HELP fixwatch_match_limit_errors_total Pattern runs that hit the PCRE2 match "
		   "or depth limit (the pattern counts as not matching).\n"
		   "# TYPE fixwatch_match_limit_errors_total counter\n"
		   "fixwatch_match_limit_errors_total %" PRIu64 "\n", get_u64(st, "limit_errors"));
	fprintf(f, "# HELP fixwatch_match_dfa_gave_up_total Lines on which the matcher's DFA built "
		   "too many states and its patterns were run with PCRE2.\n"
		   "# TYPE fixwatch_match_dfa_gave_up_total counter\n"
		   "fixwatch_match_dfa_gave_up_total %" PRIu64 "\n", get_u64(st, "dfa_gave_up"));
	fprintf(f, "# HELP fixwatch_match_scan_stage_switches_total Times the matcher changed its "
		   "scan's first stage (pair map, bucketed filter) for what each costs on the stream.\n"
		   "# TYPE fixwatch_match_scan_stage_switches_total counter\n"
		   "fixwatch_match_scan_stage_switches_total %" PRIu64 "\n",
		get_u64(st, "scan_stage_switches"));
	fprintf(f, "# HELP fixwatch_match_jit_patterns Patterns PCRE2 has JIT-compiled (each when "
		   "first confirmed).\n"
		   "# TYPE fixwatch_match_jit_patterns gauge\n"
		   "fixwatch_match_jit_patterns %" PRIu64 "\n"
		   "# HELP fixwatch_match_jit_code_bytes Size of their JIT code.\n"
		   "# TYPE fixwatch_match_jit_code_bytes gauge\n"
		   "fixwatch_match_jit_code_bytes %" PRIu64 "\n",
		get_u64(st, "jit_patterns"), get_u64(st, "jit_code_bytes"));
	fprintf(f, "# HELP fixwatch_unknown_total Lines at or above their input's unknown_level "
		   "that no record matched (unknown/<log> alerts before aggregation).\n"
		   "# TYPE fixwatch_unknown_total counter\n"
		   "fixwatch_unknown_total %" PRIu64 "\n", get_u64(st, "unknown"));
	fprintf(f, "# HELP fixwatch_unparsed_lines_total Lines of inputs with a format that did not "
		   "parse (matched as plain text).\n"
		   "# TYPE fixwatch_unparsed_lines_total counter\n"
		   "fixwatch_unparsed_lines_total %" PRIu64 "\n", get_u64(st, "unparsed"));

	/* One family at a time: the exposition format wants each family contiguous. */
	json_object_object_get_ex(st, "inputs", &a);
	static const char *const in_counters[][2] = {
		{ "rotations", "Rotations seen (rename, copytruncate, delete and re-create)." },
		{ "errors", "Read and open errors." },
		{ "fd_limit", "Files not opened for lack of file descriptors (EMFILE, ENFILE)." },
		{ "reread", "Files read again from offset 0: truncated (copytruncate), or not the "
			    "file checkpointed or remembered." },
		{ "identity_mismatches", "Checkpointed or remembered inodes found holding another "
					 "file (read from the start)." },
		{ "state_errors", "Checkpoint saves that failed (the previous checkpoint is kept)." },
	};
	for (k = 0; k < sizeof in_counters / sizeof in_counters[0]; k++) {
		fprintf(f, "# HELP fixwatch_input_%s_total %s\n# TYPE fixwatch_input_%s_total counter\n",
			in_counters[k][0], in_counters[k][1], in_counters[k][0]);
		for (i = 0; a && i < json_object_array_length(a); i++) {
			json_object *in = json_object_array_get_idx(a, i);

			fprintf(f, "fixwatch_input_%s_total{input=\"", in_counters[k][0]);
			label(f, get_str(in, "name"));
			fprintf(f, "\"} %" PRIu64 "\n", get_u64(in, in_counters[k][0]));
		}
	}
	fputs("# HELP fixwatch_input_skipped_total Files matched and not read, by reason.\n"
	      "# TYPE fixwatch_input_skipped_total counter\n", f);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *in = json_object_array_get_idx(a, i), *sk = NULL;

		json_object_object_get_ex(in, "skipped", &sk);
		for (k = 0; k < FW_SKIP_N; k++) {
			fputs("fixwatch_input_skipped_total{input=\"", f);
			label(f, get_str(in, "name"));
			fprintf(f, "\",reason=\"%s\"} %" PRIu64 "\n", skip_reasons[k],
				sk ? get_u64(sk, skip_reasons[k]) : 0);
		}
	}
	for (k = 0; k < 2; k++) {
		fprintf(f, "# HELP fixwatch_input_%s %s\n# TYPE fixwatch_input_%s gauge\n",
			k ? "lag_bytes" : "offset_bytes",
			k ? "Bytes of each followed file not read yet." :
			    "Read position in each followed file.",
			k ? "lag_bytes" : "offset_bytes");
		for (i = 0; a && i < json_object_array_length(a); i++) {
			json_object *in = json_object_array_get_idx(a, i), *ss;

			json_object_object_get_ex(in, "streams", &ss);
			for (j = 0; ss && j < json_object_array_length(ss); j++) {
				json_object *s = json_object_array_get_idx(ss, j);

				fprintf(f, "fixwatch_input_%s{input=\"", k ? "lag_bytes" : "offset_bytes");
				label(f, get_str(in, "name"));
				fputs("\",path=\"", f);
				label(f, get_str(s, "name"));
				fprintf(f, "\"} %" PRIu64 "\n", get_u64(s, k ? "lag_bytes" : "offset"));
			}
		}
	}

	fputs("# HELP fixwatch_matches_total Matches per knowledge base record.\n"
	      "# TYPE fixwatch_matches_total counter\n", f);
	json_object_object_get_ex(st, "matches_by_id", &m);
	if (m) {
		json_object_object_foreach(m, id, v) {
			fputs("fixwatch_matches_total{id=\"", f);
			label(f, id);
			fprintf(f, "\"} %" PRIu64 "\n", json_object_get_uint64(v));
		}
	}

	json_object_object_get_ex(st, "alerts", &alerts);
	fputs("# HELP fixwatch_alerts_total Alerts by what became of them.\n"
	      "# TYPE fixwatch_alerts_total counter\n", f);
	{
		static const char *const kinds[] = { "built", "suppressed", "summaries", NULL };

		for (i = 0; kinds[i]; i++)
			fprintf(f, "fixwatch_alerts_total{result=\"%s\"} %" PRIu64 "\n", kinds[i],
				get_u64(alerts, kinds[i]));
	}

	json_object_object_get_ex(st, "outputs", &a);
	fputs("# HELP fixwatch_output_alerts_total Alerts per output and result.\n"
	      "# TYPE fixwatch_output_alerts_total counter\n", f);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		o = json_object_array_get_idx(a, i);
		for (k = 0; out_counters[k]; k++) {
			fputs("fixwatch_output_alerts_total{output=\"", f);
			label(f, get_str(o, "name"));
			fprintf(f, "\",result=\"%s\"} %" PRIu64 "\n", out_counters[k],
				get_u64(o, out_counters[k]));
		}
	}
	for (k = 0; out_events[k].key; k++) {
		const char *what = out_events[k].key;

		fprintf(f, "# HELP fixwatch_output_%s_total %s\n# TYPE fixwatch_output_%s_total counter\n",
			what, out_events[k].help, what);
		for (i = 0; a && i < json_object_array_length(a); i++) {
			o = json_object_array_get_idx(a, i);
			fprintf(f, "fixwatch_output_%s_total{output=\"", what);
			label(f, get_str(o, "name"));
			fprintf(f, "\"} %" PRIu64 "\n", get_u64(o, what));
		}
	}
	fputs("# HELP fixwatch_output_queued Alerts in each output's queue.\n"
	      "# TYPE fixwatch_output_queued gauge\n", f);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		o = json_object_array_get_idx(a, i);
		fputs("fixwatch_output_queued{output=\"", f);
		label(f, get_str(o, "name"));
		fprintf(f, "\"} %" PRIu64 "\n", get_u64(o, "queued"));
	}
	fputs("# HELP fixwatch_output_state 1 for the state each output is in.\n"
	      "# TYPE fixwatch_output_state gauge\n", f);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		o = json_object_array_get_idx(a, i);
		for (k = 0; states[k]; k++) {
			fputs("fixwatch_output_state{output=\"", f);
			label(f, get_str(o, "name"));
			fprintf(f, "\",state=\"%s\"} %d\n", states[k],
				strcmp(get_str(o, "state"), states[k]) == 0);
		}
	}
	return ferror(f) ? -EIO : 0;
}

int
fw_status_write_metrics(json_object *st, const char *path)
{
	char tmp[4096];
	FILE *f;
	int fd, r;

	/*
	 * The temporary file is new (mkstemp: O_CREAT|O_EXCL, so a link planted
	 * in the directory is never followed) and rename() replaces the
	 * name itself, never what a symlink there points to.
	 */
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		r = -errno;
		close(fd);
		unlink(tmp);
		return r;
	}
	r = fw_status_prometheus(st, f);
	if (fflush(f) != 0 || fsync(fd) != 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	/* textfile collector reads *.prom: rename makes the new file appear whole. */
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	return r;
}

/* Text that came from outside (file names, addresses, ids) reaches the terminal escaped. */
static void
put(FILE *f, const char *s)
{
	fw_utf8_puts_escaped(f, s);
}

/* "  skipped N (symlink N, ...)": the reasons only when some file was skipped. */
static void
print_skipped(FILE *f, json_object *in)
{
	json_object *sk = NULL;
	uint64_t total = 0;
	const char *sep = " (";

	json_object_object_get_ex(in, "skipped", &sk);
	for (size_t k = 0; sk && k < FW_SKIP_N; k++)
		total += get_u64(sk, skip_reasons[k]);
	fprintf(f, "  skipped %" PRIu64, total);
	for (size_t k = 0; total && k < FW_SKIP_N; k++) {
		uint64_t n = get_u64(sk, skip_reasons[k]);

		if (n == 0)
			continue;
		fprintf(f, "%s%s %" PRIu64, sep, skip_reasons[k], n);
		sep = ", ";
	}
	if (total)
		fputc(')', f);
}

void
fw_status_print_text(json_object *st, FILE *f)
{
	json_object *a, *alerts, *m;
	size_t i, j;

	fputs("fixwatchd ", f);
	put(f, get_str(st, "version"));
	fprintf(f, ", pid %" PRIu64 ", PCRE2 JIT %s\n", get_u64(st, "pid"),
		json_object_get_boolean(json_object_object_get(st, "jit")) ? "on" : "off");
	fprintf(f, "read: %" PRIu64 " lines, %" PRIu64 " bytes; %" PRIu64 " matches; inputs paused %"
		PRIu64 " times\n", get_u64(st, "lines"), get_u64(st, "bytes"),
		get_u64(st, "matches"), get_u64(st, "pauses"));
	fprintf(f, "matching: %" PRIu64 " pattern runs hit a PCRE2 limit; the DFA gave up on %" PRIu64
		" lines; %" PRIu64 " serious lines no record knows\n", get_u64(st, "limit_errors"),
		get_u64(st, "dfa_gave_up"), get_u64(st, "unknown"));
	if (get_u64(st, "unparsed") || get_u64(st, "format_headers") || get_u64(st, "multiline_joined"))
		fprintf(f, "formats: %" PRIu64 " lines did not parse (matched as plain text), %" PRIu64
			" header lines, %" PRIu64 " lines joined to multi-line entries\n",
			get_u64(st, "unparsed"), get_u64(st, "format_headers"),
			get_u64(st, "multiline_joined"));
	json_object_object_get_ex(st, "alerts", &alerts);
	fprintf(f, "alerts: %" PRIu64 " built, %" PRIu64 " suppressed (aggregated); what each "
		"output did with them below\n", get_u64(alerts, "built"),
		get_u64(alerts, "suppressed"));
	fputs("inputs:\n", f);
	json_object_object_get_ex(st, "inputs", &a);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *in = json_object_array_get_idx(a, i), *ss;

		fputs("  ", f);
		put(f, get_str(in, "name"));
		fputs(" (", f);
		put(f, get_str(in, "type"));
		fprintf(f, ")  rotations %" PRIu64 "  errors %" PRIu64 "  fd limit %" PRIu64
			"  re-read %" PRIu64 "  identity mismatches %" PRIu64,
			get_u64(in, "rotations"), get_u64(in, "errors"), get_u64(in, "fd_limit"),
			get_u64(in, "reread"), get_u64(in, "identity_mismatches"));
		print_skipped(f, in);
		if (get_u64(in, "state_errors"))
			fprintf(f, "  state errors %" PRIu64, get_u64(in, "state_errors"));
		fputc('\n', f);
		json_object_object_get_ex(in, "streams", &ss);
		for (j = 0; ss && j < json_object_array_length(ss); j++) {
			json_object *s = json_object_array_get_idx(ss, j);

			fputs("    ", f);
			put(f, get_str(s, "name"));
			fprintf(f, "  offset %" PRIu64 "  lag %" PRIu64 " bytes  line %" PRIu64 "\n",
				get_u64(s, "offset"), get_u64(s, "lag_bytes"), get_u64(s, "line_no"));
		}
	}
	fputs("outputs:\n", f);
	json_object_object_get_ex(st, "outputs", &a);
	for (i = 0; a && i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i);

		fputs("  ", f);
		put(f, get_str(o, "name"));
		fputs(" (", f);
		put(f, get_str(o, "type"));
		if (*get_str(o, "address")) {
			fputc(' ', f);
			put(f, get_str(o, "address"));
		}
		fputs("): ", f);
		put(f, get_str(o, "state"));
		fprintf(f, "; %" PRIu64 " sent, %" PRIu64 " queued, %" PRIu64 " dropped (%" PRIu64
			" too large), %" PRIu64 " filtered, %" PRIu64 " errors (%" PRIu64
			" failed writes), %" PRIu64 " reconnects, %" PRIu64 " sent again\n",
			get_u64(o, "sent"), get_u64(o, "queued"), get_u64(o, "dropped"),
			get_u64(o, "oversize"), get_u64(o, "filtered"), get_u64(o, "errors"),
			get_u64(o, "write_errors"), get_u64(o, "reconnects"), get_u64(o, "resent"));
	}
	json_object_object_get_ex(st, "matches_by_id", &m);
	if (m && json_object_object_length(m) > 0) {
		fputs("matches by id:\n", f);
		json_object_object_foreach(m, id, v) {
			fprintf(f, "  %8" PRIu64 "  ", json_object_get_uint64(v));
			put(f, id);
			fputc('\n', f);
		}
	}
}
