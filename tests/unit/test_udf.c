/* CUnit suites for the UDF encoders: mkimage/udf/udf_tag.c, udf_cs0.c, udf_vol.c, udf_fe.c.
 * Exact bytes at the offsets of ECMA-167 3rd edition and OSTA UDF 2.60. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <CUnit/CUnit.h>

#include "common/dm_endian.h"
#include "mkimage/udf/udf_cs0.h"
#include "mkimage/udf/udf_fe.h"
#include "mkimage/udf/udf_tag.h"
#include "mkimage/udf/udf_vol.h"

/* A tag is consistent: checksum over bytes 0-3 and 5-15, CRC over CRC-length bytes. */
static void check_tag(const uint8_t *d, uint16_t id, uint16_t ver, uint32_t loc, uint16_t crclen)
{
	CU_ASSERT_EQUAL(dm_get_le16(d), id);
	CU_ASSERT_EQUAL(dm_get_le16(d + 2), ver);
	CU_ASSERT_EQUAL(d[4], udf_tag_checksum(d));
	CU_ASSERT_EQUAL(d[5], 0);
	CU_ASSERT_EQUAL(dm_get_le16(d + 10), crclen);
	CU_ASSERT_EQUAL(dm_get_le16(d + 8), udf_crc(d + 16, crclen));
	CU_ASSERT_EQUAL(dm_get_le32(d + 12), loc);
}

/* ---- tags -------------------------------------------------------------------------- */

static void test_crc(void)
{
	/* ECMA-167 1/7.2.6's example: the bytes #70 #6A #77 give #3299. */
	const uint8_t ecma[3] = {0x70, 0x6A, 0x77};
	CU_ASSERT_EQUAL(udf_crc(ecma, 3), 0x3299);
	/* The CCITT check value with initial value 0 ("XMODEM"). */
	CU_ASSERT_EQUAL(udf_crc((const uint8_t *)"123456789", 9), 0x31C3);
	CU_ASSERT_EQUAL(udf_crc(ecma, 0), 0);
}

static void test_tag(void)
{
	uint8_t d[64];
	memset(d, 0xAA, sizeof(d));
	for (int i = 16; i < 64; i++)
		d[i] = (uint8_t)i;
	udf_tag_finish(d, UDF_TAG_PVD, 3, 0x1234, 0x01020304, 64);
	static const uint8_t head[16] = {0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x34, 0x12,
					 0x00, 0x00, 48,   0x00, 0x04, 0x03, 0x02, 0x01};
	uint16_t crc = udf_crc(d + 16, 48);
	CU_ASSERT_EQUAL(d[8], crc & 0xFF);
	CU_ASSERT_EQUAL(d[9], crc >> 8);
	unsigned sum = 0;
	for (int i = 0; i < 16; i++)
		if (i != 4 && i != 8 && i != 9)
			CU_ASSERT_EQUAL(d[i], head[i]);
	for (int i = 0; i < 16; i++)
		if (i != 4)
			sum += d[i];
	CU_ASSERT_EQUAL(d[4], (uint8_t)sum);
	CU_ASSERT_EQUAL(udf_desc_version(UDF_REV_102), 2);
	CU_ASSERT_EQUAL(udf_desc_version(UDF_REV_150), 2);
	CU_ASSERT_EQUAL(udf_desc_version(UDF_REV_200), 3);
	CU_ASSERT_EQUAL(udf_desc_version(UDF_REV_260), 3);
}

/* The decoder (mkimage --previous): a tag made by udf_tag_finish passes; each fault is
 * named. */
static void test_tag_check(void)
{
	uint8_t d[64];
	memset(d, 0, sizeof(d));
	for (int i = 16; i < 64; i++)
		d[i] = (uint8_t)(i * 7);
	udf_tag_finish(d, UDF_TAG_FE, 2, 1, 300, 64);
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_FE, 300), UDF_TAG_GOOD);
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_EFE, 300), UDF_TAG_BAD_ID);
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_FE, 301), UDF_TAG_BAD_LOCATION);
	/* The CRC length must lie within what was read. */
	CU_ASSERT_EQUAL(udf_tag_check(d, 63, UDF_TAG_FE, 300), UDF_TAG_BAD_CRC);
	CU_ASSERT_EQUAL(udf_tag_check(d, 10, UDF_TAG_FE, 300), UDF_TAG_BAD_ID);
	d[40] ^= 1; /* the body */
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_FE, 300), UDF_TAG_BAD_CRC);
	d[40] ^= 1;
	d[6] ^= 1; /* the serial number: only the checksum covers it */
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_FE, 300), UDF_TAG_BAD_CHECKSUM);
	d[6] ^= 1;
	udf_tag_finish(d, UDF_TAG_FE, 4, 1, 300, 64);
	CU_ASSERT_EQUAL(udf_tag_check(d, 64, UDF_TAG_FE, 300), UDF_TAG_BAD_VERSION);
	CU_ASSERT_PTR_NOT_NULL(strstr(udf_tag_fault_name(UDF_TAG_BAD_CRC), "CRC"));
}

