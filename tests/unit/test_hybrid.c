/* CUnit suite for mkimage/boot/hybrid.c and common/dm_crc32.c: the MBR of both layouts byte
 * for byte (boot code, the BIOS image's address at 432, the entries with their CHS), the
 * GPT primary and backup headers checked the way firmware checks them (signature, sizes,
 * both CRCs, the LBAs pointing at each other), the ESP entry, reproducibility from the
 * seed, and the limits hyb_check refuses. */
#include "mkimage/boot/hybrid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "common/dm_crc32.h"
#include "common/dm_endian.h"
#include "tests/unit/cu_util.h"

static dm_ctx g_ctx;


static void test_crc32(void)
{
	/* The check value of CRC-32/ISO-HDLC, and chaining over split input. */
	CU_ASSERT_EQUAL(dm_crc32(0, "123456789", 9), 0xCBF43926u);
	CU_ASSERT_EQUAL(dm_crc32(dm_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
	CU_ASSERT_EQUAL(dm_crc32(0, "", 0), 0);
}

static void test_guid(void)
{
	uint8_t g[16];
	hyb_put_guid(g, 0xC12A7328, 0xF81F, 0x11D2, 0xBA4B, 0x00A0C93EC93BULL);
	static const uint8_t esp[16] = {0x28, 0x73, 0x2A, 0xC1, 0x1F, 0xF8, 0xD2, 0x11,
					0xBA, 0x4B, 0x00, 0xA0, 0xC9, 0x3E, 0xC9, 0x3B};
	CU_ASSERT_EQUAL(memcmp(g, esp, 16), 0);
}

static hyb_layout layout(int table)
{
	static uint8_t code[HYB_CODE_MAX];
	for (size_t i = 0; i < sizeof(code); i++)
		code[i] = (uint8_t)(i * 7 + 1);
	hyb_layout l = {
		.table = table, .code = code, .code_len = sizeof(code),
		.sectors = 600000,     /* 1171.9 MiB: past cylinder 1023 at 64 x 32 */
		.bios_lba = 40, .efi_lba = 50, .efi_size = 1474560,
	};
	for (int i = 0; i < 32; i++)
		l.seed[i] = (uint8_t)(0xA0 + i);
	return l;
}

/* Appended partitions (mkisofs -append_partition) and GRUB's MBR (+4 at byte 432). */
static void test_appended(void)
{
	hyb_layout l = layout(HYB_MBR);
	l.grub2 = 1;
	l.napp = 1;
	/* the partition's 1000 sectors, then the GPT's backup (HYB_GPT_TAIL) end the image */
	const uint32_t at = (600000 - HYB_GPT_TAIL - 1000) * 4;
	l.app[0] = (hyb_part){.slot = 2, .mbr_type = 0xEF, .start = at, .count = 1000 * 4};
	uint8_t *sa = malloc(HYB_SYSTEM_AREA);
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	hyb_put_system_area(sa, &l);
	CU_ASSERT_EQUAL(dm_get_le64(sa + 432), 164u);
	/* slot 1: the image up to the appended partition, type 83h; slot 2: the partition */
	CU_ASSERT_EQUAL(sa[446 + 4], 0x83);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 8), 0);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 12), at);
	CU_ASSERT_EQUAL(sa[462 + 4], 0xEF);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 462 + 8), at);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 462 + 12), 4000u);
	/* GPT: the El Torito EFI image, then the appended partition with its own GUID */
	l.table = HYB_GPT;
	hyb_put_system_area(sa, &l);
	const uint8_t *e1 = sa + 1024, *e2 = e1 + HYB_GPT_ENTRY_SIZE;
	CU_ASSERT_EQUAL(dm_get_le64(e1 + 32), 200u);
	CU_ASSERT_EQUAL(dm_get_le64(e2 + 32), at);
	CU_ASSERT_EQUAL(dm_get_le64(e2 + 40), at + 3999u);
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(memcmp(e1, e2, 16), 0); /* both EFI system partitions */
	CU_ASSERT(memcmp(e1 + 16, e2 + 16, 16) != 0);
	CU_ASSERT_EQUAL(dm_get_le16(e2 + 56), 'A');
	/* past the GPT's usable sectors: refused */
	l.app[0].count += 4;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	l.app[0].count -= 4;
	/* a GPT with only an appended partition is fine; with none, refused */
	l.efi_lba = 0;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	l.napp = 0;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	free(sa);
}

