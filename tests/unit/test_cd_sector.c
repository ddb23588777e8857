/* dm_cd_sector: Mode 1 and Mode 2 form 1 sectors against the values of an independent
 * encoder (tests/unit/cd_sector_vector.py: EDC by bitwise polynomial division, parity by
 * log tables), and against the ECMA-130 annex A check equations evaluated here with a
 * third GF(2^8) implementation (syndromes of every P and Q code word zero); one flipped
 * byte must break the check. */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include "common/dm_cd_sector.h"
#include "common/dm_sha256.h"

static void pattern(uint8_t user[DM_CD_USER])
{
	for (unsigned i = 0; i < DM_CD_USER; i++)
		user[i] = (uint8_t)(i * 7 + 3);
}

static void sha_hex(const uint8_t *d, size_t n, char hex[65])
{
	uint8_t h[DM_SHA256_LEN];
	dm_sha256 c;
	dm_sha256_init(&c);
	dm_sha256_update(&c, d, n);
	dm_sha256_final(&c, h);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

/* Multiply in GF(2^8) modulo x^8+x^4+x^3+x^2+1 by the "Russian peasant" loop. */
static uint8_t t_mul(uint8_t a, uint8_t b)
{
	unsigned r = 0, x = a;
	for (int i = 0; i < 8; i++) {
		if (b & (1u << i))
			r ^= x;
		x <<= 1;
		if (x & 0x100)
			x ^= 0x11d;
	}
	return (uint8_t)r;
}

static uint8_t t_pow2(unsigned e)
{
	uint8_t r = 1;
	while (e--)
		r = t_mul(r, 2);
	return r;
}

/* Syndromes of one code word of n+2 bytes at word offsets w[k] (k = 0..n+1). */
static int word_ok(const uint8_t *b, const unsigned *w, unsigned n2, unsigned plane)
{
	uint8_t s0 = 0, s1 = 0;
	for (unsigned k = 0; k < n2; k++) {
		uint8_t v = b[2 * w[k] + plane];
		s0 ^= v;
		s1 ^= t_mul(v, t_pow2(n2 - 1 - k));
	}
	return s0 == 0 && s1 == 0;
}

static int rspc_ok(const uint8_t *sec, int zero_header)
{
	uint8_t b[2340];
	memcpy(b, sec + 12, sizeof(b));
	if (zero_header)
		memset(b, 0, 4);
	unsigned w[45];
	for (unsigned plane = 0; plane < 2; plane++) {
		for (unsigned c = 0; c < 43; c++) {
			for (unsigned m = 0; m < 26; m++)
				w[m] = 43 * m + c;
			if (!word_ok(b, w, 26, plane))
				return 0;
		}
		for (unsigned d = 0; d < 26; d++) {
			for (unsigned m = 0; m < 43; m++)
				w[m] = (44 * m + 43 * d) % 1118;
			w[43] = 1118 + d;
			w[44] = 1144 + d;
			if (!word_ok(b, w, 45, plane))
				return 0;
		}
	}
	return 1;
}

static void test_mode1_vector(void)
{
	uint8_t user[DM_CD_USER], s[DM_CD_RAW];
	char hex[65];
	pattern(user);
	dm_cd_sector_mode1(16, user, s);
	static const uint8_t sync[12] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					  0xff, 0xff, 0 };
	CU_ASSERT(memcmp(s, sync, 12) == 0);
	CU_ASSERT(s[12] == 0x00 && s[13] == 0x02 && s[14] == 0x16 && s[15] == 1); /* 00:02:16 */
	CU_ASSERT(memcmp(s + 16, user, DM_CD_USER) == 0);
	/* From cd_sector_vector.py. */
	static const uint8_t edc[4] = { 0x4c, 0xf0, 0x86, 0x1c }, p0[4] = { 0x29, 0x63, 0x01, 0x53 },
			     q0[4] = { 0xda, 0xa8, 0x55, 0x33 };
	CU_ASSERT(memcmp(s + 2064, edc, 4) == 0);
	CU_ASSERT(memcmp(s + 2076, p0, 4) == 0);
	CU_ASSERT(memcmp(s + 2248, q0, 4) == 0);
	sha_hex(s, sizeof(s), hex);
	CU_ASSERT_STRING_EQUAL(hex, "2b6f6487a6cc20fef6f310c1bb92d8b82dc2259b9c7fa1b5f06bf9f94ad34fea");
	CU_ASSERT(rspc_ok(s, 0));
	CU_ASSERT(dm_cd_sector_check(s));
	for (unsigned i = 0; i < 2068; i += 517) {
		s[i + 12] ^= 0x10;
		CU_ASSERT(!dm_cd_sector_check(s));
		CU_ASSERT(!rspc_ok(s, 0));
		s[i + 12] ^= 0x10;
	}
}

static void test_mode2_form1_vector(void)
{
	uint8_t user[DM_CD_USER], s[DM_CD_RAW];
	static const uint8_t sub[4] = { 0, 0, 0x08, 0 };
	char hex[65];
	pattern(user);
	dm_cd_sector_mode2_form1(4500, sub, user, s);
	CU_ASSERT(s[12] == 0x01 && s[13] == 0x02 && s[14] == 0x00 && s[15] == 2); /* 01:02:00 */
	CU_ASSERT(memcmp(s + 16, sub, 4) == 0 && memcmp(s + 20, sub, 4) == 0);
	static const uint8_t edc[4] = { 0xfb, 0x6f, 0x07, 0xd7 };
	CU_ASSERT(memcmp(s + 2072, edc, 4) == 0);
	sha_hex(s, sizeof(s), hex);
	CU_ASSERT_STRING_EQUAL(hex, "fe1c019255e4a4b6e00698c7d3b49d8d955734c9aa8f0c4663154a7b8b101fd6");
	CU_ASSERT(rspc_ok(s, 1));
	CU_ASSERT(!rspc_ok(s, 0)); /* the parity does not cover the real header */
	CU_ASSERT(dm_cd_sector_check(s));
	s[500] ^= 1;
	CU_ASSERT(!dm_cd_sector_check(s));
}

/* The EDC of nothing is 0, and a CRC property: appending the little-endian EDC gives a
 * remainder of zero. */
static void test_edc_properties(void)
{
	uint8_t b[64] = { 0 };
	CU_ASSERT_EQUAL(dm_cd_edc(b, 0), 0);
	for (unsigned i = 0; i < 60; i++)
		b[i] = (uint8_t)(i * 31 + 1);
	uint32_t e = dm_cd_edc(b, 60);
	b[60] = (uint8_t)e;
	b[61] = (uint8_t)(e >> 8);
	b[62] = (uint8_t)(e >> 16);
	b[63] = (uint8_t)(e >> 24);
	CU_ASSERT_EQUAL(dm_cd_edc(b, 64), 0);
}

static void test_header_leadin(void)
{
	uint8_t h[16];
	dm_cd_sector_header(-151, 1, h); /* 99:59:74 */
	CU_ASSERT(h[12] == 0x99 && h[13] == 0x59 && h[14] == 0x74);
	dm_cd_sector_header(0, 0, h);
	CU_ASSERT(h[12] == 0x00 && h[13] == 0x02 && h[14] == 0x00 && h[15] == 0);
}

static CU_TestInfo tests[] = {
	{ "mode 1 sector: independent vector, annex A syndromes", test_mode1_vector },
	{ "mode 2 form 1 sector: vector, zero-header parity", test_mode2_form1_vector },
	{ "EDC properties", test_edc_properties },
	{ "header of lead-in and LBA 0", test_header_leadin },
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{ "cd_sector", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL,
};

#include "cu_main.h"
