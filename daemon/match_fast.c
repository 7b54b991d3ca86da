/*
 * match_fast: the fast engine. One pass over the line finds which patterns'
 * required literals occur; only those patterns (plus the few without a
 * usable literal) are confirmed with PCRE2, in KB order, through
 * fw__match_try(), so results equal the reference engine's.
 *
 * Compile: fw_lit_analyze() gives each pattern its required factor sets.
 * Up to two sets are kept per pattern (both must be seen), chosen by how
 * rare their bytes are in typical logs and never a literal that occurs in
 * common log text when a rarer one exists. Each literal is indexed by a key:
 * a window of up to 4 bytes, ASCII case-folded, chosen for a rare pair of
 * last bytes (where the scan stops), then for rare bytes overall and few
 * other literals sharing it.
 *
 * Scan: each pair of adjacent raw line bytes indexes the pair map, which
 * holds, for every case variant of every key's last two bytes, the key
 * lengths that may end there (a 1-byte key under every preceding byte).
 * Eight positions are tested per step with one branch. Only on a hit is the
 * window folded: a 4-byte key then passes a hashed filter first; a key
 * leads to a small hash table of keys, whose literals are verified in
 * place (exact or case-folded). A verified literal triggers the patterns
 * it is the first factor of; a triggered pattern whose other factors occur
 * on the line becomes a candidate (weak ones go through the DFA first,
 * see dfa.h). Per-line state
 * lives in the context and is reset by generation stamps, so matching
 * never allocates.
 *
 * Soundness rests on lit.c: a literal is only ever required when every
 * match of the pattern contains it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dfa.h"
#include "lit.h"
#include "match_engine.h"
#include "match_fast.h"
#include "match_fast_int.h"

/* Factor sets with more members than this filter too little to pay off. */
#define SET_MAX_ALTS 16
/* Below this rarity (two common letters) a literal is in nearly every line. */
#define SCORE_MIN 6
/* Above this, a second factor would not make the pattern rarer in practice. */
#define SCORE_ENOUGH 48
/* Once the chosen factors are this rare, weaker ones would only cost scanning time. */
#define SCORE_SECOND 12
/*
 * Chosen factors less rare than this together (about four uncommon
 * letters) pass many ordinary lines: such patterns go to the DFA when it
 * models them. At most DFA_MEMBERS_MAX of them, to bound its states.
 */
#define SCORE_WEAK 24
#define DFA_MEMBERS_MAX 4096
/* Gate groups are tested on every line that holds a gate literal: only a few. */
#define DFA_GROUPS_MAX 64

struct fast_ctx {
	uint32_t gen;
	uint32_t *pat_gen;      /* per pattern: line generation of pat_seen */
	uint8_t *pat_seen;      /* its first factor was seen; after open_gates(): all were */
	uint32_t *trig;         /* patterns whose first factor was seen, this line */
	uint32_t n_trig;
	uint32_t *lit_no_gen;   /* per literal: generation it was found absent in */
	uint32_t *lit_gen;      /* per literal: generation it was last verified in */
	uint32_t *cands;
	uint32_t n_cands;
	uint64_t *cand_bits;    /* the candidates as a bitset, for ordering many */
	bool dfa_gate_seen;     /* the first factor of some DFA member occurs */
	uint8_t *group_pass;    /* per gate group: its literals all occur in this line */
	struct fw_dfa_runner *dfa;
};

static inline unsigned char
fold(unsigned char c)
{
	return (unsigned char)((unsigned)(c - 'A') < 26u ? c + ('a' - 'A') : c);
}

/*
 * Rough information content of a byte in typical log lines, in bits: spaces
 * and common lowercase letters say little, uppercase and rare punctuation a
 * lot. Only the ranking matters.
 */
static unsigned
byte_weight(unsigned char c)
{
	switch (c) {
	case ' ':
		return 1;
	case 'e': case 't': case 'a': case 'o': case 'i': case 'n': case 's': case 'r':
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
		return 3;
	case 'h': case 'l': case 'd': case 'c': case 'u': case 'm': case 'p': case 'f': case 'g':
	case 'w': case 'y': case 'b': case 'v':
	case '.': case '/': case ':': case '-': case '_': case '=': case '"': case ',': case '[': case ']':
		return 4;
	default:
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return 6;
		return c > ' ' && c < 0x7f ? 7 : 8;
	}
}

/*
 * Text that turns up in ordinary, healthy log lines. A literal found in it
 * would make its pattern a candidate on many lines, so it is ranked low.
 */
