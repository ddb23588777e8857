#include "mkimage/boot/hybrid.h"

#include <stdio.h>
#include <string.h>

#include "common/dm_crc32.h"
#include "common/dm_endian.h"
#include "common/dm_media_sizes.h"

#define SEC512 512u
#define MBR_TABLE 446u
#define GPT_ARRAY_SECTORS (HYB_GPT_ENTRIES * HYB_GPT_ENTRY_SIZE / SEC512) /* 32 */
/* The backup array right before the backup header in the last 512-byte sector, as gdisk,
 * libfdisk and xorriso put it (and expect it): 33 sectors; the tail's first 3 are zeros. */
#define GPT_BACKUP_ARRAY_BACK 33u

/* CHS as isohybrid and xorriso give it: 64 heads, 32 sectors per track (1 MiB cylinders);
 * past cylinder 1023 the largest address, as firmware expects of LBA-era disks. */
static void put_chs(uint8_t *p, uint64_t lba)
{
	uint64_t c = lba / (64 * 32);
	unsigned h = (unsigned)(lba / 32 % 64), s = (unsigned)(lba % 32 + 1);
	if (c > 1023) {
		c = 1023;
		h = 63;
		s = 32;
	}
	p[0] = (uint8_t)h;
	p[1] = (uint8_t)(s | ((c >> 2) & 0xC0));
	p[2] = (uint8_t)c;
}

static void put_mbr_entry(uint8_t *e, int active, uint8_t type, uint64_t start, uint64_t count)
{
	e[0] = active ? 0x80 : 0x00;
	put_chs(e + 1, start);
	e[4] = type;
	put_chs(e + 5, start + count - 1);
	dm_put_le32(e + 8, (uint32_t)start);
	dm_put_le32(e + 12, (uint32_t)count);
}

void hyb_put_offset_mbr(uint8_t *mbr, uint64_t start, uint64_t count)
{
	memset(mbr, 0, SEC512);
	put_mbr_entry(mbr + MBR_TABLE, 0, 0xCD, start, count);
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
}

void hyb_put_guid(uint8_t *p, uint32_t a, uint16_t b, uint16_t c, uint16_t d, uint64_t e48)
{
	dm_put_le32(p, a);
	dm_put_le16(p + 4, b);
	dm_put_le16(p + 6, c);
	dm_put_be16(p + 8, d);
	for (int i = 0; i < 6; i++)
		p[10 + i] = (uint8_t)(e48 >> (8 * (5 - i)));
}

/* A version 4 (random) GUID, its "random" bits taken from the seed. */
static void seed_guid(uint8_t *p, const uint8_t *seed16)
{
	memcpy(p, seed16, 16);
	p[7] = (uint8_t)((p[7] & 0x0F) | 0x40); /* version: the high nibble of the third field */
	p[8] = (uint8_t)((p[8] & 0x3F) | 0x80); /* variant 10b */
}

static uint64_t efi_sectors512(const hyb_layout *l)
{
	return (l->efi_size + SEC512 - 1) / SEC512;
}

static int has_gpt(int table)
{
	return table == HYB_GPT || table == HYB_MBR_GPT;
}

uint32_t hyb_tail_sectors(int table)
{
	return has_gpt(table) ? HYB_GPT_TAIL : 0;
}

dm_status hyb_check(const hyb_layout *l, dm_ctx *ctx)
{
	uint64_t total = l->sectors * 4;
	if (l->code_len > HYB_CODE_MAX)
		return dm_fail(ctx, DM_ERR_INVALID, "hybrid MBR: %zu bytes of boot code, at most %u fit",
			       l->code_len, HYB_CODE_MAX);
	if (l->efi_lba && !l->efi_size)
		return dm_fail(ctx, DM_ERR_INVALID, "hybrid: the EFI boot image is empty");
	if (l->efi_lba && ((uint64_t)l->efi_lba * 4 + efi_sectors512(l) > total))
		return dm_fail(ctx, DM_ERR_INVALID, "hybrid: the EFI image at LBA %u runs past the image's end",
			       l->efi_lba);
	int iso_entry = l->table == HYB_MBR_GPT || (l->table == HYB_GPT && l->iso_start);
	if (l->iso_start >= total || (iso_entry && l->iso_sectors <= l->iso_start))
		return dm_fail(ctx, DM_ERR_INVALID, "hybrid: the ISO 9660 partition from sector %llu "
			       "is empty (the image has %llu 512-byte sectors)",
			       (unsigned long long)l->iso_start, (unsigned long long)total);
	if (l->table == HYB_MBR || l->table == HYB_MBR_GPT) {
		if (total > UINT32_MAX)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "hybrid MBR: the image has %llu 512-byte sectors; an MBR partition "
				       "counts at most %u (2 TiB): use --hybrid-table gpt",
				       (unsigned long long)total, UINT32_MAX);
		if (l->table == HYB_MBR)
			return DM_OK;
	}
	if (!has_gpt(l->table))
		return dm_fail(ctx, DM_ERR_INVALID, "hybrid: unknown partition table %d", l->table);
	if (!l->efi_lba && !l->napp)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "hybrid GPT: the table's partition is the EFI system partition; give --boot-efi");
	uint64_t first = 2 + GPT_ARRAY_SECTORS, last = total - GPT_BACKUP_ARRAY_BACK - 1;
	if (total < 4 * (16 + HYB_GPT_TAIL) ||
	    (l->efi_lba && ((uint64_t)l->efi_lba * 4 < first ||
			    (uint64_t)l->efi_lba * 4 + efi_sectors512(l) - 1 > last)))
		return dm_fail(ctx, DM_ERR_INVALID,
			       "hybrid GPT: the EFI image at LBA %u lies outside the GPT's usable sectors",
			       l->efi_lba);
	for (unsigned i = 0; i < l->napp; i++)
		if (l->app[i].start < first || l->app[i].start + l->app[i].count - 1 > last)
			return dm_fail(ctx, DM_ERR_INVALID,
				       "hybrid GPT: appended partition %u lies outside the GPT's usable sectors",
				       l->app[i].slot);
	return DM_OK;
}

