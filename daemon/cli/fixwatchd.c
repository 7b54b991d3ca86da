/*
 * fixwatchd: the daemon (design.md §8, contract). One libuv loop runs inputs,
 * the pipeline and outputs; this file wires them up and owns the life
 * cycle: start-up, signals (SIGHUP reload, SIGTERM/SIGINT stop, SIGUSR1
 * reopen), periodic checkpoints, sd_notify and the watchdog, --oneshot.
 *
 * Start-up and shutdown each log one line. Start-up errors are fatal;
 * anything after READY is logged and the daemon keeps running.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>
#include <uv.h>

#include "core/alert_stage.h"
#include "core/checkpoint.h"
#include "core/control.h"
#include "core/fwconfig.h"
#include "input/input_warn.h"
#include "input/input.h"
#include "kb/kb.h"
#include "util/log.h"
#include "match/match.h"
#include "output/output.h"
#include "output/transport_tls.h"
#include "core/pipeline.h"
#include "core/status.h"

#define DEFAULT_CONFIG FW_SYSCONFDIR "/fixwatch/fixwatch.conf"
/* The one place the daemon's engine is chosen: the prefilter engine; the
 * reference engine stays the oracle of the tests and the benchmark. */
#define DAEMON_ENGINE FW_ENGINE_FAST
/*
 * Checkpoints are written every checkpoint_interval, and also once this
 * many more alerts were acknowledged: what a SIGKILL can repeat is bounded
 * by both, however fast the lines come.
 */
#define CHECKPOINT_EVERY_ALERTS 10000u

struct daemon {
	uv_loop_t *loop;
	const char *config_path;
	bool oneshot;
	struct fw_aggregate_stage *aggregate;   /* [alerts] window > 0 */
	uint64_t window_ms;                     /* what the stage was built with */
	uint32_t threshold;
	struct fw_control *control;             /* control_socket */
	time_t started_at;
	struct fw_config *cfg;          /* the latest loaded */
	/* Every config loaded: inputs and outputs may point into older ones
	 * (sections a reload did not change are re-pointed, others keep
	 * theirs), so all live until exit. Reloads are rare and small. */
	struct fw_config **configs;
	size_t n_configs;
	struct fw_pipeline *pipeline;
	struct fw_input **inputs;
	size_t n_inputs;
	struct fw_output **outputs;
	size_t n_outputs;
	uint64_t *saved_hash;           /* per input: what the last checkpoint wrote */
	uint64_t saved_safe;            /* the safe sequence number the last checkpoints had */

	uv_signal_t sig_hup, sig_term, sig_int, sig_usr1;
	uv_timer_t checkpoint_timer;
	uv_timer_t watchdog_timer;
	bool notify;                    /* NOTIFY_SOCKET is set */
	bool stopping;
	size_t inputs_finished;
	size_t inputs_open;
	size_t outputs_open;
	bool started;
	int exit_code;
	const char *stop_reason;
};

static struct daemon D;

static struct fw_input *create_input(const struct fw_input_config *ic, struct fw_diag *diag);
static void on_checkpoint_timer(uv_timer_t *h);
static int add_input(struct fw_input *in);

/* -- helpers ----------------------------------------------------------------- */

static void
print_diag(const struct fw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		log_err("%s", d->msgs[i]);
	if (d->dropped)
		log_err("%zu more errors", d->dropped);
}

static int
load_kb_and_matcher(const struct fw_config *cfg, struct fw_matcher **out, struct fw_diag *diag)
{
	struct fw_kb *kb = NULL;
	struct fw_kb_options opts = { .local = cfg->kb_local };
	int err = fw_kb_load((const char *const *)cfg->kb.v, cfg->kb.n, &opts, &kb, diag);
	if (err < 0)
		return err;
	for (uint32_t i = 0; i < kb->n_notices; i++)
		log_info("kb: %s", kb->notices[i]);
	err = fw_matcher_new(kb, DAEMON_ENGINE, out, diag);
	if (err < 0)
		fw_kb_free(kb);
	return err;
}

static void
free_matcher(struct fw_matcher *m)
{
	if (!m)
		return;
	struct fw_kb *kb = (struct fw_kb *)fw_matcher_kb(m);
	fw_matcher_free(m);
	fw_kb_free(kb);
}

