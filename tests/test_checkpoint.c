/* Unit tests of the state files: round trip, and never trusting a bad one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/checkpoint.h"

static char dir[64];

static int
setup(void **state)
{
	strcpy(dir, "/tmp/fw-ckpt-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool
exists(const char *name)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static void
write_file(const char *name, const char *text)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *
read_back(const char *name)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
save_sample(const char *input)
{
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_init(&ck, input), 0);
	char odd[] = "/var/log/with space/%odd\nname.log", other[] = "/b";
	struct fw_checkpoint_file f = {
		.dev = 2049, .ino = 123456, .fp = {.hash = 0xdeadbeefcafef00dull, .len = 256},
		.window = {.hash = 0x0123456789abcdefull, .len = 200},
		.offset = 1ull << 40, .line_no = 99, .path = odd,
	};
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	f.ino = 7;
	f.fp.len = 0;
	f.path = other;
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	assert_int_equal(fw_checkpoint_set_cursor(&ck, "s=abc;i=1f;b=x y"), 0);
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), 0);
	assert_int_equal(fw_diag_count(&d), 0);
	fw_checkpoint_free(&ck);
	fw_diag_clear(&d);
}

static void
test_round_trip(void **state)
{
	save_sample("web/nginx");
	/* The name is escaped in the file name; no temp file is left over. */
	assert_true(exists("web%2Fnginx.state"));
	assert_false(exists("web%2Fnginx.state.tmp"));

	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_load(dir, "web/nginx", &ck, &d), 0);
	assert_int_equal(ck.n_files, 2);
	const struct fw_checkpoint_file *f = fw_checkpoint_find(&ck, 2049, 123456);
	assert_non_null(f);
	assert_int_equal(f->offset, 1ull << 40);
	assert_int_equal(f->line_no, 99);
	assert_int_equal(f->fp.hash, 0xdeadbeefcafef00dull);
	assert_int_equal(f->fp.len, 256);
	assert_int_equal(f->window.hash, 0x0123456789abcdefull);
	assert_int_equal(f->window.len, 200);
	assert_string_equal(f->path, "/var/log/with space/%odd\nname.log");
	assert_non_null(fw_checkpoint_find(&ck, 2049, 7));
	assert_null(fw_checkpoint_find(&ck, 2050, 7));
	assert_string_equal(ck.cursor, "s=abc;i=1f;b=x y");
	fw_checkpoint_free(&ck);
	fw_diag_clear(&d);
}

static void
test_missing(void **state)
{
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_load(dir, "none", &ck, &d), -ENOENT);
	assert_int_equal(ck.n_files, 0);
	assert_int_equal(fw_diag_count(&d), 0);
	fw_checkpoint_free(&ck);
}

/* Loads name's state expecting it to be refused, reported and set aside. */
static void
expect_refused(const char *input, const char *why)
{
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_load(dir, input, &ck, &d), -EBADMSG);
	assert_int_equal(ck.n_files, 0);
	assert_null(ck.cursor);
	assert_true(fw_diag_count(&d) >= 2);
	assert_non_null(strstr(d.msgs[0], why));
	assert_non_null(strstr(d.msgs[0], ".state"));
	assert_non_null(strstr(d.msgs[1], "set aside"));
	char name[64], bad[64];
	snprintf(name, sizeof name, "%s.state", input);
	snprintf(bad, sizeof bad, "%s.state.bad", input);
	assert_false(exists(name));
	assert_true(exists(bad));
	fw_checkpoint_free(&ck);
	fw_diag_clear(&d);
}

static void
test_corrupt_byte(void **state)
{
	save_sample("a");
	char *text = read_back("a.state");
	char *p = strstr(text, "123456");
	assert_non_null(p);
	p[0] = '9';   /* a plausible but wrong inode */
	write_file("a.state", text);
	expect_refused("a", "checksum mismatch");
}

static void
test_torn(void **state)
{
	save_sample("b");
	char *text = read_back("b.state");
	text[strlen(text) / 2] = '\0';
	write_file("b.state", text);
	expect_refused("b", "b.state");
}

