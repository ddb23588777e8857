/* Rock Ridge (RRIP 1.12, IEEE P1282) entries over SUSP 1.12 (IEEE P1281), built into the
 * System Use area of one ISO 9660 directory record, spilling into continuation areas
 * (CE) when the record has no room left.
 *
 * The planner calls rr_build() once without locations to learn the sizes (inline bytes,
 * number and length of continuation areas); the emitter calls it again with the locations
 * it assigned and gets the final bytes. The same attributes always give the same bytes.
 *
 * What a record gets, in this order (deterministic; small fixed entries first so that they
 * stay in the record itself when possible, the name before the symlink target because
 * readdir needs the name and only readlink the target):
 *   SP (SUSP 5.3, root "." only, always at byte 0 of the record's System Use field)
 *   PX (RRIP 4.1.1, the 44-byte RRIP 1.12 form with the file serial number)
 *   TF (RRIP 4.1.6, modify, access and attributes times, 7-byte ECMA-119 9.1.5 form)
 *   PN (RRIP 4.1.2, block and character devices only)
 *   CL, PL, RE (RRIP 4.1.5.1-3, when asked for)
 *   NM (RRIP 4.1.4, when name != NULL; several entries with CONTINUE when long)
 *   SL (RRIP 4.1.3, when target != NULL; several entries with CONTINUE when long)
 *   ER (SUSP 5.5, root "." only; identifier "IEEE_P1282", version 1 -- see rockridge.c)
 * Entries go into the record while they fit in `room`; when the rest does not, what fits
 * is kept with 28 bytes left for a CE entry (SUSP 5.1) and the rest continues in a
 * continuation area, which ends with its own CE when it is full in turn. An entry is never
 * split between areas; only NM and SL are cut into several entries (their CONTINUE flags).
 *
 * Symlink targets (SL): the target is split at '/'. A leading '/' gives a ROOT component,
 * "." CURRENT and ".." PARENT, anything else a text component; a text component longer than
 * 248 bytes, or one that does not fit the room left, is cut into pieces carrying the
 * component CONTINUE flag (0x01). Runs of '/' count as one ("a//b" is stored as "a/b",
 * "//x" as "/x"), which path resolution treats alike; a trailing '/' is kept as a final
 * empty text component, so readers give back "a/b/" (it means "must be a directory").
 * When an SL entry is continued in the next one, its last component always carries the
 * component CONTINUE flag: either a piece of a text component is cut there, or an empty
 * component (flags 0x01, length 0) is appended. Readers disagree about what a boundary
 * between SL entries means otherwise (Linux, libisofs, pycdlib and FreeBSD add a '/',
 * libarchive does not); with this rule all of them read the same target.
 *
 * Device numbers (PN): rdev is the Linux (glibc makedev) dev_t; PN holds its high and low
 * 32 bits, as RRIP 4.1.2 says for a 64-bit dev_t, as libisofs and cdrtools' mkisofs write,
 * and as libarchive and libisofs read back (high << 32 | low). For major < 4096 and
 * minor < 256 the high half is 0 and the low half is major << 8 | minor, which Linux isofs
 * decodes right too: it reads a zero high half with bits above 0xff in the low half as that
 * old 8:8 form, and otherwise takes MKDEV(high, low). Writing high = major, low = minor
 * (what genisoimage does) suits only the kernel: libarchive and libisofs then read 8:1 as
 * 0:8388609. For larger numbers no encoding satisfies the kernel and libarchive at once;
 * this one keeps libarchive and libisofs right. */
#ifndef MK_ROCKRIDGE_H
#define MK_ROCKRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_error.h"
#include "common/dm_media_sizes.h"

#define RR_SECTOR DM_SECTOR
/* A continuation area never crosses a logical block (Linux isofs refuses that), so each is at
 * most one sector; a record needs more than one area only for very long names or targets. */
#define RR_MAX_AREAS 8
/* Length of a CE entry (SUSP 5.1): what a full record or area keeps free to continue. */
#define RR_CE_LEN 28

