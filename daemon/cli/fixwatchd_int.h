/*
 * fixwatchd_int: the daemon's state and the functions its three files share.
 * fixwatchd.c parses the command line, checks (-t) or starts the
 * configuration and runs the loop; fixwatchd_run.c keeps it running
 * (checkpoints, sd_notify, signals, timers, shutdown); fixwatchd_reload.c
 * applies a new configuration on SIGHUP.
 *
 * There is one daemon per process: its state is the single object D, used
 * from the loop's thread only.
 */
#ifndef FW_FIXWATCHD_INT_H
#define FW_FIXWATCHD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <uv.h>

#include "core/alert_stage.h"
#include "core/control.h"
#include "core/fwconfig.h"
#include "core/pipeline.h"
#include "input/input.h"
#include "match/match.h"
#include "output/output.h"

/* The one place the daemon's engine is chosen: the prefilter engine; the
 * reference engine stays the oracle of the tests and the benchmark. */
#define DAEMON_ENGINE FW_ENGINE_FAST

struct fw_daemon {
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

extern struct fw_daemon D;

/* fixwatchd_run.c */
void fw_daemon_print_diag(const struct fw_diag *d);
/* Loads cfg's KB and builds the daemon's matcher on it (*out owns the KB: fw_daemon_free_matcher). */
int fw_daemon_load_matcher(const struct fw_config *cfg, struct fw_matcher **out, struct fw_diag *diag);
void fw_daemon_free_matcher(struct fw_matcher *m);
void fw_daemon_notify_status(void);
void fw_daemon_save_checkpoint(size_t i, uint64_t safe, bool final);
void fw_daemon_on_safe(struct fw_pipeline *p, void *ctx);
void fw_daemon_shutdown(const char *reason);
void fw_daemon_on_input_finished(struct fw_input *in);
void fw_daemon_on_signal(uv_signal_t *h, int signum);
json_object *fw_daemon_status_snapshot(void *ctx);
void fw_daemon_on_checkpoint_timer(uv_timer_t *h);
void fw_daemon_on_watchdog(uv_timer_t *h);

/* fixwatchd_reload.c: SIGHUP. */
void fw_daemon_reload(void);

/* fixwatchd.c */
struct fw_input *fw_daemon_create_input(const struct fw_input_config *ic, struct fw_diag *diag);
int fw_daemon_add_input(struct fw_input *in);

#endif