/* -isohybrid-mbr with -isohybrid-gpt-basdat: the isohybrid MBR (no EEh) and a GPT. */
static void test_mbr_gpt(void)
{
	hyb_layout l = layout(HYB_MBR_GPT);
	uint8_t *sa = malloc(HYB_SYSTEM_AREA), *tail = malloc(HYB_GPT_TAIL * 2048);
	l.iso_sectors = (600000 - HYB_GPT_TAIL) * 4;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(hyb_tail_sectors(HYB_MBR_GPT), HYB_GPT_TAIL);
	hyb_put_system_area(sa, &l);
	hyb_put_tail(tail, &l);
	CU_ASSERT_EQUAL(sa[446], 0x80);         /* entry 1 active, over the image */
	CU_ASSERT_EQUAL(sa[446 + 4], 0x00);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 12), 600000u * 4);
	CU_ASSERT_EQUAL(sa[462 + 4], 0xEF);     /* entry 2 the EFI image */
	CU_ASSERT_EQUAL(dm_get_le32(sa + 462 + 8), 200u);
	CU_ASSERT_EQUAL(memcmp(sa + 512, "EFI PART", 8), 0);
	/* xorriso's GPT for -isohybrid-gpt-basdat: "ISOHybrid", Basic Data over the ISO 9660
	 * volume (from 0 without a partition offset), "ISOHybrid1", Basic Data over the EFI
	 * image, both required and read-only (bits 0 and 60). */
	uint8_t basic[16];
	hyb_put_guid(basic, 0xEBD0A0A2, 0xB9E5, 0x4433, 0x87C0, 0x68B6B72699C7ULL);
	const uint8_t *g1 = sa + 1024, *g2 = g1 + HYB_GPT_ENTRY_SIZE;
	CU_ASSERT_EQUAL(memcmp(g1, basic, 16), 0);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 32), 0u);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 40), (600000u - HYB_GPT_TAIL) * 4 - 1);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 48), 0x1000000000000001ULL);
	CU_ASSERT_EQUAL(dm_get_le16(g1 + 56), 'I');
	CU_ASSERT_EQUAL(dm_get_le16(g1 + 56 + 2 * 8), 'd');
	CU_ASSERT_EQUAL(dm_get_le16(g1 + 56 + 2 * 9), 0);
	CU_ASSERT_EQUAL(memcmp(g2, basic, 16), 0);
	CU_ASSERT_EQUAL(dm_get_le64(g2 + 32), 200u);
	CU_ASSERT_EQUAL(dm_get_le64(g2 + 40), 200u + 2880 - 1);
	CU_ASSERT_EQUAL(dm_get_le16(g2 + 56 + 2 * 9), '1');
	CU_ASSERT(cu_all_zero(g2 + HYB_GPT_ENTRY_SIZE, HYB_GPT_ENTRY_SIZE));
	CU_ASSERT_EQUAL(memcmp(tail + HYB_GPT_TAIL * 2048 - 512, "EFI PART", 8), 0);
	/* the backup array holds the same entries */
	CU_ASSERT_EQUAL(memcmp(tail + HYB_GPT_TAIL * 2048 - 512 - 32 * 512, g1, 2 * HYB_GPT_ENTRY_SIZE), 0);

	/* -partition_offset 16: MBR entry 1 and GPT entry 1 start at 512-byte sector 64 and
	 * end with the volume space (the backup GPT outside: libisofs checks start + count
	 * against the second superblock's volume). */
	l.iso_start = 64;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	hyb_put_system_area(sa, &l);
	CU_ASSERT_EQUAL(sa[446], 0x80);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 8), 64u);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 12), (600000u - HYB_GPT_TAIL) * 4 - 64);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 462 + 8), 200u);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 32), 64u);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 40), (600000u - HYB_GPT_TAIL) * 4 - 1);
	/* an ISO partition past the image's end: refused */
	l.iso_start = l.iso_sectors;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	free(sa);
	free(tail);
}

