/*
 * transport_tls: syslog over TLS (RFC 5425) to tls://HOST[:PORT], with
 * OpenSSL 3 driven through memory BIOs on a libuv TCP handle (libuv owns
 * the socket, OpenSSL only turns bytes into records and back); see
 * transport.h for the contract.
 *
 * What is verified (RFC 5425 §5.2, by certificate path validation): the
 * collector's chain up to a CA of tls_ca_file, or of the system's store
 * when it is not set; its name, tls_server_name or else the address's host
 * (a DNS name against subjectAltName, an IP address against an IP entry);
 * its dates. TLS 1.2 is the oldest version offered. A client certificate is
 * sent when tls_cert_file and tls_key_file are set (the context with these
 * settings: transport_tls_ctx.c). Every handshake failure is explained in
 * t->why: which check failed, or which alert the collector sent.
 *
 * Confirmation (docs/delivery.md). The output counts plaintext bytes, the
 * socket's send queue counts TLS records. Each buffer written leaves a mark
 * (where its last record ends on the wire, where it ends in plaintext);
 * confirm() turns the bytes no longer in the send queue (SIOCOUTQ) into the
 * plaintext of the last mark they cover, so it never confirms more than the
 * collector's TCP took. A collector that wants a client certificate checks
 * it after its own Finished in TLS 1.3 and may refuse the connection later
 * with an alert, after its TCP took our first alerts: so when it asked for
 * a certificate, on_connect() waits until it has shown that it accepted
 * ours (a NewSessionTicket or any other handshake message after the
 * handshake: OpenSSL collectors send tickets), or has kept the connection
 * for FW_TLS_ACCEPT_MS without a word (GnuTLS collectors send nothing; a
 * refusal comes at once), and the alerts are written only then.
 *
 * A break is told apart as for plain TCP (transport_stream.c): a collector
 * that read everything ends with its close_notify (RFC 8446 §6.1) and a
 * FIN, and the send queue still tells what it took; one that closed with
 * bytes unread makes its TCP answer with a reset, which empties our send
 * queue, so nothing after it is trusted. The close_notify alone does not
 * say which: the break is reported once the TCP end follows it (the FIN or
 * the reset), or after FW_TLS_CLOSE_MS without one (then not trusted). A
 * FIN without a close_notify is not trusted either. Nothing is written
 * after the close_notify came: the collector reads no more, so bytes sent
 * then would be acknowledged by its TCP and never read (or turn its clean
 * end into a reset); write() refuses them and the output keeps them for
 * the next connection.
 *
 * Each connection is its own allocation, freed when its two handles have
 * closed, so one let go by close() can finish after the transport moved on.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "output/tls_lib.h"
#include "output/transport_tls.h"

/* Where a written buffer ends, in TLS bytes on the wire and in plaintext. */
struct mark {
	uint64_t wire_end;
	uint64_t plain_end;
};

struct tls_conn {
	uv_tcp_t tcp;
	uv_timer_t deadline;        /* connect + handshake, then the wait for acceptance */
	int handles;                /* open handles: freed at 0 */
	struct fw_transport *owner; /* NULL once let go */
	SSL *ssl;
	BIO *rbio, *wbio;           /* network side, owned by ssl */
	bool tcp_up;                /* TCP connected */
	bool handshaken;            /* SSL_do_handshake() succeeded */
	bool cert_asked;            /* the collector sent a CertificateRequest */
	bool accepted;              /* it showed it accepted us (see the file header) */
	bool connected;             /* on_connect(t, 0) was called */
	bool close_notify;          /* the collector's close_notify came */
	bool reset;                 /* its TCP ended with an error (a reset), or not at all */
	bool failed;                /* a failure was reported: nothing more */
	char cert_date[48];         /* " (DATE)": the refused certificate's date at fault */
	uint64_t wire_queued;       /* bytes handed to uv_write */
	uint64_t wire_done;         /* of those, written to the kernel */
	uint64_t plain;             /* plaintext written by the output */
	uint64_t plain_taken;       /* plaintext the collector's TCP surely took */
	struct mark *marks;         /* [mark_head, n_marks): not yet confirmed */
	size_t mark_head, n_marks, cap_marks;
	char rbuf[16 * 1024 + 512]; /* one TLS record and then some */
};