/* The MBR: boot code, the BIOS image's address for it, the signature, the table. */
static void put_mbr(uint8_t *mbr, const hyb_layout *l)
{
	uint64_t total = l->sectors * 4;
	if (l->code)
		memcpy(mbr, l->code, l->code_len);
	dm_put_le64(mbr + 432, (uint64_t)l->bios_lba * 4 + (l->grub2 ? 4 : 0));
	memcpy(mbr + 440, l->seed + 16, 4); /* disk signature */
	uint8_t *e = mbr + MBR_TABLE;
	if (l->table == HYB_GPT) {
		/* Protective MBR (UEFI 2.x 5.2.3): not active, CHS start 0/0/2, end FF FF FF. */
		put_mbr_entry(e, 0, 0xEE, 1, 1);
		e[5] = e[6] = e[7] = 0xFF;
		dm_put_le32(e + 12, total - 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(total - 1));
	} else {
		/* Appended partitions take their slots; the image itself (up to the first of
		 * them) and the EFI image the first two that are left free. */
		int used[4] = {0, 0, 0, 0};
		uint64_t end = total;
		for (unsigned i = 0; i < l->napp; i++) {
			const hyb_part *p = &l->app[i];
			put_mbr_entry(e + 16 * (p->slot - 1), 0, p->mbr_type, p->start, p->count);
			used[p->slot - 1] = 1;
			if (p->start < end)
				end = p->start;
		}
		/* With appended partitions the image is partition 1 of its own (83h, as xorriso
		 * makes it), beside them; else 17h, or 00h when the EFI entry overlaps it. */
		/* From a partition offset the entry is the ISO 9660 partition: up to the end of
		 * its volume space, as readers check it against the second superblock's size
		 * (libisofs: start + count within the volume); the GPT's backup stays out. */
		if (l->iso_start && l->iso_sectors && l->iso_sectors < end)
			end = l->iso_sectors;
		if (!used[0])
			put_mbr_entry(e, l->code != NULL, l->napp ? 0x83 : l->efi_lba ? 0x00 : 0x17,
				      l->iso_start, end - l->iso_start);
		if (l->efi_lba && !used[1])
			put_mbr_entry(e + 16, 0, 0xEF, (uint64_t)l->efi_lba * 4, efi_sectors512(l));
	}
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
}

/* GPT attribute bits (UEFI 2.x 5.3.3): 0 required by the platform; 60 read-only (the Basic
 * Data partition's bit, as xorriso sets it on its ISOHybrid entries). */
#define GPT_ATTR_REQUIRED 0x0000000000000001ULL
#define GPT_ATTR_READ_ONLY 0x1000000000000000ULL

static void put_gpt_entry(uint8_t *e, const uint8_t type[16], const uint8_t *seed16, unsigned nth,
			  uint64_t first, uint64_t count, const char *name)
{
	memcpy(e, type, 16);
	if (!memcmp(name, "ISOHybrid", 9) || !strcmp(name, "ISO9660"))
		dm_put_le64(e + 48, GPT_ATTR_REQUIRED | GPT_ATTR_READ_ONLY);
	seed_guid(e + 16, seed16);
	e[16] = (uint8_t)(e[16] ^ nth); /* each partition its own GUID */
	dm_put_le64(e + 32, first);
	dm_put_le64(e + 40, first + count - 1);
	for (size_t i = 0; name[i] && i < 36; i++)
		dm_put_le16(e + 56 + 2 * i, (uint16_t)name[i]);
}

/* The entry array: the EFI system partition over the El Torito EFI image (when there is
 * one), then the appended partitions; the rest unused (zeros). */
