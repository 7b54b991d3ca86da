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

#define DEADLINE_MS 8000

/* ---- the test's peer: accepts stream connections and keeps what they send ---- */

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

static void
peer_append(struct peer *p, const char *buf, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		p->cap = (p->len + n + 1) * 2;
		p->data = realloc(p->data, p->cap);
		assert_non_null(p->data);
	}
	memcpy(p->data + p->len, buf, n);
	p->len += n;
	p->data[p->len] = '\0';
}

static void
on_peer_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	static char b[65536];

	*buf = uv_buf_init(b, sizeof b);
}

static void
free_handle(uv_handle_t *h)
{
	free(h);
}

static void
peer_drop_client(struct peer *p)
{
	if (p->client) {
		uv_close((uv_handle_t *)p->client, free_handle);
		p->client = NULL;
	}
}

static void
on_peer_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct peer *p = s->data;

	if (n < 0) {
		if ((uv_stream_t *)p->client == s)
			peer_drop_client(p);
		else
			uv_close((uv_handle_t *)s, free_handle);
		return;
	}
	peer_append(p, buf->base, (size_t)n);
	if (p->close_after && p->len >= p->close_after) {
		p->close_after = 0;
		peer_drop_client(p);
	}
}

static void
on_peer_connection(uv_stream_t *server, int status)
{
	struct peer *p = server->data;
	uv_stream_t *c;

	assert_int_equal(status, 0);
	c = malloc(p->server.tcp.type == UV_TCP ? sizeof(uv_tcp_t) : sizeof(uv_pipe_t));
	assert_non_null(c);
	if (server->type == UV_TCP)
		uv_tcp_init(p->loop, (uv_tcp_t *)c);
	else
		uv_pipe_init(p->loop, (uv_pipe_t *)c, 0);
	c->data = p;
	assert_int_equal(uv_accept(server, c), 0);
	peer_drop_client(p);
	p->client = c;
	p->connections++;
	if (p->reading)
		uv_read_start(c, on_peer_alloc, on_peer_read);
}

static void
on_peer_datagram(uv_udp_t *h, ssize_t n, const uv_buf_t *buf, const struct sockaddr *addr,
		 unsigned flags)
{
	struct peer *p = h->data;

	if (n <= 0 && !addr)
		return;
	peer_append(p, buf->base, (size_t)n);
	peer_append(p, "\x1e", 1);
	p->datagrams++;
}

/* Listens on 127.0.0.1:*port (0: any free port, written back). */
static void
peer_listen_tcp(struct peer *p, uv_loop_t *loop, int *port)
{
	struct sockaddr_in sa;
	struct sockaddr_storage ss;
	int len = sizeof ss;

	p->loop = loop;
	p->stream = true;
	uv_ip4_addr("127.0.0.1", *port, &sa);
	assert_int_equal(uv_tcp_init(loop, &p->server.tcp), 0);
	p->server.tcp.data = p;
	assert_int_equal(uv_tcp_bind(&p->server.tcp, (struct sockaddr *)&sa, 0), 0);
	assert_int_equal(uv_listen((uv_stream_t *)&p->server.tcp, 16, on_peer_connection), 0);
	uv_tcp_getsockname(&p->server.tcp, (struct sockaddr *)&ss, &len);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	p->listening = true;
}

static void
peer_listen_unix(struct peer *p, uv_loop_t *loop, const char *path)
{
	p->loop = loop;
	p->stream = true;
	unlink(path);
	assert_int_equal(uv_pipe_init(loop, &p->server.pipe, 0), 0);
	p->server.pipe.data = p;
	assert_int_equal(uv_pipe_bind(&p->server.pipe, path), 0);
	assert_int_equal(uv_listen((uv_stream_t *)&p->server.pipe, 16, on_peer_connection), 0);
	p->listening = true;
}

static void
peer_listen_udp(struct peer *p, uv_loop_t *loop, int *port)
{
	struct sockaddr_in sa;
	struct sockaddr_storage ss;
	int len = sizeof ss;

	p->loop = loop;
	uv_ip4_addr("127.0.0.1", *port, &sa);
	assert_int_equal(uv_udp_init(loop, &p->server.udp), 0);
	p->server.udp.data = p;
	assert_int_equal(uv_udp_bind(&p->server.udp, (struct sockaddr *)&sa, 0), 0);
	uv_udp_getsockname(&p->server.udp, (struct sockaddr *)&ss, &len);
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	assert_int_equal(uv_udp_recv_start(&p->server.udp, on_peer_alloc, on_peer_datagram), 0);
	p->listening = true;
}

static void
peer_stop(struct peer *p)
{
	peer_drop_client(p);
	if (p->listening)
		uv_close((uv_handle_t *)&p->server, NULL);
	p->listening = false;
}

/* ---- the output under test ---- */

struct harness {
	uv_loop_t loop;
	uv_timer_t tick;            /* wakes the loop so deadlines are checked */
	struct fw_output_config cfg;
	struct fw_output *out;
	uint64_t seq;
	bool closed;
	char dir[64];
};

