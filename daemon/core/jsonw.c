/*
 * jsonw: see jsonw.h. The escaper copies runs of plain ASCII at once and
 * decodes UTF-8 only where a byte has its high bit set.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/jsonw.h"
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
 * Bytes that copy as they are: 0x20..0x7e except '"' and '\\'. The run
 * is measured sixteen bytes at a time with SSE2 (every x86-64 has it),
 * else eight at a time in a 64-bit word, and byte by byte at its end.
 */
#ifdef __SSE2__
static inline size_t
plain_run(const unsigned char *u, size_t i, size_t len)
{
	/* As signed bytes, those below 0x20 and those with the high bit set
	 * are all less than 0x20: one comparison finds both. */
	const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"');
	const __m128i backslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);

	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
					    _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));
		unsigned mask = (unsigned)_mm_movemask_epi8(stop);

		if (mask)
			return i + (size_t)__builtin_ctz(mask);
		i += 16;
	}
	while (i < len && byte_class[u[i]] == 0)
		i++;
	return i;
}
#else
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t
has_byte(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (ONES * c);

	return (x - ONES) & ~x & HIGHS;
}

static inline size_t
plain_run(const unsigned char *u, size_t i, size_t len)
{
	while (i + 8 <= len) {
		uint64_t w;

		memcpy(&w, u + i, 8);
		if (((w - ONES * 0x20) & ~w & HIGHS) | (w & HIGHS) | has_byte(w, '"') |
		    has_byte(w, '\\') | has_byte(w, 0x7f))
			break;
		i += 8;
	}
	while (i < len && byte_class[u[i]] == 0)
		i++;
	return i;
}
#endif

void
fw_jbuf_text(struct fw_jbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (!s) {
		FW_JBUF_LIT(b, "null");
		return;
	}
	/* Worst case: every byte becomes \u00XX (6) or U+FFFD (3). A buffer
	 * that has failed takes no more, though it may still have room. */
	if (b->failed)
		return;
	if (len > (SIZE_MAX - 2) / 6 || (b->cap - b->len < len * 6 + 2 && !fw_jbuf_reserve(b, len * 6 + 2))) {
		b->failed = true;
		return;
	}
	char *o = b->data + b->len;
	*o++ = '"';
	while (i < len) {
		size_t run = plain_run(u, i, len);

		memcpy(o, s + i, run - i);
		o += run - i;
		i = run;
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
	b->len = (size_t)(o - b->data);
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
