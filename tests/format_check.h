/*
 * format_check: assertions on a parsed line (input/format.h) shared by the
 * format tests. Include after <cmocka.h>.
 */
#ifndef FW_TESTS_FORMAT_CHECK_H
#define FW_TESTS_FORMAT_CHECK_H

#include <stdbool.h>
#include <string.h>

#include "core/jsonw.h"
#include "input/format.h"
#include "input/format_match.h"

/* The field name has exactly value, and the value lies in the parser's buffer. */
static inline void
field_is(const struct fw_parsed *p, const char *name, const char *value)
{
	const struct fw_field *f = fw_parsed_field(p, name, strlen(name));

	if (!f)
		fail_msg("no field '%s'", name);
	if (f->value_len != strlen(value) || memcmp(f->value, value, f->value_len) != 0)
		fail_msg("field '%s' is '%.*s', expected '%s'", name, (int)f->value_len, f->value, value);
	assert_true(f->value >= p->text && f->value + f->value_len <= p->text + p->extent);
}

static inline void
no_field(const struct fw_parsed *p, const char *name)
{
	assert_null(fw_parsed_field(p, name, strlen(name)));
}

/* The text to match is exactly want. */
static inline void
text_is(const struct fw_parsed *p, const char *want)
{
	if (p->len != strlen(want) || memcmp(p->text, want, p->len) != 0)
		fail_msg("text is '%.*s', expected '%s'", (int)p->len, p->text, want);
}

/*
 * The fields JSON of p is exactly want, and the per-line search for names
 * seen before (dups_known off) writes the same bytes; names_once: p's
 * names were found once for its list (dups_known, names_json).
 */
static inline void
fields_json_is(bool names_once, const struct fw_parsed *p, const char *want)
{
	struct fw_jbuf a = { 0 }, b = { 0 };
	struct fw_parsed q = *p;

	if (names_once) {
		assert_true(p->dups_known);
		assert_non_null(p->names_json);
	}
	fw_format_write_fields(&a, p);
	q.dups_known = false;
	q.names_json = NULL;
	fw_format_write_fields(&b, &q);
	assert_true(fw_jbuf_ok(&a) && fw_jbuf_ok(&b));
	assert_int_equal(a.len, strlen(want));
	assert_memory_equal(a.data, want, a.len);
	assert_int_equal(b.len, a.len);
	assert_memory_equal(b.data, a.data, a.len);
	fw_jbuf_free(&a);
	fw_jbuf_free(&b);
}

#endif
