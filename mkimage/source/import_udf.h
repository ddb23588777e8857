/* The UDF importer's parts (import.h): import_udf_vol.c reads the volume (anchors, the
 * descriptor sequences, the integrity descriptor, the metadata file) and file entries;
 * import_udf.c walks the directory tree. Internal to mkimage/source. */
#ifndef MK_IMPORT_UDF_H
#define MK_IMPORT_UDF_H

#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_keyset.h"
#include "mkimage/source/import.h"
#include "mkimage/tree.h"
#include "mkimage/udf/udf_tag.h"

#define UDFI_SECTOR 2048u

#define UDFI_VDS_MAX 64u              /* descriptors of one sequence, continuations included */
#define UDFI_DIR_MAX (64u << 20)      /* bytes of one directory */
#define UDFI_DEPTH_MAX 1024u
#define UDFI_EXT_MAX 4096u            /* allocation descriptors of one file */
#define UDFI_META_EXT_MAX 1024u       /* extents of the metadata file */
#define UDFI_LINK_MAX 65536u     /* a symlink's path components */

typedef struct udfi_meta_ext {
	uint32_t lbn, blocks;    /* in the physical partition */
} udfi_meta_ext;

typedef struct udfi_vol {
	int have_pd, have_lvd;
	uint32_t pd_vdsn, lvd_vdsn;
	uint16_t part_num;
	uint32_t part_start, part_len;
	unsigned rev;
	uint32_t nmaps;
	uint8_t map_kind[2];     /* 1: the physical partition; 2: the metadata partition */
	uint16_t map_part[2];    /* the partition number each map names */
	uint32_t meta_file, meta_mirror;
	udfi_meta_ext *mext;
	uint32_t nmext;
	uint32_t lvid_len, lvid_lba;
	uint32_t fsd_lbn;
	uint16_t fsd_part;
	uint32_t main_vds, main_len, reserve_vds, reserve_len; /* from the anchor (bytes) */
	char volume_id[33];
} udfi_vol;

typedef struct udfi_job {
	mk_node *node;
	uint16_t part;
	uint32_t lbn;
	uint32_t depth;
} udfi_job;

typedef struct udfi {
	mk_tree *t;
	const mk_prev_reader *r;
	dm_ctx *ctx;
	mk_import_info *info;
	udfi_vol v;
	udfi_job *q;
	size_t qhead, qlen, qcap;
	dm_keyset seen;          /* directories' ICBs queued: part << 32 | lbn (loops) */
	uint8_t *dbuf;           /* the directory (or symlink) being read */
	size_t dcap;
	uint32_t *dlbn;          /* each block of it: its logical block (FID tag locations) */
	size_t dlcap;
	struct udf_old_fe *old;  /* the entries the next session may point at again */
	size_t nold, oldcap;
	uint64_t dir_bytes;      /* read so far: on a sound disc, at most the disc (a directory's
				    blocks are its own), which bounds the work of any input */
	char path[4096];
} udfi;

typedef struct udfi_fe {
	uint8_t ftype, adtype;
	uint16_t icb_flags, nlink;
	uint32_t uid, gid, perm;
	uint64_t size, unique_id;
	int64_t atime, mtime, ctime;
	const uint8_t *ea, *ad;
	uint32_t ea_len, ad_len;
	uint32_t lba;            /* where it was read (messages) */
	uint16_t part;
} udfi_fe;

typedef struct udfi_ext {
	uint16_t part;
	uint32_t lbn, len;
} udfi_ext;

dm_status mk_udfi_nomem(udfi *im);
/* A refusal naming the path being read (im->path), what is wrong, and the LBA. */
dm_status mk_udfi_damaged(udfi *im, const char *what, uint32_t lba);
dm_status mk_udfi_unsupported(udfi *im, const char *what, uint32_t lba);
dm_status mk_udfi_bad_tag(udfi *im, const char *what, udf_tag_fault f, uint32_t lba);
/* One sector, refused past the end of the disc. */
dm_status mk_udfi_read_sector(udfi *im, uint32_t lba, uint8_t *buf, const char *what);
/* The logical sector of block lbn of partition reference part (through the metadata
 * file for a metadata partition), refused outside the partition. */
dm_status mk_udfi_block_lba(udfi *im, uint16_t part, uint32_t lbn, uint32_t *lba);
dm_status mk_udfi_read_block(udfi *im, uint16_t part, uint32_t lbn, uint8_t *buf, const char *what);
/* The (extended) file entry at lbn of part into buf, checked and decoded into fe. */
dm_status mk_udfi_read_fe(udfi *im, uint16_t part, uint32_t lbn, uint8_t *buf, udfi_fe *fe);
/* The recorded extents of fe into ext (UDFI_EXT_MAX of them); *n gets their number. */
dm_status mk_udfi_extents(udfi *im, const udfi_fe *fe, udfi_ext *ext, uint32_t *n);
/* The volume of the session at start (s: a sector of scratch), info's udf fields filled. */
dm_status mk_udfi_read_volume(udfi *im, uint32_t start, uint8_t *s);
/* The first sector after the session: its partition, sequences, integrity extent, anchors. */
uint32_t mk_udfi_volume_end(udfi *im, uint8_t *s);

#endif
