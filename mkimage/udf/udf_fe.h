/* ECMA-167 part 4 file structures as UDF wants them: file entries (4/14.9) and, from UDF
 * 2.00, extended file entries (4/14.17); their ICB tags (4/14.6); file identifier
 * descriptors (4/14.4, UDF 2.3.4); short and long allocation descriptors (4/14.14.1-2),
 * with extents split at the largest whole-block length (UDF 2.3.10: 2^30 - block size);
 * symlink targets as path components (4/14.16); device numbers as a device specification
 * extended attribute (4/14.10.7) after its header (4/14.10.1); POSIX modes as UDF
 * permissions and ICB flags (UDF 3.3.3.3). Pure functions on byte buffers. */
#ifndef MK_UDF_FE_H
#define MK_UDF_FE_H

#include <stddef.h>
#include <stdint.h>

#include "mkimage/udf/udf_tag.h"

/* The longest extent that is whole blocks (UDF 2.3.10): lengths are 30 bits. */
#define UDF_EXTENT_MAX (0x40000000u - UDF_BLOCK)

/* File types of the ICB tag, 4/14.6.6 and UDF 2.3.5.2. */
enum udf_file_type {
	UDF_FT_DIR = 4,
	UDF_FT_FILE = 5,
	UDF_FT_BLKDEV = 6,
	UDF_FT_CHRDEV = 7,
	UDF_FT_FIFO = 9,
	UDF_FT_SOCKET = 10,
	UDF_FT_SYMLINK = 12,
	UDF_FT_META = 250,
	UDF_FT_META_MIRROR = 251,
	UDF_FT_META_BITMAP = 252
};

/* Allocation descriptor types, ICB tag flags bits 0-2 (4/14.6.8). */
enum udf_ad_type { UDF_AD_SHORT = 0, UDF_AD_LONG = 1, UDF_AD_EMBEDDED = 3 };

/* File characteristics of a FID (4/14.4.3). */
enum { UDF_FID_HIDDEN = 1, UDF_FID_DIR = 2, UDF_FID_DELETED = 4, UDF_FID_PARENT = 8 };

typedef struct udf_fe_info {
	unsigned rev;             /* extended file entries from UDF 2.00 */
	uint8_t file_type;        /* enum udf_file_type */
	uint8_t ad_type;          /* enum udf_ad_type */
	uint32_t mode;            /* st_mode: permissions and set-id / sticky bits */
	uint32_t uid, gid;
	uint16_t nlink;
	uint64_t size;            /* information length */
	uint64_t blocks;          /* logical blocks recorded */
	int64_t atime, mtime, ctime;
	uint64_t unique_id;
	uint16_t serial;
	uint32_t location;        /* block of the entry in its partition (tag location) */
	const uint8_t *ea;        /* extended attributes, or NULL */
	uint32_t ea_len;
	const uint8_t *ad;        /* allocation descriptors, or the embedded data */
	uint32_t ad_len;
} udf_fe_info;

/* Bytes before the extended attributes: 176 (file entry) or 216 (extended). */
size_t udf_fe_header_len(unsigned rev);
/* Room for allocation descriptors or embedded data after ea_len bytes of attributes. */
size_t udf_fe_room(unsigned rev, size_t ea_len);

/* Write the (extended) file entry into blk (one whole block, zero padded); returns the
 * descriptor's length. The caller has checked that it fits (udf_fe_room). */
size_t udf_put_fe(uint8_t *blk, const udf_fe_info *fe);

/* UDF 3.3.3.3: POSIX rwx of owner, group and others to the UDF bits; delete follows
 * write and the owner may change attributes, as writers that map POSIX modes do. */
uint32_t udf_permissions(uint32_t mode);
/* ICB tag flags: the allocation descriptor type, and setuid, setgid, sticky (4/14.6.8). */
uint16_t udf_icb_flags(uint32_t mode, uint8_t ad_type);

void udf_put_short_ad(uint8_t *p, uint32_t len, uint32_t pos);
/* impl_id: the UDF unique ID's low 32 bits in the ADImpUse (UDF 2.3.4.3), or 0. */
void udf_put_long_ad(uint8_t *p, uint32_t len, uint32_t lbn, uint16_t part, uint32_t impl_id);

/* Number of extents of a size bytes long allocation (0 for an empty one). */
uint32_t udf_extent_count(uint64_t size);
/* The allocation descriptors of size bytes of contiguous blocks starting at lbn of
 * partition part, as short (long_ad 0) or long descriptors; returns their length. */
size_t udf_put_extents(uint8_t *p, uint64_t size, uint32_t lbn, uint16_t part, int long_ad);

/* Length of a FID with an identifier of id_len bytes: 38 + L_FI, padded to 4 (4/14.4.9). */
size_t udf_fid_len(size_t id_len);
/* A FID at p: characteristics, the CS0 identifier (none for the parent), the ICB, the
 * unique ID for the long_ad; location = block the FID starts in. Returns its length. */
size_t udf_put_fid(uint8_t *p, unsigned rev, uint16_t serial, uint32_t location, uint8_t chars,
		   const uint8_t *id, size_t id_len, uint32_t icb_lbn, uint16_t icb_part,
		   uint64_t unique_id);

/* A symlink target as path components (4/14.16.1): "/" first gives type 1 (root), "."
 * type 4, ".." type 3, others type 5 with a CS0 identifier; empty components (repeated
 * slashes) are dropped. Returns the length, or 0 with *bad set to the code of
 * udf_cs0_encode() when a component cannot be recorded; *need is the length. p may be
 * NULL to size only. */
size_t udf_put_symlink(uint8_t *p, size_t cap, const char *target, size_t len, int *bad);

/* Extended attributes holding a device's numbers: the header descriptor (4/14.10.1, tag
 * location = the FE's block) and a device specification (4/14.10.7). 48 bytes. */
#define UDF_DEV_EA_LEN 48u
void udf_put_dev_ea(uint8_t *p, unsigned rev, uint16_t serial, uint32_t location, uint32_t major,
		    uint32_t minor);

#endif
