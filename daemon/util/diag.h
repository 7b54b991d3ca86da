/*
 * diag: a list of user-facing error messages collected by a loader (KB,
 * config) so that every problem of an input is reported, not just the first.
 *
 * Message format (contract, design.md §3): "PATH[:LINE]: ID: FIELD: message";
 * a part that does not apply is written as "-".
 */
#ifndef FW_DIAG_H
#define FW_DIAG_H

#include <stddef.h>
#include <stdio.h>

struct fw_diag {
	char **msgs;
	size_t n;
	size_t cap;
	size_t dropped; /* messages beyond FW_DIAG_MAX, counted not kept */
};

#define FW_DIAG_MAX 1000

void fw_diag_init(struct fw_diag *d);
/* Appends one message; on out-of-memory the message is counted as dropped. */
void fw_diag_add(struct fw_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints every message, one per line, then "N more errors" if some were dropped. */
void fw_diag_print(const struct fw_diag *d, FILE *f);
size_t fw_diag_count(const struct fw_diag *d);
void fw_diag_clear(struct fw_diag *d);

#endif
