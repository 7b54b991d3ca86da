/*
 * hex: the value of one hexadecimal digit, for the decoders of escapes
 * (%XX, \xXX, \x{...}) in log formats, patterns and state files.
 */
#ifndef FW_UTIL_HEX_H
#define FW_UTIL_HEX_H

/* 0..15 for [0-9A-Fa-f]; -1 for any other value (EOF and negative chars too). */
static inline int
fw_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
