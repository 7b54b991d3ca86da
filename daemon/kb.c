/*
 * kb: loads, validates and compiles the knowledge base (SPEC §3).
 *
 * Every file is parsed with json-c in strict mode with UTF-8 validation;
 * every record is checked field by field; every pattern is compiled. All
 * problems are collected before giving up, so one run of `fixwatch check`
 * names every broken record. Nothing of a failed load survives.
 *
 * Storage: all strings and small arrays live in one arena; records and
 * patterns in two arrays. The whole KB is freed at once.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "kb.h"
#include "kb_arena.h"
#include "lit.h"

/* KB files are small; a bigger one is a mistake (or not a KB). */
#define KB_FILE_MAX (64u * 1024 * 1024)
/* Directories nested deeper than this are not searched (symlink loops). */
#define KB_DEPTH_MAX 16

struct fw_kb_private {
	struct fw_arena arena;
	struct fw_record *records;
	uint32_t records_cap;
	struct fw_pattern *patterns;
	uint32_t patterns_cap;
	uint32_t *by_id;               /* record indices sorted by id */
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

struct kb_loader {
	struct fw_kb_private *kb;
	const struct fw_kb_options *opts;
	struct fw_diag *diag;
	unsigned errors;
	bool jit_tried;
	bool jit_ok;
	pcre2_compile_context *cctx;
};

static void kb_error(struct kb_place *pl, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
kb_error(struct kb_place *pl, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (pl->line)
		fw_diag_add(pl->diag, "%s:%u: %s: %s: %s", pl->path, pl->line, pl->id, field, msg);
	else
		fw_diag_add(pl->diag, "%s: %s: %s: %s", pl->path, pl->id, field, msg);
	pl->errors++;
}

/* ---- typed field access ------------------------------------------------ */

#define FIELD_MAX 96

/* "array[i]" or "array[i].key": the FIELD part of a message. */
static const char *
fname(char buf[FIELD_MAX], const char *array, size_t i, const char *key)
{
	if (key)
		snprintf(buf, FIELD_MAX, "%s[%zu].%s", array, i, key);
	else
		snprintf(buf, FIELD_MAX, "%s[%zu]", array, i);
	return buf;
}

static const char *
json_type_word(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "something else";
}

/*
 * A string field: NULL when absent, null or empty (SPEC §3: empty strings
 * are handled as absent). Returns false after reporting a wrong type.
 */
static bool
get_string(struct kb_loader *ld, struct kb_place *pl, json_object *obj, const char *key,
	   const char *field, const char **out)
{
	json_object *v;
	const char *s;
	int len;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return true;
	if (!json_object_is_type(v, json_type_string)) {
		kb_error(pl, field, "expected a string, got %s", json_type_word(v));
		return false;
	}
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s)) {
		kb_error(pl, field, "contains a NUL character");
		return false;
	}
	if (len == 0)
		return true;
	*out = fw_arena_strdup(&ld->kb->arena, s, (size_t)len);
	return *out != NULL;
}

/* A number in [lo, hi]; NaN when absent or null. */
static bool
get_number(struct kb_place *pl, json_object *obj, const char *key, const char *field, double lo,
	   double hi, double *out)
{
	json_object *v;
	double d;

	*out = NAN;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return true;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)) {
		kb_error(pl, field, "expected a number, got %s", json_type_word(v));
		return false;
	}
	d = json_object_get_double(v);
	if (!(d >= lo && d <= hi)) {
		kb_error(pl, field, "%g is out of range [%g, %g]", d, lo, hi);
		return false;
	}
	*out = d;
	return true;
}

/* An optional array; *out NULL when absent or null. */
static bool
get_array(struct kb_place *pl, json_object *obj, const char *key, const char *field, json_object **out)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return true;
	if (!json_object_is_type(v, json_type_array)) {
		kb_error(pl, field, "expected an array, got %s", json_type_word(v));
		return false;
	}
	*out = v;
	return true;
}

