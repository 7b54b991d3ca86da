/*
 * fwbench: throughput, compile time and memory of the matchers on the same
 * data in the same run (see bench/README.md).
 *
 *   fwbench gen DIR [MB]               write DIR/CORPUS/: the signature sets and
 *                                      the corpus of every generator
 *   fwbench run DIR [--kb PATH] [N...] measure every engine on every corpus
 *                                      (default N = 100 1000 10000); with --kb,
 *                                      also that KB with both fixwatch engines
 *                                      and the fast one without PCRE2 JIT
 *
 * Each measurement runs in its own child process so that its peak memory
 * is its own. The engines: the reference and fast fixwatch matchers (KB
 * load with PCRE2 JIT counts as compile time), `grep -E -c -f` (its output
 * goes to a pipe: GNU grep stops early when writing to /dev/null) and,
 * when built with it, Hyperscan. Slow engines get a prefix of the corpus
 * (the "input MB" column says how much). Without JIT is how the daemon
 * runs under systemd's MemoryDenyWriteExecute (its default unit), so the
 * shipped KB is also measured that way and the two compared.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_HYPERSCAN
#include <hs.h>
#endif

#include "bench.h"
#include "kb/kb.h"
#include "match/match.h"
#include "match/match_fast.h"

/* Timed passes of one engine over a corpus, at most (their median is quoted). */
#define PASSES_MAX 9

struct result {
	int ok;
	double compile_s;
	double compile_cpu_s;   /* CPU time of the compile (user + system) */
	double match_s;         /* median of the timed runs */
	double first_s;         /* the first pass, which made the JIT code (or 0: none made) */
	size_t bytes, lines;
	uint64_t matching_lines;
	long hwm_kb;            /* peak RSS after compiling, before the corpus is read */
	long peak_kb;           /* peak RSS after matching: corpus and lazily made JIT code */
	long rss_kb;            /* RSS after matching once the corpus is freed: the matcher's */
	uint32_t jit_compiled;  /* patterns with JIT code after matching (kb.h: on first use) */
	size_t jit_bytes;
};

struct corpus {
	char *buf;
	size_t len;
	size_t *starts, *lens;
	size_t n;
};

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double
cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* A figure of /proc/self/status in kB ("VmHWM", "VmRSS"), or -1. */
static long
vm_status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256], name[32];
	long kb = -1, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%31[^:]: %ld kB", name, &v) == 2 && strcmp(name, field) == 0) {
			kb = v;
			break;
		}
	fclose(f);
	return kb;
}

static long
vm_hwm_kb(void)
{
	return vm_status_kb("VmHWM");
}

/* Reads at most cap bytes of whole lines of path. */
static int
corpus_read(const char *path, size_t cap, struct corpus *c)
{
	FILE *f = fopen(path, "r");
	size_t n;

	struct stat st;

	memset(c, 0, sizeof *c);
	if (!f)
		return -1;
	if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size < cap)
		cap = (size_t)st.st_size;
	c->buf = malloc(cap + 1);
	if (!c->buf) {
		fclose(f);
		return -1;
	}
	n = fread(c->buf, 1, cap, f);
	fclose(f);
	while (n && c->buf[n - 1] != '\n')
		n--;
	c->len = n;
	for (size_t i = 0; i < n; i++)
		c->n += c->buf[i] == '\n';
	c->starts = malloc((c->n + 1) * sizeof *c->starts);
	c->lens = malloc((c->n + 1) * sizeof *c->lens);
	if (!c->starts || !c->lens)
		return -1;
	for (size_t i = 0, s = 0, k = 0; i < n; i++) {
		if (c->buf[i] == '\n') {
			c->starts[k] = s;
			c->lens[k++] = i - s;
			s = i + 1;
		}
	}
	return 0;
}

