/*
 * test_output_tls: a syslog output over tls:// against a TLS collector the
 * test runs itself (OpenSSL, in a thread of its own, with a certificate
 * made here for 127.0.0.1), which reads everything sent and then ends the
 * connection. What the transport's confirm() says at the break, and what
 * the output does with it over bursts of alerts, each burst's connection
 * ended
 *   - cleanly (close_notify, then a FIN): the output trusts its send queue
 *     at the break, so nothing is sent again and nothing arrives twice,
 *     as over plain TCP;
 *   - with a reset (SO_LINGER 0): nothing is lost, and no more alerts
 *     arrive twice than the output counted as sent again;
 *   - with a close_notify, the TCP end held until the output had alerts
 *     to write: none of them is written after the close_notify (its TCP
 *     would take them and the collector never read them); they come on
 *     the next connection, and none is lost.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <uv.h>

#include "output/output.h"
#include "output/output_net_int.h"
#include "output/transport_tls.h"
#include "output_harness.h"
#include "peer.h"

#define ROUNDS 6
#define BURST 40                    /* alerts per round */
#define RECV_MAX (1u << 20)

struct tls_peer {
	SSL_CTX *ctx;
	int lfd;
	bool rst;                   /* end each connection with a reset, not close_notify + FIN */
	size_t once;                /* peer_once: end the one connection after this many bytes */
	unsigned hold;              /* peer_hold: close_notify after this alert, the FIN on go */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;        /* go was set */
	/* under lock: */
	bool notified;              /* peer_hold: its close_notify is sent */
	bool go;                    /* peer_hold: the test wrote what it wanted to */
	size_t after;               /* peer_hold: bytes that came after its close_notify */
	char *data;                 /* every byte of plaintext received */
	size_t len;
	unsigned closes;            /* connections ended on purpose */
	bool failed;
	char why[128];
};

/* ---- the certificate ----------------------------------------------------------- */

/* A self-signed certificate for 127.0.0.1 and its key, as PEM files in dir. */
static void
make_cert(const char *dir, char *cert, char *key, size_t len)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_EXTENSION *ext;
	X509V3_CTX v3;
	FILE *f;

	assert_non_null(k);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"fixwatch test collector", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, k);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
	assert_non_null(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, k, EVP_sha256()) > 0);
	snprintf(cert, len, "%s/collector.crt", dir);
	snprintf(key, len, "%s/collector.key", dir);
	assert_non_null(f = fopen(cert, "w"));
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	assert_non_null(f = fopen(key, "w"));
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

/* ---- the collector --------------------------------------------------------------- */

static void
peer_fail(struct tls_peer *p, const char *what)
{
	pthread_mutex_lock(&p->lock);
	p->failed = true;
	snprintf(p->why, sizeof p->why, "%s", what);
	pthread_mutex_unlock(&p->lock);
}

/* The collector ends the connection having read everything. */
static void
end_on_purpose(struct tls_peer *p, SSL *ssl, int fd)
{
	if (p->rst) {
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	} else {
		(void)SSL_shutdown(ssl);    /* its close_notify; close() then sends the FIN */
	}
	pthread_mutex_lock(&p->lock);
	p->closes++;
	pthread_mutex_unlock(&p->lock);
}

/* Whether the plaintext received holds alert seq. */
static bool
has_seq(struct tls_peer *p, unsigned seq)
{
	char want[32];
	bool r;

	snprintf(want, sizeof want, "\"seq\":%u,", seq);
	pthread_mutex_lock(&p->lock);
	r = p->data && strstr(p->data, want) != NULL;
	pthread_mutex_unlock(&p->lock);
	return r;
}

/*
 * Reads one connection. In a round but the last, once the round's last
 * alert is read, it ends the connection (p->rst: a reset; else its
 * close_notify, then a FIN); in the last it reads until the output closes.
 */
/* Appends n bytes the peer read to what it received (up to RECV_MAX). */
static void
peer_keep(struct tls_peer *p, const char *buf, size_t n)
{
	pthread_mutex_lock(&p->lock);
	if (p->len + n < RECV_MAX) {
		memcpy(p->data + p->len, buf, n);
		p->len += n;
		p->data[p->len] = '\0';
	}
	pthread_mutex_unlock(&p->lock);
}

