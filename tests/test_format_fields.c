/*
 * test_format_fields: the fields JSON of a parsed line
 * (fw_format_write_fields) and the escaper under it (fw_jbuf_text_to),
 * against the json-c writer the alert path's bytes were pinned to
 * (alert_reference.c), on random bytes: invalid UTF-8, C0 and C1
 * controls, DEL, quotes, backslashes, runs of every length around 16.
 * Each string is escaped with the readable memory around it known (a
 * value inside the line's copy) and not known; the buffers are exactly
 * as large as their content, so a sanitizer build sees any load past
 * them. Fixed seeds: a failure replays.
 */
#include "config.h"

#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert_reference.h"
#include "core/jsonw.h"
#include "input/format.h"
#include "input/format_match.h"

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A byte or a short sequence from a mix weighted toward what logs hold. */
static size_t
random_piece(uint64_t *seed, char *d)
{
	static const char *const seqs[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf",
		"\xf4\x90\x80\x80", "\xc2\x85", "\xef\xbf\xbd", "\\\"", "\r\n",
	};
	unsigned k = (unsigned)(rnd(seed) % 100);

	if (k < 60) {
		d[0] = (char)(0x20 + rnd(seed) % 95);
		return 1;
	}
	if (k < 70) {
		d[0] = "\"\\/:"[rnd(seed) % 4];
		return 1;
	}
	if (k < 80) {
		d[0] = (char)(rnd(seed) % 0x20);
		return 1;
	}
	if (k < 88) {
		d[0] = (char)(0x7f + rnd(seed) % 0x81);
		return 1;
	}
	{
		const char *s = seqs[rnd(seed) % (sizeof seqs / sizeof seqs[0])];

		memcpy(d, s, strlen(s));
		return strlen(s);
	}
}

/* s[0..len) as json-c writes it (the key "k" and its braces taken off). */
static char *
reference(const char *s, size_t len)
{
	json_object *o = json_object_new_object();
	const char *all;
	char *want;

	assert_int_equal(ref_json_add_text(o, "k", s, len), 0);
	all = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	assert_true(strncmp(all, "{\"k\":", 5) == 0);
	want = strdup(all + 5);
	want[strlen(want) - 1] = '\0';
	json_object_put(o);
	return want;
}

/* Every string of a random buffer, at every place and length, written three ways. */
static void
test_escaper_random(void **state)
{
	uint64_t seed = 0x5eed0fe5c4beULL;
	struct fw_jbuf b = { 0 };

	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t cap = 1 + rnd(&seed) % 120, n = 0;
		char *buf = malloc(cap + 4);

		while (n < cap)
			n += random_piece(&seed, buf + n);
		buf = realloc(buf, n);      /* exactly its content: a load past it is seen */
		for (int k = 0; k < 20; k++) {
			size_t at = k ? rnd(&seed) % (n + 1) : 0, len = k ? rnd(&seed) % (n - at + 1) : n;
			char *want = reference(buf + at, len);
			char *o;

			/* whole fw_jbuf_text */
			fw_jbuf_reset(&b);
			fw_jbuf_text(&b, buf + at, len);
			assert_true(fw_jbuf_ok(&b));
			assert_int_equal(b.len, strlen(want));
			assert_memory_equal(b.data, want, b.len);
			/* in place, the whole buffer known readable */
			fw_jbuf_reset(&b);
			o = fw_jbuf_room(&b, FW_JBUF_TEXT_ROOM(len));
			assert_non_null(o);
			fw_jbuf_end(&b, fw_jbuf_text_to(o, buf + at, len, buf, buf + n));
			assert_int_equal(b.len, strlen(want));
			assert_memory_equal(b.data, want, b.len);
			/* in place, only the string known */
			fw_jbuf_reset(&b);
			o = fw_jbuf_room(&b, FW_JBUF_TEXT_ROOM(len));
			fw_jbuf_end(&b, fw_jbuf_text_to(o, buf + at, len, buf + at, buf + at + len));
			assert_int_equal(b.len, strlen(want));
			assert_memory_equal(b.data, want, b.len);
			free(want);
		}
		free(buf);
	}
	fw_jbuf_free(&b);
}