static void
test_foreign(void **state)
{
	/* A valid state file of input "x" copied to the place of input "c". */
	save_sample("x");
	char *text = read_back("x.state");
	write_file("c.state", text);
	expect_refused("c", "another input");
	write_file("d.state", "hello world\n");
	expect_refused("d", "no checksum line");
	write_file("e.state", "");
	expect_refused("e", "truncated");
}

/* Outputs ahead of the slowest one keep their own position, by name. */
static void
test_acks_round_trip(void **state)
{
	struct fw_checkpoint ck;
	struct fw_diag d;
	char path[] = "/var/log/app.log", file[] = "file", odd[] = "sys log/%";
	struct fw_checkpoint_ack acks[] = { { file, 5000 }, { odd, 7000 } };
	struct fw_checkpoint_file f = {
		.dev = 1, .ino = 2, .offset = 1000, .line_no = 10, .path = path,
		.acks = acks, .n_acks = 2,
	};

	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_init(&ck, "acks"), 0);
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	f.ino = 3;
	f.n_acks = 0;
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), 0);
	fw_checkpoint_free(&ck);
	/* Nothing version 2 cannot say: version 2, which the daemon before reads. */
	assert_memory_equal(read_back("acks.state"), "fixwatch-state 2\n", 17);

	assert_int_equal(fw_checkpoint_load(dir, "acks", &ck, &d), 0);
	const struct fw_checkpoint_file *e = fw_checkpoint_find(&ck, 1, 2);
	assert_non_null(e);
	assert_int_equal(e->n_acks, 2);
	assert_int_equal(fw_checkpoint_file_ack(e, "file"), 5000);
	assert_int_equal(fw_checkpoint_file_ack(e, "sys log/%"), 7000);
	/* An output the state does not name is where the slowest one is. */
	assert_int_equal(fw_checkpoint_file_ack(e, "new"), 1000);
	e = fw_checkpoint_find(&ck, 1, 3);
	assert_non_null(e);
	assert_int_equal(e->n_acks, 0);
	assert_int_equal(fw_checkpoint_file_ack(e, "file"), 1000);
	fw_checkpoint_free(&ck);
	assert_int_equal(fw_diag_count(&d), 0);
	fw_diag_clear(&d);
}

/* A link planted under the temporary name is neither followed nor written through. */
static void
test_planted_tmp(void **state)
{
	char victim[128], tmp[128];

	snprintf(victim, sizeof victim, "%s/victim", dir);
	write_file("victim", "precious\n");
	snprintf(tmp, sizeof tmp, "%s/hard.state.tmp", dir);
	assert_int_equal(link(victim, tmp), 0);
	save_sample("hard");
	snprintf(tmp, sizeof tmp, "%s/soft.state.tmp", dir);
	assert_int_equal(symlink(victim, tmp), 0);
	save_sample("soft");
	assert_string_equal(read_back("victim"), "precious\n");
	assert_non_null(strstr(read_back("hard.state"), "input hard\n"));
	assert_non_null(strstr(read_back("soft.state"), "input soft\n"));
	assert_false(exists("soft.state.tmp"));
}

static void
test_fingerprint(void **state)
{
	char p[128];
	snprintf(p, sizeof p, "%s/log", dir);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	struct fw_fingerprint empty, small, big;
	assert_int_equal(fw_fingerprint_fd(fd, &empty), 0);
	assert_int_equal(empty.len, 0);
	assert_int_equal(write(fd, "first line\n", 11), 11);
	assert_int_equal(fw_fingerprint_fd(fd, &small), 0);
	assert_int_equal(small.len, 11);
	assert_true(fw_fingerprint_matches(fd, &empty));
	assert_true(fw_fingerprint_matches(fd, &small));
	char junk[600];
	memset(junk, 'x', sizeof junk);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	assert_int_equal(fw_fingerprint_fd(fd, &big), 0);
	assert_int_equal(big.len, FW_FINGERPRINT_MAX);
	/* Other content at the start: a reused inode. */
	assert_int_equal(pwrite(fd, "FIRST", 5, 0), 5);
	assert_false(fw_fingerprint_matches(fd, &small));
	assert_false(fw_fingerprint_matches(fd, &big));
	/* Truncated below the fingerprinted length: not the same file either. */
	assert_int_equal(pwrite(fd, "first", 5, 0), 5);
	assert_true(fw_fingerprint_matches(fd, &big));
	assert_int_equal(ftruncate(fd, 5), 0);
	assert_false(fw_fingerprint_matches(fd, &small));
	close(fd);
}

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* Writes body plus its checksum line as name. */
static void
write_signed(const char *name, const char *body)
{
	char text[1024];
	snprintf(text, sizeof text, "%schecksum %016llx\n", body,
		 (unsigned long long)fnv1a(body, strlen(body)));
	write_file(name, text);
}