/* -partition_offset 16 with a protective MBR (-appended_part_as_gpt, -efi-boot-part): the
 * GPT's first entry is xorriso's "ISO9660", Basic Data over the ISO 9660 partition. */
static void test_gpt_offset(void)
{
	hyb_layout l = layout(HYB_GPT);
	uint8_t *sa = malloc(HYB_SYSTEM_AREA);
	l.iso_start = 64;
	l.iso_sectors = (600000 - HYB_GPT_TAIL) * 4;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	hyb_put_system_area(sa, &l);
	CU_ASSERT_EQUAL(sa[446 + 4], 0xEE);
	CU_ASSERT_EQUAL(dm_get_le32(sa + 446 + 8), 1u);
	uint8_t basic[16], esp[16];
	hyb_put_guid(basic, 0xEBD0A0A2, 0xB9E5, 0x4433, 0x87C0, 0x68B6B72699C7ULL);
	hyb_put_guid(esp, 0xC12A7328, 0xF81F, 0x11D2, 0xBA4B, 0x00A0C93EC93BULL);
	const uint8_t *g1 = sa + 1024, *g2 = g1 + HYB_GPT_ENTRY_SIZE;
	CU_ASSERT_EQUAL(memcmp(g1, basic, 16), 0);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 32), 64u);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 40), l.iso_sectors - 1);
	CU_ASSERT_EQUAL(dm_get_le64(g1 + 48), 0x1000000000000001ULL);
	CU_ASSERT_EQUAL(dm_get_le16(g1 + 56 + 2 * 6), '0');
	CU_ASSERT_EQUAL(memcmp(g2, esp, 16), 0);
	CU_ASSERT_EQUAL(dm_get_le64(g2 + 32), 200u);
	/* without the offset the ESP is the first entry, as before */
	l.iso_start = 0;
	hyb_put_system_area(sa, &l);
	CU_ASSERT_EQUAL(memcmp(g1, esp, 16), 0);
	free(sa);
}

static void test_mbr_layout(void)
{
	hyb_layout l = layout(HYB_MBR);
	uint8_t *sa = malloc(HYB_SYSTEM_AREA);
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	hyb_put_system_area(sa, &l);
	CU_ASSERT_EQUAL(memcmp(sa, l.code, HYB_CODE_MAX), 0);
	CU_ASSERT_EQUAL(dm_get_le64(sa + 432), 160u); /* 2048-byte LBA 40 in 512-byte sectors */
	CU_ASSERT_EQUAL(memcmp(sa + 440, l.seed + 16, 4), 0);
	CU_ASSERT(cu_all_zero(sa + 444, 2));
	/* Entry 1: active, from sector 0 (CHS 0/0/1), type 00h because an EFI entry follows. */
	static const uint8_t e1[16] = {0x80, 0x00, 0x01, 0x00, 0x00, 0x3F, 0xE0, 0xFF,
				       0, 0, 0, 0, 0x00, 0x9F, 0x24, 0x00};
	CU_ASSERT_EQUAL(memcmp(sa + 446, e1, 16), 0);
	/* Entry 2: type EFh from 200 (CHS 0/6/9) for 2880 sectors (ends at 3079: 1/32/8). */
	static const uint8_t e2[16] = {0x00, 0x06, 0x09, 0x00, 0xEF, 0x20, 0x08, 0x01,
				       200, 0, 0, 0, 0x40, 0x0B, 0, 0};
	CU_ASSERT_EQUAL(memcmp(sa + 462, e2, 16), 0);
	CU_ASSERT(cu_all_zero(sa + 478, 32));
	CU_ASSERT_EQUAL(sa[510], 0x55);
	CU_ASSERT_EQUAL(sa[511], 0xAA);
	CU_ASSERT(cu_all_zero(sa + 512, HYB_SYSTEM_AREA - 512)); /* no GPT */
	CU_ASSERT_EQUAL(hyb_tail_sectors(HYB_MBR), 0);

	/* Without an EFI image: one entry of type 17h; without code: not active, zeros. */
	l.efi_lba = 0;
	l.efi_size = 0;
	l.code = NULL;
	l.code_len = 0;
	hyb_put_system_area(sa, &l);
	CU_ASSERT(cu_all_zero(sa, 432));
	CU_ASSERT_EQUAL(sa[446], 0x00);
	CU_ASSERT_EQUAL(sa[446 + 4], 0x17);
	CU_ASSERT(cu_all_zero(sa + 462, 48));
	free(sa);
}

