/*
 * kb_jit: PCRE2 JIT code for the KB's patterns, compiled on first use.
 *
 * A load decides once whether this process may JIT at all, by
 * JIT-compiling a probe pattern: under MemoryDenyWriteExecute the probe
 * fails as every pattern would, jit_error says why and every pattern is
 * interpreted. Otherwise each pattern stays pending until it first runs
 * (a matcher's confirmation, a field's match: fw_kb_jit_ready()), so that
 * only the patterns a stream uses hold JIT code. A pattern that says
 * (*NO_JIT) is interpreted and affects no other; a pattern whose JIT
 * compile fails is interpreted, and only a failure to get memory for JIT
 * code turns JIT off for the patterns still pending.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/kb_loader.h"

/* Compiled like a KB pattern, so that it needs what they need of the JIT. */
static const char probe_source[] = "fixwatch";

bool
fw__kb_jit_probe(struct kb_loader *ld)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
	char buf[256], why[320];
	size_t jitsize = 0;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	int errcode, rc;

	ld->jit_ok = false;
	if (ld->opts && ld->opts->no_jit)
		return true;
	code = pcre2_compile((PCRE2_SPTR)probe_source, PCRE2_ZERO_TERMINATED, opts, &errcode,
			     &erroff, NULL);
	if (!code)
		return false;
	rc = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	if (rc == 0 && pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0)
		ld->jit_ok = true;
	pcre2_code_free(code);
	if (ld->jit_ok)
		return true;
	/* e.g. MemoryDenyWriteExecute refuses the executable memory JIT needs. */
	if (rc)
		pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "no JIT code was generated");
	snprintf(why, sizeof why, "PCRE2 JIT is not available (%s, error %d): matching without JIT",
		 buf, rc);
	ld->kb->pub.jit_error = fw_arena_strdup(&ld->kb->arena, why, strlen(why));
	return ld->kb->pub.jit_error != NULL;
}

bool
fw__kb_says_no_jit(const char *source)
{
	static const char item[] = "(*NO_JIT)";
	bool widens;
	size_t head = fw_regex_start_options(source, strlen(source), &widens);

	/* The head is a run of whole (*NAME) items: a match in it is one of them. */
	for (size_t i = 0; i + sizeof item - 1 <= head; i++)
		if (memcmp(source + i, item, sizeof item - 1) == 0)
			return true;
	return false;
}

bool
fw__kb_jit_init(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t n = kb->pub.n_patterns;

	kb->pub.jit = ld->jit_ok;
	kb->pub.jit_state = malloc(n ? n : 1);
	if (!kb->pub.jit_state)
		return false;
	for (uint32_t i = 0; i < n; i++)
		kb->pub.jit_state[i] = ld->jit_ok && !kb->patterns[i].no_jit ? FW_JIT_PENDING
									    : FW_JIT_OFF;
	return true;
}

enum fw_jit_state
fw_kb_pattern_jit(const struct fw_kb *kb, uint32_t p)
{
	uint8_t *state = kb->jit_state;
	size_t jitsize = 0;
	int rc;

	if (state[p] != FW_JIT_PENDING)
		return (enum fw_jit_state)state[p];
	rc = pcre2_jit_compile(kb->patterns[p].code, PCRE2_JIT_COMPLETE);
	if (rc == 0 &&
	    pcre2_pattern_info(kb->patterns[p].code, PCRE2_INFO_JITSIZE, &jitsize) == 0 && jitsize > 0) {
		state[p] = FW_JIT_ON;
	} else if (rc == 0) {
		/* Success without code: a (*NO_JIT) the load did not see. */
		state[p] = FW_JIT_OFF;
	} else {
		state[p] = FW_JIT_FAILED;
		/* One pattern that cannot JIT (e.g. too complex) does not turn JIT
		 * off for the others; no executable memory at all does. */
		if (rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_JIT_BADOPTION) {
			kb->priv->jit_off_error = rc;
			for (uint32_t i = 0; i < kb->n_patterns; i++)
				if (state[i] == FW_JIT_PENDING)
					state[i] = FW_JIT_OFF;
		}
	}
	return (enum fw_jit_state)state[p];
}

bool
fw_kb_jit_on(const struct fw_kb *kb)
{
	return kb->jit && !kb->priv->jit_off_error;
}

uint32_t
fw_kb_jit_compile_all(const struct fw_kb *kb)
{
	uint32_t failed = 0;

	for (uint32_t p = 0; p < kb->n_patterns; p++)
		failed += fw_kb_pattern_jit(kb, p) == FW_JIT_FAILED;
	return failed;
}

void
fw_kb_jit_stats(const struct fw_kb *kb, struct fw_kb_jit_stats *out)
{
	memset(out, 0, sizeof *out);
	out->off_error = kb->priv->jit_off_error;
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		size_t jitsize = 0;

		switch ((enum fw_jit_state)kb->jit_state[p]) {
		case FW_JIT_PENDING:
			out->pending++;
			break;
		case FW_JIT_ON:
			out->compiled++;
			if (pcre2_pattern_info(kb->patterns[p].code, PCRE2_INFO_JITSIZE, &jitsize) == 0)
				out->code_bytes += jitsize;
			break;
		case FW_JIT_OFF:
			out->interpreted++;
			break;
		case FW_JIT_FAILED:
			out->failed++;
			break;
		}
	}
}
