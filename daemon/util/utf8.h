/*
 * utf8: what UTF-8 may leave the daemon as it is, and the terminal escaper
 * built on it. The alert JSON writer, the syslog formatter and everything
 * printed for a person (scan's text, status) decide with fw_utf8_safe_seq
 * what passes through as is. (Patterns are decoded to code points by the
 * regex front end, match/regex_parse.c, which must refuse what PCRE2
 * refuses.)
 */
#ifndef FW_UTF8_H
#define FW_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Whether s[0..len) is well-formed UTF-8 as a whole (RFC 3629 §4: no
 * overlong forms, surrogates, code points past U+10FFFF or truncated
 * sequences); controls are allowed.
 */
bool fw_utf8_valid(const char *s, size_t len);

/*
 * Length (1-4) of the valid UTF-8 sequence at s[0..n) if it encodes a
 * character that is safe to pass through to a terminal or a collector,
 * else 0. Unsafe: invalid, overlong or truncated sequences, surrogates,
 * code points past U+10FFFF, C0 controls (below 0x20), DEL and the C1
 * controls U+0080..U+009F (U+009B acts as CSI on some terminals).
 */
size_t fw_utf8_safe_seq(const unsigned char *s, size_t n);

/*
 * Prints s[0..len) for a terminal: safe characters and tabs as they are,
 * every other byte (controls, invalid UTF-8) as \xHH and a backslash
 * doubled, so that text from a log line or a file name cannot move the
 * cursor, change colours or pass for something else.
 */
void fw_utf8_put_escaped(FILE *f, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL prints nothing). */
void fw_utf8_puts_escaped(FILE *f, const char *s);

#endif
