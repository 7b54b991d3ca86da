/*
 * jsonw: see jsonw.h. The escaper copies runs of plain ASCII at once and
 * decodes UTF-8 only where a byte has its high bit set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "util/swar.h"
#include "util/utf8.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

void
fw_jbuf_free(struct fw_jbuf *b)
{
	free(b->data);
	*b = (struct fw_jbuf){ 0 };
}

bool
fw_jbuf_reserve(struct fw_jbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->failed)
		return false;
	if (b->cap - b->len >= n)
		return true;
	if (n > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	cap = b->cap ? b->cap : 1024;
	while (cap - b->len < n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

const char *
fw_jbuf_str(struct fw_jbuf *b)
{
	if (!fw_jbuf_reserve(b, 1))
		return NULL;
	b->data[b->len] = '\0';
	return b->data;
}

void
fw_jbuf__put_slow(struct fw_jbuf *b, const void *s, size_t n)
{
	if (!fw_jbuf_reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

/*
 * What a byte needs: 0 copy as is, 1 a two-character escape, 2 \u00XX,
 * 3 the start of a multi-byte sequence (or DEL / an invalid byte) that the
 * UTF-8 check decides.
 */
static const unsigned char byte_class[256] = {
	[0x00 ... 0x07] = 2,
	['\b'] = 1, ['\t'] = 1, ['\n'] = 1,
	[0x0b] = 2,
	['\f'] = 1, ['\r'] = 1,
	[0x0e ... 0x1f] = 2,
	['"'] = 1, ['\\'] = 1,
	[0x7f ... 0xff] = 3,
};

static char
short_escape(unsigned char c)
{
	switch (c) {
	case '\b': return 'b';
	case '\t': return 't';
	case '\n': return 'n';
	case '\f': return 'f';
	case '\r': return 'r';
	default: return (char)c;      /* '"' and '\\' */
	}
}

/*
 * Copies the plain run at u[i..len) to *op and returns where it ends (len,
 * or the first byte that needs more than a copy). Where [lo, hi), memory
 * the caller knows is readable and holds u[0..len), has sixteen bytes from
 * u + i (or before u + len), a short run is measured with one load instead
 * of byte by byte; the output has sixteen bytes of slack for the stores.
 */
#ifdef __SSE2__
static inline size_t
copy_plain(char **op, const unsigned char *u, size_t i, size_t len, const unsigned char *lo,
	   const unsigned char *hi)
{
	char *o = *op;
	unsigned m;
	size_t r;

	while (len - i >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));

		_mm_storeu_si128((__m128i *)(void *)o, v);
		m = fw_jbuf__stops(v);
		if (m) {
			*op = o + __builtin_ctz(m);
			return i + (size_t)__builtin_ctz(m);
		}
		o += 16;
		i += 16;
	}
	r = len - i;
	if (r == 0) {
		*op = o;
		return i;
	}
	if (hi - (u + i) >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));

		_mm_storeu_si128((__m128i *)(void *)o, v);
		m = fw_jbuf__stops(v) | 1u << r;
		*op = o + __builtin_ctz(m);
		return i + (size_t)__builtin_ctz(m);
	}
	if ((u + len) - lo >= 16) {
		m = (fw_jbuf__stops(_mm_loadu_si128((const __m128i *)(const void *)(u + len - 16))) >> (16 - r)) | 1u << r;
		r = (size_t)__builtin_ctz(m);
	} else {
		r = 0;
		while (i + r < len && byte_class[u[i + r]] == 0)
			r++;
	}
	memcpy(o, u + i, r);
	*op = o + r;
	return i + r;
}
#else
static inline size_t
copy_plain(char **op, const unsigned char *u, size_t i, size_t len, const unsigned char *lo,
	   const unsigned char *hi)
{
	size_t start = i;

	(void)lo;
	(void)hi;
	while (i + 8 <= len) {
		uint64_t w;

		memcpy(&w, u + i, 8);
		if (fw_swar_has_json_stop(w) | (w & FW_SWAR_HIGHS) | fw_swar_has_byte(w, 0x7f))
			break;
		i += 8;
	}
	while (i < len && byte_class[u[i]] == 0)
		i++;
	memcpy(*op, u + start, i - start);
	*op += i - start;
	return i;
}
#endif

char *
fw_jbuf__text_to(char *o, const char *s, size_t len, const char *lo, const char *hi)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	*o++ = '"';
	for (;;) {
		i = copy_plain(&o, u, i, len, (const unsigned char *)lo, (const unsigned char *)hi);
		if (i == len)
			break;
		switch (byte_class[u[i]]) {
		case 1:
			*o++ = '\\';
			*o++ = short_escape(u[i]);
			i++;
			break;
		case 2:
			memcpy(o, "\\u00", 4);
			o[4] = hex[u[i] >> 4];
			o[5] = hex[u[i] & 15];
			o += 6;
			i++;
			break;
		default: {
			size_t n = fw_utf8_safe_seq(u + i, len - i);

			if (n == 0) {
				memcpy(o, REPLACEMENT, 3);
				o += 3;
				i++;
			} else {
				memcpy(o, s + i, n);
				o += n;
				i += n;
			}
		}
		}
	}
	*o++ = '"';
	return o;
}

char *
fw_jbuf_room(struct fw_jbuf *b, size_t n)
{
	/* A buffer that has failed takes no more, though it may still have room. */
	if (b->failed || (b->cap - b->len < n && !fw_jbuf_reserve(b, n)))
		return NULL;
	return b->data + b->len;
}

void
fw_jbuf_text(struct fw_jbuf *b, const char *s, size_t len)
{
	char *o;

	if (!s) {
		FW_JBUF_LIT(b, "null");
		return;
	}
	if (len > FW_JBUF_TEXT_LEN_MAX) {
		b->failed = true;
		return;
	}
	o = fw_jbuf_room(b, FW_JBUF_TEXT_ROOM(len));
	if (o)
		b->len = (size_t)(fw_jbuf_text_to(o, s, len, s, s + len) - b->data);
}

void
fw_jbuf_cstr(struct fw_jbuf *b, const char *s)
{
	fw_jbuf_text(b, s, s ? strlen(s) : 0);
}

void
fw_jbuf_u64(struct fw_jbuf *b, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fw_jbuf_put(b, tmp + sizeof tmp - n, n);
}