static void
on_tick(uv_timer_t *t)
{
}

static void
harness_init(struct harness *h)
{
	memset(h, 0, sizeof *h);
	assert_int_equal(uv_loop_init(&h->loop), 0);
	uv_timer_init(&h->loop, &h->tick);
	uv_timer_start(&h->tick, on_tick, 10, 10);
	snprintf(h->dir, sizeof h->dir, "/tmp/fw-test-out-XXXXXX");
	assert_non_null(mkdtemp(h->dir));
}

/* Configures the output; address may hold one %d (port) or %s (the temp dir). */
static void
harness_config(struct harness *h, enum fw_output_type type, const char *fmt, ...)
{
	char address[256];
	const char *why;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(address, sizeof address, fmt, ap);
	va_end(ap);
	h->cfg.name = (char *)"t";
	h->cfg.type = type;
	h->cfg.queue_max = 1000;
	h->cfg.max_message_bytes = 8192;
	h->cfg.format = type == FW_OUTPUT_SYSLOG ? FW_FORMAT_RFC5424 : FW_FORMAT_JSON;
	h->cfg.framing = type == FW_OUTPUT_SYSLOG ? FW_FRAMING_OCTET_COUNTING : FW_FRAMING_LF;
	h->cfg.address = strdup(address);
	if (type == FW_OUTPUT_FILE) {
		h->cfg.addr.kind = FW_ADDR_PATH;
		h->cfg.addr.path = strdup(address);
	} else {
		assert_int_equal(fw_parse_address(address, &h->cfg.addr, &why), 0);
	}
}

static void
harness_new_output(struct harness *h)
{
	struct fw_diag diag;

	fw_diag_init(&diag);
	assert_int_equal(fw_output_new(&h->loop, &h->cfg, &h->out, &diag), 0);
	fw_diag_clear(&diag);
	assert_int_equal(h->out->ops->open(h->out), 0);
}

static struct fw_alert_msg *
make_msg(struct harness *h, double confidence)
{
	char json[256];
	struct fw_alert_msg *m;
	int n;

	h->seq++;
	n = snprintf(json, sizeof json,
		     "{\"schema\":\"fixwatch.alert/1\",\"seq\":%llu,\"line\":\"x \\\"]\\\\ \\u001b[2J\","
		     "\"id\":\"d/e\",\"count\":1}", (unsigned long long)h->seq);
	m = fw_alert_msg_new(json, (size_t)n);
	assert_non_null(m);
	m->seq = h->seq;
	m->id = strdup("d/e");
	m->domain = strdup("d");
	m->input = strdup("in]put");
	m->host = strdup("host-1");
	m->confidence = confidence;
	m->time.tv_sec = 1795420800;
	return m;
}

/* Submits one alert; returns what submit() said. */
static int
submit(struct harness *h, double confidence)
{
	struct fw_alert_msg *m = make_msg(h, confidence);
	int r = h->out->ops->submit(h->out, m);

	fw_alert_msg_unref(m);
	if (r < 0)
		h->seq--;       /* refused: the pipeline would offer it again */
	return r;
}

/* Runs the loop until cond() holds or the deadline passes; returns cond(). */
static bool
run_until(struct harness *h, bool (*cond)(void *), void *arg, uint64_t ms)
{
	uint64_t end = uv_now(&h->loop) + ms;

	while (!cond(arg) && uv_now(&h->loop) < end)
		uv_run(&h->loop, UV_RUN_ONCE);
	return cond(arg);
}

static bool
all_acked(void *arg)
{
	struct harness *h = arg;

	return h->out->acked == h->seq;
}

static unsigned count_str(const char *s, const char *needle);

/* Acknowledged means the peer's kernel has it; the peer may not have read it yet. */
struct delivered {
	struct harness *h;
	const char **data;
	const char *needle;
	unsigned want;
};

static bool
is_delivered(void *arg)
{
	struct delivered *d = arg;

	return all_acked(d->h) && count_str(*d->data, d->needle) >= d->want;
}

#define DELIVERED(h, datap, needle, want) \
	run_until((h), is_delivered, &(struct delivered){ (h), (const char **)(datap), (needle), (want) }, \
		  DEADLINE_MS)

static void
on_closed(struct fw_output *out)
{
	*(bool *)out->pipeline = true;
}

static bool
is_closed(void *arg)
{
	return ((struct harness *)arg)->closed;
}

static void
harness_free(struct harness *h, struct peer *p)
{
	h->out->pipeline = &h->closed;
	h->out->ops->close(h->out, on_closed);
	assert_true(run_until(h, is_closed, h, DEADLINE_MS));
	fw_output_free(h->out);
	if (p) {
		peer_stop(p);
		free(p->data);
	}
	uv_close((uv_handle_t *)&h->tick, NULL);
	while (uv_run(&h->loop, UV_RUN_NOWAIT))
		;
	assert_int_equal(uv_loop_close(&h->loop), 0);
	free(h->cfg.address);
	fw_address_clear(&h->cfg.addr);
	{
		char cmd[128];

		snprintf(cmd, sizeof cmd, "rm -rf %s", h->dir);
		assert_int_equal(system(cmd), 0);
	}
}

