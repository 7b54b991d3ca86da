/*
 * match_fast_index: the index of a set of keys (see match_fast_int.h): the
 * two first stages (the pair map and the bucketed filter of
 * match_fast_fdr.h), the hashed filter of 4-byte keys, and the hash table
 * of keys leading to the literals to verify with their heads (its runs of
 * one text split by a byte in match_fast_split.c).
 * match_fast_build.c indexes the keys it chooses; a context indexes keys
 * of its own (match_fast_adapt.c). Also the cost model by which a context
 * chooses its first stage (fw__fast_stage_cost()).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"
#include "match/match_fast_split.h"

/* The bytes a line may hold where a literal has byte c: c and, if caseless, its other case. */
static unsigned
byte_variants(unsigned char c, bool caseless, unsigned char out[2])
{
	unsigned char lc = fold(c);

	out[0] = c;
	if (!caseless || lc < 'a' || lc > 'z')
		return 1;
	out[0] = lc;
	out[1] = (unsigned char)(lc - ('a' - 'A'));
	return 2;
}

/*
 * Marks in the pair map every raw pair a line may hold where the key of
 * literal l ends. A 1-byte key ends a pair whatever byte precedes it.
 */
static void
pair_map_add(uint8_t *map, const struct fp_lit *l, unsigned klen, uint32_t off)
{
	unsigned char v0[2], v1[2], p[2];
	unsigned n0, n1 = byte_variants(l->bytes[off + klen - 1], l->caseless, v1);

	if (klen == 1) {
		for (unsigned b = 0; b < 256; b++)
			for (unsigned j = 0; j < n1; j++) {
				p[0] = (unsigned char)b;
				p[1] = v1[j];
				map[pair_index(p)] |= PAIR_KEY1;
			}
		return;
	}
	n0 = byte_variants(l->bytes[off + klen - 2], l->caseless, v0);
	for (unsigned i = 0; i < n0; i++)
		for (unsigned j = 0; j < n1; j++) {
			p[0] = v0[i];
			p[1] = v1[j];
			map[pair_index(p)] |= klen == 2 ? PAIR_KEY2 : PAIR_KEY4;
		}
}

void
fw__fast_index_free(struct fp_index *idx)
{
	free(idx->occs);
	free(idx->run_heads);
	free(idx->occ_split);
	free(idx->splits);
	free(idx->split_lits);
	free(idx->slots);
	free(idx->pair);
	free(idx->filter4);
	fw__fdr_free(&idx->fdr);
	fw__fdr_free(&idx->fdr_before);
	memset(idx, 0, sizeof *idx);
}

/* The slot of key k in idx: its own, or the empty one where it goes. */
static struct fp_slot *
index_slot(struct fp_index *idx, const struct fp_key *k)
{
	uint32_t h;

	for (h = slot_start(k->key, k->klen, idx->slot_mask);; h = (h + 1) & idx->slot_mask) {
		struct fp_slot *s = &idx->slots[h];

		if (!s->klen || (s->klen == k->klen && s->key == k->key))
			return s;
	}
}

/*
 * Occurrence of literal l (number i) under a key of klen bytes at off, with
 * its head (see fp_occ): the FP_HEAD_LEN bytes of the literal farthest from
 * its key. Literals that share a key tend to share the bytes around it
 * (" be_legacy/admin" and " be_legacy/static" under "_leg"), so the far end
 * is where they differ and where a window that only shares the key fails.
 */
