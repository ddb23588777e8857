/* ECMA-167 descriptor tags (3/7.2, 4/7.2): the 16 bytes every UDF descriptor starts with,
 * their checksum and the CRC over the descriptor body (CRC-ITU-T, x^16 + x^12 + x^5 + 1,
 * initial value 0, ECMA-167 1/7.2.6 and UDF 2.60 2.2.1.2). Pure functions on byte buffers. */
#ifndef MK_UDF_TAG_H
#define MK_UDF_TAG_H

#include <stddef.h>
#include <stdint.h>

#include "common/dm_media_sizes.h"

#define UDF_BLOCK DM_SECTOR

/* UDF revisions as they are recorded (BCD, UDF 2.1.5.3): 0x0102 ... 0x0260. */
#define UDF_REV_102 0x0102u
#define UDF_REV_150 0x0150u
#define UDF_REV_200 0x0200u
#define UDF_REV_201 0x0201u
#define UDF_REV_250 0x0250u
#define UDF_REV_260 0x0260u

/* Descriptor version of every tag: 2 on NSR02 volumes (UDF 1.02, 1.50), 3 on NSR03 volumes
 * (ECMA-167 3rd edition, UDF 2.00 and later; UDF 2.60 2.2.1). */
static inline uint16_t udf_desc_version(unsigned rev) { return rev >= UDF_REV_200 ? 3 : 2; }

/* Tag identifiers, ECMA-167 3/7.2.1 and 4/7.2.1. */
enum udf_tag_id {
	UDF_TAG_PVD = 1,
	UDF_TAG_AVDP = 2,
	UDF_TAG_VDP = 3,
	UDF_TAG_IUVD = 4,
	UDF_TAG_PD = 5,
	UDF_TAG_LVD = 6,
	UDF_TAG_USD = 7,
	UDF_TAG_TD = 8,
	UDF_TAG_LVID = 9,
	UDF_TAG_FSD = 256,
	UDF_TAG_FID = 257,
	UDF_TAG_AED = 258,
	UDF_TAG_FE = 261,
	UDF_TAG_EAHD = 262,
	UDF_TAG_SBD = 264,
	UDF_TAG_EFE = 266
};

/* CRC-ITU-T of len bytes (ECMA-167 1/7.2.6: polynomial 0x1021, initial 0, MSB first). */
uint16_t udf_crc(const uint8_t *p, size_t len);

/* Fill the tag of the descriptor at d, whose whole length is len bytes (tag included):
 * identifier, descriptor version (2 for NSR02 volumes, 3 for NSR03: ECMA-167 3/7.2.2),
 * serial number, the CRC over the len - 16 bytes after the tag with that as the CRC
 * length (UDF 2.2.1.2), the location (the logical sector or, inside a partition, the
 * logical block of the descriptor, 3/7.2.8) and last the tag checksum (3/7.2.3).
 * The body must be complete before this is called. */
void udf_tag_finish(uint8_t *d, uint16_t id, uint16_t version, uint16_t serial, uint32_t location,
		    size_t len);

/* The checksum of the tag at d: the sum modulo 256 of bytes 0-3 and 5-15 (3/7.2.3). */
uint8_t udf_tag_checksum(const uint8_t *d);

/* What udf_tag_check() found wrong with a descriptor read from a disc (0: nothing). */
typedef enum udf_tag_fault {
	UDF_TAG_GOOD = 0,
	UDF_TAG_BAD_ID,          /* another descriptor (or none) */
	UDF_TAG_BAD_CHECKSUM,    /* 3/7.2.3 */
	UDF_TAG_BAD_VERSION,     /* neither 2 nor 3 */
	UDF_TAG_BAD_LOCATION,    /* 3/7.2.8: not where it was read */
	UDF_TAG_BAD_CRC          /* 3/7.2.6: the CRC length runs past avail, or the CRC differs */
} udf_tag_fault;

/* Check the tag of the descriptor at d (avail bytes readable from d): identifier id,
 * checksum, version, location, and the CRC over its CRC length. */
udf_tag_fault udf_tag_check(const uint8_t *d, size_t avail, uint16_t id, uint32_t location);
/* Words for a fault ("a bad tag checksum"), for messages. */
const char *udf_tag_fault_name(udf_tag_fault f);

#endif
