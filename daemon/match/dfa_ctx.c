/*
 * dfa_ctx: the bytes that must stand next to a required literal of a
 * pattern, read from the pattern's NFA (dfa_int.h): a necessary condition
 * the fast matcher tests where it finds the literal, before any DFA walk
 * or PCRE2 run.
 *
 * Guarantee: when fw_dfa_lit_context() fills a context, every match of
 * the pattern contains an occurrence of the literal (exact, or ASCII
 * case-folded when it is caseless) such that, for d = 1 .. n_before, the
 * line holds a byte d positions before the occurrence and it is in
 * before[d - 1], and for d = 1 .. n_after a byte d positions after its end
 * that is in after[d - 1]. Only supersets are ever taken, so the
 * condition never rejects a line PCRE2 matches (the NFA itself is a
 * superset of the pattern, see dfa.h).
 *
 * How: the literal must be spelt by a chain of SET nodes that every match
 * goes through: the first node dominates the member's MATCH node (no path
 * from the entry reaches MATCH around it), each next node is the only
 * consuming node the previous one leads to (through free moves and
 * assertions, which are taken as free: a superset), and each node's set
 * holds only that byte of the literal (or its other ASCII case). Then the
 * byte before the chain is consumed by a node leading to its first node,
 * or the match starts there; level by level backwards, the union of those
 * nodes' sets is what the byte d positions before must be, until the
 * entry is reachable (the match may start there: anything goes beyond) or
 * the union holds every byte. Forwards the same, until MATCH is reachable.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_int.h"

/* The work space: reverse edges and marks, with room for cap nodes (kept in the dfa). */
struct dfa_graph {
	const struct fw_dfa *d;
	uint32_t n, cap;
	uint32_t *rev_off, *rev;        /* per node: the nodes with an edge to it */
	uint8_t *in, *in2;              /* scratch marks, per node */
	uint32_t *list, *list2, *stack;
};

static bool
is_free(const struct nfa_node *x)
{
	return x->kind != N_SET && x->kind != N_MATCH;
}

static void
graph_arrays_free(struct dfa_graph *g)
{
	free(g->rev_off);
	free(g->rev);
	free(g->in);
	free(g->in2);
	free(g->list);
	free(g->list2);
	free(g->stack);
	memset(g, 0, sizeof *g);
}

void
fw__dfa_graph_free(struct dfa_graph *g)
{
	if (!g)
		return;
	graph_arrays_free(g);
	free(g);
}

/* Room for cap nodes. 0 or -ENOMEM (g then has none). */
static int
graph_reserve(struct dfa_graph *g, uint32_t cap)
{
	size_t c = cap;

	graph_arrays_free(g);
	g->rev_off = calloc(c + 2, sizeof *g->rev_off);
	g->rev = malloc((2 * c + 1) * sizeof *g->rev);
	g->in = calloc(c + 1, 1);
	g->in2 = calloc(c + 1, 1);
	g->list = malloc((c + 1) * sizeof *g->list);
	g->list2 = malloc((c + 1) * sizeof *g->list2);
	g->stack = malloc((2 * c + 2) * sizeof *g->stack);
	if (!g->rev_off || !g->rev || !g->in || !g->in2 || !g->list || !g->list2 || !g->stack) {
		graph_arrays_free(g);
		return -ENOMEM;
	}
	g->cap = cap;
	return 0;
}

