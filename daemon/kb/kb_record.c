/*
 * kb_record: one JSON record to a validated fw_record (design.md §3).
 *
 * Every field is checked by type and range; every problem is reported with
 * its field path ("workarounds[1].success_rate") and checking goes on, so
 * that one run names all of a record's problems. Patterns are compiled with
 * PCRE2 (UTF, MATCH_INVALID_UTF, the record's flags), JIT-compiled where
 * the process may, and analysed for their specificity.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/format.h"
#include "kb/kb_loader.h"
#include "match/lit.h"

/* ---- typed field access ------------------------------------------------ */

#define FIELD_MAX FW_KB_FIELD_MAX

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
 * A string field: NULL when absent, null or empty (design.md §3: empty strings
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
		fw__kb_error(pl, field, "expected a string, got %s", json_type_word(v));
		return false;
	}
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	if ((size_t)len != strlen(s)) {
		fw__kb_error(pl, field, "contains a NUL character");
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
		fw__kb_error(pl, field, "expected a number, got %s", json_type_word(v));
		return false;
	}
	d = json_object_get_double(v);
	if (!(d >= lo && d <= hi)) {
		fw__kb_error(pl, field, "%g is out of range [%g, %g]", d, lo, hi);
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
		fw__kb_error(pl, field, "expected an array, got %s", json_type_word(v));
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
		char name[FIELD_MAX];   /* its name ("logs[2]") is written only for an error */
		int len;

		if (!json_object_is_type(v, json_type_string)) {
			fw__kb_error(pl, fw__kb_field(name, field, i, NULL), "expected a string, got %s",
				     json_type_word(v));
			ok = false;
			continue;
		}
		len = json_object_get_string_len(v);
		if ((size_t)len != strlen(json_object_get_string(v))) {
			fw__kb_error(pl, fw__kb_field(name, field, i, NULL), "contains a NUL character");
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
	/* Every translation is checked, also one with no workaround to go with. */
	for (size_t i = 0; zh && i < json_object_array_length(zh); i++) {
		json_object *t = json_object_array_get_idx(zh, i);
		char f[FIELD_MAX];

		if (!json_object_is_type(t, json_type_null) && !json_object_is_type(t, json_type_string) &&
		    !json_object_is_type(t, json_type_object)) {
			fw__kb_error(pl, fw__kb_field(f, "workarounds_zh", i, NULL),
				     "expected a string or an object, got %s", json_type_word(t));
			ok = false;
		}
	}
	if (!arr || (n = json_object_array_length(arr)) == 0)
		return ok;
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
			ok &= get_string(ld, pl, v, "action", fw__kb_field(f, "workarounds", i, "action"), &w[i].action);
			ok &= get_string(ld, pl, v, "how", fw__kb_field(f, "workarounds", i, "how"), &w[i].how);
			ok &= get_string(ld, pl, v, "condition", fw__kb_field(f, "workarounds", i, "condition"),
					 &w[i].condition);
			ok &= get_number(pl, v, "success_rate", fw__kb_field(f, "workarounds", i, "success_rate"), 0, 1,
					 &w[i].success_rate);
		} else {
			fw__kb_error(pl, fw__kb_field(f, "workarounds", i, NULL), "expected an object, got %s",
				 json_type_word(v));
			ok = false;
			continue;
		}
		if (zh && i < json_object_array_length(zh)) {
			json_object *t = json_object_array_get_idx(zh, i);

			fw__kb_field(f, "workarounds_zh", i, NULL);
			if (json_object_is_type(t, json_type_object))
				ok &= get_string(ld, pl, t, "action", f, &w[i].action_zh);
			else if (json_object_is_type(t, json_type_string) && json_object_get_string_len(t) > 0)
				w[i].action_zh = fw_arena_strdup(&ld->kb->arena, json_object_get_string(t),
								 (size_t)json_object_get_string_len(t));
		}
		/* The workaround's own action_zh, when present, wins over workarounds_zh[i]. */
		if (json_object_is_type(v, json_type_object) &&
		    !fw__kb_load_workaround_extras(ld, pl, v, i, &w[i]))
			return false;
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
		for (uint32_t i = 0; i < n; i++) {
			ranked[i] = w[order[i]];
			ranked[i].file_index = order[i];
		}
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
			fw__kb_error(pl, fw__kb_field(f, "dead_ends", i, NULL), "expected an object, got %s",
				 json_type_word(v));
			ok = false;
			continue;
		}
		ok &= get_string(ld, pl, v, "action", fw__kb_field(f, "dead_ends", i, "action"), &d[i].action);
		ok &= get_string(ld, pl, v, "why_fails", fw__kb_field(f, "dead_ends", i, "why_fails"), &d[i].why_fails);
		ok &= get_string(ld, pl, v, "condition", fw__kb_field(f, "dead_ends", i, "condition"), &d[i].condition);
		ok &= get_number(pl, v, "fail_rate", fw__kb_field(f, "dead_ends", i, "fail_rate"), 0, 1, &d[i].fail_rate);
		if (!fw__kb_load_dead_end_extras(ld, pl, v, i, &d[i]))
			return false;
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
			fw__kb_error(pl, fw__kb_field(f, "versions", i, NULL), "expected an object, got %s", json_type_word(v));
			ok = false;
			continue;
		}
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			ok &= get_string(ld, pl, v, keys[k], fw__kb_field(f, "versions", i, keys[k]), slots[k]);
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
		fw__kb_error(pl, "transition_graph", "expected an object, got %s", json_type_word(tg));
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

