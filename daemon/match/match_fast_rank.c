/*
 * match_fast_rank: how the fast engine ranks what it scans for (see
 * match_fast_rank.h): the rarity of a literal's bytes by their classes, the
 * literals many patterns share, the factor sets each pattern keeps, and
 * the window of each literal that becomes its scan key.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_fast_rank.h"

/* Factor sets with more members than this filter too little to pay off. */
#define SET_MAX_ALTS 16
/* Below this rarity (one printable byte, two digits less one) a literal is in nearly every line. */
#define SCORE_MIN 6
/* Above this, a second factor would not make the pattern rarer in practice. */
#define SCORE_ENOUGH 48
/* Once the chosen factors are this rare, weaker ones would only cost scanning time. */
#define SCORE_SECOND 12

/*
 * What the ranking knows about text before it has seen any: only facts
 * that hold for text of every origin, by byte class, never the frequency
 * of one letter or a sample of someone's logs. A space separates words;
 * digits come in runs (times, counters, addresses, sizes); a letter or a
 * punctuation byte says more, an uppercase letter (rarer than lowercase in
 * written text) or a control or non-ASCII byte more still. Where classes
 * change inside a literal ("=error", "Error:", "[UFW") it is rarer than a
 * run of one class (a word, a number). The rest is learnt from the KB
 * itself (literals and pairs its patterns share).
 */
enum byte_class { BC_SPACE, BC_DIGIT, BC_LOWER, BC_UPPER, BC_PUNCT, BC_OTHER };

#define BYTE_CLASS(c)                                 \
	((c) == ' ' || (c) == '\t'   ? BC_SPACE        \
	 : (c) >= '0' && (c) <= '9' ? BC_DIGIT        \
	 : (c) >= 'a' && (c) <= 'z' ? BC_LOWER        \
	 : (c) >= 'A' && (c) <= 'Z' ? BC_UPPER        \
	 : (c) > ' ' && (c) < 0x7f  ? BC_PUNCT        \
				    : BC_OTHER)
#define BYTE_CLASS4(c) BYTE_CLASS(c), BYTE_CLASS((c) + 1), BYTE_CLASS((c) + 2), BYTE_CLASS((c) + 3)
#define BYTE_CLASS16(c) BYTE_CLASS4(c), BYTE_CLASS4((c) + 4), BYTE_CLASS4((c) + 8), BYTE_CLASS4((c) + 12)
#define BYTE_CLASS64(c) BYTE_CLASS16(c), BYTE_CLASS16((c) + 16), BYTE_CLASS16((c) + 32), BYTE_CLASS16((c) + 48)

/* A table: the ranking classifies every byte of every window of the KB's literals. */
static const unsigned char byte_classes[256] = {
	BYTE_CLASS64(0), BYTE_CLASS64(64), BYTE_CLASS64(128), BYTE_CLASS64(192),
};

static enum byte_class
byte_class(unsigned char c)
{
	return (enum byte_class)byte_classes[c];
}

/* Bits of a byte by its class; only the ranking matters. */
static const unsigned char class_weight[] = {
	[BC_SPACE] = 1, [BC_DIGIT] = 3, [BC_LOWER] = 4,
	[BC_UPPER] = 5, [BC_PUNCT] = 5, [BC_OTHER] = 7,
};

static unsigned
byte_weight(unsigned char c)
{
	return class_weight[byte_class(c)];
}

/*
 * Bits added per change of byte class between adjacent bytes, blanks left
 * out: a blank next to a word or a number is how any text is written.
 */
#define CLASS_CHANGE_BONUS 2

/*
 * Bits of b[0..n): its bytes' weights and its changes of class. Each
 * byte's class is found once (the ranking of a build's literals weighs
 * each of their windows: tens of thousands of calls).
 */
static unsigned
bytes_weight(const unsigned char *b, size_t n, bool caseless)
{
	enum byte_class x = BC_SPACE;
	unsigned s = 0;

	for (size_t i = 0; i < n; i++) {
		enum byte_class y = byte_class(caseless ? fold(b[i]) : b[i]);

		s += class_weight[y];
		if (x != y && x != BC_SPACE && y != BC_SPACE)
			s += CLASS_CHANGE_BONUS;
		x = y;
	}
	return s;
}

