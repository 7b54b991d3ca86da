/*
 * output_harness: see output_harness.h.
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

#include "output_harness.h"
#include "util/severity.h"

/* ---- the test's peer: accepts stream connections and keeps what they send ---- */

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

void
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

void
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
void
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

void
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

void
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

void
peer_stop(struct peer *p)
{
	peer_drop_client(p);
	if (p->listening)
		uv_close((uv_handle_t *)&p->server, NULL);
	p->listening = false;
}

/* ---- the output under test ---- */

static void
on_tick(uv_timer_t *t)
{
}

void
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
void
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
	h->cfg.min_severity = FW_SEVERITY_COUNT - 1;   /* everything */
	h->cfg.facility = FW_FACILITY_DAEMON;
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

void
harness_new_output(struct harness *h)
{
	struct fw_diag diag;

	fw_diag_init(&diag);
	assert_int_equal(fw_output_new(&h->loop, &h->cfg, &h->out, &diag), 0);
	fw_diag_clear(&diag);
	assert_int_equal(h->out->ops->open(h->out), 0);
}

struct fw_alert_msg *
make_msg(struct harness *h, double confidence)
{
	char json[256];
	struct fw_alert_msg *m;
	int n;

	h->seq++;
	n = snprintf(json, sizeof json,
		     "{\"schema\":\"fixwatch.alert/1\",\"seq\":%llu,\"line\":\"x \\\"]\\\\ \\u001b[2J\","
		     "\"id\":\"d/e\",\"count\":1}", (unsigned long long)h->seq);
	m = fw_alert_msg_new(json, (size_t)n, &(const struct fw_alert_keys){
		.id = "d/e", .domain = "d", .input = "in]put", .host = "host-1" });
	assert_non_null(m);
	m->seq = h->seq;
	m->confidence = confidence;
	m->time.tv_sec = 1795420800;
	return m;
}

/* Submits one alert; returns what submit() said. */
int
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
bool
run_until(struct harness *h, bool (*cond)(void *), void *arg, uint64_t ms)
{
	uint64_t end = uv_now(&h->loop) + ms;

	while (!cond(arg) && uv_now(&h->loop) < end)
		uv_run(&h->loop, UV_RUN_ONCE);
	return cond(arg);
}

bool
all_acked(void *arg)
{
	struct harness *h = arg;

	return h->out->acked == h->seq;
}

bool
is_delivered(void *arg)
{
	struct delivered *d = arg;

	return all_acked(d->h) && count_str(*d->data, d->needle) >= d->want;
}

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

void
harness_free(struct harness *h, struct peer *p)
{
	if (h->out) {
		h->out->pipeline = &h->closed;
		h->out->ops->close(h->out, on_closed);
		assert_true(run_until(h, is_closed, h, DEADLINE_MS));
		fw_output_free(h->out);
	}
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
unsigned
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

unsigned
count_str(const char *s, const char *needle)
{
	unsigned n = 0;

	while (s && (s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

bool
is_down_with_error(void *arg)
{
	struct harness *h = arg;

	return h->out->state == FW_OUTPUT_DOWN && h->out->stats.errors > 0;
}

int
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

unsigned
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
