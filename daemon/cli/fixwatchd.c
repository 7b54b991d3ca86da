/*
 * fixwatchd: the daemon (design.md §8, contract). One libuv loop runs inputs,
 * the pipeline and outputs; this file parses the command line, checks the
 * configuration (-t) or wires everything up and runs the loop to its end
 * (--oneshot: every input read to its end). fixwatchd_run.c keeps it
 * running (checkpoints, sd_notify and the watchdog, signals, shutdown);
 * fixwatchd_reload.c applies SIGHUP (fixwatchd_int.h).
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

#include <uv.h>

#include "cli/fixwatchd_int.h"
#include "core/checkpoint.h"
#include "core/control.h"
#include "core/fwconfig.h"
#include "input/input_warn.h"
#include "input/input.h"
#include "kb/kb.h"
#include "util/journal_lib.h"
#include "util/log.h"
#include "util/notify.h"
#include "match/match.h"
#include "output/transport_tls.h"
#include "core/status.h"

#define DEFAULT_CONFIG FW_SYSCONFDIR "/fixwatch/fixwatch.conf"

struct fw_daemon D;

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
		fw_daemon_print_diag(&diag);
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
			fw_daemon_print_diag(&diag);
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
struct fw_input *
fw_daemon_create_input(const struct fw_input_config *ic, struct fw_diag *diag)
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
			.oneshot = D.oneshot, .on_finished = fw_daemon_on_input_finished,
		};
		if (fw_input_new(&env, ic, &in, diag) < 0)
			in = NULL;
	}
	fw_checkpoint_free(&ck);
	return in;
}

int
fw_daemon_add_input(struct fw_input *in)
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
		struct fw_input *in = fw_daemon_create_input(ic, &diag);
		if (!in || fw_pipeline_add_input(D.pipeline, in, &diag) < 0 || fw_daemon_add_input(in) < 0) {
			fw_daemon_print_diag(&diag);
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
	/* libsystemd as start-up opens it, for the journal's inputs and outputs. */
	for (size_t i = 0; i < D.cfg->n_inputs; i++)
		if (D.cfg->inputs[i].type == FW_INPUT_JOURNAL &&
		    fw_journal_lib_need(&paths, D.cfg->path, D.cfg->inputs[i].line, "input",
					D.cfg->inputs[i].name) < 0)
			rc = 1;
	for (size_t i = 0; i < D.cfg->n_outputs; i++)
		if (D.cfg->outputs[i].type == FW_OUTPUT_JOURNAL &&
		    fw_journal_lib_need(&paths, D.cfg->path, D.cfg->outputs[i].line, "output",
					D.cfg->outputs[i].name) < 0)
			rc = 1;
	fw_daemon_print_diag(&paths);
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
	    fw_daemon_load_matcher(D.cfg, &matcher, &diag) < 0) {
		fw_daemon_print_diag(&diag);
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
		fw_daemon_free_matcher(matcher);
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
	/* Before any input opens a file: a save must never fail for lack of descriptors. */
	if (fw_checkpoint_reserve() < 0)
		fatal("[daemon] state_dir: cannot reserve a descriptor for checkpoints: %s",
		      strerror(errno));
	if (fw_pipeline_new(D.loop, D.cfg, matcher, &D.pipeline, &diag) < 0) {
		fw_daemon_print_diag(&diag);
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
		log_warn("%s", kb->jit_error ? kb->jit_error
					 : "PCRE2 JIT is disabled: matching without JIT");

	uv_signal_init(D.loop, &D.sig_hup);
	uv_signal_init(D.loop, &D.sig_term);
	uv_signal_init(D.loop, &D.sig_int);
	uv_signal_init(D.loop, &D.sig_usr1);
	uv_signal_start(&D.sig_hup, fw_daemon_on_signal, SIGHUP);
	uv_signal_start(&D.sig_term, fw_daemon_on_signal, SIGTERM);
	uv_signal_start(&D.sig_int, fw_daemon_on_signal, SIGINT);
	uv_signal_start(&D.sig_usr1, fw_daemon_on_signal, SIGUSR1);
	uv_timer_init(D.loop, &D.checkpoint_timer);
	uv_timer_init(D.loop, &D.watchdog_timer);

	fw_pipeline_on_safe(D.pipeline, fw_daemon_on_safe, NULL);
	start_outputs();
	start_inputs();
	D.started = true;
	D.started_at = time(NULL);
	if (D.cfg->control_socket && *D.cfg->control_socket && !D.oneshot)
		(void)fw_control_start(D.loop, D.cfg->control_socket, fw_daemon_status_snapshot, NULL,
				       &D.control);   /* a failure is logged; the daemon runs on */

	uint64_t every = D.cfg->checkpoint_interval_ms;   /* at least 1 ms (fwconfig_keys.c) */
	if (!D.oneshot)
		uv_timer_start(&D.checkpoint_timer, fw_daemon_on_checkpoint_timer, every, every);
	uint64_t wd_usec = 0;
	if (fw_notify_watchdog(&wd_usec) > 0 && wd_usec >= 2000)
		uv_timer_start(&D.watchdog_timer, fw_daemon_on_watchdog, 0, wd_usec / 2000);

	log_info("started %s: %zu inputs, %zu outputs, KB %u records / %u patterns, "
		 "engine %s, JIT %s, state in %s%s",
		 PACKAGE_VERSION, D.n_inputs, D.n_outputs, kb->n_records, kb->n_patterns,
		 fw_match_engine_name(DAEMON_ENGINE), kb->jit ? "on" : "off",
		 D.cfg->state_dir, D.oneshot ? ", oneshot" : "");
	if (D.notify) {
		fw_notify("READY=1");
		fw_daemon_notify_status();
	}
	if (D.oneshot && D.inputs_finished == D.n_inputs)
		fw_daemon_shutdown("every input was read to its end");

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
