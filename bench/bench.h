/*
 * bench: the matcher benchmark (see bench/README.md). Not installed, not
 * part of make check; `make bench` runs it.
 */
#ifndef FW_BENCH_H
#define FW_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_SIGS 10000

/*
 * Each generator writes sigs-{100,1000,10000}.{jsonl,ere,pcre} and
 * corpus.log into dir (which exists). 0 or -1. They share no vocabulary.
 */
int bench_generate(const char *dir, size_t corpus_bytes);      /* "web": gen.c */
int bench_generate_app(const char *dir, size_t corpus_bytes);  /* "app": gen_app.c */
int bench_generate_ops(const char *dir, size_t corpus_bytes);  /* "ops": gen_ops.c */
int bench_generate_net(const char *dir, size_t corpus_bytes);  /* "net": gen_net.c */
int bench_generate_sec(const char *dir, size_t corpus_bytes);  /* "sec": gen_sec.c */
int bench_generate_grid(const char *dir, size_t corpus_bytes); /* "grid": gen_grid.c */

#endif
