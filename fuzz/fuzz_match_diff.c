/*
 * fuzz_match_diff: the fast engine equals the reference on fuzzed patterns
 * and lines. Input: a flags byte, then patterns separated by '\n' (the
 * flags byte says how many, 1-4, which records are caseless, with its top
 * bit that the KB loads without JIT, whose confirmations take paths of
 * their own, and with bit 6 that the fast context takes captures later),
 * then the line (any bytes: NUL, invalid UTF-8). Patterns PCRE2
 * rejects make the KB fail to load, which is fine: the input is skipped.
 */
#include "config.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p, *end = data + size;
	struct fw_kb *kb;

	if (size < 2)
		return 0;
	p = data + 1;
	kb = fuzz_kb_of_patterns(data[0], 0, &p, end);
	if (!kb)
		return 0;
	fuzz_check_engines(kb, (const char *)p, (size_t)(end - p), (data[0] & 0x40) != 0);
	fw_kb_free(kb);
	return 0;
}
