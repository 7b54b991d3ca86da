/*
 * kb_json_check: what the quick KB JSON reader (kb/kb_json.c) is held to
 * (test_kb, fuzz_kb_json): json-c in strict mode, with its UTF-8 check,
 * reading the whole text as one value with only whitespace after it.
 */
#ifndef FW_TESTS_KB_JSON_CHECK_H
#define FW_TESTS_KB_JSON_CHECK_H

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* text as json-c reads it; NULL on any error or anything but whitespace after the value. */
static inline json_object *
jsonc_strict(const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *o;
	size_t end;

	if (!tok)
		abort();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(o);
		o = NULL;
	}
	while (o && end < len && memchr(" \t\r\n", text[end], 4))
		end++;
	if (o && end != len) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

#endif
