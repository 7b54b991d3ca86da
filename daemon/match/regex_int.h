/*
 * regex_int: the parser state shared by regex_parse.c (sequences, groups,
 * quantifiers, references), regex_atom.c (characters, escapes, classes),
 * regex_check.c (whole-pattern checks) and regex_tree.c (the tree's
 * arrays). Internal to the regex front end.
 */
#ifndef FW_REGEX_INT_H
#define FW_REGEX_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "match/regex_parse.h"

/* Inline options in force at a point of the pattern. */
struct rx_opts {
	bool caseless, dotall, multiline, extended, no_auto_capture;
};

/* A group name or a reference to one: offset and length in the pattern. */
struct rx_name {
	uint32_t off, len;
};

struct rx_parser {
	struct fw_regex *rx;
	const unsigned char *start, *p, *end;
	int err;                /* first error: -EINVAL, -ENOTSUP, -ENOMEM */
	int depth;              /* groups open */
	int lookaround;         /* lookarounds open */
	uint32_t captures;      /* capture groups opened so far */
	uint32_t max_ref;       /* highest group number a backreference names */
	struct rx_name *names, *refs;
	uint32_t n_names, cap_names, n_refs, cap_refs;
};

/* Records the first error (err, at the current position) and returns FW_RX_NONE. */
uint32_t fw__rx_fail(struct rx_parser *ps, int err, const char *why);
/* A new node of kind (children none); its index or FW_RX_NONE (-ENOMEM). */
uint32_t fw__rx_node(struct rx_parser *ps, uint8_t kind);
/* An opaque node for a reference to group g (a backreference or a call);
 * g is checked against the groups once all are known (max_ref). */
uint32_t fw__rx_group_ref(struct rx_parser *ps, uint32_t g);
/*
 * Appends child to parent's children, whose last is *tail (FW_RX_NONE:
 * none yet). A literal character that follows a CHAR or TEXT with the
 * same flags joins it as one TEXT node instead (regex_tree.c).
 */
void fw__rx_append(struct rx_parser *ps, uint32_t parent, uint32_t *tail, uint32_t child);
/* A new CLASS node holding a copy of set; its index or FW_RX_NONE (-ENOMEM). */
uint32_t fw__rx_class(struct rx_parser *ps, const struct fw_rx_bytes *set);
/* fw__rx_read_utf8() for a character that does not begin with an ASCII byte. */
uint32_t fw__rx_read_utf8_seq(struct rx_parser *ps);

/*
 * Reads one UTF-8 character (ps->p < ps->end); FW_RX_NONE (and -EINVAL)
 * when it is not valid. Nearly every character of a log signature is
 * ASCII, read here without a call.
 */
static inline uint32_t
fw__rx_read_utf8(struct rx_parser *ps)
{
	return *ps->p < 0x80 ? *ps->p++ : fw__rx_read_utf8_seq(ps);
}
/* Records a reference to the group name at off..off+len; 0 or -ENOMEM. */
int fw__rx_add_name(struct rx_parser *ps, struct rx_name **arr, uint32_t *n, uint32_t *cap,
		    const unsigned char *name, const unsigned char *name_end);
/* Reads a group name ending at close; false (error set) when it is not one. */
bool fw__rx_read_name(struct rx_parser *ps, unsigned char close, const unsigned char **name,
		      const unsigned char **name_end);

/*
 * The length in characters every match of node n has, or -1; top: n is a
 * lookbehind's own alternation, whose branches may differ (regex_check.c).
 */
int32_t fw__rx_fixed_length(const struct fw_regex *rx, uint32_t n, bool top);
/* The checks that need the whole pattern: references, names, size (regex_check.c). */
void fw__rx_check_whole(struct rx_parser *ps);

/* After '\\' outside a class: the escape's node. */
uint32_t fw__rx_parse_escape(struct rx_parser *ps, const struct rx_opts *o);
/* After '[': the class's node. */
uint32_t fw__rx_parse_class(struct rx_parser *ps, const struct rx_opts *o);
/* A CHAR node for code point cp. */
uint32_t fw__rx_char(struct rx_parser *ps, uint32_t cp, const struct rx_opts *o);

#endif