struct tls_transport {
	SSL_CTX *ctx;
	const struct fw_output_config *cfg;
	const char *server_name;    /* tls_server_name, or the address's host */
	bool server_is_ip;
	struct tls_conn *conn;
};

struct tls_write {
	uv_write_t req;
	struct tls_conn *conn;
	size_t len;
	bool app;                   /* the output's write: on_written() when done */
	char data[];
};

/* ---- why a connection failed ---------------------------------------------- */

/* The collector's certificate failed verification: which check, in words. */
static void
explain_verify(struct tls_transport *s, const SSL *ssl, char *why, size_t len)
{
	long v = SSL_get_verify_result(ssl);
	const char *ca = s->cfg->tls_ca_file;
	const char *date = s->conn ? s->conn->cert_date : "";

	switch (v) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		snprintf(why, len, "TLS: the collector's certificate is not for %s (%s)",
			 s->server_name, s->cfg->tls_server_name ? "tls_server_name"
								 : "the address's host; see tls_server_name");
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		snprintf(why, len, "TLS: the collector's certificate has expired%s", date);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		snprintf(why, len, "TLS: the collector's certificate is not valid yet%s "
			 "(or this host's clock is wrong)", date);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		snprintf(why, len, "TLS: the collector's certificate is not signed by a trusted CA "
			 "(%s%s): %s", ca ? "tls_ca_file = " : "the system's CAs; see tls_ca_file",
			 ca ? ca : "", X509_verify_cert_error_string(v));
		break;
	default:
		snprintf(why, len, "TLS: the collector's certificate was refused: %s",
			 X509_verify_cert_error_string(v));
		break;
	}
}

/* A failed handshake or record: t->why says why, in the operator's terms. */
static void
explain(struct tls_transport *s, const SSL *ssl, char *why, size_t len)
{
	unsigned long e = ERR_peek_last_error();
	int reason = e ? ERR_GET_REASON(e) : 0;
	const char *text = e ? ERR_reason_error_string(e) : NULL;
	bool have_cert = s->cfg->tls_cert_file != NULL;

	if (!text)
		text = "the connection failed";
	switch (reason) {
	case SSL_R_CERTIFICATE_VERIFY_FAILED:
		explain_verify(s, ssl, why, len);
		break;
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
		snprintf(why, len, "TLS: no protocol version in common with the collector "
			 "(fixwatch speaks TLS 1.2 and 1.3): %s", text);
		break;
	case SSL_R_WRONG_VERSION_NUMBER:
	case SSL_R_PACKET_LENGTH_TOO_LONG:
		snprintf(why, len, "TLS: the collector does not answer in TLS (a plain syslog "
			 "port?): %s", text);
		break;
	case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
	case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
	case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
	case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
	case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
	case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
		if (s->conn && s->conn->cert_asked)
			snprintf(why, len, "TLS: the collector refused %s: %s",
				 have_cert ? "our client certificate (tls_cert_file)"
					   : "us without a client certificate (set tls_cert_file and "
					     "tls_key_file)", text);
		else
			snprintf(why, len, "TLS: the collector refused the handshake: %s", text);
		break;
	default:
		snprintf(why, len, "TLS: %s", text);
		break;
	}
}

/* ---- a connection ------------------------------------------------------------ */

static void
conn_free(struct tls_conn *c)
{
	SSL_free(c->ssl);
	free(c->marks);
	free(c);
}

static void
handle_closed(uv_handle_t *h)
{
	struct tls_conn *c = h->data;

	if (--c->handles == 0)
		conn_free(c);
}

/* Reports the connection's end once: a failed connect, or a break. */
static void
conn_fail(struct tls_conn *c, int status, const char *why)
{
	struct fw_transport *t = c->owner;

	if (!t || c->failed)
		return;
	c->failed = true;
	uv_timer_stop(&c->deadline);
	snprintf(t->why, sizeof t->why, "%s", why ? why : "");
	if (c->connected)
		t->on_broken(t, status);
	else
		t->on_connect(t, status < 0 ? status : UV_ECONNRESET);
}

/* The last SSL call failed for good: explains it and reports it. */
static void
conn_fail_ssl(struct tls_conn *c)
{
	struct tls_transport *s = c->owner->priv;
	char why[sizeof c->owner->why];

	explain(s, c->ssl, why, sizeof why);
	ERR_clear_error();
	conn_fail(c, UV_EPROTO, why);
}

