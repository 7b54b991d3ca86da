/*
 * test_output_net: the socket and file outputs on a real uv loop against
 * peers the test runs itself on loopback and temporary unix sockets:
 * delivery, framing, a peer that closes or is not there yet (reconnect with
 * backoff, nothing lost), a reader that does not read (backpressure), full
 * queues (-ENOBUFS, drop-oldest counted), file reopen for logrotate.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <uv.h>

#include "output/output.h"
#include "output/syslog_fmt.h"
#include "output_harness.h"

/* ---- delivery over a stream: one table ---- */

/* Octet-counted frames (RFC 6587 §3.4.1): checks each and returns how many. */
static unsigned
check_octet_frames(const char *data, size_t len)
{
	size_t pos = 0;
	unsigned n = 0;

	while (pos < len) {
		char *end;
		unsigned long flen = strtoul(data + pos, &end, 10);

		assert_true(end > data + pos && *end == ' ');
		pos = (size_t)(end - data) + 1;
		assert_true(pos + flen <= len);
		assert_true(strncmp(data + pos, "<28>1 ", 6) == 0);
		pos += flen;
		n++;
	}
	return n;
}

/* JSON Lines: one object per line, nothing else. */
static void
check_json_lines(const struct peer *p, unsigned n)
{
	assert_int_equal(count_str(p->data, "\n"), n);
	assert_true(strncmp(p->data, "{\"schema\":", 10) == 0);
}

static void
check_syslog_octet(const struct peer *p, unsigned n)
{
	assert_int_equal(check_octet_frames(p->data, p->len), n);
	/* SD params escaped per RFC 5424 §6.3.3, the JSON in MSG intact. */
	assert_int_equal(count_str(p->data, " alert [" FW_SYSLOG_SD_ID " id=\"d/e\" domain=\"d\" "
					   "confidence=\"0.86\" input=\"in\\]put\" count=\"1\"] {"), n);
}

static void
check_syslog_lf(const struct peer *p, unsigned n)
{
	assert_int_equal(count_str(p->data, "\n<28>"), n - 1);
	assert_true(strncmp(p->data, "<28>", 4) == 0);
}

struct stream_case {
	enum fw_output_type type;
	bool unix_socket;           /* else TCP on loopback */
	enum fw_framing framing;    /* syslog only */
	enum fw_output_format format; /* syslog only */
	double confidence;
	unsigned n;                 /* alerts sent */
	const char *frame;          /* counted to see them all arrive */
	const char *json_at;        /* where each alert's JSON starts */
	void (*check)(const struct peer *p, unsigned n);
};

static const struct stream_case tcp_json = {
	FW_OUTPUT_TCP, false, 0, 0, NAN, 200, "\n", "{\"schema\"", check_json_lines,
};
static const struct stream_case unix_json = {
	FW_OUTPUT_UNIX, true, 0, 0, NAN, 200, "\n", "{\"schema\"", check_json_lines,
};
static const struct stream_case syslog_octet = {
	FW_OUTPUT_SYSLOG, false, FW_FRAMING_OCTET_COUNTING, FW_FORMAT_RFC5424, 0.86, 50,
	"<28>1 ", "] {\"schema\"", check_syslog_octet,
};
static const struct stream_case syslog_lf_3164 = {
	FW_OUTPUT_SYSLOG, false, FW_FRAMING_LF, FW_FORMAT_RFC3164, NAN, 20,
	"<28>", ": {\"schema\"", check_syslog_lf,
};

/* The peer of case c listens; the output is configured to it (not created yet). */
static void
listen_peer(struct harness *h, struct peer *p, const struct stream_case *c)
{
	char path[128];
	int port = 0;

	if (c->unix_socket) {
		snprintf(path, sizeof path, "%s/peer.sock", h->dir);
		peer_listen_unix(p, &h->loop, path);
		harness_config(h, c->type, "unix://%s/peer.sock", h->dir);
	} else {
		peer_listen_tcp(p, &h->loop, &port);
		harness_config(h, c->type, "tcp://127.0.0.1:%d", port);
	}
}

