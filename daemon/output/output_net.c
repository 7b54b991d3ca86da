/*
 * output_net: alerts to a socket: `tcp` and `unix` (JSON Lines over a
 * stream, one JSON object per datagram on unixgram) and `syslog` (RFC 5424
 * or 3164 over tcp, udp, unix stream or unixgram; /dev/log by default;
 * RFC 5425 over tls://, a TCP stream through transport_tls.c).
 *
 * Streams move their bytes through a transport (transport.h: connect,
 * write, confirm, close); this file keeps the queue, acknowledgements and
 * retries. Datagram sockets are sent to directly.
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
 * send queue). So when a connection breaks, every frame still queued, sent or
 * not, is sent again on the next connection, and the checkpoint never moves
 * past an alert the peer may not have: at-least-once. What can arrive twice
 * is what the peer took in the last confirmation interval
 * (NET_CONFIRM_MS) before the break, and a frame cut in the middle by the
 * break arrives whole on the next connection (the collector discards or
 * keeps the cut one as it does for any broken connection).
 *
 * Connecting is asynchronous (uv_getaddrinfo, then the transport); a peer that is down is not an error: the output goes
 * DOWN and retries after a capped exponential backoff with jitter
 * (backoff.h); reopen() retries at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/backoff.h"
#include "util/log.h"
#include "output/outq.h"
#include "output/output.h"
#include "output/syslog_fmt.h"
#include "output/transport.h"
#include "output/transport_tls.h"

#define NET_DEFAULT_QUEUE 10000u
#define NET_CONFIRM_MS 20u          /* SIOCOUTQ poll while frames await the peer */
#define NET_CLOSE_WAIT_MS 5000u     /* shutdown: time the peer gets to take the queue */
#define NET_DGRAM_RETRY_MS 50u      /* a datagram socket that was full */


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
	unsigned failures;          /* consecutive, for the backoff */
	uv_timer_t retry_timer;
	uv_timer_t confirm_timer;
	uv_timer_t close_timer;
	uv_getaddrinfo_t gai;
	bool resolving;
	bool closing;
	int handles_open;
	void (*done)(struct fw_output *out);
};

static void net_connect(struct net_out *n);
static void net_pump(struct net_out *n);
static void on_confirm(uv_timer_t *t);

static uint32_t
net_random(void)
{
	static uint32_t x;

	if (x == 0)
		x = ((uint32_t)getpid() ^ (uint32_t)uv_hrtime()) | 1u;
	x ^= x << 13;   /* xorshift32: jitter only, no need for more */
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void
conn_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

/* Lets the connection go; every queued frame will be written again. */
static void
net_drop_conn(struct net_out *n)
{
	struct conn *c = n->conn;

	if (!c && !n->linked)
		return;
	if (c) {
		n->conn = NULL;
		c->owner = NULL;
		uv_close(&c->h.handle, conn_closed);
	}
	if (n->linked)
		n->stream->ops->close(n->stream);
	n->linked = false;
	n->written = 0;
	n->inflight = 0;
	n->offset = 0;
	n->writing = false;
	n->polling = false;
	uv_timer_stop(&n->confirm_timer);
}

static void
on_retry(uv_timer_t *t)
{
	net_connect(t->data);
}

static void
net_schedule_retry(struct net_out *n, const char *what, int err)
{
	uint64_t delay;

	net_drop_conn(n);
	n->out->state = FW_OUTPUT_DOWN;
	n->failures++;
	if (err)
		n->out->stats.errors++;
	delay = fw_backoff_delay_ms(n->failures, FW_BACKOFF_BASE_MS, FW_BACKOFF_CAP_MS,
				    net_random());
	/* One line when it goes down, not one per attempt; the transport's why when it knows. */
	if (n->failures == 1)
		log_warn("output %s: %s %s: %s; retrying with backoff", n->out->cfg->name, what,
			 n->out->cfg->address, n->stream && n->stream->why[0] ? n->stream->why
				 : err ? uv_strerror(err) : "closed by peer");
	if (n->closing)
		return;
	uv_timer_start(&n->retry_timer, on_retry, delay, 0);
}

static void
net_up(struct net_out *n)
{
	if (n->failures > 0) {
		n->out->stats.reconnects++;
		log_info("output %s: connected to %s again", n->out->cfg->name,
			 n->out->cfg->address);
	}
	n->failures = 0;
	n->out->state = FW_OUTPUT_UP;
	net_pump(n);
}

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
static void
net_confirm(struct net_out *n)
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

static void
on_confirm(uv_timer_t *t)
{
	struct net_out *n = t->data;

	net_confirm(n);
	net_pump(n);
}

static void maybe_finish_close(struct net_out *n);

static void
on_stream_written(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;
	size_t i;

	n->writing = false;
	if (status < 0) {
		n->inflight = 0;
		net_schedule_retry(n, "write to", status);
		maybe_finish_close(n);
		return;
	}
	for (i = 0; i < n->inflight; i++) {
		struct fw_outq_item *f = fw_outq_at(&n->q, n->written);

		n->offset += f->len;
		f->end = n->offset;
		n->written++;
	}
	n->inflight = 0;
	net_confirm(n);
	net_pump(n);
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
	net_pump(c->owner);
}

static void
on_dgram_retry(uv_timer_t *t)
{
	net_pump(t->data);
}

static void
net_pump(struct net_out *n)
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
				net_schedule_retry(n, "send to", r);
				break;
			}
			n->written++;
			net_release(n, 1, true);
		}
		maybe_finish_close(n);
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
		} else if (r < 0) {
			net_schedule_retry(n, "write to", r);
		} else {
			/* The transport reads these frames' bytes until on_written: they stay put. */
			n->writing = true;
			n->inflight = k;
		}
	}
	maybe_finish_close(n);
}