/*
 * Rarity of a literal in bits (raw) and for ranking (ranked). Text is
 * words and numbers joined by blanks and punctuation: a literal of one
 * byte class (a word, a number) or of separators only ("] \"", ", ")
 * recurs in any text and ranks at half, yet still beats confirming the
 * pattern on every line.
 */
static void
lit_rarity(const struct fw_lit *l, unsigned *raw, unsigned *ranked)
{
	bool one_class = true, separators = true;

	for (size_t i = 0; i < l->len; i++) {
		enum byte_class c = byte_class(fold(l->bytes[i]));

		one_class &= c == byte_class(fold(l->bytes[0]));
		separators &= c == BC_SPACE || c == BC_PUNCT;
	}
	*raw = bytes_weight(l->bytes, l->len, l->caseless);
	*ranked = one_class || separators ? *raw / 2 : *raw;
}

static uint32_t
lit_hash(const struct fw_lit *l)
{
	uint32_t h = l->caseless ? 0x9E3779B9u : 0x811C9DC5u;

	for (size_t i = 0; i < l->len; i++)
		h = (h ^ l->bytes[i]) * 0x01000193u;
	return h;
}

static struct lit_count *
lit_count_slot(const struct lit_counts *lc, const struct fw_lit *l)
{
	uint32_t h = lit_hash(l) & lc->mask;

	while (lc->slots[h].lit) {
		const struct fw_lit *o = lc->slots[h].lit;

		if (o->len == l->len && o->caseless == l->caseless && !memcmp(o->bytes, l->bytes, l->len))
			break;
		h = (h + 1) & lc->mask;
	}
	return &lc->slots[h];
}

int
fw__rank_counts_build(const struct fw_lit_info *infos, uint32_t n_patterns, struct lit_counts *lc)
{
	size_t total = 0, size = 64;

	for (uint32_t p = 0; p < n_patterns; p++)
		for (size_t s = 0; s < infos[p].n_required; s++)
			total += infos[p].required[s].n;
	while (size < 2 * total)
		size *= 2;
	lc->slots = calloc(size, sizeof *lc->slots);
	if (!lc->slots)
		return -ENOMEM;
	lc->mask = (uint32_t)size - 1;
	for (uint32_t p = 0; p < n_patterns; p++) {
		for (size_t s = 0; s < infos[p].n_required; s++) {
			for (size_t a = 0; a < infos[p].required[s].n; a++) {
				struct lit_count *c = lit_count_slot(lc, &infos[p].required[s].alts[a]);

				c->lit = &infos[p].required[s].alts[a];
				c->n++;
			}
		}
	}
	return 0;
}

/* floor(log2(n)) for n >= 1: the doublings of n. */
static unsigned
doublings(uint32_t n)
{
	return (unsigned)(31 - __builtin_clz(n));
}

/*
 * A set is as rare as its most common member; 0 when it is not usable.
 * Each doubling of the patterns sharing a member, beyond the first
 * shared_free doublings, costs as much as one uncommon letter less, down
 * to 1 (weak, yet better than no factor).
 */
static unsigned
set_rarity_beyond(const struct fw_lit_set *s, const struct lit_counts *lc, unsigned shared_free)
{
	unsigned worst = ~0u;

	if (!s->n || s->n > SET_MAX_ALTS)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		unsigned raw, ranked, shared = lit_count_slot(lc, &s->alts[i])->n, penalty;

		lit_rarity(&s->alts[i], &raw, &ranked);
		if (raw < SCORE_MIN)
			return 0;
		penalty = shared > 1 && doublings(shared) > shared_free ? 6u * (doublings(shared) - shared_free) : 0;
		ranked = ranked + 1 > penalty + 1 ? ranked + 1 - penalty : 1;
		if (ranked < worst)
			worst = ranked;
	}
	return worst;
}

static unsigned
set_rarity(const struct fw_lit_set *s, const struct lit_counts *lc)
{
	return set_rarity_beyond(s, lc, 0);
}