static void
occ_fill(struct fp_occ *oc, const struct fp_lit *l, uint32_t i, uint32_t off, uint32_t klen)
{
	unsigned char head[FP_HEAD_LEN], fold_bytes[FP_HEAD_LEN];
	uint32_t h = 0;

	if (l->len > FP_HEAD_LEN && 2 * off + klen < l->len && l->len - FP_HEAD_LEN <= UINT16_MAX)
		h = l->len - FP_HEAD_LEN;
	oc->lit = i;
	oc->back = off + klen;
	oc->head_off = (uint16_t)h;
	oc->same = 0;
	oc->head_at = (int32_t)h - (int32_t)oc->back;
	for (uint32_t j = 0; j < FP_HEAD_LEN; j++) {
		/* Past a short literal's end: any line byte OR 0xff gives 0xff. */
		head[j] = fold_bytes[j] = 0xff;
		if (h + j >= l->len)
			continue;
		head[j] = l->bytes[h + j];
		fold_bytes[j] = l->caseless && head[j] >= 'a' && head[j] <= 'z' ? 'a' - 'A' : 0;
	}
	memcpy(&oc->head, head, FP_HEAD_LEN);
	memcpy(&oc->head_fold, fold_bytes, FP_HEAD_LEN);
}

/* Whether occurrences a and b stand or fall together on a line up to their contexts (fp_occ.same). */
static bool
occ_same_text(const struct fast *f, const struct fp_occ *a, const struct fp_occ *b)
{
	const struct fp_lit *x = &f->lits[a->lit], *y = &f->lits[b->lit];

	/* The heads first: most neighbours differ there, without a look at their literals. */
	return a->head == b->head && a->head_fold == b->head_fold && a->back == b->back &&
	       a->head_off == b->head_off && x->len == y->len && x->caseless == y->caseless &&
	       memcmp(x->bytes, y->bytes, x->len) == 0;
}

/*
 * oc was just placed in slot s: where it has the text of the occurrence
 * before it there, oc->same says so (1) until occs_count_same() counts
 * the runs, and the slot is marked.
 */
static void
occ_continue(const struct fast *f, struct fp_slot *s, struct fp_occ *oc)
{
	oc->same = 0;
	if ((s->n_occ & ~FP_SLOT_RUNS) > 1 && occ_same_text(f, oc - 1, oc)) {
		oc->same = 1;
		s->n_occ |= FP_SLOT_RUNS;
	}
}

/*
 * The runs occ_continue() marked in occs[0..n), counted from their ends
 * (fp_occ.same). The first occurrences of the runs of FP_RUN_SPLIT_MIN
 * literals or more into heads (n / FP_RUN_SPLIT_MIN + 1 of room), last
 * first; their number.
 */
static uint32_t
occs_count_same(struct fp_occ *occs, uint32_t n, uint32_t *heads)
{
	uint16_t following = 0;
	uint32_t long_runs = 0;

	for (uint32_t i = n; i-- > 0;) {
		bool continues = occs[i].same;

		occs[i].same = following;
		if (!continues && following >= FP_RUN_SPLIT_MIN - 1)
			heads[long_runs++] = i;
		following = !continues ? 0 : following < UINT16_MAX ? (uint16_t)(following + 1) : UINT16_MAX;
	}
	return long_runs;
}

/*
 * A context set narrow enough to stand in a filter window: one that rules
 * out seven byte values in eight. A wider one (\w, [^ ]) would clear most
 * of the table's pairs at its distance for its bucket and cost the
 * bucket's other windows their test there.
 */
#define FDR_SET_MAX 32

/*
 * A window that holds all of its literal, shorter than FW_FDR_WINDOW_MAX,
 * gets the narrow sets its context has right before the literal, up to
 * that length: what a probe would test there anyway (fp_ctx_ok()), tested
 * by the filter. "/5" of `[A-Z_]+/5\d\d ` then passes no "Mozilla/5.0".
 * Only before it: sets after it would move where the window ends, and
 * with it the key's distance from there (the window's group), so a
 * place of its bucket would probe one more group.
 */
static void
fdr_window_context(const struct fast *f, const struct fp_lit *l, struct fw_fdr_window *w)
{
	const struct fw_dfa_ctx *x;

	if (l->ctx == FP_CTX_NONE || w->bytes != l->bytes || w->len != l->len)
		return;
	x = &f->ctxs[l->ctx];
	while (w->len < FW_FDR_WINDOW_MAX && w->n_before < x->n_before &&
	       fw_rx_bytes_count(&x->before[w->n_before]) <= FDR_SET_MAX) {
		w->n_before++;
		w->len++;
	}
	w->before = x->before;
}

