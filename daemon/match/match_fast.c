/*
 * match_fast: the fast engine. One pass over the line finds which patterns'
 * required literals occur; only those patterns (plus the few without a
 * usable literal) are confirmed with PCRE2, in KB order, through
 * fw__match_try(), so results equal the reference engine's.
 *
 * Compile (match_fast_build.c, match_fast_rank.c): each pattern keeps up to
 * FACTORS_MAX required factor sets, ranked by the classes of their bytes
 * (match_fast_rank.h) and how many patterns share them. Each scanned literal
 * is indexed by a key: a window of up to 4 bytes, ASCII case-folded, chosen
 * for a rare pair of last bytes (where the scan stops), then for rare bytes
 * overall and few other literals sharing it; a context then moves keys to
 * the windows that are rare in its own stream (match_fast_adapt.h).
 *
 * Scan: each pair of adjacent raw line bytes indexes the pair map, which
 * holds, for every case variant of every key's last two bytes, the key
 * lengths that may end there (a 1-byte key under every preceding byte).
 * Eight positions are tested per step with one branch. Where most
 * positions end some key's pair (many keys, or text made of the keys'
 * pairs), the scan runs the bucketed filter of match_fast_fdr.h instead,
 * which tests up to 9 bytes of each key's literal around it and stops
 * where a group of keys may end, or that filter keyed by the byte before
 * each pair as well; the context chooses among the three by what each
 * costs on its stream (match_fast_adapt.h).
 * Only where the scan stops is the window folded: a 4-byte key then passes a hashed filter first; a key
 * leads to a small hash table of keys, whose literals are verified in
 * place (exact or case-folded). A verified literal triggers the patterns
 * it is the first factor of; a triggered pattern whose other factors occur
 * on the line becomes a candidate (weak ones go through the DFA first,
 * see dfa.h). The context may index the literals under keys of its own,
 * learnt from its stream (match_fast_adapt.h). Per-line state
 * lives in the context and is reset by generation stamps, so matching
 * never allocates.
 *
 * Soundness rests on lit.c: a literal is only ever required when every
 * match of the pattern contains it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa.h"
#include "match/match_engine.h"
#include "match/match_fast.h"
#include "match/match_fast_adapt.h"
#include "match/match_fast_ctx.h"
#include "match/match_fast_int.h"
#include "match/match_fast_probe.h"
#include "util/sort.h"

/* --- match -------------------------------------------------------------- */

/*
 * Pattern p is a candidate. The patterns equal to it (same_next) are not:
 * confirm() takes them in turn, only when p leaves them open.
 */
static inline void
add_cand(struct fast_ctx *c, uint32_t p)
{
	c->cands[c->n_cands++] = p;
	c->cand_bits[p / 64] |= (uint64_t)1 << (p % 64);
}

/*
 * What the line already says of literal lit, without searching it: 1
 * present, 0 absent, -1 not known yet (lit_present() searches it). An
 * answer of its anchor set's lookup is taken as a lookup, counted and
 * stamped: a literal is looked up once per line, whoever asks.
 */
static inline __attribute__((always_inline)) int
lit_known(const struct fast *f, struct fast_ctx *c, uint32_t lit)
{
	const struct fp_lit *l;

	if (c->lit_stamp[lit].found == c->gen)
		return 1;
	/* A literal with a key in this context is scanned for: the scan found it or it is absent. */
	if (c->lit_stamp[lit].absent == c->gen || c->adapt.klen[lit])
		return 0;
	l = &f->lits[lit];
	if (l->anchor == FP_ANCHOR_NONE || c->set_gen[l->anchor_set] != c->gen)
		return -1;
	/*
	 * Its set's lookup on this line answered it (lit_at_anchor() would:
	 * the lookup marks every present literal without a key), and a lookup
	 * there means anchor_pays() already said yes on this line, as it
	 * would again, noting the second lookup.
	 */
	if (__builtin_expect(c->adapt.searches != NULL, 0))
		c->adapt.searches[lit]++;
	c->anchor_twice[l->anchor] = 1;
	c->lit_stamp[lit].absent = c->gen;
	return 0;
}

/*
 * Whether literal lit occurs in the line, after the scan: a scanned literal
 * was found by it or is absent; any other is looked up at its anchor's
 * places or searched for, once per line.
 */
