/*
 * fuzz_dfa: the DFA's guarantee on fuzzed patterns and lines. Input: a
 * flags byte, the pattern, '\n', then the line (any bytes). For a pattern
 * PCRE2 compiles and the DFA accepts, every line PCRE2 matches (JIT or
 * interpreter, as the flags byte says; the interpreter is the laxer one)
 * must be a DFA hit. Half the inputs use the smallest cache, which is
 * flushed on nearly every new state.
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
#include "match/match.h"
#include "match/regex_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	unsigned flags;
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	pcre2_code *code;
	pcre2_match_data *md;
	struct fw_dfa *d;
	struct fw_dfa_runner *r;
	static pcre2_match_context *mctx;
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
	rc = fw_regex_parse(&rx, (const char *)data + 1, plen, flags & 1);
	fw_regex_free(&rx);
	if ((rc == 0 && !code) || (rc == -EINVAL && code))
		abort();        /* the front end and PCRE2 disagree on the syntax */
	if (!code)
		return 0;
	d = fw_dfa_new();
	if (!d || fw_dfa_add(d, (const char *)data + 1, plen, flags & 1) != 0 || fw_dfa_finish(d) != 0) {
		fw_dfa_free(d);
		pcre2_code_free(code);
		return 0;
	}
	r = fw_dfa_runner_new(d, flags & 2 ? 1 : 0);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (!r || !md)
		abort();
	/* The matcher's own limits: a pattern that backtracks without end is a no-match there too. */
	if (!mctx) {
		mctx = pcre2_match_context_create(NULL);
		if (!mctx)
			abort();
		pcre2_set_match_limit(mctx, FW_MATCH_LIMIT);
		pcre2_set_depth_limit(mctx, FW_DEPTH_LIMIT);
	}
	if ((flags & 4) && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0)
		rc = pcre2_jit_match(code, nl + 1, llen, 0, 0, md, mctx);
	else
		rc = pcre2_match(code, nl + 1, llen, 0, 0, md, mctx);
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
	fw_dfa_runner_free(r);
	fw_dfa_free(d);
	pcre2_code_free(code);
	return 0;
}