/* A state file of version 1 (no window) still loads; saving writes version 2 (no rotated file). */
static void
test_version1(void **state)
{
	write_signed("old.state", "fixwatch-state 1\ninput old\n"
		     "file 2049 77 00000000000000ff 256 4096 12 /var/log/a.log\n");
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_load(dir, "old", &ck, &d), 0);
	assert_int_equal(fw_diag_count(&d), 0);
	const struct fw_checkpoint_file *f = fw_checkpoint_find(&ck, 2049, 77);
	assert_non_null(f);
	assert_int_equal(f->fp.hash, 0xff);
	assert_int_equal(f->offset, 4096);
	assert_int_equal(f->line_no, 12);
	assert_int_equal(f->window.len, 0);
	assert_string_equal(f->path, "/var/log/a.log");
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), 0);
	assert_memory_equal(read_back("old.state"), "fixwatch-state 2\n", 17);
	fw_checkpoint_free(&ck);

	/* Version 1 lines in a version 2 file, and the reverse, are refused. */
	write_signed("mix.state", "fixwatch-state 2\ninput mix\n"
		     "file 2049 77 00000000000000ff 256 4096 12 /var/log/a.log\n");
	expect_refused("mix", "bad file entry");
	write_signed("mix1.state", "fixwatch-state 1\ninput mix1\n"
		     "file 2049 77 00000000000000ff 256 00000000000000ee 10 4096 12 /a\n");
	expect_refused("mix1", "bad file entry");
	/* A window longer than the offset it ends at cannot be. */
	write_signed("win.state", "fixwatch-state 2\ninput win\n"
		     "file 2049 77 00000000000000ff 256 00000000000000ee 100 99 1 /a\n");
	expect_refused("win", "bad file entry");
	write_signed("v4.state", "fixwatch-state 4\ninput v4\n");
	expect_refused("v4", "version 1, 2 or 3");
	fw_diag_clear(&d);
}

/* The window before an offset tells files with the same first bytes apart. */
static void
test_window(void **state)
{
	char p[128];
	snprintf(p, sizeof p, "%s/win", dir);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	char header[256], body[1000];
	memset(header, '#', sizeof header);
	memset(body, 'a', sizeof body);
	assert_int_equal(write(fd, header, sizeof header), (ssize_t)sizeof header);
	assert_int_equal(write(fd, body, sizeof body), (ssize_t)sizeof body);

	struct fw_fingerprint head, at_end, at_start, small, none = {0};
	assert_int_equal(fw_fingerprint_fd(fd, &head), 0);
	assert_int_equal(fw_fingerprint_window_fd(fd, 1256, &at_end), 0);
	assert_int_equal(at_end.len, FW_FINGERPRINT_MAX);
	assert_int_equal(fw_fingerprint_window_fd(fd, 0, &at_start), 0);
	assert_int_equal(at_start.len, 0);
	assert_int_equal(fw_fingerprint_window_fd(fd, 10, &small), 0);
	assert_int_equal(small.len, 10);
	/* Past the end: no window. */
	assert_int_equal(fw_fingerprint_window_fd(fd, 1257, &none), -ENODATA);
	assert_true(fw_fingerprint_window_matches(fd, 1256, &at_end));
	assert_true(fw_fingerprint_window_matches(fd, 0, &at_start));
	assert_true(fw_fingerprint_window_matches(fd, 10, &small));
	assert_false(fw_fingerprint_window_matches(fd, 5, &small));
	assert_true(fw_fingerprint_window_matches(fd, 1256, &none));

	/* Refilled after the same header: the head matches, the window does not. */
	assert_int_equal(ftruncate(fd, 256), 0);
	memset(body, 'b', sizeof body);
	assert_int_equal(pwrite(fd, body, sizeof body, 256), (ssize_t)sizeof body);
	assert_true(fw_fingerprint_matches(fd, &head));
	assert_false(fw_fingerprint_window_matches(fd, 1256, &at_end));
	/* Shorter than the window's end: no match. */
	assert_int_equal(ftruncate(fd, 1000), 0);
	assert_false(fw_fingerprint_window_matches(fd, 1256, &at_end));
	close(fd);
}

