/* MD5 (RFC 1321), small and dependency-free. Not for security: it exists because the
 * checksum that Fedora's checkisomd5 verifies in an image's primary volume descriptor is an
 * MD5 (mkimage --implant-md5). A context can be copied to read an intermediate digest. */
#ifndef DM_MD5_H
#define DM_MD5_H

#include <stddef.h>
#include <stdint.h>

#define DM_MD5_LEN 16

typedef struct dm_md5 {
	uint32_t h[4];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
} dm_md5;

void dm_md5_init(dm_md5 *s);
void dm_md5_update(dm_md5 *s, const void *data, size_t len);
void dm_md5_final(dm_md5 *s, uint8_t out[DM_MD5_LEN]);
/* Lower-case hex of a digest into hex (33 bytes with the NUL). */
void dm_md5_hex(const uint8_t digest[DM_MD5_LEN], char hex[2 * DM_MD5_LEN + 1]);

#endif
