/* SHA-256 (FIPS 180-4), dependency-free, for verifying written discs and image checksums.
 * Two implementations of the compression function behind one interface: portable C, and on
 * x86-64 CPUs with the SHA extensions (SHA-NI) one using them, chosen at run time. */
#ifndef DM_SHA256_H
#define DM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define DM_SHA256_LEN 32

/* Compress n 64-byte blocks at p into the state h. */
typedef void (*dm_sha256_blocks_fn)(uint32_t h[8], const uint8_t *p, size_t n);

typedef struct dm_sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t used;
	dm_sha256_blocks_fn blocks;
} dm_sha256;

/* Which compression function a context uses. */
typedef enum dm_sha256_impl {
	DM_SHA256_AUTO,     /* the fastest this CPU runs (what dm_sha256_init takes) */
	DM_SHA256_PORTABLE, /* portable C */
	DM_SHA256_SHANI     /* x86-64 SHA extensions */
} dm_sha256_impl;

void dm_sha256_init(dm_sha256 *s);
/* dm_sha256_init with a given implementation; returns 0 (s untouched) when this CPU or
 * build lacks it. For tests and benches. */
int dm_sha256_init_impl(dm_sha256 *s, dm_sha256_impl impl);
/* "sha-ni" or "portable": what DM_SHA256_AUTO picks here. */
const char *dm_sha256_impl_name(void);
void dm_sha256_update(dm_sha256 *s, const void *data, size_t len);
void dm_sha256_final(dm_sha256 *s, uint8_t out[DM_SHA256_LEN]);
/* Lower-case hex of a digest into hex (65 bytes with the NUL). */
void dm_sha256_hex(const uint8_t digest[DM_SHA256_LEN], char hex[2 * DM_SHA256_LEN + 1]);

/* The compression functions (dm_sha256_x86.c): the SHA-NI one is NULL where the build has
 * no x86-64 code for it; dm_sha256_shani_usable() tells whether the CPU runs it. */
extern const dm_sha256_blocks_fn dm_sha256_blocks_shani;
int dm_sha256_shani_usable(void);
/* FIPS 180-4 4.2.2: the round constants, shared by both implementations. */
extern const uint32_t dm_sha256_k[64];

#endif
