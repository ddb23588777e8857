/* A set of 64-bit keys (open addressing, grown at half full): the importers' record of
 * the directories already read, which turns a directory loop in a damaged or hostile
 * image into a clear error instead of an endless walk (import_iso.c by LBA,
 * import_udf.c by partition and block). */
#ifndef DM_KEYSET_H
#define DM_KEYSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_keyset {
	uint64_t *slot; /* key + 1, 0 empty */
	size_t cap, n;
	int has_max;    /* UINT64_MAX, which has no key + 1 */
} dm_keyset;

/* Adds key: 0 when it was not there, 1 when it was, -1 out of memory (the set unchanged).
 * A zeroed dm_keyset is an empty set. */
int dm_keyset_add(dm_keyset *s, uint64_t key);
void dm_keyset_free(dm_keyset *s);

#endif