static void
on_stream_broken(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;

	net_schedule_retry(n, "connection to", status);
	maybe_finish_close(n);
}

static void
on_stream_connect(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;

	if (status < 0) {
		net_schedule_retry(n, "connect to", status);
		maybe_finish_close(n);
		return;
	}
	net_up(n);
}

/* Streams: the transport connects (sa: the resolved address, NULL for unix). */
static void
connect_stream(struct net_out *n, const struct sockaddr *sa)
{
	int r = n->stream->ops->connect(n->stream, sa);

	if (r < 0)
		net_schedule_retry(n, "connect to", r);
	else
		n->linked = true;
}

static struct conn *
conn_new(struct net_out *n)
{
	struct conn *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->owner = n;
	c->fd = -1;
	c->h.handle.data = c;
	return c;
}

/* udp: a connected datagram socket. */
static void
connect_udp(struct net_out *n, const struct sockaddr *sa)
{
	struct conn *c = conn_new(n);
	int r;

	if (!c) {
		net_schedule_retry(n, "connect to", UV_ENOMEM);
		return;
	}
	r = uv_udp_init(n->out->loop, &c->h.udp);
	if (r == 0) {
		c->h.handle.data = c;
		n->conn = c;
		r = uv_udp_connect(&c->h.udp, sa);
	} else {
		free(c);
	}
	if (r < 0)
		net_schedule_retry(n, "connect to", r);
	else
		net_up(n);
}

static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct net_out *n = req->data;

	n->resolving = false;
	if (n->closing && (n->q.count == 0 || status == UV_ECANCELED)) {
		uv_freeaddrinfo(res);
		n->out->state = FW_OUTPUT_DOWN;
		maybe_finish_close(n);
		return;
	}
	if (status < 0 || !res) {
		net_schedule_retry(n, "resolve", status < 0 ? status : UV_EAI_NONAME);
		return;
	}
	if (n->transport == T_UDP)
		connect_udp(n, res->ai_addr);
	else
		connect_stream(n, res->ai_addr);
	uv_freeaddrinfo(res);
}

/* unixgram: a connected datagram socket, polled for room when full. */
static void
connect_unixgram(struct net_out *n)
{
	const char *path = n->out->cfg->addr.path;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct conn *c;
	int r;

	if (strlen(path) >= sizeof sun.sun_path) {
		net_schedule_retry(n, "connect to", UV_ENAMETOOLONG);
		return;
	}
	c = conn_new(n);
	if (!c) {
		net_schedule_retry(n, "connect to", UV_ENOMEM);
		return;
	}
	strcpy(sun.sun_path, path);
	c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	r = c->fd < 0 ? -errno : 0;
	if (r == 0 && connect(c->fd, (struct sockaddr *)&sun, sizeof sun) < 0)
		r = -errno;
	if (r == 0)
		r = uv_poll_init_socket(n->out->loop, &c->h.poll, c->fd);
	if (r < 0) {
		if (c->fd >= 0)
			close(c->fd);
		free(c);
		net_schedule_retry(n, "connect to", r);
		return;
	}
	c->h.handle.data = c;
	n->conn = c;
	net_up(n);
}

