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

/* A NUL-terminated string, or null. */
void fw_jbuf_cstr(struct fw_jbuf *b, const char *s);

void fw_jbuf_u64(struct fw_jbuf *b, uint64_t v);

#endif
