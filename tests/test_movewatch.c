/*
 * test_movewatch: pairing of inotify rename halves into "where a followed
 * file went". Events are fed as the reader would (real watch descriptors
 * on temp directories, synthetic events), so every rule is checked alone:
 * a rename from a followed name is recorded, a recorded file that moves on
 * is followed, a deletion or a rename over it drops it, an unpaired half
 * records nothing, a rename from an unfollowed name records nothing, the
 * records are bounded, and an overflow is counted.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include <cmocka.h>

#include "input/movewatch.h"

struct fixture {
	char dir[64], other[64];
	struct fw_movewatch mw;
	int wd, wd_other;
	int notified;
};

/* Followed: names ending in ".log" in the first directory only. */
static bool
followed(const char *path, void *ctx)
{
	struct fixture *f = ctx;
	size_t n = strlen(path), d = strlen(f->dir);
	return n > d + 5 && strncmp(path, f->dir, d) == 0 && path[d] == '/' &&
	       strchr(path + d + 1, '/') == NULL && strcmp(path + n - 4, ".log") == 0;
}

static void
notify(void *ctx)
{
	((struct fixture *)ctx)->notified++;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/fw-movewatch.XXXXXX");
	snprintf(f->other, sizeof f->other, "/tmp/fw-movewatch.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_non_null(mkdtemp(f->other));
	assert_int_equal(fw_movewatch_init(&f->mw, followed, notify, f), 0);
	assert_int_equal(fw_movewatch_add(&f->mw, f->dir), 0);
	assert_int_equal(fw_movewatch_add(&f->mw, f->other), 0);
	f->wd = f->mw.dirs[0].wd;
	f->wd_other = f->mw.dirs[1].wd;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	fw_movewatch_free(&f->mw);
	rmdir(f->dir);
	rmdir(f->other);
	free(f);
	return 0;
}

static void
rename_ev(struct fixture *f, int wd_from, const char *from, int wd_to, const char *to,
	  uint32_t cookie)
{
	fw_movewatch_event(&f->mw, wd_from, IN_MOVED_FROM, cookie, from);
	fw_movewatch_event(&f->mw, wd_to, IN_MOVED_TO, cookie, to);
}

/* Takes every record; checks they are exactly the expected names (in f->dir). */
static void
expect_taken(struct fixture *f, size_t n, const char *const *names)
{
	char *got[FW_MOVEWATCH_MAX];
	char want[128];
	size_t k = fw_movewatch_take(&f->mw, got, NULL, FW_MOVEWATCH_MAX);
	assert_int_equal(k, n);
	for (size_t i = 0; i < k; i++) {
		snprintf(want, sizeof want, "%s/%s", f->dir, names[i]);
		assert_string_equal(got[i], want);
		free(got[i]);
	}
	assert_int_equal(f->mw.n_moved, 0);
}

static void
test_rename_from_followed(void **state)
{
	struct fixture *f = *state;
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 7);
	expect_taken(f, 1, (const char *const[]){"a.log.1"});
	/* Not from a followed name: nothing. */
	rename_ev(f, f->wd, "a.txt", f->wd, "a.txt.1", 8);
	rename_ev(f, f->wd_other, "b.log", f->wd_other, "b.log.1", 9);
	expect_taken(f, 0, NULL);
}

static void
test_chain_followed(void **state)
{
	struct fixture *f = *state;
	/* logrotate's order: .1 -> .2 first, then a.log -> .1, twice over. */
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 1);
	rename_ev(f, f->wd, "a.log.1", f->wd, "a.log.2", 2);
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 3);
	expect_taken(f, 2, (const char *const[]){"a.log.2", "a.log.1"});
}

