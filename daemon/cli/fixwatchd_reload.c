/*
 * fixwatchd_reload: SIGHUP. A new configuration and KB are loaded and
 * checked whole before anything changes; then inputs are kept, reconfigured
 * in place, restarted from their checkpoints, removed or added, and the
 * pipeline switches to the new KB. Output changes take effect at the next
 * restart (the log says so).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fixwatchd_int.h"
#include "kb/kb.h"
#include "util/log.h"
#include "util/notify.h"

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
void
fw_daemon_reload(void)
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
		fw_notify("RELOADING=1");
	log_info("reloading %s", D.config_path);
	int err = fw_config_load(D.config_path, &cfg, &diag);
	if (err == 0)
		err = fw_daemon_load_matcher(cfg, &matcher, &diag);
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
			fw_daemon_save_checkpoint(i, fw_pipeline_safe_seq(D.pipeline), true);
	}
	for (size_t j = 0; err == 0 && j < cfg->n_inputs; j++) {
		bool kept = false;
		for (size_t i = 0; i < D.n_inputs; i++)
			kept |= keep[i] == &cfg->inputs[j];
		if (kept)
			continue;
		created[n_created] = fw_daemon_create_input(&cfg->inputs[j], &diag);
		if (!created[n_created])
			err = -EINVAL;
		else
			n_created++;
	}

	if (err < 0) {
		fw_daemon_print_diag(&diag);
		log_err("reload refused: still running the previous configuration and KB");
		for (size_t k = 0; k < n_created; k++)
			created[k]->ops->destroy(created[k]);
		free(created);
		free(keep);
		free(in_place);
		fw_daemon_free_matcher(matcher);
		if (cfg)
			fw_config_free(cfg);
		fw_diag_clear(&diag);
		if (D.notify)
			fw_notify("READY=1");
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
		fw_daemon_print_diag(&diag);
		log_err("reload: cannot switch to the new KB; keeping the previous one");
		fw_daemon_free_matcher(matcher);
	}
	fw_diag_clear(&diag);
	for (size_t k = 0; k < n_created; k++) {
		struct fw_input *in = created[k];
		if (fw_pipeline_add_input(D.pipeline, in, &diag) < 0 || fw_daemon_add_input(in) < 0) {
			fw_daemon_print_diag(&diag);
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
		uv_timer_start(&D.checkpoint_timer, fw_daemon_on_checkpoint_timer, cfg->checkpoint_interval_ms,
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
		fw_notify("READY=1");
	fw_daemon_notify_status();
}