/*
 * The bucketed filter's window of each literal with a key: the bytes of the
 * literal up to its key's end, and past it when the literal has bytes
 * there and fewer than FW_FDR_WINDOW_MAX before it, a short literal with
 * its context's narrow sets before it; into fdr, a byte-before table if
 * before.
 */
static int
fdr_build(const struct fast *f, const struct fp_key *keys, struct fw_fdr *fdr, bool before)
{
	struct fw_fdr_window *w = malloc((f->n_lits ? f->n_lits : 1) * sizeof *w);
	uint32_t n = 0;
	int rc;

	if (!w)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];
		uint32_t key_end = keys[i].off + keys[i].klen, past = 0, end, wlen;

		if (!keys[i].klen)
			continue;
		if (key_end < FW_FDR_WINDOW_MAX)
			past = FW_FDR_WINDOW_MAX - key_end;
		if (past > l->len - key_end)
			past = l->len - key_end;
		end = key_end + past;
		wlen = end < FW_FDR_WINDOW_MAX ? end : FW_FDR_WINDOW_MAX;
		w[n] = (struct fw_fdr_window){ .bytes = l->bytes + end - wlen, .len = wlen, .caseless = l->caseless,
					       .group = fp_group(keys[i].klen, past) };
		fdr_window_context(f, l, &w[n]);
		n++;
	}
	rc = before ? fw__fdr_build_before(fdr, w, n) : fw__fdr_build(fdr, w, n);
	free(w);
	return rc;
}

int
fw__fast_index_build(const struct fast *f, const struct fp_key *keys, struct fp_index *idx)
{
	int rc = fw__fast_index_build_pair(f, keys, NULL, idx);

	if (rc == 0 && (rc = fw__fast_index_add_fdr(f, keys, idx)) < 0)
		fw__fast_index_free(idx);
	return rc;
}

int
fw__fast_index_add_fdr(const struct fast *f, const struct fp_key *keys, struct fp_index *idx)
{
	return fw__fast_index_add_stage(f, keys, FP_STAGE_FDR, idx);
}

/* The table stage s scans in idx (NULL for the pair map, which every index holds). */
static struct fw_fdr *
stage_table(struct fp_index *idx, enum fp_stage s)
{
	return s == FP_STAGE_FDR ? &idx->fdr : s == FP_STAGE_FDR_BEFORE ? &idx->fdr_before : NULL;
}

bool
fw__fast_index_has_stage(const struct fp_index *idx, enum fp_stage s)
{
	return s == FP_STAGE_PAIR || (s == FP_STAGE_FDR ? idx->fdr.mask : idx->fdr_before.mask) != NULL;
}

int
fw__fast_index_add_stage(const struct fast *f, const struct fp_key *keys, enum fp_stage s,
			 struct fp_index *idx)
{
	struct fw_fdr *t = stage_table(idx, s);

	return !t || t->mask ? 0 : fdr_build(f, keys, t, s == FP_STAGE_FDR_BEFORE);
}

void
fw__fast_index_drop_stage(struct fp_index *idx, enum fp_stage s)
{
	struct fw_fdr *t = stage_table(idx, s);

	if (t)
		fw__fdr_free(t);
}

int
fw__fast_index_build_stage(const struct fast *f, const struct fp_key *keys, enum fp_stage s,
			   const struct fp_index *like, struct fp_index *idx)
{
	int rc = fw__fast_index_build_pair(f, keys, like, idx);

	if (rc == 0 && (rc = fw__fast_index_add_stage(f, keys, s, idx)) < 0)
		fw__fast_index_free(idx);
	return rc;
}

/*
 * The keys literal i's key k stands for in the pair map's slots: k itself
 * (the bucketed filter's), and with k->before, a 2-byte key of each byte
 * that may stand before the literal and its first byte, which ends at that
 * first byte. Into out (1 + FP_BEFORE_BYTES); their number.
 */
