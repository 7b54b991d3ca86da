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

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *jsonl = NULL;
	size_t jlen = 0;
	unsigned n_pat, flags;
	const uint8_t *p, *end = data + size;
	struct fw_kb *kb;
	FILE *out;
	const char *path;

	if (size < 2)
		return 0;
	flags = data[0];
	n_pat = 1 + (flags & 3);
	p = data + 1;
	out = open_memstream(&jsonl, &jlen);
	if (!out)
		return 0;
	for (unsigned i = 0; i < n_pat; i++) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		json_object *o;
		char id[32];

		if (!nl || nl == p || memchr(p, '\0', (size_t)(nl - p))) {
			fclose(out);
			free(jsonl);
			return 0;
		}
		o = json_object_new_object();
		snprintf(id, sizeof id, "fuzz/r%u", i);
		json_object_object_add(o, "id", json_object_new_string(id));
		json_object_object_add(o, "signature", json_object_new_string(id));
		json_object_object_add(o, "regex", json_object_new_string_len((const char *)p, (int)(nl - p)));
		if (flags & (4u << i))
			json_object_object_add(o, "flags", json_object_new_string("i"));
		fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		p = nl + 1;
	}
	fclose(out);
	path = fuzz_write_file(".jsonl", jsonl, jlen);
	free(jsonl);
	if (!path)
		return 0;
	kb = fuzz_load_kb(path, (flags & 0x80) != 0);
	if (!kb)
		return 0;
	fuzz_check_engines(kb, (const char *)p, (size_t)(end - p), (flags & 0x40) != 0);
	fw_kb_free(kb);
	return 0;
}
