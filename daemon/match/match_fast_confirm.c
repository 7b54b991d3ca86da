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
 *
 * On such a line the interpreter also pays for every place it tries to
 * start a match at, and a pattern that fails (or begins with a run such as
 * "(?<unit>[^\s:]+): ") is tried at every byte. When the syntax tree shows
 * where every match must start relative to an exact literal of the
 * pattern, the confirmation tries only those places, anchored, in order:
 *  - after a prefix of a fixed number of bytes (literals, classes, ".",
 *    \b, fixed repeats), `before` bytes ahead of each place of the
 *    literal that follows it;
 *  - after a prefix that is one unbounded repeat of a class or "." (in a
 *    group or not), at the start of the maximal run of its bytes that
 *    ends at a place of the literal. A match from inside such a run
 *    implies one from its start, which PCRE2 would have found first: the
 *    repeat from there can end wherever it could from inside. That needs
 *    a pattern whose rest cannot depend on where the run began: no
 *    backreference anywhere, nothing before the run.
 * Every leftmost match PCRE2 finds from offset 0 starts at one of those
 * places, so the first anchored try that matches finds it, with the same
 * captures. \G (relative to the start offset), backreferences,
 * start-of-pattern options and the verbs and recursion the front end does
 * not read rule a pattern out; lookbehind and \b look before the start
 * offset as they would without it. A line without the literal cannot
 * match: no call at all. More places than FP_STARTS_MAX make one search
 * from the first.
 *
 * The match limit: a search from offset 0 also spends calls at the places
 * skipped, and must not have run out of FW_MATCH_LIMIT where the tries
 * found a match. So the tries get a limit of their own, such that the
 * skipped places' calls (bounded from the prefix's size, the line's length
 * and, inside a run after a failed try, that try's limit) and the tries'
 * together stay below FW_MATCH_LIMIT; where that cannot hold the line is
 * searched from 0, and a try that runs out hands the line to the
 * pattern's own code.
 *
 * Where the tries are anchored and their limit allows, a walk of the
 * pattern's syntax tree answers them first, captures included, without
 * PCRE2 (match_fast_walk.c); where it cannot tell, the rules above apply.
 * A context that takes captures later decides with its cut patterns
 * instead (match_decide.c).
 *
 * This file holds the byte-mode codes, each pattern's setup and the rules'
 * use on each line; the rules themselves (start places, lazy runs, literal
 * heads, branch literals) are read from the syntax tree in
 * match_fast_rewrite.c.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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


/* Below this limit the lazy code would too often run out and hand the line on: not worth trying. */
#define LAZY_LIMIT_MIN 256


/* Whether some branch of r has all its literals in the line. */
static bool
need_met(const struct fp_need *r, const unsigned char *line, size_t len)
{
	for (uint32_t b = 0; b < r->n_branches; b++) {
		uint32_t i = r->first[b];

		while (i < r->first[b + 1] && memmem(line, len, r->lits[i], r->lens[i]))
			i++;
		if (i == r->first[b + 1])
			return true;
	}
	return false;
}

int
fw__fast_confirm_alloc(struct fast *f, const struct fw_kb *kb)
{
	uint32_t n = 0;

	for (uint32_t p = 0; p < kb->n_patterns; p++)
		n += interpreted(kb, &kb->patterns[p]);
	if (!n)
		return 0;
	f->ascii_code = calloc(kb->n_patterns, sizeof *f->ascii_code);
	f->starts = calloc(kb->n_patterns, sizeof *f->starts);
	f->lazy = calloc(kb->n_patterns, sizeof *f->lazy);
	f->split = calloc(kb->n_patterns, sizeof *f->split);
	f->need_lits = calloc(kb->n_patterns, sizeof *f->need_lits);
	f->walk = calloc(kb->n_patterns, sizeof *f->walk);
	return f->ascii_code && f->starts && f->lazy && f->split && f->need_lits && f->walk ? 0 : -ENOMEM;
}

bool
fw__fast_confirm_wants(const struct fast *f, const struct fw_kb *kb, uint32_t p)
{
	return f->ascii_code && interpreted(kb, &kb->patterns[p]) && ascii_source(kb->patterns[p].source);
}