static int
cmp_capture_group(const void *a, const void *b)
{
	const struct fw_capture_name *x = a, *y = b;

	return x->group < y->group ? -1 : x->group > y->group;
}

void
fw__kb_pattern_free(struct fw_pattern *p)
{
	pcre2_code_free(p->code);
	p->code = NULL;
	fw_lit_info_free(&p->lit);
}

/*
 * Copies the tree rx of pattern p into the KB's arena, each array at its
 * exact size (the parser's arrays grow by doubling); the caller frees rx. A tree without a root (not understood) keeps nothing.
 */
static bool
keep_tree(struct fw_kb_private *kb, const struct fw_regex *rx, struct fw_pattern *p)
{
	struct fw_regex *t = &p->tree;

	*t = *rx;
	t->nodes = NULL;
	t->sets = NULL;
	t->text = NULL;
	t->n_nodes = t->n_sets = t->n_text = 0;
	if (rx->root == FW_RX_NONE) {
		t->cap_nodes = t->cap_sets = t->cap_text = 0;
		return true;
	}
	if (rx->n_nodes && !(t->nodes = fw_arena_alloc(&kb->arena, rx->n_nodes * sizeof *rx->nodes)))
		return false;
	if (rx->n_sets && !(t->sets = fw_arena_alloc(&kb->arena, rx->n_sets * sizeof *rx->sets)))
		return false;
	if (rx->n_text && !(t->text = fw_arena_alloc(&kb->arena, rx->n_text * sizeof *rx->text)))
		return false;
	if (rx->n_nodes)
		memcpy(t->nodes, rx->nodes, rx->n_nodes * sizeof *rx->nodes);
	if (rx->n_sets)
		memcpy(t->sets, rx->sets, rx->n_sets * sizeof *rx->sets);
	if (rx->n_text)
		memcpy(t->text, rx->text, rx->n_text * sizeof *rx->text);
	t->n_nodes = t->cap_nodes = rx->n_nodes;
	t->n_sets = t->cap_sets = rx->n_sets;
	t->n_text = t->cap_text = rx->n_text;
	return true;
}