/* The patterns that share the most shared member of s. */
static uint32_t
set_shared(const struct fw_lit_set *s, const struct lit_counts *lc)
{
	uint32_t most = 1;

	for (size_t i = 0; i < s->n; i++) {
		uint32_t k = lit_count_slot(lc, &s->alts[i])->n;

		most = k > most ? k : most;
	}
	return most;
}

static uint32_t *
window_count(struct window_counts *wc, uint32_t key)
{
	/* The top bits: a product's low bits are those of the key's last byte. */
	uint32_t h = key_hash(key, wc->shift) & wc->mask;

	while (wc->slots[h].n && wc->slots[h].key != key)
		h = (h + 1) & wc->mask;
	wc->slots[h].key = key;
	return &wc->slots[h].n;
}

static inline uint32_t
window_key(const unsigned char *b)
{
	return (uint32_t)fold(b[0]) << 24 | (uint32_t)fold(b[1]) << 16 | (uint32_t)fold(b[2]) << 8 |
	       fold(b[3]);
}

int
fw__rank_window_counts(const struct fast *f, struct window_counts *wc)
{
	size_t windows = 0, size = 64;

	for (uint32_t i = 0; i < f->n_lits; i++)
		windows += fp_lit_scanned(&f->lits[i]) && f->lits[i].len >= 4 ? f->lits[i].len - 3 : 0;
	while (size < 2 * windows)
		size *= 2;
	wc->slots = calloc(size, sizeof *wc->slots);
	if (!wc->slots)
		return -ENOMEM;
	wc->mask = (uint32_t)size - 1;
	wc->shift = 32 - (uint32_t)__builtin_ctzll(size);
	for (uint32_t i = 0; i < f->n_lits; i++)
		for (uint32_t j = 0; fp_lit_scanned(&f->lits[i]) && j + 4 <= f->lits[i].len; j++)
			(*window_count(wc, window_key(f->lits[i].bytes + j)))++;
	return 0;
}

/*
 * How much a key's last two bytes (where the scan stops) weigh against the
 * whole window, and how much less they weigh when they are common.
 */
#define PAIR_MUL 3
#define PAIR_COMMON_DIV 4
/* A pair in at least this share (1/n) of the scanned literals is common in the KB's text. */
#define PAIR_SHARE_COMMON 16
#define PAIR_SHARERS_MIN 8

static inline uint32_t
pair_key(const unsigned char *b)
{
	return (uint32_t)fold(b[0]) << 8 | fold(b[1]);
}

int
fw__rank_common_pairs(const struct fast *f, uint64_t bits[65536 / 64])
{
	uint32_t *count = calloc(65536, sizeof *count), n_scanned = 0, min;

	if (!count)
		return -ENOMEM;
	memset(bits, 0, 65536 / 8);
	/*
	 * The KB's literals were written from the text it is meant for: a pair
	 * many of them hold is frequent there (a suffix, a separator, a common
	 * word's middle).
	 */
	for (uint32_t i = 0; i < f->n_lits; i++) {
		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		n_scanned++;
		for (uint32_t j = 0; j + 2 <= f->lits[i].len; j++)
			count[pair_key(f->lits[i].bytes + j)]++;
	}
	min = n_scanned / PAIR_SHARE_COMMON > PAIR_SHARERS_MIN ? n_scanned / PAIR_SHARE_COMMON
								: PAIR_SHARERS_MIN;
	for (uint32_t k = 0; k < 65536; k++) {
		enum byte_class a = byte_class((unsigned char)(k >> 8)), b = byte_class((unsigned char)k);

		/* Runs of digits and of blanks make up numbers and alignment in any text. */
		if (count[k] >= min || (a == b && (a == BC_DIGIT || a == BC_SPACE)))
			bits[k / 64] |= (uint64_t)1 << (k % 64);
	}
	free(count);
	return 0;
}

/*
 * The key of a literal: a window of up to KEY_MAX bytes, folded. The scan
 * stops wherever a key's last two bytes occur, so a rare pair there weighs
 * most; then rare bytes and a mix of classes make a window rare (few
 * probes), and few other literals sharing it make a probe cheap. Each
 * doubling of the sharers costs as much as one uncommon letter less.
 */
