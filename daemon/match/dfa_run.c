/*
 * dfa_run: the lazy DFA that runs a finished set (dfa.c, dfa_int.h): the
 * runner, its state cache and the scan of a line (dfa.h).
 *
 * Guarantees: every member whose NFA accepts the line is in the hit list
 * (ascending, once each) unless the scan gave up, which the caller sees
 * as FW_DFA_GAVE_UP; everything a runner uses is allocated by
 * fw_dfa_runner_new(), so a scan never allocates; building states for one
 * line visits at most WORK_MAX NFA nodes.
 *
 * A DFA state is the set of NFA nodes that can consume the next symbol,
 * plus the members that have matched on the way into it. States are made
 * on first use (subset construction of one transition at a time) and kept
 * in a per-runner cache of fixed size, allocated once. Every state also
 * holds the restart set (every member's entry), which is what makes the
 * search unanchored; members that begin with ^ drop out of it because BOT
 * is only ever consumed before the first byte. The restart set is the same
 * in every state, so a state stores only the nodes beyond it; its
 * transitions are precomputed per byte class (the restart nodes that
 * accept the class), so building a state costs what it holds beyond the
 * restart set, not the number of members.
 *
 * Interning needs no sorting: a state's hash is a sum over its nodes
 * (order-free), and a candidate of equal hash and size is the same state
 * when every node it holds carries the construction's mark (a construction
 * holds each node once).
 *
 * Cache policy: the cache (states, transitions, node lists) has a fixed
 * size (4 MiB by default) allocated when the runner is made. When a new
 * state does not fit, the whole cache is emptied and refilled from the
 * line being scanned, as RE2 does (fw_dfa_flush_count() counts these). A
 * line whose scan visits more than WORK_MAX nodes while building states is
 * given up on (FW_DFA_GAVE_UP, the caller confirms every member), and the
 * next 1, 2, 4, ... up to BACKOFF_MAX lines skip the DFA the same way; a
 * line scanned to its end resets the back-off.
 *
 * \b and \B (WORDB nodes) stay in a state, with what the byte before it
 * was (a word byte, a byte >= 0x80, another): they are decided when the
 * next byte is read (the byte classes keep those three kinds apart), and
 * at the end of the line against a non-word byte. Widened there after a
 * byte >= 0x80, where both hold: PCRE2 10.42's JIT, after an invalid UTF-8
 * sequence at the end of the subject, decides them on the byte that
 * follows the subject in memory.
 *
 * A transition is one int32: the target's row offset shifted left by two,
 * with a "has matches" and a "dead" bit; -1 is "not built yet". The scan
 * loop is then one load per byte and one rarely taken branch.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_int.h"
#include "util/sort.h"

#define F_MATCH 1
#define F_DEAD 2
#define UNBUILT (-1)
/* Node visits one line may spend building states before the scan gives up. */
#define WORK_MAX (1u << 18)
/* After giving up, this many lines (doubling per give-up, reset by a good line) skip the DFA. */
#define BACKOFF_MAX 1024u
#define CACHE_DEFAULT ((size_t)4 << 20)

/* What the byte before a position was, for \b and \B. */
enum before { B_OTHER, B_WORD, B_HIGH };

static enum before
before_of(unsigned b)
{
	return b >= 0x80 ? B_HIGH : fw_rx_word_byte(b) ? B_WORD : B_OTHER;
}

struct dstate {
	uint32_t nodes_off, n_nodes;    /* nodes beyond the restart set, in no order, in the pool */
	uint32_t match_off, n_match;    /* members matched on entry, ascending */
	int64_t eot_off;                /* members matching at the line's end: pool[off] = count */
	uint32_t hash;
	bool wordb;                     /* holds a WORDB node */
	uint8_t before;                 /* if so: the byte before it (enum before) */
};