static void
notify_status(void)
{
	if (!D.notify || !D.pipeline)
		return;
	const struct fw_pipeline_stats *s = fw_pipeline_stats(D.pipeline);
	const struct fw_kb *kb = fw_pipeline_kb(D.pipeline);
	uint64_t queued = 0, dropped = 0;
	size_t down = 0;
	for (size_t i = 0; i < D.n_outputs; i++) {
		queued += D.outputs[i]->queued;
		dropped += D.outputs[i]->stats.dropped;
		down += D.outputs[i]->state == FW_OUTPUT_DOWN;
	}
	sd_notifyf(0, "STATUS=lines %llu, matches %llu, alerts %llu, queued %llu, dropped %llu%s%s",
		   (unsigned long long)s->lines, (unsigned long long)s->matches,
		   (unsigned long long)s->alerts, (unsigned long long)queued,
		   (unsigned long long)dropped, down ? "; an output is down" : "",
		   kb->jit ? "" : "; PCRE2 JIT off");
}

static uint64_t
checkpoint_hash(const struct fw_checkpoint *ck)
{
	uint64_t h = 0xcbf29ce484222325ull;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 0x100000001b3ull)
	for (size_t i = 0; i < ck->n_files; i++) {
		const struct fw_checkpoint_file *f = &ck->files[i];
		MIX(f->dev); MIX(f->ino); MIX(f->fp.hash); MIX(f->fp.len);
		MIX(f->offset); MIX(f->line_no);
	}
	for (const char *c = ck->cursor; c && *c; c++)
		MIX(*c);
	MIX(ck->n_files);
#undef MIX
	return h;
}

/* Writes input i's checkpoint if it changed since the last write (or final). */
static void
save_checkpoint(size_t i, uint64_t safe, bool final)
{
	struct fw_input *in = D.inputs[i];
	if (in->cfg->type == FW_INPUT_STDIN)
		return;
	struct fw_checkpoint ck;
	struct fw_diag diag;
	fw_diag_init(&diag);
	if (fw_checkpoint_init(&ck, in->cfg->name) < 0)
		return;
	int err = in->ops->save(in, safe, &ck);
	uint64_t h = checkpoint_hash(&ck);
	if (err == 0 && (h != D.saved_hash[i] || final)) {
		err = fw_checkpoint_save(D.cfg->state_dir, &ck, &diag);
		if (err == 0)
			D.saved_hash[i] = h;
		else
			print_diag(&diag);
	}
	fw_diag_clear(&diag);
	fw_checkpoint_free(&ck);
}

static void
save_checkpoints(bool final)
{
	uint64_t safe = fw_pipeline_safe_seq(D.pipeline);
	D.saved_safe = safe;
	for (size_t i = 0; i < D.n_inputs; i++)
		save_checkpoint(i, safe, final);
}

/* Acknowledgements moved: a checkpoint once CHECKPOINT_EVERY_ALERTS more are safe. */
static void
on_safe(struct fw_pipeline *p, void *ctx)
{
	uint64_t safe = fw_pipeline_safe_seq(p);
	/* (The aggregation stage can hold safe below a number it had reached.) */
	if (D.stopping || D.oneshot || safe < D.saved_safe ||
	    safe - D.saved_safe < CHECKPOINT_EVERY_ALERTS)
		return;
	save_checkpoints(false);
	uv_timer_again(&D.checkpoint_timer);
}

/* -- shutdown ---------------------------------------------------------------- */

static void write_metrics(void);

static void
close_rest(void)
{
	save_checkpoints(true);
	uv_close((uv_handle_t *)&D.sig_hup, NULL);
	uv_close((uv_handle_t *)&D.sig_term, NULL);
	uv_close((uv_handle_t *)&D.sig_int, NULL);
	uv_close((uv_handle_t *)&D.sig_usr1, NULL);
	uv_close((uv_handle_t *)&D.checkpoint_timer, NULL);
	uv_close((uv_handle_t *)&D.watchdog_timer, NULL);
	fw_aggregate_stage_close(D.aggregate);
	fw_pipeline_close(D.pipeline);
	fw_control_close(D.control);
	D.control = NULL;
	write_metrics();
}

static void
output_closed(struct fw_output *out)
{
	if (--D.outputs_open == 0)
		close_rest();
}

static void
input_closed(struct fw_input *in)
{
	if (--D.inputs_open > 0)
		return;
	/* Every line read went through the pipeline; let the outputs write
	 * what they hold, then checkpoint what they acknowledged. */
	fw_pipeline_flush(D.pipeline);
	D.outputs_open = D.n_outputs;
	if (D.n_outputs == 0) {
		close_rest();
		return;
	}
	for (size_t i = 0; i < D.n_outputs; i++)
		D.outputs[i]->ops->close(D.outputs[i], output_closed);
}

/* Every input stopped (and one more call for the caller itself): close them. */
static void
input_stopped(struct fw_input *in)
{
	if (--D.inputs_open > 0)
		return;
	D.inputs_open = D.n_inputs;
	if (D.n_inputs == 0) {
		D.inputs_open = 1;
		input_closed(NULL);
		return;
	}
	for (size_t i = 0; i < D.n_inputs; i++)
		D.inputs[i]->ops->close(D.inputs[i], input_closed);
}

