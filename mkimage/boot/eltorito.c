#include "mkimage/boot/eltorito.h"

#include <string.h>

#include "common/dm_endian.h"

/* Boot indicators and header indicators (El Torito 1.0 2.1 - 2.4). */
enum {
	HDR_VALIDATION = 0x01,
	HDR_MORE = 0x90,           /* section header, more headers follow */
	HDR_FINAL = 0x91,          /* final section header */
	BOOTABLE = 0x88,
	NOT_BOOTABLE = 0x00
};

void elt_put_boot_record(uint8_t *sec, uint32_t catalog_lba)
{
	static const char sys_id[] = "EL TORITO SPECIFICATION";
	memset(sec, 0, ELT_SECTOR);
	sec[0] = 0;                                 /* ECMA-119 8.2.1 type: boot record */
	memcpy(sec + 1, "CD001", 5);                /* 8.2.2 standard identifier */
	sec[6] = 1;                                 /* 8.2.3 version */
	memcpy(sec + 7, sys_id, sizeof(sys_id) - 1); /* 8.2.4 boot system id, zero padded */
	/* 8.2.5 boot identifier (bytes 39-70) stays zero, as El Torito table 7 says */
	dm_put_le32(sec + 71, catalog_lba);         /* El Torito 2.0: absolute catalog sector */
}

/* Is entries[i] the first of its platform among entries[1..i]? */
static int first_of_platform(const elt_entry *e, size_t i)
{
	for (size_t j = 1; j < i; j++)
		if (e[j].platform == e[i].platform)
			return 0;
	return 1;
}

static uint32_t section_count(const elt_entry *e, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 1; i < n; i++)
		s += (uint32_t)first_of_platform(e, i);
	return s;
}

uint32_t elt_catalog_entries(const elt_entry *entries, size_t n)
{
	if (n == 0)
		return 1;
	return 1u + (uint32_t)n + section_count(entries, n);
}

/* The fields the initial entry (2.2) and a section entry (2.4) share: boot indicator,
 * media type, load segment, system type, sector count, load RBA. The rest stays zero
 * (section entries: selection criteria type 0, none). */
static void put_boot_entry(uint8_t *p, const elt_entry *e)
{
	memset(p, 0, ELT_ENTRY);
	p[0] = e->bootable ? BOOTABLE : NOT_BOOTABLE;
	p[1] = e->emul;
	dm_put_le16(p + 2, e->load_seg);
	p[4] = e->system_type;
	dm_put_le16(p + 6, e->sector_count);
	dm_put_le32(p + 8, e->lba);
}

static void put_id(uint8_t *p, const char *id, size_t size)
{
	if (!id)
		return;
	size_t len = strlen(id);
	memcpy(p, id, len < size ? len : size);
}

dm_status elt_put_catalog(uint8_t *sec, const char *id_string, const elt_entry *entries, size_t n,
			  dm_ctx *ctx)
{
	if (n == 0)
		return dm_fail(ctx, DM_ERR_INVALID, "boot catalog: no boot entry");
	uint32_t need = elt_catalog_entries(entries, n);
	if (need > ELT_SECTOR / ELT_ENTRY)
		return dm_fail(ctx, DM_ERR_UNSUPPORTED,
			       "boot catalog: %zu boot entries need %u catalog entries; one sector holds %u",
			       n, need, ELT_SECTOR / ELT_ENTRY);
	for (size_t i = 0; i < n; i++)
		if (entries[i].emul > ELT_EMUL_HDD)
			return dm_fail(ctx, DM_ERR_INVALID, "boot entry %zu: emulation type %u is not defined",
				       i + 1, entries[i].emul);
	memset(sec, 0, ELT_SECTOR);

	/* 2.1 validation entry: the words of the entry sum to zero. */
	uint8_t *v = sec;
	v[0] = HDR_VALIDATION;
	v[1] = entries[0].platform;
	put_id(v + 4, id_string, 24);
	v[30] = 0x55;
	v[31] = 0xAA;
	uint16_t sum = 0;
	for (unsigned i = 0; i < ELT_ENTRY; i += 2)
		sum = (uint16_t)(sum + dm_get_le16(v + i));
	dm_put_le16(v + 28, (uint16_t)(0u - sum));

	/* 2.2 initial/default entry */
	put_boot_entry(sec + ELT_ENTRY, &entries[0]);

	/* 2.3 / 2.4: one section per further platform, its entries in the order given. */
	uint32_t sections = section_count(entries, n), done = 0;
	uint8_t *p = sec + 2 * ELT_ENTRY;
	for (size_t i = 1; i < n; i++) {
		if (!first_of_platform(entries, i))
			continue;
		uint16_t count = 0;
		for (size_t j = i; j < n; j++)
			count = (uint16_t)(count + (entries[j].platform == entries[i].platform));
		done++;
		p[0] = done == sections ? HDR_FINAL : HDR_MORE;
		p[1] = entries[i].platform;
		dm_put_le16(p + 2, count);
		put_id(p + 4, entries[i].id, 28);
		p += ELT_ENTRY;
		for (size_t j = i; j < n; j++) {
			if (entries[j].platform != entries[i].platform)
				continue;
			put_boot_entry(p, &entries[j]);
			p += ELT_ENTRY;
		}
	}
	return DM_OK;
}

