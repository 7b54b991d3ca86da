/*
 * regex_atom: the atoms of the regex front end (regex_parse.h): literal
 * characters, escapes and character classes, as PCRE2 reads them with
 * PCRE2_UTF and without UCP (\d \w \s and POSIX classes are ASCII only).
 *
 * An escape or class item whose meaning depends on the PCRE2 version or on
 * tables we do not carry (octal, \c, \p with a script name, \N{...}, \E
 * alone, \Q inside a class) makes the whole pattern -ENOTSUP rather than a
 * guess.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "match/regex_int.h"
#include "util/hex.h"

static bool
is_alpha(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool
is_alnum(unsigned c)
{
	return is_alpha(c) || (c >= '0' && c <= '9');
}

uint32_t
fw__rx_char(struct rx_parser *ps, uint32_t cp, const struct rx_opts *o)
{
	uint32_t n = fw__rx_node(ps, FW_RX_CHAR);

	if (n != FW_RX_NONE) {
		ps->rx->nodes[n].cp = cp;
		if (o->caseless)
			ps->rx->nodes[n].flags |= FW_RX_F_CASELESS;
	}
	return n;
}

/* After "\x": \xhh (one or two digits) or \x{h...}; FW_RX_NONE on error. */
static uint32_t
parse_hex(struct rx_parser *ps)
{
	uint32_t cp = 0;
	size_t digits = 0;

	if (ps->p < ps->end && *ps->p == '{') {
		ps->p++;
		while (ps->p < ps->end && fw_hex_value(*ps->p) >= 0 && digits < 8) {
			cp = cp << 4 | (uint32_t)fw_hex_value(*ps->p++);
			digits++;
		}
		if (!digits || ps->p == ps->end || *ps->p != '}')
			return fw__rx_fail(ps, -ENOTSUP, "\\x{ without hex digits and }");
		ps->p++;
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return fw__rx_fail(ps, -EINVAL, "\\x{} is not a Unicode scalar value");
		return cp;
	}
	while (ps->p < ps->end && fw_hex_value(*ps->p) >= 0 && digits < 2) {
		cp = cp << 4 | (uint32_t)fw_hex_value(*ps->p++);
		digits++;
	}
	if (!digits)
		return fw__rx_fail(ps, -ENOTSUP, "\\x without hex digits");
	return cp;
}

/*
 * The code point of an escape that stands for one character (c is the
 * byte after the backslash, already consumed), or FW_RX_NONE when it is
 * not one (no error set).
 */
static uint32_t
escape_char(struct rx_parser *ps, unsigned c, bool in_class)
{
	switch (c) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'e': return 0x1B;
	case 'a': return 0x07;
	case 'b': return in_class ? 0x08 : FW_RX_NONE;  /* outside: a word boundary */
	case 'x': return parse_hex(ps);
	default:
		return c < 0x80 && !is_alnum(c) ? c : FW_RX_NONE;
	}
}

/* \d \w \s (ASCII); upper case: the complement, which takes every non-ASCII character. */
static bool
class_escape(unsigned c, struct fw_rx_bytes *s, uint8_t *na)
{
	struct fw_rx_bytes t = { { 0 } };
	unsigned lc = c | 0x20;

	if (lc == 'd') {
		for (unsigned b = '0'; b <= '9'; b++)
			fw_rx_bytes_add(&t, b);
	} else if (lc == 'w') {
		for (unsigned b = 0; b < 0x80; b++)
			if (is_alnum(b) || b == '_')
				fw_rx_bytes_add(&t, b);
	} else if (lc == 's') {
		for (unsigned b = '\t'; b <= '\r'; b++)
			fw_rx_bytes_add(&t, b);
		fw_rx_bytes_add(&t, ' ');
	} else {
		return false;
	}
	if (c != lc) {
		t.w[0] = ~t.w[0];
		t.w[1] = ~t.w[1];
		*na = FW_RX_NA_ALL;
	}
	s->w[0] |= t.w[0];
	s->w[1] |= t.w[1];
	return true;
}

static uint32_t
opaque(struct rx_parser *ps, bool zero_width)
{
	uint32_t n = fw__rx_node(ps, FW_RX_OPAQUE);

	if (n != FW_RX_NONE && zero_width)
		ps->rx->nodes[n].flags |= FW_RX_F_ZERO_WIDTH;
	return n;
}

