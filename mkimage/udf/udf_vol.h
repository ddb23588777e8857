/* ECMA-167 part 2 and 3 volume structures as UDF wants them: the volume recognition
 * sequence (2/9: BEA01, NSR02 or NSR03, TEA01), the anchor volume descriptor pointer
 * (3/10.2), the volume descriptors of a sequence (3/10.1 PVD, 3/10.4 IUVD with the UDF
 * "*UDF LV Info" contents, 3/10.5 PD, 3/10.6 LVD with its type 1 and metadata partition
 * maps, 3/10.8 USD, 3/10.9 TD), the logical volume integrity descriptor (3/10.10, UDF
 * 2.2.6) and the file set descriptor (4/14.1, UDF 2.3.2). Each encoder fills one whole
 * 2048-byte block; all values come from a udf_vol_info the planner filled. */
#ifndef MK_UDF_VOL_H
#define MK_UDF_VOL_H

#include <stddef.h>
#include <stdint.h>

#include "mkimage/udf/udf_tag.h"

typedef struct udf_vol_info {
	unsigned rev;                /* UDF_REV_* */
	int64_t time;                /* recording time of every descriptor */
	uint16_t serial;             /* tag serial number (UDF 2.2.1.1: the AVDP's) */
	const char *volume_id;       /* PVD volume id, LVD / FSD logical volume id */
	const char *volset_id;       /* text after the 16 unique hex digits (UDF 2.2.2.5) */
	uint64_t volset_unique;      /* shown as those 16 hex digits */
	const char *application;     /* PVD application identifier */
	const char *publisher, *preparer; /* LVInfo2 and LVInfo1 of the IUVD */
	uint32_t main_vds, reserve_vds, vds_blocks; /* the two descriptor sequences */
	uint32_t lvid_lba;           /* integrity sequence: LVID, then a TD */
	uint32_t part_start, part_len; /* the physical partition */
	int metadata;                /* a metadata partition (UDF 2.50 2.2.10) */
	uint32_t meta_file, meta_mirror, meta_bitmap; /* their FEs, blocks in partition 0 */
	uint32_t meta_blocks;        /* blocks of the metadata partition */
	uint32_t meta_alloc_unit, meta_align_unit;
	int meta_duplicate;          /* the mirror holds its own copy (flag bit 0) */
	uint32_t fsd_lbn;            /* the file set descriptor, in partition fsd_part */
	uint16_t fsd_part;
	uint32_t root_lbn;           /* the root directory's FE */
	uint16_t root_part;
	uint32_t files, dirs;        /* for the LVID (UDF 2.2.6.4) */
	uint64_t next_unique_id;     /* for the LVID header (UDF 3.2.1) */
} udf_vol_info;

/* Number of descriptors in a volume descriptor sequence: PVD, IUVD, PD, LVD, USD, TD. */
#define UDF_VDS_DESCRIPTORS 6u

/* Partition reference numbers: the physical partition, and the metadata partition. */
#define UDF_PART_PHYS 0u
#define UDF_PART_META 1u

/* A volume structure descriptor of the recognition sequence (2/9.1): id is "BEA01",
 * "NSR02", "NSR03" or "TEA01". */
void udf_put_vrs(uint8_t *blk, const char *id);
/* The NSR identifier of a revision: NSR02 up to 1.50, NSR03 from 2.00 (UDF 2.1.7). */
const char *udf_nsr_id(unsigned rev);

void udf_put_avdp(uint8_t *blk, uint32_t lba, const udf_vol_info *v);
/* Descriptor i (0..5) of a sequence starting at lba, in the order above. */
void udf_put_vds_desc(uint8_t *blk, unsigned i, uint32_t lba, const udf_vol_info *v);
/* A terminating descriptor at location (a sector, or a block in a partition). */
void udf_put_td(uint8_t *blk, uint32_t location, const udf_vol_info *v);
void udf_put_lvid(uint8_t *blk, uint32_t lba, const udf_vol_info *v);
/* The file set descriptor, recorded at block lbn of its partition. */
void udf_put_fsd(uint8_t *blk, uint32_t lbn, const udf_vol_info *v);

/* The partition maps of the LVD into p; returns their length (MT_L). */
size_t udf_put_partition_maps(uint8_t *p, const udf_vol_info *v);

#endif
