/*
 * decomp: gzip (zlib), xz (liblzma) and zstd (libzstd) streams decoded
 * block by block into text (see decomp.h for the contract).
 *
 * Each library is driven the same way: give it the whole fed block, let
 * it fill the output chunk, hand the chunk on, and repeat while it still
 * has input or filled the chunk completely (then it may hold more output).
 * A stream is complete only where its format says so: the end of a gzip
 * member (RFC 1952 §2.2, members may follow one another) or of an xz
 * stream (streams may follow one another too), a zstd frame whose decoder
 * asks for no more input (return value 0).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "input/decomp.h"

struct fw_decomp {
	enum fw_decomp_kind kind;
	char *out;
	int err;                    /* sticky: the first error, until reset */
	char msg[160];
	uint64_t in_bytes, out_bytes;
	bool member_done;           /* gzip: the last member ended cleanly */
	size_t zstd_hint;           /* zstd: 0 when a frame just ended */
	z_stream z;
	lzma_stream x;
	ZSTD_DStream *zs;
};

static const unsigned char GZIP_MAGIC[] = {0x1f, 0x8b};
static const unsigned char XZ_MAGIC[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
static const unsigned char ZSTD_MAGIC[] = {0x28, 0xb5, 0x2f, 0xfd};

enum fw_decomp_kind
fw_decomp_detect(const void *head, size_t n)
{
	if (n >= sizeof GZIP_MAGIC && memcmp(head, GZIP_MAGIC, sizeof GZIP_MAGIC) == 0)
		return FW_DECOMP_GZIP;
	if (n >= sizeof XZ_MAGIC && memcmp(head, XZ_MAGIC, sizeof XZ_MAGIC) == 0)
		return FW_DECOMP_XZ;
	if (n >= sizeof ZSTD_MAGIC && memcmp(head, ZSTD_MAGIC, sizeof ZSTD_MAGIC) == 0)
		return FW_DECOMP_ZSTD;
	return FW_DECOMP_NONE;
}

const char *
fw_decomp_kind_name(enum fw_decomp_kind kind)
{
	switch (kind) {
	case FW_DECOMP_GZIP: return "gzip";
	case FW_DECOMP_XZ: return "xz";
	case FW_DECOMP_ZSTD: return "zstd";
	case FW_DECOMP_NONE: break;
	}
	return "plain";
}

static int
fail(struct fw_decomp *d, int err, const char *what, const char *detail)
{
	if (d->err == 0) {
		d->err = err;
		snprintf(d->msg, sizeof d->msg, "%s after %llu compressed bytes%s%s%s", what,
			 (unsigned long long)d->in_bytes, detail ? " (" : "", detail ? detail : "",
			 detail ? ")" : "");
	}
	return d->err;
}

static void
emit(struct fw_decomp *d, size_t len, fw_decomp_cb cb, void *arg)
{
	if (len == 0)
		return;
	d->out_bytes += len;
	cb(arg, d->out, len);
}

/* -- gzip ------------------------------------------------------------------ */

static int
gzip_feed(struct fw_decomp *d, const unsigned char *in, size_t n, fw_decomp_cb cb, void *arg)
{
	z_stream *z = &d->z;
	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)n;
	for (;;) {
		if (d->member_done) {
			if (z->avail_in == 0)
				return 0;
			/* Another member may follow; anything else is not gzip. */
			if (z->next_in[0] != GZIP_MAGIC[0])
				return fail(d, -EBADMSG, "data after the end of the gzip stream", NULL);
			inflateReset(z);
			d->member_done = false;
		}
		z->next_out = (unsigned char *)d->out;
		z->avail_out = FW_DECOMP_CHUNK;
		uInt before = z->avail_in;
		int rc = inflate(z, Z_NO_FLUSH);
		d->in_bytes += before - z->avail_in;
		emit(d, FW_DECOMP_CHUNK - z->avail_out, cb, arg);
		switch (rc) {
		case Z_STREAM_END:
			d->member_done = true;
			continue;
		case Z_OK:
		case Z_BUF_ERROR:   /* no progress possible: needs more input */
			if (z->avail_out > 0 && (z->avail_in == 0 || rc == Z_BUF_ERROR))
				return 0;
			continue;
		case Z_MEM_ERROR:
			return fail(d, -ENOMEM, "out of memory decompressing gzip", NULL);
		default:
			return fail(d, -EBADMSG, "corrupt gzip data", z->msg);
		}
	}
}

/* -- xz -------------------------------------------------------------------- */

static int
xz_start(struct fw_decomp *d)
{
	lzma_end(&d->x);
	d->x = (lzma_stream)LZMA_STREAM_INIT;
	return lzma_stream_decoder(&d->x, FW_DECOMP_XZ_MEMLIMIT, 0) == LZMA_OK ? 0 : -ENOMEM;
}

/* Streams are taken one at a time (not LZMA_CONCATENATED), so that the end of
 * each is seen without LZMA_FINISH and a file still being written can be
 * read on when it grows. */
