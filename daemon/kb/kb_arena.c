/*
 * kb_arena: bump allocation in 64 KiB blocks; larger requests get a block
 * of their own. Strings are packed byte to byte; everything else is
 * aligned for any type.
 *
 * A load fills nearly every block it takes, so a block's pages are
 * faulted in with one madvise(MADV_POPULATE_WRITE) call when it is taken
 * instead of one page fault each as the load first writes them: the same
 * memory, fewer entries into the kernel (most of a start-up's faults are
 * the KB's; each costs far more than its share of one call on a virtual
 * machine). A kernel without the call (before Linux 5.14) refuses it with
 * EINVAL once, is not asked again, and the pages fault in as before.
 */
#include "config.h"

#include <errno.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* Faults in the whole pages of p[0..len) at once; a hint, so its errors do not matter. */
static void
prefault(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	static uintptr_t page;
	static bool refused;
	uintptr_t lo, hi;

	if (refused)
		return;
	if (!page) {
		long v = sysconf(_SC_PAGESIZE);

		page = v > 0 ? (uintptr_t)v : 4096;
	}
	lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	hi = ((uintptr_t)p + len) & ~(page - 1);
	/* EINVAL for a whole-page range of our own memory: the kernel does not know the advice. */
	if (hi > lo && madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE) != 0 && errno == EINVAL)
		refused = true;
#else
	(void)p;
	(void)len;
#endif
}

/* size bytes at a multiple of align (1 or max_align_t's) from a block's start, not zeroed. */
static void *
take(struct fw_arena *a, size_t size, size_t align)
{
	struct fw_arena_block *b = a->head;
	size_t at = 0;
	void *p;

	if (size == 0)
		size = 1;
	/* The block header on top, and rounding the start up, must not wrap around. */
	if (size > SIZE_MAX - sizeof *b - alignof(max_align_t))
		return NULL;
	if (b) {
		at = (b->used + align - 1) & ~(align - 1);
		if (at > b->cap || b->cap - at < size)
			b = NULL;
	}
	if (!b) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		prefault(b->data, cap);
		/* A big block goes behind the current one so its free space stays usable. */
		if (a->head && size > ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
		at = 0;
	}
	p = b->data + at;
	b->used = at + size;
	return p;
}

void *
fw_arena_alloc(struct fw_arena *a, size_t size)
{
	void *p = take(a, size, alignof(max_align_t));

	if (p)
		memset(p, 0, size);
	return p;
}

char *
fw_arena_strdup(struct fw_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	p = take(a, len + 1, 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
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