struct fw_dfa_runner {
	const struct fw_dfa *d;
	uint32_t n_cls;
	int32_t *trans;                 /* max_st rows of n_cls */
	struct dstate *st;
	uint32_t n_st, max_st;
	uint32_t *pool;
	size_t n_pool, cap_pool;
	uint32_t *ht;                   /* state index + 1 */
	uint32_t ht_mask;
	int32_t start;                  /* encoded start state, UNBUILT after a flush */
	uint32_t *r_nodes, n_r;         /* the restart set */
	uint32_t *r_match, n_rm;
	uint8_t *in_restart;            /* per node */
	uint32_t *r_cls_off;            /* per class: its restart SET nodes in r_cls_nodes */
	uint32_t *r_cls_nodes;
	uint32_t *r_assert, n_ra;       /* restart nodes that are WORDB or EOT */
	bool r_wordb;                   /* the restart set holds a WORDB node */
	/* Scratch of one subset construction. */
	uint32_t *mark, mark_gen;
	uint32_t *stack;
	uint32_t *buf, n_buf;
	uint32_t *bufm, n_bufm;
	/* Where this state's WORDB nodes lead before the next byte (build_step()). */
	uint32_t *pend, n_pend;
	uint32_t *pendm, n_pendm;
	/* This line's hits. */
	uint32_t *hits, n_hits;
	uint32_t *hit_gen, line_gen;
	uint64_t work;
	uint32_t backoff, skip;
	uint64_t gave_up, flushes;
};

void
fw_dfa_runner_free(struct fw_dfa_runner *r)
{
	if (!r)
		return;
	free(r->trans);
	free(r->st);
	free(r->pool);
	free(r->ht);
	free(r->r_nodes);
	free(r->r_match);
	free(r->in_restart);
	free(r->r_cls_off);
	free(r->r_cls_nodes);
	free(r->r_assert);
	free(r->mark);
	free(r->stack);
	free(r->buf);
	free(r->bufm);
	free(r->pend);
	free(r->pendm);
	free(r->hits);
	free(r->hit_gen);
	free(r);
}

static void
closure_reset(struct fw_dfa_runner *r)
{
	if (++r->mark_gen == 0) {
		memset(r->mark, 0, r->d->n_nodes * sizeof *r->mark);
		r->mark_gen = 1;
	}
	r->n_buf = r->n_bufm = 0;
}

/* Adds every node reachable from v by free moves: consuming ones to buf, members to bufm. */
static void
closure_add(struct fw_dfa_runner *r, uint32_t v)
{
	const struct nfa_node *nodes = r->d->nodes;
	uint32_t top = 0;

	r->stack[top++] = v;
	while (top) {
		const struct nfa_node *x;

		v = r->stack[--top];
		if (r->mark[v] == r->mark_gen)
			continue;
		r->mark[v] = r->mark_gen;
		r->work++;
		x = &nodes[v];
		switch (x->kind) {
		case N_SPLIT:
			r->stack[top++] = x->out2;
			r->stack[top++] = x->out;
			break;
		case N_EPS:
			r->stack[top++] = x->out;
			break;
		case N_MATCH:
			r->bufm[r->n_bufm++] = x->arg;
			break;
		default:
			r->buf[r->n_buf++] = v;
			break;
		}
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
sort_unique(uint32_t *a, uint32_t n)
{
	uint32_t m = 0;

	if (n <= 32)            /* match lists: a few members, usually none */
		fw_sort_u32_small(a, n);
	else
		qsort(a, n, sizeof *a, cmp_u32);
	for (uint32_t i = 0; i < n; i++)
		if (!m || a[m - 1] != a[i])
			a[m++] = a[i];
	return m;
}

static uint32_t
hash_words(const uint32_t *a, uint32_t n, uint32_t h)
{
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ a[i]) * 0x01000193u;
	return h;
}

/* A hash of a node set that does not depend on the order of its nodes. */
static uint32_t
hash_set(const uint32_t *a, uint32_t n)
{
	uint32_t h = n * 0x9E3779B1u;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t x = a[i] * 0x85EBCA6Bu;

		h += x ^ (x >> 15);
	}
	return h;
}

/* Whether state s holds exactly the construction's nodes (n of them, all marked). */
static bool
same_nodes(const struct fw_dfa_runner *r, const struct dstate *s, uint32_t n)
{
	if (s->n_nodes != n)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (r->mark[r->pool[s->nodes_off + i]] != r->mark_gen)
			return false;
	return true;
}

