/* Feeding bytes to a hash that works on 64-byte blocks (MD5, SHA-256): whole blocks go
 * straight from the caller's buffer, the rest waits in the context's block. */
#ifndef DM_BLOCK64_H
#define DM_BLOCK64_H

#include <stddef.h>
#include <stdint.h>

typedef void (*dm_block64_fn)(uint32_t *h, const uint8_t *block);

/* Add len bytes at data to the partial block (block, *used bytes held), calling
 * compress(h, ...) for every block completed. */
void dm_block64_feed(uint32_t *h, uint8_t block[64], size_t *used, const void *data, size_t len,
		     dm_block64_fn compress);

#endif