static inline bool
lit_present(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line, size_t len)
{
	int found = lit_known(f, c, lit);

	return found >= 0 ? found != 0 : fw__fast_lit_lookup(f, c, lit, line, len);
}

/* Whether the line holds a literal of each of p's factors in need (bits). */
static bool
factors_lookup(const struct fast *f, struct fast_ctx *c, uint32_t p, unsigned need,
	       const unsigned char *line, size_t len)
{
	for (; need; need &= need - 1) {
		const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + (unsigned)__builtin_ctz(need)];
		bool one = false;

		for (uint32_t k = 0; !one && k < fa->n_lits; k++)
			one = lit_present(f, c, f->factor_lits[fa->first_lit + k], line, len);
		if (!one)
			return false;
	}
	return true;
}

/*
 * factors_lookup(), without its call while each factor is one literal:
 * their stamps are read inline, and a literal the line has not settled is
 * looked up by fw__fast_lit_lookup() directly (factors_lookup() would read
 * its stamps again, in a larger frame). Most triggered patterns end at their
 * first factor when a common literal triggers many of them (a firewall
 * line's interface triggers every signature of that interface, each with
 * a subnet of its own, which one lookup of their anchor set answers for
 * all), and a DFA gate group's literals are scanned ones.
 */
static inline __attribute__((always_inline)) bool
factors_present(const struct fast *f, struct fast_ctx *c, uint32_t p, unsigned need,
		const unsigned char *line, size_t len)
{
	for (; need; need &= need - 1) {
		const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + (unsigned)__builtin_ctz(need)];
		uint32_t lit;
		int known;

		if (fa->n_lits != 1)
			return factors_lookup(f, c, p, need, line, len);
		lit = fa->lit;
		known = lit_known(f, c, lit);
		if (known < 0)
			known = fw__fast_lit_lookup(f, c, lit, line, len);
		if (!known)
			return false;
	}
	return true;
}

/*
 * factors_present() for a triggered pattern p, its factors to check in
 * need (not none) and the lowest one's lone literal given (lit, from the
 * context's check_lit, or FP_LIT_MANY): most triggered patterns end at
 * that literal, read without the pattern's factors.
 */
static inline __attribute__((always_inline)) bool
check_present(const struct fast *f, struct fast_ctx *c, uint32_t p, unsigned need, uint32_t lit,
	      const unsigned char *line, size_t len)
{
	if (lit == FP_LIT_MANY)
		return factors_lookup(f, c, p, need, line, len);
	return lit_present(f, c, lit, line, len) && factors_present(f, c, p, need & (need - 1), line, len);
}

/*
 * A triggered pattern whose other factors all occur is a candidate. The
 * factor that triggered it is its first, or the one its context moved the
 * trigger to. A sample counts the triggers.
 */
static void
open_gates(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	const uint8_t *check = c->adapt.check;
	const uint32_t *check_lit = c->adapt.check_lit;

	if (__builtin_expect(c->adapt.trig_count != NULL, 0))
		for (uint32_t i = 0; i < c->n_trig; i++)
			c->adapt.trig_count[c->trig[i]]++;
	for (const uint32_t *t = c->trig, *end = c->trig + c->n_trig; t < end; t++)
		if (!check[*t] || check_present(f, c, *t, check[*t], check_lit[*t], line, len))
			add_cand(c, *t);
}

static inline bool
filter_test(const uint64_t *bits, uint32_t i)
{
	return (bits[i / 64] >> (i % 64)) & 1u;
}

/*
 * The pair map said keys of the lengths in `keys` may end at line[i] (i >= 1):
 * build their folded keys from the line and probe them. Only here is a
 * 4-byte window folded, and only when it lies within the line. Inlined:
 * most hits end at the 4-byte filter, and a call cost more than that test.
 */
static inline __attribute__((always_inline)) void
pair_hit(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c,
	 const unsigned char *line, size_t len, size_t i, unsigned keys)
{
	const unsigned char *fold_tab = f->fold;
	uint32_t k2 = (uint32_t)fold_tab[line[i - 1]] << 8 | fold_tab[line[i]];

	if (keys & PAIR_KEY1)
		probe(f, idx, c, fold_tab[line[i]], 1, line, len, i);
	if (keys & PAIR_KEY2)
		probe(f, idx, c, k2, 2, line, len, i);
	if ((keys & PAIR_KEY4) && i >= 3) {
		uint32_t w = (uint32_t)fold_tab[line[i - 3]] << 24 |
			     (uint32_t)fold_tab[line[i - 2]] << 16 | k2;

		if (filter_test(idx->filter4, key_hash(w, idx->hash_shift)))
			probe(f, idx, c, w, 4, line, len, i);
	}
}