static int32_t
encode(const struct fw_dfa_runner *r, uint32_t idx)
{
	const struct dstate *s = &r->st[idx];
	int32_t v = (int32_t)((idx * r->n_cls) << 2);

	if (s->n_match)
		v |= F_MATCH;
	if (!s->n_nodes && !r->n_r)
		v |= F_DEAD;
	return v;
}

static uint32_t
state_of(const struct fw_dfa_runner *r, int32_t v)
{
	return ((uint32_t)v >> 2) / r->n_cls;
}

static void
flush(struct fw_dfa_runner *r)
{
	r->n_st = 0;
	r->n_pool = 0;
	memset(r->ht, 0, (r->ht_mask + 1) * sizeof *r->ht);
	r->start = UNBUILT;
	r->flushes++;
}

/*
 * The state made of buf and bufm (BOT nodes and the restart set dropped:
 * every state holds the latter), entered after a byte of kind `before`:
 * found in the cache or added to it, flushing it first when full. before
 * only tells states apart when they hold a WORDB node. buf holds each node
 * once, and every node of it carries the construction's mark.
 */
static int32_t
intern(struct fw_dfa_runner *r, enum before before)
{
	const struct fw_dfa *d = r->d;
	uint32_t n = 0, h, j;
	struct dstate *s;
	bool wordb = r->r_wordb;

	for (uint32_t i = 0; i < r->n_buf; i++) {
		uint32_t v = r->buf[i];
		uint8_t kind = d->nodes[v].kind;

		if (kind == N_BOT || r->in_restart[v])
			continue;
		r->buf[n++] = v;
		wordb |= kind == N_WORDB;
	}
	r->n_buf = n;
	if (!wordb)
		before = B_OTHER;
	r->n_bufm = sort_unique(r->bufm, r->n_bufm);
	h = hash_words(r->bufm, r->n_bufm, hash_set(r->buf, r->n_buf));
	h ^= before;
	for (j = h & r->ht_mask; r->ht[j]; j = (j + 1) & r->ht_mask) {
		s = &r->st[r->ht[j] - 1];
		if (s->hash == h && s->n_match == r->n_bufm && s->before == before &&
		    same_nodes(r, s, r->n_buf) &&
		    !memcmp(r->pool + s->match_off, r->bufm, r->n_bufm * sizeof *r->bufm))
			return encode(r, r->ht[j] - 1);
	}
	if (r->n_st == r->max_st || r->n_pool + r->n_buf + r->n_bufm > r->cap_pool) {
		flush(r);
		for (j = h & r->ht_mask; r->ht[j]; j = (j + 1) & r->ht_mask)
			;
	}
	s = &r->st[r->n_st];
	s->nodes_off = (uint32_t)r->n_pool;
	s->n_nodes = r->n_buf;
	memcpy(r->pool + r->n_pool, r->buf, r->n_buf * sizeof *r->buf);
	r->n_pool += r->n_buf;
	s->match_off = (uint32_t)r->n_pool;
	s->n_match = r->n_bufm;
	memcpy(r->pool + r->n_pool, r->bufm, r->n_bufm * sizeof *r->bufm);
	r->n_pool += r->n_bufm;
	s->eot_off = -1;
	s->hash = h;
	s->wordb = wordb;
	s->before = (uint8_t)before;
	memset(r->trans + (size_t)r->n_st * r->n_cls, 0xFF, r->n_cls * sizeof *r->trans);
	r->ht[j] = r->n_st + 1;
	return encode(r, r->n_st++);
}

/*
 * The restart set's members that match on entry (empty matches). Its nodes
 * are implied: intern() drops them from every state.
 */
static void
add_restart(struct fw_dfa_runner *r)
{
	for (uint32_t i = 0; i < r->n_rm; i++)
		r->bufm[r->n_bufm++] = r->r_match[i];
}

