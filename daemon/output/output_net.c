/*
 * output_net: alerts to a socket: `tcp` and `unix` (JSON Lines over a
 * stream, one JSON object per datagram on unixgram) and `syslog` (RFC 5424
 * or 3164 over tcp, udp, unix stream or unixgram; /dev/log by default;
 * RFC 5425 over tls://, a TCP stream through transport_tls.c).
 *
 * Streams move their bytes through a transport (transport.h: connect,
 * write, confirm, close); this file and output_net_link.c keep the queue,
 * acknowledgements and retries. Datagram sockets are sent to directly.
 *
 * Queue: an outq (outq.h) of queue_max frames: the alert, formatted and
 * framed once at submit (item data), and once written the stream offset of
 * its last byte + 1 (item end). The queue holds, in order, frames written
 * to the kernel but not yet confirmed, frames handed to the transport's
 * pending write, then frames not written yet. -ENOBUFS when it is full (overflow = block); with
 * drop-oldest the oldest frame not handed to a write goes and is counted
 * (when every frame is being written, -ENOBUFS all the same).
 *
 * Acknowledgement. Datagrams are done once send() accepted them. On a stream
 * a frame is done only when the peer has taken it: written, and confirmed
 * by the transport (for TCP and unix sockets: no longer in our socket's
 * send queue), after every write, every NET_CONFIRM_MS while frames wait,
 * and once more when the connection breaks. Every frame still queued after
 * that, sent or not, is sent again on the next connection, and the
 * checkpoint never moves past an alert the peer may not have: at-least-once.
 * A peer that read everything and closed gets nothing twice; one that hid
 * what it read (closed with bytes unread, or reset) gets again the frames
 * written since the last reading the transport could trust, counted in the
 * log (fw__net_schedule_retry()). A frame cut in the middle by the break
 * arrives whole on the next connection (the collector discards or keeps
 * the cut one as it does for any broken connection).
 *
 * Connecting, retrying and closing are output_net_link.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"
#include "output/output_net_int.h"
#include "output/transport_tls.h"

#define NET_DEFAULT_QUEUE 10000u
#define NET_CONFIRM_MS 20u          /* SIOCOUTQ poll while frames await the peer */
#define NET_DGRAM_RETRY_MS 50u      /* a datagram socket that was full */

static void on_confirm(uv_timer_t *t);

/* Releases frames [head, head + k) as done (sent or given up) and acknowledges them. */
static void
net_release(struct net_out *n, size_t k, bool sent)
{
	uint64_t last = 0;

	while (k-- > 0) {
		last = fw_outq_pop(&n->q);
		n->written--;
		if (sent)
			n->out->stats.sent++;
	}
	last = fw_outq_ack_point(&n->q, last);
	n->out->queued = n->q.count;
	if (last)
		fw_output_ack(n->out, last);
}

/* Stream: frames whose bytes left our send queue are with the peer. */
void
fw__net_confirm(struct net_out *n)
{
	uint64_t taken;
	size_t k = 0;

	if (!n->linked || n->written == 0)
		return;
	/* Cannot tell, or the peer hung up: wait for the break, then resend. */
	if (n->stream->ops->confirm(n->stream, &taken) < 0)
		return;
	while (k < n->written && fw_outq_at(&n->q, k)->end <= taken)
		k++;
	if (k)
		net_release(n, k, true);
	if (n->written > 0)
		uv_timer_start(&n->confirm_timer, on_confirm, NET_CONFIRM_MS, 0);
}

/*
 * Stream, the connection broke: releases what the peer took, also frames of
 * the write still pending that are wholly in the kernel's hands (libuv reads
 * them no more, and the connection is let go right after).
 */
void
fw__net_confirm_broken(struct net_out *n)
{
	size_t all = n->written + n->inflight, k = 0;
	uint64_t taken, end = n->offset;

	if (!n->linked || all == 0 || n->stream->ops->confirm(n->stream, &taken) < 0)
		return;
	for (; k < all; k++) {
		const struct fw_outq_item *f = fw_outq_at(&n->q, k);

		end = k < n->written ? f->end : end + f->len;
		if (end > taken)
			break;
	}
	if (k > n->written) {
		n->inflight -= k - n->written;
		n->written = k;
	}
	if (k)
		net_release(n, k, true);
}

