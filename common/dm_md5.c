#include "common/dm_md5.h"

#include <string.h>

#include "common/dm_block64.h"
#include "common/dm_endian.h"

/* RFC 1321 3.4: T[i] = floor(2^32 * abs(sin(i + 1))), and the per-step shift amounts. */
static const uint32_t t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
	0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
	0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
	0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
	0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
	0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
	0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
	0xeb86d391,
};
static const uint8_t shift[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

/* One 64-byte block (RFC 1321 3.4): four rounds of sixteen steps. */
static void compress(uint32_t h[4], const uint8_t *p)
{
	uint32_t x[16];
	for (int i = 0; i < 16; i++)
		x[i] = get_le32(p + 4 * i);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned g;
		switch (i / 16) {
		case 0: f = (b & c) | (~b & d); g = i; break;
		case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16; break;
		case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;
		default: f = c ^ (b | ~d); g = (7 * i) % 16; break;
		}
		uint32_t tmp = d;
		d = c;
		c = b;
		b = b + rol(a + f + t[i] + x[g], shift[i]);
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

void dm_md5_init(dm_md5 *s)
{
	/* RFC 1321 3.3 */
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->bytes = 0;
	s->used = 0;
}

void dm_md5_update(dm_md5 *s, const void *data, size_t len)
{
	s->bytes += len;
	dm_block64_feed(s->h, s->block, &s->used, data, len, compress);
}

void dm_md5_final(dm_md5 *s, uint8_t out[DM_MD5_LEN])
{
	/* RFC 1321 3.1-3.2: a 1 bit, zeros to 56 mod 64, the bit length little-endian. */
	uint64_t bits = s->bytes * 8;
	uint8_t pad[72] = {0x80};
	size_t n = s->used < 56 ? 56 - s->used : 120 - s->used;
	dm_put_le64(pad + n, bits);
	dm_md5_update(s, pad, n + 8);
	for (int i = 0; i < 4; i++)
		dm_put_le32(out + 4 * i, s->h[i]);
}

void dm_md5_hex(const uint8_t digest[DM_MD5_LEN], char hex[2 * DM_MD5_LEN + 1])
{
	static const char x[] = "0123456789abcdef";
	for (int i = 0; i < DM_MD5_LEN; i++) {
		hex[2 * i] = x[digest[i] >> 4];
		hex[2 * i + 1] = x[digest[i] & 15];
	}
	hex[2 * DM_MD5_LEN] = '\0';
}