/* ---- CS0, dstrings, timestamps, regids -------------------------------------------- */

/* The decoder takes back what the encoder writes, and refuses what no name may hold. */
static void test_cs0_decode(void)
{
	static const char *const names[] = {"abc", "caf\xc3\xa9", "\xe6\x97\xa5", "a\xe6\x97\xa5",
					    "\xf0\x9f\x98\x80", "a\xf0\x9f\x98\x80.txt"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint8_t cs0[255];
		char back[1100];
		size_t len;
		CU_ASSERT_EQUAL_FATAL(udf_cs0_encode(cs0, 255, names[i], strlen(names[i]), &len), UDF_CS0_OK);
		long n = udf_cs0_decode(cs0, len, back, sizeof(back));
		CU_ASSERT_EQUAL(n, (long)strlen(names[i]));
		CU_ASSERT_STRING_EQUAL(back, names[i]);
	}
	char out[64];
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"", 0, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x07" "ab", 3, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x10\x00", 2, out, sizeof(out)), -1); /* odd */
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x08" "a/b", 4, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x08" "a\0b", 4, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x10\xd8\x3d", 3, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x10\xd8\x3d\x00\x41", 5, out, sizeof(out)), -1);
	CU_ASSERT_EQUAL(udf_cs0_decode((const uint8_t *)"\x08" "abcdef", 7, out, 4), -1); /* no room */
}

static void test_cs0_encode(void)
{
	static const struct {
		const char *in;
		udf_cs0_status st;
		size_t len;
		const char *out;
	} cases[] = {
		{"abc", UDF_CS0_OK, 4, "\x08" "abc"},
		{"caf\xc3\xa9", UDF_CS0_OK, 5, "\x08" "caf\xe9"},         /* é fits 8 bits */
		{"\xe6\x97\xa5", UDF_CS0_OK, 3, "\x10\x65\xe5"},          /* 日: 16 bits */
		{"a\xe6\x97\xa5", UDF_CS0_OK, 5, "\x10\x00" "a\x65\xe5"},
		{"x\xff", UDF_CS0_OK, 3, "\x08" "x\xff"},                 /* not UTF-8: Latin-1 */
		/* Above U+FFFF, in every revision: a UTF-16 surrogate pair (😀 U+1F600) */
		{"\xf0\x9f\x98\x80", UDF_CS0_OK, 5, "\x10\xd8\x3d\xde\x00"},
		{"a\xf0\x9f\x98\x80.txt", UDF_CS0_OK, 15,
		 "\x10\x00" "a\xd8\x3d\xde\x00\x00.\x00t\x00x\x00t"},
		{"\xf4\x8f\xbf\xbf", UDF_CS0_OK, 5, "\x10\xdb\xff\xdf\xff"}, /* U+10FFFF */
		{"\xf0\x90\x80\x80", UDF_CS0_OK, 5, "\x10\xd8\x00\xdc\x00"}, /* U+10000 */
		{"\xef\xbb\xbf", UDF_CS0_FORBIDDEN, 0, NULL},             /* U+FEFF */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t out[300];
		size_t len = 0;
		udf_cs0_status st = udf_cs0_encode(out, 255, cases[i].in, strlen(cases[i].in), &len);
		CU_ASSERT_EQUAL(st, cases[i].st);
		if (cases[i].out) {
			CU_ASSERT_EQUAL(len, cases[i].len);
			CU_ASSERT_EQUAL(memcmp(out, cases[i].out, cases[i].len), 0);
		}
	}
	/* 255 bytes of d-string at most: 254 Latin-1 characters, 127 others, 63 above U+FFFF. */
	char name[400];
	memset(name, 'n', 254);
	uint8_t out[300];
	size_t len;
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 254, &len), UDF_CS0_OK);
	CU_ASSERT_EQUAL(len, 255);
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 255, &len), UDF_CS0_TOO_LONG);
	CU_ASSERT_EQUAL(len, 256);
	for (int i = 0; i < 128; i++)
		memcpy(name + 3 * i, "\xe6\x97\xa5", 3);
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 3 * 127, &len), UDF_CS0_OK);
	CU_ASSERT_EQUAL(len, 255);
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 3 * 128, &len), UDF_CS0_TOO_LONG);
	for (int i = 0; i < 64; i++)
		memcpy(name + 4 * i, "\xf0\x9f\x98\x80", 4);
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 4 * 63, &len), UDF_CS0_OK);
	CU_ASSERT_EQUAL(len, 253);
	CU_ASSERT_EQUAL(memcmp(out + 249, "\xd8\x3d\xde\x00", 4), 0);
	CU_ASSERT_EQUAL(udf_cs0_encode(out, 255, name, 4 * 64, &len), UDF_CS0_TOO_LONG);
	CU_ASSERT_EQUAL(len, 257);
}

