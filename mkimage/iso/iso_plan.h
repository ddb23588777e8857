/* The ISO 9660 layout planner: from the image tree it builds the primary (and, with Joliet,
 * the supplementary) hierarchy, names every entry, keeps directories deeper than eight
 * levels in place (or, with rr_relocate, relocates them: Rock Ridge), sizes every
 * directory, path table and continuation area, assigns their sectors, and lists the file
 * data in disc order. It does no I/O. The image planner (image_plan.c) places the file
 * data, and the image emitter (image_emit.c) writes the finished plan in LBA order, the ISO
 * 9660 structures through iso_emit.c.
 *
 * Sector map (2048-byte logical blocks, ECMA-119 6.1.2):
 *   0-15            system area (zeros)
 *   16              primary volume descriptor
 *   17              El Torito boot record volume descriptor (bootable images only)
 *   next            Joliet supplementary volume descriptor (with Joliet)
 *   next            volume descriptor set terminator
 *   then            L and M path tables of the primary hierarchy, then of Joliet
 *   then            directories of the primary hierarchy, each followed by the Rock Ridge
 *                   continuation areas its records use (root first, then .rr_moved and the
 *                   relocated subtrees, then the rest in path-table order)
 *   then            directories of the Joliet hierarchy in path-table order
 *   with opts.partition_offset = P (libisofs's layout for xorriso -partition_offset):
 *   P + 16          the partition's primary descriptor, its Joliet descriptor, its terminator
 *                   (no boot record: firmware reads El Torito from the disc's start only);
 *                   the metadata above then starts after them, and is followed by a copy
 *                   of itself (part_copy sectors further on) whose LBAs are relative to P
 *   then            (placed by image_plan.c) file data, each file once, in the order of
 *                   p->data (tree order; weights and archives first, iso_plan.c
 *                   order_data); hard links share one extent
 *
 * Ownership: the plan references the tree (which must outlive it) and owns everything else. */
#ifndef MK_ISO_PLAN_H
#define MK_ISO_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_media_sizes.h"
#include "mkimage/iso/iso_names.h"
#include "mkimage/iso/rockridge.h"
#include "mkimage/tree.h"

struct mk_boot;

#define ISO_SECTOR DM_SECTOR
#define ISO_MAX_LEVELS 8              /* ECMA-119 6.8.2.1 */
#define ISO_EXTENT_MAX 0xFFFFF800u    /* largest extent that is whole sectors and fits 32 bits */

typedef struct iso_opts {
	int level;               /* interchange level 1, 2 or 3 */
	int iso_names;           /* ISO_NAMES_* (iso_names.h): mkisofs -N, -U */
	int joliet;              /* add the Joliet hierarchy */
	int rockridge;           /* add Rock Ridge to the primary hierarchy */
	int with_udf;            /* a bridge: UDF shares this plan's file data */
	int rr_relocate;         /* move directories deeper than 8 levels into .rr_moved (RRIP
				    4.1.5, strict ECMA-119 6.8.2.1); else they stay in place */
	unsigned joliet_max;     /* 64, or 103 for the long form */
	int64_t volume_time;     /* volume creation/modification time (SOURCE_DATE_EPOCH or now) */
	const char *volume_id, *system_id, *volset_id, *publisher, *preparer, *application;
	const struct mk_boot *boot; /* El Torito (boot.h), or NULL: no boot record */
	uint32_t base;           /* the disc LBA of the image's first sector: a session after
				    others (mkimage --previous) is planned in disc addresses, its
				    descriptors at base + 16; files of earlier sessions
				    (MK_DSRC_OLD) keep their LBA and get no data sectors */
	uint32_t partition_offset; /* mkisofs -partition_offset: nonzero, the block where a
				    partition starts that is an ISO 9660 file system of its own:
				    a second descriptor set at partition_offset + 16 and a second
				    copy of the path tables and directories, addressed relative to
				    it, sharing the file data (see the sector map) */
} iso_opts;

enum iso_rec_kind {
	ISO_REC_NORMAL,
	ISO_REC_PLACEHOLDER,     /* stands where a relocated directory really is: a file with CL */
	ISO_REC_RELOCATED        /* a relocated directory's record in rr_moved: RE */
};

struct iso_dir;

/* One directory record other than "." and ".." (a multi-extent file becomes several). Its
 * identifier is not kept (it would be most of the plan's memory): iso_rec_id() makes it
 * again from the node's name, the same bytes the planner named and sorted by. */
typedef struct iso_rec {
	mk_node *node;
	struct iso_dir *dir;     /* directories and placeholders: the directory's entry */
	uint32_t area;           /* index of the first area in plan->areas */
	uint8_t id_len;
	uint8_t kind;
	uint8_t su_len;          /* inline System Use bytes (even) */
	uint8_t n_areas;         /* continuation areas */
} iso_rec;

/* A record whose identifier carries a collision counter (iso_names.h): few do. */
typedef struct iso_counter {
	uint32_t rec;            /* index in the directory's recs */
	uint32_t counter;
} iso_counter;

/* The SU of a "." or ".." record. */
typedef struct iso_dot {
	uint8_t su_len, n_areas;
	uint32_t area;
} iso_dot;