static void
on_wire_written(uv_write_t *req, int status)
{
	struct tls_write *w = (struct tls_write *)req;
	struct tls_conn *c = w->conn;
	struct fw_transport *t = c->owner;
	bool app = w->app;

	if (status == 0)
		c->wire_done += w->len;
	free(w);
	if (!t || c->failed)
		return;
	if (app)
		t->on_written(t, status);
	else if (status < 0)
		conn_fail(c, status, NULL);
}

/*
 * Sends what OpenSSL wrote into the memory BIO, in order behind earlier
 * writes. app: this is the output's write (on_written() when done, even
 * for no bytes). 0 or a negative errno.
 */
static int
conn_flush(struct tls_conn *c, bool app)
{
	size_t n = (size_t)BIO_pending(c->wbio);
	struct tls_write *w;
	uv_buf_t b;
	int r;

	if (n == 0 && !app)
		return 0;
	w = malloc(sizeof *w + n);
	if (!w)
		return UV_ENOMEM;
	w->conn = c;
	w->len = n;
	w->app = app;
	if (n && BIO_read(c->wbio, w->data, (int)n) != (int)n) {
		free(w);
		return UV_EIO;
	}
	b = uv_buf_init(w->data, (unsigned)n);
	r = uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_wire_written);
	if (r < 0) {
		free(w);
		return r;
	}
	c->wire_queued += n;
	return 0;
}

/* The handshake is done and the collector accepted us: the output may write. */
static void
conn_ready(struct tls_conn *c)
{
	struct fw_transport *t = c->owner;

	if (c->connected || c->failed || c->close_notify || !c->handshaken || !c->accepted)
		return;
	uv_timer_stop(&c->deadline);
	c->connected = true;
	t->why[0] = '\0';
	t->on_connect(t, 0);
}

static void on_deadline(uv_timer_t *tm);

/*
 * Everything the collector sent after the handshake: session tickets, key
 * updates, alerts, its close_notify. A syslog collector sends no data; any
 * it sends is read and dropped.
 */
static void
conn_drain(struct tls_conn *c)
{
	char sink[4096];

	for (;;) {
		int n, err;

		ERR_clear_error();
		n = SSL_read(c->ssl, sink, sizeof sink);
		if (n > 0)
			continue;
		err = SSL_get_error(c->ssl, n);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
			return;
		if (err != SSL_ERROR_ZERO_RETURN) {
			conn_fail_ssl(c);
		} else if (!c->close_notify) {
			/* The TCP end that follows says whether it read everything. */
			c->close_notify = true;
			uv_timer_start(&c->deadline, on_deadline, FW_TLS_CLOSE_MS, 0);
		}
		return;
	}
}

static void
conn_handshake(struct tls_conn *c)
{
	int r, err;

	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		c->handshaken = true;
		/* TLS 1.2 checks a client certificate inside the handshake. */
		if (!c->cert_asked || SSL_version(c->ssl) < TLS1_3_VERSION)
			c->accepted = true;
		return;
	}
	err = SSL_get_error(c->ssl, r);
	if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
		/* Our alert first, so the collector's log says why too. */
		(void)conn_flush(c, false);
		conn_fail_ssl(c);
	}
}

/* Handshake messages from the collector; see the file header for why. */
static void
on_tls_message(int write_p, int version, int content_type, const void *buf, size_t len,
	       SSL *ssl, void *arg)
{
	struct tls_conn *c = arg;
	const unsigned char *p = buf;

	if (write_p || content_type != SSL3_RT_HANDSHAKE || len == 0)
		return;
	if (p[0] == SSL3_MT_CERTIFICATE_REQUEST)
		c->cert_asked = true;
	else if (c->handshaken)
		c->accepted = true;     /* NewSessionTicket, KeyUpdate: it took our Finished */
}

/*
 * Certificate verification, as OpenSSL does it; only notes the date of a
 * certificate refused for its dates, which the failure message names.
 */