static void test_symlink_non_bmp(void)
{
	/* 4/14.16.1 path components: ".." (type 3), then "😀" (type 5) as a surrogate pair. */
	uint8_t p[64];
	int bad = 0;
	size_t n = udf_put_symlink(p, sizeof(p), "../\xf0\x9f\x98\x80", 7, &bad);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL_FATAL(n, 4 + 4 + 5);
	static const uint8_t want[] = {3, 0, 0, 0, 5, 5, 0, 0, 0x10, 0xd8, 0x3d, 0xde, 0x00};
	CU_ASSERT_EQUAL(memcmp(p, want, sizeof(want)), 0);
}

static void test_dstring(void)
{
	uint8_t f[32];
	udf_put_dstring(f, 32, "CDROM");
	CU_ASSERT_EQUAL(f[0], 8);
	CU_ASSERT_EQUAL(memcmp(f + 1, "CDROM", 5), 0);
	CU_ASSERT_EQUAL(f[6], 0);
	CU_ASSERT_EQUAL(f[31], 6);
	udf_put_dstring(f, 32, "");
	for (int i = 0; i < 32; i++)
		CU_ASSERT_EQUAL(f[i], 0);
	/* cut at a character: 30 of 40 Latin-1 characters, 15 of 16-bit ones */
	udf_put_dstring(f, 32, "0123456789012345678901234567890123456789");
	CU_ASSERT_EQUAL(f[31], 31);
	CU_ASSERT_EQUAL(f[30], '9');
	udf_put_dstring(f, 32, "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
			       "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
			       "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5");
	CU_ASSERT_EQUAL(f[0], 16);
	CU_ASSERT_EQUAL(f[31], 31); /* 1 + 15 * 2 */
	CU_ASSERT_EQUAL(udf_dstring_room(32, "0123456789012345678901234567890123456789"), 30);
	/* above U+FFFF: surrogate pairs, never cut in the middle (7 of 8 fit in 30 bytes) */
	udf_put_dstring(f, 32, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
			       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
	CU_ASSERT_EQUAL(f[0], 16);
	CU_ASSERT_EQUAL(f[31], 29); /* 1 + 7 * 4 */
	CU_ASSERT_EQUAL(memcmp(f + 25, "\xd8\x3d\xde\x00", 4), 0);
	CU_ASSERT_EQUAL(f[29], 0);
	uint8_t cs[64];
	udf_put_charspec(cs);
	CU_ASSERT_EQUAL(cs[0], 0);
	CU_ASSERT_EQUAL(memcmp(cs + 1, "OSTA Compressed Unicode", 23), 0);
	CU_ASSERT_EQUAL(cs[24], 0);
}

static void test_timestamp(void)
{
	static const struct {
		int64_t t;
		uint8_t b[12];
	} cases[] = {
		{1700000000, {0x00, 0x10, 0xE7, 0x07, 11, 14, 22, 13, 20, 0, 0, 0}},
		{0, {0x00, 0x10, 0xB2, 0x07, 1, 1, 0, 0, 0, 0, 0, 0}},
		{-1, {0x00, 0x10, 0xB1, 0x07, 12, 31, 23, 59, 59, 0, 0, 0}},
		{951782400, {0x00, 0x10, 0xD0, 0x07, 2, 29, 0, 0, 0, 0, 0, 0}}, /* 2000-02-29 */
		{-99999999999999LL, {0x00, 0x10, 0x01, 0x00, 1, 1, 0, 0, 0, 0, 0, 0}}, /* clamped */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t p[12];
		udf_put_timestamp(p, cases[i].t);
		CU_ASSERT_EQUAL(memcmp(p, cases[i].b, 12), 0);
	}
}

static void test_regid(void)
{
	uint8_t r[32];
	udf_put_domain_id(r, UDF_REV_102);
	CU_ASSERT_EQUAL(r[0], 0);
	CU_ASSERT_EQUAL(memcmp(r + 1, "*OSTA UDF Compliant", 19), 0);
	CU_ASSERT_EQUAL(r[20], 0);
	CU_ASSERT_EQUAL(r[24], 0x02);
	CU_ASSERT_EQUAL(r[25], 0x01);
	CU_ASSERT_EQUAL(r[26], 0); /* no write protection */
	udf_put_udf_id(r, "*UDF LV Info", UDF_REV_260);
	CU_ASSERT_EQUAL(memcmp(r + 1, "*UDF LV Info", 12), 0);
	CU_ASSERT_EQUAL(dm_get_le16(r + 24), 0x0260);
	CU_ASSERT_EQUAL(r[26], UDF_OS_CLASS_UNIX);
	CU_ASSERT_EQUAL(r[27], UDF_OS_ID_LINUX);
	udf_put_impl_id(r);
	CU_ASSERT_EQUAL(memcmp(r + 1, UDF_IMPL_ID, strlen(UDF_IMPL_ID)), 0);
	CU_ASSERT_EQUAL(r[24], UDF_OS_CLASS_UNIX);
	CU_ASSERT_EQUAL(r[25], UDF_OS_ID_LINUX);
	udf_put_app_id(r, "A VERY LONG APPLICATION NAME THAT IS CUT");
	CU_ASSERT_EQUAL(memcmp(r + 1, "A VERY LONG APPLICATION", 23), 0);
	CU_ASSERT_EQUAL(r[24], 0);
}

/* ---- volume structures ------------------------------------------------------------ */

static udf_vol_info vol(unsigned rev, int meta)
{
	udf_vol_info v;
	memset(&v, 0, sizeof(v));
	v.rev = rev;
	v.time = 1700000000;
	v.serial = 1;
	v.volume_id = "TESTVOL";
	v.volset_unique = 0x0123456789ABCDEFULL;
	v.application = "APP";
	v.main_vds = 32;
	v.reserve_vds = 48;
	v.vds_blocks = 6;
	v.lvid_lba = 64;
	v.part_start = 257;
	v.part_len = 1000;
	v.fsd_lbn = 0;
	v.root_lbn = 2;
	v.files = 7;
	v.dirs = 3;
	v.next_unique_id = 26;
	if (meta) {
		v.metadata = 1;
		v.meta_file = 0;
		v.meta_mirror = 1;
		v.meta_bitmap = 0xFFFFFFFF;
		v.meta_blocks = 64;
		v.meta_alloc_unit = 32;
		v.meta_align_unit = 32;
		v.meta_duplicate = 1;
		v.fsd_part = v.root_part = 1;
	}
	return v;
}

static void test_vrs_avdp(void)
{
	uint8_t b[UDF_BLOCK];
	udf_put_vrs(b, "NSR03");
	CU_ASSERT_EQUAL(b[0], 0);
	CU_ASSERT_EQUAL(memcmp(b + 1, "NSR03", 5), 0);
	CU_ASSERT_EQUAL(b[6], 1);
	CU_ASSERT_EQUAL(b[7], 0);
	CU_ASSERT_STRING_EQUAL(udf_nsr_id(UDF_REV_150), "NSR02");
	CU_ASSERT_STRING_EQUAL(udf_nsr_id(UDF_REV_200), "NSR03");
	udf_vol_info v = vol(UDF_REV_201, 0);
	udf_put_avdp(b, 256, &v);
	check_tag(b, 2, 3, 256, 496);
	CU_ASSERT_EQUAL(dm_get_le32(b + 16), 6 * 2048);
	CU_ASSERT_EQUAL(dm_get_le32(b + 20), 32);
	CU_ASSERT_EQUAL(dm_get_le32(b + 24), 6 * 2048);
	CU_ASSERT_EQUAL(dm_get_le32(b + 28), 48);
	CU_ASSERT_EQUAL(b[511], 0);
}

static void test_vds(void)
{
	uint8_t b[UDF_BLOCK];
	udf_vol_info v = vol(UDF_REV_102, 0);
	/* PVD (3/10.1) */
	udf_put_vds_desc(b, 0, 32, &v);
	check_tag(b, 1, 2, 32, 496);
	CU_ASSERT_EQUAL(dm_get_le32(b + 16), 0);
	CU_ASSERT_EQUAL(b[24], 8);
	CU_ASSERT_EQUAL(memcmp(b + 25, "TESTVOL", 7), 0);
	CU_ASSERT_EQUAL(b[55], 8);
	CU_ASSERT_EQUAL(dm_get_le16(b + 56), 1);
	CU_ASSERT_EQUAL(dm_get_le16(b + 60), 2);
	CU_ASSERT_EQUAL(dm_get_le16(b + 62), 3);
	CU_ASSERT_EQUAL(memcmp(b + 73, "0123456789ABCDEF", 16), 0);
	CU_ASSERT_EQUAL(memcmp(b + 345, "APP", 3), 0);
	CU_ASSERT_EQUAL(dm_get_le16(b + 378), 2023);
	CU_ASSERT_EQUAL(memcmp(b + 389, "*discmaster", 11), 0);
	/* IUVD (3/10.4, UDF 2.2.7) */
	udf_put_vds_desc(b, 1, 33, &v);
	check_tag(b, 4, 2, 33, 496);
	CU_ASSERT_EQUAL(dm_get_le32(b + 16), 1);
	CU_ASSERT_EQUAL(memcmp(b + 21, "*UDF LV Info", 12), 0);
	CU_ASSERT_EQUAL(dm_get_le16(b + 44), 0x0102);
	CU_ASSERT_EQUAL(memcmp(b + 52 + 1, "OSTA Compressed Unicode", 23), 0);
	CU_ASSERT_EQUAL(memcmp(b + 52 + 65, "TESTVOL", 7), 0);
	/* PD (3/10.5) */
	udf_put_vds_desc(b, 2, 34, &v);
	check_tag(b, 5, 2, 34, 496);
	CU_ASSERT_EQUAL(dm_get_le16(b + 20), 1);
	CU_ASSERT_EQUAL(dm_get_le16(b + 22), 0);
	CU_ASSERT_EQUAL(memcmp(b + 25, "+NSR02", 6), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 184), 1);
	CU_ASSERT_EQUAL(dm_get_le32(b + 188), 257);
	CU_ASSERT_EQUAL(dm_get_le32(b + 192), 1000);
	/* LVD (3/10.6) with one type 1 map */
	udf_put_vds_desc(b, 3, 35, &v);
	check_tag(b, 6, 2, 35, 440 + 6 - 16);
	CU_ASSERT_EQUAL(dm_get_le32(b + 212), 2048);
	CU_ASSERT_EQUAL(memcmp(b + 217, "*OSTA UDF Compliant", 19), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 248), 2048);  /* FSD long_ad */
	CU_ASSERT_EQUAL(dm_get_le32(b + 252), 0);
	CU_ASSERT_EQUAL(dm_get_le16(b + 256), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 264), 6);
	CU_ASSERT_EQUAL(dm_get_le32(b + 268), 1);
	CU_ASSERT_EQUAL(dm_get_le32(b + 432), 2 * 2048);
	CU_ASSERT_EQUAL(dm_get_le32(b + 436), 64);
	static const uint8_t map1[6] = {1, 6, 1, 0, 0, 0};
	CU_ASSERT_EQUAL(memcmp(b + 440, map1, 6), 0);
	/* USD, TD */
	udf_put_vds_desc(b, 4, 36, &v);
	check_tag(b, 7, 2, 36, 8);
	udf_put_vds_desc(b, 5, 37, &v);
	check_tag(b, 8, 2, 37, 496);
}

