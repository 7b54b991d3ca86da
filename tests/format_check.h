/*
 * format_check: assertions on a parsed line (input/format.h) shared by the
 * format tests. Include after <cmocka.h>.
 */
#ifndef FW_TESTS_FORMAT_CHECK_H
#define FW_TESTS_FORMAT_CHECK_H

#include <string.h>

#include "input/format.h"

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

#endif