static void
corpus_free(struct corpus *c)
{
	free(c->buf);
	free(c->starts);
	free(c->lens);
	memset(c, 0, sizeof *c);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The timed loops are functions of their own so that an instruction count
 * can be taken of them alone:
 *   valgrind --tool=callgrind --toggle-collect='loop_*' fwbench one ...
 */
static inline uint64_t
match_corpus(struct fw_match_ctx *ctx, const struct corpus *c)
{
	struct fw_match_result res;
	uint64_t matching = 0;

	for (size_t i = 0; i < c->n; i++)
		matching += fw_match_line(ctx, c->buf + c->starts[i], c->lens[i], NULL, &res) > 0;
	return matching;
}

__attribute__((noinline)) static uint64_t
loop_fixwatch(struct fw_match_ctx *ctx, const struct corpus *c)
{
	return match_corpus(ctx, c);
}

/*
 * Not a loop_* function: a pass that JIT-compiles the patterns the corpus
 * confirms (kb.h: a pattern's JIT code is made on its first confirmation),
 * so that the counted pass measures matching alone.
 */
__attribute__((noinline)) static void
first_pass_fixwatch(struct fw_match_ctx *ctx, const struct corpus *c)
{
	(void)match_corpus(ctx, c);
}

/* Records a measurement: the median of the timed runs over corpus c. */
static void
result_timed(struct result *r, double *times, int runs, const struct corpus *c)
{
	qsort(times, (size_t)runs, sizeof times[0], cmp_double);
	r->match_s = times[runs / 2];
	r->bytes = c->len;
	r->lines = c->n;
	r->ok = 1;
}

/* `fwbench one ... fast-static`: the fast engine keeps its compile-time keys (no learning). */
static int static_keys;

/* New context of m, learning keys from the stream unless `fast-static`. */
static struct fw_match_ctx *
bench_ctx(const struct fw_matcher *m)
{
	struct fw_match_ctx *ctx = fw_match_ctx_new(m);

	if (ctx && static_keys)
		fw_match_fast_adapt_schedule(ctx, 0, 0);
	return ctx;
}

/*
 * kb: a KB path, or NULL for the corpus's own sigs-N.jsonl; no_jit: PCRE2
 * without JIT. first_pass: match the corpus once before the timed runs, in
 * a context of its own, so that they run with the JIT code made and keys
 * learnt from scratch (its time is r->first_s).
 */
static void
run_fixwatch(const char *dir, unsigned n, const char *kb_path, enum fw_match_engine engine,
	     bool no_jit, size_t cap, int runs, bool first_pass, struct result *r)
{
	char path[4096];
	const char *paths[1] = { kb_path ? kb_path : path };
	struct fw_kb_options opts = { .no_jit = no_jit };
	struct fw_kb *kb = NULL;
	struct fw_matcher *m = NULL;
	struct fw_match_ctx *ctx;
	struct fw_diag d;
	struct corpus c;
	double t0, c0, times[PASSES_MAX];

	snprintf(path, sizeof path, "%s/sigs-%u.jsonl", dir, n);
	fw_diag_init(&d);
	t0 = now();
	c0 = cpu_now();
	if (fw_kb_load(paths, 1, &opts, &kb, &d) < 0 || fw_matcher_new(kb, engine, &m, &d) < 0) {
		fw_diag_print(&d, stderr);
		return;
	}
	r->compile_s = now() - t0;
	r->compile_cpu_s = cpu_now() - c0;
	fw_diag_clear(&d);
	ctx = bench_ctx(m);
	r->hwm_kb = vm_hwm_kb();
	snprintf(path, sizeof path, "%s/corpus.log", dir);
	if (!ctx || corpus_read(path, cap, &c) < 0)
		return;
	if (first_pass) {
		t0 = now();
		first_pass_fixwatch(ctx, &c);
		r->first_s = now() - t0;
		fw_match_ctx_free(ctx);
		if (!(ctx = bench_ctx(m)))
			return;
	}
	for (int k = 0; k < runs; k++) {
		uint64_t matching;

		t0 = now();
		matching = loop_fixwatch(ctx, &c);
		times[k] = now() - t0;
		r->matching_lines = matching;
	}
	result_timed(r, times, runs, &c);
	r->peak_kb = vm_hwm_kb();
	{
		struct fw_kb_jit_stats js;

		fw_kb_jit_stats(kb, &js);
		r->jit_compiled = js.compiled;
		r->jit_bytes = js.code_bytes;
	}
	corpus_free(&c);
	r->rss_kb = vm_status_kb("VmRSS");
	fw_match_ctx_free(ctx);
	fw_matcher_free(m);
	fw_kb_free(kb);
}

#ifdef HAVE_HYPERSCAN
static int
hs_on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
	    void *arg)
{
	*(int *)arg = 1;
	return 0;
}