int
fw__fast_confirm_pattern(struct fast *f, const struct fw_kb *kb, uint32_t p, const struct fw_regex *rx)
{
	const struct fw_pattern *pat = &kb->patterns[p];
	uint32_t opts = PCRE2_NEVER_BACKSLASH_C | (pat->caseless ? PCRE2_CASELESS : 0);
	const struct fp_starts *canon;
	const struct fp_lazy *lazy;
	PCRE2_SIZE erroff;
	int err, rc;

	if (!fw__fast_confirm_wants(f, kb, p))
		return 0;       /* f->starts may be NULL */
	canon = &f->starts[f->canon[p]];
	lazy = &f->lazy[f->canon[p]];
	/* A failure leaves NULL: the pattern's own code serves every line. */
	f->ascii_code[p] = pcre2_compile((PCRE2_SPTR)pat->source, PCRE2_ZERO_TERMINATED, opts, &err, &erroff,
					 NULL);
	if (!f->ascii_code[p])
		return 0;
	if (rx) {
		rc = fw__fast_start_rule(pat, rx, &f->starts[p]);
		if (rc == 0)
			rc = fw__fast_lazy_rule(pat, rx, opts, &f->lazy[p]);
		if (rc == 0)
			rc = fw__fast_need_rule(rx, &f->need_lits[p]);
		if (rc == 0)
			rc = fw__fast_walk_rule(pat->source, rx, f->ascii_code[p], &f->walk[p]);
		return rc < 0 ? rc : fw__fast_split_rule(pat, rx, &f->starts[p], opts, &f->split[p]);
	}
	/* An equal pattern's follower: its leader's rules, from the same source. */
	if (lazy->code) {
		f->lazy[p].source = strdup(lazy->source);
		f->lazy[p].lit = malloc(lazy->lit_len);
		if (!f->lazy[p].source || !f->lazy[p].lit)
			return -ENOMEM;
		memcpy(f->lazy[p].lit, lazy->lit, lazy->lit_len);
		f->lazy[p].lit_len = lazy->lit_len;
		fw__fast_lazy_compile(&f->lazy[p], opts);
	}
	if (!canon->lit)
		return 0;
	f->starts[p] = *canon;
	f->starts[p].lit = malloc(canon->lit_len);
	if (!f->starts[p].lit)
		return -ENOMEM;
	memcpy(f->starts[p].lit, canon->lit, canon->lit_len);
	return 0;
}

void
fw__fast_ascii_free(struct fast *f)
{
	for (uint32_t p = 0; f->ascii_code && p < f->n_patterns; p++)
		pcre2_code_free(f->ascii_code[p]);
	for (uint32_t p = 0; f->starts && p < f->n_patterns; p++)
		free(f->starts[p].lit);
	for (uint32_t p = 0; f->lazy && p < f->n_patterns; p++) {
		pcre2_code_free(f->lazy[p].code);
		free(f->lazy[p].source);
		free(f->lazy[p].lit);
	}
	for (uint32_t p = 0; f->split && p < f->n_patterns; p++) {
		pcre2_code_free(f->split[p].code);
		free(f->split[p].lit);
	}
	free(f->split);
	f->split = NULL;
	for (uint32_t p = 0; f->need_lits && p < f->n_patterns; p++) {
		struct fp_need *r = &f->need_lits[p];

		for (uint32_t i = 0; r->first && i < r->first[r->n_branches]; i++)
			free(r->lits[i]);
		free(r->first);
		free(r->lits);
		free(r->lens);
	}
	free(f->need_lits);
	f->need_lits = NULL;
	for (uint32_t p = 0; f->walk && p < f->n_patterns; p++)
		fw__fast_walk_free(&f->walk[p]);
	free(f->walk);
	f->walk = NULL;
	free(f->ascii_code);
	free(f->starts);
	free(f->lazy);
	f->ascii_code = NULL;
	f->starts = NULL;
	f->lazy = NULL;
}

/*
 * The places where a match can start under rule r, ascending, into out
 * (FP_STARTS_MAX); *many when there are more. Every place of the literal
 * is looked at once, and every byte of a run walked back over once.
 */
