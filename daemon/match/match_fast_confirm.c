/*
 * match_fast_confirm: cheaper PCRE2 confirmations where JIT is not used.
 *
 * Without JIT (MemoryDenyWriteExecute, or a pattern's own (*NO_JIT)) every
 * candidate costs a pcre2_match() of a code compiled with PCRE2_UTF and
 * PCRE2_MATCH_INVALID_UTF. That mode makes pcre2_match() validate the
 * subject on every call, whatever the options, and the interpreter then
 * steps through the line character by character. Log lines are nearly
 * always plain ASCII, where a code compiled without UTF matches the same
 * way: one byte is one character, the patterns' classes and escapes (\w
 * \d \s \b, POSIX classes, \p) give the same answer for every ASCII byte,
 * and an ASCII pattern has no character whose case partner is ASCII only
 * under Unicode folding (U+212A KELVIN SIGN, U+017F LONG S). So each
 * interpreted pattern whose source is ASCII gets a second code, compiled
 * without UTF, that the fast engine runs on ASCII lines instead.
 *
 * A pattern whose byte-mode compilation fails (an escape above \xff, a
 * \N{U+...}) keeps its own code. A line with any byte >= 0x80 always runs
 * the pattern's own code, which is where UTF and invalid UTF-8 matter.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_int.h"

/*
 * Whether the pattern is matched by the interpreter, so that the second
 * code pays: the process may not JIT, or the pattern says (*NO_JIT). (One
 * whose JIT compile fails when first confirmed keeps its own code.)
 */
static bool
interpreted(const struct fw_kb *kb, const struct fw_pattern *pat)
{
	return pat->no_jit || !kb->jit;
}

static bool
ascii_source(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

int
fw__fast_ascii_build(struct fast *f, const struct fw_kb *kb)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < kb->n_patterns; p++)
		n += interpreted(kb, &kb->patterns[p]);
	if (!n)
		return 0;
	f->ascii_code = calloc(kb->n_patterns, sizeof *f->ascii_code);
	if (!f->ascii_code)
		return -ENOMEM;
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];
		uint32_t opts = PCRE2_NEVER_BACKSLASH_C | (pat->caseless ? PCRE2_CASELESS : 0);
		PCRE2_SIZE erroff;
		int err;

		if (!interpreted(kb, pat) || !ascii_source(pat->source))
			continue;
		/* A failure leaves NULL: the pattern's own code serves every line. */
		f->ascii_code[p] = pcre2_compile((PCRE2_SPTR)pat->source, PCRE2_ZERO_TERMINATED, opts, &err,
						 &erroff, NULL);
	}
	return 0;
}

void
fw__fast_ascii_free(struct fast *f)
{
	if (!f->ascii_code)
		return;
	for (uint32_t p = 0; p < f->n_patterns; p++)
		pcre2_code_free(f->ascii_code[p]);
	free(f->ascii_code);
	f->ascii_code = NULL;
}

bool
fw__fast_line_ascii(const unsigned char *line, size_t len)
{
	uint64_t any = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, line + i, sizeof w);
		any |= w;
	}
	for (; i < len; i++)
		any |= line[i];
	return !(any & 0x8080808080808080u);
}

uint32_t
fw_match_fast_ascii_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->ascii_code && p < f->n_patterns; p++)
		n += f->ascii_code[p] != NULL;
	return n;
}
