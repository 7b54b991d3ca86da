/*
 * notify: sd_notify(3)'s protocol written out; see notify.h.
 *
 * sd_notify(3), NOTES: the state string is the payload of a single datagram
 * to the AF_UNIX socket in $NOTIFY_SOCKET; a first character '@' means the
 * abstract namespace (the '@' becomes the leading NUL of sun_path). The
 * manager reads the sender's credentials from SO_PASSCRED on its side, so
 * the sender attaches none. sd_watchdog_enabled(3): $WATCHDOG_USEC is the
 * interval, $WATCHDOG_PID (when set) the one process it is meant for.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/notify.h"

int
fw_notify(const char *state)
{
	const char *name = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len;
	socklen_t salen;
	ssize_t n;
	int fd, err;

	if (!name || !*name)
		return 0;
	if (name[0] != '/' && name[0] != '@')
		return -EAFNOSUPPORT;
	len = strlen(name);
	if (len > sizeof sa.sun_path || (name[0] == '/' && len == sizeof sa.sun_path))
		return -ENAMETOOLONG;   /* a path needs its NUL; an abstract name does not */
	memcpy(sa.sun_path, name, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0';
	/* The abstract name's length is the address's length: no NUL counted. */
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (name[0] == '/'));

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	do
		n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	while (n < 0 && errno == EINTR);
	err = n < 0 ? -errno : 1;
	close(fd);
	return err;
}

int
fw_notifyf(const char *fmt, ...)
{
	char buf[FW_NOTIFY_MAX + 1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= sizeof buf)
		return -EMSGSIZE;
	return fw_notify(buf);
}

/* A decimal number, all of `s`, no sign, no overflow. */
static int
parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int
fw_notify_watchdog(uint64_t *usec)
{
	const char *s = getenv("WATCHDOG_USEC");
	const char *p;
	uint64_t u, pid;

	if (!s)
		return 0;
	if (parse_u64(s, &u) < 0 || u == 0 || u == UINT64_MAX)
		return -EINVAL;
	p = getenv("WATCHDOG_PID");
	if (p) {
		if (parse_u64(p, &pid) < 0 || pid == 0)
			return -EINVAL;
		if (pid != (uint64_t)getpid())
			return 0;
	}
	*usec = u;
	return 1;
}
