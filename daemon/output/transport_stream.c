/*
 * transport_stream: tcp:// and unix:// (stream) transports on libuv
 * streams; see transport.h for the contract.
 *
 * Each connection is its own allocation, so one let go by close() can
 * finish closing (and see its pending write fail) after the transport has
 * moved on to the next one or been freed: its callbacks find no owner and
 * only free what is theirs.
 *
 * confirm() reads the socket's send queue (ioctl SIOCOUTQ: on TCP the
 * bytes the peer's TCP has not acknowledged, on a unix socket the bytes the
 * reader has not read yet), also after the connection broke, as long as
 * the peer did not close with bytes unread (peer_trusted()).
 */
#include "config.h"

#include <errno.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "output/transport.h"

struct conn {
	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_tcp_t tcp;
		uv_pipe_t pipe;
	} h;
	struct fw_transport *owner;     /* NULL once let go */
	bool reset;                     /* the peer closed with bytes unread (ECONNRESET) */
};

struct stream_transport {
	struct conn *conn;
	uint64_t offset;                /* bytes written on this connection */
	uint64_t queued;                /* bytes of the writes not called back yet */
};

struct write_req {
	uv_write_t req;
	struct conn *conn;
	size_t len;
};

static void
conn_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
stream_close(struct fw_transport *t)
{
	struct stream_transport *s = t->priv;
	struct conn *c = s->conn;

	if (!c)
		return;
	s->conn = NULL;
	s->offset = 0;
	s->queued = 0;
	c->owner = NULL;
	uv_close(&c->h.handle, conn_closed);
}

static void
on_read_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	static char sink[512];  /* peers have nothing to say; we only watch for EOF */

	*buf = uv_buf_init(sink, sizeof sink);
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = st->data;
	struct fw_transport *t = c->owner;

	if (nread >= 0)
		return;
	if (nread != UV_EOF)
		c->reset = true;
	if (t)
		t->on_broken(t, nread == UV_EOF ? 0 : (int)nread);
}

static void
on_connected(uv_connect_t *req, int status)
{
	struct conn *c = req->data;
	struct fw_transport *t = c->owner;

	free(req);
	if (!t)
		return;
	if (status == 0)
		uv_read_start(&c->h.stream, on_read_alloc, on_read);
	t->on_connect(t, status);
}

static int
stream_connect(struct fw_transport *t, const struct sockaddr *sa)
{
	struct stream_transport *s = t->priv;
	struct conn *c = calloc(1, sizeof *c);
	uv_connect_t *req = calloc(1, sizeof *req);
	int r;

	if (!c || !req || s->conn) {
		free(c);
		free(req);
		return s->conn ? UV_EALREADY : UV_ENOMEM;
	}
	if (t->addr->kind == FW_ADDR_TCP)
		r = sa ? uv_tcp_init(t->loop, &c->h.tcp) : UV_EINVAL;
	else
		r = uv_pipe_init(t->loop, &c->h.pipe, 0);
	if (r < 0) {
		free(req);
		free(c);
		return r;
	}
	c->h.handle.data = c;
	c->owner = t;
	req->data = c;
	s->conn = c;
	s->offset = 0;
	if (t->addr->kind == FW_ADDR_TCP) {
		uv_tcp_nodelay(&c->h.tcp, 1);
		r = uv_tcp_connect(req, &c->h.tcp, sa, on_connected);
		if (r < 0) {
			free(req);
			stream_close(t);
		}
		return r;
	}
	uv_pipe_connect(req, &c->h.pipe, t->addr->path, on_connected);
	return 0;
}

static void
on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct fw_transport *t = w->conn->owner;

	if (t) {
		struct stream_transport *s = t->priv;

		s->queued -= w->len;
		if (status == 0)
			s->offset += w->len;
	}
	/* Which of a failed write's bytes reached the kernel is not known, and
	 * on TCP the failure took the socket's error with it (sock_error() in
	 * the kernel's sendmsg): the queue is no longer trusted. */
	if (status < 0)
		w->conn->reset = true;
	free(w);
	if (t)
		t->on_written(t, status);
}