/* Puts state s's own nodes and the restart set's assertions in buf, marked. */
static void
load_state(struct fw_dfa_runner *r, const struct dstate *s)
{
	for (uint32_t i = 0; i < s->n_nodes; i++) {
		r->mark[r->pool[s->nodes_off + i]] = r->mark_gen;
		r->buf[r->n_buf++] = r->pool[s->nodes_off + i];
	}
	for (uint32_t i = 0; i < r->n_ra; i++) {
		r->mark[r->r_assert[i]] = r->mark_gen;
		r->buf[r->n_buf++] = r->r_assert[i];
	}
}

/* A new construction from every member's entry. */
static void
closure_of_starts(struct fw_dfa_runner *r)
{
	closure_reset(r);
	for (uint32_t m = 0; m < r->d->n_members; m++)
		closure_add(r, r->d->starts[m]);
}

/*
 * Whether WORDB node x holds between a byte of kind `before` and the next
 * (a word byte or not; the end of the line when eot: see the top).
 */
static bool
wordb_holds(const struct nfa_node *x, enum before before, bool word_after, bool eot)
{
	if (eot && before == B_HIGH)
		return true;
	return ((before == B_WORD) != word_after) == !x->arg;
}

/*
 * Follows, everywhere in buf, what holds between the byte before and the
 * next (a word byte or not; the end of the line when eot): the WORDB nodes
 * that hold, and the end anchors when eot; also where that reaches more
 * (\b\b, $$ are valid).
 */
static void
follow_assertions(struct fw_dfa_runner *r, enum before before, bool word_after, bool eot)
{
	const struct nfa_node *nodes = r->d->nodes;

	for (uint32_t i = 0; i < r->n_buf; i++) {
		const struct nfa_node *x = &nodes[r->buf[i]];

		if ((x->kind == N_WORDB && wordb_holds(x, before, word_after, eot)) ||
		    (eot && x->kind == N_EOT))
			closure_add(r, x->out);
	}
}

/*
 * Consumes the zero-width anchor `kind` (BOT or EOT) everywhere in buf,
 * also where consuming it reaches another: ^^ and $$ are valid.
 */
static void
consume_anchor(struct fw_dfa_runner *r, uint8_t kind)
{
	const struct nfa_node *nodes = r->d->nodes;

	for (uint32_t i = 0; i < r->n_buf; i++)
		if (nodes[r->buf[i]].kind == kind)
			closure_add(r, nodes[r->buf[i]].out);
}

/* Every member's entry, with BOT consumed. */
static int32_t
build_start(struct fw_dfa_runner *r)
{
	closure_of_starts(r);
	consume_anchor(r, N_BOT);
	return r->start = intern(r, B_OTHER);
}

/*
 * Before byte b is read in state s: the consuming nodes and the members
 * that s's WORDB nodes lead to (into pend and pendm), as b decides them.
 */
static void
decide_wordb(struct fw_dfa_runner *r, const struct dstate *s, uint32_t b)
{
	const struct fw_dfa *d = r->d;
	uint32_t n0;

	r->n_pend = r->n_pendm = 0;
	if (!s->wordb)
		return;
	closure_reset(r);
	load_state(r, s);
	n0 = r->n_buf;
	follow_assertions(r, (enum before)s->before, fw_rx_word_byte(b), false);
	for (uint32_t i = n0; i < r->n_buf; i++)
		if (d->nodes[r->buf[i]].kind == N_SET)
			r->pend[r->n_pend++] = r->buf[i];
	memcpy(r->pendm, r->bufm, r->n_bufm * sizeof *r->bufm);
	r->n_pendm = r->n_bufm;
}

