/*
 * pattern_prefix: the longest prefix of a PCRE2 pattern that matches a line
 * (method in pattern_prefix.h). The atom scanner knows PCRE2's syntax well
 * enough to cut between atoms: escapes (\Q..\E, \x{..}, \p{..}, \k<..> ...),
 * classes ([]..], [^]..], [:alpha:]), group openers ((?:, (?<name>, (?<=,
 * (?i:, ...), inline options ((?i)), verbs ((*UTF)) and comments ((?#..)),
 * quantifiers with their lazy or possessive suffix. A prefix it cuts wrong
 * merely fails to compile and is skipped.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli/pattern_prefix.h"

#define MAX_DEPTH 64

/* End of the closing delimiter close at or after s[i] (or the end of s). */
static size_t
skip_to(const char *s, size_t i, char close)
{
	while (s[i] && s[i] != close)
		i++;
	return s[i] ? i + 1 : i;
}

static size_t
escape_end(const char *s, size_t i)
{
	char c = s[i + 1];

	if (!c)
		return i + 1;
	if (c == 'Q') {
		const char *e = strstr(s + i + 2, "\\E");

		return e ? (size_t)(e - s) + 2 : strlen(s);
	}
	if (strchr("xopPNgk", c) && s[i + 2] == '{')
		return skip_to(s, i + 3, '}');
	if (strchr("gk", c) && s[i + 2] == '<')
		return skip_to(s, i + 3, '>');
	if (c == 'k' && s[i + 2] == '\'')
		return skip_to(s, i + 3, '\'');
	if (c == 'c' && s[i + 2])
		return i + 3;
	if (c == 'x') {
		size_t j = i + 2;

		while (j < i + 4 && isxdigit((unsigned char)s[j]))
			j++;
		return j;
	}
	i += 2;
	/* The rest of a multi-byte character escaped by '\'. */
	while (((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static size_t
class_end(const char *s, size_t i)
{
	i++;
	if (s[i] == '^')
		i++;
	if (s[i] == ']')
		i++;
	while (s[i] && s[i] != ']') {
		if (s[i] == '\\')
			i = escape_end(s, i);
		else if (s[i] == '[' && s[i + 1] == ':' && strstr(s + i, ":]"))
			i = (size_t)(strstr(s + i, ":]") - s) + 2;
		else
			i++;
	}
	return s[i] ? i + 1 : i;
}

/* A quantifier at s[i] ({n}, {n,}, {n,m}, {,m} included); its end, or i. */
static size_t
quantifier_end(const char *s, size_t i)
{
	size_t j = i;

	if (s[j] == '*' || s[j] == '+' || s[j] == '?') {
		j++;
	} else if (s[j] == '{') {
		size_t k = j + 1, digits = 0;

		while (isdigit((unsigned char)s[k]) || s[k] == ',' || s[k] == ' ')
			digits += isdigit((unsigned char)s[k++]) != 0;
		if (s[k] != '}' || digits == 0)
			return i;
		j = k + 1;
	} else {
		return i;
	}
	if (s[j] == '?' || s[j] == '+')
		j++;
	return j;
}

enum atom { ATOM_PLAIN, ATOM_OPEN, ATOM_CLOSE, ATOM_BAR };

/* The atom at s[i]: its kind and end (before any quantifier). */
static size_t
atom_end(const char *s, size_t i, enum atom *kind)
{
	*kind = ATOM_PLAIN;
	switch (s[i]) {
	case '\\':
		return escape_end(s, i);
	case '[':
		return class_end(s, i);
	case '|':
		*kind = ATOM_BAR;
		return i + 1;
	case ')':
		*kind = ATOM_CLOSE;
		return i + 1;
	case '(':
		break;
	default:
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		return i;
	}
	if (s[i + 1] == '*')
		return skip_to(s, i + 2, ')');
	*kind = ATOM_OPEN;
	if (s[i + 1] != '?')
		return i + 1;
	i += 2;
	if (s[i] == '#') {
		*kind = ATOM_PLAIN;
		return skip_to(s, i, ')');
	}
	if (strchr(":=!>|", s[i]) && s[i])
		return i + 1;
	if (s[i] == '<' && (s[i + 1] == '=' || s[i + 1] == '!'))
		return i + 2;
	if (s[i] == '<' || (s[i] == 'P' && s[i + 1] == '<'))
		return skip_to(s, i, '>');
	if (s[i] == '\'')
		return skip_to(s, i + 1, '\'');
	while (isalpha((unsigned char)s[i]) || s[i] == '^' || s[i] == '-')
		i++;
	if (s[i] == ')') {
		*kind = ATOM_PLAIN;     /* (?i): options for the rest, not a group */
		return i + 1;
	}
	return s[i] ? i + 1 : i;
}

/* Does pattern[0..n) with depth groups closed match line? -1: did not compile. */
static int
try_prefix(const char *pattern, size_t n, unsigned depth, uint32_t options, const char *line, size_t len,
	   char *buf, pcre2_match_data *md, size_t *end)
{
	pcre2_code *re;
	PCRE2_SIZE off;
	int err, rc;

	memcpy(buf, pattern, n);
	memset(buf + n, ')', depth);
	re = pcre2_compile((PCRE2_SPTR)buf, n + depth, options, &err, &off, NULL);
	if (!re)
		return -1;
	rc = pcre2_match(re, (PCRE2_SPTR)line, len, 0, 0, md, NULL);
	/* 0: matched, with more groups than md holds (only the whole match is wanted). */
	if (rc >= 0)
		*end = pcre2_get_ovector_pointer(md)[1];
	pcre2_code_free(re);
	return rc >= 0;
}

int
fw_pattern_prefix(const char *pattern, uint32_t options, const char *line, size_t len,
		  struct fw_prefix_result *out)
{
	size_t plen = strlen(pattern), n_cuts = 0;
	size_t *cut = malloc((plen + 1) * sizeof *cut);
	unsigned *depth_at = malloc((plen + 1) * sizeof *depth_at);
	char *buf = malloc(plen + MAX_DEPTH + 1);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	unsigned depth = 0;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!cut || !depth_at || !buf || !md) {
		rc = -ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < plen;) {
		enum atom kind;
		size_t e = atom_end(pattern, i, &kind);

		if (e <= i)
			break;
		if (kind == ATOM_OPEN && depth < MAX_DEPTH)
			depth++;
		else if (kind == ATOM_CLOSE && depth > 0)
			depth--;
		if (kind == ATOM_PLAIN || kind == ATOM_CLOSE)
			e = quantifier_end(pattern, e);
		i = e;
		if (kind == ATOM_PLAIN || kind == ATOM_CLOSE) {
			cut[n_cuts] = i;
			depth_at[n_cuts++] = depth;
		}
	}
	/* Longest first: the first prefix that matches is the answer. */
	for (size_t k = n_cuts; k-- > 0;) {
		size_t end = 0;

		if (try_prefix(pattern, cut[k], depth_at[k], options, line, len, buf, md, &end) == 1) {
			out->pattern_len = cut[k];
			out->line_end = end;
			out->matched = 1;
			break;
		}
	}
done:
	pcre2_match_data_free(md);
	free(buf);
	free(depth_at);
	free(cut);
	return rc;
}