static const char common_text[] =
	"GET POST HEAD PUT DELETE OPTIONS HTTP/1.0 HTTP/1.1 HTTP/2.0 \" 200 301 302 304 404 \"-\" "
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	"Chrome/120.0 Safari/537.36 Firefox/121.0 curl/8.4.0 python-requests/2.31 Googlebot "
	"/index.html /api/v1/ /static/ /favicon.ico /robots.txt .css .js .png .jpg ?id= &page= "
	"[error] [warn] [notice] [info] [crit] [alert] [emerg] *1 client: , server: , request: "
	", upstream: \"http://127.0.0.1:8080/ , host: \"www.example.com\", referrer: \"https:// "
	"while reading response header from upstream while connecting to upstream while sending "
	"request to upstream while reading upstream open() failed (2: No such file or directory) "
	"Hit Miss RefreshHit Error LimitExceeded CapacityExceeded Redirect TLSv1.2 TLSv1.3 "
	"ECDHE-RSA-AES128-GCM-SHA256 TLS_AES_128_GCM_SHA256 cloudfront.net HIT MISS "
	"systemd[1]: Started Starting Stopped Finished Session session opened closed for user "
	"root CRON[ (root) CMD ( sshd[ Accepted publickey Connection closed by port ssh2 "
	"kernel: audit: type= pid= uid= auid= ses= msg= res=success res=failed "
	"Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun "
	"error warning notice info debug failed failure timeout timed out connection refused ";

/* common_text folded, for caseless literals (whose bytes are folded). */
struct common_folded {
	char text[sizeof common_text];
};

static void
common_fold(struct common_folded *cf)
{
	for (size_t i = 0; i < sizeof common_text; i++)
		cf->text[i] = (char)fold((unsigned char)common_text[i]);
}

static bool
in_common_text(const struct fw_lit *l, const struct common_folded *cf)
{
	return memmem(l->caseless ? cf->text : common_text, sizeof common_text - 1, l->bytes, l->len);
}

/*
 * Rarity of a literal in bits (raw) and for ranking (ranked): a literal
 * that occurs in common log text ranks low, yet still beats confirming the
 * pattern on every line.
 */
static void
lit_rarity(const struct fw_lit *l, const struct common_folded *cf, unsigned *raw, unsigned *ranked)
{
	unsigned s = 0;

	for (size_t i = 0; i < l->len; i++)
		s += byte_weight(l->caseless ? fold(l->bytes[i]) : l->bytes[i]);
	*raw = s;
	*ranked = in_common_text(l, cf) ? s / 4 : s;
}

/*
 * How many patterns require each literal. A literal many patterns share
 * makes every line that holds it a candidate line for all of them, so it
 * ranks lower as a factor, like a less rare literal.
 */
struct lit_counts {
	struct lit_count { const struct fw_lit *lit; uint32_t n; } *slots;
	uint32_t mask;
	struct common_folded common;
};

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

static int
lit_counts_build(const struct fw_lit_info *infos, uint32_t n_patterns, struct lit_counts *lc)
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
	common_fold(&lc->common);
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

/*
 * A set is as rare as its most common member; 0 when it is not usable.
 * Each doubling of the patterns sharing a member costs as much as one
 * uncommon letter less, down to 1 (weak, yet better than no factor).
 */
static unsigned
set_rarity(const struct fw_lit_set *s, const struct lit_counts *lc)
{
	unsigned worst = ~0u;

	if (!s->n || s->n > SET_MAX_ALTS)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		unsigned raw, ranked, shared = lit_count_slot(lc, &s->alts[i])->n, penalty;

		lit_rarity(&s->alts[i], &lc->common, &raw, &ranked);
		if (raw < SCORE_MIN)
			return 0;
		penalty = shared > 1 ? 6u * (unsigned)(31 - __builtin_clz(shared)) : 0;
		ranked = ranked + 1 > penalty + 1 ? ranked + 1 - penalty : 1;
		if (ranked < worst)
			worst = ranked;
	}
	return worst;
}

/* --- compile ------------------------------------------------------------ */

static void
fast_free(struct fast *f)
{
	if (!f)
		return;
	for (uint32_t i = 0; i < f->n_lits; i++)
		free(f->lits[i].bytes);
	free(f->lits);
	free(f->refs);
	free(f->occs);
	free(f->slots);
	free(f->filter4);
	free(f->pair);
	free(f->need);
	free(f->always);
	free(f->factors);
	free(f->factor_lits);
	fw_dfa_free(f->dfa);
	free(f->dfa_pattern);
	free(f->in_dfa);
	free(f->dfa_group);
	free(f->group_rep);
	free(f);
}

