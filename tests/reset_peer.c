/*
 * reset_peer: a collector that resets its connection on purpose, for the
 * collector_reset scenario. Listens on a unix stream socket or a loopback
 * TCP port, takes one connection at a time and appends every complete line
 * it reads to OUT (a line cut by its reset is not written). It resets the
 * connection RESETS times, then reads on until EOF, SIGTERM or LIFETIME_S.
 *
 *   reset_peer [-r] -n LINES|-m TEXT unix:PATH|tcp:PORT OUT RESETS LIFETIME_S
 *
 * -n LINES: reset after the read that gave the connection's LINES-th
 *   complete line (every complete line of that read is written), leaving
 *   what the kernel still holds for it unread (a collector that stops in
 *   the middle of a stream).
 * -m TEXT: reset right after a new line containing TEXT (one not seen
 *   before: a copy sent again does not count), having read everything the
 *   sender had written (a collector that resets between bursts).
 * The connection is closed; with -r a TCP one is reset (SO_LINGER 0: an
 * RST even with nothing unread). With
 * tcp:0 the port taken is printed first ("port N"); after each reset
 * "reset N" is printed, so a script can wait for it.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

#define LINE_MAX_BYTES (1u << 20)
#define MARKS_MAX 64                /* -m lines remembered, so copies are told apart */

static volatile sig_atomic_t stop_asked;
static char *marks_seen[MARKS_MAX];
static size_t n_marks_seen;

static void
on_term(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* Whether line[0..len) was not seen before (it is remembered). */
static int
new_mark(const char *line, size_t len)
{
	for (size_t i = 0; i < n_marks_seen; i++)
		if (strlen(marks_seen[i]) == len && memcmp(marks_seen[i], line, len) == 0)
			return 0;
	if (n_marks_seen == MARKS_MAX)
		return 0;
	marks_seen[n_marks_seen] = strndup(line, len);
	return marks_seen[n_marks_seen++] != NULL;
}

static void
reset_conn(int fd, int rst)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (rst)
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };
	const char *mark = NULL;
	char rbuf[65536], *line;
	size_t have = 0;
	unsigned long every = 0, resets, done = 0, on_conn = 0;
	time_t deadline;
	FILE *out;
	int lfd, cfd = -1, is_tcp, opt, rst = 0;
	unsigned port;

	while ((opt = getopt(argc, argv, "rn:m:")) != -1) {
		if (opt == 'r')
			rst = 1;
		else if (opt == 'n')
			every = strtoul(optarg, NULL, 10);
		else if (opt == 'm')
			mark = optarg;
		else
			return 2;
	}
	if (argc - optind != 4 || (every == 0) == (mark == NULL)) {
		fprintf(stderr, "usage: reset_peer [-r] -n LINES|-m TEXT unix:PATH|tcp:PORT OUT "
			"RESETS LIFETIME_S\n");
		return 2;
	}
	argv += optind;
	resets = strtoul(argv[2], NULL, 10);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	deadline = time(NULL) + atoi(argv[3]);
	lfd = fw_test_listen(argv[0], &port);
	if (lfd < 0) {
		fprintf(stderr, "reset_peer: %s: %s\n", argv[0], strerror(-lfd));
		return 1;
	}
	is_tcp = port != 0;
	if (is_tcp) {
		printf("port %u\n", port);
		fflush(stdout);
	}
	out = fopen(argv[1], "a");
	line = malloc(LINE_MAX_BYTES);
	if (!out || !line) {
		fprintf(stderr, "reset_peer: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (!stop_asked && time(NULL) < deadline) {
		struct pollfd p = { .fd = cfd >= 0 ? cfd : lfd, .events = POLLIN };
		int reset = 0;
		ssize_t n;

		if (poll(&p, 1, 200) <= 0)
			continue;
		if (cfd < 0) {
			cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			have = 0;
			on_conn = 0;
			continue;
		}
		n = read(cfd, rbuf, sizeof rbuf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(cfd);
			cfd = -1;
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (have < LINE_MAX_BYTES)
				line[have++] = rbuf[i];
			if (rbuf[i] != '\n')
				continue;
			fwrite(line, 1, have, out);
			on_conn++;
			if (mark && memmem(line, have, mark, strlen(mark)) && new_mark(line, have))
				reset = done < resets;
			have = 0;
			if (every && on_conn >= every && done < resets)
				reset = 1;
		}
		fflush(out);
		if (reset) {
			reset_conn(cfd, rst && is_tcp);
			cfd = -1;
			printf("reset %lu\n", ++done);
			fflush(stdout);
		}
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	fclose(out);
	free(line);
	while (n_marks_seen > 0)
		free(marks_seen[--n_marks_seen]);
	return 0;
}