/* d's work space, sized for d and holding the reverse edges of its nodes; NULL: -ENOMEM. */
static struct dfa_graph *
graph_prepare(struct fw_dfa *d)
{
	struct dfa_graph *g = d->graph;
	uint32_t n = d->n_nodes;

	if (!g) {
		g = calloc(1, sizeof *g);
		if (!g)
			return NULL;
		d->graph = g;
	}
	if (!g->rev_off || n > g->cap) {
		uint32_t cap = n > 2 * g->cap ? n : 2 * g->cap;

		if (graph_reserve(g, cap > 64 ? cap : 64) < 0)
			return NULL;
	}
	g->d = d;
	g->n = n;
	memset(g->rev_off, 0, ((size_t)n + 2) * sizeof *g->rev_off);
	for (uint32_t v = 0; v < n; v++) {
		const struct nfa_node *x = &d->nodes[v];

		if (x->kind == N_MATCH)
			continue;
		g->rev_off[x->out + 2]++;
		if (x->kind == N_SPLIT)
			g->rev_off[x->out2 + 2]++;
	}
	for (uint32_t v = 0; v < n; v++)
		g->rev_off[v + 2] += g->rev_off[v + 1];
	for (uint32_t v = 0; v < n; v++) {
		const struct nfa_node *x = &d->nodes[v];

		if (x->kind == N_MATCH)
			continue;
		g->rev[g->rev_off[x->out + 1]++] = v;
		if (x->kind == N_SPLIT)
			g->rev[g->rev_off[x->out2 + 1]++] = v;
	}
	return g;
}

/*
 * The SET nodes reached from the nodes seeds[0..n) (included) through free
 * moves, into list (their count returned); *match when MATCH is reached.
 */
static uint32_t
forward(struct dfa_graph *g, const uint32_t *seeds, uint32_t n, uint32_t *list, bool *match)
{
	const struct nfa_node *nodes = g->d->nodes;
	uint32_t top = 0, k = 0, seen = 0;

	*match = false;
	memset(g->in, 0, g->n);
	for (uint32_t i = 0; i < n; i++)
		g->stack[top++] = seeds[i];
	while (top) {
		uint32_t v = g->stack[--top];
		const struct nfa_node *x = &nodes[v];

		if (g->in[v])
			continue;
		g->in[v] = 1;
		seen++;
		if (x->kind == N_MATCH)
			*match = true;
		else if (x->kind == N_SET)
			list[k++] = v;
		else {
			g->stack[top++] = x->out;
			if (x->kind == N_SPLIT)
				g->stack[top++] = x->out2;
		}
	}
	return k;
}

/* Whether every path from the entry to MATCH goes through node v. */
static bool
dominates(struct dfa_graph *g, uint32_t entry, uint32_t v)
{
	const struct nfa_node *nodes = g->d->nodes;
	uint32_t top = 0;

	memset(g->in, 0, g->n);
	g->in[v] = 1;
	g->stack[top++] = entry;
	while (top) {
		uint32_t u = g->stack[--top];
		const struct nfa_node *x = &nodes[u];

		if (g->in[u])
			continue;
		g->in[u] = 1;
		if (x->kind == N_MATCH)
			return false;
		g->stack[top++] = x->out;
		if (x->kind == N_SPLIT)
			g->stack[top++] = x->out2;
	}
	return true;
}

/* Whether set s holds no byte but c and, when caseless, c's other ASCII case. */
static bool
only_byte(const struct fw_rx_bytes *s, unsigned char c, bool caseless)
{
	struct fw_rx_bytes want = { { 0 } };
	bool fold = caseless && c >= 'a' && c <= 'z';

	/* Most sets the caller tries spell another byte: one bit says so. */
	if (!fw_rx_bytes_has(s, c) && !(fold && fw_rx_bytes_has(s, (unsigned)c - ('a' - 'A'))))
		return false;
	fw_rx_bytes_add(&want, c);
	if (fold)
		fw_rx_bytes_add(&want, (unsigned)c - ('a' - 'A'));
	for (int i = 0; i < 4; i++)
		if (s->w[i] & ~want.w[i])
			return false;
	return true;
}

static bool
is_all(const struct fw_rx_bytes *s)
{
	return (s->w[0] & s->w[1] & s->w[2] & s->w[3]) == ~(uint64_t)0;
}

/* A chain of SET nodes from first spelling lit[0..len): its last node, or UINT32_MAX. */
static uint32_t
chain(struct dfa_graph *g, uint32_t first, const unsigned char *lit, size_t len, bool caseless)
{
	const struct fw_dfa *d = g->d;
	uint32_t cur = first;

	for (size_t i = 1; i < len; i++) {
		bool match;
		uint32_t k = forward(g, &d->nodes[cur].out, 1, g->list, &match);

		if (match || k != 1 || !only_byte(&d->sets[d->nodes[g->list[0]].arg], lit[i], caseless))
			return UINT32_MAX;
		cur = g->list[0];
	}
	return cur;
}

