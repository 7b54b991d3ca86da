/*
 * notify_listen: plays systemd's side of sd_notify(3) for the scenarios.
 *
 *   notify_listen SOCKET OUT WATCHDOG_USEC CMD [ARG...]
 *
 * Binds a datagram socket at SOCKET, runs CMD with NOTIFY_SOCKET set (and
 * WATCHDOG_USEC / WATCHDOG_PID when WATCHDOG_USEC is not 0), and appends
 * to OUT "PID n" and then every message received, one per line, newlines
 * inside a message shown as " | ". Exits with CMD's status once it ended.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void
drain(int fd, FILE *out)
{
	char buf[4096];
	ssize_t n;
	while ((n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = '|';
		buf[n] = '\0';
		fprintf(out, "%s\n", buf);
		fflush(out);
	}
}

int
main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: notify_listen SOCKET OUT WATCHDOG_USEC CMD [ARG...]\n");
		return 2;
	}
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(argv[1]) >= sizeof sa.sun_path) {
		fprintf(stderr, "notify_listen: socket path too long\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror("notify_listen: socket");
		return 2;
	}
	FILE *out = fopen(argv[2], "a");
	if (!out) {
		perror(argv[2]);
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		char num[32];
		setenv("NOTIFY_SOCKET", argv[1], 1);
		if (strcmp(argv[3], "0") != 0) {
			snprintf(num, sizeof num, "%ld", (long)getpid());
			setenv("WATCHDOG_PID", num, 1);
			setenv("WATCHDOG_USEC", argv[3], 1);
		}
		execv(argv[4], argv + 4);
		perror(argv[4]);
		_exit(127);
	}
	fprintf(out, "PID %ld\n", (long)pid);
	fflush(out);
	int status = 0;
	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		poll(&p, 1, 100);
		drain(fd, out);
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
	}
	drain(fd, out);
	fclose(out);
	unlink(argv[1]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