/* The OR of the map bytes of the pairs ending at p[1..SCAN_STEP]: whether any key may end there. */
static inline __attribute__((always_inline)) uint8_t
step_any(const uint8_t *map, const unsigned char *p)
{
	/* Written out: compilers at -O2 keep a loop here, with its counter. */
	return map[pair_index(p)] | map[pair_index(p + 1)] | map[pair_index(p + 2)] | map[pair_index(p + 3)] |
	       map[pair_index(p + 4)] | map[pair_index(p + 5)] | map[pair_index(p + 6)] |
	       map[pair_index(p + 7)];
}

/* The same map bytes as one word, byte k for the pair ending at p[k + 1]. */
static inline __attribute__((always_inline)) uint64_t
step_hits(const uint8_t *map, const unsigned char *p)
{
	return (uint64_t)map[pair_index(p)] | (uint64_t)map[pair_index(p + 1)] << 8 |
	       (uint64_t)map[pair_index(p + 2)] << 16 | (uint64_t)map[pair_index(p + 3)] << 24 |
	       (uint64_t)map[pair_index(p + 4)] << 32 | (uint64_t)map[pair_index(p + 5)] << 40 |
	       (uint64_t)map[pair_index(p + 6)] << 48 | (uint64_t)map[pair_index(p + 7)] << 56;
}

/* The positions of a step (its first line[i]) whose map bytes in hits are set, in order. */
static inline __attribute__((always_inline)) void
step_visit(const struct fast *f, const struct fp_index *idx, struct fast_ctx *c, const unsigned char *line,
	   size_t len, size_t i, uint64_t hits)
{
	do {
		unsigned k = (unsigned)__builtin_ctzll(hits) / 8;

		pair_hit(f, idx, c, line, len, i + k, (unsigned)(hits >> (8 * k)) & 0xFF);
		hits &= ~((uint64_t)0xFF << (8 * k));
	} while (hits);
}

struct fdr_scan {
	const struct fast *f;
	const struct fp_index *idx;
	struct fast_ctx *c;
	const unsigned char *line;
	size_t len;
};

/* Bytes fold_before() reads: line[end - FOLD_BEFORE_BYTES + 1 .. end]. */
#define FOLD_BEFORE_BYTES 9

/*
 * The bytes line[end - 8 .. end] folded, line[end] lowest and line[end - 8]
 * highest (end >= FOLD_BEFORE_BYTES - 1): the key of any group ends within them, so one load
 * and one fold serve every group of a place. ASCII letters are folded
 * eight at a time, as fold() does one.
 */
static inline __attribute__((always_inline)) unsigned __int128
fold_before(const unsigned char *line, size_t end)
{
	const uint64_t ones = 0x0101010101010101u, high = ones << 7;
	uint64_t v, low, upper;

	memcpy(&v, line + end - 7, sizeof v);
	v = __builtin_bswap64(v);
	low = v & ~high;
	/* A high bit per byte that is ASCII and from 'A' to 'Z'. */
	upper = (low + ones * (0x80 - 'A')) & ~(low + ones * (0x80 - 'Z' - 1)) & ~v & high;
	return (unsigned __int128)fold(line[end - 8]) << 64 | (v | upper >> 2);
}

/* Per group (fp_group()): its key's length, and the shift and mask that take it from fold_before(). */
struct group_take {
	uint8_t klen, shift;
	uint32_t mask;
};

#define TAKE(klen, past) { klen, 8 * (past), (uint32_t)(((uint64_t)1 << (8 * (klen))) - 1) }
#define TAKE_PASTS(klen) TAKE(klen, 0), TAKE(klen, 1), TAKE(klen, 2), TAKE(klen, 3), TAKE(klen, 4), \
	TAKE(klen, 5), TAKE(klen, 6), TAKE(klen, 7), TAKE(klen, 8)