/*
 * Random fields of a line: values in the line's copy (up to its extent)
 * and outside it, names repeated (written once, with the first value),
 * names given as JSON (names_json) or not; the object must be json-c's.
 */
static void
test_fields_random(void **state)
{
	static const char *const names[] = { "date", "time", "c-ip", "x\"q", "b\\s", "cs(User-Agent)",
					     "a-rather-long-field-name-x", "" };
	uint64_t seed = 0xf1e1d5ULL;
	struct fw_jbuf b = { 0 };

	(void)state;
	for (int round = 0; round < 600; round++) {
		struct fw_parsed *pl = calloc(1, sizeof *pl);
		size_t cap = 1 + rnd(&seed) % 300, n = 0, outside_len = 1 + rnd(&seed) % 40, on = 0;
		char *text = malloc(cap + 4), *outside = malloc(outside_len + 4), *nj;
		uint32_t nf = (uint32_t)(rnd(&seed) % 40), at_json[FW_FIELDS_MAX + 1] = { 0 };
		struct fw_jbuf names_json = { 0 };
		json_object *ref = json_object_new_object();
		const char *want;

		while (n < cap)
			n += random_piece(&seed, text + n);
		text = realloc(text, n);
		while (on < outside_len)
			on += random_piece(&seed, outside + on);
		outside = realloc(outside, on);
		pl->text = text;
		pl->len = rnd(&seed) % (n + 1);
		pl->extent = n;
		for (uint32_t i = 0; i < nf; i++) {
			const char *name = names[rnd(&seed) % (sizeof names / sizeof names[0])];
			bool out = rnd(&seed) % 5 == 0;
			size_t from = rnd(&seed) % ((out ? on : n) + 1);
			size_t len = rnd(&seed) % ((out ? on : n) - from + 1);
			const char *v = (out ? outside : text) + from;

			pl->fields[pl->n_fields++] = (struct fw_field){ name, strlen(name), v, len };
			if (!json_object_object_get_ex(ref, name, NULL))
				assert_int_equal(ref_json_add_text(ref, name, v, len), 0);
			fw_jbuf_text(&names_json, name, strlen(name));
			FW_JBUF_LIT(&names_json, ":");
			at_json[i + 1] = (uint32_t)names_json.len;
		}
		/* repeated names known (a W3C header's), or searched for per line */
		pl->dups_known = rnd(&seed) % 2;
		for (uint32_t i = 0; pl->dups_known && i < nf; i++)
			for (uint32_t k = 0; k < i; k++)
				if (strcmp(pl->fields[k].name, pl->fields[i].name) == 0) {
					pl->name_dups |= UINT64_C(1) << i;
					break;
				}
		nj = NULL;
		if (rnd(&seed) % 2) {
			/* as a W3C header gives them: 16 bytes after the names */
			nj = malloc(names_json.len + 16);
			if (names_json.len)
				memcpy(nj, names_json.data, names_json.len);
			memset(nj + names_json.len, 0, 16);
			pl->names_json = nj;
			pl->names_json_at = at_json;
		}
		want = json_object_to_json_string_ext(ref, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		fw_jbuf_reset(&b);
		if (rnd(&seed) % 2)
			FW_JBUF_LIT(&b, "{\"before\":1,\"fields\":");
		{
			size_t start = b.len;

			fw_format_write_fields(&b, pl);
			assert_true(fw_jbuf_ok(&b));
			if (nf == 0) {
				assert_int_equal(b.len - start, 2);
				assert_memory_equal(b.data + start, "{}", 2);
			} else {
				assert_int_equal(b.len - start, strlen(want));
				assert_memory_equal(b.data + start, want, b.len - start);
			}
		}
		json_object_put(ref);
		fw_jbuf_free(&names_json);
		free(nj);
		free(text);
		free(outside);
		free(pl);
	}
	fw_jbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaper_random),
		cmocka_unit_test(test_fields_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
