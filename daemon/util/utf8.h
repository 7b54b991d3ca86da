/*
 * utf8: the one UTF-8 decoder the outputs for people and programs share.
 */
#ifndef FW_UTF8_H
#define FW_UTF8_H

#include <stddef.h>

/*
 * Length (1-4) of the valid UTF-8 sequence at s[0..n) if it encodes a
 * character that is safe to pass through to a terminal or a collector,
 * else 0. Unsafe: invalid, overlong or truncated sequences, surrogates,
 * code points past U+10FFFF, C0 controls (below 0x20), DEL and the C1
 * controls U+0080..U+009F (U+009B acts as CSI on some terminals).
 */
size_t fw_utf8_safe_seq(const unsigned char *s, size_t n);

#endif
