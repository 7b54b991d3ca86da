/*
 * regex_check: what the regex front end (regex_parse.h) checks outside the
 * one pass over the pattern: the start-of-pattern options ahead of it, the
 * fixed length PCRE2 10.42 wants of a lookbehind, and, once the whole tree
 * is known, group references and names, and a bound on the size of the
 * code PCRE2 would make of it.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "match/regex_int.h"

/*
 * A rough bound on the code PCRE2 makes (repeated groups are copied): above
 * it PCRE2 may refuse the pattern as too large, so the parser declines it.
 */
#define RX_WEIGHT_MAX 20000u

/*
 * The length in characters every match of node n has, or -1. PCRE2 10.42
 * accepts a lookbehind whose top-level branches each have one (top: n is
 * that top-level alternation).
 */
int32_t
fw__rx_fixed_length(const struct fw_regex *rx, uint32_t n, bool top)
{
	const struct fw_rx_node *x = &rx->nodes[n];
	int32_t len = 0, l;

	switch (x->kind) {
	case FW_RX_CHAR: case FW_RX_CLASS: case FW_RX_ANY:
		return 1;
	case FW_RX_TEXT:
		return x->len > 65535 ? -1 : (int32_t)x->len;
	case FW_RX_EMPTY: case FW_RX_START: case FW_RX_END: case FW_RX_END_NL:
	case FW_RX_LINE_START: case FW_RX_LINE_END: case FW_RX_WORDB:
		return 0;
	case FW_RX_OPAQUE:
		return x->flags & FW_RX_F_ZERO_WIDTH && x->child != FW_RX_NONE ? 0 : -1;
	case FW_RX_GROUP:
		return fw__rx_fixed_length(rx, x->child, false);
	case FW_RX_REPEAT:
		l = fw__rx_fixed_length(rx, x->child, false);
		if (l < 0 || x->min != x->max || (int64_t)l * x->min > 65535)
			return -1;
		return l * (int32_t)x->min;
	case FW_RX_CAT:
		for (uint32_t k = x->child; k != FW_RX_NONE; k = rx->nodes[k].next) {
			l = fw__rx_fixed_length(rx, k, false);
			if (l < 0 || len + l > 65535)
				return -1;
			len += l;
		}
		return len;
	case FW_RX_ALT:
		len = -2;
		for (uint32_t k = x->child; k != FW_RX_NONE; k = rx->nodes[k].next) {
			l = fw__rx_fixed_length(rx, k, false);
			if (l < 0 || (!top && len != -2 && l != len))
				return -1;
			len = l;
		}
		return len < 0 ? 0 : len;
	}
	return -1;
}

static uint32_t
sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* The rough size of PCRE2's compiled code for node n (see RX_WEIGHT_MAX). */
static uint32_t
weight(const struct fw_regex *rx, uint32_t n)
{
	const struct fw_rx_node *x = &rx->nodes[n];
	uint32_t w = 4, c, copies;

	/* A class is a 32-byte map plus its non-ASCII ranges; a reference or escape a few units. */
	if (x->kind == FW_RX_CLASS)
		return sat_add(40, sat_add(x->len, x->len) * 2);
	if (x->kind == FW_RX_OPAQUE && x->child == FW_RX_NONE)
		return sat_add(8, x->len * 4);
	/* Literal text: a few units per character, as each CHAR. */
	if (x->kind == FW_RX_TEXT)
		return x->len > UINT32_MAX / 4 ? UINT32_MAX : 4 * x->len;
	for (uint32_t k = x->child; k != FW_RX_NONE && x->kind != FW_RX_REPEAT; k = rx->nodes[k].next)
		w = sat_add(w, weight(rx, k));
	if (x->kind != FW_RX_REPEAT)
		return w;
	c = weight(rx, x->child);
	if (rx->nodes[x->child].kind == FW_RX_CHAR || rx->nodes[x->child].kind == FW_RX_CLASS ||
	    rx->nodes[x->child].kind == FW_RX_ANY)
		return sat_add(c, 8);
	/* A repeated group is copied min times, and max - min more (or once more). */
	copies = x->max == FW_RX_INF ? sat_add(x->min, 1) : x->max;
	if (copies && c > UINT32_MAX / copies)
		return UINT32_MAX;
	return sat_add(c * (copies ? copies : 1), 8);
}

/* What can only be checked once the whole pattern is read: references, names, size. */
void
fw__rx_check_whole(struct rx_parser *ps)
{
	const unsigned char *s = ps->start;

	if (ps->max_ref > ps->captures) {
		fw__rx_fail(ps, -EINVAL, "reference to a group that does not exist");
		return;
	}
	for (uint32_t i = 0; i < ps->n_names; i++)
		for (uint32_t j = i + 1; j < ps->n_names; j++)
			if (ps->names[i].len == ps->names[j].len &&
			    !memcmp(s + ps->names[i].off, s + ps->names[j].off, ps->names[i].len)) {
				fw__rx_fail(ps, -ENOTSUP, "duplicate group name");
				return;
			}
	for (uint32_t i = 0; i < ps->n_refs; i++) {
		bool found = false;

		for (uint32_t j = 0; j < ps->n_names && !found; j++)
			found = ps->names[j].len == ps->refs[i].len &&
				!memcmp(s + ps->names[j].off, s + ps->refs[i].off, ps->refs[i].len);
		if (!found) {
			fw__rx_fail(ps, -EINVAL, "reference to a group name that does not exist");
			return;
		}
	}
	if (weight(ps->rx, ps->rx->root) > RX_WEIGHT_MAX)
		fw__rx_fail(ps, -ENOTSUP, "pattern too large");
}

/* PCRE2 10.42's start-of-pattern items (pcre2pattern(3), "Option settings"). */
static const struct {
	const char *name;       /* a trailing '=' takes a decimal number */
	bool widens;
} start_options[] = {
	{ "LIMIT_DEPTH=", false }, { "LIMIT_HEAP=", false }, { "LIMIT_MATCH=", false },
	{ "LIMIT_RECURSION=", false }, { "NOTEMPTY", false }, { "NOTEMPTY_ATSTART", false },
	{ "NO_AUTO_POSSESS", false }, { "NO_DOTSTAR_ANCHOR", false }, { "NO_JIT", false },
	{ "NO_START_OPT", false }, { "UTF", false },
	{ "UCP", true }, { "CR", true }, { "LF", true }, { "CRLF", true }, { "ANYCRLF", true },
	{ "ANY", true }, { "NUL", true }, { "BSR_ANYCRLF", true }, { "BSR_UNICODE", true },
};

/* The length of the start-of-pattern item NAME) at p, or 0 if it is none. */
static size_t
start_option(const char *p, size_t len, bool *widens)
{
	for (size_t i = 0; i < sizeof start_options / sizeof start_options[0]; i++) {
		const char *name = start_options[i].name;
		size_t n = strlen(name), k = n;

		if (len < n + 1 || memcmp(p, name, n) != 0)
			continue;
		if (name[n - 1] == '=') {
			while (k < len && p[k] >= '0' && p[k] <= '9')
				k++;
			if (k == n)
				continue;
		}
		if (k < len && p[k] == ')') {
			*widens |= start_options[i].widens;
			return k + 1;
		}
	}
	return 0;
}

size_t
fw_regex_start_options(const char *pattern, size_t len, bool *widens)
{
	size_t off = 0, n;

	*widens = false;
	while (len - off > 2 && pattern[off] == '(' && pattern[off + 1] == '*' &&
	       (n = start_option(pattern + off + 2, len - off - 2, widens)) > 0)
		off += 2 + n;
	return off;
}
