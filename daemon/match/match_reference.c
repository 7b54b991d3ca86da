/*
 * match_reference: the naive engine. Every pattern of every (unmasked)
 * record, in KB order, on every line. Slow by design, obviously correct:
 * the oracle of the differential tests and the benchmark's baseline.
 */
#include "config.h"

#include "match/match_engine.h"

/*
 * It confirms every pattern on its first line anyway: JIT-compiling them
 * here keeps that cost in its compile time, where the benchmark shows it.
 */
static int
reference_compile(struct fw_matcher *m, struct fw_diag *diag)
{
	(void)fw_kb_jit_compile_all(m->kb);
	return 0;
}

static void
reference_destroy(struct fw_matcher *m)
{
}

static void
reference_match(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask)
{
	const struct fw_kb *kb = ctx->m->kb;

	for (uint32_t r = 0; r < kb->n_records; r++) {
		const struct fw_record *rec = &kb->records[r];

		if (!fw_mask_test(mask, r))
			continue;
		for (uint32_t p = rec->first_pattern; p < rec->first_pattern + rec->n_patterns; p++)
			if (fw__match_try(ctx, p, line, len))
				break;
	}
}

const struct fw_match_engine_ops fw__match_reference_ops = {
	.name = "reference",
	.compile = reference_compile,
	.destroy = reference_destroy,
	.match = reference_match,
};
