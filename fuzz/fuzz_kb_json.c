/*
 * fuzz_kb_json: the quick KB JSON reader (kb/kb_json.c) against json-c in
 * strict mode. Input: any bytes, read as one KB file's text (only valid
 * UTF-8 is tried, as the loader calls the reader only then). Whenever the
 * quick reader takes the text, json-c must take it too (with only
 * whitespace after the value) and build an equal tree that serialises to
 * the same bytes (types, number texts, key order). Declining is always
 * allowed: json-c then reads the text, as the loader does.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "kb/kb_loader.h"
#include "kb_json_check.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *quick, *ref;
	char *text;

	if (size > INT32_MAX || !fw_utf8_valid((const char *)data, size))
		return 0;
	/* A copy with no NUL after it, so that a read past the end is caught. */
	text = malloc(size ? size : 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	quick = fw__kb_json_quick(text, size);
	if (quick) {
		ref = jsonc_strict(text, size);
		if (!ref)
			abort(); /* taken by the quick reader, refused by json-c */
		if (!json_object_equal(quick, ref) ||
		    strcmp(json_object_to_json_string_ext(quick, JSON_C_TO_STRING_PLAIN),
			   json_object_to_json_string_ext(ref, JSON_C_TO_STRING_PLAIN)) != 0)
			abort(); /* a different tree */
		json_object_put(ref);
		json_object_put(quick);
	}
	free(text);
	return 0;
}
