/*
 * match_pair: the matcher tests' harness: a KB written as JSON Lines and
 * loaded like any other, and a pair of engines (reference and fast) that
 * must return the same result for every line (see match_pair.h).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "match/match_fast.h"
#include "match_pair.h"

void
pair_open_kb(struct pair *p, struct fw_kb *kb)
{
	struct fw_diag d;

	memset(p, 0, sizeof *p);
	p->kb = kb;
	fw_diag_init(&d);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_REFERENCE, &p->ref, &d), 0);
	assert_int_equal(fw_matcher_new(kb, FW_ENGINE_FAST, &p->fast, &d), 0);
	fw_diag_clear(&d);
	p->rc = fw_match_ctx_new(p->ref);
	p->fc = fw_match_ctx_new(p->fast);
	assert_non_null(p->rc);
	assert_non_null(p->fc);
}

void
pair_close(struct pair *p)
{
	fw_match_ctx_free(p->rc);
	fw_match_ctx_free(p->fc);
	fw_matcher_free(p->ref);
	fw_matcher_free(p->fast);
	fw_kb_free(p->kb);
}

static void
print_line(const char *line, size_t len)
{
	for (size_t i = 0; i < len && i < 300; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fprintf(stderr, "%c", c);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "%s\n", len > 300 ? "..." : "");
}

/* Matches one line with both engines and fails on the first difference. */
void
pair_check(struct pair *p, const char *line, size_t len, const uint64_t *mask)
{
	struct fw_match_result r, f;
	const struct fw_kb *kb = p->kb;
	bool same;

	fw_match_line(p->rc, line, len, mask, &r);
	fw_match_line(p->fc, line, len, mask, &f);
	p->lines++;
	p->hits += r.n_hits;
	p->limit_hits += r.limit_errors;
	same = r.n_hits == f.n_hits && r.n_captures == f.n_captures &&
	       f.limit_errors <= r.limit_errors;
	for (uint32_t i = 0; same && i < r.n_hits; i++)
		same = r.hits[i].record == f.hits[i].record && r.hits[i].pattern == f.hits[i].pattern &&
		       r.hits[i].first_capture == f.hits[i].first_capture &&
		       r.hits[i].n_captures == f.hits[i].n_captures;
	for (uint32_t i = 0; same && i < r.n_captures; i++)
		same = r.captures[i].name == f.captures[i].name &&
		       r.captures[i].offset == f.captures[i].offset &&
		       r.captures[i].length == f.captures[i].length;
	if (same)
		return;
	fprintf(stderr, "engines differ on line: ");
	print_line(line, len);
	fprintf(stderr, "reference: %u hits, %u limit errors; fast: %u hits, %u limit errors\n",
		r.n_hits, r.limit_errors, f.n_hits, f.limit_errors);
	for (uint32_t i = 0; i < r.n_hits || i < f.n_hits; i++) {
		char desc[512];

		if (i < r.n_hits)
			fprintf(stderr, "  ref  %s /%s/\n", kb->records[r.hits[i].record].id,
				kb->patterns[r.hits[i].pattern].source);
		if (i < f.n_hits)
			fprintf(stderr, "  fast %s /%s/\n", kb->records[f.hits[i].record].id,
				kb->patterns[f.hits[i].pattern].source);
		if (i < r.n_hits) {
			fw_match_fast_describe(p->fast, r.hits[i].pattern, desc, sizeof desc);
			fprintf(stderr, "  prefilter of the reference's hit: %s\n", desc);
		}
	}
	fail_msg("engines differ");
}

void
pair_check_str(struct pair *p, const char *s)
{
	pair_check(p, s, strlen(s), NULL);
}

/* ---- KBs written as JSON Lines and loaded like any other ------------- */


void
kbw_open(struct kb_writer *w)
{
	snprintf(w->dir, sizeof w->dir, "%s", "tests/tmp-diff-XXXXXX");
	if (!mkdtemp(w->dir)) {
		/* Out-of-tree builds may lack tests/: fall back to TMPDIR. */
		snprintf(w->dir, sizeof w->dir, "%s", "/tmp/fw-diff-XXXXXX");
		assert_non_null(mkdtemp(w->dir));
	}
	snprintf(w->path, sizeof w->path, "%s/kb.jsonl", w->dir);
	w->f = fopen(w->path, "w");
	assert_non_null(w->f);
	w->n = 0;
}

void
kbw_add(struct kb_writer *w, const char *domain, const char *const *regexes, size_t n, bool caseless)
{
	json_object *o = json_object_new_object();
	char id[64];

	snprintf(id, sizeof id, "%s/rec-%u", domain, w->n++);
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "signature", json_object_new_string(id));
	json_object_object_add(o, "regex", json_object_new_string(regexes[0]));
	if (n > 1) {
		json_object *a = json_object_new_array();

		for (size_t i = 1; i < n; i++)
			json_object_array_add(a, json_object_new_string(regexes[i]));
		json_object_object_add(o, "regexes", a);
	}
	if (caseless)
		json_object_object_add(o, "flags", json_object_new_string("i"));
	fprintf(w->f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

bool pair_no_jit;

struct fw_kb *
kbw_load(struct kb_writer *w)
{
	const char *paths[1] = { w->path };
	struct fw_kb_options opts = { .no_jit = pair_no_jit };
	struct fw_kb *kb = NULL;
	struct fw_diag d;
	int rc;

	fclose(w->f);
	fw_diag_init(&d);
	rc = fw_kb_load(paths, 1, &opts, &kb, &d);
	if (rc < 0)
		fw_diag_print(&d, stderr);
	fw_diag_clear(&d);
	assert_int_equal(rc, 0);
	unlink(w->path);
	rmdir(w->dir);
	return kb;
}
