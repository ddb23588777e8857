#include "common/dm_sha256.h"

#include <string.h>

#include "common/dm_endian.h"

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes. */
const uint32_t dm_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* FIPS 180-4 4.1.2 functions; Ch and Maj in forms with one operation fewer. */
#define BSIG0(x) (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22))
#define BSIG1(x) (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25))
#define SSIG0(x) (ror(x, 7) ^ ror(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ror(x, 17) ^ ror(x, 19) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/* One round (6.2.2 step 3) without moving the eight words: the caller names them in
 * rotated order instead, so only d and h change. */
#define ROUND(a, b, c, d, e, f, g, h, i)                                                  \
	do {                                                                              \
		uint32_t t1 = h + BSIG1(e) + CH(e, f, g) + dm_sha256_k[i] + w[(i) & 15];  \
		d += t1;                                                                  \
		h = t1 + BSIG0(a) + MAJ(a, b, c);                                         \
	} while (0)
/* The message schedule (6.2.2 step 1) kept in 16 words, W[i] replacing W[i-16]. */
#define SCHEDULE(i)                                                                       \
	(w[(i) & 15] += SSIG1(w[((i) - 2) & 15]) + w[((i) - 7) & 15] + SSIG0(w[((i) - 15) & 15]))
#define EIGHT(i)                                                                          \
	do {                                                                              \
		ROUND(a, b, c, d, e, f, g, h, (i) + 0);                                   \
		ROUND(h, a, b, c, d, e, f, g, (i) + 1);                                   \
		ROUND(g, h, a, b, c, d, e, f, (i) + 2);                                   \
		ROUND(f, g, h, a, b, c, d, e, (i) + 3);                                   \
		ROUND(e, f, g, h, a, b, c, d, (i) + 4);                                   \
		ROUND(d, e, f, g, h, a, b, c, (i) + 5);                                   \
		ROUND(c, d, e, f, g, h, a, b, (i) + 6);                                   \
		ROUND(b, c, d, e, f, g, h, a, (i) + 7);                                   \
	} while (0)

static void blocks_portable(uint32_t hs[8], const uint8_t *p, size_t n)
{
	for (; n; n--, p += 64) {
		uint32_t w[16];
		for (int i = 0; i < 16; i++)
			w[i] = dm_get_be32(p + 4 * i);
		uint32_t a = hs[0], b = hs[1], c = hs[2], d = hs[3];
		uint32_t e = hs[4], f = hs[5], g = hs[6], h = hs[7];
		EIGHT(0);
		EIGHT(8);
		for (int i = 16; i < 64; i += 8) {
			for (int j = 0; j < 8; j++)
				SCHEDULE(i + j);
			EIGHT(i);
		}
		hs[0] += a; hs[1] += b; hs[2] += c; hs[3] += d;
		hs[4] += e; hs[5] += f; hs[6] += g; hs[7] += h;
	}
}

static dm_sha256_blocks_fn best(void)
{
	/* Decided once; a race between threads writes the same value. */
	static dm_sha256_blocks_fn fn;
	if (!fn)
		fn = dm_sha256_blocks_shani && dm_sha256_shani_usable() ? dm_sha256_blocks_shani
									  : blocks_portable;
	return fn;
}

const char *dm_sha256_impl_name(void)
{
	return best() == blocks_portable ? "portable" : "sha-ni";
}

int dm_sha256_init_impl(dm_sha256 *s, dm_sha256_impl impl)
{
	dm_sha256_blocks_fn fn = best();
	if (impl == DM_SHA256_PORTABLE)
		fn = blocks_portable;
	else if (impl == DM_SHA256_SHANI) {
		if (!dm_sha256_blocks_shani || !dm_sha256_shani_usable())
			return 0;
		fn = dm_sha256_blocks_shani;
	}
	/* FIPS 180-4 5.3.3 */
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
	s->used = 0;
	s->blocks = fn;
	return 1;
}

void dm_sha256_init(dm_sha256 *s)
{
	(void)dm_sha256_init_impl(s, DM_SHA256_AUTO);
}

void dm_sha256_update(dm_sha256 *s, const void *data, size_t len)
{
	const uint8_t *p = data;
	s->bytes += len;
	if (s->used) {
		size_t n = 64 - s->used < len ? 64 - s->used : len;
		memcpy(s->block + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
		if (s->used < 64)
			return;
		s->blocks(s->h, s->block, 1);
		s->used = 0;
	}
	/* Whole blocks straight from the caller's buffer, all in one call. */
	if (len >= 64) {
		s->blocks(s->h, p, len / 64);
		p += len - len % 64;
		len %= 64;
	}
	memcpy(s->block, p, len);
	s->used = len;
}

void dm_sha256_final(dm_sha256 *s, uint8_t out[DM_SHA256_LEN])
{
	/* FIPS 180-4 5.1.1: a 1 bit, zeros, and the length in bits as 64-bit big-endian. */
	uint64_t bits = s->bytes * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (s->used < 56 ? 56 : 120) - s->used;
	uint8_t len[8];
	dm_put_be64(len, bits);
	dm_sha256_update(s, pad, padlen);
	dm_sha256_update(s, len, 8);
	for (int i = 0; i < 8; i++)
		dm_put_be32(out + 4 * i, s->h[i]);
}

void dm_sha256_hex(const uint8_t digest[DM_SHA256_LEN], char hex[2 * DM_SHA256_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < DM_SHA256_LEN; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[2 * DM_SHA256_LEN] = '\0';
}
