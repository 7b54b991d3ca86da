/*
 * test_kb_fields: fixwatch-kb(5) describes every field the KB loader reads,
 * and nothing else.
 *
 * The loader's fields are listed nowhere but in its code, so the test asks
 * the loader itself. json_object_object_get_ex() is wrapped (ld --wrap, see
 * mk/kb.am): every key the loader looks up on an object this test marked is
 * noted with the object's path. A probe record then grows until no new key
 * turns up: each key found is tried as an array of one object and as an
 * object, and kept as such when the loader looks into it (that is how
 * workarounds[].action and transition_graph.leads_to are found). A field
 * added to the loader is found the same way, without a list to keep.
 *
 * The page gives each field as ".TP" (or ".TQ", for one of several under
 * one text) followed by ".B PATH" in its FIELDS section.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "kb/kb.h"
#include "testutil.h"

/* The key that carries a probe object's node number (not a field of the format). */
#define MARK "\x01probe"
#define MAX_NODES 64
#define MAX_FIELDS 256
#define PATH_LEN 128

json_bool __real_json_object_object_get_ex(const struct json_object *obj, const char *key,
					   struct json_object **value);
json_bool __wrap_json_object_object_get_ex(const struct json_object *obj, const char *key,
					   struct json_object **value);

enum shape { LEAF, ARRAY, OBJECT };

/* An object of the probe record: the record itself (node 0), an array's element or an object value. */
struct node {
	char path[PATH_LEN];    /* "" for the record, "workarounds[]", "transition_graph" */
};

struct field {
	int parent;             /* node */
	char key[64];
	char path[PATH_LEN];    /* "workarounds[].action" */
	enum shape shape;       /* what the probe record holds under key: LEAF is absent */
	int child;              /* node, when not LEAF */
	bool documented;
};

static struct node nodes[MAX_NODES];
static int n_nodes;
static struct field fields[MAX_FIELDS];
static int n_fields;
static bool looked_into[MAX_NODES];     /* during one load: a key was looked up on the node */

static int
node_of(const struct json_object *obj)
{
	struct json_object *mark;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !__real_json_object_object_get_ex(obj, MARK, &mark))
		return -1;
	return json_object_get_int(mark);
}

static void
note_field(int parent, const char *key)
{
	struct field *f;

	for (int i = 0; i < n_fields; i++)
		if (fields[i].parent == parent && strcmp(fields[i].key, key) == 0)
			return;
	assert_true(n_fields < MAX_FIELDS);
	assert_true(strlen(key) < sizeof f->key);
	f = &fields[n_fields++];
	memset(f, 0, sizeof *f);
	f->parent = parent;
	snprintf(f->key, sizeof f->key, "%s", key);
	if (nodes[parent].path[0])
		snprintf(f->path, sizeof f->path, "%s.%s", nodes[parent].path, key);
	else
		snprintf(f->path, sizeof f->path, "%s", key);
	f->shape = LEAF;
	f->child = -1;
}

json_bool
__wrap_json_object_object_get_ex(const struct json_object *obj, const char *key, struct json_object **value)
{
	int node = node_of(obj);

	if (node >= 0 && node < n_nodes) {
		looked_into[node] = true;
		note_field(node, key);
	}
	return __real_json_object_object_get_ex(obj, key, value);
}

static struct json_object *
build(int node)
{
	struct json_object *obj = json_object_new_object();

	assert_non_null(obj);
	json_object_object_add(obj, MARK, json_object_new_int(node));
	for (int i = 0; i < n_fields; i++) {
		struct field *f = &fields[i];

		if (f->parent != node || f->shape == LEAF)
			continue;
		if (f->shape == OBJECT) {
			json_object_object_add(obj, f->key, build(f->child));
		} else {
			struct json_object *arr = json_object_new_array();

			json_object_array_add(arr, build(f->child));
			json_object_object_add(obj, f->key, arr);
		}
	}
	return obj;
}

/* Loads the probe record as it stands (it never loads: required fields are absent); notes the keys. */
static void
load_probe(void)
{
	struct json_object *rec = build(0);
	const char *path = tu_write("probe.json", json_object_to_json_string(rec));
	struct fw_diag diag;
	struct fw_kb *kb = NULL;

	json_object_put(rec);
	memset(looked_into, 0, sizeof looked_into);
	fw_diag_init(&diag);
	(void)fw_kb_load(&path, 1, NULL, &kb, &diag);
	fw_kb_free(kb);
	fw_diag_clear(&diag);
}