__attribute__((noinline)) static uint64_t
loop_hyperscan(const hs_database_t *db, hs_scratch_t *scratch, const struct corpus *c)
{
	uint64_t matching = 0;

	for (size_t i = 0; i < c->n; i++) {
		int hit = 0;

		hs_scan(db, c->buf + c->starts[i], (unsigned)c->lens[i], 0, scratch, hs_on_match, &hit);
		matching += hit;
	}
	return matching;
}

/* What a scan of the whole corpus marks: the lines a match ends in. */
struct buffer_hits {
	const struct corpus *c;
	unsigned char *line_hit;        /* per line */
	uint64_t matching;              /* lines marked */
};

static int
hs_on_buffer_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags,
		   void *arg)
{
	struct buffer_hits *h = arg;
	size_t lo = 0, hi = h->c->n, end = to ? (size_t)to - 1 : 0;

	/* The last line starting at or before the match's last byte. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->c->starts[mid] <= end)
			lo = mid;
		else
			hi = mid;
	}
	if (!h->line_hit[lo]) {
		h->line_hit[lo] = 1;
		h->matching++;
	}
	return 0;
}

/*
 * The whole corpus in one hs_scan() (patterns compiled with
 * HS_FLAG_MULTILINE, so that ^ and $ hold at its line ends): no call per
 * line. A match is counted in the line it ends in; one that crosses a
 * line end (a class such as [^ ] takes a newline) counts too, so the
 * matching lines may differ from the per-line engines'.
 */
__attribute__((noinline)) static uint64_t
loop_hyperscan_buffer(const hs_database_t *db, hs_scratch_t *scratch, const struct corpus *c,
		      unsigned char *line_hit)
{
	struct buffer_hits h = { c, line_hit, 0 };

	memset(line_hit, 0, c->n);
	hs_scan(db, c->buf, (unsigned)c->len, 0, scratch, hs_on_buffer_match, &h);
	return h.matching;
}

/*
 * Hyperscan in block mode: one hs_scan() per line (HS_FLAG_SINGLEMATCH:
 * a line's first match ends its scan), or, with buffer, one of the whole
 * corpus (loop_hyperscan_buffer()).
 */
static void
run_hyperscan(const char *dir, unsigned n, size_t cap, int runs, bool buffer, struct result *r)
{
	char path[4096], line[2048];
	char **exprs = calloc(n, sizeof *exprs);
	unsigned *flags = calloc(n, sizeof *flags), *ids = calloc(n, sizeof *ids), count = 0;
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	hs_scratch_t *scratch = NULL;
	struct corpus c;
	double t0, times[PASSES_MAX];
	FILE *f;
	hs_error_t rc;

	snprintf(path, sizeof path, "%s/sigs-%u.pcre", dir, n);
	f = exprs && flags && ids ? fopen(path, "r") : NULL;
	while (f && count < n && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		flags[count] = (buffer ? HS_FLAG_MULTILINE : HS_FLAG_SINGLEMATCH) |
			       (line[0] == 'i' ? HS_FLAG_CASELESS : 0);
		exprs[count] = strdup(line + 1);
		ids[count] = count;
		count++;
	}
	if (f)
		fclose(f);
	t0 = now();
	rc = f ? hs_compile_multi((const char *const *)exprs, flags, ids, count, HS_MODE_BLOCK, NULL,
				  &db, &err) : HS_INVALID;
	for (unsigned i = 0; exprs && i < count; i++)
		free(exprs[i]);
	free(exprs);
	free(flags);
	free(ids);
	if (rc != HS_SUCCESS) {
		fprintf(stderr, "hyperscan: pattern %d: %s\n", err ? err->expression : -1,
			err ? err->message : path);
		hs_free_compile_error(err);
		return;
	}
	if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
		hs_free_database(db);
		return;
	}
	r->compile_s = now() - t0;
	r->hwm_kb = vm_hwm_kb();
	snprintf(path, sizeof path, "%s/corpus.log", dir);
	if (corpus_read(path, cap, &c) == 0) {
		unsigned char *line_hit = buffer ? malloc(c.n ? c.n : 1) : NULL;

		if (!buffer || line_hit) {
			for (int k = 0; k < runs; k++) {
				uint64_t matching;

				t0 = now();
				matching = buffer ? loop_hyperscan_buffer(db, scratch, &c, line_hit) :
						    loop_hyperscan(db, scratch, &c);
				times[k] = now() - t0;
				r->matching_lines = matching;
			}
			result_timed(r, times, runs, &c);
		}
		free(line_hit);
	}
	corpus_free(&c);
	hs_free_scratch(scratch);
	hs_free_database(db);
}
#endif

