/*
 * kb_fields: a record's field form (data/kb/README.md, "Targets"): the
 * object `fields` maps parsed field names to patterns, and a line that
 * parsed with every one of those fields matches the record when every
 * pattern matches its field's value. The record's `regex`/`regexes` stay
 * its whole-line form, used on lines that have no such fields.
 *
 * Every name and pattern is checked and compiled here; a problem is
 * reported with its key (`fields.sc-status`) and checking goes on. Names,
 * sources and the condition array live in the KB's arena; the compiled
 * codes are listed in the KB and freed with it, so a record dropped later
 * (an error elsewhere, a local record replacing it) leaks nothing.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/kb_loader.h"

#define FIELD_MAX 96

/* What formats write as field names: letters, digits and "_-.@()". */
static bool
field_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.@()", *s))
			return false;
	return true;
}

static bool
keep_code(struct fw_kb_private *kb, pcre2_code *code)
{
	if (kb->n_field_codes == kb->field_codes_cap) {
		uint32_t cap = kb->field_codes_cap ? 2 * kb->field_codes_cap : 16;
		pcre2_code **v = realloc(kb->field_codes, cap * sizeof *v);

		if (!v)
			return false;
		kb->field_codes = v;
		kb->field_codes_cap = cap;
	}
	kb->field_codes[kb->n_field_codes++] = code;
	return true;
}

/* One condition; false only on out-of-memory (a bad one is reported, not kept). */
static bool
load_condition(struct kb_loader *ld, struct kb_place *pl, const char *name, json_object *v,
	       bool caseless, struct fw_field_pattern *out, bool *kept)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	char key[FIELD_MAX];
	PCRE2_SIZE erroff;
	pcre2_code *code;
	int errcode;

	*kept = false;
	snprintf(key, sizeof key, "fields.%s", name);
	if (!field_name_ok(name)) {
		fw__kb_error(pl, "fields", "\"%s\" is not a field name (letters, digits and _-.@())",
			     name);
		return true;
	}
	if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0) {
		fw__kb_error(pl, key, "expected a non-empty string (a pattern)");
		return true;
	}
	if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v))) {
		fw__kb_error(pl, key, "contains a NUL character");
		return true;
	}
	if (caseless)
		opts |= PCRE2_CASELESS;
	code = pcre2_compile((PCRE2_SPTR)json_object_get_string(v), PCRE2_ZERO_TERMINATED, opts,
			     &errcode, &erroff, ld->cctx);
	if (!code) {
		char buf[256];

		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)buf, sizeof buf);
		fw__kb_error(pl, key, "invalid regex at offset %zu: %s", (size_t)erroff, buf);
		return true;
	}
	if (!keep_code(ld->kb, code)) {
		pcre2_code_free(code);
		return false;
	}
	/* Without JIT (refused, or no_jit) pcre2_match interprets: same result. */
	if (ld->jit_ok)
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	out->name = fw_arena_strdup(&ld->kb->arena, name, strlen(name));
	out->source = fw_arena_strdup(&ld->kb->arena, json_object_get_string(v),
				      (size_t)json_object_get_string_len(v));
	out->code = code;
	*kept = out->name && out->source;
	return *kept;
}

bool
fw__kb_load_fields(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	struct fw_field_pattern *conds;
	json_object *obj;
	size_t n;

	if (!json_object_object_get_ex(rec, "fields", &obj) || json_object_is_type(obj, json_type_null))
		return true;
	if (!json_object_is_type(obj, json_type_object)) {
		fw__kb_error(pl, "fields", "expected an object (field name: pattern)");
		return true;
	}
	if (r->field) {
		fw__kb_error(pl, "fields", "a record has either \"field\" or \"fields\", not both");
		return true;
	}
	n = (size_t)json_object_object_length(obj);
	if (n == 0 || n > FW_RECORD_FIELDS_MAX) {
		fw__kb_error(pl, "fields", "%zu conditions (1 to %d)", n, FW_RECORD_FIELDS_MAX);
		return true;
	}
	conds = fw_arena_alloc(&ld->kb->arena, n * sizeof *conds);
	if (!conds)
		return false;
	r->n_fields = 0;
	json_object_object_foreach(obj, name, v) {
		bool kept;

		if (!load_condition(ld, pl, name, v, r->flags & FW_REC_CASELESS, &conds[r->n_fields],
				    &kept))
			return false;
		if (kept)
			r->n_fields++;
	}
	r->fields = conds;
	return true;
}
