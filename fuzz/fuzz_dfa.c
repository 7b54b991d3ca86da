/*
 * fuzz_dfa: the DFA's guarantee on fuzzed patterns and lines. Input: a
 * flags byte, the pattern, '\n', then the line (any bytes). For a pattern
 * PCRE2 compiles and the DFA accepts, every line PCRE2 matches (JIT or
 * interpreter, as the flags byte says; the interpreter is the laxer one)
 * must be a DFA hit. Half the inputs use the smallest cache, which is
 * flushed on nearly every new state. Such a line must also hold each
 * single required literal (lit.h) with the bytes fw_dfa_lit_context()
 * says stand around it. PCRE2 runs under a match limit: a line that
 * exceeds it proves nothing and is skipped, so that a backtracking
 * pattern cannot stall the run.
 *
 * The same patterns hold the regex front end (regex_parse.h) to PCRE2's
 * compiler: it must never accept a pattern PCRE2 refuses, nor call one
 * invalid that PCRE2 compiles (-ENOTSUP, "not understood", is always
 * allowed).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "match/dfa.h"
#include "match/lit.h"
#include "match/regex_parse.h"

#define MATCH_LIMIT 200000

/* Whether line[0..len) holds l (its case folded when caseless) with x around it. */
static bool
lit_with_context(const struct fw_lit *l, const struct fw_dfa_ctx *x, const uint8_t *line, size_t len)
{
	for (size_t at = 0; at + l->len <= len; at++) {
		bool ok = true;

		for (size_t i = 0; ok && i < l->len; i++) {
			uint8_t c = line[at + i];

			if (l->caseless && c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + ('a' - 'A'));
			ok = c == l->bytes[i];
		}
		for (uint32_t k = 0; ok && k < x->n_before; k++)
			ok = at > k && fw_rx_bytes_has(&x->before[k], line[at - k - 1]);
		for (uint32_t k = 0; ok && k < x->n_after; k++)
			ok = at + l->len + k < len && fw_rx_bytes_has(&x->after[k], line[at + l->len + k]);
		if (ok)
			return true;
	}
	return false;
}

/* PCRE2 matched: every single required literal stands with its context. */
static void
check_contexts(struct fw_dfa *d, const struct fw_regex *rx, const uint8_t *line, size_t len)
{
	struct fw_lit_info info;

	if (fw_lit_from_tree(rx, &info) < 0)
		abort();
	for (size_t i = 0; i < info.n_required; i++) {
		const struct fw_lit *l = &info.required[i].alts[0];
		struct fw_dfa_ctx x;
		int rc;

		if (info.required[i].n != 1)
			continue;
		rc = fw_dfa_lit_context(d, l->bytes, l->len, l->caseless, &x);
		if (rc < 0)
			abort();
		if (rc == 1 && !lit_with_context(l, &x, line, len))
			abort();        /* PCRE2 matched, the context would have rejected the line */
	}
	fw_lit_info_free(&info);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	unsigned flags;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct fw_dfa *d;
	struct fw_dfa_runner *r;
	struct fw_regex rx;
	size_t plen, llen;
	int err, rc, n;
	PCRE2_SIZE off;
	bool hit = false;

	if (size < 2)
		return 0;
	flags = data[0];
	nl = memchr(data + 1, '\n', size - 1);
	if (!nl)
		return 0;
	plen = (size_t)(nl - (data + 1));
	llen = size - plen - 2;
	if (flags & 1)
		opts |= PCRE2_CASELESS;
	code = pcre2_compile(data + 1, plen, opts, &err, &off, NULL);
	/* One parse, as at KB load: the literal analysis and the DFA read the tree. */
	rc = fw_regex_parse(&rx, (const char *)data + 1, plen, flags & 1);
	if ((rc == 0 && !code) || (rc == -EINVAL && code))
		abort();        /* the front end and PCRE2 disagree on the syntax */
	d = code ? fw_dfa_new() : NULL;
	if (!d || fw_dfa_add(d, &rx) != 0 || fw_dfa_finish(d) != 0) {
		fw_dfa_free(d);
		fw_regex_free(&rx);
		pcre2_code_free(code);
		return 0;
	}
	r = fw_dfa_runner_new(d, flags & 2 ? 1 : 0);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	mctx = pcre2_match_context_create(NULL);
	if (!r || !md || !mctx)
		abort();
	pcre2_set_match_limit(mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, MATCH_LIMIT);
	if ((flags & 4) && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0)
		rc = pcre2_jit_match(code, nl + 1, llen, 0, 0, md, mctx);
	else
		rc = pcre2_match(code, nl + 1, llen, 0, 0, md, mctx);
	if (rc >= 0)
		check_contexts(d, &rx, nl + 1, llen);
	/* Twice: once building the states, once from the cache. */
	for (int pass = 0; pass < 2; pass++) {
		n = fw_dfa_scan(r, nl + 1, llen);
		if (n == FW_DFA_GAVE_UP)
			break;
		hit = n > 0 && fw_dfa_hits(r)[0] == 0;
		if (rc >= 0 && !hit)
			abort();        /* PCRE2 matched, the DFA missed it */
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	fw_dfa_runner_free(r);
	fw_dfa_free(d);
	fw_regex_free(&rx);
	pcre2_code_free(code);
	return 0;
}
