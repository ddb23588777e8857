/* CUnit suite for mkimage/boot/eltorito.c: exact bytes of the boot record volume descriptor and
 * the boot catalog at their offsets, the image checks (floppy sizes, the hard-disk MBR), and
 * the boot info table checksum and patch, also when the file arrives in odd chunks. */
#include "mkimage/boot/eltorito.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "common/dm_endian.h"
#include "tests/unit/cu_util.h"

static dm_ctx g_ctx;


/* ---- boot record volume descriptor ------------------------------------------------- */

static void test_boot_record(void)
{
	uint8_t sec[ELT_SECTOR];
	memset(sec, 0xCC, sizeof(sec));
	elt_put_boot_record(sec, 0x00123456);
	static const uint8_t head[] = {0x00, 'C', 'D', '0', '0', '1', 0x01};
	CU_ASSERT_EQUAL(memcmp(sec, head, sizeof(head)), 0);
	CU_ASSERT_EQUAL(memcmp(sec + 7, "EL TORITO SPECIFICATION", 23), 0);
	CU_ASSERT(cu_all_zero(sec + 30, 71 - 30)); /* id padding and the boot identifier */
	static const uint8_t lba[] = {0x56, 0x34, 0x12, 0x00};
	CU_ASSERT_EQUAL(memcmp(sec + 71, lba, 4), 0);
	CU_ASSERT(cu_all_zero(sec + 75, ELT_SECTOR - 75));
}

/* ---- boot catalog ------------------------------------------------------------------ */

static uint16_t word_sum(const uint8_t *p)
{
	uint16_t s = 0;
	for (unsigned i = 0; i < ELT_ENTRY; i += 2)
		s = (uint16_t)(s + dm_get_le16(p + i));
	return s;
}

static void test_catalog_bios_only(void)
{
	uint8_t sec[ELT_SECTOR];
	elt_entry e = {ELT_PLATFORM_X86, ELT_EMUL_NONE, 1, 0, 0, 4, 0x1A2B, NULL};
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, &e, 1, &g_ctx), DM_OK);
	/* validation entry: 01, platform 0, reserved, empty id, checksum, 55 AA */
	static const uint8_t val[32] = {0x01, 0x00, 0, 0, [28] = 0xAA, [29] = 0x55,
					[30] = 0x55, [31] = 0xAA};
	CU_ASSERT_EQUAL(memcmp(sec, val, 32), 0);
	CU_ASSERT_EQUAL(word_sum(sec), 0);
	/* initial entry: 88, no emulation, segment 0 (7C0h), type 0, count 4, RBA */
	static const uint8_t ini[32] = {0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
					0x2B, 0x1A, 0x00, 0x00};
	CU_ASSERT_EQUAL(memcmp(sec + 32, ini, 32), 0);
	CU_ASSERT(cu_all_zero(sec + 64, ELT_SECTOR - 64));
	CU_ASSERT_EQUAL(elt_catalog_entries(&e, 1), 2);
}