static bool
get_strlist(struct kb_loader *ld, struct kb_place *pl, json_object *obj, const char *key,
	    const char *field, struct fw_strlist *out)
{
	json_object *arr;
	const char **items;
	size_t n;
	bool ok = true;

	out->items = NULL;
	out->n = 0;
	if (!get_array(pl, obj, key, field, &arr))
		return false;
	if (!arr || (n = json_object_array_length(arr)) == 0)
		return true;
	items = fw_arena_alloc(&ld->kb->arena, n * sizeof *items);
	if (!items)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char name[FIELD_MAX];
		int len;

		fname(name, field, i, NULL);
		if (!json_object_is_type(v, json_type_string)) {
			kb_error(pl, name, "expected a string, got %s", json_type_word(v));
			ok = false;
			continue;
		}
		len = json_object_get_string_len(v);
		if ((size_t)len != strlen(json_object_get_string(v))) {
			kb_error(pl, name, "contains a NUL character");
			ok = false;
			continue;
		}
		items[out->n] = fw_arena_strdup(&ld->kb->arena, json_object_get_string(v), (size_t)len);
		if (!items[out->n])
			return false;
		out->n++;
	}
	out->items = items;
	return ok;
}

/* ---- record parts ---------------------------------------------------- */


/* Sorts indices into w; qsort is not stable, so ties compare the index. */
static int
cmp_workaround(const void *a, const void *b, void *base)
{
	const struct fw_workaround *w = base;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	bool na = isnan(w[ia].success_rate), nb = isnan(w[ib].success_rate);

	if (na != nb)
		return na ? 1 : -1;
	if (!na && w[ia].success_rate != w[ib].success_rate)
		return w[ia].success_rate > w[ib].success_rate ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static bool
load_workarounds(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	json_object *arr, *zh;
	struct fw_workaround *w;
	size_t n;
	bool ok = true;

	if (!get_array(pl, rec, "workarounds", "workarounds", &arr) ||
	    !get_array(pl, rec, "workarounds_zh", "workarounds_zh", &zh))
		return false;
	r->fix = -1;
	if (!arr || (n = json_object_array_length(arr)) == 0)
		return true;
	w = fw_arena_alloc(&ld->kb->arena, n * sizeof *w);
	if (!w)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char f[FIELD_MAX];

		memset(&w[i], 0, sizeof w[i]);
		w[i].success_rate = NAN;
		if (json_object_is_type(v, json_type_string)) {
			/* A bare string is the action (some KB exports write them so). */
			if (json_object_get_string_len(v) > 0)
				w[i].action = fw_arena_strdup(&ld->kb->arena, json_object_get_string(v),
							      (size_t)json_object_get_string_len(v));
		} else if (json_object_is_type(v, json_type_object)) {
			ok &= get_string(ld, pl, v, "action", fname(f, "workarounds", i, "action"), &w[i].action);
			ok &= get_string(ld, pl, v, "how", fname(f, "workarounds", i, "how"), &w[i].how);
			ok &= get_string(ld, pl, v, "condition", fname(f, "workarounds", i, "condition"),
					 &w[i].condition);
			ok &= get_number(pl, v, "success_rate", fname(f, "workarounds", i, "success_rate"), 0, 1,
					 &w[i].success_rate);
		} else {
			kb_error(pl, fname(f, "workarounds", i, NULL), "expected an object, got %s",
				 json_type_word(v));
			ok = false;
			continue;
		}
		if (zh && i < json_object_array_length(zh)) {
			json_object *t = json_object_array_get_idx(zh, i);

			fname(f, "workarounds_zh", i, NULL);
			if (json_object_is_type(t, json_type_object))
				ok &= get_string(ld, pl, t, "action", f, &w[i].action_zh);
			else if (json_object_is_type(t, json_type_string)) {
				if (json_object_get_string_len(t) > 0)
					w[i].action_zh = fw_arena_strdup(&ld->kb->arena,
						json_object_get_string(t), (size_t)json_object_get_string_len(t));
			} else if (!json_object_is_type(t, json_type_null)) {
				kb_error(pl, f, "expected a string or an object, got %s", json_type_word(t));
				ok = false;
			}
		}
	}
	/* Ranked: highest success rate first, unknown rates last, ties in file
	 * order. The fix is the first one that has a text. */
	{
		uint32_t *order = fw_arena_alloc(&ld->kb->arena, n * sizeof *order);
		struct fw_workaround *ranked = fw_arena_alloc(&ld->kb->arena, n * sizeof *ranked);

		if (!order || !ranked)
			return false;
		for (uint32_t i = 0; i < n; i++)
			order[i] = i;
		qsort_r(order, n, sizeof *order, cmp_workaround, w);
		for (uint32_t i = 0; i < n; i++)
			ranked[i] = w[order[i]];
		w = ranked;
	}
	for (size_t i = 0; i < n && r->fix < 0; i++)
		if (fw_workaround_text(&w[i], false))
			r->fix = (int32_t)i;
	r->workarounds = w;
	r->n_workarounds = (uint32_t)n;
	return ok;
}