static bool
add_pattern(struct kb_loader *ld, struct kb_place *pl, uint32_t record, uint32_t index,
	    const char *field, const char *source, bool caseless)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	struct fw_pattern *p;
	struct fw_regex tree;
	PCRE2_SIZE erroff;
	uint32_t namecount, entrysize;
	PCRE2_SPTR table;
	int errcode, rc;

	if (caseless)
		opts |= PCRE2_CASELESS;
	if (!grow((void **)&kb->patterns, &kb->patterns_cap, kb->pub.n_patterns + 1, sizeof *p))
		return false;
	p = &kb->patterns[kb->pub.n_patterns];
	memset(p, 0, sizeof *p);
	p->tree.root = FW_RX_NONE;
	p->code = pcre2_compile((PCRE2_SPTR)source, PCRE2_ZERO_TERMINATED, opts, &errcode, &erroff,
				ld->cctx);
	if (!p->code) {
		char buf[256];

		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)buf, sizeof buf);
		fw__kb_error(pl, field, "invalid regex at offset %zu: %s", (size_t)erroff, buf);
		return true; /* reported; keep checking the rest of the record */
	}
	kb->pub.n_patterns++;
	p->source = source;
	p->record = record;
	p->index = index;
	p->caseless = caseless;
	p->no_jit = fw__kb_says_no_jit(source);

	/*
	 * The tree and the literal analysis made from it (the primary-match
	 * rule and the fast matcher's prefilter share it) are kept: the fast
	 * matcher's build reads both. A pattern the front end does not
	 * understand (-ENOTSUP: no root) claims nothing; -EINVAL cannot happen,
	 * PCRE2 compiled it.
	 */
	rc = fw_regex_parse(&tree, source, strlen(source), caseless);
	if (rc != -ENOMEM)
		rc = 0;
	if (rc == 0)
		rc = fw_lit_from_tree(&tree, &p->lit);
	if (rc == 0 && !keep_tree(kb, &tree, p))
		rc = -ENOMEM;
	fw_regex_free(&tree);
	if (rc < 0)
		return false;
	p->specificity = p->lit.specificity;

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

/*
 * What a record applies to (data/kb/README.md, "Targets"): `field` names
 * the parsed field its patterns are matched against instead of the whole
 * line, `logs` the kinds of log it describes (format.h). A field name is
 * what formats write: letters, digits and "_-.@()".
 */
static bool
load_targets(struct kb_loader *ld, struct kb_place *pl, json_object *rec, struct fw_record *r)
{
	struct fw_strlist logs;
	bool ok = get_string(ld, pl, rec, "field", "field", &r->field);

	if (r->field) {
		for (const char *c = r->field; *c; c++) {
			if (!isalnum((unsigned char)*c) && !strchr("_-.@()", *c)) {
				fw__kb_error(pl, "field", "\"%s\" is not a field name (letters, digits "
					     "and _-.@())", r->field);
				break;
			}
		}
	}
	if (!get_strlist(ld, pl, rec, "logs", "logs", &logs))
		return false;
	for (uint32_t i = 0; i < logs.n; i++) {
		int kind = fw_log_kind_parse(logs.items[i]);

		if (kind < 0) {
			char name[FIELD_MAX];

			fw__kb_field(name, "logs", i, NULL);
			fw__kb_error(pl, name, "unknown log kind \"%s\" (plain, w3c, json, combined, "
				     "syslog, journal)", logs.items[i]);
			continue;
		}
		r->logs |= 1u << kind;
	}
	return ok;
}

/* data/kb/README.md, "Fields": the documented categories. */
#define CATEGORIES "network_error, timeout, tls_error, config_error, resource_exhausted, " \
	"permission_error, dns_error, auth_error, http_error, service_failure, storage_error, protocol_error"

static bool
known_category(const char *c)
{
	static const char *const names[] = {
		"network_error", "timeout", "tls_error", "config_error", "resource_exhausted",
		"permission_error", "dns_error", "auth_error", "http_error", "service_failure",
		"storage_error", "protocol_error",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(c, names[i]) == 0)
			return true;
	return false;
}