static const struct group_take group_take[32] = { TAKE_PASTS(1), TAKE_PASTS(2), TAKE_PASTS(4) };
#undef TAKE_PASTS
#undef TAKE
_Static_assert(FW_FDR_WINDOW_MAX == 9, "group_take[] has 9 pasts per key length");

/*
 * The bucketed filter said windows of the groups in `groups` may end at
 * line[end]: probe the key each group's window holds, where it ends.
 */
static inline __attribute__((always_inline)) void
fdr_hit(void *arg, size_t end, uint32_t groups)
{
	const struct fdr_scan *s = arg;
	const unsigned char *fold_tab = s->f->fold, *line = s->line;
	unsigned __int128 w;

	/* Too near the line's start for fold_before(): each group's key on its own. */
	if (end < FOLD_BEFORE_BYTES - 1) {
		for (; groups; groups &= groups - 1) {
			unsigned g = (unsigned)__builtin_ctz(groups), klen = fp_group_klen(g);
			uint32_t past = fp_group_past(g), key = 0;
			size_t i;

			if (end < past + klen - 1)
				continue;
			i = end - past;
			for (unsigned j = 0; j < klen; j++)
				key = key << 8 | fold_tab[line[i + 1 - klen + j]];
			if (klen == 4 && !filter_test(s->idx->filter4, key_hash(key, s->idx->hash_shift)))
				continue;
			probe_fdr(s->f, s->idx, s->c, key, klen, line, s->len, i);
		}
		return;
	}
	/* A window is at most FW_FDR_WINDOW_MAX bytes: every group's key is in w. */
	_Static_assert(FW_FDR_WINDOW_MAX <= FOLD_BEFORE_BYTES, "fold_before() folds FOLD_BEFORE_BYTES bytes");
	w = fold_before(line, end);
	for (; groups; groups &= groups - 1) {
		const struct group_take *t = &group_take[__builtin_ctz(groups)];
		uint32_t key = (uint32_t)(w >> t->shift) & t->mask;

		if (t->klen == 4 && !filter_test(s->idx->filter4, key_hash(key, s->idx->hash_shift)))
			continue;
		probe_fdr(s->f, s->idx, s->c, key, t->klen, line, s->len, end - t->shift / 8);
	}
}

/*
 * The scan of the bucketed filter with the byte before each pair. Out of
 * line: a second copy of the filter's scan and its probes inlined into
 * fast_match() made the compiler move other helpers of it out of line,
 * which cost the streams that never run this stage.
 */
static __attribute__((noinline)) void
scan_fdr_before(struct fdr_scan *s)
{
	fw__fdr_scan_before(&s->idx->fdr_before, s->line, s->len, fdr_hit, s);
}

/*
 * The scan: per position i, one 16-bit load of line[i-1..i] and one byte of
 * the pair map, OR-ed over two steps of SCAN_STEP positions so that the
 * common case (no key ends in them) costs one branch per two steps. A step
 * with a hit visits the positions whose map bytes are set. Position 0 has no preceding byte: only a
 * 1-byte key can end there; the map marks those under every preceding byte,
 * so a zero byte stands in for the missing one. The context may run the
 * bucketed filter instead, with or without the byte before each pair
 * (stage, see enum fp_stage).
 */