static bool
load_dead_ends(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	json_object *arr;
	struct fw_dead_end *d;
	size_t n;
	bool ok = true;

	if (!get_array(pl, rec, "dead_ends", "dead_ends", &arr))
		return false;
	if (!arr || (n = json_object_array_length(arr)) == 0)
		return true;
	d = fw_arena_alloc(&ld->kb->arena, n * sizeof *d);
	if (!d)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char f[FIELD_MAX];

		memset(&d[i], 0, sizeof d[i]);
		d[i].fail_rate = NAN;
		if (!json_object_is_type(v, json_type_object)) {
			kb_error(pl, fname(f, "dead_ends", i, NULL), "expected an object, got %s",
				 json_type_word(v));
			ok = false;
			continue;
		}
		ok &= get_string(ld, pl, v, "action", fname(f, "dead_ends", i, "action"), &d[i].action);
		ok &= get_string(ld, pl, v, "why_fails", fname(f, "dead_ends", i, "why_fails"), &d[i].why_fails);
		ok &= get_string(ld, pl, v, "condition", fname(f, "dead_ends", i, "condition"), &d[i].condition);
		ok &= get_number(pl, v, "fail_rate", fname(f, "dead_ends", i, "fail_rate"), 0, 1, &d[i].fail_rate);
	}
	r->dead_ends = d;
	r->n_dead_ends = (uint32_t)n;
	return ok;
}

static bool
load_versions(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	static const char *const keys[] = { "version", "status", "introduced", "deprecated", "removed" };
	json_object *arr;
	struct fw_version *vs;
	size_t n;
	bool ok = true;

	if (!get_array(pl, rec, "versions", "versions", &arr))
		return false;
	if (!arr || (n = json_object_array_length(arr)) == 0)
		return true;
	vs = fw_arena_alloc(&ld->kb->arena, n * sizeof *vs);
	if (!vs)
		return false;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		const char **slots[] = { &vs[i].version, &vs[i].status, &vs[i].introduced,
					 &vs[i].deprecated, &vs[i].removed };
		char f[FIELD_MAX];

		memset(&vs[i], 0, sizeof vs[i]);
		if (!json_object_is_type(v, json_type_object)) {
			kb_error(pl, fname(f, "versions", i, NULL), "expected an object, got %s", json_type_word(v));
			ok = false;
			continue;
		}
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			ok &= get_string(ld, pl, v, keys[k], fname(f, "versions", i, keys[k]), slots[k]);
	}
	r->versions = vs;
	r->n_versions = (uint32_t)n;
	return ok;
}

static bool
load_transitions(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	json_object *tg;
	bool ok = true;

	if (!json_object_object_get_ex(rec, "transition_graph", &tg) ||
	    json_object_is_type(tg, json_type_null))
		return true;
	if (!json_object_is_type(tg, json_type_object)) {
		kb_error(pl, "transition_graph", "expected an object, got %s", json_type_word(tg));
		return false;
	}
	ok &= get_strlist(ld, pl, tg, "leads_to", "transition_graph.leads_to", &r->leads_to);
	ok &= get_strlist(ld, pl, tg, "preceded_by", "transition_graph.preceded_by", &r->preceded_by);
	ok &= get_strlist(ld, pl, tg, "frequently_confused_with",
			  "transition_graph.frequently_confused_with", &r->confused_with);
	return ok;
}

/* ---- patterns -------------------------------------------------------- */

static bool
grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t c;
	void *p;

	if (need <= *cap)
		return true;
	c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	p = realloc(*arr, (size_t)c * size);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

static bool
kb_jit(struct kb_loader *ld, struct fw_pattern *p)
{
	size_t jitsize = 0;
	int rc;

	if (ld->opts && ld->opts->no_jit)
		return false;
	if (ld->jit_tried && !ld->jit_ok)
		return false;
	rc = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
	if (rc == 0 && pcre2_pattern_info(p->code, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0) {
		ld->jit_tried = ld->jit_ok = true;
		return true;
	}
	if (!ld->jit_tried || ld->jit_ok) {
		char buf[256], why[320];

		/* The first failure says why (e.g. MemoryDenyWriteExecute refuses the
		 * executable memory JIT needs); later patterns fall back silently. */
		if (rc)
			pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "no JIT code was generated");
		snprintf(why, sizeof why, "PCRE2 JIT unavailable (%s, error %d): matching without JIT",
			 buf, rc);
		if (!ld->kb->pub.jit_error)
			ld->kb->pub.jit_error = fw_arena_strdup(&ld->kb->arena, why, strlen(why));
	}
	ld->jit_tried = true;
	/* One pattern that cannot JIT (e.g. too complex) does not turn JIT off
	 * for the others; no executable memory at all does. */
	if (rc == 0 || rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_JIT_BADOPTION)
		ld->jit_ok = false;
	return false;
}

