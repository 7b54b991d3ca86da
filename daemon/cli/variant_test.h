/*
 * variant_test: `fixwatch test`'s check that a record's patterns generalise
 * (data/kb/README.md, "Variants"): every variant of every example
 * (variants.h) must match the record, as the example itself must. A
 * failure names the record, the example, the variant kind and the line, and
 * where the pattern stopped matching (pattern_prefix.h). Records listed in
 * the known-failures file under the rule `variants` are counted, not
 * reported.
 */
#ifndef FW_VARIANT_TEST_H
#define FW_VARIANT_TEST_H

#include <stdbool.h>

#include "cli/known_failures.h"
#include "kb/kb.h"

/* The rule name of variant failures in the known-failures list. */
#define FW_RULE_VARIANTS_NAME "variants"

/* Does line match rec, as `fixwatch test` matches an example? */
typedef bool fw_example_match_fn(void *arg, const struct fw_record *rec, const char *line);

struct fw_variant_test {
	const struct fw_kb *kb;
	fw_example_match_fn *match;
	void *match_arg;
	struct fw_known *known;         /* NULL: no list */
	unsigned variants;              /* lines tried */
	unsigned failed;                /* reported failures (records' variants) */
	unsigned known_records;         /* records whose failures the list holds */
	struct fw_variants *gen;
};

/* 0 or -ENOMEM; t's kb, match, match_arg and known are set by the caller. */
int fw_variant_test_init(struct fw_variant_test *t);
void fw_variant_test_fini(struct fw_variant_test *t);

/* Runs every variant of rec's examples; returns the failures reported. */
unsigned fw_variant_test_record(struct fw_variant_test *t, const struct fw_record *rec);

/*
 * Prints, for a line that does not match rec, which part of each of its
 * patterns stopped matching: "PLACE: ID: WHAT: regex[i] ...".
 */
void fw_variant_explain(const struct fw_kb *kb, const struct fw_record *rec, const char *what,
			const char *line);

#endif