/* "ack" lines: only from version 2 on, after a file entry, each output once. */
static void
test_bad_acks(void **state)
{
	write_signed("v1.state", "fixwatch-state 1\ninput v1\n"
		     "file 8 9 00000000000000ff 12 340 7 %2Fa\nack file 400\n");
	expect_refused("v1", "unexpected \"ack\" record");
	write_signed("first.state", "fixwatch-state 2\ninput first\nack file 400\n");
	expect_refused("first", "unexpected \"ack\" record");
	write_signed("cursor.state", "fixwatch-state 2\ninput cursor\ncursor c\nack file 400\n");
	expect_refused("cursor", "unexpected \"ack\" record");
	write_signed("twice.state", "fixwatch-state 2\ninput twice\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\n"
		     "ack file 400\nack file 500\n");
	expect_refused("twice", "acknowledged twice");
	write_signed("neg.state", "fixwatch-state 2\ninput neg\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\nack file -4\n");
	expect_refused("neg", "bad ack entry");
	/* Two entries, each with its own outputs. */
	write_signed("two.state", "fixwatch-state 2\ninput two\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\nack file 400\n"
		     "file 8 10 00000000000000ff 12 00000000000000ee 10 50 1 %2Fb\nack file 60\n"
		     "ack net 70\n");
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_load(dir, "two", &ck, &d), 0);
	assert_int_equal(fw_checkpoint_file_ack(fw_checkpoint_find(&ck, 8, 9), "file"), 400);
	assert_int_equal(fw_checkpoint_file_ack(fw_checkpoint_find(&ck, 8, 9), "net"), 340);
	assert_int_equal(fw_checkpoint_file_ack(fw_checkpoint_find(&ck, 8, 10), "net"), 70);
	fw_checkpoint_free(&ck);
	fw_diag_clear(&d);
}

