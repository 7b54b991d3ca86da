/*
 * writer: the torture harness's log writer. Appends the numbered lines
 * FIRST .. FIRST+COUNT-1 to FILE, cut into write() calls of sizes drawn from
 * SEED (1 byte to 16 KiB, so lines arrive split at any byte), with short
 * pauses between some of them so a reader sees partial lines.
 *
 *   writer FILE FIRST COUNT SEED [HEADER_BYTES]
 *
 * HEADER_BYTES > 0 first writes a comment line of that many bytes that is
 * the same in every file (it matches no KB record): files that share their
 * first bytes. Line N is "n=%08u No space left on device (sdX) <pad>", X and
 * the pad's length and letter derived from N (check.awk rebuilds it), so a
 * split, merged or damaged line is told from a good one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../peer.h"

#define BUF_MAX (1u << 20)

/* xorshift64: deterministic from the seed, the same on every host. */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t
format_line(char *dst, size_t room, unsigned long n)
{
	unsigned pad = (unsigned)((n * 2654435761u) % 301u);
	int len = snprintf(dst, room, "n=%08lu No space left on device (sd%c) ", n,
	    (int)('a' + n % 26));
	size_t at;

	if (len < 0 || (size_t)len + pad + 1 >= room)
		return 0;
	at = (size_t)len;
	memset(dst + at, 'a' + (int)((n / 26) % 26), pad);
	at += pad;
	dst[at++] = '\n';
	return at;
}

int
main(int argc, char **argv)
{
	unsigned long first, count, n, header;
	uint64_t seed;
	size_t len = 0, at, chunk;
	char *buf;
	int fd, rc = 0;

	if (argc < 5 || argc > 6) {
		fprintf(stderr, "usage: writer FILE FIRST COUNT SEED [HEADER_BYTES]\n");
		return 2;
	}
	first = strtoul(argv[2], NULL, 10);
	count = strtoul(argv[3], NULL, 10);
	seed = strtoull(argv[4], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
	header = argc == 6 ? strtoul(argv[5], NULL, 10) : 0;
	if (header >= 4096)
		header = 4095;
	buf = malloc(BUF_MAX);
	if (!buf)
		return 1;
	fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "writer: %s: %s\n", argv[1], strerror(errno));
		free(buf);
		return 1;
	}
	if (header > 1) {
		buf[0] = '#';
		memset(buf + 1, 'H', header - 2);
		buf[header - 1] = '\n';
		len = header;
	}
	for (n = first; n < first + count; n++) {
		size_t l = format_line(buf + len, BUF_MAX - len, n);

		if (l == 0)
			break;
		len += l;
	}
	if (n != first + count) {
		fprintf(stderr, "writer: too many lines at once (%lu)\n", count);
		rc = 1;
		goto out;
	}
	for (at = 0; at < len && rc == 0; at += chunk) {
		uint64_t r = next_rand(&seed);

		/* Mostly small writes, some large: every size of append. */
		chunk = (r & 3) == 0 ? 1 + (r >> 8) % 16384 : 1 + (r >> 8) % 200;
		if (chunk > len - at)
			chunk = len - at;
		rc = fw_test_write_all(fd, buf + at, chunk);
		if ((r >> 40) % 16 == 0) {
			struct timespec ts = { 0, (long)((r >> 48) % 3000) * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	if (rc < 0) {
		fprintf(stderr, "writer: %s: %s\n", argv[1], strerror(-rc));
		rc = 1;
	}
out:
	close(fd);
	free(buf);
	return rc;
}
