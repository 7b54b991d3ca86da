/*
 * collector: the torture harness's receiver. Listens on a unix stream
 * socket or a loopback TCP port, takes one connection at a time (a new one
 * replaces a broken one) and appends every complete line it reads to OUT.
 * A line cut by a broken connection is not written (a collector cannot
 * trust half a record); the count of such pieces goes to stderr at exit.
 *
 *   collector unix:PATH OUT LIFETIME_S
 *   collector tcp:PORT OUT LIFETIME_S     (PORT 0: any; the port is printed)
 *
 * SIGUSR1 closes the current connection (a collector reset); SIGUSR2
 * stops reading until SIGCONT (a collector that does not keep up: the
 * sender's queue fills; two signals, as a pending one is not queued twice); SIGTERM ends it cleanly; SIGHUP is ignored. Bounded: it exits by itself after LIFETIME_S seconds.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES (1u << 20)

static volatile sig_atomic_t reset_asked, stop_asked, paused;

static void
on_usr1(int sig)
{
	(void)sig;
	reset_asked = 1;
}

static void
on_usr2(int sig)
{
	(void)sig;
	paused = sig == SIGUSR2;
}

static void
on_term(int sig)
{
	(void)sig;
	stop_asked = 1;
}

static int
listen_on(const char *addr)
{
	int one = 1, fd;

	if (strncmp(addr, "unix:", 5) == 0) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		if (strlen(addr + 5) >= sizeof sun.sun_path)
			return -ENAMETOOLONG;
		strcpy(sun.sun_path, addr + 5);
		unlink(sun.sun_path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0)
			return -errno;
	} else if (strncmp(addr, "tcp:", 4) == 0) {
		struct sockaddr_in sin = { .sin_family = AF_INET };
		socklen_t sl = sizeof sin;

		sin.sin_port = htons((unsigned short)atoi(addr + 4));
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 ||
		    getsockname(fd, (struct sockaddr *)&sin, &sl) < 0)
			return -errno;
		printf("%u\n", ntohs(sin.sin_port));
		fflush(stdout);
	} else {
		return -EINVAL;
	}
	if (listen(fd, 4) < 0)
		return -errno;
	return fd;
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	char rbuf[65536], *line;
	size_t have = 0;
	unsigned long cut = 0;
	time_t deadline;
	FILE *out;
	int lfd, cfd = -1;

	if (argc != 4) {
		fprintf(stderr, "usage: collector unix:PATH|tcp:PORT OUT LIFETIME_S\n");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	deadline = time(NULL) + atoi(argv[3]);
	lfd = listen_on(argv[1]);
	if (lfd < 0) {
		fprintf(stderr, "collector: %s: %s\n", argv[1], strerror(-lfd));
		return 1;
	}
	out = fopen(argv[2], "a");
	line = malloc(LINE_MAX_BYTES);
	if (!out || !line) {
		fprintf(stderr, "collector: %s: %s\n", argv[2], strerror(errno));
		free(line);
		return 1;
	}
	while (!stop_asked && time(NULL) < deadline) {
		struct pollfd p = { .fd = cfd >= 0 ? cfd : lfd, .events = POLLIN };
		ssize_t n;

		if (reset_asked && cfd >= 0) {
			close(cfd);
			cfd = -1;
			cut += have > 0;
			have = 0;
		}
		reset_asked = 0;
		if (paused) {
			struct timespec ts = { 0, 20 * 1000 * 1000 };

			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		if (cfd < 0) {
			cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
			continue;
		}
		n = read(cfd, rbuf, sizeof rbuf);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			close(cfd);
			cfd = -1;
			cut += have > 0;
			have = 0;
			continue;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (have < LINE_MAX_BYTES)
				line[have++] = rbuf[i];
			if (rbuf[i] == '\n') {
				fwrite(line, 1, have, out);
				have = 0;
			}
		}
		fflush(out);
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	fclose(out);
	free(line);
	fprintf(stderr, "collector: %lu cut line(s) not written\n", cut + (have > 0));
	return 0;
}