static void
scan(const struct fast *f, const struct fp_index *idx, enum fp_stage stage, struct fast_ctx *c,
     const unsigned char *line, size_t len)
{
	const uint8_t *map = idx->pair;
	size_t i = 1;

	if (stage != FP_STAGE_PAIR) {
		struct fdr_scan s = { f, idx, c, line, len };

		if (__builtin_expect(stage == FP_STAGE_FDR_BEFORE, 0))
			scan_fdr_before(&s);
		else
			fw__fdr_scan(&idx->fdr, line, len, fdr_hit, &s);
		return;
	}
	if (!len)
		return;
	{
		const unsigned char first[2] = { 0, line[0] };

		if (map[pair_index(first)] & PAIR_KEY1)
			probe(f, idx, c, f->fold[line[0]], 1, line, len, 0);
	}
	/* Two steps a turn, one branch for both: most steps hold no key's end. */
	for (; i + 2 * SCAN_STEP <= len; i += 2 * SCAN_STEP) {
		const unsigned char *p = line + i - 1;
		uint8_t any = step_any(map, p), any2 = step_any(map, p + SCAN_STEP);

		if (__builtin_expect(!(any | any2), 1))
			continue;
		/*
		 * Loaded again (the empty asm says memory may have changed): kept
		 * from the OR above, the map bytes took registers that cost every
		 * step more than the loads cost the steps with a hit.
		 */
		__asm__ volatile("" ::: "memory");
		if (any)
			step_visit(f, idx, c, line, len, i, step_hits(map, p));
		if (any2)
			step_visit(f, idx, c, line, len, i + SCAN_STEP, step_hits(map, p + SCAN_STEP));
	}
	if (i + SCAN_STEP <= len) {
		if (step_any(map, line + i - 1)) {
			__asm__ volatile("" ::: "memory");
			step_visit(f, idx, c, line, len, i, step_hits(map, line + i - 1));
		}
		i += SCAN_STEP;
	}
	for (; i < len; i++) {
		unsigned keys = map[pair_index(line + i - 1)];

		if (keys)
			pair_hit(f, idx, c, line, len, i, keys);
	}
}

/*
 * Puts the candidates in pattern order and clears their bits. A handful is
 * insertion-sorted; beyond that, walking the bitset costs one word per 64
 * patterns, less than any comparison sort of ~100 candidates.
 */
static void
order_candidates(const struct fast *f, struct fast_ctx *c)
{
	uint32_t *a = c->cands, n = c->n_cands;

	if (n <= 16) {
		for (uint32_t i = 0; i < n; i++)
			c->cand_bits[a[i] / 64] = 0;
		fw_sort_u32_small(a, n);
		return;
	}
	n = 0;
	for (uint32_t w = 0; w < (f->n_patterns + 63) / 64; w++) {
		uint64_t bits = c->cand_bits[w];

		c->cand_bits[w] = 0;
		while (bits) {
			a[n++] = w * 64 + (uint32_t)__builtin_ctzll(bits);
			bits &= bits - 1;
		}
	}
}

/* Whether DFA member m's literals all occur (after gates_open()). */
static bool
member_gate(const struct fast *f, struct fast_ctx *c, uint32_t m, const unsigned char *line, size_t len)
{
	uint32_t p = f->dfa_pattern[m];

	if (!f->need[p])
		return true;
	if (f->n_dfa_groups)    /* group_pass is only this line's when a gate literal was seen */
		return c->dfa_gate_seen && c->group_pass[f->dfa_group[m]];
	return factors_present(f, c, p, f->need[p], line, len);
}

/* Whether gate g's shapes let it pass: it has none, or one occurs in the line. */
static bool
gate_shape_pass(const struct fast *f, uint32_t g, const unsigned char *line, size_t len)
{
	const struct fp_shape_gate *gate = &f->gate_shapes[g];

	if (!gate->n)
		return true;
	for (uint32_t i = gate->first; i < gate->first + gate->n; i++)
		if (fw_shapes_in(&f->shapes[f->gate_shape_list[i]], line, len))
			return true;
	return false;
}

/* A sample counts, per gate group, the lines where the scan found its gate in this context. */
static void
gates_count(const struct fast *f, struct fast_ctx *c)
{
	struct fast_adapt *a = &c->adapt;

	for (uint32_t g = 0; g < f->n_dfa_groups; g++) {
		const struct fp_factor *fa = &f->factors[f->group_rep[g] * FACTORS_MAX + a->gate_bit[g]];

		for (uint32_t k = 0; k < fa->n_lits; k++)
			if (c->lit_stamp[f->factor_lits[fa->first_lit + k]].found == c->gen) {
				a->gate_count[g]++;
				break;
			}
	}
}

/*
 * Whether the DFA has to run: some member's literals all occur, or it has
 * members without any; and, for a gate with shapes, one of them occurs.
 */
static bool
gates_open(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	bool any = f->n_dfa_free != 0 && gate_shape_pass(f, DFA_GROUPS_MAX, line, len);

	if (!c->dfa_gate_seen)
		return any;
	if (!f->n_dfa_groups)
		return true;
	if (__builtin_expect(c->adapt.gate_count != NULL, 0))
		gates_count(f, c);
	for (uint32_t g = 0; g < f->n_dfa_groups; g++) {
		c->group_pass[g] = factors_present(f, c, f->group_rep[g], f->need[f->group_rep[g]], line, len) &&
				   gate_shape_pass(f, g, line, len);
		any |= c->group_pass[g];
	}
	return any;
}

