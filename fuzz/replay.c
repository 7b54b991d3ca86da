/*
 * replay: the main() of a fuzz target built without libFuzzer (any
 * compiler; configure without --enable-fuzzing), so that make check runs
 * every target on every file of its seed directory, in the plain and in
 * the sanitizer build, as libFuzzer does before it mutates anything.
 *
 *   fuzz/fuzz_TARGET               its seeds: fuzz/seeds/TARGET/ (a _scalar
 *                                  variant takes its target's, as fuzz/run.sh
 *                                  does) under $top_srcdir, which make check
 *                                  sets, else the source tree configured
 *   fuzz/fuzz_TARGET PATH...       those files, or every file of a directory
 *
 * Every input is handed over in a heap buffer of exactly its size, so that
 * a read past its end is a sanitizer report, as under libFuzzer. Files run
 * in name order in one process (libFuzzer's replay keeps a target's state
 * between inputs too); in the sanitizer build leaks are looked for after
 * each input. Each input is named before it runs, so the last name before
 * a failure is its input; an abort, a fatal signal, an ASan report, a leak
 * or an input running longer than INPUT_SECONDS also end in a line that
 * names it (UBSan's runtime, a library of its own, calls nothing back).
 * Exit status: 0, or not 0 on a failure. A seed directory that is missing
 * or holds no file is a hard error (99): a replay of nothing would pass
 * whatever the code does.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Far above the slowest seed under the sanitizers; only a hang reaches it. */
#define INPUT_SECONDS 60

#define EXIT_HARD_ERROR 99      /* automake's "the test could not run" */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* The sanitizers' runtime, present only in the sanitizer build. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

/* The input running, for the failure message; written before each run. */
static char running[4096];
static const char *target = "fuzz";

static void
say_failed(const char *why)
{
	char msg[sizeof running + 256];
	int n;

	if (running[0])
		n = snprintf(msg, sizeof msg, "%s: FAILED on %s%s\n", target, running, why);
	else
		n = snprintf(msg, sizeof msg, "%s: FAILED outside any input%s\n", target, why);
	if (n > 0)
		(void)!write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
}

static void
on_sanitizer_death(void)
{
	say_failed("");
}

static void
on_signal(int sig)
{
	say_failed(sig == SIGALRM ? " (it ran too long)" : "");
	raise(sig);     /* SA_RESETHAND: the default action now ends the process */
}

/*
 * Names the input on a fatal signal, where no one else handles it: under
 * ASan the sanitizer's own SIGSEGV handler stays and reports through the
 * death callback, which names the input as well.
 */
static void
name_input_on_failure(void)
{
	static const int sigs[] = { SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM };
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND | SA_NODEFER };

	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(on_sanitizer_death);
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;

		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* Runs the target on one file; -1 (said) when the file cannot be read. */
static int
replay_file(const char *path)
{
	struct stat st;
	uint8_t *data;
	FILE *f = fopen(path, "rb");
	size_t size;

	if (!f || fstat(fileno(f), &st) < 0) {
		fprintf(stderr, "%s: %s: %s\n", target, path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != size) {
		fprintf(stderr, "%s: %s: cannot read %zu bytes\n", target, path, size);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	snprintf(running, sizeof running, "%s", path);
	printf("%s: %s\n", target, path);
	fflush(stdout);
	alarm(INPUT_SECONDS);
	LLVMFuzzerTestOneInput(data, size);
	alarm(0);
	free(data);
	if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check()) {
		say_failed(" (it leaked)");
		_exit(1);       /* not exit(): the leaks were reported once */
	}
	running[0] = '\0';
	return 0;
}

static int
not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Runs the target on every file of dir, in name order; the files run, or -1 (said). */
static int
replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, not_hidden, alphasort);
	int ran = 0;

	if (n < 0) {
		fprintf(stderr, "%s: seed directory %s: %s\n", target, dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		if (ran >= 0 && (size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name) < sizeof path &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode))
			ran = replay_file(path) < 0 ? -1 : ran + 1;
		free(names[i]);
	}
	free(names);
	if (ran == 0)
		fprintf(stderr, "%s: seed directory %s holds no file\n", target, dir);
	return ran > 0 ? ran : -1;
}

/* fuzz/seeds/NAME/ for a binary fuzz_NAME or fuzz_NAME_scalar; NULL (said) for another name. */
static const char *
seed_dir_of(const char *argv0)
{
	static char dir[4096];
	const char *root = getenv("top_srcdir");
	const char *base = strrchr(argv0, '/');
	size_t len;

	base = base ? base + 1 : argv0;
	len = strlen(base);
	if (strncmp(base, "fuzz_", 5) != 0 || len == 5) {
		fprintf(stderr, "%s: not a fuzz_NAME binary; name the seeds to replay\n", argv0);
		return NULL;
	}
	base += 5;
	len -= 5;
	if (len > 7 && strcmp(base + len - 7, "_scalar") == 0)
		len -= 7;
	if (!root || !*root)
		root = FW_SRCDIR;
	if ((size_t)snprintf(dir, sizeof dir, "%s/fuzz/seeds/%.*s", root, (int)len, base) >= sizeof dir)
		return NULL;
	return dir;
}

int
main(int argc, char **argv)
{
	int ran = 0;

	target = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	name_input_on_failure();
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		const char *dir = seed_dir_of(argv[0]);

		if (!dir || (ran = replay_dir(dir)) < 0)
			return EXIT_HARD_ERROR;
		printf("%s: %d seeds of %s replayed\n", target, ran, dir);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int r;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s: %s\n", target, argv[i], strerror(errno));
			return EXIT_HARD_ERROR;
		}
		r = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) < 0 ? -1 : 1;
		if (r < 0)
			return EXIT_HARD_ERROR;
		ran += r;
	}
	printf("%s: %d inputs replayed\n", target, ran);
	return 0;
}
