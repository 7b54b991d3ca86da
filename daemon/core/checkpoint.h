/*
 * checkpoint: where each input resumes after a restart, one state file per
 * input in state_dir ("NAME.state").
 *
 * A file entry is keyed by (device, inode) and fingerprints of the file's
 * first bytes and of the bytes just before its offset: files that share a
 * header (a CloudFront log's first 256 bytes are the same in every file)
 * differ there, so a reused inode, or a file emptied and written again, is
 * recognised as a new file. It carries the offset of the next line to read
 * and that line's number minus one.
 * A journal input keeps its cursor.
 *
 * Per-output progress. The entry's offset is where every output's alerts
 * were acknowledged (the slowest output's position); an output that was
 * further ahead has its own position in the entry's acks, by output name.
 * A restart reads from the offset and does not send an output again the
 * alerts of lines before its own position (input.h), so a slow output does
 * not make a healthy one receive duplicates. Version 1 state files,
 * written before this, load as entries with none.
 *
 * Rotated files. A file renamed by rotation to a name the patterns still
 * match (app.log -> app.log.1) keeps the name it had before
 * (rotated_from), so that after a restart it is closed once read and idle,
 * as in a running daemon, instead of held open until its next rename.
 * Version 1 and 2 state files load with none.
 *
 * Saving is atomic: "NAME.state.tmp" is created anew (O_EXCL, after
 * removing whatever has that name: a link planted there is never written
 * through), written, fsync'd and renamed over the old file, then the
 * directory is fsync'd; out of descriptors, with the one held in reserve
 * (fw_checkpoint_reserve()). Loading never trusts a file
 * it cannot fully verify (header, input name, every field, trailing
 * checksum): such a file is reported in diag ("PATH:LINE: message") and
 * renamed aside to "NAME.state.bad", and the input starts as if it had
 * no checkpoint.
 *
 * Ownership: a struct fw_checkpoint owns its strings; fw_checkpoint_free()
 * releases them. fw_checkpoint_load() initialises ck whatever it returns.
 */
#ifndef FW_CHECKPOINT_H
#define FW_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/diag.h"

/* Bytes at the start of a file that make its fingerprint. */
#define FW_FINGERPRINT_MAX 256u

struct fw_fingerprint {
	uint64_t hash;              /* FNV-1a 64 of the first len bytes */
	uint32_t len;               /* <= FW_FINGERPRINT_MAX; 0 for an empty file */
};

/* An output that acknowledged more of a file than its entry's offset. */
struct fw_checkpoint_ack {
	char *output;               /* the output's name */
	uint64_t offset;            /* every line before it is acknowledged by that output */
};

struct fw_checkpoint_file {
	uint64_t dev;
	uint64_t ino;
	struct fw_fingerprint fp;
	struct fw_fingerprint window;   /* of the bytes before offset; len 0: none (empty,
					 * compressed, or a version 1 state file) */
	uint64_t offset;            /* of the next line to read */
	uint64_t line_no;           /* lines before offset */
	char *path;                 /* where it was last seen (informative) */
	char *rotated_from;         /* rotated: its name before the rename that made it one
				     * (it is closed once that name shows another file); NULL */
	struct fw_checkpoint_ack *acks; /* outputs ahead of offset, each named once */
	size_t n_acks;
};

struct fw_checkpoint {
	char *input;                /* the input's name */
	struct fw_checkpoint_file *files;
	size_t n_files;
	size_t cap_files;
	char *cursor;               /* journal: NULL if none */
};

/* Sets up an empty checkpoint for input. 0 or -ENOMEM. */
int fw_checkpoint_init(struct fw_checkpoint *ck, const char *input);
/* Empties ck but keeps its input name. */
void fw_checkpoint_clear(struct fw_checkpoint *ck);
/* Frees everything ck owns, the name too. */
void fw_checkpoint_free(struct fw_checkpoint *ck);

/* Appends a file entry (path, rotated_from and acks copied). 0 or -ENOMEM. */
int fw_checkpoint_add_file(struct fw_checkpoint *ck, const struct fw_checkpoint_file *f);
/* Replaces the cursor (copied; NULL clears). 0 or -ENOMEM. */
int fw_checkpoint_set_cursor(struct fw_checkpoint *ck, const char *cursor);

/* The position of output in entry f: its ack if it has one ahead, else f->offset. */
uint64_t fw_checkpoint_file_ack(const struct fw_checkpoint_file *f, const char *output);

/* The entry for (dev, ino), or NULL. */
const struct fw_checkpoint_file *fw_checkpoint_find(const struct fw_checkpoint *ck, uint64_t dev,
						    uint64_t ino);

/*
 * Loads state_dir/INPUT.state into ck (initialised here).
 * 0: loaded; -ENOENT: none (ck empty); -EBADMSG: corrupt or foreign, set
 * aside and reported in diag (ck empty); other -errno: could not read
 * (reported in diag, ck empty).
 */
int fw_checkpoint_load(const char *state_dir, const char *input, struct fw_checkpoint *ck,
		       struct fw_diag *diag);

/* Writes ck atomically to state_dir/INPUT.state. 0 or -errno (diag says why). */
int fw_checkpoint_save(const char *state_dir, const struct fw_checkpoint *ck,
		       struct fw_diag *diag);

/*
 * Keeps one descriptor (of the process) in reserve for fw_checkpoint_save():
 * when the followed files take every other one (EMFILE, ENFILE), a save
 * opens its files in its place, so positions are still written. Call it
 * before the inputs open files. 0 or -errno.
 */
int fw_checkpoint_reserve(void);
/* Gives the reserved descriptor back to the process. */
void fw_checkpoint_unreserve(void);

/* Fingerprint of buf[0..len), len capped at FW_FINGERPRINT_MAX. */
void fw_fingerprint_of(const void *buf, size_t len, struct fw_fingerprint *fp);
/* Reads and fingerprints the first bytes of fd (pread, offset unchanged). 0 or -errno. */
int fw_fingerprint_fd(int fd, struct fw_fingerprint *fp);
/* Whether fd's file starts with the bytes fp was made of. */
bool fw_fingerprint_matches(int fd, const struct fw_fingerprint *fp);
/* Fingerprints the (up to FW_FINGERPRINT_MAX) bytes of fd before end. 0 or -errno. */
int fw_fingerprint_window_fd(int fd, uint64_t end, struct fw_fingerprint *fp);
/* Whether the fp->len bytes of fd before end are the bytes fp was made of (fp->len 0: true). */
bool fw_fingerprint_window_matches(int fd, uint64_t end, const struct fw_fingerprint *fp);

#endif
