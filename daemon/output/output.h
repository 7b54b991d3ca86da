/*
 * output: the interface every alert destination implements (design.md §7).
 *
 * The pipeline numbers alerts with a strictly increasing sequence number
 * and hands each message to every output. An output keeps a bounded queue
 * (cfg->queue_max alerts; outq.h, the same for every output type). It *acknowledges* a sequence number once every
 * alert up to it has left the process (written to the kernel: a file, a
 * socket's send buffer, the journal) or was deliberately dropped (overflow
 * = drop-oldest, min_confidence or min_severity filter); it then raises out->acked and calls
 * out->on_progress. The pipeline advances an input's checkpoint past a line
 * only when every output has acknowledged the line's alerts: alerts not yet
 * acknowledged are re-read and re-sent after a restart (at-least-once).
 *
 * Backpressure: submit() returns -ENOBUFS when the queue is full and the
 * overflow policy is block; the pipeline then pauses its inputs until
 * on_progress reports room again. With drop-oldest, submit() always
 * succeeds and counts the alerts it drops.
 *
 * Messages are reference counted and shared by all outputs: an output takes
 * a reference for as long as it queues a message.
 */
#ifndef FW_OUTPUT_H
#define FW_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <uv.h>

#include "core/fwconfig.h"

/* An alert's key fields, for syslog STRUCTURED-DATA and journal fields; any may be NULL (absent). */
struct fw_alert_keys {
	const char *id;
	const char *domain;
	const char *category;
	const char *signature;
	const char *input;
	const char *host;
};

struct fw_alert_msg {
	unsigned refs;
	uint64_t seq;
	const char *json;           /* the fixwatch.alert/1 object, one line, no newline */
	size_t json_len;
	struct fw_alert_keys keys;  /* copies, in the message's own block */
	double confidence;          /* NaN when the record has none */
	int severity;               /* 0 (emerg) .. 7 (debug), FW_SEVERITY_NONE when not stated */
	struct timespec time;
	uint64_t count;
};

/*
 * A new message with refs = 1, the JSON and every key field (keys may be
 * NULL: none) copied into the message's own single allocation, seq 0, count
 * 1, confidence NaN, no severity; the caller fills in the rest. NULL on OOM.
 * One allocation per alert, not eight: the key fields are short strings
 * whose frees, beside the JSON's, kept glibc's malloc merging its fast bins.
 */
struct fw_alert_msg *fw_alert_msg_new(const char *json, size_t json_len,
				      const struct fw_alert_keys *keys);
struct fw_alert_msg *fw_alert_msg_ref(struct fw_alert_msg *msg);
/* Frees the message (its one block) at the last reference. */
void fw_alert_msg_unref(struct fw_alert_msg *msg);

enum fw_output_state {
	FW_OUTPUT_UP,               /* open / connected */
	FW_OUTPUT_CONNECTING,
	FW_OUTPUT_DOWN,             /* waiting to reconnect */
	FW_OUTPUT_CLOSED,
};

struct fw_output_stats {
	uint64_t sent;              /* left the process */
	uint64_t dropped;           /* overflow = drop-oldest, or oversize */
	uint64_t oversize;          /* of those: larger than a datagram the peer takes */
	uint64_t filtered;          /* below min_confidence or min_severity */
	uint64_t skipped;           /* acknowledged before a restart: not sent again */
	uint64_t errors;            /* write/connect errors seen */
	uint64_t write_errors;      /* of those: failed writes of a file (alerts held, retried)
				     * or stdout (the output stops, later alerts dropped) */
	uint64_t reconnects;
	uint64_t resent;            /* written again after a break: the peer may have had them */
};

struct fw_output;
struct fw_outq;

struct fw_output_ops {
	const char *type;
	/* Opens or starts connecting; a remote peer being down is not an error. */
	int (*open)(struct fw_output *out);
	/* Queues msg (taking a reference): 0, or -ENOBUFS when full (block). */
	int (*submit)(struct fw_output *out, struct fw_alert_msg *msg);
	/* Reopens files / reconnects (SIGHUP, SIGUSR1 for logrotate); may be NULL. */
	void (*reopen)(struct fw_output *out);
	/* Flushes what it can within the output's own bound, then calls done. */
	void (*close)(struct fw_output *out, void (*done)(struct fw_output *out));
	void (*destroy)(struct fw_output *out);
};

struct fw_output {
	const struct fw_output_ops *ops;
	const struct fw_output_config *cfg;   /* owned by the running config */
	uv_loop_t *loop;
	enum fw_output_state state;
	uint64_t acked;                       /* every seq <= acked is done */
	size_t queued;                        /* alerts in the queue now */
	struct fw_output_stats stats;
	void (*on_progress)(struct fw_output *out); /* set by the pipeline */
	void *pipeline;                       /* the pipeline's cookie */
	void *priv;                           /* the implementation's state */
	struct fw_outq *queue;                /* the implementation's queue (outq.h) */
};

/*
 * Creates the output of cfg->type (not opened yet). 0 or -errno (diag says why).
 * Each type has a constructor `int fw_output_TYPE_init(struct fw_output *out,
 * struct fw_diag *diag)` that sets ops, priv and queue on an allocated output; the
 * registry in output.c maps cfg->type to it.
 */
int fw_output_new(uv_loop_t *loop, const struct fw_output_config *cfg, struct fw_output **out,
		  struct fw_diag *diag);

/* For implementations: mark everything up to seq as done and tell the pipeline. */
void fw_output_ack(struct fw_output *out, uint64_t seq);
/*
 * For the pipeline: alert seq (newer than any submitted) is done for out
 * without being sent, since out acknowledged it before a restart; counted
 * in stats.skipped. Defined in outq.c.
 */
void fw_output_skip(struct fw_output *out, uint64_t seq);

const char *fw_output_state_name(enum fw_output_state state);
/* "stdout", "file", "unix", "tcp", "syslog", "journal" ("?" for anything else). */
const char *fw_output_type_name(enum fw_output_type type);

/* Frees an output made by fw_output_new (after close): ops->destroy, then the struct. */
void fw_output_free(struct fw_output *out);

int fw_output_stdout_init(struct fw_output *out, struct fw_diag *diag);
int fw_output_file_init(struct fw_output *out, struct fw_diag *diag);
/* tcp, unix and syslog share one implementation (output_net.c, output_net_link.c). */
int fw_output_tcp_init(struct fw_output *out, struct fw_diag *diag);
int fw_output_unix_init(struct fw_output *out, struct fw_diag *diag);
int fw_output_syslog_init(struct fw_output *out, struct fw_diag *diag);
int fw_output_journal_init(struct fw_output *out, struct fw_diag *diag);
/* The journal fields ("KEY=value") of an alert, for tests: *out and each string are the caller's. */
int fw_journal_fields(const struct fw_alert_msg *m, char ***out, size_t *n);

#endif
