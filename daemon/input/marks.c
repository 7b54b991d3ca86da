/*
 * marks: a ring of positions waiting for acknowledgement (see marks.h).
 * The ring is a power of two so an index wraps with a mask; seqs grow along
 * it, which lets fw_marks_upto() search by halves.
 */
#include "config.h"

#include <stdlib.h>

#include "input/marks.h"

void
fw_marks_init(struct fw_marks *m, unsigned first, unsigned max)
{
	*m = (struct fw_marks){.first = first, .max = max};
}

void
fw_marks_free(struct fw_marks *m)
{
	free(m->ring);
	m->ring = NULL;
	m->head = m->n = m->cap = 0;
}

/* A ring of cap entries holding the marks oldest first; false when it cannot. */
static bool
resize(struct fw_marks *m, unsigned cap)
{
	struct fw_mark *v = malloc(cap * sizeof(*v));

	if (!v)
		return false;
	for (unsigned i = 0; i < m->n; i++)
		v[i] = *fw_marks_at(m, i);
	free(m->ring);
	m->ring = v;
	m->cap = cap;
	m->head = 0;
	return true;
}

/* An emptied ring goes back to its first size: a stall's burst is let go. */
static void
shrink_if_empty(struct fw_marks *m)
{
	if (m->n > 0)
		return;
	m->head = 0;
	if (m->cap > m->first)
		resize(m, m->first);   /* on failure the big ring stays: still correct */
}

void
fw_marks_reset(struct fw_marks *m, struct fw_mark committed)
{
	m->n = 0;
	m->committed = committed;
	shrink_if_empty(m);
}

void
fw_marks_add(struct fw_marks *m, struct fw_mark mark)
{
	struct fw_mark *last = m->n ? &m->ring[(m->head + m->n - 1) & (m->cap - 1)] : NULL;

	if (last && (last->seq == mark.seq || last->offset == mark.offset))
		*last = mark;
	else if (m->n < m->cap || (m->cap < m->max && resize(m, m->cap ? m->cap * 2 : m->first)))
		m->ring[(m->head + m->n++) & (m->cap - 1)] = mark;
	else if (last)
		/* Full: a later seq and offset keep the last one correct, only
		 * less fine-grained. */
		*last = mark;
	/* else no ring at all (out of memory): the next add tries again. */
}

bool
fw_marks_advance(struct fw_marks *m, uint64_t safe)
{
	while (m->n > 0 && fw_marks_at(m, 0)->seq <= safe) {
		m->committed = *fw_marks_at(m, 0);
		m->head = (m->head + 1) & (m->cap - 1);
		m->n--;
	}
	shrink_if_empty(m);
	return m->n == 0;
}

const struct fw_mark *
fw_marks_upto(const struct fw_marks *m, uint64_t seq)
{
	unsigned lo = 0, hi = m->n;

	/* The first mark above seq, by halves. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (fw_marks_at(m, mid)->seq <= seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? fw_marks_at(m, lo - 1) : &m->committed;
}
