/*
 * test_utf8: the decoder shared by alerts, the text form and the KB
 * loader's whole-file check (fw_utf8_valid). Checked against an oracle
 * that works the other way round: a byte sequence is
 * valid UTF-8 exactly when it is the (unique, shortest) encoding of a
 * scalar value. Every code point, every 1-, 2- and 3-byte input and every
 * 4-byte input over a set of interesting bytes are compared.
 */
#include "config.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/utf8.h"

static size_t
encode(uint32_t cp, unsigned char out[4])
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool
scalar(uint32_t cp)
{
	return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
}

static bool
safe(uint32_t cp)
{
	return scalar(cp) && cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f);
}

/* What fw_utf8_safe_seq must return for s[0..n): by trying every length. */
static size_t
oracle(const unsigned char *s, size_t n)
{
	for (size_t len = 1; len <= 4 && len <= n; len++) {
		uint32_t cp;
		unsigned char enc[4];

		/* The only candidate of this length: the payload bits under the lead's pattern. */
		if (len == 1)
			cp = s[0];
		else
			cp = s[0] & (0x7f >> len);
		for (size_t i = 1; i < len; i++)
			cp = cp << 6 | (s[i] & 0x3f);
		if (!scalar(cp) || encode(cp, enc) != len || memcmp(enc, s, len) != 0)
			continue;
		return safe(cp) ? len : 0;
	}
	return 0;
}

/* What fw_utf8_valid must return for s[0..n): well-formed sequences all the way, controls included. */
static bool
valid_oracle(const unsigned char *s, size_t n)
{
	if (n == 0)
		return true;
	for (size_t len = 1; len <= 4 && len <= n; len++) {
		uint32_t cp = len == 1 ? s[0] : s[0] & (0x7fu >> len);
		unsigned char enc[4];

		for (size_t i = 1; i < len; i++)
			cp = cp << 6 | (s[i] & 0x3f);
		if (scalar(cp) && encode(cp, enc) == len && memcmp(enc, s, len) == 0)
			return valid_oracle(s + len, n - len);
	}
	return false;
}

static void
test_every_code_point(void **state)
{
	unsigned char buf[8];

	for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
		size_t len = encode(cp, buf);

		memset(buf + len, 'x', sizeof buf - len);
		if (safe(cp)) {
			assert_int_equal(fw_utf8_safe_seq(buf, len), len);
			assert_int_equal(fw_utf8_safe_seq(buf, sizeof buf), len);
			if (len > 1)
				assert_int_equal(fw_utf8_safe_seq(buf, len - 1), 0); /* truncated */
		} else {
			assert_int_equal(fw_utf8_safe_seq(buf, len), 0);
		}
	}
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"a", 0), 0);
}

static void
test_all_short_inputs(void **state)
{
	unsigned char s[3];

	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		assert_int_equal(fw_utf8_safe_seq(s, 1), oracle(s, 1));
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			assert_int_equal(fw_utf8_safe_seq(s, 2), oracle(s, 2));
			/* An ASCII first byte stands alone whatever follows (checked above). */
			for (unsigned c = 0; a >= 0x80 && c < 256; c++) {
				s[2] = (unsigned char)c;
				if (fw_utf8_safe_seq(s, 3) != oracle(s, 3))
					fail_msg("%02x %02x %02x: got %zu, want %zu", a, b, c,
						 fw_utf8_safe_seq(s, 3), oracle(s, 3));
			}
		}
	}
}

static void
test_four_byte_inputs(void **state)
{
	static const unsigned char bytes[] = {
		0x00, 0x1b, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9b, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
		0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xf8, 0xff,
	};
	unsigned char s[4];
	size_t nb = sizeof bytes;

	for (size_t a = 0; a < nb; a++)
		for (size_t b = 0; b < nb; b++)
			for (size_t c = 0; c < nb; c++)
				for (size_t d = 0; d < nb; d++) {
					s[0] = bytes[a], s[1] = bytes[b], s[2] = bytes[c], s[3] = bytes[d];
					assert_int_equal(fw_utf8_safe_seq(s, 4), oracle(s, 4));
					for (size_t n = 0; n <= 4; n++)
						if (fw_utf8_valid((const char *)s, n) != valid_oracle(s, n))
							fail_msg("%02x %02x %02x %02x [%zu]", s[0], s[1],
								 s[2], s[3], n);
				}
	/* Landmarks, spelled out. */
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xf4\x8f\xbf\xbf", 4), 4);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xf0\x8f\xbf\xbf", 4), 0);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xed\x9f\xbf", 3), 3);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xed\xa0\x80", 3), 0);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xc2\x9b", 2), 0);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\xc2\xa0", 2), 2);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)"\x1b", 1), 0);
	assert_int_equal(fw_utf8_safe_seq((const unsigned char *)" ", 1), 1);
}

/* Whole texts: every character after every length of ASCII run (the word-at-a-time path). */
static void
test_valid_text(void **state)
{
	unsigned char buf[32];

	for (uint32_t cp = 0; cp <= 0x10ffff; cp += cp < 0x800 ? 1 : 7) {
		for (size_t pre = 0; pre <= 9; pre++) {
			size_t len;

			memset(buf, '\t', pre);
			len = pre + encode(cp, buf + pre);
			memset(buf + len, 'a', 9);
			assert_int_equal(fw_utf8_valid((const char *)buf, len + 9), scalar(cp));
			if (scalar(cp) && len - pre > 1) /* truncated at the end */
				assert_false(fw_utf8_valid((const char *)buf, len - 1));
		}
	}
	assert_true(fw_utf8_valid("", 0));
	assert_false(fw_utf8_valid("0123456789abcdef\xc0\x80", 18));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_all_short_inputs),
		cmocka_unit_test(test_four_byte_inputs),
		cmocka_unit_test(test_valid_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
