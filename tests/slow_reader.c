/*
 * slow_reader: test peer for the backpressure scenario. Listens on a unix
 * stream socket, accepts one connection and reads nothing until the file
 * GO exists; then copies everything it receives to OUT until EOF.
 *
 *   slow_reader SOCKET GO OUT
 *
 * Bounded: gives up (exit 1) when GO does not appear within 60 s.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char buf[65536];
	FILE *out;
	ssize_t n;
	int lfd, fd, i;

	if (argc != 4 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: slow_reader SOCKET GO OUT\n");
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof sun) < 0 || listen(lfd, 1) < 0) {
		perror(argv[1]);
		return 1;
	}
	fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("accept");
		return 1;
	}
	for (i = 0; access(argv[2], F_OK) != 0; i++) {
		if (i > 1200)
			return 1;
		usleep(50000);
	}
	out = fopen(argv[3], "w");
	if (!out)
		return 1;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		fwrite(buf, 1, (size_t)n, out);
		fflush(out);
	}
	fclose(out);
	return 0;
}