typedef struct iso_dir {
	mk_node *node;           /* the directory (rr_moved: the plan's own node) */
	struct iso_dir *parent;  /* parent in this hierarchy (the root is its own parent) */
	struct iso_dir *real_parent; /* relocated directories: where they really are (PL) */
	const uint8_t *id;       /* identifier in the path table (root: 0x00), kept: few */
	uint8_t id_len;
	uint16_t depth;          /* 1 for the root */
	uint32_t nlink;          /* Rock Ridge link count: 2 + subdirectories */
	uint32_t reloc;          /* relocated directories: 1 + the order of relocation; else 0 */
	uint32_t number;         /* path table number, 1-based */
	uint32_t lba;
	uint32_t size;           /* bytes, whole sectors */
	uint32_t ce_lba;         /* its Rock Ridge continuation areas, right after its extent */
	uint32_t ce_sectors;
	uint32_t area_first, area_count; /* its areas in plan->areas */
	iso_rec *recs;
	uint32_t nrecs;
	uint32_t ncounters;
	iso_counter *counters;   /* by rec index: the records named with a counter */
	iso_dot dot, dotdot;
} iso_dir;

typedef struct iso_hier {
	int joliet;              /* identifiers are UCS-2 */
	int rr;                  /* records carry Rock Ridge */
	iso_dir **dirs;          /* path table order */
	iso_dir **by_lba;        /* the same directories in the order of their extents */
	uint32_t ndirs;
	uint32_t pt_size;        /* bytes of one path table */
	uint32_t pt_l_lba, pt_m_lba;
	uint32_t dirs_lba;       /* first directory sector */
	uint32_t dirs_sectors;   /* directory sectors (continuation areas not counted) */
} iso_hier;

typedef struct iso_plan {
	iso_opts opts;
	mk_tree *tree;
	iso_hier primary, joliet;
	mk_node *rr_moved;       /* the relocation directory (in arena), when needed */
	int have_rr_moved;
	rr_area_loc *areas;      /* continuation areas, in emit order */
	uint32_t nareas;
	uint32_t ce_sectors;     /* continuation sectors in all (each directory has its own) */
	uint32_t *links;         /* per file serial: its links the primary hierarchy shows (PX);
				    NULL when no two records share a file: then each shows 1 */
	mk_data **data;          /* file data in disc order */
	uint32_t ndata;
	uint32_t meta_end;       /* the first sector after the path tables and directories */
	uint32_t pvd_lba, boot_lba, svd_lba, term_lba; /* boot_lba: 0 without El Torito */
	uint32_t part_vd_lba;    /* with partition_offset: the partition's primary descriptor */
	uint32_t part_copy;      /* ... and the distance from the metadata to its copy */
	/* Set by the image planner when it places the data (image_plan.c): */
	uint32_t data_lba;       /* the first sector of file data (empty files point there) */
	uint32_t total_sectors;  /* volume space size */
	uint64_t files, dirs;    /* for summaries */
	dm_arena *arena;
	rr_result *rr_scratch;
} iso_plan;

/* Plan the image. On failure the message names the item that could not be placed. */
dm_status iso_plan_build(iso_plan **out, mk_tree *tree, const iso_opts *opts, dm_ctx *ctx);
/* The same beside another filesystem (image_plan.c): meta_lba is the first sector the path
 * tables, directories and continuation areas may use (0: right after the terminator), and
 * avoid_lba a sector they must not cover (the UDF anchor at 256; 0: none): when they would,
 * they start after it. */
dm_status iso_plan_build_at(iso_plan **out, mk_tree *tree, const iso_opts *opts, uint32_t meta_lba,
			    uint32_t avoid_lba, dm_ctx *ctx);
void iso_plan_free(iso_plan *p);

/* Bytes the plan holds (for memory reports). */
size_t iso_plan_memory(const iso_plan *p);

/* Room for any record identifier (ISO 9660 or Joliet) with its ";1". */
#define ISO_REC_ID_MAX JOLIET_ID_MAX

/* The identifier of d's record rec in hierarchy h, into out (ISO_REC_ID_MAX bytes); returns
 * its length, rec->id_len. Made again from the node's name and the record's counter, or
 * copied from the directory it names. */
size_t iso_rec_id(const iso_plan *p, const iso_hier *h, const iso_dir *d, const iso_rec *rec,
		  uint8_t *out);

/* Extents of one file in a hierarchy record: 1, or more for files of 4 GiB and more. */
uint32_t iso_extent_count(uint64_t size);

/* The Rock Ridge attributes of a record (rec), or of a directory's "." (dot = 1) or ".."
 * (dot = 2) record when rec is NULL. */
void iso_rr_attrs(const iso_plan *p, const iso_dir *d, const iso_rec *rec, int dot, rr_attrs *a);

/* Bytes of a record with an identifier of id_len and su_len SU bytes (ECMA-119 9.1): a
 * padding byte after an even identifier (9.1.12) and after odd SU bytes, so records stay
 * of even length. */
static inline uint32_t iso_rec_len(uint32_t id_len, uint32_t su_len)
{
	return 33u + id_len + ((id_len & 1u) ? 0u : 1u) + su_len + (su_len & 1u);
}

#endif
