/*
 * fuzz_common: helpers shared by the libFuzzer targets (fuzz/, built with
 * --enable-fuzzing CC=clang). A KB is written to a per-process temporary
 * file and loaded with fw_kb_load(), exactly as a user's KB would be.
 */
#ifndef FW_FUZZ_COMMON_H
#define FW_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kb/kb.h"

/* Writes data to this process's scratch file with the given suffix; returns its path or NULL. */
const char *fuzz_write_file(const char *suffix, const void *data, size_t len);

/* Loads the KB at path quietly (without PCRE2 JIT if no_jit); NULL when it does not load. */
struct fw_kb *fuzz_load_kb(const char *path, bool no_jit);

/*
 * A KB of the patterns at *at, each ended by '\n' (flags, the inputs'
 * first byte: 1 + (flags & 3) + more patterns, bit 2 + i that pattern i,
 * one of the first four, is caseless, bit 7 that the KB loads without
 * JIT). *at is moved past them. NULL when there are too few, one holds a
 * NUL or the KB does not load.
 */
struct fw_kb *fuzz_kb_of_patterns(unsigned flags, unsigned more, const uint8_t **at, const uint8_t *end);

/*
 * Aborts when the fast engine's result for the line differs from the
 * reference's: with its compile-time keys and first stage, then after
 * re-keying and choosing the stage on the line; with lazy, its context
 * takes captures later, and they must equal the reference's.
 */
void fuzz_check_engines(const struct fw_kb *kb, const char *line, size_t len, bool lazy);

/*
 * A stream through one context of each engine: text's segments (split at
 * an empty line) one after the other, each one's lines ('\n') reps times
 * in turn, every line compared as fuzz_check_engines() does, the fast
 * context learning on the schedule given (fw_match_fast_adapt_schedule())
 * so that its samples end, and its keys, scan set, triggers and first
 * stage move, between the lines compared, and checking its keys' false
 * hits every miss_every bytes (fw_match_fast_miss_schedule(); 0: the
 * engine's interval). At most 3,000 lines or 128 KiB. A segment whose
 * first byte is NUL matches only some records, in both contexts: its
 * first line is not matched but read as their mask, bit b of its byte
 * 1 + j for record 8j + b, the records past its bytes left out (a KB
 * here has at most 64). Other segments match every record.
 */
#define FUZZ_MASK_WORDS 1
struct fuzz_stream {
	size_t learn, period, miss_every;
	unsigned reps;
	bool lazy;
};
/* What the fast context did over the stream. */
struct fuzz_stream_counts {
	unsigned lines, masked;         /* lines compared, of them with a mask */
	uint64_t dfa_gave_up;           /* lines the DFA gave up on */
	uint64_t rekeys, scans, trigger_moves, stage_switches, miss_moves;
};
void fuzz_check_stream(const struct fw_kb *kb, const char *text, size_t len, const struct fuzz_stream *st,
		       struct fuzz_stream_counts *counts);

#endif
