/*
 * test_notify: sd_notify(3)'s protocol against a real AF_UNIX datagram
 * socket bound at a path and in the abstract namespace, the addresses that
 * are refused, and the watchdog's variables with good and bad values.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "util/notify.h"

/* A datagram socket bound at `name` as $NOTIFY_SOCKET spells it. */
static int
listen_at(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(name);
	socklen_t salen;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_true(len < sizeof sa.sun_path);
	memcpy(sa.sun_path, name, len);
	salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	else
		salen++;
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, salen), 0);
	return fd;
}

static void
expect_message(int fd, const char *want)
{
	char buf[FW_NOTIFY_MAX + 1];
	ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);

	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void
test_unset_sends_nothing(void **state)
{
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(fw_notify("READY=1"), 0);
	assert_int_equal(fw_notifyf("STATUS=%d", 1), 0);
	setenv("NOTIFY_SOCKET", "", 1);
	assert_int_equal(fw_notify("READY=1"), 0);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_path_socket(void **state)
{
	char *path = tu_path("notify");
	int fd = listen_at(path);

	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(fw_notify("READY=1"), 1);
	expect_message(fd, "READY=1");
	assert_int_equal(fw_notifyf("STATUS=lines %llu, %s", 12ULL, "ok"), 1);
	expect_message(fd, "STATUS=lines 12, ok");
	assert_int_equal(fw_notify("RELOADING=1\nMONOTONIC_USEC=5"), 1);
	expect_message(fd, "RELOADING=1\nMONOTONIC_USEC=5");
	close(fd);

	/* Nobody listening any more: the error is the caller's to see. */
	assert_int_equal(fw_notify("WATCHDOG=1"), -ECONNREFUSED);
	unlink(path);
	assert_int_equal(fw_notify("WATCHDOG=1"), -ENOENT);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_abstract_socket(void **state)
{
	char *name = tu_fmt("@fixwatch-test-notify-%ld", (long)getpid());
	int fd = listen_at(name);

	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(fw_notify("STOPPING=1"), 1);
	expect_message(fd, "STOPPING=1");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_refused_addresses(void **state)
{
	char longname[200];

	setenv("NOTIFY_SOCKET", "relative/notify", 1);
	assert_int_equal(fw_notify("READY=1"), -EAFNOSUPPORT);
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	assert_int_equal(fw_notify("READY=1"), -EAFNOSUPPORT);
	memset(longname, 'a', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	assert_int_equal(fw_notify("READY=1"), -ENAMETOOLONG);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_message_too_long(void **state)
{
	char *path = tu_path("notify");
	int fd = listen_at(path);
	char *big = malloc(FW_NOTIFY_MAX + 2);

	assert_non_null(big);
	memset(big, 'x', FW_NOTIFY_MAX + 1);
	big[FW_NOTIFY_MAX + 1] = '\0';
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(fw_notifyf("%s", big), -EMSGSIZE);
	big[FW_NOTIFY_MAX] = '\0';
	assert_int_equal(fw_notifyf("%s", big), 1);
	free(big);
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

static void
test_watchdog(void **state)
{
	uint64_t usec = 7;
	char pid[32];

	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(fw_notify_watchdog(&usec), 0);
	assert_int_equal(usec, 7);

	setenv("WATCHDOG_USEC", "30000000", 1);
	assert_int_equal(fw_notify_watchdog(&usec), 1);
	assert_int_equal(usec, 30000000);

	setenv("WATCHDOG_PID", pid, 1);
	usec = 7;
	assert_int_equal(fw_notify_watchdog(&usec), 1);
	assert_int_equal(usec, 30000000);

	/* Meant for another process (the one that forked us, say). */
	snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	usec = 7;
	assert_int_equal(fw_notify_watchdog(&usec), 0);
	assert_int_equal(usec, 7);

	static const char *const bad_pid[] = { "", "0", "-1", "12x", "abc" };
	for (size_t i = 0; i < sizeof bad_pid / sizeof *bad_pid; i++) {
		setenv("WATCHDOG_PID", bad_pid[i], 1);
		assert_int_equal(fw_notify_watchdog(&usec), -EINVAL);
	}
	unsetenv("WATCHDOG_PID");

	static const char *const bad_usec[] = { "", "0", "-5", "+5", " 5", "5 ", "1e6", "0x10",
		"18446744073709551615", "18446744073709551616", "99999999999999999999999" };
	for (size_t i = 0; i < sizeof bad_usec / sizeof *bad_usec; i++) {
		setenv("WATCHDOG_USEC", bad_usec[i], 1);
		assert_int_equal(fw_notify_watchdog(&usec), -EINVAL);
	}
	assert_int_equal(usec, 7);
	setenv("WATCHDOG_USEC", "18446744073709551614", 1);
	assert_int_equal(fw_notify_watchdog(&usec), 1);
	assert_true(usec == UINT64_C(18446744073709551614));
	unsetenv("WATCHDOG_USEC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unset_sends_nothing),
		cmocka_unit_test_setup_teardown(test_path_socket, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_abstract_socket, tu_setup, tu_teardown),
		cmocka_unit_test(test_refused_addresses),
		cmocka_unit_test_setup_teardown(test_message_too_long, tu_setup, tu_teardown),
		cmocka_unit_test(test_watchdog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
