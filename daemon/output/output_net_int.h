/*
 * output_net_int: what the two halves of the socket output share, and
 * nothing for other modules: output_net.c (queue, framing, datagrams,
 * acknowledgements, the output's ops) and output_net_link.c (resolving,
 * connecting, retrying, the close barrier). The state is one struct
 * net_out per output, owned by output_net.c (freed by its destroy).
 */
#ifndef FW_OUTPUT_NET_INT_H
#define FW_OUTPUT_NET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "util/backoff.h"
#include "util/close_barrier.h"
#include "output/outq.h"
#include "output/output.h"
#include "output/syslog_fmt.h"
#include "output/transport.h"


enum transport { T_TCP, T_UDP, T_UNIX, T_UNIXGRAM };

/* A datagram socket (udp, unixgram); streams go through a transport (transport.h). */
struct conn {
	union {
		uv_handle_t handle;
		uv_udp_t udp;
		uv_poll_t poll;
	} h;
	struct net_out *owner;      /* NULL once the connection was let go */
	int fd;                     /* unixgram: our socket */
};

struct net_out {
	struct fw_output *out;
	enum transport transport;
	bool syslog;
	struct fw_syslog_params sp;
	enum fw_framing framing;
	struct fw_outq q;
	size_t written;             /* frames at the head that were written */
	size_t inflight;            /* frames after those, handed to the pending uv_write */
	uint64_t offset;            /* bytes written on this connection */
	struct conn *conn;          /* datagrams */
	struct fw_transport *stream; /* tcp, unix */
	bool linked;                /* the stream is connected or connecting */
	size_t dgram_max;           /* datagrams: max_message_bytes, or less once refused */
	bool oversize_logged;
	bool writing;               /* a uv_write is in flight */
	bool polling;               /* unixgram: waiting for POLLOUT */
	struct fw_retry retry;      /* reconnecting (backoff.h) */
	uv_timer_t confirm_timer;
	uv_timer_t close_timer;
	uv_getaddrinfo_t gai;
	bool resolving;
	bool closing;
	struct fw_close_barrier handles;    /* retry.timer, confirm_timer, close_timer */
	void (*done)(struct fw_output *out);
};

/* output_net.c */
/* Writes or sends what the queue holds and the connection takes. */
void fw__net_pump(struct net_out *n);
/* Stream: releases the frames the peer has taken; polls again while some wait. */
void fw__net_confirm(struct net_out *n);
/* Stream, at a break: the same, also for the frames of the pending write. */
void fw__net_confirm_broken(struct net_out *n);

/* output_net_link.c */
/* Lets the connection go (every queued frame is written again), goes DOWN, retries later. */
void fw__net_schedule_retry(struct net_out *n, const char *what, int err);
/* While closing: finishes once the queue is with the peer or the peer is gone. */
void fw__net_maybe_finish_close(struct net_out *n);
void fw__net_on_stream_connect(struct fw_transport *t, int status);
void fw__net_on_stream_broken(struct fw_transport *t, int status);
/* The output's ops for the link: open starts connecting, reopen retries now, close drains. */
int fw__net_open(struct fw_output *out);
void fw__net_reopen(struct fw_output *out);
void fw__net_close(struct fw_output *out, void (*done)(struct fw_output *out));

#endif