static uint32_t
find_starts(const struct fp_starts *r, const unsigned char *line, size_t len, uint32_t *out, bool *many)
{
	const unsigned char *q = line, *end;
	size_t last = 0, last_from = 0;
	bool seen = false;
	uint32_t n = 0;

	if (r->lit_len > len)
		return 0;
	end = line + len - r->lit_len + 1;
	while (q < end && (q = memchr(q, r->lit[0], (size_t)(end - q)))) {
		size_t x = (size_t)(q - line), from;

		q++;
		if (memcmp(line + x, r->lit, r->lit_len) != 0)
			continue;
		if (!r->run) {
			if (x < r->before)
				continue;
			from = x - r->before;
		} else {
			/* Back to where the run of set bytes ending here begins. */
			from = x;
			while (from > (seen ? last : 0) && fw_rx_bytes_has(&r->set, line[from - 1]))
				from--;
			if (seen && from == last)
				from = last_from;       /* the same run as the last place's */
			last = x;
			last_from = from;
			seen = true;
			if (x - from < r->before)
				continue;
		}
		if (n && out[n - 1] == from)
			continue;
		if (n == FP_STARTS_MAX) {
			*many = true;
			return n;
		}
		out[n++] = (uint32_t)from;
	}
	return n;
}

static bool
line_ascii(const unsigned char *line, size_t len)
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

/*
 * The match limit of each of n tries under rule r on a line of len bytes,
 * or 0 when the line is too long to bound the calls a search from 0 spends
 * at the places skipped. Fixed prefix: each skipped place costs at most
 * r->cost. Run: a skipped place in a run no try started costs at most
 * r->cost and the run's length; in the run of a failed try, at most what
 * that try could cost (its limit) and r->cost.
 */
static uint32_t
tries_limit(const struct fp_starts *r, size_t len, uint32_t n)
{
	uint64_t l = len, skipped, each;

	if (len > FW_MATCH_LIMIT)
		return 0;
	if (!r->run) {
		skipped = l * r->cost;
		if (skipped >= FW_MATCH_LIMIT / 2)
			return 0;
		return (uint32_t)((FW_MATCH_LIMIT - skipped) / n);
	}
	each = FW_MATCH_LIMIT / (4 * l + 4);
	skipped = l * l / 2 + 2 * l * r->cost + l * (each + r->cost);
	if (each < 64 || skipped + n * each >= FW_MATCH_LIMIT)
		return 0;
	return (uint32_t)each;
}

/* How many times (0, 1 or 2 for more) lit stands in the line. */
static unsigned
places(const unsigned char *lit, uint32_t lit_len, const unsigned char *line, size_t len)
{
	const unsigned char *q = memmem(line, len, lit, lit_len);

	if (!q)
		return 0;
	q++;
	return memmem(q, len - (size_t)(q - line), lit, lit_len) ? 2 : 1;
}

/*
 * Switches how to r's lazy code where the line allows it, within the
 * limit that bounds what the pattern's own code would spend. false: the
 * line cannot match (no place of the literal).
 */
static bool
lazy_way(const struct fp_lazy *r, const unsigned char *line, size_t len, struct fw_match_how *how)
{
	unsigned n = places(r->lit, r->lit_len, line, len);
	uint64_t limit;

	if (n == 0)
		return false;
	if (n > 1 || len > FW_MATCH_LIMIT)
		return true;
	limit = (how->starts ? how->match_limit : FW_MATCH_LIMIT) / ((uint64_t)len + 3);
	if (limit < LAZY_LIMIT_MIN)
		return true;
	how->code = r->code;
	how->match_limit = (uint32_t)limit;
	return true;
}

/*
 * Switches how's anchored tries (of its own starts array) to r's code
 * after the head. 0: the line cannot match; 1: switched; 2: left as it
 * was (the literal after the run stands twice or more, or the limit is
 * too small to spare the run's share).
 */
