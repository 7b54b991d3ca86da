/*
 * fuzz_kb_load: the KB loader on fuzzed JSON Lines. It must accept or
 * reject without crashing or leaking; a KB that loads is also matched
 * against its own records' examples by both engines, which must agree.
 */
#include "config.h"

#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file(".jsonl", data, size);
	struct fw_kb *kb;

	if (!path)
		return 0;
	kb = fuzz_load_kb(path, false);
	if (!kb)
		return 0;
	for (uint32_t r = 0; r < kb->n_records && r < 8; r++)
		for (uint32_t i = 0; i < kb->records[r].examples.n && i < 4; i++)
			fuzz_check_engines(kb, kb->records[r].examples.items[i],
					   strlen(kb->records[r].examples.items[i]), i % 2 == 1);
	fw_kb_free(kb);
	return 0;
}
