/*
 * output_harness: what the output tests share: peers the test runs itself
 * (a tcp, unix or udp listener that keeps what it receives, or does not
 * read), an output under test on its own uv loop with a temporary
 * directory, alerts numbered 1..n, and bounded waits on conditions.
 */
#ifndef FW_OUTPUT_HARNESS_H
#define FW_OUTPUT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "output/output.h"

#define DEADLINE_MS 8000

struct peer {
	uv_loop_t *loop;
	union {
		uv_tcp_t tcp;
		uv_pipe_t pipe;
		uv_udp_t udp;
	} server;
	bool stream;
	bool listening;
	uv_stream_t *client;        /* the current connection */
	bool reading;               /* false: a reader that does not read */
	size_t close_after;         /* close the connection once it has this many bytes (0: never) */
	char *data;                 /* everything received, datagrams separated by '\x1e' */
	size_t len, cap;
	unsigned connections;
	unsigned datagrams;
};

struct harness {
	uv_loop_t loop;
	uv_timer_t tick;            /* wakes the loop so deadlines are checked */
	struct fw_output_config cfg;
	struct fw_output *out;
	uint64_t seq;
	bool closed;
	char dir[64];
};

/* Acknowledged means the peer's kernel has it; the peer may not have read it yet. */
struct delivered {
	struct harness *h;
	const char **data;
	const char *needle;
	unsigned want;
};

/* Peers: listen on 127.0.0.1:*port (0: any free port, written back) or a unix path. */
void peer_listen_tcp(struct peer *p, uv_loop_t *loop, int *port);
void peer_listen_unix(struct peer *p, uv_loop_t *loop, const char *path);
void peer_listen_udp(struct peer *p, uv_loop_t *loop, int *port);
void peer_stop(struct peer *p);
/* For a peer that starts reading late: uv_read_start(p->client, on_peer_alloc, on_peer_read). */
void on_peer_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf);
void on_peer_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf);

void harness_init(struct harness *h);
/* Configures the output; address may hold one %d (port) or %s (the temp dir). */
void harness_config(struct harness *h, enum fw_output_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void harness_new_output(struct harness *h);
/* Closes and frees the output (if any), the peer (may be NULL), the loop and the temp dir. */
void harness_free(struct harness *h, struct peer *p);
/* The next alert (seq h->seq + 1), a reference for the caller. */
struct fw_alert_msg *make_msg(struct harness *h, double confidence);
/* Submits one alert; returns what submit() said. */
int submit(struct harness *h, double confidence);
/* Runs the loop until cond() holds or the deadline passes; returns cond(). */
bool run_until(struct harness *h, bool (*cond)(void *), void *arg, uint64_t ms);

/* Conditions for run_until. */
bool all_acked(void *arg);
bool is_delivered(void *arg);
bool is_down_with_error(void *arg);

/* Each seq 1..n must be in the peer's JSON objects; returns the duplicates. */
unsigned check_seqs(const char *data, uint64_t n, const char *start);
unsigned count_str(const char *s, const char *needle);
int free_port(void);
unsigned file_lines(const char *path);

#define DELIVERED(h, datap, needle, want) \
	run_until((h), is_delivered, &(struct delivered){ (h), (const char **)(datap), (needle), (want) }, \
		  DEADLINE_MS)

#endif