/* Each record names the followed name its file left, along a chain too. */
static void
test_chain_keeps_first_name(void **state)
{
	struct fixture *f = *state;
	char *got[2], *from[2], want[128];

	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 1);
	rename_ev(f, f->wd, "a.log.1", f->wd, "a.log.2", 2);
	rename_ev(f, f->wd, "b.log", f->wd, "b.log.1", 3);
	assert_int_equal(fw_movewatch_take(&f->mw, got, from, 2), 2);
	snprintf(want, sizeof want, "%s/a.log.2", f->dir);
	assert_string_equal(got[0], want);
	snprintf(want, sizeof want, "%s/a.log", f->dir);
	assert_string_equal(from[0], want);
	snprintf(want, sizeof want, "%s/b.log", f->dir);
	assert_string_equal(from[1], want);
	for (size_t i = 0; i < 2; i++) {
		free(got[i]);
		free(from[i]);
	}
	assert_int_equal(f->mw.n_moved, 0);
}

static void
test_delete_and_overwrite_drop(void **state)
{
	struct fixture *f = *state;
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 1);
	fw_movewatch_event(&f->mw, f->wd, IN_DELETE, 0, "a.log.1");
	expect_taken(f, 0, NULL);
	/* Renamed over by a file from an unfollowed name: gone. */
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 2);
	rename_ev(f, f->wd, "x.tmp", f->wd, "a.log.1", 3);
	expect_taken(f, 0, NULL);
	/* Moved out to a directory not watched: an unpaired half; dropped. */
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 4);
	fw_movewatch_event(&f->mw, f->wd, IN_MOVED_FROM, 5, "a.log.1");
	fw_movewatch_event(&f->mw, f->wd, IN_DELETE, 0, "other");
	expect_taken(f, 0, NULL);
	/* Moved in from elsewhere over a record: the record is gone. */
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 6);
	fw_movewatch_event(&f->mw, f->wd, IN_MOVED_TO, 99, "a.log.1");
	expect_taken(f, 0, NULL);
}

static void
test_unpaired_and_cookies(void **state)
{
	struct fixture *f = *state;
	/* A second half with another cookie does not pair. */
	fw_movewatch_event(&f->mw, f->wd, IN_MOVED_FROM, 1, "a.log");
	fw_movewatch_event(&f->mw, f->wd, IN_MOVED_TO, 2, "a.log.1");
	expect_taken(f, 0, NULL);
	/* ... and the first half still pairs with its own. */
	fw_movewatch_event(&f->mw, f->wd, IN_MOVED_TO, 1, "a.log.9");
	expect_taken(f, 1, (const char *const[]){"a.log.9"});
	/* An unknown wd names no path. */
	rename_ev(f, 12345, "a.log", 12345, "a.log.1", 3);
	expect_taken(f, 0, NULL);
	/* Across directories: a followed file moved to another watched one. */
	rename_ev(f, f->wd, "a.log", f->wd_other, "a.log.1", 4);
	char *got[2];
	assert_int_equal(fw_movewatch_take(&f->mw, got, NULL, 2), 1);
	char want[160];
	snprintf(want, sizeof want, "%s/a.log.1", f->other);
	assert_string_equal(got[0], want);
	free(got[0]);
}

static void
test_bounded_and_overflow(void **state)
{
	struct fixture *f = *state;
	char to[32];
	for (unsigned i = 0; i < FW_MOVEWATCH_MAX + 5; i++) {
		snprintf(to, sizeof to, "a.log.%u", i);
		rename_ev(f, f->wd, "a.log", f->wd, to, i + 1);
	}
	assert_int_equal(f->mw.n_moved, FW_MOVEWATCH_MAX);
	assert_int_equal(f->mw.dropped, 5);
	/* The oldest went: the first left is a.log.5. */
	char *got[FW_MOVEWATCH_MAX];
	size_t k = fw_movewatch_take(&f->mw, got, NULL, 2);
	assert_int_equal(k, 2);
	assert_non_null(strstr(got[0], "/a.log.5"));
	assert_non_null(strstr(got[1], "/a.log.6"));
	free(got[0]);
	free(got[1]);
	assert_int_equal(f->mw.n_moved, FW_MOVEWATCH_MAX - 2);
	fw_movewatch_event(&f->mw, -1, IN_Q_OVERFLOW, 0, "");
	assert_int_equal(f->mw.overflows, 1);
	/* The same destination twice is one record. */
	k = fw_movewatch_take(&f->mw, got, NULL, FW_MOVEWATCH_MAX);
	for (size_t i = 0; i < k; i++)
		free(got[i]);
	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 1);
	rename_ev(f, f->wd, "b.log", f->wd, "a.log.1", 2);
	expect_taken(f, 1, (const char *const[]){"a.log.1"});
}

