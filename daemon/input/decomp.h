/*
 * decomp: turns a gzip, xz or zstd byte stream back into the log text it
 * holds, for `fixwatch scan` and the file input.
 *
 * The format is recognised by its magic bytes, never by the file name:
 * a log renamed to .gz stays text, a gzip file without suffix is read.
 * Concatenated streams (`cat a.gz b.gz`, multi-member gzip, several xz
 * streams or zstd frames) are read as one text, as gzip(1) does.
 *
 * Push model: the caller reads compressed blocks of any size and feeds
 * them; the decoder calls back with decompressed chunks of at most
 * FW_DECOMP_CHUNK bytes, which go on to the line splitter. A corrupt stream
 * fails the feed with -EBADMSG; a stream that stops early (a truncated
 * download, a file still being written) is reported by fw_decomp_finish().
 * Every chunk delivered before an error is good text: the caller keeps
 * the lines read so far. The message of the last error is in
 * fw_decomp_error().
 *
 * Memory: one output buffer of FW_DECOMP_CHUNK bytes plus the library's
 * window (32 KiB for gzip; for xz at most FW_DECOMP_XZ_MEMLIMIT, for zstd
 * at most a 2^27-byte window: larger ones are refused as corrupt), all
 * allocated by fw_decomp_new(). Nothing is allocated per block.
 */
#ifndef FW_DECOMP_H
#define FW_DECOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_DECOMP_CHUNK (256u * 1024u)
#define FW_DECOMP_XZ_MEMLIMIT (256u * 1024u * 1024u)
/* Bytes fw_decomp_detect() needs to see to recognise every format. */
#define FW_DECOMP_MAGIC_MAX 6u

enum fw_decomp_kind {
	FW_DECOMP_NONE = 0,   /* not compressed (or too short to tell) */
	FW_DECOMP_GZIP,
	FW_DECOMP_XZ,
	FW_DECOMP_ZSTD,
};

/* The format whose magic bytes start head[0..n). */
enum fw_decomp_kind fw_decomp_detect(const void *head, size_t n);
/* "gzip", "xz", "zstd" or "plain". */
const char *fw_decomp_kind_name(enum fw_decomp_kind kind);

struct fw_decomp;

/* Called with each decompressed chunk, in order. */
typedef void (*fw_decomp_cb)(void *arg, const char *data, size_t len);

/* A decoder for kind (not NONE). 0, -EINVAL or -ENOMEM. Freed by fw_decomp_free(). */
int fw_decomp_new(enum fw_decomp_kind kind, struct fw_decomp **out);
void fw_decomp_free(struct fw_decomp *d);
/* Starts a new stream of the same kind (the buffers are kept). */
int fw_decomp_reset(struct fw_decomp *d);

/*
 * Decompresses in[0..n), calling cb for the text it yields. 0, or -EBADMSG
 * if the data is corrupt (fw_decomp_error() says how), or -ENOMEM. After an
 * error, further feeds fail with the same error until a reset.
 */
int fw_decomp_feed(struct fw_decomp *d, const void *in, size_t n, fw_decomp_cb cb, void *arg);
/* Whether the text fed so far ends exactly at the end of a stream (no error). */
bool fw_decomp_complete(const struct fw_decomp *d);
/*
 * The input ended: 0 if the last stream was complete, -EBADMSG if it was
 * cut short or corrupt (the text of its complete part was delivered).
 * Changes nothing but the error: more data may still be fed after a
 * complete stream.
 */
int fw_decomp_finish(struct fw_decomp *d);

/* What went wrong last, for a message naming the file; "" if nothing. */
const char *fw_decomp_error(const struct fw_decomp *d);
/* Compressed bytes consumed and text bytes produced since new/reset. */
uint64_t fw_decomp_in_bytes(const struct fw_decomp *d);
uint64_t fw_decomp_out_bytes(const struct fw_decomp *d);

#endif
