/*
 * utf8: strict UTF-8 decoding (RFC 3629 §4) with control characters refused,
 * and the terminal escaper built on it.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

size_t
fw_utf8_safe_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp <= 0x9f)
		return 0;
	return len;
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
