/*
 * dfa: the compiled set (dfa_int.h) that dfa_nfa.c appends patterns to and
 * dfa_run.c runs as a lazy DFA: its byte sets, interned so that equal sets
 * share one index, its NFA nodes, and the byte classes fw_dfa_finish()
 * computes.
 *
 * Guarantees: a set index or node index, once returned, stays valid until
 * fw_dfa_clear() (nodes) or fw_dfa_free() (sets); two bytes share a class
 * only when no set of the set tells them apart (and, with \b or \B in some
 * member, when both are word bytes, both >= 0x80 or both neither), so a
 * DFA column per class loses nothing; the set never holds more than
 * DFA_NODES_MAX nodes (fw__dfa_node() refuses more with -ENOTSUP).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/dfa_int.h"
#include "util/mix.h"

struct fw_dfa *
fw_dfa_new(void)
{
	return calloc(1, sizeof(struct fw_dfa));
}

void
fw_dfa_free(struct fw_dfa *d)
{
	if (!d)
		return;
	free(d->nodes);
	free(d->sets);
	free(d->set_hash);
	free(d->starts);
	fw__dfa_graph_free(d->graph);
	free(d);
}

void
fw_dfa_clear(struct fw_dfa *d)
{
	/* The byte sets stay interned: the next patterns mostly use the same ones. */
	d->n_nodes = 0;
	d->n_members = 0;
	d->finished = false;
	d->has_wordb = false;
}

uint32_t
fw_dfa_size(const struct fw_dfa *d)
{
	return d->n_members;
}

static uint32_t
set_hash(const struct fw_rx_bytes *s)
{
	uint64_t h = FW_MIX_SEED;

	for (int i = 0; i < 4; i++)
		h = fw_mix_step(h, s->w[i]);
	return (uint32_t)(h >> 32);
}

static int
set_hash_grow(struct fw_dfa *d)
{
	uint32_t size = d->set_hash_mask ? 2 * (d->set_hash_mask + 1) : 64;
	uint32_t *h = calloc(size, sizeof *h);

	if (!h)
		return -ENOMEM;
	for (uint32_t i = 0; i < d->n_sets; i++) {
		uint32_t j = set_hash(&d->sets[i]) & (size - 1);

		while (h[j])
			j = (j + 1) & (size - 1);
		h[j] = i + 1;
	}
	free(d->set_hash);
	d->set_hash = h;
	d->set_hash_mask = size - 1;
	return 0;
}

int64_t
fw__dfa_set_intern(struct fw_dfa *d, const struct fw_rx_bytes *s)
{
	uint32_t j;

	if (2 * (d->n_sets + 1) > d->set_hash_mask + 1 && set_hash_grow(d) < 0)
		return -ENOMEM;
	for (j = set_hash(s) & d->set_hash_mask; d->set_hash[j]; j = (j + 1) & d->set_hash_mask)
		if (memcmp(&d->sets[d->set_hash[j] - 1], s, sizeof *s) == 0)
			return d->set_hash[j] - 1;
	if (d->n_sets == d->cap_sets) {
		uint32_t cap = d->cap_sets ? 2 * d->cap_sets : 64;
		struct fw_rx_bytes *ns = realloc(d->sets, cap * sizeof *ns);

		if (!ns)
			return -ENOMEM;
		d->sets = ns;
		d->cap_sets = cap;
	}
	d->sets[d->n_sets] = *s;
	d->set_hash[j] = d->n_sets + 1;
	return d->n_sets++;
}

int64_t
fw__dfa_node(struct fw_dfa *d, uint8_t kind, uint32_t arg, uint32_t out, uint32_t out2)
{
	if (d->n_nodes >= DFA_NODES_MAX)
		return -ENOTSUP;
	if (d->n_nodes == d->cap_nodes) {
		uint32_t cap = d->cap_nodes ? 2 * d->cap_nodes : 256;
		struct nfa_node *nn = realloc(d->nodes, cap * sizeof *nn);

		if (!nn)
			return -ENOMEM;
		d->nodes = nn;
		d->cap_nodes = cap;
	}
	d->nodes[d->n_nodes] = (struct nfa_node){ kind, arg, out, out2 };
	return d->n_nodes++;
}

/* Byte classes: split the bytes by membership in each set, one set at a time. */
int
fw_dfa_finish(struct fw_dfa *d)
{
	uint8_t cls[256] = { 0 };
	uint32_t n = 1;

	if (d->has_wordb) {     /* \b tells word bytes, bytes >= 0x80 and the others apart */
		struct fw_rx_bytes w = { { 0 } }, high = { { 0, 0, ~(uint64_t)0, ~(uint64_t)0 } };

		for (unsigned b = 0; b < 128; b++)
			if (fw_rx_word_byte(b))
				fw_rx_bytes_add(&w, b);
		if (fw__dfa_set_intern(d, &w) < 0 || fw__dfa_set_intern(d, &high) < 0)
			return -ENOMEM;
	}

	for (uint32_t s = 0; s < d->n_sets; s++) {
		int16_t id[256][2];
		uint32_t m = 0;

		memset(id, 0xFF, sizeof id);
		for (unsigned b = 0; b < 256; b++) {
			int in = fw_rx_bytes_has(&d->sets[s], b);

			if (id[cls[b]][in] < 0)
				id[cls[b]][in] = (int16_t)m++;
			cls[b] = (uint8_t)id[cls[b]][in];
		}
		n = m;
	}
	memcpy(d->cls, cls, sizeof cls);
	for (unsigned b = 256; b-- > 0;)
		d->rep[cls[b]] = (uint8_t)b;
	d->n_cls = n;
	d->finished = true;
	return 0;
}