static void
shutdown_daemon(const char *reason)
{
	if (D.stopping)
		return;
	D.stopping = true;
	D.stop_reason = reason;
	if (D.notify)
		sd_notify(0, "STOPPING=1");
	uv_timer_stop(&D.checkpoint_timer);
	/* First what a restart could not read again (a file deleted while
	 * followed), with the outputs still running; then every input closes. */
	D.inputs_open = D.n_inputs + 1;
	for (size_t i = 0; i < D.n_inputs; i++)
		if (D.inputs[i]->ops->stop)
			D.inputs[i]->ops->stop(D.inputs[i], input_stopped);
		else
			input_stopped(D.inputs[i]);
	input_stopped(NULL);
}

static void
on_input_finished(struct fw_input *in)
{
	D.inputs_finished++;
	if (D.oneshot && D.started && D.inputs_finished == D.n_inputs)
		shutdown_daemon("every input was read to its end");
}

/* -- reload ------------------------------------------------------------------- */

static bool
strv_equal(const struct fw_strv *a, const struct fw_strv *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static bool
str_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether a running input can take the new section (only domains and unknown_level may differ). */
static bool
input_same(const struct fw_input_config *a, const struct fw_input_config *b)
{
	return a->type == b->type && strv_equal(&a->paths, &b->paths) &&
	       strv_equal(&a->exclude, &b->exclude) && a->start_at == b->start_at &&
	       strv_equal(&a->units, &b->units) && strv_equal(&a->identifiers, &b->identifiers) &&
	       str_equal(a->directory, b->directory) && a->max_line_bytes == b->max_line_bytes &&
	       a->partial_flush_ms == b->partial_flush_ms;
}

/* The keys of an input section that differ, as "max_line_bytes, path" (for the log). */
static void
input_changes(const struct fw_input_config *a, const struct fw_input_config *b, char *buf,
	      size_t size)
{
	const struct {
		const char *key;
		bool same;
	} keys[] = {
		{ "path", strv_equal(&a->paths, &b->paths) },
		{ "exclude", strv_equal(&a->exclude, &b->exclude) },
		{ "start_at", a->start_at == b->start_at },
		{ "units", strv_equal(&a->units, &b->units) },
		{ "identifiers", strv_equal(&a->identifiers, &b->identifiers) },
		{ "directory", str_equal(a->directory, b->directory) },
		{ "max_line_bytes", a->max_line_bytes == b->max_line_bytes },
		{ "partial_flush", a->partial_flush_ms == b->partial_flush_ms },
	};
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (keys[i].same)
			continue;
		int n = snprintf(buf + at, size - at, "%s%s", at ? ", " : "", keys[i].key);
		if (n < 0 || (size_t)n >= size - at)
			break;
		at += (size_t)n;
	}
}

static bool
output_same(const struct fw_output_config *a, const struct fw_output_config *b)
{
	return a->type == b->type && str_equal(a->address, b->address) && a->format == b->format &&
	       a->cee == b->cee && a->framing == b->framing && a->queue_max == b->queue_max &&
	       a->overflow == b->overflow && a->min_confidence == b->min_confidence &&
	       a->min_severity == b->min_severity && a->facility == b->facility &&
	       a->max_message_bytes == b->max_message_bytes;
}

static bool
config_has_input(const struct fw_config *cfg, const char *name)
{
	for (size_t j = 0; j < cfg->n_inputs; j++)
		if (strcmp(cfg->inputs[j].name, name) == 0)
			return true;
	return false;
}

static void
retired_input_closed(struct fw_input *in)
{
	in->ops->destroy(in);
}

/* Every input section's domains exist in kb; the reasons in diag otherwise. */
static int
check_domains(const struct fw_config *cfg, const struct fw_kb *kb, struct fw_diag *diag)
{
	int rc = 0;
	for (size_t i = 0; i < cfg->n_inputs; i++) {
		const struct fw_input_config *ic = &cfg->inputs[i];
		if (ic->domains.n == 0)
			continue;
		struct fw_diag d;
		fw_diag_init(&d);
		uint64_t *mask = calloc(fw_kb_mask_words(kb) + 1, sizeof(uint64_t));
		if (!mask || fw_kb_domain_mask(kb, (const char *const *)ic->domains.v,
					       ic->domains.n, mask, &d) < 0) {
			for (size_t j = 0; j < d.n; j++)
				fw_diag_add(diag, "%s:%u: [input.%s] domains: %s", cfg->path, ic->line,
					    ic->name, d.msgs[j]);
			rc = mask ? -ENOENT : -ENOMEM;
		}
		free(mask);
		fw_diag_clear(&d);
	}
	return rc;
}

