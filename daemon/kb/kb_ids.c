/*
 * kb_ids: record ids across one load (kb_loader.h). An id must be unique
 * across the shipped paths and, separately, across the operators' local
 * directory; a local record whose id a shipped record has replaces that
 * record (the KB keeps the local one, in its place in load order after the
 * shipped files) and the load gives a notice naming both places. Every
 * other repeated id is an error naming the place of its first definition.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb/kb_loader.h"

bool
fw__kb_note_id(struct kb_loader *ld, const struct kb_place *pl, const char *id)
{
	struct kb_seen *s;

	if (ld->n_seen == ld->seen_cap) {
		uint32_t cap = ld->seen_cap ? ld->seen_cap * 2 : 256;

		s = realloc(ld->seen, cap * sizeof *s);
		if (!s)
			return false;
		ld->seen = s;
		ld->seen_cap = cap;
	}
	s = &ld->seen[ld->n_seen];
	*s = (struct kb_seen){ id, pl->path, pl->line, ld->n_seen, ld->local, false };
	ld->n_seen++;
	return true;
}

static int
cmp_seen(const void *a, const void *b)
{
	const struct kb_seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void
where(const struct kb_seen *s, char *buf, size_t len)
{
	if (s->line)
		snprintf(buf, len, "%s:%u", s->path, s->line);
	else
		snprintf(buf, len, "%s", s->path);
}

static bool
add_notice(struct kb_loader *ld, const char *msg)
{
	struct fw_kb_private *kb = ld->kb;
	const char **v;
	char *copy = fw_arena_strdup(&kb->arena, msg, strlen(msg));

	if (!copy)
		return false;
	v = fw_arena_alloc(&kb->arena, (kb->pub.n_notices + 1) * sizeof *v);
	if (!v)
		return false;
	if (kb->pub.n_notices)
		memcpy(v, kb->pub.notices, kb->pub.n_notices * sizeof *v);
	v[kb->pub.n_notices++] = copy;
	kb->pub.notices = v;
	return true;
}

bool
fw__kb_check_ids(struct kb_loader *ld)
{
	if (ld->n_seen == 0)
		return true;
	qsort(ld->seen, ld->n_seen, sizeof *ld->seen, cmp_seen);
	/* Equal ids sort together in load order: shipped ones first. */
	for (uint32_t i = 0, first = 0; i < ld->n_seen; i++) {
		struct kb_seen *a, *b = &ld->seen[i];
		char pa[PATH_MAX + 16], pb[PATH_MAX + 16], msg[2 * PATH_MAX + 256];

		if (i == 0 || strcmp(ld->seen[first].id, b->id) != 0) {
			first = i;
			continue;
		}
		a = &ld->seen[first];
		/* The first local one of the group, if the one before is shipped. */
		if (b->local && !ld->seen[i - 1].local) {
			a = &ld->seen[i - 1];
			where(a, pa, sizeof pa);
			where(b, pb, sizeof pb);
			snprintf(msg, sizeof msg, "%s: %s: replaces the shipped record of %s", pb, b->id, pa);
			if (!add_notice(ld, msg))
				return false;
			a->replaced = true;
			continue;
		}
		if (b->local)   /* a second local one: its first is the local one before */
			for (uint32_t k = first; k < i; k++)
				if (ld->seen[k].local) {
					a = &ld->seen[k];
					break;
				}
		where(a, pa, sizeof pa);
		where(b, pb, sizeof pb);
		fw_diag_add(ld->diag, "%s: %s: id: duplicate id, first defined at %s", pb, b->id, pa);
		ld->errors++;
	}
	return true;
}

/* Is rec the shipped record that a local one replaces? */
static bool
replaced(const struct kb_loader *ld, const struct fw_record *rec)
{
	uint32_t lo = 0, hi = ld->n_seen;

	if (rec->local)
		return false;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rec->id, ld->seen[mid].id);

		if (c == 0) {
			/* The group of this id: its replaced entry, if any, is the shipped one. */
			while (mid > 0 && strcmp(ld->seen[mid - 1].id, rec->id) == 0)
				mid--;
			for (; mid < ld->n_seen && strcmp(ld->seen[mid].id, rec->id) == 0; mid++)
				if (ld->seen[mid].replaced)
					return true;
			return false;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool
fw__kb_drop_replaced(struct kb_loader *ld)
{
	struct fw_kb_private *kb = ld->kb;
	uint32_t nr = 0, np = 0;

	if (kb->pub.n_notices == 0)
		return true;
	for (uint32_t i = 0; i < kb->pub.n_records; i++) {
		struct fw_record r = kb->records[i];
		uint32_t first = r.first_pattern;

		if (replaced(ld, &r)) {
			for (uint32_t k = 0; k < r.n_patterns; k++)
				fw__kb_pattern_free(&kb->patterns[first + k]);
			continue;
		}
		/* Patterns move down with their record; they are stored in record order. */
		for (uint32_t k = 0; k < r.n_patterns; k++) {
			kb->patterns[np + k] = kb->patterns[first + k];
			kb->patterns[np + k].record = nr;
		}
		r.first_pattern = np;
		np += r.n_patterns;
		kb->records[nr++] = r;
	}
	kb->pub.n_records = nr;
	kb->pub.n_patterns = np;
	return true;
}