static unsigned
slot_keys(const struct fast *f, uint32_t i, const struct fp_key *k, struct fp_key *out)
{
	unsigned char b[FP_BEFORE_BYTES];
	unsigned n;

	out[0] = *k;
	n = fp_key_before(f, &f->lits[i], b);
	for (unsigned j = 0; j < n; j++) {
		out[1 + j].key = (uint32_t)b[j] << 8 | fold(f->lits[i].bytes[0]);
		out[1 + j].off = 0;
		out[1 + j].klen = 2;
		out[1 + j].before = true;
	}
	return 1 + n;
}

/*
 * The pair map's entries of the keys of a byte before literal l (keys[1..n)
 * of slot_keys()): the bucketed filter's key, keys[0], has none.
 */
static void
pair_map_before(uint8_t *map, const struct fp_lit *l, const struct fp_key *keys, unsigned n)
{
	unsigned char v[2], p[2];
	unsigned nv = byte_variants(l->bytes[0], l->caseless, v);

	for (unsigned j = 1; j < n; j++)
		for (unsigned k = 0; k < nv; k++) {
			p[0] = (unsigned char)(keys[j].key >> 8);
			p[1] = v[k];
			map[pair_index(p)] |= PAIR_KEY2;
		}
}

/*
 * The slots of idx, twice as many: a key of a byte before a literal adds
 * up to FP_BEFORE_BYTES of them, which the first size did not count.
 */
static __attribute__((noinline, cold)) int
slots_grow(struct fp_index *idx)
{
	struct fp_index old = *idx;
	uint32_t n_slots = 2 * (old.slot_mask + 1);

	idx->slots = calloc(n_slots, sizeof *idx->slots);
	if (!idx->slots) {
		idx->slots = old.slots;
		return -ENOMEM;
	}
	idx->slot_mask = n_slots - 1;
	for (uint32_t h = 0; h <= old.slot_mask; h++)
		if (old.slots[h].klen) {
			struct fp_key k = { .key = old.slots[h].key, .klen = old.slots[h].klen };

			*index_slot(idx, &k) = old.slots[h];
		}
	free(old.slots);
	return 0;
}

/*
 * One more occurrence under key k: its slot, taken if it is new; the table
 * grows first when that would fill more than half of it. -ENOMEM if it
 * cannot grow.
 */
static inline __attribute__((always_inline)) int
slot_count(struct fp_index *idx, const struct fp_key *k, uint32_t *used)
{
	struct fp_slot *s = index_slot(idx, k);

	if (!s->klen) {
		if (2 * (*used + 1) > idx->slot_mask + 1) {
			if (slots_grow(idx) < 0)
				return -ENOMEM;
			s = index_slot(idx, k);
		}
		s->key = k->key;
		s->klen = k->klen;
		++*used;
	}
	s->n_occ++;
	return 0;
}

/* Slot s holds occurrence oc: how far its literals reach from the key's end (fp_slot). */
static void
slot_reach(struct fp_slot *s, const struct fp_occ *oc)
{
	int32_t head_end = oc->head_at + FP_HEAD_LEN;

	if (s->back_max == FP_SLOT_FAR)
		return;
	if (oc->back >= FP_SLOT_FAR || head_end > INT16_MAX) {
		s->back_max = FP_SLOT_FAR;
		return;
	}
	if (oc->back > s->back_max)
		s->back_max = (uint8_t)oc->back;
	if (head_end > s->head_end)
		s->head_end = (int16_t)head_end;
}

int
fw__fast_index_build_pair(const struct fast *f, const struct fp_key *keys, const struct fp_index *like,
			  struct fp_index *idx)
{
	uint32_t n_slots = 16, bits = 16, n_keys = 0, used = 0;
	struct fp_key sk[1 + FP_BEFORE_BYTES];
	int rc;

