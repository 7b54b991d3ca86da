/*
 * status_cmd: `fixwatch status [-s PATH] [--json]`: asks the running
 * fixwatchd over its control socket and prints the answer, readable or as
 * the JSON object. Exit 0, 1 when the daemon cannot be asked, 2 usage.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/status.h"
#include "util/utf8.h"

/* The [daemon] control_socket default (fwconfig.c). */
#define STATUS_DEFAULT_SOCKET "/run/fixwatch/control.sock"
#define STATUS_ANSWER_MAX (16u << 20)

static int
ask(const char *path, char **answer)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { .tv_sec = 5 };
	size_t len = 0, cap = 65536;
	char *buf;
	ssize_t n;
	int fd, err;

	if (strlen(path) >= sizeof sun.sun_path)
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0 ||
	    write(fd, "status\n", 7) != 7) {
		err = -errno;
		close(fd);
		return err;
	}
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (len + 1 == cap) {
			char *b = cap < STATUS_ANSWER_MAX ? realloc(buf, cap * 2) : NULL;

			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	err = !buf ? -ENOMEM : n < 0 ? -errno : 0;
	close(fd);
	if (err < 0) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	*answer = buf;
	return 0;
}

/* "fixwatch: status: PATH: WHAT", both escaped for the terminal. */
static void
status_error(const char *path, const char *what)
{
	fputs("fixwatch: status: ", stderr);
	fw_utf8_puts_escaped(stderr, path);
	fputs(": ", stderr);
	fw_utf8_puts_escaped(stderr, what);
	fputc('\n', stderr);
}

int
fw_status_command(int argc, char **argv)
{
	const char *path = STATUS_DEFAULT_SOCKET;
	bool json = false;
	char *answer = NULL;
	json_object *st, *e;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if ((strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "--socket") == 0) &&
			   i + 1 < argc) {
			path = argv[++i];
		} else {
			fputs("fixwatch: status: unexpected argument '", stderr);
			fw_utf8_puts_escaped(stderr, argv[i]);
			fputs("' (usage: fixwatch status [-s SOCKET] [--json])\n", stderr);
			return 2;
		}
	}
	err = ask(path, &answer);
	if (err < 0) {
		status_error(path, strerror(-err));
		fputs("  (is fixwatchd running with control_socket = ", stderr);
		fw_utf8_puts_escaped(stderr, path);
		fputs("?)\n", stderr);
		return 1;
	}
	st = json_tokener_parse(answer);
	if (!st || !json_object_is_type(st, json_type_object)) {
		status_error(path, "not a status answer");
		json_object_put(st);
		free(answer);
		return 1;
	}
	if (json_object_object_get_ex(st, "error", &e)) {
		status_error(path, json_object_get_string(e));
		err = 1;
	} else if (json) {
		puts(json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
							JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		fw_status_print_text(st, stdout);
	}
	json_object_put(st);
	free(answer);
	return err ? 1 : 0;
}