static int
cmp_capture_group(const void *a, const void *b)
{
	const struct fw_capture_name *x = a, *y = b;

	return x->group < y->group ? -1 : x->group > y->group;
}

static bool
add_pattern(struct kb_loader *ld, struct kb_place *pl, uint32_t record, uint32_t index,
	    const char *field, const char *source, bool caseless)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	struct fw_pattern *p;
	struct fw_lit_info lit;
	PCRE2_SIZE erroff;
	uint32_t namecount, entrysize;
	PCRE2_SPTR table;
	int errcode;

	if (caseless)
		opts |= PCRE2_CASELESS;
	if (!grow((void **)&kb->patterns, &kb->patterns_cap, kb->pub.n_patterns + 1, sizeof *p))
		return false;
	p = &kb->patterns[kb->pub.n_patterns];
	memset(p, 0, sizeof *p);
	p->code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, opts, &errcode, &erroff,
				ld->cctx);
	if (!p->code) {
		char buf[256];

		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)buf, sizeof buf);
		kb_error(pl, field, "invalid regex at offset %zu: %s", (size_t)erroff, buf);
		return true; /* reported; keep checking the rest of the record */
	}
	kb->pub.n_patterns++;
	p->source = source;
	p->record = record;
	p->index = index;
	p->jit = kb_jit(ld, p);

	if (fw_lit_analyze(source, strlen(source), caseless, &lit) < 0)
		return false;
	p->specificity = lit.specificity;
	fw_lit_info_free(&lit);

	pcre2_pattern_info(p->code, PCRE2_INFO_NAMECOUNT, &namecount);
	if (namecount == 0)
		return true;
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMEENTRYSIZE, &entrysize);
	pcre2_pattern_info(p->code, PCRE2_INFO_NAMETABLE, &table);
	{
		struct fw_capture_name *names = fw_arena_alloc(&kb->arena, namecount * sizeof *names);

		if (!names)
			return false;
		/* Name table entries: 2-byte big-endian group number, then the name. */
		for (uint32_t i = 0; i < namecount; i++) {
			PCRE2_SPTR e = table + (size_t)i * entrysize;
			const char *nm = (const char *)e + 2;

			names[i].group = ((uint32_t)e[0] << 8) | e[1];
			names[i].name = fw_arena_strdup(&kb->arena, nm, strlen(nm));
			if (!names[i].name)
				return false;
		}
		/* The table is sorted by name; captures read better in pattern order. */
		qsort(names, namecount, sizeof *names, cmp_capture_group);
		p->names = names;
		p->n_names = namecount;
	}
	return true;
}

/* ---- one record -------------------------------------------------------- */

static bool
valid_id(const char *id)
{
	const char *slash = strchr(id, '/');

	if (!slash || slash == id || slash[1] == '\0')
		return false;
	for (const char *c = id; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == 0x7f)
			return false;
	return true;
}

