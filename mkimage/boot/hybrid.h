/* Hybrid images: the partition table in the ISO 9660 system area (sectors 0-15, ECMA-119
 * 6.2.1, unused by ISO 9660) that lets the same image, copied byte for byte to a USB stick,
 * boot as a hard disk: BIOS runs the MBR's boot code, UEFI firmware finds the EFI system
 * partition through the table and never looks at the El Torito catalog.
 *
 *   mbr  the isohybrid layout (isolinux's isohybrid, xorriso -isohybrid-mbr):
 *        bytes 0-431 the user's boot code (isohdpfx.bin), 432-439 the 512-byte LBA of the
 *        El Torito BIOS image (the boot code loads it from there), 440-443 the disk
 *        signature, 446 entry 1: the whole image from sector 0 (active when there is boot
 *        code; type 00h when entry 2 exists, so that UEFI ignores the overlap, else 17h),
 *        entry 2: type EFh over the El Torito EFI image (a FAT filesystem in the ISO)
 *   gpt  a protective MBR (one EEh entry from sector 1, same boot code and LBA at 432), the
 *        GPT header at 512-byte LBA 1 and 128 entries at 2-33, one partition: the EFI
 *        system partition over the EFI image; the backup is a tail of HYB_GPT_TAIL
 *        2048-byte sectors: 3 zero 512-byte sectors, the 32 of the entries, the header
 *        last. An ISO 9660 image gets the tail appended; a UDF bridge ends with it instead
 *        of its anchor at N (ECMA-167 3/8.4.2.1 wants two of 256, N - 256 and N: the
 *        anchor at N - 256 stays), since UDF and GPT both want the disc's last sector
 *
 * The GUIDs and the disk signature come from a caller's seed, so images stay reproducible.
 * Pure encoders: no I/O, no allocation; explicit little-endian writes (UEFI 2.x 5.2-5.3).
 * See spec/eltorito.md, "Hybrid images". */
#ifndef MK_HYBRID_H
#define MK_HYBRID_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_media_sizes.h"

#define HYB_SYSTEM_AREA (16u * DM_SECTOR)  /* bytes before the primary volume descriptor */
#define HYB_CODE_MAX 432u              /* MBR boot code: bytes 0-431 */
#define HYB_GPT_TAIL 9u                /* 2048-byte sectors of the backup GPT (see above) */
#define HYB_GPT_ENTRIES 128u
#define HYB_GPT_ENTRY_SIZE 128u

/* HYB_AUTO is the command line's --hybrid without --hybrid-table: mkimage makes it gpt
 * when there is an EFI image (edk2-based UEFI firmware looks for a GPT first, then for an
 * El Torito catalog, and only then for an MBR table: a GPT is the only table it boots
 * through), else mbr. The encoders take HYB_MBR, HYB_GPT or HYB_MBR_GPT.
 *
 * HYB_MBR_GPT is xorriso's -isohybrid-mbr with -isohybrid-gpt-basdat: the mbr layout's
 * table (entry 1 active over the image, entry 2 EFh over the EFI image: what BIOSes that
 * want an active partition boot from) and a GPT beside it (header at 1, backup in the
 * tail). Without an EEh entry, firmware and Linux read the MBR; GPT tools see the GPT.
 * Its GPT is xorriso's for that call: entry 1 "ISOHybrid", Basic Data over the ISO 9660
 * file system (from iso_start to the end of the volume space, even when that is LBA 0:
 * xorriso's lies outside the usable range too), entry 2 "ISOHybrid1", Basic Data over the
 * El Torito EFI image (the image -isohybrid-gpt-basdat marks), both flagged required and
 * read-only; then the appended partitions.
 *
 * iso_start (mkisofs -partition_offset N: 4 N) moves the MBR's entry 1 and the GPT's
 * entry 1 to the partition that holds the second ISO 9660 superblock (iso_plan.h); the gpt
 * layout then gets xorriso's first entry "ISO9660", Basic Data over that partition, before
 * its own. */
enum hyb_table { HYB_NONE = 0, HYB_MBR = 1, HYB_GPT = 2, HYB_AUTO = 3, HYB_MBR_GPT = 4 };

#define HYB_APPEND_MAX 4

/* A partition appended after the image (mkisofs -append_partition): a file's bytes, in the
 * MBR's entry `slot` or, with a GPT, an entry of it. */
typedef struct hyb_part {
	uint8_t slot;           /* MBR entry 1-4 */
	uint8_t mbr_type;       /* its MBR partition type */
	uint8_t guid[16];       /* its GPT type GUID as on disk; all zero: from mbr_type (0xEF the
				   EFI system partition, else basic data) */
	uint64_t start, count;  /* 512-byte sectors */
} hyb_part;

typedef struct hyb_layout {
	int table;              /* enum hyb_table */
	const uint8_t *code;    /* MBR boot code; NULL: none (zeros) */
	size_t code_len;        /* at most HYB_CODE_MAX */
	uint64_t sectors;       /* the whole image file in 2048-byte sectors, tail included */
	uint32_t bios_lba;      /* 2048-byte LBA of the El Torito BIOS image; 0: none */
	int grub2;              /* GRUB's boot_hybrid.img: bytes 432-439 hold the image's 512-byte
				   LBA + 4 (xorrisofs --grub2-mbr), not the LBA itself */
	uint32_t efi_lba;       /* 2048-byte LBA of the EFI image; 0: none */
	uint64_t efi_size;      /* its size in bytes */
	uint64_t iso_start;     /* 512-byte sector of the ISO 9660 partition (-partition_offset) */
	uint64_t iso_sectors;   /* 512-byte sectors up to the end of its volume space */
	uint8_t seed[32];       /* GUIDs and the disk signature derive from it */
	hyb_part app[HYB_APPEND_MAX]; /* appended partitions, in the image before the tail */
	unsigned napp;
} hyb_layout;

/* 2048-byte sectors the table needs after the image (GPT: its backup). */
uint32_t hyb_tail_sectors(int table);

/* The values fit the table (MBR: 32-bit sector numbers; GPT: the EFI partition inside the
 * usable area; an EFI image for the table's partition). Messages name the value. */
dm_status hyb_check(const hyb_layout *l, dm_ctx *ctx);

/* The system area (HYB_SYSTEM_AREA bytes): MBR, and for GPT the primary header and entries. */
void hyb_put_system_area(uint8_t *sa, const hyb_layout *l);

/* The tail (hyb_tail_sectors() * 2048 bytes, the image's last sectors): for GPT the backup
 * entries and header, in the last 33 of its 512-byte sectors. */
void hyb_put_tail(uint8_t *tail, const hyb_layout *l);

/* mkisofs -partition_offset without a hybrid table: the MBR (512 bytes) xorriso writes,
 * one partition of type CDh (not active, no boot code, no disk signature) over the ISO 9660
 * partition from 512-byte sector start, count sectors. */
void hyb_put_offset_mbr(uint8_t *mbr, uint64_t start, uint64_t count);

/* A GUID from its text form's fields (UEFI's mixed-endian layout: the first three
 * little-endian, the last two as bytes), for tests and the type GUIDs. */
void hyb_put_guid(uint8_t *p, uint32_t a, uint16_t b, uint16_t c, uint16_t d, uint64_t e48);

#endif