	memset(idx, 0, sizeof *idx);
	while (n_slots < 2 * f->n_lits)
		n_slots *= 2;
	/* About 32 filter bits per key keeps false hits near 3%, within 4 MiB. */
	while (bits < 25 && (1u << bits) < 32 * f->n_lits)
		bits++;
	idx->hash_shift = 32 - bits;
	idx->slot_mask = n_slots - 1;
	idx->slots = calloc(n_slots, sizeof *idx->slots);
	idx->filter4 = calloc(((size_t)1 << bits) / 64, sizeof(uint64_t));
	idx->pair = calloc(65536, 1);
	if (!idx->slots || !idx->filter4 || !idx->pair)
		goto nomem;

	/* Count occurrences per distinct key, then lay them out (literals with a key only). */
	for (uint32_t i = 0; i < f->n_lits; i++) {
		if (!keys[i].klen)
			continue;
		if (keys[i].before) {
			unsigned n = slot_keys(f, i, &keys[i], sk);

			pair_map_before(idx->pair, &f->lits[i], sk, n);
			for (unsigned j = 1; j < n; j++)
				if (slot_count(idx, &sk[j], &used) < 0)
					goto nomem;
			n_keys += n - 1;
		} else {
			pair_map_add(idx->pair, &f->lits[i], keys[i].klen, keys[i].off);
		}
		if (keys[i].klen == 4) {
			uint32_t h = key_hash(keys[i].key, idx->hash_shift);

			idx->filter4[h / 64] |= (uint64_t)1 << (h % 64);
		}
		if (slot_count(idx, &keys[i], &used) < 0)
			goto nomem;
		n_keys++;
	}
	idx->occs = calloc(n_keys ? n_keys : 1, sizeof *idx->occs);
	if (!idx->occs)
		goto nomem;
	for (uint32_t h = 0, pos = 0; h <= idx->slot_mask; h++) {
		idx->slots[h].first_occ = pos;
		pos += idx->slots[h].n_occ;
		idx->slots[h].n_occ = 0;
	}
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_slot *s;
		struct fp_occ *own;

		if (!keys[i].klen)
			continue;
		s = index_slot(idx, &keys[i]);
		own = &idx->occs[s->first_occ + (s->n_occ++ & ~FP_SLOT_RUNS)];
		occ_fill(own, &f->lits[i], i, keys[i].off, keys[i].klen);
		slot_reach(s, own);
		occ_continue(f, s, own);
		if (!keys[i].before)
			continue;
		for (unsigned j = 1, n = slot_keys(f, i, &keys[i], sk); j < n; j++) {
			struct fp_occ *oc;

			s = index_slot(idx, &sk[j]);
			oc = &idx->occs[s->first_occ + (s->n_occ++ & ~FP_SLOT_RUNS)];
			*oc = *own;
			/* A key of a byte before the literal ends at its first byte. */
			oc->back = 1;
			oc->head_at = (int32_t)oc->head_off - 1;
			slot_reach(s, oc);
			occ_continue(f, s, oc);
		}
	}
	idx->run_heads = malloc((n_keys / FP_RUN_SPLIT_MIN + 1) * sizeof *idx->run_heads);
	if (!idx->run_heads)
		goto nomem;
	idx->n_run_heads = occs_count_same(idx->occs, n_keys, idx->run_heads);
	rc = fw__fast_runs_split(f, idx, n_keys, like);
	if (rc < 0)
		goto nomem;
	return 0;
nomem:
	fw__fast_index_free(idx);
	return -ENOMEM;
}

enum fp_stage
fw__fast_first_stage(const struct fast *f)
{
	uint32_t n_scanned = 0;

	for (uint32_t i = 0; i < f->n_lits; i++)
		n_scanned += fp_lit_scanned(&f->lits[i]);
	return n_scanned >= FP_FDR_KEYS ? FP_STAGE_FDR : FP_STAGE_PAIR;
}