/* grep on a file holding the first cap bytes of the corpus (whole lines). */
static void
run_grep(const char *dir, unsigned n, size_t cap, struct result *r)
{
	char corpus[4096], pats[4096], out[64];
	struct corpus c;
	int fds[2], status;
	double t0;
	pid_t pid;
	ssize_t got;
	FILE *f;

	snprintf(corpus, sizeof corpus, "%s/corpus.log", dir);
	if (corpus_read(corpus, cap, &c) < 0)
		return;
	snprintf(corpus, sizeof corpus, "%s/corpus-%zu.log", dir, c.len);
	f = fopen(corpus, "w");
	if (!f || fwrite(c.buf, 1, c.len, f) != c.len || fclose(f) != 0) {
		corpus_free(&c);
		return;
	}
	snprintf(pats, sizeof pats, "%s/sigs-%u.ere", dir, n);
	if (pipe(fds) < 0) {
		corpus_free(&c);
		return;
	}
	t0 = now();
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("grep", "grep", "-E", "-c", "-f", pats, corpus, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	got = read(fds[0], out, sizeof out - 1);
	close(fds[0]);
	waitpid(pid, &status, 0);
	r->match_s = now() - t0;
	unlink(corpus);
	if (got <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
		corpus_free(&c);
		return;
	}
	out[got] = '\0';
	r->matching_lines = strtoull(out, NULL, 10);
	r->compile_s = -1;
	r->hwm_kb = -1;
	r->bytes = c.len;
	r->lines = c.n;
	r->ok = 1;
	corpus_free(&c);
}

enum engine { ENG_REF, ENG_FAST, ENG_GREP, ENG_HS, ENG_HS_BUFFER, ENG_FAST_NO_JIT };
static const char *const engine_names[] = { "reference", "fast", "grep -E -f", "hyperscan",
					    "hyperscan, whole buffer", "fast, no JIT" };

/*
 * The corpora, each in a directory of its name: those `fwbench gen` writes,
 * with their signature sets, and real log lines (bench/real.sh: `make
 * bench` writes it), measured with the --kb KB only.
 */
static const struct {
	const char *name;
	int (*generate)(const char *dir, size_t corpus_bytes);
} corpora[] = {
	{ "web", bench_generate },
	{ "app", bench_generate_app },
	{ "ops", bench_generate_ops },
	{ "net", bench_generate_net },
	{ "sec", bench_generate_sec },
	{ "grid", bench_generate_grid },
	{ "real", NULL },
};

/* Runs one measurement in a child; peak RSS comes from wait4. kb as in run_fixwatch. */
static void
measure(const char *dir, unsigned n, const char *kb, enum engine e, size_t cap, struct result *r,
	long *maxrss_kb)
{
	int fds[2], status;
	struct rusage ru;
	pid_t pid;

	memset(r, 0, sizeof *r);
	*maxrss_kb = -1;
	if (pipe(fds) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		struct result res;

		memset(&res, 0, sizeof res);
		close(fds[0]);
		switch (e) {
		case ENG_REF: run_fixwatch(dir, n, kb, FW_ENGINE_REFERENCE, false, cap, 1, false, &res); break;
		case ENG_FAST: run_fixwatch(dir, n, kb, FW_ENGINE_FAST, false, cap, 5, true, &res); break;
		case ENG_FAST_NO_JIT: run_fixwatch(dir, n, kb, FW_ENGINE_FAST, true, cap, 5, false, &res); break;
		case ENG_GREP: run_grep(dir, n, cap, &res); break;
#ifdef HAVE_HYPERSCAN
		case ENG_HS: run_hyperscan(dir, n, cap, 5, false, &res); break;
		case ENG_HS_BUFFER: run_hyperscan(dir, n, cap, 5, true, &res); break;
#else
		case ENG_HS:
		case ENG_HS_BUFFER: break;
#endif
		}
		if (write(fds[1], &res, sizeof res) != (ssize_t)sizeof res)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], r, sizeof *r) != (ssize_t)sizeof *r)
		r->ok = 0;
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) > 0)
		*maxrss_kb = ru.ru_maxrss;
}

