/* A bump allocator for the many small, same-lifetime objects of an image tree (nodes,
 * names): one malloc per block (64 KiB, doubling up to 1 MiB) instead of one per object,
 * so memory per file stays small. Everything is freed at once by dm_arena_free(). */
#ifndef DM_ARENA_H
#define DM_ARENA_H

#include <stddef.h>

typedef struct dm_arena dm_arena;

dm_arena *dm_arena_new(void);
void dm_arena_free(dm_arena *a);
/* Zeroed memory aligned to 8 bytes; NULL when out of memory. */
void *dm_arena_alloc(dm_arena *a, size_t size);
/* Unaligned, uninitialised bytes (names, identifiers): no padding between them. */
void *dm_arena_bytes(dm_arena *a, size_t size);
/* A NUL-terminated copy of len bytes, unaligned. */
char *dm_arena_strndup(dm_arena *a, const char *s, size_t len);
/* Bytes handed out so far (for memory reports). */
size_t dm_arena_used(const dm_arena *a);

#endif
