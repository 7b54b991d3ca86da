/*
 * kb_loader: what the KB loader's two halves share (internal to kb*.c).
 * kb.c finds and reads the files and builds the indexes; kb_record.c turns
 * one parsed JSON record into a validated fw_record and compiles its
 * patterns.
 */
#ifndef FW_KB_LOADER_H
#define FW_KB_LOADER_H

#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

#include "kb/kb.h"
#include "kb/kb_arena.h"

struct fw_kb_private {
	struct fw_arena arena;
	struct fw_record *records;
	uint32_t records_cap;
	struct fw_pattern *patterns;
	uint32_t patterns_cap;
	uint32_t *by_id;               /* record indices sorted by id */
	pcre2_code **field_codes;      /* every record's `fields` patterns (kb_fields.c) */
	uint32_t n_field_codes, field_codes_cap;
	int jit_off_error;             /* the JIT compile error that turned JIT off after load */
	struct fw_kb pub;
};

/* Where a record is being read, for messages. */
struct kb_place {
	const char *path;
	uint32_t line;                 /* 0 for a *.json file */
	const char *id;                /* "-" until known */
	struct fw_diag *diag;
	unsigned errors;
};

/* Every id a record declared, valid record or not (kb_ids.c). */
struct kb_seen {
	const char *id;
	const char *path;
	uint32_t line;
	uint32_t order;                /* position in the load */
	bool local;                    /* from the operators' directory */
	bool replaced;                 /* a shipped record that a local one replaces */
};

/*
 * The object keys of a load, each kept once (in the KB's arena) so that
 * json-c holds them without a copy per object (kb_json.c). The table is
 * the loader's; the keys live as long as the KB, longer than any tree.
 */
struct kb_keys {
	struct fw_arena *arena;
	const char **slot;             /* open addressing, NULL = empty */
	size_t mask, n;
};

struct kb_loader {
	struct fw_kb_private *kb;
	const struct fw_kb_options *opts;
	struct fw_diag *diag;
	unsigned errors;
	bool jit_ok;                   /* the probe JIT-compiled (kb_jit.c) */
	bool local;                    /* loading the operators' directory now */
	pcre2_compile_context *cctx;
	struct kb_seen *seen;
	uint32_t n_seen, seen_cap;
	struct kb_keys keys;
};

/* The longest field path a message names ("workarounds[12].success_rate"). */
#define FW_KB_FIELD_MAX 96

/* Appends s[0..n) to buf at *at, as far as the buffer goes. */
static inline void
fw__kb_field_put(char buf[FW_KB_FIELD_MAX], size_t *at, const char *s, size_t n)
{
	if (n > FW_KB_FIELD_MAX - 1 - *at)
		n = FW_KB_FIELD_MAX - 1 - *at;
	memcpy(buf + *at, s, n);
	*at += n;
}

/*
 * "array[i]" or, with key, "array[i].key" in buf (cut at FW_KB_FIELD_MAX - 1
 * bytes); returns buf. Every array element gets one for each of its keys
 * whether or not it is wrong, so it is written without printf, and inline:
 * array and key are mostly string constants, whose lengths and copies the
 * compiler then knows.
 */
static inline const char *
fw__kb_field(char buf[FW_KB_FIELD_MAX], const char *array, size_t i, const char *key)
{
	char digits[24];
	size_t at = 0, nd = sizeof digits;

	do {
		digits[--nd] = (char)('0' + i % 10);
		i /= 10;
	} while (i);
	fw__kb_field_put(buf, &at, array, strlen(array));
	fw__kb_field_put(buf, &at, "[", 1);
	fw__kb_field_put(buf, &at, digits + nd, sizeof digits - nd);
	fw__kb_field_put(buf, &at, "]", 1);
	if (key) {
		fw__kb_field_put(buf, &at, ".", 1);
		fw__kb_field_put(buf, &at, key, strlen(key));
	}
	buf[at] = '\0';
	return buf;
}

/*
 * The json-c tree of text when it is an object of plain JSON that this
 * quicker reader takes (kb_json.c); NULL when it declines, which is never
 * an error: json-c then parses the text and reports any. The text must be
 * valid UTF-8.
 */
json_object *fw__kb_json_quick(const char *text, size_t len);
/*
 * The same, with the objects' keys taken from keys (added there when new)
 * instead of copied into each object: the tree must be freed before the
 * keys' arena.
 */
json_object *fw__kb_json_quick_keys(const char *text, size_t len, struct kb_keys *keys);
void fw__kb_keys_free(struct kb_keys *keys);

/* Reports "PATH[:LINE]: ID: FIELD: message" and counts it in pl. */
void fw__kb_error(struct kb_place *pl, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Validates one record and appends it (and its compiled patterns) to the
 * KB. Problems are reported and counted in pl; returns false only when
 * memory ran out.
 */
bool fw__kb_load_record(struct kb_loader *ld, struct kb_place *pl, json_object *rec);

/*
 * kb_ids.c: the ids of a load. note_id records every declared id (false on
 * out-of-memory); check_ids then reports every duplicate as an error, in
 * the same pass as the other errors, except a local record that replaces a
 * shipped one, which becomes a notice; drop_replaced removes the replaced
 * shipped records once the load has no error. Both return false only when
 * memory ran out.
 */
bool fw__kb_note_id(struct kb_loader *ld, const struct kb_place *pl, const char *id);
bool fw__kb_check_ids(struct kb_loader *ld);
bool fw__kb_drop_replaced(struct kb_loader *ld);
/*
 * kb_jit.c: the lazy JIT cache (kb.h). probe runs first in a load: it
 * decides whether this process may JIT (ld->jit_ok) and words jit_error
 * when it may not; false only when memory ran out. init gives every
 * loaded pattern its first state once the patterns are final.
 */
bool fw__kb_jit_probe(struct kb_loader *ld);
bool fw__kb_jit_init(struct kb_loader *ld);
/* Whether source starts with a (*NO_JIT) among its start-of-pattern options. */
bool fw__kb_says_no_jit(const char *source);

/* Frees what a loaded pattern owns (its code and literal analysis). */
void fw__kb_pattern_free(struct fw_pattern *p);

/*
 * kb_record.c's field readers, for kb_advice.c. A string: NULL when absent,
 * null or empty. An array: NULL when absent or null. Both return false
 * after reporting a wrong type as "FIELD: expected ..., got ...".
 */
bool fw__kb_get_string(struct kb_loader *ld, struct kb_place *pl, json_object *obj, const char *key,
		       const char *field, const char **out);
bool fw__kb_get_array(struct kb_place *pl, json_object *obj, const char *key, const char *field,
		      json_object **out);

/* kb_fields.c: the record's `fields` (its field form); false only when memory ran out. */
bool fw__kb_load_fields(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r);

/*
 * kb_advice.c: the fields that separate diagnosis from remedy and say what
 * an advice costs. Each reports its problems in pl and returns false only
 * when memory ran out.
 */
/* severity and diagnose[] of the record. */
bool fw__kb_load_advice(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r);
/* for_cause, risk, action_zh, how_zh of workarounds[i] (an object). */
bool fw__kb_load_workaround_extras(struct kb_loader *ld, struct kb_place *pl, json_object *v, size_t i,
				   struct fw_workaround *w);
/* risk, action_zh, why_fails_zh of dead_ends[i] (an object). */
bool fw__kb_load_dead_end_extras(struct kb_loader *ld, struct kb_place *pl, json_object *v, size_t i,
				 struct fw_dead_end *d);

#endif