/* Each seq 1..n must be in the peer's JSON objects; returns the duplicates. */
static unsigned
check_seqs(const char *data, uint64_t n, const char *start)
{
	unsigned char *seen = calloc(n + 1, 1);
	const char *p = data;
	unsigned dups = 0;
	uint64_t i;

	assert_non_null(seen);
	while ((p = strstr(p, start)) != NULL) {
		json_object *o, *v;
		json_tokener *tok = json_tokener_new();

		const char *obj = p + (strchr(start, '{') - start);

		o = json_tokener_parse_ex(tok, obj, (int)strlen(obj));
		json_tokener_free(tok);
		assert_non_null(o);
		assert_true(json_object_object_get_ex(o, "seq", &v));
		i = (uint64_t)json_object_get_int64(v);
		assert_true(i >= 1 && i <= n);
		if (seen[i])
			dups++;
		seen[i] = 1;
		json_object_put(o);
		p++;
	}
	for (i = 1; i <= n; i++)
		if (!seen[i])
			fail_msg("alert %llu never arrived", (unsigned long long)i);
	free(seen);
	return dups;
}

static unsigned
count_str(const char *s, const char *needle)
{
	unsigned n = 0;

	while (s && (s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* ---- tests ---- */

static void
test_tcp_json_lines(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = 0, i;

	harness_init(&h);
	peer_listen_tcp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_TCP, "tcp://127.0.0.1:%d", port);
	harness_new_output(&h);
	for (i = 0; i < 200; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(DELIVERED(&h, &p.data, "\n", 200));
	assert_int_equal(h.out->state, FW_OUTPUT_UP);
	assert_int_equal(h.out->stats.sent, 200);
	assert_int_equal(count_str(p.data, "\n"), 200);
	assert_int_equal(check_seqs(p.data, 200, "{\"schema\""), 0);
	harness_free(&h, &p);
}

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

static void
test_syslog_tcp_octet_counting(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = 0, i;

	harness_init(&h);
	peer_listen_tcp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_SYSLOG, "tcp://127.0.0.1:%d", port);
	harness_new_output(&h);
	for (i = 0; i < 50; i++)
		assert_int_equal(submit(&h, 0.86), 0);
	assert_true(DELIVERED(&h, &p.data, "<28>1 ", 50));
	assert_int_equal(check_octet_frames(p.data, p.len), 50);
	/* SD params escaped per RFC 5424 §6.3.3, the JSON in MSG intact. */
	assert_int_equal(count_str(p.data, " alert [" FW_SYSLOG_SD_ID " id=\"d/e\" domain=\"d\" "
					   "confidence=\"0.86\" input=\"in\\]put\" count=\"1\"] {"), 50);
	assert_int_equal(check_seqs(p.data, 50, "] {\"schema\""), 0);
	harness_free(&h, &p);
}

static void
test_syslog_tcp_lf_framing(void **state)
{
	struct harness h;
	struct peer p = { .reading = true };
	int port = 0, i;

	harness_init(&h);
	peer_listen_tcp(&p, &h.loop, &port);
	harness_config(&h, FW_OUTPUT_SYSLOG, "tcp://127.0.0.1:%d", port);
	h.cfg.framing = FW_FRAMING_LF;
	h.cfg.format = FW_FORMAT_RFC3164;
	harness_new_output(&h);
	for (i = 0; i < 20; i++)
		assert_int_equal(submit(&h, NAN), 0);
	assert_true(DELIVERED(&h, &p.data, "<28>", 20));
	assert_int_equal(count_str(p.data, "\n<28>"), 19);
	assert_true(strncmp(p.data, "<28>", 4) == 0);
	assert_int_equal(check_seqs(p.data, 20, ": {\"schema\""), 0);
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
	assert_true(p.connections >= 2);
	assert_true(h.out->stats.reconnects >= 1);
	/* Nothing lost; what the peer dropped with the connection came again. */
	dups = check_seqs(p.data, 300, "] {\"schema\"");
	print_message("peer closed after 5000 bytes: %u connections, %u duplicates\n",
		      p.connections, dups);
	harness_free(&h, &p);
}

static bool
is_down_with_error(void *arg)
{
	struct harness *h = arg;

	return h->out->state == FW_OUTPUT_DOWN && h->out->stats.errors > 0;
}

static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
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

static unsigned
file_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	unsigned n = 0;
	int c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
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
		cmocka_unit_test(test_tcp_json_lines),
		cmocka_unit_test(test_syslog_tcp_octet_counting),
		cmocka_unit_test(test_syslog_tcp_lf_framing),
		cmocka_unit_test(test_tcp_peer_closes_midstream),
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
