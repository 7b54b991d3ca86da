/*
 * variant_test: runs the variants of a record's examples through the same
 * matching as the examples (variant_test.h) and explains failures with the
 * longest matching prefix of each pattern.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/pattern_prefix.h"
#include "cli/variant_test.h"
#include "cli/variants.h"

int
fw_variant_test_init(struct fw_variant_test *t)
{
	t->variants = t->failed = t->known_records = 0;
	return fw_variants_new(&t->gen);
}

void
fw_variant_test_fini(struct fw_variant_test *t)
{
	fw_variants_free(t->gen);
	t->gen = NULL;
}

static void
place(const struct fw_record *rec)
{
	if (rec->line)
		printf("%s:%u: %s: ", rec->path, rec->line, rec->id);
	else
		printf("%s: %s: ", rec->path, rec->id);
}

/* Up to max bytes of s, cut on a UTF-8 character boundary, "..." when cut. */
static void
print_snippet(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	printf("\"%.*s%s\"", (int)n, s, n < strlen(s) ? "..." : "");
}

void
fw_variant_explain(const struct fw_kb *kb, const struct fw_record *rec, const char *what, const char *line)
{
	for (uint32_t i = 0; i < rec->n_patterns; i++) {
		const struct fw_pattern *p = &kb->patterns[rec->first_pattern + i];
		struct fw_prefix_result r;
		uint32_t options = 0;

		pcre2_pattern_info(p->code, PCRE2_INFO_ARGOPTIONS, &options);
		if (fw_pattern_prefix(p->source, options, line, strlen(line), &r) < 0)
			return;
		place(rec);
		printf("%s: pattern %u ", what, i);
		if (!r.matched) {
			printf("matches nothing from its start: ");
			print_snippet(p->source, 40);
		} else if (r.pattern_len == strlen(p->source)) {
			printf("matches the line: the record's logs or field leave this kind of line out");
		} else {
			printf("stops matching at offset %zu, ", r.pattern_len);
			print_snippet(p->source + r.pattern_len, 40);
			printf(", after matching the line up to ");
			print_snippet(line + r.line_end, 40);
		}
		printf("\n");
	}
}

struct one_example {
	struct fw_variant_test *t;
	const struct fw_record *rec;
	uint32_t example;
	unsigned failed;
	bool known;
};

static void
try_variant(void *arg, enum fw_variant_kind kind, const char *line)
{
	struct one_example *e = arg;
	char what[96];

	e->t->variants++;
	if (e->t->match(e->t->match_arg, e->rec, line))
		return;
	e->failed++;
	if (e->known)
		return;
	place(e->rec);
	printf("example %u, variant %s: %s\n", e->example, fw_variant_name(kind), line);
	snprintf(what, sizeof what, "example %u, variant %s", e->example, fw_variant_name(kind));
	fw_variant_explain(e->t->kb, e->rec, what, line);
}

unsigned
fw_variant_test_record(struct fw_variant_test *t, const struct fw_record *rec)
{
	struct one_example e = { t, rec, 0, 0, false };

	/* A listed record is marked seen only when a variant still fails. */
	e.known = fw_known_has(t->known, rec->id, FW_RULE_VARIANTS_NAME);
	for (e.example = 0; e.example < rec->examples.n; e.example++)
		if (fw_variants_each(t->gen, t->kb, rec, rec->examples.items[e.example], try_variant, &e) < 0) {
			place(rec);
			printf("examples[%u]: out of memory making variants\n", e.example);
			e.failed++;
		}
	if (e.known && e.failed) {
		fw_known_take(t->known, rec->id, FW_RULE_VARIANTS_NAME);
		t->known_records++;
		return 0;
	}
	t->failed += e.failed;
	return e.failed;
}
