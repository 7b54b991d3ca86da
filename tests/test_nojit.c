/*
 * test_nojit: the KB falls back to pcre2_match when the process may not map
 * executable memory, as under systemd's MemoryDenyWriteExecute=yes.
 *
 * MemoryDenyWriteExecute is a seccomp filter; prctl(PR_SET_MDWE) (Linux 6.3)
 * is the same restriction without systemd: mmap/mprotect may no longer make
 * memory both writable and executable, which is what PCRE2's JIT allocator
 * needs. A forked child sets it, loads the same KB and must report JIT off
 * (kb->jit false, jit_error set) and match every line exactly as the parent
 * does with JIT. Exits 77 (skip) when the kernel does not know PR_SET_MDWE.
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
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#endif
#ifndef PR_MDWE_REFUSE_EXEC_GAIN
#define PR_MDWE_REFUSE_EXEC_GAIN (1UL << 0)
#endif

static const char kb_text[] =
	"{\"id\":\"test/ssl\",\"signature\":\"SSL handshake failed\",\"domain\":\"test\","
	"\"regex\":\"SSL handshake failed(?: with (?<peer>\\\\S+))?\"}\n"
	"{\"id\":\"test/upstream\",\"signature\":\"upstream timed out\",\"domain\":\"test\","
	"\"regex\":\"upstream timed out \\\\((?<errno>\\\\d+): [^)]*\\\\) while (?<phase>\\\\w+)\"}\n"
	"{\"id\":\"test/denied\",\"signature\":\"permission denied\",\"domain\":\"test\","
	"\"regex\":\"permission denied\",\"flags\":\"i\"}\n"
	"{\"id\":\"test/code\",\"signature\":\"error code\",\"domain\":\"other\","
	"\"regex\":\"error code (?<code>[0-9]{3})\",\"regexes\":[\"ERR(?<code>[0-9]{3})\\\\b\"]}\n"
	"{\"id\":\"test/utf8\",\"signature\":\"caf\\u00e9\",\"domain\":\"other\","
	"\"regex\":\"caf\\u00e9 (?<what>\\\\p{L}+)\"}\n";

static const struct { const char *s; size_t len; } lines[] = {
#define L(x) { x, sizeof x - 1 }
	L("2026/11/23 08:00:00 [error] 12#12: *1 upstream timed out (110: Connection timed out) "
	  "while reading response header from upstream"),
	L("SSL handshake failed with 203.0.113.7"),
	L("SSL handshake failed"),
	L("open() \"/srv/x\" failed (13: PERMISSION DENIED)"),
	L("error code 502 then ERR503 and ERR5044"),
	L("fatal: ERR503"),
	L("nothing to see here"),
	L("caf\xc3\xa9 cr\xc3\xa8me, SSL handshake failed with \xff\xfe broken"),
	L("NUL\0inside: SSL handshake failed with peer\0x"),
	L(""),
#undef L
};

static char tmpdir[256];
static char kb_path[512];

/* Every hit of every line with its captures, as text, into buf. */
static void
describe(const struct fw_kb *kb, char *buf, size_t size)
{
	struct fw_matcher *m = NULL;
	struct fw_match_ctx *ctx;
	struct fw_diag diag;
	size_t used = 0;

	fw_diag_init(&diag);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_DEFAULT, &m, &diag), 0);
	ctx = fw_match_ctx_new(m);
	assert_non_null(ctx);
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct fw_match_result r;
		uint32_t n = fw_match_line(ctx, lines[i].s, lines[i].len, NULL, &r);

		used += (size_t)snprintf(buf + used, size - used, "line %zu: %u hits, %u limits\n",
					 i, n, r.limit_errors);
		for (uint32_t h = 0; h < r.n_hits; h++) {
			const struct fw_hit *hit = &r.hits[h];

			used += (size_t)snprintf(buf + used, size - used, "  %s pattern %u",
						 kb->records[hit->record].id, hit->pattern);
			for (uint32_t c = 0; c < hit->n_captures; c++) {
				const struct fw_capture *cap = &r.captures[hit->first_capture + c];
				used += (size_t)snprintf(buf + used, size - used, " %s=%zu+%zu",
							 cap->name, cap->offset, cap->length);
			}
			used += (size_t)snprintf(buf + used, size - used, "\n");
		}
		assert_true(used < size);
	}
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	fw_diag_clear(&diag);
}

static struct fw_kb *
load_kb(void)
{
	const char *paths[] = { kb_path };
	struct fw_kb *kb = NULL;
	struct fw_diag diag;

	fw_diag_init(&diag);
	if (fw_kb_load(paths, 1, NULL, &kb, &diag) != 0) {
		fw_diag_print(&diag, stderr);
		fail_msg("the test KB was refused");
	}
	fw_diag_clear(&diag);
	return kb;
}

