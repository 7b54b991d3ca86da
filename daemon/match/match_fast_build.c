/*
 * match_fast_build: compiles the fast engine (see match_fast.c) from a KB.
 *
 * The KB's literal analysis of each pattern (fw_pattern.lit, made once at
 * load) gives its required factor sets; up to FACTORS_MAX are kept per
 * pattern, ranked by match_fast_rank.c. The first (rarest) is what the
 * scan looks for; the others are looked up on the line once it was seen.
 * Patterns whose factors are weak, or that have none, go to the DFA when
 * it models them, built from the syntax trees the KB read at load (the
 * matcher borrows them, as it borrows the literal analysis). Literals are deduplicated and
 * indexed by their keys (match_fast_index.c), as a context may index the
 * same literals under other keys (match_fast_adapt.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa.h"
#include "match/lit.h"
#include "match/match_engine.h"
#include "match/match_fast_int.h"
#include "match/match_fast_rank.h"

/*
 * Chosen factors less rare than this together (about four uncommon
 * letters) pass many ordinary lines: such patterns go to the DFA when it
 * models them. At most DFA_MEMBERS_MAX of them, to bound its states.
 */
#define SCORE_WEAK 24
#define DFA_MEMBERS_MAX 4096

static void
fast_free(struct fast *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n_lits; i++)
		free(f->lits[i].bytes);
	free(f->lits);
	free(f->refs);
	free(f->keys);
	fw__fast_index_free(&f->index);
	free(f->need);
	free(f->always);
	free(f->min_bytes);
	free(f->factors);
	free(f->factor_lits);
	free(f->decide_lit);
	fw_dfa_free(f->dfa);
	free(f->dfa_pattern);
	free(f->in_dfa);
	free(f->dfa_group);
	free(f->group_rep);
	free(f->ctxs);
	free(f->anchors);       /* their bytes are the literals' */
	free(f->anchor_sets);
	free(f->anchor_set_first);
	free(f->anchor_buckets);
	free(f->anchor_lits);
	free(f->canon);
	free(f->same_next);
	free(f->shapes);
	free(f->member_shape);
	free(f->gate_shapes);
	free(f->gate_shape_list);
	free(f->confirm_shape);
	fw__fast_ascii_free(f);
	free(f);
}

static uint32_t
source_hash(const char *s, bool caseless)
{
	uint32_t h = caseless ? 0x811C9DC5u : 0x01000193u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x01000193u;
	return h;
}

/*
 * Links the patterns of equal source and case mode (see match_fast_int.h):
 * canon[p] is the first of p's kind, same_next[p] the next. 0 or -ENOMEM.
 */
static int
link_equal_patterns(struct fast *f, const struct fw_kb *kb)
{
	uint32_t n = kb->n_patterns, size = 16, *tab, *last;

	while (size < 2 * n)
		size *= 2;
	f->canon = malloc((n ? n : 1) * sizeof *f->canon);
	f->same_next = malloc((n ? n : 1) * sizeof *f->same_next);
	tab = malloc(size * sizeof *tab);
	last = malloc((n ? n : 1) * sizeof *last);     /* per canon: its last follower so far */
	if (!f->canon || !f->same_next || !tab || !last) {
		free(tab);
		free(last);
		return -ENOMEM;
	}
	memset(tab, 0xFF, size * sizeof *tab);
	for (uint32_t p = 0; p < n; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];
		bool ci = (kb->records[pat->record].flags & FW_REC_CASELESS) != 0;
		uint32_t j = source_hash(pat->source, ci) & (size - 1);

		f->canon[p] = p;
		f->same_next[p] = UINT32_MAX;
		for (; tab[j] != UINT32_MAX; j = (j + 1) & (size - 1)) {
			const struct fw_pattern *q = &kb->patterns[tab[j]];

			if (ci == ((kb->records[q->record].flags & FW_REC_CASELESS) != 0) &&
			    strcmp(q->source, pat->source) == 0)
				break;
		}
		if (tab[j] == UINT32_MAX) {
			tab[j] = p;
			last[p] = p;
			continue;
		}
		f->canon[p] = tab[j];
		f->same_next[last[tab[j]]] = p;
		last[tab[j]] = p;
	}
	free(tab);
	free(last);
	return 0;
}