/*
 * SIGHUP, as a plan. Everything new is loaded, compiled and created first;
 * on any error the running set is kept whole and the reasons are logged.
 * Then, per input: an unchanged section (but for domains and
 * unknown_level) keeps running; a changed section whose input can take it
 * in place (file inputs: reconfigure()) keeps running too, with every
 * position and every alert awaiting acknowledgement, and the log names the
 * keys that changed; any other changed input writes its checkpoint, stops
 * and starts again from it (alerts not yet acknowledged are sent again:
 * at-least-once); a removed input writes its checkpoint and stops; a new
 * one starts from its checkpoint or start_at. No step writes a checkpoint
 * without an input's positions.
 */
static void
reload(void)
{
	struct fw_diag diag;
	struct fw_config *cfg = NULL;
	struct fw_matcher *matcher = NULL;
	const struct fw_input_config **keep = NULL;   /* per running input: its new section */
	bool *in_place = NULL;                         /* per running input: reconfigure() */
	struct fw_input **created = NULL;
	size_t n_created = 0;

	fw_diag_init(&diag);
	if (D.notify)
		sd_notify(0, "RELOADING=1");
	log_info("reloading %s", D.config_path);
	int err = fw_config_load(D.config_path, &cfg, &diag);
	if (err == 0)
		err = load_kb_and_matcher(cfg, &matcher, &diag);
	if (err == 0)
		err = check_domains(cfg, fw_matcher_kb(matcher), &diag);
	if (err == 0) {
		keep = calloc(D.n_inputs + 1, sizeof(*keep));
		in_place = calloc(D.n_inputs + 1, sizeof(*in_place));
		created = calloc(cfg->n_inputs + 1, sizeof(*created));
		if (!keep || !in_place || !created)
			err = -ENOMEM;
	}
	for (size_t i = 0; err == 0 && i < D.n_inputs; i++) {
		struct fw_input *in = D.inputs[i];
		for (size_t j = 0; j < cfg->n_inputs; j++) {
			const struct fw_input_config *nc = &cfg->inputs[j];
			if (strcmp(nc->name, in->cfg->name) != 0)
				continue;
			if (input_same(in->cfg, nc)) {
				keep[i] = nc;
			} else if (nc->type == in->cfg->type && in->ops->reconfigure) {
				keep[i] = nc;
				in_place[i] = true;
			}
		}
		if (!keep[i])   /* it stops: its successor resumes from here */
			save_checkpoint(i, fw_pipeline_safe_seq(D.pipeline), true);
	}
	for (size_t j = 0; err == 0 && j < cfg->n_inputs; j++) {
		bool kept = false;
		for (size_t i = 0; i < D.n_inputs; i++)
			kept |= keep[i] == &cfg->inputs[j];
		if (kept)
			continue;
		created[n_created] = create_input(&cfg->inputs[j], &diag);
		if (!created[n_created])
			err = -EINVAL;
		else
			n_created++;
	}

	if (err < 0) {
		print_diag(&diag);
		log_err("reload refused: still running the previous configuration and KB");
		for (size_t k = 0; k < n_created; k++)
			created[k]->ops->destroy(created[k]);
		free(created);
		free(keep);
		free(in_place);
		free_matcher(matcher);
		if (cfg)
			fw_config_free(cfg);
		fw_diag_clear(&diag);
		if (D.notify)
			sd_notify(0, "READY=1");
		return;
	}

	/* Commit. */
	size_t w = 0;
	for (size_t i = 0; i < D.n_inputs; i++) {
		struct fw_input *in = D.inputs[i];
		if (keep[i] && in_place[i]) {
			char changes[160];
			input_changes(in->cfg, keep[i], changes, sizeof changes);
			log_info("[input.%s]: %s changed: applied in place, every position kept%s",
				 in->cfg->name, changes, in->cfg->start_at != keep[i]->start_at
					 ? " (start_at applies at start-up only)" : "");
			in->ops->reconfigure(in, keep[i]);
		}
		if (keep[i]) {
			in->cfg = keep[i];
			D.saved_hash[w] = D.saved_hash[i];
			D.inputs[w++] = in;
			continue;
		}
		log_info("[input.%s]: %s; stopped at its checkpoint", in->cfg->name,
			 config_has_input(cfg, in->cfg->name) ? "changed" : "removed");
		fw_pipeline_remove_input(D.pipeline, in);
		in->ops->close(in, retired_input_closed);
	}
	D.n_inputs = w;
	if (fw_pipeline_reload(D.pipeline, cfg, matcher, &diag) < 0) {
		/* Domains were checked: only memory can fail here. */
		print_diag(&diag);
		log_err("reload: cannot switch to the new KB; keeping the previous one");
		free_matcher(matcher);
	}
	fw_diag_clear(&diag);
	for (size_t k = 0; k < n_created; k++) {
		struct fw_input *in = created[k];
		if (fw_pipeline_add_input(D.pipeline, in, &diag) < 0 || add_input(in) < 0) {
			print_diag(&diag);
			fw_diag_clear(&diag);
			log_err("[input.%s]: cannot add it", in->cfg->name);
			fw_pipeline_remove_input(D.pipeline, in);
			in->ops->destroy(in);
			continue;
		}
		int e = in->ops->start(in);
		if (e < 0)
			log_err("[input.%s]: cannot start: %s", in->cfg->name, strerror(-e));
		else
			log_info("[input.%s]: started", in->cfg->name);
	}
	free(created);
	free(keep);
	free(in_place);

	for (size_t i = 0; i < D.n_outputs; i++) {
		struct fw_output *out = D.outputs[i];
		const struct fw_output_config *nc = NULL;
		for (size_t j = 0; j < cfg->n_outputs; j++)
			if (strcmp(cfg->outputs[j].name, out->cfg->name) == 0)
				nc = &cfg->outputs[j];
		if (nc && output_same(out->cfg, nc))
			out->cfg = nc;
		else
			log_warn("[output.%s]: %s; this takes effect at the next restart",
				 out->cfg->name, nc ? "changed" : "removed");
		if (out->ops->reopen)
			out->ops->reopen(out);
	}
	for (size_t j = 0; j < cfg->n_outputs; j++) {
		bool known = false;
		for (size_t i = 0; i < D.n_outputs; i++)
			known |= strcmp(D.outputs[i]->cfg->name, cfg->outputs[j].name) == 0;
		if (!known)
			log_warn("[output.%s]: new; this takes effect at the next restart",
				 cfg->outputs[j].name);
	}
	struct fw_config **v = realloc(D.configs, (D.n_configs + 1) * sizeof(*v));
	if (v) {
		D.configs = v;
		D.configs[D.n_configs++] = cfg;
	}
	/* The aggregation stage holds counts keyed on the running window. */
	if (cfg->window_ms != D.window_ms || cfg->threshold != D.threshold)
		log_warn("[alerts] window, threshold: changed; this takes effect at the next restart");
	if (!str_equal(D.cfg->control_socket, cfg->control_socket))
		log_warn("[daemon] control_socket: changed; this takes effect at the next restart");
	if (cfg->checkpoint_interval_ms != D.cfg->checkpoint_interval_ms) {
		uv_timer_start(&D.checkpoint_timer, on_checkpoint_timer, cfg->checkpoint_interval_ms,
			       cfg->checkpoint_interval_ms);
		log_info("[daemon] checkpoint_interval: changed; applied");
	}
	/* state_dir stays where the running inputs checkpoint. */
	if (!str_equal(D.cfg->state_dir, cfg->state_dir))
		log_warn("[daemon] state_dir: changed; this takes effect at the next restart");
	else
		D.cfg = cfg;
	const struct fw_kb *kb = fw_pipeline_kb(D.pipeline);
	log_info("reloaded: KB %u records, %u patterns from %u files; %zu inputs", kb->n_records,
		 kb->n_patterns, kb->n_files, D.n_inputs);
	if (D.notify)
		sd_notify(0, "READY=1");
	notify_status();
}