/* Every alert arrives once, in its framing, to a peer that reads. */
static void
test_stream_delivery(void **state)
{
	const struct stream_case *c = *state;
	struct harness h;
	struct peer p = { .reading = true };
	unsigned i;

	harness_init(&h);
	listen_peer(&h, &p, c);
	if (c->type == FW_OUTPUT_SYSLOG) {
		h.cfg.framing = c->framing;
		h.cfg.format = c->format;
	}
	harness_new_output(&h);
	for (i = 0; i < c->n; i++)
		assert_int_equal(submit(&h, c->confidence), 0);
	assert_true(DELIVERED(&h, &p.data, c->frame, c->n));
	assert_int_equal(h.out->state, FW_OUTPUT_UP);
	assert_int_equal(h.out->stats.sent, c->n);
	c->check(&p, c->n);
	assert_int_equal(check_seqs(p.data, c->n, c->json_at), 0);
	harness_free(&h, &p);
}

static void
test_tcp_peer_closes_midstream(void **state)
{
	struct harness h;
	struct peer p = { .reading = true, .close_after = 5000 };
	int port = 0, i;
	unsigned dups;

	harness_init(&h);
	peer_listen_tcp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_SYSLOG, "tcp://127.0.0.1:%d", port);
	h.cfg.framing = FW_FRAMING_LF;
	harness_new_output(&h);
	for (i = 0; i < 300; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(DELIVERED(&h, &p.data, "\"schema\"", 300));
	/* Nothing lost: what the peer left unread when it closed (its TCP
	 * resets then) came again; if it had read everything, nothing had to. */
	dups = check_seqs(p.data, 300, "] {\"schema\"");
	print_message("peer closed after 5000 bytes: %u connections, %u duplicates\n",
		      p.connections, dups);
	harness_free(&h, &p);
}

static void
free_client(uv_handle_t *h)
{
	free(h);
}

static bool
is_down(void *arg)
{
	struct harness *h = arg;

	return h->out->state == FW_OUTPUT_DOWN;
}

static bool
peer_has_all(void *arg)
{
	struct peer *p = arg;

	return p->data && count_str(p->data, "\"schema\"") >= 200;
}

/*
 * A peer reads every alert, then closes (a FIN, nothing unread): at the
 * break the output still trusts its send queue, so every alert counts as
 * taken and none is queued to be sent again.
 */
static void
test_peer_reads_all_then_closes(void **state)
{
	const struct stream_case *c = *state;
	struct harness h;
	struct peer p = { .reading = true };
	int i;

	harness_init(&h);
	listen_peer(&h, &p, c);
	harness_new_output(&h);
	for (i = 0; i < 200; i++)
		assert_int_equal(submit(&h, NAN), 0);
	/* Closed as soon as everything is read, not once it is all confirmed. */
	assert_true(run_until(&h, peer_has_all, &p, DEADLINE_MS));
	uv_close((uv_handle_t *)p.client, free_client);
	p.client = NULL;
	assert_true(run_until(&h, is_down, &h, DEADLINE_MS));
	assert_int_equal(h.out->acked, 200);
	assert_int_equal(h.out->queued, 0);
	assert_int_equal(h.out->stats.sent, 200);
	assert_int_equal(h.out->stats.resent, 0);
	assert_int_equal(check_seqs(p.data, 200, "{\"schema\""), 0);
	harness_free(&h, &p);
}

/* The peer's kernel holds n complete lines it has not read (MSG_PEEK: still unread). */
struct unread {
	struct peer *p;
	unsigned n;
};

static bool
peer_holds_unread(void *arg)
{
	struct unread *u = arg;
	static char buf[1 << 16];
	uv_os_fd_t fd;
	ssize_t r;

	if (!u->p->client || uv_fileno((uv_handle_t *)u->p->client, &fd) < 0)
		return false;
	r = recv(fd, buf, sizeof buf - 1, MSG_PEEK | MSG_DONTWAIT);
	if (r <= 0)
		return false;
	buf[r] = '\0';
	return count_str(buf, "\n") >= u->n;
}

