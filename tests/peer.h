/*
 * peer: what the test collectors and the harness's writer share: a
 * listening socket on "unix:PATH" or "tcp:PORT" (loopback; port 0 picks a
 * free one) and a write that finishes what it starts.
 */
#ifndef FW_TESTS_PEER_H
#define FW_TESTS_PEER_H

#include <stddef.h>

/* A listening stream socket for addr; *port is the TCP port bound (0 for
 * unix). The fd, or -errno (-EINVAL: neither prefix). */
int fw_test_listen(const char *addr, unsigned *port);

/* Writes all of p[0..len) to fd, again after EINTR: 0 or -errno. */
int fw_test_write_all(int fd, const char *p, size_t len);

#endif
