/*
 * dfa_ast: the syntax tree dfa_lower.c makes of a pattern's front-end
 * tree (regex_parse.h) and dfa_nfa.c compiles into the NFA. Internal to
 * the dfa module.
 */
#ifndef FW_DFA_AST_H
#define FW_DFA_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "match/dfa_int.h"

#define AST_NONE UINT32_MAX
#define REP_INF UINT32_MAX
/* Counted repeats above this are declined (they would only bloat the NFA). */
#define REP_MAX 1000u
#define DEPTH_MAX 64
/* Fragments one pattern may emit (see emit() in dfa_nfa.c). */
#define DFA_EMITS_MAX (16u * DFA_MEMBER_NODES_MAX)

enum ast_kind { A_EMPTY, A_SET, A_BOT, A_EOT, A_EOTNL, A_WORDB, A_CAT, A_ALT, A_REP };

struct ast {
	uint8_t kind;
	bool wide;              /* A_SET: also any non-ASCII character; A_WORDB: \B */
	uint32_t set;           /* A_SET: index in the dfa's sets */
	uint32_t min, max;      /* A_REP */
	uint32_t child, next;   /* first child; next sibling */
};

struct parser {
	struct fw_dfa *d;
	struct ast *a;
	uint32_t n, cap;
	int depth;
	int err;                /* -ENOTSUP or -ENOMEM once something failed */
	uint32_t base;          /* first NFA node of this pattern */
	uint32_t *dollars;      /* EOT nodes made for $ and \Z */
	uint32_t n_dollars, cap_dollars;
	uint32_t *ends;         /* EOT nodes of every end anchor */
	uint32_t n_ends, cap_ends;
	uint32_t *wordbs;       /* WORDB nodes */
	uint32_t n_wordbs, cap_wordbs;
	uint32_t *inner;        /* SET nodes inside the end anchors' own fragments */
	uint32_t n_inner, cap_inner;
	uint32_t emits;         /* emit() calls so far */
};

struct fw_regex;

/*
 * Lowers the front end's tree of a whole pattern (rx->root set) into a
 * tree; its root, or AST_NONE with ps->err set (-ENOTSUP or -ENOMEM).
 */
uint32_t fw__dfa_lower(struct parser *ps, const struct fw_regex *rx);

#endif
