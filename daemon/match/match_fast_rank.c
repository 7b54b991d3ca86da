/*
 * match_fast_rank: how the fast engine ranks what it scans for (see
 * match_fast_rank.h): the rarity of a literal's bytes in log text, the
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
/* Below this rarity (two common letters) a literal is in nearly every line. */
#define SCORE_MIN 6
/* Above this, a second factor would not make the pattern rarer in practice. */
#define SCORE_ENOUGH 48
/* Once the chosen factors are this rare, weaker ones would only cost scanning time. */
#define SCORE_SECOND 12

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

_Static_assert(sizeof common_text <= COMMON_TEXT_CAP, "common_text outgrew struct common_folded");

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

/* Marks the folded byte pairs common in logs, for fw__rank_lit_key(). */
void
fw__rank_common_pairs(uint64_t bits[65536 / 64])
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
void
fw__rank_lit_key(const struct fp_lit *l, struct window_counts *wc, const uint64_t *common_pairs,
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
 * chosen is still weak (common bytes, text found in ordinary logs), more
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