/* Temporary (literal, pattern, bit) triples, before literals are deduplicated. */
struct pending {
	const struct fw_lit *lit;
	uint32_t pattern;
	uint8_t bit;
	uint32_t ctx;           /* in the temporary contexts, or FP_CTX_NONE */
	const struct fw_dfa_ctx *ctxp;  /* the same, once they are all found (or NULL) */
	uint32_t lit_index;     /* filled by dedup */
};

/*
 * Contexts found during the build, each once (many literals share one:
 * "a digit before"); pending entries point into them by index.
 */
struct ctx_list {
	struct fw_dfa_ctx *a;
	uint32_t n, cap;
	uint32_t *ht;           /* open addressing over a: index + 1, 0 = empty */
	uint32_t mask;
	struct fw_dfa *one;     /* the pattern being read (dfa_ctx.c), one for all */
};

static uint32_t
ctx_hash(const struct fw_dfa_ctx *x)
{
	const unsigned char *b = (const unsigned char *)x;
	uint32_t h = 0x811C9DC5u;

	for (size_t i = 0; i < sizeof *x; i++)
		h = (h ^ b[i]) * 0x01000193u;
	return h;
}

/* The index of the context a[n] (just filled) once deduplicated, or -ENOMEM. */
static int64_t
ctx_intern(struct ctx_list *cl)
{
	uint32_t j;

	if (2 * (cl->n + 1) > cl->mask + 1) {
		uint32_t size = cl->mask ? 2 * (cl->mask + 1) : 256;
		uint32_t *ht = calloc(size, sizeof *ht);

		if (!ht)
			return -ENOMEM;
		for (uint32_t i = 0; i < cl->n; i++) {
			for (j = ctx_hash(&cl->a[i]) & (size - 1); ht[j]; j = (j + 1) & (size - 1))
				;
			ht[j] = i + 1;
		}
		free(cl->ht);
		cl->ht = ht;
		cl->mask = size - 1;
	}
	for (j = ctx_hash(&cl->a[cl->n]) & cl->mask; cl->ht[j]; j = (j + 1) & cl->mask)
		if (memcmp(&cl->a[cl->ht[j] - 1], &cl->a[cl->n], sizeof *cl->a) == 0)
			return cl->ht[j] - 1;
	cl->ht[j] = cl->n + 1;
	return cl->n++;
}

static int
cmp_ctx(const struct fw_dfa_ctx *x, const struct fw_dfa_ctx *y)
{
	if (x == y)
		return 0;
	if (!x || !y)
		return !x ? -1 : 1;
	return memcmp(x, y, sizeof *x);
}

static int
cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	size_t n = x->lit->len < y->lit->len ? x->lit->len : y->lit->len;
	int c = memcmp(x->lit->bytes, y->lit->bytes, n);

	if (c)
		return c;
	if (x->lit->len != y->lit->len)
		return x->lit->len < y->lit->len ? -1 : 1;
	if (x->lit->caseless != y->lit->caseless)
		return x->lit->caseless ? 1 : -1;
	c = cmp_ctx(x->ctxp, y->ctxp);
	if (c)
		return c;
	if (x->pattern != y->pattern)
		return x->pattern < y->pattern ? -1 : 1;
	return (int)x->bit - (int)y->bit;
}

static int
cmp_pending_pattern(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->pattern != y->pattern)
		return x->pattern < y->pattern ? -1 : 1;
	if (x->bit != y->bit)
		return (int)x->bit - (int)y->bit;
	return x->lit_index < y->lit_index ? -1 : x->lit_index > y->lit_index;
}

/* Chooses the key of every scanned literal (match_fast_rank.c), then indexes them. */
static int
build_index(struct fast *f)
{
	struct window_counts wc;
	uint64_t common_pairs[65536 / 64];

	f->keys = calloc(f->n_lits ? f->n_lits : 1, sizeof *f->keys);
	if (!f->keys || fw__rank_window_counts(f, &wc) < 0)
		return -ENOMEM;
	if (fw__rank_common_pairs(f, common_pairs) < 0) {
		free(wc.slots);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < f->n_lits; i++) {
		unsigned klen;

		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		fw__rank_lit_key(&f->lits[i], &wc, common_pairs, &f->keys[i].key, &klen, &f->keys[i].off);
		f->keys[i].klen = (uint8_t)klen;
	}
	free(wc.slots);
	return fw__fast_index_build(f, f->keys, &f->index);
}

