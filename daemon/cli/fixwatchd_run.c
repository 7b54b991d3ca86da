/*
 * fixwatchd_run: what keeps the running daemon going - checkpoints (every
 * checkpoint_interval and every CHECKPOINT_EVERY_ALERTS acknowledged
 * alerts, written only when they changed), sd_notify status and the
 * watchdog, the signals (SIGHUP reload, SIGTERM/SIGINT stop, SIGUSR1
 * reopen), metrics_file, and the ordered shutdown: inputs stop, the
 * pipeline flushes, outputs close, the last checkpoints are written.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fixwatchd_int.h"
#include "core/checkpoint.h"
#include "core/status.h"
#include "kb/kb.h"
#include "util/log.h"
#include "util/notify.h"

/*
 * Checkpoints are written every checkpoint_interval, and also once this
 * many more alerts were acknowledged: what a SIGKILL can repeat is bounded
 * by both, however fast the lines come.
 */
#define CHECKPOINT_EVERY_ALERTS 10000u

/* -- helpers ----------------------------------------------------------------- */

void
fw_daemon_print_diag(const struct fw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		log_err("%s", d->msgs[i]);
	if (d->dropped)
		log_err("%zu more errors", d->dropped);
}

int
fw_daemon_load_matcher(const struct fw_config *cfg, struct fw_matcher **out, struct fw_diag *diag)
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

void
fw_daemon_free_matcher(struct fw_matcher *m)
{
	if (!m)
		return;
	struct fw_kb *kb = (struct fw_kb *)fw_matcher_kb(m);
	fw_matcher_free(m);
	fw_kb_free(kb);
}

void
fw_daemon_notify_status(void)
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
	fw_notifyf("STATUS=lines %llu, matches %llu, alerts %llu, queued %llu, dropped %llu%s%s",
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
		for (size_t k = 0; k < f->n_acks; k++) {
			for (const char *c = f->acks[k].output; *c; c++)
				MIX(*c);
			MIX(f->acks[k].offset);
		}
	}
	for (const char *c = ck->cursor; c && *c; c++)
		MIX(*c);
	MIX(ck->n_files);
#undef MIX
	return h;
}

/* Writes input i's checkpoint if it changed since the last write (or final). */
void
fw_daemon_save_checkpoint(size_t i, uint64_t safe, bool final)
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
		if (err == 0) {
			D.saved_hash[i] = h;
			if (in->stats.state_failing)
				log_info("[input.%s] checkpoint saved again after %llu failed saves",
					 in->cfg->name, (unsigned long long)in->stats.state_failing);
			in->stats.state_failing = 0;
		} else {
			/* The previous state file stays whole; the positions stay in
			 * memory and the next save tries again. Said once per spell. */
			in->stats.state_errors++;
			if (in->stats.state_failing++ == 0) {
				fw_daemon_print_diag(&diag);
				log_warn("[input.%s] checkpoint not saved; the previous one is kept, "
					 "retried every checkpoint_interval (counted as state errors)",
					 in->cfg->name);
			}
		}
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
		fw_daemon_save_checkpoint(i, safe, final);
}

/* Acknowledgements moved: a checkpoint once CHECKPOINT_EVERY_ALERTS more are safe. */
void
fw_daemon_on_safe(struct fw_pipeline *p, void *ctx)
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

void
fw_daemon_shutdown(const char *reason)
{
	if (D.stopping)
		return;
	D.stopping = true;
	D.stop_reason = reason;
	if (D.notify)
		fw_notify("STOPPING=1");
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

void
fw_daemon_on_input_finished(struct fw_input *in)
{
	D.inputs_finished++;
	if (D.oneshot && D.started && D.inputs_finished == D.n_inputs)
		fw_daemon_shutdown("every input was read to its end");
}

/* -- signals and timers -------------------------------------------------------- */

void
fw_daemon_on_signal(uv_signal_t *h, int signum)
{
	switch (signum) {
	case SIGHUP:
		if (!D.stopping)
			fw_daemon_reload();
		break;
	case SIGUSR1:
		for (size_t i = 0; i < D.n_outputs; i++)
			if (D.outputs[i]->ops->reopen)
				D.outputs[i]->ops->reopen(D.outputs[i]);
		log_info("outputs reopened");
		break;
	default:
		fw_daemon_shutdown(signum == SIGTERM ? "SIGTERM" : "SIGINT");
		break;
	}
}

json_object *
fw_daemon_status_snapshot(void *ctx)
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
	st = fw_daemon_status_snapshot(NULL);
	err = st ? fw_status_write_metrics(st, D.cfg->metrics_file) : -ENOMEM;
	json_object_put(st);
	if (err < 0 && !warned)
		log_warn("metrics_file %s: %s", D.cfg->metrics_file, strerror(-err));
	warned = err < 0;
}

void
fw_daemon_on_checkpoint_timer(uv_timer_t *h)
{
	save_checkpoints(false);
	fw_daemon_notify_status();
	write_metrics();
}

void
fw_daemon_on_watchdog(uv_timer_t *h)
{
	fw_notify("WATCHDOG=1");
}
