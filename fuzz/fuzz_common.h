/*
 * fuzz_common: helpers shared by the libFuzzer targets (fuzz/, built with
 * --enable-fuzzing CC=clang). A KB is written to a per-process temporary
 * file and loaded with fw_kb_load(), exactly as a user's KB would be.
 */
#ifndef FW_FUZZ_COMMON_H
#define FW_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kb.h"

/* Writes data to this process's scratch file with the given suffix; returns its path or NULL. */
const char *fuzz_write_file(const char *suffix, const void *data, size_t len);

/* Loads the KB at path quietly (without PCRE2 JIT if no_jit); NULL when it does not load. */
struct fw_kb *fuzz_load_kb(const char *path, bool no_jit);

/*
 * Aborts when the fast engine's result for the line differs from the
 * reference's: with its compile-time keys and first stage, then after
 * re-keying and choosing the stage on the line; with lazy, its context
 * takes captures later, and they must equal the reference's.
 */
void fuzz_check_engines(const struct fw_kb *kb, const char *line, size_t len, bool lazy);

#endif