static void
net_connect(struct net_out *n)
{
	const struct fw_address *a = &n->out->cfg->addr;
	struct addrinfo hints = { .ai_flags = AI_NUMERICSERV };
	char port[8];
	int r;

	if (n->conn || n->linked || n->resolving || n->closing)
		return;
	n->out->state = FW_OUTPUT_CONNECTING;
	if (n->transport == T_UNIXGRAM) {
		connect_unixgram(n);
		return;
	}
	if (n->transport == T_UNIX) {
		connect_stream(n, NULL);
		return;
	}
	hints.ai_socktype = n->transport == T_TCP ? SOCK_STREAM : SOCK_DGRAM;
	snprintf(port, sizeof port, "%u", (unsigned)a->port);
	n->gai.data = n;
	r = uv_getaddrinfo(n->out->loop, &n->gai, on_resolved, a->host, port, &hints);
	if (r < 0)
		net_schedule_retry(n, "resolve", r);
	else
		n->resolving = true;
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
net_open(struct fw_output *out)
{
	struct net_out *n = out->priv;

	uv_timer_init(out->loop, &n->retry_timer);
	uv_timer_init(out->loop, &n->confirm_timer);
	uv_timer_init(out->loop, &n->close_timer);
	n->retry_timer.data = n->confirm_timer.data = n->close_timer.data = n;
	n->handles_open = 3;
	net_connect(n);
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
	net_pump(n);
	return 0;
}

static void
net_reopen(struct fw_output *out)
{
	struct net_out *n = out->priv;

	if (out->state == FW_OUTPUT_DOWN) {
		uv_timer_stop(&n->retry_timer);
		net_connect(n);
	}
}

static void
handle_closed(uv_handle_t *h)
{
	struct net_out *n = h->data;

	if (--n->handles_open == 0 && n->done)
		n->done(n->out);
}

static void
finish_close(struct net_out *n)
{
	net_drop_conn(n);
	n->out->state = FW_OUTPUT_CLOSED;
	uv_close((uv_handle_t *)&n->retry_timer, handle_closed);
	uv_close((uv_handle_t *)&n->confirm_timer, handle_closed);
	uv_close((uv_handle_t *)&n->close_timer, handle_closed);
}

/* Closing ends when the queue is with the peer, the peer is gone, or time is up. */
static void
maybe_finish_close(struct net_out *n)
{
	if (!n->closing || n->resolving || n->out->state == FW_OUTPUT_CLOSED)
		return;
	/* Still connecting: wait for it (bounded by the close timer). */
	if (n->q.count == 0 || n->out->state == FW_OUTPUT_DOWN) {
		n->closing = false;
		finish_close(n);
	}
}

static void
on_close_timeout(uv_timer_t *t)
{
	struct net_out *n = t->data;

	log_warn("output %s: %zu alerts not taken by %s at shutdown; they are sent again "
		 "after a restart", n->out->cfg->name, n->q.count, n->out->cfg->address);
	n->closing = false;
	finish_close(n);
}

static void
net_close(struct fw_output *out, void (*done)(struct fw_output *out))
{
	struct net_out *n = out->priv;

	n->done = done;
	if (n->handles_open == 0) {
		done(out);
		return;
	}
	n->closing = true;
	uv_timer_stop(&n->retry_timer);
	/* Nothing to deliver: no need to wait for the name lookup. */
	if (n->resolving && n->q.count == 0)
		uv_cancel((uv_req_t *)&n->gai);
	uv_timer_start(&n->close_timer, on_close_timeout, NET_CLOSE_WAIT_MS, 0);
	net_confirm(n);
	maybe_finish_close(n);
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
}

static const struct fw_output_ops net_ops = {
	.type = "net",
	.open = net_open,
	.submit = net_submit,
	.reopen = net_reopen,
	.close = net_close,
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
		n->stream->on_connect = on_stream_connect;
		n->stream->on_written = on_stream_written;
		n->stream->on_broken = on_stream_broken;
	}
	n->out = out;
	out->ops = &net_ops;
	out->priv = n;
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