/*
 * One DFA walk says which DFA members can match; those whose literals all
 * occur become candidates. When the DFA gives up on the line, every member
 * whose literals occur does.
 */
static void
dfa_candidates(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	int n;

	if (!gates_open(f, c, line, len))
		return;
	n = fw_dfa_scan(c->dfa, line, len);
	if (n == FW_DFA_GAVE_UP) {
		for (uint32_t m = 0; m < fw_dfa_size(f->dfa); m++)
			if (member_gate(f, c, m, line, len))
				add_cand(c, f->dfa_pattern[m]);
		return;
	}
	for (int i = 0; i < n; i++) {
		uint32_t m = fw_dfa_hits(c->dfa)[i];

		if (member_gate(f, c, m, line, len))
			add_cand(c, f->dfa_pattern[m]);
	}
}

/* What confirm() keeps for a whole line. */
struct confirm_line {
	uint32_t done;          /* the record that matched last: its other patterns are skipped */
	uint32_t limit_errors;  /* ctx->limit_errors before the pattern being confirmed */
	int ascii;              /* whether the line is all ASCII, once a confirmation asks */
	uint32_t starts[FP_STARTS_MAX];
	PCRE2_SIZE walk_ov[2 * FP_WALK_GROUPS];
};

/*
 * Confirms pattern p on the line, unless what is known already settles it.
 * When p cannot match the line, neither can its equals: the first of its
 * kind (canon) has its nomatch_gen stamped, and the others are not tried.
 */
static inline void
confirm_one(struct fw_match_ctx *ctx, const struct fast *f, struct fast_ctx *c, struct confirm_line *cl,
	    uint32_t p, const char *line, size_t len, const uint64_t *mask)
{
	const struct fw_kb *kb = ctx->m->kb;
	struct fw_match_how how;
	const struct fw_match_how *hp;
	bool none = false;

	/* First: most candidates of a KB that repeats patterns end here. */
	if (f->canon[p] != p && c->nomatch_gen[f->canon[p]] == c->gen)
		return;         /* an equal pattern did not match this line */
	if (kb->patterns[p].record == cl->done || !fw_mask_test(mask, kb->patterns[p].record))
		return;
	if (f->confirm_shape[p] != FW_SHAPE_NONE &&
	    !fw_shapes_in(&f->shapes[f->confirm_shape[p]], (const unsigned char *)line, len)) {
		c->nomatch_gen[f->canon[p]] = c->gen;  /* its equals have its shape (match_fast_build.c) */
		return;         /* no match can hold its shape here */
	}
	if (ctx->decide && f->decide_lit[p] != FP_DECIDE_NONE && c->lit_stamp[f->decide_lit[p]].found == c->gen) {
		/* The part before its optional end is a literal the line holds (fast.decide_lit). */
		how = (struct fw_match_how){ .rc = 1, .ov = cl->walk_ov, .later = true };
		hp = &how;
	} else if (f->ascii_code) {     /* else no pattern has another way (JIT) */
		hp = fw__fast_confirm_how(f, p, (const unsigned char *)line, len, &cl->ascii, &how, cl->starts,
					  cl->walk_ov, ctx->decide != NULL, &none);
	} else {
		hp = NULL;
	}
	if (!none && fw__match_try_how(ctx, p, hp, line, len))
		cl->done = kb->patterns[p].record;
	else if (ctx->limit_errors == cl->limit_errors)
		c->nomatch_gen[f->canon[p]] = c->gen;
	cl->limit_errors = ctx->limit_errors;
}

/*
 * The equals still to confirm of candidates and always-confirmed patterns,
 * in c->follow: a min-heap of pattern numbers, at most one per such
 * pattern (the next of its equals).
 */
static void
follow_push(struct fast_ctx *c, uint32_t *n, uint32_t p)
{
	uint32_t i = (*n)++;

	for (; i && c->follow[(i - 1) / 2] > p; i = (i - 1) / 2)
		c->follow[i] = c->follow[(i - 1) / 2];
	c->follow[i] = p;
}