static void test_catalog_bios_efi(void)
{
	uint8_t sec[ELT_SECTOR];
	elt_entry e[2] = {
		{ELT_PLATFORM_X86, ELT_EMUL_NONE, 1, 0, 0x07C0, 4, 40, NULL},
		{ELT_PLATFORM_EFI, ELT_EMUL_NONE, 1, 0, 0, 2880, 41, NULL},
	};
	CU_ASSERT_EQUAL(elt_put_catalog(sec, "discmaster", e, 2, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(sec[0], 0x01);
	CU_ASSERT_EQUAL(sec[1], 0x00);
	CU_ASSERT_EQUAL(memcmp(sec + 4, "discmaster", 10), 0);
	CU_ASSERT(cu_all_zero(sec + 14, 28 - 14));
	CU_ASSERT_EQUAL(word_sum(sec), 0);
	CU_ASSERT_EQUAL(sec[30], 0x55);
	CU_ASSERT_EQUAL(sec[31], 0xAA);
	static const uint8_t ini[32] = {0x88, 0x00, 0xC0, 0x07, 0x00, 0x00, 0x04, 0x00, 40};
	CU_ASSERT_EQUAL(memcmp(sec + 32, ini, 32), 0);
	/* final section header: 91, EFI, one entry, no id */
	static const uint8_t hdr[32] = {0x91, 0xEF, 0x01, 0x00};
	CU_ASSERT_EQUAL(memcmp(sec + 64, hdr, 32), 0);
	static const uint8_t ent[32] = {0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x0B, 41};
	CU_ASSERT_EQUAL(memcmp(sec + 96, ent, 32), 0);
	CU_ASSERT(cu_all_zero(sec + 128, ELT_SECTOR - 128));
}

/* Entries of several platforms are grouped into sections in order of first appearance. */
static void test_catalog_sections(void)
{
	uint8_t sec[ELT_SECTOR];
	elt_entry e[5] = {
		{ELT_PLATFORM_X86, ELT_EMUL_FLOPPY_1440, 1, 0, 0, 1, 100, NULL},
		{ELT_PLATFORM_EFI, ELT_EMUL_NONE, 1, 0, 0, 1, 101, "uefi"},
		{ELT_PLATFORM_PPC, ELT_EMUL_NONE, 0, 0, 0, 8, 102, NULL},
		{ELT_PLATFORM_EFI, ELT_EMUL_NONE, 1, 0, 0, 2, 103, NULL},
		{ELT_PLATFORM_X86, ELT_EMUL_HDD, 1, 0x83, 0, 1, 104, NULL},
	};
	CU_ASSERT_EQUAL(elt_catalog_entries(e, 5), 1 + 5 + 3);
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, e, 5, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(word_sum(sec), 0);
	CU_ASSERT_EQUAL(sec[32 + 1], ELT_EMUL_FLOPPY_1440);
	/* section 1: EFI, two entries (101 and 103), id "uefi" */
	static const uint8_t h1[32] = {0x90, 0xEF, 0x02, 0x00, 'u', 'e', 'f', 'i'};
	CU_ASSERT_EQUAL(memcmp(sec + 64, h1, 32), 0);
	CU_ASSERT_EQUAL(dm_get_le32(sec + 96 + 8), 101);
	CU_ASSERT_EQUAL(dm_get_le32(sec + 128 + 8), 103);
	CU_ASSERT_EQUAL(dm_get_le16(sec + 128 + 6), 2);
	/* section 2: PowerPC, one entry, not bootable */
	static const uint8_t h2[32] = {0x90, 0x01, 0x01, 0x00};
	CU_ASSERT_EQUAL(memcmp(sec + 160, h2, 32), 0);
	static const uint8_t p2[32] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 102};
	CU_ASSERT_EQUAL(memcmp(sec + 192, p2, 32), 0);
	/* section 3, the last: x86 again, one hard-disk entry with its partition type */
	static const uint8_t h3[32] = {0x91, 0x00, 0x01, 0x00};
	CU_ASSERT_EQUAL(memcmp(sec + 224, h3, 32), 0);
	static const uint8_t p3[32] = {0x88, 0x04, 0x00, 0x00, 0x83, 0x00, 0x01, 0x00, 104};
	CU_ASSERT_EQUAL(memcmp(sec + 256, p3, 32), 0);
	CU_ASSERT(cu_all_zero(sec + 288, ELT_SECTOR - 288));
}

static void test_catalog_limits(void)
{
	uint8_t sec[ELT_SECTOR];
	elt_entry e[64];
	memset(e, 0, sizeof(e));
	for (unsigned i = 0; i < 64; i++)
		e[i].platform = i == 0 ? ELT_PLATFORM_X86 : ELT_PLATFORM_EFI;
	/* validation + 62 entries + 1 header = 64 entries: fits exactly */
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, e, 62, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(sec[64], 0x91);
	CU_ASSERT_EQUAL(dm_get_le16(sec + 66), 61);
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, e, 63, &g_ctx), DM_ERR_UNSUPPORTED);
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, e, 0, &g_ctx), DM_ERR_INVALID);
	e[0].emul = 5;
	CU_ASSERT_EQUAL(elt_put_catalog(sec, NULL, e, 1, &g_ctx), DM_ERR_INVALID);
	/* the validation id is cut at 24 bytes, the checksum still holds */
	e[0].emul = 0;
	CU_ASSERT_EQUAL(elt_put_catalog(sec, "0123456789abcdefghijklmnopqrstuvwxyz", e, 1, &g_ctx),
			DM_OK);
	CU_ASSERT_EQUAL(memcmp(sec + 4, "0123456789abcdefghijklmn", 24), 0);
	CU_ASSERT_EQUAL(word_sum(sec), 0);
}

/* ---- image checks ------------------------------------------------------------------ */

