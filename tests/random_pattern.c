/*
 * random_pattern: see random_pattern.h.
 */
#include "config.h"

#include <stdio.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "random_pattern.h"

static const char *
pick(struct xorshift *x, const char *const *arr, uint32_t n)
{
	return arr[xorshift_below(x, n)];
}

/* Appends s to buf[0..n), as much as fits. */
static void
append(char *buf, size_t cap, size_t *n, const char *s)
{
	if (*n < cap - 1)
		*n += (size_t)snprintf(buf + *n, cap - *n, "%s", s);
	if (*n > cap - 1)
		*n = cap - 1;
}

void
random_pattern(struct xorshift *x, const struct random_vocab *v, char *buf, size_t cap)
{
	size_t n = 0;
	int parts;
	bool no_literal;

	buf[0] = '\0';
	if (v->n_heads) {
		uint32_t h = xorshift_below(x, 5 * v->n_heads);

		if (h < v->n_heads)
			append(buf, cap, &n, v->heads[h]);
	}
	parts = 1 + (int)xorshift_below(x, 5);
	no_literal = xorshift_below(x, 12) == 0;
	for (int i = 0; i < parts && n < cap - 1; i++) {
		if (no_literal)
			append(buf, cap, &n, pick(x, v->pieces, v->n_pieces));
		else if (i % 2 == 0 || xorshift_below(x, 4) == 0)
			append(buf, cap, &n, pick(x, v->words, v->n_words));
		else
			append(buf, cap, &n, pick(x, v->pieces, v->n_pieces));
		if (xorshift_below(x, 6) == 0)
			append(buf, cap, &n, xorshift_below(x, 2) ? "?" : "+");
	}
	if (xorshift_below(x, 8) == 0) {
		append(buf, cap, &n, "|");
		append(buf, cap, &n, pick(x, v->words, v->n_words));
	}
}

bool
random_pattern_compiles(const char *pat, bool caseless)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C |
			(caseless ? PCRE2_CASELESS : 0);
	PCRE2_SIZE off;
	int err;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);

	pcre2_code_free(c);
	return c != NULL;
}
