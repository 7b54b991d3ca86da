/*
 * test_control: the control socket frees everything it made, whatever its
 * clients do when it closes. A client answered, one that asked and shut
 * its side before the newline, and one that never asks are open when the
 * socket closes: the first two get their answer, the silent one is closed
 * at its timeout, and only then is the loop empty (uv_loop_close() says
 * no handle is left; the sanitizer build says nothing leaked). A socket
 * that cannot be bound closes its handle and frees itself; a path that is
 * not a socket is refused before any handle exists.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
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

#include "core/control.h"
#include "testutil.h"

/* Loop rounds a step may take: each blocks until an event, none sleeps. */
#define ROUNDS_MAX 10000

static unsigned snapshots;
static char who[] = "d";

static json_object *
snapshot(void *ctx)
{
	json_object *o = json_object_new_object();

	snapshots++;
	json_object_object_add(o, "who", json_object_new_string(ctx));
	return o;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(strlen(path) < sizeof sun.sun_path);
	strcpy(sun.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	return fd;
}

static bool
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Runs the loop until fd has something to read (its answer, or its end). */
static void
run_until_readable(uv_loop_t *loop, int fd)
{
	int rounds = 0;

	while (!readable(fd)) {
		assert_true(++rounds < ROUNDS_MAX);
		uv_run(loop, UV_RUN_ONCE);
	}
}

/* Everything the daemon sends fd until it closes. */
static void
read_to_end(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	assert_int_equal(n, 0);
	buf[len] = '\0';
}

static void
test_close_with_clients_open(void **state)
{
	const char *path = tu_path("ctl.sock");
	struct fw_control *c = NULL;
	uv_loop_t loop;
	char buf[256];
	int answered, half, silent;

	snapshots = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_control_start(&loop, path, snapshot, who, &c), 0);
	assert_non_null(c);

	/* Accepted in the order connected: silent is in before answered is answered. */
	silent = connect_to(path);
	answered = connect_to(path);
	assert_int_equal(write(answered, "status\n", 7), 7);
	run_until_readable(&loop, answered);
	half = connect_to(path);
	assert_int_equal(write(half, "status", 6), 6);
	assert_int_equal(shutdown(half, SHUT_WR), 0);
	run_until_readable(&loop, half);
	assert_int_equal(snapshots, 2);

	fw_control_close(c);
	{
		struct stat st;

		assert_int_equal(lstat(path, &st), -1);   /* the socket file is gone at once */
	}
	/* Returns once the silent client timed out: nothing else is left. */
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);

	read_to_end(answered, buf, sizeof buf);
	assert_string_equal(buf, "{\"who\":\"d\"}\n");
	read_to_end(half, buf, sizeof buf);
	assert_string_equal(buf, "{\"who\":\"d\"}\n");
	read_to_end(silent, buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_int_equal(snapshots, 2);
	close(answered);
	close(half);
	close(silent);
}

static void
test_unknown_request(void **state)
{
	const char *path = tu_path("ctl.sock");
	struct fw_control *c = NULL;
	uv_loop_t loop;
	char buf[256];
	int fd;

	snapshots = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_control_start(&loop, path, snapshot, who, &c), 0);
	fd = connect_to(path);
	assert_int_equal(write(fd, "stats\n", 6), 6);
	run_until_readable(&loop, fd);
	fw_control_close(c);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
	read_to_end(fd, buf, sizeof buf);
	assert_string_equal(buf, "{\"error\":\"unknown request\"}\n");
	assert_int_equal(snapshots, 0);
	close(fd);
}

/* The bind fails (no such directory): the handle made is closed, c freed. */
static void
test_cannot_bind(void **state)
{
	struct fw_control *c = (struct fw_control *)&c;   /* must be reset */
	uv_loop_t loop;

	assert_int_equal(uv_loop_init(&loop), 0);
	assert_true(fw_control_start(&loop, tu_path("missing/ctl.sock"), snapshot, who, &c) < 0);
	assert_null(c);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* A file that is not a socket is left alone, and no handle is made. */
static void
test_not_a_socket(void **state)
{
	const char *path = tu_write("ctl.sock", "mine\n");
	struct fw_control *c = NULL;
	uv_loop_t loop;
	struct stat st;

	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_control_start(&loop, path, snapshot, who, &c), -EEXIST);
	assert_null(c);
	assert_int_equal(uv_loop_close(&loop), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_close_with_clients_open, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_request, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_cannot_bind, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_not_a_socket, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