static void test_lvd_metadata(void)
{
	uint8_t b[UDF_BLOCK];
	udf_vol_info v = vol(UDF_REV_250, 1);
	udf_put_vds_desc(b, 3, 35, &v);
	check_tag(b, 6, 3, 35, 440 + 70 - 16);
	CU_ASSERT_EQUAL(dm_get_le32(b + 264), 70);
	CU_ASSERT_EQUAL(dm_get_le32(b + 268), 2);
	CU_ASSERT_EQUAL(dm_get_le16(b + 256), 1);      /* FSD in the metadata partition */
	const uint8_t *m = b + 446;
	CU_ASSERT_EQUAL(m[0], 2);
	CU_ASSERT_EQUAL(m[1], 64);
	CU_ASSERT_EQUAL(memcmp(m + 5, "*UDF Metadata Partition", 23), 0);
	CU_ASSERT_EQUAL(dm_get_le16(m + 28), 0x0250);
	CU_ASSERT_EQUAL(dm_get_le16(m + 36), 1);
	CU_ASSERT_EQUAL(dm_get_le16(m + 38), 0);
	CU_ASSERT_EQUAL(dm_get_le32(m + 40), 0);
	CU_ASSERT_EQUAL(dm_get_le32(m + 44), 1);
	CU_ASSERT_EQUAL(dm_get_le32(m + 48), 0xFFFFFFFF);
	CU_ASSERT_EQUAL(dm_get_le32(m + 52), 32);
	CU_ASSERT_EQUAL(dm_get_le16(m + 56), 32);
	CU_ASSERT_EQUAL(m[58], 1);
}