/* The levels before the chain starting at first (see the top). */
static uint8_t
levels_before(struct dfa_graph *g, uint32_t entry, uint32_t first, struct fw_rx_bytes *out)
{
	const struct fw_dfa *d = g->d;
	uint32_t n_p = 1, level = 0;

	g->list[0] = first;
	while (level < FW_DFA_CTX_MAX && n_p) {
		uint32_t top = 0, n_q = 0, n_next = 0;
		struct fw_rx_bytes s = { { 0 } };

		/* Q: P and every free node leading to it through free moves. */
		memset(g->in, 0, g->n);
		memset(g->in2, 0, g->n);
		for (uint32_t i = 0; i < n_p; i++)
			g->stack[top++] = g->list[i];
		while (top) {
			uint32_t v = g->stack[--top];

			if (g->in[v])
				continue;
			g->in[v] = 1;
			n_q++;
			if (v == entry)
				return (uint8_t)level;
			for (uint32_t e = g->rev_off[v]; e < g->rev_off[v + 1]; e++) {
				uint32_t u = g->rev[e];
				const struct nfa_node *x = &d->nodes[u];

				if (is_free(x)) {
					g->stack[top++] = u;
				} else if (x->kind == N_SET && !g->in2[u]) {
					g->in2[u] = 1;
					g->list2[n_next++] = u;
					for (int w = 0; w < 4; w++)
						s.w[w] |= d->sets[x->arg].w[w];
				}
			}
		}
		if (!n_next || is_all(&s))
			break;
		out[level++] = s;
		memcpy(g->list, g->list2, n_next * sizeof *g->list);
		n_p = n_next;
	}
	return (uint8_t)level;
}

/* The levels after the chain ending at last. */
static uint8_t
levels_after(struct dfa_graph *g, uint32_t last, struct fw_rx_bytes *out)
{
	const struct fw_dfa *d = g->d;
	uint32_t n_p = 1, level = 0;

	g->list2[0] = last;
	while (level < FW_DFA_CTX_MAX && n_p) {
		struct fw_rx_bytes s = { { 0 } };
		bool match;
		uint32_t k;

		for (uint32_t i = 0; i < n_p; i++)
			g->stack[i] = d->nodes[g->list2[i]].out;
		memcpy(g->list2, g->stack, n_p * sizeof *g->list2);
		k = forward(g, g->list2, n_p, g->list, &match);
		if (match || !k)
			break;
		for (uint32_t i = 0; i < k; i++)
			for (int w = 0; w < 4; w++)
				s.w[w] |= d->sets[d->nodes[g->list[i]].arg].w[w];
		if (is_all(&s))
			break;
		out[level++] = s;
		memcpy(g->list2, g->list, k * sizeof *g->list2);
		n_p = k;
	}
	return (uint8_t)level;
}

int
fw_dfa_lit_context(struct fw_dfa *d, const unsigned char *lit, size_t len, bool caseless,
		   struct fw_dfa_ctx *out)
{
	struct dfa_graph *g;
	uint32_t entry;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (d->n_members != 1 || !len)
		return 0;
	entry = d->starts[0];
	g = graph_prepare(d);
	if (!g)
		return -ENOMEM;
	for (uint32_t v = 0; v < d->n_nodes && !rc; v++) {
		const struct nfa_node *x = &d->nodes[v];
		uint32_t last;
		struct fw_rx_bytes before[FW_DFA_CTX_MAX], after[FW_DFA_CTX_MAX];

		if (x->kind != N_SET || !only_byte(&d->sets[x->arg], lit[0], caseless))
			continue;
		last = chain(g, v, lit, len, caseless);
		if (last == UINT32_MAX || !dominates(g, entry, v))
			continue;
		out->n_before = levels_before(g, entry, v, before);
		out->n_after = levels_after(g, last, after);
		memcpy(out->before, before, out->n_before * sizeof *before);
		memcpy(out->after, after, out->n_after * sizeof *after);
		/* A chain with nothing around it says nothing: try another. */
		rc = out->n_before || out->n_after;
	}
	return rc;
}