/* -- signals and timers -------------------------------------------------------- */

static void
on_signal(uv_signal_t *h, int signum)
{
	switch (signum) {
	case SIGHUP:
		if (!D.stopping)
			reload();
		break;
	case SIGUSR1:
		for (size_t i = 0; i < D.n_outputs; i++)
			if (D.outputs[i]->ops->reopen)
				D.outputs[i]->ops->reopen(D.outputs[i]);
		log_info("outputs reopened");
		break;
	default:
		shutdown_daemon(signum == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
}

static json_object *
status_snapshot(void *ctx)
{
	return fw_status_build(D.pipeline, D.aggregate, D.started_at);
}

/* metrics_file: rewritten with every checkpoint and at shutdown. */
static void
write_metrics(void)
{
	static bool warned;
	json_object *st;
	int err;

	if (!D.cfg->metrics_file || !*D.cfg->metrics_file || !D.pipeline)
		return;
	st = status_snapshot(NULL);
	err = st ? fw_status_write_metrics(st, D.cfg->metrics_file) : -ENOMEM;
	json_object_put(st);
	if (err < 0 && !warned)
		log_warn("metrics_file %s: %s", D.cfg->metrics_file, strerror(-err));
	warned = err < 0;
}

static void
on_checkpoint_timer(uv_timer_t *h)
{
	save_checkpoints(false);
	notify_status();
	write_metrics();
}

static void
on_watchdog(uv_timer_t *h)
{
	sd_notify(0, "WATCHDOG=1");
}

/* -- start-up -------------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: fixwatchd [-c FILE] [-t] [--oneshot] [--version] [--help]\n"
		"  -c, --config FILE  configuration (default " DEFAULT_CONFIG ")\n"
		"  -t, --test         check the configuration and the KB, then exit 0 or 1\n"
		"      --oneshot      read every input to its end, flush the outputs, exit\n"
		"      --version      print the version\n"
		"  -h, --help         this help\n");
}

/*
 * Creates state_dir and the control socket's directory where missing, after
 * fw_config_check_paths() said it can (the same check `-t` makes). The
 * socket's directory is 0755 like systemd's RuntimeDirectory=, so that
 * `fixwatch status` can reach the socket, which is itself 0660.
 */
static void
make_dirs(const struct fw_config *cfg)
{
	struct fw_diag diag;

	fw_diag_init(&diag);
	if (fw_config_check_paths(cfg, &diag) < 0) {
		print_diag(&diag);
		fw_diag_clear(&diag);
		fatal("%s: not started: fix the errors above", cfg->path);
	}
	fw_diag_clear(&diag);
	if (mkdir(cfg->state_dir, 0750) < 0 && errno != EEXIST)
		fatal("%s: [daemon] state_dir: cannot create %s: %s", cfg->path, cfg->state_dir,
		      strerror(errno));
	if (cfg->control_socket && *cfg->control_socket && !D.oneshot) {
		char *dir = strdup(cfg->control_socket), *slash;
		if (!dir)
			fatal("out of memory");
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				fatal("%s: [daemon] control_socket: cannot create %s: %s", cfg->path,
				      dir, strerror(errno));
		}
		free(dir);
	}
}

/*
 * One daemon per state_dir: an exclusive flock on the directory, held (fd
 * open, close-on-exec) until the process exits, so a second fixwatchd on
 * the same checkpoints refuses to start instead of sharing them.
 */
static void
lock_state_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fatal("[daemon] state_dir: cannot open %s: %s", dir, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			fatal("[daemon] state_dir: %s is in use by another fixwatchd "
			      "(it holds the directory's lock); not started", dir);
		fatal("[daemon] state_dir: cannot lock %s: %s", dir, strerror(errno));
	}
}