/*
 * The cost model: what each event of the scan (match_fast.c scan(),
 * pair_hit(), fdr_hit(), probe(); fw__fdr_scan() and fw__fdr_report()) costs,
 * in machine instructions of our own code as gcc 12 -O2 builds it for
 * x86-64 with SSE2. Measured with valgrind callgrind (line-level counts of
 * those functions under `fwbench one`, each stage in turn, divided by how
 * often each line runs). They describe the code, not any text: the text
 * only decides how often each event happens, which is what a context
 * counts on its own lines. Rebuild them when those functions change.
 * The steps are charged by the time they take, in the filter step's
 * units (22, its instructions on a quiet stream), measured on a stream
 * where no stage stops (`app`'s text joined into lines of 4 KiB, `ops`'s
 * signatures at N = 1,000, each stage run alone): a pair-map step takes
 * 1.42 times the filter's (31: it makes 16 loads to the filter's 8), the
 * byte-before table's 2.42 times (31 more: its indexes come out of vector
 * registers one by one). Once a step's carry no longer waited for the
 * step before, the filter's steps took far less time than their
 * instructions said; charged 20 a step by its instructions, the pair map
 * was kept where the filter ran 1.1-1.4 times as fast (bench/README.md,
 * "A step's carry from its own pairs"). A place of the filter is charged
 * its own work (COST_FDR_POS, fdr_hit()'s start and the report); what its
 * plain table's turns do before that is charged apart
 * (fw__fdr_turn_passes()): a turn of four steps whose even pairs let a
 * place through takes a mispredicted branch that waits for its loads,
 * and each of its steps that does reads its odd pairs (COST_FDR_TURN_PASS
 * and COST_FDR_ODD: 13-26 ns measured for such a turn against a quiet
 * turn's 8, that is 140-280 units; the low end is taken, as charged 190 a
 * turn the model kept the pair map on `ops` at N = 100, where the filter
 * runs 1.27 times as fast). The byte-before table reads every pair and
 * has neither. Its places, groups and probes cost what the filter's do
 * (the same fdr_hit() and probe_fdr()).
 */
enum {
	COST_PAIR_STEP = 31,            /* a pair-map step of 8 positions, no key ending (in time; see above) */
	COST_PAIR_HIT_STEP = 67,        /* more for a step with one: its positions one by one */
	COST_PAIR_POS = 10,             /* a position where the pair map has a key ending */
	COST_PAIR_TAIL = 5,             /* a position of the line's last short step */
	COST_PAIR_KEY4 = 12,            /* folding the two more bytes of a 4-byte key there */
	COST_FDR_STEP = 22,             /* a bucketed-filter step of 8 positions (the unit of the steps' times) */
	COST_FDR_BEFORE_STEP = 31,      /* more for a step of the byte-before table (in time; see above) */
	COST_FDR_TURN_PASS = 120,       /* a plain filter's turn whose even pairs let a place through (in time) */
	COST_FDR_ODD = 20,              /* each of its steps that does: its odd pairs read */
	COST_FDR_POS = 34,              /* a position the filter reports (its buckets' groups) */
	COST_FDR_GROUP = 17,            /* a group probed there */
	COST_FDR_KEY_BYTE = 8,          /* folding one byte of its key from the line */
	COST_FILTER4 = 6,               /* a 4-byte key's hashed filter test */
	COST_PROBE = 25,                /* a probe: the slot lookup */
	COST_OCC = 12,                  /* each literal of the key's slot, turned away by its head */
	COST_RUN = 14,                  /* more for a run of one text turned away (occ_run_missed()) */
	COST_RUN_MEMBER = 5,            /* and each literal of the run after its first: its miss */
	COST_SPLIT = 180,               /* a split run whose text stands (occ_verify_split()): the text, the byte */
	COST_SPLIT_LEVEL = 10,          /* more for each list split again it reads (FP_RUN_SPLIT_SUB) */
	COST_SPLIT_MEMBER = 52,         /* each member of the list it tests: its stamp and context */
};

/*
 * Where a probe of the bucketed filter stands: its line and the key's
 * last byte (line[end]), so that a split run is charged by the list the
 * line's bytes give it.
 */
struct probe_line {
	const struct fast *f;
	const unsigned char *line;
	size_t len, end;
};

/*
 * What run oc (fp_occ.same) costs the probe of pl when it has a split and
 * its text stands there: the text verified once, the lists walked
 * (fp_split_list()) and the listed members tested, instead of each
 * member's miss. false when it has no split or its text does not stand.
 */