static uint32_t
follow_pop(struct fast_ctx *c, uint32_t *n)
{
	uint32_t top = c->follow[0], last = c->follow[--*n], i = 0;

	for (uint32_t k = 1; k < *n; i = k, k = 2 * k + 1) {
		if (k + 1 < *n && c->follow[k + 1] < c->follow[k])
			k++;
		if (c->follow[k] >= last)
			break;
		c->follow[i] = c->follow[k];
	}
	c->follow[i] = last;
	return top;
}

/*
 * Confirms the candidates and the always-confirmed patterns with their
 * equals, merged in KB order. A pattern's equals come after it in KB
 * order, one at a time, until one of them cannot match the line: then
 * none of the rest can. Out of line: most lines have no candidate, and
 * its frame (the start places, the walk's offsets) then costs them
 * nothing.
 */
static __attribute__((noinline)) void
confirm(struct fw_match_ctx *ctx, const struct fast *f, struct fast_ctx *c, const char *line, size_t len,
	const uint64_t *mask)
{
	struct confirm_line cl;  /* its arrays are written before they are read: not cleared */
	uint32_t n_follow = 0;

	cl.done = UINT32_MAX;
	cl.limit_errors = ctx->limit_errors;
	cl.ascii = -1;

	order_candidates(f, c);
	c->cands[c->n_cands] = UINT32_MAX;     /* as f->always ends */
	for (const uint32_t *always = f->always, *cand = c->cands;;) {
		uint32_t p = *always, q = *cand;

		if (__builtin_expect(n_follow != 0, 0) && c->follow[0] < p && c->follow[0] < q) {
			p = follow_pop(c, &n_follow);
		} else if (p < q) {
			always++;
			/* A candidate's literals already took most of its bytes: only these are measured. */
			if (len < f->min_bytes[p])
				continue;       /* nor its equals: they are as long */
		} else if (q != UINT32_MAX) {
			p = q;
			cand++;
		} else {
			break;
		}
		confirm_one(ctx, f, c, &cl, p, line, len, mask);
		/* The next of its kind, until one of them cannot match (then the rest cannot). */
		if (f->same_next[p] != UINT32_MAX && c->nomatch_gen[f->canon[p]] != c->gen)
			follow_push(c, &n_follow, f->same_next[p]);
	}
}

static void
fast_match(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask)
{
	const struct fast *f = ctx->m->engine_data;
	struct fast_ctx *c = ctx->engine_data;

	if (++c->gen == 0) {
		/* Generation wrapped: forget every stamp once every 2^32 lines. */
		memset(c->pat_gen, 0, f->n_patterns * sizeof *c->pat_gen);
		memset(c->lit_stamp, 0, f->n_lits * sizeof *c->lit_stamp);
		memset(c->nomatch_gen, 0, f->n_patterns * sizeof *c->nomatch_gen);
		memset(c->anchor_gen, 0, f->n_anchors * sizeof *c->anchor_gen);
		memset(c->set_gen, 0, f->n_anchor_sets * sizeof *c->set_gen);
		memset(c->anchor_asked, 0, f->n_anchors * sizeof *c->anchor_asked);
		c->gen = 1;
	}
	c->n_cands = 0;
	c->dfa_gate_seen = false;
	c->n_trig = 0;
	c->n_pos = 0;

	if (f->n_lits) {
		scan(f, fw__adapt_index(&c->adapt, f), c->adapt.stage, c, (const unsigned char *)line, len);
		if (c->n_trig)
			open_gates(f, c, (const unsigned char *)line, len);
	}
	if (f->dfa && (c->dfa_gate_seen || f->n_dfa_free))
		dfa_candidates(f, c, (const unsigned char *)line, len);
	if (c->n_cands || f->n_always)
		confirm(ctx, f, c, line, len, mask);
	/*
	 * After every lookup of this line: a sample that ends here may change
	 * which literals the scan looks for, which must hold for a whole line.
	 */
	if (f->n_lits)
		fw__adapt_line(&c->adapt, f, (const unsigned char *)line, len);
}

const struct fw_match_engine_ops fw__match_fast_ops = {
	.name = "fast",
	.compile = fw__fast_compile,
	.destroy = fw__fast_destroy,
	.ctx_init = fw__fast_ctx_init,
	.ctx_destroy = fw__fast_ctx_destroy,
	.match = fast_match,
};