static int
on_verify(int ok, X509_STORE_CTX *store)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct tls_conn *c = ssl ? SSL_get_app_data(ssl) : NULL;
	int err = X509_STORE_CTX_get_error(store);
	X509 *cert = X509_STORE_CTX_get_current_cert(store);
	const ASN1_TIME *at = NULL;
	struct tm tm;

	if (ok || !c || !cert)
		return ok;
	if (err == X509_V_ERR_CERT_HAS_EXPIRED)
		at = X509_get0_notAfter(cert);
	else if (err == X509_V_ERR_CERT_NOT_YET_VALID)
		at = X509_get0_notBefore(cert);
	if (at && ASN1_TIME_to_tm(at, &tm) == 1)
		strftime(c->cert_date, sizeof c->cert_date, " (%Y-%m-%d %H:%M:%S UTC)", &tm);
	return ok;
}

static void
on_read_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	struct tls_conn *c = h->data;

	*buf = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct tls_conn *c = st->data;
	int r;

	if (!c->owner || c->failed || nread == 0)
		return;
	if (nread < 0) {
		if (nread != UV_EOF)
			c->reset = true;
		if (c->connected && nread == UV_EOF)
			conn_fail(c, 0, c->close_notify
				  ? "TLS: the collector closed the connection (close_notify)"
				  : "TLS: the collector closed the connection without a close_notify");
		else if (c->connected)
			conn_fail(c, (int)nread, NULL);
		else if (c->handshaken)
			conn_fail(c, UV_ECONNRESET, c->cert_asked
				  ? "TLS: the collector closed the connection after the handshake: "
				    "it asked for a client certificate and refused ours (see its log)"
				  : "TLS: the collector closed the connection after the handshake");
		else
			conn_fail(c, nread == UV_EOF ? UV_ECONNRESET : (int)nread,
				  "TLS: the collector closed the connection during the handshake "
				  "(does it speak TLS on this port? see its log)");
		return;
	}
	if (BIO_write(c->rbio, buf->base, (int)nread) != (int)nread) {
		conn_fail(c, UV_ENOMEM, NULL);
		return;
	}
	if (!c->handshaken) {
		conn_handshake(c);
		/* Now the wait for a sign of acceptance (file header), not the handshake's. */
		if (c->handshaken && !c->accepted && !c->failed)
			uv_timer_start(&c->deadline, on_deadline, FW_TLS_ACCEPT_MS, 0);
	}
	if (c->handshaken && !c->failed)
		conn_drain(c);
	if (c->failed)
		return;
	r = conn_flush(c, false);
	if (r < 0) {
		conn_fail(c, r, NULL);
		return;
	}
	conn_ready(c);
}

static void
on_deadline(uv_timer_t *tm)
{
	struct tls_conn *c = tm->data;
	char why[160];

	/* A close_notify and no TCP end within FW_TLS_CLOSE_MS: not trusted. */
	if (c->close_notify) {
		c->reset = true;
		conn_fail(c, 0, "TLS: the collector sent its close_notify but kept the connection");
		return;
	}
	/* Handshake done, no refusal within FW_TLS_ACCEPT_MS: it kept us. */
	if (c->handshaken) {
		c->accepted = true;
		conn_ready(c);
		return;
	}
	snprintf(why, sizeof why, "TLS: %s within %u s",
		 !c->tcp_up ? "no TCP connection" : "no TLS handshake", FW_TLS_HANDSHAKE_MS / 1000);
	conn_fail(c, UV_ETIMEDOUT, why);
}

static void
on_tcp_connected(uv_connect_t *req, int status)
{
	struct tls_conn *c = req->data;
	int r;

	free(req);
	if (!c->owner || c->failed)
		return;
	if (status < 0) {
		conn_fail(c, status, NULL);
		return;
	}
	c->tcp_up = true;
	r = uv_read_start((uv_stream_t *)&c->tcp, on_read_alloc, on_read);
	if (r == 0) {
		conn_handshake(c);          /* writes the ClientHello */
		if (c->failed)
			return;
		r = conn_flush(c, false);
	}
	if (r < 0)
		conn_fail(c, r, NULL);
}