static bool
run_split_cost(const struct fp_index *idx, const struct fp_occ *oc, const struct probe_line *pl, uint64_t *cost)
{
	const struct fp_lit *l = &pl->f->lits[oc->lit];
	const struct fp_run_split *sp = fp_run_split_of(idx, oc);
	uint32_t first, last;
	unsigned levels;
	size_t start;

	if (!sp || pl->end + 1 < oc->back)
		return false;
	start = pl->end + 1 - oc->back;
	if (start + l->len > pl->len || !fp_lit_at(l, pl->line + start))
		return false;
	levels = fp_split_list(idx, sp, pl->line, pl->len, start, l->len, &first, &last);
	*cost = COST_SPLIT + (uint64_t)COST_SPLIT_LEVEL * (levels - 1) + (uint64_t)COST_SPLIT_MEMBER * (last - first);
	return true;
}

/*
 * What the literals of slot s cost a probe that tells its runs of one text
 * (fp_occ.same; the bucketed filter's, at pl): one head a run, then the
 * misses of its other literals, or for a split run whose text stands
 * what its lists cost (run_split_cost()).
 */
static uint64_t
slot_runs_cost(const struct fp_index *idx, const struct fp_slot *s, const struct probe_line *pl)
{
	const struct fp_occ *oc = idx->occs + s->first_occ, *end = oc + (s->n_occ & ~FP_SLOT_RUNS);
	uint64_t cost = 0, split;

	for (; oc < end; oc += oc->same + 1u) {
		cost += COST_OCC;
		if (!oc->same)
			continue;
		cost += run_split_cost(idx, oc, pl, &split) ? split
							     : COST_RUN + (uint64_t)COST_RUN_MEMBER * oc->same;
	}
	return cost;
}

/*
 * What probing key (klen bytes) costs: the lookup, then each literal under
 * it, or with pl (the bucketed filter's probes, which tell runs) each run.
 */
static uint64_t
probe_cost(const struct fp_index *idx, uint32_t key, unsigned klen, const struct probe_line *pl)
{
	for (uint32_t h = slot_start(key, klen, idx->slot_mask);; h = (h + 1) & idx->slot_mask) {
		const struct fp_slot *s = &idx->slots[h];

		if (!s->klen)
			return COST_PROBE;
		if (s->klen != klen || s->key != key)
			continue;
		if (pl && (s->n_occ & FP_SLOT_RUNS))
			return COST_PROBE + slot_runs_cost(idx, s, pl);
		return COST_PROBE + (uint64_t)COST_OCC * (s->n_occ & ~FP_SLOT_RUNS);
	}
}

/* A 4-byte key ending at line[i]: the filter, then a probe if it passes. */
static uint64_t
key4_cost(const struct fp_index *idx, uint32_t key, const struct probe_line *pl)
{
	uint32_t h = key_hash(key, idx->hash_shift);

	if (!((idx->filter4[h / 64] >> (h % 64)) & 1u))
		return COST_FILTER4;
	return COST_FILTER4 + probe_cost(idx, key, 4, pl);
}

/* The keys the pair map says may end at line[i] (see pair_hit()). */
static uint64_t
pair_pos_cost(const struct fast *f, const struct fp_index *idx, const unsigned char *line, size_t i,
	      unsigned keys)
{
	uint32_t k2 = i ? (uint32_t)f->fold[line[i - 1]] << 8 | f->fold[line[i]] : 0;
	uint64_t cost = COST_PAIR_POS;

	if (keys & PAIR_KEY1)
		cost += probe_cost(idx, f->fold[line[i]], 1, NULL);
	if (keys & PAIR_KEY2)
		cost += probe_cost(idx, k2, 2, NULL);
	if ((keys & PAIR_KEY4) && i >= 3)
		cost += COST_PAIR_KEY4 +
			key4_cost(idx, (uint32_t)f->fold[line[i - 3]] << 24 | (uint32_t)f->fold[line[i - 2]] << 16 | k2,
				  NULL);
	return cost;
}

