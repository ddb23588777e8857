/* Importing the last session of a disc written earlier (mkimage --previous): its ISO 9660
 * tree, with Rock Ridge or Joliet names, becomes nodes of the image tree whose content is
 * "the old extent at LBA x, s bytes" (MK_DSRC_OLD): the new session points at it and never
 * copies it. The bytes read are untrusted: every record, entry and extent is checked
 * against the sector it is in and the end of the disc; a damaged session is refused with a
 * message naming the LBA and the path.
 *
 * Sessions (ECMA-119 6.2, 8; the multisession convention of mkisofs -C and growisofs -M):
 * a session starting at S has its volume descriptors at S + 16 and addresses everything from
 * LBA 0 of the disc; its primary descriptor's volume space size is the end of the session.
 * On overwritable (grown) media the descriptors at 16 describe the latest tree.
 *
 * UDF (import_udf.c): a pure UDF session (no ISO 9660 descriptors, ECMA-167 volume
 * recognition sequence at start + 16) is imported from its UDF tree; a bridge's tree comes
 * from ISO 9660, and its UDF volume is read for what the next session must keep (the
 * revision, the partition start, the next unique ID).
 *
 * Not imported: El Torito
 * boot records (the new session has the boot options given to it), the associated files
 * and extended attribute records of ECMA-119 9.5 (refused), interleaved files (refused).
 *
 * Ownership: nodes are made in the tree; the reader is borrowed. */
#ifndef MK_IMPORT_H
#define MK_IMPORT_H

#include <stdint.h>

#include "common/dm_error.h"
#include "mkimage/tree.h"

/* Sectors of the disc so far: a file, a drive, or memory (tests, fuzzing). */
typedef struct mk_prev_reader {
	/* Read count 2048-byte sectors from lba into buf; lba + count <= end. */
	dm_status (*read)(void *user, uint32_t lba, uint32_t count, uint8_t *buf, dm_ctx *ctx);
	void *user;
	uint32_t end;            /* sectors the disc holds: nothing at or past it is read */
	const char *name;        /* for messages */
} mk_prev_reader;

#define MK_IMPORT_FIND UINT32_MAX

typedef struct mk_import_info {
	uint32_t session_start;  /* where the imported session's descriptors are (+ 16) */
	uint32_t volume_end;     /* its primary descriptor's volume space size */
	int rockridge, joliet;   /* the file systems it has */
	int boot;                /* it has an El Torito boot record (not carried over) */
	char volume_id[33];      /* its volume identifier, trailing spaces removed */
	uint64_t files, dirs, links, bytes; /* what was imported */
	/* UDF (import_udf.c), when the session has it. */
	int udf;                 /* 1: a bridge's UDF volume; 2: a pure UDF session */
	unsigned udf_rev;        /* UDF_REV_*: the domain identifier's revision */
	uint32_t udf_part_start; /* the physical partition's first sector */
	uint64_t udf_next_uid;   /* the LVID's next unique ID */
	int udf_special;         /* the tree holds symlinks or special files */
	/* A pure UDF session without a metadata partition: its non-directory entries' file
	 * entries (udf_plan.h), sorted by node, in the tree's arena, for the next session to
	 * point at instead of writing them again. */
	const struct udf_old_fe *udf_old_fes;
	size_t udf_n_old_fes;
} mk_import_info;

/* Find the newest session of a disc image file: the session at 0, then each next
 * volume descriptor set within MK_IMPORT_SCAN sectors after the end of the one before (a
 * primary descriptor at L + 16 whose volume space size and root directory lie after L). */
#define MK_IMPORT_SCAN 16384u
dm_status mk_import_find_session(const mk_prev_reader *r, uint32_t *start, dm_ctx *ctx);

/* Import the session whose descriptors are at start + 16 into t's root (attributes of the
 * root included). Imported nodes carry MK_OLD. */
dm_status mk_import_iso(mk_tree *t, const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			dm_ctx *ctx);

/* Whether the session at start has an ECMA-167 recognition sequence (BEA01) at start + 16
 * instead of ISO 9660 descriptors: a pure UDF session. Reads one sector; 0 when unreadable. */
int mk_import_udf_pure(const mk_prev_reader *r, uint32_t start, dm_ctx *ctx);

/* The newest pure UDF session of a disc image file: the session at 0, then each next one
 * whose recognition sequence and anchor (L + 16, L + 256) lie within MK_IMPORT_SCAN sectors
 * after the end of the one before. */
dm_status mk_import_udf_find_session(const mk_prev_reader *r, uint32_t *start, dm_ctx *ctx);

/* Read the UDF volume of the session at start (anchor at start + 256, else at the disc's
 * last sector or 256 before it): fills info's udf fields and, for a pure session,
 * session_start, volume_end and volume_id. */
dm_status mk_import_udf_volume(const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			       dm_ctx *ctx);

/* Import the pure UDF session at start into t's root, as mk_import_iso() does (fills info,
 * the udf fields included). */
dm_status mk_import_udf(mk_tree *t, const mk_prev_reader *r, uint32_t start, mk_import_info *info,
			dm_ctx *ctx);

/* A bridge without a metadata partition: read its UDF tree too and match it with t (the
 * ISO 9660 tree imported) path by path, filling info's udf_old_fes with the old file
 * entries of the files both agree on (import_udf_match.c). A damaged UDF tree fails: the
 * caller may go on without (every entry is then written again). */
dm_status mk_import_udf_match(mk_tree *t, const mk_prev_reader *r, uint32_t start,
			      mk_import_info *info, dm_ctx *ctx);

/* Take the entry at path ("/a/b") out of the tree (--remove): it must be there. */
dm_status mk_import_remove(mk_tree *t, const char *path, dm_ctx *ctx);

#endif