/*
 * Offers pattern p (its tree rx) to the DFA when its chosen factors are
 * weak. Returns 1 when the DFA took it, 0 when not, -ENOMEM.
 */
static int
offer_dfa(struct fast *f, const struct fw_regex *rx, uint32_t p, unsigned rarity)
{
	int rc;

	if (rarity >= SCORE_WEAK || fw_dfa_size(f->dfa) >= DFA_MEMBERS_MAX)
		return 0;
	rc = fw_dfa_add(f->dfa, rx);
	if (rc == -ENOTSUP)
		return 0;
	if (rc < 0)
		return rc;
	f->dfa_pattern[fw_dfa_size(f->dfa) - 1] = p;
	f->in_dfa[p] = 1;
	return 1;
}

/*
 * The shapes of pattern p (its tree rx), when it has one worth a gate: as
 * DFA member m's (m = FW_SHAPE_NONE: p is not in the DFA, and its own
 * confirmation waits for it). 0 or -ENOMEM.
 */
static int
add_shape(struct fast *f, const struct fw_regex *rx, uint32_t p, uint32_t m)
{
	struct fw_shapes s;
	uint32_t i;

	if (!fw_shapes_from_tree(rx, &s))
		return 0;
	for (i = 0; i < f->n_shapes; i++)
		if (memcmp(&f->shapes[i], &s, sizeof s) == 0)
			break;
	if (i == f->n_shapes) {
		if ((f->n_shapes & (f->n_shapes - 1)) == 0) {
			struct fw_shapes *ns = realloc(f->shapes, (f->n_shapes ? 2 * f->n_shapes : 1) * sizeof *ns);

			if (!ns)
				return -ENOMEM;
			f->shapes = ns;
		}
		f->shapes[f->n_shapes++] = s;
	}
	if (m != FW_SHAPE_NONE)
		f->member_shape[m] = i;
	else
		f->confirm_shape[p] = i;
	return 0;
}

/*
 * Gate g's shapes (see match_fast_int.h): the distinct shapes of the DFA
 * members in it, when each has one, less those another one implies (the
 * gate passes where any does). 0 or -ENOMEM.
 */
static int
gate_shapes(struct fast *f, uint32_t g, bool (*in)(const struct fast *, uint32_t, uint32_t))
{
	struct fp_shape_gate *gate = &f->gate_shapes[g];
	uint32_t n = fw_dfa_size(f->dfa), n_all = 0, *list, *all;

	gate->first = 0;
	gate->n = 0;
	list = realloc(f->gate_shape_list, ((size_t)g + 1) * GATE_SHAPES_MAX * sizeof *list);
	if (!list)
		return -ENOMEM;
	f->gate_shape_list = list;
	all = malloc((n ? n : 1) * sizeof *all);
	if (!all)
		return -ENOMEM;
	for (uint32_t m = 0; m < n; m++) {
		uint32_t s = f->member_shape[m], k = 0;

		if (!in(f, m, g))
			continue;
		if (s == FW_SHAPE_NONE) {
			free(all);
			return 0;
		}
		while (k < n_all && all[k] != s)
			k++;
		if (k == n_all)
			all[n_all++] = s;
	}
	list += (size_t)g * GATE_SHAPES_MAX;
	for (uint32_t i = 0; i < n_all; i++) {
		bool covered = false;

		/* Of two shapes that imply each other (equal), the first stays. */
		for (uint32_t j = 0; j < n_all && !covered; j++)
			covered = j != i && fw_shapes_implies(&f->shapes[all[i]], &f->shapes[all[j]]) &&
				 (j < i || !fw_shapes_implies(&f->shapes[all[j]], &f->shapes[all[i]]));
		if (covered)
			continue;
		if (gate->n == GATE_SHAPES_MAX) {
			gate->n = 0;
			break;
		}
		list[gate->n++] = all[i];
	}
	free(all);
	gate->first = g * GATE_SHAPES_MAX;
	return 0;
}

static bool
member_in_group(const struct fast *f, uint32_t m, uint32_t g)
{
	if (g == DFA_GROUPS_MAX)
		return !f->need[f->dfa_pattern[m]];
	return f->need[f->dfa_pattern[m]] && f->dfa_group[m] == g;
}