static void test_lvid_fsd(void)
{
	uint8_t b[UDF_BLOCK];
	udf_vol_info v = vol(UDF_REV_260, 1);
	udf_put_lvid(b, 64, &v);
	check_tag(b, 9, 3, 64, 80 + 16 + 46 - 16);
	CU_ASSERT_EQUAL(dm_get_le32(b + 28), 1);       /* closed */
	CU_ASSERT_EQUAL(dm_get_le64(b + 40), 26);      /* next unique ID */
	CU_ASSERT_EQUAL(dm_get_le32(b + 72), 2);
	CU_ASSERT_EQUAL(dm_get_le32(b + 76), 46);
	CU_ASSERT_EQUAL(dm_get_le32(b + 80), 0);       /* free space */
	CU_ASSERT_EQUAL(dm_get_le32(b + 84), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 88), 1000);    /* sizes */
	CU_ASSERT_EQUAL(dm_get_le32(b + 92), 64);
	CU_ASSERT_EQUAL(memcmp(b + 97, "*discmaster", 11), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 128), 7);      /* files */
	CU_ASSERT_EQUAL(dm_get_le32(b + 132), 3);      /* directories */
	CU_ASSERT_EQUAL(dm_get_le16(b + 136), 0x0250); /* min read: 2.60 is read as 2.50 */
	CU_ASSERT_EQUAL(dm_get_le16(b + 138), 0x0260);
	CU_ASSERT_EQUAL(dm_get_le16(b + 140), 0x0260);
	udf_put_fsd(b, 0, &v);
	check_tag(b, 256, 3, 0, 496);
	CU_ASSERT_EQUAL(dm_get_le16(b + 28), 3);
	CU_ASSERT_EQUAL(memcmp(b + 113, "TESTVOL", 7), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 400), 2048);   /* root ICB */
	CU_ASSERT_EQUAL(dm_get_le32(b + 404), 2);
	CU_ASSERT_EQUAL(dm_get_le16(b + 408), 1);
	CU_ASSERT_EQUAL(memcmp(b + 417, "*OSTA UDF Compliant", 19), 0);
}

