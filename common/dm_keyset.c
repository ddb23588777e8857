#include "common/dm_keyset.h"

#include <stdlib.h>

/* Fibonacci hashing: the high bits of key * 2^64/phi, so keys that differ only in their
 * high half (a partition number above a block number) spread too. */
static size_t slot_of(uint64_t v, size_t cap)
{
	return (size_t)((v * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static int grow(dm_keyset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 1024;
	uint64_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		uint64_t v = s->slot[i];
		if (!v)
			continue;
		size_t h = slot_of(v, cap);
		while (t[h])
			h = (h + 1) & (cap - 1);
		t[h] = v;
	}
	free(s->slot);
	s->slot = t;
	s->cap = cap;
	return 0;
}

int dm_keyset_add(dm_keyset *s, uint64_t key)
{
	if (key == UINT64_MAX) { /* key + 1 would be the empty slot's 0 */
		int had = s->has_max;
		s->has_max = 1;
		return had;
	}
	uint64_t v = key + 1;
	if (s->n * 2 >= s->cap && grow(s) < 0)
		return -1;
	size_t h = slot_of(v, s->cap);
	for (; s->slot[h]; h = (h + 1) & (s->cap - 1))
		if (s->slot[h] == v)
			return 1;
	s->slot[h] = v;
	s->n++;
	return 0;
}

void dm_keyset_free(dm_keyset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
	s->has_max = 0;
}
