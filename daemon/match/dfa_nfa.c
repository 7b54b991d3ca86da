/*
 * dfa_nfa: the syntax tree of one pattern (dfa_lower.c) -> Thompson NFA
 * fragments appended to the set (dfa_int.h), and fw_dfa_add().
 *
 * $ and \Z become "optional newline, then end of line". PCRE2 lets what
 * follows such an anchor consume that final newline ("a$\n" matches
 * "a\n"), which the model cannot; a pattern where anything able to
 * consume a newline can follow $ or \Z is therefore declined.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_ast.h"
#include "match/regex_parse.h"

static int64_t
node(struct parser *ps, uint8_t kind, uint32_t arg, uint32_t out, uint32_t out2)
{
	if (ps->d->n_nodes - ps->base >= DFA_MEMBER_NODES_MAX)
		return -ENOTSUP;
	return fw__dfa_node(ps->d, kind, arg, out, out2);
}

static int
push_node(uint32_t **a, uint32_t *n, uint32_t *cap, int64_t v)
{
	if (*n == *cap) {
		uint32_t c = *cap ? 2 * *cap : 8;
		uint32_t *na = realloc(*a, c * sizeof *na);

		if (!na)
			return -ENOMEM;
		*a = na;
		*cap = c;
	}
	(*a)[(*n)++] = (uint32_t)v;
	return 0;
}

static int64_t
set_node(struct parser *ps, const struct fw_rx_bytes *s, uint32_t out)
{
	int64_t set = fw__dfa_set_intern(ps->d, s);

	return set < 0 ? set : node(ps, N_SET, (uint32_t)set, out, 0);
}

/*
 * \z, and with newline \Z and $: the end of the line, after an optional
 * final newline for the latter. Widened: pcre2_match() (the interpreter,
 * used when JIT is not available) ends the subject just before an invalid
 * UTF-8 sequence, where \z holds, and \Z too, also before a newline there
 * ("a\Z" matches "a\n\xff"); so a byte >= 0x80 followed by anything, after
 * the optional newline, leads to the end as well. The nodes made here are
 * the anchor's own, which reachable_after_end() looks through.
 */
static int64_t
emit_end(struct parser *ps, bool newline, uint32_t next)
{
	struct fw_rx_bytes all, high = { { 0 } }, nl = { { 0 } };
	int64_t eot, loop, any, hi, e;

	memset(&all, 0xFF, sizeof all);
	high.w[2] = high.w[3] = ~(uint64_t)0;
	fw_rx_bytes_add(&nl, '\n');
	eot = node(ps, N_EOT, 0, next, 0);
	if (eot >= 0 && push_node(&ps->ends, &ps->n_ends, &ps->cap_ends, eot) < 0)
		return -ENOMEM;
	loop = eot < 0 ? eot : node(ps, N_SPLIT, 0, 0, (uint32_t)eot);
	any = loop < 0 ? loop : set_node(ps, &all, (uint32_t)loop);
	if (any < 0)
		return any;
	ps->d->nodes[loop].out = (uint32_t)any;
	hi = set_node(ps, &high, (uint32_t)loop);
	e = hi < 0 ? hi : node(ps, N_SPLIT, 0, (uint32_t)hi, (uint32_t)eot);
	if (e < 0 || push_node(&ps->inner, &ps->n_inner, &ps->cap_inner, any) < 0 ||
	    push_node(&ps->inner, &ps->n_inner, &ps->cap_inner, hi) < 0)
		return e < 0 ? e : -ENOMEM;
	if (!newline)
		return e;
	if (push_node(&ps->dollars, &ps->n_dollars, &ps->cap_dollars, eot) < 0)
		return -ENOMEM;
	/* The newline may also come just before an invalid sequence (see above). */
	any = set_node(ps, &nl, (uint32_t)e);
	if (any < 0 || push_node(&ps->inner, &ps->n_inner, &ps->cap_inner, any) < 0)
		return any < 0 ? any : -ENOMEM;
	return node(ps, N_SPLIT, 0, (uint32_t)any, (uint32_t)e);
}

