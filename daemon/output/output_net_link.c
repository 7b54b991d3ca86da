/*
 * output_net_link: the socket output's connection (output_net.c is the
 * rest): resolving, connecting a stream through its transport or a
 * datagram socket directly, retrying, and the close barrier.
 *
 * Connecting is asynchronous (uv_getaddrinfo, then the transport); a peer
 * that is down is not an error: the output goes DOWN and retries after a
 * capped exponential backoff with jitter (backoff.h); reopen() retries at
 * once. Closing waits until the queue is with the peer, the peer is gone,
 * or NET_CLOSE_WAIT_MS passed.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/backoff.h"
#include "util/log.h"
#include "output/output_net_int.h"

#define NET_CLOSE_WAIT_MS 5000u     /* shutdown: time the peer gets to take the queue */

static void net_connect(struct net_out *n);

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
on_retry(struct fw_retry *r)
{
	net_connect(r->data);
}

void
fw__net_schedule_retry(struct net_out *n, const char *what, int err)
{
	/* Written, or in the failed write, and not confirmed: the peer may have them. */
	size_t again = n->written + n->inflight;

	n->out->stats.resent += again;
	if (again > 0)
		log_info("output %s: %zu alerts written to %s but not confirmed as taken are "
			 "sent again", n->out->cfg->name, again, n->out->cfg->address);
	net_drop_conn(n);
	n->out->state = FW_OUTPUT_DOWN;
	if (err)
		n->out->stats.errors++;
	/* One line when it goes down, not one per attempt; the transport's why when it knows. */
	if (n->retry.failures == 0)
		log_warn("output %s: %s %s: %s; retrying with backoff", n->out->cfg->name, what,
			 n->out->cfg->address, n->stream && n->stream->why[0] ? n->stream->why
				 : err ? uv_strerror(err) : "closed by peer");
	if (n->closing)
		return;
	(void)fw_retry_failed(&n->retry);
}

static void
net_up(struct net_out *n)
{
	if (n->retry.failures > 0) {
		n->out->stats.reconnects++;
		log_info("output %s: connected to %s again", n->out->cfg->name,
			 n->out->cfg->address);
	}
	fw_retry_ok(&n->retry);
	n->out->state = FW_OUTPUT_UP;
	fw__net_pump(n);
}

void
fw__net_on_stream_broken(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;

	/* What the peer took before the break is not sent again. */
	fw__net_confirm_broken(n);
	fw__net_schedule_retry(n, "connection to", status);
	fw__net_maybe_finish_close(n);
}

void
fw__net_on_stream_connect(struct fw_transport *t, int status)
{
	struct net_out *n = t->data;

	if (status < 0) {
		fw__net_schedule_retry(n, "connect to", status);
		fw__net_maybe_finish_close(n);
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
		fw__net_schedule_retry(n, "connect to", r);
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
		fw__net_schedule_retry(n, "connect to", UV_ENOMEM);
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
		fw__net_schedule_retry(n, "connect to", r);
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
		fw__net_maybe_finish_close(n);
		return;
	}
	if (status < 0 || !res) {
		fw__net_schedule_retry(n, "resolve", status < 0 ? status : UV_EAI_NONAME);
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
		fw__net_schedule_retry(n, "connect to", UV_ENAMETOOLONG);
		return;
	}
	c = conn_new(n);
	if (!c) {
		fw__net_schedule_retry(n, "connect to", UV_ENOMEM);
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
		fw__net_schedule_retry(n, "connect to", r);
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
		fw__net_schedule_retry(n, "resolve", r);
	else
		n->resolving = true;
}

int
fw__net_open(struct fw_output *out)
{
	struct net_out *n = out->priv;

	fw_retry_init(out->loop, &n->retry, FW_BACKOFF_CAP_MS, on_retry, n);
	uv_timer_init(out->loop, &n->confirm_timer);
	uv_timer_init(out->loop, &n->close_timer);
	n->confirm_timer.data = n->close_timer.data = n;
	for (int i = 0; i < 3; i++)
		fw_close_barrier_add(&n->handles);
	net_connect(n);
	return 0;
}

void
fw__net_reopen(struct fw_output *out)
{
	struct net_out *n = out->priv;

	if (out->state == FW_OUTPUT_DOWN) {
		fw_retry_cancel(&n->retry);
		net_connect(n);
	}
}

static void
net_closed(void *arg)
{
	struct net_out *n = arg;

	n->done(n->out);
}

static void
finish_close(struct net_out *n)
{
	net_drop_conn(n);
	n->out->state = FW_OUTPUT_CLOSED;
	fw_close_barrier_close(&n->handles, (uv_handle_t *)&n->retry.timer);
	fw_close_barrier_close(&n->handles, (uv_handle_t *)&n->confirm_timer);
	fw_close_barrier_close(&n->handles, (uv_handle_t *)&n->close_timer);
	fw_close_barrier_wait(&n->handles, net_closed, n);
}

/* Closing ends when the queue is with the peer, the peer is gone, or time is up. */
void
fw__net_maybe_finish_close(struct net_out *n)
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

void
fw__net_close(struct fw_output *out, void (*done)(struct fw_output *out))
{
	struct net_out *n = out->priv;

	n->done = done;
	if (fw_close_barrier_idle(&n->handles)) {
		done(out);
		return;
	}
	n->closing = true;
	fw_retry_cancel(&n->retry);
	/* Nothing to deliver: no need to wait for the name lookup. */
	if (n->resolving && n->q.count == 0)
		uv_cancel((uv_req_t *)&n->gai);
	uv_timer_start(&n->close_timer, on_close_timeout, NET_CLOSE_WAIT_MS, 0);
	fw__net_confirm(n);
	fw__net_maybe_finish_close(n);
}
