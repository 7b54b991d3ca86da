/*
 * sigset: signatures in three syntaxes, the signature-set writer and the
 * corpus writer (see sigset.h). The escaping follows PCRE2 and POSIX ERE as GNU grep reads
 * them; gen.c keeps its own older copy so that its output stays the same.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "sigset.h"

uint32_t
bench_rng_below(struct bench_rng *r, uint32_t n)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	z ^= z >> 31;
	return (uint32_t)(z % n);
}

static void
append(char *dst, size_t size, const char *src)
{
	size_t len = strlen(dst);

	if (len + 1 < size)
		snprintf(dst + len, size - len, "%s", src);
}

void
bench_addr(char *out, size_t size, struct bench_rng *r, const struct bench_nets *nets)
{
	if (bench_rng_below(r, 2))
		snprintf(out, size, "%u.%u.%u.%u", nets->v4[bench_rng_below(r, nets->n4)], bench_rng_below(r, 256),
			 bench_rng_below(r, 256), 1 + bench_rng_below(r, 254));
	else
		snprintf(out, size, "%s:%x:%x::%x", nets->v6[bench_rng_below(r, nets->n6)],
			 bench_rng_below(r, 0x10000), bench_rng_below(r, 0x10000), 1 + bench_rng_below(r, 0xFFFF));
}

void
bench_subnet(char *out, size_t size, struct bench_rng *r, const struct bench_nets *nets)
{
	if (bench_rng_below(r, 2))
		snprintf(out, size, "%u.%u.%u.", nets->v4[bench_rng_below(r, nets->n4)], bench_rng_below(r, 256),
			 bench_rng_below(r, 256));
	else
		snprintf(out, size, "%s:%x:", nets->v6[bench_rng_below(r, nets->n6)], bench_rng_below(r, 0x10000));
}

void
bench_sig_raw(struct bench_sig *s, const char *re, const char *ere, const char *sample)
{
	append(s->re, sizeof s->re, re);
	append(s->ere, sizeof s->ere, ere);
	append(s->sample, sizeof s->sample, sample);
}

void
bench_sig_lit(struct bench_sig *s, const char *text)
{
	char re[640], ere[1280];
	size_t r = 0, e = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p && r + 3 < sizeof re &&
	     e + 5 < sizeof ere; p++) {
		bool letter = (*p | 32) >= 'a' && (*p | 32) <= 'z';

		if (strchr(".^$*+?()[]{}|\\", *p)) {
			re[r++] = '\\';
			re[r++] = (char)*p;
			ere[e++] = '\\';
			ere[e++] = (char)*p;
		} else if (s->caseless && letter) {
			re[r++] = (char)*p;
			e += (size_t)snprintf(ere + e, sizeof ere - e, "[%c%c]", *p | 32, *p & ~32);
		} else {
			re[r++] = (char)*p;
			ere[e++] = (char)*p;
		}
	}
	re[r] = ere[e] = '\0';
	bench_sig_raw(s, re, ere, text);
}

void
bench_sig_alt(struct bench_sig *s, const char *head, const char *const *words, unsigned n, unsigned first,
	      unsigned step, unsigned k, const char *tail)
{
	bench_sig_raw(s, head, head, head);
	bench_sig_raw(s, "(?:", "(", words[first]);
	for (unsigned i = 0; i < k; i++) {
		const char *w = words[(first + i * step) % n];

		bench_sig_raw(s, i ? "|" : "", i ? "|" : "", "");
		bench_sig_raw(s, w, w, "");
	}
	bench_sig_raw(s, ")", ")", "");
	bench_sig_raw(s, tail, tail, tail);
}

void
bench_sig_digits(struct bench_sig *s, struct bench_rng *r, uint32_t max)
{
	char n[16];

	snprintf(n, sizeof n, "%u", bench_rng_below(r, max));
	bench_sig_raw(s, "\\d+", "[0-9]+", n);
}

void
bench_sig_hex(struct bench_sig *s, struct bench_rng *r, unsigned lo, unsigned hi, unsigned len)
{
	char re[48], ere[48], sample[80];

	snprintf(re, sizeof re, "\\b[0-9a-f]{%u,%u}\\b", lo, hi);
	snprintf(ere, sizeof ere, "\\b[0-9a-f]{%u,%u}\\b", lo, hi);
	for (unsigned i = 0; i < len && i + 1 < sizeof sample; i++)
		sample[i] = "0123456789abcdef"[bench_rng_below(r, 16)];
	sample[len < sizeof sample ? len : sizeof sample - 1] = '\0';
	bench_sig_raw(s, re, ere, sample);
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

int
bench_sigs_write(const char *dir, const char *prefix, const struct bench_sig *sigs, size_t n)
{
	static const size_t sizes[] = { 100, 1000, 10000 };
	char path[4096];

	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0] && sizes[k] <= n; k++) {
		static const char *const ext[] = { "jsonl", "ere", "pcre" };
		FILE *f[3];

		for (int e = 0; e < 3; e++) {
			snprintf(path, sizeof path, "%s/sigs-%zu.%s", dir, sizes[k], ext[e]);
			f[e] = fopen(path, "w");
			if (!f[e]) {
				fprintf(stderr, "fwbench: %s: %s\n", path, strerror(errno));
				while (e-- > 0)
					fclose(f[e]);
				return -1;
			}
		}
		for (size_t i = 0; i < sizes[k]; i++) {
			fprintf(f[0], "{\"id\":\"%s/%05zu\",\"signature\":", prefix, i);
			json_str(f[0], sigs[i].sample);
			fprintf(f[0], ",\"regex\":");
			json_str(f[0], sigs[i].re);
			fprintf(f[0], "%s,\"examples\":[", sigs[i].caseless ? ",\"flags\":\"i\"" : "");
			json_str(f[0], sigs[i].sample);
			fprintf(f[0], "]}\n");
			fprintf(f[1], "%s\n", sigs[i].ere);
			fprintf(f[2], "%c%s\n", sigs[i].caseless ? 'i' : '-', sigs[i].re);
		}
		for (int e = 0; e < 3; e++) {
			if (fclose(f[e]) != 0) {
				fprintf(stderr, "fwbench: %s/sigs-%zu.%s: %s\n", dir, sizes[k], ext[e],
					strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

int
bench_corpus_write(const char *dir, size_t corpus_bytes, const struct bench_corpus *c)
{
	struct bench_rng r = { c->seed };
	struct bench_sig *sigs = calloc(BENCH_MAX_SIGS, sizeof *sigs);
	char path[4096];
	uint32_t n = 0;
	FILE *f;
	int rc = -1;

	if (!sigs)
		return -1;
	for (uint32_t i = 0; i < BENCH_MAX_SIGS; i++)
		c->make_sig(&sigs[i], &r);
	if (bench_sigs_write(dir, c->prefix, sigs, BENCH_MAX_SIGS) < 0)
		goto out;
	snprintf(path, sizeof path, "%s/corpus.log", dir);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "fwbench: %s: %s\n", path, strerror(errno));
		goto out;
	}
	while ((size_t)ftell(f) < corpus_bytes) {
		if (bench_rng_below(&r, 1000) == 0) {
			const struct bench_sig *s = &sigs[bench_rng_below(&r, 100)];

			if (s->anchored)
				fprintf(f, "%s\n", s->sample);
			else
				c->error_line(f, &r, n, s->sample);
		} else {
			c->healthy_line(f, &r, n);
		}
		n++;
	}
	rc = fclose(f) == 0 ? 0 : -1;
out:
	free(sigs);
	return rc;
}