static void
start_outputs(void)
{
	struct fw_diag diag;
	fw_diag_init(&diag);
	D.outputs = calloc(D.cfg->n_outputs ? D.cfg->n_outputs : 1, sizeof(*D.outputs));
	if (!D.outputs)
		fatal("out of memory");
	for (size_t i = 0; i < D.cfg->n_outputs; i++) {
		struct fw_output *out;
		if (fw_output_new(D.loop, &D.cfg->outputs[i], &out, &diag) < 0) {
			print_diag(&diag);
			fatal("cannot create output %s", D.cfg->outputs[i].name);
		}
		D.outputs[D.n_outputs++] = out;
		if (fw_pipeline_add_output(D.pipeline, out) < 0)
			fatal("out of memory");
		int err = out->ops->open(out);
		if (err < 0)
			fatal("[output.%s]: cannot open: %s", out->cfg->name, strerror(-err));
	}
	fw_diag_clear(&diag);
}

/*
 * Creates the input of section ic with its checkpoint from state_dir (not
 * registered, not started). NULL with the reasons in diag.
 */
static struct fw_input *
create_input(const struct fw_input_config *ic, struct fw_diag *diag)
{
	struct fw_checkpoint ck;
	struct fw_diag ckdiag;
	fw_diag_init(&ckdiag);
	int err = fw_checkpoint_load(D.cfg->state_dir, ic->name, &ck, &ckdiag);
	/* A state file set aside is a warning; one we cannot read stops us. */
	for (size_t j = 0; j < ckdiag.n; j++)
		if (err == -EBADMSG)
			log_warn("%s", ckdiag.msgs[j]);
		else
			fw_diag_add(diag, "%s", ckdiag.msgs[j]);
	fw_diag_clear(&ckdiag);
	struct fw_input *in = NULL;
	if (err == 0 || err == -ENOENT || err == -EBADMSG) {
		struct fw_input_env env = {
			.loop = D.loop, .pipeline = D.pipeline, .checkpoint = err == 0 ? &ck : NULL,
			.oneshot = D.oneshot, .on_finished = on_input_finished,
		};
		if (fw_input_new(&env, ic, &in, diag) < 0)
			in = NULL;
	}
	fw_checkpoint_free(&ck);
	return in;
}