/*
 * A unix peer that closes with every alert unread: nothing was taken, so
 * every alert is written again on the next connection, and the output
 * counts them (stats.resent, "sent again" in status) exactly.
 */
static void
test_unix_peer_closes_unread(void **state)
{
	struct harness h;
	struct peer p = { .reading = false };
	struct unread u = { &p, 10 };
	char path[128];
	int i;

	harness_init(&h);
	snprintf(path, sizeof path, "%s/unread.sock", h.dir);
	peer_listen_unix(&p, &h.loop, path);
	harness_config(&h, FW_OUTPUT_UNIX, "unix://%s", path);
	harness_new_output(&h);
	for (i = 0; i < 10; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, peer_holds_unread, &u, DEADLINE_MS));
	assert_int_equal(h.out->stats.resent, 0);
	uv_close((uv_handle_t *)p.client, free_client);
	p.client = NULL;
	p.reading = true;           /* the next connection is read */
	assert_true(run_until(&h, is_down, &h, DEADLINE_MS));
	assert_int_equal(h.out->stats.resent, 10);
	assert_int_equal(h.out->acked, 0);
	assert_true(DELIVERED(&h, &p.data, "\n", 10));
	assert_int_equal(check_seqs(p.data, 10, "{\"schema\""), 0);
	assert_int_equal(h.out->stats.sent, 10);
	assert_int_equal(h.out->stats.resent, 10);
	harness_free(&h, &p);
}

static void
test_tcp_peer_not_up_yet(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = free_port(), i;

	harness_init(&h);
	harness_config(&h, FW_OUTPUT_TCP, "tcp://127.0.0.1:%d", port);
	harness_new_output(&h);
	for (i = 0; i < 20; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, is_down_with_error, &h, DEADLINE_MS));
	assert_int_equal(h.out->acked, 0);
	assert_int_equal(h.out->queued, 20);
	peer_listen_tcp(&p, &h.loop, &port);
	assert_true(DELIVERED(&h, &p.data, "\n", 20));
	assert_int_equal(h.out->stats.reconnects, 1);
	assert_int_equal(check_seqs(p.data, 20, "{\"schema\""), 0);
	harness_free(&h, &p);
}