static size_t
cap_for(enum engine e, unsigned n, size_t full)
{
	size_t cap = full;

	/* The slow engines get a prefix that keeps each run within seconds. */
	if (e == ENG_REF)
		cap = n <= 100 ? 16u << 20 : n <= 1000 ? 2u << 20 : 256u << 10;
	else if (e == ENG_GREP)
		cap = n <= 100 ? full : n <= 1000 ? 4u << 20 : 1u << 20;
	return cap < full ? cap : full;
}

/* One row of the table; n is 0 for the --kb KB (reported as "KB"). Returns MB/s, 0 on failure. */
static double
run_row(const char *dir, const char *corpus, unsigned n, const char *kb, enum engine e, size_t full)
{
	struct result r;
	long maxrss;
	char label[16], compile[32], first[32], hwm[32];

	if (n)
		snprintf(label, sizeof label, "%u", n);
	else
		snprintf(label, sizeof label, "KB");
	/* The KB's size is between N = 100 and 1,000: the reference gets the N = 1,000 prefix. */
	measure(dir, n, kb, e, cap_for(e, n ? n : 1000, full), &r, &maxrss);
	if (!r.ok) {
		printf("| %s | %s | %s | - | - | - | failed | - | - | - | - |\n", corpus, label,
		       engine_names[e]);
		fflush(stdout);
		return 0;
	}
	if (r.compile_s >= 0)
		snprintf(compile, sizeof compile, "%.3f", r.compile_s);
	else
		snprintf(compile, sizeof compile, "-");
	if (r.hwm_kb >= 0)
		snprintf(hwm, sizeof hwm, "%.1f", (double)r.hwm_kb / 1024);
	else
		snprintf(hwm, sizeof hwm, "-");
	if (r.first_s > 0)
		snprintf(first, sizeof first, "%.3f", r.first_s);
	else
		snprintf(first, sizeof first, "-");
	printf("| %s | %s | %s | %.2f | %s | %s | %.2f | %.0f | %s | %.1f | %llu |\n", corpus, label,
	       engine_names[e], (double)r.bytes / 1e6, compile, first,
	       (double)r.bytes / 1e6 / r.match_s, (double)r.lines / r.match_s, hwm,
	       (double)maxrss / 1024, (unsigned long long)r.matching_lines);
	fflush(stdout);
	return (double)r.bytes / 1e6 / r.match_s;
}

/* The shipped KB with and without JIT, fast engine, per corpus (MB/s; 0: failed). */
struct jit_pair {
	const char *corpus;
	double jit, no_jit;
};