static int
add_input(struct fw_input *in)
{
	struct fw_input **v = realloc(D.inputs, (D.n_inputs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	D.inputs = v;
	uint64_t *h = realloc(D.saved_hash, (D.n_inputs + 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	D.saved_hash = h;
	D.inputs[D.n_inputs] = in;
	D.saved_hash[D.n_inputs] = 0;
	D.n_inputs++;
	return 0;
}

static void
start_inputs(void)
{
	for (size_t i = 0; i < D.cfg->n_inputs; i++) {
		const struct fw_input_config *ic = &D.cfg->inputs[i];
		struct fw_diag diag;
		fw_diag_init(&diag);
		(void)fw_input_warn(ic);
		struct fw_input *in = create_input(ic, &diag);
		if (!in || fw_pipeline_add_input(D.pipeline, in, &diag) < 0 || add_input(in) < 0) {
			print_diag(&diag);
			fatal("cannot create input %s", ic->name);
		}
		fw_diag_clear(&diag);
	}
	for (size_t i = 0; i < D.n_inputs; i++) {
		int err = D.inputs[i]->ops->start(D.inputs[i]);
		if (err < 0)
			fatal("[input.%s]: cannot start: %s", D.inputs[i]->cfg->name, strerror(-err));
	}
}

static int
check_only(struct fw_matcher *matcher)
{
	const struct fw_kb *kb = fw_matcher_kb(matcher);
	struct fw_diag paths;
	int rc = 0;
	unsigned warnings = 0;

	fw_diag_init(&paths);
	if (fw_config_check_paths(D.cfg, &paths) < 0)
		rc = 1;
	/* The TLS files as start-up loads them: readable, and the key fits the certificate. */
	for (size_t i = 0; i < D.cfg->n_outputs; i++)
		if (fw_tls_check(&D.cfg->outputs[i], D.cfg->path, &paths) < 0)
			rc = 1;
	print_diag(&paths);
	fw_diag_clear(&paths);
	for (size_t i = 0; i < D.cfg->n_inputs; i++) {
		const struct fw_input_config *ic = &D.cfg->inputs[i];
		warnings += fw_input_warn(ic);
		if (ic->domains.n == 0)
			continue;
		struct fw_diag diag;
		fw_diag_init(&diag);
		uint64_t *mask = calloc(fw_kb_mask_words(kb) + 1, sizeof(uint64_t));
		if (!mask || fw_kb_domain_mask(kb, (const char *const *)ic->domains.v, ic->domains.n,
					       mask, &diag) < 0) {
			for (size_t j = 0; j < diag.n; j++)
				log_err("%s:%u: [input.%s] domains: %s", D.cfg->path, ic->line,
					ic->name, diag.msgs[j]);
			rc = 1;
		}
		free(mask);
		fw_diag_clear(&diag);
	}
	if (rc == 0)
		printf("%s: configuration OK; KB: %u records, %u patterns from %u files%s\n",
		       D.config_path, kb->n_records, kb->n_patterns, kb->n_files,
		       warnings ? " (see the warnings)" : "");
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'},
		{"test", no_argument, NULL, 't'},
		{"oneshot", no_argument, NULL, 'o'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool test = false;
	int c;

	fw_log_init("fixwatchd", FW_LOG_INFO, false);
	D.config_path = DEFAULT_CONFIG;
	opterr = 0;     /* getopt would name argv[0], a path; we name the program */
	while ((c = getopt_long(argc, argv, ":c:th", opts, NULL)) != -1) {
		switch (c) {
		case 'c': D.config_path = optarg; break;
		case 't': test = true; break;
		case 'o': D.oneshot = true; break;
		case 'V': printf("fixwatchd %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		case ':':
			fprintf(stderr, "fixwatchd: option '%s' needs an argument\n", argv[optind - 1]);
			usage(stderr);
			return 1;
		default:
			if (optopt)
				fprintf(stderr, "fixwatchd: unrecognized option '-%c'\n", optopt);
			else
				fprintf(stderr, "fixwatchd: unrecognized option '%s'\n", argv[optind - 1]);
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fixwatchd: unexpected argument: %s\n", argv[optind]);
		usage(stderr);
		return 1;
	}

	struct fw_diag diag;
	struct fw_matcher *matcher = NULL;
	fw_diag_init(&diag);
	if (fw_config_load(D.config_path, &D.cfg, &diag) < 0 ||
	    load_kb_and_matcher(D.cfg, &matcher, &diag) < 0) {
		print_diag(&diag);
		fw_diag_clear(&diag);
		fw_config_free(D.cfg);
		log_err("%s: not started: fix the errors above", D.config_path);
		return 1;
	}
	fw_diag_clear(&diag);
	D.configs = malloc(sizeof(*D.configs));
	if (!D.configs)
		fatal("out of memory");
	D.configs[D.n_configs++] = D.cfg;
	if (test) {
		int rc = check_only(matcher);
		free_matcher(matcher);
		fw_config_free(D.cfg);
		free(D.configs);
		return rc;
	}

	/* A reader that went away must not kill us mid-checkpoint. */
	signal(SIGPIPE, SIG_IGN);
	D.loop = uv_default_loop();
	D.notify = getenv("NOTIFY_SOCKET") != NULL;
	make_dirs(D.cfg);
	lock_state_dir(D.cfg->state_dir);
	if (fw_pipeline_new(D.loop, D.cfg, matcher, &D.pipeline, &diag) < 0) {
		print_diag(&diag);
		fatal("cannot set up the pipeline");
	}
	D.window_ms = D.cfg->window_ms;
	D.threshold = D.cfg->threshold;
	/* The threshold's limit is the aggregator's (fwconfig_keys.c): only memory fails here. */
	if (D.cfg->window_ms > 0 &&
	    fw_aggregate_stage_new(D.loop, D.pipeline, D.cfg, &D.aggregate) < 0)
		fatal("[alerts]: cannot set up aggregation: out of memory");
	const struct fw_kb *kb = fw_pipeline_kb(D.pipeline);
	if (!kb->jit)
		log_warn("PCRE2 JIT is not available (%s): matching without JIT",
			 kb->jit_error ? kb->jit_error : "disabled");

	uv_signal_init(D.loop, &D.sig_hup);
	uv_signal_init(D.loop, &D.sig_term);
	uv_signal_init(D.loop, &D.sig_int);
	uv_signal_init(D.loop, &D.sig_usr1);
	uv_signal_start(&D.sig_hup, on_signal, SIGHUP);
	uv_signal_start(&D.sig_term, on_signal, SIGTERM);
	uv_signal_start(&D.sig_int, on_signal, SIGINT);
	uv_signal_start(&D.sig_usr1, on_signal, SIGUSR1);
	uv_timer_init(D.loop, &D.checkpoint_timer);
	uv_timer_init(D.loop, &D.watchdog_timer);

	fw_pipeline_on_safe(D.pipeline, on_safe, NULL);
	start_outputs();
	start_inputs();
	D.started = true;
	D.started_at = time(NULL);
	if (D.cfg->control_socket && *D.cfg->control_socket && !D.oneshot)
		(void)fw_control_start(D.loop, D.cfg->control_socket, status_snapshot, NULL,
				       &D.control);   /* a failure is logged; the daemon runs on */

	uint64_t every = D.cfg->checkpoint_interval_ms;   /* at least 1 ms (fwconfig_keys.c) */
	if (!D.oneshot)
		uv_timer_start(&D.checkpoint_timer, on_checkpoint_timer, every, every);
	uint64_t wd_usec = 0;
	if (sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec >= 2000)
		uv_timer_start(&D.watchdog_timer, on_watchdog, 0, wd_usec / 2000);

	log_info("started %s: %zu inputs, %zu outputs, KB %u records / %u patterns, "
		 "engine %s, JIT %s, state in %s%s",
		 PACKAGE_VERSION, D.n_inputs, D.n_outputs, kb->n_records, kb->n_patterns,
		 fw_match_engine_name(DAEMON_ENGINE), kb->jit ? "on" : "off",
		 D.cfg->state_dir, D.oneshot ? ", oneshot" : "");
	if (D.notify) {
		sd_notify(0, "READY=1");
		notify_status();
	}
	if (D.oneshot && D.inputs_finished == D.n_inputs)
		shutdown_daemon("every input was read to its end");

	uv_run(D.loop, UV_RUN_DEFAULT);

	const struct fw_pipeline_stats *s = fw_pipeline_stats(D.pipeline);
	uint64_t dropped = 0;
	for (size_t i = 0; i < D.n_outputs; i++)
		dropped += D.outputs[i]->stats.dropped;
	log_info("stopped (%s): %llu lines, %llu matches, %llu alerts, %llu dropped",
		 D.stop_reason ? D.stop_reason : "loop ended", (unsigned long long)s->lines,
		 (unsigned long long)s->matches, (unsigned long long)s->alerts,
		 (unsigned long long)dropped);

	fw_pipeline_free(D.pipeline);
	for (size_t i = 0; i < D.n_inputs; i++)
		D.inputs[i]->ops->destroy(D.inputs[i]);
	for (size_t i = 0; i < D.n_outputs; i++)
		fw_output_free(D.outputs[i]);
	for (size_t i = 0; i < D.n_configs; i++)
		fw_config_free(D.configs[i]);
	free(D.configs);
	free(D.inputs);
	free(D.outputs);
	free(D.saved_hash);
	uv_loop_close(D.loop);
	return D.exit_code;
}