static void test_floppy_sizes(void)
{
	static const struct { uint64_t size; uint8_t emul; } t[] = {
		{1228800, ELT_EMUL_FLOPPY_1200}, {1474560, ELT_EMUL_FLOPPY_1440},
		{2949120, ELT_EMUL_FLOPPY_2880}, {1474559, ELT_EMUL_NONE},
		{1474561, ELT_EMUL_NONE}, {0, ELT_EMUL_NONE}, {737280, ELT_EMUL_NONE},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CU_ASSERT_EQUAL(elt_floppy_emul(t[i].size), t[i].emul);
}

static void test_hdd_mbr(void)
{
	uint8_t mbr[512];
	uint8_t type = 0xFF;
	memset(mbr, 0, sizeof(mbr));
	CU_ASSERT_EQUAL(elt_check_hdd(mbr, 511, "x", &type, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_EQUAL(elt_check_hdd(mbr, 512, "x", &type, &g_ctx), DM_ERR_INVALID); /* no 55 AA */
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
	CU_ASSERT_EQUAL(elt_check_hdd(mbr, 512, "x", &type, &g_ctx), DM_ERR_INVALID); /* none */
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "exactly one partition"));
	mbr[446 + 16 * 2 + 4] = 0x06; /* one FAT16 partition in the third slot */
	CU_ASSERT_EQUAL(elt_check_hdd(mbr, 512, "x", &type, &g_ctx), DM_OK);
	CU_ASSERT_EQUAL(type, 0x06);
	mbr[446 + 4] = 0x83;          /* a second one */
	CU_ASSERT_EQUAL(elt_check_hdd(mbr, 512, "x", &type, &g_ctx), DM_ERR_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(g_ctx.msg, "has 2"));
}

/* ---- boot info table --------------------------------------------------------------- */

/* The checksum by its definition: whole words from 64, the tail padded with zeros. */
static uint32_t ref_sum(const uint8_t *f, size_t len)
{
	uint32_t s = 0;
	for (size_t o = 64; o < len; o += 4) {
		uint8_t w[4] = {0, 0, 0, 0};
		memcpy(w, f + o, len - o < 4 ? len - o : 4);
		s += dm_get_le32(w);
	}
	return s;
}

static void test_info_sum(void)
{
	static const size_t lens[] = {0, 63, 64, 65, 67, 68, 2048, 2049, 5003};
	static const size_t chunks[] = {1, 3, 7, 64, 2048, 100000};
	uint8_t *f = malloc(5003);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	for (size_t i = 0; i < 5003; i++)
		f[i] = (uint8_t)(i * 37u + 11u);
	for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++)
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
			uint32_t s = 0;
			for (size_t off = 0; off < lens[l]; off += chunks[c]) {
				size_t n = lens[l] - off < chunks[c] ? lens[l] - off : chunks[c];
				elt_info_sum(&s, f + off, n, off);
			}
			CU_ASSERT_EQUAL(s, ref_sum(f, lens[l]));
		}
	/* a known value: bytes 64.. = 01 00 00 00 | 02 00 00 00 | FF → 1 + 2 + 0xFF */
	uint8_t g[73];
	memset(g, 0xEE, 64);
	memset(g + 64, 0, 9);
	g[64] = 1;
	g[68] = 2;
	g[72] = 0xFF;
	uint32_t s = 0;
	elt_info_sum(&s, g, sizeof(g), 0);
	CU_ASSERT_EQUAL(s, 0x102u);
	free(f);
}

static void test_info_patch(void)
{
	uint8_t f[2048], g[2048];
	memset(f, 0xAB, sizeof(f));
	elt_patch_info_table(f, sizeof(f), 0, 16, 0x22, 0x1234, 0xDEADBEEF);
	static const uint8_t want[24] = {0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB,
					 0x10, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00,
					 0x34, 0x12, 0x00, 0x00, 0xEF, 0xBE, 0xAD, 0xDE};
	CU_ASSERT_EQUAL(memcmp(f, want, 24), 0);
	CU_ASSERT(cu_all_zero(f + 24, 40));
	CU_ASSERT_EQUAL(f[64], 0xAB);
	/* the same table patched in chunks of 5 bytes */
	memset(g, 0xAB, sizeof(g));
	for (size_t off = 0; off < 100; off += 5)
		elt_patch_info_table(g + off, 5, off, 16, 0x22, 0x1234, 0xDEADBEEF);
	CU_ASSERT_EQUAL(memcmp(f, g, sizeof(f)), 0);
	/* a chunk past the table is left alone */
	memset(g, 0xAB, 16);
	elt_patch_info_table(g, 16, 64, 1, 2, 3, 4);
	CU_ASSERT_EQUAL(g[0], 0xAB);
	CU_ASSERT_EQUAL(g[15], 0xAB);
}

static CU_TestInfo eltorito_tests[] = {
	{"boot record volume descriptor", test_boot_record},
	{"catalog: one BIOS entry", test_catalog_bios_only},
	{"catalog: BIOS and EFI", test_catalog_bios_efi},
	{"catalog: sections by platform", test_catalog_sections},
	{"catalog: limits and ids", test_catalog_limits},
	{"floppy image sizes", test_floppy_sizes},
	{"hard-disk image MBR", test_hdd_mbr},
	{"boot info table checksum", test_info_sum},
	{"boot info table patch", test_info_patch},
	CU_TEST_INFO_NULL,
};

static const CU_SuiteInfo suites[] = {
	{"eltorito", NULL, NULL, NULL, NULL, eltorito_tests},
	CU_SUITE_INFO_NULL,
};

#include "tests/unit/cu_main.h"