static int
xz_feed(struct fw_decomp *d, const uint8_t *in, size_t n, fw_decomp_cb cb, void *arg)
{
	lzma_stream *x = &d->x;
	x->next_in = in;
	x->avail_in = n;
	for (;;) {
		if (d->member_done) {
			if (x->avail_in == 0)
				return 0;
			if (x->next_in[0] != XZ_MAGIC[0])
				return fail(d, -EBADMSG, "data after the end of the xz stream", NULL);
			const uint8_t *at = x->next_in;
			size_t left = x->avail_in;
			if (xz_start(d) < 0)
				return fail(d, -ENOMEM, "out of memory decompressing xz", NULL);
			x->next_in = at;
			x->avail_in = left;
			d->member_done = false;
		}
		x->next_out = (uint8_t *)d->out;
		x->avail_out = FW_DECOMP_CHUNK;
		size_t before = x->avail_in;
		lzma_ret rc = lzma_code(x, LZMA_RUN);
		d->in_bytes += before - x->avail_in;
		emit(d, FW_DECOMP_CHUNK - x->avail_out, cb, arg);
		switch (rc) {
		case LZMA_OK:
		case LZMA_BUF_ERROR:
			if (x->avail_out > 0 && (x->avail_in == 0 || rc == LZMA_BUF_ERROR))
				return 0;
			continue;
		case LZMA_STREAM_END:
			d->member_done = true;
			continue;
		case LZMA_MEM_ERROR:
			return fail(d, -ENOMEM, "out of memory decompressing xz", NULL);
		case LZMA_MEMLIMIT_ERROR:
			return fail(d, -EBADMSG, "xz data needs more memory than allowed",
				    "limit 256 MiB");
		default:
			return fail(d, -EBADMSG, "corrupt xz data", NULL);
		}
	}
}

/* -- zstd ------------------------------------------------------------------ */

static int
zstd_feed(struct fw_decomp *d, const void *in, size_t n, fw_decomp_cb cb, void *arg)
{
	ZSTD_inBuffer ib = {in, n, 0};
	for (;;) {
		ZSTD_outBuffer ob = {d->out, FW_DECOMP_CHUNK, 0};
		size_t before = ib.pos;
		size_t rc = ZSTD_decompressStream(d->zs, &ob, &ib);
		d->in_bytes += ib.pos - before;
		if (ZSTD_isError(rc))
			return fail(d, -EBADMSG, "corrupt zstd data", ZSTD_getErrorName(rc));
		emit(d, ob.pos, cb, arg);
		d->zstd_hint = rc;
		if (ib.pos == ib.size && ob.pos < ob.size)
			return 0;
	}
}

/* -- the interface ----------------------------------------------------------- */

static void
release(struct fw_decomp *d)
{
	switch (d->kind) {
	case FW_DECOMP_GZIP: inflateEnd(&d->z); break;
	case FW_DECOMP_XZ: lzma_end(&d->x); break;
	case FW_DECOMP_ZSTD: ZSTD_freeDStream(d->zs); d->zs = NULL; break;
	case FW_DECOMP_NONE: break;
	}
}

static int
setup(struct fw_decomp *d)
{
	d->err = 0;
	d->msg[0] = '\0';
	d->in_bytes = d->out_bytes = 0;
	d->member_done = false;
	d->zstd_hint = 1;
	switch (d->kind) {
	case FW_DECOMP_GZIP:
		memset(&d->z, 0, sizeof d->z);
		/* 16 + MAX_WBITS: gzip wrapper only (RFC 1952). */
		return inflateInit2(&d->z, 16 + MAX_WBITS) == Z_OK ? 0 : -ENOMEM;
	case FW_DECOMP_XZ:
		d->x = (lzma_stream)LZMA_STREAM_INIT;
		return xz_start(d);
	case FW_DECOMP_ZSTD:
		d->zs = ZSTD_createDStream();
		if (!d->zs)
			return -ENOMEM;
		return ZSTD_isError(ZSTD_initDStream(d->zs)) ? -ENOMEM : 0;
	case FW_DECOMP_NONE:
		break;
	}
	return -EINVAL;
}

int
fw_decomp_new(enum fw_decomp_kind kind, struct fw_decomp **out)
{
	*out = NULL;
	if (kind == FW_DECOMP_NONE)
		return -EINVAL;
	struct fw_decomp *d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->kind = kind;
	d->out = malloc(FW_DECOMP_CHUNK);
	int err = d->out ? setup(d) : -ENOMEM;
	if (err < 0) {
		release(d);
		free(d->out);
		free(d);
		return err;
	}
	*out = d;
	return 0;
}

void
fw_decomp_free(struct fw_decomp *d)
{
	if (!d)
		return;
	release(d);
	free(d->out);
	free(d);
}

int
fw_decomp_reset(struct fw_decomp *d)
{
	release(d);
	return setup(d);
}

int
fw_decomp_feed(struct fw_decomp *d, const void *in, size_t n, fw_decomp_cb cb, void *arg)
{
	if (d->err)
		return d->err;
	if (n == 0)
		return 0;
	switch (d->kind) {
	case FW_DECOMP_GZIP:
		return gzip_feed(d, in, n, cb, arg);
	case FW_DECOMP_XZ:
		return xz_feed(d, in, n, cb, arg);
	case FW_DECOMP_ZSTD:
		return zstd_feed(d, in, n, cb, arg);
	case FW_DECOMP_NONE:
		break;
	}
	return -EINVAL;
}

bool
fw_decomp_complete(const struct fw_decomp *d)
{
	if (d->err)
		return false;
	if (d->kind == FW_DECOMP_ZSTD)
		return d->zstd_hint == 0;
	return d->member_done;
}

int
fw_decomp_finish(struct fw_decomp *d)
{
	if (d->err)
		return d->err;
	if (!fw_decomp_complete(d))
		return fail(d, -EBADMSG, d->kind == FW_DECOMP_GZIP ? "the gzip stream ends early (truncated file?)"
				 : d->kind == FW_DECOMP_XZ ? "the xz stream ends early (truncated file?)"
				 : "the zstd stream ends early (truncated file?)", NULL);
	return 0;
}

const char *
fw_decomp_error(const struct fw_decomp *d)
{
	return d->msg;
}

uint64_t
fw_decomp_in_bytes(const struct fw_decomp *d)
{
	return d->in_bytes;
}

uint64_t
fw_decomp_out_bytes(const struct fw_decomp *d)
{
	return d->out_bytes;
}
