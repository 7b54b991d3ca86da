/*
 * term_out: see term_out.h. The stream writes to file descriptor 1 itself
 * (no second stdio buffer to flush in the right order at exit). A UTF-8
 * sequence cut between two writes is held back until the rest comes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/term_out.h"
#include "util/utf8.h"

struct term_out {
	unsigned char held[4];      /* the start of a sequence cut by the last write */
	size_t n_held;
	char *buf;                  /* escaped bytes, reused */
	size_t cap;
};

/* Bytes at the end of s[0..n) that start a UTF-8 sequence not complete yet. */
static size_t
cut_tail(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = s[n - k];
		size_t need;

		if ((c & 0xc0) == 0x80)
			continue;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

static int
put_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Escapes s[0..n) into t->buf; its length, or -1 on OOM. */
static ssize_t
escape(struct term_out *t, const unsigned char *s, size_t n)
{
	size_t len = 0;

	if (t->cap < 4 * n) {
		char *b = realloc(t->buf, 4 * n);

		if (!b)
			return -1;
		t->buf = b;
		t->cap = 4 * n;
	}
	for (size_t i = 0; i < n;) {
		size_t k = s[i] == '\n' || s[i] == '\t' ? 1 : fw_utf8_safe_seq(s + i, n - i);

		if (k > 0) {
			memcpy(t->buf + len, s + i, k);
			len += k;
			i += k;
		} else {
			len += (size_t)snprintf(t->buf + len, 5, "\\x%02x", s[i]);
			i++;
		}
	}
	return (ssize_t)len;
}

static ssize_t
term_write(void *cookie, const char *data, size_t size)
{
	struct term_out *t = cookie;
	unsigned char *s = malloc(t->n_held + size);
	size_t n = t->n_held + size, keep;
	ssize_t len;

	if (!s)
		return -1;
	memcpy(s, t->held, t->n_held);
	memcpy(s + t->n_held, data, size);
	keep = cut_tail(s, n);
	len = escape(t, s, n - keep);
	if (len >= 0 && put_all(t->buf, (size_t)len) == 0) {
		memcpy(t->held, s + n - keep, keep);
		t->n_held = keep;
		free(s);
		return (ssize_t)size;
	}
	free(s);
	return -1;
}

static int
term_close(void *cookie)
{
	struct term_out *t = cookie;
	ssize_t len = escape(t, t->held, t->n_held);
	int r = len >= 0 && put_all(t->buf, (size_t)len) == 0 ? 0 : -1;

	free(t->buf);
	free(t);
	return r;
}

static FILE *installed, *original;

/* At exit, before stdio flushes what is left: writes the rest and frees the stream. */
static void
close_installed(void)
{
	if (installed && stdout == installed) {
		fclose(installed);
		stdout = original;
	}
	installed = NULL;
}

int
fw_term_out_install(void)
{
	static const cookie_io_functions_t io = { .write = term_write, .close = term_close };
	struct term_out *t;
	FILE *f;

	if (!isatty(STDOUT_FILENO))
		return 0;
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	f = fopencookie(t, "w", io);
	if (!f) {
		free(t);
		return -errno;
	}
	if (atexit(close_installed) != 0) {
		fclose(f);
		return -ENOMEM;
	}
	fflush(stdout);
	original = stdout;
	stdout = installed = f;
	return 0;
}
