/*
 * test_match_lookup: a triggered pattern's other factors, looked up on the
 * line after the scan, settle it as the reference engine does whichever of
 * them the line already settled: a later factor known absent refutes the
 * pattern before an earlier one is searched for, a factor of several
 * literals is settled by any of them the scan found. Lines hold every
 * combination of the factors (present, absent, only a near miss, cut short
 * at the line's end), for exact, caseless and context-bound literals.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kb/kb.h"
#include "match/match.h"
#include "match_pair.h"

/*
 * Each pattern: a trigger, then three factors in this order. The first
 * and second are looked up on demand (long, rare-looking literals); the
 * third is the trigger of other patterns, so the scan settles it.
 */
static const char *const patterns[] = {
	"Qx7-trigger-one .*lookup-alpha-77 .*(?:red-kiwi|blue-fig) .*Zw9-scanned-two",
	"Qx7-trigger-one .*(?:lookup-beta-88|lookup-gamma-99) .*Zw9-scanned-two",
	"Qx7-trigger-one .*\\blookup-delta-11\\b.*Zw9-scanned-two",
	"Qx7-trigger-one .*\\dlookup-eps-22 .*(?:Zw9-scanned-two|Yv8-scanned-three)",
	"Zw9-scanned-two .*tail-end-x",
	"Yv8-scanned-three .*tail-end-y",
};

static const char *const parts[] = {
	"lookup-alpha-77 ", "red-kiwi ", "blue-fig ", "lookup-beta-88 ", "lookup-gamma-99 ",
	" lookup-delta-11 ", "5lookup-eps-22 ", "Zw9-scanned-two ", "Yv8-scanned-three ",
	"lookup-alpha-7 ", "xlookup-delta-11x ", "lookup-eps-22 ",
};
#define N_PARTS (sizeof parts / sizeof parts[0])

static void
open_kb(struct pair *p, bool caseless)
{
	struct kb_writer w;

	kbw_open(&w);
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		kbw_add(&w, "lookup", &patterns[i], 1, caseless);
	pair_open_kb(p, kbw_load(&w));
}

/* Lines of the trigger and every subset of three parts (in both orders), whole and cut short. */
static void
check_subsets(struct pair *p, bool upper)
{
	char line[512];

	for (size_t a = 0; a < N_PARTS; a++)
		for (size_t b = 0; b < N_PARTS; b++)
			for (size_t c = 0; c <= N_PARTS; c++) {
				int n = snprintf(line, sizeof line, "%s%s%s%s", "Qx7-trigger-one ", parts[a], parts[b],
						 c < N_PARTS ? parts[c] : "");

				assert_true(n > 0 && (size_t)n < sizeof line);
				if (upper)
					for (int i = 0; i < n; i += 3)
						if (line[i] >= 'a' && line[i] <= 'z')
							line[i] = (char)(line[i] - 'a' + 'A');
				for (size_t cut = (size_t)n > 8 ? (size_t)n - 8 : 0; cut <= (size_t)n; cut++)
					pair_check(p, line, cut, NULL);
			}
}

static void
test_factors_in_any_order(void **state)
{
	struct pair p;

	(void)state;
	open_kb(&p, false);
	check_subsets(&p, false);
	/* At the line's very start and end, and the trigger absent. */
	pair_check_str(&p, "Qx7-trigger-one lookup-alpha-77 red-kiwi Zw9-scanned-two");
	pair_check_str(&p, "Qx7-trigger-one Zw9-scanned-two lookup-alpha-77 blue-fig ");
	pair_check_str(&p, "lookup-alpha-77 red-kiwi Zw9-scanned-two");
	assert_true(p.hits > 0);
	pair_close(&p);
}

static void
test_factors_caseless(void **state)
{
	struct pair p;

	(void)state;
	open_kb(&p, true);
	check_subsets(&p, true);
	check_subsets(&p, false);
	assert_true(p.hits > 0);
	pair_close(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_factors_in_any_order),
		cmocka_unit_test(test_factors_caseless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