/* The transition of state v on byte class c, built now. */
static int32_t
build_step(struct fw_dfa_runner *r, int32_t v, uint32_t c)
{
	const struct fw_dfa *d = r->d;
	uint32_t idx = state_of(r, v), b = d->rep[c];
	const struct dstate *s = &r->st[idx];
	uint32_t from_flushes = (uint32_t)r->flushes;
	int32_t nv;

	decide_wordb(r, s, b);
	closure_reset(r);
	add_restart(r);
	r->work += s->n_nodes + r->n_pend + (r->r_cls_off[c + 1] - r->r_cls_off[c]);
	for (uint32_t i = r->r_cls_off[c]; i < r->r_cls_off[c + 1]; i++)
		closure_add(r, d->nodes[r->r_cls_nodes[i]].out);
	for (uint32_t i = 0; i < s->n_nodes + r->n_pend; i++) {
		uint32_t y = i < s->n_nodes ? r->pool[s->nodes_off + i] : r->pend[i - s->n_nodes];
		const struct nfa_node *x = &d->nodes[y];

		if (x->kind == N_SET && fw_rx_bytes_has(&d->sets[x->arg], b))
			closure_add(r, x->out);
	}
	memcpy(r->bufm + r->n_bufm, r->pendm, r->n_pendm * sizeof *r->pendm);
	r->n_bufm += r->n_pendm;
	nv = intern(r, before_of(b));
	if ((uint32_t)r->flushes == from_flushes)
		r->trans[(size_t)idx * r->n_cls + c] = nv;
	return nv;
}

static void
add_hits(struct fw_dfa_runner *r, const uint32_t *m, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (r->hit_gen[m[i]] != r->line_gen) {
			r->hit_gen[m[i]] = r->line_gen;
			r->hits[r->n_hits++] = m[i];
		}
	}
}

/* Members that match once the end of the line is consumed (repeatedly: $$ is valid). */
static void
end_of_line(struct fw_dfa_runner *r, int32_t v)
{
	struct dstate *s = &r->st[state_of(r, v)];

	if (s->eot_off >= 0) {
		add_hits(r, r->pool + s->eot_off + 1, r->pool[s->eot_off]);
		return;
	}
	closure_reset(r);
	load_state(r, s);
	/* The end of the line is a non-word neighbour; no \b follows an end anchor (dfa_nfa.c). */
	follow_assertions(r, (enum before)s->before, false, true);
	r->n_bufm = sort_unique(r->bufm, r->n_bufm);
	add_hits(r, r->bufm, r->n_bufm);
	if (r->n_pool + 1 + r->n_bufm <= r->cap_pool) {
		s->eot_off = (int64_t)r->n_pool;
		r->pool[r->n_pool++] = r->n_bufm;
		memcpy(r->pool + r->n_pool, r->bufm, r->n_bufm * sizeof *r->bufm);
		r->n_pool += r->n_bufm;
	}
}

/*
 * Indexes the restart set (r_nodes): which nodes are in it, its assertions,
 * and per byte class the SET nodes of it that accept the class. 0 or -ENOMEM.
 */
static int
restart_index(struct fw_dfa_runner *r)
{
	const struct fw_dfa *d = r->d;
	size_t total = 0;

	r->in_restart = calloc(d->n_nodes ? d->n_nodes : 1, 1);
	r->r_assert = malloc((r->n_r ? r->n_r : 1) * sizeof *r->r_assert);
	r->r_cls_off = calloc(r->n_cls + 1, sizeof *r->r_cls_off);
	if (!r->in_restart || !r->r_assert || !r->r_cls_off)
		return -ENOMEM;
	for (uint32_t i = 0; i < r->n_r; i++) {
		const struct nfa_node *x = &d->nodes[r->r_nodes[i]];

		r->in_restart[r->r_nodes[i]] = 1;
		if (x->kind == N_WORDB || x->kind == N_EOT)
			r->r_assert[r->n_ra++] = r->r_nodes[i];
		r->r_wordb |= x->kind == N_WORDB;
		if (x->kind != N_SET)
			continue;
		for (uint32_t c = 0; c < r->n_cls; c++)
			total += fw_rx_bytes_has(&d->sets[x->arg], d->rep[c]);
	}
	r->r_cls_nodes = malloc((total ? total : 1) * sizeof *r->r_cls_nodes);
	if (!r->r_cls_nodes)
		return -ENOMEM;
	for (uint32_t c = 0; c < r->n_cls; c++) {
		r->r_cls_off[c + 1] = r->r_cls_off[c];
		for (uint32_t i = 0; i < r->n_r; i++) {
			const struct nfa_node *x = &d->nodes[r->r_nodes[i]];

			if (x->kind == N_SET && fw_rx_bytes_has(&d->sets[x->arg], d->rep[c]))
				r->r_cls_nodes[r->r_cls_off[c + 1]++] = r->r_nodes[i];
		}
	}
	return 0;
}