/* After "\g": \gN \g{N} \g-N \g{-N} \g{name}; subroutine calls \g<..> \g'..' are not handled. */
static uint32_t
parse_g(struct rx_parser *ps)
{
	bool brace = ps->p < ps->end && *ps->p == '{', neg = false;
	uint32_t g = 0;
	size_t digits = 0;

	if (brace)
		ps->p++;
	if (ps->p < ps->end && *ps->p == '-') {
		neg = true;
		ps->p++;
	}
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9' && digits < 5) {
		g = g * 10 + (uint32_t)(*ps->p++ - '0');
		digits++;
	}
	if (!digits && brace && !neg) {
		const unsigned char *name, *name_end;

		if (!fw__rx_read_name(ps, '}', &name, &name_end))
			return FW_RX_NONE;
		if (fw__rx_add_name(ps, &ps->refs, &ps->n_refs, &ps->cap_refs, name, name_end) < 0)
			return FW_RX_NONE;
		return opaque(ps, false);
	}
	if (!digits || (brace && (ps->p == ps->end || *ps->p++ != '}')) ||
	    (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9'))
		return fw__rx_fail(ps, -ENOTSUP, "\\g form not handled");
	if (g == 0)
		return fw__rx_fail(ps, -EINVAL, "\\g0 is not a backreference");
	if (neg) {
		if (g > ps->captures)
			return fw__rx_fail(ps, -EINVAL, "relative backreference before the first group");
		g = ps->captures - g + 1;
	}
	return fw__rx_group_ref(ps, g);
}

/*
 * After "\p" or "\P": a general category (pcre2pattern(3), "Generic
 * character types"), \pL or \p{Lu} or \p{^Lu}; script names are declined.
 */
static bool
parse_property(struct rx_parser *ps)
{
	static const char *const names[] = {
		"C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "L&", "Ll", "Lm", "Lo", "Lt", "Lu",
		"M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf",
		"Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
		"Any", "Xan", "Xps", "Xsp", "Xwd", "Xuc",
	};
	const unsigned char *name = ps->p, *q;

	if (ps->p < ps->end && *ps->p != '{') {
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			if (names[i][1] == '\0' && (unsigned char)names[i][0] == *ps->p) {
				ps->p++;
				return true;
			}
		fw__rx_fail(ps, -ENOTSUP, "\\p name not handled");
		return false;
	}
	if (ps->p < ps->end)
		name++;
	if (name < ps->end && *name == '^')
		name++;
	for (q = name; q < ps->end && *q != '}'; q++)
		;
	for (size_t i = 0; q < ps->end && i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == (size_t)(q - name) && memcmp(names[i], name, (size_t)(q - name)) == 0) {
			ps->p = q + 1;
			return true;
		}
	fw__rx_fail(ps, -ENOTSUP, "\\p name not handled");
	return false;
}

uint32_t
fw__rx_parse_escape(struct rx_parser *ps, const struct rx_opts *o)
{
	struct fw_rx_bytes s = { { 0 } };
	uint8_t na = FW_RX_NA_NONE;
	uint32_t n, cp;
	unsigned c;

	if (ps->p == ps->end)
		return fw__rx_fail(ps, -EINVAL, "\\ at the end of the pattern");
	c = *ps->p++;
	if (class_escape(c, &s, &na)) {
		n = fw__rx_class(ps, &s);
		if (n != FW_RX_NONE) {
			ps->rx->nodes[n].nonascii = na;
			ps->rx->nodes[n].cp = FW_RX_NONE;
		}
		return n;
	}
	switch (c) {
	case 'A':
		return fw__rx_node(ps, FW_RX_START);
	case 'z':
		return fw__rx_node(ps, FW_RX_END);
	case 'Z':
		return fw__rx_node(ps, FW_RX_END_NL);
	case 'b':
	case 'B':
		n = fw__rx_node(ps, FW_RX_WORDB);
		if (n != FW_RX_NONE && c == 'B')
			ps->rx->nodes[n].flags |= FW_RX_F_NEGATED;
		return n;
	case 'G':
		return opaque(ps, true);
	case 'K':
		if (ps->lookaround)
			return fw__rx_fail(ps, -ENOTSUP, "\\K in a lookaround");
		return opaque(ps, true);
	case 'h': case 'H': case 'v': case 'V': case 'R': case 'X':
		return opaque(ps, false);
	case 'N':
		if (ps->p < ps->end && *ps->p == '{')
			return fw__rx_fail(ps, -ENOTSUP, "\\N{");
		return opaque(ps, false);
	case 'p':
	case 'P':
		return parse_property(ps) ? opaque(ps, false) : FW_RX_NONE;
	case 'g':
		return parse_g(ps);
	case 'k': {
		unsigned char open = ps->p < ps->end ? *ps->p : 0;
		unsigned char close = open == '<' ? '>' : open == '{' ? '}' : open == '\'' ? '\'' : 0;
		const unsigned char *name, *name_end;

		if (!close)
			return fw__rx_fail(ps, -ENOTSUP, "\\k without a name");
		ps->p++;
		if (!fw__rx_read_name(ps, close, &name, &name_end) ||
		    fw__rx_add_name(ps, &ps->refs, &ps->n_refs, &ps->cap_refs, name, name_end) < 0)
			return FW_RX_NONE;
		return opaque(ps, false);
	}
	case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		/* \1..\9; \10 and up may be octal, depending on the groups. */
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return fw__rx_fail(ps, -ENOTSUP, "\\ and two digits");
		return fw__rx_group_ref(ps, c - '0');
	default:
		break;
	}
	cp = escape_char(ps, c, false);
	if (ps->err)
		return FW_RX_NONE;
	if (cp == FW_RX_NONE)
		return fw__rx_fail(ps, -ENOTSUP, "escape not handled");
	return fw__rx_char(ps, cp, o);
}

/* The POSIX class names PCRE2 knows ([:name:] and [:^name:]). */
static bool
posix_name(const unsigned char *p, size_t n)
{
	static const char *const names[] = {
		"alpha", "lower", "upper", "alnum", "ascii", "blank", "cntrl", "digit",
		"graph", "print", "punct", "space", "word", "xdigit",
	};

	if (n && *p == '^') {
		p++;
		n--;
	}
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == n && memcmp(names[i], p, n) == 0)
			return true;
	return false;
}

