/*
 * match_fast_ctx: a fast-engine matching context, the per-line and
 * per-stream state of one stream: its layout (match_fast.c matches with
 * it), its life and what it reports (match_fast_ctx.c).
 */
#ifndef FW_MATCH_FAST_CTX_H
#define FW_MATCH_FAST_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "match/dfa.h"
#include "match/match_engine.h"
#include "match/match_fast_adapt.h"

/* Places of one anchor kept per line, and of all anchors. */
#define ANCHOR_POS_MAX 8
#define ANCHOR_POS_LINE 256
#define ANCHOR_MANY UINT32_MAX
/*
 * Literals of an anchor set from which a lookup answers all of them: a
 * hashed lookup costs about two comparisons of one literal.
 */
#define ANCHOR_SET_HASHED 8

/*
 * The lines that settled a literal: both stamps of one literal side by
 * side, one cache line for the two reads most triggered patterns make.
 */
struct fp_lit_stamp {
	uint32_t found;         /* generation it was last verified in */
	uint32_t absent;        /* generation it was found absent in */
};

struct fast_ctx {
	uint32_t gen;
	uint32_t *pat_gen;      /* per pattern: the line it was triggered in */
	uint32_t *trig;         /* patterns whose first factor was seen, this line */
	uint32_t n_trig;
	struct fp_lit_stamp *lit_stamp; /* per literal: what a line said of it */
	uint32_t *cands;
	uint32_t n_cands;
	uint32_t *nomatch_gen;  /* per first of its kind (canon): the line its kind cannot match in */
	uint32_t *follow;       /* equals still to confirm on this line (match_fast.c, confirm()) */
	uint64_t *cand_bits;    /* the candidates as a bitset, for ordering many */
	bool dfa_gate_seen;     /* the first factor of some DFA member occurs */
	uint8_t *group_pass;    /* per gate group: its literals all occur in this line */
	/*
	 * Where each anchor stands in this line, once a lookup needed it:
	 * anchor_n[a] places from anchor_first[a] in pos (ANCHOR_MANY: too
	 * many to keep; its literals are searched for in the whole line).
	 */
	uint32_t *anchor_gen;
	uint32_t *anchor_first;
	uint32_t *anchor_n;
	uint32_t pos[ANCHOR_POS_LINE];
	uint32_t n_pos;
	uint32_t *set_gen;      /* per anchor set: the line its literals were all looked up in */
	uint32_t *anchor_asked; /* per anchor: the line one of its literals was last looked up in */
	uint8_t *anchor_twice;  /* per anchor: that line looked up its literals twice or more */
	struct fw_dfa_runner *dfa;
	struct fast_adapt adapt;        /* this stream's keys (match_fast_adapt.c) */
};

struct fast;

/*
 * Whether literal lit, which the line's stamps have not settled, occurs in
 * line[0..len) (match_fast_lookup.c); stamps the answer in c.
 */
bool fw__fast_lit_lookup(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line,
			 size_t len);

/* The context's arrays for ctx->m's fast engine; -ENOMEM (free with fw__fast_ctx_destroy). */
int fw__fast_ctx_init(struct fw_match_ctx *ctx);
void fw__fast_ctx_destroy(struct fw_match_ctx *ctx);

#endif
