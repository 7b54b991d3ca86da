/*
 * kb_arena: bump allocation in 64 KiB blocks; larger requests get a block
 * of their own.
 */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb/kb_arena.h"

#define ARENA_BLOCK (64u * 1024)

struct fw_arena_block {
	struct fw_arena_block *next;
	size_t used;
	size_t cap;
	alignas(max_align_t) unsigned char data[];
};

void
fw_arena_init(struct fw_arena *a)
{
	a->head = NULL;
}

void *
fw_arena_alloc(struct fw_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct fw_arena_block *b = a->head;
	size_t need = (size + align - 1) & ~(align - 1);
	void *p;

	if (size == 0)
		need = align;
	/* Rounding up, or the block header on top, must not wrap around. */
	if (need < size || need > SIZE_MAX - sizeof *b)
		return NULL;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		/* A big block goes behind the current one so its free space stays usable. */
		if (a->head && need > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *
fw_arena_strdup(struct fw_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = fw_arena_alloc(a, len + 1);
	if (p)
		memcpy(p, s, len);
	return p;
}

void
fw_arena_free(struct fw_arena *a)
{
	while (a->head) {
		struct fw_arena_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}