static void
print_jit_pairs(const struct jit_pair *p, size_t n)
{
	printf("\n| corpus | KB fast MB/s, JIT | KB fast MB/s, no JIT | no JIT / JIT (time) |\n");
	printf("|---|---:|---:|---:|\n");
	for (size_t i = 0; i < n; i++) {
		if (p[i].jit > 0 && p[i].no_jit > 0)
			printf("| %s | %.2f | %.2f | %.2f |\n", p[i].corpus, p[i].jit, p[i].no_jit,
			       p[i].jit / p[i].no_jit);
		else
			printf("| %s | %.2f | %.2f | - |\n", p[i].corpus, p[i].jit, p[i].no_jit);
	}
}

static int
cmd_run(const char *dir, const char *kb, unsigned *sizes, size_t n_sizes)
{
	struct jit_pair pairs[sizeof corpora / sizeof corpora[0]];
	size_t n_pairs = 0;
	int found = 0;

	printf("| corpus | N | engine | input MB | compile s | first pass s | MB/s | lines/s | RSS after compile MB | peak RSS MB | matching lines |\n");
	printf("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (size_t c = 0; c < sizeof corpora / sizeof corpora[0]; c++) {
		char sub[4096], path[4200];
		struct stat st;

		snprintf(sub, sizeof sub, "%s/%s", dir, corpora[c].name);
		snprintf(path, sizeof path, "%s/corpus.log", sub);
		if (stat(path, &st) < 0) {
			if (corpora[c].generate)
				fprintf(stderr, "fwbench: %s: %s (run: fwbench gen %s)\n", path,
					strerror(errno), dir);
			else if (kb)
				fprintf(stderr, "fwbench: %s: %s (run: bench/real.sh)\n", path,
					strerror(errno));
			continue;
		}
		found++;
		for (size_t k = 0; corpora[c].generate && k < n_sizes; k++) {
			for (enum engine e = ENG_REF; e <= ENG_HS_BUFFER; e++) {
#ifndef HAVE_HYPERSCAN
				if (e == ENG_HS || e == ENG_HS_BUFFER)
					continue;
#endif
				run_row(sub, corpora[c].name, sizes[k], NULL, e, (size_t)st.st_size);
			}
		}
		if (kb) {
			struct jit_pair *jp = &pairs[n_pairs++];

			run_row(sub, corpora[c].name, 0, kb, ENG_REF, (size_t)st.st_size);
			jp->corpus = corpora[c].name;
			jp->jit = run_row(sub, corpora[c].name, 0, kb, ENG_FAST, (size_t)st.st_size);
			jp->no_jit = run_row(sub, corpora[c].name, 0, kb, ENG_FAST_NO_JIT,
					     (size_t)st.st_size);
		}
	}
	if (n_pairs)
		print_jit_pairs(pairs, n_pairs);
	return found ? 0 : 1;
}

