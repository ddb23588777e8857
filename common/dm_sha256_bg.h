/* SHA-256 of a stream computed by a second thread while the caller produces the next
 * bytes (reads a disc, writes a file): the digest costs no wall time where a core is
 * free. The caller fills one buffer at a time and submits it; the thread hashes the
 * submitted ones in order. Without a thread (pthread_create failed) it hashes in
 * dm_sha256_bg_submit. */
#ifndef DM_SHA256_BG_H
#define DM_SHA256_BG_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_sha256.h"

typedef struct dm_sha256_bg dm_sha256_bg;

/* A hasher with nbuf (at least 2) buffers of size bytes; NULL when out of memory. */
dm_sha256_bg *dm_sha256_bg_new(size_t size, unsigned nbuf);
/* The buffer to fill next (size bytes); waits while every buffer is still to be hashed. */
uint8_t *dm_sha256_bg_buffer(dm_sha256_bg *bg);
/* Hand over the buffer dm_sha256_bg_buffer gave, holding len bytes of the stream. */
void dm_sha256_bg_submit(dm_sha256_bg *bg, size_t len);
/* Wait for the thread, write the digest of everything submitted to out (unless out is
 * NULL: abandoned) and free bg. */
void dm_sha256_bg_finish(dm_sha256_bg *bg, uint8_t out[DM_SHA256_LEN]);

#endif