/* A class item that stands for one character, after its '\\'; FW_RX_NONE with the error set. */
static uint32_t
class_char_escape(struct rx_parser *ps)
{
	uint32_t cp;

	if (ps->p == ps->end)
		return fw__rx_fail(ps, -EINVAL, "\\ at the end of the pattern");
	cp = escape_char(ps, *ps->p++, true);
	if (cp == FW_RX_NONE && !ps->err)
		return fw__rx_fail(ps, -ENOTSUP, "escape in a class not handled");
	return cp;
}

/* Union of two positive classes' non-ASCII parts (NONE < FOLD < LISTED < ALL). */
static uint8_t
na_union(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

static uint8_t
na_negate(uint8_t a)
{
	switch (a) {
	case FW_RX_NA_NONE: return FW_RX_NA_ALL;
	case FW_RX_NA_ALL: return FW_RX_NA_NONE;
	default: return FW_RX_NA_ALL_BUT;
	}
}

/*
 * Whether p (after a '[') starts what PCRE2 takes for a POSIX class: ':',
 * '.' or '=', then that byte and ']' before any ']' or '[' + that byte
 * ("\\]" and "\\\\" skipped).
 */
static bool
looks_posix(const unsigned char *p, const unsigned char *end)
{
	unsigned char t;

	if (p == end || (*p != ':' && *p != '.' && *p != '='))
		return false;
	t = *p++;
	for (; end - p >= 2; p++) {
		if (*p == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((*p == '[' && p[1] == t) || *p == ']')
			return false;
		else if (*p == t && p[1] == ']')
			return true;
	}
	return false;
}

uint32_t
fw__rx_parse_class(struct rx_parser *ps, const struct rx_opts *o)
{
	struct fw_rx_bytes s = { { 0 } };
	uint8_t na = FW_RX_NA_NONE;
	bool neg = false, first = true, posix = false;
	uint32_t members = 0, only = FW_RX_NONE, n;

	/* PCRE2 refuses "[:alpha:]" outside a class ("[.:]" is a class). */
	if (looks_posix(ps->p, ps->end))
		return fw__rx_fail(ps, -ENOTSUP, "POSIX class outside a class");
	if (ps->p < ps->end && *ps->p == '^') {
		neg = true;
		ps->p++;
	}
	for (;;) {
		uint32_t lo, hi;
		unsigned c;

		if (ps->p == ps->end)
			return fw__rx_fail(ps, -EINVAL, "missing ] of a class");
		c = *ps->p;
		if (c == ']' && !first) {
			ps->p++;
			break;
		}
		first = false;
		if (c == '[' && ps->end - ps->p >= 2 &&
		    (ps->p[1] == ':' || ps->p[1] == '.' || ps->p[1] == '=')) {
			/* Only a plain [:name:]; PCRE2's rules for the odd cases vary. */
			const unsigned char *q = ps->p + 2;

			while (q < ps->end && (*q == '^' || (*q >= 'a' && *q <= 'z')))
				q++;
			if (ps->p[1] != ':' || ps->end - q < 2 || q[0] != ':' || q[1] != ']' ||
			    !posix_name(ps->p + 2, (size_t)(q - ps->p - 2)))
				return fw__rx_fail(ps, -ENOTSUP, "POSIX class form not handled");
			ps->p = q + 2;
			posix = true;
			members += 2;
			if (ps->p < ps->end && *ps->p == '-' && ps->end - ps->p >= 2 && ps->p[1] != ']')
				return fw__rx_fail(ps, -ENOTSUP, "range after a POSIX class");
			continue;
		}
		if (c == '\\') {
			ps->p++;
			if (ps->p == ps->end)
				return fw__rx_fail(ps, -EINVAL, "\\ at the end of the pattern");
			c = *ps->p;
			if (class_escape(c, &s, &na) || c == 'h' || c == 'H' || c == 'v' || c == 'V') {
				/* \h \v: sets with non-ASCII members, not modelled. */
				posix |= (c | 0x20) == 'h' || (c | 0x20) == 'v';
				ps->p++;
				members += 2;
				if (ps->p < ps->end && *ps->p == '-' && ps->end - ps->p >= 2 &&
				    ps->p[1] != ']')
					return fw__rx_fail(ps, -ENOTSUP, "range after a class escape");
				continue;
			}
			lo = class_char_escape(ps);
		} else {
			lo = fw__rx_read_utf8(ps);
		}
		if (lo == FW_RX_NONE)
			return FW_RX_NONE;
		hi = lo;
		members++;
		only = lo;
		if (ps->end - ps->p >= 2 && *ps->p == '-' && ps->p[1] != ']') {
			ps->p++;
			if (*ps->p == '[')
				return fw__rx_fail(ps, -ENOTSUP, "[ after - in a class");
			if (*ps->p == '\\') {
				ps->p++;
				hi = class_char_escape(ps);
			} else {
				hi = fw__rx_read_utf8(ps);
			}
			if (hi == FW_RX_NONE)
				return FW_RX_NONE;
			if (hi < lo)
				return fw__rx_fail(ps, -EINVAL, "range out of order in a class");
			members += 2;
		}
		for (uint32_t b = lo; b <= hi && b < 0x80; b++)
			fw_rx_bytes_add(&s, b);
		if (hi >= 0x80)
			na = na_union(na, FW_RX_NA_LISTED);
	}
	if (o->caseless) {
		for (unsigned b = 0; b < 0x80; b++)
			if (is_alpha(b) && fw_rx_bytes_has(&s, b))
				fw_rx_bytes_add(&s, b ^ 0x20);
		/* Caseless k and s also take U+212A and U+017F. */
		if (fw_rx_bytes_has(&s, 'k') || fw_rx_bytes_has(&s, 's'))
			na = na_union(na, FW_RX_NA_FOLD);
	}
	if (neg) {
		s.w[0] = ~s.w[0];
		s.w[1] = ~s.w[1];
		na = na_negate(na);
	}
	if (posix)
		return opaque(ps, false);
	n = fw__rx_class(ps, &s);
	if (n != FW_RX_NONE) {
		struct fw_rx_node *x = &ps->rx->nodes[n];

		x->nonascii = na;
		x->cp = !neg && members == 1 ? only : FW_RX_NONE;
		if (o->caseless)
			x->flags |= FW_RX_F_CASELESS;
	}
	return n;
}
