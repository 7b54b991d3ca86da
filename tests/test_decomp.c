/*
 * test_decomp: gzip, xz and zstd streams made here by zlib (several
 * levels), liblzma and libzstd come back byte for byte, whatever the size
 * of the blocks they are fed in; concatenated streams read as one; a cut,
 * corrupt or over-long stream fails with a message, after delivering only
 * text that really was in it.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "input/decomp.h"

struct sink {
	char *data;
	size_t len, cap;
	size_t max_chunk;
	unsigned chunks;
};

static void
collect(void *arg, const char *data, size_t len)
{
	struct sink *k = arg;

	assert_true(len > 0);
	assert_true(len <= FW_DECOMP_CHUNK);
	if (k->len + len > k->cap) {
		k->cap = (k->len + len) * 2;
		k->data = realloc(k->data, k->cap);
		assert_non_null(k->data);
	}
	memcpy(k->data + k->len, data, len);
	k->len += len;
	if (len > k->max_chunk)
		k->max_chunk = len;
	k->chunks++;
}

/* Log-like text with varying content, so that it does not compress to nothing. */
static char *
make_text(size_t lines, size_t *len)
{
	char *t = malloc(lines * 128);
	size_t n = 0;

	assert_non_null(t);
	for (size_t i = 0; i < lines; i++)
		n += (size_t)sprintf(t + n, "2026/11/23 08:%02zu:%02zu [error] %zu#0: *%zu upstream timed out "
				     "(110: Connection timed out), client: 203.0.113.%zu\n",
				     i / 60 % 60, i % 60, i * 7 % 9973, i, i % 250);
	*len = n;
	return t;
}

static unsigned char *
gzip_level(const char *in, size_t n, int level, size_t *out_len)
{
	z_stream z = {0};
	size_t cap = n + n / 10 + 1024;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static unsigned char *
xz_encode(const char *in, size_t n, size_t *out_len)
{
	size_t cap = n + n / 10 + 1024, pos = 0;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)in, n, out,
						 &pos, cap), LZMA_OK);
	*out_len = pos;
	return out;
}

static unsigned char *
zstd_encode(const char *in, size_t n, int level, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(n);
	unsigned char *out = malloc(cap);
	ZSTD_CCtx *c = ZSTD_createCCtx();

	/* With the content checksum, as zstd(1) writes by default. */
	assert_non_null(out);
	assert_non_null(c);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level)));
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)));
	*out_len = ZSTD_compress2(c, out, cap, in, n);
	assert_false(ZSTD_isError(*out_len));
	ZSTD_freeCCtx(c);
	return out;
}

/* Feeds in[0..n) in blocks of step bytes; returns what finish() said. */
static int
decode(enum fw_decomp_kind kind, const unsigned char *in, size_t n, size_t step, struct sink *k)
{
	struct fw_decomp *d;
	int err = 0;

	assert_int_equal(fw_decomp_new(kind, &d), 0);
	for (size_t at = 0; at < n && err == 0; at += step)
		err = fw_decomp_feed(d, in + at, n - at < step ? n - at : step, collect, k);
	if (err == 0)
		err = fw_decomp_finish(d);
	if (err < 0)
		assert_true(strlen(fw_decomp_error(d)) > 0);
	else
		assert_int_equal(fw_decomp_in_bytes(d), n);
	fw_decomp_free(d);
	return err;
}

static void
assert_round_trip(enum fw_decomp_kind kind, const unsigned char *z, size_t zn, const char *text,
		  size_t n)
{
	static const size_t steps[] = {1, 7, 4096, 65536, SIZE_MAX};

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct sink k = {0};
		size_t step = steps[i] == SIZE_MAX ? zn : steps[i];

		if (step == 1 && zn > 200000)
			continue;   /* byte by byte is covered by the smaller streams */
		assert_int_equal(decode(kind, z, zn, step, &k), 0);
		assert_int_equal(k.len, n);
		assert_memory_equal(k.data, text, n);
		free(k.data);
	}
}

static void
test_detect(void **state)
{
	(void)state;
	assert_int_equal(fw_decomp_detect("\x1f\x8b\x08", 3), FW_DECOMP_GZIP);
	assert_int_equal(fw_decomp_detect("\xfd" "7zXZ\0", 6), FW_DECOMP_XZ);
	assert_int_equal(fw_decomp_detect("\x28\xb5\x2f\xfd", 4), FW_DECOMP_ZSTD);
	/* Too short to tell, text, and a near miss are plain. */
	assert_int_equal(fw_decomp_detect("\x1f", 1), FW_DECOMP_NONE);
	assert_int_equal(fw_decomp_detect("\xfd" "7zX", 4), FW_DECOMP_NONE);
	assert_int_equal(fw_decomp_detect("2026/11/23 [error]", 18), FW_DECOMP_NONE);
	assert_int_equal(fw_decomp_detect("\x1f\x8c", 2), FW_DECOMP_NONE);
	assert_string_equal(fw_decomp_kind_name(FW_DECOMP_XZ), "xz");
	assert_string_equal(fw_decomp_kind_name(FW_DECOMP_NONE), "plain");
	struct fw_decomp *d;
	assert_int_equal(fw_decomp_new(FW_DECOMP_NONE, &d), -EINVAL);
	assert_null(d);
}

