/* A file written by a second thread while the caller produces the next bytes (reads a
 * disc, hashes what it read): the copy into the page cache and the start of the disk's
 * writing cost no wall time where a core is free. The caller fills one buffer at a time
 * and submits it; the thread writes the submitted ones in order and starts the write-back
 * of every `writeback` bytes (sync_file_range; a hint: the caller's fsync is what makes
 * the file durable). Without a thread (pthread_create failed) dm_bgwrite_submit writes. */
#ifndef DM_BGWRITE_H
#define DM_BGWRITE_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_bgwrite dm_bgwrite;

/* A writer to fd (at its current offset) with nbuf (at least 2) buffers of size bytes;
 * writeback 0: no write-back hints. NULL when out of memory. */
dm_bgwrite *dm_bgwrite_new(int fd, size_t size, unsigned nbuf, uint64_t writeback);
/* The buffer to fill next (size bytes); waits while every buffer is still to be written. */
uint8_t *dm_bgwrite_buffer(dm_bgwrite *w);
/* Hand over the buffer dm_bgwrite_buffer gave, holding len bytes. */
void dm_bgwrite_submit(dm_bgwrite *w, size_t len);
/* The errno of the first failed write (later buffers are dropped), 0 while none failed. */
int dm_bgwrite_error(dm_bgwrite *w);
/* Wait for every submitted buffer to be written and free w; the errno of the first
 * failed write, or 0. The file descriptor stays open. */
int dm_bgwrite_finish(dm_bgwrite *w);

#endif