/* Check a GPT header the way UEFI 2.x 5.3.2 says firmware validates one. */
static void check_header(const uint8_t *h, uint64_t my, uint64_t alt, uint64_t array,
			 const uint8_t *entries, uint64_t total512)
{
	CU_ASSERT_EQUAL(memcmp(h, "EFI PART", 8), 0);
	CU_ASSERT_EQUAL(dm_get_le32(h + 8), 0x00010000u);
	CU_ASSERT_EQUAL(dm_get_le32(h + 12), 92u);
	uint8_t copy[92];
	memcpy(copy, h, 92);
	memset(copy + 16, 0, 4);
	CU_ASSERT_EQUAL(dm_get_le32(h + 16), dm_crc32(0, copy, 92));
	CU_ASSERT(cu_all_zero(h + 92, 512 - 92));
	CU_ASSERT_EQUAL(dm_get_le64(h + 24), my);
	CU_ASSERT_EQUAL(dm_get_le64(h + 32), alt);
	CU_ASSERT_EQUAL(dm_get_le64(h + 40), 34u);
	CU_ASSERT_EQUAL(dm_get_le64(h + 48), total512 - 34);
	CU_ASSERT_EQUAL(dm_get_le64(h + 72), array);
	CU_ASSERT_EQUAL(dm_get_le32(h + 80), 128u);
	CU_ASSERT_EQUAL(dm_get_le32(h + 84), 128u);
	CU_ASSERT_EQUAL(dm_get_le32(h + 88), dm_crc32(0, entries, 128 * 128));
	CU_ASSERT_EQUAL(h[56 + 7] >> 4, 4);      /* disk GUID: version 4 */
	CU_ASSERT_EQUAL(h[56 + 8] & 0xC0, 0x80); /* variant 10b */
}