/* Returns false only on out-of-memory; validation errors are counted in pl. */
static bool
load_record(struct kb_loader *ld, struct kb_place *pl, json_object *rec)
{
	struct fw_kb_private *kb = ld->kb;
	struct fw_record r;
	const char *flags = NULL, *regex = NULL;
	json_object *regexes, *prio;
	uint32_t index, first_pattern;
	unsigned errors_before = pl->errors;
	bool ok = true;

	if (!json_object_is_type(rec, json_type_object)) {
		kb_error(pl, "-", "a record must be a JSON object, got %s", json_type_word(rec));
		return true;
	}
	memset(&r, 0, sizeof r);
	r.path = pl->path;
	r.line = pl->line;

	ok &= get_string(ld, pl, rec, "id", "id", &r.id);
	if (r.id) {
		if (!valid_id(r.id))
			kb_error(pl, "id", "\"%s\" is not of the form domain/slug", r.id);
		pl->id = r.id;
	} else if (ok) {
		kb_error(pl, "id", "missing (required)");
	}
	ok &= get_string(ld, pl, rec, "signature", "signature", &r.signature);
	if (ok && !r.signature)
		kb_error(pl, "signature", "missing (required)");
	ok &= get_string(ld, pl, rec, "regex", "regex", &regex);
	if (!regex && !json_object_object_get_ex(rec, "regex", NULL))
		kb_error(pl, "regex", "missing (required)");
	else if (!regex && ok)
		kb_error(pl, "regex", "empty (a pattern that matches every line is not a signature)");

	ok &= get_string(ld, pl, rec, "signature_zh", "signature_zh", &r.signature_zh);
	ok &= get_string(ld, pl, rec, "domain", "domain", &r.domain);
	ok &= get_string(ld, pl, rec, "category", "category", &r.category);
	ok &= get_string(ld, pl, rec, "root_cause", "root_cause", &r.root_cause);
	ok &= get_string(ld, pl, rec, "root_cause_zh", "root_cause_zh", &r.root_cause_zh);
	ok &= get_string(ld, pl, rec, "official_doc_url", "official_doc_url", &r.doc_url);
	ok &= get_string(ld, pl, rec, "verification_tier", "verification_tier", &r.verification_tier);
	ok &= get_number(pl, rec, "confidence", "confidence", 0, 1, &r.confidence);
	ok &= get_number(pl, rec, "fix_success_rate", "fix_success_rate", 0, 1, &r.fix_success_rate);
	ok &= get_string(ld, pl, rec, "flags", "flags", &flags);
	if (flags) {
		for (const char *c = flags; *c; c++) {
			if (*c == 'i')
				r.flags |= FW_REC_CASELESS;
			else
				kb_error(pl, "flags", "unknown flag '%c' (known: i)", *c);
		}
	}
	if (json_object_object_get_ex(rec, "priority", &prio) && !json_object_is_type(prio, json_type_null)) {
		int64_t v = json_object_get_int64(prio);

		if (!json_object_is_type(prio, json_type_int))
			kb_error(pl, "priority", "expected an integer, got %s", json_type_word(prio));
		else if (v < INT32_MIN || v > INT32_MAX)
			kb_error(pl, "priority", "%lld is out of range", (long long)v);
		else
			r.priority = (int32_t)v;
	}
	ok &= load_workarounds(ld, pl, rec, &r);
	ok &= load_dead_ends(ld, pl, rec, &r);
	ok &= load_versions(ld, pl, rec, &r);
	ok &= load_transitions(ld, pl, rec, &r);
	ok &= get_strlist(ld, pl, rec, "examples", "examples", &r.examples);
	ok &= get_strlist(ld, pl, rec, "counterexamples", "counterexamples", &r.counterexamples);
	ok &= get_strlist(ld, pl, rec, "tags", "tags", &r.tags);
	ok &= get_strlist(ld, pl, rec, "aliases", "aliases", &r.aliases);
	if (!get_array(pl, rec, "regexes", "regexes", &regexes))
		regexes = NULL;
	(void)ok; /* type errors are counted in pl->errors */

	if (r.id && !r.domain) {
		const char *slash = strchr(r.id, '/');

		if (slash)
			r.domain = fw_arena_strdup(&kb->arena, r.id, (size_t)(slash - r.id));
	}

	/* Patterns are compiled even when other fields are wrong, so that one
	 * run reports every problem of the record. */
	index = kb->pub.n_records;
	first_pattern = kb->pub.n_patterns;
	if (regex && !add_pattern(ld, pl, index, 0, "regex", regex, r.flags & FW_REC_CASELESS))
		return false;
	for (size_t i = 0; regexes && i < json_object_array_length(regexes); i++) {
		json_object *v = json_object_array_get_idx(regexes, i);
		char field[FIELD_MAX];
		const char *src;

		fname(field, "regexes", i, NULL);
		if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0) {
			kb_error(pl, field, "expected a non-empty string, got %s",
				 json_object_is_type(v, json_type_string) ? "an empty string" : json_type_word(v));
			continue;
		}
		if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v))) {
			kb_error(pl, field, "contains a NUL character");
			continue;
		}
		src = fw_arena_strdup(&kb->arena, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		if (!src || !add_pattern(ld, pl, index, (uint32_t)(i + 1), field, src, r.flags & FW_REC_CASELESS))
			return false;
	}

	if (pl->errors != errors_before || !r.id || !r.signature || !regex) {
		/* Drop the record's compiled patterns; the load fails anyway. */
		while (kb->pub.n_patterns > first_pattern)
			pcre2_code_free(kb->patterns[--kb->pub.n_patterns].code);
		if (pl->errors == errors_before)
			pl->errors++;
		return true;
	}
	r.first_pattern = first_pattern;
	r.n_patterns = kb->pub.n_patterns - first_pattern;
	if (!grow((void **)&kb->records, &kb->records_cap, kb->pub.n_records + 1, sizeof r))
		return false;
	kb->records[kb->pub.n_records++] = r;
	return true;
}

