/* SHA-256 (FIPS 180-4), small and dependency-free, for verifying written discs. */
#ifndef DM_SHA256_H
#define DM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define DM_SHA256_LEN 32

typedef struct dm_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
} dm_sha256;

void dm_sha256_init(dm_sha256 *s);
void dm_sha256_update(dm_sha256 *s, const void *data, size_t len);
void dm_sha256_final(dm_sha256 *s, uint8_t out[DM_SHA256_LEN]);
/* Lower-case hex of a digest into hex (65 bytes with the NUL). */
void dm_sha256_hex(const uint8_t digest[DM_SHA256_LEN], char hex[2 * DM_SHA256_LEN + 1]);

#endif