static int
conn_ssl_new(struct tls_transport *s, struct tls_conn *c)
{
	c->ssl = SSL_new(s->ctx);
	c->rbio = BIO_new(BIO_s_mem());
	c->wbio = BIO_new(BIO_s_mem());
	if (!c->ssl || !c->rbio || !c->wbio) {
		BIO_free(c->rbio);
		BIO_free(c->wbio);
		return UV_ENOMEM;
	}
	/* An empty read BIO means "wait for more", not end of stream. */
	BIO_set_mem_eof_return(c->rbio, -1);
	SSL_set_bio(c->ssl, c->rbio, c->wbio);
	SSL_set_connect_state(c->ssl);
	SSL_set_msg_callback(c->ssl, on_tls_message);
	SSL_set_msg_callback_arg(c->ssl, c);
	SSL_set_app_data(c->ssl, c);
	SSL_set_verify(c->ssl, SSL_VERIFY_PEER, on_verify);
	if (s->server_is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), s->server_name) != 1)
			return UV_EINVAL;
	} else if (SSL_set1_host(c->ssl, s->server_name) != 1 ||
		   SSL_set_tlsext_host_name(c->ssl, s->server_name) != 1) {
		return UV_ENOMEM;
	}
	return 0;
}

/* ---- the transport ops ---------------------------------------------------------- */

static void
tls_close(struct fw_transport *t)
{
	struct tls_transport *s = t->priv;
	struct tls_conn *c = s->conn;

	if (!c)
		return;
	s->conn = NULL;
	c->owner = NULL;
	/* A close_notify, best effort: the connection goes at once either way. */
	if (c->handshaken && !c->failed) {
		char buf[256];
		int n;

		ERR_clear_error();
		(void)SSL_shutdown(c->ssl);
		n = BIO_read(c->wbio, buf, sizeof buf);
		if (n > 0) {
			uv_buf_t b = uv_buf_init(buf, (unsigned)n);

			(void)uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
		}
		ERR_clear_error();
	}
	uv_close((uv_handle_t *)&c->tcp, handle_closed);
	uv_close((uv_handle_t *)&c->deadline, handle_closed);
}

static int
tls_connect(struct fw_transport *t, const struct sockaddr *sa)
{
	struct tls_transport *s = t->priv;
	struct tls_conn *c;
	uv_connect_t *req;
	int r;

	if (s->conn)
		return UV_EALREADY;
	if (!sa)
		return UV_EINVAL;
	c = calloc(1, sizeof *c);
	req = calloc(1, sizeof *req);
	if (!c || !req) {
		free(c);
		free(req);
		return UV_ENOMEM;
	}
	r = uv_tcp_init(t->loop, &c->tcp);
	if (r < 0) {
		free(c);
		free(req);
		return r;
	}
	uv_timer_init(t->loop, &c->deadline);
	c->tcp.data = c->deadline.data = c;
	c->handles = 2;
	c->owner = t;
	s->conn = c;
	t->why[0] = '\0';
	r = conn_ssl_new(s, c);
	if (r == 0) {
		uv_tcp_nodelay(&c->tcp, 1);
		req->data = c;
		r = uv_tcp_connect(req, &c->tcp, sa, on_tcp_connected);
	}
	if (r < 0) {
		free(req);
		tls_close(t);
		return r;
	}
	uv_timer_start(&c->deadline, on_deadline, FW_TLS_HANDSHAKE_MS, 0);
	return 0;
}

/* Room for n more marks; the confirmed ones are let go first. */
static int
reserve_marks(struct tls_conn *c, size_t n)
{
	size_t live = c->n_marks - c->mark_head, cap = c->cap_marks ? c->cap_marks : 64;
	struct mark *m;

	if (c->n_marks + n <= c->cap_marks)
		return 0;
	if (c->mark_head > 0) {
		memmove(c->marks, c->marks + c->mark_head, live * sizeof *c->marks);
		c->mark_head = 0;
		c->n_marks = live;
		if (live + n <= c->cap_marks)
			return 0;
	}
	while (cap < live + n)
		cap *= 2;
	m = realloc(c->marks, cap * sizeof *m);
	if (!m)
		return UV_ENOMEM;
	c->marks = m;
	c->cap_marks = cap;
	return 0;
}

bool
fw__tls_close_notify_seen(const struct fw_transport *t)
{
	const struct tls_transport *s = t->priv;

	return s->conn && s->conn->close_notify;
}