/* Tries field i as an array of one object, then as an object; keeps the first the loader looks into. */
static bool
probe_container(int i)
{
	static const enum shape shapes[] = { ARRAY, OBJECT };

	for (size_t s = 0; s < TU_N(shapes); s++) {
		struct field *f = &fields[i];
		int child = n_nodes;

		assert_true(n_nodes < MAX_NODES);
		snprintf(nodes[child].path, sizeof nodes[child].path, "%s%s", f->path,
			 shapes[s] == ARRAY ? "[]" : "");
		n_nodes++;
		f->shape = shapes[s];
		f->child = child;
		load_probe();
		f = &fields[i];
		if (looked_into[child])
			return true;
		/* Nothing read it: forget the node and whatever was noted on it. */
		f->shape = LEAF;
		f->child = -1;
		n_nodes--;
	}
	return false;
}

static void
discover(void)
{
	bool grew;

	n_nodes = 1;
	nodes[0].path[0] = '\0';
	n_fields = 0;
	load_probe();
	do {
		grew = false;
		for (int i = 0; i < n_fields; i++)
			if (fields[i].shape == LEAF && probe_container(i))
				grew = true;
	} while (grew);
}

static char *
read_page(void)
{
	char *path = tu_fmt("%s/man/fixwatch-kb.5.in", tu_srcdir());
	FILE *f = fopen(path, "r");
	static char text[128 * 1024];
	size_t n;

	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(text, 1, sizeof text - 1, f);
	assert_true(n < sizeof text - 1);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* The page's FIELDS section: from ".SH FIELDS" to the next ".SH" (cut off in place). */
static char *
fields_section(char *text)
{
	char *start = strstr(text, "\n.SH FIELDS\n"), *end;

	if (!start)
		fail_msg("man/fixwatch-kb.5.in has no FIELDS section");
	start++;
	end = strstr(start + 1, "\n.SH ");
	if (end)
		end[1] = '\0';
	return start;
}

static void
test_loader_fields_found(void **state)
{
	bool has_nested = false, has_object = false;

	(void)state;
	discover();
	/* The discovery works: some of what every record has, at each depth. */
	for (int i = 0; i < n_fields; i++) {
		has_nested |= strcmp(fields[i].path, "workarounds[].success_rate") == 0;
		has_object |= strcmp(fields[i].path, "transition_graph.leads_to") == 0;
	}
	assert_true(has_nested);
	assert_true(has_object);
	assert_true(n_fields > 30);
}

static void
test_page_describes_every_field(void **state)
{
	char *section = fields_section(read_page());
	unsigned missing = 0;

	(void)state;
	discover();
	for (int i = 0; i < n_fields; i++) {
		char *tp = tu_fmt("\n.TP\n.B %s\n", fields[i].path);
		char *tq = tu_fmt("\n.TQ\n.B %s\n", fields[i].path);

		if (!strstr(section, tp) && !strstr(section, tq)) {
			print_error("man/fixwatch-kb.5.in does not describe the field %s\n", fields[i].path);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void
test_page_describes_nothing_else(void **state)
{
	char *section = fields_section(read_page());
	unsigned unknown = 0;

	(void)state;
	discover();
	for (char *at = strstr(section, "\n.T"); at; at = strstr(at + 1, "\n.T")) {
		char path[PATH_LEN];
		size_t len;
		bool known = false;

		if (strncmp(at, "\n.TP\n.B ", 8) != 0 && strncmp(at, "\n.TQ\n.B ", 8) != 0)
			continue;
		len = strcspn(at + 8, "\n");
		assert_true(len < sizeof path);
		memcpy(path, at + 8, len);
		path[len] = '\0';
		for (int i = 0; i < n_fields; i++)
			known |= strcmp(fields[i].path, path) == 0;
		if (!known) {
			print_error("man/fixwatch-kb.5.in describes %s, which the loader does not read\n", path);
			unknown++;
		}
	}
	assert_int_equal(unknown, 0);
}

/* The page's EXAMPLE is a record that loads (the page has no roff escapes in it). */
static void
test_page_example_loads(void **state)
{
	char *text = read_page(), *start = strstr(text, "\n.SH EXAMPLE\n.nf\n"), *end;
	const char *path;
	struct fw_kb *kb;

	(void)state;
	assert_non_null(start);
	start += strlen("\n.SH EXAMPLE\n.nf\n");
	end = strstr(start, "\n.fi\n");
	assert_non_null(end);
	end[1] = '\0';
	assert_null(strchr(start, '\\'));
	path = tu_write("example/record.json", start);
	kb = tu_kb_load(&path, 1, false);
	assert_int_equal(kb->n_records, 1);
	assert_int_equal(kb->records[0].examples.n, 1);
	fw_kb_free(kb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_loader_fields_found, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_page_describes_every_field, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_page_describes_nothing_else, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_page_example_loads, tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
