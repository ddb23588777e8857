/* Bootable images (El Torito): mkimage's boot options turned into tree nodes, checks, catalog
 * entries and the boot data written at emit time. The on-disk encoders are eltorito.c's;
 * this file is the glue between the command line, the tree, the plan and the emitter.
 *
 *   before mk_tree_finish()   mk_boot_add(): resolve each boot image (a path in the image,
 *                             else a file on disk, grafted hidden at /boot.images/NAME) and
 *                             add the boot catalog (/boot.catalog, hidden, or visible at
 *                             --boot-catalog PATH), a file whose content is generated
 *                             (MK_DSRC_GENERATED) from the plan when it is written
 *   after it                  mk_boot_check(): the image's size against its emulation, the
 *                             MBR of a hard-disk image (reads the first 512 bytes); an image
 *                             with --boot-info-table gets the edit that patches it
 *   planning                  iso_opts.boot: the planner puts the boot record volume
 *                             descriptor at 17; the catalog and images are ordinary file data
 *   emitting                  nothing of its own: the data emitter (image_emit.c) writes
 *                             the catalog and the patched images through their data
 *                             sources (data_source.h)
 *   hybrid (--hybrid)         mk_boot_check() reads the MBR boot code; after planning
 *                             mk_boot_hybrid() makes the system area and the tail
 *                             (hybrid.h), which the emitters write first and last
 *
 * See spec/eltorito.md. Ownership: the mk_boot is the caller's; it points into the tree. */
#ifndef MK_BOOT_H
#define MK_BOOT_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/source/data_source.h"
#include "mkimage/boot/eltorito.h"
#include "mkimage/boot/hybrid.h"
#include "mkimage/sink.h"
#include "mkimage/tree.h"

#define MK_BOOT_MAX 16           /* El Torito entries (several per platform: sections) */
#define MK_BOOT_INFO_MAX (64u << 20) /* an image patched with a boot info table is read whole */
#define MK_BOOT_PVD_LBA 16u      /* the boot info table's first field (ECMA-119 6.7.1) */

enum mk_boot_emul { MK_BOOT_EMUL_NONE, MK_BOOT_EMUL_FLOPPY, MK_BOOT_EMUL_HDD };

typedef struct mk_boot_image {
	const char *path;        /* as given: a path in the image, else a file on disk */
	uint8_t platform;        /* ELT_PLATFORM_* */
	uint8_t emul;            /* mk_boot_emul as asked; ELT_EMUL_* once checked */
	uint16_t load_seg;       /* 0: the default 7C0h */
	uint32_t load_size;      /* 512-byte sectors the firmware loads; 0: the default */
	int info_table;          /* patch a boot info table at byte 8 */
	int grub2_info;          /* patch GRUB's LBA field at byte 2548 (--grub2-boot-info) */
	const char *what;        /* the option that gave it, for messages; NULL: --boot-PLATFORM */
	mk_node *node;           /* the image's file in the tree (mk_boot_add) */
	uint8_t system_type;     /* hard-disk emulation: the partition type (mk_boot_check) */
} mk_boot_image;

/* A file appended after the image as a partition (mkisofs -append_partition). */
typedef struct mk_boot_append {
	const char *path;        /* a file on disk */
	uint8_t slot;            /* MBR entry 1-4 */
	uint8_t mbr_type;
	uint8_t guid[16];        /* GPT type GUID as on disk; zeros: from mbr_type */
	uint64_t size;           /* bytes (mk_boot_check) */
} mk_boot_append;

typedef struct mk_boot {
	mk_boot_image img[MK_BOOT_MAX];
	unsigned n;
	const char *catalog_path; /* --boot-catalog; NULL: hidden at /boot.catalog */
	int image_only;          /* images must be paths in the image (a manifest's <boot>) */
	mk_node *catalog;
	int hybrid;              /* enum hyb_table: the partition table; HYB_NONE: none */
	const char *hybrid_mbr;  /* --hybrid-mbr FILE: MBR boot code; NULL: none */
	int hybrid_grub2;        /* the code is GRUB's boot_hybrid.img: its LBA field wants + 4 */
	uint32_t part_offset;    /* mkisofs -partition_offset: the table's first partition starts
				    at this 2048-byte block (hybrid.h iso_start); 0: at 0 */
	uint8_t mbr_code[HYB_CODE_MAX];
	size_t mbr_code_len;
	mk_boot_append app[HYB_APPEND_MAX];
	unsigned napp;
	uint8_t *system_area;    /* mk_boot_hybrid(): HYB_SYSTEM_AREA bytes; NULL: zeros */
	uint8_t *tail;           /* and mk_boot_tail_sectors() sectors after the image */
	mk_dsrc_gen catalog_gen; /* the catalog's content (mk_boot_add) */
	mk_dsrc_gen info_gen;    /* the boot info table's edit (mk_boot_check) */
} mk_boot;

/* Add the boot images that are not yet in the tree, and (with_catalog) the catalog. Before
 * mk_tree_finish(); default_time dates the nodes mkimage makes. */
dm_status mk_boot_add(mk_boot *b, mk_tree *t, int64_t default_time, int with_catalog, dm_ctx *ctx);

/* Check every boot image against its emulation (after mk_tree_finish()), and the hybrid
 * settings (reads the --hybrid-mbr file). */
dm_status mk_boot_check(mk_boot *b, mk_tree *t, dm_ctx *ctx);

/* After planning: every boot image and the catalog got ISO 9660 sectors (a manifest item
 * kept out of the ISO 9660 and Joliet hierarchies gets none). */
dm_status mk_boot_check_plan(const mk_boot *b, dm_ctx *ctx);

/* The catalog entries, from the planned LBAs: BIOS first (the default entry), then EFI. */
void mk_boot_entries(const mk_boot *b, elt_entry *out);

uint32_t mk_boot_catalog_lba(const mk_boot *b);

/* 2048-byte sectors the hybrid table adds after the image: appended partitions (sized by
 * mk_boot_check), then GPT's backup; 0 without. */
uint32_t mk_boot_tail_sectors(const mk_boot *b);

/* After planning, with --hybrid: the system area and the tail for an image of sectors
 * 2048-byte sectors (tail included). seed makes the GUIDs and the disk signature. */
dm_status mk_boot_hybrid(mk_boot *b, uint64_t sectors, const uint8_t seed[32], dm_ctx *ctx);

/* Write the tail (nothing without one). */
dm_status mk_boot_emit_tail(const mk_boot *b, mk_sink *sink, dm_ctx *ctx);

/* Free what mk_boot_hybrid() made. */
void mk_boot_release(mk_boot *b);

#endif