static int
tls_write(struct fw_transport *t, const uv_buf_t *bufs, unsigned n)
{
	struct tls_transport *s = t->priv;
	struct tls_conn *c = s->conn;
	unsigned i;

	if (!c || !c->connected || c->failed)
		return UV_ENOTCONN;
	if (c->close_notify)
		return UV_ESHUTDOWN;    /* on_broken() follows at the TCP end (file header) */
	/* Room for every mark first: a write is all or nothing. */
	if (reserve_marks(c, n) < 0)
		return UV_ENOMEM;
	for (i = 0; i < n; i++) {
		int w;

		ERR_clear_error();
		/* A memory BIO never blocks: SSL_write takes the whole buffer or fails. */
		w = SSL_write(c->ssl, bufs[i].base, (int)bufs[i].len);
		if (w != (int)bufs[i].len) {
			char why[sizeof t->why];

			explain(s, c->ssl, why, sizeof why);
			ERR_clear_error();
			snprintf(t->why, sizeof t->why, "%s", why);
			return UV_EPROTO;
		}
		c->plain += bufs[i].len;
		c->marks[c->n_marks++] = (struct mark){
			.wire_end = c->wire_queued + (uint64_t)BIO_pending(c->wbio),
			.plain_end = c->plain,
		};
	}
	return conn_flush(c, true);
}

/*
 * Whether a send queue reading is the truth (the file header): no reset,
 * and a hangup only after the collector's close_notify and a plain EOF.
 */
static bool
conn_trusted(struct tls_conn *c, int fd)
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
	if (!hup)
		return true;
	/* Hung up: bytes after its close_notify hide how; only a clean end is trusted. */
	return c->close_notify && peeked == 0 && !(hup & POLLERR);
}

static int
tls_confirm(struct fw_transport *t, uint64_t *taken)
{
	struct tls_transport *s = t->priv;
	struct tls_conn *c = s->conn;
	uint64_t wire;
	int outq = 0, fd;

	if (!c || !c->connected ||
	    uv_fileno((uv_handle_t *)&c->tcp, &fd) < 0 || ioctl(fd, SIOCOUTQ, &outq) < 0)
		return -ENOTSUP;
	/* After the reading: a reset that emptied the queue is seen here. */
	if (!conn_trusted(c, fd))
		return -EPIPE;
	wire = (uint64_t)outq >= c->wire_done ? 0 : c->wire_done - (uint64_t)outq;
	while (c->mark_head < c->n_marks && c->marks[c->mark_head].wire_end <= wire)
		c->plain_taken = c->marks[c->mark_head++].plain_end;
	if (c->mark_head == c->n_marks)
		c->mark_head = c->n_marks = 0;
	*taken = c->plain_taken;
	return 0;
}

static void
tls_destroy(struct fw_transport *t)
{
	struct tls_transport *s = t->priv;

	if (!s)
		return;
	SSL_CTX_free(s->ctx);
	free(s);
	t->priv = NULL;
}

static const struct fw_transport_ops tls_ops = {
	.name = "tls",
	.connect = tls_connect,
	.write = tls_write,
	.confirm = tls_confirm,
	.close = tls_close,
	.destroy = tls_destroy,
};

int
fw_transport_tls_new(uv_loop_t *loop, const struct fw_output_config *cfg, struct fw_diag *diag,
		     struct fw_transport **out)
{
	struct fw_transport *t;
	struct tls_transport *s;
	unsigned char ip[16];
	int r;

	if (cfg->addr.kind != FW_ADDR_TLS)
		return -EINVAL;
	t = calloc(1, sizeof *t);
	s = calloc(1, sizeof *s);
	if (!t || !s) {
		free(t);
		free(s);
		return -ENOMEM;
	}
	r = fw__tls_ctx_new(cfg, NULL, diag, &s->ctx);
	if (r < 0) {
		free(s);
		free(t);
		return r;
	}
	s->cfg = cfg;
	s->server_name = cfg->tls_server_name ? cfg->tls_server_name : cfg->addr.host;
	s->server_is_ip = inet_pton(AF_INET, s->server_name, ip) == 1 ||
			  inet_pton(AF_INET6, s->server_name, ip) == 1;
	t->ops = &tls_ops;
	t->loop = loop;
	t->addr = &cfg->addr;
	t->priv = s;
	*out = t;
	return 0;
}