static void
test_gzip_levels(void **state)
{
	static const int levels[] = {0, 1, 6, 9};
	size_t n, zn;
	char *text = make_text(5000, &n);

	(void)state;
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		unsigned char *z = gzip_level(text, n, levels[i], &zn);

		assert_round_trip(FW_DECOMP_GZIP, z, zn, text, n);
		free(z);
	}
	free(text);
}

static void
test_xz_zstd(void **state)
{
	size_t n, zn;
	char *text = make_text(5000, &n);
	unsigned char *z;

	(void)state;
	z = xz_encode(text, n, &zn);
	assert_round_trip(FW_DECOMP_XZ, z, zn, text, n);
	free(z);
	z = zstd_encode(text, n, 1, &zn);
	assert_round_trip(FW_DECOMP_ZSTD, z, zn, text, n);
	free(z);
	z = zstd_encode(text, n, 19, &zn);
	assert_round_trip(FW_DECOMP_ZSTD, z, zn, text, n);
	free(z);
	free(text);
}

/* `cat a.gz b.gz > c.gz` is one text; likewise two xz streams and two zstd frames. */
static void
test_concatenated(void **state)
{
	size_t n1, n2, z1n, z2n;
	char *t1 = make_text(300, &n1), *t2 = make_text(700, &n2);
	char *both = malloc(n1 + n2);
	static const enum fw_decomp_kind kinds[] = {FW_DECOMP_GZIP, FW_DECOMP_XZ, FW_DECOMP_ZSTD};

	(void)state;
	assert_non_null(both);
	memcpy(both, t1, n1);
	memcpy(both + n1, t2, n2);
	for (size_t i = 0; i < 3; i++) {
		unsigned char *z1, *z2;

		if (kinds[i] == FW_DECOMP_GZIP) {
			z1 = gzip_level(t1, n1, 6, &z1n);
			z2 = gzip_level(t2, n2, 1, &z2n);
		} else if (kinds[i] == FW_DECOMP_XZ) {
			z1 = xz_encode(t1, n1, &z1n);
			z2 = xz_encode(t2, n2, &z2n);
		} else {
			z1 = zstd_encode(t1, n1, 3, &z1n);
			z2 = zstd_encode(t2, n2, 3, &z2n);
		}
		unsigned char *cat = malloc(z1n + z2n);
		assert_non_null(cat);
		memcpy(cat, z1, z1n);
		memcpy(cat + z1n, z2, z2n);
		assert_round_trip(kinds[i], cat, z1n + z2n, both, n1 + n2);
		free(cat);
		free(z1);
		free(z2);
	}
	free(both);
	free(t1);
	free(t2);
}

/* A stream cut anywhere fails, and all text delivered before is a prefix of the original. */
static void
test_truncated(void **state)
{
	static const enum fw_decomp_kind kinds[] = {FW_DECOMP_GZIP, FW_DECOMP_XZ, FW_DECOMP_ZSTD};
	size_t n, zn;
	char *text = make_text(20000, &n);

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		unsigned char *z = kinds[i] == FW_DECOMP_GZIP ? gzip_level(text, n, 6, &zn)
				   : kinds[i] == FW_DECOMP_XZ ? xz_encode(text, n, &zn)
				   : zstd_encode(text, n, 3, &zn);
		size_t cuts[] = {2, zn / 3, zn / 2, zn - 1};

		for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
			struct sink k = {0};

			assert_int_equal(decode(kinds[i], z, cuts[c], 4096, &k), -EBADMSG);
			assert_true(k.len <= n);
			if (k.len)
				assert_memory_equal(k.data, text, k.len);
			/* Half the stream yields text: the lines read so far are worth keeping. */
			if (c == 2)
				assert_true(k.len > 0);
			free(k.data);
		}
		free(z);
	}
	free(text);
}