/* ---- files ------------------------------------------------------------- */

static int
read_file(const char *path, char **buf, size_t *len, struct fw_diag *diag)
{
	struct stat st;
	char *b;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		fw_diag_add(diag, "%s: -: -: cannot read: %s", path, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if (st.st_size > KB_FILE_MAX) {
		fw_diag_add(diag, "%s: -: -: too large (%lld bytes, limit %u)", path,
			    (long long)st.st_size, KB_FILE_MAX);
		close(fd);
		return -EFBIG;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			fw_diag_add(diag, "%s: -: -: cannot read: %s", path, strerror(e));
			free(b);
			close(fd);
			return -e;
		}
		got += (size_t)n;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

/* Parses one JSON value from text; reports json-c's error with line:column. */
static json_object *
parse_json(struct kb_place *pl, const char *text, size_t len, uint32_t first_line)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* A value without a closing character (a bare number such as "42")
		 * is complete only at the end of input, which json-c learns from a
		 * terminating NUL (json_tokener_parse_ex(3)). */
		json_object *last = json_tokener_parse_ex(tok, "", 1);

		if (json_tokener_get_error(tok) == json_tokener_success) {
			obj = last;
			jerr = json_tokener_success;
			end = len;
		}
	}
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		jerr = json_tokener_error_parse_eof;
		end = len;
	}
	if (jerr == json_tokener_success) {
		/* Only whitespace may follow the record. */
		size_t i = end;

		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i == len && !obj)
			/* json-c gives JSON null as NULL: say so rather than skip it. */
			kb_error(pl, "-", "a record must be a JSON object, got null");
		if (i == len)
			return obj;
		json_object_put(obj);
		end = i;
	}
	{
		uint32_t line = first_line, col = 1;

		for (size_t i = 0; i < end && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		fw_diag_add(pl->diag, "%s:%u: -: -: malformed JSON at column %u: %s", pl->path, line, col,
			    jerr == json_tokener_success ? "unexpected data after the record"
							 : json_tokener_error_desc(jerr));
		pl->errors++;
	}
	return NULL;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

static bool
load_file(struct kb_loader *ld, const char *path)
{
	struct kb_place pl = { .path = path, .id = "-", .diag = ld->diag };
	char *text = NULL;
	size_t len = 0;
	int rc;
	bool ok = true;

	rc = read_file(path, &text, &len, ld->diag);
	if (rc == -ENOMEM)
		return false;
	if (rc < 0) {
		ld->errors++;
		return true;
	}
	pl.path = fw_arena_strdup(&ld->kb->arena, path, strlen(path));
	if (!pl.path) {
		free(text);
		return false;
	}
	ld->kb->pub.n_files++;
	if (has_suffix(path, ".jsonl")) {
		char *line = text;
		uint32_t lineno = 1;

		while (ok && line < text + len) {
			char *nl = memchr(line, '\n', (size_t)(text + len - line));
			size_t ll = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
			size_t i = 0;

			if (ll && line[ll - 1] == '\r')
				ll--;
			while (i < ll && (line[i] == ' ' || line[i] == '\t'))
				i++;
			if (i < ll) {
				json_object *rec;

				pl.line = lineno;
				pl.id = "-";
				rec = parse_json(&pl, line, ll, lineno);
				if (rec) {
					ok = load_record(ld, &pl, rec);
					json_object_put(rec);
				}
			}
			if (!nl)
				break;
			line = nl + 1;
			lineno++;
		}
	} else {
		json_object *rec = parse_json(&pl, text, len, 1);

		pl.line = 0;
		if (rec) {
			ok = load_record(ld, &pl, rec);
			json_object_put(rec);
		}
	}
	free(text);
	ld->errors += pl.errors;
	return ok;
}

struct path_list {
	char **v;
	size_t n, cap;
};

static int
path_list_add(struct path_list *l, const char *dir, const char *name)
{
	char *p;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (dir ? asprintf(&p, "%s/%s", dir, name) < 0 : !(p = strdup(name)))
		return -ENOMEM;
	l->v[l->n++] = p;
	return 0;
}

static void
path_list_free(struct path_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects *.json and *.jsonl below dir; hidden entries are skipped. */
static int
walk(const char *dir, int depth, struct path_list *out, struct fw_diag *diag, unsigned *errors)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > KB_DEPTH_MAX) {
		fw_diag_add(diag, "%s: -: -: directories nested deeper than %d levels", dir, KB_DEPTH_MAX);
		(*errors)++;
		return 0;
	}
	d = opendir(dir);
	if (!d) {
		fw_diag_add(diag, "%s: -: -: cannot open directory: %s", dir, strerror(errno));
		(*errors)++;
		return 0;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
			rc = -ENOMEM;
			break;
		}
		if (stat(p, &st) < 0) {
			fw_diag_add(diag, "%s: -: -: cannot stat: %s", p, strerror(errno));
			(*errors)++;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(p, depth + 1, out, diag, errors);
		} else if (S_ISREG(st.st_mode) && (has_suffix(e->d_name, ".json") ||
						   has_suffix(e->d_name, ".jsonl"))) {
			rc = path_list_add(out, NULL, p);
		}
		free(p);
	}
	closedir(d);
	return rc;
}

