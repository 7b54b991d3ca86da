/*
 * jsonw: a growable byte buffer and the JSON writing the alert path needs,
 * byte for byte what json-c writes (JSON_C_TO_STRING_PLAIN |
 * JSON_C_TO_STRING_NOSLASHESCAPE) for the same values.
 *
 * Text from a log line is made safe on the way: each invalid UTF-8 byte,
 * DEL and C1 control becomes U+FFFD (fw_utf8_safe_seq decides), C0
 * controls are escaped, so a written string is always valid UTF-8 with no
 * raw control character in it.
 *
 * Errors are sticky: after an allocation fails every call is a no-op and
 * fw_jbuf_ok() says false, so a writer checks once at the end.
 */
#ifndef FW_JSONW_H
#define FW_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct fw_jbuf {
	char *data;         /* owned; not NUL-terminated */
	size_t len, cap;
	bool failed;        /* an allocation failed: the content is incomplete */
};

/* Empties b, keeping its memory for the next alert. */
static inline void
fw_jbuf_reset(struct fw_jbuf *b)
{
	b->len = 0;
	b->failed = false;
}

/* Drops what was written after the first len bytes, and a failure since. */
static inline void
fw_jbuf_truncate(struct fw_jbuf *b, size_t len)
{
	if (len <= b->len)
		b->len = len;
	b->failed = false;
}

static inline bool
fw_jbuf_ok(const struct fw_jbuf *b)
{
	return !b->failed;
}

void fw_jbuf_free(struct fw_jbuf *b);

/* Makes room for n more bytes; false (and sticky failure) on out-of-memory. */
bool fw_jbuf_reserve(struct fw_jbuf *b, size_t n);

void fw_jbuf__put_slow(struct fw_jbuf *b, const void *s, size_t n);

/*
 * The content as a C string: a NUL is put after it (not counted in len, so
 * more can be appended). NULL once an allocation has failed.
 */
const char *fw_jbuf_str(struct fw_jbuf *b);

static inline void
fw_jbuf_put(struct fw_jbuf *b, const void *s, size_t n)
{
	if (b->cap - b->len >= n && !b->failed) {
		if (n)
			memcpy(b->data + b->len, s, n);
		b->len += n;
	} else {
		fw_jbuf__put_slow(b, s, n);
	}
}

/* A C string, without its NUL. */
static inline void
fw_jbuf_puts(struct fw_jbuf *b, const char *s)
{
	fw_jbuf_put(b, s, strlen(s));
}

/* A string literal, without its NUL. */
#define FW_JBUF_LIT(b, lit) fw_jbuf_put((b), (lit), sizeof(lit) - 1)

/* s[0..len) as a JSON string, made safe as above; NULL writes null. */
void fw_jbuf_text(struct fw_jbuf *b, const char *s, size_t len);

/*
 * Writing many strings with one check for room: fw_jbuf_room() makes room
 * for n more bytes and returns where they go (NULL, and sticky failure, on
 * out-of-memory); fw_jbuf_text_to() writes s[0..len) there as
 * fw_jbuf_text() does, in at most FW_JBUF_TEXT_ROOM(len) bytes (len at most
 * FW_JBUF_TEXT_LEN_MAX), and returns its end; fw_jbuf_end() then takes what
 * was written up to end. [lo, hi) is memory the caller knows is readable
 * and holds s[0..len) (s, s + len when nothing more is known): a short
 * string is measured with one 16-byte load where that stays inside it.
 */
#define FW_JBUF_TEXT_LEN_MAX ((SIZE_MAX - 18) / 6)
#define FW_JBUF_TEXT_ROOM(len) (6 * (len) + 2 + 16)
char *fw_jbuf_room(struct fw_jbuf *b, size_t n);
char *fw_jbuf__text_to(char *o, const char *s, size_t len, const char *lo, const char *hi);

#ifdef __SSE2__
/* Bit i: byte i of v needs more than a copy (below 0x20, '"', '\\', 0x7f and up). */
static inline unsigned
fw_jbuf__stops(__m128i v)
{
	/* As signed bytes, those below 0x20 and those with the high bit set
	 * are all less than 0x20: one comparison finds both. */
	const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"');
	const __m128i backslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);
	__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, quote)),
				    _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(v, del)));

	return (unsigned)_mm_movemask_epi8(stop);
}
#endif

static inline char *
fw_jbuf_text_to(char *o, const char *s, size_t len, const char *lo, const char *hi)
{
#ifdef __SSE2__
	/* The common short value with nothing to escape: one load, one store. */
	if (len < 16 && hi - s >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);

		if ((fw_jbuf__stops(v) & ((1u << len) - 1)) == 0) {
			*o = '"';
			_mm_storeu_si128((__m128i *)(void *)(o + 1), v);
			o[len + 1] = '"';
			return o + len + 2;
		}
	}
#endif
	return fw_jbuf__text_to(o, s, len, lo, hi);
}

static inline void
fw_jbuf_end(struct fw_jbuf *b, char *end)
{
	b->len = (size_t)(end - b->data);
}

/* A NUL-terminated string, or null. */
void fw_jbuf_cstr(struct fw_jbuf *b, const char *s);

void fw_jbuf_u64(struct fw_jbuf *b, uint64_t v);

#endif