static void
test_corrupt(void **state)
{
	size_t n, zn;
	char *text = make_text(2000, &n);
	unsigned char *z = gzip_level(text, n, 6, &zn);
	struct sink k = {0};
	struct fw_decomp *d;

	(void)state;
	/* Damage inside the deflate data (past the 10-byte header) or the CRC. */
	z[zn / 2] ^= 0xff;
	z[zn / 2 + 1] ^= 0x55;
	z[zn - 6] ^= 0x01;
	assert_int_equal(decode(FW_DECOMP_GZIP, z, zn, zn, &k), -EBADMSG);
	free(k.data);
	free(z);

	/* Data after the end of a gzip stream that is not another member. */
	z = gzip_level(text, n, 6, &zn);
	unsigned char *tail = malloc(zn + 5);
	assert_non_null(tail);
	memcpy(tail, z, zn);
	memcpy(tail + zn, "junk\n", 5);
	memset(&k, 0, sizeof k);
	assert_int_equal(decode(FW_DECOMP_GZIP, tail, zn + 5, 1000, &k), -EBADMSG);
	assert_int_equal(k.len, n);   /* the whole stream before it was delivered */
	free(k.data);

	/* An error sticks until a reset; after it the decoder is as new. */
	assert_int_equal(fw_decomp_new(FW_DECOMP_GZIP, &d), 0);
	memset(&k, 0, sizeof k);
	assert_int_equal(fw_decomp_feed(d, "\x1f\x8b\x77garbage", 10, collect, &k), -EBADMSG);
	assert_non_null(strstr(fw_decomp_error(d), "corrupt gzip data"));
	assert_int_equal(fw_decomp_feed(d, z, zn, collect, &k), -EBADMSG);
	assert_int_equal(fw_decomp_reset(d), 0);
	assert_string_equal(fw_decomp_error(d), "");
	assert_int_equal(fw_decomp_feed(d, z, zn, collect, &k), 0);
	assert_int_equal(fw_decomp_finish(d), 0);
	assert_int_equal(k.len, n);
	assert_int_equal(fw_decomp_out_bytes(d), n);
	fw_decomp_free(d);
	free(k.data);
	free(tail);
	free(z);

	/* zstd and xz: corrupt bytes are reported as such. */
	z = zstd_encode(text, n, 3, &zn);
	z[zn / 2] ^= 0xff;
	memset(&k, 0, sizeof k);
	assert_int_equal(decode(FW_DECOMP_ZSTD, z, zn, 4096, &k), -EBADMSG);
	free(k.data);
	free(z);
	z = xz_encode(text, n, &zn);
	z[zn / 2] ^= 0xff;
	memset(&k, 0, sizeof k);
	assert_int_equal(decode(FW_DECOMP_XZ, z, zn, 4096, &k), -EBADMSG);
	free(k.data);
	free(z);
	free(text);
}

/* 16 MiB of one byte compresses ~1000:1; output still comes in bounded chunks. */
static void
test_high_ratio(void **state)
{
	size_t n = 16u << 20, zn;
	char *text = malloc(n);
	struct sink k = {0};

	(void)state;
	assert_non_null(text);
	memset(text, 'a', n);
	unsigned char *z = gzip_level(text, n, 9, &zn);
	assert_true(zn < n / 500);
	assert_int_equal(decode(FW_DECOMP_GZIP, z, zn, zn, &k), 0);
	assert_int_equal(k.len, n);
	assert_int_equal(k.max_chunk, FW_DECOMP_CHUNK);
	assert_true(k.chunks >= n / FW_DECOMP_CHUNK);
	assert_memory_equal(k.data, text, n);
	free(k.data);
	free(z);
	free(text);
}

/* A file still being written: incomplete until its last byte, then complete; more may follow. */
static void
test_complete(void **state)
{
	static const enum fw_decomp_kind kinds[] = {FW_DECOMP_GZIP, FW_DECOMP_XZ, FW_DECOMP_ZSTD};
	size_t n, zn;
	char *text = make_text(3000, &n);

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		unsigned char *z = kinds[i] == FW_DECOMP_GZIP ? gzip_level(text, n, 6, &zn)
				   : kinds[i] == FW_DECOMP_XZ ? xz_encode(text, n, &zn)
				   : zstd_encode(text, n, 3, &zn);
		struct fw_decomp *d;
		struct sink k = {0};

		assert_int_equal(fw_decomp_new(kinds[i], &d), 0);
		assert_false(fw_decomp_complete(d));
		assert_int_equal(fw_decomp_feed(d, z, zn - 10, collect, &k), 0);
		assert_false(fw_decomp_complete(d));
		assert_int_equal(fw_decomp_feed(d, z + zn - 10, 10, collect, &k), 0);
		assert_true(fw_decomp_complete(d));
		assert_int_equal(fw_decomp_finish(d), 0);
		/* A second stream appended later is read on. */
		assert_int_equal(fw_decomp_feed(d, z, zn / 2, collect, &k), 0);
		assert_false(fw_decomp_complete(d));
		assert_int_equal(fw_decomp_feed(d, z + zn / 2, zn - zn / 2, collect, &k), 0);
		assert_true(fw_decomp_complete(d));
		assert_int_equal(k.len, 2 * n);
		assert_memory_equal(k.data + n, text, n);
		fw_decomp_free(d);
		free(k.data);
		free(z);
	}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_gzip_levels),
		cmocka_unit_test(test_xz_zstd),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_high_ratio),
		cmocka_unit_test(test_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