/* Temporary (literal, pattern, bit) triples, before literals are deduplicated. */
struct pending {
	const struct fw_lit *lit;
	uint32_t pattern;
	uint8_t bit;
	uint32_t lit_index;     /* filled by dedup */
};

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

static inline uint32_t
key_hash(uint32_t key, uint32_t shift)
{
	return (key * 0x9E3779B1u) >> shift;
}

/* Pair map flags: a key of this length may end at the pair's second byte. */
#define PAIR_KEY1 1u
#define PAIR_KEY2 2u
#define PAIR_KEY4 4u

/*
 * The pair map index of p[0], p[1]: one unaligned 16-bit load. Its byte
 * order is the machine's; the map is built through this same function.
 */
static inline uint32_t
pair_index(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

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

static inline uint32_t
slot_start(uint32_t key, unsigned klen, uint32_t mask)
{
	return ((key ^ (klen * 0x85EBCA6Bu)) * 0xC2B2AE35u >> 7) & mask;
}

/*
 * How many literals have each 4-byte window (folded): a key shared by many
 * literals makes every probe of it verify them all.
 */
struct window_counts {
	struct { uint32_t key, n; } *slots;     /* n = 0: empty */
	uint32_t mask;
};

static uint32_t *
window_count(struct window_counts *wc, uint32_t key)
{
	uint32_t h = key_hash(key, 0) & wc->mask;

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

static int
window_counts_build(const struct fast *f, struct window_counts *wc)
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
	for (uint32_t i = 0; i < f->n_lits; i++)
		for (uint32_t j = 0; fp_lit_scanned(&f->lits[i]) && j + 4 <= f->lits[i].len; j++)
			(*window_count(wc, window_key(f->lits[i].bytes + j)))++;
	return 0;
}

/*
 * How much a key's last two bytes weigh against the whole window, and how
 * much less they weigh when they are common in logs (common_text, pairs of
 * digits). Tuned on the benchmark corpus, where together they halve the
 * positions the scan stops at.
 */
#define PAIR_MUL 3
#define PAIR_COMMON_DIV 4

/* Marks the folded byte pairs common in logs, for lit_key(). */
static void
common_pairs_init(uint64_t bits[65536 / 64])
{
	memset(bits, 0, 65536 / 8);
	for (size_t i = 1; i + 1 < sizeof common_text; i++) {
		uint32_t k = (uint32_t)fold((unsigned char)common_text[i - 1]) << 8 |
			     fold((unsigned char)common_text[i]);

		bits[k / 64] |= (uint64_t)1 << (k % 64);
	}
	/* Timestamps, addresses, sizes and ids hold every pair of digits. */
	for (uint32_t a = '0'; a <= '9'; a++)
		for (uint32_t b = '0'; b <= '9'; b++)
			bits[(a << 8 | b) / 64] |= (uint64_t)1 << ((a << 8 | b) % 64);
}

/*
 * The key of a literal: a window of up to KEY_MAX bytes, folded. The scan
 * stops wherever a key's last two bytes occur, so a rare pair there weighs
 * most; then rare bytes make a window rare in log text (few probes), and
 * few other literals sharing it make a probe cheap. Each doubling of the
 * sharers costs as much as one uncommon letter less.
 */
static void
lit_key(const struct fp_lit *l, struct window_counts *wc, const uint64_t *common_pairs,
	uint32_t *key, unsigned *klen, uint32_t *off)
{
	/* Keys are 4 bytes (hashed) or, for short literals, 2 or 1 (direct). */
	unsigned k = l->len >= 4 ? 4 : l->len >= 2 ? 2 : 1;
	int best = INT32_MIN;

	*off = 0;
	for (uint32_t i = 0; i + k <= l->len; i++) {
		int w = 0;

		for (unsigned j = 0; j < k; j++)
			w += (int)byte_weight(fold(l->bytes[i + j]));
		if (k == 4)
			w -= 6 * (31 - __builtin_clz(*window_count(wc, window_key(l->bytes + i))));
		if (k >= 2) {
			uint32_t pk = (uint32_t)fold(l->bytes[i + k - 2]) << 8 | fold(l->bytes[i + k - 1]);
			int pw = (int)(byte_weight(fold(l->bytes[i + k - 2])) +
				       byte_weight(fold(l->bytes[i + k - 1])));

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

static int
build_index(struct fast *f)
{
	uint32_t n_slots = 16, bits = 16;
	struct { uint32_t key; unsigned klen; uint32_t off; } *keys;
	struct window_counts wc;
	uint64_t common_pairs[65536 / 64];

	while (n_slots < 2 * f->n_lits)
		n_slots *= 2;
	/* About 32 filter bits per key keeps false hits near 3%, within 4 MiB. */
	while (bits < 25 && (1u << bits) < 32 * f->n_lits)
		bits++;
	f->hash_shift = 32 - bits;
	keys = calloc(f->n_lits ? f->n_lits : 1, sizeof *keys);
	if (!keys || window_counts_build(f, &wc) < 0) {
		free(keys);
		return -ENOMEM;
	}
	common_pairs_init(common_pairs);
	for (uint32_t i = 0; i < f->n_lits; i++)
		if (fp_lit_scanned(&f->lits[i]))
			lit_key(&f->lits[i], &wc, common_pairs, &keys[i].key, &keys[i].klen, &keys[i].off);
	free(wc.slots);
	f->slots = calloc(n_slots, sizeof *f->slots);
	f->occs = calloc(f->n_lits ? f->n_lits : 1, sizeof *f->occs);
	if (!f->slots || !f->occs) {
		free(keys);
		return -ENOMEM;
	}
	f->slot_mask = n_slots - 1;
	f->pair = calloc(65536, 1);
	f->filter4 = calloc(((size_t)1 << bits) / 64, sizeof(uint64_t));
	if (!f->pair || !f->filter4) {
		free(keys);
		return -ENOMEM;
	}

	/* Count occurrences per distinct key, then lay them out (scanned literals only). */
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_slot *s;
		uint32_t h, idx;

		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		pair_map_add(f->pair, &f->lits[i], keys[i].klen, keys[i].off);
		if (keys[i].klen == 4) {
			idx = key_hash(keys[i].key, f->hash_shift);
			f->filter4[idx / 64] |= (uint64_t)1 << (idx % 64);
		}
		for (h = slot_start(keys[i].key, keys[i].klen, f->slot_mask);; h = (h + 1) & f->slot_mask) {
			s = &f->slots[h];
			if (!s->klen || (s->klen == keys[i].klen && s->key == keys[i].key))
				break;
		}
		s->key = keys[i].key;
		s->klen = (uint8_t)keys[i].klen;
		s->n_occ++;
	}
	for (uint32_t h = 0, pos = 0; h < n_slots; h++) {
		f->slots[h].first_occ = pos;
		pos += f->slots[h].n_occ;
		f->slots[h].n_occ = 0;
	}
	for (uint32_t i = 0; i < f->n_lits; i++) {
		struct fp_slot *s;
		uint32_t h;

		if (!fp_lit_scanned(&f->lits[i]))
			continue;
		for (h = slot_start(keys[i].key, keys[i].klen, f->slot_mask);; h = (h + 1) & f->slot_mask) {
			s = &f->slots[h];
			if (s->klen == keys[i].klen && s->key == keys[i].key)
				break;
		}
		f->occs[s->first_occ + s->n_occ].lit = i;
		f->occs[s->first_occ + s->n_occ].off = keys[i].off;
		s->n_occ++;
	}
	for (uint32_t i = 0; i < f->n_lits; i++)
		f->n_occs += fp_lit_scanned(&f->lits[i]);
	free(keys);
	return 0;
}

/*
 * Picks the sets a pattern's prefilter requires; returns how many (0: the
 * pattern is confirmed on every line). The rarest set first; while what is
 * chosen is still weak (common bytes, text found in ordinary logs), more
 * sets are added, since every one of them must occur: two weak factors
 * ("] \"" and "\" 5" of an access-log pattern) together pass far fewer
 * lines than either.
 */
static size_t
choose_sets(const struct fw_lit_info *info, const struct lit_counts *lc, size_t chosen[FACTORS_MAX],
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
		used[best] = true;
		chosen[n++] = best;
		total += best_r;
	}
	*rarity = total;
	return n;
}

/*
 * Offers pattern p to the DFA when its chosen factors are weak. Returns 1
 * when the DFA took it, 0 when not, -ENOMEM.
 */
static int
offer_dfa(struct fast *f, const struct fw_kb *kb, uint32_t p, unsigned rarity)
{
	const struct fw_pattern *pat = &kb->patterns[p];
	bool caseless = (kb->records[pat->record].flags & FW_REC_CASELESS) != 0;
	int rc;

	if (rarity >= SCORE_WEAK || fw_dfa_size(f->dfa) >= DFA_MEMBERS_MAX)
		return 0;
	rc = fw_dfa_add(f->dfa, pat->source, strlen(pat->source), caseless);
	if (rc == -ENOTSUP)
		return 0;
	if (rc < 0)
		return rc;
	f->dfa_pattern[fw_dfa_size(f->dfa) - 1] = p;
	f->in_dfa[p] = 1;
	return 1;
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

static int
fast_compile(struct fw_matcher *m, struct fw_diag *diag)
{
	const struct fw_kb *kb = m->kb;
	struct fw_lit_info *infos = NULL;
	struct pending *pend = NULL;
	size_t n_pend = 0, cap_pend = 0;
	struct lit_counts lc = { .slots = NULL };
	struct fast *f;
	int rc = -ENOMEM;

	f = calloc(1, sizeof *f);
	if (!f)
		return -ENOMEM;
	f->n_patterns = kb->n_patterns;
	for (unsigned b = 0; b < 256; b++)
		f->fold[b] = fold((unsigned char)b);
	f->need = calloc(kb->n_patterns ? kb->n_patterns : 1, 1);
	f->always = calloc(kb->n_patterns ? kb->n_patterns : 1, sizeof *f->always);
	f->factors = calloc((kb->n_patterns ? kb->n_patterns : 1) * FACTORS_MAX, sizeof *f->factors);
	infos = calloc(kb->n_patterns ? kb->n_patterns : 1, sizeof *infos);
	f->dfa = fw_dfa_new();
	f->dfa_pattern = calloc(DFA_MEMBERS_MAX, sizeof *f->dfa_pattern);
	f->in_dfa = calloc(kb->n_patterns ? kb->n_patterns : 1, 1);
	if (!f->need || !f->always || !f->factors || !infos || !f->dfa || !f->dfa_pattern || !f->in_dfa)
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
		rc = fw_lit_analyze(pat->source, strlen(pat->source),
				    (rec->flags & FW_REC_CASELESS) != 0, &infos[p]);
		if (rc < 0)
			goto out;
	}
	rc = lit_counts_build(infos, kb->n_patterns, &lc);
	if (rc < 0)
		goto out;
	for (uint32_t p = 0; p < kb->n_patterns; p++) {
		size_t chosen[FACTORS_MAX], n;
		unsigned rarity;

		n = choose_sets(&infos[p], &lc, chosen, &rarity);
		rc = offer_dfa(f, kb, p, rarity);
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
				pend[n_pend++] = (struct pending){ &s->alts[a], p, (uint8_t)(1u << i), 0 };
			}
		}
	}

	/* Deduplicate literals: equal bytes and case mode share one entry. */
	if (n_pend)
		qsort(pend, n_pend, sizeof *pend, cmp_pending);
	f->lits = calloc(n_pend ? n_pend : 1, sizeof *f->lits);
	f->refs = calloc(n_pend ? n_pend : 1, sizeof *f->refs);
	if (!f->lits || !f->refs)
		goto out;
	for (size_t i = 0; i < n_pend; i++) {
		struct fp_lit *l;

		if (!i || pend[i].lit->len != pend[i - 1].lit->len ||
		    pend[i].lit->caseless != pend[i - 1].lit->caseless ||
		    memcmp(pend[i].lit->bytes, pend[i - 1].lit->bytes, pend[i].lit->len) != 0) {
			l = &f->lits[f->n_lits++];
			l->bytes = malloc(pend[i].lit->len ? pend[i].lit->len : 1);
			if (!l->bytes)
				goto out;
			memcpy(l->bytes, pend[i].lit->bytes, pend[i].lit->len);
			l->len = (uint32_t)pend[i].lit->len;
			l->caseless = pend[i].lit->caseless;
			l->first_ref = f->n_refs;
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
		if (pend[i].bit != 1 || f->in_dfa[pend[i].pattern] ||
		    (l->n_refs && f->refs[f->n_refs - 1].pattern == pend[i].pattern &&
		     f->refs[f->n_refs - 1].bit == pend[i].bit))
			continue;
		f->refs[f->n_refs].pattern = pend[i].pattern;
		f->refs[f->n_refs].bit = pend[i].bit;
		f->n_refs++;
		l->n_refs++;
	}

	/* Remember each factor's literals, for describe(): regroup by pattern. */
	f->factor_lits = calloc(n_pend ? n_pend : 1, sizeof *f->factor_lits);
	if (!f->factor_lits)
		goto out;
	if (n_pend)
		qsort(pend, n_pend, sizeof *pend, cmp_pending_pattern);
	for (size_t i = 0; i < n_pend; i++) {
		struct fp_factor *fa = &f->factors[pend[i].pattern * FACTORS_MAX +
						   (uint32_t)__builtin_ctz(pend[i].bit)];

		if (!fa->n_lits)
			fa->first_lit = f->n_factor_lits;
		f->factor_lits[f->n_factor_lits++] = pend[i].lit_index;
		fa->n_lits++;
	}

	rc = build_index(f);
	if (rc < 0)
		goto out;
	rc = group_dfa_members(f);
	if (rc < 0)
		goto out;
	if (!fw_dfa_size(f->dfa)) {
		fw_dfa_free(f->dfa);
		f->dfa = NULL;
	} else if (fw_dfa_finish(f->dfa) < 0) {
		goto out;
	}
	m->engine_data = f;
	f = NULL;
	rc = 0;
out:
	if (infos)
		for (uint32_t p = 0; p < kb->n_patterns; p++)
			fw_lit_info_free(&infos[p]);
	free(infos);
	free(pend);
	free(lc.slots);
	fast_free(f);
	return rc;
}

static void
fast_destroy(struct fw_matcher *m)
{
	fast_free(m->engine_data);
	m->engine_data = NULL;
}

/* --- match -------------------------------------------------------------- */

static int
fast_ctx_init(struct fw_match_ctx *ctx)
{
	const struct fast *f = ctx->m->engine_data;
	struct fast_ctx *c = calloc(1, sizeof *c);
	size_t np = f->n_patterns ? f->n_patterns : 1;

	if (!c)
		return -ENOMEM;
	ctx->engine_data = c;
	c->pat_gen = calloc(np, sizeof *c->pat_gen);
	c->pat_seen = calloc(np, 1);
	c->trig = calloc(np, sizeof *c->trig);
	c->lit_no_gen = calloc(f->n_lits ? f->n_lits : 1, sizeof *c->lit_no_gen);
	c->lit_gen = calloc(f->n_lits ? f->n_lits : 1, sizeof *c->lit_gen);
	c->cands = calloc(np, sizeof *c->cands);
	c->cand_bits = calloc((np + 63) / 64, sizeof *c->cand_bits);
	if (f->dfa) {
		c->dfa = fw_dfa_runner_new(f->dfa, 0);
		c->group_pass = calloc(DFA_GROUPS_MAX, 1);
	}
	if (!c->pat_gen || !c->pat_seen || !c->trig || !c->lit_no_gen || !c->lit_gen || !c->cands ||
	    !c->cand_bits ||
	    (f->dfa && (!c->dfa || !c->group_pass)))
		return -ENOMEM;
	return 0;
}

static void
fast_ctx_destroy(struct fw_match_ctx *ctx)
{
	struct fast_ctx *c = ctx->engine_data;

	free(c->pat_gen);
	free(c->pat_seen);
	free(c->trig);
	free(c->lit_no_gen);
	free(c->lit_gen);
	free(c->cands);
	free(c->cand_bits);
	fw_dfa_runner_free(c->dfa);
	free(c->group_pass);
	free(c);
	ctx->engine_data = NULL;
}

static inline void
add_cand(struct fast_ctx *c, uint32_t p)
{
	c->cands[c->n_cands++] = p;
	c->cand_bits[p / 64] |= (uint64_t)1 << (p % 64);
}

/* A scanned literal occurs: the patterns it is the first factor of are triggered. */
static void
lit_seen(const struct fast *f, struct fast_ctx *c, uint32_t lit)
{
	const struct fp_lit *l = &f->lits[lit];

	c->lit_gen[lit] = c->gen;
	c->dfa_gate_seen |= l->dfa_gate;
	for (uint32_t r = l->first_ref; r < l->first_ref + l->n_refs; r++) {
		uint32_t p = f->refs[r].pattern;

		if (c->pat_gen[p] == c->gen)
			continue;
		c->pat_gen[p] = c->gen;
		c->pat_seen[p] = 0;
		c->trig[c->n_trig++] = p;
	}
}

/*
 * Whether literal lit occurs in the line, after the scan: a scanned literal
 * was found by it or is absent; any other is searched for, once per line.
 */
static bool
lit_present(const struct fast *f, struct fast_ctx *c, uint32_t lit, const unsigned char *line,
	    size_t len)
{
	const struct fp_lit *l = &f->lits[lit];
	bool found = false;

	if (c->lit_gen[lit] == c->gen)
		return true;
	if (c->lit_no_gen[lit] == c->gen || fp_lit_scanned(l))
		return false;
	if (!l->caseless) {
		/* memchr() on the first byte: glibc's memmem() costs far more on short lines. */
		const unsigned char *q = line, *end = line + len;

		while (!found && (size_t)(end - q) >= l->len && (q = memchr(q, l->bytes[0], (size_t)(end - q))))
			found = (size_t)(end - q) >= l->len && !memcmp(q++, l->bytes, l->len);
	} else {
		for (size_t i = 0; !found && l->len <= len && i + l->len <= len; i++) {
			uint32_t k = 0;

			while (k < l->len && fold(line[i + k]) == l->bytes[k])
				k++;
			found = k == l->len;
		}
	}
	if (found)
		c->lit_gen[lit] = c->gen;
	else
		c->lit_no_gen[lit] = c->gen;
	return found;
}

/* Whether the line holds a literal of each of p's factors from the (first_bit)th on. */
static bool
factors_present(const struct fast *f, struct fast_ctx *c, uint32_t p, uint32_t first_bit,
		const unsigned char *line, size_t len)
{
	for (uint32_t b = first_bit; b < FACTORS_MAX; b++) {
		const struct fp_factor *fa = &f->factors[p * FACTORS_MAX + b];
		bool one = false;

		if (!(f->need[p] & (1u << b)))
			continue;
		for (uint32_t k = 0; !one && k < fa->n_lits; k++)
			one = lit_present(f, c, f->factor_lits[fa->first_lit + k], line, len);
		if (!one)
			return false;
	}
	return true;
}

/* A triggered pattern whose other factors all occur is a candidate. */
static void
open_gates(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	for (uint32_t i = 0; i < c->n_trig; i++)
		if (factors_present(f, c, c->trig[i], 1, line, len))
			add_cand(c, c->trig[i]);
}

/* The window ending at line[end] matched a key filter bit: verify its literals. */
static void
probe(const struct fast *f, struct fast_ctx *c, uint32_t key, unsigned klen,
      const unsigned char *line, size_t len, size_t end)
{
	const struct fp_slot *s;
	uint32_t h;

	for (h = slot_start(key, klen, f->slot_mask);; h = (h + 1) & f->slot_mask) {
		s = &f->slots[h];
		if (!s->klen)
			return;
		if (s->klen == klen && s->key == key)
			break;
	}
	for (uint32_t o = s->first_occ; o < s->first_occ + s->n_occ; o++) {
		const struct fp_occ *oc = &f->occs[o];
		const struct fp_lit *l = &f->lits[oc->lit];
		size_t start;

		if (c->lit_gen[oc->lit] == c->gen || end + 1 < klen + oc->off)
			continue;
		start = end + 1 - klen - oc->off;
		if (start + l->len > len)
			continue;
		if (l->caseless) {
			uint32_t i = 0;

			while (i < l->len && fold(line[start + i]) == l->bytes[i])
				i++;
			if (i < l->len)
				continue;
		} else if (memcmp(line + start, l->bytes, l->len) != 0) {
			continue;
		}
		lit_seen(f, c, oc->lit);
	}
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
pair_hit(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len,
	 size_t i, unsigned keys)
{
	const unsigned char *fold_tab = f->fold;
	uint32_t k2 = (uint32_t)fold_tab[line[i - 1]] << 8 | fold_tab[line[i]];

	if (keys & PAIR_KEY1)
		probe(f, c, fold_tab[line[i]], 1, line, len, i);
	if (keys & PAIR_KEY2)
		probe(f, c, k2, 2, line, len, i);
	if ((keys & PAIR_KEY4) && i >= 3) {
		uint32_t w = (uint32_t)fold_tab[line[i - 3]] << 24 |
			     (uint32_t)fold_tab[line[i - 2]] << 16 | k2;

		if (filter_test(f->filter4, key_hash(w, f->hash_shift)))
			probe(f, c, w, 4, line, len, i);
	}
}

/*
 * Positions tested per step of the scan (the OR in scan() is written out for
 * 8): the map loads of one step are independent of each other.
 */
#define SCAN_STEP 8

/*
 * The scan: per position i, one 16-bit load of line[i-1..i] and one byte of
 * the pair map, OR-ed over SCAN_STEP positions so that the common case (no
 * key ends in the step) costs one branch per step. A step with a hit is
 * looked at position by position. Position 0 has no preceding byte: only a
 * 1-byte key can end there; the map marks those under every preceding byte,
 * so a zero byte stands in for the missing one.
 */
static void
scan(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	const uint8_t *map = f->pair;
	size_t i = 1;

	if (!len)
		return;
	{
		const unsigned char first[2] = { 0, line[0] };

		if (map[pair_index(first)] & PAIR_KEY1)
			probe(f, c, f->fold[line[0]], 1, line, len, 0);
	}
	for (; i + SCAN_STEP <= len; i += SCAN_STEP) {
		const unsigned char *p = line + i - 1;
		/* Written out: compilers at -O2 keep a loop here, with its counter. */
		uint8_t any = map[pair_index(p)] | map[pair_index(p + 1)] |
			      map[pair_index(p + 2)] | map[pair_index(p + 3)] |
			      map[pair_index(p + 4)] | map[pair_index(p + 5)] |
			      map[pair_index(p + 6)] | map[pair_index(p + 7)];

		if (__builtin_expect(!any, 1))
			continue;
		for (unsigned k = 0; k < SCAN_STEP; k++) {
			unsigned keys = map[pair_index(p + k)];

			if (keys)
				pair_hit(f, c, line, len, i + k, keys);
		}
	}
	for (; i < len; i++) {
		unsigned keys = map[pair_index(line + i - 1)];

		if (keys)
			pair_hit(f, c, line, len, i, keys);
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
		for (uint32_t i = 1; i < n; i++) {
			uint32_t v = a[i], j = i;

			while (j && a[j - 1] > v) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = v;
		}
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
	if (f->n_dfa_groups)
		return c->group_pass[f->dfa_group[m]];
	return factors_present(f, c, p, 0, line, len);
}

/* Whether the DFA has to run: some member's literals all occur, or it has members without any. */
static bool
gates_open(const struct fast *f, struct fast_ctx *c, const unsigned char *line, size_t len)
{
	bool any = f->n_dfa_free != 0;

	if (!c->dfa_gate_seen)
		return any;
	if (!f->n_dfa_groups)
		return true;
	for (uint32_t g = 0; g < f->n_dfa_groups; g++) {
		c->group_pass[g] = factors_present(f, c, f->group_rep[g], 0, line, len);
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

static void
fast_match(struct fw_match_ctx *ctx, const char *line, size_t len, const uint64_t *mask)
{
	const struct fast *f = ctx->m->engine_data;
	const struct fw_kb *kb = ctx->m->kb;
	struct fast_ctx *c = ctx->engine_data;
	uint32_t a = 0, k = 0, done = UINT32_MAX;

	if (++c->gen == 0) {
		/* Generation wrapped: forget every stamp once every 2^32 lines. */
		memset(c->pat_gen, 0, f->n_patterns * sizeof *c->pat_gen);
		memset(c->lit_gen, 0, f->n_lits * sizeof *c->lit_gen);
		memset(c->lit_no_gen, 0, f->n_lits * sizeof *c->lit_no_gen);
		c->gen = 1;
	}
	c->n_cands = 0;
	c->dfa_gate_seen = false;
	c->n_trig = 0;

	if (f->n_lits) {
		scan(f, c, (const unsigned char *)line, len);
		open_gates(f, c, (const unsigned char *)line, len);
	}
	if (f->dfa && (c->dfa_gate_seen || f->n_dfa_free))
		dfa_candidates(f, c, (const unsigned char *)line, len);
	order_candidates(f, c);

	/* Merge candidates with the always-confirmed patterns, in KB order. */
	while (a < f->n_always || k < c->n_cands) {
		uint32_t p;

		if (k == c->n_cands || (a < f->n_always && f->always[a] < c->cands[k]))
			p = f->always[a++];
		else
			p = c->cands[k++];
		if (kb->patterns[p].record == done || !fw_mask_test(mask, kb->patterns[p].record))
			continue;
		if (fw__match_try(ctx, p, line, len))
			done = kb->patterns[p].record;
	}
}

uint64_t
fw_match_fast_dfa_gave_up(const struct fw_match_ctx *ctx)
{
	const struct fast_ctx *c;

	if (!ctx || ctx->m->ops != &fw__match_fast_ops)
		return 0;
	c = ctx->engine_data;
	return c->dfa ? fw_dfa_gave_up_count(c->dfa) : 0;
}

const struct fw_match_engine_ops fw__match_fast_ops = {
	.name = "fast",
	.compile = fast_compile,
	.destroy = fast_destroy,
	.ctx_init = fast_ctx_init,
	.ctx_destroy = fast_ctx_destroy,
	.match = fast_match,
};

