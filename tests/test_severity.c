/*
 * test_severity: the one table of syslog severity and facility names.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/severity.h"

static void
test_keywords(void **state)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice",
					     "info", "debug" };

	(void)state;
	for (int i = 0; i < FW_SEVERITY_COUNT; i++) {
		assert_string_equal(fw_severity_name(i), names[i]);
		assert_int_equal(fw_severity_parse(names[i]), i);
		assert_int_equal(fw_severity_from_word(names[i], strlen(names[i])), i);
		assert_string_equal(fw_severity_levels[i], names[i]);
	}
	assert_null(fw_severity_keywords[FW_SEVERITY_COUNT]);
	assert_string_equal(fw_severity_levels[FW_SEVERITY_COUNT], "none");
	assert_null(fw_severity_levels[FW_SEVERITY_COUNT + 1]);
	assert_null(fw_severity_name(FW_SEVERITY_NONE));
	assert_null(fw_severity_name(FW_SEVERITY_COUNT));
	/* Only the exact keyword is a record's or a key's value. */
	assert_int_equal(fw_severity_parse("error"), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_parse("ERR"), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_parse("none"), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_parse(NULL), FW_SEVERITY_NONE);
}

/* Logs spell some levels differently (nginx's "error" and "warn"). */
static void
test_words(void **state)
{
	(void)state;
	assert_int_equal(fw_severity_from_word("error", 5), 3);
	assert_int_equal(fw_severity_from_word("warn", 4), 4);
	assert_int_equal(fw_severity_from_word("panic", 5), 0);
	assert_int_equal(fw_severity_from_word("critical", 8), 2);
	assert_int_equal(fw_severity_from_word("emergency", 9), 0);
	/* Length-bounded: a prefix or a longer word is not the level. */
	assert_int_equal(fw_severity_from_word("errors", 6), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("error]", 5), 3);
	assert_int_equal(fw_severity_from_word("er", 2), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("", 0), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("none", 4), FW_SEVERITY_NONE);
	/* Exact bytes: a word of a level's length that is not the level, or in capitals. */
	assert_int_equal(fw_severity_from_word("alarm", 5), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("Error", 5), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("warnings", 8), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("emergenc", 8), FW_SEVERITY_NONE);
	assert_int_equal(fw_severity_from_word("xyz", 3), FW_SEVERITY_NONE);
}

/* A word of the table is its own severity, else none. */
static int
table_severity(const char *word, size_t len)
{
	for (int i = 0; i < FW_SEVERITY_COUNT; i++)
		if (strlen(fw_severity_keywords[i]) == len && memcmp(word, fw_severity_keywords[i], len) == 0)
			return i;
	for (size_t i = 0; fw_severity_aliases[i].word; i++)
		if (strlen(fw_severity_aliases[i].word) == len &&
		    memcmp(word, fw_severity_aliases[i].word, len) == 0)
			return fw_severity_aliases[i].severity;
	return FW_SEVERITY_NONE;
}

/*
 * Every keyword and alias is found, and every word of the same length one
 * byte away from it (each byte replaced, or in capitals), every prefix and
 * every one-byte extension are not, unless they too are in the table.
 */
static void
test_every_word(void **state)
{
	const char *words[FW_SEVERITY_COUNT + 16];
	int want[FW_SEVERITY_COUNT + 16];
	size_t n = 0, tried = 0;

	(void)state;
	for (int i = 0; i < FW_SEVERITY_COUNT; i++) {
		words[n] = fw_severity_keywords[i];
		want[n++] = i;
	}
	for (size_t i = 0; fw_severity_aliases[i].word; i++) {
		assert_true(n < sizeof words / sizeof words[0]);
		assert_int_equal(fw_severity_parse(fw_severity_aliases[i].word), FW_SEVERITY_NONE);
		words[n] = fw_severity_aliases[i].word;
		want[n++] = fw_severity_aliases[i].severity;
	}
	assert_int_equal(n, FW_SEVERITY_COUNT + 5);
	for (size_t w = 0; w < n; w++) {
		char buf[32];
		size_t len = strlen(words[w]);

		assert_true(len + 1 < sizeof buf);
		assert_int_equal(fw_severity_from_word(words[w], len), want[w]);
		for (size_t at = 0; at < len; at++) {
			static const char subst[] = { 'x', 'a', 'e', 'r', '\0' };

			for (size_t k = 0; k < sizeof subst; k++) {
				memcpy(buf, words[w], len);
				buf[at] = subst[k];
				assert_int_equal(fw_severity_from_word(buf, len), table_severity(buf, len));
				tried++;
			}
			memcpy(buf, words[w], len);
			buf[at] = (char)(buf[at] - 'a' + 'A');
			assert_int_equal(fw_severity_from_word(buf, len), FW_SEVERITY_NONE);
			assert_int_equal(fw_severity_from_word(words[w], at), table_severity(words[w], at));
		}
		memcpy(buf, words[w], len);
		buf[len] = 's';
		assert_int_equal(fw_severity_from_word(buf, len + 1), table_severity(buf, len + 1));
	}
	/* Not vacuous: some of the prefixes are words themselves. */
	assert_true(tried > 200);
	assert_int_equal(fw_severity_from_word("warning", 4), 4);
	assert_int_equal(fw_severity_from_word("emergency", 5), 0);
}

/* RFC 5424 table 1: glibc's names map to their codes; 12..15 have none. */
static void
test_facilities(void **state)
{
	static const struct { const char *name; int code; } want[] = {
		{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 }, { "auth", 4 },
		{ "syslog", 5 }, { "lpr", 6 }, { "news", 7 }, { "uucp", 8 }, { "cron", 9 },
		{ "authpriv", 10 }, { "ftp", 11 }, { "local0", 16 }, { "local1", 17 },
		{ "local2", 18 }, { "local3", 19 }, { "local4", 20 }, { "local5", 21 },
		{ "local6", 22 }, { "local7", 23 },
	};
	size_t n = 0;

	(void)state;
	while (fw_facility_names[n])
		n++;
	assert_int_equal(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(fw_facility_names[i], want[i].name);
		assert_int_equal(fw_facility_code((int)i), want[i].code);
	}
	assert_int_equal(fw_facility_code(3), FW_FACILITY_DAEMON);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keywords),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_every_word),
		cmocka_unit_test(test_facilities),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