/* Returns false only on out-of-memory; validation errors are counted in pl. */
bool
fw__kb_load_record(struct kb_loader *ld, struct kb_place *pl, json_object *rec)
{
	struct fw_kb_private *kb = ld->kb;
	struct fw_record r;
	const char *flags = NULL, *regex = NULL;
	json_object *regexes, *prio;
	uint32_t index, first_pattern;
	unsigned errors_before = pl->errors;
	bool ok = true, field_ok;

	if (!json_object_is_type(rec, json_type_object)) {
		fw__kb_error(pl, "-", "a record must be a JSON object, got %s", json_type_word(rec));
		return true;
	}
	memset(&r, 0, sizeof r);
	r.path = pl->path;
	r.line = pl->line;
	r.local = ld->local;

	/* Each required field is judged on its own: a wrong type in one must
	 * not hide that another is missing. null counts as missing. */
	field_ok = get_string(ld, pl, rec, "id", "id", &r.id);
	ok &= field_ok;
	if (r.id) {
		if (!valid_id(r.id))
			fw__kb_error(pl, "id", "\"%s\" is not of the form domain/slug", r.id);
		else if (!fw__kb_note_id(ld, pl, r.id))
			return false;
		pl->id = r.id;
	} else if (field_ok) {
		fw__kb_error(pl, "id", "missing (required)");
	}
	field_ok = get_string(ld, pl, rec, "signature", "signature", &r.signature);
	ok &= field_ok;
	if (field_ok && !r.signature)
		fw__kb_error(pl, "signature", "missing (required)");
	field_ok = get_string(ld, pl, rec, "regex", "regex", &regex);
	ok &= field_ok;
	if (field_ok && !regex) {
		json_object *v;

		if (!json_object_object_get_ex(rec, "regex", &v) || json_object_is_type(v, json_type_null))
			fw__kb_error(pl, "regex", "missing (required)");
		else
			fw__kb_error(pl, "regex", "empty (a pattern that matches every line is not a signature)");
	}

	ok &= get_string(ld, pl, rec, "signature_zh", "signature_zh", &r.signature_zh);
	ok &= get_string(ld, pl, rec, "domain", "domain", &r.domain);
	ok &= get_string(ld, pl, rec, "category", "category", &r.category);
	if (r.category && !known_category(r.category))
		fw__kb_error(pl, "category", "unknown category \"%s\" (%s)", r.category, CATEGORIES);
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
				fw__kb_error(pl, "flags", "unknown flag '%c' (known: i)", *c);
		}
	}
	if (json_object_object_get_ex(rec, "priority", &prio) && !json_object_is_type(prio, json_type_null)) {
		int64_t v = json_object_get_int64(prio);

		if (!json_object_is_type(prio, json_type_int))
			fw__kb_error(pl, "priority", "expected an integer, got %s", json_type_word(prio));
		else if (v < INT32_MIN || v > INT32_MAX)
			fw__kb_error(pl, "priority", "%lld is out of range", (long long)v);
		else
			r.priority = (int32_t)v;
	}
	ok &= load_workarounds(ld, pl, rec, &r);
	ok &= load_dead_ends(ld, pl, rec, &r);
	ok &= load_versions(ld, pl, rec, &r);
	ok &= load_transitions(ld, pl, rec, &r);
	ok &= fw__kb_load_advice(ld, pl, rec, &r);
	ok &= get_strlist(ld, pl, rec, "examples", "examples", &r.examples);
	ok &= get_strlist(ld, pl, rec, "counterexamples", "counterexamples", &r.counterexamples);
	ok &= get_strlist(ld, pl, rec, "tags", "tags", &r.tags);
	ok &= get_strlist(ld, pl, rec, "aliases", "aliases", &r.aliases);
	ok &= load_targets(ld, pl, rec, &r);
	if (!fw__kb_load_fields(ld, pl, rec, &r))
		return false;
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

		fw__kb_field(field, "regexes", i, NULL);
		if (!json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0) {
			fw__kb_error(pl, field, "expected a non-empty string, got %s",
				 json_object_is_type(v, json_type_string) ? "an empty string" : json_type_word(v));
			continue;
		}
		if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v))) {
			fw__kb_error(pl, field, "contains a NUL character");
			continue;
		}
		src = fw_arena_strdup(&kb->arena, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		if (!src || !add_pattern(ld, pl, index, (uint32_t)(i + 1), field, src, r.flags & FW_REC_CASELESS))
			return false;
	}

	if (pl->errors != errors_before || !r.id || !r.signature || !regex) {
		/* Drop the record's compiled patterns; the load fails anyway. */
		while (kb->pub.n_patterns > first_pattern)
			fw__kb_pattern_free(&kb->patterns[--kb->pub.n_patterns]);
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

bool
fw__kb_get_string(struct kb_loader *ld, struct kb_place *pl, json_object *obj, const char *key,
		  const char *field, const char **out)
{
	return get_string(ld, pl, obj, key, field, out);
}

bool
fw__kb_get_array(struct kb_place *pl, json_object *obj, const char *key, const char *field, json_object **out)
{
	return get_array(pl, obj, key, field, out);
}
