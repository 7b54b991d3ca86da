/*
 * sigset: one signature in the three syntaxes the benchmark feeds its
 * engines (a KB record's PCRE2 regex, a POSIX ERE for grep -E, a PCRE line
 * for Hyperscan) together with a line it matches, and the writer of a
 * signature set (sigs-N.{jsonl,ere,pcre}) and of a whole corpus from a
 * generator's signatures and lines. Used by the corpus generators other
 * than gen.c; it holds no vocabulary of its own.
 */
#ifndef FW_BENCH_SIGSET_H
#define FW_BENCH_SIGSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct bench_sig {
	char re[640], ere[1280], sample[640];
	bool caseless;  /* PCRE2 flag "i"; the ERE spells each letter as [xX] */
	bool anchored;  /* begins with ^: its sample is a whole line */
};

/* A deterministic generator (splitmix64); every corpus has its own seed. */
struct bench_rng {
	uint64_t s;
};

uint32_t bench_rng_below(struct bench_rng *r, uint32_t n);
#define BENCH_PICK(r, a) ((a)[bench_rng_below((r), (uint32_t)(sizeof(a) / sizeof((a)[0])))])
#define BENCH_COUNT(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

/* The first IPv4 octets and the IPv6 prefixes a generator's outside addresses begin with. */
struct bench_nets {
	const unsigned *v4;
	uint32_t n4;
	const char *const *v6;
	uint32_t n6;
};
#define BENCH_NETS(v4, v6) { (v4), BENCH_COUNT(v4), (v6), BENCH_COUNT(v6) }

/* An address of nets: IPv4 ("185.23.7.42") or IPv6 ("2a01:4f8:1c2e:9a::3") equally often. */
void bench_addr(char *out, size_t size, struct bench_rng *r, const struct bench_nets *nets);
/* A subnet's text as an address begins with it ("185.23.7." or "2a01:4f8:1c2e:"). */
void bench_subnet(char *out, size_t size, struct bench_rng *r, const struct bench_nets *nets);

/* Appends a piece written in each syntax and its sample text. */
void bench_sig_raw(struct bench_sig *s, const char *re, const char *ere, const char *sample);
/* Appends literal text, escaped for both syntaxes. */
void bench_sig_lit(struct bench_sig *s, const char *text);
/*
 * Appends head, an alternation of k of words[0..n) (words[first], then every
 * step-th after it, round) and tail, head and tail as they are in both
 * syntaxes; the sample is head, words[first], tail.
 */
void bench_sig_alt(struct bench_sig *s, const char *head, const char *const *words, unsigned n, unsigned first,
		   unsigned step, unsigned k, const char *tail);
/* Appends \d+ (ERE [0-9]+); the sample gets a number below max. */
void bench_sig_digits(struct bench_sig *s, struct bench_rng *r, uint32_t max);
/* Appends \b[0-9a-f]{lo,hi}\b, a literal-free hex identifier; the sample gets len digits. */
void bench_sig_hex(struct bench_sig *s, struct bench_rng *r, unsigned lo, unsigned hi, unsigned len);

/*
 * Writes dir/sigs-N.{jsonl,ere,pcre} for N = 100, 1,000 and 10,000 from the
 * first N of sigs (n must be at least 10,000). Record ids are "PREFIX/NNNNN".
 * 0 or -1 (the failing path is printed).
 */
int bench_sigs_write(const char *dir, const char *prefix, const struct bench_sig *sigs, size_t n);

/* What a corpus generator brings: its vocabulary, as a signature maker and line writers. */
struct bench_corpus {
	const char *prefix;     /* record ids "PREFIX/NNNNN" */
	uint64_t seed;          /* the corpus's own: the same seed writes the same bytes */
	void (*make_sig)(struct bench_sig *s, struct bench_rng *r);
	/* Line n of the corpus, matched by none of the signatures. */
	void (*healthy_line)(FILE *f, struct bench_rng *r, uint32_t n);
	/* Line n: an unanchored signature's sample behind the log's own prefix. */
	void (*error_line)(FILE *f, struct bench_rng *r, uint32_t n, const char *sample);
};

/*
 * Makes BENCH_MAX_SIGS signatures, writes their sets (bench_sigs_write) and
 * then dir/corpus.log up to corpus_bytes: one line in a thousand carries the
 * sample of one of the first 100 signatures (the whole line if it is
 * anchored), every other line is healthy. 0 or -1 (the failing path is
 * printed).
 */
int bench_corpus_write(const char *dir, size_t corpus_bytes, const struct bench_corpus *c);

#endif