/* ---- index, domains ---------------------------------------------------- */

static int
cmp_record_id(const void *a, const void *b, void *records)
{
	const struct fw_record *ra = (const struct fw_record *)records + *(const uint32_t *)a;
	const struct fw_record *rb = (const struct fw_record *)records + *(const uint32_t *)b;
	int c = strcmp(ra->id, rb->id);

	if (c)
		return c;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static void
place(const struct fw_record *r, char *buf, size_t len)
{
	if (r->line)
		snprintf(buf, len, "%s:%u", r->path, r->line);
	else
		snprintf(buf, len, "%s", r->path);
}

static bool
build_index(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t n = kb->pub.n_records;

	kb->by_id = malloc((n ? n : 1) * sizeof *kb->by_id);
	if (!kb->by_id)
		return false;
	for (uint32_t i = 0; i < n; i++)
		kb->by_id[i] = i;
	qsort_r(kb->by_id, n, sizeof *kb->by_id, cmp_record_id, kb->records);
	/* Equal ids sort together in KB order: every later one names the first. */
	for (uint32_t i = 1, first = 0; i < n; i++) {
		const struct fw_record *a = &kb->records[kb->by_id[first]];
		const struct fw_record *b = &kb->records[kb->by_id[i]];

		if (strcmp(a->id, b->id) != 0) {
			first = i;
		} else {
			char pa[PATH_MAX + 16], pb[PATH_MAX + 16];

			place(a, pa, sizeof pa);
			place(b, pb, sizeof pb);
			fw_diag_add(ld->diag, "%s: %s: id: duplicate id, first defined at %s", pb, b->id, pa);
			ld->errors++;
		}
	}
	return true;
}

static bool
build_domains(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	const char **domains = fw_arena_alloc(&kb->arena, (kb->pub.n_records + 1) * sizeof *domains);
	uint32_t nd = 0;

	if (!domains)
		return false;
	for (uint32_t i = 0; i < kb->pub.n_records; i++) {
		uint32_t j;

		for (j = 0; j < nd && strcmp(domains[j], kb->records[i].domain) != 0; j++)
			;
		if (j == nd)
			domains[nd++] = kb->records[i].domain;
	}
	qsort(domains, nd, sizeof *domains, cmp_str);
	for (uint32_t i = 0; i < kb->pub.n_records; i++)
		for (uint32_t j = 0; j < nd; j++)
			if (strcmp(domains[j], kb->records[i].domain) == 0)
				kb->records[i].domain_index = j;
	kb->pub.domains = domains;
	kb->pub.n_domains = nd;
	return true;
}

/* ---- public ------------------------------------------------------------ */

static void
kb_destroy(struct fw_kb_private *kb)
{
	for (uint32_t i = 0; i < kb->pub.n_patterns; i++)
		pcre2_code_free(kb->patterns[i].code);
	free(kb->patterns);
	free(kb->records);
	free(kb->by_id);
	fw_arena_free(&kb->arena);
	free(kb);
}

int
fw_kb_load(const char *const *paths, size_t n_paths, const struct fw_kb_options *opts,
	   struct fw_kb **out, struct fw_diag *diag)
{
	struct kb_loader ld = { .opts = opts, .diag = diag };
	struct path_list files = { 0 };
	int rc = 0;

	*out = NULL;
	ld.kb = calloc(1, sizeof *ld.kb);
	ld.cctx = pcre2_compile_context_create(NULL);
	if (!ld.kb || !ld.cctx) {
		rc = -ENOMEM;
		goto done;
	}
	fw_arena_init(&ld.kb->arena);
	ld.kb->pub.priv = ld.kb;

	for (size_t i = 0; i < n_paths && rc == 0; i++) {
		struct stat st;
		size_t first = files.n;

		if (stat(paths[i], &st) < 0) {
			fw_diag_add(diag, "%s: -: -: cannot open: %s", paths[i], strerror(errno));
			ld.errors++;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(paths[i], 0, &files, diag, &ld.errors);
			/* Files of one KB path in byte-wise order; paths in the order given. */
			if (files.n > first)
				qsort(files.v + first, files.n - first, sizeof *files.v, cmp_str);
		} else {
			rc = path_list_add(&files, NULL, paths[i]);
		}
	}
	for (size_t i = 0; i < files.n && rc == 0; i++)
		if (!load_file(&ld, files.v[i]))
			rc = -ENOMEM;
	if (rc == 0 && ld.errors == 0 && ld.kb->pub.n_records == 0) {
		fw_diag_add(diag, "%s: -: -: the knowledge base has no records (searched %zu file%s)",
			    n_paths ? paths[0] : "(no path)", files.n, files.n == 1 ? "" : "s");
		ld.errors++;
	}
	if (rc == 0 && ld.errors == 0 && (!build_index(&ld) || !build_domains(&ld)))
		rc = -ENOMEM;
	if (rc == 0 && ld.errors)
		rc = -EINVAL;
	if (rc == -ENOMEM)
		fw_diag_add(diag, "-: -: -: out of memory while loading the knowledge base");
done:
	path_list_free(&files);
	pcre2_compile_context_free(ld.cctx);
	if (rc < 0) {
		if (ld.kb)
			kb_destroy(ld.kb);
		return rc;
	}
	ld.kb->pub.records = ld.kb->records;
	ld.kb->pub.patterns = ld.kb->patterns;
	ld.kb->pub.jit = ld.kb->pub.n_patterns > 0;
	for (uint32_t i = 0; i < ld.kb->pub.n_patterns; i++)
		ld.kb->pub.jit &= ld.kb->patterns[i].jit;
	*out = &ld.kb->pub;
	return 0;
}

void
fw_kb_free(struct fw_kb *kb)
{
	if (kb)
		kb_destroy(kb->priv);
}

const struct fw_record *
fw_kb_find(const struct fw_kb *kb, const char *id)
{
	const struct fw_kb_private *p = kb->priv;
	uint32_t lo = 0, hi = kb->n_records;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct fw_record *r = &kb->records[p->by_id[mid]];
		int c = strcmp(id, r->id);

		if (c == 0)
			return r;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

size_t
fw_kb_mask_words(const struct fw_kb *kb)
{
	return (kb->n_records + 63) / 64;
}

int
fw_kb_domain_mask(const struct fw_kb *kb, const char *const *domains, size_t n, uint64_t *mask,
		  struct fw_diag *diag)
{
	int rc = 0;

	memset(mask, 0, fw_kb_mask_words(kb) * sizeof *mask);
	for (size_t d = 0; d < n; d++) {
		bool found = false;

		for (uint32_t i = 0; i < kb->n_records; i++) {
			if (strcmp(kb->records[i].domain, domains[d]) == 0) {
				mask[i / 64] |= UINT64_C(1) << (i % 64);
				found = true;
			}
		}
		if (!found) {
			if (diag)
				fw_diag_add(diag, "domain \"%s\" has no record in the knowledge base", domains[d]);
			rc = -ENOENT;
		}
	}
	return rc;
}

const char *
fw_workaround_text(const struct fw_workaround *w, bool zh)
{
	if (zh && w->action_zh)
		return w->action_zh;
	return w->action ? w->action : w->how;
}

const char *
fw_dead_end_text(const struct fw_dead_end *d)
{
	return d->action ? d->action : d->why_fails;
}