struct fw_dfa_runner *
fw_dfa_runner_new(const struct fw_dfa *d, size_t cache_bytes)
{
	struct fw_dfa_runner *r;
	size_t per_state, max_st, ht_size = 16, nn = d->n_nodes ? d->n_nodes : 1;
	size_t nm = d->n_members ? d->n_members : 1;

	if (!d->finished)
		return NULL;
	r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (!cache_bytes)
		cache_bytes = CACHE_DEFAULT;
	r->d = d;
	r->n_cls = d->n_cls;
	/* Half of the cache for the states and their transitions, half for their node lists. */
	per_state = r->n_cls * sizeof(int32_t) + sizeof(struct dstate) + 2 * sizeof(uint32_t);
	max_st = cache_bytes / 2 / per_state;
	if (max_st < 16)
		max_st = 16;
	if (max_st * r->n_cls > ((size_t)1 << 28))
		max_st = ((size_t)1 << 28) / r->n_cls;
	while (ht_size < 2 * max_st)
		ht_size *= 2;
	r->max_st = (uint32_t)max_st;
	r->cap_pool = cache_bytes / 2 / sizeof(uint32_t);
	if (r->cap_pool < 4 * (nn + nm) + 64)
		r->cap_pool = 4 * (nn + nm) + 64;
	r->ht_mask = (uint32_t)ht_size - 1;
	r->trans = malloc(max_st * r->n_cls * sizeof *r->trans);
	r->st = malloc(max_st * sizeof *r->st);
	r->pool = malloc(r->cap_pool * sizeof *r->pool);
	r->ht = calloc(ht_size, sizeof *r->ht);
	r->mark = calloc(nn, sizeof *r->mark);
	r->stack = malloc((2 * nn + 2) * sizeof *r->stack);
	/* A state's nodes, then a closure; matches: the restart set's, a step's, pendm. */
	r->buf = malloc(2 * nn * sizeof *r->buf);
	r->bufm = malloc(3 * nm * sizeof *r->bufm);
	r->pend = malloc(nn * sizeof *r->pend);
	r->pendm = malloc(nm * sizeof *r->pendm);
	r->hits = malloc(nm * sizeof *r->hits);
	r->hit_gen = calloc(nm, sizeof *r->hit_gen);
	if (!r->trans || !r->st || !r->pool || !r->ht || !r->mark || !r->stack || !r->buf ||
	    !r->bufm || !r->pend || !r->pendm || !r->hits || !r->hit_gen) {
		fw_dfa_runner_free(r);
		return NULL;
	}

	/* The restart set: every member's entry closure, without what needs BOT. */
	closure_of_starts(r);
	r->n_buf = sort_unique(r->buf, r->n_buf);
	r->n_bufm = sort_unique(r->bufm, r->n_bufm);
	r->r_nodes = malloc((r->n_buf ? r->n_buf : 1) * sizeof *r->r_nodes);
	r->r_match = malloc((r->n_bufm ? r->n_bufm : 1) * sizeof *r->r_match);
	if (!r->r_nodes || !r->r_match) {
		fw_dfa_runner_free(r);
		return NULL;
	}
	for (uint32_t i = 0; i < r->n_buf; i++)
		if (d->nodes[r->buf[i]].kind != N_BOT)
			r->r_nodes[r->n_r++] = r->buf[i];
	memcpy(r->r_match, r->bufm, r->n_bufm * sizeof *r->bufm);
	r->n_rm = r->n_bufm;
	if (restart_index(r) < 0) {
		fw_dfa_runner_free(r);
		return NULL;
	}
	r->start = UNBUILT;
	return r;
}

/* A transition's flags, and the bit of "not built yet" (UNBUILT is negative). */
#define FLAGS ((uint32_t)(F_MATCH | F_DEAD))
#define STOP (0x80000000u | FLAGS)

/*
 * A transition without its flags is its target row's offset in int32s,
 * times 4: the row's offset in bytes. So a step is one load of the class
 * and one of the transition at rows + off + 4 * class, and the unsigned
 * 32-bit load needs no extension to serve as the next offset.
 */
