/*
 * fwconfig_value: the strict value parsers of the configuration, shared with
 * the command line: durations, sizes and output addresses (design.md §7, §8).
 *
 * "Strict" means the whole string is consumed: no sign, no blank, no
 * fraction, no unit we do not know, and arithmetic overflow is an error, not
 * a wrap. strtoull() alone accepts " -1" (and wraps it), so digits are
 * checked by hand first.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "core/fwconfig.h"

/* Leading decimal digits of s into *v; returns how many were read, 0 on none or overflow. */
static size_t
parse_digits(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			return 0;
		n = n * 10 + d;
	}
	*v = n;
	return i;
}

int
fw_parse_duration_ms(const char *s, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 },
		{ "h", 3600000 }, { "d", 86400000 },
	};
	uint64_t n;
	size_t len;

	if (!s || !(len = parse_digits(s, &n)))
		return -EINVAL;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(s + len, units[i].unit) != 0)
			continue;
		if (n > UINT64_MAX / units[i].ms)
			return -EINVAL;
		*ms = n * units[i].ms;
		return 0;
	}
	return -EINVAL;
}

void
fw_format_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 }, { "s", 1000 },
	};

	for (size_t i = 0; ms && i < sizeof units / sizeof units[0]; i++) {
		if (ms % units[i].ms == 0) {
			snprintf(buf, len, "%" PRIu64 "%s", ms / units[i].ms, units[i].unit);
			return;
		}
	}
	snprintf(buf, len, "%" PRIu64 "ms", ms);
}

int
fw_parse_size(const char *s, size_t *bytes)
{
	uint64_t n, mul;
	size_t len;

	if (!s || !(len = parse_digits(s, &n)))
		return -EINVAL;
	switch (s[len]) {
	case '\0': mul = 1; break;
	case 'k': case 'K': mul = UINT64_C(1) << 10; break;
	case 'm': case 'M': mul = UINT64_C(1) << 20; break;
	case 'g': case 'G': mul = UINT64_C(1) << 30; break;
	default: return -EINVAL;
	}
	if (s[len] && s[len + 1])
		return -EINVAL;
	if (n > UINT64_MAX / mul || n * mul > SIZE_MAX)
		return -EINVAL;
	*bytes = (size_t)(n * mul);
	return 0;
}

void
fw_address_clear(struct fw_address *a)
{
	free(a->host);
	free(a->path);
	memset(a, 0, sizeof *a);
}

/* RFC 1123 host name: letters, digits, '-' and '.', 1..253 characters. */
static bool
valid_hostname(const char *h, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = h[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	}
	return h[0] != '-' && h[0] != '.';
}

/* HOST:PORT, or HOST alone when default_port is not 0. */
static int
parse_host_port(const char *s, uint16_t default_port, struct fw_address *a, const char **why)
{
	const char *host, *colon;
	size_t hlen;
	uint64_t port;
	size_t plen;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');
		char buf[INET6_ADDRSTRLEN];
		struct in6_addr in6;

		if (!end) {
			*why = "IPv6 address without closing ']'";
			return -EINVAL;
		}
		host = s + 1;
		hlen = (size_t)(end - host);
		if (hlen == 0 || hlen >= sizeof buf) {
			*why = "bad IPv6 address in brackets";
			return -EINVAL;
		}
		memcpy(buf, host, hlen);
		buf[hlen] = '\0';
		if (inet_pton(AF_INET6, buf, &in6) != 1) {
			*why = "bad IPv6 address in brackets";
			return -EINVAL;
		}
		colon = end + 1;
		if (*colon == '\0' && default_port) {
			colon = NULL;
		} else if (*colon != ':') {
			*why = "expected ':PORT' after the host";
			return -EINVAL;
		}
	} else {
		host = s;
		colon = strrchr(s, ':');
		if (!colon && !default_port) {
			*why = "expected HOST:PORT";
			return -EINVAL;
		}
		hlen = colon ? (size_t)(colon - s) : strlen(s);
		if (memchr(host, ':', hlen)) {
			*why = "an IPv6 host must be written in brackets, e.g. [::1]:514";
			return -EINVAL;
		}
		if (!valid_hostname(host, hlen)) {
			*why = "bad host name";
			return -EINVAL;
		}
	}
	if (!colon) {
		port = default_port;
	} else if ((plen = parse_digits(colon + 1, &port)) == 0 || colon[1 + plen] != '\0' ||
		   port == 0 || port > 65535) {
		*why = "the port must be a number from 1 to 65535";
		return -EINVAL;
	}
	a->host = strndup(host, hlen);
	if (!a->host)
		return -ENOMEM;
	a->port = (uint16_t)port;
	return 0;
}

int
fw_parse_address(const char *s, struct fw_address *a, const char **why)
{
	return fw_parse_address_port(s, 0, a, why);
}

int
fw_parse_address_port(const char *s, uint16_t default_port, struct fw_address *a,
		      const char **why)
{
	static const struct { const char *scheme; enum fw_address_kind kind; } schemes[] = {
		{ "tcp://", FW_ADDR_TCP }, { "udp://", FW_ADDR_UDP },
		{ "unix://", FW_ADDR_UNIX }, { "unixgram://", FW_ADDR_UNIXGRAM },
		{ "tls://", FW_ADDR_TLS },
	};
	const char *rest = NULL;
	int r;

	memset(a, 0, sizeof *a);
	*why = NULL;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i].scheme);
		if (strncmp(s, schemes[i].scheme, n) == 0) {
			a->kind = schemes[i].kind;
			rest = s + n;
			break;
		}
	}
	if (!rest) {
		*why = "expected tcp://HOST:PORT, udp://HOST:PORT, tls://HOST:PORT, unix:///PATH "
		       "or unixgram:///PATH";
		return -EINVAL;
	}
	if (a->kind == FW_ADDR_TLS && default_port)
		default_port = FW_SYSLOG_TLS_PORT;
	if (a->kind == FW_ADDR_TCP || a->kind == FW_ADDR_UDP || a->kind == FW_ADDR_TLS) {
		r = parse_host_port(rest, default_port, a, why);
		if (r < 0)
			a->kind = FW_ADDR_NONE;
		return r;
	}
	/* unix:///PATH: an empty authority, then an absolute path (RFC 8089 style). */
	if (rest[0] != '/' || rest[1] == '\0') {
		*why = "a socket address needs an absolute path: unix:///PATH";
		a->kind = FW_ADDR_NONE;
		return -EINVAL;
	}
	if (strlen(rest) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		*why = "socket path too long (at most 107 bytes)";
		a->kind = FW_ADDR_NONE;
		return -EINVAL;
	}
	a->path = strdup(rest);
	if (!a->path) {
		a->kind = FW_ADDR_NONE;
		return -ENOMEM;
	}
	return 0;
}