/* Builds a's fragment with every exit going to next; its entry node or -errno. */
static int64_t
emit(struct parser *ps, uint32_t a, uint32_t next)
{
	const struct ast *x = &ps->a[a];
	int64_t e, l, c;

	/* Repeats of empty groups make no node, so the node limit alone does not bound this. */
	if (++ps->emits > DFA_EMITS_MAX)
		return -ENOTSUP;

	switch (x->kind) {
	case A_EMPTY:
		return next;
	case A_BOT:
		return node(ps, N_BOT, 0, next, 0);
	case A_WORDB:
		e = node(ps, N_WORDB, x->wide, next, 0);
		if (e >= 0 && push_node(&ps->wordbs, &ps->n_wordbs, &ps->cap_wordbs, e) < 0)
			return -ENOMEM;
		return e;
	case A_EOT:
	case A_EOTNL:
		return emit_end(ps, x->kind == A_EOTNL, next);
	case A_SET: {
		struct fw_rx_bytes s = ps->d->sets[x->set], cont = { { 0 } };
		int64_t set;

		if (!x->wide)
			return node(ps, N_SET, x->set, next, 0);
		/* Any non-ASCII character, widened: a byte >= 0x80, then continuation bytes. */
		s.w[2] = s.w[3] = ~(uint64_t)0;
		cont.w[2] = ~(uint64_t)0;
		l = node(ps, N_SPLIT, 0, 0, next);
		if (l < 0)
			return l;
		set = fw__dfa_set_intern(ps->d, &cont);
		if (set < 0)
			return set;
		c = node(ps, N_SET, (uint32_t)set, (uint32_t)l, 0);
		if (c < 0)
			return c;
		ps->d->nodes[l].out = (uint32_t)c;
		set = fw__dfa_set_intern(ps->d, &s);
		return set < 0 ? set : node(ps, N_SET, (uint32_t)set, (uint32_t)l, 0);
	}
	case A_CAT: {
		uint32_t n = 0, *kids;

		for (uint32_t k = x->child; k != AST_NONE; k = ps->a[k].next)
			n++;
		kids = malloc((n ? n : 1) * sizeof *kids);
		if (!kids)
			return -ENOMEM;
		n = 0;
		for (uint32_t k = x->child; k != AST_NONE; k = ps->a[k].next)
			kids[n++] = k;
		e = next;
		while (n-- > 0 && e >= 0)
			e = emit(ps, kids[n], (uint32_t)e);
		free(kids);
		return e;
	}
	case A_ALT: {
		int64_t rest = -1;

		/* Branches in order; a chain of splits leads to each. */
		for (uint32_t k = x->child; k != AST_NONE; k = ps->a[k].next) {
			e = emit(ps, k, next);
			if (e < 0)
				return e;
			if (rest < 0) {
				rest = e;
				continue;
			}
			rest = node(ps, N_SPLIT, 0, (uint32_t)rest, (uint32_t)e);
			if (rest < 0)
				return rest;
		}
		return rest < 0 ? next : rest;
	}
	case A_REP: {
		uint32_t min = x->min, max = x->max, child = x->child;

		e = next;
		if (max == REP_INF) {
			l = node(ps, N_SPLIT, 0, 0, next);
			if (l < 0)
				return l;
			c = emit(ps, child, (uint32_t)l);
			if (c < 0)
				return c;
			ps->d->nodes[l].out = (uint32_t)c;
			e = l;
		} else {
			for (uint32_t k = min; k < max; k++) {
				c = emit(ps, child, (uint32_t)e);
				if (c < 0)
					return c;
				e = node(ps, N_SPLIT, 0, (uint32_t)c, next);
				if (e < 0)
					return e;
			}
		}
		for (uint32_t k = 0; k < min && e >= 0; k++)
			e = emit(ps, child, (uint32_t)e);
		return e;
	}
	}
	return -ENOTSUP;
}

static bool
is_inner(const struct parser *ps, uint32_t v)
{
	for (uint32_t i = 0; i < ps->n_inner; i++)
		if (ps->inner[i] == v)
			return true;
	return false;
}

/*
 * Whether a node that bad() flags can be reached from the nodes
 * from[0..n_from) (the EOT nodes of end anchors, or WORDB nodes) through
 * free moves, zero-width assertions and the end anchors' own sets: what the
 * model cannot express after an anchor makes the pattern declined.
 */