/*
 * In the child: load the KB under PR_SET_MDWE and write to fd a first line
 * "jit=N patterns_jit=N" (patterns not interpreted after matching) then
 * jit_error, then every line's hits.
 */
static int
child(int fd)
{
	static char out[16384];
	char head[64];
	struct fw_kb *kb;
	uint32_t n_jit = 0;
	size_t len;
	FILE *f;

	if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0)
		return errno == EINVAL ? 77 : 10;
	kb = load_kb();
	len = (size_t)snprintf(out, sizeof out, "%s\n", kb->jit_error ? kb->jit_error : "(no jit_error)");
	describe(kb, out + len, sizeof out - len);
	/* Counted after matching: no pattern is JIT-compiled later either. */
	for (uint32_t i = 0; i < kb->n_patterns; i++)
		n_jit += kb->jit_state[i] != FW_JIT_OFF;
	snprintf(head, sizeof head, "jit=%d patterns_jit=%u\n", kb->jit, n_jit);
	fw_kb_free(kb);
	f = fdopen(fd, "w");
	if (!f || fputs(head, f) < 0 || fputs(out, f) < 0 || fclose(f) != 0)
		return 11;
	return 0;
}

/* Runs child() in a fork and returns what it wrote. */
static char *
run_child(void)
{
	static char got[16384];
	size_t used = 0;
	ssize_t n;
	int status, fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		_exit(child(fds[1]));
	}
	close(fds[1]);
	while ((n = read(fds[0], got + used, sizeof got - 1 - used)) > 0)
		used += (size_t)n;
	got[used] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child failed with status %#x", status);
	return got;
}

static void
test_fallback_matches_like_jit(void **state)
{
	static char want[16384];
	uint32_t jit_available = 0;
	struct fw_kb *kb;
	char *got, *body;

	assert_int_equal(pcre2_config(PCRE2_CONFIG_JIT, &jit_available), 0);
	if (!jit_available)
		skip();
	/*
	 * The restricted child runs first: PCRE2's JIT allocator keeps the
	 * executable chunks it mapped, and a child forked after the parent
	 * JIT-compiled would inherit them and JIT there despite PR_SET_MDWE
	 * (the restriction refuses new writable+executable mappings only).
	 */
	got = run_child();
	if (strncmp(got, "jit=0 patterns_jit=0\n", 21) != 0)
		fail_msg("JIT not reported off under PR_SET_MDWE:\n%s", got);
	body = strchr(got + 21, '\n');
	assert_non_null(body);
	*body++ = '\0';
	/* kb_record.c words it "PCRE2 JIT is not available (..., error -48): matching without JIT" */
	if (!strstr(got + 21, "JIT is not available") || !strstr(got + 21, "-48"))
		fail_msg("unexpected jit_error: %s", got + 21);

	kb = load_kb();
	assert_true(kb->jit);
	assert_null(kb->jit_error);
	describe(kb, want, sizeof want);
	fw_kb_free(kb);
	/* the lines do match: the comparison is not between two empty results */
	assert_non_null(strstr(want, "test/upstream pattern 1 errno=58+3 phase=91+7"));
	assert_non_null(strstr(want, "peer=26+11"));
	assert_non_null(strstr(want, "test/code pattern 3 code=11+3"));
	assert_non_null(strstr(want, "test/code pattern 4 code=10+3"));
	assert_non_null(strstr(want, "test/utf8 pattern 5 what=6+6"));
	if (strcmp(body, want) != 0)
		fail_msg("results differ\n--- with JIT\n%s--- without JIT\n%s", want, body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fallback_matches_like_jit),
	};
	const char *t = getenv("TMPDIR");
	FILE *f;
	int rc, probe;
	pid_t pid;

	/* Skip (77) on kernels without PR_SET_MDWE: probe in a throwaway child. */
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) == 0 ? 0
		      : errno == EINVAL ? 77 : 1);
	if (pid < 0 || waitpid(pid, &probe, 0) != pid || !WIFEXITED(probe))
		return 1;
	if (WEXITSTATUS(probe) == 77) {
		printf("SKIP: this kernel has no PR_SET_MDWE (Linux >= 6.3)\n");
		return 77;
	}
	if (WEXITSTATUS(probe) != 0)
		return 1;

	snprintf(tmpdir, sizeof tmpdir, "%s/fwnojit.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	snprintf(kb_path, sizeof kb_path, "%s/test.jsonl", tmpdir);
	f = fopen(kb_path, "w");
	if (!f || fputs(kb_text, f) < 0 || fclose(f) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(kb_path);
	rmdir(tmpdir);
	return rc;
}
