/* mkimage/iso_dirrec: dates, directory records and path table records, byte by byte. */
#include <string.h>

#include "common/dm_endian.h"
#include "mkimage/iso/iso_dirrec.h"

#include <CUnit/CUnit.h>

static void test_date7(void)
{
	static const struct {
		int64_t t;
		uint8_t want[7];
	} cases[] = {
		{0, {70, 1, 1, 0, 0, 0, 0}},
		{1700000000, {123, 11, 14, 22, 13, 20, 0}},
		{-2208988800LL, {0, 1, 1, 0, 0, 0, 0}},          /* 1900-01-01, the first */
		{-5000000000LL, {0, 1, 1, 0, 0, 0, 0}},          /* clamped up */
		{5869583999LL, {255, 12, 31, 23, 59, 59, 0}},    /* 2155-12-31, the last */
		{9000000000LL, {255, 12, 31, 23, 59, 59, 0}},    /* clamped down */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t b[7];
		iso_put_date7(b, cases[i].t);
		CU_ASSERT_EQUAL(memcmp(b, cases[i].want, 7), 0);
	}
}

static void test_date17(void)
{
	uint8_t b[17];
	iso_put_date17(b, 1700000000);
	CU_ASSERT_EQUAL(memcmp(b, "2023111422132000", 16), 0);
	CU_ASSERT_EQUAL(b[16], 0);
	iso_put_date17(b, 0);
	CU_ASSERT_EQUAL(memcmp(b, "1970010100000000", 16), 0);
	iso_put_date17_unset(b);
	CU_ASSERT_EQUAL(memcmp(b, "0000000000000000", 16), 0);
	CU_ASSERT_EQUAL(b[16], 0);
}

static void test_dirrec(void)
{
	uint8_t b[256];
	memset(b, 0xAA, sizeof(b));
	/* Odd identifier: no padding byte; odd SU: one padding byte after it. */
	const uint8_t su[3] = {'X', 'Y', 'Z'};
	size_t len = iso_put_dirrec(b, 0x01020304, 0x0800, 0, ISO_FLAG_MULTI_EXTENT,
				    (const uint8_t *)"A.B;1", 5, su, 3);
	CU_ASSERT_EQUAL(len, 33 + 5 + 3 + 1);
	CU_ASSERT_EQUAL(b[0], len);
	CU_ASSERT_EQUAL(b[1], 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 2), 0x01020304);
	CU_ASSERT_EQUAL(dm_get_be32(b + 6), 0x01020304);
	CU_ASSERT_EQUAL(dm_get_le32(b + 10), 0x0800);
	CU_ASSERT_EQUAL(dm_get_be32(b + 14), 0x0800);
	CU_ASSERT_EQUAL(b[18], 70);
	CU_ASSERT_EQUAL(b[25], 0x80);
	CU_ASSERT_EQUAL(dm_get_le16(b + 28), 1);
	CU_ASSERT_EQUAL(dm_get_be16(b + 30), 1);
	CU_ASSERT_EQUAL(b[32], 5);
	CU_ASSERT_EQUAL(memcmp(b + 33, "A.B;1", 5), 0);
	CU_ASSERT_EQUAL(memcmp(b + 38, "XYZ", 3), 0);
	CU_ASSERT_EQUAL(b[41], 0);    /* padding is zero */
	CU_ASSERT_EQUAL(b[42], 0xAA); /* nothing written past the record */
	/* Even identifier: padding byte before the SU (ECMA-119 9.1.12). */
	len = iso_put_dirrec(b, 0, 0, 0, ISO_FLAG_DIR, (const uint8_t *)"AB", 2, NULL, 0);
	CU_ASSERT_EQUAL(len, 36);
	CU_ASSERT_EQUAL(b[25], ISO_FLAG_DIR);
	CU_ASSERT_EQUAL(b[35], 0);
}

static void test_ptrec(void)
{
	uint8_t l[16], m[16];
	size_t n = iso_put_ptrec(l, 0, 0x11223344, 0x0102, (const uint8_t *)"DIR", 3);
	CU_ASSERT_EQUAL(n, 12);
	CU_ASSERT_EQUAL(l[0], 3);
	CU_ASSERT_EQUAL(dm_get_le32(l + 2), 0x11223344);
	CU_ASSERT_EQUAL(dm_get_le16(l + 6), 0x0102);
	CU_ASSERT_EQUAL(memcmp(l + 8, "DIR", 3), 0);
	CU_ASSERT_EQUAL(l[11], 0);
	n = iso_put_ptrec(m, 1, 0x11223344, 0x0102, (const uint8_t *)"DIR", 3);
	CU_ASSERT_EQUAL(n, 12);
	CU_ASSERT_EQUAL(dm_get_be32(m + 2), 0x11223344);
	CU_ASSERT_EQUAL(dm_get_be16(m + 6), 0x0102);
	n = iso_put_ptrec(m, 1, 20, 1, (const uint8_t *)"\0", 1);
	CU_ASSERT_EQUAL(n, 10); /* the root: identifier 0x00 and a padding byte */
}

static CU_TestInfo dirrec_tests[] = {
	{"7-byte dates and clamping", test_date7},
	{"17-byte volume dates", test_date17},
	{"directory records", test_dirrec},
	{"path table records", test_ptrec},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"iso_dirrec", NULL, NULL, NULL, NULL, dirrec_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