static bool
reachable_after_end(struct parser *ps, const uint32_t *from, uint32_t n_from,
		    bool (*bad)(const struct fw_dfa *d, const struct nfa_node *x))
{
	struct fw_dfa *d = ps->d;
	uint32_t n = d->n_nodes - ps->base, *stack, top = 0;
	uint8_t *seen;
	bool found = false;

	if (!n_from)
		return false;
	seen = calloc(n ? n : 1, 1);
	/* The starts, then at most two per node visited. */
	stack = malloc(((size_t)n_from + 2 * (size_t)n + 2) * sizeof *stack);
	if (!seen || !stack) {
		free(seen);
		free(stack);
		return true;    /* declines the pattern: safe */
	}
	for (uint32_t i = 0; i < n_from; i++)
		stack[top++] = from[i];
	while (top && !found) {
		uint32_t v = stack[--top];
		const struct nfa_node *x = &d->nodes[v];

		if (v < ps->base || seen[v - ps->base])
			continue;
		seen[v - ps->base] = 1;
		if (x->kind == N_SET && is_inner(ps, v)) {
			stack[top++] = x->out;
			continue;
		}
		found = bad(d, x);
		switch (x->kind) {
		case N_SPLIT:
			stack[top++] = x->out2;
			/* fall through */
		case N_BOT:
		case N_EOT:
		case N_WORDB:
		case N_EPS:
			stack[top++] = x->out;
			break;
		default:
			break;
		}
	}
	free(seen);
	free(stack);
	return found;
}

/*
 * After $ or \Z, PCRE2 lets the rest consume the final newline ("a$\n"
 * matches "a\n"); the model cannot.
 */
static bool
takes_newline(const struct fw_dfa *d, const struct nfa_node *x)
{
	return x->kind == N_SET && fw_rx_bytes_has(&d->sets[x->arg], '\n');
}

/*
 * On an empty line (or at a final newline) an end anchor and ^ or \A hold
 * at once ("$^" matches ""), but the model consumes BOT only before the
 * first byte and EOT only after the last.
 */
static bool
is_start_anchor(const struct fw_dfa *d, const struct nfa_node *x)
{
	(void)d;
	return x->kind == N_BOT;
}

/*
 * The model decides \b and \B when the next byte is consumed, or at the
 * line's end before the end anchors; one after an end anchor would have to
 * be decided after the end.
 */
static bool
is_wordb(const struct fw_dfa *d, const struct nfa_node *x)
{
	(void)d;
	return x->kind == N_WORDB;
}

int
fw_dfa_add(struct fw_dfa *d, const struct fw_regex *rx)
{
	struct parser ps = { .d = d, .base = d->n_nodes };
	uint32_t root;
	int64_t m, e = -ENOTSUP;

	if (d->finished)
		return -EINVAL;
	/* Start-of-pattern options that only limit, tune or restrict PCRE2's
	 * matching keep the DFA a superset; (*UCP) or a newline convention
	 * would not, and the DFA declines those patterns, as it does the
	 * patterns the front end did not understand. */
	if (rx->root == FW_RX_NONE || rx->options_widen)
		return -ENOTSUP;
	if (d->n_members == d->cap_members) {
		uint32_t cap = d->cap_members ? 2 * d->cap_members : 64;
		uint32_t *ns = realloc(d->starts, cap * sizeof *ns);

		if (!ns)
			return -ENOMEM;
		d->starts = ns;
		d->cap_members = cap;
	}
	root = fw__dfa_lower(&ps, rx);
	if (!ps.err) {
		m = node(&ps, N_MATCH, d->n_members, 0, 0);
		e = m < 0 ? m : emit(&ps, root, (uint32_t)m);
		/*
		 * Start anchors are consumed before the first byte and \b or \B
		 * only when it is read, so a start anchor that only a \b or \B
		 * leads to would never be seen ("\b^a" matches "a").
		 */
		if (e >= 0 && (reachable_after_end(&ps, ps.dollars, ps.n_dollars, takes_newline) ||
			       reachable_after_end(&ps, ps.ends, ps.n_ends, is_start_anchor) ||
			       reachable_after_end(&ps, ps.ends, ps.n_ends, is_wordb) ||
			       reachable_after_end(&ps, ps.wordbs, ps.n_wordbs, is_start_anchor)))
			e = -ENOTSUP;
		if (e >= 0 && ps.n_wordbs)
			d->has_wordb = true;
	}
	free(ps.a);
	free(ps.dollars);
	free(ps.inner);
	free(ps.ends);
	free(ps.wordbs);
	if (ps.err || e < 0) {
		d->n_nodes = ps.base;
		return ps.err ? ps.err : (int)e;
	}
	d->starts[d->n_members++] = (uint32_t)e;
	return 0;
}
