/*
 * dfa_int: the NFA that dfa_lower.c builds from patterns and dfa_run.c turns
 * into DFA states on demand. Internal to the dfa module.
 *
 * Thompson construction: SET nodes consume one byte of their set, EOT
 * nodes the end of the line, BOT nodes its start (^ and \A); WORDB nodes
 * (\b, \B) hold between two bytes, by whether each is an ASCII word byte
 * (the line's ends count as non-word); SPLIT and EPS are free moves; MATCH
 * ends a member. Every member is tried at every
 * position (unanchored search); a member starting with BOT can only start
 * at the line's start, since BOT is only ever seen there.
 */
#ifndef FW_DFA_INT_H
#define FW_DFA_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "match/dfa.h"
#include "match/regex_parse.h"

enum nfa_kind {
	N_SET,          /* arg: index of its byte set */
	N_EOT,
	N_BOT,
	N_WORDB,        /* arg: 0 for \b (a boundary), 1 for \B (none) */
	N_SPLIT,        /* out and out2 */
	N_EPS,
	N_MATCH,        /* arg: member number */
};

struct nfa_node {
	uint8_t kind;
	uint32_t arg;
	uint32_t out, out2;
};

/* Limits: one pattern's NFA and the whole set's. */
#define DFA_MEMBER_NODES_MAX 4096u
#define DFA_NODES_MAX 262144u

struct fw_dfa {
	struct nfa_node *nodes;
	uint32_t n_nodes, cap_nodes;
	struct fw_rx_bytes *sets;           /* distinct sets, shared by SET nodes */
	uint32_t n_sets, cap_sets;
	uint32_t *set_hash;             /* open addressing over sets, 0 = empty, else index + 1 */
	uint32_t set_hash_mask;
	uint32_t *starts;               /* per member: its entry node */
	uint32_t n_members, cap_members;
	bool finished;
	bool has_wordb;                 /* some member has a WORDB node */
	/* Byte classes: bytes no set tells apart share a class (and a DFA column). */
	uint8_t cls[256];
	uint8_t rep[256];               /* a byte of each class */
	uint32_t n_cls;
	struct dfa_graph *graph;        /* fw_dfa_lit_context()'s work space, kept for reuse */
	/*
	 * The interned set of each ASCII character as a literal ([1]: caseless
	 * letters, both cases), index + 1, 0 = not interned yet: most of a
	 * pattern is literal text, and sets stay interned for the DFA's life.
	 */
	uint32_t ascii_set[2][128];
};

/* Releases fw_dfa_lit_context()'s work space (dfa_ctx.c). */
void fw__dfa_graph_free(struct dfa_graph *g);

/* Adds a byte set (deduplicated); its index, or -ENOMEM. */
int64_t fw__dfa_set_intern(struct fw_dfa *d, const struct fw_rx_bytes *s);
/* Appends a node; its index, or -ENOMEM / -ENOTSUP (set too large). */
int64_t fw__dfa_node(struct fw_dfa *d, uint8_t kind, uint32_t arg, uint32_t out, uint32_t out2);

#endif
