/*
 * control: see control.h.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/control.h"
#include "util/close_barrier.h"
#include "util/log.h"

#define CONTROL_TIMEOUT_MS 2000
#define CONTROL_REQUEST_MAX 256

struct fw_control {
	uv_pipe_t server;
	char *path;
	json_object *(*snapshot)(void *ctx);
	void *ctx;
	struct fw_close_barrier handles;    /* server, and one per client until it is freed */
	bool closing;
};

struct client {
	uv_pipe_t pipe;
	uv_timer_t timer;
	uv_write_t write;
	struct fw_control *c;
	char req[CONTROL_REQUEST_MAX];
	size_t len;
	char *answer;
	struct fw_close_barrier handles;    /* pipe, timer */
	bool answered;
};

static void
control_freed(void *arg)
{
	struct fw_control *c = arg;

	free(c->path);
	free(c);
}

static void
client_freed(void *arg)
{
	struct client *cl = arg;
	struct fw_control *c = cl->c;

	free(cl->answer);
	free(cl);
	fw_close_barrier_release(&c->handles);   /* may free c */
}

static void
client_close(struct client *cl)
{
	if (uv_is_closing((uv_handle_t *)&cl->pipe))
		return;
	fw_close_barrier_close(&cl->handles, (uv_handle_t *)&cl->pipe);
	fw_close_barrier_close(&cl->handles, (uv_handle_t *)&cl->timer);
	fw_close_barrier_wait(&cl->handles, client_freed, cl);
}

static void
on_written(uv_write_t *req, int status)
{
	client_close(req->data);
}

static void
answer(struct client *cl)
{
	json_object *o = NULL;
	const char *s;
	uv_buf_t b;

	cl->answered = true;
	uv_read_stop((uv_stream_t *)&cl->pipe);
	cl->req[cl->len] = '\0';
	cl->req[strcspn(cl->req, "\r\n")] = '\0';
	if (strcmp(cl->req, "status") == 0)
		o = cl->c->snapshot(cl->c->ctx);
	if (!o) {
		o = json_object_new_object();
		json_object_object_add(o, "error", json_object_new_string(
			strcmp(cl->req, "status") == 0 ? "out of memory" : "unknown request"));
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	cl->answer = malloc(strlen(s) + 2);
	if (!cl->answer) {
		json_object_put(o);
		client_close(cl);
		return;
	}
	strcpy(cl->answer, s);
	strcat(cl->answer, "\n");
	json_object_put(o);
	b = uv_buf_init(cl->answer, (unsigned)strlen(cl->answer));
	cl->write.data = cl;
	if (uv_write(&cl->write, (uv_stream_t *)&cl->pipe, &b, 1, on_written) < 0)
		client_close(cl);
}

static void
on_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
	struct client *cl = h->data;

	*buf = uv_buf_init(cl->req + cl->len, (unsigned)(sizeof cl->req - 1 - cl->len));
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct client *cl = s->data;

	if (cl->answered)
		return;
	if (n < 0) {
		if (n == UV_EOF && cl->len > 0)
			answer(cl);
		else
			client_close(cl);
		return;
	}
	cl->len += (size_t)n;
	if (memchr(cl->req, '\n', cl->len) || cl->len == sizeof cl->req - 1)
		answer(cl);
}

static void
on_timeout(uv_timer_t *t)
{
	client_close(t->data);
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct fw_control *c = server->data;
	struct client *cl;

	if (status < 0 || c->closing)
		return;
	cl = calloc(1, sizeof *cl);
	if (!cl)
		return;
	cl->c = c;
	uv_pipe_init(server->loop, &cl->pipe, 0);
	fw_close_barrier_add(&cl->handles);
	uv_timer_init(server->loop, &cl->timer);
	fw_close_barrier_add(&cl->handles);
	cl->pipe.data = cl->timer.data = cl;
	fw_close_barrier_add(&c->handles);
	if (uv_accept(server, (uv_stream_t *)&cl->pipe) < 0) {
		client_close(cl);
		return;
	}
	uv_timer_start(&cl->timer, on_timeout, CONTROL_TIMEOUT_MS, 0);
	uv_read_start((uv_stream_t *)&cl->pipe, on_alloc, on_read);
}

/* Whether a process accepts connections on the unix socket at path. */
static bool
socket_is_live(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool live;
	int fd;

	if (strlen(path) >= sizeof sun.sun_path)
		return false;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	live = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	close(fd);
	return live;
}

int
fw_control_start(uv_loop_t *loop, const char *path, json_object *(*snapshot)(void *ctx),
		 void *ctx, struct fw_control **out)
{
	struct fw_control *c;
	struct stat st;
	int r;

	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			log_err("control_socket %s: exists and is not a socket", path);
			return -EEXIST;
		}
		if (socket_is_live(path)) {
			log_err("control_socket %s: another process answers on it; "
				"left alone, no control socket for this daemon", path);
			return -EADDRINUSE;
		}
		unlink(path);   /* left by a daemon that did not stop cleanly */
	}
	c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(path))) {
		free(c);
		return -ENOMEM;
	}
	c->snapshot = snapshot;
	c->ctx = ctx;
	uv_pipe_init(loop, &c->server, 0);
	fw_close_barrier_add(&c->handles);
	c->server.data = c;
	r = uv_pipe_bind(&c->server, path);
	if (r == 0 && chmod(path, 0660) < 0)
		r = -errno;
	if (r == 0)
		r = uv_listen((uv_stream_t *)&c->server, 8, on_connection);
	if (r < 0) {
		log_err("control_socket %s: %s", path, uv_strerror(r));
		/* The handle was initialised: c goes once it has closed. */
		c->closing = true;
		fw_close_barrier_close(&c->handles, (uv_handle_t *)&c->server);
		fw_close_barrier_wait(&c->handles, control_freed, c);
		*out = NULL;
		return r;
	}
	*out = c;
	return 0;
}

void
fw_control_close(struct fw_control *c)
{
	if (!c)
		return;
	unlink(c->path);
	c->closing = true;
	fw_close_barrier_close(&c->handles, (uv_handle_t *)&c->server);
	fw_close_barrier_wait(&c->handles, control_freed, c);
}
