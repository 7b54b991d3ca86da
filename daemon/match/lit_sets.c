/*
 * lit_sets: factor-set bookkeeping of the literal analysis (lit_int.h):
 * literal runs, the sets they become, and which set is the most selective.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/lit_int.h"

void
fw__lit_set_free(struct fw_lit_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->alts[i].bytes);
	free(s->alts);
	s->alts = NULL;
	s->n = 0;
}

void
fw__lit_branch_free(struct fw_lit_branch *b)
{
	for (size_t i = 0; i < b->n_sets; i++)
		fw__lit_set_free(&b->sets[i]);
	free(b->sets);
	memset(b, 0, sizeof *b);
}

int
fw__lit_branch_push_set(struct fw_lit_branch *b, struct fw_lit_set *s)
{
	if (b->n_sets == b->cap_sets) {
		size_t cap = b->cap_sets ? 2 * b->cap_sets : 4;
		struct fw_lit_set *n = realloc(b->sets, cap * sizeof *n);

		if (!n)
			return -ENOMEM;
		b->sets = n;
		b->cap_sets = cap;
	}
	b->sets[b->n_sets++] = *s;
	memset(s, 0, sizeof *s);
	return 0;
}

static int
lit_dup(struct fw_lit *dst, const struct fw_lit *src)
{
	dst->bytes = malloc(src->len ? src->len : 1);
	if (!dst->bytes)
		return -ENOMEM;
	memcpy(dst->bytes, src->bytes, src->len);
	dst->len = src->len;
	dst->caseless = src->caseless;
	return 0;
}

/*
 * Ends the current run; a non-empty run becomes a set of one literal, or
 * of two when it holds a caseless k or s: the run as it is, and the run
 * with that letter's non-ASCII partner in its place.
 */
int
fw__lit_branch_end_run(struct fw_lit_branch *b)
{
	struct fw_lit_set s = { NULL, 0 };
	struct fw_lit l;
	int rc = -ENOMEM;

	if (!b->run_len)
		return 0;
	l.bytes = b->run;
	l.len = b->run_len;
	l.caseless = b->run_caseless;
	b->run_len = 0;
	s.alts = calloc(2, sizeof *s.alts);
	if (!s.alts || lit_dup(&s.alts[s.n++], &l) < 0)
		goto fail;
	if (b->partner_len) {
		struct fw_lit *o = &s.alts[s.n++];
		size_t at = b->partner_at, n = b->partner_len;

		o->bytes = malloc(l.len - 1 + n);
		if (!o->bytes)
			goto fail;
		memcpy(o->bytes, l.bytes, at);
		memcpy(o->bytes + at, b->partner, n);
		memcpy(o->bytes + at + n, l.bytes + at + 1, l.len - at - 1);
		o->len = l.len - 1 + n;
		o->caseless = l.caseless;
		b->partner_len = 0;
	}
	rc = fw__lit_branch_push_set(b, &s);
	if (rc == 0)
		return 0;
fail:
	b->partner_len = 0;
	fw__lit_set_free(&s);
	return rc;
}

/* Appends bytes of one literal character to the run (already folded). */
int
fw__lit_branch_add_bytes(struct fw_lit_branch *b, const unsigned char *c, size_t n, bool caseless)
{
	int rc;

	if (b->run_len && b->run_caseless != caseless) {
		rc = fw__lit_branch_end_run(b);
		if (rc < 0)
			return rc;
	}
	b->run_caseless = caseless;
	if (b->run_len + n > LIT_MAX_LEN) {
		/* The prefix we have is required; keep it and start afresh. */
		rc = fw__lit_branch_end_run(b);
		if (rc < 0)
			return rc;
		b->run_caseless = caseless;
	}
	memcpy(b->run + b->run_len, c, n);
	b->run_len += n;
	return 0;
}

int
fw__lit_branch_add_partnered(struct fw_lit_branch *b, unsigned char c, const unsigned char *partner,
			     size_t partner_len)
{
	int rc;

	if (b->partner_len || (b->run_len && !b->run_caseless) || b->run_len + 1 > LIT_MAX_LEN) {
		rc = fw__lit_branch_end_run(b);
		if (rc < 0)
			return rc;
	}
	rc = fw__lit_branch_add_bytes(b, &c, 1, true);
	if (rc < 0)
		return rc;
	b->partner_at = b->run_len - 1;
	b->partner_len = partner_len;
	memcpy(b->partner, partner, partner_len);
	return 0;
}

size_t
fw__lit_utf8_encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* How good a literal is for the prefilter: longer is better, caseless a bit worse. */
static size_t
lit_score(const struct fw_lit *l)
{
	return l->len * 2 - (l->caseless ? 1 : 0);
}

static size_t
set_score(const struct fw_lit_set *s)
{
	size_t worst = SIZE_MAX;

	for (size_t i = 0; i < s->n; i++)
		if (lit_score(&s->alts[i]) < worst)
			worst = lit_score(&s->alts[i]);
	return s->n ? worst / s->n : 0;
}

/* Moves all sets of src into dst (a group of one branch in a sequence). */
int
fw__lit_branch_take_sets(struct fw_lit_branch *dst, struct fw_lit_branch *src)
{
	for (size_t i = 0; i < src->n_sets; i++) {
		int rc = fw__lit_branch_push_set(dst, &src->sets[i]);

		if (rc < 0)
			return rc;
	}
	src->n_sets = 0;
	return 0;
}

/* Picks the best set of a branch (highest score), or -1 when it has none. */
ssize_t
fw__lit_branch_best_set(const struct fw_lit_branch *b)
{
	ssize_t best = -1;

	for (size_t i = 0; i < b->n_sets; i++)
		if (best < 0 || set_score(&b->sets[i]) > set_score(&b->sets[best]))
			best = (ssize_t)i;
	return best;
}
