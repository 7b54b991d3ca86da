/*
 * testutil: helpers shared by the cmocka unit tests.
 *
 * Each test gets a fresh temporary directory (tu_setup/tu_teardown as the
 * cmocka setup and teardown); fixtures are written into it at test time.
 * Strings returned by tu_fmt(), tu_path() and tu_write() belong to the
 * test and are freed by tu_teardown().
 */
#ifndef FW_TESTUTIL_H
#define FW_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "kb/kb.h"

/* cmocka setup/teardown: a fresh directory per test; removed with its content. */
int tu_setup(void **state);
int tu_teardown(void **state);

/* The current test's directory. */
const char *tu_dir(void);

/* printf into a string freed at teardown. */
char *tu_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "<dir>/<rel>" (freed at teardown). */
char *tu_path(const char *rel);

/*
 * Writes len bytes to <dir>/<rel>, creating the parent directories.
 * Returns the full path (freed at teardown). tu_write() writes a C string.
 */
char *tu_write_bytes(const char *rel, const char *data, size_t len);
char *tu_write(const char *rel, const char *text);

/* Makes <dir>/<rel> as a directory (and its parents); returns its path. */
char *tu_mkdir(const char *rel);

/*
 * JSON without escaped quotes in C: every ' becomes ". Write \u0027 in the
 * JSON text for an apostrophe. Freed at teardown.
 */
char *tu_json(const char *single_quoted);

/* The source tree: $top_srcdir, else the configure-time FW_SRCDIR. */
const char *tu_srcdir(void);
/* The seed record as it came, kept byte for byte under tests/data/seed (freed at teardown). */
char *tu_seed_path(void);

/* Loads a KB that must load: fails the test with every diag message otherwise. */
struct fw_kb *tu_kb_load(const char *const *paths, size_t n, bool no_jit);
/* Writes one *.jsonl of the given lines (tu_json form) and loads it. */
struct fw_kb *tu_kb_from_lines(const char *rel, const char *const *lines, size_t n, bool no_jit);

/*
 * Loads paths expecting failure: asserts -EINVAL, no KB, and that the diag
 * list holds exactly the expected messages in order.
 */
void tu_kb_expect_errors(const char *const *paths, size_t n, const char *const *expected,
			 size_t n_expected);

#define TU_N(a) (sizeof(a) / sizeof((a)[0]))

#endif
