/*
 * decomp_files: what a file input knows about the compressed files it has
 * met, so that a directory filled with thousands of .gz files over days
 * stays cheap (docs/inputs.md).
 *
 * A compressed file is immutable: it is read whole, once. Its entry says it
 * was read (done) together with its identity: device, inode, size and the
 * fingerprint of its first bytes. A scan that finds the same device, inode
 * and size again skips the file without opening it; a file re-uploaded
 * under the same name is another inode or another size, and is read. Done
 * entries are written into the input's checkpoint with offset = size.
 *
 * Retention: an entry whose file no scan has seen for FW_DECOMP_RETAIN_MS
 * is dropped, so the state of files that are gone does not grow forever.
 *
 * Memory: one array sorted by (device, inode), grown by doubling; each
 * entry owns a copy of its path.
 */
#ifndef FW_DECOMP_FILES_H
#define FW_DECOMP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/checkpoint.h"

#define FW_DECOMP_RETAIN_MS (60u * 60u * 1000u)

struct fw_decomp_file {
	uint64_t dev, ino;
	uint64_t size;             /* compressed bytes when it was read */
	uint64_t lines;            /* lines of text it held */
	struct fw_fingerprint fp;
	uint64_t last_seen_ms;
	bool waiting;              /* found, not read yet (no free slot): not saved */
	char *path;
};

struct fw_decomp_files {
	struct fw_decomp_file *v;
	size_t n, cap;
};

/* The entry of (dev, ino), or NULL. */
struct fw_decomp_file *fw_decomp_files_find(struct fw_decomp_files *s, uint64_t dev, uint64_t ino);
/* Records f as read (replacing an entry of the same dev and inode; path copied). 0 or -ENOMEM. */
int fw_decomp_files_put(struct fw_decomp_files *s, const struct fw_decomp_file *f);
/* Drops the entries not seen since now_ms - FW_DECOMP_RETAIN_MS; returns how many. */
size_t fw_decomp_files_expire(struct fw_decomp_files *s, uint64_t now_ms);
/* Appends every entry read to its end to ck (offset = size). 0 or -ENOMEM. */
int fw_decomp_files_save(const struct fw_decomp_files *s, struct fw_checkpoint *ck);
void fw_decomp_files_free(struct fw_decomp_files *s);

#endif