static inline uint32_t
step(const char *rows, size_t off, uint32_t c)
{
	uint32_t nv;

	memcpy(&nv, rows + off + (size_t)c * sizeof nv, sizeof nv);
	return nv;
}

/*
 * Walks from the state at row offset *off over [p, end) while no
 * transition is unbuilt, matching or dead, two bytes per turn. Returns
 * where it stopped, with that byte's transition in *stop, or end.
 */
static inline const unsigned char *
walk_fast(const char *rows, const uint8_t *cls, uint32_t *off, const unsigned char *p,
	  const unsigned char *end, uint32_t *stop)
{
	const char *row = rows + *off;
	uint32_t nv = 0;

	for (; p + 1 < end; p += 2) {
		nv = step(row, 0, cls[p[0]]);
		if (__builtin_expect((nv & STOP) != 0, 0))
			goto out;
		row = rows + nv;
		nv = step(row, 0, cls[p[1]]);
		if (__builtin_expect((nv & STOP) != 0, 0)) {
			p++;
			goto out;
		}
		row = rows + nv;
	}
	if (p < end) {
		nv = step(row, 0, cls[*p]);
		if ((nv & STOP) != 0)
			goto out;
		row = rows + nv;
		p++;
	}
out:
	*off = (uint32_t)(row - rows);
	*stop = nv;
	return p;
}

/*
 * Scans line[0..len) from the state at row offset v (no flags): builds
 * what is missing, collects the matches, and at the end those of the end
 * of the line. 0, or -1 when the line cost too much to build (given up).
 */
static int
walk_line(struct fw_dfa_runner *r, uint32_t v, const unsigned char *line, size_t len)
{
	const uint8_t *cls = r->d->cls;
	const char *rows = (const char *)r->trans;  /* never reallocated */
	const unsigned char *p = line, *end = line + len;
	uint32_t nv = 0;

	while ((p = walk_fast(rows, cls, &v, p, end, &nv)) < end) {
		if (nv & 0x80000000u) {
			nv = (uint32_t)build_step(r, (int32_t)v, cls[*p]);
			if (r->work > WORK_MAX) {
				r->backoff = r->backoff ? 2 * r->backoff : 1;
				if (r->backoff > BACKOFF_MAX)
					r->backoff = BACKOFF_MAX;
				r->skip = r->backoff;
				r->gave_up++;
				return -1;
			}
		}
		if (nv & F_MATCH) {
			const struct dstate *s = &r->st[state_of(r, (int32_t)nv)];

			add_hits(r, r->pool + s->match_off, s->n_match);
		}
		if (nv & F_DEAD)
			return 0;
		v = nv & ~FLAGS;
		p++;
	}
	end_of_line(r, (int32_t)v);
	return 0;
}

int
fw_dfa_scan(struct fw_dfa_runner *r, const unsigned char *line, size_t len)
{
	int32_t v;

	if (++r->line_gen == 0) {
		memset(r->hit_gen, 0, (r->d->n_members ? r->d->n_members : 1) * sizeof *r->hit_gen);
		r->line_gen = 1;
	}
	r->n_hits = 0;
	r->work = 0;
	if (r->skip) {
		r->skip--;
		r->gave_up++;
		return FW_DFA_GAVE_UP;
	}
	v = r->start != UNBUILT ? r->start : build_start(r);
	if (v & F_MATCH)
		add_hits(r, r->pool + r->st[state_of(r, v)].match_off, r->st[state_of(r, v)].n_match);
	if (!(v & F_DEAD) && walk_line(r, (uint32_t)v & ~FLAGS, line, len) < 0)
		return FW_DFA_GAVE_UP;
	r->backoff = 0;
	return (int)r->n_hits;
}

const uint32_t *
fw_dfa_hits(const struct fw_dfa_runner *r)
{
	return r->hits;
}

uint64_t
fw_dfa_gave_up_count(const struct fw_dfa_runner *r)
{
	return r->gave_up;
}

uint64_t
fw_dfa_flush_count(const struct fw_dfa_runner *r)
{
	return r->flushes;
}