static void
test_queue_full(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = free_port(), i;

	/* overflow = block: the fifth alert is refused, for the pipeline to pause. */
	harness_init(&h);
	harness_config(&h, FW_OUTPUT_TCP, "tcp://127.0.0.1:%d", port);
	h.cfg.queue_max = 4;
	harness_new_output(&h);
	for (i = 0; i < 4; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_int_equal(submit(&h, NAN), -ENOBUFS);
	assert_int_equal(h.out->stats.dropped, 0);
	harness_free(&h, NULL);

	/* drop-oldest: every submit succeeds and each drop is counted. */
	harness_init(&h);
	harness_config(&h, FW_OUTPUT_TCP, "tcp://127.0.0.1:%d", port);
	h.cfg.queue_max = 4;
	h.cfg.overflow = FW_OVERFLOW_DROP_OLDEST;
	harness_new_output(&h);
	for (i = 0; i < 10; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_int_equal(h.out->stats.dropped, 6);
	assert_int_equal(h.out->queued, 4);
	peer_listen_tcp(&p, &h.loop, &port);
	assert_true(DELIVERED(&h, &p.data, "\n", 4));
	assert_int_equal(count_str(p.data, "\n"), 4);
	for (i = 7; i <= 10; i++) {
		char want[32];

		snprintf(want, sizeof want, "\"seq\":%d,", i);
		assert_int_equal(count_str(p.data, want), 1);
	}
	harness_free(&h, &p);
}

static void
test_unix_slow_reader_backpressure(void **state)
{
	struct harness h;
	struct peer p = { .reading = false };
	char path[128];
	int i, refused = 0;

	harness_init(&h);
	snprintf(path, sizeof path, "%s/sock", h.dir);
	peer_listen_unix(&p, &h.loop, path);
	harness_config(&h, FW_OUTPUT_UNIX, "unix://%s", path);
	h.cfg.queue_max = 50;
	harness_new_output(&h);
	/* The reader takes nothing: the queue fills and stays full. */
	for (i = 0; i < 200 && !refused; i++) {
		refused = submit(&h, NAN) == -ENOBUFS;
		uv_run(&h.loop, UV_RUN_NOWAIT);
	}
	assert_true(refused);
	assert_int_equal(h.seq, 50);
	for (i = 0; i < 20; i++)
		uv_run(&h.loop, UV_RUN_ONCE);
	assert_int_equal(h.out->acked, 0);  /* in the socket, not read: not done */
	assert_int_equal(submit(&h, NAN), -ENOBUFS);
	/* The reader wakes up: everything is confirmed and room comes back. */
	p.reading = true;
	assert_non_null(p.client);
	uv_read_start(p.client, on_peer_alloc, on_peer_read);
	assert_true(DELIVERED(&h, &p.data, "\n", 50));
	assert_int_equal(submit(&h, NAN), 0);
	assert_true(DELIVERED(&h, &p.data, "\n", 51));
	assert_int_equal(check_seqs(p.data, 51, "{\"schema\""), 0);
	harness_free(&h, &p);
}

static bool
peer_has_datagrams(void *arg)
{
	struct peer *p = arg;

	return p->datagrams >= 20;
}

static void
test_syslog_udp(void **state)
{
	struct harness h;
	struct peer p = { 0 };
	int port = 0, i;

	harness_init(&h);
	peer_listen_udp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_SYSLOG, "udp://127.0.0.1:%d", port);
	h.cfg.max_message_bytes = 600;
	harness_new_output(&h);
	for (i = 0; i < 20; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	assert_true(run_until(&h, peer_has_datagrams, &p, DEADLINE_MS));
	/* One message per datagram, no framing. */
	assert_int_equal(count_str(p.data, "\x1e<28>1 "), 19);
	assert_true(strncmp(p.data, "<28>1 ", 6) == 0);
	assert_int_equal(check_seqs(p.data, 20, "] {\"schema\""), 0);
	harness_free(&h, &p);
}

struct dgram_peer {
	int fd;
	unsigned n;
	char data[65536];
	size_t len;
};

static bool
dgram_received(void *arg)
{
	struct dgram_peer *d = arg;
	ssize_t r;

	while ((r = recv(d->fd, d->data + d->len, sizeof d->data - d->len - 2, MSG_DONTWAIT)) > 0) {
		d->len += (size_t)r;
		d->data[d->len++] = '\x1e';
		d->data[d->len] = '\0';
		d->n++;
	}
	return d->n >= 20;
}

struct dgram_wait {
	struct harness *h;
	struct dgram_peer *d;
};

/* The reader reads while the output sends: a unix datagram queue holds only a few. */
static bool
dgram_delivered(void *arg)
{
	struct dgram_wait *w = arg;

	return dgram_received(w->d) && all_acked(w->h);
}

static void
test_unixgram_json(void **state)
{
	struct harness h;
	struct dgram_peer d = { 0 };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int i;

	harness_init(&h);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/dgram", h.dir);
	d.fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(d.fd, (struct sockaddr *)&sun, sizeof sun), 0);
	harness_config(&h, FW_OUTPUT_UNIX, "unixgram://%s", sun.sun_path);
	harness_new_output(&h);
	for (i = 0; i < 20; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, dgram_delivered, &(struct dgram_wait){ &h, &d }, DEADLINE_MS));
	assert_int_equal(count_str(d.data, "}\x1e{\"schema\""), 19);
	assert_int_equal(check_seqs(d.data, 20, "{\"schema\""), 0);
	close(d.fd);
	harness_free(&h, NULL);
}

