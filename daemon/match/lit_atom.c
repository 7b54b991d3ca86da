/*
 * lit_atom: the atoms of a pattern for the literal analysis (lit.c):
 * literal characters, escapes and classes. What is not understood sets
 * ps->bail, which abandons the whole analysis.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/lit_int.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* A literal code point as an atom, folded for a caseless context. */
void
fw__lit_atom_char(struct atom *a, uint32_t cp, bool caseless)
{
	a->kind = ATOM_CHAR;
	a->caseless = caseless;
	a->foldable = true;
	if (caseless) {
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (cp >= 0x80 || cp == 'k' || cp == 's')
			a->foldable = false;
	}
	a->n = fw__lit_utf8_encode(cp, a->c);
}

/* Reads one code point of the pattern (it is valid UTF-8: PCRE2_UTF checked it). */
uint32_t
fw__lit_read_cp(struct parser *ps)
{
	const unsigned char *p = ps->p;
	uint32_t cp;
	int n;

	if (*p < 0x80) {
		ps->p++;
		return *p;
	}
	if ((*p & 0xE0) == 0xC0) {
		cp = *p & 0x1F;
		n = 1;
	} else if ((*p & 0xF0) == 0xE0) {
		cp = *p & 0x0F;
		n = 2;
	} else if ((*p & 0xF8) == 0xF0) {
		cp = *p & 0x07;
		n = 3;
	} else {
		ps->bail = true;
		ps->p = ps->end;
		return 0;
	}
	if (ps->end - p <= n) {
		ps->bail = true;
		ps->p = ps->end;
		return 0;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			ps->bail = true;
			ps->p = ps->end;
			return 0;
		}
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	ps->p = p + n + 1;
	return cp;
}

/* Skips a {...} or <...> style argument up to its closing byte. */
void
fw__lit_skip_to(struct parser *ps, unsigned char close)
{
	while (ps->p < ps->end && *ps->p != close)
		ps->p++;
	if (ps->p == ps->end)
		ps->bail = true;
	else
		ps->p++;
}

/* A group name after \g or \k: {name}, <name> or 'name'. False if none follows. */
static bool
skip_group_name(struct parser *ps)
{
	if (ps->p < ps->end && *ps->p == '{')
		fw__lit_skip_to(ps, '}');
	else if (ps->p < ps->end && *ps->p == '<')
		fw__lit_skip_to(ps, '>');
	else if (ps->p < ps->end && *ps->p == '\'') {
		ps->p++;
		fw__lit_skip_to(ps, '\'');
	} else
		return false;
	return true;
}

/*
 * The code point of \xhh or \x{h...} (ps->p after the 'x'). In UTF mode
 * \xhh is U+00hh. Anything unusual (no digit, surrogates) abandons.
 */
static bool
parse_hex(struct parser *ps, uint32_t *out)
{
	uint32_t cp = 0;
	int digits = 0;

	if (ps->p < ps->end && *ps->p == '{') {
		ps->p++;
		while (ps->p < ps->end && hexval(*ps->p) >= 0 && digits < 8) {
			cp = cp * 16 + (uint32_t)hexval(*ps->p++);
			digits++;
		}
		if (!digits || ps->p == ps->end || *ps->p != '}' || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp < 0xE000)) {
			ps->bail = true;
			return false;
		}
		ps->p++;
	} else {
		while (ps->p < ps->end && hexval(*ps->p) >= 0 && digits < 2) {
			cp = cp * 16 + (uint32_t)hexval(*ps->p++);
			digits++;
		}
		if (!digits) {
			ps->bail = true;
			return false;
		}
	}
	*out = cp;
	return true;
}

/*
 * An escape outside a class (ps->p is after the backslash). Sets *a; a
 * literal escape becomes a character, others are opaque or zero-width.
 */
void
fw__lit_parse_escape(struct parser *ps, struct atom *a, bool caseless)
{
	int c;

	if (ps->p == ps->end) {
		ps->bail = true;
		return;
	}
	c = *ps->p;
	if (c >= 0x80) {
		ps->bail = true;
		return;
	}
	ps->p++;
	if (!is_alnum(c)) {
		fw__lit_atom_char(a, (uint32_t)c, caseless);
		return;
	}
	switch (c) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
	case 'h': case 'H': case 'v': case 'V': case 'R': case 'X': case 'C':
		a->kind = ATOM_OPAQUE;
		return;
	case 'N':
		if (ps->p < ps->end && *ps->p == '{') {
			ps->bail = true; /* \N{U+...} or a quantifier: not worth guessing */
			return;
		}
		a->kind = ATOM_OPAQUE;
		return;
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
		a->kind = ATOM_NONE;
		return;
	case 'n': fw__lit_atom_char(a, '\n', caseless); return;
	case 't': fw__lit_atom_char(a, '\t', caseless); return;
	case 'r': fw__lit_atom_char(a, '\r', caseless); return;
	case 'f': fw__lit_atom_char(a, '\f', caseless); return;
	case 'e': fw__lit_atom_char(a, 0x1B, caseless); return;
	case 'a': fw__lit_atom_char(a, 0x07, caseless); return;
	case 'x': {
		uint32_t cp;

		if (!parse_hex(ps, &cp))
			return;
		fw__lit_atom_char(a, cp, caseless);
		return;
	}
	case 'p': case 'P':
		if (ps->p < ps->end && *ps->p == '{')
			fw__lit_skip_to(ps, '}');
		else if (ps->p < ps->end)
			ps->p++;
		else
			ps->bail = true;
		a->kind = ATOM_OPAQUE;
		return;
	case 'g':
		/* Backreference or subroutine call: consumes something unknown. */
		if (!skip_group_name(ps)) {
			if (ps->p < ps->end && (*ps->p == '-' || *ps->p == '+'))
				ps->p++;
			if (ps->p == ps->end || !(*ps->p >= '0' && *ps->p <= '9')) {
				ps->bail = true;
				return;
			}
			while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
				ps->p++;
		}
		a->kind = ATOM_OPAQUE;
		return;
	case 'k':
		if (!skip_group_name(ps))
			ps->bail = true;
		a->kind = ATOM_OPAQUE;
		return;
	case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		/* \1..\9 is a backreference; \10 and up may be octal: do not guess. */
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			ps->bail = true;
			return;
		}
		a->kind = ATOM_OPAQUE;
		return;
	default:
		/* \0, \o{}, \c, \u, \E outside \Q and friends. */
		ps->bail = true;
		return;
	}
}

