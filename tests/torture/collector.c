/*
 * collector: the torture harness's receiver. Listens on a unix stream
 * socket or a loopback TCP port, takes one connection at a time (a new one
 * replaces a broken one) and appends every complete line it reads to OUT.
 * A line cut by a broken connection is not written (a collector cannot
 * trust half a record); the count of such pieces goes to stderr at exit.
 *
 *   collector unix:PATH OUT LIFETIME_S [PAUSE_AFTER]
 *   collector tcp:PORT OUT LIFETIME_S [PAUSE_AFTER]   (PORT 0: any; the port is printed)
 *
 * PAUSE_AFTER: once it has written that many lines, it stops reading as on
 * SIGUSR2 (acknowledged "paused"): a collector that stalls part-way through
 * a stream, at a point that does not depend on timing.
 *
 * Control, by signal: SIGUSR1 closes the current connection (a collector
 * reset); SIGUSR2 stops reading (a collector that does not keep up: the
 * sender's queue fills) until SIGCONT; SIGTERM stops it cleanly; SIGHUP is
 * ignored. Each control signal is acted on in the main loop, and only then
 * acknowledged by a line in OUT.ctl ("reset", "paused", "reading"): the
 * harness waits for that line before it goes on, so two control signals
 * are never pending at once (pending signals are delivered in signal
 * number order, not in the order they were sent: a SIGUSR2 and a SIGCONT
 * pending together used to leave the collector paused for good).
 *
 * Nothing read is lost to a clean stop: the complete lines of every read
 * are written with write(2) before the next read, so when the collector
 * stops (SIGTERM, its lifetime) every line the sender saw taken is in OUT.
 * A SIGKILL can lose what was read and not yet written: that is a
 * collector losing what it acknowledged, which no sender can see (README,
 * "Guarantees"); the harness does not do it. Bounded: it exits by itself
 * after LIFETIME_S seconds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../peer.h"

#define READ_BYTES 65536u
#define PENDING_MAX ((1u << 20) + READ_BYTES) /* a line longer than 1 MiB is cut */

static volatile sig_atomic_t reset_seq, pause_seq, pause_wanted, stop_asked;

static void
on_usr1(int sig)
{
	(void)sig;
	reset_seq++;
}

static void
on_pause(int sig)
{
	pause_wanted = sig == SIGUSR2;
	pause_seq++;
}

static void
on_term(int sig)
{
	(void)sig;
	stop_asked = 1;
}

/* Acknowledges a control signal once it took effect: one line in CTL. */
static void
ack(const char *ctl, const char *what)
{
	char line[32];
	int fd = open(ctl, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	int len = snprintf(line, sizeof line, "%s\n", what);

	if (fd < 0 || fw_test_write_all(fd, line, (size_t)len) < 0)
		fprintf(stderr, "collector: %s: %s\n", ctl, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Writes the complete lines at the start of BUF to OUT (counted in *lines); returns the bytes written. */
static ssize_t
write_lines(int out, const char *buf, size_t have, unsigned long *lines)
{
	size_t end = have;
	int r;

	while (end > 0 && buf[end - 1] != '\n')
		end--;
	if (end == 0)
		return 0;
	r = fw_test_write_all(out, buf, end);
	for (size_t i = 0; r >= 0 && i < end; i++)
		*lines += buf[i] == '\n';
	return r < 0 ? r : (ssize_t)end;
}

int
main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sig_atomic_t resets_seen = 0, pauses_seen = 0;
	size_t have = 0;
	unsigned long cut = 0, lines = 0, pause_after = 0;
	bool paused = false;
	char *buf, ctl[4096];
	time_t deadline;
	int lfd, out, cfd = -1, rc = 0;
	unsigned port;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: collector unix:PATH|tcp:PORT OUT LIFETIME_S [PAUSE_AFTER]\n");
		return 2;
	}
	if (argc == 5)
		pause_after = strtoul(argv[4], NULL, 10);
	if ((size_t)snprintf(ctl, sizeof ctl, "%s.ctl", argv[2]) >= sizeof ctl) {
		fprintf(stderr, "collector: %s: name too long\n", argv[2]);
		return 2;
	}
	/* Handlers do not nest: each sees the others' effects whole. */
	sigfillset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_pause;
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	deadline = time(NULL) + atoi(argv[3]);
	lfd = fw_test_listen(argv[1], &port);
	if (lfd < 0) {
		fprintf(stderr, "collector: %s: %s\n", argv[1], strerror(-lfd));
		return 1;
	}
	if (port) {
		printf("%u\n", port);
		fflush(stdout);
	}
	out = open(argv[2], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	buf = malloc(PENDING_MAX);
	if (out < 0 || !buf) {
		fprintf(stderr, "collector: %s: %s\n", argv[2], strerror(errno));
		free(buf);
		return 1;
	}
	while (!stop_asked && time(NULL) < deadline) {
		struct pollfd p = { .fd = cfd >= 0 ? cfd : lfd, .events = POLLIN };
		ssize_t n;

		if (reset_seq != resets_seen) {
			resets_seen = reset_seq;
			if (cfd >= 0) {
				close(cfd);
				cfd = -1;
				cut += have > 0;
				have = 0;
			}
			ack(ctl, "reset");
		}
		if (pause_seq != pauses_seen) {
			pauses_seen = pause_seq;
			paused = pause_wanted;
			ack(ctl, paused ? "paused" : "reading");
		}
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
		if (have == PENDING_MAX) {
			cut++;
			have = 0;
		}
		n = read(cfd, buf + have, PENDING_MAX - have < READ_BYTES ? PENDING_MAX - have : READ_BYTES);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			close(cfd);
			cfd = -1;
			cut += have > 0;
			have = 0;
			continue;
		}
		have += (size_t)n;
		n = write_lines(out, buf, have, &lines);
		if (n < 0) {
			fprintf(stderr, "collector: %s: %s\n", argv[2], strerror((int)-n));
			rc = 1;
			break;
		}
		memmove(buf, buf + n, have - (size_t)n);
		have -= (size_t)n;
		if (pause_after && lines >= pause_after) {
			pause_after = 0;
			paused = true;
			ack(ctl, "paused");
		}
	}
	if (cfd >= 0)
		close(cfd);
	close(lfd);
	close(out);
	free(buf);
	fprintf(stderr, "collector: %lu cut line(s) not written\n", cut + (have > 0));
	return rc;
}
