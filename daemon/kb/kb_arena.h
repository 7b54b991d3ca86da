/*
 * kb_arena: a bump allocator for the KB's strings and small arrays.
 * Nothing is freed alone; fw_arena_free() releases every block at once.
 */
#ifndef FW_KB_ARENA_H
#define FW_KB_ARENA_H

#include <stddef.h>

struct fw_arena_block;

struct fw_arena {
	struct fw_arena_block *head;
};

void fw_arena_init(struct fw_arena *a);
/* Zeroed, aligned for any type; NULL on out-of-memory. */
void *fw_arena_alloc(struct fw_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len), packed: not aligned. */
char *fw_arena_strdup(struct fw_arena *a, const char *s, size_t len);
void fw_arena_free(struct fw_arena *a);

#endif
