/*
 * notify: the service manager's notification protocol, as sd_notify(3)
 * describes it, without libsystemd: one datagram per message to the
 * AF_UNIX socket named by $NOTIFY_SOCKET (a path, or '@' and a name in
 * Linux's abstract namespace), and the watchdog's interval from
 * $WATCHDOG_USEC and $WATCHDOG_PID.
 *
 * Both functions read the environment on every call and leave it as it is
 * (libsystemd's unset_environment = 0). Nothing is kept between calls: a
 * message opens a socket, sends and closes it.
 */
#ifndef FW_NOTIFY_H
#define FW_NOTIFY_H

#include <stdint.h>

/* Sends `state` ("READY=1", "STATUS=...", newline-separated assignments).
 * 0 when $NOTIFY_SOCKET is unset or empty, 1 when the datagram was sent, a
 * negative errno otherwise (-EAFNOSUPPORT for an address that is neither a
 * path nor '@', -ENAMETOOLONG for one longer than sun_path). */
int fw_notify(const char *state);

/* fw_notify() of a formatted message; -EMSGSIZE past FW_NOTIFY_MAX bytes. */
#define FW_NOTIFY_MAX 4096
int fw_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 and *usec when the manager expects "WATCHDOG=1" at least every *usec
 * microseconds; 0 when $WATCHDOG_USEC is unset or $WATCHDOG_PID names
 * another process; -EINVAL when either is not a number, or the interval is
 * 0 or infinite (UINT64_MAX). *usec is written only on 1. */
int fw_notify_watchdog(uint64_t *usec);

#endif
