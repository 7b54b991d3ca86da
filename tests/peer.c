/* peer: see peer.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "peer.h"

int
fw_test_listen(const char *addr, unsigned *port)
{
	int one = 1, fd;

	*port = 0;
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
		*port = ntohs(sin.sin_port);
	} else {
		return -EINVAL;
	}
	if (listen(fd, 4) < 0)
		return -errno;
	return fd;
}

int
fw_test_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}