/* ---- file structures -------------------------------------------------------------- */

static void test_permissions(void)
{
	CU_ASSERT_EQUAL(udf_permissions(0755), 0x7CA5u);
	CU_ASSERT_EQUAL(udf_permissions(0644), (0x04u | 0x02 | 0x10 | 0x08) << 10 | 0x04u << 5 | 0x04u);
	CU_ASSERT_EQUAL(udf_permissions(0000), 0x08u << 10);
	CU_ASSERT_EQUAL(udf_icb_flags(S_ISUID | S_ISGID | S_ISVTX | 0777, UDF_AD_LONG),
			(1u << 6) | (1u << 7) | (1u << 8) | 1u);
	CU_ASSERT_EQUAL(udf_icb_flags(0644, UDF_AD_EMBEDDED), 3u);
}

static void test_fe(void)
{
	uint8_t b[UDF_BLOCK], ad[16];
	udf_fe_info fe;
	memset(&fe, 0, sizeof(fe));
	fe.rev = UDF_REV_102;
	fe.file_type = UDF_FT_FILE;
	fe.ad_type = UDF_AD_SHORT;
	fe.mode = S_IFREG | 04755;
	fe.uid = 1234;
	fe.gid = 4000000000u;
	fe.nlink = 3;
	fe.size = 5000;
	fe.blocks = 3;
	fe.atime = fe.mtime = fe.ctime = 1700000000;
	fe.unique_id = 0x123456789ULL;
	fe.serial = 1;
	fe.location = 77;
	fe.ad = ad;
	fe.ad_len = (uint32_t)udf_put_extents(ad, 5000, 300, 0, 0);
	CU_ASSERT_EQUAL(fe.ad_len, 8);
	size_t len = udf_put_fe(b, &fe);
	CU_ASSERT_EQUAL(len, 176 + 8);
	check_tag(b, 261, 2, 77, 176 + 8 - 16);
	CU_ASSERT_EQUAL(dm_get_le16(b + 16 + 4), 4);    /* strategy */
	CU_ASSERT_EQUAL(dm_get_le16(b + 16 + 8), 1);    /* max entries */
	CU_ASSERT_EQUAL(b[16 + 11], 5);                 /* file type */
	CU_ASSERT_EQUAL(dm_get_le16(b + 16 + 18), 1u << 6); /* short_ad, setuid */
	CU_ASSERT_EQUAL(dm_get_le32(b + 36), 1234);
	CU_ASSERT_EQUAL(dm_get_le32(b + 40), 4000000000u);
	CU_ASSERT_EQUAL(dm_get_le32(b + 44), udf_permissions(0755));
	CU_ASSERT_EQUAL(dm_get_le16(b + 48), 3);
	CU_ASSERT_EQUAL(dm_get_le64(b + 56), 5000);
	CU_ASSERT_EQUAL(dm_get_le64(b + 64), 3);
	CU_ASSERT_EQUAL(dm_get_le16(b + 84 + 2), 2023); /* modification year */
	CU_ASSERT_EQUAL(dm_get_le32(b + 108), 1);       /* checkpoint */
	CU_ASSERT_EQUAL(memcmp(b + 129, "*discmaster", 11), 0);
	CU_ASSERT_EQUAL(dm_get_le64(b + 160), 0x123456789ULL);
	CU_ASSERT_EQUAL(dm_get_le32(b + 168), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 172), 8);
	CU_ASSERT_EQUAL(dm_get_le32(b + 176), 5000);
	CU_ASSERT_EQUAL(dm_get_le32(b + 180), 300);
	CU_ASSERT_EQUAL(b[184], 0);

	/* the extended file entry of 2.00 and later (4/14.17) */
	fe.rev = UDF_REV_201;
	fe.ad_type = UDF_AD_EMBEDDED;
	fe.ad = (const uint8_t *)"tiny";
	fe.ad_len = 4;
	fe.size = 4;
	fe.blocks = 0;
	len = udf_put_fe(b, &fe);
	CU_ASSERT_EQUAL(len, 216 + 4);
	check_tag(b, 266, 3, 77, 216 + 4 - 16);
	CU_ASSERT_EQUAL(dm_get_le16(b + 16 + 18), (1u << 6) | 3u);
	CU_ASSERT_EQUAL(dm_get_le64(b + 56), 4);
	CU_ASSERT_EQUAL(dm_get_le64(b + 64), 4);        /* object size */
	CU_ASSERT_EQUAL(dm_get_le64(b + 72), 0);
	CU_ASSERT_EQUAL(dm_get_le16(b + 104 + 2), 2023); /* creation */
	CU_ASSERT_EQUAL(dm_get_le32(b + 128), 1);
	CU_ASSERT_EQUAL(memcmp(b + 169, "*discmaster", 11), 0);
	CU_ASSERT_EQUAL(dm_get_le64(b + 200), 0x123456789ULL);
	CU_ASSERT_EQUAL(dm_get_le32(b + 212), 4);
	CU_ASSERT_EQUAL(memcmp(b + 216, "tiny", 4), 0);
	CU_ASSERT_EQUAL(udf_fe_room(UDF_REV_102, 0), 2048 - 176);
	CU_ASSERT_EQUAL(udf_fe_room(UDF_REV_250, 48), 2048 - 216 - 48);
}

