/*
 * transport: how a socket output's bytes reach the peer over a stream.
 *
 * A transport knows four verbs and nothing else: connect, write, confirm,
 * close. The output above it (output_net.c, output_net_link.c) owns the
 * queue, the overflow policy, acknowledgements, retries with backoff and
 * the close barrier; a transport never drops, retries or counts an alert. tcp:// and unix://
 * are built in (transport_stream.c), tls:// is transport_tls.c; another
 * transport fills in the same ops and is picked by its address kind in
 * output_net.c.
 *
 * One connection at a time. After connect() the transport calls, on the
 * loop, exactly one of: on_connect(t, 0) then any number of on_written()
 * and at most one on_broken(); or on_connect(t, -errno). close() lets the
 * current connection go at once: no callback for it runs afterwards, its
 * handles finish closing on the loop by themselves, and connect() may be
 * called again straight away.
 */
#ifndef FW_TRANSPORT_H
#define FW_TRANSPORT_H

#include <stdint.h>
#include <sys/socket.h>

#include <uv.h>

#include "core/fwconfig.h"

/*
 * How the peer of a connected stream socket stands, read without taking
 * anything from it (what decides whether a SIOCOUTQ reading is trusted):
 * -ECONNRESET when peeking fails (a reset, or any other error), -errno when
 * poll() fails; else 0, with *peeked the peek's result (0: EOF, 1: bytes we
 * have not read, -1: nothing yet) and *hup the hangup bits poll() saw
 * (POLLRDHUP, POLLHUP, POLLERR). In transport_stream.c.
 */
int fw_transport_peer_end(int fd, int *peeked, short *hup);

/* Most buffers one write() takes. */
#define FW_TRANSPORT_IOV_MAX 64u

struct fw_transport;

struct fw_transport_ops {
	const char *name;
	/*
	 * Starts connecting. sa is the resolved address for network
	 * transports (the output resolves names), NULL for unix sockets.
	 * 0, or -errno when it could not even start (then no on_connect).
	 */
	int (*connect)(struct fw_transport *t, const struct sockaddr *sa);
	/*
	 * Writes n <= FW_TRANSPORT_IOV_MAX buffers in order, one write at a
	 * time: the bytes must stay valid and unchanged until on_written().
	 * 0, or -errno (then no on_written). -ESHUTDOWN: the peer ended its
	 * side (a TLS close_notify) and the connection is ending; nothing was
	 * written, and on_broken() follows: the caller keeps the buffers for
	 * the next connection.
	 */
	int (*write)(struct fw_transport *t, const uv_buf_t *bufs, unsigned n);
	/*
	 * How many bytes written on this connection the peer has surely
	 * taken (for TCP: acknowledged; for a unix socket: read), counting
	 * those of a write not called back yet that are already in the
	 * kernel's hands. Also
	 * called after on_broken() and before close(): a peer that closed
	 * having read everything still has a true answer. -ENOTSUP when it
	 * cannot tell, -EPIPE when the peer hung up in a way that hides it (a
	 * reset empties the send queue; a peer that closed with bytes unread
	 * may have read any of the rest).
	 */
	int (*confirm)(struct fw_transport *t, uint64_t *taken);
	/* Lets the connection go; nothing when not connected. */
	void (*close)(struct fw_transport *t);
	/* Frees the private state (after close()). */
	void (*destroy)(struct fw_transport *t);
};

struct fw_transport {
	const struct fw_transport_ops *ops;
	uv_loop_t *loop;
	const struct fw_address *addr;      /* owned by the config */
	void *data;                         /* the output's */
	void (*on_connect)(struct fw_transport *t, int status);
	void (*on_written)(struct fw_transport *t, int status);
	/* The peer closed (0) or the connection failed (-errno). */
	void (*on_broken)(struct fw_transport *t, int status);
	/*
	 * Set before on_connect(t, -errno) or on_broken() when the transport
	 * knows better than the errno why (a TLS handshake failure: which
	 * certificate check, which alert); empty otherwise.
	 */
	char why[256];
	void *priv;
};

/*
 * A transport for a stream address (tcp://, unix://): 0, -EINVAL for any
 * other kind, -ENOMEM. The caller sets data and the callbacks.
 */
int fw_transport_new(uv_loop_t *loop, const struct fw_address *addr, struct fw_transport **out);
/* close(), destroy(), then the struct. NULL is fine. */
void fw_transport_free(struct fw_transport *t);

#endif