/* The shapes of every gate group, and of the members without literals. 0 or -ENOMEM. */
static int
group_shapes(struct fast *f)
{
	int rc = 0;

	f->gate_shapes = calloc(DFA_GROUPS_MAX + 1, sizeof *f->gate_shapes);
	if (!f->gate_shapes)
		return -ENOMEM;
	for (uint32_t g = 0; g < f->n_dfa_groups && !rc; g++)
		rc = gate_shapes(f, g, member_in_group);
	if (!rc && f->n_dfa_free)
		rc = gate_shapes(f, DFA_GROUPS_MAX, member_in_group);
	return rc;
}

static bool
same_factors(const struct fast *f, uint32_t p, uint32_t q)
{
	if (f->need[p] != f->need[q])
		return false;
	for (uint32_t b = 0; b < FACTORS_MAX; b++) {
		const struct fp_factor *x = &f->factors[p * FACTORS_MAX + b];
		const struct fp_factor *y = &f->factors[q * FACTORS_MAX + b];

		if (x->n_lits != y->n_lits ||
		    memcmp(f->factor_lits + x->first_lit, f->factor_lits + y->first_lit,
			   x->n_lits * sizeof *f->factor_lits) != 0)
			return false;
	}
	return true;
}

/* Sorts the DFA members with literals into gate groups (see match_fast_int.h). */
static int
group_dfa_members(struct fast *f)
{
	uint32_t n = fw_dfa_size(f->dfa);

	f->dfa_group = calloc(n ? n : 1, sizeof *f->dfa_group);
	f->group_rep = calloc(DFA_GROUPS_MAX, sizeof *f->group_rep);
	if (!f->dfa_group || !f->group_rep)
		return -ENOMEM;
	for (uint32_t m = 0; m < n; m++) {
		uint32_t p = f->dfa_pattern[m], g = 0;

		if (!f->need[p])
			continue;
		while (g < f->n_dfa_groups && !same_factors(f, p, f->group_rep[g]))
			g++;
		if (g == f->n_dfa_groups) {
			if (g == DFA_GROUPS_MAX) {
				f->n_dfa_groups = 0;    /* too many: the DFA runs on any gate literal */
				return 0;
			}
			f->group_rep[f->n_dfa_groups++] = p;
		}
		f->dfa_group[m] = g;
	}
	return 0;
}

/*
 * The context of each single-literal factor of a pattern (its tree rx;
 * sets[chosen[i]] for i < n) into ctx[i] (FP_CTX_NONE when none), read
 * from the pattern's own NFA (dfa_ctx.c), built in cl->one. A pattern the
 * DFA does not model gets none. 0 or -ENOMEM.
 */
static int
factor_contexts(const struct fw_regex *rx, const struct fw_lit_info *info, const size_t *chosen,
		size_t n, struct ctx_list *cl, uint32_t *ctx)
{
	bool any = false;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		ctx[i] = FP_CTX_NONE;
		any |= info->required[chosen[i]].n == 1;
	}
	if (!any)
		return 0;
	if (!cl->one && !(cl->one = fw_dfa_new()))
		return -ENOMEM;
	fw_dfa_clear(cl->one);
	rc = fw_dfa_add(cl->one, rx);
	for (size_t i = 0; i < n && !rc; i++) {
		const struct fw_lit_set *s = &info->required[chosen[i]];

		if (s->n != 1)
			continue;
		if (cl->n == cl->cap) {
			uint32_t cap = cl->cap ? 2 * cl->cap : 64;
			struct fw_dfa_ctx *na = realloc(cl->a, cap * sizeof *na);

			if (!na) {
				rc = -ENOMEM;
				break;
			}
			cl->a = na;
			cl->cap = cap;
		}
		rc = fw_dfa_lit_context(cl->one, s->alts[0].bytes, s->alts[0].len, s->alts[0].caseless,
					&cl->a[cl->n]);
		if (rc == 1) {
			int64_t k = ctx_intern(cl);

			if (k < 0) {
				rc = (int)k;
				break;
			}
			ctx[i] = (uint32_t)k;
		}
		rc = rc < 0 ? rc : 0;
	}
	return rc == -ENOMEM ? rc : 0;
}

/*
 * The bytes of rx's part before its optional end (match_decide.c) into
 * buf, when that part is exact ASCII text alone: its length, else 0.
 */