void
fw__rank_lit_key(const struct fp_lit *l, struct window_counts *wc, const uint64_t *common_pairs,
	uint32_t *key, unsigned *klen, uint32_t *off)
{
	/* Keys are 4 bytes (hashed) or, for short literals, 2 or 1 (direct). */
	unsigned k = l->len >= 4 ? 4 : l->len >= 2 ? 2 : 1;
	int best = INT32_MIN;

	*off = 0;
	for (uint32_t i = 0; i + k <= l->len; i++) {
		int w = (int)bytes_weight(l->bytes + i, k, true);

		if (k == 4)
			w -= 6 * (31 - __builtin_clz(*window_count(wc, window_key(l->bytes + i))));
		if (k >= 2) {
			uint32_t pk = pair_key(l->bytes + i + k - 2);
			int pw = (int)bytes_weight(l->bytes + i + k - 2, 2, true);

			if ((common_pairs[pk / 64] >> (pk % 64)) & 1)
				pw /= PAIR_COMMON_DIV;
			w += PAIR_MUL * pw;
		}
		if (w > best) {
			best = w;
			*off = i;
		}
	}
	*key = 0;
	for (unsigned j = 0; j < k; j++)
		*key = (*key << 8) | fold(l->bytes[*off + j]);
	*klen = k;
}

/*
 * Whether a line holding a member of set c always holds a member of set s:
 * every member of c contains a member of s (same case mode). Then s adds
 * nothing once c is required ("Error\t" makes "Error" and "\t" redundant).
 */
static bool
set_implied(const struct fw_lit_set *s, const struct fw_lit_set *c)
{
	for (size_t i = 0; i < c->n; i++) {
		bool found = false;

		for (size_t j = 0; !found && j < s->n; j++)
			found = s->alts[j].caseless == c->alts[i].caseless &&
				memmem(c->alts[i].bytes, c->alts[i].len, s->alts[j].bytes, s->alts[j].len);
		if (!found)
			return false;
	}
	return true;
}

/*
 * Picks the sets a pattern's prefilter requires; returns how many (0: the
 * pattern is confirmed on every line). The rarest set first; while what is
 * chosen is still weak (common bytes, one word, literals shared by many patterns), more
 * sets are added, since every one of them must occur: two weak factors
 * ("] \"" and "\" 5" of an access-log pattern) together pass far fewer
 * lines than either.
 */
size_t
fw__rank_choose_sets(const struct fw_lit_info *info, const struct lit_counts *lc, size_t chosen[FACTORS_MAX],
	    unsigned *rarity)
{
	unsigned total = 0, rar[64];
	size_t n = 0, n_sets = info->n_required < 64 ? info->n_required : 64;
	bool used[64] = { false };

	for (size_t s = 0; s < n_sets; s++)
		rar[s] = set_rarity(&info->required[s], lc);
	while (n < FACTORS_MAX && total < SCORE_ENOUGH) {
		unsigned best_r = 0;
		size_t best = 0;

		for (size_t s = 0; s < n_sets; s++) {
			unsigned r = used[s] ? 0 : rar[s];

			if (r > best_r) {
				best_r = r;
				best = s;
			}
		}
		if (!best_r || (n && best_r < SCORE_SECOND && total >= SCORE_SECOND * 2))
			break;
		/* Sets implied by this one (a repeated alternation, a part of it) filter nothing more. */
		for (size_t s = 0; s < n_sets; s++)
			used[s] |= set_implied(&info->required[s], &info->required[best]);
		chosen[n++] = best;
		total += best_r;
	}
	*rarity = total;
	return n;
}

/*
 * Extends a pattern's chosen sets with confirmation factors: sets rare
 * enough to be worth a lookup (SCORE_SECOND), rarest first, that the
 * chosen ones do not imply; then orders all but the first (see below).
 * Only the first set is scanned for; the others are looked up on lines
 * that hold it, once per line and literal, which costs far less than the
 * PCRE2 run each line without them would cost.
 *
 * Sharing counts for less here. Patterns that share the chosen sets
 * stand on the same lines: every line holding them triggers them all,
 * and a set that fewer patterns share tells them apart there, however
 * common it is in the KB (the rack "R43-M" of one of many signatures of
 * a message that every rack logs). So only the doublings of its sharers
 * beyond those of the chosen sets' (the least shared of them: all must
 * stand) count against a set.
 * Returns the new count.
 */
