/*
 * testutil: temporary directories, fixtures and KB loading for the unit tests.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

static char *test_dir;
static char **scratch;
static size_t n_scratch, cap_scratch;

static char *
keep(char *s)
{
	if (!s)
		fail_msg("out of memory");
	if (n_scratch == cap_scratch) {
		size_t cap = cap_scratch ? cap_scratch * 2 : 32;
		char **v = realloc(scratch, cap * sizeof *v);

		if (!v)
			fail_msg("out of memory");
		scratch = v;
		cap_scratch = cap;
	}
	scratch[n_scratch++] = s;
	return s;
}

int
tu_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl;

	if (asprintf(&tmpl, "%s/fw-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		return -1;
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "mkdtemp %s: %s\n", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	test_dir = tmpl;
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int
tu_teardown(void **state)
{
	int rc = 0;

	if (test_dir) {
		rc = nftw(test_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(test_dir);
		test_dir = NULL;
	}
	for (size_t i = 0; i < n_scratch; i++)
		free(scratch[i]);
	free(scratch);
	scratch = NULL;
	n_scratch = cap_scratch = 0;
	return rc;
}

const char *
tu_dir(void)
{
	assert_non_null(test_dir);
	return test_dir;
}

char *
tu_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	return keep(rc < 0 ? NULL : s);
}

char *
tu_path(const char *rel)
{
	return tu_fmt("%s/%s", tu_dir(), rel);
}

static void
make_parents(char *path)
{
	for (char *p = path + strlen(tu_dir()) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir %s: %s", path, strerror(errno));
		*p = '/';
	}
}

char *
tu_mkdir(const char *rel)
{
	char *path = tu_path(rel);

	make_parents(path);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", path, strerror(errno));
	return path;
}

char *
tu_write_bytes(const char *rel, const char *data, size_t len)
{
	char *path = tu_path(rel);
	FILE *f;

	make_parents(path);
	f = fopen(path, "wb");
	if (!f)
		fail_msg("fopen %s: %s", path, strerror(errno));
	if (len && fwrite(data, 1, len, f) != len)
		fail_msg("fwrite %s: %s", path, strerror(errno));
	if (fclose(f) != 0)
		fail_msg("fclose %s: %s", path, strerror(errno));
	return path;
}

char *
tu_write(const char *rel, const char *text)
{
	return tu_write_bytes(rel, text, strlen(text));
}

char *
tu_json(const char *single_quoted)
{
	char *s = keep(strdup(single_quoted));

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

const char *
tu_srcdir(void)
{
	const char *s = getenv("top_srcdir");

	return s && *s ? s : FW_SRCDIR;
}

char *
tu_seed_path(void)
{
	return tu_fmt("%s/tests/data/seed/cloudfront-custom-origin-ssl-handshake-failed.json", tu_srcdir());
}

struct fw_kb *
tu_kb_load(const char *const *paths, size_t n, bool no_jit)
{
	struct fw_kb_options opts = { .no_jit = no_jit };
	struct fw_diag diag;
	struct fw_kb *kb = NULL;
	int rc;

	fw_diag_init(&diag);
	rc = fw_kb_load(paths, n, &opts, &kb, &diag);
	if (rc != 0 || fw_diag_count(&diag) != 0) {
		fw_diag_print(&diag, stderr);
		fw_diag_clear(&diag);
		fail_msg("loading the KB failed: %d", rc);
	}
	fw_diag_clear(&diag);
	assert_non_null(kb);
	return kb;
}

struct fw_kb *
tu_kb_from_lines(const char *rel, const char *const *lines, size_t n, bool no_jit)
{
	size_t total = 0, o = 0;
	char *text, *path;

	for (size_t i = 0; i < n; i++)
		total += strlen(lines[i]) + 1;
	text = keep(malloc(total + 1));
	for (size_t i = 0; i < n; i++) {
		const char *l = tu_json(lines[i]);

		memcpy(text + o, l, strlen(l));
		o += strlen(l);
		text[o++] = '\n';
	}
	text[o] = '\0';
	path = tu_write(rel, text);
	return tu_kb_load((const char *const *)&path, 1, no_jit);
}

void
tu_kb_expect_errors(const char *const *paths, size_t n, const char *const *expected,
		    size_t n_expected)
{
	struct fw_diag diag;
	struct fw_kb *kb = (struct fw_kb *)&diag; /* must be reset to NULL */
	int rc;

	fw_diag_init(&diag);
	rc = fw_kb_load(paths, n, NULL, &kb, &diag);
	if (diag.n != n_expected) {
		size_t got = diag.n;

		fw_diag_print(&diag, stderr);
		fw_diag_clear(&diag);
		fail_msg("expected %zu messages, got %zu", n_expected, got);
	}
	for (size_t i = 0; i < n_expected; i++)
		assert_string_equal(diag.msgs[i], expected[i]);
	assert_int_equal(diag.dropped, 0);
	fw_diag_clear(&diag);
	assert_int_equal(rc, -EINVAL);
	assert_null(kb);
}