static uint64_t
pair_cost(const struct fast *f, const struct fp_index *idx, const unsigned char *line, size_t len)
{
	const uint8_t *map = idx->pair;
	const unsigned char first[2] = { 0, len ? line[0] : 0 };
	uint64_t cost = 0;
	size_t i = 1;

	if (!len)
		return 0;
	if (map[pair_index(first)] & PAIR_KEY1)
		cost += pair_pos_cost(f, idx, line, 0, PAIR_KEY1);
	for (; i + SCAN_STEP <= len; i += SCAN_STEP) {
		const unsigned char *p = line + i - 1;
		unsigned any = map[pair_index(p)] | map[pair_index(p + 1)] | map[pair_index(p + 2)] |
			       map[pair_index(p + 3)] | map[pair_index(p + 4)] | map[pair_index(p + 5)] |
			       map[pair_index(p + 6)] | map[pair_index(p + 7)];

		cost += COST_PAIR_STEP;
		if (!any)
			continue;
		cost += COST_PAIR_HIT_STEP;
		for (unsigned k = 0; k < SCAN_STEP; k++) {
			unsigned keys = map[pair_index(line + i + k - 1)];

			if (keys)
				cost += pair_pos_cost(f, idx, line, i + k, keys);
		}
	}
	for (; i < len; i++) {
		unsigned keys = map[pair_index(line + i - 1)];

		cost += COST_PAIR_TAIL;
		if (keys)
			cost += pair_pos_cost(f, idx, line, i, keys);
	}
	return cost;
}

struct fdr_cost {
	const struct fast *f;
	const struct fp_index *idx;
	const unsigned char *line;
	size_t len;
	uint64_t cost;
};

/* The groups the bucketed filter reports at line[end] (see fdr_hit()). */
static void
fdr_pos_cost(void *arg, size_t end, uint32_t groups)
{
	struct fdr_cost *s = arg;
	struct probe_line pl = { s->f, s->line, s->len, 0 };

	s->cost += COST_FDR_POS;
	for (; groups; groups &= groups - 1) {
		unsigned g = (unsigned)__builtin_ctz(groups), klen = fp_group_klen(g);
		uint32_t past = fp_group_past(g), key = 0;
		size_t i;

		s->cost += COST_FDR_GROUP;
		if (end < past + klen - 1)
			continue;
		i = end - past;
		for (unsigned j = 0; j < klen; j++)
			key = key << 8 | s->f->fold[s->line[i + 1 - klen + j]];
		s->cost += (uint64_t)COST_FDR_KEY_BYTE * klen;
		pl.end = i;
		s->cost += klen == 4 ? key4_cost(s->idx, key, &pl) : probe_cost(s->idx, key, klen, &pl);
	}
}

uint64_t
fw__fast_stage_floor(enum fp_stage s, size_t len)
{
	return (uint64_t)(s == FP_STAGE_FDR_BEFORE ? COST_FDR_STEP + COST_FDR_BEFORE_STEP : COST_FDR_STEP) *
	       ((len + FW_FDR_STEP - 1) / FW_FDR_STEP);
}

uint64_t
fw__fast_stage_cost(const struct fast *f, const struct fp_index *idx, enum fp_stage s,
		    const unsigned char *line, size_t len)
{
	struct fdr_cost c = { f, idx, line, len, 0 };

	if (s == FP_STAGE_PAIR)
		return pair_cost(f, idx, line, len);
	if (s == FP_STAGE_FDR_BEFORE)
		fw__fdr_scan_before(&idx->fdr_before, line, len, fdr_pos_cost, &c);
	else {
		size_t turns, steps;

		fw__fdr_scan(&idx->fdr, line, len, fdr_pos_cost, &c);
		fw__fdr_turn_passes(&idx->fdr, line, len, &turns, &steps);
		c.cost += (uint64_t)COST_FDR_TURN_PASS * turns + (uint64_t)COST_FDR_ODD * steps;
	}
	return c.cost + fw__fast_stage_floor(s, len);
}