/* Opens /dev/null until the process has no descriptor left: how many (at most max). */
static size_t
take_every_fd(int *fds, size_t max)
{
	size_t n = 0;
	while (n < max && (fds[n] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		n++;
	assert_true(n < max);
	assert_true(errno == EMFILE);
	return n;
}

/* With every descriptor taken, a save uses the reserved one; without it, it fails (EMFILE). */
static void
test_save_out_of_fds(void **state)
{
	struct rlimit old, low;
	int fds[64];
	size_t n;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	int probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(probe >= 0);
	close(probe);
	low = old;
	low.rlim_cur = (rlim_t)probe + 16;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);

	assert_int_equal(fw_checkpoint_reserve(), 0);
	n = take_every_fd(fds, 64);
	save_sample("full");
	assert_true(exists("full.state"));
	/* The reserve is held again: one more open still fails. */
	assert_true(open("/dev/null", O_RDONLY | O_CLOEXEC) < 0 && errno == EMFILE);

	fw_checkpoint_unreserve();
	n += take_every_fd(fds + n, 64 - n);
	struct fw_checkpoint ck;
	struct fw_diag d;
	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_init(&ck, "starved"), 0);
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), -EMFILE);
	assert_int_equal(fw_diag_count(&d), 1);
	assert_false(exists("starved.state"));
	fw_checkpoint_free(&ck);
	fw_diag_clear(&d);

	while (n > 0)
		close(fds[--n]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/*
 * A rotated file keeps the name it had before the rotation ("rotated",
 * version 3, right after its file line, once); other entries have none.
 */
static void
test_rotated_round_trip(void **state)
{
	struct fw_checkpoint ck;
	struct fw_diag d;
	char path[] = "/var/log/app.log.1", before[] = "/var/log/app log", file[] = "file";
	struct fw_checkpoint_ack acks[] = { { file, 5000 } };
	struct fw_checkpoint_file f = {
		.dev = 1, .ino = 2, .offset = 1000, .line_no = 10, .path = path,
		.rotated_from = before, .acks = acks, .n_acks = 1,
	};

	fw_diag_init(&d);
	assert_int_equal(fw_checkpoint_init(&ck, "rot"), 0);
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	f.ino = 3;
	f.rotated_from = NULL;
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), 0);
	fw_checkpoint_free(&ck);
	assert_non_null(strstr(read_back("rot.state"), "\nrotated %2Fvar%2Flog%2Fapp%20log\nack "));
	assert_memory_equal(read_back("rot.state"), "fixwatch-state 3\n", 17);

	assert_int_equal(fw_checkpoint_load(dir, "rot", &ck, &d), 0);
	const struct fw_checkpoint_file *e = fw_checkpoint_find(&ck, 1, 2);
	assert_non_null(e);
	assert_non_null(e->rotated_from);
	assert_string_equal(e->rotated_from, "/var/log/app log");
	assert_int_equal(fw_checkpoint_file_ack(e, "file"), 5000);
	e = fw_checkpoint_find(&ck, 1, 3);
	assert_non_null(e);
	assert_null(e->rotated_from);
	fw_checkpoint_free(&ck);
	assert_int_equal(fw_diag_count(&d), 0);

	/* Once no file is a rotated one (an empty name is none), version 2 again:
	 * a downgrade keeps the positions, and the file loads as version 2. */
	char none[] = "";
	f.ino = 2;
	f.rotated_from = none;
	assert_int_equal(fw_checkpoint_init(&ck, "rot"), 0);
	assert_int_equal(fw_checkpoint_add_file(&ck, &f), 0);
	assert_int_equal(fw_checkpoint_save(dir, &ck, &d), 0);
	fw_checkpoint_free(&ck);
	assert_memory_equal(read_back("rot.state"), "fixwatch-state 2\n", 17);
	assert_null(strstr(read_back("rot.state"), "\nrotated "));
	assert_int_equal(fw_checkpoint_load(dir, "rot", &ck, &d), 0);
	e = fw_checkpoint_find(&ck, 1, 2);
	assert_non_null(e);
	assert_null(e->rotated_from);
	assert_int_equal(e->offset, 1000);
	assert_int_equal(fw_checkpoint_file_ack(e, "file"), 5000);
	fw_checkpoint_free(&ck);
	assert_int_equal(fw_diag_count(&d), 0);

	/* Not in version 2, not after an ack or a cursor, not twice, not empty. */
	write_signed("r2.state", "fixwatch-state 2\ninput r2\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\nrotated %2Fb\n");
	expect_refused("r2", "unexpected \"rotated\" record");
	write_signed("rack.state", "fixwatch-state 3\ninput rack\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\nack file 400\n"
		     "rotated %2Fb\n");
	expect_refused("rack", "unexpected \"rotated\" record");
	write_signed("rcur.state", "fixwatch-state 3\ninput rcur\ncursor c\nrotated %2Fb\n");
	expect_refused("rcur", "unexpected \"rotated\" record");
	write_signed("rtwice.state", "fixwatch-state 3\ninput rtwice\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\n"
		     "rotated %2Fb\nrotated %2Fc\n");
	expect_refused("rtwice", "unexpected \"rotated\" record");
	write_signed("rempty.state", "fixwatch-state 3\ninput rempty\n"
		     "file 8 9 00000000000000ff 12 00000000000000ee 10 340 7 %2Fa\nrotated \n");
	expect_refused("rempty", "bad rotated entry");
	fw_diag_clear(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_corrupt_byte),
		cmocka_unit_test(test_torn),
		cmocka_unit_test(test_foreign),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_version1),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_acks_round_trip),
		cmocka_unit_test(test_bad_acks),
		cmocka_unit_test(test_rotated_round_trip),
		cmocka_unit_test(test_planted_tmp),
		cmocka_unit_test(test_save_out_of_fds),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