static void
test_unixgram_absent_then_present(void **state)
{
	struct harness h;
	struct dgram_peer d = { 0 };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int i;

	/* Like /dev/log while the syslog daemon restarts: queued, retried, delivered. */
	harness_init(&h);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/log", h.dir);
	harness_config(&h, FW_OUTPUT_SYSLOG, "unixgram://%s", sun.sun_path);
	h.cfg.format = FW_FORMAT_RFC3164;
	harness_new_output(&h);
	for (i = 0; i < 20; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, is_down_with_error, &h, DEADLINE_MS));
	d.fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(d.fd, (struct sockaddr *)&sun, sizeof sun), 0);
	assert_true(run_until(&h, dgram_delivered, &(struct dgram_wait){ &h, &d }, DEADLINE_MS));
	assert_int_equal(count_str(d.data, "<28>"), 20);
	close(d.fd);
	harness_free(&h, NULL);
}

static void
test_min_confidence(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = 0;

	harness_init(&h);
	peer_listen_tcp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_TCP, "tcp://127.0.0.1:%d", port);
	h.cfg.min_confidence = 0.5;
	harness_new_output(&h);
	assert_int_equal(submit(&h, 0.9), 0);
	assert_int_equal(submit(&h, 0.2), 0);
	assert_true(DELIVERED(&h, &p.data, "\n", 1));
	assert_int_equal(h.out->stats.filtered, 1);
	assert_int_equal(h.out->stats.sent, 1);
	assert_int_equal(count_str(p.data, "\n"), 1);
	assert_int_equal(count_str(p.data, "\"seq\":1,"), 1);
	harness_free(&h, &p);
}

static void
test_file_reopen(void **state)
{
	struct harness h;
	char path[128], rotated[140];
	int i;

	harness_init(&h);
	snprintf(path, sizeof path, "%s/alerts.jsonl", h.dir);
	snprintf(rotated, sizeof rotated, "%s.1", path);
	harness_config(&h, FW_OUTPUT_FILE, "%s", path);
	harness_new_output(&h);
	for (i = 0; i < 5; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	assert_int_equal(rename(path, rotated), 0);
	h.out->ops->reopen(h.out);
	for (i = 0; i < 3; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	assert_int_equal(file_lines(rotated), 5);
	assert_int_equal(file_lines(path), 3);
	harness_free(&h, NULL);
}

static void
test_file_directory_missing(void **state)
{
	struct harness h;
	char dir[96], path[140];
	int i;

	harness_init(&h);
	snprintf(dir, sizeof dir, "%s/later", h.dir);
	snprintf(path, sizeof path, "%s/alerts.jsonl", dir);
	harness_config(&h, FW_OUTPUT_FILE, "%s", path);
	h.cfg.queue_max = 3;
	harness_new_output(&h);
	assert_int_equal(h.out->state, FW_OUTPUT_DOWN);
	for (i = 0; i < 3; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_int_equal(submit(&h, NAN), -ENOBUFS);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_true(run_until(&h, all_acked, &h, DEADLINE_MS));
	assert_int_equal(file_lines(path), 3);
	harness_free(&h, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		{ "tcp: JSON Lines", test_stream_delivery, NULL, NULL, (void *)&tcp_json },
		{ "unix: JSON Lines", test_stream_delivery, NULL, NULL, (void *)&unix_json },
		{ "syslog over tcp: RFC 5424, octet-counted", test_stream_delivery, NULL, NULL,
		  (void *)&syslog_octet },
		{ "syslog over tcp: RFC 3164, LF-framed", test_stream_delivery, NULL, NULL,
		  (void *)&syslog_lf_3164 },
		cmocka_unit_test(test_tcp_peer_closes_midstream),
		{ "tcp: a peer reads all, then closes", test_peer_reads_all_then_closes, NULL, NULL,
		  (void *)&tcp_json },
		{ "unix: a peer reads all, then closes", test_peer_reads_all_then_closes, NULL, NULL,
		  (void *)&unix_json },
		cmocka_unit_test(test_unix_peer_closes_unread),
		cmocka_unit_test(test_tcp_peer_not_up_yet),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_unix_slow_reader_backpressure),
		cmocka_unit_test(test_syslog_udp),
		cmocka_unit_test(test_unixgram_json),
		cmocka_unit_test(test_unixgram_absent_then_present),
		cmocka_unit_test(test_min_confidence),
		cmocka_unit_test(test_file_reopen),
		cmocka_unit_test(test_file_directory_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