static void test_gpt_layout(void)
{
	hyb_layout l = layout(HYB_GPT);
	uint64_t total = l.sectors * 4;
	uint8_t *sa = malloc(HYB_SYSTEM_AREA), *tail = malloc(HYB_GPT_TAIL * 2048);
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(hyb_tail_sectors(HYB_GPT), HYB_GPT_TAIL);
	hyb_put_system_area(sa, &l);
	hyb_put_tail(tail, &l);
	/* Protective MBR: code and the BIOS image's address kept, one EEh entry from 1. */
	CU_ASSERT_EQUAL(memcmp(sa, l.code, HYB_CODE_MAX), 0);
	CU_ASSERT_EQUAL(dm_get_le64(sa + 432), 160u);
	static const uint8_t pm[16] = {0x00, 0x00, 0x02, 0x00, 0xEE, 0xFF, 0xFF, 0xFF,
				       1, 0, 0, 0, 0xFF, 0x9E, 0x24, 0x00};
	CU_ASSERT_EQUAL(memcmp(sa + 446, pm, 16), 0);
	CU_ASSERT(cu_all_zero(sa + 462, 48));
	/* Primary header at 1, entries at 2; the backup entries right before the backup header
	 * in the last sector, the tail's first 3 512-byte sectors zeros. */
	const uint8_t *ent = sa + 1024, *bent = tail + 3 * 512;
	check_header(sa + 512, 1, total - 1, 2, ent, total);
	check_header(tail + HYB_GPT_TAIL * 2048 - 512, total - 1, 1, total - 33, bent, total);
	CU_ASSERT_EQUAL(memcmp(ent, bent, 128 * 128), 0);
	CU_ASSERT_EQUAL(memcmp(sa + 512 + 56, tail + HYB_GPT_TAIL * 2048 - 512 + 56, 16), 0);
	CU_ASSERT(cu_all_zero(tail, 3 * 512));
	/* The ESP entry: type, a v4 unique GUID, 200 to 3079, its name; the rest unused. */
	uint8_t esp[16];
	hyb_put_guid(esp, 0xC12A7328, 0xF81F, 0x11D2, 0xBA4B, 0x00A0C93EC93BULL);
	CU_ASSERT_EQUAL(memcmp(ent, esp, 16), 0);
	CU_ASSERT_EQUAL(ent[16 + 7] >> 4, 4);
	CU_ASSERT_NOT_EQUAL(memcmp(ent + 16, sa + 512 + 56, 16), 0);
	CU_ASSERT_EQUAL(dm_get_le64(ent + 32), 200u);
	CU_ASSERT_EQUAL(dm_get_le64(ent + 40), 3079u);
	CU_ASSERT_EQUAL(dm_get_le64(ent + 48), 0u);
	CU_ASSERT_EQUAL(dm_get_le16(ent + 56), 'E');
	CU_ASSERT_EQUAL(dm_get_le16(ent + 56 + 2 * 19), 'n');
	CU_ASSERT(cu_all_zero(ent + 128, 127 * 128));
	CU_ASSERT(cu_all_zero(sa + 1024 + 128 * 128, HYB_SYSTEM_AREA - 1024 - 128 * 128));

	/* The same seed gives the same bytes; another seed other GUIDs. */
	uint8_t *again = malloc(HYB_SYSTEM_AREA);
	hyb_put_system_area(again, &l);
	CU_ASSERT_EQUAL(memcmp(sa, again, HYB_SYSTEM_AREA), 0);
	l.seed[3] ^= 1;
	hyb_put_system_area(again, &l);
	CU_ASSERT_NOT_EQUAL(memcmp(sa + 512 + 56, again + 512 + 56, 16), 0);
	free(again);
	free(sa);
	free(tail);
}

static void test_limits(void)
{
	hyb_layout l = layout(HYB_MBR);
	l.code_len = HYB_CODE_MAX + 1;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "boot code"));
	/* An MBR counts 32-bit sectors: 2 TiB and more need GPT. */
	l = layout(HYB_MBR);
	l.sectors = (uint64_t)UINT32_MAX / 4 + 1;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "gpt"));
	l.table = HYB_GPT;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_OK);
	/* GPT's partition is the ESP: no EFI image, nothing to point at. */
	l = layout(HYB_GPT);
	l.efi_lba = 0;
	l.efi_size = 0;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	/* The ESP must lie in the usable area: not over the primary array ... */
	l = layout(HYB_GPT);
	l.efi_lba = 8;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "LBA 8"));
	/* ... nor over the backup, nor past the end. */
	l = layout(HYB_GPT);
	l.efi_lba = (uint32_t)(l.sectors - HYB_GPT_TAIL - 1);
	l.efi_size = 4096;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	l = layout(HYB_MBR);
	l.efi_lba = (uint32_t)(l.sectors - 1);
	l.efi_size = 4096;
	CU_ASSERT_EQUAL(hyb_check(&l, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "past the image's end"));
}

static CU_TestInfo hybrid_tests[] = {
	{"CRC-32", test_crc32},
	{"GUID byte order", test_guid},
	{"MBR layout", test_mbr_layout},
	{"appended partitions", test_appended},
	{"isohybrid MBR with a GPT", test_mbr_gpt},
	{"GPT with a partition offset: ISO9660 first", test_gpt_offset},
	{"GPT layout", test_gpt_layout},
	{"limits", test_limits},
	CU_TEST_INFO_NULL,
};

static int init(void)
{
	dm_ctx_init(&g_ctx);
	return 0;
}

static const CU_SuiteInfo suites[] = {
	{"hybrid", init, NULL, NULL, NULL, hybrid_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
