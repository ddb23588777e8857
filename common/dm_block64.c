#include "common/dm_block64.h"

#include <string.h>

void dm_block64_feed(uint32_t *h, uint8_t block[64], size_t *used, const void *data, size_t len,
		     dm_block64_fn compress)
{
	const uint8_t *p = data;
	if (*used) {
		size_t n = 64 - *used < len ? 64 - *used : len;
		memcpy(block + *used, p, n);
		*used += n;
		p += n;
		len -= n;
		if (*used < 64)
			return;
		compress(h, block);
		*used = 0;
	}
	for (; len >= 64; p += 64, len -= 64)
		compress(h, p);
	memcpy(block, p, len);
	*used = len;
}