static void put_gpt_entries(uint8_t *arr, const hyb_layout *l)
{
	uint8_t esp[16], basic[16];
	hyb_put_guid(esp, 0xC12A7328, 0xF81F, 0x11D2, 0xBA4B, 0x00A0C93EC93BULL);
	hyb_put_guid(basic, 0xEBD0A0A2, 0xB9E5, 0x4433, 0x87C0, 0x68B6B72699C7ULL);
	memset(arr, 0, HYB_GPT_ENTRIES * HYB_GPT_ENTRY_SIZE);
	unsigned n = 0;
	if (l->table == HYB_MBR_GPT) {
		/* xorriso -isohybrid-mbr -isohybrid-gpt-basdat (hybrid.h): the ISO 9660 data,
		 * then the El Torito EFI image, both Basic Data. */
		put_gpt_entry(arr, basic, l->seed + 16, n++, l->iso_start, l->iso_sectors - l->iso_start,
			      "ISOHybrid");
		if (l->efi_lba) {
			put_gpt_entry(arr + n * HYB_GPT_ENTRY_SIZE, basic, l->seed + 16, n,
				      (uint64_t)l->efi_lba * 4, efi_sectors512(l), "ISOHybrid1");
			n++;
		}
	} else {
		/* -partition_offset: xorriso's first entry, the ISO 9660 partition (libisofs
		 * finds the offset through it behind a protective MBR). */
		if (l->iso_start)
			put_gpt_entry(arr, basic, l->seed + 16, n++, l->iso_start,
				      l->iso_sectors - l->iso_start, "ISO9660");
		if (l->efi_lba) {
			put_gpt_entry(arr + n * HYB_GPT_ENTRY_SIZE, esp, l->seed + 16, n,
				      (uint64_t)l->efi_lba * 4, efi_sectors512(l), "EFI system partition");
			n++;
		}
	}
	static const uint8_t zero[16];
	for (unsigned i = 0; i < l->napp; i++) {
		const hyb_part *p = &l->app[i];
		const uint8_t *type = memcmp(p->guid, zero, 16) ? p->guid : p->mbr_type == 0xEF ? esp : basic;
		char name[24];
		snprintf(name, sizeof(name), "Appended%u", (unsigned)p->slot);
		put_gpt_entry(arr + n * HYB_GPT_ENTRY_SIZE, type, l->seed + 16, n, p->start, p->count, name);
		n++;
	}
}

/* A GPT header (5.3.2) at my_lba, pointing at the array at array_lba. */
static void put_gpt_header(uint8_t *h, const hyb_layout *l, uint64_t my_lba, uint64_t alt_lba,
			   uint64_t array_lba, uint32_t array_crc)
{
	uint64_t total = l->sectors * 4;
	memset(h, 0, SEC512);
	memcpy(h, "EFI PART", 8);
	dm_put_le32(h + 8, 0x00010000);
	dm_put_le32(h + 12, 92);
	dm_put_le64(h + 24, my_lba);
	dm_put_le64(h + 32, alt_lba);
	dm_put_le64(h + 40, 2 + GPT_ARRAY_SECTORS);
	dm_put_le64(h + 48, total - GPT_BACKUP_ARRAY_BACK - 1);
	seed_guid(h + 56, l->seed);
	dm_put_le64(h + 72, array_lba);
	dm_put_le32(h + 80, HYB_GPT_ENTRIES);
	dm_put_le32(h + 84, HYB_GPT_ENTRY_SIZE);
	dm_put_le32(h + 88, array_crc);
	dm_put_le32(h + 16, dm_crc32(0, h, 92));
}

void hyb_put_system_area(uint8_t *sa, const hyb_layout *l)
{
	memset(sa, 0, HYB_SYSTEM_AREA);
	put_mbr(sa, l);
	if (!has_gpt(l->table))
		return;
	uint64_t last = l->sectors * 4 - 1;
	uint8_t *arr = sa + 2 * SEC512;
	put_gpt_entries(arr, l);
	uint32_t crc = dm_crc32(0, arr, HYB_GPT_ENTRIES * HYB_GPT_ENTRY_SIZE);
	put_gpt_header(sa + SEC512, l, 1, last, 2, crc);
}

void hyb_put_tail(uint8_t *tail, const hyb_layout *l)
{
	size_t len = (size_t)hyb_tail_sectors(l->table) * DM_SECTOR;
	memset(tail, 0, len);
	if (!has_gpt(l->table))
		return;
	uint64_t total = l->sectors * 4;
	uint8_t *hdr = tail + len - SEC512, *arr = hdr - GPT_ARRAY_SECTORS * SEC512;
	put_gpt_entries(arr, l);
	uint32_t crc = dm_crc32(0, arr, HYB_GPT_ENTRIES * HYB_GPT_ENTRY_SIZE);
	put_gpt_header(hdr, l, total - 1, 1, total - GPT_BACKUP_ARRAY_BACK, crc);
}
