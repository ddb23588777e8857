/* The UDF layout planner: from the image tree it builds one file entry per directory,
 * file (hard links share one), symlink and special file, names every entry in OSTA CS0,
 * numbers the unique IDs and lays out the "metadata space" (file set descriptor, file
 * entries, directories' FIDs, long symlink targets) block by block. It does no I/O.
 *
 * Two steps, so that the image planner (image_plan.c) can put UDF beside ISO 9660 on one
 * sector map: udf_plan_build() decides everything that does not depend on where the
 * partition is; udf_plan_place() is then given the sectors of the volume structures and
 * the partition start, lays out the metadata (with the metadata partition of UDF 2.50 and
 * 2.60: the metadata file, its mirror and their extents) and says where file data may
 * start; udf_plan_finish() closes the partition and puts the anchors at its end.
 * File data is placed by the caller (mk_data->lba), once for every filesystem.
 *
 * Partition layout (blocks relative to the partition start; sector map in spec/udf.md):
 *   without a metadata partition: 0 FSD, 1 TD, then for each directory in tree order its
 *     FE and FIDs, and the FEs of its other entries (and long symlink targets); then data
 *   with one (2.50, 2.60): 0 metadata file FE, 1 metadata mirror file FE, then at the next
 *     alignment unit the metadata file's extent holding the above (its block 0 is block 0
 *     of the metadata partition), then the mirror's extent (a copy), then data.
 *
 * Ownership: the plan references the tree (which must outlive it) and owns the rest. */
#ifndef MK_UDF_PLAN_H
#define MK_UDF_PLAN_H

#include <stdint.h>

#include "common/dm_arena.h"
#include "common/dm_error.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_vol.h"

/* A file entry of the previous session a later one may point at again (mkimage
 * --previous over pure UDF without a metadata partition): the entry of node, at block lbn of
 * the physical partition, with its unique ID; for files the data it described, so that an
 * entry whose content was replaced is never reused. */
typedef struct udf_old_fe {
	const mk_node *node;
	uint32_t lbn;
	uint32_t data_lba;
	uint32_t nlink;          /* its link count (a file whose links changed gets a new one) */
	uint64_t data_size;
	uint64_t unique_id;
} udf_old_fe;

typedef struct udf_opts {
	unsigned rev;            /* UDF_REV_* */
	int embed;               /* tiny files inside their FE (--udf-embed; pure UDF only, a
				    bridge shares data with ISO 9660) */
	int special;             /* record symlinks, devices, FIFOs and sockets; else they are
				    left out (7-Zip refuses a UDF volume holding any) */
	int64_t volume_time;
	const char *volume_id, *volset_id, *application, *publisher, *preparer;
	/* A later session (mkimage --previous): the first unique ID to give (above the
	 * previous LVID's next unique ID; 0: the first free, 16). Old files' data
	 * (MK_DSRC_OLD) stays where it is and gets no blocks. */
	uint64_t first_unique_id;
	/* Old file entries to point at instead of writing new ones (sorted by node; used
	 * without a metadata partition, whose old entries the new metadata file cannot
	 * reach): an unchanged file, symlink or device of a previous session costs no block. */
	const udf_old_fe *old_fes;
	size_t n_old_fes;
} udf_opts;

/* One FID of a directory other than the parent's. */
typedef struct udf_ent {
	const uint8_t *id;       /* CS0, compression ID first */
	uint8_t id_len;
	uint32_t icb;            /* index of the entry's file entry in plan->icbs */
} udf_ent;

/* One file entry. */
typedef struct udf_icb {
	mk_node *node;           /* the node (for hard links: the first link in tree order) */
	uint32_t lbn;            /* its block in the metadata space */
	uint32_t parent;         /* directories: the parent's icb */
	uint32_t first_ent, nents; /* directories: their entries in plan->ents */
	uint32_t tail_lbn;       /* directories: FIDs; symlinks not embedded: the target */
	uint32_t tail_len;       /* bytes there (or embedded symlink target bytes) */
	uint64_t unique_id;
	uint16_t nlink;
	uint8_t type;            /* enum udf_file_type */
	uint8_t embedded;        /* file data or symlink target inside the FE */
	uint8_t reused;          /* a previous session's entry at lbn (partition block): not
				    written */
} udf_icb;

typedef struct udf_plan {
	udf_opts opts;
	mk_tree *tree;
	udf_icb *icbs;           /* in metadata-space order; icbs[0] is the root */
	uint32_t nicbs;
	udf_ent *ents;
	uint32_t nents;
	mk_data **data;          /* files whose data needs blocks, in tree order */
	uint32_t ndata;
	uint32_t meta_blocks;    /* blocks of the metadata space */
	uint32_t files, dirs;    /* non-directory and directory file entries */
	uint32_t reused;         /* of them, previous sessions' entries pointed at again */
	uint64_t next_unique_id;
	/* Filled by udf_plan_place() and udf_plan_finish(). */
	udf_vol_info vol;
	uint32_t vrs_lba;        /* BEA01, NSR0x, TEA01 */
	uint32_t avdp[3];        /* 256, N-256, N (the last sector) */
	uint32_t part_start;
	uint32_t space_start;    /* the sector the metadata space (or the metadata file's FE)
				    starts at: part_start, or further in a later session whose
				    partition starts where the previous one's did */
	uint32_t meta_lbn;       /* where the metadata space starts in the physical partition */
	uint32_t mirror_lbn;     /* the mirror's copy (metadata partition only) */
	uint32_t meta_extent;    /* blocks of the metadata (and mirror) extent */
	uint32_t data_lbn;       /* first block free for file data */
	uint32_t total_sectors;
	dm_arena *arena;
} udf_plan;

/* The volume structures' sectors, decided by the image planner. A later session keeps
 * the previous session's partition start (its files' short_ads stay valid) and puts its
 * own structures from space_start on, inside the partition grown to the new end. */
typedef struct udf_where {
	uint32_t vrs, main_vds, reserve_vds, lvid, part_start;
	uint32_t space_start;    /* 0: part_start */
	uint32_t anchor;         /* the first anchor: 256, or a later session's start + 256 */
} udf_where;

/* 1 when rev is one of 1.02 1.50 2.00 2.01 2.50 2.60; "2.01" etc. parse with this. */
int udf_rev_valid(unsigned rev);
int udf_rev_parse(const char *s, unsigned *rev);
/* "2.01" for 0x0201 (static storage). */
const char *udf_rev_name(unsigned rev);
/* The metadata partition is used from UDF 2.50 on. */
static inline int udf_rev_metadata(unsigned rev) { return rev >= UDF_REV_250; }

dm_status udf_plan_build(udf_plan **out, mk_tree *tree, const udf_opts *opts, dm_ctx *ctx);
void udf_plan_place(udf_plan *p, const udf_where *w);
/* part_end: the first sector after the partition (after all file data). The anchors go
 * at 256, part_end (= N - 256) and part_end + 256 (= N, the last sector). */
dm_status udf_plan_finish(udf_plan *p, uint64_t part_end, dm_ctx *ctx);
void udf_plan_free(udf_plan *p);
size_t udf_plan_memory(const udf_plan *p);

/* Physical-partition block of a file's data (mk_data->lba is a sector). */
static inline uint32_t udf_data_lbn(const udf_plan *p, const mk_data *d)
{
	return d->lba - p->part_start;
}
/* Partition reference of the metadata space: the metadata partition or the physical. */
static inline uint16_t udf_meta_part(const udf_plan *p)
{
	return udf_rev_metadata(p->opts.rev) ? UDF_PART_META : UDF_PART_PHYS;
}

#endif