static void
peer_serve(struct tls_peer *p, int fd, unsigned round)
{
	bool last = round == ROUNDS - 1;
	SSL *ssl = SSL_new(p->ctx);
	char buf[16384];

	/* A failed handshake (the output let the attempt go): the next connection. */
	if (ssl && SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
		for (;;) {
			int n = SSL_read(ssl, buf, sizeof buf);

			if (n <= 0)
				break;      /* the output went away */
			peer_keep(p, buf, (size_t)n);
			if (!last && has_seq(p, (round + 1) * BURST)) {
				end_on_purpose(p, ssl, fd);
				break;
			}
		}
	}
	SSL_free(ssl);
	close(fd);
}

static void *
peer_main(void *arg)
{
	struct tls_peer *p = arg;
	unsigned round = 0;

	while (round < ROUNDS) {
		int fd = accept(p->lfd, NULL, NULL);

		if (fd < 0) {
			peer_fail(p, "accept failed");
			return NULL;
		}
		peer_serve(p, fd, round);
		if (has_seq(p, (round + 1) * BURST))
			round++;
	}
	return NULL;
}

/* One connection, ended on purpose once p->once bytes were read. */
static void *
peer_once(void *arg)
{
	struct tls_peer *p = arg;
	int fd = accept(p->lfd, NULL, NULL);
	SSL *ssl = SSL_new(p->ctx);
	char buf[4096];
	int n;

	if (fd < 0 || !ssl || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1) {
		peer_fail(p, "no TLS connection");
	} else {
		while (p->len < p->once && (n = SSL_read(ssl, buf, sizeof buf)) > 0)
			p->len += (size_t)n;    /* only this thread counts, until the join */
		if (p->len >= p->once)
			end_on_purpose(p, ssl, fd);
		else
			peer_fail(p, "the connection ended early");
	}
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Reads plaintext on ssl until it holds alert seq (true) or the connection ends. */
static bool
read_until_seq(struct tls_peer *p, SSL *ssl, unsigned seq)
{
	char buf[16384];

	while (seq == 0 || !has_seq(p, seq)) {
		int n = SSL_read(ssl, buf, sizeof buf);

		if (n <= 0)
			return false;
		peer_keep(p, buf, (size_t)n);
	}
	return true;
}

/*
 * Two connections. The first: its close_notify once alert p->hold is read,
 * then the TCP connection kept until the test says go; every byte that
 * came meanwhile is counted (p->after) and read, so that its close() is a
 * FIN. The second: read until the output closes.
 */
static void *
peer_hold(void *arg)
{
	struct tls_peer *p = arg;
	struct timespec until;
	char buf[4096];
	ssize_t n;
	int fd = accept(p->lfd, NULL, NULL);
	SSL *ssl = SSL_new(p->ctx);

	if (fd < 0 || !ssl || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1 ||
	    !read_until_seq(p, ssl, p->hold)) {
		peer_fail(p, "no first connection");
		goto out;
	}
	(void)SSL_shutdown(ssl);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&p->lock);
	p->notified = true;
	while (!p->go && pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
		;
	pthread_mutex_unlock(&p->lock);
	while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
		pthread_mutex_lock(&p->lock);
		p->after += (size_t)n;
		pthread_mutex_unlock(&p->lock);
	}
	SSL_free(ssl);
	close(fd);
	fd = accept(p->lfd, NULL, NULL);
	ssl = SSL_new(p->ctx);
	if (fd < 0 || !ssl || SSL_set_fd(ssl, fd) != 1 || SSL_accept(ssl) != 1)
		peer_fail(p, "no second connection");
	else
		(void)read_until_seq(p, ssl, 0);
out:
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void
peer_start(struct tls_peer *p, const char *cert, const char *key, bool rst, int *port)
{
	unsigned bound;

	size_t once = p->once;
	unsigned hold = p->hold;

	memset(p, 0, sizeof *p);
	p->once = once;
	p->hold = hold;
	p->rst = rst;
	p->data = calloc(1, RECV_MAX + 1);
	assert_non_null(p->data);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(p->ctx);
	assert_int_equal(SSL_CTX_use_certificate_file(p->ctx, cert, SSL_FILETYPE_PEM), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey_file(p->ctx, key, SSL_FILETYPE_PEM), 1);
	p->lfd = fw_test_listen("tcp:0", &bound);
	assert_true(p->lfd >= 0);
	*port = (int)bound;
	assert_int_equal(pthread_create(&p->thread, NULL, p->once ? peer_once
							   : p->hold ? peer_hold : peer_main, p), 0);
}

static void
peer_end(struct tls_peer *p)
{
	pthread_join(p->thread, NULL);
	close(p->lfd);
	SSL_CTX_free(p->ctx);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}

/* ---- the transport at a break ------------------------------------------------------ */

struct at_break {
	struct fw_transport *t;
	int connected;              /* on_connect's status, 1 before it came */
	bool written, broken;
	int confirm;                /* what confirm() said in on_broken */
	uint64_t taken;
};

/*
 * A harness whose syslog output goes over TLS to peer p, started on a
 * certificate made for the test (cert and key: its file names, len bytes
 * each) that the output trusts. Returns the peer's port.
 */
static int
tls_setup(struct harness *h, struct tls_peer *p, char *cert, char *key, size_t len, bool rst)
{
	int port;

	harness_init(h);
	make_cert(h->dir, cert, key, len);
	peer_start(p, cert, key, rst, &port);
	harness_config(h, FW_OUTPUT_SYSLOG, "tls://127.0.0.1:%d", port);
	h->cfg.tls_ca_file = cert;
	return port;
}

static void
on_connect(struct fw_transport *t, int status)
{
	((struct at_break *)t->data)->connected = status;
}

static void
on_written(struct fw_transport *t, int status)
{
	assert_int_equal(status, 0);
	((struct at_break *)t->data)->written = true;
}

/* The output reads its send queue right there (output_net.c, fw__net_confirm_broken). */
static void
on_broken(struct fw_transport *t, int status)
{
	struct at_break *b = t->data;

	b->broken = true;
	b->confirm = t->ops->confirm(t, &b->taken);
}

static bool
break_seen(void *arg)
{
	return ((struct at_break *)arg)->broken;
}

static bool
connect_done(void *arg)
{
	return ((struct at_break *)arg)->connected != 1;
}

/*
 * What confirm() says when the break is reported: after a close_notify and
 * a FIN, everything written (the FIN acknowledges it all); after a reset,
 * nothing can be told (-EPIPE).
 */
static void
confirm_at_break(bool rst)
{
	struct harness h;
	struct tls_peer p = { .once = 3000 };
	struct at_break b = { .connected = 1 };
	struct fw_diag diag;
	struct sockaddr_in sa;
	char cert[128], key[128], payload[3000];
	uv_buf_t buf = uv_buf_init(payload, sizeof payload);
	int port;

	memset(payload, 'x', sizeof payload);
	port = tls_setup(&h, &p, cert, key, sizeof cert, rst);
	fw_diag_init(&diag);
	assert_int_equal(fw_transport_tls_new(&h.loop, &h.cfg, &diag, &b.t), 0);
	fw_diag_clear(&diag);
	b.t->data = &b;
	b.t->on_connect = on_connect;
	b.t->on_written = on_written;
	b.t->on_broken = on_broken;
	uv_ip4_addr("127.0.0.1", port, &sa);
	assert_int_equal(b.t->ops->connect(b.t, (struct sockaddr *)&sa), 0);
	assert_true(run_until(&h, connect_done, &b, DEADLINE_MS));
	assert_int_equal(b.connected, 0);
	assert_int_equal(b.t->ops->write(b.t, &buf, 1), 0);
	assert_true(run_until(&h, break_seen, &b, DEADLINE_MS));
	assert_true(b.written);
	if (rst) {
		assert_int_equal(b.confirm, -EPIPE);
	} else {
		assert_int_equal(b.confirm, 0);
		assert_int_equal(b.taken, sizeof payload);
	}
	fw_transport_free(b.t);
	peer_end(&p);
	assert_false(p.failed);
	free(p.data);
	h.cfg.tls_ca_file = NULL;
	harness_free(&h, NULL);
}

static void
test_tls_confirm_clean_close(void **state)
{
	confirm_at_break(false);
}

static void
test_tls_confirm_reset(void **state)
{
	confirm_at_break(true);
}

/* ---- the output -------------------------------------------------------------------- */

struct round_wait {
	struct harness *h;
	struct tls_peer *p;
	unsigned round;
};

/* The collector ended round r's connection and the output is connected again. */
static bool
reconnected(void *arg)
{
	struct round_wait *w = arg;
	bool closed;

	pthread_mutex_lock(&w->p->lock);
	closed = w->p->closes > w->round || w->p->failed;
	pthread_mutex_unlock(&w->p->lock);
	return closed && w->h->out->stats.reconnects > w->round &&
	       w->h->out->state == FW_OUTPUT_UP;
}

static bool
all_in(void *arg)
{
	struct round_wait *w = arg;

	return has_seq(w->p, ROUNDS * BURST) && all_acked(w->h);
}

/* ROUNDS bursts, the collector ending the connection after each but the last. */
static void
run_rounds(bool rst, unsigned *resent, unsigned *dups)
{
	struct harness h;
	struct tls_peer p = { .once = 0 };
	struct round_wait w = { &h, &p, 0 };
	char cert[128], key[128];
	int i;

	tls_setup(&h, &p, cert, key, sizeof cert, rst);
	harness_new_output(&h);
	for (w.round = 0; w.round < ROUNDS; w.round++) {
		for (i = 0; i < BURST; i++)
			assert_int_equal(submit(&h, NAN), 0);
		if (w.round < ROUNDS - 1)
			assert_true(run_until(&h, reconnected, &w, DEADLINE_MS));
	}
	assert_true(run_until(&h, all_in, &w, DEADLINE_MS));
	*resent = (unsigned)h.out->stats.resent;
	assert_int_equal(h.out->stats.sent, ROUNDS * BURST);
	h.cfg.tls_ca_file = NULL;
	harness_free(&h, NULL);         /* the collector reads until this close */
	peer_end(&p);
	if (p.failed)
		fail_msg("collector: %s", p.why);
	*dups = check_seqs(p.data, ROUNDS * BURST, "] {\"schema\"");
	free(p.data);
}

static void
test_tls_clean_close(void **state)
{
	unsigned resent, dups;

	run_rounds(false, &resent, &dups);
	print_message("TLS, %u clean closes after reading everything: %u sent again, %u twice\n",
		      ROUNDS - 1, resent, dups);
	assert_int_equal(resent, 0);
	assert_int_equal(dups, 0);
}

static void
test_tls_reset(void **state)
{
	unsigned resent, dups;

	run_rounds(true, &resent, &dups);
	print_message("TLS, %u resets after reading everything: %u sent again, %u twice\n",
		      ROUNDS - 1, resent, dups);
	assert_true(dups <= resent);
}

static bool
notified(void *arg)
{
	struct tls_peer *p = arg;
	bool r;

	pthread_mutex_lock(&p->lock);
	r = p->notified || p->failed;
	pthread_mutex_unlock(&p->lock);
	return r;
}

/* The output's transport read the collector's close_notify. */
static bool
close_notify_read(void *arg)
{
	struct harness *h = arg;
	struct net_out *o = h->out->priv;

	return o->stream && fw__tls_close_notify_seen(o->stream);
}

static bool
second_burst_in(void *arg)
{
	struct round_wait *w = arg;

	return has_seq(w->p, 2 * BURST) && all_acked(w->h);
}

/*
 * The collector sends its close_notify after the first burst and keeps the
 * TCP connection until the output had the second burst to write.
 */
static void
test_tls_nothing_after_close_notify(void **state)
{
	struct harness h;
	struct tls_peer p = { .hold = BURST };
	struct round_wait w = { &h, &p, 0 };
	char cert[128], key[128];
	unsigned dups;
	uint64_t resent;
	size_t after;
	int i;

	tls_setup(&h, &p, cert, key, sizeof cert, false);
	harness_new_output(&h);
	for (i = 0; i < BURST; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, notified, &p, DEADLINE_MS));
	assert_true(run_until(&h, close_notify_read, &h, DEADLINE_MS));
	for (i = 0; i < BURST; i++)
		assert_int_equal(submit(&h, NAN), 0);
	uv_run(&h.loop, UV_RUN_NOWAIT);
	pthread_mutex_lock(&p.lock);
	p.go = true;
	pthread_cond_signal(&p.cond);
	pthread_mutex_unlock(&p.lock);
	assert_true(run_until(&h, second_burst_in, &w, DEADLINE_MS));
	assert_int_equal(h.out->stats.sent, 2 * BURST);
	h.cfg.tls_ca_file = NULL;
	print_message("TLS, writes after the collector's close_notify: %zu bytes, %llu sent again\n",
		      p.after, (unsigned long long)h.out->stats.resent);
	/* Only the first burst may go again: when the FIN came later than
	 * FW_TLS_CLOSE_MS (a slow machine), the end counts as a reset. */
	resent = h.out->stats.resent;
	assert_true(resent <= BURST);
	harness_free(&h, NULL);         /* the collector reads until this close */
	peer_end(&p);
	if (p.failed)
		fail_msg("collector: %s", p.why);
	after = p.after;
	dups = check_seqs(p.data, 2 * BURST, "] {\"schema\"");
	free(p.data);
	assert_int_equal(after, 0);
	assert_true(dups <= resent);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tls_confirm_clean_close),
		cmocka_unit_test(test_tls_confirm_reset),
		cmocka_unit_test(test_tls_clean_close),
		cmocka_unit_test(test_tls_reset),
		cmocka_unit_test(test_tls_nothing_after_close_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