/*
 * A character class (ps->p after '['). A class of exactly one character,
 * not negated, is that literal ([.] is a dot); anything else is opaque.
 */
void
fw__lit_parse_class(struct parser *ps, struct atom *a, bool caseless)
{
	bool negated = false, first = true, in_q = false;
	int members = 0;
	uint32_t only = 0;

	a->kind = ATOM_OPAQUE;
	if (ps->p < ps->end && *ps->p == '^') {
		negated = true;
		ps->p++;
	}
	for (;;) {
		uint32_t cp;

		if (ps->p >= ps->end) {
			ps->bail = true;
			return;
		}
		if (in_q) {
			if (*ps->p == '\\' && ps->end - ps->p >= 2 && ps->p[1] == 'E') {
				ps->p += 2;
				in_q = false;
				continue;
			}
			cp = fw__lit_read_cp(ps);
			members++;
			only = cp;
			first = false;
			continue;
		}
		if (*ps->p == ']' && !first) {
			ps->p++;
			break;
		}
		first = false;
		if (*ps->p == '[' && ps->end - ps->p >= 2 &&
		    (ps->p[1] == ':' || ps->p[1] == '.' || ps->p[1] == '=')) {
			/*
			 * POSIX class [:alpha:] (or the unsupported [.x.], [=x=]). PCRE2
			 * only reads one when no ']' or '\\' comes before ":]"; otherwise
			 * "[:" are plain members and the class may end earlier. Rather
			 * than follow that rule, abandon on anything but a plain name.
			 */
			unsigned char delim = ps->p[1];

			ps->p += 2;
			while (ps->end - ps->p >= 2 && !(ps->p[0] == delim && ps->p[1] == ']')) {
				if (!((*ps->p >= 'a' && *ps->p <= 'z') || *ps->p == '^')) {
					ps->bail = true;
					return;
				}
				ps->p++;
			}
			if (ps->end - ps->p < 2) {
				ps->bail = true;
				return;
			}
			ps->p += 2;
			members += 2;
			continue;
		}
		if (*ps->p == '\\') {
			int c;

			ps->p++;
			if (ps->p == ps->end) {
				ps->bail = true;
				return;
			}
			c = *ps->p;
			if (c == 'Q') {
				ps->p++;
				in_q = true;
				continue;
			}
			if (c == 'E') {
				ps->p++;
				continue;
			}
			if (c >= 0x80) {
				ps->bail = true;
				return;
			}
			if (!is_alnum(c)) {
				ps->p++;
				members++;
				only = (uint32_t)c;
				continue;
			}
			switch (c) {
			case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
			case 'h': case 'H': case 'v': case 'V':
				ps->p++;
				members += 2;
				continue;
			case 'p': case 'P':
				ps->p++;
				if (ps->p < ps->end && *ps->p == '{')
					fw__lit_skip_to(ps, '}');
				else if (ps->p < ps->end)
					ps->p++;
				members += 2;
				continue;
			case 'x':
				ps->p++;
				if (!parse_hex(ps, &cp))
					return;
				members++;
				only = cp;
				goto range;
			case 'n': case 't': case 'r': case 'f': case 'e': case 'a':
				ps->p++;
				members++;
				only = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' :
				       c == 'f' ? '\f' : c == 'e' ? 0x1B : 0x07;
				continue;
			default:
				/* \x, \b (backspace in a class), octal...: opaque, but the
				 * class's end must still be found reliably. */
				ps->bail = true;
				return;
			}
		}
		cp = fw__lit_read_cp(ps);
		if (ps->bail)
			return;
		members++;
		only = cp;
range:
		/* A range a-z; a '-' before ']' is literal. */
		if (ps->end - ps->p >= 2 && *ps->p == '-' && ps->p[1] != ']') {
			ps->p++;
			if (*ps->p == '\\' && ps->end - ps->p >= 2 && ps->p[1] == 'x') {
				ps->p += 2;
				if (!parse_hex(ps, &cp))
					return;
			} else if (*ps->p == '\\' || *ps->p == '[') {
				ps->bail = true;
				return;
			} else {
				(void)fw__lit_read_cp(ps);
			}
			members += 2;
		}
	}
	if (!negated && members == 1)
		fw__lit_atom_char(a, only, caseless);
}
