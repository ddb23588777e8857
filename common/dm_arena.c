#include "common/dm_arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

/* Blocks grow from 64 KiB, doubling, to 1 MiB: most arenas (a small image's tree and
 * plans, a previous session's tree) never need a whole MiB, and the first blocks cost
 * little to map and fault in; a large tree still takes 1 MiB blocks. */
#define ARENA_FIRST (64u << 10)
#define ARENA_BLOCK (1u << 20)

struct block {
	struct block *next;
	size_t used, size;
	alignas(max_align_t) unsigned char data[];
};

struct dm_arena {
	struct block *head;
	size_t total;
	size_t next; /* size of the next block: ARENA_FIRST .. ARENA_BLOCK (0: ARENA_FIRST) */
};

dm_arena *dm_arena_new(void)
{
	return calloc(1, sizeof(dm_arena));
}

void dm_arena_free(dm_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

/* size bytes at an offset that is a multiple of align (a power of two). */
static void *take(dm_arena *a, size_t size, size_t align)
{
	struct block *b = a->head;
	if (b) {
		size_t at = (b->used + align - 1) & ~(align - 1);
		if (at <= b->size && b->size - at >= size) {
			a->total += at - b->used + size;
			b->used = at + size;
			return b->data + at;
		}
	}
	size_t grow = a->next ? a->next : ARENA_FIRST;
	size_t cap = size > grow / 4 ? size : grow;
	struct block *nb = malloc(sizeof(*nb) + cap);
	if (!nb)
		return NULL;
	if (cap == grow && grow < ARENA_BLOCK)
		a->next = grow * 2;
	nb->size = cap;
	nb->used = size;
	if (cap == size && b) {
		/* an oversized object gets its own block behind the current one */
		nb->next = b->next;
		b->next = nb;
	} else {
		nb->next = b;
		a->head = nb;
	}
	a->total += size;
	return nb->data;
}

void *dm_arena_alloc(dm_arena *a, size_t size)
{
	/* 8 bytes is enough for every object an image tree holds. */
	void *p = take(a, size ? size : 1, 8);
	if (p)
		memset(p, 0, size);
	return p;
}

void *dm_arena_bytes(dm_arena *a, size_t size)
{
	return take(a, size ? size : 1, 1);
}

char *dm_arena_strndup(dm_arena *a, const char *s, size_t len)
{
	char *p = dm_arena_bytes(a, len + 1);
	if (p) {
		memcpy(p, s, len);
		p[len] = '\0';
	}
	return p;
}

size_t dm_arena_used(const dm_arena *a)
{
	return a->total;
}