static void
on_confirm(uv_timer_t *t)
{
	struct net_out *n = t->data;

	fw__net_confirm(n);
	fw__net_pump(n);
}

static void
on_stream_written(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;
	size_t i;

	n->writing = false;
	if (status < 0) {
		/* What the peer took before the break is not sent again. */
		fw__net_confirm_broken(n);
		fw__net_schedule_retry(n, "write to", status);
		fw__net_maybe_finish_close(n);
		return;
	}
	for (i = 0; i < n->inflight; i++) {
		struct fw_outq_item *f = fw_outq_at(&n->q, n->written);

		n->offset += f->len;
		f->end = n->offset;
		n->written++;
	}
	n->inflight = 0;
	fw__net_confirm(n);
	fw__net_pump(n);
}

/* Datagram sockets: one frame per send; 0, -EAGAIN, or another -errno. */
static int
net_send_dgram(struct net_out *n, struct fw_outq_item *f)
{
	if (n->transport == T_UDP) {
		uv_buf_t b = uv_buf_init(f->data, (unsigned)f->len);
		int r = uv_udp_try_send(&n->conn->h.udp, &b, 1, NULL);

		return r < 0 ? r : 0;
	}
	if (send(n->conn->fd, f->data, f->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return 0;
}

static int net_format(struct net_out *n, const struct fw_alert_msg *msg, size_t max, char **data,
		      size_t *len);

/*
 * The socket refused the head datagram as too large (EMSGSIZE: a unix
 * datagram socket takes at most about its send buffer, whatever
 * max_message_bytes says). Sending it again would fail forever and stop
 * every output behind a full queue, so the output learns a smaller cap,
 * shortens the alert to it (halving, down to FW_SYSLOG_MIN_BYTES) and, when
 * even that is refused or the alert cannot be shortened, drops it with a
 * count and a log line naming it.
 */
static void
net_oversize(struct net_out *n)
{
	struct fw_outq_item *f = fw_outq_at(&n->q, 0);
	size_t want = f->len / 2;
	char *data;
	size_t len;
	int r = -EMSGSIZE;

	if (want >= FW_SYSLOG_MIN_BYTES) {
		n->dgram_max = want;
		r = net_format(n, f->msg, want, &data, &len);
		if (r == 0 && len < f->len) {
			if (!n->oversize_logged)
				log_warn("output %s: %s refuses a %zu-byte datagram; alerts are "
					 "shortened until they fit (lower max_message_bytes)",
					 n->out->cfg->name, n->out->cfg->address, f->len);
			n->oversize_logged = true;
			free(f->data);
			f->data = data;
			f->len = len;
			return;
		}
		if (r == 0)
			free(data);
	}
	log_warn("output %s: alert %llu (%zu bytes) is larger than %s accepts and cannot be "
		 "shortened: %s; dropped", n->out->cfg->name, (unsigned long long)f->msg->seq,
		 f->len, n->out->cfg->address, strerror(r < 0 ? -r : EMSGSIZE));
	n->out->stats.oversize++;
	n->out->stats.dropped++;
	n->written++;
	net_release(n, 1, false);
}

static void
on_dgram_writable(uv_poll_t *h, int status, int events)
{
	struct conn *c = h->data;

	if (!c->owner)
		return;
	uv_poll_stop(h);
	c->owner->polling = false;
	fw__net_pump(c->owner);
}

static void
on_dgram_retry(uv_timer_t *t)
{
	fw__net_pump(t->data);
}

void
fw__net_pump(struct net_out *n)
{
	if ((!n->conn && !n->linked) || n->out->state != FW_OUTPUT_UP)
		return;
	if (n->transport == T_UDP || n->transport == T_UNIXGRAM) {
		while (n->q.count > 0 && !n->polling) {
			int r = net_send_dgram(n, fw_outq_at(&n->q, 0));

			if (r == -EAGAIN || r == -ENOBUFS) {
				/* The socket (or the reader) is full: wait, keep the queue. */
				if (n->transport == T_UNIXGRAM &&
				    uv_poll_start(&n->conn->h.poll, UV_WRITABLE, on_dgram_writable) == 0)
					n->polling = true;
				else
					uv_timer_start(&n->confirm_timer, on_dgram_retry,
						       NET_DGRAM_RETRY_MS, 0);
				break;
			}
			if (r == -EMSGSIZE) {
				net_oversize(n);
				continue;
			}
			if (r < 0) {
				fw__net_schedule_retry(n, "send to", r);
				break;
			}
			n->written++;
			net_release(n, 1, true);
		}
		fw__net_maybe_finish_close(n);
		return;
	}
	if (!n->writing && n->written < n->q.count) {
		uv_buf_t bufs[FW_TRANSPORT_IOV_MAX];
		unsigned k = 0;
		int r;

		while (k < FW_TRANSPORT_IOV_MAX && n->written + k < n->q.count) {
			struct fw_outq_item *f = fw_outq_at(&n->q, n->written + k);

			bufs[k++] = uv_buf_init(f->data, (unsigned)f->len);
		}
		r = n->stream->ops->write(n->stream, bufs, k);
		if (r == UV_ENOMEM) {
			/* retried on the next submit or confirmation */
		} else if (r == UV_ESHUTDOWN) {
			/* The peer is ending the connection: the frames wait for the next. */
		} else if (r < 0) {
			fw__net_schedule_retry(n, "write to", r);
		} else {
			/* The transport reads these frames' bytes until on_written: they stay put. */
			n->writing = true;
			n->inflight = k;
		}
	}
	fw__net_maybe_finish_close(n);
}

/*
 * Formats msg as this output sends it: a framed syslog message or a JSON
 * line. max (0: none) caps a datagram; a longer alert is shortened to it
 * (syslog_fmt.h says how).
 */
static int
net_format(struct net_out *n, const struct fw_alert_msg *msg, size_t max, char **data, size_t *len)
{
	bool stream = n->transport == T_TCP || n->transport == T_UNIX;
	int r;

	if (n->syslog) {
		struct fw_syslog_params sp = n->sp;

		if (max)
			sp.max_bytes = max;
		r = fw_syslog_format(&sp, msg, data, len);
		if (r == 0 && stream)
			r = fw_syslog_frame(n->framing, data, len);
		return r;
	}
	/* JSON: one object per line on streams, one per datagram otherwise. */
	if (!stream && max && msg->json_len > max) {
		*data = fw_syslog_json_fit(msg->json, max, len, &r);
		return *data ? 0 : r;
	}
	*data = malloc(msg->json_len + 2);
	if (!*data)
		return -ENOMEM;
	memcpy(*data, msg->json, msg->json_len);
	*len = msg->json_len;
	if (stream)
		(*data)[(*len)++] = '\n';
	(*data)[*len] = '\0';
	return 0;
}

static int
net_submit(struct fw_output *out, struct fw_alert_msg *msg)
{
	struct net_out *n = out->priv;
	struct fw_outq_item *f;
	int r;

	/* Frames written or handed to a pending write may be with the peer or
	 * read by libuv: drop-oldest never takes those. */
	f = fw_output_enqueue(out, &n->q, msg, n->written + n->inflight, &r);
	if (!f)
		return r;
	r = net_format(n, msg, n->dgram_max, &f->data, &f->len);
	if (r < 0) {
		/* Cannot be sent at all: count it, do not block the daemon. */
		out->stats.dropped++;
		if (r == -EMSGSIZE)
			out->stats.oversize++;
		else
			out->stats.errors++;
		log_err("output %s: alert %llu: %s; dropped", out->cfg->name,
			(unsigned long long)msg->seq, r == -EMSGSIZE
				? "larger than a datagram the peer takes, and cannot be shortened"
				: strerror(-r));
		fw_outq_drop_newest(&n->q);
		out->queued = n->q.count;
		if (n->q.count == 0)
			fw_output_ack(out, fw_outq_ack_point(&n->q, 0));
		return 0;
	}
	fw__net_pump(n);
	return 0;
}

static void
net_destroy(struct fw_output *out)
{
	struct net_out *n = out->priv;

	if (!n)
		return;
	fw_outq_fini(&n->q);
	fw_transport_free(n->stream);
	free(n);
	out->priv = NULL;
	out->queue = NULL;
}

static const struct fw_output_ops net_ops = {
	.type = "net",
	.open = fw__net_open,
	.submit = net_submit,
	.reopen = fw__net_reopen,
	.close = fw__net_close,
	.destroy = net_destroy,
};

static int
net_init(struct fw_output *out, struct fw_diag *diag, bool syslog)
{
	const struct fw_output_config *cfg = out->cfg;
	struct net_out *n;
	int r;

	n = calloc(1, sizeof *n);
	if (!n)
		return -ENOMEM;
	switch (cfg->addr.kind) {
	case FW_ADDR_TCP: n->transport = T_TCP; break;
	case FW_ADDR_TLS: n->transport = T_TCP; break;     /* a TCP stream, through TLS */
	case FW_ADDR_UDP: n->transport = T_UDP; break;
	case FW_ADDR_UNIX: n->transport = T_UNIX; break;
	case FW_ADDR_UNIXGRAM: n->transport = T_UNIXGRAM; break;
	default:
		free(n);
		fw_diag_add(diag, "[output.%s] address: '%s' is not a socket address", cfg->name,
			    cfg->address ? cfg->address : "");
		return -EINVAL;
	}
	n->syslog = syslog;
	n->framing = cfg->framing;
	n->sp.format = cfg->format == FW_FORMAT_RFC3164 ? FW_FORMAT_RFC3164 : FW_FORMAT_RFC5424;
	n->sp.cee = cfg->cee;
	n->sp.facility = cfg->facility;
	n->sp.procid = (int)getpid();
	/* Datagrams must fit in one send; streams are framed, but a cap keeps collectors happy. */
	n->sp.max_bytes = cfg->max_message_bytes;
	if (n->sp.max_bytes && n->sp.max_bytes < FW_SYSLOG_MIN_BYTES)
		n->sp.max_bytes = FW_SYSLOG_MIN_BYTES;
	if (n->transport == T_UDP || n->transport == T_UNIXGRAM)
		n->dgram_max = n->sp.max_bytes;
	r = fw_outq_init(&n->q, cfg->queue_max ? cfg->queue_max : NET_DEFAULT_QUEUE);
	if (r == 0 && cfg->addr.kind == FW_ADDR_TLS)
		r = fw_transport_tls_new(out->loop, cfg, diag, &n->stream);
	else if (r == 0 && (n->transport == T_TCP || n->transport == T_UNIX))
		r = fw_transport_new(out->loop, &cfg->addr, &n->stream);
	if (r < 0) {
		fw_outq_fini(&n->q);
		free(n);
		return r;
	}
	if (n->stream) {
		n->stream->data = n;
		n->stream->on_connect = fw__net_on_stream_connect;
		n->stream->on_written = on_stream_written;
		n->stream->on_broken = fw__net_on_stream_broken;
	}
	n->out = out;
	out->ops = &net_ops;
	out->priv = n;
	out->queue = &n->q;
	return 0;
}

int
fw_output_tcp_init(struct fw_output *out, struct fw_diag *diag)
{
	return net_init(out, diag, false);
}

int
fw_output_unix_init(struct fw_output *out, struct fw_diag *diag)
{
	return net_init(out, diag, false);
}

int
fw_output_syslog_init(struct fw_output *out, struct fw_diag *diag)
{
	return net_init(out, diag, true);
}