static int
stream_write(struct fw_transport *t, const uv_buf_t *bufs, unsigned n)
{
	struct stream_transport *s = t->priv;
	struct write_req *w;
	unsigned i;
	int r;

	if (!s->conn)
		return UV_ENOTCONN;
	w = calloc(1, sizeof *w);
	if (!w)
		return UV_ENOMEM;
	w->conn = s->conn;
	for (i = 0; i < n; i++)
		w->len += bufs[i].len;
	r = uv_write(&w->req, &s->conn->h.stream, bufs, n, on_written);
	if (r < 0)
		free(w);
	else
		s->queued += w->len;
	return r;
}

int
fw_transport_peer_end(int fd, int *peeked, short *hup)
{
	struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };
	char b;
	ssize_t r = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

	if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -ECONNRESET;
	if (poll(&pfd, 1, 0) < 0)
		return -errno;
	*peeked = r > 0 ? 1 : (int)r;
	*hup = pfd.revents & (POLLRDHUP | POLLHUP | POLLERR);
	return 0;
}

/*
 * Whether a send queue reading is the truth: the peer did not close with
 * bytes unread. A reader that closes with bytes unread (a unix socket)
 * frees them, or (TCP) answers with a reset that purges our send queue:
 * either empties the queue without the bytes being read, and both give us
 * ECONNRESET (unix_release_sock in net/unix/af_unix.c; RFC 2525 §2.17, as
 * Linux does in tcp_close). A peer that read everything closes with a
 * plain EOF (a FIN), and the queue then holds just what it did not get.
 */
static bool
peer_trusted(struct conn *c, int fd)
{
	int peeked, rc;
	short hup;

	if (c->reset)
		return false;
	rc = fw_transport_peer_end(fd, &peeked, &hup);
	if (rc == -ECONNRESET)
		c->reset = true;
	if (rc < 0)
		return false;
	/* A peer that talks hides EOF behind its bytes: then any hangup is distrusted. */
	return !(peeked > 0 && hup);
}

static int
stream_confirm(struct fw_transport *t, uint64_t *taken)
{
	struct stream_transport *s = t->priv;
	uint64_t sent;
	int outq = 0, fd;

	if (!s->conn || uv_fileno(&s->conn->h.handle, &fd) < 0 || ioctl(fd, SIOCOUTQ, &outq) < 0)
		return -ENOTSUP;
	/* After the reading: a reset that emptied the queue is seen here. */
	if (!peer_trusted(s->conn, fd))
		return -EPIPE;
	/* In the kernel: the writes called back, and of the one pending what
	 * libuv no longer holds (it may have gone out before its callback ran). */
	sent = s->offset + s->queued - uv_stream_get_write_queue_size(&s->conn->h.stream);
	/* A unix socket counts buffer overhead too: then less is confirmed, never more. */
	*taken = (uint64_t)outq >= sent ? 0 : sent - (uint64_t)outq;
	return 0;
}

static void
stream_destroy(struct fw_transport *t)
{
	free(t->priv);
	t->priv = NULL;
}

static const struct fw_transport_ops stream_ops = {
	.name = "stream",
	.connect = stream_connect,
	.write = stream_write,
	.confirm = stream_confirm,
	.close = stream_close,
	.destroy = stream_destroy,
};

int
fw_transport_new(uv_loop_t *loop, const struct fw_address *addr, struct fw_transport **out)
{
	struct fw_transport *t;

	if (addr->kind != FW_ADDR_TCP && addr->kind != FW_ADDR_UNIX)
		return -EINVAL;
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	t->priv = calloc(1, sizeof(struct stream_transport));
	if (!t->priv) {
		free(t);
		return -ENOMEM;
	}
	t->ops = &stream_ops;
	t->loop = loop;
	t->addr = addr;
	*out = t;
	return 0;
}

void
fw_transport_free(struct fw_transport *t)
{
	if (!t)
		return;
	t->ops->close(t);
	t->ops->destroy(t);
	free(t);
}
