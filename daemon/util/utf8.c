/*
 * utf8: strict UTF-8 decoding (RFC 3629 §4), whole-text validation, the
 * safe-character test (control characters refused) and the terminal escaper
 * built on it.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "util/swar.h"
#include "util/utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s[0..n), with its code
 * point in *cp, else 0 (overlong, surrogate, past U+10FFFF, truncated).
 * Inlined in the loops below.
 */
static inline __attribute__((always_inline)) size_t
decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Two bytes from 0xc2 on are always U+0080..U+07FF. */
	if (len == 3 ? c < 0x800 || (c >= 0xd800 && c <= 0xdfff)
		     : len == 4 && (c < 0x10000 || c > 0x10ffff))
		return 0;
	*cp = c;
	return len;
}

/*
 * The first byte at or after s (before end) with its high bit set, or end.
 * Sixteen bytes are tested at a time with SSE2, else eight (util/swar.h).
 */
static inline const unsigned char *
ascii_end(const unsigned char *s, const unsigned char *end)
{
#ifdef __SSE2__
	while (end - s >= 16) {
		int m = _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)s));

		if (m)
			return s + __builtin_ctz((unsigned)m);
		s += 16;
	}
#endif
	for (uint64_t w; end - s >= 8 && (memcpy(&w, s, 8), (w & FW_SWAR_HIGHS) == 0);)
		s += 8;
	while (s < end && *s < 0x80)
		s++;
	return s;
}

/*
 * The text checked is mostly ASCII with characters of two or three bytes
 * now and then (a dash, a quotation mark) or in runs (text in Chinese):
 * runs of ASCII are skipped to their end at once, and those two lengths
 * decoded without a loop.
 */
bool
fw_utf8_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text, *end = s + len;
	uint32_t cp;

	while (s < end) {
		size_t n;

		if (s[0] < 0x80) {
			s = ascii_end(s, end);
			continue;
		}

		if (s[0] >= 0xc2 && s[0] <= 0xdf && end - s >= 2 && (s[1] & 0xc0) == 0x80) {
			s += 2;
			continue;
		}
		/* U+0800..U+FFFF without the surrogates: e0 a0-bf, e1-ec and ee-ef 80-bf, ed 80-9f. */
		if (s[0] >= 0xe0 && s[0] <= 0xef && end - s >= 3 && (s[2] & 0xc0) == 0x80 &&
		    s[1] >= (s[0] == 0xe0 ? 0xa0 : 0x80) && s[1] <= (s[0] == 0xed ? 0x9f : 0xbf)) {
			s += 3;
			continue;
		}
		if ((n = decode(s, (size_t)(end - s), &cp)) == 0)
			return false;
		s += n;
	}
	return true;
}

size_t
fw_utf8_safe_seq(const unsigned char *s, size_t n)
{
	uint32_t cp = 0;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	len = decode(s, n, &cp);
	return cp > 0x9f ? len : 0;
}

void
fw_utf8_put_escaped(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		size_t n;

		if (c == '\\') {
			fputs("\\\\", f);
			i++;
		} else if (c == '\t' || (n = fw_utf8_safe_seq(u + i, len - i)) > 0) {
			/* A tab is harmless on a terminal and separates CloudFront fields. */
			n = c == '\t' ? 1 : n;
			fwrite(s + i, 1, n, f);
			i += n;
		} else {
			fprintf(f, "\\x%02x", c);
			i++;
		}
	}
}

void
fw_utf8_puts_escaped(FILE *f, const char *s)
{
	if (s)
		fw_utf8_put_escaped(f, s, strlen(s));
}