size_t
fw__rank_confirm_sets(const struct fw_lit_info *info, const struct lit_counts *lc, size_t chosen[FACTORS_MAX],
		      size_t n)
{
	size_t n_sets = info->n_required < 64 ? info->n_required : 64;
	bool used[64] = { false };
	unsigned rar[64], by_bytes[FACTORS_MAX];
	uint32_t together = UINT32_MAX;

	for (size_t c = 0; c < n; c++) {
		uint32_t k = set_shared(&info->required[chosen[c]], lc);

		together = k < together ? k : together;
	}
	for (size_t s = 0; s < n_sets; s++) {
		rar[s] = set_rarity_beyond(&info->required[s], lc, n ? doublings(together) : 0);
		for (size_t c = 0; c < n && !used[s]; c++)
			used[s] = set_implied(&info->required[s], &info->required[chosen[c]]);
	}
	while (n < FACTORS_MAX) {
		unsigned best_r = 0;
		size_t best = 0;

		for (size_t s = 0; s < n_sets; s++) {
			if (!used[s] && rar[s] > best_r) {
				best_r = rar[s];
				best = s;
			}
		}
		if (best_r < SCORE_SECOND)
			break;
		for (size_t s = 0; s < n_sets; s++)
			used[s] |= set_implied(&info->required[s], &info->required[best]);
		chosen[n++] = best;
	}
	/*
	 * Looked up in this order, each only where the ones before it stand:
	 * the likeliest absent first, by its bytes alone. A set's sharers
	 * keep common tokens from being chosen; they do not make a chosen
	 * set likelier to stand, and one lookup of a shared literal answers
	 * for every pattern triggered on the line that shares it.
	 */
	for (size_t i = 1; i < n; i++) {
		size_t x = chosen[i], j = i;
		unsigned r = set_rarity_beyond(&info->required[x], lc, ~0u);

		for (; j > 1 && by_bytes[j - 1] < r; j--) {
			chosen[j] = chosen[j - 1];
			by_bytes[j] = by_bytes[j - 1];
		}
		chosen[j] = x;
		by_bytes[j] = r;
	}
	return n;
}

static bool
is_letter(unsigned char c)
{
	return (unsigned)(fold(c) - 'a') < 26u;
}

uint32_t
fw__rank_lit_find(const struct fp_lit *l)
{
	uint32_t best = FP_FIND_WALK;
	unsigned best_w = 0;

	for (uint32_t i = 0; i < l->len; i++) {
		unsigned w = byte_weight(l->bytes[i]);

		if (l->caseless && is_letter(l->bytes[i]))
			continue;
		if (w > best_w) {
			best_w = w;
			best = i;
		}
	}
	return best;
}

uint32_t
fw__rank_miss_keys(const struct fast *f, const uint32_t *misses, uint64_t min, const uint8_t *moved,
		   struct fp_key *keys, uint64_t *missed)
{
	uint32_t n = 0;

	*missed = 0;
	for (uint32_t i = 0; i < f->n_lits; i++) {
		const struct fp_lit *l = &f->lits[i];
		struct fp_key *k = &keys[i];
		uint32_t off;

		/* A literal of FP_HEAD_LEN bytes or fewer is its head: no other end. */
		if (misses[i] < min || moved[i] || k->klen != 4 || l->len <= FP_HEAD_LEN)
			continue;
		/* Where the head is (occ_fill() in match_fast_index.c): the end farther from the key. */
		off = 2 * k->off + k->klen < l->len ? l->len - k->klen : 0;
		k->off = off;
		k->key = 0;
		for (unsigned j = 0; j < k->klen; j++)
			k->key = k->key << 8 | fold(l->bytes[off + j]);
		*missed += misses[i];
		n++;
	}
	return n;
}
