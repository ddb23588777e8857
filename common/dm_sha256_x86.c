/* SHA-256 compression with the x86 SHA extensions (SHA-NI: SHA256RNDS2, SHA256MSG1,
 * SHA256MSG2; Intel SDM vol. 2, and Intel's "Intel SHA Extensions" paper, 2013), used by
 * dm_sha256.c when CPUID says the CPU has them. Only this file is built for those
 * instructions (a target attribute, not a compiler flag for the whole program), so the
 * program still runs on CPUs without them. */
#include "common/dm_sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>
#include <immintrin.h>

#define SHANI __attribute__((target("sha,sse4.1,ssse3")))

int dm_sha256_shani_usable(void)
{
	unsigned a, b, c, d;
	/* CPUID.1:ECX bit 9 SSSE3, bit 19 SSE4.1; CPUID.(7,0):EBX bit 29 SHA. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 9)) || !(c & (1u << 19)))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b >> 29) & 1;
}

/* Four rounds: SHA256RNDS2 does two with the state as the pair ABEF / CDGH (A in the
 * highest dword) and W[t]+K[t], W[t+1]+K[t+1] in the low half of its third operand; the
 * ABEF it returns makes the CDGH of the next two rounds the ABEF it was given. */
SHANI static inline void four_rounds(__m128i *abef, __m128i *cdgh, __m128i m, int t)
{
	__m128i wk = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&dm_sha256_k[t]));
	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

/* W[t..t+3] from the four words groups before (FIPS 180-4 6.2.2 step 1):
 * SHA256MSG1 adds sigma0(W[t-15..t-12]) to W[t-16..t-13], then W[t-7..t-4] is added
 * (the words straddling the third and fourth group), and SHA256MSG2 adds
 * sigma1(W[t-2..t+1]), computing W[t], W[t+1] first for the last two. */
SHANI static inline __m128i schedule(__m128i w16, __m128i w12, __m128i w8, __m128i w4)
{
	__m128i x = _mm_sha256msg1_epu32(w16, w12);
	x = _mm_add_epi32(x, _mm_alignr_epi8(w4, w8, 4));
	return _mm_sha256msg2_epu32(x, w4);
}

SHANI static void blocks_shani(uint32_t h[8], const uint8_t *p, size_t n)
{
	/* The message words are big-endian: reverse the bytes of each dword. */
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abef = _mm_set_epi32((int)h[0], (int)h[1], (int)h[4], (int)h[5]);
	__m128i cdgh = _mm_set_epi32((int)h[2], (int)h[3], (int)h[6], (int)h[7]);
	for (; n; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;
		__m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 0)), bswap);
		__m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
		__m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
		__m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
		/* m0..m3 hold W[t..t+15]; each is replaced by the group 16 words on once used. */
		for (int t = 0; t < 64; t += 16) {
			four_rounds(&abef, &cdgh, m0, t);
			if (t < 48)
				m0 = schedule(m0, m1, m2, m3);
			four_rounds(&abef, &cdgh, m1, t + 4);
			if (t < 48)
				m1 = schedule(m1, m2, m3, m0);
			four_rounds(&abef, &cdgh, m2, t + 8);
			if (t < 48)
				m2 = schedule(m2, m3, m0, m1);
			four_rounds(&abef, &cdgh, m3, t + 12);
			if (t < 48)
				m3 = schedule(m3, m0, m1, m2);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	uint32_t x[4], y[4];
	_mm_storeu_si128((__m128i *)x, abef); /* x[3] A, x[2] B, x[1] E, x[0] F */
	_mm_storeu_si128((__m128i *)y, cdgh); /* y[3] C, y[2] D, y[1] G, y[0] H */
	h[0] = x[3]; h[1] = x[2]; h[2] = y[3]; h[3] = y[2];
	h[4] = x[1]; h[5] = x[0]; h[6] = y[1]; h[7] = y[0];
}

const dm_sha256_blocks_fn dm_sha256_blocks_shani = blocks_shani;

#else

int dm_sha256_shani_usable(void)
{
	return 0;
}

const dm_sha256_blocks_fn dm_sha256_blocks_shani = 0;

#endif
