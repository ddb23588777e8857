#include "common/dm_crc32.h"

/* Bit by bit, no table and no global state: GPT needs CRCs over a few KiB per image. */
uint32_t dm_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
	}
	return ~crc;
}