static size_t
decide_text(const struct fw_regex *rx, unsigned char *buf, size_t cap)
{
	size_t cut, n = 0;
	uint32_t stop = fw__match_decide_stop(rx, &cut);

	if (stop == FW_RX_NONE)
		return 0;
	for (uint32_t x = fw_regex_items(rx); x != stop; x = rx->nodes[x].next) {
		const struct fw_rx_node *item = &rx->nodes[x];
		const uint32_t *cp = item->kind == FW_RX_TEXT ? fw_rx_text(rx, item) : &item->cp;
		uint32_t len = item->kind == FW_RX_TEXT ? item->len : 1;

		if (item->kind == FW_RX_EMPTY)
			continue;
		if ((item->kind != FW_RX_TEXT && item->kind != FW_RX_CHAR) || (item->flags & FW_RX_F_CASELESS) ||
		    len > cap - n)
			return 0;
		for (uint32_t i = 0; i < len; i++) {
			if (cp[i] >= 0x80)
				return 0;
			buf[n++] = (unsigned char)cp[i];
		}
	}
	return n;
}

/*
 * Each pattern's deciding literal (fast.decide_lit): a factor of one exact
 * literal whose bytes are the pattern's part before its optional end. Any
 * place of that literal is a match of the part (ASCII bytes are whole
 * characters, also next to invalid UTF-8), as PCRE2 would find it.
 */
static int
decide_lits(struct fast *f, const struct fw_kb *kb)
{
	unsigned char text[256];

	f->decide_lit = malloc((kb->n_patterns ? kb->n_patterns : 1) * sizeof *f->decide_lit);
	if (!f->decide_lit)
		return -ENOMEM;
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		size_t n;

		f->decide_lit[p] = FP_DECIDE_NONE;
		if (f->canon[p] != p) {
			f->decide_lit[p] = f->decide_lit[f->canon[p]];  /* the same source and case mode */
			continue;
		}
		n = decide_text(fw_kb_pattern_tree(&kb->patterns[p]), text, sizeof text);
		for (uint32_t b = 0; n && b < FACTORS_MAX && f->decide_lit[p] == FP_DECIDE_NONE; b++) {
			const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + b];
			const struct fp_lit *l;

			if (fa->n_lits != 1)
				continue;
			l = &f->lits[f->factor_lits[fa->first_lit]];
			if (!l->caseless && l->len == n && memcmp(l->bytes, text, n) == 0)
				f->decide_lit[p] = f->factor_lits[fa->first_lit];
		}
	}
	return 0;
}