/* The real instance: a rename in a watched directory is read and paired. */
static void
test_real_events(void **state)
{
	struct fixture *f = *state;
	char a[128], b[128];
	uv_loop_t loop;
	struct fw_close_barrier handles = { 0 };

	snprintf(a, sizeof a, "%s/r.log", f->dir);
	snprintf(b, sizeof b, "%s/r.log.1", f->dir);
	FILE *fp = fopen(a, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(rename(a, b), 0);
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(fw_movewatch_start(&f->mw, &loop), 0);
	assert_true(f->mw.polling);
	fw_close_barrier_add(&handles);
	for (int i = 0; i < 100 && f->notified == 0; i++)
		uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(f->notified, 1);
	expect_taken(f, 1, (const char *const[]){"r.log.1"});
	assert_true(fw_movewatch_close(&f->mw, &handles));
	assert_false(fw_movewatch_close(&f->mw, &handles));
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_true(fw_close_barrier_idle(&handles));
	assert_int_equal(uv_loop_close(&loop), 0);
	unlink(b);
}

/*
 * Records given back (not opened for want of descriptors) come before those
 * recorded since, keep their followed name, follow later renames, and at
 * the bound go before any newer one.
 */
static void
test_restore(void **state)
{
	struct fixture *f = *state;
	char *got[FW_MOVEWATCH_MAX], *from[FW_MOVEWATCH_MAX], want[128];

	rename_ev(f, f->wd, "a.log", f->wd, "a.log.1", 1);
	rename_ev(f, f->wd, "b.log", f->wd, "b.log.1", 2);
	assert_int_equal(fw_movewatch_take(&f->mw, got, from, FW_MOVEWATCH_MAX), 2);
	rename_ev(f, f->wd, "c.log", f->wd, "c.log.1", 3);
	fw_movewatch_restore(&f->mw, got, from, 2);
	/* The given-back a.log.1 moves on: its record follows. */
	rename_ev(f, f->wd, "a.log.1", f->wd, "a.log.2", 4);
	assert_int_equal(fw_movewatch_take(&f->mw, got, from, FW_MOVEWATCH_MAX), 3);
	const char *names[] = {"b.log.1", "c.log.1", "a.log.2"};
	const char *left[] = {"b.log", "c.log", "a.log"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(want, sizeof want, "%s/%s", f->dir, names[i]);
		assert_string_equal(got[i], want);
		snprintf(want, sizeof want, "%s/%s", f->dir, left[i]);
		assert_string_equal(from[i], want);
		free(got[i]);
		free(from[i]);
	}

	/* Full: the oldest of those given back go, counted. */
	char name[32], to[32];
	for (unsigned i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "k%u.log", i);
		snprintf(to, sizeof to, "k%u.log.1", i);
		rename_ev(f, f->wd, name, f->wd, to, 100 + i);
	}
	assert_int_equal(fw_movewatch_take(&f->mw, got, from, 3), 3);
	for (unsigned i = 0; i < FW_MOVEWATCH_MAX - 1; i++) {
		snprintf(name, sizeof name, "n%u.log", i);
		snprintf(to, sizeof to, "n%u.log.1", i);
		rename_ev(f, f->wd, name, f->wd, to, 200 + i);
	}
	uint64_t dropped = f->mw.dropped;
	fw_movewatch_restore(&f->mw, got, from, 3);
	assert_int_equal(f->mw.dropped, dropped + 2);
	assert_int_equal(f->mw.n_moved, FW_MOVEWATCH_MAX);
	snprintf(want, sizeof want, "%s/k2.log.1", f->dir);
	assert_string_equal(f->mw.moved[0], want);
	snprintf(want, sizeof want, "%s/n0.log.1", f->dir);
	assert_string_equal(f->mw.moved[1], want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rename_from_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_keeps_first_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_and_overwrite_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unpaired_and_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_and_overflow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_events, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