uint8_t elt_floppy_emul(uint64_t size)
{
	switch (size) {
	case 1228800u: return ELT_EMUL_FLOPPY_1200; /* 80 × 2 × 15 × 512 */
	case 1474560u: return ELT_EMUL_FLOPPY_1440; /* 80 × 2 × 18 × 512 */
	case 2949120u: return ELT_EMUL_FLOPPY_2880; /* 80 × 2 × 36 × 512 */
	default: return ELT_EMUL_NONE;
	}
}

dm_status elt_check_hdd(const uint8_t *mbr, size_t len, const char *what, uint8_t *system_type,
			dm_ctx *ctx)
{
	if (len < 512)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: a hard-disk boot image needs a master boot record; it has %zu bytes",
			       what, len);
	if (mbr[510] != 0x55 || mbr[511] != 0xAA)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: a hard-disk boot image needs a master boot record (55h AAh at byte 510)",
			       what);
	/* MBR partition entries: 16 bytes each from 446, the type byte at +4; El Torito 2.2
	 * byte 4 wants the one partition's type, so exactly one entry may be in use. */
	unsigned used = 0;
	uint8_t type = 0;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *pe = mbr + 446 + 16 * i;
		if (pe[4] != 0) {
			used++;
			type = pe[4];
		}
	}
	if (used != 1)
		return dm_fail(ctx, DM_ERR_INVALID,
			       "%s: a hard-disk boot image must have exactly one partition; its MBR has %u",
			       what, used);
	*system_type = type;
	return DM_OK;
}

void elt_info_sum(uint32_t *sum, const uint8_t *buf, size_t len, uint64_t off)
{
	uint32_t s = *sum;
	for (size_t i = 0; i < len; i++) {
		uint64_t o = off + i;
		if (o < ELT_INFO_TABLE_END)
			continue;
		s += (uint32_t)buf[i] << (8u * (unsigned)(o & 3u));
	}
	*sum = s;
}

void elt_patch_info_table(uint8_t *buf, size_t len, uint64_t off, uint32_t pvd_lba,
			  uint32_t file_lba, uint32_t file_len, uint32_t sum)
{
	if (off >= ELT_INFO_TABLE_END || len == 0)
		return;
	uint8_t table[ELT_INFO_TABLE_END];
	memset(table, 0, sizeof(table));
	dm_put_le32(table + 8, pvd_lba);   /* bi_pvd */
	dm_put_le32(table + 12, file_lba); /* bi_file */
	dm_put_le32(table + 16, file_len); /* bi_length */
	dm_put_le32(table + 20, sum);      /* bi_csum; 24-63 reserved, zero */
	for (uint64_t o = off < ELT_INFO_TABLE_OFFSET ? ELT_INFO_TABLE_OFFSET : off;
	     o < ELT_INFO_TABLE_END && o < off + len; o++)
		buf[o - off] = table[o];
}
