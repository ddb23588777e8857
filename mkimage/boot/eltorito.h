/* El Torito bootable CD-ROM format ("El Torito" Bootable CD-ROM Format Specification 1.0,
 * Phoenix/IBM 1995): the boot record volume descriptor (ECMA-119 8.2 with the El Torito
 * boot system identifier and the catalog pointer), the boot catalog (validation entry,
 * initial/default entry, section headers and section entries), the checks a boot image
 * must pass for its emulation, and the boot info table of isolinux-style images.
 *
 * Pure encoders: no I/O, no allocation. Everything is written into caller buffers with
 * the explicit little-endian encoders of common/dm_endian.h (El Torito fields are all
 * little-endian, spec section 2). See spec/eltorito.md for what mkimage writes. */
#ifndef MK_ELTORITO_H
#define MK_ELTORITO_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_media_sizes.h"

#define ELT_SECTOR DM_SECTOR
#define ELT_ENTRY 32u                       /* every catalog entry is 32 bytes (2.0) */
#define ELT_CATALOG_MAX (ELT_SECTOR / ELT_ENTRY - 1) /* boot entries and headers after the validation entry */
#define ELT_DEFAULT_LOAD_SEG 0x07C0u        /* a load segment of 0 means 7C0h (2.2) */
#define ELT_INFO_TABLE_OFFSET 8u            /* boot info table: bytes 8-63 of the image */
#define ELT_INFO_TABLE_END 64u
/* GRUB's El Torito image (i386-pc/eltorito.img) finds the rest of itself through a 64-bit
 * field at byte 2548: its 512-byte LBA + 5 (xorrisofs --grub2-boot-info). */
#define ELT_GRUB2_INFO_OFFSET 2548u

/* Platform IDs (2.1; 0xEF for EFI from UEFI 2.x 12.3.2.1). */
enum elt_platform {
	ELT_PLATFORM_X86 = 0x00,
	ELT_PLATFORM_PPC = 0x01,
	ELT_PLATFORM_MAC = 0x02,
	ELT_PLATFORM_EFI = 0xEF
};

/* Boot media types (2.2 byte 1, bits 0-3). */
enum elt_emul {
	ELT_EMUL_NONE = 0,
	ELT_EMUL_FLOPPY_1200 = 1,   /* 1.2 MB diskette */
	ELT_EMUL_FLOPPY_1440 = 2,   /* 1.44 MB diskette */
	ELT_EMUL_FLOPPY_2880 = 3,   /* 2.88 MB diskette */
	ELT_EMUL_HDD = 4            /* hard disk (drive 80h) */
};

/* One boot entry of the catalog. */
typedef struct elt_entry {
	uint8_t platform;       /* enum elt_platform */
	uint8_t emul;           /* enum elt_emul */
	uint8_t bootable;       /* 1: boot indicator 88h; 0: 00h (not bootable) */
	uint8_t system_type;    /* hard disk emulation: the partition type byte; else 0 */
	uint16_t load_seg;      /* real-mode load segment; 0 for the default 7C0h */
	uint16_t sector_count;  /* virtual (512-byte) sectors the BIOS loads */
	uint32_t lba;           /* load RBA: the image's first 2048-byte sector */
	const char *id;         /* section headers: ID string (28 bytes); NULL for none */
} elt_entry;

/* The boot record volume descriptor (ECMA-119 8.2; El Torito 1.0 section 2.0 table 7):
 * type 0, "CD001", version 1, boot system identifier "EL TORITO SPECIFICATION" padded with
 * zeros, the absolute sector of the boot catalog at byte 71. sec is one 2048-byte sector. */
void elt_put_boot_record(uint8_t *sec, uint32_t catalog_lba);

/* Entries the catalog of entries[0..n) needs, counting the validation entry and the section
 * headers; the catalog fits one sector when this is at most 64. */
uint32_t elt_catalog_entries(const elt_entry *entries, size_t n);

/* The boot catalog in one 2048-byte sector: the validation entry (platform of entries[0],
 * ID string id_string, checksum, key 55h AAh), entries[0] as the initial/default entry, then
 * the other entries grouped by platform in order of first appearance, each group behind a
 * section header (90h, the last 91h) carrying its platform and entry count. n >= 1.
 * Fails when the entries do not fit one sector or a value is out of range. */
dm_status elt_put_catalog(uint8_t *sec, const char *id_string, const elt_entry *entries, size_t n,
			  dm_ctx *ctx);

/* The floppy emulation that a file of size bytes is an image of (1 228 800, 1 474 560 or
 * 2 949 120 bytes), or ELT_EMUL_NONE when it is none of them. */
uint8_t elt_floppy_emul(uint64_t size);

/* Check a hard-disk emulation image by its first 512 bytes (an MBR: 55h AAh at 510, exactly
 * one non-empty partition entry) and give its partition type byte (El Torito 2.2 byte 4). */
dm_status elt_check_hdd(const uint8_t *mbr, size_t len, const char *what, uint8_t *system_type,
			dm_ctx *ctx);

/* Boot info table checksum (the mkisofs/isolinux convention): the 32-bit sum of the
 * little-endian words of the boot file from byte 64 to its end (a final partial word padded
 * with zeros). Feed the file in chunks at increasing offsets: *sum starts at 0 and buf holds
 * the bytes at file offset off. */
void elt_info_sum(uint32_t *sum, const uint8_t *buf, size_t len, uint64_t off);

/* Patch the boot info table into the part of the boot file held in buf (the bytes at file
 * offset off, len of them): at byte 8 the LBA of the primary volume descriptor, at 12 the
 * boot file's LBA, at 16 its length in bytes, at 20 the checksum, then 40 zero bytes up to
 * byte 64. Bytes of the table outside buf are left alone, so chunks may split it. */
void elt_patch_info_table(uint8_t *buf, size_t len, uint64_t off, uint32_t pvd_lba,
			  uint32_t file_lba, uint32_t file_len, uint32_t sum);

#endif
