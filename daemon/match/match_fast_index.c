/*
 * match_fast_index: the index of a set of keys (see match_fast_int.h): the
 * pair map (or, with many keys, the bucketed filter of match_fast_fdr.h),
 * the hashed filter of 4-byte keys, and the hash table of keys leading to
 * the literals to verify with their heads. match_fast_build.c indexes the
 * keys it chooses; a context indexes keys of its own (match_fast_adapt.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_int.h"

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
	free(idx->slots);
	free(idx->pair);
	free(idx->filter4);
	fw__fdr_free(&idx->fdr);
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

	if (l->len > FP_HEAD_LEN && 2 * off + klen < l->len)
		h = l->len - FP_HEAD_LEN;
	oc->lit = i;
	oc->off = off;
	oc->back = off + klen;
	oc->head_off = h;
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

/*
 * The bucketed filter's window of each scanned literal: the bytes of the
 * literal up to its key's end, and past it when the literal has bytes
 * there and fewer than FW_FDR_WINDOW_MAX before it.
 */
static int
fdr_build(const struct fast *f, const struct fp_key *keys, struct fp_index *idx)
{
	struct fw_fdr_window *w = malloc((f->n_lits ? f->n_lits : 1) * sizeof *w);
	uint32_t n = 0;
	int rc;

	if (!w)
		return -ENOMEM;
	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];
		uint32_t key_end = keys[i].off + keys[i].klen, past = 0, end, wlen;

		if (!fp_lit_scanned(l))
			continue;
		if (key_end < FW_FDR_WINDOW_MAX)
			past = FW_FDR_WINDOW_MAX - key_end;
		if (past > l->len - key_end)
			past = l->len - key_end;
		end = key_end + past;
		wlen = end < FW_FDR_WINDOW_MAX ? end : FW_FDR_WINDOW_MAX;
		w[n].bytes = l->bytes + end - wlen;
		w[n].len = wlen;
		w[n].caseless = l->caseless;
		w[n].group = fp_group(keys[i].klen, past);
		n++;
	}
	rc = fw__fdr_build(&idx->fdr, w, n);
	free(w);
	if (rc == 0)
		idx->use_fdr = true;
	return rc;
}

int
fw__fast_index_build(const struct fast *f, const struct fp_key *keys, struct fp_index *idx)
{
	uint32_t n_slots = 16, bits = 16, n_scanned = 0;
	bool use_fdr;

	memset(idx, 0, sizeof *idx);
	for (uint32_t i = 0; i < f->n_lits; i++)
		n_scanned += fp_lit_scanned(&f->lits[i]);
	use_fdr = n_scanned >= FP_FDR_KEYS;
	while (n_slots < 2 * f->n_lits)
		n_slots *= 2;
	/* About 32 filter bits per key keeps false hits near 3%, within 4 MiB. */
	while (bits < 25 && (1u << bits) < 32 * f->n_lits)
		bits++;
	idx->hash_shift = 32 - bits;
	idx->slot_mask = n_slots - 1;
	idx->slots = calloc(n_slots, sizeof *idx->slots);
	idx->occs = calloc(f->n_lits ? f->n_lits : 1, sizeof *idx->occs);
	idx->filter4 = calloc(((size_t)1 << bits) / 64, sizeof(uint64_t));
	if (!use_fdr)
		idx->pair = calloc(65536, 1);
	if (!idx->slots || !idx->occs || !idx->filter4 || (use_fdr ? fdr_build(f, keys, idx) < 0 : !idx->pair)) {
		fw__fast_index_free(idx);
		return -ENOMEM;
	}

	/* Count occurrences per distinct key, then lay them out (scanned literals only). */
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_slot *s;

		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		if (idx->pair)
			pair_map_add(idx->pair, &f->lits[i], keys[i].klen, keys[i].off);
		if (keys[i].klen == 4) {
			uint32_t h = key_hash(keys[i].key, idx->hash_shift);

			idx->filter4[h / 64] |= (uint64_t)1 << (h % 64);
		}
		s = index_slot(idx, &keys[i]);
		s->key = keys[i].key;
		s->klen = keys[i].klen;
		s->n_occ++;
	}
	for (uint32_t h = 0, pos = 0; h < n_slots; h++) {
		idx->slots[h].first_occ = pos;
		pos += idx->slots[h].n_occ;
		idx->slots[h].n_occ = 0;
	}
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_slot *s;

		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		s = index_slot(idx, &keys[i]);
		occ_fill(&idx->occs[s->first_occ + s->n_occ], &f->lits[i], i, keys[i].off, keys[i].klen);
		s->n_occ++;
	}
	return 0;
}