static void test_extents(void)
{
	uint8_t ad[64];
	/* 2.5 GiB: two full extents of 2^30 - 2048 bytes, then the rest (UDF 2.3.10) */
	uint64_t size = 5ULL << 29;
	CU_ASSERT_EQUAL(udf_extent_count(size), 3);
	CU_ASSERT_EQUAL(udf_extent_count(0), 0);
	CU_ASSERT_EQUAL(udf_extent_count(UDF_EXTENT_MAX), 1);
	CU_ASSERT_EQUAL(udf_extent_count(UDF_EXTENT_MAX + 1ULL), 2);
	size_t n = udf_put_extents(ad, size, 1000, 0, 0);
	CU_ASSERT_EQUAL(n, 24);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 0), 0x3FFFF800u);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 4), 1000);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 8), 0x3FFFF800u);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 12), 1000 + 524287);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 16), (uint32_t)(size - 2ULL * 0x3FFFF800u));
	CU_ASSERT_EQUAL(dm_get_le32(ad + 20), 1000 + 2 * 524287);
	n = udf_put_extents(ad, 10, 5, 0, 1);
	CU_ASSERT_EQUAL(n, 16);
	CU_ASSERT_EQUAL(dm_get_le32(ad), 10);
	CU_ASSERT_EQUAL(dm_get_le32(ad + 4), 5);
	CU_ASSERT_EQUAL(dm_get_le16(ad + 8), 0);
}

static void test_fid(void)
{
	uint8_t b[128];
	CU_ASSERT_EQUAL(udf_fid_len(0), 40);
	CU_ASSERT_EQUAL(udf_fid_len(5), 44);
	CU_ASSERT_EQUAL(udf_fid_len(6), 44);
	size_t len = udf_put_fid(b, UDF_REV_201, 1, 9, UDF_FID_DIR | UDF_FID_PARENT, NULL, 0, 2, 1, 0);
	CU_ASSERT_EQUAL(len, 40);
	check_tag(b, 257, 3, 9, 24);
	CU_ASSERT_EQUAL(b[18], 0x0A);
	CU_ASSERT_EQUAL(b[19], 0);
	len = udf_put_fid(b, UDF_REV_102, 1, 9, 0, (const uint8_t *)"\x08" "a.txt", 6, 33, 0,
			  0x100000011ULL);
	CU_ASSERT_EQUAL(len, 44);
	check_tag(b, 257, 2, 9, 28);
	CU_ASSERT_EQUAL(dm_get_le16(b + 16), 1);
	CU_ASSERT_EQUAL(b[18], 0);
	CU_ASSERT_EQUAL(b[19], 6);
	CU_ASSERT_EQUAL(dm_get_le32(b + 20), 2048);
	CU_ASSERT_EQUAL(dm_get_le32(b + 24), 33);
	CU_ASSERT_EQUAL(dm_get_le16(b + 28), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 32), 0x11);     /* low 32 bits of the unique ID */
	CU_ASSERT_EQUAL(dm_get_le16(b + 36), 0);
	CU_ASSERT_EQUAL(memcmp(b + 38, "\x08" "a.txt", 6), 0);
	CU_ASSERT_EQUAL(b[43], 't'); /* 38 + 6 bytes: no padding */
}