int
main(int argc, char **argv)
{
	unsigned sizes[8] = { 100, 1000, 10000 };
	size_t n_sizes = 3;

	if (argc >= 3 && strcmp(argv[1], "gen") == 0) {
		size_t mb = argc >= 4 ? strtoul(argv[3], NULL, 10) : 32;

		mkdir(argv[2], 0755);
		for (size_t c = 0; c < sizeof corpora / sizeof corpora[0]; c++) {
			char sub[4096];

			if (!corpora[c].generate)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", argv[2], corpora[c].name);
			if (mkdir(sub, 0755) < 0 && errno != EEXIST) {
				fprintf(stderr, "fwbench: %s: %s\n", sub, strerror(errno));
				return 1;
			}
			if (corpora[c].generate(sub, mb << 20) < 0)
				return 1;
		}
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "run") == 0) {
		const char *kb = NULL;
		int i = 3;

		if (argc >= 5 && strcmp(argv[3], "--kb") == 0) {
			kb = argv[4];
			i = 5;
		}
		if (i < argc)
			n_sizes = 0;
		for (; i < argc && n_sizes < 8; i++)
			sizes[n_sizes++] = (unsigned)strtoul(argv[i], NULL, 10);
		return cmd_run(argv[2], kb, sizes, n_sizes);
	}
	if (argc >= 5 && argc <= 7 && strcmp(argv[1], "one") == 0) {
		/*
		 * One engine in this process, for profilers (perf, callgrind). N may
		 * be a KB path. PASSES timed passes over the corpus in one context,
		 * the median quoted (after a first pass in a context of its own).
		 */
		struct result r;
		char *end;
		unsigned n = (unsigned)strtoul(argv[3], &end, 10);
		const char *kb = *end || !n ? argv[3] : NULL;
		size_t cap = argc >= 6 ? (size_t)(strtod(argv[5], NULL) * 1048576) : SIZE_MAX / 2;
		long passes = argc == 7 ? strtol(argv[6], &end, 10) : 1;

		if (argc == 7 && (*end || passes < 1 || passes > PASSES_MAX)) {
			fprintf(stderr, "fwbench one: PASSES '%s': a number from 1 to %d\n", argv[6], PASSES_MAX);
			return 2;
		}

		char engine[32];
		size_t el = strlen(argv[4]);
		/* A fixwatch engine's name ending in "-nojit": PCRE2 without JIT. */
		bool no_jit = el > 6 && strcmp(argv[4] + el - 6, "-nojit") == 0;

		snprintf(engine, sizeof engine, "%.*s", (int)(no_jit ? el - 6 : el), argv[4]);
		memset(&r, 0, sizeof r);
		static_keys = strcmp(engine, "fast-static") == 0;
		if (strcmp(engine, "fast") == 0 || static_keys)
			run_fixwatch(argv[2], n, kb, FW_ENGINE_FAST, no_jit, cap, (int)passes, !no_jit, &r);
		else if (strcmp(engine, "reference") == 0)
			run_fixwatch(argv[2], n, kb, FW_ENGINE_REFERENCE, no_jit, cap, (int)passes, false, &r);
#ifdef HAVE_HYPERSCAN
		else if (strcmp(argv[4], "hyperscan") == 0)
			run_hyperscan(argv[2], n, cap, (int)passes, false, &r);
		else if (strcmp(argv[4], "hyperscan-buffer") == 0)
			run_hyperscan(argv[2], n, cap, (int)passes, true, &r);
#endif
		if (!r.ok)
			return 1;
		printf("%s %s: %.3f MB, %zu lines in %.3f s: %.1f MB/s, %llu matching lines; "
		       "compile %.3f s (CPU %.3f s), RSS after compile %.1f MB", argv[4], argv[3],
		       (double)r.bytes / 1e6, r.lines, r.match_s, (double)r.bytes / 1e6 / r.match_s,
		       (unsigned long long)r.matching_lines, r.compile_s, r.compile_cpu_s,
		       (double)r.hwm_kb / 1024);
		if (r.first_s > 0)
			printf(", first pass (JIT code made on first confirmation) %.3f s", r.first_s);
		/* Hyperscan has neither; the corpus is in the peak. */
		if (r.peak_kb > 0)
			printf(", peak RSS %.1f MB (corpus %.1f MB), RSS after matching without the "
			       "corpus %.1f MB (JIT code of %u patterns %.1f MB)",
			       (double)r.peak_kb / 1024, (double)r.bytes / 1048576,
			       (double)r.rss_kb / 1024, r.jit_compiled, (double)r.jit_bytes / 1048576);
		printf("\n");
		return 0;
	}
	fprintf(stderr, "usage: fwbench gen DIR [MB] | fwbench run DIR [--kb PATH] [N...] |\n"
		"       fwbench one DIR/CORPUS N|KB fast[-nojit]|fast-static[-nojit]|reference[-nojit]|hyperscan|\n"
		"                                   hyperscan-buffer [MB [PASSES]]\n");
	return 2;
}