static int
split_way(const struct fp_split *r, const unsigned char *line, size_t len, struct fw_match_how *how)
{
	uint32_t *starts = (uint32_t *)how->starts;
	const unsigned char *q;
	size_t at;
	bool fits = false;

	if (how->match_limit < len + 16 + LAZY_LIMIT_MIN)
		return 2;
	if (!r->run) {
		for (uint32_t i = 0; i < how->n_starts; i++)
			starts[i] += r->prefix;
		how->code = r->code;
		how->match_limit -= 16;
		return 1;
	}
	q = memmem(line, len, r->lit, r->lit_len);
	if (!q)
		return 0;
	if (memmem(q + 1, len - (size_t)(q + 1 - line), r->lit, r->lit_len))
		return 2;
	at = (size_t)(q - line);
	for (uint32_t i = 0; i < how->n_starts && !fits; i++) {
		size_t b = (size_t)starts[i] + r->prefix;

		fits = b <= at && at - b >= r->run_min;
		for (; fits && b < at; b++)
			fits = fw_rx_bytes_has(&r->set, line[b]);
	}
	if (!fits)
		return 0;
	starts[0] = (uint32_t)(at + r->lit_len);
	how->n_starts = 1;
	how->code = r->code;
	how->match_limit -= (uint32_t)len + 16;
	return 1;
}

const struct fw_match_how *
fw__fast_confirm_how(const struct fast *f, uint32_t p, const unsigned char *line, size_t len, int *ascii,
		     struct fw_match_how *how, uint32_t *starts, PCRE2_SIZE *ov, bool cut, bool *none)
{
	const struct fp_split *split;
	bool many = false;
	uint32_t n, limit;
	int way;

	if (!f->ascii_code || !f->ascii_code[p])
		return NULL;
	if (*ascii < 0)
		*ascii = len <= UINT32_MAX && line_ascii(line, len);
	if (!*ascii)
		return NULL;
	*how = (struct fw_match_how){ .code = f->ascii_code[p] };
	if (f->need_lits[p].n_branches && !need_met(&f->need_lits[p], line, len)) {
		*none = true;
		return how;
	}
	if (f->starts[p].lit) {
		n = find_starts(&f->starts[p], line, len, starts, &many);
		if (!n) {
			*none = true;
			return how;
		}
		limit = tries_limit(&f->starts[p], len, many ? 1 : n);
		if (limit) {
			how->starts = starts;
			how->n_starts = many ? 1 : n;
			how->anchored = !many;
			how->match_limit = limit;
		}
	}
	/* Tries the walk can answer need no PCRE2 (match_fast_walk.c); an equal pattern's are its leader's. */
	if (how->anchored && ov) {
		way = fw__fast_walk(&f->walk[f->canon[p]], line, len, starts, how->n_starts, how->match_limit, cut,
				    ov, &how->rc);
		if (way == 0) {
			*none = true;
			return how;
		}
		if (way == 1) {
			how->ov = ov;
			how->later = cut && f->walk[f->canon[p]].stop != FW_RX_NONE;
			return how;
		}
	}
	/* A head with a run first; else the lazy code, which spares more than a head without one. */
	split = &f->split[p];
	if (split->code && split->run && how->anchored && (way = split_way(split, line, len, how)) < 2) {
		*none = way == 0;
		return how;
	}
	if (f->lazy[p].code && !lazy_way(&f->lazy[p], line, len, how)) {
		*none = true;
		return how;
	}
	if (split->code && !split->run && how->anchored && how->code == f->ascii_code[p])
		split_way(split, line, len, how);
	return how;
}

uint32_t
fw_match_fast_split_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->split && p < f->n_patterns; p++)
		n += f->split[p].code != NULL;
	return n;
}

uint32_t
fw_match_fast_lazy_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->lazy && p < f->n_patterns; p++)
		n += f->lazy[p].code != NULL;
	return n;
}

uint32_t
fw_match_fast_start_count(const struct fw_matcher *m)
{
	const struct fast *f;
	uint32_t n = 0;

	if (!m || m->ops != &fw__match_fast_ops)
		return 0;
	f = m->engine_data;
	for (uint32_t p = 0; f->starts && p < f->n_patterns; p++)
		n += f->starts[p].lit != NULL;
	return n;
}