static void test_symlink(void)
{
	uint8_t b[256];
	int bad;
	static const uint8_t rel[] = {3, 0, 0, 0, 5, 6, 0, 0, 8, 'a', '.', 't', 'x', 't'};
	size_t n = udf_put_symlink(b, sizeof(b), "../a.txt", 8, &bad);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_EQUAL_FATAL(n, sizeof(rel));
	CU_ASSERT_EQUAL(memcmp(b, rel, sizeof(rel)), 0);
	static const uint8_t abs[] = {1, 0, 0, 0, 5, 4, 0, 0, 8, 'e', 't', 'c', 4, 0, 0, 0};
	n = udf_put_symlink(b, sizeof(b), "/etc//./", 8, &bad);
	CU_ASSERT_EQUAL_FATAL(n, sizeof(abs));
	CU_ASSERT_EQUAL(memcmp(b, abs, sizeof(abs)), 0);
	CU_ASSERT_EQUAL(udf_put_symlink(NULL, 0, "../a.txt", 8, &bad), sizeof(rel));
	char longc[300];
	memset(longc, 'c', 255);
	CU_ASSERT_EQUAL(udf_put_symlink(NULL, 0, longc, 255, &bad), 0);
	CU_ASSERT_EQUAL(bad, UDF_CS0_TOO_LONG);
}

static void test_dev_ea(void)
{
	uint8_t b[UDF_DEV_EA_LEN];
	udf_put_dev_ea(b, UDF_REV_201, 1, 55, 259, 1048575);
	check_tag(b, 262, 3, 55, 8);
	CU_ASSERT_EQUAL(dm_get_le32(b + 16), 0xFFFFFFFFu);
	CU_ASSERT_EQUAL(dm_get_le32(b + 20), 0xFFFFFFFFu);
	CU_ASSERT_EQUAL(dm_get_le32(b + 24), 12);
	CU_ASSERT_EQUAL(b[28], 1);
	CU_ASSERT_EQUAL(dm_get_le32(b + 32), 24);
	CU_ASSERT_EQUAL(dm_get_le32(b + 36), 0);
	CU_ASSERT_EQUAL(dm_get_le32(b + 40), 259);
	CU_ASSERT_EQUAL(dm_get_le32(b + 44), 1048575);
}

static CU_TestInfo tag_tests[] = {
	{"CRC-ITU-T", test_crc},
	{"descriptor tag", test_tag},
	{"descriptor tag check", test_tag_check},
	CU_TEST_INFO_NULL,
};
static CU_TestInfo cs0_tests[] = {
	{"CS0 names", test_cs0_encode},
	{"CS0 names decoded", test_cs0_decode},
	{"symlink components above U+FFFF", test_symlink_non_bmp},
	{"dstrings and charspec", test_dstring},
	{"timestamps", test_timestamp},
	{"entity identifiers", test_regid},
	CU_TEST_INFO_NULL,
};
static CU_TestInfo vol_tests[] = {
	{"VRS and AVDP", test_vrs_avdp},
	{"volume descriptor sequence", test_vds},
	{"LVD with a metadata partition map", test_lvd_metadata},
	{"LVID and FSD", test_lvid_fsd},
	CU_TEST_INFO_NULL,
};
static CU_TestInfo fe_tests[] = {
	{"permissions and ICB flags", test_permissions},
	{"file entry and extended file entry", test_fe},
	{"extents split at 2^30 - 2048", test_extents},
	{"file identifier descriptors", test_fid},
	{"symlink path components", test_symlink},
	{"device extended attribute", test_dev_ea},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"udf_tag", NULL, NULL, NULL, NULL, tag_tests},
	{"udf_cs0", NULL, NULL, NULL, NULL, cs0_tests},
	{"udf_vol", NULL, NULL, NULL, NULL, vol_tests},
	{"udf_fe", NULL, NULL, NULL, NULL, fe_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
