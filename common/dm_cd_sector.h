/* CD-ROM sectors as ECMA-130 (2nd edition, June 1996) lays them out: 2,352 bytes of sync,
 * header, user data, EDC and the Reed-Solomon Product-like Code (RSPC) P and Q parity. The
 * emulated recorder builds the raw form of sectors it keeps as 2,048 bytes of user data
 * (READ CD with sync/header/EDC bits), and a writer may build raw sectors with them.
 * Nothing here scrambles (ECMA-130 annex B): READ CD returns unscrambled sectors.
 *
 *   bytes 0-11     sync: 00h, ten FFh, 00h (ECMA-130 14.2)
 *   bytes 12-15    header: minute, second, frame in BCD (the absolute time, LBA + 150),
 *                  mode (14.3)
 *   Mode 1 (14.3.1): 16-2063 user data, 2064-2067 EDC over bytes 0-2063 (little-endian),
 *                  2068-2075 zero, 2076-2247 P parity, 2248-2351 Q parity
 *   Mode 2 form 1 (CD-ROM XA): 16-23 sub-header (twice 4 bytes), 24-2071 user data,
 *                  2072-2075 EDC over 16-2071, 2076-2351 P and Q computed with the header
 *                  taken as zero
 *   Mode 2 form 2: 24-2347 user data, 2348-2351 EDC over 16-2347 (0: none), no parity */
#ifndef DM_CD_SECTOR_H
#define DM_CD_SECTOR_H

#include <stddef.h>
#include <stdint.h>

#define DM_CD_RAW 2352
#define DM_CD_USER 2048

/* The EDC (ECMA-130 14.3): CRC-32 of polynomial
 * x^32+x^31+x^16+x^15+x^4+x^3+x+1, bits taken least significant first, initial 0. */
uint32_t dm_cd_edc(const uint8_t *data, size_t len);
/* Sync and header of sector lba (LBA 0 is MSF 00:02:00) with mode in byte 15. */
void dm_cd_sector_header(int32_t lba, uint8_t mode, uint8_t out[16]);
/* The P and Q parity (bytes 2076-2351) of a sector whose bytes 12-2075 are filled. */
void dm_cd_sector_ecc(uint8_t sector[DM_CD_RAW]);
/* A whole Mode 1 sector from its 2,048 bytes of user data. */
void dm_cd_sector_mode1(int32_t lba, const uint8_t user[DM_CD_USER], uint8_t out[DM_CD_RAW]);
/* A Mode 2 form 1 sector: sub-header (4 bytes, written twice: file, channel, sub-mode
 * with bit 5 clear, coding) and 2,048 bytes of user data. */
void dm_cd_sector_mode2_form1(int32_t lba, const uint8_t subheader[4],
			      const uint8_t user[DM_CD_USER], uint8_t out[DM_CD_RAW]);
/* 1 when the EDC and both parities of a Mode 1 or Mode 2 form 1 sector hold. */
int dm_cd_sector_check(const uint8_t sector[DM_CD_RAW]);

#endif