typedef struct rr_attrs {
	uint32_t mode;          /* POSIX st_mode, type bits included (PX) */
	uint32_t nlink;         /* links (PX) */
	uint32_t uid, gid;      /* (PX) */
	uint32_t serial;        /* file serial number (PX, RRIP 1.12) */
	int64_t mtime, atime, ctime; /* seconds since the epoch, UTC (TF, 7-byte form); times
				      * before 1900-01-01 00:00:00 or after 2155-12-31 23:59:59
				      * are clamped to those (the form holds years 1900-2155) */
	uint64_t rdev;          /* device number for block/char devices (PN), Linux (glibc
				 * makedev) encoding; used only when mode is S_IFBLK or S_IFCHR */
	const char *name;       /* NM content, 1 or more bytes, no '/' or NUL (bytes are not
				 * otherwise checked); NULL for "." and ".." records */
	size_t name_len;
	const char *target;     /* SL content (symlink target as stored on Linux, 1 or more
				 * bytes, no NUL); NULL if none */
	size_t target_len;
	int is_root_dot;        /* "." of the root: SP first, and the ER entry */
	uint32_t cl_lba;        /* nonzero: CL, this placeholder's directory was relocated there */
	uint32_t pl_lba;        /* nonzero: PL, this ".." record's real parent is there */
	int re;                 /* nonzero: RE, this is a relocated directory's record */
} rr_attrs;

typedef struct rr_area_loc {
	uint32_t lba;           /* sector of the continuation area */
	uint32_t offset;        /* byte offset within that sector; offset + area_len <= 2048 */
} rr_area_loc;

typedef struct rr_result {
	uint8_t inline_bytes[255];  /* SU bytes that go into the directory record itself */
	size_t inline_len;          /* exact length of the SUSP entries, possibly odd; it is
				     * never more than room, and when odd inline_len + 1 <= room,
				     * so the caller can append the one zero byte that makes the
				     * record length even (ECMA-119 9.1.13); readers skip it */
	size_t n_areas;             /* continuation areas needed (0 when everything fits) */
	size_t area_len[RR_MAX_AREAS]; /* exact bytes of each area, 1..2048 */
	uint8_t *area_bytes[RR_MAX_AREAS]; /* only when built with locations (NULL otherwise);
					    * point into `storage` */
	uint8_t storage[RR_MAX_AREAS * RR_SECTOR];
} rr_result;

/* Build the entries for one record into *res (cleared first; no byte is left unset).
 *
 * `room` is the number of bytes the record's System Use field may take, the padding byte
 * for an even record length included: 255 - (33 + LEN_FI + (LEN_FI even ? 1 : 0)) for a
 * record of the maximum length; at most 255. A record that needs a continuation area needs
 * at least RR_CE_LEN bytes of room, the root "." RR_CE_LEN + 8 (SP, and the pad byte that
 * SP + CE, 35 bytes, would need).
 *
 * `locs` is NULL when only sizes are wanted (the CE entries' block, offset and length fields
 * are then zero; every length and every other byte is what the real build gives), else an
 * array of res->n_areas locations from a previous call with the same attributes and room:
 * area i is at locs[i]; the CE in the record points to area 0, the CE ending area i to
 * area i + 1. Areas are independent: the planner may put them anywhere, each within one
 * sector (libarchive also wants them after the directory being read and before the data
 * of a regular file they belong to).
 *
 * Fails with DM_ERR_INVALID for an empty or NUL-containing target, an empty name or one
 * containing '/' or NUL, room > 255, too little room for a CE (or for SP in the root "."),
 * or a location whose area would cross its sector; with DM_ERR_UNSUPPORTED when more than
 * RR_MAX_AREAS areas would be needed (a symlink target of up to 4095 bytes needs at most 4,
 * a name of up to 255 bytes at most 1). The message names the problem. */
dm_status rr_build(const rr_attrs *a, size_t room, const rr_area_loc *locs, rr_result *res,
		   dm_ctx *ctx);

#endif