int
fw__fast_compile(struct fw_matcher *m, struct fw_diag *diag)
{
	const struct fw_kb *kb = m->kb;
	struct fw_lit_info *infos = NULL;
	struct pending *pend = NULL;
	size_t n_pend = 0, cap_pend = 0;
	struct lit_counts lc = { .slots = NULL };
	struct ctx_list cl = { NULL, 0, 0, NULL, 0, NULL };
	struct fast *f;
	uint32_t min_line = 0;
	int rc = -ENOMEM;

	f = calloc(1, sizeof *f);
	if (!f)
		return -ENOMEM;
	f->n_patterns = kb->n_patterns;
	for (unsigned b = 0; b < 256; b++)
		f->fold[b] = fold((unsigned char)b);
	f->need = calloc(kb->n_patterns ? kb->n_patterns : 1, 1);
	f->always = calloc(kb->n_patterns + 1u, sizeof *f->always);    /* and its end mark */
	f->min_bytes = calloc(kb->n_patterns ? kb->n_patterns : 1, sizeof *f->min_bytes);
	f->factors = calloc((kb->n_patterns ? kb->n_patterns : 1) * FACTORS_MAX, sizeof *f->factors);
	infos = calloc(kb->n_patterns ? kb->n_patterns : 1, sizeof *infos);
	f->dfa = fw_dfa_new();
	f->dfa_pattern = calloc(DFA_MEMBERS_MAX, sizeof *f->dfa_pattern);
	f->in_dfa = calloc(kb->n_patterns ? kb->n_patterns : 1, 1);
	f->member_shape = malloc(DFA_MEMBERS_MAX * sizeof *f->member_shape);
	f->confirm_shape = malloc((kb->n_patterns ? kb->n_patterns : 1) * sizeof *f->confirm_shape);
	if (!f->member_shape || !f->confirm_shape)
		goto out;
	memset(f->member_shape, 0xFF, DFA_MEMBERS_MAX * sizeof *f->member_shape);
	memset(f->confirm_shape, 0xFF, (kb->n_patterns ? kb->n_patterns : 1) * sizeof *f->confirm_shape);
	if (!f->need || !f->always || !f->min_bytes || !f->factors || !infos || !f->dfa || !f->dfa_pattern ||
	    !f->in_dfa || link_equal_patterns(f, kb) < 0)
		goto out;

	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_pattern *pat = &kb->patterns[p];
		const struct fw_record *rec = &kb->records[pat->record];

		/* Candidates are confirmed in pattern order; that must be KB order. */
		if (p && pat->record < kb->patterns[p - 1].record) {
			fw_diag_add(diag, "%s: %s: patterns: not in KB order", rec->path, rec->id);
			rc = -EINVAL;
			goto out;
		}
		infos[p] = pat->lit;    /* the KB's: borrowed, not freed here */
	}
	rc = fw__rank_counts_build(infos, kb->n_patterns, &lc);
	if (rc == 0)
		rc = fw__fast_confirm_alloc(f, kb);
	if (rc < 0)
		goto out;
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		const struct fw_regex *rx = fw_kb_pattern_tree(&kb->patterns[p]);
		size_t chosen[FACTORS_MAX], n;
		uint32_t ctx[FACTORS_MAX];
		unsigned rarity;

		f->min_bytes[p] = fw_regex_min_bytes(rx, rx->root);
		min_line = p && min_line < f->min_bytes[p] ? min_line : f->min_bytes[p];
		/*
		 * An equal pattern's follower: confirmed after it (match_fast.c),
		 * with its shape, whether it is a candidate or always confirmed.
		 */
		if (f->canon[p] != p) {
			f->confirm_shape[p] = f->confirm_shape[f->canon[p]];
			if (fw__fast_confirm_pattern(f, kb, p, NULL) < 0) {
				rc = -ENOMEM;
				goto out;
			}
			continue;
		}

		n = fw__rank_choose_sets(&infos[p], &lc, chosen, &rarity);
		rc = offer_dfa(f, rx, p, rarity);
		/* DFA members keep the sets that gate them (their groups); the DFA filters the rest. */
		if (rc >= 0 && n && !f->in_dfa[p])
			n = fw__rank_confirm_sets(&infos[p], &lc, chosen, n);
		if (rc >= 0)
			rc = factor_contexts(rx, &infos[p], chosen, n, &cl, ctx);
		/* A shape gates the DFA members, and patterns whose literals filter little or nothing. */
		if (rc >= 0 && (f->in_dfa[p] || !n || rarity < SCORE_WEAK))
			rc = add_shape(f, rx, p, f->in_dfa[p] ? fw_dfa_size(f->dfa) - 1 : FW_SHAPE_NONE);
		if (rc >= 0 && fw__fast_confirm_wants(f, kb, p))
			rc = fw__fast_confirm_pattern(f, kb, p, rx);
		if (rc < 0)
			goto out;
		rc = -ENOMEM;
		if (!n) {
			if (f->in_dfa[p])
				f->n_dfa_free++;
			else
				f->always[f->n_always++] = p;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const struct fw_lit_set *s = &infos[p].required[chosen[i]];

			f->need[p] |= (uint8_t)(1u << i);
			for (size_t a = 0; a < s->n; a++) {
				if (n_pend == cap_pend) {
					size_t cap = cap_pend ? 2 * cap_pend : 256;
					struct pending *np = realloc(pend, cap * sizeof *np);

					if (!np)
						goto out;
					pend = np;
					cap_pend = cap;
				}
				pend[n_pend++] = (struct pending){ &s->alts[a], p, (uint8_t)(1u << i), ctx[i], NULL, 0 };
			}
		}
	}
	f->always[f->n_always] = UINT32_MAX;

	/* Deduplicate literals: equal bytes, case mode and context share one entry. */
	for (size_t i = 0; i < n_pend; i++)
		pend[i].ctxp = pend[i].ctx == FP_CTX_NONE ? NULL : &cl.a[pend[i].ctx];
	if (n_pend)
		qsort(pend, n_pend, sizeof *pend, cmp_pending);
	f->lits = calloc(n_pend ? n_pend : 1, sizeof *f->lits);
	f->refs = calloc(n_pend ? n_pend : 1, sizeof *f->refs);
	/* The contexts, each once, move to the engine. */
	f->ctxs = cl.a;
	f->n_ctxs = cl.n;
	cl.a = NULL;
	if (!f->lits || !f->refs)
		goto out;
	for (size_t i = 0; i < n_pend; i++) {
		struct fp_lit *l;

		if (!i || pend[i].lit->len != pend[i - 1].lit->len ||
		    pend[i].lit->caseless != pend[i - 1].lit->caseless ||
		    memcmp(pend[i].lit->bytes, pend[i - 1].lit->bytes, pend[i].lit->len) != 0 ||
		    cmp_ctx(pend[i].ctxp, pend[i - 1].ctxp) != 0) {
			l = &f->lits[f->n_lits++];
			l->bytes = malloc(pend[i].lit->len ? pend[i].lit->len : 1);
			if (!l->bytes)
				goto out;
			memcpy(l->bytes, pend[i].lit->bytes, pend[i].lit->len);
			l->len = (uint32_t)pend[i].lit->len;
			l->caseless = pend[i].lit->caseless;
			l->first_ref = f->n_refs;
			l->find = fw__rank_lit_find(l);
			l->ctx = FP_CTX_NONE;
			l->ctx = pend[i].ctx;
		}
		l = &f->lits[f->n_lits - 1];
		pend[i].lit_index = f->n_lits - 1;
		/*
		 * Only a pattern's first (rarest) factor is scanned for; the others
		 * are looked up on the line once it was seen, so a common second
		 * factor costs nothing on the many lines without the first. The
		 * same literal twice in one factor needs one ref.
		 */
		if (pend[i].bit == 1 && f->in_dfa[pend[i].pattern])
			l->dfa_gate = true;     /* one flag for all DFA members */
		if (!f->in_dfa[pend[i].pattern])
			l->outside_dfa = true;
		if (pend[i].bit != 1 || f->in_dfa[pend[i].pattern] ||
		    (l->n_refs && f->refs[f->n_refs - 1].pattern == pend[i].pattern &&
		     f->refs[f->n_refs - 1].bit == pend[i].bit))
			continue;
		f->refs[f->n_refs].pattern = pend[i].pattern;
		f->refs[f->n_refs].bit = pend[i].bit;
		f->n_refs++;
		l->n_refs++;
	}

	/* Each factor's literals (the gates' lookups, describe()): regroup by pattern. */
	f->factor_lits = calloc(n_pend ? n_pend : 1, sizeof *f->factor_lits);
	if (!f->factor_lits)
		goto out;
	if (n_pend)
		qsort(pend, n_pend, sizeof *pend, cmp_pending_pattern);
	for (size_t i = 0; i < n_pend; i++) {
		struct fp_factor *fa = &f->factors[pend[i].pattern * FACTORS_MAX +
						   (uint32_t)__builtin_ctz(pend[i].bit)];

		if (!fa->n_lits) {
			fa->first_lit = f->n_factor_lits;
			fa->lit = pend[i].lit_index;
		}
		f->factor_lits[f->n_factor_lits++] = pend[i].lit_index;
		fa->n_lits++;
	}

	rc = decide_lits(f, kb);
	if (rc == 0)
		rc = build_index(f);
	if (rc < 0)
		goto out;
	rc = fw__fast_anchors_build(f);
	if (rc < 0)
		goto out;
	rc = group_dfa_members(f);
	if (rc >= 0)
		rc = group_shapes(f);
	if (rc < 0)
		goto out;
	if (!fw_dfa_size(f->dfa)) {
		fw_dfa_free(f->dfa);
		f->dfa = NULL;
	} else if (fw_dfa_finish(f->dfa) < 0) {
		goto out;
	}
	m->engine_data = f;
	m->min_line = min_line;
	f = NULL;
	rc = 0;
out:
	free(infos);
	free(pend);
	free(cl.a);
	free(cl.ht);
	fw_dfa_free(cl.one);
	free(lc.slots);
	fast_free(f);
	return rc;
}

void
fw__fast_destroy(struct fw_matcher *m)
{
	fast_free(m->engine_data);
	m->engine_data = NULL;
}
